"""Searching, distinct values, set membership and histograms, built on the Rust kernels of
`crates/oxnp-python/src/sorting.rs` (`sort`, `argsort`, `_searchsorted`, `_interp`,
`_histogram_uniform`, `_unique_exact`).

Results are NumPy 2.4's, bit for bit: where a result depends on the order or the dtype of
floating-point steps (histogram edges, bin widths, bin assignment) those steps are taken in
NumPy's order and at NumPy's precision, with NEP 50 promotion supplied by oxnp's own scalars
and ufuncs.
"""

import math
import operator
import warnings
from typing import NamedTuple

import oxnp as _ox

from . import _oxnp
from .exceptions import AxisError

__all__ = [
    "digitize", "histogram", "histogram2d", "histogram_bin_edges", "histogramdd", "interp",
    "intersect1d", "isin", "lexsort", "searchsorted", "setdiff1d", "setxor1d", "sort_complex",
    "union1d", "unique", "unique_all", "unique_counts", "unique_inverse", "unique_values",
]

_pyrange = range
_INTP = "int64"


def _arr(x, dtype=None):
    return _oxnp.asarray(x) if dtype is None else _oxnp.asarray(x, dtype=dtype)


def _kind(x):
    return x.dtype.kind


def _as_type(x, dtype):
    """`x` in `dtype`, copied only when the dtype differs."""
    return x if x.dtype == dtype else x.astype(dtype)


def _scalar_out(res):
    """A 0-d result comes back as a scalar, as NumPy's functions return it."""
    return res[()] if res.ndim == 0 else res


# =======================================================================================
# searching and ordering


def _positions(haystack, needles, right):
    """Insertion points of `needles` into the sorted 1-D `haystack`, both already of one
    dtype; an intp array shaped like `needles`."""
    return _oxnp._searchsorted(haystack, needles, right)


def searchsorted(a, v, side="left", sorter=None):
    if side not in ("left", "right"):
        raise ValueError(f"search side must be 'left' or 'right' (got {side!r})")
    hay = _arr(a)
    if hay.ndim != 1:
        raise ValueError("object of too small depth for desired array" if hay.ndim == 0
                         else "object too deep for desired array")
    needles = _arr(v)
    if sorter is not None:
        order = _arr(sorter)
        if _kind(order) not in "iub":
            raise TypeError("sorter must only contain integers")
        if order.ndim != 1 or order.shape[0] != hay.shape[0]:
            raise ValueError("sorter.size must equal a.size")
        if order.size and (int(order.min()) < 0 or int(order.max()) >= hay.shape[0]):
            raise ValueError("Sorter index out of range.")
        hay = hay[order.astype(_INTP)]
    common = _oxnp.promote_types(hay.dtype, needles.dtype)
    found = _positions(_as_type(hay, common), _as_type(needles, common), side == "right")
    return _scalar_out(found)


def lexsort(keys, axis=-1):
    if isinstance(keys, _oxnp.ndarray):
        if keys.ndim == 0:
            raise TypeError("need sequence of keys with len > 0 in lexsort")
        columns = [keys[i] for i in _pyrange(keys.shape[0])]
    else:
        try:
            columns = list(keys)
        except TypeError:
            raise TypeError("need sequence of keys with len > 0 in lexsort") from None
    if not columns:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    columns = [_arr(k) for k in columns]
    shape = columns[0].shape
    if any(k.shape != shape for k in columns):
        raise ValueError("all keys need to be the same shape")
    axis = operator.index(axis)
    if len(shape) == 0:
        return _arr(0, _INTP)[()]
    # Least significant key first: each stable pass keeps the order of the previous ones
    # among its ties, so the last key ends up primary.
    order = _oxnp.argsort(columns[0], axis=axis, kind="stable")
    for key in columns[1:]:
        gathered = _ox.take_along_axis(key, order, axis=axis)
        order = _ox.take_along_axis(order, _oxnp.argsort(gathered, axis=axis, kind="stable"),
                                    axis=axis)
    return order


def sort_complex(a):
    vals = _oxnp.sort(_arr(a))
    if _kind(vals) == "c":
        return vals
    target = "complex64" if vals.dtype.name in ("int8", "uint8", "int16", "uint16") else "complex128"
    return vals.astype(target)


def _bins_direction(bins):
    """+1 for non-decreasing `bins`, -1 for non-increasing; ValueError otherwise."""
    if bins.ndim != 1:
        raise ValueError("object of too small depth for desired array" if bins.ndim == 0
                         else "object too deep for desired array")
    if _kind(bins) == "c":
        # NumPy reads the bins as float64 under the 'safe' rule
        raise TypeError(f"Cannot cast array data from dtype('{bins.dtype}') to dtype('float64') "
                        f"according to the rule 'safe'")
    if bins.size < 2:
        return 1
    # The direction is set by the first element unequal to the first one (NaN counts as
    # unequal, and a NaN start reads as decreasing); then no step may go the other way.
    moved = ~(bins == bins[0])
    if not bool(moved.any()):
        return 1
    pivot = bins[int(_ox.argmax(moved))]
    head, tail = bins[:-1], bins[1:]
    if bool(bins[0] < pivot):
        if not bool((tail < head).any()):
            return 1
    elif not bool((tail > head).any()):
        return -1
    raise ValueError("bins must be monotonically increasing or decreasing")


def digitize(x, bins, right=False):
    vals = _arr(x)
    edges = _arr(bins)
    if _kind(vals) == "c":
        raise TypeError("x may not be complex")
    side = "left" if right else "right"
    if _bins_direction(edges) > 0:
        return searchsorted(edges, vals, side=side)
    return edges.shape[0] - searchsorted(edges[::-1], vals, side=side)


def _interp_end(value, fallback, complex_fp):
    v = fallback if value is None else value
    if complex_fp:
        c = complex(v)
        return (c.real, c.imag)
    return float(v)


def interp(x, xp, fp, left=None, right=None, period=None):
    fvals = _arr(fp)
    complex_fp = _kind(fvals) == "c"
    fdtype = "complex128" if complex_fp else "float64"
    xin = _arr(x)
    if _kind(xin) == "c":
        raise TypeError("Cannot cast array data from dtype('complex128') to dtype('float64') "
                        "according to the rule 'safe'")
    xin = xin.astype("float64")
    pts = _arr(xp).astype("float64")
    fvals = fvals.astype(fdtype)
    if period is not None:
        if period == 0:
            raise ValueError("period must be a non-zero value")
        period = abs(period)
        left = right = None
        if pts.ndim != 1 or fvals.ndim != 1:
            raise ValueError("Data points must be 1-D sequences")
        if pts.shape[0] != fvals.shape[0]:
            raise ValueError("fp and xp are not of the same length")
        xin = xin % period
        pts = pts % period
        order = _oxnp.argsort(pts)
        pts, fvals = pts[order], fvals[order]
        # one wrapped copy of the last point before the start and of the first after the end
        pts = _oxnp.concatenate((pts[-1:] - period, pts, pts[:1] + period))
        fvals = _oxnp.concatenate((fvals[-1:], fvals, fvals[:1]))
    if pts.ndim != 1 or fvals.ndim != 1:
        raise ValueError("object too deep for desired array" if max(pts.ndim, fvals.ndim) > 1
                         else "object of too small depth for desired array")
    if pts.shape[0] != fvals.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    if pts.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    lo = _interp_end(left, fvals[0], complex_fp)
    hi = _interp_end(right, fvals[-1], complex_fp)
    out = _oxnp._interp(xin, _ox.ascontiguousarray(pts), _ox.ascontiguousarray(fvals), lo, hi)
    return _scalar_out(out)


# =======================================================================================
# distinct values


class UniqueAllResult(NamedTuple):
    values: object
    indices: object
    inverse_indices: object
    counts: object


class UniqueCountsResult(NamedTuple):
    values: object
    counts: object


class UniqueInverseResult(NamedTuple):
    values: object
    inverse_indices: object


def _group_starts(ordered, nan_as_one):
    """Boolean mask over the sorted 1-D `ordered`: True where a run of equal values starts.
    With `nan_as_one`, the NaNs (sorted last) form a single run."""
    n = ordered.shape[0]
    if n == 0:
        return _ox.zeros(0, dtype=bool)
    starts = _oxnp.concatenate((_arr([True]), ordered[1:] != ordered[:-1]))
    if nan_as_one and _kind(ordered) in "fc" and n and bool(_ox.isnan(ordered[-1])):
        first_nan = int(_ox.argmax(_ox.isnan(ordered)))
        tail = _ox.zeros(n - first_nan, dtype=bool)
        tail[0] = True
        starts = _oxnp.concatenate((starts[:first_nan], tail))
    return starts


def _run_lengths(starts):
    begin = _ox.flatnonzero(starts)
    return _ox.diff(_oxnp.concatenate((begin, _arr([starts.shape[0]], _INTP))))


def _distinct_flat(flat, want_index, want_inverse, want_counts, nan_as_one):
    """The sorted distinct values of the 1-D `flat`, then first-occurrence indices, the
    inverse and the counts as asked (a list)."""
    if not (want_index or want_inverse or want_counts):
        if _kind(flat) in "biu":
            return [_oxnp._unique_exact(flat)]
        if _kind(flat) == "c" and nan_as_one:
            # NumPy's plain path keeps the first NaN of the input as the NaNs' representative.
            vals = _distinct_flat(flat, False, False, True, True)[0]
            if vals.size and bool(_ox.isnan(vals[-1])):
                vals[-1] = flat[int(_ox.argmax(_ox.isnan(flat)))]
            return [vals]
    if want_index or want_inverse:
        perm = _oxnp.argsort(flat, kind="stable")
        ordered = flat[perm]
    else:
        perm = None
        ordered = _oxnp.sort(flat)
    starts = _group_starts(ordered, nan_as_one)
    out = [ordered[starts]]
    if want_index:
        out.append(perm[starts])
    if want_inverse:
        group = _ox.cumsum(starts).astype(_INTP) - 1
        inverse = _ox.empty(flat.shape[0], dtype=_INTP)
        inverse[perm] = group
        out.append(inverse)
    if want_counts:
        out.append(_run_lengths(starts))
    return out


def _distinct_rows(block, want_index, want_inverse, want_counts):
    """`_distinct_flat` for the rows of the 2-D `block`, rows ordered lexicographically."""
    nrows, ncols = block.shape
    if ncols == 0 or nrows == 0:
        keep = min(nrows, 1)
        out = [block[:keep]]
        if want_index:
            out.append(_ox.zeros(keep, dtype=_INTP))
        if want_inverse:
            out.append(_ox.zeros(nrows, dtype=_INTP))
        if want_counts:
            out.append(_arr([nrows] if keep else [], _INTP))
        return out
    perm = lexsort([block[:, j] for j in _pyrange(ncols - 1, -1, -1)])
    ordered = block[perm]
    differs = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = _oxnp.concatenate((_arr([True]), differs))
    out = [ordered[starts]]
    if want_index:
        out.append(perm[starts])
    if want_inverse:
        inverse = _ox.empty(nrows, dtype=_INTP)
        inverse[perm] = _ox.cumsum(starts).astype(_INTP) - 1
        out.append(inverse)
    if want_counts:
        out.append(_run_lengths(starts))
    return out


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):
    data = _arr(ar)
    if axis is not None and data.ndim == 1:
        # a 1-D array along its only axis is the flat case (NaNs merged as equal_nan says)
        if isinstance(axis, float):
            raise TypeError("integer argument expected, got float")
        ax = operator.index(axis)
        if not -1 <= ax < 1:
            raise AxisError(ax, 1)
        axis = None
    if axis is None:
        parts = _distinct_flat(data.ravel(), return_index, return_inverse, return_counts,
                               equal_nan)
        if return_inverse:
            at = 1 + bool(return_index)
            parts[at] = parts[at].reshape(data.shape)
    else:
        ax = operator.index(axis)
        if not -data.ndim <= ax < data.ndim:
            raise AxisError(ax, data.ndim)
        ax %= data.ndim
        moved = _ox.moveaxis(data, ax, 0)
        inner = moved.shape[1:]
        width = 1
        for s in inner:
            width *= s
        block = _ox.ascontiguousarray(moved).reshape(moved.shape[0], width)
        parts = _distinct_rows(block, return_index, return_inverse, return_counts)
        vals = parts[0].reshape((parts[0].shape[0],) + inner)
        parts[0] = _ox.moveaxis(vals, 0, ax)
    if len(parts) == 1:
        return parts[0]
    return tuple(parts)


def unique_all(x):
    vals, idx, inv, cnt = unique(x, True, True, True, equal_nan=False)
    return UniqueAllResult(vals, idx, inv, cnt)


def unique_counts(x):
    vals, cnt = unique(x, return_counts=True, equal_nan=False)
    return UniqueCountsResult(vals, cnt)


def unique_inverse(x):
    vals, inv = unique(x, return_inverse=True, equal_nan=False)
    return UniqueInverseResult(vals, inv)


def unique_values(x):
    return unique(x, equal_nan=False)


# =======================================================================================
# set operations


_TABLE_LIMIT = 1 << 34


def _integer_overlap(probe, pool):
    """`pool` restricted to the values representable in `probe`'s dtype and cast to it,
    for integer pairs whose promotion would be inexact (int64 with uint64)."""
    if _kind(probe) == "u":
        pool = pool[pool >= 0]
    else:
        pool = pool[pool <= _ox.iinfo(probe.dtype).max]
    return probe, pool.astype(probe.dtype)


def _membership(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    """Flat boolean mask: which elements of `ar1` equal some element of `ar2`."""
    probe = _arr(ar1).ravel()
    pool = _arr(ar2).ravel()
    if kind not in (None, "sort", "table"):
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    integral = _kind(probe) in "biu" and _kind(pool) in "biu"
    if kind == "table":
        if not integral:
            raise ValueError("The 'table' method is only supported for boolean or integer "
                             "arrays. Please select 'sort' or None for kind.")
        width = int(pool.max()) - int(pool.min()) if pool.size else 0
        if _kind(pool) != "b" and width > int(_ox.iinfo(pool.dtype).max):
            raise RuntimeError("You have specified kind='table', but the range of values in "
                               "`ar2` or `ar1` exceed the maximum integer of the datatype. "
                               "Please set `kind` to None or 'sort'.")
        if width + 1 >= 2 ** 63:
            raise ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger "
                             "than the maximum possible size.")
        if width >= _TABLE_LIMIT:
            raise MemoryError(f"Unable to allocate a lookup table of {width + 1} booleans")
    if integral and probe.dtype != pool.dtype:
        if _oxnp.promote_types(probe.dtype, pool.dtype).kind == "f":
            probe, pool = _integer_overlap(probe, pool)
    if pool.size == 0 or probe.size == 0:
        hit = _ox.zeros(probe.shape[0], dtype=bool)
    else:
        common = _oxnp.promote_types(probe.dtype, pool.dtype)
        table = _oxnp.sort(_as_type(pool, common))
        needles = _as_type(probe, common)
        # each value against the first table entry not below it
        at = _positions(table, needles, False)
        last = table.shape[0] - 1
        hit = (table[_ox.minimum(at, last)] == needles) & (at <= last)
    return ~hit if invert else hit


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    element = _arr(element)
    return _membership(element, test_elements, assume_unique, invert,
                       kind=kind).reshape(element.shape)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    if assume_unique:
        left, right = _arr(ar1).ravel(), _arr(ar2).ravel()
    elif return_indices:
        left, left_at = unique(ar1, return_index=True)
        right, right_at = unique(ar2, return_index=True)
    else:
        left, right = unique(ar1), unique(ar2)
    both = _oxnp.concatenate((left, right))
    if return_indices:
        order = _oxnp.argsort(both, kind="stable")
        both = both[order]
    else:
        both = _oxnp.sort(both)
    pair = both[1:] == both[:-1]
    common = both[:-1][pair]
    if not return_indices:
        return common
    from_left = order[:-1][pair]
    from_right = order[1:][pair] - left.size
    if not assume_unique:
        from_left, from_right = left_at[from_left], right_at[from_right]
    return common, from_left, from_right


def setxor1d(ar1, ar2, assume_unique=False):
    if not assume_unique:
        ar1, ar2 = unique(ar1), unique(ar2)
    merged = _oxnp.concatenate((_arr(ar1).ravel(), _arr(ar2).ravel()))
    if merged.size == 0:
        return merged
    merged = _oxnp.sort(merged)
    edge = _arr([True])
    fresh = _oxnp.concatenate((edge, merged[1:] != merged[:-1], edge))
    return merged[fresh[1:] & fresh[:-1]]


def union1d(ar1, ar2):
    return unique(_oxnp.concatenate((_arr(ar1).ravel(), _arr(ar2).ravel())))


def setdiff1d(ar1, ar2, assume_unique=False):
    left = _arr(ar1).ravel() if assume_unique else unique(ar1)
    return left[_membership(left, unique(ar2), True, invert=True)]


# =======================================================================================
# histograms


def _span(hi, lo):
    """`hi - lo` in their common dtype, except that a signed integer difference is taken
    modulo 2**bits into the unsigned type of the same width, so it cannot overflow."""
    dt = _ox.result_type(hi, lo)
    if dt.kind == "i":
        unsigned = "u" + dt.name
        return _ox.subtract(_arr(hi, dt), _arr(lo, dt), dtype=unsigned, casting="unsafe")
    return _ox.subtract(hi, lo, dtype=dt)


def _data_span(x):
    return _span(x.max(), x.min())


# ---- bin-width estimators: each maps the in-range data (and the range) to a width ------


def _width_sqrt(x, _limits):
    return _data_span(x) / _ox.sqrt(x.size)


def _width_sturges(x, _limits):
    return _data_span(x) / (_ox.log2(x.size) + 1.0)


def _width_rice(x, _limits):
    return _data_span(x) / (2.0 * x.size ** (1.0 / 3))


def _width_scott(x, _limits):
    return (24.0 * math.pi ** 0.5 / x.size) ** (1.0 / 3.0) * _ox.std(x)


def _width_stone(x, limits):
    n = x.size
    total = _data_span(x)
    if n <= 1 or total == 0:
        return 0

    def risk(k):
        share = histogram(x, bins=k, range=limits)[0] / n
        # oxnp has no `dot` yet; the squared sum only ranks the candidate counts.
        sq = _ox.dot(share, share) if hasattr(_ox, "dot") else (share * share).sum()
        return (2 - (n + 1) * sq) / (total / k)

    cap = max(100, int(math.sqrt(n)))
    best = min(_pyrange(1, cap + 1), key=risk)
    if best == cap:
        warnings.warn("The number of bins estimated may be suboptimal.", RuntimeWarning,
                      stacklevel=3)
    return total / best


def _width_doane(x, _limits):
    n = x.size
    if n <= 2:
        return 0.0
    sg1 = _ox.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)))
    sigma = _ox.std(x)
    if not sigma > 0.0:
        return 0.0
    centred = x - _ox.mean(x)
    z = (centred / sigma).astype(centred.dtype)
    skew = _ox.mean(_ox.power(z, 3).astype(centred.dtype))
    return _data_span(x) / (1.0 + _ox.log2(n) + _ox.log2(1.0 + _ox.absolute(skew) / sg1))


def _width_fd(x, _limits):
    q75, q25 = _ox.percentile(x, [75, 25])
    return 2.0 * _ox.subtract(q75, q25) * x.size ** (-1.0 / 3.0)


def _width_auto(x, limits):
    fd = _width_fd(x, limits)
    st = _width_sturges(x, limits)
    # NumPy 2.4 bounds the count: the fd width is taken as at least half the square-root
    # rule's (which also stands in for a zero fd width).
    fd = max(fd, _width_sqrt(x, limits) / 2)
    return min(fd, st) if fd else st


_ESTIMATORS = {
    "auto": _width_auto, "doane": _width_doane, "fd": _width_fd, "rice": _width_rice,
    "scott": _width_scott, "sqrt": _width_sqrt, "stone": _width_stone,
    "sturges": _width_sturges,
}


def _flat_input(a, weights):
    data = _arr(a)
    if weights is not None:
        weights = _arr(weights)
        if weights.shape != data.shape:
            raise ValueError("weights should have the same shape as a.")
        weights = weights.ravel()
    if _kind(data) == "b":
        warnings.warn("Converting input from bool to <class 'numpy.uint8'> for compatibility.",
                      RuntimeWarning, stacklevel=3)
        data = data.astype("uint8")
    return data.ravel(), weights


def _limits(data, rng):
    """The first and last edge: `rng`, or the data's extremes (0, 1 when empty), widened by
    half a unit each way when they coincide."""
    if rng is not None:
        lo, hi = rng
        if lo > hi:
            raise ValueError("max must be larger than min in range parameter.")
        if not (_ox.isfinite(lo) and _ox.isfinite(hi)):
            raise ValueError(f"supplied range of [{lo}, {hi}] is not finite")
    elif data.size == 0:
        lo, hi = 0, 1
    else:
        lo, hi = data.min(), data.max()
        if not (_ox.isfinite(lo) and _ox.isfinite(hi)):
            raise ValueError(f"autodetected range of [{lo}, {hi}] is not finite")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


_MAX_EQUAL_BINS = 1 << 32


def _edges(data, bins, rng, weights):
    """(edges, (first, last, count) for equal-width bins or None)."""
    count = None
    if isinstance(bins, str):
        estimator = _ESTIMATORS.get(bins)
        if estimator is None:
            raise ValueError(f"{bins!r} is not a valid estimator for `bins`")
        if weights is not None:
            raise TypeError("Automated estimation of the number of bins is not "
                            "supported for weighted data")
        lo, hi = _limits(data, rng)
        if rng is not None:
            inside = (data >= lo) & (data <= hi)
            if not bool(inside.all()):
                data = data[inside]
        count = 1
        if data.size:
            width = estimator(data, (lo, hi))
            if width:
                if _kind(data) in "iu" and width < 1:
                    width = 1
                count = int(_ox.ceil(_span(hi, lo) / width))
    elif _ox.ndim(bins) == 0:
        try:
            count = operator.index(bins)
        except TypeError:
            raise TypeError("`bins` must be an integer, a string, or an array") from None
        if count < 1:
            raise ValueError("`bins` must be positive, when an integer")
        lo, hi = _limits(data, rng)
    elif _ox.ndim(bins) == 1:
        given = _arr(bins)
        if bool((given[:-1] > given[1:]).any()):
            raise ValueError("`bins` must increase monotonically, when an array")
        return given, None
    else:
        raise ValueError("`bins` must be 1d, when an array")

    if (count + 1) * 8 >= 2 ** 63:
        raise ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than "
                         "the maximum possible size.")
    if count > _MAX_EQUAL_BINS:
        raise MemoryError(f"Unable to allocate the {count + 1} edges of the histogram")
    edge_type = _ox.result_type(lo, hi, data)
    if edge_type.kind in "iub":
        edge_type = _ox.result_type(edge_type, float)
    edges = _ox.linspace(lo, hi, count + 1, endpoint=True, dtype=edge_type)
    if bool((edges[:-1] >= edges[1:]).any()):
        raise ValueError(f"Too many bins for data range. Cannot create {count} "
                         "finite-sized bins.")
    return edges, (lo, hi, count)


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    data, weights = _flat_input(a, weights)
    return _edges(data, bins, range, weights)[0]


_BLOCK = 65536
_EXACT_F64 = 2 ** 53


def _as_exact_float(v):
    """`v` as a Python float when the conversion is exact, else None."""
    f = float(v)
    if isinstance(v, float) or _kind(_arr(v)) == "f":
        return f
    return f if math.isfinite(f) and int(f) == int(v) else None


def _kernel_operands(data, weights, edges, lo, hi, span):
    """The float64 operands of `_histogram_uniform` when it reproduces NumPy exactly: the
    data, range and denominator convert to float64 without rounding, so comparisons and
    the bin formula are the ones NumPy evaluates; otherwise None."""
    if edges.dtype.name != "float64":
        return None
    if weights is not None and weights.dtype.name != "float64":
        return None
    name = data.dtype.name
    if name in ("int64", "uint64"):
        if data.size and (int(data.max()) > _EXACT_F64 or int(data.min()) < -_EXACT_F64):
            return None
    elif name not in ("float64", "float32", "float16", "int8", "uint8", "int16", "uint16",
                      "int32", "uint32"):
        return None
    bounds = [_as_exact_float(v) for v in (lo, hi)]
    if None in bounds:
        return None
    vals = data if name == "float64" else data.astype("float64")
    return vals, bounds[0], bounds[1], float(span)


def _equal_bin_index(vals, edges, lo, span, count):
    """NumPy's equal-width bin of each in-range value: the scaled offset truncated, then
    moved by one where it disagrees with the edges themselves."""
    vals = vals.astype(edges.dtype)
    idx = ((vals - lo) / span * count).astype(_INTP)
    idx = idx - (idx == count)
    idx = idx - (vals < edges[idx])
    idx = idx + ((vals >= edges[idx + 1]) & (idx != count - 1))
    return idx


def _equal_bins_counts(data, weights, edges, lo, hi, count, tally_type):
    span = _span(hi, lo)
    fast = _kernel_operands(data, weights, edges, lo, hi, span)
    if fast is not None:
        vals, flo, fhi, fspan = fast
        return _oxnp._histogram_uniform(vals, weights, flo, fhi, flo, fspan, edges)
    totals = _ox.zeros(count, dtype=tally_type)
    step = data.shape[0] if weights is None else _BLOCK
    for start in _pyrange(0, data.shape[0], max(step, 1)):
        vals = data[start:start + step]
        wts = None if weights is None else weights[start:start + step]
        inside = (vals >= lo) & (vals <= hi)
        if not bool(inside.all()):
            vals = vals[inside]
            if wts is not None:
                wts = wts[inside]
        idx = _equal_bin_index(vals, edges, lo, span, count)
        if idx.size:
            # low-precision offsets can miss by more than the one-step correction; NumPy's
            # tally then rejects the index
            if int(idx.min()) < 0:
                raise ValueError("'list' argument must have no negative elements")
            if int(idx.max()) >= count:
                raise ValueError(f"operands could not be broadcast together with shapes "
                                 f"({count},) ({int(idx.max()) + 1},)")
        if wts is None:
            # integer tallies: sorted bin numbers, cut at each bin's first position
            cuts = searchsorted(_oxnp.sort(idx), _ox.arange(count + 1), side="left")
            return _ox.diff(cuts)
        if _kind(wts) == "c":
            part = (_ox.bincount(idx, weights=wts.real, minlength=count)
                    + 1j * _ox.bincount(idx, weights=wts.imag, minlength=count))
        else:
            part = _ox.bincount(idx, weights=wts, minlength=count)
        totals = (totals + part.astype(tally_type)).astype(tally_type)
    return totals


def _cumulative_at_edges(ordered, edges):
    """How many sorted values lie below each edge, the last edge counted inclusively."""
    below = searchsorted(ordered, edges[:-1], side="left")
    through = searchsorted(ordered, edges[-1:], side="right")
    return _oxnp.concatenate((below, through))


def _explicit_bins_counts(data, weights, edges, tally_type):
    if weights is None:
        # integer tallies add up exactly, block by block (small sorts are the faster ones)
        running = _ox.zeros(edges.shape, dtype=_INTP)
        for start in _pyrange(0, data.shape[0], _BLOCK):
            running = running + _cumulative_at_edges(_oxnp.sort(data[start:start + _BLOCK]),
                                                     edges)
        return _ox.diff(running)
    running = _ox.zeros(edges.shape, dtype=tally_type)
    origin = _ox.zeros(1, dtype=tally_type)
    for start in _pyrange(0, data.shape[0], _BLOCK):
        vals = data[start:start + _BLOCK]
        order = _oxnp.argsort(vals)
        acc = _oxnp.concatenate((origin, _ox.cumsum(weights[start:start + _BLOCK][order])))
        running = (running + acc[_cumulative_at_edges(vals[order], edges)]).astype(tally_type)
    return _ox.diff(running)


def histogram(a, bins=10, range=None, density=None, weights=None):
    data, weights = _flat_input(a, weights)
    edges, equal = _edges(data, bins, range, weights)
    tally_type = _INTP if weights is None else weights.dtype
    plain_weights = weights is None or _ox.can_cast(weights.dtype, "float64") or \
        _ox.can_cast(weights.dtype, "complex128")
    if equal is not None and plain_weights:
        lo, hi, count = equal
        counts = _equal_bins_counts(data, weights, edges, lo, hi, count, tally_type)
    else:
        counts = _explicit_bins_counts(data, weights, edges, tally_type)
    if density:
        widths = _ox.diff(edges).astype("float64")
        return counts / widths / counts.sum(), edges
    return counts, edges


def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    try:
        npts, ndims = sample.shape
    except (AttributeError, ValueError):
        sample = _ox.atleast_2d(sample).T
        npts, ndims = sample.shape
    if weights is not None:
        weights = _arr(weights)
    try:
        if len(bins) != ndims:
            raise ValueError("The dimension of bins must be equal to the dimension of the "
                             "sample x.")
    except TypeError:
        bins = [bins] * ndims
    if range is None:
        range = (None,) * ndims
    elif len(range) != ndims:
        raise ValueError("range argument must have one entry per dimension")

    edges = []
    slots = []
    for d in _pyrange(ndims):
        spec = bins[d]
        if _ox.ndim(spec) == 0:
            if spec < 1:
                raise ValueError(f"`bins[{d}]` must be positive, when an integer")
            lo, hi = _limits(sample[:, d], range[d])
            try:
                k = operator.index(spec)
            except TypeError:
                raise TypeError(f"`bins[{d}]` must be an integer, when a scalar") from None
            e = _ox.linspace(lo, hi, k + 1)
        elif _ox.ndim(spec) == 1:
            e = _arr(spec)
            if bool((e[:-1] > e[1:]).any()):
                raise ValueError(f"`bins[{d}]` must be monotonically increasing, when an array")
        else:
            raise ValueError(f"`bins[{d}]` must be a scalar or 1d array")
        edges.append(e)
        slots.append(e.shape[0] + 1)

    # Per axis: slot 0 below the first edge, slot len(e) above the last; a value on the
    # last edge belongs to the last bin.
    cells = []
    for d in _pyrange(ndims):
        col = sample[:, d]
        where = searchsorted(edges[d], col, side="right")
        cells.append(where - (col == edges[d][-1]))
    flat = _ox.ravel_multi_index(tuple(cells), tuple(slots))
    total = 1
    for s in slots:
        total *= s
    hist = _ox.bincount(flat, weights, minlength=total).reshape(tuple(slots))
    hist = hist.astype("float64", casting="safe")
    hist = hist[(slice(1, -1),) * ndims]
    if density:
        mass = hist.sum()
        for d in _pyrange(ndims):
            shape = [1] * ndims
            shape[d] = slots[d] - 2
            hist = hist / _ox.diff(edges[d]).reshape(shape)
        hist = hist / mass
    return hist, edges


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    if len(x) != len(y):
        raise ValueError("x and y must have the same length.")
    try:
        nspec = len(bins)
    except TypeError:
        nspec = 1
    if nspec not in (1, 2):
        shared = _arr(bins)
        bins = [shared, shared]
    hist, edges = histogramdd([x, y], bins, range, density, weights)
    return hist, edges[0], edges[1]
