"""Statistics composed from the Rust reductions and ufuncs (mean, var, std, the nan*
functions, cumulative sums, median, quantiles, average). Each follows NumPy's own formula
step by step, so results carry NumPy's bits."""

import operator
import warnings

from . import _oxnp
from ._oxnp import (
    add, amax, amin, argmax, argmin, asarray, ceil, copyto, divide, empty, floor, isnan,
    logical_not, maximum, multiply, ndarray, rint, sqrt, subtract, true_divide,
)
from ._oxnp import sum as _sum
from ._scalars import intp
from ._subclass import keeps_class

_INEXACT = "fc"  # dtype kinds with NaN (float16/32/64, complex)

_PLAIN = (ndarray, int, float, complex, list, tuple, type(None))


def _array_function(name, relevant, args, kwargs):
    """NEP 18: the result of the first `__array_function__` override among `relevant`
    (types other than arrays/numbers that define it), or NotImplemented when none does."""
    types = [type(a) for a in relevant
             if not isinstance(a, _PLAIN) and getattr(type(a), "__array_function__", None) is not None
             and getattr(getattr(type(a).__array_function__, "__objclass__", None), "__module__", "")
             != "numpy"]
    if not types:
        return NotImplemented
    import oxnp
    func = getattr(oxnp, name)
    for t in types:
        r = t.__array_function__(next(a for a in relevant if type(a) is t), func, tuple(types), args,
                                 kwargs)
        if r is not NotImplemented:
            return r
    raise TypeError(f"no implementation found for 'numpy.{name}' on types that implement "
                    f"__array_function__: {types}")


def _is_int_or_bool(dt):
    return dt.kind in "biu"


def _axis_tuple(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if not isinstance(axis, tuple):
        axis = (axis,)
    out = []
    for ax in axis:
        ax = operator.index(ax)
        if not -ndim <= ax < ndim:
            from .exceptions import AxisError
            raise AxisError(ax, ndim)
        out.append(ax % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis")
    return tuple(out)


def _count_reduce_items(arr, axis, keepdims=False, where=True):
    if where is True:
        if axis is None:
            return intp(arr.size)
        items = 1
        for ax in _axis_tuple(axis, arr.ndim):
            items *= arr.shape[ax]
        return intp(items)
    mask = _oxnp.broadcast_to(asarray(where), arr.shape)
    return _sum(mask, axis, "intp", None, keepdims)


# ---------------------------------------------------------------- mean / var / std

@keeps_class(out=3, zero_d=True)
def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    if type(a) is not ndarray:
        r = _array_function("mean", (a,), (a,), dict(axis=axis, dtype=dtype, out=out,
                                                        keepdims=keepdims, where=where))
        if r is not NotImplemented:
            return r
    arr = asarray(a)
    f16_result = False
    rcount = _count_reduce_items(arr, axis, keepdims=keepdims, where=where)
    if (rcount == 0) if where is True else _oxnp.any(_oxnp.equal(rcount, 0)):
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    if dtype is None:
        if _is_int_or_bool(arr.dtype):
            dtype = "f8"
        elif arr.dtype.name == "float16":
            dtype = "f4"
            f16_result = True
    ret = _sum(arr, axis, dtype, out, keepdims, None, where)
    if isinstance(ret, ndarray):
        ret = true_divide(ret, rcount, out=ret, casting="unsafe")
        if f16_result and out is None:
            ret = ret.astype(arr.dtype) if ret.ndim else arr.dtype.type(ret)
    elif f16_result:
        ret = arr.dtype.type(ret / rcount)
    else:
        ret = ret.dtype.type(ret / rcount)
    return ret


def _ddof(ddof, correction):
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        return correction
    return ddof


@keeps_class(out=3, zero_d=True)
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    ddof = _ddof(ddof, correction)
    arr = asarray(a)
    rcount = _count_reduce_items(arr, axis, keepdims=keepdims, where=where)
    if _oxnp.any(_oxnp.less_equal(rcount, ddof)):
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
    if dtype is None and _is_int_or_bool(arr.dtype):
        dtype = "f8"
    if mean is not None:
        arrmean = mean
    else:
        arrmean = _sum(arr, axis, dtype, None, True, None, where)
        div = rcount if rcount.ndim == 0 else rcount.reshape(arrmean.shape)
        if isinstance(arrmean, ndarray):
            arrmean = true_divide(arrmean, div, out=arrmean, casting="unsafe")
        else:
            arrmean = arrmean.dtype.type(arrmean / rcount)
    x = asarray(arr - arrmean)
    if arr.dtype.kind in "fiu":
        x = multiply(x, x, out=x)
    elif arr.dtype.kind == "c":
        re, im = x.real, x.imag
        re = multiply(re, re)
        im = multiply(im, im)
        x = add(re, im)
    else:
        x = multiply(x, x)
    ret = _sum(x, axis, dtype, out, keepdims, None, where)
    rcount = maximum(subtract(rcount, ddof), 0)
    if isinstance(ret, ndarray):
        ret = true_divide(ret, rcount, out=ret, casting="unsafe")
    else:
        ret = ret.dtype.type(ret / rcount)
    return ret


@keeps_class(out=3, zero_d=True)
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    ret = var(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, where=where,
              mean=mean, correction=correction)
    if isinstance(ret, ndarray):
        return sqrt(ret, out=ret)
    return ret.dtype.type(sqrt(ret))


def ptp(a, axis=None, out=None, keepdims=False):
    return subtract(amax(a, axis, out, keepdims), amin(a, axis, None, keepdims), out=out)


def count_nonzero(a, axis=None, *, keepdims=False):
    a = asarray(a)
    return _sum(a.astype(bool), axis, "intp", None, keepdims)


# ---------------------------------------------------------------- cumulative

def _cum_dtype(dt, dtype):
    if dtype is not None:
        return dtype
    if dt.kind == "b" or (dt.kind == "i" and dt.itemsize < 8):
        return "int64"
    if dt.kind == "u" and dt.itemsize < 8:
        return "uint64"
    return dt


def _accumulate(uf, a, axis, dtype, out):
    a = asarray(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    elif a.ndim == 0:
        from .exceptions import AxisError
        raise AxisError(axis, 0)
    return uf.accumulate(a, axis, _cum_dtype(a.dtype, dtype), out)


@keeps_class(out=3)
def cumsum(a, axis=None, dtype=None, out=None):
    return _accumulate(add, a, axis, dtype, out)


@keeps_class(out=3)
def cumprod(a, axis=None, dtype=None, out=None):
    return _accumulate(multiply, a, axis, dtype, out)


def _cumulative(uf, x, axis, dtype, out, include_initial):
    x = asarray(x)
    if x.ndim == 0:
        raise ValueError("Cannot apply `cumulative_sum` on a 0-d array" if uf is add
                         else "Cannot apply `cumulative_prod` on a 0-d array")
    if axis is None:
        if x.ndim > 1:
            raise ValueError("For arrays which have more than one dimension ``axis`` argument is required.")
        axis = 0
    res = uf.accumulate(x, axis, _cum_dtype(x.dtype, dtype), None if include_initial else out)
    if not include_initial:
        return res
    ax = _axis_tuple(axis, x.ndim)[0]
    shape = list(res.shape)
    shape[ax] += 1
    full = empty(tuple(shape), res.dtype) if out is None else out
    head = [slice(None)] * res.ndim
    head[ax] = slice(0, 1)
    tail = [slice(None)] * res.ndim
    tail[ax] = slice(1, None)
    full[tuple(head)] = 0 if uf is add else 1
    full[tuple(tail)] = res
    return full


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative(add, x, axis, dtype, out, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative(multiply, x, axis, dtype, out, include_initial)


# ---------------------------------------------------------------- nan functions

def _replace_nan(a, val):
    a = asarray(a)
    if a.dtype.kind in _INEXACT:
        mask = isnan(a)
        a = a.copy()
        copyto(a, val, where=mask)
        return a, mask
    return a, None


def _divide_by_count(a, b, out=None):
    from ._ufuncs import errstate
    with errstate(invalid="ignore", divide="ignore"):
        if isinstance(a, ndarray):
            return divide(a, b, out=a if out is None else out, casting="unsafe")
        if out is None:
            return a.dtype.type(a / b)
        return divide(a, b, out=out, casting="unsafe")


@keeps_class(out=3, zero_d=True)
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    a, _ = _replace_nan(a, 0)
    return _sum(a, axis, dtype, out, keepdims, initial, where)


@keeps_class(out=3, zero_d=True)
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    a, _ = _replace_nan(a, 1)
    return _oxnp.prod(a, axis, dtype, out, keepdims, initial, where)


@keeps_class(out=3)
def nancumsum(a, axis=None, dtype=None, out=None):
    a, _ = _replace_nan(a, 0)
    return cumsum(a, axis=axis, dtype=dtype, out=out)


@keeps_class(out=3)
def nancumprod(a, axis=None, dtype=None, out=None):
    a, _ = _replace_nan(a, 1)
    return cumprod(a, axis=axis, dtype=dtype, out=out)


def _nanextreme(uf, plain, a, axis, out, keepdims, initial, where):
    a = asarray(a)
    if a.dtype.kind not in _INEXACT:
        return plain(a, axis, out, keepdims, initial, where)
    kw = {"keepdims": keepdims, "where": where}
    if initial is not None:
        kw["initial"] = initial
    from ._ufuncs import errstate
    with errstate(invalid="ignore"):  # fmin/fmax compare NaNs quietly in NumPy
        res = uf.reduce(a, axis=axis, out=out, **kw)
    if _oxnp.any(isnan(res)):
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
    return res


@keeps_class(out=2, zero_d=True)
def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _nanextreme(_oxnp.fmin, amin, a, axis, out, keepdims, initial, where)


@keeps_class(out=2, zero_d=True)
def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _nanextreme(_oxnp.fmax, amax, a, axis, out, keepdims, initial, where)


def _nanarg(fn, fill, a, axis, out, keepdims):
    a, mask = _replace_nan(a, fill)
    if mask is not None and mask.size:
        if _oxnp.any(_oxnp.all(mask, axis=axis)):
            raise ValueError("All-NaN slice encountered")
    return fn(a, axis, out, keepdims=keepdims)


@keeps_class(out=2)
def nanargmin(a, axis=None, out=None, *, keepdims=False):
    return _nanarg(argmin, float("inf"), a, axis, out, keepdims)


@keeps_class(out=2)
def nanargmax(a, axis=None, out=None, *, keepdims=False):
    return _nanarg(argmax, float("-inf"), a, axis, out, keepdims)


def _check_inexact(dtype, out):
    from ._oxnp import dtype as _dtype
    if dtype is not None and _dtype(dtype).kind not in _INEXACT:
        raise TypeError("If a is inexact, then dtype must be inexact")
    if out is not None and out.dtype.kind not in _INEXACT:
        raise TypeError("If a is inexact, then out must be inexact")


@keeps_class(out=3, zero_d=True)
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    arr, mask = _replace_nan(a, 0)
    if mask is None:
        return mean(arr, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
    _check_inexact(dtype, out)
    cnt = _sum(logical_not(mask), axis, "intp", None, keepdims, None, where)
    tot = _sum(arr, axis, dtype, out, keepdims, None, where)
    avg = _divide_by_count(tot, cnt, out=out)
    if _oxnp.any(_oxnp.equal(cnt, 0)):
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    return avg


@keeps_class(out=3, zero_d=True)
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
           mean=None, correction=None):
    arr, mask = _replace_nan(a, 0)
    if mask is None:
        return var(arr, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                   where=where, mean=mean, correction=correction)
    ddof = _ddof(ddof, correction)
    _check_inexact(dtype, out)
    cnt = _sum(logical_not(mask), axis, "intp", None, True, None, where)
    if mean is not None:
        avg = mean
    else:
        avg = _sum(arr, axis, dtype, None, True, None, where)
        avg = _divide_by_count(avg, cnt)
    subtract(arr, avg, out=arr, casting="unsafe", where=where)
    copyto(arr, 0, where=mask)
    if arr.dtype.kind == "c":
        sqr = multiply(arr, _oxnp.conjugate(arr), out=arr, where=where).real
    else:
        sqr = multiply(arr, arr, out=arr, where=where)
    v = _sum(sqr, axis, dtype, out, keepdims, None, where)
    vndim = v.ndim if hasattr(v, "ndim") else 0
    if vndim < cnt.ndim:
        cnt = cnt.squeeze(axis)
    dof = subtract(cnt, ddof)
    v = _divide_by_count(v, dof)
    isbad = _oxnp.less_equal(dof, 0)
    if _oxnp.any(isbad):
        warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
        if isinstance(v, ndarray):
            copyto(v, float("nan"), where=isbad)
        else:
            v = v.dtype.type(float("nan"))
    return v


@keeps_class(out=3, zero_d=True)
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
           mean=None, correction=None):
    v = nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, where=where,
               mean=mean, correction=correction)
    if isinstance(v, ndarray):
        return sqrt(v, out=v)
    return v.dtype.type(sqrt(v))


# ---------------------------------------------------------------- median and quantiles

def _ureduce(a, func, axis, out, keepdims, **kw):
    """Calls `func(a, axis=k, out=...)` with the reduced axes merged into one (NumPy's
    `_ureduce`), then restores keepdims."""
    a = asarray(a)
    nd = a.ndim
    given_out = out
    if axis is not None:
        axis = _axis_tuple(axis, nd)
        if keepdims and out is not None:
            out = out[(Ellipsis,) + tuple(0 if i in axis else slice(None) for i in range(nd))]
        if len(axis) == 1:
            k = axis[0]
        else:
            keep = [i for i in range(nd) if i not in axis]

            def merge(x):
                x = _oxnp.moveaxis(x, keep, list(range(len(keep))))
                return x.reshape(x.shape[:len(keep)] + (-1,))

            a = merge(a)
            if kw.get("weights") is not None:
                kw["weights"] = merge(kw["weights"])
            k = -1
    else:
        if keepdims and out is not None:
            out = out[(Ellipsis,) + (0,) * nd]
        k = None
    r = func(a, axis=k, out=out, **kw)
    if out is not None:
        return given_out  # the caller's array, not its keepdims-stripped view
    if keepdims:
        r = asarray(r).reshape(_keep_shape(nd, axis, r))
        if r.ndim == 0:
            return r[()]
    return r


def _keep_shape(nd, axis, r):
    r = asarray(r)
    shape = list(r.shape)
    lead = r.ndim - (nd - (nd if axis is None else len(axis)))
    out = shape[:lead]
    rest = iter(shape[lead:])
    for i in range(nd):
        out.append(1 if axis is None or i in axis else next(rest))
    return tuple(out)


def _lanes(a, axis):
    """`a` flattened (axis None) or as given, with the reduced axis index."""
    if axis is None:
        return a.ravel(), 0
    return a, _axis_tuple(axis, a.ndim)[0]


def _median(a, axis=None, out=None):
    a, ax = _lanes(asarray(a), axis)
    if a.ndim == 0:
        return a[()]
    sz = a.shape[ax]
    part = _oxnp._sorted_along(a, ax)
    idx = [slice(None)] * part.ndim
    h = sz // 2
    idx[ax] = slice(h, h + 1) if sz % 2 == 1 else slice(h - 1, h + 1)
    rout = mean(part[tuple(idx)], axis=ax, out=out)
    if a.dtype.kind in _INEXACT and sz > 0:
        last = [slice(None)] * part.ndim
        last[ax] = -1
        pot = part[tuple(last)]
        n = isnan(pot)
        if _oxnp.any(n):
            if not isinstance(rout, ndarray):
                return pot[()] if isinstance(pot, ndarray) else pot
            copyto(rout, pot, where=n)
    return rout


@keeps_class(out=2, zero_d=True)
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _ureduce(a, _median, axis, out, keepdims)


def _virtual_index(method, n, q):
    """The fractional positions of `q` in a sorted sample of n, per NumPy's method table."""
    def civ(alpha, beta):
        return n * q + (alpha + q * (1 - alpha - beta)) - 1

    def bounds(index, cond):
        prev = asarray(floor(index))
        gamma = index - prev
        res = asarray(add(prev, 1))
        copyto(res, prev, where=cond(gamma, index), casting="unsafe")
        res = asarray(res).astype("intp")
        return maximum(res, 0)

    if method == "inverted_cdf":
        return bounds(n * q - 1, lambda g, i: g == 0)
    if method == "closest_observation":
        return bounds(n * q - 1 - 0.5, lambda g, i: (g == 0) & (floor(i) % 2 == 1))
    if method == "averaged_inverted_cdf":
        return n * q - 1
    if method == "interpolated_inverted_cdf":
        return civ(0, 1)
    if method == "hazen":
        return civ(0.5, 0.5)
    if method == "weibull":
        return civ(0, 0)
    if method == "linear":
        return (n - 1) * q
    if method == "median_unbiased":
        return civ(1 / 3.0, 1 / 3.0)
    if method == "normal_unbiased":
        return civ(3 / 8.0, 3 / 8.0)
    if method == "lower":
        return asarray(floor((n - 1) * q)).astype("intp")
    if method == "higher":
        return asarray(ceil((n - 1) * q)).astype("intp")
    if method == "midpoint":
        return 0.5 * (floor((n - 1) * q) + ceil((n - 1) * q))
    if method == "nearest":
        return asarray(rint((n - 1) * q)).astype("intp")
    raise ValueError(f"{method!r} is not a valid method. Use one of: {_METHODS}")


_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation",
            "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
            "normal_unbiased", "lower", "higher", "midpoint", "nearest")


_TAKING_METHODS = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest", "linear")


def _weighted_quantile(arr, wgt, q, axis, out):
    """NumPy's weighted 'inverted_cdf': per lane, the first sorted value whose normalised
    cumulative weight reaches q."""
    from ._manip import ndindex, take, take_along_axis
    from ._sorting import searchsorted
    arr = _oxnp.moveaxis(asarray(arr), axis, 0)
    wgt = _oxnp.moveaxis(asarray(wgt), axis, 0)
    order = _oxnp.argsort(arr, axis=0, kind="stable")
    srt = take_along_axis(arr, order, axis=0)
    cdf = cumsum(take_along_axis(wgt, order, axis=0), axis=0, dtype="float64")
    true_divide(cdf, cdf[-1], out=cdf)
    if _oxnp.any(isnan(cdf[-1])):
        raise ValueError("Weights included NaN, inf or were all zero.")
    if q.dtype.kind == "f":
        cdf = cdf.astype(q.dtype)
    if _oxnp.any(cdf[0] == 0):
        # leading zero weights: q=0 must pick the first value with weight
        copyto(cdf, -1, where=cdf == 0)
    n = srt.shape[0]
    res = empty(q.shape + srt.shape[1:], srt.dtype)
    for lane in ndindex(srt.shape[1:]):
        at = (slice(None),) + lane
        pos = _oxnp.minimum(searchsorted(cdf[at], q, side="left"), n - 1)
        res[(Ellipsis,) + lane] = take(srt[at], pos)
    if srt.dtype.kind in _INEXACT and n:
        bad = asarray(isnan(srt[-1]))
        if _oxnp.any(bad):
            if res.ndim == 0 and out is None:
                return srt[-1]
            copyto(res, srt[-1], where=bad)
    if out is not None:
        copyto(out, res, casting="unsafe")
        return out
    return res  # NumPy leaves a 0-d result an array here


def _quantile_weights(a, weights, axis, method):
    """NumPy's checks of quantile weights; the weights broadcast to `a`'s shape."""
    if method != "inverted_cdf":
        raise ValueError(f"Only method 'inverted_cdf' supports weights. Got: {method}.")
    w = asarray(weights)
    if w.shape != a.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        axes = _axis_tuple(axis, a.ndim)
        if w.shape != tuple(a.shape[ax] for ax in axes):
            raise ValueError("Shape of weights must be consistent with shape of a along "
                             "specified axis.")
        w = w.transpose(tuple(sorted(range(len(axes)), key=lambda i: axes[i])))
        w = w.reshape(tuple(s if i in axes else 1 for i, s in enumerate(a.shape)))
    if _oxnp.any(w < 0):
        raise ValueError("Weights must be non-negative.")
    return _oxnp.broadcast_to(w, a.shape)


def _fix_gamma(method, gamma, vidx):
    if method == "averaged_inverted_cdf":
        g = _oxnp.full(gamma.shape, 1.0)
        copyto(g, 0.5, where=gamma == 0, casting="unsafe")
        return g
    if method == "midpoint":
        g = _oxnp.full(gamma.shape, 0.5)
        copyto(g, 0.0, where=vidx % 1 == 0, casting="unsafe")
        return g
    return gamma


def _lerp(a, b, t):
    """NumPy's `_lerp`: a + (b-a)*t, recomputed as b - (b-a)*(1-t) where t >= 0.5. A Python
    float `t` (weak q) keeps the input's float dtype; an array `t` is float64."""
    diff = subtract(b, a)
    res = asarray(add(a, multiply(diff, t)))
    rest = 1 - t if isinstance(t, float) else subtract(1, t)  # a Python float stays weak
    subtract(b, multiply(diff, rest), out=res, where=asarray(t >= 0.5), casting="unsafe")
    return res[()] if res.ndim == 0 else res


def _take0(srt, idx):
    """`srt[idx]` along axis 0 for an intp index array (a 0-d index acts as an integer)."""
    if idx.ndim == 0:
        return srt[int(idx)]
    return srt[idx]


def _quantile(arr, q, axis, method, out, weak_q):
    arr = asarray(arr)
    n = arr.shape[axis]
    if axis != 0:
        arr = _oxnp.moveaxis(arr, axis, 0)
    srt = _oxnp._sorted_along(arr, 0)
    nans = arr.dtype.kind in _INEXACT
    vidx = asarray(_virtual_index(method, n, q))
    # integer positions are taken as they are by the non-interpolating methods and 'linear';
    # the others still interpolate (their gamma fix-ups apply)
    if vidx.dtype.kind in "iu" and method in _TAKING_METHODS:
        res = _take0(srt, vidx)
    else:
        # NumPy's _get_indexes: out-of-range and NaN positions point at the ends.
        prev = asarray(floor(vidx)).copy()
        nxt = asarray(add(prev, 1))
        for cond, val in ((vidx >= n - 1, -1), (vidx < 0, 0), (isnan(vidx), -1)):
            cond = asarray(cond)
            copyto(prev, val, where=cond)
            copyto(nxt, val, where=cond)
        prev = prev.astype("intp")
        nxt = nxt.astype("intp")
        # gamma is taken against the adjusted previous index, as NumPy does.
        gamma = asarray(_fix_gamma(method, asarray(subtract(vidx, prev)), vidx), dtype=vidx.dtype)
        if weak_q:
            t = float(gamma)
        else:
            t = gamma.reshape(vidx.shape + (1,) * (srt.ndim - 1))
        res = _lerp(_take0(srt, prev), _take0(srt, nxt), t)
    if nans and n > 0:
        last = srt[-1]
        bad = asarray(isnan(last))
        if _oxnp.any(bad):
            if asarray(res).ndim == 0:
                res = last
            else:
                res = asarray(res)
                copyto(res, last, where=bad, casting="unsafe")
    if out is not None:
        copyto(out, res, casting="unsafe")
        return out
    if isinstance(res, ndarray) and res.ndim == 0:
        return res[()]
    return res


def _quantile_checked(a, q, axis, out, method, keepdims, weak_q, word, weights=None):
    a = asarray(a)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    qa = asarray(q)
    if qa.size and not (float(_oxnp.min(qa)) >= 0 and float(_oxnp.max(qa)) <= 1):
        raise ValueError(f"{word} must be in the range [0, {1 if word == 'Quantiles' else 100}]")
    if weights is not None:
        weights = _quantile_weights(a, weights, axis, method)
    if method not in _METHODS:
        raise ValueError(f"{method!r} is not a valid method. Use one of: {_METHODS}")
    if qa.ndim > 2:
        raise ValueError("q must be a scalar or 1d")

    def func(x, axis=None, out=None, weights=None):
        x, ax = _lanes(asarray(x), axis)
        if weights is not None:
            return _weighted_quantile(x, _lanes(asarray(weights), axis)[0], qa, ax, out)
        return _quantile(x, qa, ax, method, out, weak_q)

    return _ureduce_q(a, func, axis, out, keepdims, qa, weights=weights)


def _ureduce_q(a, func, axis, out, keepdims, qa, **kw):
    r = _ureduce(a, func, axis, None, False, **kw)
    if keepdims:
        nd = a.ndim
        ax = _axis_tuple(axis, nd) if axis is not None else tuple(range(nd))
        shape = qa.shape + tuple(1 if i in ax else a.shape[i] for i in range(nd))
        r = asarray(r).reshape(shape)
    if out is not None:
        copyto(out, r, casting="unsafe")
        return out
    return r


def _method(method, interpolation):
    if interpolation is not None:
        return interpolation
    return method


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):
    weak = type(q) in (int, float)
    return _quantile_checked(a, asarray(q), axis, out, _method(method, interpolation),
                             keepdims, weak, "Quantiles", weights)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):
    weak = type(q) in (int, float)
    a = asarray(a)
    qd = true_divide(q, 100)
    return _quantile_checked(a, qd, axis, out, _method(method, interpolation), keepdims, weak,
                             "Percentiles", weights)


def _nan_lanes(func, a, axis, out, keepdims, weights=None, **kw):
    """Applies the 1-D `func` to the NaN-free part of every lane along the reduced axes
    (and to the matching part of the lane's `weights`, broadcast to `a`, when given)."""
    a = asarray(a)
    if a.dtype.kind not in _INEXACT:
        return None
    nd = a.ndim
    ax = _axis_tuple(axis, nd) if axis is not None else tuple(range(nd))
    keep = [i for i in range(nd) if i not in ax]
    m = _oxnp.moveaxis(a, keep, list(range(len(keep)))) if keep else a
    kshape = tuple(a.shape[i] for i in keep)
    lanes = m.reshape((-1, _prod(a.shape[i] for i in ax)))
    if weights is not None:
        w = _oxnp.broadcast_to(asarray(weights), a.shape)
        w = _oxnp.moveaxis(w, keep, list(range(len(keep)))) if keep else w
        wlanes = w.reshape(lanes.shape)
    results = []
    for i in range(lanes.shape[0]):
        lane = lanes[i]
        mask = logical_not(isnan(lane))
        good = lane[mask]
        if good.size == 0:
            warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
        if weights is None:
            results.append(func(good, lane, **kw))
        else:
            results.append(func(good, lane, wlanes[i][mask], **kw))
    p0 = asarray(results[0]) if results else asarray(float("nan"))
    res = empty((len(results),) + p0.shape, p0.dtype)
    for i, r in enumerate(results):
        res[i] = r
    # quantile results put q's axes first
    res = _oxnp.moveaxis(res, 0, -1) if p0.ndim else res
    res = res.reshape(p0.shape + kshape)
    if keepdims:
        res = res.reshape(p0.shape + tuple(1 if i in ax else a.shape[i] for i in range(nd)))
    if out is not None:
        copyto(out, res, casting="unsafe")
        return out
    return res[()] if res.ndim == 0 else res


def _prod(it):
    p = 1
    for v in it:
        p *= v
    return p


@keeps_class(out=2, zero_d=True)
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    a = asarray(a)
    if a.size == 0:
        # NumPy answers an empty input with nanmean (its NaNs and warning)
        return nanmean(a, axis, out=out, keepdims=keepdims)
    if a.dtype.kind not in _INEXACT:
        return median(a, axis=axis, out=out, keepdims=keepdims)

    def one(good, lane):
        if good.size == 0:
            return lane[-1]
        return _median(good)

    return _nan_lanes(one, a, axis, out, keepdims)


def _nanquantile(a, qa, axis, out, method, keepdims, weak, weights):
    a = asarray(a)
    if weights is not None and a.dtype.kind != "c":
        weights = _quantile_weights(a, weights, axis, method)
    if a.size == 0 and a.dtype.kind != "c":
        # NumPy answers an empty input with nanmean, whatever q is
        return nanmean(a, axis, out=out, keepdims=keepdims)
    if a.dtype.kind not in _INEXACT:
        return _quantile_checked(a, qa, axis, out, method, keepdims, weak, "Quantiles", weights)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")

    def one(good, lane, wgood=None):
        if wgood is not None:
            # NaNs leave with their weights; an all-NaN lane gives NaN
            if good.size == 0:
                return _oxnp.full(qa.shape, float("nan"), dtype=lane.dtype)
            return _weighted_quantile(good, wgood, qa, 0, None)
        if good.size == 0:
            return _quantile(lane, qa, 0, method, None, weak)
        return _quantile(good, qa, 0, method, None, weak)

    return _nan_lanes(one, a, axis, out, keepdims, weights)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):
    qa = asarray(q)
    if qa.size and not (float(_oxnp.min(qa)) >= 0 and float(_oxnp.max(qa)) <= 1):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _nanquantile(a, qa, axis, out, _method(method, interpolation), keepdims,
                        type(q) in (int, float), weights)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None, interpolation=None):
    qa = asarray(true_divide(q, 100))
    if qa.size and not (float(_oxnp.min(qa)) >= 0 and float(_oxnp.max(qa)) <= 1):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return _nanquantile(a, qa, axis, out, _method(method, interpolation), keepdims,
                        type(q) in (int, float), weights)


# ---------------------------------------------------------------- average

def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    a = asarray(a)
    if axis is not None:
        axis = _axis_tuple(axis, a.ndim)
    kd = {"keepdims": keepdims}
    if weights is None:
        avg = mean(a, axis, **kd)
        avg_arr = asarray(avg)
        scl = avg_arr.dtype.type(a.size / avg_arr.size)
    else:
        wgt = asarray(weights)
        if _is_int_or_bool(a.dtype):
            rdt = _oxnp.result_type(a.dtype, wgt.dtype, "f8")
        else:
            rdt = _oxnp.result_type(a.dtype, wgt.dtype)
        if a.shape != wgt.shape:
            if axis is None:
                raise TypeError("Axis must be specified when shapes of a and weights differ.")
            if wgt.shape != tuple(a.shape[ax] for ax in axis):
                raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
            order = sorted(range(len(axis)), key=lambda i: axis[i])
            wgt = wgt.transpose(order)
            wgt = wgt.reshape(tuple(s if ax in axis else 1 for ax, s in enumerate(a.shape)))
        scl = wgt.sum(axis=axis, dtype=rdt, **kd)
        if _oxnp.any(_oxnp.equal(scl, 0.0)):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = avg_arr = true_divide(multiply(a, wgt, dtype=rdt).sum(axis, **kd), scl)
    if returned:
        if asarray(scl).shape != avg_arr.shape:
            scl = _oxnp.broadcast_to(scl, avg_arr.shape).copy()
        return avg, scl
    return avg
