"""NumPy's exact bits from the small real `svd`, `eigh` and `cholesky` and from the
`multivariate_normal` streams built on them.

oxnp's small LAPACK paths (crates/oxnp-kernels/src/lapack_small.rs) perform the arithmetic of
the BLAS kernels that NumPy's bundled OpenBLAS selects on a CPU it classes as SkylakeX
(AVX-512; crates/oxnp-kernels/src/blas_skx.rs): same products, fused multiply-adds and lane
order. On a CPU where OpenBLAS picks other kernels NumPy's own last bits differ, so the
bitwise assertions run only where NumPy's OpenBLAS reports the SkylakeX core; elsewhere the
results are still checked to rounding."""

import ctypes
import warnings

import numpy
import pytest

import oxnp
import openblas
from helpers import to_np, to_ox

LA = oxnp.linalg
NLA = numpy.linalg


BITWISE = openblas.core() == "SkylakeX"


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
    """Where NumPy multiplies directly, or a single column long enough for OpenBLAS to thread
    its ddot, the product is left to matmul."""
    from oxnp import _oxnp

    for shape in ((1, 5), (10001, 1)):
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


# ---- dstedc's divide and conquer (eigh beyond order 25) -------------------------------------


_LAPACK = openblas.exports("scipy_dstedc_64_", "scipy_dlaed4_64_")
needs_lapack = pytest.mark.skipif(_LAPACK is None, reason="NumPy's OpenBLAS does not export scipy_dstedc_64_")




def _ref_dstedc(d, e):
    """OpenBLAS's dstedc('I', ...): (eigenvalues, eigenvectors)."""
    i64 = ctypes.c_int64
    n = len(d)
    d = numpy.array(d, dtype=numpy.float64)
    e = numpy.append(numpy.asarray(e, dtype=numpy.float64), 0.0)
    z = numpy.zeros((n, n), order="F")
    lwork, liwork = 1 + 4 * n + n * n, 3 + 5 * n
    work, iwork, info = numpy.zeros(lwork), numpy.zeros(liwork, dtype=numpy.int64), i64(0)
    _LAPACK.scipy_dstedc_64_(b"I", ctypes.byref(i64(n)), openblas.ptr(d), openblas.ptr(e), openblas.ptr(z), ctypes.byref(i64(n)), openblas.ptr(work),
                             ctypes.byref(i64(lwork)), openblas.ptr(iwork), ctypes.byref(i64(liwork)), ctypes.byref(info), ctypes.c_size_t(1))
    assert info.value == 0
    return d, z


def _ref_dlaed4(i, d, z, rho):
    i64 = ctypes.c_int64
    d, z = numpy.array(d, dtype=numpy.float64), numpy.array(z, dtype=numpy.float64)
    delta, lam, info = numpy.zeros(len(d)), ctypes.c_double(0.0), i64(0)
    _LAPACK.scipy_dlaed4_64_(ctypes.byref(i64(len(d))), ctypes.byref(i64(i + 1)), openblas.ptr(d), openblas.ptr(z), openblas.ptr(delta),
                             ctypes.byref(ctypes.c_double(rho)), ctypes.byref(lam), ctypes.byref(info))
    assert info.value == 0
    return lam.value, delta


@needs_lapack
@pytest.mark.parametrize("n", [3, 4, 5, 8, 13, 40, 100])
def test_dlaed4_bitwise(n):
    """The secular-equation solver (with dlaed5 / dlaed6 inside) against OpenBLAS's, root by root.
    Pure LAPACK arithmetic: exact on any CPU."""
    from oxnp import _oxnp

    rng = numpy.random.default_rng(600 + n)
    for rep in range(12):
        d = numpy.sort(rng.standard_normal(n))
        if rep % 3 == 1:  # pairs of close poles
            half = n // 2
            d = numpy.sort(numpy.concatenate([d[:half], d[: n - half] + 1e-9 * rng.standard_normal(n - half)]))
        z = rng.standard_normal(n)
        z /= numpy.linalg.norm(z)
        rho = abs(rng.standard_normal()) + 0.01
        for i in range(n):
            lam, delta = _ref_dlaed4(i, d, z, rho)
            ours, odelta = _oxnp._lapack_laed4(i, list(d), list(z), rho)
            assert ours == lam and numpy.array(odelta).tobytes() == delta.tobytes(), (n, rep, i)


def _tridiagonal(kind, n, rng):
    if kind == "rand":
        return rng.standard_normal(n), rng.standard_normal(n - 1)
    if kind == "cov":  # what eigh of a covariance hands to dstedc
        b = rng.standard_normal((n, n + 3))
        a = b @ b.T
        d, e = numpy.diag(a).copy(), numpy.zeros(n - 1)
        # Householder tridiagonalisation (any will do: a realistic spectrum and off-diagonal).
        for k in range(n - 2):
            x = a[k + 1:, k].copy()
            alpha = -numpy.copysign(numpy.linalg.norm(x), x[0])
            v = x.copy()
            v[0] -= alpha
            nv = numpy.linalg.norm(v)
            if nv == 0:
                continue
            v /= nv
            a[k + 1:, :] -= 2.0 * numpy.outer(v, v @ a[k + 1:, :])
            a[:, k + 1:] -= 2.0 * numpy.outer(a[:, k + 1:] @ v, v)
        return numpy.diag(a).copy(), numpy.diag(a, -1).copy()
    if kind == "clustered":  # few distinct values: heavy deflation
        return rng.choice([1.0, 2.0, 5.0], n) + 1e-12 * rng.standard_normal(n), 1e-9 * rng.standard_normal(n - 1)
    if kind == "wilkinson":  # pairs of nearly equal eigenvalues
        return numpy.abs(numpy.arange(n) - n // 2).astype(float), numpy.ones(n - 1)
    if kind == "split":  # negligible off-diagonals: independent blocks
        d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
        e[rng.choice(n - 1, 3, replace=False)] = 1e-20
        return d, e
    if kind == "toeplitz":
        return numpy.full(n, 2.0), numpy.ones(n - 1)
    if kind == "scaled":
        return 1e5 * rng.standard_normal(n), 1e5 * rng.standard_normal(n - 1)
    raise ValueError(kind)


@needs_lapack
@pytest.mark.parametrize("kind", ["rand", "cov", "clustered", "wilkinson", "split", "toeplitz", "scaled"])
def test_dstedc_bitwise(kind):
    """dstedc('I') on tridiagonals of orders 26..200 against OpenBLAS's: bitwise where its dgemm
    runs the SkylakeX kernels (dstedc's only BLAS-3 call), to rounding elsewhere."""
    from oxnp import _oxnp

    rng = numpy.random.default_rng(700 + len(kind))
    for n in [26, 27, 31, 32, 33, 40, 50, 51, 64, 77, 100, 128, 150, 200]:
        d, e = _tridiagonal(kind, n, rng)
        rd, rz = _ref_dstedc(d, e)
        od, oz = _oxnp._lapack_stedc(list(d), list(e))
        _check(numpy.array(od), rd)
        _check(numpy.array(oz).reshape(n, n).T, rz)


@pytest.mark.parametrize("n", range(26, 33))
@pytest.mark.parametrize("kind", ["spd", "psd", "sym"])
def test_eigh_bitwise_divide_and_conquer(n, kind):
    """Orders 26..32: dsyevd's unblocked reduction and back-transformation around dstedc's divide
    and conquer. The lower triangle (NumPy's default) is bitwise; the upper one goes through
    dsymv's upper kernel (blocked from order 16 on, not reproduced) and agrees to rounding."""
    rng = numpy.random.default_rng(800 + 10 * n + len(kind))
    for _ in range(3):
        a = _matrix(kind, n, rng)
        w, v = LA.eigh(to_ox(a))
        rw, rv = NLA.eigh(a)
        _check(to_np(w), rw)
        _check(to_np(v), rv)
        w, v = LA.eigh(to_ox(a), UPLO="U")
        rw, rv = NLA.eigh(a, UPLO="U")
        numpy.testing.assert_allclose(to_np(w), rw, rtol=1e-10, atol=1e-10 * numpy.abs(rw).max())
        if kind != "psd":  # (a repeated zero eigenvalue's vectors are any basis of its space)
            # Same signs and order: the columns agree to rounding.
            numpy.testing.assert_allclose(to_np(v), rv, rtol=0, atol=1e-8)


@pytest.mark.parametrize("n", range(26, 33))
@pytest.mark.parametrize("kind", ["spd", "psd"])
def test_multivariate_normal_eigh_divide_and_conquer(n, kind):
    """Generator.multivariate_normal(method='eigh') for 26..32-dimensional covariances."""
    rng = numpy.random.default_rng(900 + 10 * n + len(kind))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for seed in range(2):
            cov = _matrix(kind, n, rng)
            mean = rng.standard_normal(n)
            for size in (None, 5, 200):
                ref = numpy.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method="eigh")
                ours = oxnp.random.default_rng(seed).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method="eigh")
                _check(to_np(ours), ref)


@pytest.mark.parametrize("n", [33, 40, 48, 64, 100, 128])
def test_eigh_unblocked_signs(n):
    """Orders 33..128: dsyevd's steps with the reduction and back-transformation unblocked
    (LAPACK blocks them there): NumPy's eigenvalue order and eigenvector signs, to rounding —
    and so multivariate_normal(method='eigh') draws NumPy's samples to rounding."""
    rng = numpy.random.default_rng(1000 + n)
    b = rng.standard_normal((n, n))
    a = b @ b.T
    w, v = LA.eigh(to_ox(a))
    rw, rv = NLA.eigh(a)
    numpy.testing.assert_allclose(to_np(w), rw, rtol=1e-10, atol=1e-10 * rw.max())
    numpy.testing.assert_allclose(to_np(v), rv, rtol=0, atol=1e-7)
    mean = rng.standard_normal(n)
    ref = numpy.random.default_rng(1).multivariate_normal(mean, a, size=3, method="eigh")
    ours = to_np(oxnp.random.default_rng(1).multivariate_normal(to_ox(mean), to_ox(a), size=3, method="eigh"))
    numpy.testing.assert_allclose(ours, ref, rtol=1e-7, atol=1e-7 * numpy.abs(ref).max())


@pytest.mark.parametrize("shape", [(33, 33), (37, 37), (40, 40), (42, 42), (43, 43), (64, 64), (65, 65), (97, 97), (128, 128),
                                   (40, 50), (50, 40), (70, 100), (100, 70), (128, 90), (90, 128)])
def test_svd_blocked_back_transformation_bitwise(shape):
    """Past 32 dgesdd's dormbr blocks its reflectors (dlarft + dlarfb over dgemm / dtrmm,
    crates/oxnp-kernels/src/lapack_blocked.rs), in blocks of 32 or, where the workspace dgesdd
    asked for is short (square orders up to 42), smaller ones; dgebrd stays unblocked to 128."""
    rng = numpy.random.default_rng(11 * shape[0] + shape[1])
    a = _matrix("gen", shape[0], rng) if shape[0] == shape[1] else rng.standard_normal(shape)
    for full in (True, False):
        for ours, ref in zip(LA.svd(to_ox(a), full_matrices=full), NLA.svd(a, full_matrices=full)):
            _check(to_np(ours), ref)


@pytest.mark.parametrize("n", [33, 41, 48, 64, 95, 96, 128])
def test_multivariate_normal_blocked_svd_bitwise(n):
    """Covariances of order 33..128 (method svd, legacy and Generator). One draw (size None)
    goes through a vector-matrix dgemv that NumPy's OpenBLAS threads from order 96 on (modelled
    on the `gemm` branch; checked there once merged)."""
    rng = numpy.random.default_rng(700 + n)
    sizes = (None, 5, 200) if n < 96 else (5, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cov = _matrix("spd" if n % 2 else "psd", n, rng)
        mean = rng.standard_normal(n)
        for size in sizes:
            ref = numpy.random.RandomState(n).multivariate_normal(mean, cov, size=size)
            ours = oxnp.random.RandomState(n).multivariate_normal(to_ox(mean), to_ox(cov), size=size)
            _check(to_np(ours), ref)
            ref = numpy.random.default_rng(n).multivariate_normal(mean, cov, size=size, method="svd")
            ours = oxnp.random.default_rng(n).multivariate_normal(to_ox(mean), to_ox(cov), size=size, method="svd")
            _check(to_np(ours), ref)
