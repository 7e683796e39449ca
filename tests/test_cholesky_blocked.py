"""NumPy's exact bits from `cholesky` of orders 33..127, where NumPy's OpenBLAS runs its
blocked single-thread `dpotrf('L')` (four column blocks, each panel solved by `trsm_kernel_RN`
and the trailing triangle updated by `syrk_kernel`).
Bitwise where NumPy's OpenBLAS runs the SkylakeX kernels."""

import numpy
import pytest

import oxnp
from helpers import to_np, to_ox
from test_mvn_bitwise import _check


def _spd(n, rng):
    b = rng.standard_normal((n, n))
    return b @ b.T + n * numpy.eye(n)


@pytest.mark.parametrize("n", [33, 34, 35, 36, 39, 40, 47, 48, 50, 63, 64, 65, 66, 80, 97, 100, 101, 126, 127])
def test_cholesky_blocked_bitwise(n):
    rng = numpy.random.default_rng(n)
    for _ in range(3):
        a = _spd(n, rng)
        _check(to_np(oxnp.linalg.cholesky(to_ox(a))), numpy.linalg.cholesky(a))


@pytest.mark.parametrize("n", [33, 48, 64, 100])
def test_cholesky_blocked_not_positive_definite(n):
    a = _spd(n, numpy.random.default_rng(n))
    a[n - 3, n - 3] = -1.0
    with pytest.raises(numpy.linalg.LinAlgError):
        numpy.linalg.cholesky(a)
    with pytest.raises(oxnp.linalg.LinAlgError):
        oxnp.linalg.cholesky(to_ox(a))
