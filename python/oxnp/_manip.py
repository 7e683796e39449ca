"""Array manipulation and selection functions composed from the Rust primitives
(``concatenate``, ``_where3``, ``nonzero``, ``_take``, ``_diagonal_view``) and the ufuncs."""

import builtins
import functools
import itertools
import math
import operator

from . import _oxnp as _x
from ._oxnp import (
    add, arange, array, asarray, atleast_1d, atleast_2d, atleast_3d, broadcast_arrays,
    broadcast_to, concatenate, copyto, empty, equal, expand_dims, greater_equal, isinf, isnan,
    less_equal, maximum, minimum, multiply, ndarray, nonzero, not_equal, ones, reshape, rint,
    subtract, true_divide, zeros,
)
from ._oxnp import result_type as _result_type
from ._scalars import bool_ as _bool_scalar, complexfloating, integer as _integer_scalar
from ._subclass import keeps_class
from .exceptions import AxisError

_NoValue = object()


def _normalize_axis(axis, ndim, argname=None):
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"'{type(axis).__name__}' object cannot be interpreted as an integer")
    if axis < -ndim or axis >= ndim:
        prefix = f"{argname}: " if argname else ""
        raise AxisError(f"{prefix}axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim if ndim else 0


def _any(x):
    return nonzero(asarray(x).ravel())[0].size > 0


def _index_array(obj):
    """Indices as NumPy reads them: Python floats (not float arrays) truncate to int."""
    if isinstance(obj, ndarray):
        if obj.dtype.kind in "fc":
            raise TypeError(f"Cannot cast array data from dtype('{obj.dtype}') to dtype('int64') "
                            f"according to the rule 'same_kind'")
        return obj
    a = asarray(obj)
    if a.dtype.kind == "f":
        return a.astype("int64")
    return a


def _scalar_out(res):
    return res[()] if res.ndim == 0 else res


# ---------------------------------------------------------------- joining

def _stack_sequence(arrays):
    """NumPy refuses iterators (generators) here: only indexable sequences may be stacked."""
    if not hasattr(arrays, "__getitem__"):
        raise TypeError('arrays to stack must be passed as a "sequence" type such as list or '
                        'tuple.')
    return arrays


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    arrays = [asarray(a) for a in _stack_sequence(arrays)]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        raise ValueError("all input arrays must have the same shape")
    axis = _normalize_axis(axis, arrays[0].ndim + 1)
    expanded = [expand_dims(a, axis) for a in arrays]
    return concatenate(expanded, axis=axis, out=out, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    arrs = [atleast_2d(a) for a in _stack_sequence(tup)]
    return concatenate(arrs, 0, dtype=dtype, casting=casting)


row_stack = vstack


def hstack(tup, *, dtype=None, casting="same_kind"):
    arrs = [atleast_1d(a) for a in _stack_sequence(tup)]
    if arrs and arrs[0].ndim == 1:
        return concatenate(arrs, 0, dtype=dtype, casting=casting)
    return concatenate(arrs, 1, dtype=dtype, casting=casting)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in _stack_sequence(tup)], 2)


def column_stack(tup):
    arrs = []
    for v in _stack_sequence(tup):
        a = asarray(v)
        if a.ndim < 2:
            a = atleast_2d(a).T
        arrs.append(a)
    return concatenate(arrs, 1)


def _block_index_text(index):
    return "arrays" + "".join(f"[{i}]" for i in index if i is not None)


def _block_depth(arrays, index=()):
    """(index of a bottom element, max ndim of the leaves, leaves' layouts (C, F) as lists).
    An empty list's index ends with None; the last empty list at a level is the one
    reported."""
    if isinstance(arrays, builtins.tuple):
        raise TypeError(
            f"{_block_index_text(index)} is a tuple. Only lists can be used to arrange blocks, "
            f"and np.block does not allow implicit conversion from tuple to ndarray."
        )
    if isinstance(arrays, list):
        if not arrays:
            return index + (None,), 0, []
        first, max_ndim, leaves = _block_depth(arrays[0], index + (0,))
        for i in range(1, len(arrays)):
            sub, ndim, sub_leaves = _block_depth(arrays[i], index + (i,))
            if len(sub) != len(first):
                raise ValueError(
                    f"List depths are mismatched. First element was at depth {len(first)}, but "
                    f"there is an element at depth {len(sub)} ({_block_index_text(sub)})"
                )
            if sub[-1] is None:
                first = sub
            max_ndim = builtins.max(max_ndim, ndim)
            leaves += sub_leaves
        return first, max_ndim, leaves
    a = asarray(arrays)
    return index, a.ndim, [(a.flags.c_contiguous, a.flags.f_contiguous)]


def block(arrays):
    bottom, max_ndim, leaves = _block_depth(arrays)
    if bottom and bottom[-1] is None:
        raise ValueError(f"List at {_block_index_text(bottom)} cannot be empty")
    depth = len(bottom)
    ndim = builtins.max(depth, max_ndim)

    def rec(x, level):
        if level == depth:
            a = asarray(x)
            return reshape(a, (1,) * (ndim - a.ndim) + a.shape)
        parts = [rec(v, level + 1) for v in x]
        return concatenate(parts, axis=-(depth - level))

    if depth == 0:
        return array(arrays, copy=True, ndmin=0) if isinstance(arrays, ndarray) else asarray(arrays).copy()
    res = rec(arrays, 0)
    # like NumPy, Fortran order when every block is F- but not all are C-contiguous
    if all(f for _, f in leaves) and not all(c for c, _ in leaves):
        res = _x.asfortranarray(res)
    return res


# ---------------------------------------------------------------- selection

def where(condition, x=_NoValue, y=_NoValue):
    if x is not _NoValue and y is not _NoValue:
        res = _x._where_fast(condition, x, y)
        if res is not None:
            return res
    if not (type(condition) is ndarray and type(x) is ndarray and type(y) is ndarray):
        from ._reductions import _array_function
        args = (condition,) if x is _NoValue else (condition, x, y)
        r = _array_function("where", args, args, {})
        if r is not NotImplemented:
            return r
    if x is _NoValue and y is _NoValue:
        return nonzero(condition)
    if x is _NoValue or y is _NoValue:
        raise ValueError("either both or neither of x and y should be given")
    x, y = _promotion_operands(x, y)
    dt = _result_type(x, y)
    # NumPy converts each operand on its own and then casts (an int below a uint8 wraps).
    return _x._where3(condition, asarray(x).astype(dt, copy=False), asarray(y).astype(dt, copy=False))


def _promotion_operands(*values):
    """Operands for result_type: Python numbers stay weak, arrays and scalars as they are,
    and other array-likes (lists, tuples) become arrays."""
    return [v if isinstance(v, (int, float, complex)) or hasattr(v, "dtype") else asarray(v) for v in values]


def argwhere(a):
    a = asarray(a)
    if a.ndim == 0:
        return argwhere(atleast_1d(a))[:, :0]
    return stack(nonzero(a), axis=1)


def flatnonzero(a):
    return nonzero(asarray(a).ravel())[0]


@keeps_class(out=3)
def take(a, indices, axis=None, out=None, mode="raise"):
    res = _x._take(a, _index_array(indices), axis, mode)
    if out is not None:
        if out.shape != res.shape:
            raise ValueError("output array does not match result of ndarray.take")
        copyto(out, res, casting="safe")
        return out
    return _scalar_out(res)


def _flat_positions(a, ind, mode):
    n = a.size
    ind = asarray(ind).ravel()
    if ind.dtype.kind not in "biu":
        raise TypeError(
            f"Cannot cast array data from dtype('{ind.dtype}') to dtype('int64') according to the rule 'safe'"
        )
    pos = []
    for i in ind.tolist():
        if mode == "raise":
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for axis 0 with size {n}")
            pos.append(i % n)
        elif mode == "wrap":
            pos.append(i % n)
        else:
            pos.append(builtins.min(builtins.max(i, 0), n - 1))
    return pos


def put(a, ind, v, mode="raise"):
    if not isinstance(a, ndarray):
        raise TypeError(f"argument 1 must be numpy.ndarray, not {type(a).__name__}")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got '{mode}')")
    v = asarray(v).ravel()
    pos = _flat_positions(a, ind, mode) if a.size or mode == "raise" else []
    if a.size == 0 and pos:
        raise IndexError("cannot replace elements of an empty array")
    if not pos:
        return None
    if v.size == 0:
        return None
    vals = v.astype(a.dtype, casting="unsafe").tolist()
    flat = a.reshape(-1) if a.flags.c_contiguous else None
    for k, p in enumerate(pos):
        val = vals[k % len(vals)]
        if flat is not None:
            flat[p] = val
        else:
            a[builtins.tuple(_unravel(p, a.shape))] = val
    return None


def _unravel(p, shape):
    out = []
    for d in reversed(shape):
        out.append(p % d)
        p //= d
    return reversed(out)


def _along_axis_check(arr, indices, axis):
    arr = asarray(arr)
    indices = asarray(indices)
    if indices.dtype.kind not in "iu":
        raise IndexError("`indices` must be an integer array")
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        return arr.ravel(), indices, 0
    axis = _normalize_axis(axis, arr.ndim)
    if indices.ndim != arr.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    return arr, indices, axis


def _along_axis_index(arr, indices, axis):
    """The fancy index picking `indices` along `axis`: the other axes get aranges shaped to
    broadcast against `indices` in both directions, as NumPy's index does."""
    ndim = arr.ndim
    key = []
    for d in range(ndim):
        if d == axis:
            key.append(indices)
        else:
            key.append(arange(arr.shape[d]).reshape((1,) * d + (-1,) + (1,) * (ndim - d - 1)))
    return builtins.tuple(key)


def take_along_axis(arr, indices, axis=-1):
    arr, indices, axis = _along_axis_check(arr, indices, axis)
    return arr[_along_axis_index(arr, indices, axis)]


def put_along_axis(arr, indices, values, axis):
    if not isinstance(arr, ndarray):
        raise TypeError("put_along_axis requires an ndarray")
    target, indices, ax = _along_axis_check(arr, indices, axis)
    if axis is None:
        # `target` is a flattened copy when `arr` is not contiguous: write through put
        put(arr, indices, broadcast_to(asarray(values, dtype=arr.dtype), indices.shape).copy())
        return
    target[_along_axis_index(target, indices, ax)] = values


def _bounded_index(idx, n, mode, out_of_bounds_message):
    """Indices into a length-`n` axis under NumPy's `mode` ('raise', 'wrap' or 'clip')."""
    if mode == "raise":
        if idx.size and (bool(_any(idx < 0)) or bool(_any(idx >= n))):
            raise ValueError(out_of_bounds_message)
        return idx
    if mode == "wrap":
        return idx % n
    if mode == "clip":
        return minimum(maximum(idx, 0), n - 1)
    raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got '{mode}')")

@keeps_class(out=2)
def choose(a, choices, out=None, mode="raise"):
    a = asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError(
            f"Cannot cast array data from dtype('{a.dtype}') to dtype('int64') according to the rule 'safe'"
        )
    choices = [asarray(c) for c in choices]
    n = len(choices)
    if n == 0:
        raise ValueError("0-length sequence.")
    dt = _result_type(*choices)
    arrs = broadcast_arrays(a, *choices)
    idx = _bounded_index(arrs[0].astype("int64"), n, mode, "invalid entry in choice array")
    res = arrs[1].astype(dt)
    for k in range(1, n):
        res = _x._where3(idx == k, arrs[k + 1].astype(dt), res)
    if out is not None:
        copyto(out, res, casting="same_kind")
        return out
    return res


@keeps_class(source=1, out=3)
def compress(condition, a, axis=None, out=None):
    cond = asarray(condition)
    if cond.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    a = asarray(a)
    n = a.size if axis is None else a.shape[_normalize_axis(axis, a.ndim)]
    pos = nonzero(cond)[0]
    if pos.size and int(pos[-1]) >= n:
        raise IndexError(f"index {int(pos[-1])} is out of bounds for axis {0 if axis is None else axis} with size {n}")
    res = _x._take(a, pos, axis, "raise")
    if out is not None:
        copyto(out, res)
        return out
    return res


def extract(condition, arr):
    return _x._take(asarray(arr).ravel(), nonzero(asarray(condition).ravel())[0], None, "raise")


def place(arr, mask, vals):
    if not isinstance(arr, ndarray):
        raise TypeError(f"argument 1 must be numpy.ndarray, not {type(arr).__name__}")
    mask = asarray(mask)
    if mask.size != arr.size:
        raise ValueError("place: mask and data must be the same size")
    pos = nonzero(mask.ravel())[0]
    vals = asarray(vals).ravel()
    if pos.size == 0:
        return
    if vals.size == 0:
        raise ValueError("Cannot insert from an empty array!")
    put(arr, pos, vals)


def putmask(a, mask, values):
    if not isinstance(a, ndarray):
        raise TypeError(f"argument a of putmask must be a numpy array, not {type(a).__name__}")
    mask = asarray(mask, dtype=bool)
    if mask.shape != a.shape:
        raise ValueError("putmask: mask and data must be the same size")
    values = asarray(values).ravel()
    if values.size == 0:
        return
    n = a.size
    reps = -(-n // values.size)
    tiled = concatenate([values] * reps)[:n].reshape(a.shape) if n else values[:0].reshape(a.shape)
    copyto(a, tiled, casting="unsafe", where=mask)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(choicelist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    choices = [asarray(c) for c in choicelist]
    choices.append(asarray(default))
    dt = _result_type(*_promotion_operands(*choicelist, default))
    conds = [asarray(c) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype != bool:
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
    arrs = broadcast_arrays(*conds, *choices)
    k = len(conds)
    res = arrs[-1].astype(dt)
    for i in range(k - 1, -1, -1):
        res = _x._where3(arrs[i], arrs[k + i].astype(dt), res)
    return res


def piecewise(x, condlist, funclist, *args, **kw):
    from ._numeric import isscalar
    x = asarray(x)
    n_funcs = len(funclist)
    # one bare condition (a scalar, or a flat list for a non-0-d x) is a list of one
    if isscalar(condlist) or (not isinstance(condlist[0], (list, ndarray)) and x.ndim != 0):
        condlist = [condlist]
    conds = asarray(condlist, dtype=bool)
    n = len(conds)
    if n == n_funcs - 1:
        # the extra function covers where no condition holds
        conds = concatenate((conds, _x.logical_not(_x.any(conds, axis=0, keepdims=True))))
    elif n != n_funcs:
        raise ValueError(
            f"with {n} condition(s), either {n} or {n + 1} functions are expected"
        )
    y = _x.zeros_like(x)
    for cond, func in zip(conds, funclist):
        if not callable(func):
            y[cond] = func
        else:
            vals = x[cond]
            if vals.size > 0:
                y[cond] = func(vals, *args, **kw)
    return y


# ---------------------------------------------------------------- elementwise helpers

@keeps_class(out=3)
def clip(a, a_min=_NoValue, a_max=_NoValue, out=None, *, min=_NoValue, max=_NoValue, **kwargs):
    if min is not _NoValue:
        if a_min is not _NoValue:
            raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` "
                             "are provided is forbidden.")
        a_min = min
    if max is not _NoValue:
        if a_max is not _NoValue:
            raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` "
                             "are provided is forbidden.")
        a_max = max
    lo = None if a_min is _NoValue else a_min
    hi = None if a_max is _NoValue else a_max
    if lo is None and hi is None:
        return positive_copy(a, out, kwargs)
    if out is None and not kwargs and lo is not None and hi is not None and type(a) is ndarray:
        res = _x._clip_fast(a, lo, hi)
        if res is not None:
            return res if res.ndim else res[()]
    if out is None and "dtype" not in kwargs:
        bounds = [b for b in (lo, hi) if b is not None]
        a = asarray(a)
        a = a.astype(_result_type(a, *_promotion_operands(*bounds)), copy=False)
    if lo is not None and hi is not None:
        res = maximum(a, lo, out=out, **kwargs)
        if out is None and not isinstance(res, ndarray):  # a 0-d input gave a scalar
            return minimum(res, hi, **kwargs)
        return minimum(res, hi, out=res if out is None else out, **kwargs)
    if hi is None:
        return maximum(a, lo, out=out, **kwargs)
    return minimum(a, hi, out=out, **kwargs)


def positive_copy(a, out, kwargs):
    a = asarray(a)
    if out is None:
        return _scalar_out(a.copy()) if a.ndim == 0 and not isinstance(a, ndarray) else a.copy()
    copyto(out, a, casting=kwargs.get("casting", "same_kind"))
    return out


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    was_scalar = not isinstance(x, ndarray) and asarray(x).ndim == 0
    x = array(x, copy=True) if copy or not isinstance(x, ndarray) else x
    kind = x.dtype.kind
    if kind not in "fc":
        return x[()] if was_scalar else x
    parts = [x.real, x.imag] if kind == "c" else [x]
    from ._dtypes import finfo
    info = finfo(parts[0].dtype)
    big = info.max if posinf is None else posinf
    small = info.min if neginf is None else neginf
    for d in parts:
        # masks first: a replacement value (nan=inf) must not be replaced again
        masks = [isnan(d), _x.logical_and(isinf(d), d > 0), _x.logical_and(isinf(d), d < 0)]
        for value, mask in zip((nan, big, small), masks):
            copyto(d, value, casting="unsafe", where=mask)
    return x[()] if was_scalar else x


@keeps_class(out=2)
def round(a, decimals=0, out=None):
    a_arr = asarray(a)
    decimals = operator.index(decimals)
    kind = a_arr.dtype.kind
    if kind == "c":
        res = a_arr.copy() if out is None else out
        if out is not None:
            copyto(out, a_arr)
        for part in (res.real, res.imag):
            _round_real(part, decimals, part)
        return _ret(a, res, out)
    if kind == "b":
        # NumPy rounds bools through the float16 rint loop; other decimals have no loop.
        if decimals == 0:
            return _ret(a, rint(a_arr, out=out), out)
        return multiply(a_arr, 10.0 ** decimals, out=empty(a_arr.shape, bool) if out is None else out)
    if kind in "iu" and decimals >= 0:
        if out is None:
            return _ret(a, a_arr.copy(), out)
        copyto(out, a_arr, casting="unsafe")
        return out
    if kind in "iu":
        f = float(10 ** -decimals)
        tmp = true_divide(a_arr, f)
        rint(tmp, out=tmp)
        multiply(tmp, f, out=tmp)
        if out is None:
            return _ret(a, tmp.astype(a_arr.dtype), out)
        copyto(out, tmp, casting="unsafe")
        return out
    return _ret(a, _round_real(a_arr, decimals, out), out)


def _round_real(a, decimals, out):
    if out is None:
        out = empty(a.shape, a.dtype)
    if decimals == 0:
        return rint(a, out=out)
    if decimals > 0:
        f = 10.0 ** decimals
        r = multiply(a, f, out=out)
        rint(r, out=r)
        return true_divide(r, f, out=r)
    f = 10.0 ** -decimals
    r = true_divide(a, f, out=out)
    rint(r, out=r)
    return multiply(r, f, out=r)


def _ret(a, res, out):
    if out is None and not isinstance(a, ndarray) and res.ndim == 0:
        return res[()]
    return res


around = round


def outer(a, b, out=None):
    a = asarray(a).ravel()
    b = asarray(b).ravel()
    return multiply(a[:, None], b[None, :], out=out)


def bincount(x, weights=None, minlength=0):
    x = asarray(x)
    if x.ndim != 1 and not (x.ndim == 1):
        raise ValueError("object too deep for desired array")
    if x.dtype.kind not in "biu":
        if x.size == 0 and x.dtype.kind == "f":
            x = x.astype("int64")
        else:
            raise TypeError(
                f"Cannot cast array data from dtype('{x.dtype}') to dtype('int64') according to the rule 'safe'"
            )
    minlength = operator.index(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    vals = x.astype("int64").tolist()
    if vals and builtins.min(vals) < 0:
        raise ValueError("'list' argument must have no negative elements")
    n = builtins.max(builtins.max(vals) + 1 if vals else 0, minlength)
    if weights is None:
        counts = [0] * n
        for v in vals:
            counts[v] += 1
        return array(counts, dtype="int64") if n else zeros(0, dtype="int64")
    w = asarray(weights).astype("float64")
    if w.shape != x.shape:
        raise ValueError("The weights and list don't have the same length.")
    sums = [0.0] * n
    for v, wt in zip(vals, w.tolist()):
        sums[v] += wt
    return array(sums, dtype="float64") if n else zeros(0, dtype="float64")


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    ndim = len(xi)
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    s0 = (1,) * ndim
    output = [asarray(x).reshape(s0[:i] + (-1,) + s0[i + 1:]) for i, x in enumerate(xi)]
    if indexing == "xy" and ndim > 1:
        output[0] = output[0].reshape((1, -1) + s0[2:])
        output[1] = output[1].reshape((-1, 1) + s0[2:])
    if not sparse:
        output = broadcast_arrays(*output)
    if copy:
        output = [o.copy() for o in output]
    return builtins.tuple(output)


def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    if n == 0:
        return a
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    a = asarray(a)
    nd = a.ndim
    if nd == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = _normalize_axis(axis, nd)
    combined = []
    for extra in (prepend, None, append):
        if extra is None:
            combined.append(a)
        elif extra is not _NoValue:
            e = asarray(extra)
            if e.ndim == 0:
                shape = list(a.shape)
                shape[axis] = 1
                e = broadcast_to(e, builtins.tuple(shape))
            combined.append(e)
    if len(combined) > 1:
        a = concatenate(combined, axis)
    lo = [slice(None)] * nd
    hi = [slice(None)] * nd
    lo[axis] = slice(1, None)
    hi[axis] = slice(None, -1)
    lo, hi = builtins.tuple(lo), builtins.tuple(hi)
    op = not_equal if a.dtype == bool else subtract
    for _ in range(n):
        a = op(a[lo], a[hi])
    return a


def _repeat_positions(counts):
    pos = []
    for i, c in enumerate(counts):
        if c < 0:
            raise ValueError("repeats may not contain negative values.")
        pos.extend([i] * c)
    return pos


@keeps_class()
def repeat(a, repeats, axis=None):
    a = asarray(a)
    if axis is None:
        a = a.ravel()
        ax = 0
    else:
        ax = _normalize_axis(axis, a.ndim)
    n = a.shape[ax]
    r = asarray(int(repeats) if isinstance(repeats, float) else repeats)
    if r.dtype.kind not in "biu":
        raise TypeError(
            f"Cannot cast array data from dtype('{r.dtype}') to dtype('int64') according to the rule 'safe'"
        )
    r = r.astype("int64")
    if r.ndim == 0 or r.size == 1:
        counts = [int(r.ravel()[0])] * n
    elif r.ndim == 1 and r.size == n:
        counts = r.tolist()
    else:
        raise ValueError(f"operands could not be broadcast together with shape ({n},) ({r.size},)")
    pos = array(_repeat_positions(counts), dtype="int64")
    return _x._take(a, pos, ax, "raise")


def tile(A, reps):
    tup = builtins.tuple(reps) if hasattr(reps, "__len__") else (reps,)
    A = asarray(A)
    d = len(tup)
    if all(x == 1 for x in tup):
        return array(A, copy=True, ndmin=d)
    c = array(A, copy=None, ndmin=d)
    if d < c.ndim:
        tup = (1,) * (c.ndim - d) + tup
    shape_out = builtins.tuple(s * t for s, t in zip(c.shape, tup))
    n = c.size
    if n > 0:
        for dim_in, nrep in zip(c.shape, tup):
            if nrep != 1:
                c = repeat(c.reshape(-1, n), nrep, 0)
            n //= dim_in
    return c.reshape(shape_out)


def flip(m, axis=None):
    m = asarray(m)
    if axis is None:
        key = (slice(None, None, -1),) * m.ndim
    else:
        axes = axis if isinstance(axis, (tuple, list)) else (axis,)
        axes = [_normalize_axis(ax, m.ndim) for ax in axes]
        key = builtins.tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(m.ndim))
    return m[key]


def fliplr(m):
    m = asarray(m)
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return m[:, ::-1]


def flipud(m):
    m = asarray(m)
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return m[::-1, ...]


def roll(a, shift, axis=None):
    a = asarray(a)
    if axis is None:
        return roll(a.ravel(), shift, 0).reshape(a.shape)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    shifts = shift if isinstance(shift, (tuple, list)) else (shift,)
    if len(axes) == 1 and len(shifts) > 1:
        axes = axes * len(shifts)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(axes) != len(shifts):
        raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
    total = {}
    for sh, ax in zip(shifts, axes):
        ax = _normalize_axis(ax, a.ndim)
        total[ax] = total.get(ax, 0) + operator.index(sh)
    res = a
    for ax, sh in total.items():
        n = a.shape[ax]
        if n == 0:
            continue
        sh %= n
        pos = array([(i - sh) % n for i in range(n)], dtype="int64")
        res = _x._take(res, pos, ax, "raise")
    return res if res is not a else a.copy()


def rot90(m, k=1, axes=(0, 1)):
    axes = builtins.tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    m = asarray(m)
    if axes[0] == axes[1] or builtins.abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError("Axes must be different.")
    if axes[0] >= m.ndim or axes[0] < -m.ndim or axes[1] >= m.ndim or axes[1] < -m.ndim:
        raise ValueError(f"Axes={axes} out of range for array of ndim={m.ndim}.")
    k %= 4
    if k == 0:
        return m[:]
    if k == 2:
        return flip(flip(m, axes[0]), axes[1])
    perm = list(range(m.ndim))
    perm[axes[0]], perm[axes[1]] = perm[axes[1]], perm[axes[0]]
    if k == 1:
        return flip(m, axes[1]).transpose(perm)
    return flip(m.transpose(perm), axes[1])


# ---------------------------------------------------------------- splitting

def array_split(ary, indices_or_sections, axis=0):
    ary = asarray(ary)
    axis_n = _normalize_axis(axis, ary.ndim) if ary.ndim else axis
    ntotal = ary.shape[axis_n]
    try:
        nsec = len(indices_or_sections) + 1
        divs = [0] + list(indices_or_sections) + [ntotal]
    except TypeError:
        nsec = int(indices_or_sections)
        if nsec <= 0:
            raise ValueError("number sections must be larger than 0.") from None
        each, extras = divmod(ntotal, nsec)
        sizes = [0] + extras * [each + 1] + (nsec - extras) * [each]
        divs = list(itertools.accumulate(sizes))
    out = []
    for i in range(nsec):
        key = [slice(None)] * ary.ndim
        key[axis_n] = slice(divs[i], divs[i + 1])
        out.append(ary[builtins.tuple(key)])
    return out


def split(ary, indices_or_sections, axis=0):
    ary = asarray(ary)
    try:
        len(indices_or_sections)
    except TypeError:
        n = ary.shape[_normalize_axis(axis, ary.ndim)]
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division") from None
    return array_split(ary, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    a = asarray(ary)
    if a.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(a, indices_or_sections, 1 if a.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    a = asarray(ary)
    if a.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(a, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    a = asarray(ary)
    if a.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(a, indices_or_sections, 2)


# ---------------------------------------------------------------- editing

def append(arr, values, axis=None):
    arr = asarray(arr)
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        values = asarray(values).ravel()
        axis = arr.ndim - 1
    return concatenate((arr, values), axis=axis)


def _axis_key(ndim, ax, sl):
    key = [slice(None)] * ndim
    key[ax] = sl
    return builtins.tuple(key)


def _flat_or_axis(arr, axis):
    """`arr` raveled (unless 1-D) with its last axis for axis=None, else the checked axis;
    and NumPy's order for the new array: Fortran when `arr` is F- but not C-contiguous."""
    order = "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        return arr, arr.ndim - 1, order
    return arr, _normalize_axis(axis, arr.ndim), order


def _spliced(arr, axis, order, at, middle, skip):
    """`arr` with `middle` put at position `at` along `axis`, `skip` entries of `arr` left out
    there."""
    shape = list(arr.shape)
    width = 0 if middle is None else middle.shape[axis]
    shape[axis] += width - skip
    new = empty(builtins.tuple(shape), dtype=arr.dtype, order=order)
    new[_axis_key(arr.ndim, axis, slice(None, at))] = arr[_axis_key(arr.ndim, axis, slice(None, at))]
    if width:
        new[_axis_key(arr.ndim, axis, slice(at, at + width))] = middle
    new[_axis_key(arr.ndim, axis, slice(at + width, None))] = \
        arr[_axis_key(arr.ndim, axis, slice(at + skip, None))]
    return new


def delete(arr, obj, axis=None):
    arr, axis, order = _flat_or_axis(asarray(arr), axis)
    n = arr.shape[axis]
    if isinstance(obj, slice):
        gone = range(n)[obj]
        if len(gone) == 0:
            return arr.copy(order=order)
        keep = ones(n, dtype=bool)
        keep[obj] = False
        res = arr[_axis_key(arr.ndim, axis, keep)]
        return _x.asfortranarray(res) if order == "F" else res
    single = isinstance(obj, (int, _integer_scalar)) and not isinstance(obj, (builtins.bool, _bool_scalar))
    if not single:
        given = obj
        obj = asarray(obj)
        if obj.size == 0 and not isinstance(given, ndarray):
            obj = obj.astype("int64")
        elif obj.size == 1 and obj.dtype.kind in "ui":
            obj, single = obj.item(), True
    if single:
        if obj < -n or obj >= n:
            raise IndexError(f"index {obj} is out of bounds for axis {axis} with size {n}")
        return _spliced(arr, axis, order, obj % n, None, 1)
    if obj.dtype == bool:
        if obj.shape != (n,):
            raise ValueError(f"boolean array argument obj to delete must be one dimensional and "
                             f"match the axis length of {n}")
        keep = _x.logical_not(obj)
    else:
        keep = ones(n, dtype=bool)
        keep[(obj,)] = False  # NumPy's IndexError for float or out-of-bounds indices
    return arr[_axis_key(arr.ndim, axis, keep)]


def insert(arr, obj, values, axis=None):
    arr, axis, order = _flat_or_axis(asarray(arr), axis)
    n = arr.shape[axis]
    if isinstance(obj, slice):
        indices = arange(*obj.indices(n), dtype="int64")
    else:
        indices = array(obj)
        if indices.dtype == bool:
            # a boolean mask marks where to insert
            if indices.ndim != 1:
                raise ValueError("boolean array argument obj to insert must be one dimensional")
            indices = flatnonzero(indices)
        elif indices.ndim > 1:
            raise ValueError("index array argument obj to insert must be one dimensional or "
                             "scalar")
    if indices.size == 1:
        index = indices.item()
        if index < -n or index > n:
            raise IndexError(f"index {obj} is out of bounds for axis {axis} with size {n}")
        if index < 0:
            index += n
        values = array(values, copy=None, ndmin=arr.ndim, dtype=arr.dtype)
        if indices.ndim == 0:
            # a scalar position inserts `values` along the axis (a sequence position
            # inserts it as one slice)
            values = moveaxis(values, 0, axis)
        shape = list(arr.shape)
        shape[axis] = values.shape[axis]
        return _spliced(arr, axis, order, index, broadcast_to(values, builtins.tuple(shape)), 0)
    if indices.size == 0 and not isinstance(obj, ndarray):
        indices = indices.astype("int64")
    indices = where(indices < 0, indices + n, indices)
    count = len(indices)
    # each insertion shifts the later ones by one
    indices[_x.argsort(indices, kind="stable")] += arange(count)
    shape = list(arr.shape)
    shape[axis] += count
    old = ones(shape[axis], dtype=bool)
    old[(indices,)] = False  # float indices raise NumPy's IndexError here
    new = empty(builtins.tuple(shape), dtype=arr.dtype, order=order)
    new[_axis_key(arr.ndim, axis, indices)] = values
    new[_axis_key(arr.ndim, axis, old)] = arr
    return new


def moveaxis(a, source, destination):
    return _x.moveaxis(a, source, destination)


def resize(a, new_shape):
    if isinstance(new_shape, int):
        new_shape = (new_shape,)
    a = asarray(a).ravel()
    new_size = 1
    for d in new_shape:
        if d < 0:
            raise ValueError("all elements of `new_shape` must be non-negative")
        new_size *= d
    if a.size == 0 or new_size == 0:
        return zeros(new_shape, dtype=a.dtype)
    reps = -(-new_size // a.size)
    a = concatenate((a,) * reps)[:new_size]
    return a.reshape(new_shape)


def trim_zeros(filt, trim="fb", axis=None):
    a = asarray(filt)
    trim = trim.lower()
    if a.ndim == 0:
        raise ValueError("trim_zeros requires an array of at least one dimension")
    if a.ndim != 1 or axis is not None:
        nz = argwhere(a)
        axes = range(a.ndim) if axis is None else [_normalize_axis(ax, a.ndim) for ax in (
            axis if isinstance(axis, (tuple, list)) else (axis,))]
        key = [slice(None)] * a.ndim
        for ax in axes:
            col = nz[:, ax].tolist()
            lo = builtins.min(col) if col else 0
            hi = builtins.max(col) + 1 if col else 0
            start = lo if "f" in trim else 0
            stop = hi if "b" in trim else a.shape[ax]
            key[ax] = slice(start, stop)
        return filt[builtins.tuple(key)]
    nzi = nonzero(a)[0].tolist()
    if not nzi:
        return filt[0:0] if "f" in trim or "b" in trim else filt[:]
    start = nzi[0] if "f" in trim else 0
    stop = nzi[-1] + 1 if "b" in trim else len(a)
    return filt[start:stop]


# ---------------------------------------------------------------- triangles and diagonals

def tri(N, M=None, k=0, dtype=float, *, like=None):
    if M is None:
        M = N
    m = greater_equal(arange(N, dtype="int64").reshape(N, 1), arange(-k, M - k, dtype="int64"))
    return m.astype(dtype, copy=False)


def tril(m, k=0):
    m = asarray(m)
    mask = tri(*m.shape[-2:], k=k, dtype=bool)
    return _x._where3(mask, m, zeros(1, dtype=m.dtype))


def triu(m, k=0):
    m = asarray(m)
    mask = tri(*m.shape[-2:], k=k - 1, dtype=bool)
    return _x._where3(mask, zeros(1, dtype=m.dtype), m)


def diagonal(a, offset=0, axis1=0, axis2=1):
    a = asarray(a)
    return _x._diagonal_view(a, offset, axis1, axis2)


def diag(v, k=0):
    v = asarray(v)
    if v.ndim == 1:
        n = v.shape[0] + builtins.abs(k)
        res = zeros((n, n), dtype=v.dtype)
        i = k if k >= 0 else (-k) * n
        res.reshape(-1)[i:i + (n - builtins.abs(k)) * (n + 1):n + 1] = v
        return res
    if v.ndim == 2:
        return diagonal(v, k).copy()
    raise ValueError("Input must be 1- or 2-d.")


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    d = diagonal(asarray(a), offset, axis1, axis2)
    return add.reduce(d, axis=-1, dtype=dtype, out=out)


def fill_diagonal(a, val, wrap=False):
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    end = None
    if a.ndim == 2:
        step = a.shape[1] + 1
        if not wrap:
            end = a.shape[1] * a.shape[1]
    else:
        if any(s != a.shape[0] for s in a.shape):
            raise ValueError("All dimensions of input must be of equal length")
        strides = [1] * a.ndim
        for d in range(a.ndim - 2, -1, -1):
            strides[d] = strides[d + 1] * a.shape[d + 1]
        step = builtins.sum(strides)
    n = a.size if end is None else builtins.min(end, a.size)
    pos = list(range(0, n, step))
    if not pos:
        return
    v = asarray(val).ravel()
    if v.size == 0:
        return
    put(a, array(pos, dtype="int64"), v)


def diag_indices(n, ndim=2):
    idx = arange(n)
    return (idx,) * ndim


def diag_indices_from(arr):
    if arr.ndim < 2:
        raise ValueError("input array must be at least 2-d")
    if any(s != arr.shape[0] for s in arr.shape):
        raise ValueError("All dimensions of input must be of equal length")
    return diag_indices(arr.shape[0], arr.ndim)


def tril_indices(n, k=0, m=None):
    return nonzero(tri(n, m, k=k, dtype=bool))


def triu_indices(n, k=0, m=None):
    return nonzero(~tri(n, m, k=k - 1, dtype=bool))


def tril_indices_from(arr, k=0):
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return tril_indices(arr.shape[-2], k=k, m=arr.shape[-1])


def triu_indices_from(arr, k=0):
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return triu_indices(arr.shape[-2], k=k, m=arr.shape[-1])


# ---------------------------------------------------------------- index helpers

def ix_(*args):
    out = []
    nd = len(args)
    for k, new in enumerate(args):
        if not isinstance(new, ndarray):
            new = asarray(new)
            if new.size == 0:
                new = new.astype("int64")
        if new.ndim != 1:
            raise ValueError("Cross index must be 1 dimensional")
        if new.dtype == bool:
            new = nonzero(new)[0]
        out.append(new.reshape((1,) * k + (new.size,) + (1,) * (nd - k - 1)))
    return builtins.tuple(out)


_INTP_MAX = (1 << 63) - 1


def _index_dims(dims):
    dims = builtins.tuple(operator.index(d) for d in (dims if hasattr(dims, "__len__") else (dims,)))
    if any(d > _INTP_MAX for d in dims):
        raise ValueError("Maximum allowed dimension exceeded")
    return dims


def _c_or_f(order):
    if order is None:
        return "C"
    if not isinstance(order, str):
        raise TypeError(f"order must be str, not {type(order).__name__}")
    if order.upper() not in ("C", "F", "A", "K"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got '{order}')")
    if order.upper() not in ("C", "F"):
        raise ValueError("only 'C' or 'F' order is permitted")
    return order.upper()


def _dims_size(dims):
    """The product of `dims`, or None where a partial product overflows intp (as NumPy's
    running check does, even if a later dimension is 0)."""
    size = 1
    for d in dims:
        size *= d
        if size > _INTP_MAX:
            return None
    return size


def _integer_indices(obj):
    """`obj` as an int64 array; bools count as integers, floats are refused."""
    try:
        a = asarray(obj)
    except OverflowError:  # NumPy makes an object array of huge Python ints
        raise TypeError("only int indices permitted") from None
    if a.dtype.kind not in "biu":
        if a.size == 0 and not isinstance(obj, ndarray):
            raise TypeError("indices must be integral: the provided empty sequence was inferred "
                            "as float. Wrap it with 'np.array(indices, dtype=np.intp)'")
        raise TypeError("only int indices permitted")
    return a.astype("int64")


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    dims = _index_dims(dims)
    order = _c_or_f(order)
    if isinstance(mode, (builtins.tuple, list)):
        if len(mode) != len(dims):
            raise ValueError(f"list of clipmodes has wrong length ({len(mode)} instead of "
                             f"{len(dims)})")
        modes = builtins.tuple(mode)
    else:
        modes = (mode,) * len(dims)
    for md in modes:
        if md not in ("raise", "wrap", "clip"):
            raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got '{md}')")
    if len(multi_index) != len(dims):
        raise ValueError(f"parameter multi_index must be a sequence of length {len(dims)}")
    if _dims_size(dims) is None:
        raise ValueError("invalid dims: array size defined by dims is larger than the maximum "
                         "possible size.")
    arrs = broadcast_arrays(*[_integer_indices(m) for m in multi_index])
    if arrs and arrs[0].size and 0 in dims:
        raise ValueError("cannot unravel if shape has zero entries (is empty).")
    strides = [1] * len(dims)
    axes = range(len(dims) - 2, -1, -1) if order == "C" else range(1, len(dims))
    for d in axes:
        nb = d + 1 if order == "C" else d - 1
        strides[d] = strides[nb] * dims[nb]
    total = zeros(arrs[0].shape if arrs else (), dtype="int64")
    for a, n, st, md in zip(arrs, dims, strides, modes):
        a = _bounded_index(a, n, md, "invalid entry in coordinates array")
        add(total, multiply(a, st), out=total)
    return _scalar_out(total)


def unravel_index(indices, shape, order="C"):
    shape = _index_dims(shape)
    order = _c_or_f(order)
    size = _dims_size(shape)
    if size is None:
        raise ValueError("dimensions are too large; arrays and shapes with a total size greater "
                         "than 'intp' are not supported.")
    idx = _integer_indices(indices)
    if idx.size and (bool(_any(idx < 0)) or bool(_any(idx >= size))):
        bad = [v for v in idx.ravel().tolist() if v < 0 or v >= size][0]
        raise ValueError(f"index {bad} is out of bounds for array with size {size}")
    if not shape and idx.ndim:
        raise ValueError("multiple indices are not supported for 0d arrays")
    out = [None] * len(shape)
    dims = range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))
    rem = idx
    for d in dims:
        out[d] = _x.remainder(rem, shape[d])
        rem = _x.floor_divide(rem, shape[d])
    return builtins.tuple(out)


class ndindex:
    def __init__(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], builtins.tuple):
            shape = shape[0]
        dims = [operator.index(s) for s in shape]
        if any(d < 0 for d in dims):
            raise ValueError("negative dimensions are not allowed")
        self._it = itertools.product(*(range(d) for d in dims))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


class ndenumerate:
    def __init__(self, arr):
        self._arr = asarray(arr)
        self._it = itertools.product(*(range(s) for s in self._arr.shape))

    def __iter__(self):
        return self

    def __next__(self):
        idx = next(self._it)
        return idx, self._arr[idx]


def _is_complex_step(step):
    # a complex step (5j, np.complex64(5j)) counts points instead of spacing them
    return isinstance(step, (complex, complexfloating))


class _Grid:
    def __init__(self, sparse):
        self.sparse = sparse

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._single(key)
        # one axis per slice: sizes first, then one dtype for all (NEP 50: Python numbers weak)
        sizes, operands, spacing = [], [0], []
        for s in key:
            start = 0 if s.start is None else s.start
            step = 1 if s.step is None else s.step
            if _is_complex_step(step):
                step = builtins.abs(step)
                n = int(step)
                sizes.append(n)
                spacing.append((start, (s.stop - start) / float(n - 1) if n != 1 else 1))
            else:
                sizes.append(math.ceil((s.stop - start) / step))
                spacing.append((start, step))
            operands += [start, s.stop, step]
        typ = _result_type(*operands)
        axes = [(arange(n, dtype=typ) * step + start).astype(typ)
                for n, (start, step) in zip(sizes, spacing)]
        ndim = len(axes)
        shaped = [ax.reshape((1,) * k + (-1,) + (1,) * (ndim - k - 1)) for k, ax in enumerate(axes)]
        if self.sparse:
            return builtins.tuple(shaped)
        out = empty((ndim,) + builtins.tuple(sizes), dtype=typ)
        for k, ax in enumerate(shaped):
            out[k] = ax
        return out

    @staticmethod
    def _single(s):
        start = 0 if s.start is None else s.start
        if not _is_complex_step(s.step):
            return arange(start, s.stop, s.step)
        count = builtins.abs(s.step)
        n = int(count)
        step = (s.stop - start) / float(n - 1) if n != 1 else 1
        return arange(0, n, 1, dtype=_result_type(start, s.stop, count)) * step + start


mgrid = _Grid(False)
ogrid = _Grid(True)


class _IndexExpression:
    def __init__(self, maketuple):
        self.maketuple = maketuple

    def __getitem__(self, item):
        if self.maketuple and not isinstance(item, builtins.tuple):
            return (item,)
        return item


index_exp = _IndexExpression(True)
s_ = _IndexExpression(False)


class _Concat:
    def __init__(self, axis, ndmin, column):
        self.axis, self.ndmin, self.column = axis, ndmin, column

    def __getitem__(self, key):
        keys = key if isinstance(key, builtins.tuple) else (key,)
        axis, ndmin = self.axis, self.ndmin
        parts = []
        scalars = []
        scalar_values = []
        for k, item in enumerate(keys):
            if isinstance(item, slice):
                step = 1 if item.step is None else item.step
                start = 0 if item.start is None else item.start
                if _is_complex_step(step):
                    new = _x.linspace(start, item.stop, int(builtins.abs(step)))
                else:
                    new = arange(start, item.stop, step)
                if ndmin > 1:
                    new = array(new, copy=None, ndmin=ndmin)
                    if self.column:
                        new = new.T
            elif isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                vals = item.split(",")
                axis = int(vals[0])
                if len(vals) > 1:
                    ndmin = int(vals[1])
                continue
            elif not isinstance(item, ndarray) and asarray(item).ndim == 0:
                scalars.append(len(parts))
                scalar_values.append(item)
                new = array(item, ndmin=ndmin) if ndmin else asarray(item).reshape(1)
            else:
                new = array(item, copy=None, ndmin=ndmin)
                if self.column and asarray(item).ndim < 2 and ndmin > 1:
                    new = new.T
            parts.append(new)
        if scalars and len(scalars) < len(parts):
            strong = [p for i, p in enumerate(parts) if i not in scalars]
            dt = _result_type(*strong, *scalar_values)
            parts = [p.astype(dt) if i in scalars else p for i, p in enumerate(parts)]
        return concatenate(parts, axis=axis)

    def __len__(self):
        return 0


r_ = _Concat(0, 1, False)
c_ = _Concat(-1, 2, True)


# ---------------------------------------------------------------- pad

def _as_pairs(x, ndim, as_index=False):
    """`x` as `ndim` (before, after) pairs; index-like values are rounded half to even."""
    if x is None:
        return ((None, None),) * ndim
    a = asarray(x)
    if as_index:
        a = rint(a).astype("int64") if a.dtype.kind in "fc" else a.astype("int64")
        if a.size and bool(_any(a < 0)):
            raise ValueError("index can't contain negative values")
    if a.ndim < 3:
        # one value for everything, or one (before, after) pair for every axis
        if a.size == 1:
            v = a.ravel().tolist()[0]
            return ((v, v),) * ndim
        if a.size == 2 and a.shape != (2, 1):
            return (builtins.tuple(a.ravel().tolist()),) * ndim
    return builtins.tuple(builtins.tuple(p) for p in broadcast_to(a, (ndim, 2)).tolist())


def _pad_width_pairs(pad_width, ndim):
    if isinstance(pad_width, dict):
        # {axis: width or (before, after)}: the axes not named are not padded
        seq = [(0, 0)] * ndim
        for ax, width in pad_width.items():
            if isinstance(width, int):
                seq[ax] = (width, width)
            elif (isinstance(width, builtins.tuple) and len(width) == 2
                  and all(isinstance(w, int) for w in width)):
                seq[ax] = width
            else:
                raise AssertionError(f"Expected code to be unreachable, but got: {width!r}")
        pad_width = seq
    try:
        pw = asarray(pad_width)
    except TypeError:
        # strings and other objects: NumPy makes a non-integer array of them
        pw = None
    if pw is None or pw.dtype.kind != "i":
        raise TypeError("`pad_width` must be of integral type.")
    return _as_pairs(pw, ndim, as_index=True)


def pad(array_, pad_width, mode="constant", **kwargs):
    a = asarray(array_)
    pads = _pad_width_pairs(pad_width, a.ndim)
    allowed = {
        "constant": ["constant_values"], "edge": [], "linear_ramp": ["end_values"],
        "maximum": ["stat_length"], "mean": ["stat_length"], "median": ["stat_length"],
        "minimum": ["stat_length"], "reflect": ["reflect_type"], "symmetric": ["reflect_type"],
        "wrap": [], "empty": [],
    }
    if callable(mode):
        return _pad_with_function(a, pads, mode, kwargs)
    if mode not in allowed:
        raise ValueError(f"mode '{mode}' is not supported")
    bad = set(kwargs) - set(allowed[mode])
    if bad:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {bad}")
    out_shape = builtins.tuple(s + lo + hi for s, (lo, hi) in zip(a.shape, pads))
    # NumPy pads into a Fortran-ordered array when the input is F- but not C-contiguous
    order = "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"
    if mode == "constant" or mode == "empty" or a.size == 0:
        if mode not in ("constant", "empty"):
            for ax, (lo, hi) in enumerate(pads):
                if a.shape[ax] == 0 and (lo or hi):
                    raise ValueError(f"can't extend empty axis {ax} using modes other than "
                                     f"'constant' or 'empty'")
        out = (zeros if mode == "constant" else empty)(out_shape, dtype=a.dtype, order=order)
        inner = builtins.tuple(slice(lo, lo + s) for s, (lo, _) in zip(a.shape, pads))
        out[inner] = a
        if mode == "constant":
            cv = _as_pairs(kwargs.get("constant_values", 0), a.ndim)
            for ax in range(a.ndim):
                lo, hi = pads[ax]
                key = [slice(None)] * a.ndim
                if lo:
                    key[ax] = slice(0, lo)
                    out[builtins.tuple(key)] = asarray(cv[ax][0]).astype(a.dtype, casting="unsafe") \
                        if not isinstance(cv[ax][0], (int, float, complex)) else cv[ax][0]
                if hi:
                    key[ax] = slice(out_shape[ax] - hi, None)
                    out[builtins.tuple(key)] = cv[ax][1]
        return out
    stat_lengths = None
    if mode in ("maximum", "minimum", "mean", "median"):
        stat_lengths = _as_pairs(kwargs.get("stat_length"), a.ndim, as_index=True)
    res = a
    for ax in range(a.ndim):
        lo, hi = pads[ax]
        # NumPy evaluates the statistics of unpadded axes too (their errors and warnings)
        if lo == 0 and hi == 0 and not (stat_lengths and 0 in stat_lengths[ax]):
            continue
        res = _pad_axis(res, ax, lo, hi, mode, kwargs, stat_lengths)
    if order == "F" and not res.flags.f_contiguous:
        res = _x.asfortranarray(res)
    return res


def _pad_with_function(a, pads, function, kwargs):
    """NumPy's legacy mode: zero padding, then `function(vector, (before, after), axis, kwargs)`
    edits every 1-D lane along each axis in place."""
    out_shape = builtins.tuple(s + lo + hi for s, (lo, hi) in zip(a.shape, pads))
    order = "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"
    padded = zeros(out_shape, dtype=a.dtype, order=order)
    padded[builtins.tuple(slice(lo, lo + s) for s, (lo, _) in zip(a.shape, pads))] = a
    for ax in range(padded.ndim):
        view = moveaxis(padded, ax, -1)
        for lane in ndindex(view.shape[:-1]):
            function(view[lane + (Ellipsis,)], pads[ax], ax, kwargs)
    return padded


def _take_range(a, ax, pos):
    return _x._take(a, array(pos, dtype="int64"), ax, "raise")


def _pad_axis(a, ax, lo, hi, mode, kwargs, stat_lengths):
    n = a.shape[ax]
    if mode in ("reflect", "symmetric") and not (mode == "reflect" and n == 1):
        return _pad_reflect(a, ax, lo, hi, mode == "symmetric", kwargs.get("reflect_type", "even"))
    if mode in ("edge", "wrap", "reflect"):
        return _take_range(a, ax, [_pad_source(i, n, mode) for i in range(-lo, n + hi)])
    if mode in ("maximum", "minimum", "mean", "median"):
        edges = []
        for side, length in enumerate(stat_lengths[ax]):
            length = n if length is None else builtins.min(length, n)
            if length == 0 and mode in ("maximum", "minimum"):
                raise ValueError("stat_length of 0 yields no value for padding")
            chunk = a[_axis_key(a.ndim, ax, slice(0, length) if side == 0 else slice(n - length, n))]
            if mode == "maximum":
                v = maximum.reduce(chunk, axis=ax, keepdims=True)
            elif mode == "minimum":
                v = minimum.reduce(chunk, axis=ax, keepdims=True)
            else:
                from . import mean as _mean, median as _median
                v = (_mean if mode == "mean" else _median)(chunk, axis=ax, keepdims=True)
                if a.dtype.kind in "iub":
                    v = rint(v)
            edges.append(v.astype(a.dtype, casting="unsafe"))
        shape_lo = list(a.shape)
        shape_lo[ax] = lo
        shape_hi = list(a.shape)
        shape_hi[ax] = hi
        return concatenate((broadcast_to(edges[0], builtins.tuple(shape_lo)), a,
                            broadcast_to(edges[1], builtins.tuple(shape_hi))), ax)
    if mode == "linear_ramp":
        ev = _as_pairs(kwargs.get("end_values", 0), a.ndim)[ax]
        key = [slice(None)] * a.ndim
        key[ax] = slice(0, 1)
        first = a[builtins.tuple(key)]
        key[ax] = slice(n - 1, n)
        last = a[builtins.tuple(key)]
        parts = []
        if lo:
            parts.append(_ramp(ev[0], first, lo, ax, a.ndim, a.dtype, False))
        parts.append(a)
        if hi:
            parts.append(_ramp(ev[1], last, hi, ax, a.ndim, a.dtype, True))
        return concatenate(parts, ax)
    raise ValueError(f"mode '{mode}' is not supported")


def _ramp(end, edge, count, ax, ndim, dtype, reverse):
    shape = [1] * ndim
    shape[ax] = count
    # NumPy's linspace(end, edge, count, endpoint=False): i * step + start (i / count * delta
    # where some step is zero), floored for integer arrays. The end value reaches linspace as
    # an int64/float64 NumPy scalar, so the work is done in (at least) float64.
    ft = _result_type(dtype, "float64")
    steps = arange(count, dtype=ft).reshape(shape)
    delta = edge.astype(ft) - end
    step = delta / count
    if _any(step == 0):
        vals = steps / count * delta + end
    else:
        vals = steps * step + end
    if dtype.kind in "iub":
        vals = _x.floor(vals)
    vals = vals.astype(dtype, casting="unsafe")
    return flip(vals, ax) if reverse else vals


def _pad_source(i, n, mode):
    if 0 <= i < n:
        return i
    if mode == "wrap":
        return i % n
    return 0 if i < 0 else n - 1


def _pad_reflect(a, ax, lo, hi, symmetric, reflect_type):
    """Reflects chunk by chunk about the current edge, as NumPy does for wide pads."""
    n = a.shape[ax]
    chunk_max = n if symmetric else n - 1
    cur = a
    while lo > 0 or hi > 0:
        m = cur.shape[ax]
        parts = [cur]
        if lo > 0:
            c = builtins.min(lo, chunk_max)
            start = 0 if symmetric else 1
            piece = flip(cur[_axis_key(cur.ndim, ax, slice(start, start + c))], ax)
            if reflect_type == "odd":
                piece = 2 * cur[_axis_key(cur.ndim, ax, slice(0, 1))] - piece
            parts.insert(0, piece.astype(a.dtype, casting="unsafe"))
            lo -= c
        if hi > 0:
            c = builtins.min(hi, chunk_max)
            stop = m if symmetric else m - 1
            piece = flip(cur[_axis_key(cur.ndim, ax, slice(stop - c, stop))], ax)
            if reflect_type == "odd":
                piece = 2 * cur[_axis_key(cur.ndim, ax, slice(m - 1, m))] - piece
            parts.append(piece.astype(a.dtype, casting="unsafe"))
            hi -= c
        cur = concatenate(parts, ax)
    return cur


# ---------------------------------------------------------------- methods (ndarray.<name>)

def _method_clip(self, min=None, max=None, out=None, **kwargs):
    return clip(self, min, max, out=out, **kwargs)


def _method_round(self, decimals=0, out=None):
    return round(self, decimals, out)


def _method_diagonal(self, offset=0, axis1=0, axis2=1):
    return _x._diagonal_view(self, offset, axis1, axis2)


def _method_trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return trace(self, offset, axis1, axis2, dtype, out)


def _method_conj(self, out=None):
    # only complex arrays go through the ufunc: a real array is its own conjugate
    if self.dtype.kind == "c":
        return _x.conjugate(self, out=out)
    if out is None:
        return self
    copyto(out, self, casting="same_kind")
    return out


def _method_take(self, indices, axis=None, out=None, mode="raise"):
    return take(self, indices, axis, out, mode)


def _method_put(self, indices, values, mode="raise"):
    return put(self, indices, values, mode)


def _method_repeat(self, repeats, axis=None):
    return repeat(self, repeats, axis)


def _method_compress(self, condition, axis=None, out=None):
    return compress(condition, self, axis, out)


def _method_choose(self, choices, out=None, mode="raise"):
    return choose(self, choices, out, mode)
