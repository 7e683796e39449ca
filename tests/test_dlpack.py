"""DLPack exchange with NumPy in both directions, the capsule ABI, and indices/fromfunction."""

import ctypes
import gc
import weakref

import numpy
import pytest

import oxnp
from helpers import assert_same

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def sample(dtype, shape=(4, 6)):
    n = int(numpy.prod(shape))
    vals = numpy.arange(n) % 7 - 3
    a = vals.astype(dtype) if dtype != "bool" else vals > 0
    if numpy.dtype(dtype).kind == "c":
        a = a + 1j * vals[::-1].astype(dtype)
    return a.reshape(shape)


def views(a):
    yield a
    yield a[::-1]
    yield a[:, ::-2]
    yield a[1:3, ::3]
    yield a.T
    yield a[::-2, ::-1]
    yield a[2]
    yield a[2, 3, ...]
    yield a[:0]
    yield a[:, 1:1]


# ---- round trips ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_to_oxnp(dtype):
    for v in views(sample(dtype)):
        x = oxnp.from_dlpack(v)
        assert isinstance(x, oxnp.ndarray)
        assert_same(x, v)
        back = numpy.asarray(x)
        assert back.strides == v.strides or v.size <= 1
        if v.size:
            assert back.__array_interface__["data"][0] == v.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype", DTYPES)
def test_oxnp_to_numpy(dtype):
    base = sample(dtype)
    for v in views(base):
        x = oxnp.asarray(v)
        n = numpy.from_dlpack(x)
        assert n.dtype == v.dtype and n.shape == v.shape
        assert n.tobytes() == v.tobytes()
        assert n.strides == v.strides or v.size <= 1
        if v.size:
            own = numpy.asarray(x).__array_interface__["data"][0]
            assert n.__array_interface__["data"][0] == own


@pytest.mark.parametrize("dtype", DTYPES)
def test_oxnp_numpy_oxnp(dtype):
    v = sample(dtype)[::-1, ::2]
    x = oxnp.from_dlpack(numpy.from_dlpack(oxnp.from_dlpack(v)))
    assert_same(x, v)


def test_zero_d():
    a = numpy.array(2.5)
    x = oxnp.from_dlpack(a)
    assert x.shape == () and x.dtype == oxnp.dtype("float64")
    n = numpy.from_dlpack(x)
    assert n.shape == () and n == 2.5
    n[()] = 7.0
    assert a == 7.0


def test_writes_visible_both_ways():
    a = numpy.zeros((3, 4), dtype="int32")
    x = oxnp.from_dlpack(a[:, ::-1])
    numpy.asarray(x)[0, 0] = 5
    assert a[0, 3] == 5
    a[2, 0] = 9
    assert numpy.asarray(x)[2, 3] == 9

    y = oxnp.zeros((2, 3), dtype="float32")
    n = numpy.from_dlpack(y)
    n[1, 2] = 4.0
    assert numpy.asarray(y)[1, 2] == 4.0
    numpy.asarray(y)[0, 1] = -1.0
    assert n[0, 1] == -1.0


def test_copy_argument():
    a = numpy.arange(4.0)
    x = oxnp.from_dlpack(a, copy=True)
    a[0] = 10
    assert numpy.asarray(x)[0] == 0
    x = oxnp.from_dlpack(a, copy=False)
    a[1] = 11
    assert numpy.asarray(x)[1] == 11

    y = oxnp.asarray(numpy.arange(3))
    n = numpy.from_dlpack(y, copy=True)
    numpy.asarray(y)[0] = 8
    assert n[0] == 0
    n = numpy.from_dlpack(y, copy=False)
    numpy.asarray(y)[1] = 9
    assert n[1] == 9


# ---- lifetime ------------------------------------------------------------------------------

def test_numpy_producer_deleted_first():
    a = numpy.arange(10, dtype="int64")
    ref = weakref.ref(a)
    x = oxnp.from_dlpack(a[::3])
    del a
    gc.collect()
    assert ref() is not None
    assert numpy.asarray(x).tolist() == [0, 3, 6, 9]
    del x
    gc.collect()
    assert ref() is None


def test_oxnp_producer_deleted_first():
    store = bytearray(32)
    x = oxnp.frombuffer(store, dtype="int64")
    n = numpy.from_dlpack(x)
    del x
    gc.collect()
    n[:] = [1, 2, 3, 4]
    assert numpy.frombuffer(bytes(store), dtype="int64").tolist() == [1, 2, 3, 4]
    with pytest.raises(BufferError):
        store.append(0)
    del n
    gc.collect()
    store.append(0)


def test_unconsumed_capsule_releases():
    store = bytearray(16)
    x = oxnp.frombuffer(store, dtype="int32")
    caps = [x.__dlpack__(), x.__dlpack__(max_version=(1, 0))]
    del x
    gc.collect()
    with pytest.raises(BufferError):
        store.append(0)
    del caps
    gc.collect()
    store.append(0)


# ---- read-only -----------------------------------------------------------------------------

def test_readonly_numpy_to_oxnp():
    a = numpy.arange(6.0)
    a.flags.writeable = False
    x = oxnp.from_dlpack(a)
    assert not numpy.asarray(x).flags.writeable
    with pytest.raises(ValueError):
        numpy.asarray(x)[0] = 1


def test_readonly_oxnp_to_numpy():
    a = numpy.arange(6.0)
    a.flags.writeable = False
    x = oxnp.asarray(a)
    n = numpy.from_dlpack(x)
    assert not n.flags.writeable
    for obj in (a, x):
        with pytest.raises(BufferError) as e:
            obj.__dlpack__()
    assert "readonly" in str(e.value)
    # A copy is writable, so the unversioned protocol can carry it.
    n = numpy.from_dlpack(x, copy=True)
    assert n.flags.writeable


# ---- the capsule as a C consumer sees it ----------------------------------------------------

class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class DLManagedTensorVersioned(ctypes.Structure):
    pass


DELETER_V = ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensorVersioned))
DLManagedTensorVersioned._fields_ = [
    ("major", ctypes.c_uint32), ("minor", ctypes.c_uint32), ("manager_ctx", ctypes.c_void_p),
    ("deleter", DELETER_V), ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


class DLManagedTensor(ctypes.Structure):
    pass


DLManagedTensor._fields_ = [
    ("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p),
    ("deleter", ctypes.CFUNCTYPE(None, ctypes.POINTER(DLManagedTensor)))]

capi = ctypes.pythonapi
capi.PyCapsule_GetPointer.restype = ctypes.c_void_p
capi.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
capi.PyCapsule_GetName.restype = ctypes.c_char_p
capi.PyCapsule_GetName.argtypes = [ctypes.py_object]
capi.PyCapsule_New.restype = ctypes.py_object
capi.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]

CODES = {"b": 6, "i": 0, "u": 1, "f": 2, "c": 5}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("versioned", [False, True])
def test_capsule_layout(dtype, versioned):
    v = sample(dtype)[::-1, 1::2]
    x = oxnp.asarray(v)
    cap = x.__dlpack__(max_version=(1, 0)) if versioned else x.__dlpack__()
    name = b"dltensor_versioned" if versioned else b"dltensor"
    assert capi.PyCapsule_GetName(cap) == name
    ptr = capi.PyCapsule_GetPointer(cap, name)
    if versioned:
        m = DLManagedTensorVersioned.from_address(ptr)
        assert (m.major, m.minor) == (1, 0) and m.flags == 0
    else:
        m = DLManagedTensor.from_address(ptr)
    t = m.dl_tensor
    assert (t.device.device_type, t.device.device_id) == (1, 0)
    assert (t.dtype.code, t.dtype.bits, t.dtype.lanes) == (CODES[v.dtype.kind], 8 * v.itemsize, 1)
    assert t.ndim == 2 and [t.shape[i] for i in range(2)] == list(v.shape)
    assert [t.strides[i] for i in range(2)] == [s // v.itemsize for s in v.strides]
    assert t.data + t.byte_offset == v.__array_interface__["data"][0]
    assert x.__dlpack_device__() == v.__dlpack_device__() == (1, 0)


def test_capsule_flags():
    a = numpy.arange(3.0)
    a.flags.writeable = False
    ro = oxnp.asarray(a)
    for cap, flags in [(ro.__dlpack__(max_version=(1, 0)), 1),
                       (ro.__dlpack__(max_version=(1, 0), copy=True), 2),
                       (ro.__dlpack__(max_version=(2, 3)), 1)]:
        m = DLManagedTensorVersioned.from_address(capi.PyCapsule_GetPointer(cap, b"dltensor_versioned"))
        assert m.flags == flags


def test_consumer_renames_capsule():
    x = oxnp.asarray(numpy.arange(3))
    caps = []

    class Keep:
        def __dlpack__(self, **kw):
            caps.append(x.__dlpack__(**kw))
            return caps[-1]

    y = numpy.from_dlpack(Keep())
    assert capi.PyCapsule_GetName(caps[0]) == b"used_dltensor_versioned"
    z = oxnp.from_dlpack(Keep())
    assert capi.PyCapsule_GetName(caps[1]) == b"used_dltensor_versioned"
    assert y.tolist() == numpy.asarray(z).tolist() == [0, 1, 2]
    # A used capsule cannot be consumed again.
    reuse = type("Reuse", (), {"__dlpack__": lambda self, **kw: caps[0]})()
    with pytest.raises(ValueError):
        numpy.from_dlpack(reuse)
    with pytest.raises(ValueError):
        oxnp.from_dlpack(reuse)


class CProducer:
    """A DLPack producer written against the C ABI with ctypes, recording deleter calls."""

    def __init__(self, data, shape, strides, code, bits, lanes=1, device=1, major=1, flags=0,
                 byte_offset=0):
        self.data = data
        self.shape = (ctypes.c_int64 * len(shape))(*shape)
        self.strides = None if strides is None else (ctypes.c_int64 * len(strides))(*strides)
        self.deleted = 0
        self.deleter = DELETER_V(self._delete)
        self.m = DLManagedTensorVersioned()
        self.m.major, self.m.minor, self.m.flags = major, 0, flags
        self.m.deleter = self.deleter
        t = self.m.dl_tensor
        t.data = ctypes.addressof(data)
        t.device = DLDevice(device, 0)
        t.ndim = len(shape)
        t.dtype = DLDataType(code, bits, lanes)
        t.shape = self.shape
        t.strides = self.strides
        t.byte_offset = byte_offset

    def _delete(self, _ptr):
        self.deleted += 1

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        assert max_version == (1, 0)
        self.capsule = capi.PyCapsule_New(ctypes.addressof(self.m), b"dltensor_versioned", None)
        return self.capsule


def test_c_producer_geometry_and_deleter():
    data = (ctypes.c_int16 * 12)(*range(12))
    p = CProducer(data, (3, 2), (-2, 3), code=0, bits=16, byte_offset=8 * 2)
    x = oxnp.from_dlpack(p)
    assert capi.PyCapsule_GetName(p.capsule) == b"used_dltensor_versioned"
    assert numpy.asarray(x).tolist() == [[8, 11], [6, 9], [4, 7]]
    numpy.asarray(x)[0, 0] = -1
    assert data[8] == -1
    assert p.deleted == 0
    del x
    gc.collect()
    assert p.deleted == 1


def test_c_producer_null_strides_and_readonly():
    data = (ctypes.c_float * 6)(*range(6))
    p = CProducer(data, (2, 3), None, code=2, bits=32, flags=1)
    x = oxnp.from_dlpack(p)
    n = numpy.asarray(x)
    assert n.tolist() == [[0, 1, 2], [3, 4, 5]] and not n.flags.writeable
    del x, n
    gc.collect()
    assert p.deleted == 1


def test_c_producer_zero_strides():
    data = (ctypes.c_double * 1)(3.0)
    x = oxnp.from_dlpack(CProducer(data, (2, 3), (0, 0), code=2, bits=64))
    assert numpy.asarray(x).tolist() == [[3.0] * 3] * 2


@pytest.mark.parametrize("kw", [dict(device=2), dict(lanes=4), dict(code=4, bits=16),
                                dict(code=2, bits=8), dict(code=6, bits=16), dict(major=2)])
def test_c_producer_rejected(kw):
    args = dict(code=2, bits=32)
    args.update(kw)
    p = CProducer((ctypes.c_float * 4)(), (4,), None, **args)
    with pytest.raises(BufferError):
        oxnp.from_dlpack(p)
    # Not consumed: the capsule keeps its name, so the producer still owns the tensor.
    assert capi.PyCapsule_GetName(p.capsule) == b"dltensor_versioned"
    assert p.deleted == 0


# ---- argument handling, against NumPy ------------------------------------------------------

def raised(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return type(e), str(e)
    return None


@pytest.mark.parametrize("kw", [dict(stream=1), dict(dl_device=(2, 0)), dict(dl_device=(1, 1)),
                                dict(dl_device=5), dict(dl_device=(1, 0, 0)), dict(copy="x"),
                                dict(max_version=3), dict(max_version=(1,)),
                                dict(max_version=[1, 0]), dict(max_version=("a", 1)),
                                dict(copy=False, dl_device=(2, 0)), dict(dl_device=(1, 0)),
                                dict(max_version=(0, 8)), dict(copy=1)])
def test_dlpack_arguments(kw):
    a = numpy.arange(3)
    ref = raised(lambda: a.__dlpack__(**kw))
    got = raised(lambda: oxnp.asarray(a).__dlpack__(**kw))
    assert (got and got[0]) == (ref and ref[0])
    if ref and ref[0] is not RuntimeError:
        assert got[1] == ref[1]


def test_dlpack_positional_rejected():
    with pytest.raises(TypeError):
        oxnp.asarray(numpy.arange(3)).__dlpack__(None)


@pytest.mark.parametrize("call", [
    lambda m, a: m.from_dlpack(a, device="gpu"),
    lambda m, a: m.from_dlpack(3),
    lambda m, a: m.from_dlpack(a, 3),
    lambda m, a: m.from_dlpack(Legacy(a), copy=True),
])
def test_from_dlpack_errors(call):
    a = numpy.arange(3)
    ref = raised(lambda: call(numpy, a))
    got = raised(lambda: call(oxnp, a))
    assert ref is not None and got is not None and got[0] is ref[0]


class Legacy:
    """A producer of the pre-1.0 protocol: no keywords but stream."""

    def __init__(self, a):
        self.a = a

    def __dlpack__(self, stream=None):
        return self.a.__dlpack__(stream=stream)

    def __dlpack_device__(self):
        return (1, 0)


def test_legacy_producer_fallback():
    a = numpy.arange(5, dtype="uint16")[::-2]
    x = oxnp.from_dlpack(Legacy(a))
    assert_same(x, a)
    assert oxnp.from_dlpack(a, device="cpu").shape == (3,)


# ---- indices / fromfunction ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "bool"] + ["omitted", None, int, float])
@pytest.mark.parametrize("dims", [(), (0,), (5,), (2, 3), (3, 0, 2), (2, 1, 4, 3), [4, 2]])
def test_indices(dims, dtype):
    kw = {} if dtype == "omitted" else {"dtype": dtype}
    assert_same(oxnp.indices(dims, **kw), numpy.indices(dims, **kw))
    got = oxnp.indices(dims, sparse=True, **kw)
    ref = numpy.indices(dims, sparse=True, **kw)
    assert isinstance(got, tuple) and len(got) == len(ref)
    for g, r in zip(got, ref):
        assert_same(g, r)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "float16"])
def test_indices_wraps_and_rounds_like_arange(dtype):
    dims = (300, 2) if dtype != "float16" else (2100, 1)
    assert_same(oxnp.indices(dims, dtype=dtype), numpy.indices(dims, dtype=dtype))


@pytest.mark.parametrize("args", [((2, 2), dict(dtype=bool)), ((3,), dict(dtype=bool)),
                                  ((2, 3), dict(dtype=bool, sparse=True)), ((-1,), {}),
                                  ((-1,), dict(sparse=True)), ((-2, 3), dict(sparse=True)),
                                  (3, {}), ((2.0,), {}), ((2, "a"), {}),
                                  ((2,), dict(dtype="bogus"))])
def test_indices_edges(args):
    dims, kw = args
    ref = raised(lambda: numpy.indices(dims, **kw))
    got = raised(lambda: oxnp.indices(dims, **kw))
    assert (got and got[0]) == (ref and ref[0])
    if ref is None:
        r = numpy.indices(dims, **kw)
        g = oxnp.indices(dims, **kw)
        for gg, rr in zip(g if isinstance(g, tuple) else [g], r if isinstance(r, tuple) else [r]):
            assert_same(gg, rr)
    elif ref[0] is not TypeError or "bogus" not in repr(kw):
        assert got[1] == ref[1]


@pytest.mark.parametrize("dtype", [float, int, None, "float32", "complex64", "uint8"])
def test_fromfunction(dtype):
    seen = []

    def f(*idx, scale=1):
        seen.append(idx)
        return sum(numpy.asarray(i) * (scale * 10 ** k) for k, i in enumerate(idx))

    ref = numpy.fromfunction(f, (3, 4, 2), dtype=dtype, scale=2)
    got = oxnp.fromfunction(f, (3, 4, 2), dtype=dtype, scale=2)
    assert ref.dtype == got.dtype and numpy.array_equal(ref, got)
    assert all(isinstance(i, oxnp.ndarray) for i in seen[1])
    for ours, theirs in zip(seen[1], seen[0]):
        assert_same(ours, theirs)


def test_fromfunction_returns_anything():
    assert oxnp.fromfunction(lambda i, j: "x", (2, 2)) == "x"
    assert oxnp.fromfunction(lambda i: i, (0,)).shape == (0,)
    assert oxnp.fromfunction(lambda *a: a, ()) == numpy.fromfunction(lambda *a: a, ()) == ()
    grid = oxnp.fromfunction(lambda i, j: (i, j), (2, 3), dtype="int16")
    assert all(g.base is grid[0].base and g.base.shape == (2, 2, 3) for g in grid)
    with pytest.raises(TypeError):
        oxnp.fromfunction(lambda i: i, (2,), 3)
