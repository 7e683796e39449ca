"""Differential tests of reshape/transpose/ravel/squeeze/... against NumPy, including whether a
result is a view exactly when NumPy's is."""

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import oxnp
from helpers import assert_same, outcome, to_np, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def raises_like(f_np, f_ox):
    """Both raise the same class with the same message, or both return."""
    try:
        ref = f_np()
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        with pytest.raises(Exception) as info:  # noqa: PT011 - checked below
            f_ox()
        # NumPy's own classes (AxisError) have oxnp twins of the same name and bases.
        assert type(info.value).__name__ == type(e).__name__
        assert all(isinstance(info.value, b) for b in (ValueError, IndexError, TypeError) if isinstance(e, b))
        # NumPy's C scalar types name their module in messages ('numpy.float64' object ...).
        assert str(info.value) == str(e).replace("'numpy.", "'")
        return None, None
    return ref, f_ox()


@st.composite
def viewed(draw, max_dims=5):
    """(numpy base, numpy view, oxnp base, oxnp view): a random array and a random view of it
    taken the same way on both sides: the real part of a complex array (every stride doubled),
    step slices where oxnp indexing exists, then maybe a transpose."""
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=max_dims)))
    n = int(numpy.prod(shape))
    if draw(st.booleans()):
        base = (numpy.arange(n) * (1 + 1j)).reshape(shape)
        ob = to_ox(base)
        v, ov = base.real, ob.real
    else:
        base = numpy.arange(n, dtype="float64").reshape(shape)
        ob = to_ox(base)
        v, ov = base, ob
    key = tuple(slice(draw(st.integers(0, max(d - 1, 0))), None, draw(st.sampled_from([1, 2, -1, 3])))
                for d in shape)
    try:
        ov2 = ov[key]
    except TypeError:  # oxnp indexing not built yet
        ov2 = None
    if ov2 is not None:
        v, ov = v[key], ov2
    if draw(st.booleans()) and v.ndim > 1:
        perm = draw(st.permutations(range(v.ndim)))
        v, ov = v.transpose(perm), ov.transpose(perm)
    return base, v, ob, ov


def same_strides(got, ref):
    """Strides agree (empty arrays excepted: NumPy 2.4 creates them with zero strides, a
    creation-time detail outside these functions)."""
    assert ref.size == 0 or got.strides == ref.strides, f"{got.strides} != {ref.strides}"


def shares(ox_result, ox_base):
    """Writes through `ox_result` and looks for the change in `ox_base`."""
    if ox_result.size == 0:
        return None
    before = to_np(ox_base).copy()
    ox_result.fill(-1)  # never a value of the arange bases
    changed = not numpy.array_equal(to_np(ox_base), before)
    return changed


@settings(max_examples=300, deadline=None)
@given(viewed(), st.data())
def test_reshape_view_iff_numpy(case, data):
    base, v, ob, ov = case
    assert_same(ov, v)
    size = v.size
    # a random factorisation of size (with zeros and ones when size allows)
    dims = []
    rest = size
    for _ in range(data.draw(st.integers(0, 4))):
        divs = [d for d in range(1, rest + 1) if rest % d == 0] if rest else [0, 1, 3]
        d = data.draw(st.sampled_from(divs))
        dims.append(d)
        rest = rest // d if d else rest
    dims.append(rest if size else data.draw(st.sampled_from([0, 2])))
    if size and data.draw(st.booleans()):
        dims[data.draw(st.integers(0, len(dims) - 1))] = -1
    order = data.draw(st.sampled_from(["C", "F", "A"]))
    ref, got = raises_like(lambda: v.reshape(dims, order=order), lambda: ov.reshape(dims, order=order))
    if ref is None:
        return
    assert_same(got, ref)
    same_strides(got, ref)
    assert shares(got, ob) == (numpy.shares_memory(ref, base) if size else None)


@settings(max_examples=200, deadline=None)
@given(viewed(), st.sampled_from(["C", "F", "A", "K"]))
def test_ravel_and_flatten(case, order):
    base, v, ob, ov = case
    ref = v.ravel(order=order)
    got = ov.ravel(order=order)
    assert_same(got, ref)
    assert_same(ov.flatten(order), v.flatten(order))
    assert_same(oxnp.ravel(ov, order), numpy.ravel(v, order))
    if v.size:
        assert shares(got, ob) == numpy.shares_memory(ref, base)


@settings(max_examples=200, deadline=None)
@given(viewed(), st.sampled_from(["C", "F", "A", "K"]))
def test_copy_layout(case, order):
    _, v, _, ov = case
    ref = v.copy(order=order)
    got = ov.copy(order=order)
    assert_same(got, ref)
    same_strides(got, ref)
    assert got.base is None


@settings(max_examples=200, deadline=None)
@given(viewed(), st.data())
def test_transpose_swapaxes_moveaxis(case, data):
    _, v, _, ov = case
    assert_same(ov.T, v.T)
    same_strides(ov.T, v.T)
    nd = v.ndim
    axes = data.draw(st.lists(st.integers(-nd - 1, nd), min_size=nd, max_size=nd)) if nd else []
    ref, got = raises_like(lambda: v.transpose(axes), lambda: ov.transpose(axes))
    if ref is not None:
        assert_same(got, ref)
    a1, a2 = data.draw(st.integers(-nd - 1, nd)), data.draw(st.integers(-nd - 1, nd))
    ref, got = raises_like(lambda: v.swapaxes(a1, a2), lambda: ov.swapaxes(a1, a2))
    if ref is not None:
        assert_same(got, ref)
        same_strides(got, ref)
    k = data.draw(st.integers(0, nd))
    src = data.draw(st.lists(st.integers(-nd - 1, nd), min_size=k, max_size=k))
    dst = data.draw(st.lists(st.integers(-nd - 1, nd), min_size=k, max_size=k))
    ref, got = raises_like(lambda: numpy.moveaxis(v, src, dst), lambda: oxnp.moveaxis(ov, src, dst))
    if ref is not None:
        assert_same(got, ref)
    ax, start = data.draw(st.integers(-nd - 1, nd)), data.draw(st.integers(-nd - 2, nd + 2))
    ref, got = raises_like(lambda: numpy.rollaxis(v, ax, start), lambda: oxnp.rollaxis(ov, ax, start))
    if ref is not None:
        assert_same(got, ref)
    ref, got = raises_like(lambda: v.mT, lambda: ov.mT)
    if ref is not None:
        assert_same(got, ref)
    ref, got = raises_like(lambda: numpy.matrix_transpose(v), lambda: oxnp.matrix_transpose(ov))
    if ref is not None:
        assert_same(got, ref)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 1, 2, 3]), max_size=5), st.data())
def test_squeeze_expand_dims(shape, data):
    v = numpy.arange(int(numpy.prod(shape)), dtype="float64").reshape(shape)
    ov = to_ox(v)
    nd = v.ndim
    assert_same(ov.squeeze(), v.squeeze())
    axes = tuple(data.draw(st.lists(st.integers(-nd - 1, nd), max_size=3)))
    ref, got = raises_like(lambda: v.squeeze(axes), lambda: ov.squeeze(axes))
    if ref is not None:
        assert_same(got, ref)
        assert_same(oxnp.squeeze(ov, axes), numpy.squeeze(v, axes))
    eaxes = tuple(data.draw(st.lists(st.integers(-nd - 3, nd + 2), max_size=3)))
    ref, got = raises_like(lambda: numpy.expand_dims(v, eaxes), lambda: oxnp.expand_dims(ov, eaxes))
    if ref is not None:
        assert_same(got, ref)
        same_strides(got, ref)
    for f in ("atleast_1d", "atleast_2d", "atleast_3d"):
        ref, got = getattr(numpy, f)(v), getattr(oxnp, f)(ov)
        assert_same(got, ref)
        same_strides(got, ref)
    assert oxnp.shape(ov) == numpy.shape(v)
    assert oxnp.ndim(ov) == numpy.ndim(v)
    assert oxnp.size(ov) == numpy.size(v)
    if nd:
        ax = data.draw(st.integers(-nd, nd - 1))
        assert oxnp.size(ov, ax) == numpy.size(v, ax)


def test_atleast_multiple_and_identity():
    a = to_ox(numpy.zeros((2, 3)))
    assert oxnp.atleast_2d(a) is a
    got = oxnp.atleast_1d(to_ox(numpy.array(1)), to_ox(numpy.array([2])))
    assert isinstance(got, tuple) and [x.shape for x in got] == [(1,), (1,)]
    assert oxnp.atleast_1d() == numpy.atleast_1d()


def test_reshape_errors_and_forms():
    v = numpy.arange(6)
    ov = to_ox(v)
    for shape in [(7,), 7, (-1, 4), (4, -1), (2, -1, 4), (-1, 5, 2), (0, -1), (-1, 0), (), (1, 1, 7),
                  (-1, -1), (-3, 2), (2, -3)]:
        ref, got = raises_like(lambda: v.reshape(shape), lambda: ov.reshape(shape))
        if ref is not None:
            assert_same(got, ref)
    assert_same(ov.reshape(2, 3), v.reshape(2, 3))
    assert_same(ov.reshape(None), v.reshape(None))
    for bad in [lambda a: a.reshape(2.0, 3), lambda a: a.reshape((2.0, 3)), lambda a: a.reshape(),
                lambda a: a.reshape(2, 3, order="K"), lambda a: a.reshape(2, 3, order="X")]:
        raises_like(lambda: bad(v), lambda: bad(ov))
    t = v.reshape(2, 3).T
    ot = ov.reshape(2, 3).T
    raises_like(lambda: t.reshape(6, copy=False), lambda: ot.reshape(6, copy=False))
    assert ov.reshape(2, 3, copy=True).base is None
    assert oxnp.reshape(ov, (3, 2)).base is ov
    for z in [(0, -1, 2), (-1, 0), (3, -1)]:
        e = numpy.zeros(0)
        ref, got = raises_like(lambda: e.reshape(z), lambda: to_ox(e).reshape(z))
        if ref is not None:
            assert_same(got, ref)


def test_shape_setter():
    a = numpy.zeros((2, 3))
    oa = to_ox(a)
    oa.shape = (3, 2)
    assert oa.shape == (3, 2) and oa.strides == (16, 8)
    oa.shape = -1
    assert oa.shape == (6,)
    oa.shape = (2, 3)
    with pytest.raises(AttributeError, match="Incompatible shape for in-place modification"):
        oa.T.shape = (6,)
    with pytest.raises(ValueError, match=r"cannot reshape array of size 6 into shape \(7,\)"):
        oa.shape = (7,)
    t = oa.T
    t.shape = (3, 1, 2)
    assert t.strides == a.T.reshape(3, 1, 2).strides


def test_in_place_changes_while_shared():
    # Extra references (a list, a view's base, a flags object) keep the old geometry alive
    # for readers; every holder sees the new one.
    a = numpy.arange(12.0)
    oa = to_ox(a)
    holders = [oa, oa, oa]
    v = oa[2:]
    for shape in [(3, 4), (4, 3), (2, 6), (12,)]:
        oa.shape = shape
        a.shape = shape
        assert_same(holders[1], a)
        assert_same(holders[2] + 1, a + 1)
    assert v.base is oa and v.shape == (10,)
    flags = oa.flags
    flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        oa[0] = 1.0
    flags.writeable = True
    oa[0] = 5.0
    assert float(holders[0][0]) == 5.0 and float(v[0]) == 2.0
    b = to_ox(numpy.arange(4.0))
    b.resize(6)
    assert_same(b, numpy.array([0.0, 1.0, 2.0, 3.0, 0.0, 0.0]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_views(dtype):
    v = numpy.arange(24).astype(dtype).reshape(2, 3, 4)
    ov = to_ox(v)
    for target in DTYPES:
        for make in [lambda a: a, lambda a: a.transpose(0, 2, 1), lambda a: a.reshape(4, 6),
                     lambda a: a.reshape(24, 1), lambda a: a.reshape(24),
                     lambda a: a.real.reshape(4, 6), lambda a: a.imag.transpose(2, 1, 0)]:
            nv, onv = make(v), make(ov)
            ref, got = raises_like(lambda: nv.view(target), lambda: onv.view(target))
            if ref is None:
                continue
            if target == "bool":  # copies of bool views normalise the bytes to 0/1
                assert numpy.array_equal(to_np(got), ref) and got.shape == ref.shape
            else:
                assert_same(got, ref)
            same_strides(got, ref)
    z = numpy.zeros((), dtype)
    for target in DTYPES:
        ref, got = raises_like(lambda: z.view(target), lambda: to_ox(z).view(target))
        if ref is not None:
            assert_same(got, ref)
    assert ov.view().base is ov
    assert ov.view(oxnp.ndarray).shape == v.shape


@pytest.mark.parametrize("shape, args", [
    ((10,), (2, 5)), ((10,), ((2, 5),)), ((10,), (-1,)), ((10,), (10,)), ((2, 5), (5, -1)),
    ((1, 10), (10, 1)), ((0, 3), (3, 0)), ((0, 3), (-1,)), ((0, 3), (0, -1)), ((10,), (3, -1)),
    ((10,), (-1, -1)), ((10,), (2, 6)), ((10,), (2, -2)), ((10,), (2**63, 0)), ((), ()),
    ((6,), (1, 1, 1, 1, 1, 1, 1, 1, 6)), ((4,), (True, 4)), ((12,), (2, 3, 2, 1, 1, 1, 1, 1)),
])
def test_reshape_small_int_forms(shape, args):
    # `a.reshape(2, 5)` with plain ints on a contiguous array takes a short path; views,
    # strides (kept for a request of the current shape) and errors must still be NumPy's.
    def forms(xp):
        base = xp.arange(int(numpy.prod(shape)), dtype=float).reshape(shape)
        return base, base[:, None] if base.ndim == 1 else base.T

    for ref_arr, ours_arr in zip(forms(numpy), forms(oxnp)):
        got, err = outcome(lambda: ours_arr.reshape(*args))
        want, want_err = outcome(lambda: ref_arr.reshape(*args))
        assert type(err) is type(want_err), (err, want_err)
        if want_err is None:
            assert_same(got, want)
            assert got.strides == want.strides
            assert oxnp.shares_memory(got, ours_arr) == numpy.shares_memory(want, ref_arr)
        else:
            assert str(err) == str(want_err)


def test_arrays_are_not_gc_tracked_and_keep_their_base():
    # Like NumPy's, arrays are not GC objects; a view keeps the memory it views alive.
    import gc
    import weakref

    a = oxnp.arange(6.0)
    assert not gc.is_tracked(a) and not gc.is_tracked(a[1:]) and not gc.is_tracked(a.T)
    view = a.reshape(2, 3)[1:]
    owner = weakref.ref(a)
    del a
    gc.collect()
    assert owner() is not None and view.base is owner()
    assert view.tolist() == [[3.0, 4.0, 5.0]]
    probe = weakref.ref(view)
    del view
    assert probe() is None and owner() is None


def test_reshape_keyword_and_unusual_calls():
    # Calls the short path does not take (keywords, no shape, non-ints, the unbound method)
    # must behave as NumPy's.
    ref = numpy.arange(6.0)
    ours = oxnp.arange(6.0)
    calls = [
        lambda m, a: a.reshape(2, 3, order="F"),
        lambda m, a: a.reshape((3, 2), copy=True),
        lambda m, a: a.reshape(shape=(3, 2)),
        lambda m, a: a.reshape(),
        lambda m, a: a.reshape(2.0, 3),
        lambda m, a: a.reshape(m.int64(2), 3),
        lambda m, a: a.reshape([3, 2]),
        lambda m, a: m.ndarray.reshape(a, 3, 2),
        lambda m, a: a[::2].reshape(3, 1),
    ]
    for call in calls:
        got, err = outcome(lambda: call(oxnp, ours))
        want, want_err = outcome(lambda: call(numpy, ref))
        assert type(err) is type(want_err), (err, want_err)
        if want_err is None:
            assert_same(got, want)
            assert got.strides == want.strides
