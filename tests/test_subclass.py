"""ndarray subclasses and the ndarray constructor, against NumPy."""

import numpy
import pytest

import oxnp
from helpers import assert_same, outcome, to_ox


def _subclass(module):
    class Tagged(module.ndarray):
        def __array_finalize__(self, obj):
            self.tag = getattr(obj, "tag", "new")

    return Tagged


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_view_as_subclass_finalizes_from_the_source(module):
    tagged = _subclass(module)
    a = module.arange(6.0).reshape(2, 3)
    s = a.view(tagged)
    assert type(s) is tagged and s.tag == "new"
    assert module.shares_memory(s, a)
    s.tag = "kept"
    t = s.view(type=tagged)
    assert t.tag == "kept"
    s[0, 0] = 7.0
    assert a[0, 0] == 7.0
    assert isinstance(s, module.ndarray)


def test_view_with_dtype_and_type():
    ref = numpy.arange(4, dtype="<i4")
    got = to_ox(ref).view("u1", _subclass(oxnp))
    want = ref.view("u1", _subclass(numpy))
    assert type(got).__name__ == type(want).__name__
    assert_same(got.view(oxnp.ndarray).copy(), want.view(numpy.ndarray).copy())


@pytest.mark.parametrize("bad", [int, "f8x", object])
def test_view_type_must_be_an_ndarray_subtype(bad):
    _, e1 = outcome(lambda: oxnp.zeros(3).view(type=bad))
    _, e2 = outcome(lambda: numpy.zeros(3).view(type=bad))
    assert type(e1) is type(e2)


@pytest.mark.parametrize("kwargs", [
    {"shape": (2, 3)},
    {"shape": 4, "dtype": "i4"},
    {"shape": (2, 3), "order": "F"},
    {"shape": (0, 3)},
    {"shape": (2, 2), "strides": (8, 16)},
])
def test_constructor_without_buffer(kwargs):
    got, ref = oxnp.ndarray(**kwargs), numpy.ndarray(**kwargs)
    assert got.shape == ref.shape and got.strides == ref.strides and got.dtype.name == ref.dtype.name
    assert got.flags.writeable and got.base is None


@pytest.mark.parametrize("kwargs", [
    {"shape": (2,), "offset": 8},
    {"shape": (2, 2), "strides": (8, 16)},
    {"shape": (3,), "dtype": "i4", "offset": 4},
    {"shape": (2, 2), "order": "F"},
    {"shape": (3,), "offset": 8},
    {"shape": (5,)},
])
def test_constructor_over_a_buffer(kwargs):
    ref_buf = numpy.arange(4.0)
    got, e1 = outcome(lambda: oxnp.ndarray(buffer=to_ox(ref_buf), **kwargs))
    want, e2 = outcome(lambda: numpy.ndarray(buffer=ref_buf, **kwargs))
    assert type(e1) is type(e2), (e1, e2)
    if e2 is None:
        assert got.strides == want.strides
        assert_same(got.copy(), want.copy())


def test_constructor_refuses_negative_dimensions():
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        oxnp.ndarray((2, -1))


def test_constructor_over_bytes_is_read_only():
    raw = numpy.arange(3, dtype="<i2").tobytes()
    got = oxnp.ndarray((3,), dtype="<i2", buffer=raw)
    assert_same(got.copy(), numpy.ndarray((3,), dtype="<i2", buffer=raw).copy())
    assert not got.flags.writeable


def test_subclass_new_calls_ndarray_new():
    class Grid(oxnp.ndarray):
        def __new__(cls, shape, spacing=1.0):
            obj = super().__new__(cls, shape)
            obj.spacing = spacing
            return obj

    g = Grid((2, 3), spacing=0.5)
    assert type(g) is Grid and g.shape == (2, 3) and g.spacing == 0.5
    g[...] = 1.0
    assert float(g.sum()) == 6.0


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_array_wrap(module):
    tagged = _subclass(module)
    a = module.arange(3.0)
    s = a.view(tagged)
    assert type(s.__array_wrap__(module.arange(2.0))) is tagged
    assert type(a.__array_wrap__(module.arange(2.0))) is module.ndarray
    assert float(a.__array_wrap__(module.asarray(2.5), None, True)) == 2.5
    assert not isinstance(a.__array_wrap__(module.asarray(2.5), None, True), module.ndarray)
    assert isinstance(a.__array_wrap__(module.asarray(2.5)), module.ndarray)


def test_empty_linalg_on_a_subclass():
    tagged = _subclass(oxnp)
    a = oxnp.zeros((0, 2, 2)).view(tagged)
    assert oxnp.linalg.inv(a).shape == (0, 2, 2)
    assert oxnp.linalg.det(a).shape == (0,)
