"""Scalar and finfo text. These need `_oxnp.format_scalar` (the printing helper's work);
they fail until that lands."""

import numpy
import pytest

import oxnp

NAMES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
         "float16", "float32", "float64", "complex64", "complex128"]


def np_type(name):
    return numpy.bool_ if name == "bool" else getattr(numpy, name)


@pytest.mark.parametrize("name", NAMES)
def test_scalar_repr_and_str(name):
    for v in [0, 1, 3] if name != "bool" else [True, False]:
        ours, ref = getattr(oxnp, name)(v), np_type(name)(v)
        assert repr(ours) == repr(ref)
        assert str(ours) == str(ref)


@pytest.mark.parametrize("name", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo_text(name):
    assert repr(oxnp.finfo(name)) == repr(numpy.finfo(name))
    assert str(oxnp.finfo(name)) == str(numpy.finfo(name))
