"""Printing: repr/str of arrays, print options, Dragon4 float text and scalar reprs,
compared byte for byte with NumPy."""

import contextlib
import sys

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
          "uint64", "float16", "float32", "float64", "complex64", "complex128"]
SHAPES = [(), (0,), (0, 3), (5,), (3, 4), (2, 3, 4), (1001,), (40, 40), (3, 1, 1, 2)]


@contextlib.contextmanager
def both_options(**kw):
    """The same print options on NumPy and oxnp for the block."""
    with numpy.printoptions(**kw), oxnp.printoptions(**kw):
        yield


def sample(dtype, shape, seed=0):
    rng = numpy.random.RandomState(seed)
    n = int(numpy.prod(shape))
    dt = numpy.dtype(dtype)
    if dt.kind == "b":
        v = rng.randint(0, 2, n).astype(bool)
    elif dt.kind in "iu":
        info = numpy.iinfo(dt)
        v = rng.randint(max(info.min, -10**6), min(info.max, 10**6) + 1, n, dtype=numpy.int64)
        v = v.astype(dt)
    elif dt.kind == "f":
        v = (rng.standard_normal(n) * 10.0 ** rng.randint(-2, 3, n)).astype(dt)
    else:
        v = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
    return v.reshape(shape)


def assert_prints_same(a):
    x = to_ox(a)
    assert repr(x) == repr(a)
    assert str(x) == str(a)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_shape(dtype, shape):
    assert_prints_same(sample(dtype, shape))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("values", [
    [numpy.nan, numpy.inf, -numpy.inf, -0.0, 1.0],
    [numpy.nan, 1.0], [numpy.inf], [-numpy.inf, numpy.nan], [numpy.nan],
    [-0.0], [0.0, -0.0], [1e-10, 1.0], [1e-5], [1e20, 1.0], [123456789.0, 1.0],
    [1e5, 1.0], [999.0, 1.0], [1001.0, 1.0], [1e7], [1e9],
    [0.1, 0.2, 0.3], [3.3, 0.1], [1.5, 2.25, -3.125], [100.0, 0.001],
    [1e-300, 1e300], [5e-324], [2.0 ** -9], [0.125, 0.375],
    [1.0, 2.0, 3.0], [-1.0, 1e-4], [1e-4], [9.999e-5], [65504.0], [6e-8],
], ids=str)
def test_float_specials(dtype, values):
    with numpy.errstate(over="ignore"):
        a = numpy.array(values, dtype=dtype)
    assert_prints_same(a)
    assert_prints_same(a[::-1].reshape(len(values), 1))
    for v in a:
        assert_prints_same(numpy.array(v))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("values", [
    [1 + 2j, 3.5 - 1j], [complex(numpy.nan, 1), complex(1, numpy.nan)],
    [complex(numpy.inf, -numpy.inf), 0j], [1e-10 + 1e10j], [complex(-0.0, -0.0)],
    [0.1 + 3.3j, 1j], [complex(numpy.nan, numpy.nan)], [1e7 + 1j],
], ids=str)
def test_complex_specials(dtype, values):
    a = numpy.array(values, dtype=dtype)
    assert_prints_same(a)
    for v in a:
        assert_prints_same(numpy.array(v))


def test_float32_shortest():
    assert_prints_same(numpy.array([0.1, 3.3], dtype=numpy.float32))
    assert_prints_same(numpy.arange(0, 22, 1.1, dtype=numpy.float32))


def test_noncontiguous_views():
    a = numpy.arange(60.0).reshape(3, 4, 5) / 7
    for v in (a[::-1], a[:, ::2], a.transpose(2, 0, 1), a[1, :, 3]):
        x = to_ox(numpy.ascontiguousarray(v))
        assert repr(x) == repr(v)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2000), st.integers(0, 2**32 - 1), st.sampled_from(["float16", "float32", "float64"]),
       st.integers(-12, 12), st.floats(0, 0.2))
def test_random_float_arrays(n, seed, dtype, scale, special):
    rng = numpy.random.RandomState(seed)
    v = rng.standard_normal(n) * 10.0 ** rng.randint(scale - 2, scale + 3, n)
    mask = rng.random_sample(n) < special
    v[mask] = rng.choice([numpy.nan, numpy.inf, -numpy.inf, 0.0, -0.0], mask.sum())
    with numpy.errstate(over="ignore"):
        a = v.astype(dtype)
    assert_prints_same(a)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.lists(st.integers(0, 6), min_size=1, max_size=4))
def test_random_shapes(seed, shape):
    rng = numpy.random.RandomState(seed)
    dtype = DTYPES[rng.randint(len(DTYPES))]
    assert_prints_same(sample(dtype, tuple(shape), seed))


OPTION_CASES = [
    {"precision": 0}, {"precision": 3}, {"precision": 12}, {"precision": 20},
    {"threshold": 5}, {"threshold": sys.maxsize}, {"threshold": float("inf")},
    {"threshold": 0}, {"edgeitems": 1}, {"edgeitems": 2, "threshold": 10},
    {"linewidth": 20}, {"linewidth": 120}, {"linewidth": 1}, {"suppress": True},
    {"nanstr": "NaN", "infstr": "Infinity"}, {"nanstr": "n"},
    {"sign": "+"}, {"sign": " "}, {"floatmode": "fixed"}, {"floatmode": "unique"},
    {"floatmode": "maxprec"}, {"floatmode": "maxprec_equal"},
    {"floatmode": "fixed", "precision": 2}, {"floatmode": "maxprec_equal", "precision": 3},
    {"legacy": "1.13"}, {"legacy": "1.21"}, {"legacy": "1.25"}, {"legacy": "2.1"},
    {"legacy": "2.2"}, {"legacy": False}, {"sign": "+", "floatmode": "fixed"},
    {"suppress": True, "precision": 4},
]

OPTION_ARRAYS = [
    numpy.array([0.5, -1.25, 3.0, 1e-3]), numpy.array([1e-8, 1.0, 12345.678]),
    numpy.array([numpy.nan, -numpy.inf, 2.0]), numpy.arange(30.0) / 3,
    numpy.arange(-5, 20), numpy.array([True, False]), numpy.array([1 + 2j, -3.5 - 0.25j]),
    numpy.linspace(0, 1, 2000).reshape(40, 50), numpy.array(2.5), numpy.array(7),
    numpy.array([1e9, 2.0], dtype=numpy.float32), numpy.array([6e4, 2.0], dtype=numpy.float16),
    numpy.array([[1.5, numpy.nan], [-0.0, 1e-20]]), numpy.array([], dtype=numpy.float32),
    numpy.zeros((2, 0)), numpy.array([1e16, 1.0]), numpy.array([-1e-5, 1.0]),
]


@pytest.mark.parametrize("opts", OPTION_CASES, ids=str)
def test_print_options(opts):
    with both_options(**opts):
        for a in OPTION_ARRAYS:
            assert_prints_same(a)


@pytest.mark.parametrize("kw", [
    {}, {"max_line_width": 30}, {"precision": 2}, {"suppress_small": True},
    {"separator": ", "}, {"separator": ";", "prefix": "foo(", "suffix": ")"},
    {"threshold": 3, "edgeitems": 1}, {"sign": "+"}, {"floatmode": "fixed"},
    {"legacy": "1.13"}, {"formatter": {"float": lambda x: "%.1f" % x}},
    {"formatter": {"all": lambda x: "X"}}, {"formatter": {"int_kind": lambda x: "i%d" % x}},
    {"formatter": {"float_kind": lambda x: "f"}, "separator": ","},
    {"formatter": {"complex_kind": lambda x: "c"}}, {"formatter": {"bool": lambda x: "b"}},
    {"formatter": {"int": lambda x: "%d\n%d" % (x, x)}},
], ids=lambda kw: str(sorted(kw)))
def test_array2string(kw):
    for a in OPTION_ARRAYS:
        assert oxnp.array2string(to_ox(a), **kw) == numpy.array2string(a, **kw)


def test_array_repr_str_args():
    a = numpy.arange(25.0) / 7
    for kw in [{}, {"max_line_width": 40}, {"precision": 3}, {"suppress_small": True}]:
        assert oxnp.array_repr(to_ox(a), **kw) == numpy.array_repr(a, **kw)
        assert oxnp.array_str(to_ox(a), **kw) == numpy.array_str(a, **kw)


def test_formatter_option_and_override_repr():
    a = numpy.array([1.5, 2.0])
    with both_options(formatter={"float": lambda x: f"<{x:.3f}>"}):
        assert_prints_same(a)
    with both_options(override_repr=lambda x: "custom"):
        assert repr(to_ox(a)) == repr(a) == "custom"
        assert str(to_ox(a)) == str(a)


def test_get_set_printoptions_and_context():
    ref = numpy.get_printoptions()
    assert oxnp.get_printoptions() == ref
    with oxnp.printoptions(precision=3, legacy="1.25") as opts:
        with numpy.printoptions(precision=3, legacy="1.25") as nopts:
            assert opts == nopts
            assert oxnp.get_printoptions() == numpy.get_printoptions()
    assert oxnp.get_printoptions() == ref
    try:
        oxnp.set_printoptions(linewidth=40, sign=" ")
        numpy.set_printoptions(linewidth=40, sign=" ")
        assert oxnp.get_printoptions() == numpy.get_printoptions()
        assert_prints_same(numpy.arange(20.0))
    finally:
        oxnp.set_printoptions(**{k: v for k, v in ref.items()})
        numpy.set_printoptions(**ref)
    assert oxnp.get_printoptions() == ref


@pytest.mark.parametrize("kw, exc", [
    ({"floatmode": "bad"}, ValueError), ({"sign": "x"}, ValueError),
    ({"threshold": "10"}, TypeError), ({"threshold": float("nan")}, ValueError),
    ({"precision": 1.5}, TypeError),
])
def test_bad_options(kw, exc):
    with pytest.raises(exc) as ours:
        oxnp.set_printoptions(**kw)
    with pytest.raises(exc) as ref:
        numpy.set_printoptions(**kw)
    assert str(ours.value) == str(ref.value)


FLOAT_VALUES = [0.0, -0.0, 1.0, -1.5, 0.1, 0.125, 0.375, 2.0 ** -9, 1 / 3, 2 / 3, 123.456,
                1e16, 1e-16, 1.5e300, 5e-324, 9.995, 0.0009765625, 999999.5, 1e22, 1e23,
                numpy.nan, numpy.inf, -numpy.inf, 65504.0, 3.3, 7.0e-5, 12345678.9,
                18014398509481992.0, 3198376.25, 57849.0625, 0.5, 1e-20]
FF_KWARGS = [
    {}, {"precision": 0}, {"precision": 2}, {"precision": 5, "unique": False},
    {"precision": 3, "fractional": False}, {"trim": "."}, {"trim": "0"}, {"trim": "-"},
    {"precision": 4, "unique": False, "trim": "-"}, {"sign": True}, {"pad_left": 6},
    {"pad_right": 5}, {"pad_left": 4, "pad_right": 4, "trim": "-"}, {"min_digits": 5},
    {"precision": 6, "min_digits": 3}, {"precision": 20, "unique": False},
    {"precision": 2, "fractional": False, "unique": False, "trim": "."},
]
FS_KWARGS = [
    {}, {"precision": 0}, {"precision": 3}, {"precision": 5, "unique": False},
    {"trim": "."}, {"trim": "0"}, {"trim": "-"}, {"sign": True}, {"pad_left": 5},
    {"exp_digits": 4}, {"exp_digits": 1}, {"min_digits": 6}, {"precision": 4, "min_digits": 2},
    {"precision": 3, "unique": False, "trim": "-"}, {"min_digits": 3, "trim": "-"},
]


@pytest.mark.parametrize("ftype", [numpy.float16, numpy.float32, numpy.float64])
def test_format_float_functions(ftype):
    with numpy.errstate(over="ignore"):
        values = [ftype(v) for v in FLOAT_VALUES]
    for v in values:
        for kw in FF_KWARGS:
            assert oxnp.format_float_positional(v, **kw) == numpy.format_float_positional(v, **kw), (v, kw)
        for kw in FS_KWARGS:
            assert oxnp.format_float_scientific(v, **kw) == numpy.format_float_scientific(v, **kw), (v, kw)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, width=64), st.integers(0, 20), st.sampled_from(["k", ".", "0", "-"]),
       st.booleans())
def test_format_float_random(x, precision, trim, unique):
    for ftype in (numpy.float16, numpy.float32, numpy.float64):
        with numpy.errstate(over="ignore"):
            v = ftype(x)
        kw = {"precision": precision, "trim": trim, "unique": unique}
        assert oxnp.format_float_positional(v, **kw) == numpy.format_float_positional(v, **kw)
        assert oxnp.format_float_scientific(v, **kw) == numpy.format_float_scientific(v, **kw)
        assert oxnp.format_float_positional(v) == numpy.format_float_positional(v)


def test_float16_all_values():
    vals = numpy.arange(2**16, dtype=numpy.uint16).view(numpy.float16)
    for v in vals:
        assert oxnp.format_float_positional(v) == numpy.format_float_positional(v)
    assert oxnp.format_float_scientific(vals[1]) == numpy.format_float_scientific(vals[1])


def test_format_float_errors():
    for f in (oxnp.format_float_positional, numpy.format_float_positional):
        with pytest.raises(ValueError, match="precision must be >= 0"):
            f(1.0, precision=-1)
        with pytest.raises(ValueError, match="min_digits must be less"):
            f(1.0, precision=2, min_digits=3)
        with pytest.raises(ValueError, match="greater than 0 if fractional=False"):
            f(1.0, precision=0, fractional=False)


SCALARS = [
    (1.5, "float64"), (0.1, "float32"), (0.1, "float16"), (1e16, "float64"),
    (1e15, "float64"), (1e6, "float32"), (999999.0, "float32"), (1e3, "float16"),
    (999.5, "float16"), (5e-5, "float64"), (1e-4, "float64"), (float("nan"), "float64"),
    (float("-inf"), "float32"), (-0.0, "float64"), (1e20, "float64"), (3.3, "float32"),
    (3, "int64"), (-7, "int8"), (255, "uint8"), (2**63, "uint64"), (-2**31, "int32"),
    (True, "bool"), (False, "bool"), (1 + 2j, "complex128"), (1.5 - 2j, "complex64"),
    (2j, "complex128"), (complex(-0.0, 1), "complex128"), (complex(float("nan"), 1), "complex128"),
    (complex(1, float("inf")), "complex64"), (complex(1e20, -1e-20), "complex128"), (0j, "complex64"),
]


@pytest.mark.parametrize("legacy", [False, "1.25", "2.2"])
@pytest.mark.parametrize("value, dtype", SCALARS, ids=str)
def test_format_scalar(value, dtype, legacy):
    ref = numpy.dtype(dtype).type(value)
    with both_options(legacy=legacy):
        assert oxnp._oxnp.format_scalar(value, dtype, True) == repr(ref)
        assert oxnp._oxnp.format_scalar(value, oxnp.dtype(dtype), False) == str(ref)
