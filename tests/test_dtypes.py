"""Differential tests of oxnp.dtype and the dtype functions against NumPy."""

import itertools
import pickle

import numpy
import pytest

import oxnp
from helpers import to_ox

NAMES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
         "float16", "float32", "float64", "complex64", "complex128"]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]
SPELLINGS = NAMES + [
    "?", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "e", "f", "d", "F", "D", "p", "P",
    "b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8", "c8", "c16",
    "<i4", "=f8", "|b1", "<c16", "|u1", ">i1", "bool_", "byte", "ubyte", "short", "ushort",
    "intc", "uintc", "int_", "intp", "uintp", "long", "ulong", "longlong", "ulonglong", "half",
    "single", "double", "csingle", "cdouble", "float", "int", "complex", "uint",
]
PY_TYPES = [bool, int, float, complex]


def same_dtype(ours, ref):
    assert isinstance(ours, oxnp.dtype)
    assert ours.name == ref.name


@pytest.mark.parametrize("spec", SPELLINGS)
def test_from_string(spec):
    same_dtype(oxnp.dtype(spec), numpy.dtype(spec))


@pytest.mark.parametrize("name", NAMES)
def test_from_types_and_dtypes(name):
    ref = numpy.dtype(name)
    same_dtype(oxnp.dtype(getattr(oxnp, name)), ref)
    same_dtype(oxnp.dtype(ref.type), ref)
    same_dtype(oxnp.dtype(ref), ref)
    same_dtype(oxnp.dtype(oxnp.dtype(name)), ref)
    assert oxnp.dtype(name) is oxnp.dtype(name.upper().lower())


@pytest.mark.parametrize("t", PY_TYPES + [None])
def test_from_python_types(t):
    same_dtype(oxnp.dtype(t), numpy.dtype(t))


@pytest.mark.parametrize("spec", ["xyz", 3, "f3", "i16", "<>f8", ""])
def test_bad_spec_raises_like_numpy(spec):
    with pytest.raises(TypeError) as ref:
        numpy.dtype(spec)
    with pytest.raises(TypeError) as ours:
        oxnp.dtype(spec)
    if isinstance(spec, str) and spec:
        assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("abstract", ["generic", "number", "integer", "signedinteger",
                                      "unsignedinteger", "inexact", "floating",
                                      "complexfloating"])
def test_abstract_type_is_not_a_dtype(abstract):
    with pytest.raises(TypeError):
        numpy.dtype(getattr(numpy, abstract))
    with pytest.raises(TypeError):
        oxnp.dtype(getattr(oxnp, abstract))


ATTRS = ["name", "kind", "char", "num", "itemsize", "alignment", "str", "byteorder", "descr",
         "shape", "ndim", "isbuiltin", "isnative", "fields", "names", "subdtype", "hasobject",
         "flags", "metadata", "isalignedstruct"]


@pytest.mark.parametrize("name", NAMES)
def test_attributes(name):
    ours, ref = oxnp.dtype(name), numpy.dtype(name)
    for attr in ATTRS:
        assert getattr(ours, attr) == getattr(ref, attr), attr
    assert ours.base is ours
    assert ours.type is getattr(oxnp, name)
    assert ours.type.__name__ == ref.type.__name__ or name == "bool"
    assert repr(ours) == repr(ref)
    assert str(ours) == str(ref)


@pytest.mark.parametrize("name", NAMES)
def test_equality_matrix(name):
    ours, ref = oxnp.dtype(name), numpy.dtype(name)
    others = SPELLINGS + PY_TYPES + ["xyz", 3, None, object]
    for other in others:
        assert (ours == other) == (ref == other), other
        assert (ours != other) == (ref != other), other
    for other in NAMES:
        assert (ours == getattr(oxnp, other)) == (ref == getattr(numpy, other if other != "bool" else "bool_"))
        assert (ours == numpy.dtype(other)) == (ref == numpy.dtype(other))
        assert (ours == oxnp.dtype(other)) == (ref == numpy.dtype(other))


def test_hash_consistent_with_equality():
    for a, b in itertools.product(SPELLINGS, SPELLINGS):
        if oxnp.dtype(a) == oxnp.dtype(b):
            assert hash(oxnp.dtype(a)) == hash(oxnp.dtype(b))
    assert len({oxnp.dtype(n) for n in NAMES}) == 14


@pytest.mark.parametrize("name", NAMES)
def test_pickle_roundtrip(name):
    d = oxnp.dtype(name)
    assert pickle.loads(pickle.dumps(d)) is d


@pytest.mark.parametrize("name", NAMES)
def test_newbyteorder(name):
    d = oxnp.dtype(name)
    for order in ["=", "<", "|", "native", "little"]:
        assert d.newbyteorder(order) is d
    if d.itemsize == 1:
        assert d.newbyteorder(">") is d
        assert d.newbyteorder() is d
    else:
        with pytest.raises(TypeError, match="byte order"):
            d.newbyteorder(">")
    with pytest.raises(ValueError):
        d.newbyteorder("x")


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types(a, b):
    same_dtype(oxnp.promote_types(a, b), numpy.promote_types(a, b))
    same_dtype(oxnp.promote_types(getattr(oxnp, a), oxnp.dtype(b)), numpy.promote_types(a, b))


def test_promote_types_bad_argument():
    with pytest.raises(TypeError, match="data type 'xyz' not understood"):
        oxnp.promote_types("f8", "xyz")


def ox_value(v):
    """The oxnp twin of a NumPy argument (arrays via bytes, scalars via their type)."""
    if isinstance(v, numpy.ndarray):
        return to_ox(v)
    if isinstance(v, numpy.generic):
        return oxnp.dtype(v.dtype.name).type(v.item())
    if isinstance(v, numpy.dtype):
        return oxnp.dtype(v.name)
    return v


WEAK = [1, -1, 1.5, 1j, True]


@pytest.mark.parametrize("name", NAMES)
def test_result_type_weak_scalars(name):
    arr = numpy.zeros(2, dtype=name)
    for args in ([arr, w] for w in WEAK):
        same_dtype(oxnp.result_type(*map(ox_value, args)), numpy.result_type(*args))
    for w1, w2 in itertools.product(WEAK, WEAK):
        args = [numpy.dtype(name), w1, w2]
        same_dtype(oxnp.result_type(*map(ox_value, args)), numpy.result_type(*args))
    for w in WEAK:
        same_dtype(oxnp.result_type(w), numpy.result_type(w))


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_result_type_strong_scalars_and_0d(a, b):
    sa = numpy.zeros((), dtype=a)[()]
    sb = numpy.zeros(3, dtype=b)
    zero_d = numpy.zeros((), dtype=a)
    for args in ([sa, sb], [zero_d, sb], [sa, b], [sa, 1.0, b]):
        same_dtype(oxnp.result_type(*map(ox_value, args)), numpy.result_type(*args))
    # NumPy scalars are accepted directly and are strong too.
    same_dtype(oxnp.result_type(sa, numpy.dtype(b)), numpy.result_type(sa, numpy.dtype(b)))


def test_result_type_nep50_examples():
    cases = [
        ([numpy.uint8(1), 1], "uint8"), ([numpy.float32(1), 1.0], "float32"),
        ([numpy.zeros(2, "u1"), 1.0], "float64"), ([numpy.float32(1), 1j], "complex64"),
        ([numpy.int32(1), 1j], "complex128"), ([numpy.zeros(1, "f4"), numpy.float64(1)], "float64"),
        ([numpy.zeros(1, "u1"), numpy.int64(1)], "int64"), ([1, 2.0], "float64"),
    ]
    for args, expect in cases:
        assert numpy.result_type(*args) == expect
        same_dtype(oxnp.result_type(*map(ox_value, args)), numpy.dtype(expect))


def test_result_type_needs_an_argument():
    with pytest.raises(ValueError, match="at least one array or dtype is required"):
        oxnp.result_type()


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_can_cast_all_pairs_and_modes(a, b):
    for casting in CASTINGS:
        expect = numpy.can_cast(a, b, casting)
        assert oxnp.can_cast(a, b, casting) == expect, casting
        assert oxnp.can_cast(to_ox(numpy.zeros(2, a)), b, casting) == expect
        assert oxnp.can_cast(oxnp.dtype(a).type(0), oxnp.dtype(b), casting) == expect
    assert oxnp.can_cast(a, b) == numpy.can_cast(a, b)


@pytest.mark.parametrize("value", [1, 1.0, 1j, True])
def test_can_cast_rejects_python_scalars(value):
    with pytest.raises(TypeError) as ref:
        numpy.can_cast(value, "i1")
    with pytest.raises(TypeError) as ours:
        oxnp.can_cast(value, "i1")
    assert str(ours.value) == str(ref.value)


def test_can_cast_bad_casting():
    with pytest.raises(ValueError) as ref:
        numpy.can_cast("f8", "f4", "bad")
    with pytest.raises(ValueError) as ours:
        oxnp.can_cast("f8", "f4", "bad")
    assert str(ours.value) == str(ref.value)


MIN_SCALAR_VALUES = [True, False, 0, 255, 256, -1, -128, -129, 2**31, 2**63, -2**63, 2**64 - 1,
                     0.1, 64999.0, 65000.0, 65504.0, 65520.0, 3.39e38, 3.4e38, 1e10, 1e39, 1e300, float("nan"), float("inf"),
                     1 + 1j, 1e40j, numpy.int64(3), numpy.int8(-3), numpy.uint64(2**40),
                     numpy.float64(1e10), numpy.float16(3), numpy.complex128(1e50),
                     numpy.array(3.0), numpy.array(-300), numpy.zeros(3, "i2")]


@pytest.mark.parametrize("value", MIN_SCALAR_VALUES, ids=repr)
def test_min_scalar_type(value):
    same_dtype(oxnp.min_scalar_type(ox_value(value)), numpy.min_scalar_type(value))
    if isinstance(value, numpy.generic):
        same_dtype(oxnp.min_scalar_type(value), numpy.min_scalar_type(value))


FLOAT_NAMES = ["float16", "float32", "float64", "complex64", "complex128"]
FINFO_FIELDS = ["bits", "eps", "epsneg", "max", "min", "tiny", "smallest_normal",
                "smallest_subnormal", "resolution", "precision", "iexp", "machep", "negep",
                "minexp", "maxexp", "nexp", "nmant"]


@pytest.mark.parametrize("name", FLOAT_NAMES)
def test_finfo_fields(name):
    ours, ref = oxnp.finfo(name), numpy.finfo(name)
    same_dtype(ours.dtype, ref.dtype)
    for field in FINFO_FIELDS:
        a, b = getattr(ours, field), getattr(ref, field)
        if isinstance(b, numpy.generic):
            assert a.dtype.name == b.dtype.name, field
            assert a.item() == b.item(), field
        else:
            assert type(a) is type(b) and a == b, field
    assert oxnp.finfo(getattr(oxnp, name)) is ours
    assert oxnp.finfo(oxnp.dtype(name)).eps.item() == ref.eps.item()


def test_info_classes_subscriptable():
    import types
    for name in ("finfo", "iinfo"):
        alias = getattr(oxnp, name)[oxnp.float64]
        assert isinstance(alias, types.GenericAlias)
        assert isinstance(getattr(numpy, name)[numpy.float64], types.GenericAlias)
        assert alias.__origin__ is getattr(oxnp, name)


def test_finfo_of_values_and_errors():
    same_dtype(oxnp.finfo(1.0).dtype, numpy.finfo(1.0).dtype)
    same_dtype(oxnp.finfo(1j).dtype, numpy.finfo(1j).dtype)
    same_dtype(oxnp.finfo(float).dtype, numpy.finfo(float).dtype)
    same_dtype(oxnp.finfo(oxnp.float32(1)).dtype, numpy.finfo(numpy.float32(1)).dtype)
    for bad in ["i4", int, "bool"]:
        with pytest.raises(ValueError):
            numpy.finfo(bad)
        with pytest.raises(ValueError, match="not inexact"):
            oxnp.finfo(bad)


INT_NAMES = [n for n in NAMES if n.startswith(("int", "uint"))]


@pytest.mark.parametrize("name", INT_NAMES)
def test_iinfo_fields(name):
    ours, ref = oxnp.iinfo(name), numpy.iinfo(name)
    for field in ["bits", "min", "max", "kind"]:
        a, b = getattr(ours, field), getattr(ref, field)
        assert type(a) is type(b) and a == b, field
    same_dtype(ours.dtype, ref.dtype)
    assert repr(ours) == repr(ref)
    assert str(ours) == str(ref)
    assert oxnp.iinfo(getattr(oxnp, name)).max == ref.max


def test_iinfo_of_values_and_errors():
    assert repr(oxnp.iinfo(3)) == repr(numpy.iinfo(3))
    assert repr(oxnp.iinfo(int)) == repr(numpy.iinfo(int))
    assert oxnp.iinfo(oxnp.uint16(3)).max == numpy.iinfo(numpy.uint16(3)).max
    for bad in ["f4", float, "bool", "c8"]:
        with pytest.raises(ValueError) as ref:
            numpy.iinfo(bad)
        with pytest.raises(ValueError) as ours:
            oxnp.iinfo(bad)
        assert str(ours.value) == str(ref.value)


ABSTRACT = ["generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
            "floating", "complexfloating"]


def np_type(name):
    return numpy.bool_ if name == "bool" else getattr(numpy, name)


@pytest.mark.parametrize("name", NAMES + ABSTRACT)
def test_issubdtype_hierarchy(name):
    for other in NAMES + ABSTRACT:
        expect = numpy.issubdtype(np_type(name), np_type(other))
        assert oxnp.issubdtype(getattr(oxnp, name), getattr(oxnp, other)) == expect, other
        assert issubclass(getattr(oxnp, name), getattr(oxnp, other)) == expect, other
        assert oxnp.issubdtype(getattr(oxnp, name), np_type(other)) == expect, other
    if name in NAMES:
        # 'q'/'Q' are NumPy's separate longlong classes; oxnp has one 64-bit type each.
        for spec in [s for s in SPELLINGS if s not in ("q", "Q", "longlong", "ulonglong")] + PY_TYPES:
            assert oxnp.issubdtype(name, spec) == numpy.issubdtype(name, spec), spec
            assert oxnp.issubdtype(oxnp.dtype(name), spec) == numpy.issubdtype(name, spec)


KINDS = ["bool", "signed integer", "unsigned integer", "integral", "real floating",
         "complex floating", "numeric"]


@pytest.mark.parametrize("name", NAMES)
def test_isdtype(name):
    for kind in KINDS + [("bool", "real floating"), numpy.dtype("f8"), ("integral", numpy.dtype("f4"))]:
        ox_kind = tuple(map(ox_value, kind)) if isinstance(kind, tuple) else ox_value(kind)
        expect = numpy.isdtype(numpy.dtype(name), kind)
        assert oxnp.isdtype(oxnp.dtype(name), ox_kind) == expect, kind
        assert oxnp.isdtype(getattr(oxnp, name), ox_kind) == expect, kind


def test_isdtype_errors():
    cases = [(float, "numeric", TypeError), (numpy.float64, "xyz", ValueError),
             (numpy.float64, 3, TypeError), ("f8", "numeric", TypeError)]
    for dt, kind, exc in cases:
        with pytest.raises(exc) as ref:
            numpy.isdtype(dt, kind)
        with pytest.raises(exc) as ours:
            oxnp.isdtype(oxnp.float64 if dt is numpy.float64 else dt, kind)
        if dt is not float:
            assert str(ours.value) == str(ref.value)


COMMON = [[], ["i1"], ["f2"], ["f2", "i1"], ["f4"], ["f4", "f2"], ["c8"], ["c8", "f8"],
          ["c8", "f4"], ["u8", "f4"], ["c16", "f2"], ["bool"]]


@pytest.mark.parametrize("dtypes", COMMON, ids=str)
def test_common_type(dtypes):
    arrays = [numpy.zeros(2, d) for d in dtypes]
    try:
        expect = numpy.common_type(*arrays)
    except TypeError:
        with pytest.raises(TypeError):
            oxnp.common_type(*map(to_ox, arrays))
        return
    assert oxnp.common_type(*map(to_ox, arrays)).__name__ == expect.__name__


def test_typename_mintypecode_tables():
    for c in ["S1", "?", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "f", "d", "g", "F",
              "D", "G", "S", "U", "V", "O"]:
        assert oxnp.typename(c) == numpy.typename(c)
    for chars in ["idF", "ff", "fd", "Fd", "i", "dD", "bB", "", "fF"]:
        assert oxnp.mintypecode(chars) == numpy.mintypecode(chars), chars
        assert oxnp.mintypecode(list(chars), "fdFD", "x") == numpy.mintypecode(list(chars), "fdFD", "x")
    assert oxnp.typecodes == numpy.typecodes
    for key, t in oxnp.sctypeDict.items():
        assert oxnp.dtype(t).name == numpy.dtype(numpy.sctypeDict[key]).name, key
    for t in oxnp.ScalarType:
        assert t in (int, float, complex, bool, bytes, str, memoryview) or issubclass(t, oxnp.generic)
