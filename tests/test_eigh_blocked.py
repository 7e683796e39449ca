"""`eigh` beyond order 32 bit for bit: NumPy's `dsyevd` blocks its reduction there (`dsytrd`:
`dlatrd` panels of 32 columns and a `dsyr2k` update of the trailing matrix) and its
back-transformation (`dormtr` → blocked `dormqr`). Each modelled piece is compared with its
twin in NumPy's OpenBLAS (`scipy_dsyr2k_64_`, `scipy_dsytrd_64_`, `scipy_dsyevd_64_`) at
several OpenBLAS thread counts, then `linalg.eigh` and `multivariate_normal(method='eigh')`
with NumPy. Bits are asserted where NumPy's OpenBLAS runs its SkylakeX kernels, else results
are checked to rounding."""

import ctypes

import numpy
import pytest

import oxnp
import openblas
from oxnp import _oxnp

LIB = openblas.exports("scipy_dsyr2k_64_", "scipy_dsytrd_64_", "scipy_dsyevd_64_", "scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_")
BITWISE = openblas.core() == "SkylakeX"
needs_lib = pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
I64 = ctypes.c_int64


def _ref(x):
    return ctypes.byref(x)


def _check(ours, ref, exact=None):
    ours, ref = numpy.asarray(ours, dtype=float), numpy.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    if BITWISE if exact is None else exact:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9 * max(1.0, numpy.abs(ref).max(initial=0.0)))


def _check_vectors(ours, ref, exact=None):
    """Eigenvectors: bits, or to rounding up to each column's sign off SkylakeX."""
    ours, ref = numpy.asarray(ours), numpy.asarray(ref)
    if BITWISE if exact is None else exact:
        _check(ours, ref, True)
    else:
        signs = numpy.sign(numpy.sum(ours * ref, axis=0))
        _check(ours * signs, ref, False)


def _symmetric(n, seed):
    x = numpy.random.default_rng(seed).standard_normal((n, n))
    return x + x.T


def _ob_syr2k(n, k, alpha, a, lda, b, ldb, beta, c, ldc):
    c = c.copy()
    LIB.scipy_dsyr2k_64_(b"L", b"N", _ref(I64(n)), _ref(I64(k)), _ref(ctypes.c_double(alpha)), openblas.ptr(a), _ref(I64(lda)),
                         openblas.ptr(b), _ref(I64(ldb)), _ref(ctypes.c_double(beta)), openblas.ptr(c), _ref(I64(ldc)), ctypes.c_size_t(1), ctypes.c_size_t(1))
    return c


def _ob_sytrd(a):
    n = a.shape[0]
    a = numpy.asfortranarray(a.copy())
    d, e, tau = numpy.zeros(n), numpy.zeros(n), numpy.zeros(n)
    lwork = 1 + 4 * n + 2 * n * n  # what dsyevd hands dsytrd under NumPy's workspace query
    work, info = numpy.zeros(lwork), I64(0)
    LIB.scipy_dsytrd_64_(b"L", _ref(I64(n)), openblas.ptr(a), _ref(I64(n)), openblas.ptr(d), openblas.ptr(e), openblas.ptr(tau),
                         openblas.ptr(work), _ref(I64(lwork)), _ref(info), ctypes.c_size_t(1))
    return a.ravel(order="F"), d, e[: n - 1], tau[: n - 1]


def _ob_syevd(a):
    n = a.shape[0]
    a = numpy.asfortranarray(a.copy())
    w = numpy.zeros(n)
    lwork, liwork = 1 + 6 * n + 2 * n * n, 3 + 5 * n
    work, iwork, info = numpy.zeros(lwork), numpy.zeros(liwork, dtype=numpy.int64), I64(0)
    LIB.scipy_dsyevd_64_(b"V", b"L", _ref(I64(n)), openblas.ptr(a), _ref(I64(n)), openblas.ptr(w), openblas.ptr(work), _ref(I64(lwork)),
                         openblas.ptr(iwork), _ref(I64(liwork)), _ref(info), ctypes.c_size_t(1), ctypes.c_size_t(1))
    assert info.value == 0
    return w, a.ravel(order="F")


SYR2K_SHAPES = [(1, 32), (7, 32), (16, 32), (17, 32), (31, 32), (33, 32), (40, 32), (58, 32), (95, 32), (193, 32), (385, 32), (600, 32),
                (40, 1), (40, 17), (100, 64), (300, 5), (30, 400), (10, 800)]


@needs_lib
@pytest.mark.parametrize("threads", [1, 2, 3, 4])
def test_syr2k_lower(threads):
    rng = numpy.random.default_rng(threads)
    with openblas.threads(threads):
        for n, k in SYR2K_SHAPES:
            lda, ldb, ldc = n + 3, n + 1, n + 2
            a = rng.standard_normal(lda * k)
            b = rng.standard_normal(ldb * k)
            c = rng.standard_normal(ldc * n)
            for alpha, beta in ((-1.0, 1.0), (0.7, 0.3)):
                ref = _ob_syr2k(n, k, alpha, a, lda, b, ldb, beta, c, ldc)
                ours = _oxnp._lapack_syr2k(threads, n, k, alpha, list(a), lda, list(b), ldb, beta, list(c), ldc)
                _check(ours, ref)


@needs_lib
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("n", [33, 64, 97, 200, 201, 260])
def test_sytrd_lower(n, threads):
    a = _symmetric(n, n)
    with openblas.threads(threads):
        ref = _ob_sytrd(a)
        ours = _oxnp._lapack_sytrd(threads, n, list(a.ravel(order="F")))
    for x, y in zip(ours, ref):
        _check(x, y)


@needs_lib
@pytest.mark.parametrize(("n", "threads"), [(33, 1), (65, 1), (129, 1), (192, 1), (300, 1), (65, 2), (230, 2), (384, 2), (200, 3), (300, 4),
                                          (450, 1), (520, 2)])
def test_syevd_lower(n, threads):
    a = _symmetric(n, 1000 + n)
    with openblas.threads(threads):
        w0, z0 = _ob_syevd(a)
        w1, z1 = _oxnp._lapack_syevd(threads, n, list(a.ravel(order="F")))
    _check(w1, w0)
    _check_vectors(numpy.reshape(z1, (n, n), order="F"), numpy.reshape(z0, (n, n), order="F"))


@pytest.mark.parametrize("n", [33, 48, 64, 100, 129, 200, 257, 384])
def test_eigh_matches_numpy(n):
    a = _symmetric(n, n)
    a_low = a.copy()
    a_low[numpy.triu_indices(n, 1)] = 3.0  # UPLO='L' reads only the lower triangle
    for m in (a, a_low):
        w0, v0 = numpy.linalg.eigh(m)
        w1, v1 = oxnp.linalg.eigh(oxnp.asarray(m))
        _check(numpy.asarray(w1), w0)
        _check_vectors(numpy.asarray(v1), v0)


@pytest.mark.parametrize("n", [33, 40, 64, 128, 200, 300, 450])
def test_multivariate_normal_eigh(n):
    """Past 384 plain eigh takes faer for speed; multivariate_normal keeps dsyevd's bits."""
    rng = numpy.random.default_rng(100 + n)
    x = rng.standard_normal((n, n))
    cov = x @ x.T / n
    mean = rng.standard_normal(n)
    for size in (None, 5, 200):
        ref = numpy.random.default_rng(7).multivariate_normal(mean, cov, size, method="eigh")
        ours = oxnp.random.default_rng(7).multivariate_normal(mean, cov, size, method="eigh")
        if BITWISE:
            _check(numpy.asarray(ours), ref)
        else:
            assert numpy.asarray(ours).shape == ref.shape
