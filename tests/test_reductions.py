"""Differential tests of the reductions and statistics against NumPy."""

import warnings

import numpy
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import oxnp
from helpers import assert_same, ox_call, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
REAL = [d for d in DTYPES if not d.startswith("complex")]
FLOATS = ["float16", "float32", "float64"]


def both(name, a, *args, **kw):
    """Calls numpy.<name> and oxnp.<name>; returns (ours, ref) or compares exception classes."""
    ref_exc = ours_exc = None
    with warnings.catch_warnings(record=True) as wref:
        warnings.simplefilter("always")
        try:
            ref = getattr(numpy, name)(a, *args, **kw)
        except Exception as e:  # noqa: BLE001
            ref_exc = e
    with warnings.catch_warnings(record=True) as wours:
        warnings.simplefilter("always")
        try:
            ours = ox_call(getattr(oxnp, name), to_ox(a), *args, **kw)
        except Exception as e:  # noqa: BLE001
            ours_exc = e
    if ref_exc is not None or ours_exc is not None:
        assert ref_exc is not None, f"NumPy gave {ref!r}, oxnp raised {ours_exc!r}"
        assert ours_exc is not None, f"NumPy raised {ref_exc!r}, oxnp gave {ours!r}"
        assert isinstance(ours_exc, type(ref_exc)) or type(ref_exc).__name__ == type(ours_exc).__name__, (ref_exc, ours_exc)
        return None
    rw = sorted({str(w.message).rstrip(".") for w in wref if issubclass(w.category, RuntimeWarning)})
    ow = sorted({str(w.message).rstrip(".") for w in wours if issubclass(w.category, RuntimeWarning)})
    assert rw == ow, (rw, ow)
    return ours, ref


def check(name, a, *args, **kw):
    r = both(name, a, *args, **kw)
    if r is None:
        return
    ours, ref = r
    if isinstance(ref, tuple):
        for o, f in zip(ours, ref):
            assert_same(o, f)
        return
    if isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        same_scalar(ours, ref)


def same_scalar(ours, ref):
    if isinstance(ref, numpy.generic):
        assert isinstance(ours, oxnp.generic), f"oxnp gave {type(ours)}, NumPy a scalar"
        assert_same(oxnp.asarray(ours), numpy.asarray(ref))
    else:
        assert type(ours) is type(ref) and ours == ref, (ours, ref)


def sample(dtype, shape, seed=0, nan=False):
    rng = numpy.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith(("int", "uint")):
        info = numpy.iinfo(dtype)
        return rng.integers(max(info.min, -100), min(info.max, 100), shape, endpoint=True).astype(dtype)
    x = rng.standard_normal(shape) * 10
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    x = x.astype(dtype)
    if nan and x.size:
        x.reshape(-1)[:: max(1, x.size // 3)] = numpy.nan
    return x


SHAPES = [(), (0,), (7,), (3, 4), (2, 0, 3), (2, 3, 5)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "amax", "amin", "any", "all",
                                  "argmax", "argmin", "mean", "var", "std", "cumsum", "cumprod",
                                  "count_nonzero", "ptp"])
def test_full_and_axes(name, dtype, shape):
    a = sample(dtype, shape)
    check(name, a)
    for ax in range(-len(shape), len(shape)):
        check(name, a, axis=ax)
    if len(shape) >= 2 and name not in ("argmax", "argmin", "cumsum", "cumprod"):
        check(name, a, axis=(0, -1))
        check(name, a, axis=(0, 1), keepdims=True)


@pytest.mark.parametrize("dtype", FLOATS + ["complex128"])
@pytest.mark.parametrize("name", ["sum", "max", "min", "argmax", "argmin", "mean", "var",
                                  "nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar",
                                  "nanstd", "nanargmax", "nanargmin", "nancumsum", "nancumprod",
                                  "median", "nanmedian"])
def test_nan(name, dtype):
    if dtype.startswith("complex") and name in ("nanmedian",):
        return
    a = sample(dtype, (4, 6), nan=True)
    check(name, a)
    check(name, a, axis=0)
    check(name, a, axis=1)
    allnan = numpy.full((3, 2), numpy.nan, dtype)
    check(name, allnan, axis=0)


@pytest.mark.parametrize("n", [1, 7, 8, 9, 127, 128, 129, 1000, 8191, 8193, 100_001, 300_007])
@pytest.mark.parametrize("dtype", FLOATS + ["complex64"])
def test_pairwise_bits(n, dtype):
    a = sample(dtype, (n,), seed=n)
    check("sum", a)
    check("mean", a)
    if dtype != "float16":
        check("var", a)
    check("sum", a[::-3])
    check("mean", a[::2])


def test_float32_large_2d_bits():
    a = sample("float32", (300, 1001), seed=3)
    for ax in (None, 0, 1, (0, 1)):
        check("sum", a, axis=ax)
        check("mean", a, axis=ax)
        check("std", a, axis=ax)
    # Views of the oxnp array: to_ox copies, and NumPy itself sums a strided view and its
    # contiguous copy in different orders (different bits).
    x = to_ox(a)
    for sl in ((slice(None), slice(None, None, 2)), (slice(None, None, 2), slice(None, 500))):
        same_scalar(oxnp.sum(x[sl]), numpy.sum(a[sl]))
    check("sum", a, dtype="float64")


def test_parallel_argmin_argmax():
    a = sample("float64", (600_000,), seed=5)
    check("argmin", a)
    check("argmax", a)
    a[400_001] = numpy.nan
    a[500_000] = numpy.nan
    check("argmin", a)
    check("argmax", a)
    b = numpy.zeros(700_000, "int32")
    b[[3, 300_000, 600_000]] = -1
    check("argmin", b)
    check("argmax", b)


@pytest.mark.parametrize("dtype", ["int8", "uint16", "float32", "float64", "bool"])
def test_kwargs(dtype):
    a = sample(dtype, (3, 5))
    w = numpy.random.default_rng(1).integers(0, 2, (3, 5)).astype(bool)
    check("sum", a, where=w)
    check("sum", a, axis=1, where=w[0], keepdims=True)
    check("sum", a, initial=5)
    check("prod", a, axis=0, initial=2, where=w)
    check("max", a, axis=0, initial=3, where=w)
    check("max", a, where=w)  # no identity, needs initial: ValueError
    check("sum", a, dtype="float32")
    check("mean", a, axis=1, dtype="float64")
    check("mean", a, where=w)
    check("var", a, where=w, ddof=1)
    check("var", a, axis=0, ddof=2)
    check("std", a, axis=1, ddof=5)
    check("std", a, correction=1)
    check("any", a, axis=1, where=w)
    check("all", a, where=w, keepdims=True)
    check("argmax", a, axis=1, keepdims=True)
    check("argmin", a, keepdims=True)
    check("cumsum", a, axis=1, dtype="float64")


def test_out():
    a = sample("float64", (3, 4))
    o_np, o_ox = numpy.zeros(4), oxnp.zeros(4)
    r = oxnp.sum(to_ox(a), axis=0, out=o_ox)
    assert r is o_ox
    numpy.sum(a, axis=0, out=o_np)
    assert_same(o_ox, o_np)
    oi = oxnp.zeros(3, dtype="int64")
    oxnp.argmax(to_ox(a), axis=1, out=oi)
    assert_same(oi, numpy.argmax(a, axis=1))
    with pytest.raises(ValueError):
        oxnp.sum(to_ox(a), axis=0, out=oxnp.zeros(3))


def test_errors_and_messages():
    e = numpy.zeros((0, 3))
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum which has no identity"):
        oxnp.max(to_ox(e))
    with pytest.raises(ValueError, match="attempt to get argmax of an empty sequence"):
        oxnp.argmax(to_ox(e))
    with pytest.raises(oxnp.exceptions.AxisError):
        oxnp.sum(to_ox(e), axis=2)
    with pytest.raises(ValueError, match="duplicate value in 'axis'"):
        oxnp.sum(to_ox(e), axis=(0, 0))
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        oxnp.mean(to_ox(e))
    with pytest.warns(RuntimeWarning, match="Degrees of freedom <= 0"):
        oxnp.var(to_ox(numpy.ones(1)), ddof=1)
    with pytest.warns(RuntimeWarning, match="All-NaN slice encountered"):
        oxnp.nanmax(to_ox(numpy.array([numpy.nan])))
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        oxnp.nanargmax(to_ox(numpy.array([numpy.nan])))


@pytest.mark.parametrize("dtype", ["int16", "float32", "float64", "uint8"])
@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest",
                                    "inverted_cdf", "averaged_inverted_cdf", "closest_observation",
                                    "interpolated_inverted_cdf", "hazen", "weibull",
                                    "median_unbiased", "normal_unbiased"])
def test_quantiles(method, dtype):
    a = sample(dtype, (5, 7), seed=2)
    check("quantile", a, 0.3, method=method)
    check("quantile", a, [0.0, 0.25, 0.5, 1.0], axis=1, method=method)
    check("percentile", a, 40, axis=0, method=method, keepdims=True)
    check("percentile", a, numpy.array([10.0, 90.0]), axis=(0, 1), method=method)
    if dtype.startswith("float"):
        b = sample(dtype, (5, 7), seed=2, nan=True)
        check("nanquantile", b, 0.3, axis=0, method=method)
        check("nanpercentile", b, [20, 80], axis=1, method=method)
        check("quantile", b, 0.5, axis=1, method=method)
    # integer q: the interpolating methods still interpolate (their gamma rules apply)
    check("quantile", a, [0, 1], method=method)
    check("quantile", a, 1, axis=0, method=method)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["quantile", "percentile", "nanquantile", "nanpercentile"])
def test_weighted_quantiles(name):
    scale = 100 if "percentile" in name else 1
    a = sample("float64", (4, 5, 3), seed=5)
    w = numpy.random.default_rng(6).integers(0, 4, a.shape).astype(float)
    q = numpy.array([0.0, 0.2, 0.5, 0.9, 1.0]) * scale
    kw = {"method": "inverted_cdf"}
    check(name, a, q, weights=w, **kw)
    check(name, a, 0.4 * scale, weights=w, **kw)  # NumPy keeps this 0-d result an array
    for axis in [0, 1, -1, (0, 2), (2, 0)]:
        check(name, a, q, axis=axis, weights=w, **kw)
        if name.startswith("nan"):
            continue  # NumPy's nan* functions index such weights out of bounds (IndexError)
        ws = w[tuple(slice(None) if i in numpy.atleast_1d(axis) % 3 else 0 for i in range(3))]
        if isinstance(axis, tuple) and axis[0] > axis[1]:
            ws = ws.T
        check(name, a, q[1], axis=axis, weights=ws, keepdims=True, **kw)
    check(name, sample("int16", (6,)), 0.5 * scale, weights=[0, 0, 1, 2, 3, 0], **kw)
    check(name, numpy.arange(6), 0, weights=[0, 0, 1, 2, 3, 0], **kw)
    check(name, numpy.arange(6), 1 * scale, weights=[0, 0, 1, 2, 3, 0], **kw)
    b = sample("float64", (4, 5), seed=5, nan=True)
    check(name, b, q, axis=1, weights=numpy.ones((4, 5)), **kw)
    # errors: other methods, negative/NaN/all-zero/inf weights, shapes
    for bad_kw in [{"method": "linear"}, {"method": "hazen"}]:
        check(name, a, 0.5 * scale, weights=w, **bad_kw)
    for bad in [[-0.5, 1], [1, numpy.nan], [0, 0], [1, numpy.inf]]:
        check(name, numpy.array([1.0, 2.0]), 0.5 * scale, weights=bad, **kw)
    check(name, a, 0.5 * scale, weights=w[0], **kw)
    check(name, a, 0.5 * scale, axis=1, weights=w[0], **kw)


def test_median_shapes():
    for shape in [(1,), (6,), (7,), (4, 5), (2, 3, 4)]:
        a = sample("float64", shape, seed=len(shape))
        check("median", a)
        check("median", a, axis=-1)
        check("median", a, axis=0, keepdims=True)
        check("median", sample("int32", shape))
    check("median", numpy.zeros((0,)))
    check("percentile", numpy.arange(5.0), 120)


@pytest.mark.parametrize("name", ["median", "nanmedian", "percentile", "nanpercentile"])
def test_keepdims_out_is_returned(name):
    d = numpy.arange(3 * 5 * 7 * 11.0).reshape(3, 5, 7, 11)
    args = () if "median" in name else (30,)
    for axis in [None, 1, (1,), (0, 1), (-3, -1)]:
        ax = range(4) if axis is None else numpy.atleast_1d(axis) % 4
        out = oxnp.empty(tuple(1 if i in ax else n for i, n in enumerate(d.shape)))
        res = getattr(oxnp, name)(to_ox(d), *args, axis=axis, keepdims=True, out=out)
        assert res is out
        assert_same(out, getattr(numpy, name)(d, *args, axis=axis, keepdims=True))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nan_quantiles_of_empty():
    # NumPy answers an empty input with nanmean, whatever q is
    for axis in [0, 1, None]:
        check("nanmedian", numpy.zeros((0, 3)), axis=axis)
        check("nanpercentile", numpy.zeros((0, 3)), [50, 20], axis=axis)
        check("nanquantile", numpy.zeros((0, 3), dtype=numpy.int8), 0.5, axis=axis, keepdims=True)


def test_average():
    a = sample("float64", (3, 4))
    check("average", a)
    check("average", a, axis=1, weights=numpy.arange(1.0, 5.0), returned=True)
    check("average", sample("int32", (3, 4)), axis=0, weights=numpy.arange(3), keepdims=True)
    check("average", a, weights=numpy.zeros((3, 4)))
    check("average", a, weights=numpy.ones(4))


def test_cumulative():
    a = sample("int8", (3, 4))
    check("cumulative_sum", a, axis=1)
    check("cumulative_prod", a, axis=0, include_initial=True)
    check("cumulative_sum", a)  # needs axis: ValueError
    check("cumulative_sum", sample("float32", (5,)), include_initial=True)


def test_methods():
    a = sample("float32", (4, 5))
    x = to_ox(a)
    same_scalar(x.sum(), a.sum())
    assert_same(x.sum(1), a.sum(1))
    assert_same(x.prod(axis=0, dtype="float64"), a.prod(axis=0, dtype="float64"))
    assert_same(x.max(axis=1, keepdims=True), a.max(axis=1, keepdims=True))
    same_scalar(x.min(), a.min())
    assert_same(x.argmax(axis=0), a.argmax(axis=0))
    same_scalar(x.argmin(), a.argmin())
    assert_same(x.any(axis=0), a.any(axis=0))
    same_scalar(x.all(), a.all())
    assert isinstance(x.sum(), oxnp.float32)


@settings(max_examples=60, deadline=None)
@given(
    arr=hnp.arrays(st.sampled_from(["float32", "float64", "int16", "uint32"]),
                   hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6),
                   elements={"allow_nan": True, "allow_infinity": True, "min_value": -1e6, "max_value": 1e6}
                   if False else None),
    data=st.data(),
)
def test_hypothesis_views(arr, data):
    sl = tuple(data.draw(st.sampled_from([slice(None), slice(None, None, -1), slice(None, None, 2),
                                          slice(1, None, -2)])) for _ in range(arr.ndim))
    v = arr[sl]
    ox = to_ox(arr)[sl]
    ax = data.draw(st.one_of(st.none(), st.integers(-arr.ndim, arr.ndim - 1)))
    name = data.draw(st.sampled_from(["sum", "max", "argmin", "argmax", "mean", "var", "prod",
                                      "median", "any"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ref = getattr(numpy, name)(v, axis=ax)
        except ValueError:
            with pytest.raises(ValueError):
                getattr(oxnp, name)(ox, axis=ax)
            return
        ours = getattr(oxnp, name)(ox, axis=ax)
    if isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        same_scalar(ours, ref)
