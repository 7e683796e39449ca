"""NumPy's exact bits from `cholesky` of orders 128 and up, where NumPy's OpenBLAS runs its
threaded `dpotrf('L')` (lapack/potrf/potrf_parallel.c: blocks of n/2 columns factored by the
same driver down to order 4, each panel solved by `trsm_kernel_RN` and the trailing triangle
updated in kernel calls that depend on how the rows are shared between threads), or, with one
thread, the single-thread driver (row passes of 192 in its update).
Checked against `scipy_dpotrf_64_` of NumPy's OpenBLAS run with 1, 2 and 3 threads, and
against numpy.linalg.cholesky (with 4 or more threads orders from 128 on take the general
path: close, not bitwise). Bitwise where NumPy's OpenBLAS runs the SkylakeX kernels."""

import ctypes

import numpy
import pytest

import openblas
import oxnp
from helpers import to_np, to_ox
from test_gemm_bitwise import LIB, _check
from test_gemv_threaded import HAS_THREADS

I64 = ctypes.c_int64
PTR = ctypes.POINTER(ctypes.c_double)


def _spd(n, rng):
    b = rng.standard_normal((n, n))
    return b @ b.T + n * numpy.eye(n)


def _dpotrf_lower(a):
    """L from `scipy_dpotrf_64_('L')` on a copy of a (upper triangle zeroed), or None."""
    f = numpy.asfortranarray(a.copy())
    n = a.shape[0]
    info = I64(0)
    LIB.scipy_dpotrf_64_(ctypes.c_char_p(b"L"), ctypes.byref(I64(n)), f.ctypes.data_as(PTR), ctypes.byref(I64(n)),
                         ctypes.byref(info), ctypes.c_size_t(1))
    if info.value != 0:
        return None
    return numpy.tril(f)


ORDERS = [128, 129, 130, 131, 133, 136, 140, 143, 144, 150, 160, 161, 175, 190, 192, 193, 200, 223, 240, 255, 256,
          257, 270, 300, 320, 333, 350, 384, 385, 399, 400]


@pytest.mark.skipif(not HAS_THREADS, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("n", ORDERS)
def test_cholesky_matches_dpotrf(n, threads):
    rng = numpy.random.default_rng(n + 1000 * threads)
    a = _spd(n, rng)
    with openblas.threads(threads):
        ref = _dpotrf_lower(a)
        ours = to_np(oxnp.linalg.cholesky(to_ox(a)))
    _check(ours, ref)


@pytest.mark.skipif(not HAS_THREADS, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("n", [128, 255, 300])
def test_cholesky_many_threads_close(n):
    """With 4 threads (not modelled from order 128 on) the factor is still right to rounding."""
    a = _spd(n, numpy.random.default_rng(n))
    with openblas.threads(4):
        ref = _dpotrf_lower(a)
        ours = to_np(oxnp.linalg.cholesky(to_ox(a)))
    numpy.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * numpy.abs(ref).max())


@pytest.mark.parametrize("n", [128, 129, 137, 150, 163, 200, 211, 256, 290, 333, 400])
def test_cholesky_matches_numpy(n):
    """With OpenBLAS's own thread count."""
    rng = numpy.random.default_rng(n)
    for _ in range(2):
        a = _spd(n, rng)
        _check(to_np(oxnp.linalg.cholesky(to_ox(a))), numpy.linalg.cholesky(a))


@pytest.mark.parametrize("n", [128, 200, 300])
def test_cholesky_threaded_not_positive_definite(n):
    for where in (2, n // 3, n - 1):
        a = _spd(n, numpy.random.default_rng(n + where))
        a[where, where] = -1.0
        with pytest.raises(numpy.linalg.LinAlgError):
            numpy.linalg.cholesky(a)
        with pytest.raises(oxnp.linalg.LinAlgError):
            oxnp.linalg.cholesky(to_ox(a))


@pytest.mark.parametrize("n", [128, 150, 200])
def test_multivariate_normal_cholesky_large(n):
    """multivariate_normal(method='cholesky'): the factor and the product, single and many draws."""
    rng = numpy.random.default_rng(2000 + n)
    cov = _spd(n, rng)
    mean = rng.standard_normal(n)
    for seed in range(2):
        for size in (None, 1, 3):
            ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method="cholesky")
            ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method="cholesky")
            _check(to_np(ours), ref)
