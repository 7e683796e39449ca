"""float32/float64 exp and log are NumPy's bit for bit, including on AVX-512 CPUs where NumPy
uses SVML and its own SIMD kernels (crates/oxnp-kernels/src/vecmath.rs), with NumPy's
floating-point warnings."""

import warnings

import numpy
import pytest
from hypothesis import given, strategies as st

import oxnp
from helpers import assert_same

RNG = numpy.random.default_rng(20261123)

INPUTS = {
    "normal": RNG.standard_normal(10_001) * 5,
    "tiny": numpy.abs(RNG.standard_normal(5_000)) * 1e-3,
    "near-one": 1 + RNG.standard_normal(5_000) * 1e-2,
    "wide": numpy.exp(RNG.uniform(-700, 700, 20_000)),
    "exp-range": RNG.uniform(-707, 707, 20_000),
    "special": numpy.array([0.0, -0.0, numpy.inf, -numpy.inf, numpy.nan, -numpy.nan, -1.0, 1.0,
                            5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("func", ["exp", "log"])
@pytest.mark.parametrize("kind", list(INPUTS))
def test_bitwise_equal(func, kind, dtype):
    with numpy.errstate(all="ignore"):
        x = INPUTS[kind].astype(dtype)
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        assert_same(getattr(oxnp, func)(oxnp.asarray(x)), getattr(numpy, func)(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("func", ["exp", "log"])
def test_strided_and_in_place(func, dtype):
    x = (numpy.abs(RNG.standard_normal((64, 9))) * 3).astype(dtype)
    ours = oxnp.asarray(x)
    assert_same(getattr(oxnp, func)(ours[::3, ::-2]), getattr(numpy, func)(x[::3, ::-2]))
    expected = getattr(numpy, func)(x)
    getattr(oxnp, func)(ours, out=ours)
    assert_same(ours, expected)


@pytest.mark.parametrize("width", [32, 64])
@given(data=st.data())
def test_any_float_log(width, data):
    values = data.draw(st.lists(st.floats(width=width), max_size=40))
    x = numpy.array(values, dtype=f"float{width}")
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        assert_same(oxnp.log(oxnp.asarray(x)), numpy.log(x))


@pytest.mark.parametrize("width", [32, 64])
@given(data=st.data())
def test_any_float_exp(width, data):
    values = data.draw(st.lists(st.floats(width=width), max_size=40))
    x = numpy.array(values, dtype=f"float{width}")
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        assert_same(oxnp.exp(oxnp.asarray(x)), numpy.exp(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("func, value, category", [
    ("log", 0.0, "divide by zero"), ("log", -1.0, "invalid value"), ("log", -numpy.inf, "invalid value"),
    ("exp", 1000.0, "overflow"),
])
def test_warnings_match(func, value, category, dtype):
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        getattr(oxnp, func)(oxnp.asarray([value, 1.0], dtype=dtype))
    with warnings.catch_warnings(record=True) as ref:
        warnings.simplefilter("always")
        getattr(numpy, func)(numpy.array([value, 1.0], dtype=dtype))
    assert [str(w.message) for w in ours] == [str(w.message) for w in ref]
    assert category in str(ref[0].message)


def test_exp_edge_range():
    x = numpy.concatenate([RNG.uniform(707.7, 709.8, 20_000), RNG.uniform(-745.2, -707.7, 20_000)])
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        assert_same(oxnp.exp(oxnp.asarray(x)), numpy.exp(x))
