"""Differential tests of broadcasting, memory-sharing tests and copyto against NumPy."""

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import assert_same, outcome, ox_call, sample, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]

small_shapes = st.lists(st.integers(0, 3), min_size=0, max_size=4).map(tuple)


def same_error(ours, ref):
    assert type(ours) is type(ref), f"{ours!r} vs {ref!r}"
    assert str(ours) == str(ref)


@settings(max_examples=300, deadline=None)
@given(shapes=st.lists(small_shapes, min_size=0, max_size=4))
def test_broadcast_shapes_matches_numpy(shapes):
    ref, ref_err = outcome(lambda: numpy.broadcast_shapes(*shapes))
    ours, our_err = outcome(lambda: oxnp.broadcast_shapes(*shapes))
    if ref_err is not None:
        same_error(our_err, ref_err)
    else:
        assert ours == ref


def test_broadcast_shapes_ints_and_errors():
    assert oxnp.broadcast_shapes(3, (2, 1)) == numpy.broadcast_shapes(3, (2, 1))
    assert oxnp.broadcast_shapes() == ()
    with pytest.raises(ValueError, match=r"Mismatch is between arg 0 with shape \(2, 3\) and arg 1 with shape \(4,\)\."):
        oxnp.broadcast_shapes((2, 3), (4,), (5,))


@settings(max_examples=300, deadline=None)
@given(shape=small_shapes, target=small_shapes, dtype=st.sampled_from(DTYPES))
def test_broadcast_to_matches_numpy(shape, target, dtype):
    ref_src = sample(shape, dtype)
    src = to_ox(ref_src)
    ref, ref_err = outcome(lambda: numpy.broadcast_to(ref_src, target))
    ours, our_err = outcome(lambda: ox_call(oxnp.broadcast_to, src, target))
    if ref_err is not None:
        same_error(our_err, ref_err)
        return
    assert_same(ours, ref)
    if ref.size:
        assert ours.strides == ref.strides
    assert ours.base is src
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        ours[...] = 0


def test_broadcast_to_errors_and_scalars():
    with pytest.raises(ValueError, match="all elements of broadcast shape must be non-negative"):
        oxnp.broadcast_to(to_ox(numpy.zeros(3)), (-1, 3))
    with pytest.raises(ValueError, match=r"remapped shapes \[original->remapped\]: \(3,\)  and requested shape \(2,2\)"):
        oxnp.broadcast_to(to_ox(numpy.zeros(3)), (2, 2))
    assert_same(oxnp.broadcast_to(5, (2, 3)), numpy.broadcast_to(5, (2, 3)))
    assert_same(oxnp.broadcast_to(2.5, 3), numpy.broadcast_to(2.5, 3))


@settings(max_examples=200, deadline=None)
@given(shapes=st.lists(small_shapes, min_size=1, max_size=4))
def test_broadcast_arrays_matches_numpy(shapes):
    refs = [sample(s, d) for s, d in zip(shapes, DTYPES)]
    ours_in = [to_ox(r) for r in refs]
    ref, ref_err = outcome(lambda: numpy.broadcast_arrays(*refs))
    ours, our_err = outcome(lambda: ox_call(oxnp.broadcast_arrays, *ours_in))
    if ref_err is not None:
        same_error(our_err, ref_err)
        return
    assert isinstance(ours, tuple) and len(ours) == len(ref)
    for o, r, src in zip(ours, ref, ours_in):
        assert_same(o, r)
        assert o is src or o.base is src


def test_broadcast_arrays_views_write_through():
    a = to_ox(numpy.zeros((2, 1)))
    b = to_ox(numpy.zeros(3))
    x, y = oxnp.broadcast_arrays(a, b)
    assert x.shape == (2, 3) and y.shape == (2, 3)
    assert x.strides == (8, 0) and y.strides == (0, 8)
    y[0, 1] = 4.0
    assert_same(b, numpy.array([0.0, 4.0, 0.0]))
    same = oxnp.broadcast_arrays(a, a)
    assert same[0] is a and same[1] is a


def test_shares_memory():
    ref = numpy.arange(24.0).reshape(4, 6)
    a = to_ox(ref)
    cases = [
        (lambda m: m, lambda m: m),
        (lambda m: m[:, ::2], lambda m: m[:, 1::2]),
        (lambda m: m[:, ::2], lambda m: m[:, 2::2]),
        (lambda m: m[::2], lambda m: m[1::2]),
        (lambda m: m[:2], lambda m: m[2:]),
        (lambda m: m[1:3, 1:3], lambda m: m[:, 0]),
        (lambda m: m[1:3, 1:3], lambda m: m[:, 2]),
        (lambda m: m[::-1, ::3], lambda m: m[:, 1::3]),
        (lambda m: m[:0], lambda m: m),
    ]
    for f, g in cases:
        assert oxnp.shares_memory(f(a), g(a)) == numpy.shares_memory(f(ref), g(ref))
        assert oxnp.may_share_memory(f(a), g(a)) == numpy.may_share_memory(f(ref), g(ref))
        ours, our_err = outcome(lambda: oxnp.shares_memory(f(a), g(a), max_work=0))
        theirs, ref_err = outcome(lambda: numpy.shares_memory(f(ref), g(ref), max_work=0))
        assert ours == theirs
        assert type(our_err).__name__ == type(ref_err).__name__
        assert oxnp.may_share_memory(f(a), g(a), max_work=0) == numpy.may_share_memory(f(ref), g(ref), max_work=0)
    assert not oxnp.shares_memory(a, to_ox(ref))
    assert not oxnp.shares_memory(a, [1, 2])
    assert not oxnp.may_share_memory(a, 1.0)
    # Element byte ranges that interleave without touching
    b = to_ox(numpy.zeros(8, numpy.int8))
    assert not oxnp.shares_memory(b[::2], b[1::2])
    assert oxnp.may_share_memory(b[::2], b[1::2])


@pytest.mark.parametrize("casting", CASTINGS)
@pytest.mark.parametrize("src_dtype", DTYPES)
@pytest.mark.parametrize("dst_dtype", ["bool", "int8", "uint64", "float32", "float64", "complex64"])
def test_copyto_casting_arrays(casting, src_dtype, dst_dtype):
    ref_dst = numpy.zeros((2, 3), dst_dtype)
    dst = to_ox(ref_dst)
    src = sample((3,), src_dtype)
    _, ref_err = outcome(lambda: numpy.copyto(ref_dst, src, casting=casting))
    _, our_err = outcome(lambda: ox_call(oxnp.copyto, dst, to_ox(src), casting=casting))
    if ref_err is not None:
        same_error(our_err, ref_err)
    else:
        assert our_err is None, our_err
    assert_same(dst, ref_dst)


@pytest.mark.parametrize("casting", CASTINGS)
@pytest.mark.parametrize("value", [True, 3, 300, -1, 2.5, 1 + 1j])
@pytest.mark.parametrize("dst_dtype", ["bool", "int8", "uint8", "int64", "float32", "float64",
                                       "complex64", "complex128"])
def test_copyto_python_scalars(casting, value, dst_dtype):
    ref_dst = numpy.zeros(3, dst_dtype)
    dst = to_ox(ref_dst)
    _, ref_err = outcome(lambda: numpy.copyto(ref_dst, value, casting=casting))
    _, our_err = outcome(lambda: ox_call(oxnp.copyto, dst, value, casting=casting))
    if ref_err is not None:
        same_error(our_err, ref_err)
    else:
        assert our_err is None, our_err
    assert_same(dst, ref_dst)


def test_copyto_where_and_errors():
    rng = numpy.random.default_rng(0)
    ref_dst = numpy.zeros((3, 4))
    dst = to_ox(ref_dst)
    src = sample((4,), "int32")
    mask = rng.random((3, 4)) < 0.5
    numpy.copyto(ref_dst, src, where=mask)
    oxnp.copyto(dst, to_ox(src), where=to_ox(mask))
    assert_same(dst, ref_dst)
    row = numpy.array([True, False, True, False])
    numpy.copyto(ref_dst, 9.0, where=row)
    oxnp.copyto(dst, 9.0, where=to_ox(row))
    assert_same(dst, ref_dst)
    numpy.copyto(ref_dst, -1.0, where=False)
    oxnp.copyto(dst, -1.0, where=False)
    assert_same(dst, ref_dst)
    with pytest.raises(TypeError, match="copyto\\(\\) argument 1 must be"):
        oxnp.copyto([1, 2], dst)
    with pytest.raises(ValueError, match=r"could not broadcast input array from shape \(2,\) into shape \(3,4\)"):
        oxnp.copyto(dst, to_ox(numpy.zeros(2)))
    with pytest.raises(OverflowError, match="Python integer 300 out of bounds for int8"):
        oxnp.copyto(to_ox(numpy.zeros(3, numpy.int8)), 300)
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        oxnp.copyto(oxnp.broadcast_to(dst, (2, 3, 4)), 1.0)
    # overlapping source and destination
    ref = numpy.arange(6.0)
    ours = to_ox(ref)
    numpy.copyto(ref[1:], ref[:-1])
    oxnp.copyto(ours[1:], ours[:-1])
    assert_same(ours, ref)
