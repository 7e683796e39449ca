"""Differential tests of NumPy's advanced (integer and boolean array) indexing, get and set."""

import operator

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import assert_same, outcome, ox_call, sample, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
INDEX_DTYPES = ["int8", "uint8", "int16", "int32", "uint32", "int64", "uint64"]


def ox_key(key):
    """The key with every NumPy array replaced by the equal oxnp array."""
    if isinstance(key, tuple):
        return tuple(ox_key(k) for k in key)
    if isinstance(key, numpy.ndarray):
        return to_ox(key)
    return key


def check_same_error(ours, ref):
    assert ours is not None, f"oxnp succeeded where NumPy raised {ref!r}"
    assert type(ours) is type(ref), f"{ours!r} vs {ref!r}"
    if isinstance(ref, IndexError):
        assert str(ours) == str(ref)


def check_get(ref_arr, key):
    ours_arr = to_ox(ref_arr)
    ref, ref_err = outcome(lambda: ref_arr[key])
    ours, our_err = outcome(lambda: ox_call(operator.getitem, ours_arr, ox_key(key)))
    if ref_err is not None:
        check_same_error(our_err, ref_err)
        return None
    assert our_err is None, f"oxnp raised {our_err!r}, NumPy gave {ref!r}"
    if isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        # a 0-d integer array alone indexes like an int: one element, as a scalar
        assert not isinstance(ours, oxnp.ndarray)
        assert str(ours.dtype) == str(ref.dtype) and ours.item() == ref.item()
    return ref


def check_set(ref_arr, key, value):
    ours_arr = to_ox(ref_arr)
    ref_arr = ref_arr.copy()
    ox_value = to_ox(value) if isinstance(value, numpy.ndarray) else value
    _, ref_err = outcome(lambda: ref_arr.__setitem__(key, value))
    _, our_err = outcome(lambda: ox_call(operator.setitem, ours_arr, ox_key(key), ox_value))
    if ref_err is not None:
        check_same_error(our_err, ref_err)
        return
    assert our_err is None, f"oxnp raised {our_err!r}"
    assert_same(ours_arr, ref_arr)


# --- hypothesis: random arrays and random index tuples -----------------------------------

shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
small = st.integers(-6, 6)
slices = st.builds(slice, st.one_of(st.none(), small), st.one_of(st.none(), small),
                   st.one_of(st.none(), st.sampled_from([-2, -1, 1, 2])))


@st.composite
def int_arrays(draw):
    shape = draw(st.lists(st.integers(0, 3), max_size=2).map(tuple))
    n = int(numpy.prod(shape))
    values = draw(st.lists(small, min_size=n, max_size=n))
    as_list = draw(st.booleans())
    if as_list and n > 0:
        return numpy.array(values, dtype="int64").reshape(shape).tolist()
    dtype = draw(st.sampled_from(INDEX_DTYPES))
    signed = numpy.dtype(dtype).kind == "i"
    return numpy.array([v if signed else abs(v) for v in values], dtype=dtype).reshape(shape)


@st.composite
def bool_arrays(draw, arr_shape):
    if arr_shape and draw(st.integers(0, 3)) > 0:
        # Usually the shape of some run of axes, so that it often fits where it lands.
        start = draw(st.integers(0, len(arr_shape) - 1))
        k = draw(st.integers(1, len(arr_shape) - start))
        shape = arr_shape[start:start + k]
    else:
        shape = draw(st.lists(st.integers(0, 4), max_size=2).map(tuple))
    n = int(numpy.prod(shape))
    values = numpy.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool).reshape(shape)
    if values.ndim == 1 and n > 0 and draw(st.booleans()):
        return values.tolist()
    return values


@st.composite
def arrays_and_keys(draw):
    shape = draw(shapes)
    dtype = draw(st.sampled_from(DTYPES))
    item = st.one_of(small, slices, st.just(Ellipsis), st.none(), st.booleans(),
                     int_arrays(), bool_arrays(shape))
    advanced = st.one_of(int_arrays(), bool_arrays(shape))
    items = draw(st.lists(item, max_size=4))
    # At least one array index, somewhere in the tuple.
    items.insert(draw(st.integers(0, len(items))), draw(advanced))
    key = tuple(items) if len(items) > 1 or draw(st.booleans()) else items[0]
    return sample(shape, dtype), key


@settings(max_examples=600, deadline=None)
@given(arrays_and_keys())
def test_getitem_matches_numpy(case):
    arr, key = case
    check_get(arr, key)


@settings(max_examples=400, deadline=None)
@given(arrays_and_keys(), st.integers(0, 3), st.sampled_from(["scalar", "full", "trailing", "wide"]))
def test_setitem_matches_numpy(case, salt, form):
    arr, key = case
    ref, err = outcome(lambda: arr[key])
    if err is not None or form == "scalar":
        check_set(arr, key, 3 + salt)
        return
    if form == "full":
        value = sample(ref.shape, "float64") * 5 + salt
    elif form == "trailing":
        value = sample(ref.shape[-1:], "int32") + salt
    else:
        # One element more on the last axis: NumPy's broadcast error.
        value = sample(ref.shape[:-1] + (ref.shape[-1] + 1,) if ref.shape else (2,), "int16")
    check_set(arr, key, value)


@settings(max_examples=200, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
       data=st.data(), dtype=st.sampled_from(DTYPES))
def test_full_mask_get_set(shape, data, dtype):
    mask = numpy.array(data.draw(st.lists(st.booleans(), min_size=int(numpy.prod(shape)),
                                          max_size=int(numpy.prod(shape)))), bool).reshape(shape)
    arr = sample(shape, dtype)
    ref = check_get(arr, mask)
    check_set(arr, mask, 0)
    check_set(arr, mask, sample(ref.shape, "float64") * 2)
    check_set(arr, mask, sample((1,), "int64"))
    check_set(arr, mask, sample((ref.size + 1,), "int64"))
    check_set(arr, mask, sample((1, ref.size), "int64"))


# --- layouts: non-contiguous sources, masks and indices ----------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_strided_sources_and_indices(dtype):
    base = sample((6, 8), dtype)
    # views of the oxnp array itself, so that strides really differ
    ours = to_ox(base)
    for ref_v, our_v in [(base[::2, ::-3], ours[::2, ::-3]), (base.T, ours.T), (base[1:, 2:7], ours[1:, 2:7])]:
        idx = numpy.array([[0, -1], [1, 0]])
        mask = (ref_v.real > 20) if dtype != "bool" else ref_v
        for key in [idx, (idx, 0), (slice(None), [1, 0, 1]), (mask,), (idx[::-1, ::2], idx[:, :1])]:
            r, r_err = outcome(lambda: ref_v[key])
            o, o_err = outcome(lambda: ox_call(operator.getitem, our_v, ox_key(key)))
            if r_err is not None:
                check_same_error(o_err, r_err)
                continue
            assert_same(o, r)
    # index arrays that are themselves strided views
    idx_base = numpy.array([[3, 0, 5, 1], [2, 2, -6, 0]])
    our_idx = to_ox(idx_base)
    assert_same(ours[:, our_idx[:, ::-2]], base[:, idx_base[:, ::-2]])
    assert_same(ours[our_idx.T, 1], base[idx_base.T, 1])
    mask_base = sample((6, 8), "int64") % 3 == 0
    our_mask = to_ox(mask_base)
    assert_same(ours[our_mask[::-1]], base[mask_base[::-1]])
    ours[our_mask[::-1]] = ours[our_mask]
    base[mask_base[::-1]] = base[mask_base]
    assert_same(ours, base)


def test_setitem_into_strided_view_and_overlapping_value():
    ref = sample((5, 6))
    ours = to_ox(ref)
    ref_v, our_v = ref[::-2, 1::2], ours[::-2, 1::2]
    ref_v[[0, 2, 0], [1, 1, 2]] = [10, 20, 30]
    our_v[[0, 2, 0], [1, 1, 2]] = [10, 20, 30]
    assert_same(ours, ref)
    # the value is a view of the destination itself
    ref[[4, 3, 2, 1, 0]] = ref[:, ::-1]
    ours[[4, 3, 2, 1, 0]] = ours[:, ::-1]
    assert_same(ours, ref)
    big = int((ref > 30).sum())
    ref[ref > 30] = ref[ref < 30][:big]
    ours[ours > 30] = ours[ours < 30][:big]
    assert_same(ours, ref)


# --- placement of the advanced axes ------------------------------------------------------

PLACEMENT_KEYS = [
    (slice(None), [0, 1], [1, 2]),
    ([0, 1], slice(None), [1, 2]),
    (slice(None), 0, slice(None), [1, 2]),
    (0, slice(None), [1, 2]),
    (slice(None), [0], Ellipsis, [1]),
    (slice(None), [0], [1], Ellipsis),
    (slice(None), [0], None, [1]),
    (slice(None), [0], True, [1]),
    (True, slice(None), [0], [1]),
    (0, slice(None), True),
    (None, [[0], [1]], slice(None), 1),
    (Ellipsis, [1, 0], [[2], [0]]),
    ([[1]], Ellipsis, None),
    (False, slice(None), [0]),
    (numpy.array(True), [0, 1]),
]


@pytest.mark.parametrize("key", PLACEMENT_KEYS, ids=repr)
def test_where_advanced_axes_land(key):
    arr = sample((2, 3, 4, 5), "int32")
    check_get(arr, key)
    check_set(arr, key, -1)


# --- errors -----------------------------------------------------------------------------

ERROR_KEYS = [
    ([0, 9],),
    (slice(None), [5]),
    ([0, 1], [0, 1, 2]),
    (numpy.array([[True, False, True, False]]),),
    (slice(None), numpy.array([True, False])),
    (numpy.array([0.0, 1.0]),),
    ([1.0],),
    ([0, 5], [0, 7]),
    (2, [0, 9]),
    (False, [0, 1]),
    (numpy.array([2**63], numpy.uint64),),
    ([2**63],),
    ([0], [0], [0], [0]),
    (Ellipsis, [0], Ellipsis),
]


@pytest.mark.parametrize("key", ERROR_KEYS, ids=repr)
def test_errors_match_numpy(key):
    arr = sample((2, 3, 4))
    ref_err = outcome(lambda: arr[key])[1]
    assert ref_err is not None
    check_get(arr, key)
    check_set(arr, key, 1.0)


def test_error_messages():
    ours = to_ox(sample((3,)))
    with pytest.raises(IndexError, match=r"^index 10 is out of bounds for axis 0 with size 3$"):
        ours[[0, 10]]
    with pytest.raises(IndexError, match=r"^boolean index did not match indexed array along axis 0; "
                                         r"size of axis is 3 but size of corresponding boolean axis is 4$"):
        ours[oxnp.array([True, False, True, False])]
    m = to_ox(sample((2, 3)))
    with pytest.raises(IndexError, match=r"^shape mismatch: indexing arrays could not be broadcast "
                                         r"together with shapes \(2,\) \(3,\) $"):
        m[[0, 1], [0, 1, 2]]
    with pytest.raises(IndexError, match=r"^arrays used as indices must be of integer \(or boolean\) type$"):
        ours[oxnp.array([1.0])]
    with pytest.raises(ValueError, match=r"^shape mismatch: value array of shape \(2,\) could not be "
                                         r"broadcast to indexing result of shape \(2,3\)$"):
        m[[0, 1]] = [1, 2]
    with pytest.raises(ValueError, match="cannot assign 3 input values to the 2 output values"):
        ours[oxnp.array([True, False, True])] = [1, 2, 3]
    with pytest.raises(TypeError, match="requires a 0 or 1-dimensional input, input has 2 dimensions"):
        ours[oxnp.array([True, False, True])] = [[1, 2]]


def test_out_of_bounds_setitem_writes_nothing():
    ref = sample((4,))
    ours = to_ox(ref)
    with pytest.raises(IndexError):
        ours[[0, 1, 7]] = 0
    assert_same(ours, ref)


# --- setitem semantics ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_duplicates_last_write_wins(dtype):
    arr = sample((4, 3), dtype)
    check_set(arr, ([0, 0, 1, 0],), sample((4, 3), "float64") * 3)
    check_set(arr, ([1, 1, 1], [2, 2, 2]), numpy.array([1, 2, 3]))
    check_set(arr, (slice(None), [0, 2, 0]), sample((4, 3), "int64") + 50)
    check_set(arr, ([[0, 0], [-4, 0]], 1), numpy.array([[7, 8], [9, 10]]))


def test_setitem_casts_like_numpy():
    check_set(sample((5,), "int16"), [0, 2], 3.9)
    check_set(sample((5,), "uint8"), [0, 2], numpy.array([-1.5, 300.0]))
    check_set(sample((5,), "float32"), numpy.array([True, False, True, False, True]), 1e40)
    check_set(sample((5,), "float64"), [1], 1j)
    check_set(sample((5,), "int8"), [1], 1000)
    check_set(sample((5,), "complex64"), [1, 3], numpy.array([1 + 2j, 3 - 4j]))
    check_set(sample((5,), "bool"), [1, 3], numpy.array([0.0, 2.0]))


def test_inplace_operators_through_fancy_index():
    count = numpy.zeros(6, numpy.int64)
    ours = to_ox(count)
    mask = numpy.array([True, False, True, True, False, False])
    for _ in range(3):
        count[mask] += 1
        ours[to_ox(mask)] += 1
    count[[0, 0, 5]] += 10
    ours[[0, 0, 5]] += 10
    assert_same(ours, count)


# --- the forms NumPy programs use ------------------------------------------------------

def test_seed_program_forms():
    rng = numpy.random.default_rng(0)
    d0 = rng.random((7, 9))
    i0 = rng.integers(0, 7, (4, 5))
    j0 = rng.integers(-9, 9, (4, 5))
    assert_same(to_ox(d0)[to_ox(i0), to_ox(j0)], d0[i0, j0])

    V = rng.random((6, 6)).astype(numpy.float32)
    nb = rng.integers(0, 6, (10, 2))
    o_nb = to_ox(nb)
    assert_same(to_ox(V)[o_nb[:, 0], o_nb[:, 1]], V[nb[:, 0], nb[:, 1]])

    X = rng.random((20, 3))
    idx = rng.integers(0, 20, 12)
    assert_same(to_ox(X)[to_ox(idx)], X[idx])

    labels = rng.integers(0, 3, 15)
    o_labels = to_ox(labels)
    assert_same(oxnp.eye(3)[o_labels], numpy.eye(3)[labels])

    n = labels.size
    y = rng.random((n, 3))
    assert_same(to_ox(y)[oxnp.arange(n), o_labels], y[numpy.arange(n), labels])

    Xl = rng.random((15, 2))
    o_Xl = to_ox(Xl)
    for k in range(3):
        assert_same(o_Xl[o_labels == k], Xl[labels == k])


def test_mandelbrot_step_complex64():
    re = numpy.linspace(-2, 1, 12, dtype=numpy.float32)
    im = numpy.linspace(-1, 1, 10, dtype=numpy.float32)
    C = (re[None, :] + 1j * im[:, None]).astype(numpy.complex64)
    Z = numpy.zeros_like(C)
    count = numpy.zeros(C.shape, numpy.int32)
    oC, oZ, ocount = to_ox(C), to_ox(Z), to_ox(count)
    for _ in range(6):
        mask = numpy.abs(Z) <= 2
        omask = to_ox(mask)
        Z[mask] = Z[mask] * Z[mask] + C[mask]
        oZ[omask] = oZ[omask] * oZ[omask] + oC[omask]
        count[mask] += 1
        ocount[omask] += 1
        assert_same(oZ, Z)
        assert_same(ocount, count)
    mask = numpy.abs(Z) <= 2
    Z[mask] = Z[mask] ** 2 + C[mask]
    oZ[to_ox(mask)] = oZ[to_ox(mask)] ** 2 + oC[to_ox(mask)]
    numpy.testing.assert_allclose(numpy.asarray(oZ.tolist()), Z, rtol=1e-5)


def test_large_inputs_take_the_parallel_kernels():
    rng = numpy.random.default_rng(1)
    n = 300_000
    a = rng.random(n)
    oa = to_ox(a)
    mask = rng.random(n) < 0.4
    omask = to_ox(mask)
    idx = rng.integers(-n, n, n)
    oidx = to_ox(idx)
    assert_same(oa[omask], a[mask])
    assert_same(oa[oidx], a[idx])
    assert_same(oa[to_ox(idx.astype(numpy.int32))], a[idx.astype(numpy.int32)])
    bad = idx.copy()
    bad[n - 3] = n
    with pytest.raises(IndexError, match=f"index {n} is out of bounds for axis 0 with size {n}"):
        oa[to_ox(bad)]
    a[mask] = 2.5
    oa[omask] = 2.5
    assert_same(oa, a)
    a[mask] = a[mask] * 3
    oa[omask] = oa[omask] * 3
    assert_same(oa, a)
    a[~mask] = numpy.arange(int((~mask).sum()))
    oa[to_ox(~mask)] = oxnp.arange(int((~mask).sum()))
    assert_same(oa, a)
