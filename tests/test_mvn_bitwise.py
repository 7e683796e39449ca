"""NumPy's exact bits from the small real `svd`, `eigh` and `cholesky` and from the
`multivariate_normal` streams built on them.

oxnp's small LAPACK paths (crates/oxnp-kernels/src/lapack_small.rs) perform the arithmetic of
the BLAS kernels that NumPy's bundled OpenBLAS selects on a CPU it classes as SkylakeX
(AVX-512; crates/oxnp-kernels/src/blas_skx.rs): same products, fused multiply-adds and lane
order. On a CPU where OpenBLAS picks other kernels NumPy's own last bits differ, so the
bitwise assertions run only where NumPy's OpenBLAS reports the SkylakeX core; elsewhere the
results are still checked to rounding."""

import ctypes
import glob
import os
import warnings

import numpy
import pytest

import oxnp
from helpers import to_np, to_ox

LA = oxnp.linalg
NLA = numpy.linalg


def _openblas_core():
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in glob.glob(os.path.join(libs, "libscipy_openblas*.so*")):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            f = getattr(lib, name, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                return f().decode()
    return None


BITWISE = _openblas_core() == "SkylakeX"


def _check(ours, ref):
    """Bit-for-bit where NumPy runs the SkylakeX kernels, else to rounding."""
    ours, ref = numpy.asarray(ours), numpy.asarray(ref)
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    if BITWISE:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10 * max(1.0, numpy.abs(ref).max(initial=0.0)))


def _matrix(kind, n, rng):
    b = rng.standard_normal((n, n))
    if kind == "spd":
        return b @ b.T
    if kind == "psd":
        c = rng.standard_normal((n, max(1, n // 2)))
        return c @ c.T
    if kind == "sym":
        return b + b.T
    return b


@pytest.mark.parametrize("n", range(2, 13))
@pytest.mark.parametrize("kind", ["spd", "psd", "gen"])
def test_svd_bitwise(n, kind):
    rng = numpy.random.default_rng(100 * n + len(kind))
    for _ in range(8):
        a = _matrix(kind, n, rng)
        for full in (True, False):
            for ours, ref in zip(LA.svd(to_ox(a), full_matrices=full), NLA.svd(a, full_matrices=full)):
                _check(to_np(ours), ref)


@pytest.mark.parametrize("shape", [(16, 16), (25, 25), (4, 3), (3, 4), (8, 5), (5, 8), (6, 4), (4, 6)])
def test_svd_bitwise_other_shapes(shape):
    """Square up to dbdsdc's crossover, and the shapes dgesdd bidiagonalises directly (no QR
    first: the longer side under 11/6 of the shorter)."""
    rng = numpy.random.default_rng(sum(shape))
    for _ in range(4):
        a = rng.standard_normal(shape)
        for full in (True, False):
            for ours, ref in zip(LA.svd(to_ox(a), full_matrices=full), NLA.svd(a, full_matrices=full)):
                _check(to_np(ours), ref)


@pytest.mark.parametrize("shape", [(n, n) for n in range(26, 33)] + [(30, 40), (40, 30), (28, 50), (50, 28), (32, 45), (45, 32)])
def test_svd_divide_and_conquer_bitwise(shape):
    """Past 25 dbdsdc divides and conquers (crates/oxnp-kernels/src/lapack_bdsdc.rs); up to 32
    the rest of dgesdd stays unblocked, as oxnp runs it."""
    rng = numpy.random.default_rng(7 * shape[0] + shape[1])
    for kind in ("gen", "spd", "psd"):
        a = _matrix(kind, shape[0], rng) if shape[0] == shape[1] else rng.standard_normal(shape)
        for full in (True, False):
            for ours, ref in zip(LA.svd(to_ox(a), full_matrices=full), NLA.svd(a, full_matrices=full)):
                _check(to_np(ours), ref)


def test_svd_bitwise_structured():
    for n in (3, 5, 8):
        for a in (numpy.eye(n), numpy.diag(numpy.arange(1.0, n + 1)), numpy.triu(numpy.ones((n, n))),
                  numpy.diag([2.0] * n) + numpy.diag([1.0] * (n - 1), 1)):
            for ours, ref in zip(LA.svd(to_ox(a)), NLA.svd(a)):
                _check(to_np(ours), ref)


@pytest.mark.parametrize("n", list(range(2, 13)) + [16, 20, 25])
@pytest.mark.parametrize("kind", ["spd", "psd", "sym"])
def test_eigh_bitwise(n, kind):
    rng = numpy.random.default_rng(200 * n + len(kind))
    # dsymv's upper-triangle kernel blocks its columns from order 16 on (not reproduced).
    uplos = ("L", "U") if n <= 16 else ("L",)
    for _ in range(6):
        a = _matrix(kind, n, rng)
        for uplo in uplos:
            w, v = LA.eigh(to_ox(a), UPLO=uplo)
            rw, rv = NLA.eigh(a, UPLO=uplo)
            _check(to_np(w), rw)
            _check(to_np(v), rv)


@pytest.mark.parametrize("n", list(range(1, 13)) + [16, 25, 32])
def test_cholesky_bitwise(n):
    rng = numpy.random.default_rng(300 + n)
    for _ in range(6):
        a = _matrix("spd", n, rng) + 0.1 * numpy.eye(n)
        _check(to_np(LA.cholesky(to_ox(a))), NLA.cholesky(a))
        _check(to_np(LA.cholesky(to_ox(a), upper=True)), NLA.cholesky(a, upper=True))


def test_cholesky_not_positive_definite():
    a = numpy.array([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(numpy.linalg.LinAlgError):
        NLA.cholesky(a)
    with pytest.raises(oxnp.linalg.LinAlgError):
        LA.cholesky(to_ox(a))


@pytest.mark.parametrize("n", range(2, 9))
@pytest.mark.parametrize("kind", ["spd", "psd"])
def test_multivariate_normal_bitwise(n, kind):
    """Two draws or more: NumPy's final product `x @ factor.T` is then a dgemm, which oxnp's
    matmul matches at these orders (single draws: see below)."""
    rng = numpy.random.default_rng(400 + 10 * n + len(kind))
    methods = ("svd", "eigh", "cholesky") if kind == "spd" else ("svd", "eigh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for seed in range(4):
            cov = _matrix(kind, n, rng)
            mean = rng.standard_normal(n)
            for size in (2, 5, (2, 3)):
                ref = numpy.random.RandomState(seed).multivariate_normal(mean, cov, size=size)
                ours = oxnp.random.RandomState(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
                _check(to_np(ours), ref)
                for method in methods:
                    ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method=method)
                    ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method=method)
                    _check(to_np(ours), ref)


@pytest.mark.parametrize("n", [9, 13, 16, 20, 25])
@pytest.mark.parametrize("size", [200, 1000])
def test_multivariate_normal_many_draws_bitwise(n, size):
    """Many draws: the final product is a dgemm of a size × n by an n × n matrix, past the
    small kernels' simple cases (their dot-like tails, the blocked path for the larger ones),
    which `_linalg_gemm` reproduces."""
    rng = numpy.random.default_rng(900 + 10 * n + size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for kind in ("spd", "psd"):
            cov = _matrix(kind, n, rng)
            mean = rng.standard_normal(n)
            seed = n + size
            ref = numpy.random.RandomState(seed).multivariate_normal(mean, cov, size=size)
            ours = oxnp.random.RandomState(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
            _check(to_np(ours), ref)
            for method in ("svd", "eigh", "cholesky") if kind == "spd" else ("svd", "eigh"):
                ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method=method)
                ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method=method)
                _check(to_np(ours), ref)


@pytest.mark.parametrize("n", range(26, 33))
@pytest.mark.parametrize("kind", ["spd", "psd"])
def test_multivariate_normal_divide_and_conquer_bitwise(n, kind):
    """Covariances past 25 × 25: the svd's dbdsdc divides and conquers (method svd, the
    default, and the legacy RandomState)."""
    rng = numpy.random.default_rng(600 + 10 * n + len(kind))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for seed in range(2):
            cov = _matrix(kind, n, rng)
            mean = rng.standard_normal(n)
            for size in (None, 5, 200):
                ref = numpy.random.RandomState(seed).multivariate_normal(mean, cov, size=size)
                ours = oxnp.random.RandomState(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
                _check(to_np(ours), ref)
                ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size)
                ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
                _check(to_np(ours), ref)


@pytest.mark.parametrize("n", list(range(2, 13)) + [16, 25])
@pytest.mark.parametrize("kind", ["spd", "psd"])
def test_multivariate_normal_single_draw_bitwise(n, kind):
    """One draw (size None, 1 or (1,)): NumPy's final product is a vector times a matrix, which
    it hands to OpenBLAS's dgemv: `dgemv('T')` for the Generator's `x @ factor.T` (a
    column-major matrix), `dgemv('N')` for the legacy `dot(x, sqrt(s)[:, None] * v)`."""
    rng = numpy.random.default_rng(500 + 10 * n + len(kind))
    methods = ("svd", "eigh", "cholesky") if kind == "spd" else ("svd", "eigh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for seed in range(4):
            cov = _matrix(kind, n, rng)
            mean = rng.standard_normal(n)
            for size in (None, 1, (1,)):
                ref = numpy.random.RandomState(seed).multivariate_normal(mean, cov, size=size)
                ours = oxnp.random.RandomState(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
                _check(to_np(ours), ref)
                for method in methods:
                    ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method=method)
                    ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method=method)
                    _check(to_np(ours), ref)


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (5, 5), (7, 7), (8, 8), (3, 9), (9, 3), (6, 1),
                                   (13, 17), (32, 32), (64, 64), (95, 96), (2, 1000)])
def test_vecmat_bitwise(shape):
    """The exact vector-matrix product behind the single draw, against NumPy's matmul and dot
    with the matrix held row-major and column-major."""
    from oxnp import _oxnp

    rng = numpy.random.default_rng(sum(shape))
    for _ in range(5):
        x = rng.standard_normal(shape[0])
        b = rng.standard_normal(shape) * rng.uniform(0.1, 10.0)
        for mat in (b, numpy.asfortranarray(b)):
            fortran = not mat.flags.c_contiguous
            ours = _oxnp._linalg_vecmat(to_ox(x), to_ox(b), fortran)
            assert ours is not None
            _check(to_np(ours), (x[None, :] @ mat)[0])
            _check(to_np(ours), numpy.dot(x[None, :], mat)[0])
            _check(to_np(ours), x @ mat)


def test_vecmat_declines():
    """Sizes OpenBLAS threads (n·p ≥ 9216) or where NumPy multiplies directly are left to matmul."""
    from oxnp import _oxnp

    for shape in ((1, 5), (96, 96), (5, 2000)):
        x, b = numpy.ones(shape[0]), numpy.ones(shape)
        assert _oxnp._linalg_vecmat(to_ox(x), to_ox(b), False) is None


def test_multivariate_normal_single_draw_close():
    """Beyond the small factorisations' orders the single draw still agrees to rounding
    (svd and eigh are left out: there the singular vectors' signs, and so the samples, differ.)"""
    rng = numpy.random.default_rng(9)
    cov = _matrix("spd", 40, rng)
    mean = rng.standard_normal(40)
    for size in (None, 1):
        for method in ("cholesky",):
            ref = numpy.random.default_rng(3).multivariate_normal(mean, cov, size=size, method=method)
            ours = to_np(oxnp.random.default_rng(3).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method=method))
            numpy.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9)
