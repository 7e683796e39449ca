"""oxnp.linalg: linear algebra. So far the norms, composed from the Rust ufuncs and
reductions step by step as NumPy's ``numpy/linalg/_linalg.py`` composes them, so each
result carries NumPy's bits (one documented exception: the ``axis=None`` 2-norm, below)."""

import operator

from .._oxnp import abs, add, asanyarray, asarray, conj, reciprocal, sqrt, transpose
from .._oxnp import ndarray
from .._scalars import complexfloating, inexact
from ..exceptions import AxisError, LinAlgError
from ._products import *  # noqa: F401,F403  (matmul, multi_dot, matrix_power, ...)

__all__ = ["LinAlgError", "matrix_norm", "norm", "vector_norm"]

_inf = float("inf")


def _normalize_axis_index(axis, ndim):
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _normalize_axis_tuple(axis, ndim):
    try:
        axis = (operator.index(axis),)
    except TypeError:
        axis = tuple(axis)
    out = tuple(_normalize_axis_index(ax, ndim) for ax in axis)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis")
    return out


def _sum_of_squares(x):
    # NumPy computes x.dot(x) here, i.e. BLAS ddot/sdot (FMA, its own summation order).
    # oxnp has no BLAS, so this is NumPy's pairwise add.reduce of x*x: equal to a few ulps,
    # not always bitwise (NumPy's own dot and add.reduce(x*x) already differ).
    return add.reduce(x * x)


def _singular_value_norm(x, row_axis, col_axis, ord):
    """Matrix norms of the singular values: largest (2), smallest (-2) or their sum ('nuc')."""
    from .._oxnp import moveaxis

    s = svdvals(moveaxis(x, (row_axis, col_axis), (-2, -1)))
    if ord == 2:
        return s.max(axis=-1, initial=0)
    if ord == -2:
        return s.min(axis=-1)
    return add.reduce(s, axis=-1)


def norm(x, ord=None, axis=None, keepdims=False):
    """Matrix or vector norm (``numpy.linalg.norm``)."""
    if not isinstance(x, ndarray) and getattr(type(x), "__array_function__", None) is not None \
            and not type(x).__module__.startswith("numpy"):  # NEP 18 (oxnp.jit's tracer)
        r = type(x).__array_function__(x, norm, (type(x),), (x,), dict(ord=ord, axis=axis, keepdims=keepdims))
        if r is not NotImplemented:
            return r
    x = asarray(x)
    if not issubclass(x.dtype.type, inexact):
        x = x.astype(float)

    if axis is None:
        ndim = x.ndim
        if (ord is None or (ord in ("f", "fro") and ndim == 2)
                or (ord == 2 and ndim == 1)):
            x = x.ravel(order="K")
            if issubclass(x.dtype.type, complexfloating):
                sqnorm = _sum_of_squares(x.real) + _sum_of_squares(x.imag)
            else:
                sqnorm = _sum_of_squares(x)
            ret = sqrt(sqnorm)
            if keepdims:
                ret = ret.reshape(ndim * [1])
            return ret

    nd = x.ndim
    if axis is None:
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception as e:
            raise TypeError(
                "'axis' must be None, an integer or a tuple of integers"
            ) from e
        axis = (axis,)

    if len(axis) == 1:
        if ord == _inf:
            return abs(x).max(axis=axis, keepdims=keepdims, initial=0)
        if ord == -_inf:
            return abs(x).min(axis=axis, keepdims=keepdims)
        if ord == 0:
            return (x != 0).astype(x.real.dtype).sum(axis=axis, keepdims=keepdims)
        if ord == 1:
            return add.reduce(abs(x), axis=axis, keepdims=keepdims)
        if ord is None or ord == 2:
            s = (conj(x) * x).real
            return sqrt(add.reduce(s, axis=axis, keepdims=keepdims))
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        absx = abs(x)
        absx **= ord
        ret = add.reduce(absx, axis=axis, keepdims=keepdims)
        ret **= reciprocal(ord, dtype=ret.dtype)
        return ret

    if len(axis) == 2:
        row_axis, col_axis = axis
        row_axis = _normalize_axis_index(row_axis, nd)
        col_axis = _normalize_axis_index(col_axis, nd)
        if row_axis == col_axis:
            raise ValueError("Duplicate axes given.")
        if ord == 2 or ord == -2:
            ret = _singular_value_norm(x, row_axis, col_axis, ord)
        elif ord == 1:
            if col_axis > row_axis:
                col_axis -= 1
            ret = add.reduce(abs(x), axis=row_axis).max(axis=col_axis, initial=0)
        elif ord == _inf:
            if row_axis > col_axis:
                row_axis -= 1
            ret = add.reduce(abs(x), axis=col_axis).max(axis=row_axis, initial=0)
        elif ord == -1:
            if col_axis > row_axis:
                col_axis -= 1
            ret = add.reduce(abs(x), axis=row_axis).min(axis=col_axis)
        elif ord == -_inf:
            if row_axis > col_axis:
                row_axis -= 1
            ret = add.reduce(abs(x), axis=col_axis).min(axis=row_axis)
        elif ord in [None, "fro", "f"]:
            ret = sqrt(add.reduce((conj(x) * x).real, axis=axis))
        elif ord == "nuc":
            ret = _singular_value_norm(x, row_axis, col_axis, ord)
        else:
            raise ValueError("Invalid norm order for matrices.")
        if keepdims:
            ret_shape = list(x.shape)
            ret_shape[axis[0]] = 1
            ret_shape[axis[1]] = 1
            ret = ret.reshape(ret_shape)
        return ret

    raise ValueError("Improper number of dimensions to norm.")


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """Norm of the matrix (or stack of matrices) in the last two axes of `x`."""
    x = asanyarray(x)
    return norm(x, axis=(-2, -1), keepdims=keepdims, ord=ord)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """Vector norm of `x` over `axis` (any number of axes; all of them when None)."""
    x = asanyarray(x)
    shape = list(x.shape)
    if axis is None:
        x = x.ravel()
        _axis = 0
    elif isinstance(axis, tuple):
        # The named axes go first and are flattened into one, so that `norm` sees a
        # single vector axis whatever their number.
        normalized_axis = _normalize_axis_tuple(axis, x.ndim)
        rest = tuple(i for i in range(x.ndim) if i not in normalized_axis)
        newshape = axis + rest
        n = 1
        for i in axis:
            n *= x.shape[i]
        x = transpose(x, newshape).reshape((n, *[x.shape[i] for i in rest]))
        _axis = 0
    else:
        _axis = axis

    res = norm(x, axis=_axis, ord=ord)

    if keepdims:
        _axis = _normalize_axis_tuple(
            range(len(shape)) if axis is None else axis, len(shape)
        )
        for i in _axis:
            shape[i] = 1
        res = res.reshape(tuple(shape))

    return res


from ._decomp import *  # noqa: E402,F401,F403  (decompositions, solvers: _decomp.py)
