"""NumPy's numeric namespace composed from the Rust primitives and ufuncs: closeness and
equality tests (isclose, allclose, array_equal, ...), the type checks (real, imag, iscomplex,
real_if_close, ...), convolve/correlate, diagflat/vander/mask_indices, base_repr/binary_repr,
packbits/unpackbits, unstack/concat/astype/require, and the ndarray methods ``x in a`` and
``a.setflags``. Each follows NumPy's own formula step by step, so results carry NumPy's bits."""

import builtins
import math
import numbers
import operator
import warnings

from . import _oxnp as _x
from ._dtypes import ScalarType, finfo
from ._manip import _normalize_axis
from ._oxnp import (
    absolute, add, arange, array, asanyarray, asarray, broadcast_shapes, concatenate, empty,
    empty_like, isfinite, isinf, isnan, less_equal, logical_and, moveaxis, multiply, ndarray,
    nonzero, ones, promote_types, signbit, subtract, trunc, zeros,
)
from ._oxnp import all as _all
from ._oxnp import can_cast as _can_cast
from ._oxnp import result_type as _result_type
from ._scalars import generic
from ._ufuncs import geterr

concat = concatenate


def _unwrap0(r):
    """NumPy's ``result[()]``: a 0-d array becomes its scalar; scalars pass through."""
    return r[()] if isinstance(r, ndarray) and r.ndim == 0 else r


# ---------------------------------------------------------------- closeness and equality

def isclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    # Python scalars stay weak; everything else becomes an array.
    x, y, atol, rtol = (v if isinstance(v, (int, float, complex)) else asanyarray(v)
                        for v in (a, b, atol, rtol))
    # y becomes inexact (abs(MIN_INT) would overflow); x follows by promotion.
    if getattr(y, "dtype", None) is not None:
        y = asanyarray(y, dtype=_result_type(y, 1.))
    elif isinstance(y, int):
        y = float(y)
    if not (_finite_tolerance(atol) and _finite_tolerance(rtol)):
        mode = geterr()["invalid"]
        msg = f"One of rtol or atol is not valid, atol: {atol}, rtol: {rtol}"
        if mode == "warn":
            warnings.warn(msg, RuntimeWarning, stacklevel=2)
        elif mode == "raise":
            raise FloatingPointError(msg)
        elif mode == "print":
            print(msg)
    old_mode = _x._geterrmode()  # errstate(invalid="ignore"), without its Python overhead
    _x._seterrmode(old_mode & ~_INVALID_MODE_BITS)
    try:
        result = (less_equal(abs(x - y), atol + rtol * abs(y)) & isfinite(y)) | (x == y)
        if equal_nan:
            result = result | (isnan(x) & isnan(y))
    finally:
        _x._seterrmode(old_mode)
    return _unwrap0(result)


_INVALID_MODE_BITS = 0xF << 12  # the 'invalid' nibble of the Rust error mode; 0 = ignore


def _finite_tolerance(t):
    if type(t) is float or type(t) is int:
        return math.isfinite(t)
    return builtins.bool(_all(isfinite(t)))


def allclose(a, b, rtol=1.e-5, atol=1.e-8, equal_nan=False):
    return builtins.bool(_all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def array_equal(a1, a2, equal_nan=False):
    try:
        a1, a2 = asarray(a1), asarray(a2)
    except Exception:  # noqa: BLE001 - NumPy answers False for anything not array-like
        return False
    if a1.shape != a2.shape:
        return False
    if not equal_nan:
        return builtins.bool(asanyarray(a1 == a2).all())
    if a1 is a2:
        return True
    if a1.dtype.kind in "biu" and a2.dtype.kind in "biu":
        return builtins.bool(asarray(a1 == a2).all())
    a1, a2 = a1.ravel(), a2.ravel()  # same shapes; 1-d keeps the boolean masks arrays
    n1, n2 = isnan(a1), isnan(a2)
    if not _all(n1 == n2):
        return False
    keep = ~n1
    return builtins.bool(_all(a1[keep] == a2[keep]))


def array_equiv(a1, a2):
    try:
        a1, a2 = asarray(a1), asarray(a2)
    except Exception:  # noqa: BLE001
        return False
    try:
        broadcast_shapes(a1.shape, a2.shape)
    except Exception:  # noqa: BLE001
        return False
    return builtins.bool(asanyarray(a1 == a2).all())


_ALL_FLOAT_CHARS = "efdgFDG"


def asarray_chkfinite(a, dtype=None, order=None):
    a = asarray(a, dtype=dtype, order=order)
    if a.dtype.char in _ALL_FLOAT_CHARS and not _all(isfinite(a)):
        raise ValueError("array must not contain infs or NaNs")
    return a


# ---------------------------------------------------------------- type checks

def real(val):
    try:
        return val.real
    except AttributeError:
        return asanyarray(val).real


def imag(val):
    try:
        return val.imag
    except AttributeError:
        return asanyarray(val).imag


def angle(z, deg=False):
    z = asanyarray(z)
    if z.dtype.kind == "c":
        zimag, zreal = z.imag, z.real
    else:
        zimag, zreal = 0, z
    a = _x.arctan2(zimag, zreal)
    if deg:
        a *= 180 / 3.141592653589793
    return a


def iscomplex(x):
    ax = asanyarray(x)
    if ax.dtype.kind == "c":
        return ax.imag != 0
    return _unwrap0(zeros(ax.shape, bool))


def isreal(x):
    return imag(x) == 0


def _kind_of(x):
    try:
        dt = x.dtype
    except AttributeError:
        return asarray(x).dtype.kind
    return getattr(dt, "kind", None) or asarray(x).dtype.kind


def iscomplexobj(x):
    return _kind_of(x) == "c"


def isrealobj(x):
    return not iscomplexobj(x)


def real_if_close(a, tol=100):
    a = asanyarray(a)
    if a.dtype.kind != "c":
        return a
    if tol > 1:
        tol = finfo(a.dtype).eps * tol
    if _all(absolute(a.imag) < tol):
        a = a.real
    return a


def isfortran(a):
    if isinstance(a, generic):  # NumPy's scalars carry flags, all False for fnc
        return False
    return a.flags.fnc


def _inf_sign(x, out, negative):
    is_inf = isinf(x)
    try:
        sb = signbit(x)
    except TypeError as e:
        dt = asanyarray(x).dtype
        raise TypeError(f"This operation is not supported for {dt} values because it would "
                        "be ambiguous.") from e
    if not negative:
        sb = ~sb
    return logical_and(is_inf, sb, out)


def isposinf(x, out=None):
    return _inf_sign(x, out, False)


def isneginf(x, out=None):
    return _inf_sign(x, out, True)


def isscalar(element):
    return (isinstance(element, generic) or type(element) in ScalarType
            or isinstance(element, numbers.Number))


def iterable(y):
    try:
        iter(y)
    except TypeError:
        return False
    return True


def fix(x, out=None):
    return trunc(x, out=out)


# ---------------------------------------------------------------- convolve / correlate

_MODES = {"valid": 0, "same": 1, "full": 2}


def _mode_index(mode):
    if isinstance(mode, str):
        if mode in _MODES:
            return _MODES[mode]
        if mode[:1].lower() in ("v", "s", "f"):
            raise ValueError("Use one of 'valid', 'same', or 'full' for convolve/correlate mode")
        raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")
    if isinstance(mode, (bool, float, complex)) or not hasattr(mode, "__index__"):
        raise TypeError("convolve/correlate mode not understood")
    mode = operator.index(mode)
    if mode not in (0, 1, 2):
        raise ValueError("integer convolve/correlate mode must be 0, 1, or 2")
    return mode


def _as_1d(v):
    v = asarray(v)
    if v.ndim < 1:
        raise ValueError("object of too small depth for desired array")
    if v.ndim > 1:
        raise ValueError("object too deep for desired array")
    return v


def _correlate_core(a, v, mode):
    """NumPy's ``_pyarray_correlate``: out[k] = sum_j a[k - n_left + j] * v[j] over the j that
    stay inside `a`, with len(a) >= len(v). Vectorised over k: one shifted slice of `a` per
    element of the shorter `v`, accumulated in order j = 0, 1, ... as NumPy's dot does.
    Integer results are exact (modular sums do not depend on order), and so are float16 ones
    (NumPy's half dot is the same in-order float32 loop); float32/float64/complex sums can
    differ from NumPy's BLAS dot in the last bits."""
    n1, n2 = a.shape[0], v.shape[0]
    if mode == 0:
        n_left, length = 0, n1 - n2 + 1
    elif mode == 1:
        n_left, length = n2 // 2, n1
    else:
        n_left, length = n2 - 1, n1 + n2 - 1
    dt = a.dtype
    if dt.kind == "b":
        out = zeros(length, bool)
        for j in range(n2):
            # a[i] * v[j] lands at output k = i + n_left - j.
            lo = builtins.max(0, j - n_left)
            hi = builtins.min(n1, length + j - n_left)
            if hi > lo:
                o = out[lo + n_left - j:hi + n_left - j]
                o |= a[lo:hi] & v[j]
        return out
    acc_dt = "float32" if dt == "float16" else dt  # NumPy's half dot sums in float
    a_acc = a.astype(acc_dt) if acc_dt != dt else a
    v_acc = v.astype(acc_dt) if acc_dt != dt else v
    out = zeros(length, acc_dt)
    tmp = empty(n1, acc_dt)
    vals = [v_acc[j] for j in range(n2)]
    for j in range(n2):
        lo = builtins.max(0, j - n_left)
        hi = builtins.min(n1, length + j - n_left)
        if hi <= lo:
            continue
        t = tmp[:hi - lo]
        multiply(a_acc[lo:hi], vals[j], out=t)
        o = out[lo + n_left - j:hi + n_left - j]
        add(o, t, out=o)
    return out.astype(dt) if acc_dt != dt else out


def _correlate(a, v, mode, conj_second):
    a, v = _as_1d(a), _as_1d(v)
    mode = _mode_index(mode)
    dt = promote_types(a.dtype, v.dtype)
    if a.dtype != dt:
        a = a.astype(dt)
    if v.dtype != dt:
        v = v.astype(dt)
    if a.shape[0] == 0:
        raise ValueError("first array argument cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("second array argument cannot be empty")
    if conj_second and dt.kind == "c":
        v = v.conjugate()
    if a.shape[0] < v.shape[0]:
        # NumPy swaps so the longer comes first, then reverses the result.
        return _correlate_core(v, a, mode)[::-1].copy()
    return _correlate_core(a, v, mode)


def correlate(a, v, mode="valid"):
    return _correlate(a, v, mode, True)


def convolve(a, v, mode="full"):
    a, v = array(a, copy=None, ndmin=1), array(v, copy=None, ndmin=1)
    if len(a) == 0:
        raise ValueError("a cannot be empty")
    if len(v) == 0:
        raise ValueError("v cannot be empty")
    if len(v) > len(a):
        a, v = v, a
    return _correlate(a, v[::-1], mode, False)


def ediff1d(ary, to_end=None, to_begin=None):
    ary = asanyarray(ary).ravel()
    dtype_req = ary.dtype
    if to_begin is None and to_end is None:
        return ary[1:] - ary[:-1]
    extras = []
    for name, extra in (("to_begin", to_begin), ("to_end", to_end)):
        if extra is None:
            extras.append(None)
            continue
        extra = asanyarray(extra)
        if not _can_cast(extra.dtype, dtype_req, casting="same_kind"):
            raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the "
                            "`same_kind` rule.")
        extras.append(extra.ravel())
    to_begin, to_end = extras
    l_begin = 0 if to_begin is None else len(to_begin)
    l_end = 0 if to_end is None else len(to_end)
    l_diff = builtins.max(len(ary) - 1, 0)
    result = empty_like(ary, shape=l_diff + l_begin + l_end)
    if l_begin > 0:
        result[:l_begin] = to_begin
    if l_end > 0:
        result[l_begin + l_diff:] = to_end
    subtract(ary[1:], ary[:-1], result[l_begin:l_begin + l_diff])
    return result


# ---------------------------------------------------------------- two-dimensional helpers

def diagflat(v, k=0):
    v = asarray(v).ravel()
    s = v.shape[0]
    n = s + builtins.abs(k)
    res = zeros((n, n), v.dtype)
    if s:
        i = arange(s)
        if k >= 0:
            res[i, i + k] = v
        else:
            res[i - k, i] = v
    return res


def vander(x, N=None, increasing=False):
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    if N is None:
        N = len(x)
    v = empty((len(x), N), dtype=promote_types(x.dtype, "int64"))
    tmp = v if increasing else v[:, ::-1]
    if N > 0:
        tmp[:, 0] = 1
    if N > 1:
        tmp[:, 1:] = x[:, None]
        multiply.accumulate(tmp[:, 1:], out=tmp[:, 1:], axis=1)
    return v


def mask_indices(n, mask_func, k=0):
    m = ones((n, n), int)
    a = mask_func(m, k)
    return nonzero(a != 0)


# ---------------------------------------------------------------- number representations

def binary_repr(num, width=None):
    def check(binwidth):
        if width is not None and width < binwidth:
            raise ValueError(f"Insufficient bit width={width!r} provided for "
                             f"binwidth={binwidth!r}")

    num = operator.index(num)
    if num == 0:
        return "0" * (width or 1)
    if num > 0:
        digits = f"{num:b}"
        check(len(digits))
        return digits.zfill(len(digits) if width is None else builtins.max(len(digits), width))
    if width is None:
        return f"-{-num:b}"
    poswidth = len(f"{-num:b}")
    if 2 ** (poswidth - 1) == -num:
        poswidth -= 1
    digits = f"{2 ** (poswidth + 1) + num:b}"
    check(len(digits))
    return "1" * (builtins.max(len(digits), width) - len(digits)) + digits


_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base_repr(number, base=2, padding=0):
    if base > len(_DIGITS):
        raise ValueError("Bases greater than 36 not handled in base_repr.")
    if base < 2:
        raise ValueError("Bases less than 2 not handled in base_repr.")
    num = builtins.abs(int(number))
    out = []
    while num:
        out.append(_DIGITS[num % base])
        num //= base
    if padding:
        out.append("0" * padding)
    if number < 0:
        out.append("-")
    return "".join(reversed(out or "0"))


# ---------------------------------------------------------------- packbits / unpackbits

def _bitorder(bitorder):
    if bitorder not in ("big", "little"):
        raise ValueError("'order' must be either 'little' or 'big'")
    return bitorder == "big"


def packbits(a, /, axis=None, bitorder="big"):
    a = asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("Expected an input array of integer or boolean data type")
    big = _bitorder(bitorder)
    if axis is None or a.ndim == 0:
        a = a.ravel()
    if axis is None:
        axis = 0
    axis = _normalize_axis(axis, a.ndim)
    a = moveaxis(a, axis, -1)
    n = a.shape[-1]
    nbytes = (n + 7) // 8
    bits = zeros(a.shape[:-1] + (nbytes * 8,), "uint8")
    bits[..., :n] = a != 0
    bits = bits.reshape(a.shape[:-1] + (nbytes, 8))
    weights = array([128, 64, 32, 16, 8, 4, 2, 1] if big else [1, 2, 4, 8, 16, 32, 64, 128],
                    dtype="uint8")
    packed = (bits * weights).sum(axis=-1, dtype="uint8")
    return moveaxis(packed, -1, axis)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    a = asarray(a)
    if a.dtype != "uint8":
        raise TypeError("Expected an input array of unsigned byte data type")
    big = _bitorder(bitorder)
    if axis is None or a.ndim == 0:
        a = a.ravel()
    if axis is None:
        axis = 0
    axis = _normalize_axis(axis, a.ndim)
    if count is not None:
        count = operator.index(count)
    a = moveaxis(a, axis, -1)
    n = a.shape[-1] * 8
    shifts = array([7, 6, 5, 4, 3, 2, 1, 0] if big else [0, 1, 2, 3, 4, 5, 6, 7], dtype="uint8")
    bits = ((a[..., None] >> shifts) & 1).astype("uint8")
    bits = bits.reshape(a.shape[:-1] + (n,))
    if count is not None:
        if count < 0:
            if -count > n:
                raise ValueError("-count larger than number of elements")
            bits = bits[..., :n + count]
        elif count <= n:
            bits = bits[..., :count]
        else:
            wide = zeros(a.shape[:-1] + (count,), "uint8")
            wide[..., :n] = bits
            bits = wide
    return moveaxis(bits, -1, axis).copy()


# ---------------------------------------------------------------- array-API helpers

def unstack(x, /, *, axis=0):
    if x.ndim == 0:
        raise ValueError("Input array must be at least 1-d.")
    return tuple(moveaxis(x, axis, 0))


def astype(x, dtype, /, *, copy=True, device=None):
    if not (isinstance(x, ndarray) or isscalar(x)):
        raise TypeError(f"Input should be a NumPy array or scalar. It is a {type(x)} instead.")
    if device is not None and device != "cpu":
        raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')
    if isinstance(x, generic):
        return x.astype(dtype)  # a scalar is always a new object
    return x.astype(dtype, copy=copy)


_POSSIBLE_FLAGS = {
    "C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C",
    "F": "F", "F_CONTIGUOUS": "F", "FORTRAN": "F",
    "A": "A", "ALIGNED": "A",
    "W": "W", "WRITEABLE": "W",
    "O": "O", "OWNDATA": "O",
    "E": "E", "ENSUREARRAY": "E",
}


def require(a, dtype=None, requirements=None, *, like=None):
    if not requirements:
        return asanyarray(a, dtype=dtype)
    req = {_POSSIBLE_FLAGS[r.upper()] for r in requirements}
    req.discard("E")  # oxnp has no ndarray subclasses: every result is a base-class array
    order = "A"
    if req >= {"C", "F"}:
        raise ValueError('Cannot specify both "C" and "F" order')
    if "F" in req:
        order = "F"
        req.remove("F")
    elif "C" in req:
        order = "C"
        req.remove("C")
    arr = array(a, dtype=dtype, order=order, copy=None)
    for prop in req:
        if not arr.flags[prop]:
            return arr.copy(order)
    return arr


# ---------------------------------------------------------------- ndarray methods

def _contains(self, value):
    """``value in a``: NumPy's ``(a == value).any()``."""
    return builtins.bool(asanyarray(self == value).any())


def _setflags(self, write=None, align=None, uic=None):
    # NumPy checks align, then uic, then write. oxnp arrays are always aligned; asking for
    # align=False is accepted and changes nothing.
    if uic is not None and uic:
        raise ValueError("cannot set WRITEBACKIFCOPY flag to True")
    if write is not None:
        self.flags.writeable = builtins.bool(write)


__all__ = [
    "allclose", "angle", "array_equal", "array_equiv", "asarray_chkfinite", "astype",
    "base_repr", "binary_repr", "concat", "convolve", "correlate", "diagflat", "fix", "imag",
    "iscomplex", "iscomplexobj", "isclose", "isfortran", "isneginf", "isposinf", "isreal",
    "isrealobj", "isscalar", "iterable", "mask_indices", "packbits", "real", "real_if_close",
    "require", "unpackbits", "unstack", "vander", "ediff1d",
]
