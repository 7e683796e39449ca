"""Dtype helpers whose logic is about Python classes: ``finfo``, ``iinfo``, ``issubdtype``,
``isdtype``, ``common_type``, ``typename``, ``mintypecode`` and the type tables."""

import builtins
import types

from . import _oxnp, _scalars
from ._oxnp import dtype
from ._scalars import (
    complexfloating, floating, generic, inexact, integer, number, signedinteger,
    unsignedinteger,
)

_ABSTRACT = {c.__name__: c for c in (generic, number, integer, signedinteger, unsignedinteger,
                                     inexact, floating, complexfloating)}


def _scalar_class(arg):
    """`arg` as an oxnp scalar class: scalar classes stay (abstract ones included, NumPy's
    mapped to ours); anything else goes through `dtype(arg).type`."""
    if isinstance(arg, type):
        if issubclass(arg, generic):
            return arg
        if arg.__module__ == "numpy" and arg.__name__ in _ABSTRACT:
            return _ABSTRACT[arg.__name__]
    return dtype(arg).type


def issubdtype(arg1, arg2):
    return issubclass(_scalar_class(arg1), _scalar_class(arg2))


_KIND_TESTS = {
    "bool": lambda d: d.kind == "b",
    "signed integer": lambda d: d.kind == "i",
    "unsigned integer": lambda d: d.kind == "u",
    "integral": lambda d: d.kind in "iu",
    "real floating": lambda d: d.kind == "f",
    "complex floating": lambda d: d.kind == "c",
    "numeric": lambda d: d.kind in "iufc",
}


def isdtype(dtype_, kind):
    if isinstance(dtype_, type) and issubclass(dtype_, generic):
        dtype_ = dtype(dtype_)
    elif not isinstance(dtype_, dtype):
        raise TypeError(f"dtype argument must be a NumPy dtype, but it is a {type(dtype_)}.")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if isinstance(k, str):
            if k not in _KIND_TESTS:
                raise ValueError(f"kind argument is a string, but '{k}' is not a known kind name.")
            if _KIND_TESTS[k](dtype_):
                return True
        elif isinstance(k, dtype) or (isinstance(k, type) and issubclass(k, generic)):
            if dtype(k) == dtype_:
                return True
        else:
            raise TypeError("kind argument must be comprised of NumPy dtypes or strings only, "
                            f"but is a {type(k)}.")
    return False


def _dtype_of(obj):
    """The dtype of a dtype-like, or of a value (`finfo(1.0)`, `iinfo(3)`)."""
    try:
        return dtype(obj)
    except TypeError:
        return dtype(type(obj))


class finfo:
    """Machine limits of a float (or complex) dtype."""

    _cache = {}
    __class_getitem__ = classmethod(types.GenericAlias)

    def __new__(cls, dtype_):
        d = _dtype_of(dtype_)
        if d.kind not in "fc":
            raise ValueError(f"data type {d.type} not inexact")
        cached = cls._cache.get(d.name)
        if cached is not None:
            return cached
        self = super().__new__(cls)
        params = _oxnp._finfo_params(d)
        real = params["dtype"]
        for key, value in params.items():
            setattr(self, key, real.type(value) if isinstance(value, float) else value)
        cls._cache[d.name] = self
        return self

    # NumPy prints the limits with a fixed printf width per precision, not shortest digits.
    _LIMIT_FORMATS = {"float16": "%12.5e", "float32": "%15.7e", "float64": "%24.16e"}

    def _limit_text(self, value):
        return (self._LIMIT_FORMATS[self.dtype.name] % float(value)).strip()

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self._limit_text(self.min)}, "
                f"max={self._limit_text(self.max)}, dtype={self.dtype})")

    def __str__(self):
        rule = "-" * 63
        return (
            f"Machine parameters for {self.dtype}\n{rule}\n"
            f"precision = {self.precision}   resolution = {self.resolution}\n"
            f"machep = {self.machep}   eps =        {self.eps}\n"
            f"negep =  {self.negep}   epsneg =     {self.epsneg}\n"
            f"minexp = {self.minexp}   tiny =       {self.tiny}\n"
            f"maxexp = {self.maxexp}   max =        {self.max}\n"
            f"nexp =   {self.nexp}   min =        -max\n"
            f"smallest_normal = {self.smallest_normal}   "
            f"smallest_subnormal = {self.smallest_subnormal}\n{rule}\n"
        )


class iinfo:
    """Machine limits of an integer dtype."""

    __class_getitem__ = classmethod(types.GenericAlias)

    def __init__(self, int_type):
        d = _dtype_of(int_type)
        if d.kind not in "iu":
            raise ValueError(f"Invalid integer data type '{d.kind}'.")
        self.dtype, self.bits, self.min, self.max = _oxnp._iinfo_params(d)
        self.kind = d.kind

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"

    def __str__(self):
        rule = "-" * 63
        return (f"Machine parameters for {self.dtype}\n{rule}\n"
                f"min = {self.min}\nmax = {self.max}\n{rule}\n")


def common_type(*arrays):
    """The float (or complex) scalar type every input converts to without losing precision
    class: integers count as float64."""
    is_complex = False
    size = 2
    for a in arrays:
        d = a.dtype
        if d.kind in "iu":
            item = 8
        elif d.kind == "f":
            item = d.itemsize
        elif d.kind == "c":
            is_complex = True
            item = d.itemsize // 2
        else:
            raise TypeError("can't get common type for non-numeric array")
        size = builtins.max(size, item)
    if is_complex:
        return _scalars.complex128 if size == 8 else _scalars.complex64
    return {2: _scalars.float16, 4: _scalars.float32, 8: _scalars.float64}[size]


_TYPENAMES = {
    "S1": "character", "?": "bool", "b": "signed char", "B": "unsigned char", "h": "short",
    "H": "unsigned short", "i": "integer", "I": "unsigned integer", "l": "long integer",
    "L": "unsigned long integer", "q": "long long integer", "Q": "unsigned long long integer",
    "f": "single precision", "d": "double precision", "g": "long precision",
    "F": "complex single precision", "D": "complex double precision",
    "G": "complex long double precision", "S": "string", "U": "unicode", "V": "void",
    "O": "object",
}


def typename(char):
    return _TYPENAMES[char]


# Type characters from the largest element to the smallest, for `mintypecode`'s choice.
_BY_SIZE = "GDFgdfQqLlIiHhBb?"


def mintypecode(typechars, typeset="GDFgdf", default="d"):
    codes = [t if isinstance(t, str) else _dtype_of(t).char for t in typechars]
    found = {c for c in codes if c in typeset}
    if not found:
        return default
    if "F" in found and "d" in found:
        return "D"
    return builtins.min(found, key=_BY_SIZE.index)


typecodes = {
    "Character": "c", "Integer": "bhilqnp", "UnsignedInteger": "BHILQNP", "Float": "efdg",
    "Complex": "FDG", "AllInteger": "bBhHiIlLqQnNpP", "AllFloat": "efdgFDG",
    "Datetime": "Mm", "All": "?bhilqnpBHILQNPefdgFDGSUVOMm",
}

ScalarType = (int, float, complex, builtins.bool, bytes, str, memoryview) + tuple(
    dtype(c).type for c in "?FDefdbhilBHIL")

# Type names to scalar types, the keys `numpy.sctypeDict` has for these dtypes.
sctypeDict = {
    name: dtype(name).type
    for name in (
        "bool", "bool_", "byte", "cdouble", "complex", "complex128", "complex64", "csingle",
        "double", "float", "float16", "float32", "float64", "half", "int", "int16", "int32",
        "int64", "int8", "int_", "intc", "intp", "long", "longlong", "short", "single",
        "ubyte", "uint", "uint16", "uint32", "uint64", "uint8", "uintc", "uintp", "ulong",
        "ulonglong", "ushort",
    )
}
