"""Differential tests of the oxnp scalar types against NumPy's."""

import math
import numbers
import operator
import pickle

import numpy
import pytest

import oxnp
from oxnp import _oxnp
from helpers import outcome, to_ox

NAMES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
         "float16", "float32", "float64", "complex64", "complex128"]
INTS = [n for n in NAMES if n.startswith(("int", "uint"))]
FLOATS = ["float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]


def np_type(name):
    return numpy.bool_ if name == "bool" else getattr(numpy, name)


def values_for(name):
    if name == "bool":
        return [True, False]
    if name in INTS:
        info = numpy.iinfo(name)
        return [0, 1, 7, int(info.max), int(info.min)]
    if name in FLOATS:
        return [0.0, -0.0, 1.5, -2.25, 0.1, 1e-3, float("inf"), float("nan"), 65504.0]
    return [0j, 1 + 2j, -1.5j, complex(float("inf"), 1), 0.1 + 0.2j]


def same_scalar(ours, ref):
    """Same scalar type name, dtype and value bits."""
    assert type(ours).__name__ == type(ref).__name__ or (ref.dtype == bool and type(ours) is oxnp.bool_)
    assert ours.dtype.name == ref.dtype.name
    a, b = ours.item(), ref.item()
    assert type(a) is type(b)
    assert numpy.array(a, dtype=ref.dtype).tobytes() == numpy.array(b, dtype=ref.dtype).tobytes()


def test_builtin_subclasses_as_numpy():
    for name in NAMES:
        for base in (int, float, complex):
            assert issubclass(getattr(oxnp, name), base) == issubclass(np_type(name), base), (name, base)
    assert isinstance(oxnp.float64(1), float)
    assert isinstance(oxnp.complex128(1), complex)
    assert not isinstance(oxnp.int64(1), int)
    assert not isinstance(oxnp.True_, int)
    assert oxnp.bool_ is oxnp.bool


def test_aliases_match_numpy_sizes():
    for alias in ["byte", "ubyte", "short", "ushort", "intc", "uintc", "int_", "intp", "uint",
                  "uintp", "long", "ulong", "longlong", "ulonglong", "half", "single", "double",
                  "csingle", "cdouble", "bool_"]:
        assert oxnp.dtype(getattr(oxnp, alias)).name == numpy.dtype(getattr(numpy, alias)).name


@pytest.mark.parametrize("name", NAMES)
def test_construction_from_python_values(name):
    for v in values_for(name):
        same_scalar(getattr(oxnp, name)(v), np_type(name)(v))
    same_scalar(getattr(oxnp, name)(), np_type(name)())


@pytest.mark.parametrize("name", NAMES)
def test_construction_cross_types(name):
    for src in ["1", "3", "-2", "1.75"] + [1, 3, -2, True] + [2.75, -1.5]:
        try:
            ref = np_type(name)(src)
        except (ValueError, OverflowError, TypeError) as e:
            with pytest.raises(type(e)):
                getattr(oxnp, name)(src)
            continue
        same_scalar(getattr(oxnp, name)(src), ref)
    for other in NAMES:
        if other in COMPLEX and name not in COMPLEX + ["bool"]:
            continue
        ref_src = np_type(other)(1)
        ox_src = getattr(oxnp, other)(1)
        same_scalar(getattr(oxnp, name)(ox_src), np_type(name)(ref_src))
        same_scalar(getattr(oxnp, name)(ref_src), np_type(name)(ref_src))


@pytest.mark.parametrize("name", INTS)
def test_out_of_range_python_ints(name):
    info = numpy.iinfo(name)
    for v in [int(info.max) + 1, int(info.min) - 1, 2**64, -2**63 - 1, 2**70]:
        with pytest.raises(OverflowError) as ref:
            np_type(name)(v)
        with pytest.raises(OverflowError) as ours:
            getattr(oxnp, name)(v)
        assert str(ours.value) == str(ref.value)


ARRAY_METHODS = [("all", ()), ("any", ()), ("argmax", ()), ("argmin", ()), ("argsort", ()),
                 ("clip", (0, 1)), ("compress", ([True],)), ("conj", ()), ("cumprod", ()),
                 ("cumsum", ()), ("max", ()), ("mean", ()), ("min", ()), ("prod", ()),
                 ("repeat", (2,)), ("round", ()), ("round", (1,)), ("searchsorted", (1,)), ("std", ()),
                 ("sum", ()), ("take", (0,)), ("tobytes", ()), ("var", ()), ("byteswap", ())]


@pytest.mark.parametrize("name", NAMES)
def test_array_methods(name):
    """A scalar answers ndarray methods through a 0-d array, 0-d results as scalars."""
    v = values_for(name)[-1]
    ours, ref = getattr(oxnp, name)(v), np_type(name)(v)
    for method, args in ARRAY_METHODS:
        r, err = outcome(lambda: getattr(ref, method)(*args))
        o, our_err = outcome(lambda: getattr(ours, method)(*args))
        if err is not None:
            assert isinstance(our_err, TypeError if isinstance(err, TypeError) else type(err))
        elif isinstance(r, numpy.ndarray):
            assert isinstance(o, oxnp.ndarray), method
            assert numpy.asarray(o).tobytes() == r.tobytes() and o.dtype.name == r.dtype.name
        elif isinstance(r, bytes):
            assert o == r
        else:
            same_scalar(o, r)
    same_scalar(ours.sum(keepdims=True), ref.sum(keepdims=True))


@pytest.mark.parametrize("name", NAMES)
def test_type_call_on_sequences_builds_arrays(name):
    for value in [[0, 1], (1, 0, 1), [[1]], [], numpy.array([1, 0]), numpy.array(1)]:
        ref = np_type(name)(value)
        ours = getattr(oxnp, name)(to_ox(value) if isinstance(value, numpy.ndarray) else value)
        if isinstance(ref, numpy.ndarray):
            assert isinstance(ours, oxnp.ndarray)
            assert ours.dtype.name == ref.dtype.name and ours.shape == ref.shape
            assert numpy.asarray(ours).tobytes() == ref.tobytes()
        else:
            same_scalar(ours, ref)
    if name in INTS:
        with pytest.raises(OverflowError):
            np_type(name)([2**70])
        with pytest.raises(OverflowError):
            getattr(oxnp, name)([2**70])


def test_complex_into_real_raises():
    for name in ["int8", "float32"]:
        with pytest.raises(TypeError) as ref:
            np_type(name)(1 + 2j)
        with pytest.raises(TypeError) as ours:
            getattr(oxnp, name)(1 + 2j)
        assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("name", NAMES)
def test_protocol_and_conversions(name):
    for v in values_for(name):
        ours, ref = getattr(oxnp, name)(v), np_type(name)(v)
        assert ours.shape == ref.shape == ()
        assert ours.ndim == ref.ndim and ours.size == ref.size
        assert ours.itemsize == ref.itemsize and ours.nbytes == ref.nbytes
        assert ours.dtype == oxnp.dtype(name)
        same_scalar(ours.real, ref.real)
        same_scalar(ours.imag, ref.imag)
        same_scalar(ours.conjugate(), ref.conjugate())
        assert type(ours.tolist()) is type(ref.tolist())
        assert bool(ours) == bool(ref)
        assert complex(ours) == complex(ref) or (math.isnan(complex(ref).real) and math.isnan(complex(ours).real))
        if name not in COMPLEX:
            f_ours, f_ref = float(ours), float(ref)
            assert f_ours == f_ref or (math.isnan(f_ours) and math.isnan(f_ref))
            if math.isfinite(f_ref):
                assert int(ours) == int(ref)
                assert hasattr(ours, "is_integer") == hasattr(ref, "is_integer")
                if hasattr(ref, "is_integer"):
                    assert ours.is_integer() == ref.is_integer()
                if hasattr(ref, "as_integer_ratio"):
                    assert ours.as_integer_ratio() == ref.as_integer_ratio()
        for target in ["int16", "float32", "complex128", "bool"]:
            if name in COMPLEX and target not in COMPLEX:
                continue
            same_scalar(ours.astype(target), ref.astype(target))


@pytest.mark.parametrize("name", NAMES)
def test_index(name):
    ours, ref = getattr(oxnp, name)(3 if name != "bool" else True), np_type(name)(3 if name != "bool" else True)
    try:
        expect = operator.index(ref)
    except TypeError:
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            operator.index(ours)
        return
    assert operator.index(ours) == expect
    assert [10, 11, 12, 13][ours] == 13


@pytest.mark.parametrize("name", NAMES)
def test_hash_equals_python_number_hash(name):
    for v in values_for(name):
        ours, ref = getattr(oxnp, name)(v), np_type(name)(v)
        if not (isinstance(ref.item(), float) and math.isnan(ref.item())):
            assert hash(ours) == hash(ref) == hash(ref.item())


@pytest.mark.parametrize("name", NAMES)
def test_rich_comparisons_exact(name):
    others = [0, 1, -1, 7, 2**63, 0.5, 1.0, 7.0, 1e20, float("nan"), True, 2**64 + 1, 1j]
    for v in values_for(name):
        ours, ref = getattr(oxnp, name)(v), np_type(name)(v)
        for o in others + [getattr(oxnp, n)(1) for n in NAMES]:
            ref_o = np_type(type(o).__name__)(o.item()) if isinstance(o, oxnp.generic) else o
            for op in ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]:
                f = getattr(operator, op)
                # float64/complex128 keep Python's float/complex comparisons (no complex
                # ordering) until the ufunc engine supplies NumPy's.
                if (name in ("float64", "complex128") and op not in ("__eq__", "__ne__")
                        and (isinstance(o, complex) or name == "complex128")):
                    continue
                try:
                    expect = f(ref, ref_o)
                except (TypeError, OverflowError):
                    continue
                assert bool(f(ours, o)) == bool(expect), (v, o, op)


@pytest.mark.parametrize("name", NAMES)
def test_pickle_roundtrip(name):
    for v in values_for(name):
        x = getattr(oxnp, name)(v)
        y = pickle.loads(pickle.dumps(x))
        assert type(y) is type(x)
        assert numpy.array(y.item()).tobytes() == numpy.array(x.item()).tobytes()


@pytest.mark.parametrize("name", NAMES)
def test_element_to_scalar(name):
    ref_arr = numpy.array(values_for(name), dtype=name)
    arr = to_ox(ref_arr)
    for i in range(len(ref_arr)):
        same_scalar(_oxnp._element_to_scalar(arr, i), ref_arr[i])
    if name == "bool":
        assert _oxnp._element_to_scalar(arr, 0) is oxnp.True_


@pytest.mark.parametrize("name", NAMES)
def test_scalars_are_strong_0d_arrays(name):
    v = values_for(name)[1]
    for scalar in [getattr(oxnp, name)(v), np_type(name)(v)]:
        a = _oxnp._array_from_py(scalar)
        assert a.dtype.name == name and a.shape == ()
        assert a.tobytes() == numpy.array(v, dtype=name).tobytes()
    assert _oxnp._array_from_py(1.5).dtype.name == "float64"
    assert _oxnp._array_from_py(True).dtype.name == "bool"


def test_subclass_of_scalar_type():
    class MyInt(oxnp.int16):
        __slots__ = ()

    x = MyInt(5)
    assert type(x) is MyInt and x.dtype.name == "int16" and x.item() == 5
    assert oxnp.dtype(MyInt).name == "int16"


def test_abstract_types_cannot_convert():
    with pytest.raises(TypeError):
        oxnp.dtype(oxnp.number)


def test_scalars_are_not_gc_tracked_and_subclass_cleanly():
    # Concrete scalar classes are untracked like NumPy's; user subclasses stay GC types.
    import gc
    import weakref

    for name in ("bool", "int8", "uint64", "int64", "float16", "float32", "float64", "complex64", "complex128"):
        assert not gc.is_tracked(oxnp.dtype(name).type(1)), name

    class Tagged(oxnp.int64):
        pass

    class Holder:
        pass

    t = Tagged(5)
    holder = Holder()
    holder.items = [t, holder]
    assert gc.is_tracked(t) and int(t + 1) == 6
    probe = weakref.ref(holder)
    del t, holder
    gc.collect()
    assert probe() is None


SCALAR_NAMES = ["bool_", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
                "float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("name", SCALAR_NAMES)
def test_scalars_are_registered_numbers(name):
    """The numbers ABCs see oxnp's scalars as NumPy's (so NumPy's own isscalar accepts the
    numeric ones; it knows bool_ only as its own generic)."""
    ours, ref = getattr(oxnp, name)(1), getattr(numpy, name)(1)
    for abc in (numbers.Number, numbers.Complex, numbers.Real, numbers.Integral):
        assert isinstance(ours, abc) == isinstance(ref, abc), abc
    assert numpy.isscalar(ours) == (name != "bool_")
