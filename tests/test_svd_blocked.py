"""``linalg.svd`` and ``multivariate_normal`` (method 'svd') past min(m, n) = 128, where
LAPACK's dgebrd blocks: oxnp's OpenBLAS-exact ``dgemv`` (interface, thread split, strided
vectors), ``dlabrd`` and blocked ``dgebrd`` (crates/oxnp-kernels/src/lapack_gebrd.rs) against
their twins in NumPy's OpenBLAS (``scipy_dgemv_64_``, ``scipy_dlabrd_64_``,
``scipy_dgebrd_64_``), then the whole svd and the samples against NumPy. Bitwise where NumPy's
OpenBLAS runs its SkylakeX kernels, else to rounding."""

import ctypes

import numpy
import pytest

import oxnp
import openblas
from helpers import to_np, to_ox

_oxnp = oxnp._oxnp
LIB = openblas.exports("scipy_dgemv_64_", "scipy_dlabrd_64_", "scipy_dgebrd_64_", "scipy_openblas_set_num_threads64_")
BITWISE = openblas.core() == "SkylakeX"
needs_lib = pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not loadable")

I64 = ctypes.c_int64
F64 = ctypes.c_double
PTR = ctypes.POINTER(ctypes.c_double)


def _i(v):
    return ctypes.byref(I64(v))


def _p(a):
    return a.ctypes.data_as(PTR)


def _check(ours, ref):
    ours, ref = numpy.asarray(ours, dtype=float), numpy.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    if BITWISE:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9 * max(1.0, numpy.abs(ref).max(initial=0.0)))


def _ref_dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy):
    y = y.copy()
    LIB.scipy_dgemv_64_(ctypes.c_char_p(trans.encode()), _i(m), _i(n), ctypes.byref(F64(alpha)), _p(a), _i(lda),
                        _p(x), _i(incx), ctypes.byref(F64(beta)), _p(y), _i(incy), ctypes.c_size_t(1))
    return y


GEMV_SHAPES = [(5, 3), (3, 7), (1, 5), (7, 1), (96, 97), (100, 93), (130, 131), (257, 203), (401, 37),
               (37, 401), (700, 699), (1024, 450), (1023, 450), (500, 1000)]


@needs_lib
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("trans", ["N", "T"])
def test_dgemv_general(threads, trans):
    """Strided sub-matrices, steps, alpha/beta outside {0, 1}, thread splits (multiples of four
    below m·n = 460800, not from there on)."""
    rng = numpy.random.default_rng(threads * 7 + len(trans))
    with openblas.threads(threads):
        for m, n in GEMV_SHAPES:
            big = m * n > 200000  # fewer variants on the large ones, to keep the test fast
            for incx, incy in [(1, 1), (2, 5)] if big else [(1, 1), (3, 1), (1, 2), (2, 5)]:
                for alpha, beta in [(-1.0, 1.0), (0.7, -1.3)] if big else [(1.0, 0.0), (-1.0, 1.0), (0.7, -1.3), (2.5, 0.0)]:
                    lda = m + 3
                    a = rng.standard_normal(lda * n)
                    lx, ly = (m, n) if trans == "T" else (n, m)
                    x = rng.standard_normal((lx - 1) * incx + 1)
                    y = rng.standard_normal((ly - 1) * incy + 1)
                    ref = _ref_dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
                    ours = _oxnp._lapack_dgemv(trans == "T", m, n, alpha, list(a), lda, list(x), incx, beta, list(y), incy, threads)
                    _check(ours, ref)


def _ref_labrd(m, n, nb, a):
    a = numpy.asfortranarray(a.copy())
    d, e, tq, tp = (numpy.zeros(nb) for _ in range(4))
    x, y = numpy.zeros(m * nb), numpy.zeros(n * nb)
    LIB.scipy_dlabrd_64_(_i(m), _i(n), _i(nb), _p(a), _i(m), _p(d), _p(e), _p(tq), _p(tp), _p(x), _i(m), _p(y), _i(n))
    return a.ravel(order="F"), d, e, tq, tp, x, y


def _ref_gebrd(m, n, a):
    a = numpy.asfortranarray(a.copy())
    k = min(m, n)
    d, e, tq, tp = numpy.zeros(k), numpy.zeros(max(k - 1, 1)), numpy.zeros(k), numpy.zeros(k)
    lwork = (m + n) * 32
    work = numpy.zeros(lwork)
    info = I64(0)
    LIB.scipy_dgebrd_64_(_i(m), _i(n), _p(a), _i(m), _p(d), _p(e), _p(tq), _p(tp), _p(work), _i(lwork), ctypes.byref(info))
    return a.ravel(order="F"), d, e[: k - 1], tq, tp


@needs_lib
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shape", [(40, 33), (33, 40), (160, 150), (150, 160), (300, 300), (700, 699)])
def test_dlabrd(threads, shape):
    m, n = shape
    a = numpy.random.default_rng(m + 3 * n).standard_normal(shape)
    with openblas.threads(threads):
        ours = _oxnp._lapack_labrd(m, n, 32, list(a.ravel(order="F")))
        for o, r in zip(ours, _ref_labrd(m, n, 32, a)):
            _check(o, r)


@needs_lib
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shape", [(129, 129), (161, 161), (300, 200), (200, 300), (257, 257), (500, 500), (800, 800)])
def test_dgebrd(threads, shape):
    m, n = shape
    a = numpy.random.default_rng(m + 5 * n).standard_normal(shape)
    with openblas.threads(threads):
        ours = _oxnp._lapack_gebrd(m, n, list(a.ravel(order="F")))
        for o, r in zip(ours, _ref_gebrd(m, n, a)):
            _check(o, r)


SVD_SHAPES = [(129, 129), (130, 130), (150, 150), (161, 161), (200, 200), (256, 256), (300, 300), (300, 200),
              (200, 300), (250, 140), (140, 250), (384, 384), (500, 300), (450, 450)]


def _svd(a, full):
    """oxnp's svd along dgesdd: plain `linalg.svd` to order 384, the bitwise entry point that
    multivariate_normal uses beyond (plain svd takes faer there, for speed)."""
    if min(a.shape) <= 384:
        return oxnp.linalg.svd(to_ox(a), full_matrices=full)
    return oxnp.linalg._decomp._svd_bitwise(to_ox(a), full_matrices=full)


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_svd_blocked(shape):
    rng = numpy.random.default_rng(shape[0] * 3 + shape[1])
    a = rng.standard_normal(shape)
    if shape[0] == shape[1] and shape[0] % 2 == 0:
        a = a @ a.T  # a covariance
    for full in (True, False):
        for ours, ref in zip(_svd(a, full), numpy.linalg.svd(a, full_matrices=full)):
            _check(to_np(ours), ref)


@needs_lib
@pytest.mark.parametrize(("shape", "threads"), [((400, 400), 1), ((420, 390), 1)])
def test_svd_many_row_passes(shape, threads):
    # dormbr's dtrmm calls past one 192-row pass per OpenBLAS thread
    rng = numpy.random.default_rng(shape[0] + threads)
    a = rng.standard_normal(shape)
    with openblas.threads(threads):
        for full in (True, False):
            for ours, ref in zip(_svd(a, full), numpy.linalg.svd(a, full_matrices=full)):
                _check(to_np(ours), ref)


def _cov(n, seed):
    rng = numpy.random.default_rng(seed)
    x = numpy.linspace(0.0, 1.0, n)
    k = numpy.exp(-0.5 * ((x[:, None] - x[None, :]) / 0.2) ** 2)  # a Gaussian-process kernel
    b = rng.standard_normal((n, n))
    return k + b @ b.T / n if seed % 2 else k + 1e-6 * numpy.eye(n)


@pytest.mark.parametrize("n", [129, 150, 200, 256, 300, 450])
def test_multivariate_normal_svd(n):
    import warnings

    cov = _cov(n, n)
    mean = numpy.linspace(-1.0, 1.0, n)
    for size in (None, 5, 200):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            numpy.random.seed(n)
            ref = numpy.random.multivariate_normal(mean, cov, size=size)
            oxnp.random.seed(n)
            ours = oxnp.random.multivariate_normal(to_ox(mean), to_ox(cov), size=size)
            _check(to_np(ours), ref)
            ref = numpy.random.default_rng(n).multivariate_normal(mean, cov, size=size)
            ours = oxnp.random.default_rng(n).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
            _check(to_np(ours), ref)
