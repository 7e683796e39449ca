"""``oxnp.emath`` (NumPy's ``numpy.emath`` / ``numpy.lib.scimath``): math functions whose
results are complex where the real function's domain ends — sqrt/log of negative numbers,
arcsin/arccos/arctanh beyond [-1, 1] — and real otherwise."""

from . import _oxnp as _nx
from ._oxnp import asarray

__all__ = ["sqrt", "log", "log2", "logn", "log10", "power", "arccos", "arcsin", "arctanh"]

# The dtypes whose complex counterpart is complex64; every other one goes to complex128.
_TO_COMPLEX64 = ("float32", "int8", "int16", "uint8", "uint16", "complex64")


def _tocomplex(arr):
    return arr.astype("complex64" if arr.dtype.name in _TO_COMPLEX64 else "complex128")


def _real_and(x, cond):
    """Whether some element of `x` is real (zero imaginary part) and satisfies `cond`."""
    return bool(_nx.any((x.imag == 0) & cond))


def _fix_real_lt_zero(x):
    x = asarray(x)
    if _real_and(x, x < 0):
        x = _tocomplex(x)
    return x


def _fix_int_lt_zero(x):
    x = asarray(x)
    if _real_and(x, x < 0):
        x = x * 1.0
    return x


def _fix_real_abs_gt_1(x):
    x = asarray(x)
    if _real_and(x, abs(x) > 1):
        x = _tocomplex(x)
    return x


def sqrt(x):
    return _nx.sqrt(_fix_real_lt_zero(x))


def log(x):
    return _nx.log(_fix_real_lt_zero(x))


def log10(x):
    return _nx.log10(_fix_real_lt_zero(x))


def log2(x):
    return _nx.log2(_fix_real_lt_zero(x))


def logn(n, x):
    x = _fix_real_lt_zero(x)
    n = _fix_real_lt_zero(n)
    return _nx.log(x) / _nx.log(n)


def power(x, p):
    x = _fix_real_lt_zero(x)
    p = _fix_int_lt_zero(p)
    return _nx.power(x, p)


def arccos(x):
    return _nx.arccos(_fix_real_abs_gt_1(x))


def arcsin(x):
    return _nx.arcsin(_fix_real_abs_gt_1(x))


def arctanh(x):
    return _nx.arctanh(_fix_real_abs_gt_1(x))
