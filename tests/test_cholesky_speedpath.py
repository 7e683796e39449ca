"""The fast exact cholesky path (tiled chains on our own threads) and the thread rule of NumPy's
OpenBLAS dpotrf: with t threads it runs min(t, n // 64) of them, so 4, 6, 8, 16 or more threads
are reproduced too, and orders beyond 1024 (GEMM_Q-wide blocks of the single-thread driver
from 1537 on). Also the eight-column dgemv('T') path of `vecmat` (multivariate_normal's single
draws). Checked against `scipy_dpotrf_64_` / `scipy_dgemv_64_` of NumPy's OpenBLAS; bitwise
where it runs the SkylakeX kernels, to rounding elsewhere."""

import os

import numpy
import pytest

import openblas
import oxnp
from oxnp import _oxnp
from helpers import to_np, to_ox
from test_cholesky_threaded import _dpotrf_lower, _spd
from test_gemm_bitwise import _check
from test_gemv_threaded import HAS_THREADS, _dgemv

needs_lib = pytest.mark.skipif(not HAS_THREADS, reason="NumPy's OpenBLAS not found")


def _many_threads(threads, orders):
    for n in orders:
        a = _spd(n, numpy.random.default_rng(n + 31 * threads))
        with openblas.threads(threads):
            ref = _dpotrf_lower(a)
            ours = to_np(oxnp.linalg.cholesky(to_ox(a)))
        _check(ours, ref)


@needs_lib
@pytest.mark.parametrize(("threads", "orders"), [(4, [200, 227, 255, 257, 300]), (6, [383, 447])])
def test_cholesky_many_threads_bitwise(threads, orders):
    _many_threads(threads, orders)


# NumPy's OpenBLAS with many more threads than cores takes seconds per factor on a small
# machine: run these with OXNP_LONG_TESTS=1 (they pass on the 2-core development VM).
@needs_lib
@pytest.mark.skipif(not os.environ.get("OXNP_LONG_TESTS"), reason="set OXNP_LONG_TESTS=1 (OpenBLAS oversubscribed)")
@pytest.mark.parametrize(
    ("threads", "orders"),
    [(4, [128, 250, 254, 383, 520]), (6, [200, 255, 300, 384, 500]), (8, [257, 383, 500, 511, 600, 700]),
     (16, [447, 767, 1000]), (24, [1000, 1100])],
)
def test_cholesky_many_threads_bitwise_long(threads, orders):
    _many_threads(threads, orders)


@needs_lib
@pytest.mark.parametrize(("threads", "n"), [(1, 1100), (2, 1100), (1, 1600), (2, 1600)])
def test_cholesky_beyond_1024_bitwise(threads, n):
    a = _spd(n, numpy.random.default_rng(n + threads))
    with openblas.threads(threads):
        ref = _dpotrf_lower(a)
        ours = to_np(oxnp.linalg.cholesky(to_ox(a)))
    _check(ours, ref)


@needs_lib
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_cholesky_odd_blocks_bitwise(threads):
    """Orders whose panels have odd widths, row tails of every length, and tiny trailing blocks."""
    for n in (33, 47, 65, 97, 131, 133, 139, 162, 189, 221, 263, 289):
        a = _spd(n, numpy.random.default_rng(n * 3 + threads))
        with openblas.threads(threads):
            ref = _dpotrf_lower(a)
            ours = to_np(oxnp.linalg.cholesky(to_ox(a)))
        _check(ours, ref)


@pytest.mark.parametrize("n", [150, 300, 600])
def test_cholesky_not_positive_definite_fast_path(n):
    a = _spd(n, numpy.random.default_rng(n))
    a[n - 5, n - 5] = -1e6
    with pytest.raises(oxnp.linalg.LinAlgError):
        oxnp.linalg.cholesky(to_ox(a))
    with pytest.raises(numpy.linalg.LinAlgError):
        numpy.linalg.cholesky(a)


@needs_lib
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shape", [(8, 8), (9, 16), (403, 37), (401, 400), (2051, 19), (4101, 24), (6, 3000), (300, 11)])
def test_vecmat_eight_columns_bitwise(shape, threads):
    n, p = shape
    rng = numpy.random.default_rng(n + p)
    x = rng.standard_normal(n)
    b = rng.standard_normal((n, p))
    with openblas.threads(threads):
        # b column-major, as NumPy hands it to dgemv('T'); the hook borrows it without a copy
        ours = _oxnp._linalg_vecmat(to_ox(x), to_ox(numpy.ascontiguousarray(b.T)).T, True)
        ref = _dgemv("T", n, p, numpy.asfortranarray(b), x)
    _check(to_np(ours), ref)
