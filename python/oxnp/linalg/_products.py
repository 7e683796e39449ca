"""The product functions of ``numpy.linalg``: matmul, vecdot, outer, cross, multi_dot,
matrix_power, tensordot, trace, diagonal, matrix_transpose. Thin layers over the main
namespace's products, with NumPy's linalg-specific checks and messages."""

import operator

from .._oxnp import asanyarray, dot, empty_like, matmul as _core_matmul
from ..exceptions import LinAlgError

__all__ = [
    "cross", "diagonal", "matmul", "matrix_power", "matrix_transpose", "multi_dot", "outer",
    "tensordot", "trace", "vecdot",
]


def _assert_2d(*arrays):
    for a in arrays:
        if a.ndim != 2:
            raise LinAlgError("%d-dimensional array given. Array must be two-dimensional" % a.ndim)


def _assert_stacked_square(*arrays):
    for a in arrays:
        try:
            m, n = a.shape[-2:]
        except ValueError:
            raise LinAlgError("%d-dimensional array given. Array must be at least two-dimensional" % a.ndim)
        if m != n:
            raise LinAlgError("Last 2 dimensions of the array must be square")


def matmul(x1, x2, /):
    """``numpy.linalg.matmul``: ``matmul`` without the ufunc keywords."""
    return _core_matmul(x1, x2)


def vecdot(x1, x2, /, *, axis=-1):
    from .._products import vecdot as _vecdot
    return _vecdot(x1, x2, axis=axis)


def tensordot(x1, x2, /, *, axes=2):
    from .._products import tensordot as _tensordot
    return _tensordot(x1, x2, axes=axes)


def outer(x1, x2, /):
    """Outer product of two 1-D vectors."""
    from .._manip import outer as _outer
    x1 = asanyarray(x1)
    x2 = asanyarray(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(
            f"Input arrays must be one-dimensional, but they are x1.ndim={x1.ndim!r} and x2.ndim={x2.ndim!r}.")
    return _outer(x1, x2, out=None)


def cross(x1, x2, /, *, axis=-1):
    """Cross product of (arrays of) 3-vectors."""
    from .._products import cross as _cross
    x1 = asanyarray(x1)
    x2 = asanyarray(x2)
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError(
            "Both input arrays must be (arrays of) 3-dimensional vectors, but they are "
            f"{x1.shape[axis]} and {x2.shape[axis]} dimensional instead.")
    return _cross(x1, x2, axis=axis)


def diagonal(x, /, *, offset=0):
    from .._manip import diagonal as _diagonal
    return _diagonal(x, offset, axis1=-2, axis2=-1)


def trace(x, /, *, offset=0, dtype=None):
    from .._manip import trace as _trace
    return _trace(x, offset, axis1=-2, axis2=-1, dtype=dtype)


def matrix_transpose(x, /):
    from .. import matrix_transpose as _mt
    return _mt(x)


def matrix_power(a, n):
    """``a`` raised to the integer power ``n`` by repeated squaring (``inv`` for n < 0)."""
    from .. import eye
    a = asanyarray(a)
    _assert_stacked_square(a)
    try:
        n = operator.index(n)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    fmatmul = _core_matmul
    if n == 0:
        a = empty_like(a)
        a[...] = eye(a.shape[-2], dtype=a.dtype)
        return a
    elif n < 0:
        from . import inv  # another module of linalg; imported when first needed
        a = inv(a)
        n = abs(n)
    if n == 1:
        return a
    elif n == 2:
        return fmatmul(a, a)
    elif n == 3:
        return fmatmul(fmatmul(a, a), a)
    z = result = None
    while n > 0:
        z = a if z is None else fmatmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else fmatmul(result, z)
    return result


def multi_dot(arrays, *, out=None):
    """Chained dot products in the cheapest association order (NumPy's chain DP)."""
    from .. import atleast_2d
    n = len(arrays)
    if n < 2:
        raise ValueError("Expecting at least two arrays.")
    elif n == 2:
        return dot(arrays[0], arrays[1], out=out)
    arrays = [asanyarray(a) for a in arrays]
    ndim_first, ndim_last = arrays[0].ndim, arrays[-1].ndim
    if arrays[0].ndim == 1:
        arrays[0] = atleast_2d(arrays[0])
    if arrays[-1].ndim == 1:
        arrays[-1] = atleast_2d(arrays[-1]).T
    _assert_2d(*arrays)
    if n == 3:
        result = _multi_dot_three(arrays[0], arrays[1], arrays[2], out=out)
    else:
        order = _multi_dot_matrix_chain_order(arrays)
        result = _multi_dot(arrays, order, 0, n - 1, out=out)
    if ndim_first == 1 and ndim_last == 1:
        return result[0, 0]
    elif ndim_first == 1 or ndim_last == 1:
        return result.ravel()
    return result


def _multi_dot_three(A, B, C, out=None):
    a0, a1b0 = A.shape
    b1c0, c1 = C.shape
    cost1 = a0 * b1c0 * (a1b0 + c1)
    cost2 = a1b0 * c1 * (a0 + b1c0)
    if cost1 < cost2:
        return dot(dot(A, B), C, out=out)
    return dot(A, dot(B, C), out=out)


def _multi_dot_matrix_chain_order(arrays):
    n = len(arrays)
    p = [a.shape[0] for a in arrays] + [arrays[-1].shape[1]]
    m = [[0.0] * n for _ in range(n)]
    s = [[0] * n for _ in range(n)]
    for l in range(1, n):  # noqa: E741
        for i in range(n - l):
            j = i + l
            m[i][j] = float("inf")
            for k in range(i, j):
                q = m[i][k] + m[k + 1][j] + float(p[i] * p[k + 1] * p[j + 1])
                if q < m[i][j]:
                    m[i][j] = q
                    s[i][j] = k
    return s


def _multi_dot(arrays, order, i, j, out=None):
    if i == j:
        return arrays[i]
    return dot(_multi_dot(arrays, order, i, order[i][j]), _multi_dot(arrays, order, order[i][j] + 1, j), out=out)
