"""Zero-copy exchange with NumPy (buffer protocol, __array_interface__, __array__), pickling."""

import pickle

import numpy
import pytest

import oxnp
from helpers import assert_same, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_asarray_zero_copy(dtype):
    x = oxnp.zeros((3, 4), dtype=dtype)
    n = numpy.asarray(x)
    assert n.dtype == numpy.dtype(dtype) and n.shape == (3, 4)
    n[1, 2] = 1
    assert numpy.asarray(x)[1, 2] == 1
    assert_same(x, n)


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_asarray_views(dtype):
    ref = numpy.arange(24).reshape(4, 6).astype(dtype)
    base = oxnp.asarray(ref.copy())
    for sl in [(slice(None, None, -1), slice(None)), (slice(None), slice(None, None, -2)),
               (slice(1, 3), slice(None, None, 3))]:
        view = oxnp.asarray(numpy.asarray(base)[sl])
        got = numpy.asarray(view)
        assert numpy.array_equal(got, ref[sl])
        assert got.strides == ref[sl].strides


def test_buffer_protocol_details():
    x = oxnp.asarray(numpy.arange(6, dtype="int32").reshape(2, 3))
    m = memoryview(x)
    assert m.format == "i" and m.shape == (2, 3) and m.strides == (12, 4) and not m.readonly
    del m
    n = numpy.arange(6.0).reshape(2, 3)
    strided = oxnp.asarray(n[:, ::2])
    assert memoryview(strided).strides == (24, 16)
    assert numpy.asarray(strided).strides == (24, 16)
    import ctypes
    with pytest.raises((BufferError, TypeError)):
        ctypes.c_double.from_buffer(strided)


def test_data_is_a_memoryview():
    """`a.data` as NumPy's: the same format, shape, strides and writability, sharing memory."""
    ours = oxnp.arange(12, dtype="int16").reshape(3, 4)[:, 1::2].data
    ref = numpy.arange(12, dtype="int16").reshape(3, 4)[:, 1::2].data
    assert (ours.format, ours.shape, ours.strides, ours.readonly) == (ref.format, ref.shape, ref.strides, ref.readonly)
    x = oxnp.zeros(3)
    x.data[1] = 5.0
    assert x.tolist() == [0.0, 5.0, 0.0]


def test_readonly_export():
    n = numpy.arange(4.0)
    n.flags.writeable = False
    x = oxnp.asarray(n)
    back = numpy.asarray(x)
    assert not back.flags.writeable
    with pytest.raises(TypeError):
        memoryview(x)[0] = 1.0
    import ctypes
    with pytest.raises((BufferError, TypeError)):
        ctypes.c_char.from_buffer(x)


def test_export_outlives_array():
    x = oxnp.asarray(numpy.arange(1000.0))
    n = numpy.asarray(x)
    del x
    assert n[999] == 999.0


def test_array_interface():
    x = to_ox(numpy.arange(6, dtype="float32").reshape(2, 3))
    ai = x.__array_interface__
    assert ai["version"] == 3 and ai["typestr"] == "<f4" and ai["shape"] == (2, 3)
    assert ai["strides"] is None and ai["data"][1] is False

    class Wrap:
        __array_interface__ = ai

    n = numpy.asarray(Wrap())
    n[0, 0] = 5
    assert numpy.asarray(x)[0, 0] == 5


def test_dunder_array():
    x = to_ox(numpy.arange(6.0))
    n = x.__array__()
    assert isinstance(n, numpy.ndarray)
    assert n.dtype == numpy.float64
    assert x.__array__(dtype="float32").dtype == numpy.float32
    c = x.__array__(copy=True)
    c[0] = 100
    assert numpy.asarray(x)[0] == 0


def test_matplotlib_style_consumption():
    n = numpy.linspace(0, 1, 20).reshape(4, 5)
    x = oxnp.asarray(n)
    for v in [x, oxnp.asarray(n[::-1, ::-2]), oxnp.asarray(n[1:3])]:
        got = numpy.asarray(v, dtype=float)
        assert got.shape == v.shape


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
@pytest.mark.parametrize("dtype", DTYPES)
def test_pickle_roundtrip(protocol, dtype):
    for ref in [numpy.arange(12).reshape(3, 4).astype(dtype), numpy.zeros((0, 2), dtype=dtype),
                numpy.array(3, dtype=dtype), numpy.asfortranarray(numpy.arange(6).reshape(2, 3).astype(dtype))]:
        x = oxnp.asarray(ref)
        y = pickle.loads(pickle.dumps(x, protocol=protocol))
        assert isinstance(y, oxnp.ndarray)
        assert_same(y, ref)


@pytest.mark.parametrize("dtype", DTYPES)
def test_import_zero_dim_buffer(dtype):
    # A 0-d memoryview exports NULL shape and strides (allowed by PEP 3118 for ndim 0).
    ref = numpy.array(1, dtype=dtype)
    m = memoryview(ref)
    assert m.ndim == 0
    assert_same(oxnp.asarray(m), numpy.asarray(m))
    assert_same(oxnp.array(m), numpy.array(m))
    assert_same(oxnp.frombuffer(m, dtype=dtype), numpy.frombuffer(m, dtype=dtype))


def test_import_buffer_views_and_errors():
    ref = numpy.arange(12, dtype="f8").reshape(3, 4)
    for m in [memoryview(ref), memoryview(ref)[::2], memoryview(ref[:, ::-1])]:
        assert_same(oxnp.asarray(m), numpy.asarray(m))
    ro = numpy.arange(3, dtype="i4")
    ro.flags.writeable = False
    assert oxnp.asarray(memoryview(ro)).flags.writeable is False
    with pytest.raises(ValueError, match="C-contiguous"):
        numpy.frombuffer(ref[:, ::2])
    with pytest.raises(ValueError, match="C-contiguous"):
        oxnp.frombuffer(ref[:, ::2])


def test_foreign_arrays_alive_at_interpreter_exit():
    # Arrays over NumPy memory (and views of them) that live until shutdown are released
    # while the interpreter finalizes, when pyo3 refuses to attach: the exit must be clean.
    import subprocess
    import sys

    program = (
        "import numpy, oxnp\n"
        "a = oxnp.asarray(numpy.arange(1e6))\n"
        "v = a[10:20]\n"
        "m = oxnp.asarray(memoryview(bytearray(64)))\n"
        "cycle = [a, v]\n"
        "cycle.append(cycle)\n"
        "print(float(v.sum()))\n"
    )
    env = {**__import__("os").environ, "PYTHONPATH": __import__("os").pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "145.0"
