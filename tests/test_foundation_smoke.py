"""The foundation's first contract: allocation, geometry and error classes match NumPy."""

import numpy
import pytest

import oxnp

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (2, 0, 4), (1, 2, 3, 4)])
@pytest.mark.parametrize("order", ["C", "F"])
def test_zeros_geometry_matches_numpy(dtype, shape, order):
    ours = oxnp.zeros(shape, dtype=dtype, order=order)
    ref = numpy.zeros(shape, dtype=dtype, order=order)
    assert ours.shape == ref.shape
    assert ours.strides == ref.strides
    assert ours.dtype.name == ref.dtype.name
    assert (ours.ndim, ours.size, ours.itemsize, ours.nbytes) == (ref.ndim, ref.size, ref.itemsize, ref.nbytes)


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), ((2, -3), ValueError), (10**13, MemoryError),
                                      ((10**10, 10**10), ValueError), ("x", TypeError)])
def test_bad_shapes_raise_numpys_class(bad, exc):
    with pytest.raises(exc):
        numpy.zeros(bad)
    with pytest.raises(exc):
        oxnp.zeros(bad)


@pytest.mark.parametrize("args", [(3, 2), (-4, 3, "source"), ("custom message",)])
def test_axis_error_matches_numpy(args):
    ours, ref = oxnp.exceptions.AxisError(*args), numpy.exceptions.AxisError(*args)
    assert str(ours) == str(ref)
    assert (ours.axis, ours.ndim) == (ref.axis, ref.ndim)
    assert isinstance(ours, ValueError) and isinstance(ours, IndexError)
