"""oxnp.lib against numpy.lib: stride tricks, axis helpers, the .npy format module, NumpyVersion."""

import io

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import assert_same, outcome, sample, to_ox


def _pair(shape):
    ref = sample(shape)
    return to_ox(ref), ref


@pytest.mark.parametrize("shape, strides", [
    ((3, 2), (8, 8)),
    ((5,), (0,)),
    ((2, 3), (0, 8)),
    ((4, 3), (16, 8)),
    ((2, 2, 2), (24, 8, 0)),
    ((0, 3), (8, 8)),
    ((6,), (-8,)),
])
def test_as_strided_views(shape, strides):
    ours, ref = _pair((12,))
    base = slice(11, None) if strides[0] < 0 else slice(None)
    got = oxnp.lib.stride_tricks.as_strided(ours[base], shape, strides)
    want = numpy.lib.stride_tricks.as_strided(ref[base], shape, strides)
    assert_same(got.copy(), want.copy())
    assert got.strides == want.strides
    assert got.base is not None


def test_as_strided_defaults_follow_numpy():
    ours, ref = _pair((3, 4))
    for shape in [None, (12,), (2, 6)]:
        got = oxnp.lib.stride_tricks.as_strided(ours, shape)
        want = numpy.lib.stride_tricks.as_strided(ref, shape)
        assert got.strides == want.strides and got.shape == want.shape
        assert_same(got.copy(), want.copy())
    ours_t, ref_t = ours.T, ref.T
    got = oxnp.lib.stride_tricks.as_strided(ours_t, (2, 3))
    want = numpy.lib.stride_tricks.as_strided(ref_t, (2, 3))
    assert got.strides == want.strides
    assert_same(got.copy(), want.copy())


def test_as_strided_shares_memory_and_writeable():
    ours = oxnp.zeros(6)
    v = oxnp.lib.stride_tricks.as_strided(ours, (3,), (16,))
    v[1] = 5.0
    assert ours[2] == 5.0
    ro = oxnp.lib.stride_tricks.as_strided(ours, (3,), (16,), writeable=False)
    assert not ro.flags.writeable
    with pytest.raises(ValueError):
        ro[0] = 1.0
    frozen = oxnp.zeros(4)
    frozen.flags.writeable = False
    assert not oxnp.lib.stride_tricks.as_strided(frozen, (2,), (8,)).flags.writeable


def test_as_strided_refuses_memory_outside_the_buffer():
    a = oxnp.zeros(4)
    with pytest.raises(ValueError):
        oxnp.lib.stride_tricks.as_strided(a, (5,), (8,))
    with pytest.raises(ValueError):
        oxnp.lib.stride_tricks.as_strided(a[1:], (2,), (-16,))
    with pytest.raises(ValueError):
        oxnp.lib.stride_tricks.as_strided(a, (2, 2), (8,))
    with pytest.raises(ValueError):
        oxnp.lib.stride_tricks.as_strided(a, (-1,), (8,))


@settings(max_examples=150, deadline=None)
@given(
    shape=st.lists(st.integers(0, 5), min_size=1, max_size=3),
    data=st.data(),
)
def test_sliding_window_view_matches_numpy(shape, data):
    ref = sample(shape)
    ours = to_ox(ref)
    ndim = len(shape)
    use_axis = data.draw(st.booleans())
    if use_axis:
        axis = data.draw(st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=3))
        window = data.draw(st.lists(st.integers(0, 6), min_size=len(axis), max_size=len(axis)))
    else:
        axis = None
        window = data.draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim))
    got, e1 = outcome(lambda: oxnp.lib.stride_tricks.sliding_window_view(ours, window, axis))
    want, e2 = outcome(lambda: numpy.lib.stride_tricks.sliding_window_view(ref, window, axis))
    assert type(e1).__name__ == type(e2).__name__, (e1, e2)
    if e2 is not None:
        assert str(e1) == str(e2)
        return
    assert got.shape == want.shape and got.strides == want.strides
    assert not got.flags.writeable
    assert_same(got.copy(), want.copy())


@pytest.mark.parametrize("window, axis", [
    ((-1,), None), ((2, 2), None), ((2,), (0, 1)), ((5,), 0), (3, 1), ((2,), 2),
])
def test_sliding_window_view_errors(window, axis):
    ref = sample((3, 4))
    _, e1 = outcome(lambda: oxnp.lib.stride_tricks.sliding_window_view(to_ox(ref), window, axis))
    _, e2 = outcome(lambda: numpy.lib.stride_tricks.sliding_window_view(ref, window, axis))
    assert type(e1).__name__ == type(e2).__name__, (e1, e2)
    assert e2 is None or str(e1) == str(e2)


def test_sliding_window_moving_average():
    x = numpy.linspace(0.0, 1.0, 50) ** 2
    got = oxnp.lib.stride_tricks.sliding_window_view(to_ox(x), 5).mean(axis=-1)
    want = numpy.lib.stride_tricks.sliding_window_view(x, 5).mean(axis=-1)
    assert_same(got, want)


@pytest.mark.parametrize("axis, ndim", [(0, 3), (-1, 3), (2, 3), (3, 3), (-4, 3), (0, 0), (1.0, 3)])
def test_normalize_axis_index(axis, ndim):
    r1, e1 = outcome(lambda: oxnp.lib.array_utils.normalize_axis_index(axis, ndim))
    r2, e2 = outcome(lambda: numpy.lib.array_utils.normalize_axis_index(axis, ndim))
    assert type(e1).__name__ == type(e2).__name__ and r1 == r2
    if e2 is not None:
        assert str(e1) == str(e2)


@pytest.mark.parametrize("axis, kw", [
    (0, {}), ((0, -1), {}), ([1, 1], {}), ([1, 1], {"allow_duplicate": True}),
    ((0, 0), {"argname": "axes"}), ((5,), {}), ((0, 5), {"argname": "axis"}),
])
def test_normalize_axis_tuple(axis, kw):
    r1, e1 = outcome(lambda: oxnp.lib.array_utils.normalize_axis_tuple(axis, 3, **kw))
    r2, e2 = outcome(lambda: numpy.lib.array_utils.normalize_axis_tuple(axis, 3, **kw))
    assert type(e1).__name__ == type(e2).__name__ and r1 == r2
    if e2 is not None:
        assert str(e1) == str(e2)


@pytest.mark.parametrize("make", [
    lambda m: m.arange(12.0).reshape(3, 4),
    lambda m: m.arange(12.0).reshape(3, 4)[:, ::-2],
    lambda m: m.arange(12.0).reshape(3, 4).T,
    lambda m: m.zeros((0, 3)),
])
def test_byte_bounds_span(make):
    ours, ref = make(oxnp), make(numpy)
    lo, hi = oxnp.lib.array_utils.byte_bounds(ours)
    rlo, rhi = numpy.lib.array_utils.byte_bounds(ref)
    assert hi - lo == rhi - rlo
    assert lo - ours.__array_interface__["data"][0] == rlo - ref.__array_interface__["data"][0]


def test_format_module_round_trips_with_numpy():
    ref = numpy.arange(24, dtype="<i4").reshape(2, 3, 4)
    buf = io.BytesIO()
    oxnp.lib.format.write_array(buf, to_ox(ref))
    mine = buf.getvalue()
    buf2 = io.BytesIO()
    numpy.lib.format.write_array(buf2, ref)
    assert mine == buf2.getvalue()
    back = oxnp.lib.format.read_array(io.BytesIO(buf2.getvalue()))
    assert_same(back, ref)
    f = io.BytesIO(mine)
    assert oxnp.lib.format.read_magic(f) == numpy.lib.format.read_magic(io.BytesIO(mine))
    assert oxnp.lib.format.magic(2, 0) == numpy.lib.format.magic(2, 0)
    for name in ["MAGIC_PREFIX", "MAGIC_LEN", "ARRAY_ALIGN", "BUFFER_SIZE", "EXPECTED_KEYS",
                 "GROWTH_AXIS_MAX_DIGITS"]:
        assert getattr(oxnp.lib.format, name) == getattr(numpy.lib.format, name)
    assert oxnp.lib.format.drop_metadata(oxnp.dtype("f8")) == oxnp.dtype("f8")


def test_scimath_and_npyio():
    x = numpy.array([-4.0, 0.25, 9.0])
    assert_same(oxnp.lib.scimath.sqrt(to_ox(x)), numpy.lib.scimath.sqrt(x))
    assert_same(oxnp.lib.scimath.log(to_ox(x)), numpy.lib.scimath.log(x))
    assert oxnp.lib.npyio.NpzFile is oxnp.load.__globals__["NpzFile"]


@pytest.mark.parametrize("a, b", [
    ("1.9.0.dev-abc", "1.9.0a1"), ("1.9.0a1.dev", "1.9.0a1"), ("1.9.0rc1", "1.9.0"),
    ("1.9.0b2", "1.9.0rc1"), ("1.9.0.dev", "1.9.0"), ("1.10.0", "1.9.0"),
    ("2.0.0rc1.dev", "2.0.0rc1"), ("1.9.0a2.dev", "1.9.0a1"), ("1.9.0", "1.9.0"),
    ("2.4.6", "2.4.6rc1"), ("1.9.0rc2.dev-1", "1.9.0rc2.dev-2"),
])
def test_numpy_version_orders_as_numpy(a, b):
    ours, ref = oxnp.lib.NumpyVersion(a), numpy.lib.NumpyVersion(a)
    for op in ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"]:
        assert getattr(ours, op)(b) == getattr(ref, op)(b), op
    for attr in ["version", "major", "minor", "bugfix", "pre_release", "is_devversion"]:
        assert getattr(ours, attr) == getattr(ref, attr), attr
    assert repr(ours) == repr(ref)


def test_numpy_version_rejects_bad_strings():
    with pytest.raises(ValueError, match="Not a valid numpy version string"):
        oxnp.lib.NumpyVersion("1.x")
    with pytest.raises(ValueError):
        oxnp.lib.NumpyVersion("1.2.0") < 3
