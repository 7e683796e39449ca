"""Differential tests of array creation against NumPy."""

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import oxnp
from helpers import assert_same, to_np, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def both(fn):
    """(oxnp result or exception class, numpy result or exception class)."""
    out = []
    for mod in (oxnp, numpy):
        try:
            out.append(fn(mod))
        except Exception as e:  # noqa: BLE001 - compared by class below
            out.append(e)
    return out


def check(fn, message=False):
    ours, ref = both(fn)
    if isinstance(ref, Exception):
        assert isinstance(ours, Exception), f"NumPy raised {ref!r}, oxnp returned {ours!r}"
        assert type(ours) is type(ref), f"{type(ours)} != {type(ref)}"
        if message:
            assert str(ours) == str(ref)
        return
    assert not isinstance(ours, Exception), f"oxnp raised {ours!r}"
    assert_same(ours, ref)


scalars = st.one_of(
    st.booleans(),
    st.integers(-2**63, 2**64 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=False),
)


def nested(leaves):
    return st.recursive(leaves, lambda kids: st.lists(kids, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(nested(scalars))
def test_array_discovery_nested(obj):
    check(lambda m: m.array(obj), message=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 5), min_size=0, max_size=3), max_size=4), st.sampled_from(DTYPES))
def test_array_dtype_given(obj, dtype):
    check(lambda m: m.array(obj, dtype=dtype))


@pytest.mark.parametrize("obj", [
    [1, [2, 3]], [[1, 2], [2, 3, 4]], [[1, 2], 3], [[[1], [2]], [[1, 2], [3]]],
    [[], [1]], [[1], []], [[[1, 2]], [[1], [2]]],
])
def test_ragged_message(obj):
    check(lambda m: m.array(obj), message=True)


@pytest.mark.parametrize("obj,dtype", [
    ([300], "uint8"), ([-1], "uint8"), ([1.5], "int64"), ([float("nan")], "int64"),
    ([float("inf")], "int32"), ([1e300], "float32"), ([1 + 2j], "float64"), ([2**70], "float64"),
    ([300.0], "int8"), ([-1.0], "uint64"), ([True, 2], None), ([1, 2**63], None), ([2**63], None),
    ((1, 2.5), None), ([(1, 2), (3, 4)], None), ([], None), ([[], []], None), (3, None),
    (2.5, "float16"), (1j, None), ([1 + 1j], "complex64"), ([[1, 2]], "bool"),
])
def test_array_values_and_errors(obj, dtype):
    check(lambda m: m.array(obj, dtype=dtype), message=True)


def test_array_big_int_and_strings():
    with pytest.raises(OverflowError, match="object dtype"):
        oxnp.array([1, 2**64])
    with pytest.raises(TypeError, match="string dtype"):
        oxnp.array(["a"])
    with pytest.raises(TypeError, match="object dtype"):
        oxnp.array([1, None])


def test_array_ndmin_and_order():
    check(lambda m: m.array(3, ndmin=3))
    check(lambda m: m.array([[1, 2], [3, 4]], order="F"))
    check(lambda m: m.array([[1, 2]], order="Q"), message=True)
    f = oxnp.array([[1, 2], [3, 4]], order="F")
    assert f.strides == numpy.array([[1, 2], [3, 4]], order="F").strides


def test_copy_semantics():
    a = oxnp.array([1.0, 2.0])
    assert oxnp.asarray(a) is a
    assert oxnp.array(a, copy=None) is a
    assert oxnp.array(a, copy=False) is a
    assert oxnp.array(a) is not a
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        oxnp.array(a, dtype="float32", copy=False)
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        oxnp.array([1, 2], copy=False)
    b = oxnp.asarray(a, dtype="float32")
    assert b.dtype == oxnp.dtype("float32")
    c = oxnp.copy(a)
    assert c is not a and to_np(c).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("dtype", DTYPES)
def test_asarray_numpy_zero_copy(dtype):
    n = numpy.arange(12).reshape(3, 4).astype(dtype)[:, ::-1]
    x = oxnp.asarray(n)
    assert x.base is n
    assert_same(x, n)
    assert x.strides == n.strides


def test_asarray_numpy_writes_through():
    n = numpy.zeros(5)
    x = oxnp.asarray(n)
    back = numpy.asarray(x)
    back[2] = 7.0
    assert n[2] == 7.0
    ro = numpy.zeros(3)
    ro.flags.writeable = False
    y = oxnp.asarray(ro)
    with pytest.raises(TypeError):
        memoryview(y).cast("B")[0] = 1
    assert not numpy.asarray(y).flags.writeable


def test_asarray_array_interface_and_dunder_array():
    n = numpy.arange(6.0)

    class Iface:
        __array_interface__ = n.__array_interface__

    class Dunder:
        def __array__(self, dtype=None, copy=None):
            return n

    assert_same(oxnp.asarray(Iface()), n)
    assert_same(oxnp.asarray(Dunder()), n)
    assert_same(oxnp.asarray(bytearray(b"ab")), numpy.asarray(bytearray(b"ab")))


def test_contiguous_fortran():
    n = numpy.arange(6.0).reshape(2, 3)
    check(lambda m: m.ascontiguousarray(5))
    check(lambda m: m.asfortranarray(m.asarray(n.T)))
    check(lambda m: m.ascontiguousarray(m.asarray(n.T)))
    f = oxnp.asfortranarray(oxnp.asarray(n))
    assert f.strides == numpy.asfortranarray(n).strides


def test_nested_arrays_and_scalars():
    n8 = numpy.array([1, 2], dtype="int8")
    check(lambda m: m.array([m.asarray(n8) if m is oxnp else n8, [3, 4]]))
    check(lambda m: m.array([numpy.float32(1), 2.5]))
    check(lambda m: m.array([numpy.int8(1), 300]))
    check(lambda m: m.array([numpy.float32(1.5), numpy.float32(2.5)]))
    check(lambda m: m.array(numpy.float32(1.5)))


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("dtype", DTYPES + [None])
@pytest.mark.parametrize("shape", [(), 0, 3, (2, 3), (2, 0, 4)])
def test_zeros_ones_empty(fn, dtype, shape):
    ours = getattr(oxnp, fn)(shape, dtype=dtype)
    ref = getattr(numpy, fn)(shape, dtype=dtype)
    if fn == "empty":
        assert ours.shape == ref.shape and ours.dtype == ref.dtype.name
    else:
        assert_same(ours, ref)


@pytest.mark.parametrize("args", [(-1,), ((2, -1),), (2.5,)])
def test_shape_errors(args):
    check(lambda m: m.zeros(*args))


@pytest.mark.parametrize("value,dtype", [
    (2.5, None), (7, None), (True, None), (1j, None), ([1, 2, 3], None), (300, "uint8"),
    ([1, 2], None), (2.7, "int16"),
])
def test_full(value, dtype):
    check(lambda m: m.full((2, 3), value, dtype=dtype), message=True)


@pytest.mark.parametrize("fn", ["zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("order", ["K", "C", "F", "A"])
def test_like(fn, order):
    n = numpy.zeros((2, 3, 4), dtype="int16").transpose(1, 0, 2)
    ours = getattr(oxnp, fn)(oxnp.asarray(n), order=order)
    ref = getattr(numpy, fn)(n, order=order)
    assert ours.strides == ref.strides and ours.dtype == ref.dtype.name
    if fn != "empty_like":
        assert_same(ours, ref)
    ours = getattr(oxnp, fn)(oxnp.asarray(n), dtype="float32", shape=(3, 5))
    ref = getattr(numpy, fn)(n, dtype="float32", shape=(3, 5))
    assert ours.shape == ref.shape and ours.dtype == ref.dtype.name


def test_full_like():
    n = numpy.zeros(3, dtype="uint8")
    check(lambda m: m.full_like(m.asarray(n), 2.7))
    check(lambda m: m.full_like(m.asarray(n), 300), message=True)


ARANGE_CASES = [
    (10,), (0, 1, 0.1), (1.5, 10, 0.3), (-3, 3), (10, 0, -3), (0, 10, 0), (0, float("inf")),
    (0, float("nan")), (5.0,), (2**63, 2**63 + 3), (0.5, 3), (1 + 1j, 5 + 3j), (True,),
    (0, 1e-320, 1e-321), (3, 3), (0, -5), (1, 2, 10), (0, 10, 3),
]


@pytest.mark.parametrize("args", ARANGE_CASES)
@pytest.mark.parametrize("dtype", [None] + DTYPES)
def test_arange(args, dtype):
    check(lambda m: m.arange(*args, dtype=dtype), message=True)


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(1e-3, 1e4), st.sampled_from(["float64", "float32", "float16", None]))
def test_arange_floats_bitwise(start, stop, step, dtype):
    if abs(stop - start) / step > 100000:
        return
    check(lambda m: m.arange(start, stop, step, dtype=dtype))


@settings(max_examples=200, deadline=None)
@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(-50, 50).filter(bool), st.sampled_from(DTYPES[1:9]))
def test_arange_ints(start, stop, step, dtype):
    check(lambda m: m.arange(start, stop, step, dtype=dtype), message=True)


LINSPACE_CASES = [
    (0, 1), (0, 1, 7), (0, 1, 0), (0, 1, 1), (2, 3, 5, False), (-1.5, 7.25, 13), (1e-320, 2e-320, 5),
    (0, 5, 3), (0, 1j, 4), (1 + 2j, -3 + 0.5j, 6), (5, 0, 11), (0, float("inf"), 3), (0, 1, -1),
]


@pytest.mark.parametrize("args", LINSPACE_CASES)
@pytest.mark.parametrize("dtype", [None, "float64", "float32", "float16", "int64", "int8", "complex64"])
def test_linspace(args, dtype):
    check(lambda m: m.linspace(*args, dtype=dtype), message=True)


@pytest.mark.parametrize("start", [0, numpy.float32(0), numpy.float16(1)])
def test_linspace_dtype_and_retstep(start):
    ours, ostep = oxnp.linspace(start, 5, 7, retstep=True)
    ref, rstep = numpy.linspace(start, 5, 7, retstep=True)
    assert_same(ours, ref)
    assert float(ostep) == float(rstep)
    o1, s1 = oxnp.linspace(0, 5, 1, retstep=True)
    assert numpy.isnan(s1)


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9), st.integers(0, 60), st.booleans())
def test_linspace_bitwise(start, stop, num, endpoint):
    check(lambda m: m.linspace(start, stop, num, endpoint=endpoint))
    check(lambda m: m.linspace(numpy.float32(start), stop, num, endpoint=endpoint))


def test_linspace_arrays_and_axis():
    a = numpy.array([0.0, 1.0, 2.0])
    b = numpy.array([[1.0], [5.0]])
    for axis in (0, 1, 2, -1):
        ours = oxnp.linspace(oxnp.asarray(a), oxnp.asarray(b), 5, axis=axis)
        ref = numpy.linspace(a, b, 5, axis=axis)
        assert_same(ours, ref)
    check(lambda m: m.linspace(0, 1, 2.5))


@pytest.mark.parametrize("args", [(3,), (3, 4), (4, 3, 1), (3, 3, -2), (3, 5, 7), (0,), (2, None, -5)])
@pytest.mark.parametrize("dtype", [None, "int32", "bool", "complex64"])
def test_eye_identity(args, dtype):
    check(lambda m: m.eye(*args, dtype=dtype))
    check(lambda m: m.identity(args[0], dtype=dtype))
    check(lambda m: m.eye(3, 4, order="F"))
    check(lambda m: m.eye(-1))


def test_fromiter():
    check(lambda m: m.fromiter(iter([1, 2, 3]), dtype="float32"))
    check(lambda m: m.fromiter((i * i for i in range(10)), dtype="int64", count=4))
    check(lambda m: m.fromiter(iter([1, 2]), dtype="int64", count=5))


def test_frombuffer():
    data = bytes(range(16))
    for dtype in ["uint8", "int16", "float32", "float64", "complex64"]:
        check(lambda m: m.frombuffer(data, dtype=dtype))
    check(lambda m: m.frombuffer(data, dtype="int32", count=2, offset=4))
    check(lambda m: m.frombuffer(data, dtype="int32", count=5))
    check(lambda m: m.frombuffer(data[:7], dtype="int32"))
    ro = oxnp.frombuffer(data, dtype="uint8")
    assert ro.base is data
    ba = bytearray(8)
    w = oxnp.frombuffer(ba, dtype="uint8")
    numpy.asarray(w)[3] = 9
    assert ba[3] == 9
