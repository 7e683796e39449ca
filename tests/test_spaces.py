"""logspace and geomspace against NumPy: dtype, shape and values.

NumPy's float64 `power` and `log10` use its own AVX-512 (SVML) code on CPUs that have it,
so values are compared to 2 ulp rather than bitwise; endpoints set exactly are bitwise.
"""

import numpy
import pytest

import oxnp
from helpers import to_np

CASES = [
    dict(start=0, stop=3, num=4),
    dict(start=1, stop=2, num=7, endpoint=False),
    dict(start=0, stop=2, num=5, base=2.0),
    dict(start=[0, 1], stop=[2, 3], num=3),
    dict(start=0, stop=1, num=4, base=[2.0, 10.0], axis=1),
    dict(start=1, stop=2, num=5, dtype="float32"),
    dict(start=0, stop=2, num=0),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_logspace(kwargs):
    ref = numpy.logspace(**kwargs)
    ours = to_np(oxnp.logspace(**kwargs))
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    numpy.testing.assert_array_max_ulp(ours, ref, maxulp=2)


GEOM_CASES = [
    dict(start=1, stop=1000, num=4),
    dict(start=-1, stop=-1000, num=5),
    dict(start=1j, stop=1000j, num=4),
    dict(start=2, stop=512, num=9, endpoint=False),
    dict(start=[1, 10], stop=[100, 1000], num=3, axis=1),
    dict(start=1, stop=256, num=9, dtype="int64"),
    dict(start=1, stop=10, num=1),
]


@pytest.mark.parametrize("kwargs", GEOM_CASES)
def test_geomspace(kwargs):
    ref = numpy.geomspace(**kwargs)
    ours = to_np(oxnp.geomspace(**kwargs))
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    if ref.dtype.kind in "iu":
        numpy.testing.assert_array_equal(ours, ref)
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=4e-16, atol=0)
        assert ours.flat[0] == ref.flat[0]


def test_geomspace_rejects_zero():
    with pytest.raises(ValueError, match="cannot include zero"):
        numpy.geomspace(0, 10)
    with pytest.raises(ValueError, match="cannot include zero"):
        oxnp.geomspace(0, 10)
