"""oxnp's vector × matrix product (``_linalg_vecmat``, the single draw of multivariate_normal)
against NumPy's OpenBLAS ``dgemv`` at every size, bit for bit: from n·p = 9216 on, OpenBLAS
splits the product between its threads (driver/level2/gemv_thread.c), which regroups the
columns ('T') or rows ('N') its kernels see and, for few rows, sums per-thread partial
results. Checked against ``scipy_dgemv_64_`` run with 1 to 4 threads and against NumPy's
``x @ b``. Bitwise where NumPy's OpenBLAS runs its SkylakeX kernels, else to rounding."""

import ctypes

import numpy
import pytest

import openblas
import oxnp
from helpers import to_np, to_ox
from test_gemm_bitwise import LIB, _check

_oxnp = oxnp._oxnp

I64 = ctypes.c_int64
F64 = ctypes.c_double
PTR = ctypes.POINTER(ctypes.c_double)

HAS_THREADS = LIB is not None and hasattr(LIB, "scipy_openblas_set_num_threads64_")


def _dgemv(trans, m, n, a, x):
    """y = op(A)·x by NumPy's OpenBLAS (alpha 1, beta 0, unit steps, lda = m)."""
    y = numpy.full(n if trans == "T" else m, numpy.nan)
    LIB.scipy_dgemv_64_(
        ctypes.c_char_p(trans.encode()), ctypes.byref(I64(m)), ctypes.byref(I64(n)), ctypes.byref(F64(1.0)),
        a.ctypes.data_as(PTR), ctypes.byref(I64(m)), x.ctypes.data_as(PTR), ctypes.byref(I64(1)),
        ctypes.byref(F64(0.0)), y.ctypes.data_as(PTR), ctypes.byref(I64(1)), ctypes.c_size_t(1))
    return y


# n·p around the threading threshold, shares with 4-column remainders, few rows (the column
# split of 'N'), many rows (the kernel's 2048-row blocks), and sizes up to ~400.
SHAPES = [(96, 96), (96, 95), (95, 97), (100, 93), (97, 100), (128, 128), (130, 131), (200, 199), (201, 201),
          (256, 37), (37, 256), (399, 401), (400, 400), (2000, 5), (3000, 4), (2304, 4), (2305, 4), (4100, 3),
          (5000, 2), (1000, 12), (800, 13), (700, 17), (9, 1100), (4, 2400), (5, 2000), (3, 4000), (2, 5000),
          (2100, 9), (4200, 7), (10000, 1)]


@pytest.mark.skipif(not HAS_THREADS, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("threads", [1, 2, 3, 4])
@pytest.mark.parametrize("shape", SHAPES)
def test_vecmat_matches_dgemv(shape, threads):
    n, p = shape
    rng = numpy.random.default_rng(n * 7 + p + threads)
    x = rng.standard_normal(n)
    b = rng.standard_normal((n, p)) * rng.uniform(0.1, 10.0)
    with openblas.threads(threads):
        for fortran in (True, False):
            ours = _oxnp._linalg_vecmat(to_ox(x), to_ox(b), fortran)
            assert ours is not None
            if p == 1:
                ref = numpy.array([numpy.dot(x, b[:, 0])])
            elif fortran:
                ref = _dgemv("T", n, p, numpy.asfortranarray(b), x)
            else:
                ref = _dgemv("N", p, n, numpy.ascontiguousarray(b), x)
            _check(to_np(ours), ref)


@pytest.mark.parametrize("shape", [(96, 96), (97, 101), (150, 150), (200, 97), (97, 200), (333, 401), (400, 400),
                                   (3000, 5), (6, 2000)])
def test_vecmat_matches_numpy_matmul(shape):
    """With OpenBLAS's own thread count: NumPy's `x @ b` for C- and F-ordered b."""
    n, p = shape
    rng = numpy.random.default_rng(sum(shape))
    for _ in range(3):
        x = rng.standard_normal(n)
        b = rng.standard_normal(shape)
        for mat in (b, numpy.asfortranarray(b)):
            fortran = not mat.flags.c_contiguous
            ours = to_np(_oxnp._linalg_vecmat(to_ox(x), to_ox(b), fortran))
            _check(ours, x @ mat)
            _check(ours, (x[None, :] @ mat)[0])


def _spd(n, rng):
    b = rng.standard_normal((n, n))
    return b @ b.T + n * numpy.eye(n)


@pytest.mark.parametrize("n", [97, 100, 101, 111, 127, 128, 129, 150, 160, 177, 199, 200])
def test_single_draw_product(n):
    """multivariate_normal's single-draw product `x @ L.T` (L the Cholesky factor, C-ordered,
    so L.T is column-major: dgemv('T')) with the same factor on both sides."""
    rng = numpy.random.default_rng(n)
    factor = numpy.linalg.cholesky(_spd(n, rng))
    for seed in range(3):
        x = numpy.random.default_rng(seed).standard_normal((1, n))
        ref = x @ factor.T
        ours = _oxnp._linalg_vecmat(to_ox(x[0]), to_ox(factor.T), True)
        _check(to_np(ours), ref[0])


@pytest.mark.parametrize("n", [97, 100, 113, 127])
def test_single_draw_multivariate_normal(n):
    """The whole single draw (Cholesky bitwise up to 127 here) for size None and 1."""
    rng = numpy.random.default_rng(1000 + n)
    cov = _spd(n, rng)
    mean = rng.standard_normal(n)
    for seed in range(2):
        for size in (None, 1):
            ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method="cholesky")
            ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method="cholesky")
            _check(to_np(ours), ref)
