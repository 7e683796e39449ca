"""File I/O against NumPy: .npy/.npz both ways and byte for byte, mmap, errors, text I/O."""

import io
import os
import pathlib
import pickle
import struct
import warnings
import zipfile

import numpy
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import oxnp
from helpers import assert_same, to_np, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
SHAPES = [(), (0,), (1,), (3,), (2, 3), (3, 0, 2), (2, 3, 4), (1, 1, 1, 1, 1)]


def sample(dtype, shape, seed=0):
    rng = numpy.random.default_rng(seed)
    n = int(numpy.prod(shape))
    if dtype == "bool":
        a = rng.integers(0, 2, n).astype(bool)
    elif dtype.startswith(("int", "uint")):
        info = numpy.iinfo(dtype)
        a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    elif dtype.startswith("complex"):
        a = (rng.standard_normal(n) * 1e3 + 1j * rng.standard_normal(n)).astype(dtype)
    else:
        a = (rng.standard_normal(n) * 1e3).astype(dtype)
    return a.reshape(shape)


def npy_bytes(module, arr):
    buf = io.BytesIO()
    module.save(buf, arr)
    return buf.getvalue()


# ---- .npy both ways, byte for byte -----------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("order", ["C", "F"])
def test_npy_bytes_identical_and_round_trip(dtype, shape, order):
    ref = numpy.asarray(sample(dtype, shape), order=order)
    ours = to_ox(ref)
    if order == "F" and ref.flags.f_contiguous and not ref.flags.c_contiguous:
        ours = oxnp.asfortranarray(ours)
    assert npy_bytes(oxnp, ours) == npy_bytes(numpy, ref)
    # NumPy file -> oxnp
    back = oxnp.load(io.BytesIO(npy_bytes(numpy, ref)))
    assert_same(back, ref)
    assert back.flags.f_contiguous == ref.flags.f_contiguous
    assert back.flags.c_contiguous == ref.flags.c_contiguous
    # oxnp file -> NumPy
    got = numpy.load(io.BytesIO(npy_bytes(oxnp, ours)))
    assert got.dtype == ref.dtype and got.shape == ref.shape
    assert got.tobytes() == ref.tobytes()


@pytest.mark.parametrize("dtype", ["float64", "int32", "complex128", "bool"])
def test_npy_non_contiguous(dtype):
    base = sample(dtype, (6, 8))
    for view in (lambda a: a[::2, 1::3], lambda a: a.T[::-1], lambda a: a[:, ::-2].T,
                 lambda a: a[1:5, 2:6]):
        ref = view(base)
        ours = view(to_ox(base))
        assert npy_bytes(oxnp, ours) == npy_bytes(numpy, ref)


def test_npy_large(tmp_path):
    ref = numpy.arange(3 * 10**6, dtype=numpy.float64).reshape(1000, 3000)
    ours = oxnp.arange(3 * 10**6, dtype=oxnp.float64).reshape(1000, 3000)
    oxnp.save(tmp_path / "a.npy", ours)
    numpy.save(tmp_path / "b.npy", ref)
    assert (tmp_path / "a.npy").read_bytes() == (tmp_path / "b.npy").read_bytes()
    assert_same(oxnp.load(tmp_path / "b.npy"), ref)
    f = oxnp.asfortranarray(ours)
    oxnp.save(tmp_path / "f.npy", f)
    numpy.save(tmp_path / "g.npy", numpy.asfortranarray(ref))
    assert (tmp_path / "f.npy").read_bytes() == (tmp_path / "g.npy").read_bytes()
    assert_same(oxnp.load(tmp_path / "g.npy"), ref)


def test_npy_header_padding_quirk_and_shape_reprs():
    # every header length lands the data on a multiple of 64; (3,) and () are spelled like Python
    for n in range(1, 200, 7):
        ref = numpy.zeros((n, 1, 10**9 % (n + 1) + 1), dtype="i1")
        assert npy_bytes(oxnp, to_ox(ref)) == npy_bytes(numpy, ref)
    assert b"'shape': (3,)" in npy_bytes(oxnp, oxnp.zeros(3))
    assert b"'shape': ()" in npy_bytes(oxnp, oxnp.zeros(()))


def test_npy_versions_2_and_3():
    ref = numpy.arange(3.0)
    for version in [(1, 0), (2, 0), (3, 0)]:
        buf = io.BytesIO()
        numpy.lib.format.write_array(buf, ref, version=version)
        assert_same(oxnp.load(io.BytesIO(buf.getvalue())), ref)
        mine = io.BytesIO()
        oxnp._format.write_array(mine, to_ox(ref), version=version)
        assert mine.getvalue() == buf.getvalue()


def test_npy_big_endian_file():
    ref = numpy.arange(5, dtype=">f8")
    got = oxnp.load(io.BytesIO(npy_bytes(numpy, ref)))
    assert_same(got, ref.astype("<f8"))
    ref = numpy.arange(6, dtype=">i2").reshape(2, 3)
    assert_same(oxnp.load(io.BytesIO(npy_bytes(numpy, ref))), ref.astype("<i2"))


def test_save_paths(tmp_path):
    a = oxnp.arange(4)
    oxnp.save(str(tmp_path / "x"), a)  # .npy appended to a str path
    assert (tmp_path / "x.npy").exists()
    oxnp.save(tmp_path / "y.npy", a)  # PathLike, suffix kept
    assert (tmp_path / "y.npy").exists()
    assert_same(oxnp.load(str(tmp_path / "x.npy")), numpy.arange(4))
    assert_same(oxnp.load(os.fsencode(tmp_path / "y.npy")), numpy.arange(4))
    # bytes path for save: NumPy raises TypeError (bytes.endswith('.npy')); so do we
    with pytest.raises(TypeError):
        numpy.save(os.fsencode(tmp_path / "z"), numpy.arange(4))
    with pytest.raises(TypeError):
        oxnp.save(os.fsencode(tmp_path / "z"), a)
    # several arrays in one file object
    with open(tmp_path / "multi.npy", "wb") as f:
        oxnp.save(f, oxnp.arange(3))
        oxnp.save(f, oxnp.arange(4.0))
    with open(tmp_path / "multi.npy", "rb") as f:
        assert_same(oxnp.load(f), numpy.arange(3))
        assert_same(oxnp.load(f), numpy.arange(4.0))
    # lists and scalars are converted first
    oxnp.save(tmp_path / "l.npy", [[1, 2], [3, 4]])
    assert (tmp_path / "l.npy").read_bytes() == npy_bytes(numpy, [[1, 2], [3, 4]])
    oxnp.save(tmp_path / "s.npy", 2.5)
    assert (tmp_path / "s.npy").read_bytes() == npy_bytes(numpy, 2.5)


def test_save_numpy_array_input():
    ref = numpy.arange(6.0).reshape(2, 3)
    assert npy_bytes(oxnp, ref) == npy_bytes(numpy, ref)


# ---- .npz -------------------------------------------------------------------------------------


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_both_ways(tmp_path, compressed):
    arrays = {d: sample(d, (3, 2), seed=i) for i, d in enumerate(DTYPES)}
    pos = [numpy.arange(5), numpy.zeros(())]
    np_save = numpy.savez_compressed if compressed else numpy.savez
    ox_save = oxnp.savez_compressed if compressed else oxnp.savez
    np_save(tmp_path / "n.npz", *pos, **arrays)
    ox_save(str(tmp_path / "o"), *[to_ox(p) for p in pos], **{k: to_ox(v) for k, v in arrays.items()})
    assert (tmp_path / "o.npz").exists()
    zn = zipfile.ZipFile(tmp_path / "n.npz")
    zo = zipfile.ZipFile(tmp_path / "o.npz")
    assert zn.namelist() == zo.namelist()
    for a, b in zip(zn.infolist(), zo.infolist()):
        assert a.compress_type == b.compress_type
        assert zn.read(a) == zo.read(b)  # member .npy bytes identical
    with oxnp.load(tmp_path / "n.npz") as f:
        assert f.files == [n.removesuffix(".npy") for n in zn.namelist()]
        assert f.files[0] == DTYPES[0]
        assert sorted(f.keys()) == sorted(n.removesuffix(".npy") for n in zn.namelist())
        for k, v in arrays.items():
            assert_same(f[k], v)
            assert_same(f[k + ".npy"], v)
            assert k in f
        assert_same(f["arr_0"], pos[0])
        assert_same(f.f.arr_1, pos[1])
        assert list(iter(f)) == f.files
        assert len(f) == len(arrays) + 2
        assert "nope" not in f
        with pytest.raises(KeyError, match="nope is not a file in the archive"):
            f["nope"]
        with pytest.raises(AttributeError):
            f.f.nope
    with numpy.load(tmp_path / "o.npz") as g:
        for k, v in arrays.items():
            assert g[k].dtype == v.dtype and g[k].tobytes() == v.tobytes()
        assert g["arr_0"].tobytes() == pos[0].tobytes()


def test_npz_lazy_and_close(tmp_path):
    oxnp.savez(tmp_path / "a.npz", x=oxnp.arange(3))
    f = oxnp.load(tmp_path / "a.npz")
    assert isinstance(f, oxnp._npyio.NpzFile)
    assert repr(f).startswith("NpzFile ") and "with keys: x" in repr(f)
    f.close()
    assert f.zip is None
    with pytest.raises(ValueError):
        f["x"]


def test_savez_name_collision():
    with pytest.raises(ValueError, match="Cannot use un-named variables and keyword arr_0"):
        oxnp.savez(io.BytesIO(), oxnp.arange(2), arr_0=oxnp.arange(3))


def test_npz_file_object():
    buf = io.BytesIO()
    oxnp.savez_compressed(buf, a=oxnp.arange(10**5), b=oxnp.ones((3, 3)))
    buf.seek(0)
    with numpy.load(buf) as g:
        assert g["a"].tobytes() == numpy.arange(10**5).tobytes()
    buf.seek(0)
    npz = oxnp.load(buf)
    assert_same(npz["b"], numpy.ones((3, 3)))


def test_npz_empty_archive():
    buf = io.BytesIO()
    numpy.savez(buf)
    buf.seek(0)
    f = oxnp.load(buf)
    assert f.files == []


# ---- mmap -------------------------------------------------------------------------------------


def test_mmap_modes(tmp_path):
    ref = numpy.arange(12.0).reshape(3, 4)
    p = tmp_path / "m.npy"
    numpy.save(p, ref)
    r = oxnp.load(p, mmap_mode="r")
    assert_same(r, ref)
    assert not r.flags.writeable
    c = oxnp.load(p, mmap_mode="c")
    c[0, 0] = 100.0
    assert c[0, 0] == 100.0
    assert numpy.load(p)[0, 0] == 0.0  # copy-on-write does not touch the file
    w = oxnp.load(p, mmap_mode="r+")
    w[1, 1] = -5.0
    del w
    import gc

    gc.collect()
    assert numpy.load(p)[1, 1] == -5.0
    f = numpy.asfortranarray(ref)
    numpy.save(tmp_path / "f.npy", f)
    m = oxnp.load(tmp_path / "f.npy", mmap_mode="r")
    assert_same(m, f)
    assert m.flags.f_contiguous
    numpy.save(tmp_path / "e.npy", numpy.zeros((0, 3)))
    assert_same(oxnp.load(tmp_path / "e.npy", mmap_mode="r"), numpy.zeros((0, 3)))


def test_mmap_file_object_rejected(tmp_path):
    numpy.save(tmp_path / "m.npy", numpy.arange(3))
    with open(tmp_path / "m.npy", "rb") as f:
        with pytest.raises(ValueError, match="Memmap cannot use existing file handles"):
            oxnp.load(f, mmap_mode="r")


# ---- pickles and errors -----------------------------------------------------------------------


def test_object_array_needs_allow_pickle():
    buf = io.BytesIO()
    numpy.save(buf, numpy.array([1, "a", None], dtype=object))
    with pytest.raises(ValueError, match="Object arrays cannot be loaded when allow_pickle=False"):
        oxnp.load(io.BytesIO(buf.getvalue()))
    got = oxnp.load(io.BytesIO(buf.getvalue()), allow_pickle=True)
    assert list(got) == [1, "a", None]


def test_pickled_file(tmp_path):
    p = tmp_path / "p.pkl"
    p.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ValueError, match="This file contains pickled"):
        oxnp.load(p)
    assert oxnp.load(p, allow_pickle=True) == {"a": 1}
    p.write_bytes(b"garbage!!")
    with pytest.raises(pickle.UnpicklingError, match="Failed to interpret file"):
        oxnp.load(p, allow_pickle=True)


def test_load_encoding_check():
    with pytest.raises(ValueError, match="encoding must be 'ASCII', 'latin1', or 'bytes'"):
        oxnp.load(io.BytesIO(b"x"), encoding="utf8")


def _errors(data, **kw):
    """(NumPy's exception, oxnp's exception) loading `data`."""
    out = []
    for mod in (numpy, oxnp):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mod.load(io.BytesIO(data), **kw)
        except Exception as e:  # noqa: BLE001
            out.append(e)
        else:
            out.append(None)
    return out


GOOD = npy_bytes(numpy, numpy.arange(10.0))


def _with_header(text, version=(1, 0)):
    return numpy.lib._format_impl._wrap_header(text, version) + b"\x00" * 80


CORRUPT = {
    "empty": b"",
    "magic only": b"\x93NUM",
    "bad version": b"\x93NUMPY\x09\x00" + GOOD[8:],
    "truncated header": GOOD[:40],
    "truncated length": GOOD[:9],
    "truncated data": GOOD[:-3],
    "no data": GOOD[:128],
    "not a dict": _with_header("[1, 2]"),
    "bad keys": _with_header("{'descr': '<f8', 'shape': (3,)}"),
    "bad shape": _with_header("{'descr': '<f8', 'fortran_order': False, 'shape': 3}"),
    "bad shape item": _with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3.0,)}"),
    "bad order": _with_header("{'descr': '<f8', 'fortran_order': 0, 'shape': (3,)}"),
    "bad descr": _with_header("{'descr': 'xyz', 'fortran_order': False, 'shape': (3,)}"),
    "unparsable": _with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,"),
    "unparsable v3": _with_header("{'descr': '<f8' 'shape'", (3, 0)),
    "zip garbage": b"PK\x03\x04" + b"\x00" * 40,
    "huge header": _with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}" + " " * 20000),
}


@pytest.mark.parametrize("name", list(CORRUPT))
def test_corrupt_files(name):
    ref, ours = _errors(CORRUPT[name])
    assert ref is not None
    assert ours is not None
    if type(ref).__name__ == "TokenError":  # NumPy leaks tokenize's error; oxnp says ValueError
        assert isinstance(ours, ValueError) and str(ours).startswith("Cannot parse header")
        return
    if isinstance(ref, zipfile.BadZipFile):
        assert isinstance(ours, ValueError) and isinstance(ours, zipfile.BadZipFile)
        return
    assert type(ours) is type(ref), (ours, ref)
    assert str(ours) == str(ref)


def test_huge_header_allowed_with_allow_pickle():
    ref, ours = _errors(CORRUPT["huge header"], allow_pickle=True)
    assert ref is None or type(ours) is type(ref)


def test_npz_member_corrupt():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.npy", GOOD[:-5])
        z.writestr("b.txt", b"hello")
    f = oxnp.load(io.BytesIO(buf.getvalue()))
    with pytest.raises(ValueError) as ref:
        numpy.load(io.BytesIO(buf.getvalue()))["a"]
    with pytest.raises(ValueError, match=str(ref.value)):
        f["a"]
    assert f["b.txt"] == b"hello"


# ---- ndarray.tofile / dump / dumps, fromfile, fromstring --------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_tofile_fromfile_binary(tmp_path, dtype):
    ref = sample(dtype, (3, 4))
    ours = to_ox(ref)
    ref.T.tofile(tmp_path / "n.bin")
    ours.T.tofile(tmp_path / "o.bin")
    assert (tmp_path / "n.bin").read_bytes() == (tmp_path / "o.bin").read_bytes()
    assert_same(oxnp.fromfile(tmp_path / "n.bin", dtype=dtype), numpy.fromfile(tmp_path / "n.bin", dtype=dtype))
    assert_same(oxnp.fromfile(str(tmp_path / "n.bin"), dtype=dtype, count=3, offset=ref.itemsize),
                numpy.fromfile(str(tmp_path / "n.bin"), dtype=dtype, count=3, offset=ref.itemsize))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint8", "bool", "complex128", "float16"])
@pytest.mark.parametrize("sep,fmt", [(" ", "%s"), (", ", "%s"), ("\n", "%s"), (",", "%.3f"), (";", "%r")])
def test_tofile_text(tmp_path, dtype, sep, fmt):
    ref = sample(dtype, (2, 3))
    if dtype == "complex128" and fmt == "%.3f":
        return
    ref.tofile(tmp_path / "n.txt", sep=sep, format=fmt)
    to_ox(ref).tofile(tmp_path / "o.txt", sep=sep, format=fmt)
    assert (tmp_path / "n.txt").read_bytes() == (tmp_path / "o.txt").read_bytes()


def test_fromfile_file_object_position(tmp_path):
    (tmp_path / "f.bin").write_bytes(numpy.arange(5.0).tobytes() + b"abc")
    with open(tmp_path / "f.bin", "rb") as f:
        f.read(8)
        got = oxnp.fromfile(f, count=1, offset=8)
        assert f.tell() == 24
    assert_same(got, numpy.array([2.0]))
    assert_same(oxnp.fromfile(tmp_path / "f.bin"), numpy.fromfile(tmp_path / "f.bin"))
    assert_same(oxnp.fromfile(tmp_path / "f.bin", count=10), numpy.fromfile(tmp_path / "f.bin", count=10))
    (tmp_path / "t.txt").write_text("1 2 3\n4")
    assert_same(oxnp.fromfile(tmp_path / "t.txt", sep=" "), numpy.fromfile(tmp_path / "t.txt", sep=" "))
    with pytest.raises(TypeError, match="'offset' argument only permitted for binary files"):
        oxnp.fromfile(tmp_path / "t.txt", sep=" ", offset=2)


def test_dump_dumps(tmp_path):
    a = oxnp.arange(6.0).reshape(2, 3)
    b = pickle.loads(a.dumps())
    assert_same(b, numpy.arange(6.0).reshape(2, 3))
    a.dump(tmp_path / "d.pkl")
    assert_same(oxnp.load(tmp_path / "d.pkl", allow_pickle=True), numpy.arange(6.0).reshape(2, 3))
    with open(tmp_path / "e.pkl", "wb") as f:
        a.T.dump(f)
    assert_same(pickle.loads((tmp_path / "e.pkl").read_bytes()), numpy.arange(6.0).reshape(2, 3).T)


FROMSTRING_CASES = [
    ("1 2 3", " ", "float64", -1), ("1, 2,3", ",", "float64", -1), ("1,2,x", ",", "float64", -1),
    ("1,2,", ",", "float64", -1), ("", ",", "float64", -1), ("1 2 3", " ", "float64", 2),
    ("1 2 3", " ", "int64", -1), ("1.5 2 3", " ", "int64", -1), ("1\n2\n 3 ", " ", "float64", -1),
    ("1;;2", ";", "float64", -1), ("nan inf -inf 1e3", " ", "float64", -1),
    ("1 2", " ", "complex128", -1), ("1 0 2", " ", "bool", -1), ("1,2", ", ", "float64", -1),
    ("1 , 2", ",", "float64", -1), ("1x2", "x", "float64", -1), ("   1 2", " ", "float64", -1),
    ("1.5 2", " ", "float32", -1), ("1abc", " ", "float64", -1), ("-5 3", " ", "uint8", -1),
    ("1e400", " ", "float64", -1), (".5 1.", " ", "float64", -1), ("+1 -0", " ", "float64", -1),
    ("Infinity NaN", " ", "float64", -1), ("1_0", " ", "float64", -1), ("7 8 9", " ", "int8", 1),
    ("1.25 -2 3e-2", " ", "float16", -1), ("0x10 2", " ", "int64", -1),
]


@pytest.mark.parametrize("text,sep,dtype,count", FROMSTRING_CASES)
def test_fromstring(text, sep, dtype, count):
    try:
        ref = numpy.fromstring(text, dtype=dtype, sep=sep, count=count)
    except ValueError as e:
        with pytest.raises(ValueError, match=str(e)):
            oxnp.fromstring(text, dtype=dtype, sep=sep, count=count)
        return
    assert_same(oxnp.fromstring(text, dtype=dtype, sep=sep, count=count), ref)


def test_fromstring_binary_mode_removed():
    with pytest.raises(ValueError, match="The binary mode of fromstring is removed, use frombuffer instead"):
        oxnp.fromstring(b"\x00" * 8)


def test_fromregex_needs_structured_dtype(tmp_path):
    with pytest.raises(TypeError, match="dtype must be a structured datatype."):
        numpy.fromregex(io.StringIO("1 2"), r"(\d+)", numpy.int64)
    with pytest.raises(TypeError, match="dtype must be a structured datatype."):
        oxnp.fromregex(io.StringIO("1 2"), r"(\d+)", oxnp.int64)


# ---- savetxt ----------------------------------------------------------------------------------


def _savetxt_both(arr, **kw):
    n, o = io.StringIO(), io.StringIO()
    try:
        numpy.savetxt(n, arr, **kw)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            oxnp.savetxt(o, to_ox(arr), **kw)
        return "same error", "same error"
    oxnp.savetxt(o, to_ox(arr), **kw)
    return o.getvalue(), n.getvalue()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fmt", ["%.18e", "%s", "%d", "%10.5f", "%g", "%r"])
def test_savetxt_formats(dtype, fmt):
    ref = sample(dtype, (4, 3))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = io.StringIO()
            numpy.savetxt(expected, ref, fmt=fmt)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            oxnp.savetxt(io.StringIO(), to_ox(ref), fmt=fmt)
        return
    got = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oxnp.savetxt(got, to_ox(ref), fmt=fmt)
    assert got.getvalue() == expected.getvalue()


@pytest.mark.parametrize("kw", [
    dict(), dict(delimiter=","), dict(newline="\r\n"), dict(header="a b\nc"), dict(footer="end"),
    dict(header="h", footer="f", comments="// "), dict(fmt=["%d", "%.2f", "%e"]),
    dict(fmt="%d|%.1f|%g"), dict(fmt=("%5.1f", "%s", "%x"), delimiter="\t"),
])
def test_savetxt_options(kw):
    ref = numpy.array([[1.0, 2.5, 3.25], [-4.0, 1e10, 7.0]])
    if "x" in str(kw.get("fmt", "")):
        ref = ref.astype(int)
    got, exp = _savetxt_both(ref, **kw)
    assert got == exp


@pytest.mark.parametrize("kw", [dict(), dict(fmt="%.3e"), dict(fmt="%.2f %.2f %.2f %.2f"),
                                dict(fmt=["%.1f", "%.4f"])])
def test_savetxt_complex(kw):
    ref = numpy.array([[1 + 2j, -3.5 - 1j], [0.25j, 2 - 0j]])
    got, exp = _savetxt_both(ref, **kw)
    assert got == exp


def test_savetxt_1d_and_errors(tmp_path):
    got, exp = _savetxt_both(numpy.arange(5.0))
    assert got == exp
    for bad in (numpy.zeros(()), numpy.zeros((2, 2, 2))):
        with pytest.raises(ValueError, match="Expected 1D or 2D array"):
            oxnp.savetxt(io.StringIO(), to_ox(bad))
    with pytest.raises(ValueError, match="fmt has wrong number of % formats"):
        oxnp.savetxt(io.StringIO(), oxnp.zeros((2, 3)), fmt="%d %d")
    with pytest.raises(AttributeError, match="fmt has wrong shape"):
        oxnp.savetxt(io.StringIO(), oxnp.zeros((2, 3)), fmt=["%d"])
    with pytest.raises(ValueError, match="invalid fmt"):
        oxnp.savetxt(io.StringIO(), oxnp.zeros((2, 3)), fmt=3)
    with pytest.raises(ValueError, match="fname must be a string or file handle"):
        oxnp.savetxt(3, oxnp.zeros((2, 3)))
    # paths, gzip, binary handles
    oxnp.savetxt(tmp_path / "a.txt", oxnp.arange(6.0).reshape(2, 3))
    numpy.savetxt(tmp_path / "b.txt", numpy.arange(6.0).reshape(2, 3))
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    oxnp.savetxt(str(tmp_path / "a.txt.gz"), oxnp.arange(6.0))
    assert_same(oxnp.loadtxt(tmp_path / "a.txt.gz"), numpy.loadtxt(tmp_path / "a.txt.gz"))
    b1, b2 = io.BytesIO(), io.BytesIO()
    numpy.savetxt(b1, numpy.arange(3.0), header="hé", encoding="utf8")
    oxnp.savetxt(b2, oxnp.arange(3.0), header="hé", encoding="utf8")
    assert b1.getvalue() == b2.getvalue()


# ---- loadtxt ----------------------------------------------------------------------------------


def _outcome(fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        return r, None, [type(x.message) for x in w]
    except Exception as e:  # noqa: BLE001
        return None, e, []


def check_text(func, text, **kw):
    """numpy.<func> and oxnp.<func> on the same text: same arrays, or same error and message."""
    ref, ref_err, ref_warn = _outcome(lambda: getattr(numpy, func)(io.StringIO(text), **kw))
    ours, our_err, our_warn = _outcome(lambda: getattr(oxnp, func)(io.StringIO(text), **kw))
    if ref_err is not None:
        assert our_err is not None, f"NumPy raised {ref_err!r}, oxnp returned {ours!r}"
        assert type(our_err) is type(ref_err), (our_err, ref_err)
        assert str(our_err) == str(ref_err)
        return
    assert our_err is None, f"oxnp raised {our_err!r}"
    assert [c.__name__ for c in our_warn] == [c.__name__ for c in ref_warn]
    if isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert_same(o, r)


LOADTXT_CASES = [
    ("1 2\n3 4\n", {}),
    ("1.0 2\n3 4\n", dict(dtype=int)),
    ("1 2\n3\n", {}),
    ("1 abc\n", {}),
    ("1,abc\n", dict(delimiter=",")),
    ("", {}),
    ("# c\n", {}),
    ("", dict(usecols=[0, 1])),
    ("", dict(ndmin=2)),
    ("1 2\n", dict(usecols=5)),
    ("1 2\n", dict(usecols=-3)),
    ("1 2\n", dict(usecols=(1, 0))),
    ("1 2\n", dict(usecols=[0, 1, 0])),
    ("1_0 2\n", {}),
    (" 1e5 nan\n inf -inf\n", {}),
    ("1+2j (3-4j)\n", dict(dtype=complex)),
    ("1j 2\n", dict(dtype=complex)),
    ("1+ 2j\n", dict(dtype=complex)),
    ("True 0 1\n", dict(dtype=bool)),
    ("0 1 2\n", dict(dtype=bool)),
    ("1 2\n\n3 4 # x\n", {}),
    ("1,2\n3,\n", dict(delimiter=",")),
    ('"1,5",2\n', dict(delimiter=",", quotechar='"')),
    ('"1",2\n"3",4\n', dict(delimiter=",", quotechar='"')),
    ("1 2\n3 4\n", dict(ndmin=3)),
    ("5\n", dict(ndmin=0)),
    ("5\n", dict(ndmin=1)),
    ("5\n", dict(ndmin=2)),
    ("1 2 3\n", dict(ndmin=2)),
    ("1\n2\n3\n", dict(ndmin=2)),
    ("1 2\n", dict(dtype=numpy.uint8)),
    ("300 2\n", dict(dtype=numpy.uint8)),
    ("-1 2\n", dict(dtype=numpy.uint8)),
    ("0x10 2\n", dict(dtype=int)),
    ("+5 -3 \t 7\n", dict(dtype=int)),
    ("1e3\n", dict(dtype=int)),
    ("1 2\n", dict(skiprows=-1)),
    ("1 2\n", dict(max_rows=0)),
    ("1 2\n3 4\n5 6\n", dict(max_rows=2)),
    ("h\n#c\n\n1 2\n3 x\n", dict(skiprows=1)),
    ("h\n#c\n\n1 2\n3\n", dict(skiprows=1)),
    ("1,,2\n", dict(delimiter=",")),
    (" 1 , 2 \n", dict(delimiter=",")),
    ("1 2\n3 4\n", dict(unpack=True)),
    ("1 2\n", dict(unpack=True)),
    ("1\n2\n", dict(unpack=True, ndmin=2)),
    ("1 2\n3 4\n", dict(dtype=numpy.int8, usecols=1)),
    ("1 2\n3 4\n", dict(usecols=[1.0])),
    ("1 2\n3 4\n", dict(skiprows=5)),
    ("1 2\n3 4\n", dict(comments=None)),
    ("1 2\n3 4\n", dict(delimiter="ab")),
    ("1 2\n", dict(dtype=numpy.float16)),
    ("1.5 2\n0.1 3\n", dict(dtype=numpy.float32)),
    ("1 2 // c\n#x\n3 4\n", dict(comments=["#", "//"])),
    ("1 2 !! c\n3 4\n", dict(comments="!!")),
    ("1  2\n", dict(delimiter=" ")),
    ("1.5\r\n2\r\n", {}),
    ("1;2\n", dict(delimiter=";", converters={0: lambda s: float(s) * 10})),
    ("1;2\n", dict(delimiter=";", converters=lambda s: float(s) * 10)),
    ("a 2\n", dict(converters={0: lambda s: 7, -1: float})),
    ("1 2\n3 4\n", dict(converters={"a": int}, usecols=0)),
    ("1 2\n3 4\n", dict(converters={"a": 3})),
    ("1 2\n3 4\n", dict(converters={1: lambda s: 10}, usecols=1)),
    ("1 2 3\n4 5 6\n7 8 9\n", dict(usecols=(0, 2), unpack=True, dtype=numpy.int32)),
    ("1\t2\n3\t4\n", dict(delimiter="\t", dtype=numpy.uint64)),
    ("18446744073709551615\n", dict(dtype=numpy.uint64)),
    ("9223372036854775808\n", dict(dtype=numpy.int64)),
    ("-128 127\n", dict(dtype=numpy.int8)),
    ("1 2\n3 4 5\n", dict(usecols=(0, 1))),
    # complex fields: NumPy's grammar (signs, parentheses, whitespace inside them)
    (" 1 , 2+3j , ( 4+5j ), ( 6+-7j )  , 8j , ( 9j ) \n", dict(delimiter=",", dtype=complex)),
    ("(1.0-2.5j),3.75,(7+-5.0j)\n(4),(-19e2j),(0)\n", dict(delimiter=",", dtype=numpy.complex64)),
    ("1--2j\n", dict(dtype=complex)),
    ("1+j\n", dict(dtype=complex)),
    ("(1+2j\n", dict(dtype=complex)),
    ("1+2j)\n", dict(dtype=complex)),
    ("1 +2j\n", dict(dtype=complex, delimiter=",")),
    ("inf-nanj 1e5-2.5e-3j .5+.5j\n", dict(dtype=complex)),
    ("1J\n", dict(dtype=complex)),
    # a quoted field may hold a line break
    (' 3 ,"\u202f2\n"\n', dict(delimiter=",", quotechar='"')),
    ('1,"2\n\n"\n3,4\n', dict(delimiter=",", quotechar='"', dtype=int)),
    ('1,"2\n', dict(delimiter=",", quotechar='"')),
]


@pytest.mark.parametrize("text,kw", LOADTXT_CASES, ids=[f"{i}" for i in range(len(LOADTXT_CASES))])
def test_loadtxt(text, kw):
    check_text("loadtxt", text, **kw)


def test_loadtxt_sources(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("# head\n1 2\n3 4\n")
    ref = numpy.loadtxt(p)
    assert_same(oxnp.loadtxt(p), ref)
    assert_same(oxnp.loadtxt(str(p)), ref)
    assert_same(oxnp.loadtxt(["1 2", "3 4"]), numpy.loadtxt(["1 2", "3 4"]))
    assert_same(oxnp.loadtxt([b"1 2", b"3 4"]), numpy.loadtxt([b"1 2", b"3 4"]))
    assert_same(oxnp.loadtxt(x for x in ["1", "2"]), numpy.loadtxt(x for x in ["1", "2"]))
    with open(p, "rb") as f:
        assert_same(oxnp.loadtxt(f), ref)
    with pytest.raises(ValueError, match="fname must be a string"):
        oxnp.loadtxt(3)


# ---- genfromtxt -------------------------------------------------------------------------------

GENFROMTXT_CASES = [
    ("1 2\n3 4\n", {}),
    ("1 abc\n3 4\n", {}),
    ("1,,3\n4,5,6\n", dict(delimiter=",")),
    ("1,N/A,3\n4,5,6\n", dict(delimiter=",", missing_values="N/A", filling_values=-99)),
    ("1,2\n3\n4,5\n", dict(delimiter=",")),
    ("1,2\n3\n4,5\n", dict(delimiter=",", invalid_raise=False)),
    ("1,2\n3\n4,5\n6\n", dict(delimiter=",")),
    ("123456\n789012\n", dict(delimiter=3)),
    ("123456\n789012\n", dict(delimiter=(1, 2, 3))),
    (" 1 , 2 \n", dict(delimiter=",", autostrip=True)),
    ("h\n1 2\n3 4\n5 6\nfoot\n", dict(skip_header=1, skip_footer=1)),
    ("1 2\n3 4\n5 6\n", dict(max_rows=2)),
    ("1 2\n3 4\n5 6\n", dict(usecols=(0, -1), dtype=int)),
    ("1 2 # c\n#x\n\n3 4\n", {}),
    ("5\n", {}),
    ("", {}),
    ("1,2,x\n", dict(delimiter=",", dtype=int)),
    ("1,,3\n", dict(delimiter=",", dtype=int)),
    ("1 2\n3 4\n", dict(unpack=True)),
    ("1 2\n3 4\n", dict(max_rows=1, skip_footer=1)),
    ("1 2\n3 4\n", dict(max_rows=0)),
    ("1 2\n3 4\n", dict(converters={0: lambda s: float(s) * 2})),
    ("1,-999,3\n", dict(delimiter=",", missing_values="-999", filling_values=0)),
    ("1,,3\n", dict(delimiter=",", dtype=complex)),
    ("1,,3\n", dict(delimiter=",", dtype=bool)),
    ("1,,3\n", dict(delimiter=",", filling_values=[7, 8, 9])),
    ("1,2\n3,4\n", dict(delimiter=",", ndmin=2, max_rows=1)),
    ("1 2\n3 4\n", dict(ndmin=1)),
    ("1;2;3\n4;5\n6;7;8\n", dict(delimiter=";", invalid_raise=False, skip_footer=1)),
    ("\n\n1 2\n\n3 x\n", dict(dtype=numpy.float32)),
    ("1 2 3\n", dict(usecols=5)),
    ("1 2\n3 4\n", dict(comments=None)),
    ("1.5 2.5\n", dict(dtype=numpy.int16)),
]


@pytest.mark.parametrize("text,kw", GENFROMTXT_CASES, ids=[f"{i}" for i in range(len(GENFROMTXT_CASES))])
def test_genfromtxt(text, kw):
    check_text("genfromtxt", text, **kw)


def test_genfromtxt_path(tmp_path):
    p = tmp_path / "g.txt"
    p.write_text("a b\n1 2\n3 4\n")
    assert_same(oxnp.genfromtxt(p, skip_header=1), numpy.genfromtxt(p, skip_header=1))


# ---- hypothesis -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(
    dtype=st.sampled_from([numpy.dtype(d) for d in DTYPES]),
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5),
), st.booleans())
def test_hypothesis_npy(arr, fortran):
    if fortran:
        arr = numpy.asfortranarray(arr)
    ours = to_ox(arr)
    if fortran and arr.flags.f_contiguous and not arr.flags.c_contiguous:
        ours = oxnp.asfortranarray(ours)
    data = npy_bytes(oxnp, ours)
    assert data == npy_bytes(numpy, arr)
    assert_same(oxnp.load(io.BytesIO(data)), arr)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(
    dtype=st.sampled_from([numpy.dtype("float64"), numpy.dtype("float32"), numpy.dtype("int64"),
                           numpy.dtype("int16"), numpy.dtype("uint8")]),
    shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6),
))
def test_hypothesis_text_round_trip(arr):
    fmt = "%d" if arr.dtype.kind in "iu" else "%.18e"
    got, exp = _savetxt_both(arr, fmt=fmt)
    assert got == exp
    kw = dict(dtype=arr.dtype.name, ndmin=arr.ndim)
    assert_same(oxnp.loadtxt(io.StringIO(exp), **kw), numpy.loadtxt(io.StringIO(exp), **kw))
    assert_same(oxnp.genfromtxt(io.StringIO(exp), dtype=arr.dtype.name, ndmin=arr.ndim),
                numpy.genfromtxt(io.StringIO(exp), dtype=arr.dtype.name, ndmin=arr.ndim))


def test_truncated_real_file(tmp_path):
    p = tmp_path / "t.npy"
    p.write_bytes(GOOD[:-12])
    with pytest.raises(ValueError) as ref:
        numpy.load(p)
    with pytest.raises(ValueError) as ours:
        oxnp.load(p)
    assert str(ours.value) == str(ref.value)


def test_text_bytes_paths(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("1 2\n")
    with pytest.raises(TypeError, match="non-string returned while reading data"):
        oxnp.loadtxt(os.fsencode(p))
    with pytest.raises(ValueError, match="fname must be a string or file handle"):
        oxnp.savetxt(os.fsencode(p), oxnp.arange(2))
    with pytest.raises(TypeError):
        oxnp.savez(os.fsencode(tmp_path / "z"), a=oxnp.arange(2))


TOKENS = ["1", "-2", "3.5", "", " ", "nan", "x", "#", "1e3", "+4", "  5", "6 ", '"7"', '"8,9"',
          '"#"', "0", "255", "-0", "1j", "N/A", ",", ";", "\t", "//", "!"]
SEPS = [" ", ",", "", "\t"]


@st.composite
def text_inputs(draw):
    lines = draw(st.lists(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPS)),
                                   max_size=4), max_size=5))
    text = "\n".join("".join(t + s for t, s in line) for line in lines)
    return text + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=150, deadline=None)
@given(text_inputs(), st.fixed_dictionaries({}, optional={
    "delimiter": st.sampled_from([",", ";", " ", "\t"]),
    "dtype": st.sampled_from(["int64", "int16", "uint8", "bool", "complex128", "float32", "float16"]),
    "usecols": st.sampled_from([0, [0, 1], -1, (1,)]),
    "max_rows": st.sampled_from([1, 2]),
    "ndmin": st.sampled_from([0, 1, 2]),
    "unpack": st.just(True),
    "comments": st.sampled_from(["//", ["#", "!"], None, "!", "#"]),
    "skiprows": st.sampled_from([1, 2]),
    "quotechar": st.just('"'),
}))
def test_hypothesis_loadtxt_grammar(text, kw):
    if "quotechar" in kw and kw.get("comments", "#") not in ("#", "!"):
        del kw["quotechar"]
    check_text("loadtxt", text, **kw)


@settings(max_examples=150, deadline=None)
@given(text_inputs(), st.fixed_dictionaries({}, optional={
    "delimiter": st.sampled_from([",", ";", " ", "\t", 1, 2, (1, 3), [2, 2, 2]]),
    "dtype": st.sampled_from(["int64", "int16", "uint8", "bool", "complex128", "float32"]),
    "usecols": st.sampled_from([0, [0, 1], -1, (1,)]),
    "max_rows": st.sampled_from([1, 2]),
    "ndmin": st.sampled_from([0, 1, 2]),
    "unpack": st.just(True),
    "comments": st.sampled_from(["//", None, "!", "#"]),
    "skip_header": st.sampled_from([1, 2]),
    "skip_footer": st.sampled_from([1, 2]),
    "invalid_raise": st.just(False),
    "filling_values": st.sampled_from([0, -7, [1, 2]]),
    "missing_values": st.sampled_from(["N/A", "x", ["x", "nan"]]),
    "autostrip": st.just(True),
}))
def test_hypothesis_genfromtxt_grammar(text, kw):
    if "max_rows" in kw:
        kw.pop("skip_footer", None)
    check_text("genfromtxt", text, **kw)


@pytest.mark.parametrize("ref", [numpy.array(["ab", "c"]), numpy.array(["2020-01-01"], dtype="M8[D]"),
                                 numpy.zeros(2, dtype=[("a", "<i4")]), numpy.zeros(2, dtype=numpy.longdouble)],
                         ids=["str", "datetime", "structured", "longdouble"])
def test_npy_dtype_oxnp_lacks(ref):
    with pytest.raises(TypeError, match="oxnp cannot load an array of dtype"):
        oxnp.load(io.BytesIO(npy_bytes(numpy, ref)))


def test_npy_list_descr_garbage():
    data = _with_header("{'descr': [1, 2], 'fortran_order': False, 'shape': (3,)}")
    ref, ours = _errors(data)
    assert type(ours) is type(ref) is ValueError and str(ours) == str(ref)


def test_tofile_handles(tmp_path):
    ref = sample("float64", (2, 3))
    with open(tmp_path / "n.bin", "wb") as f:
        ref.tofile(f)
        ref.tofile(f, sep=",")
    with open(tmp_path / "o.bin", "wb") as f:
        to_ox(ref).tofile(f)
        to_ox(ref).tofile(f, sep=",")
    assert (tmp_path / "n.bin").read_bytes() == (tmp_path / "o.bin").read_bytes()
    with open(tmp_path / "n.txt", "w") as f:
        ref.tofile(f, sep=" ", format="%.2f")
    with open(tmp_path / "o.txt", "w") as f:
        to_ox(ref).tofile(f, sep=" ", format="%.2f")
    assert (tmp_path / "n.txt").read_bytes() == (tmp_path / "o.txt").read_bytes()
    with pytest.raises(io.UnsupportedOperation):
        to_ox(ref).tofile(io.BytesIO())


NUMERIC_FIELDS = ["1.", ".5", "-.5", "+3", "1e5", "1E-5", "1e+400", "-1e-400", "0", "-0", "00012",
                  "1.5e", "e5", ".", "+-1", "1..2", "4.9e-324", "2.4703282292062328e-324",
                  "0.1e-320", "123456789012345678901234567890", "0.30000000000000004",
                  "1.7976931348623157e308", "1.7976931348623159e308", "9007199254740993"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(NUMERIC_FIELDS),
                                   st.floats(allow_nan=False, allow_infinity=False).map(repr)),
                         min_size=2, max_size=2), max_size=6),
       st.sampled_from([" ", "\t", ",", " , "]), st.sampled_from(["float64", "float32", "float16"]),
       st.sampled_from([0, 1]))
def test_hypothesis_loadtxt_numbers(rows, sep, dtype, skiprows):
    text = "".join(sep.join(r) + "\n" for r in rows)
    kw = dict(dtype=dtype, skiprows=skiprows)
    if sep.strip():
        kw["delimiter"] = sep.strip()
    check_text("loadtxt", text, **kw)


# --- genfromtxt(dtype=None): per-column type guessing ---------------------------------------------

GUESS_CASES = [
    ("1 2\n3 4", {}),
    ("1.5 2\n3 4e2", {}),
    ("1,2\n,4", {"delimiter": ","}),
    ("True False\nfalse TRUE", {}),
    ("1+2j 3\n4 5j", {}),
    ("1.5 2\n3 4", {"usecols": 0}),
    ("1,2\n3,N/A", {"delimiter": ",", "missing_values": "N/A"}),
    ("1,2\n3,", {"delimiter": ",", "filling_values": 9}),
    ("1.0,2.5\n3,", {"delimiter": ",", "filling_values": 9}),
    ("nan 1.5\ninf 2", {}),
    ("1 2\n3 4", {"unpack": True}),
    ("# c\n1 2\n3 4\n5 6", {"skip_header": 1, "skip_footer": 1}),
    ("7 8", {}),
]


@pytest.mark.parametrize("text,kw", GUESS_CASES)
def test_genfromtxt_dtype_none(text, kw):
    ref = numpy.genfromtxt(io.StringIO(text), dtype=None, **kw)
    ours = oxnp.genfromtxt(io.StringIO(text), dtype=None, **kw)
    assert_same(ours, ref)


@pytest.mark.parametrize("text", ["1 2.5\n3 4", "1 a\n2 b"])
def test_genfromtxt_dtype_none_structured_is_unsupported(text):
    assert numpy.genfromtxt(io.StringIO(text), dtype=None).dtype.names is not None
    with pytest.raises(NotImplementedError):
        oxnp.genfromtxt(io.StringIO(text), dtype=None)
