"""Sorting, searching, set operations and histograms composed over the Rust kernels
(`sort`, `argsort`, `partition`, `_searchsorted`, `_interp` in `sorting.rs`).

The composites follow NumPy's own algorithms step for step where the result's bits depend
on them (histogram bin edges and bin assignment, the unique/isin masks), so results match
NumPy exactly.
"""

import math
import operator
import warnings
from typing import NamedTuple

from . import _oxnp
from ._oxnp import argsort, asarray, concatenate, promote_types, sort
from .exceptions import AxisError

__all__ = [
    "digitize", "histogram", "histogram2d", "histogram_bin_edges", "histogramdd", "interp",
    "intersect1d", "isin", "lexsort", "searchsorted", "setdiff1d", "setxor1d", "sort_complex",
    "union1d", "unique", "unique_all", "unique_counts", "unique_inverse", "unique_values",
]


def _np():
    import oxnp
    return oxnp


# ---------------------------------------------------------------------------------------
# searching


def _is_scalar_like(v):
    return not isinstance(v, _oxnp.ndarray) and asarray(v).ndim == 0


def searchsorted(a, v, side="left", sorter=None):
    """Indices where `v` would be inserted into the sorted 1-D `a` to keep it sorted."""
    np = _np()
    a = asarray(a)
    if a.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if a.ndim > 1:
        raise ValueError("object too deep for desired array")
    if not isinstance(side, str) or side not in ("left", "right"):
        if isinstance(side, str) and side[:1].lower() in ("l", "r"):
            raise ValueError("search side must be one of 'left' or 'right'")
        raise ValueError(f"search side must be 'left' or 'right' (got {side!r})")
    scalar_v = _is_scalar_like(v) or (isinstance(v, _oxnp.ndarray) and v.ndim == 0)
    va = asarray(v)
    dt = promote_types(a.dtype, va.dtype)
    if sorter is not None:
        s = asarray(sorter)
        if s.dtype.kind not in "iu":
            raise TypeError("sorter must only contain integers")
        if s.ndim != 1 or s.size != a.size:
            raise ValueError("sorter.size must equal a.size")
        if s.size and (int(s.min()) < 0 or int(s.max()) >= a.size):
            raise ValueError("Sorter index out of range.")
        a = np.take(a, s)
    res = _oxnp._searchsorted(a.astype(dt, copy=False), va.astype(dt, copy=False), side == "right")
    if scalar_v:
        return res[()]
    return res


def lexsort(keys, axis=-1):
    """Indirect stable sort on several keys; the last key is the primary one."""
    np = _np()
    if isinstance(keys, _oxnp.ndarray):
        if keys.ndim == 0:
            raise TypeError("need sequence of keys with len > 0 in lexsort")
        keys = [keys[i] for i in range(keys.shape[0])]
    else:
        keys = [asarray(k) for k in keys]
    if len(keys) == 0:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    shape = keys[0].shape
    for k in keys[1:]:
        if k.shape != shape:
            raise ValueError("all keys need to be the same shape")
    if axis is None:
        raise TypeError("'NoneType' object cannot be interpreted as an integer")
    if len(shape) == 0:
        return np.int64(0)
    idx = argsort(keys[0], axis=axis, kind="stable")
    for k in keys[1:]:
        sub = np.take_along_axis(k, idx, axis=axis)
        idx = np.take_along_axis(idx, argsort(sub, axis=axis, kind="stable"), axis=axis)
    return idx


def sort_complex(a):
    """A sorted copy of `a` as a complex array (real part first, then imaginary)."""
    b = sort(asarray(a))
    if b.dtype.kind != "c":
        if b.dtype.char in "bhBH":
            return b.astype("complex64")
        return b.astype("complex128")
    return b


def _monotonicity(bins):
    b = asarray(bins)
    if b.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if b.ndim > 1:
        raise ValueError("object too deep for desired array")
    b = b.astype("float64")
    if b.size < 2:
        return 1
    lo, hi = b[:-1], b[1:]
    if bool((lo <= hi).all()):
        return 1
    if bool((lo >= hi).all()):
        return -1
    return 0


def digitize(x, bins, right=False):
    """The indices of the bins to which each value of `x` belongs."""
    x = asarray(x)
    bins = asarray(bins)
    if x.dtype.kind == "c":
        raise TypeError("x may not be complex")
    mono = _monotonicity(bins)
    if mono == 0:
        raise ValueError("bins must be monotonically increasing or decreasing")
    side = "left" if right else "right"
    if mono == -1:
        return len(bins) - searchsorted(bins[::-1], x, side=side)
    return searchsorted(bins, x, side=side)


def _fill_value(v, complex_fp):
    if v is None:
        return None
    if complex_fp:
        c = complex(v)
        return (c.real, c.imag)
    return float(v)


def interp(x, xp, fp, left=None, right=None, period=None):
    """One-dimensional piecewise-linear interpolation (NumPy's exact arithmetic)."""
    np = _np()
    fp = asarray(fp)
    is_complex = fp.dtype.kind == "c"
    ftype = "complex128" if is_complex else "float64"
    if period is not None:
        if period == 0:
            raise ValueError("period must be a non-zero value")
        period = abs(period)
        left = right = None
        x = asarray(x, dtype="float64")
        xp = asarray(xp, dtype="float64")
        fp = asarray(fp, dtype=ftype)
        if xp.ndim != 1 or fp.ndim != 1:
            raise ValueError("Data points must be 1-D sequences")
        if xp.shape[0] != fp.shape[0]:
            raise ValueError("fp and xp are not of the same length")
        x = x % period
        xp = xp % period
        order = argsort(xp)
        xp = xp[order]
        fp = fp[order]
        xp = concatenate((xp[-1:] - period, xp, xp[0:1] + period))
        fp = concatenate((fp[-1:], fp, fp[0:1]))
    fpa = asarray(fp).astype(ftype)
    xpa = asarray(xp).astype("float64")
    for arr in (fpa, xpa):
        if arr.ndim == 0:
            raise ValueError("object of too small depth for desired array")
        if arr.ndim > 1:
            raise ValueError("object too deep for desired array")
    xa = asarray(x)
    if xa.dtype.kind == "c":
        raise TypeError("Cannot cast array data from dtype('complex128') to dtype('float64') "
                        "according to the rule 'safe'")
    xa = xa.astype("float64")
    if xpa.size == 0:
        raise ValueError("array of sample points is empty")
    if fpa.size != xpa.size:
        raise ValueError("fp and xp are not of the same length.")
    if xa.size == 0:
        return np.empty(xa.shape, dtype=ftype)
    lval = _fill_value(left, is_complex)
    rval = _fill_value(right, is_complex)
    if lval is None:
        lval = _fill_value(fpa[0], is_complex)
    if rval is None:
        rval = _fill_value(fpa[-1], is_complex)
    res = _oxnp._interp(xa, xpa, fpa, lval, rval)
    if res.ndim == 0:
        return res[()]
    return res


# ---------------------------------------------------------------------------------------
# unique and set operations


def _unpack_tuple(x):
    return x[0] if len(x) == 1 else x


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
           *, equal_nan=True, sorted=True):
    """The sorted unique elements of an array, with optional indices, inverse and counts."""
    np = _np()
    ar = asarray(ar)
    if axis is None or ar.ndim == 1:
        if axis is not None:
            _normalize_axis(axis, ar.ndim)
        ret = _unique1d(ar, return_index, return_inverse, return_counts,
                        equal_nan=equal_nan, inverse_shape=ar.shape, axis=None)
        return _unpack_tuple(ret)
    ax = _normalize_axis(axis, ar.ndim)
    moved = np.moveaxis(ar, ax, 0)
    orig_shape = moved.shape
    n = orig_shape[0]
    inverse_shape = [1] * ar.ndim
    inverse_shape[ax] = n
    rows = np.ascontiguousarray(moved.reshape(n, math.prod(orig_shape[1:])))
    ret = _unique_rows(rows, return_index, return_inverse, return_counts, equal_nan)
    uniq = ret[0].reshape((ret[0].shape[0],) + tuple(orig_shape[1:]))
    uniq = np.moveaxis(uniq, 0, ax)
    return _unpack_tuple((uniq,) + tuple(ret[1:]))


def _normalize_axis(axis, ndim):
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"'{type(axis).__name__}' object cannot be interpreted as an integer") from None
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim)
    return axis % ndim


def _unique_rows(rows, return_index, return_inverse, return_counts, equal_nan):
    """`unique` over whole rows, as NumPy compares the rows of its structured view: ordered
    field by field (column 0 first), equal when every field compares equal."""
    np = _np()
    n, m = rows.shape
    if m == 0:
        perm = np.arange(n)
        mask = np.zeros(n, dtype=bool)
        mask[:1] = True
    else:
        perm = lexsort([rows[:, j] for j in builtins_range(m - 1, -1, -1)])
        aux = rows[perm]
        mask = np.empty(n, dtype=bool)
        mask[:1] = True
        if n > 1:
            mask[1:] = (aux[1:] != aux[:-1]).any(axis=1)
    ret = (rows[perm][mask],)
    if return_index:
        ret += (perm[mask],)
    if return_inverse:
        imask = np.cumsum(mask) - 1
        inv = np.empty(mask.shape, dtype=np.intp)
        inv[perm] = imask
        ret += (inv,)
    if return_counts:
        idx = concatenate(np.nonzero(mask) + (asarray([mask.size]),))
        ret += (np.diff(idx),)
    return ret


def _unique1d(ar, return_index=False, return_inverse=False, return_counts=False, *,
              equal_nan=True, inverse_shape=None, axis=None):
    np = _np()
    ar = asarray(ar).flatten()
    if not (return_index or return_inverse or return_counts) and ar.dtype.kind in "biu":
        return (_oxnp._unique_exact(ar),)
    optional_indices = return_index or return_inverse
    # Values only: NumPy keeps the first-seen element of each class (a hash table), then
    # sorts them; a stable argsort finds the same representatives.
    values_only = not optional_indices and not return_counts
    if optional_indices or values_only:
        perm = argsort(ar, kind="stable")
        aux = ar[perm]
    else:
        aux = sort(ar)
    mask = np.empty(aux.shape, dtype=bool)
    mask[:1] = True
    if (equal_nan and aux.shape[0] > 0 and aux.dtype.kind in "cf"
            and bool(np.isnan(aux[-1]))):
        if aux.dtype.kind == "c":
            first_nan = int(searchsorted(np.isnan(aux), True, side="left"))
        else:
            first_nan = int(searchsorted(aux, aux[-1], side="left"))
        if first_nan > 0:
            mask[1:first_nan] = aux[1:first_nan] != aux[:first_nan - 1]
        mask[first_nan] = True
        mask[first_nan + 1:] = False
    else:
        mask[1:] = aux[1:] != aux[:-1]
    ret = (aux[mask],)
    if values_only:
        vals = ret[0]
        if equal_nan and vals.size and vals.dtype.kind == "c" and bool(np.isnan(vals[-1])):
            vals[-1] = ar[np.flatnonzero(np.isnan(ar))[0]]
        return (sort(vals),)
    if return_index:
        ret += (perm[mask],)
    if return_inverse:
        imask = np.cumsum(mask) - 1
        inv = np.empty(mask.shape, dtype=np.intp)
        inv[perm] = imask
        ret += (inv.reshape(inverse_shape) if axis is None else inv,)
    if return_counts:
        idx = concatenate(np.nonzero(mask) + (asarray([mask.size]),))
        ret += (np.diff(idx),)
    return ret


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


def unique_all(x):
    return UniqueAllResult(*unique(x, True, True, True, equal_nan=False))


def unique_counts(x):
    return UniqueCountsResult(*unique(x, False, False, True, equal_nan=False))


def unique_inverse(x):
    return UniqueInverseResult(*unique(x, False, True, False, equal_nan=False))


def unique_values(x):
    """The unique values (NumPy leaves their order unspecified; ours are sorted)."""
    return unique(x, equal_nan=False, sorted=False)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted unique values present in both arrays."""
    ar1 = asarray(ar1)
    ar2 = asarray(ar2)
    if not assume_unique:
        if return_indices:
            ar1, ind1 = unique(ar1, return_index=True)
            ar2, ind2 = unique(ar2, return_index=True)
        else:
            ar1 = unique(ar1)
            ar2 = unique(ar2)
    else:
        ar1 = ar1.ravel()
        ar2 = ar2.ravel()
    aux = concatenate((ar1, ar2))
    if return_indices:
        order = argsort(aux, kind="stable")
        aux = aux[order]
    else:
        aux = sort(aux)
    mask = aux[1:] == aux[:-1]
    int1d = aux[:-1][mask]
    if return_indices:
        i1 = order[:-1][mask]
        i2 = order[1:][mask] - ar1.size
        if not assume_unique:
            i1 = ind1[i1]
            i2 = ind2[i2]
        return int1d, i1, i2
    return int1d


def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted values that are in exactly one of the arrays."""
    np = _np()
    if not assume_unique:
        ar1 = unique(ar1)
        ar2 = unique(ar2)
    aux = concatenate((ar1, ar2), axis=None)
    if aux.size == 0:
        return aux
    aux = sort(aux)
    flag = concatenate((asarray([True]), aux[1:] != aux[:-1], asarray([True])))
    return aux[np.logical_and(flag[1:], flag[:-1])]


def _isin(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    np = _np()
    ar1 = asarray(ar1).ravel()
    ar2 = asarray(ar2).ravel()
    if kind not in {None, "sort", "table"}:
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    is_int = all(a.dtype.kind in "uib" for a in (ar1, ar2))
    if is_int and kind in {None, "table"}:
        if ar2.size == 0:
            return (np.ones if invert else np.zeros)(ar1.shape, dtype=bool)
        if ar1.dtype == bool:
            ar1 = ar1.astype("uint8")
        if ar2.dtype == bool:
            ar2 = ar2.astype("uint8")
        lo = int(ar2.min())
        hi = int(ar2.max())
        rng = hi - lo
        small = rng <= 6 * (ar1.size + ar2.size)
        safe = rng <= np.iinfo(ar2.dtype).max
        if safe and (small or kind == "table"):
            if rng + 1 > 2**63 - 1:
                raise ValueError("Maximum allowed dimension exceeded")
            # A membership table over [lo, hi]; exact for every integer dtype.
            table = np.zeros(rng + 1, dtype=bool)
            table[(ar2.astype("int64") - lo) if ar2.dtype != "uint64" else (ar2 - np.uint64(lo)).astype("int64")] = True
            out = np.zeros(ar1.shape, dtype=bool)
            inrange = np.logical_and(ar1 <= hi, ar1 >= lo)
            vals = ar1[inrange]
            if vals.size:
                if ar1.dtype == "uint64":
                    pos = (vals - np.uint64(lo)).astype("int64")
                else:
                    pos = vals.astype("int64") - lo
                out[inrange] = table[pos]
            return np.logical_not(out) if invert else out
        if kind == "table":
            raise RuntimeError(
                "You have specified kind='table', but the range of values in `ar2` or `ar1` "
                "exceed the maximum integer of the datatype. Please set `kind` to None or 'sort'.")
    elif kind == "table":
        raise ValueError("The 'table' method is only supported for boolean or integer arrays. "
                         "Please select 'sort' or None for kind.")
    if not assume_unique:
        ar1, rev_idx = unique(ar1, return_inverse=True)
        ar2 = unique(ar2)
    ar = concatenate((ar1, ar2))
    order = argsort(ar, kind="stable")
    sar = ar[order]
    bool_ar = (sar[1:] != sar[:-1]) if invert else (sar[1:] == sar[:-1])
    flag = concatenate((bool_ar, asarray([invert])))
    ret = np.empty(ar.shape, dtype=bool)
    ret[order] = flag
    if assume_unique:
        return ret[:len(ar1)]
    return ret[rev_idx]


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element of `element` is in `test_elements` (shaped like `element`)."""
    element = asarray(element)
    return _isin(element, test_elements, assume_unique=assume_unique, invert=invert,
                 kind=kind).reshape(element.shape)


def union1d(ar1, ar2):
    return unique(concatenate((asarray(ar1), asarray(ar2)), axis=None))


def setdiff1d(ar1, ar2, assume_unique=False):
    if assume_unique:
        ar1 = asarray(ar1).ravel()
    else:
        ar1 = unique(ar1)
        ar2 = unique(ar2)
    return ar1[_isin(ar1, ar2, assume_unique=True, invert=True)]


# ---------------------------------------------------------------------------------------
# histograms


def _ptp(x):
    return _unsigned_subtract(x.max(), x.min())


def _hist_bin_sqrt(x, range):
    return _ptp(x) / _np().sqrt(x.size)


def _hist_bin_sturges(x, range):
    return _ptp(x) / (_np().log2(x.size) + 1.0)


def _hist_bin_rice(x, range):
    return _ptp(x) / (2.0 * x.size ** (1.0 / 3))


def _hist_bin_scott(x, range):
    np = _np()
    return (24.0 * np.pi**0.5 / x.size) ** (1.0 / 3.0) * np.std(x)


def _hist_bin_stone(x, range):
    np = _np()
    n = x.size
    ptp_x = _ptp(x)
    if n <= 1 or ptp_x == 0:
        return 0

    def jhat(nbins):
        hh = ptp_x / nbins
        p_k = histogram(x, bins=nbins, range=range)[0] / n
        dot = np.dot(p_k, p_k) if hasattr(np, "dot") else (p_k * p_k).sum()
        return (2 - (n + 1) * dot) / hh

    upper = max(100, int(np.sqrt(n)))
    nbins = min(builtins_range(1, upper + 1), key=jhat)
    if nbins == upper:
        warnings.warn("The number of bins estimated may be suboptimal.", RuntimeWarning,
                      stacklevel=3)
    return ptp_x / nbins


def _hist_bin_doane(x, range):
    np = _np()
    if x.size > 2:
        sg1 = np.sqrt(6.0 * (x.size - 2) / ((x.size + 1.0) * (x.size + 3)))
        sigma = np.std(x)
        if sigma > 0.0:
            temp = x - np.mean(x)
            temp = np.true_divide(temp, sigma)
            temp = np.power(temp, 3)
            g1 = np.mean(temp)
            return _ptp(x) / (1.0 + np.log2(x.size) + np.log2(1.0 + np.absolute(g1) / sg1))
    return 0.0


def _hist_bin_fd(x, range):
    np = _np()
    q75, q25 = np.percentile(x, [75, 25])
    iqr = np.subtract(q75, q25)
    return 2.0 * iqr * x.size ** (-1.0 / 3.0)


def _hist_bin_auto(x, range):
    fd_bw = _hist_bin_fd(x, range)
    sturges_bw = _hist_bin_sturges(x, range)
    sqrt_bw = _hist_bin_sqrt(x, range)
    fd_bw_corrected = max(fd_bw, sqrt_bw / 2)
    return min(fd_bw_corrected, sturges_bw)


builtins_range = range

_hist_bin_selectors = {
    "stone": _hist_bin_stone, "auto": _hist_bin_auto, "doane": _hist_bin_doane,
    "fd": _hist_bin_fd, "rice": _hist_bin_rice, "scott": _hist_bin_scott,
    "sqrt": _hist_bin_sqrt, "sturges": _hist_bin_sturges,
}


def _ravel_and_check_weights(a, weights):
    a = asarray(a)
    if a.dtype == bool:
        warnings.warn("Converting input from bool to <class 'numpy.uint8'> for compatibility.",
                      RuntimeWarning, stacklevel=3)
        a = a.astype("uint8")
    if weights is not None:
        weights = asarray(weights)
        if weights.shape != a.shape:
            raise ValueError("weights should have the same shape as a.")
        weights = weights.ravel()
    return a.ravel(), weights


def _get_outer_edges(a, range):
    np = _np()
    if range is not None:
        first_edge, last_edge = range
        if first_edge > last_edge:
            raise ValueError("max must be larger than min in range parameter.")
        if not (np.isfinite(first_edge) and np.isfinite(last_edge)):
            raise ValueError(f"supplied range of [{first_edge}, {last_edge}] is not finite")
    elif a.size == 0:
        first_edge, last_edge = 0, 1
    else:
        first_edge, last_edge = a.min(), a.max()
        if not (np.isfinite(first_edge) and np.isfinite(last_edge)):
            raise ValueError(f"autodetected range of [{first_edge}, {last_edge}] is not finite")
    if first_edge == last_edge:
        first_edge = first_edge - 0.5
        last_edge = last_edge + 0.5
    return first_edge, last_edge


_SIGNED_TO_UNSIGNED = {"int8": "uint8", "int16": "uint16", "int32": "uint32", "int64": "uint64"}


def _unsigned_subtract(a, b):
    """a - b, computed in the unsigned type when both are signed integers (no overflow)."""
    np = _np()
    dt = np.result_type(a, b)
    udt = _SIGNED_TO_UNSIGNED.get(dt.name)
    if udt is None:
        return np.subtract(a, b, dtype=dt)
    return np.subtract(asarray(a, dtype=dt), asarray(b, dtype=dt), casting="unsafe", dtype=udt)


def _get_bin_edges(a, bins, range, weights):
    np = _np()
    n_equal_bins = None
    bin_edges = None
    if isinstance(bins, str):
        if bins not in _hist_bin_selectors:
            raise ValueError(f"{bins!r} is not a valid estimator for `bins`")
        if weights is not None:
            raise TypeError("Automated estimation of the number of bins is not supported "
                            "for weighted data")
        first_edge, last_edge = _get_outer_edges(a, range)
        if range is not None:
            keep = np.logical_and(a >= first_edge, a <= last_edge)
            if not bool(keep.all()):
                a = a[keep]
        if a.size == 0:
            n_equal_bins = 1
        else:
            width = _hist_bin_selectors[bins](a, (first_edge, last_edge))
            if width:
                if a.dtype.kind in "iu" and width < 1:
                    width = 1
                delta = _unsigned_subtract(last_edge, first_edge)
                n_equal_bins = int(np.ceil(delta / width))
            else:
                n_equal_bins = 1
    elif np.ndim(bins) == 0:
        try:
            n_equal_bins = operator.index(bins)
        except TypeError as e:
            raise TypeError("`bins` must be an integer, a string, or an array") from e
        if n_equal_bins < 1:
            raise ValueError("`bins` must be positive, when an integer")
        first_edge, last_edge = _get_outer_edges(a, range)
    elif np.ndim(bins) == 1:
        bin_edges = asarray(bins)
        if bool((bin_edges[:-1] > bin_edges[1:]).any()):
            raise ValueError("`bins` must increase monotonically, when an array")
    else:
        raise ValueError("`bins` must be 1d, when an array")
    if n_equal_bins is not None:
        bin_type = np.result_type(first_edge, last_edge, a)
        if bin_type.kind in "iub":
            bin_type = np.result_type(bin_type, float)
        bin_edges = np.linspace(first_edge, last_edge, n_equal_bins + 1, endpoint=True,
                                dtype=bin_type)
        if bool((bin_edges[:-1] >= bin_edges[1:]).any()):
            raise ValueError(f"Too many bins for data range. Cannot create {n_equal_bins} "
                             f"finite-sized bins.")
        return bin_edges, (first_edge, last_edge, n_equal_bins)
    return bin_edges, None


def _search_sorted_inclusive(a, v):
    return concatenate((searchsorted(a, v[:-1], "left"), searchsorted(a, v[-1:], "right")))


def _exact_f64(v):
    """Whether the scalar `v` converts to float64 without rounding."""
    if isinstance(v, float) or (hasattr(v, "dtype") and v.dtype.kind == "f"):
        return True
    try:
        return abs(int(v)) < 2**53
    except (TypeError, ValueError, OverflowError):
        return False


def _uniform_kernel_ok(a, weights, range, bin_edges, first_edge, last_edge, norm_denom):
    """Whether the Rust kernel computes this equal-bin histogram with NumPy's exact steps:
    everything in float64 (ints up to 32 bits convert exactly; 64-bit ints when no range
    clips them, as rounding is monotonic)."""
    if bin_edges.dtype.name != "float64":
        return False
    if weights is not None and weights.dtype.name != "float64":
        return False
    k = a.dtype
    if not (k.name == "float64" or (k.kind in "iu" and (k.itemsize <= 4 or range is None))):
        return False
    return all(_exact_f64(v) for v in (first_edge, last_edge, norm_denom))


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    a, weights = _ravel_and_check_weights(a, weights)
    return _get_bin_edges(a, bins, range, weights)[0]


def histogram(a, bins=10, range=None, density=None, weights=None):
    """Counts (or weight sums) of `a` in bins, and the bin edges."""
    np = _np()
    a, weights = _ravel_and_check_weights(a, weights)
    bin_edges, uniform_bins = _get_bin_edges(a, bins, range, weights)
    ntype = np.dtype("int64") if weights is None else weights.dtype
    block = 65536
    simple_weights = (weights is None or np.can_cast(weights.dtype, "float64")
                      or np.can_cast(weights.dtype, "complex128"))
    if uniform_bins is not None and simple_weights:
        first_edge, last_edge, n_equal_bins = uniform_bins
        n = np.zeros(n_equal_bins, ntype)
        norm_numerator = n_equal_bins
        norm_denom = _unsigned_subtract(last_edge, first_edge)
        fast = _uniform_kernel_ok(a, weights, range, bin_edges, first_edge, last_edge, norm_denom)
        if fast:
            counts = _oxnp._histogram_uniform(
                a.astype("float64", copy=False), weights, float(first_edge), float(last_edge),
                float(first_edge), float(norm_denom), bin_edges)
            n = counts
            a = a[:0]  # done: skip the blockwise loop below
        for i in builtins_range(0, len(a), block):
            tmp_a = a[i:i + block]
            tmp_w = None if weights is None else weights[i:i + block]
            keep = np.logical_and(tmp_a >= first_edge, tmp_a <= last_edge)
            if not bool(keep.all()):
                tmp_a = tmp_a[keep]
                if tmp_w is not None:
                    tmp_w = tmp_w[keep]
            tmp_a = tmp_a.astype(bin_edges.dtype, copy=False)
            f_indices = (_unsigned_subtract(tmp_a, first_edge) / norm_denom) * norm_numerator
            indices = f_indices.astype(np.intp)
            indices[indices == n_equal_bins] -= 1
            decrement = tmp_a < bin_edges[indices]
            indices[decrement] -= 1
            increment = np.logical_and(tmp_a >= bin_edges[indices + 1],
                                       indices != n_equal_bins - 1)
            indices[increment] += 1
            if ntype.kind == "c":
                re = np.bincount(indices, weights=tmp_w.real, minlength=n_equal_bins)
                im = np.bincount(indices, weights=tmp_w.imag, minlength=n_equal_bins)
                n = n + (re + 1j * im).astype(ntype)
            else:
                n += np.bincount(indices, weights=tmp_w, minlength=n_equal_bins).astype(ntype)
    else:
        cum_n = np.zeros(bin_edges.shape, ntype)
        if weights is None:
            for i in builtins_range(0, len(a), block):
                sa = sort(a[i:i + block])
                cum_n += _search_sorted_inclusive(sa, bin_edges)
        else:
            zero = np.zeros(1, dtype=ntype)
            for i in builtins_range(0, len(a), block):
                tmp_a = a[i:i + block]
                tmp_w = weights[i:i + block]
                order = argsort(tmp_a)
                sa = tmp_a[order]
                sw = tmp_w[order]
                cw = concatenate((zero, sw.cumsum()))
                cum_n += cw[_search_sorted_inclusive(sa, bin_edges)]
        n = np.diff(cum_n)
    if density:
        db = np.diff(bin_edges).astype("float64")
        return n / db / n.sum(), bin_edges
    return n, bin_edges


def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    """The multidimensional histogram of `sample` (N points of D coordinates)."""
    np = _np()
    try:
        N, D = sample.shape
    except (AttributeError, ValueError):
        sample = np.atleast_2d(sample).T
        N, D = sample.shape
    nbin = [0] * D
    edges = D * [None]
    dedges = D * [None]
    if weights is not None:
        weights = asarray(weights)
    try:
        M = len(bins)
        if M != D:
            raise ValueError("The dimension of bins must be equal to the dimension of the "
                             "sample x.")
    except TypeError:
        bins = D * [bins]
    if range is None:
        range = (None,) * D
    elif len(range) != D:
        raise ValueError("range argument must have one entry per dimension")
    for i in builtins_range(D):
        if np.ndim(bins[i]) == 0:
            if bins[i] < 1:
                raise ValueError(f"`bins[{i}]` must be positive, when an integer")
            smin, smax = _get_outer_edges(sample[:, i], range[i])
            try:
                n = operator.index(bins[i])
            except TypeError as e:
                raise TypeError(f"`bins[{i}]` must be an integer, when a scalar") from e
            edges[i] = np.linspace(smin, smax, n + 1)
        elif np.ndim(bins[i]) == 1:
            edges[i] = asarray(bins[i])
            if bool((edges[i][:-1] > edges[i][1:]).any()):
                raise ValueError(f"`bins[{i}]` must be monotonically increasing, when an array")
        else:
            raise ValueError(f"`bins[{i}]` must be a scalar or 1d array")
        nbin[i] = len(edges[i]) + 1
        dedges[i] = np.diff(edges[i])
    ncount = tuple(searchsorted(edges[i], sample[:, i], side="right") for i in builtins_range(D))
    for i in builtins_range(D):
        on_edge = sample[:, i] == edges[i][-1]
        ncount[i][on_edge] -= 1
    xy = np.ravel_multi_index(ncount, tuple(nbin))
    hist = np.bincount(xy, weights, minlength=math.prod(nbin))
    hist = hist.reshape(tuple(nbin))
    hist = hist.astype(float, casting="safe")
    hist = hist[D * (slice(1, -1),)]
    if density:
        s = hist.sum()
        for i in builtins_range(D):
            shape = [1] * D
            shape[i] = nbin[i] - 2
            hist = hist / dedges[i].reshape(tuple(shape))
        hist /= s
    return hist, edges


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    """The two-dimensional histogram of the points (x, y)."""
    try:
        N = len(bins)
    except TypeError:
        N = 1
    if N != 1 and N != 2:
        xedges = yedges = asarray(bins)
        bins = [xedges, yedges]
    hist, edges = histogramdd([x, y], bins, range, density, weights)
    return hist, edges[0], edges[1]
