"""Differential tests of dtype conversion against NumPy 2.4.6 on this x86-64 machine: every
float/complex -> integer/bool pair over a grid of special, boundary and random values, in
contiguous runs of every length class (NumPy's vectorised loops leave a scalar tail),
strided, reversed and transposed layouts; integer -> float rounding; raw same-dtype copies."""

import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_ox

INTS = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]
FLOATS = ["float16", "float32", "float64", "complex64", "complex128"]


def _grid():
    vals = [0.0, -0.0, 0.5, -0.5, 0.999, -0.999, 1e-300, -1e-300, numpy.nan, -numpy.nan,
            numpy.inf, -numpy.inf, 1e20, -1e20, 1e300, -1e300, 65504.0, -65504.0, 3e38, -3e38]
    for e in [7, 8, 15, 16, 31, 32, 53, 63, 64]:
        for base in [2.0**e, -(2.0**e)]:
            for d in [-4097.5, -1.0, -0.5, 0.0, 0.5, 1.0, 3.5, 4096.0]:
                vals.append(base + d)
            vals += [numpy.nextafter(base, 0.0), numpy.nextafter(base, base * 2)]
    rng = numpy.random.default_rng(7)
    mags = 2.0 ** rng.uniform(-2, 70, 400)
    vals += list(mags * rng.choice([-1, 1], 400))
    return numpy.array(vals, dtype="float64")


GRID = _grid()


def _cast(a, dst):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return a.astype(dst)


def _source(src):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if src.startswith("complex"):
            return (GRID + 1j * GRID[::-1]).astype(src)
        return GRID.astype(src)


@pytest.mark.parametrize("dst", INTS + ["bool"])
@pytest.mark.parametrize("src", FLOATS)
def test_float_to_int_grid(src, dst):
    v = _source(src)
    ov = to_ox(v)
    assert_same(ov.astype(dst), _cast(v, dst))
    assert_same(ov[::2].astype(dst), _cast(v[::2], dst))
    assert_same(ov[::-1].astype(dst), _cast(v[::-1], dst))
    # Every value at every position of short contiguous runs: vector blocks and scalar tails.
    for n in range(1, 10):
        for start in range(0, 8):
            w = v[start::8][: n * 4]
            w = numpy.resize(w, n) if w.size >= n else w
            assert_same(to_ox(w).astype(dst), _cast(w, dst))


@pytest.mark.parametrize("dst", ["uint32", "int32", "uint64"])
@pytest.mark.parametrize("src", FLOATS)
def test_float_to_int_layouts(src, dst):
    """The loop NumPy picks depends on the coalesced layout of source and destination."""
    bad = numpy.array([numpy.nan, -numpy.inf, -2.0**31 - 1, 2.0**32 + 3.5, 2.0**64, -1.0]).astype(src)
    v = numpy.resize(bad, 2 * 3 * 7).reshape(2, 3, 7)
    ov = to_ox(v)
    for f in [lambda a: a, lambda a: a.T, lambda a: a[:, ::2], lambda a: a[:, :, :4],
              lambda a: a[::-1], lambda a: a.transpose(1, 0, 2), lambda a: a[:, 1:]]:
        for order in ["K", "C", "F"]:
            assert_same(f(ov).astype(dst, order=order), f(v).astype(dst, order=order))
    d, od = numpy.zeros((3, 7), dst), oxnp.zeros((3, 7), dst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d[...] = v[0]
        od[...] = ov[0]
    assert_same(od, d)


@pytest.mark.parametrize("dst", ["float16", "float32", "float64", "complex64"])
@pytest.mark.parametrize("src", INTS)
def test_int_to_float_rounding(src, dst):
    info = numpy.iinfo(src)
    cands = [0, 1, -1, 2049, 2051, 4097, 65504, 65519, 65520, 65535, 2**24 + 1, 2**24 + 3,
             2**53 + 1, 2**60 + 2**36 + 1, 2**60 + 2**36, 2**63 + 2**39 + 1, info.max, info.min,
             info.max - 1, -(2**60 + 2**36 + 1), -65520, -65519, -2049]
    vals = numpy.array([c for c in cands if info.min <= c <= info.max], dtype=src)
    ov = to_ox(vals)
    assert_same(ov.astype(dst), _cast(vals, dst))
    assert_same(ov[::-1].astype(dst), _cast(vals[::-1], dst))


@pytest.mark.parametrize("dst", ["float16", "float32"])
@pytest.mark.parametrize("src", ["float32", "float64", "complex64", "complex128"])
def test_float_narrowing_rounding(src, dst):
    """Direct rounding, no double rounding through float32 for float64 -> float16."""
    vals = numpy.array([1 + 2.0**-11 + 2.0**-40, 1 + 2.0**-11, 65519.99, 65520.0, 6e-8, 3e-8,
                        2.0**-25, 2.0**-25 + 2.0**-60, 1 + 2.0**-24 + 2.0**-60, 3.4028235e38 * 1.0000001,
                        numpy.nan, -numpy.inf, -0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = vals.astype(src)
    assert_same(to_ox(v).astype(dst), _cast(v, dst))


def test_same_dtype_copy_is_raw():
    """NumPy copies bool bytes unchanged when the dtype does not change, and normalises them
    when it converts."""
    v = numpy.frombuffer(bytes([0, 1, 2, 255, 7, 0, 3, 4, 5, 128]), dtype="bool")
    ov = to_ox(v)
    for f in [lambda a: a.copy(), lambda a: a[::-1].copy(), lambda a: a[::3].copy(),
              lambda a: a.astype("bool"), lambda a: a.reshape(2, 5).T.copy(order="C")]:
        assert f(ov).tobytes() == f(v).tobytes()
    for dst in INTS + FLOATS:
        assert_same(ov.astype(dst), v.astype(dst))
        assert_same(ov[::2].astype(dst), v[::2].astype(dst))
    d, od = numpy.zeros(10, "bool"), oxnp.zeros(10, "bool")
    d[::-1] = v
    od[::-1] = ov
    assert od.tobytes() == d.tobytes()


def _cast_warnings(a, dst):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a.astype(dst)
    return sorted({(w.category.__name__, str(w.message)) for w in caught})


@pytest.mark.parametrize("dst", INTS + ["bool", "float16", "float32", "float64"])
@pytest.mark.parametrize("src", FLOATS)
def test_cast_warnings(src, dst):
    """astype warns as NumPy does: overflow (float narrowing), invalid (float to int: NaN,
    inf, out of range) and ComplexWarning, per value and for whole arrays."""
    v = _source(src)
    assert _cast_warnings(to_ox(v), dst) == _cast_warnings(v, dst)
    assert _cast_warnings(to_ox(v)[::3], dst) == _cast_warnings(v[::3], dst)
    for k in range(0, v.size, 7):
        assert _cast_warnings(to_ox(v[k:k + 1]), dst) == _cast_warnings(v[k:k + 1], dst), v[k]


def _warnings_of(f):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            f()
        except Exception as e:  # noqa: BLE001 - the class is compared
            return type(e).__name__
    return sorted({(w.category.__name__, str(w.message)) for w in caught})


CAST_STORES = {
    "array(list)": lambda np, v, dst: np.array(v.tolist(), dtype=dst),
    "asarray(array)": lambda np, v, dst: np.asarray(np.asarray(v), dtype=dst),
    "setitem slice": lambda np, v, dst: np.zeros(v.size, dst).__setitem__(slice(None), np.asarray(v)),
    "setitem element": lambda np, v, dst: np.zeros(1, dst).__setitem__(0, v.tolist()[0]),
    "copyto": lambda np, v, dst: np.copyto(np.zeros(v.size, dst), np.asarray(v), casting="unsafe"),
    "copyto where": lambda np, v, dst: np.copyto(np.zeros(v.size, dst), np.asarray(v), casting="unsafe",
                                                 where=np.arange(v.size) % 2 == 0),
    "full": lambda np, v, dst: np.full(2, v.tolist()[0], dtype=dst),
    "fill": lambda np, v, dst: np.zeros(2, dst).fill(v.tolist()[0]),
}


@pytest.mark.parametrize("store", list(CAST_STORES))
@pytest.mark.parametrize("dst", ["int32", "int64", "uint8", "float16", "float32", "complex64", "float64"])
def test_stores_warn_like_casts(store, dst):
    """Array creation with a dtype, element and slice assignment, copyto and fill convert
    values as a cast does, with NumPy's 'overflow'/'invalid value encountered in cast'."""
    f = CAST_STORES[store]
    for values in [[1e308, 1.5], [float("nan"), 2.0], [1e40, -1e40], [70000, 3], [2**40, 1], [0.5, 1e-50]]:
        v = numpy.array(values)
        assert _warnings_of(lambda: f(oxnp, v, dst)) == _warnings_of(lambda: f(numpy, v, dst)), (values, dst)
