"""Differential tests of `a[key]` and `a[key] = value` against NumPy."""

import numpy
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import oxnp
from helpers import assert_same, outcome, sample, to_np, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]

shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)
bounds = st.one_of(st.none(), st.integers(-8, 8))
slices = st.builds(slice, bounds, bounds, st.one_of(st.none(), st.integers(-4, 4).filter(bool)))
items = st.one_of(st.integers(-7, 7), slices, st.just(Ellipsis), st.none())
keys = st.one_of(items, st.lists(items, max_size=5).map(tuple))


def same_error(ours, ref):
    assert type(ours) is type(ref) or isinstance(ours, type(ref)), f"{ours!r} vs {ref!r}"
    assert str(ours) == str(ref)


def assert_same_result(ours, ref, check_strides=True):
    if isinstance(ref, numpy.ndarray):
        assert isinstance(ours, oxnp.ndarray)
        assert_same(ours, ref)
        if check_strides:
            assert ours.strides == ref.strides
    else:
        assert not isinstance(ours, oxnp.ndarray)
        got = numpy.array(ours).astype(ref.dtype)
        assert got.tobytes() == numpy.asarray(ref).tobytes()


@settings(max_examples=400, deadline=None)
@given(shape=shapes, key=keys)
def test_getitem_basic_matches_numpy(shape, key):
    ref_arr = sample(shape)
    src = to_ox(ref_arr)
    ref, ref_err = outcome(lambda: ref_arr[key])
    ours, our_err = outcome(lambda: src[key])
    if ref_err is not None:
        same_error(our_err, ref_err)
        return
    assert our_err is None, our_err
    # NumPy's strides of empty arrays vary; compare when the sources agree.
    assert_same_result(ours, ref, src.strides == ref_arr.strides)


@settings(max_examples=200, deadline=None)
@given(shape=shapes, key1=keys, key2=keys)
def test_getitem_of_views_matches_numpy(shape, key1, key2):
    ref_arr = sample(shape)
    assume(isinstance(ref_arr[key1], numpy.ndarray) if outcome(lambda: ref_arr[key1])[1] is None else False)
    src = to_ox(ref_arr)
    ref, ref_err = outcome(lambda: ref_arr[key1][key2])
    ours, our_err = outcome(lambda: src[key1][key2])
    if ref_err is not None:
        same_error(our_err, ref_err)
        return
    assert our_err is None, our_err
    assert_same_result(ours, ref, src.strides == ref_arr.strides)


@pytest.mark.parametrize("dtype", DTYPES)
def test_integer_index_all_dtypes(dtype):
    ref = sample((3, 4), dtype)
    ours = to_ox(ref)
    assert_same_result(ours[2, -1], ref[2, -1])
    assert_same(ours[1], ref[1])
    assert_same(ours[:, ::-2], ref[:, ::-2])


@pytest.mark.parametrize(
    "shape, key",
    [((3,), 5), ((3,), -4), ((2, 3), (1, 3)), ((3,), (0, 0)), ((), 0), ((3,), (..., ...)),
     ((3,), (5, ..., ...)), ((3,), (1.5, ..., ...)), ((3,), 1.5), ((3,), "a"), ((3,), 2**70),
     ((3,), slice(None, None, 0)), ((3,), slice(1.0, None)), ((3,), [1.0]), ((6,), [1, 20]),
     ((6,), [-7]), ((3, 2), [True, False]), ((3,), {1}), ((3,), (None, 0, 0))],
)
def test_index_errors_match_numpy(shape, key):
    ref_arr = sample(shape)
    _, ref_err = outcome(lambda: ref_arr[key])
    _, our_err = outcome(lambda: to_ox(ref_arr)[key])
    assert ref_err is not None
    same_error(our_err, ref_err)


def test_index_like_integers():
    ref = sample((4, 3))
    ours = to_ox(ref)

    class Idx:
        def __index__(self):
            return 2

    for key in [numpy.int8(2), numpy.uint64(2), Idx(), (Idx(), -1), slice(numpy.int16(1), Idx())]:
        assert_same_result(ours[key], ref[key])
    # A 0-d integer array indexes like an int but gives a copy.
    zero_d = to_ox(numpy.array(1))
    row = ours[zero_d]
    assert_same(row, ref[numpy.array(1)])
    assert row.base is None
    assert_same_result(ours[zero_d, zero_d], ref[1, 1])


def test_zero_d_array_indexing():
    ref = numpy.array(2.5)
    ours = to_ox(ref)
    assert_same_result(ours[()], ref[()])
    assert_same(ours[...], ref[...])
    assert_same(ours[None], ref[None])
    assert ours[...].base is ours


def test_views_share_memory_and_base():
    ref = sample((4, 5))
    ours = to_ox(ref)
    v = ours[1:, ::2]
    assert v.base is ours
    w = v[::-1]
    assert w.base is ours
    w[0] = -1.0
    ref[1:, ::2][::-1][0] = -1.0
    assert_same(ours, ref)
    assert ours[1].base is ours
    assert ours.base is None


@settings(max_examples=300, deadline=None)
@given(shape=shapes, key=keys, data=st.data(),
       dtype=st.sampled_from(DTYPES), vdtype=st.sampled_from(DTYPES))
def test_setitem_broadcast_matches_numpy(shape, key, data, dtype, vdtype):
    ref = sample(shape, dtype)
    ours = to_ox(ref)
    view, err = outcome(lambda: ref[key])
    vshape = numpy.shape(view) if err is None else (2,)
    # A value shape that broadcasts (or, sometimes, does not) to the selection.
    k = data.draw(st.integers(0, len(vshape)))
    value_shape = tuple(d if data.draw(st.booleans()) else 1 for d in vshape[len(vshape) - k:])
    if data.draw(st.integers(0, 9)) == 0:
        value_shape = (3,) + value_shape
    value = sample(value_shape, vdtype)
    _, ref_err = outcome(lambda: ref.__setitem__(key, value))
    _, our_err = outcome(lambda: ours.__setitem__(key, to_ox(value)))
    if ref_err is not None:
        same_error(our_err, ref_err)
    else:
        assert our_err is None, our_err
    assert_same(ours, ref)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("value", [0, 1, -1, 127, 200, 255, 300, -129, 2**63 - 1, 2**64 - 1, 2**64,
                                   10**400, True, False, 2.75, -1.5, 1e300, float("nan"),
                                   float("inf"), 1 + 2j, 0j])
@pytest.mark.parametrize("key", [1, slice(None), (slice(None, None, -1),)])
def test_setitem_python_scalars(dtype, value, key):
    ref = sample((3,), dtype)
    ours = to_ox(ref)
    _, ref_err = outcome(lambda: ref.__setitem__(key, value))
    _, our_err = outcome(lambda: ours.__setitem__(key, value))
    if ref_err is not None:
        assert type(our_err) is type(ref_err), f"{our_err!r} vs {ref_err!r}"
    else:
        assert our_err is None, our_err
    assert_same(ours, ref)


def test_overlapping_assignment():
    for make in [lambda a: a.__setitem__(slice(1, None), a[:-1]),
                 lambda a: a.__setitem__(slice(None, -1), a[1:]),
                 lambda a: a.__setitem__(slice(None, None, -1), a),
                 lambda a: a.__setitem__(slice(None, None, 2), a[1::2][::-1])]:
        ref = sample((10,), "int32")
        ours = to_ox(ref)
        make(ref)
        make(ours)
        assert_same(ours, ref)
    ref = sample((4, 4))
    ours = to_ox(ref)
    ref[1:, 1:] = ref[:-1, :-1]
    ours[1:, 1:] = ours[:-1, :-1]
    assert_same(ours, ref)
    ref[::-1, 1:] = ref[:, :-1]
    ours[::-1, 1:] = ours[:, :-1]
    assert_same(ours, ref)


def test_setitem_errors():
    ours = to_ox(sample((2, 2)))
    with pytest.raises(ValueError, match=r"could not broadcast input array from shape \(3,\) into shape \(2,2\)"):
        ours[:] = to_ox(sample((3,)))
    with pytest.raises(ValueError, match="cannot delete array elements"):
        del ours[0]
    ro = oxnp.broadcast_to(ours, (3, 2, 2))
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        ro[0] = 1.0
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        ro[[0]] = 1.0


@pytest.mark.parametrize("shape, mshape", [((5,), (5,)), ((3, 4), (3, 4)), ((3, 4), (3,)),
                                            ((2, 3, 2), (2, 3)), ((0, 3), (0,)), ((), ()),
                                            ((3, 4), (4,)), ((3,), (3, 1))])
@pytest.mark.parametrize("dtype", ["bool", "int16", "float64", "complex64"])
def test_boolean_mask_get_set(shape, mshape, dtype):
    rng = numpy.random.default_rng(len(shape) * 10 + len(mshape))
    ref = sample(shape, dtype)
    mask = rng.random(mshape) < 0.5
    ours = to_ox(ref)
    r, ref_err = outcome(lambda: ref[mask])
    o, our_err = outcome(lambda: ours[to_ox(mask)])
    if ref_err is not None:
        same_error(our_err, ref_err)
        return
    assert_same(o, r)
    # set: a scalar, then an array of the selection's shape
    ref[mask] = 7
    ours[to_ox(mask)] = 7
    assert_same(ours, ref)
    value = sample(r.shape, "float64") * 3
    ref[mask] = value
    ours[to_ox(mask)] = to_ox(value)
    assert_same(ours, ref)


def test_boolean_scalar_and_list_masks():
    ref = sample((2, 3))
    ours = to_ox(ref)
    assert_same(ours[True], ref[True])
    assert_same(ours[False], ref[False])
    assert_same(ours[[True, False]], ref[[True, False]])
    # NumPy's bool scalars index like Python bools (0-d masks)
    assert_same(ours[oxnp.True_], ref[numpy.True_])
    assert_same(ours[oxnp.False_], ref[numpy.False_])
    assert_same(ours[oxnp.True_, 1], ref[numpy.True_, 1])
    z = oxnp.zeros(())
    z[oxnp.True_] = 4.0
    assert float(z) == 4.0
    ours[[False, True]] = 5.0
    ref[[False, True]] = 5.0
    assert_same(ours, ref)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "int64", "uint64"])
def test_integer_array_index(dtype):
    ref = sample((5, 3))
    ours = to_ox(ref)
    idx = numpy.array([4, 0, 4, 1], dtype=dtype)
    assert_same(ours[to_ox(idx)], ref[idx])
    assert_same(ours[to_ox(idx.reshape(2, 2))], ref[idx.reshape(2, 2)])
    assert_same(ours[to_ox(idx), :], ref[idx, :])
    assert ours[to_ox(idx)].base is None
    assert_same(ours[[-1, 2, -5]], ref[[-1, 2, -5]])
    assert_same(ours[[]], ref[[]])
    # duplicate indices: the last assignment wins
    value = sample((4, 3)) * 10
    ref[idx] = value
    ours[to_ox(idx)] = to_ox(value)
    assert_same(ours, ref)
    ref[[0, -1]] = 2.5
    ours[[0, -1]] = 2.5
    assert_same(ours, ref)


def test_integer_array_errors():
    ref = sample((3,))
    ours = to_ox(ref)
    for key in [[3], [-4], numpy.array([1.0]), numpy.array([2**64 - 1], numpy.uint64)]:
        _, ref_err = outcome(lambda: ref[key])
        ok = to_ox(key) if isinstance(key, numpy.ndarray) else key
        _, our_err = outcome(lambda: ours[ok])
        same_error(our_err, ref_err)
        _, our_err = outcome(lambda: ours.__setitem__(ok, 1.0))
        assert type(our_err) is type(ref_err)


