"""NumPy's scalar types: the abstract hierarchy and the 14 concrete classes.

The abstract classes carry no data (``__slots__ = ()``) so that a concrete class can combine
them with a storage base: ``float64`` and ``complex128`` subclass Python's float/complex (as
in NumPy), the other twelve subclass ``_ScalarBase`` (Rust), which stores the value and
implements the scalar protocol. Rust creates instances directly (``a[3]``).
"""

import numbers

from . import _oxnp
from ._oxnp import _ScalarBase


class generic:
    __slots__ = ()

    @property
    def __array_interface__(self):
        # NumPy (and other consumers) read a scalar as the 0-d array of its dtype; the array
        # travels as `data` (a buffer) so it outlives the dict.
        a = _oxnp.asarray(self)
        return {"version": 3, "shape": (), "typestr": a.dtype.str, "data": a}


def _binary(uf):
    def op(self, other):
        return _oxnp._scalar_binop(uf, self, other)

    def rop(self, other):
        return _oxnp._scalar_binop(uf, other, self)

    return op, rop


def _unary(uf):
    def op(self):
        return _oxnp._scalar_unop(uf, self)

    return op


# Scalar arithmetic goes through the ufuncs, as NumPy's does: `float32(1) + 1` is float32.
for _name, _uf in [("add", _oxnp.add), ("sub", _oxnp.subtract), ("mul", _oxnp.multiply),
                   ("truediv", _oxnp.divide), ("floordiv", _oxnp.floor_divide),
                   ("mod", _oxnp.remainder), ("divmod", _oxnp.divmod), ("lshift", _oxnp.left_shift),
                   ("rshift", _oxnp.right_shift), ("and", _oxnp.bitwise_and),
                   ("or", _oxnp.bitwise_or), ("xor", _oxnp.bitwise_xor)]:
    _op, _rop = _binary(_uf)
    setattr(generic, f"__{_name}__", _op)
    setattr(generic, f"__r{_name}__", _rop)
for _name, _uf in [("lt", _oxnp.less), ("le", _oxnp.less_equal), ("gt", _oxnp.greater),
                   ("ge", _oxnp.greater_equal), ("eq", _oxnp.equal), ("ne", _oxnp.not_equal)]:
    setattr(generic, f"__{_name}__", _binary(_uf)[0])
for _name, _uf in [("neg", _oxnp.negative), ("pos", _oxnp.positive), ("abs", _oxnp.absolute),
                   ("invert", _oxnp.invert)]:
    setattr(generic, f"__{_name}__", _unary(_uf))


def _pow(self, other, mod=None):
    if mod is not None:
        return NotImplemented
    return _oxnp._scalar_binop(_oxnp.power, self, other)


def _rpow(self, other, mod=None):
    if mod is not None:
        return NotImplemented
    return _oxnp._scalar_binop(_oxnp.power, other, self)


generic.__pow__, generic.__rpow__ = _pow, _rpow


class number(generic):
    __slots__ = ()


class integer(number):
    __slots__ = ()

    def is_integer(self):
        return True

    @property
    def numerator(self):
        return self

    @property
    def denominator(self):
        return 1


class signedinteger(integer):
    __slots__ = ()


class unsignedinteger(integer):
    __slots__ = ()


class inexact(number):
    __slots__ = ()


class floating(inexact):
    __slots__ = ()

    def is_integer(self):
        return float(self).is_integer()

    def as_integer_ratio(self):
        return float(self).as_integer_ratio()


class complexfloating(inexact):
    __slots__ = ()


def _array_like(value):
    # NumPy's scalar types called on a sequence or an n-d array build an array
    return isinstance(value, (list, tuple)) or (isinstance(value, _oxnp.ndarray) and value.ndim > 0)


class _BuiltinValue:
    """The scalar protocol for the classes stored as Python float/complex."""

    __slots__ = ()

    dtype = property(lambda self: _oxnp.dtype(self._dtype_name))
    shape = property(lambda self: ())
    ndim = property(lambda self: 0)
    size = property(lambda self: 1)
    itemsize = property(lambda self: self.dtype.itemsize)
    nbytes = property(lambda self: self.dtype.itemsize)

    def item(self):
        return self._builtin(self)

    def tolist(self):
        return self._builtin(self)

    def astype(self, dtype):
        return _oxnp.dtype(dtype).type(self)

    def __repr__(self):
        return _oxnp.format_scalar(self._builtin(self), self.dtype, True)

    def __str__(self):
        return _oxnp.format_scalar(self._builtin(self), self.dtype, False)


class float64(_BuiltinValue, floating, float):
    __slots__ = ()
    _dtype_name = "float64"
    _builtin = float

    def __new__(cls, value=0.0):
        if type(value) is not float and type(value) is not int:  # the common calls go straight
            if value is None:
                value = float("nan")
            elif _array_like(value):
                return _oxnp.array(value, dtype=cls)
        return float.__new__(cls, value)

    __hash__ = float.__hash__
    real = property(lambda self: self)
    imag = property(lambda self: float64(0.0))

    def conjugate(self):
        return self


class complex128(_BuiltinValue, complexfloating, complex):
    __slots__ = ()
    _dtype_name = "complex128"
    _builtin = complex

    def __new__(cls, real=0.0, imag=None):
        if imag is None:
            if _array_like(real):
                return _oxnp.array(real, dtype=cls)
            return complex.__new__(cls, real)
        return complex.__new__(cls, real, imag)

    __hash__ = complex.__hash__
    real = property(lambda self: float64(complex.real.__get__(self)))
    imag = property(lambda self: float64(complex.imag.__get__(self)))

    def conjugate(self):
        return complex128(complex.conjugate(self))


class bool(_ScalarBase, generic):
    __slots__ = ()

    def __new__(cls, value=False):
        if _array_like(value):
            return _oxnp.array(value, dtype=cls)
        return True_ if value else False_


class int8(_ScalarBase, signedinteger):
    __slots__ = ()


class uint8(_ScalarBase, unsignedinteger):
    __slots__ = ()


class int16(_ScalarBase, signedinteger):
    __slots__ = ()


class uint16(_ScalarBase, unsignedinteger):
    __slots__ = ()


class int32(_ScalarBase, signedinteger):
    __slots__ = ()


class uint32(_ScalarBase, unsignedinteger):
    __slots__ = ()


class int64(_ScalarBase, signedinteger):
    __slots__ = ()


class uint64(_ScalarBase, unsignedinteger):
    __slots__ = ()


class float16(_ScalarBase, floating):
    __slots__ = ()


class float32(_ScalarBase, floating):
    __slots__ = ()


class complex64(_ScalarBase, complexfloating):
    __slots__ = ()


def _via_array(name):
    """A NumPy scalar answers an array method through a 0-d array; 0-d results come back
    as scalars."""

    def method(self, *args, **kwargs):
        out = getattr(_oxnp._array_from_py(self), name)(*args, **kwargs)
        return out[()] if isinstance(out, _oxnp.ndarray) and out.ndim == 0 else out

    method.__name__ = name
    return method


for _name in ("copy", "reshape", "ravel", "flatten", "transpose", "squeeze", "swapaxes",
              "all", "any", "argmax", "argmin", "argsort", "byteswap", "choose", "clip",
              "compress", "conj", "cumprod", "cumsum", "diagonal", "max", "mean", "min",
              "nonzero", "prod", "repeat", "round", "searchsorted", "std", "sum", "take",
              "tobytes", "trace", "var"):
    setattr(generic, _name, _via_array(_name))
# As in NumPy, so that numbers-based checks (``isinstance(x, numbers.Real)``, NumPy's own
# ``isscalar``) see oxnp's scalars.
numbers.Integral.register(integer)
numbers.Complex.register(inexact)
numbers.Real.register(floating)
numbers.Number.register(number)

generic.T = property(lambda self: self)
generic.strides = property(lambda self: ())
generic.base = property(lambda self: None)


_CONCRETE = (bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64,
             float16, float32, float64, complex64, complex128)

for _cls in _CONCRETE + (generic, number, integer, signedinteger, unsignedinteger, inexact,
                         floating, complexfloating):
    _cls.__module__ = "oxnp"

_oxnp._register_scalar_types(list(_CONCRETE), generic)
True_ = _oxnp._ScalarBase.__new__(bool, True)
False_ = _oxnp._ScalarBase.__new__(bool, False)
bool_ = bool

# NumPy's C-named aliases (Linux x86-64 sizes).
byte, ubyte = int8, uint8
short, ushort = int16, uint16
intc, uintc = int32, uint32
int_ = intp = long = longlong = int64
uint = uintp = ulong = ulonglong = uint64
half, single, double = float16, float32, float64
csingle, cdouble = complex64, complex128

del _cls, _name, _uf, _op, _rop
