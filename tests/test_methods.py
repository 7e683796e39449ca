"""Differential tests of ndarray attributes and methods against NumPy."""

import copy
import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_np, to_ox
from test_shape import DTYPES, raises_like

SPECIAL = [0, 1, -1, 2.5, -2.5, 127.9, 128, 255.5, 256, -129, 32768, 65536.7, 2**31, -2**31 - 1,
           2**32 + 3.5, 2**53, 2**63, -2**63, 2**64, 1e20, -1e20, numpy.inf, -numpy.inf, numpy.nan]


def sample(dtype):
    """Values covering each dtype's edges, in a (2, 3) array."""
    if dtype == "bool":
        return numpy.array([[True, False, True], [False, False, True]])
    info = numpy.iinfo(dtype) if numpy.dtype(dtype).kind in "iu" else None
    if info is not None:
        vals = [0, 1, info.max, info.min, info.max // 3, 7]
    elif numpy.dtype(dtype).kind == "c":
        vals = [0, 1.5 - 2j, -numpy.inf + 1j, numpy.nan * 1j, 1e30 + 3e38j, -0.0]
    else:
        vals = [0.0, -0.0, 1.5, -2.75, numpy.inf, numpy.nan]
    return numpy.array(vals).astype(dtype).reshape(2, 3).copy()


@pytest.mark.parametrize("src", DTYPES)
def test_astype_all_pairs(src):
    v = sample(src)
    ov = to_ox(v)
    for dst in DTYPES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = v.astype(dst)
        assert_same(ov.astype(dst), ref)
        assert_same(ov.T.astype(dst), ref.T)
        for casting in ["no", "equiv", "safe", "same_kind", "unsafe"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r, g = raises_like(lambda: v.astype(dst, casting=casting), lambda: ov.astype(dst, casting=casting))
            if r is not None:
                assert_same(g, r)
    raises_like(lambda: v.astype("i4", casting="bad"), lambda: ov.astype("i4", casting="bad"))


@pytest.mark.parametrize("dst", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                                 "bool", "float16", "float32"])
@pytest.mark.parametrize("src", ["float64", "float32", "float16"])
def test_float_to_int_out_of_range(src, dst):
    """C-cast semantics of this x86-64 machine, NaN and out-of-range included."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = numpy.array(SPECIAL, dtype="float64").astype(src)
        ref = v.astype(dst)
    assert_same(to_ox(v).astype(dst), ref)


def test_astype_copy_false_and_layout():
    v = numpy.arange(6).reshape(2, 3)
    ov = to_ox(v)
    assert ov.astype("int64", copy=False) is ov
    assert ov.astype("int64") is not ov
    assert ov.T.astype("int64", order="C", copy=False) is not ov
    assert ov.T.astype("float32").strides == v.T.astype("float32").strides
    assert ov.T.astype("float32", order="C").strides == v.T.astype("float32", order="C").strides


def test_flags():
    v = numpy.zeros((2, 3))
    ov = to_ox(v)
    for a, b in [(ov, v), (ov.T, v.T), (ov.reshape(3, 2), v.reshape(3, 2)), (ov.real, v.real),
                 (to_ox(v.astype(complex)).imag, v.astype(complex).imag)]:
        assert repr(a.flags) == repr(b.flags)
        for key in ["C", "F", "O", "W", "A", "X", "B", "CA", "FA", "FNC", "FORC", "C_CONTIGUOUS",
                    "F_CONTIGUOUS", "CONTIGUOUS", "FORTRAN", "OWNDATA", "WRITEABLE", "ALIGNED",
                    "WRITEBACKIFCOPY", "BEHAVED", "CARRAY", "FARRAY"]:
            assert a.flags[key] == b.flags[key], key
        for attr in ["c_contiguous", "f_contiguous", "owndata", "writeable", "aligned", "contiguous",
                     "fnc", "forc", "behaved", "carray", "farray", "writebackifcopy", "fortran", "num"]:
            assert getattr(a.flags, attr) == getattr(b.flags, attr), attr
    with pytest.raises(KeyError):
        ov.flags["Z"]
    ov.flags.writeable = False
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        ov.fill(1)
    t = ov.T
    with pytest.raises(ValueError, match="cannot set WRITEABLE flag to True of this array"):
        t.flags.writeable = True
    ov.flags["W"] = True
    t.flags.writeable = True
    t.fill(3)
    assert to_np(ov).sum() == 18


@pytest.mark.parametrize("dtype", DTYPES)
def test_real_imag(dtype):
    v = sample(dtype)
    ov = to_ox(v)
    assert_same(ov.real, v.real)
    assert_same(ov.imag, v.imag)
    assert ov.imag.flags.writeable == v.imag.flags.writeable
    if v.dtype.kind == "c":
        assert ov.imag.strides == v.imag.strides and ov.imag.base is ov
        ov.imag = 5
        v.imag = 5
        ov.real = 2
        v.real = 2
        assert_same(ov, v)
    else:
        assert ov.real is ov
        raises_like(lambda: setattr(v, "imag", 1), lambda: setattr(ov, "imag", 1))


@pytest.mark.parametrize("dtype", DTYPES)
def test_conj_of_real_is_self(dtype):
    v = sample(dtype)
    ov = to_ox(v)
    assert_same(ov.conj(), v.conj())
    assert_same(ov.conjugate(), v.conjugate())
    assert (ov.conj() is ov) == (v.conj() is v)
    out, oout = numpy.zeros(v.shape, "complex128"), oxnp.zeros(v.shape, "complex128")
    assert ov.conj(oout) is oout
    assert_same(oout, v.conj(out))


def test_operator_concat_refused():
    import operator
    a = oxnp.ones(3)
    for args in [(a, a), (a, [1]), ([1], a), (a, 1), (1, a)]:
        with pytest.raises(TypeError):
            operator.concat(*args)
    assert_same(a + a, numpy.ones(3) + numpy.ones(3))


@pytest.mark.parametrize("dtype", DTYPES)
def test_item_tolist_iter_conversions(dtype):
    v = sample(dtype)
    ov = to_ox(v)
    assert ov.tolist() == v.tolist() or numpy.array_equal(numpy.array(ov.tolist()), v, equal_nan=True)
    for args in [(), (0,), (5,), (-6,), (6,), (1, 2), ((1, 2),), (0, 3), (1,) * 3, (1.0,)]:
        r, g = raises_like(lambda: v.item(*args), lambda: ov.item(*args))
        if r is not None:
            assert type(g) is type(r) and (g == r or (g != g and r != r))
    for i, row in enumerate(ov):
        assert_same(row, v[i])
    assert len(ov) == 2
    z = v.reshape(-1)[:1].reshape(())
    oz = to_ox(z)
    raises_like(lambda: iter(z), lambda: iter(oz))
    for f in (bool, int, float, complex, lambda a: a.__index__()):
        for a, oa in [(z, oz), (v, ov), (v.reshape(-1)[:1], to_ox(v.reshape(-1)[:1])), (v[:0], to_ox(v[:0]))]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r, g = raises_like(lambda: f(a), lambda: f(oa))
            if r is not None:
                assert type(g) is type(r) and (g == r or (g != g and r != r))


@pytest.mark.parametrize("dtype", DTYPES)
def test_fill_copy_byteswap_sizeof(dtype):
    v = sample(dtype)
    ov = to_ox(v)
    for value in [0, 1, 300, -1, 2.7, True, 1j, 2**70]:
        a, oa = v.copy(), ov.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r, g = raises_like(lambda: a.fill(value), lambda: oa.fill(value))
        assert_same(oa, a)
    raises_like(lambda: v.copy().fill(numpy.zeros(2)), lambda: ov.copy().fill(to_ox(numpy.zeros(2))))
    assert_same(copy.copy(ov), copy.copy(v))
    assert_same(copy.deepcopy(ov), copy.deepcopy(v))
    assert copy.copy(ov.T).strides == copy.copy(v.T).strides
    assert_same(ov.byteswap(), v.byteswap())
    assert_same(ov.T.byteswap(), v.T.byteswap())
    b, ob = v.copy(), ov.copy()
    assert ob.byteswap(inplace=True) is ob
    b.byteswap(inplace=True)
    assert_same(ob, b)
    assert ov.__sizeof__() == v.__sizeof__()
    assert ov.T.__sizeof__() == v.T.__sizeof__()


def test_flat():
    v = numpy.arange(12.0).reshape(3, 4)
    ov = to_ox(v)
    for a, oa in [(v, ov), (v.T, ov.T)]:
        assert len(oa.flat) == len(a.flat)
        assert [float(x) for x in oa.flat] == [float(x) for x in a.flat]
        assert oa.flat.base is oa
        assert_same(oa.flat.copy(), a.flat.copy())
        assert_same(oa.flat[1:9:3], a.flat[1:9:3])
        assert float(oa.flat[-1]) == float(a.flat[-1])
        raises_like(lambda: a.flat[100], lambda: oa.flat[100])
    a, oa = v.T.copy(), ov.T.copy()
    a.flat[1:7] = [1, 2]
    oa.flat[1:7] = [1, 2]
    a.flat[3] = 9
    oa.flat[3] = 9
    assert_same(oa, a)
    it, oit = a.flat, oa.flat
    next(it), next(oit)
    assert oit.index == it.index and oit.coords == it.coords


FILL_VALUES = [0, 1, 300, -1, 2**63, 2**64, 2**70, -2**70, 2.7, -1.0, 1e20, -1e300, 2.0**63, 1.8e19,
               numpy.nan, numpy.inf, True, False, 1j, 1 + 2j, complex(numpy.nan, 0)]


@pytest.mark.parametrize("dtype", DTYPES)
def test_fill_value_kinds(dtype):
    """fill with Python numbers, scalars of every dtype, 0-d and one-element arrays."""
    values = [(v, v) for v in FILL_VALUES]
    for d in DTYPES:
        x = numpy.array(3 if d != "bool" else True, dtype=d)
        values += [(x[()], oxnp.asarray(x)[()]), (x, to_ox(x)), (x.reshape(1), to_ox(x.reshape(1))),
                   (numpy.zeros(2, d), to_ox(numpy.zeros(2, d)))]
    for ref_value, our_value in values:
        a, oa = numpy.zeros(3, dtype), oxnp.zeros(3, dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raises_like(lambda: a.fill(ref_value), lambda: oa.fill(our_value))
        assert_same(oa, a)
