"""`eigvalsh` bit for bit: NumPy runs `dsyevd` with JOBZ = 'N' — the blocked `dsytrd` then
`dsterf` (root-free QL / QR). oxnp's `dsterf` is compared with `scipy_dsterf_64_` from NumPy's
OpenBLAS on the same tridiagonals, then `linalg.eigvalsh` with NumPy's. `dsterf` is plain
Fortran (no BLAS call), so its bits are asserted on any core; the whole `eigvalsh` is asserted
bit for bit where NumPy's OpenBLAS runs its SkylakeX kernels, else to rounding."""

import ctypes

import numpy
import pytest

import oxnp
import openblas
from oxnp import _oxnp

LIB = openblas.exports("scipy_dsterf_64_")
BITWISE = openblas.core() == "SkylakeX"
I64 = ctypes.c_int64


def _ob_sterf(d, e):
    d = numpy.array(d, dtype=float)
    e = numpy.array(e if len(e) else [0.0], dtype=float)
    info = I64(0)
    LIB.scipy_dsterf_64_(ctypes.byref(I64(d.size)), openblas.ptr(d), openblas.ptr(e), ctypes.byref(info))
    assert info.value == 0
    return d


def _tridiagonal(n, kind, rng):
    d, e = rng.standard_normal(n), rng.standard_normal(max(n - 1, 0))
    if kind == "graded":
        d *= 10.0 ** rng.uniform(-8, 8, n)
        e *= 10.0 ** rng.uniform(-8, 8, e.size)
    elif kind == "splits" and n > 2:
        e[rng.integers(0, n - 1, size=max(1, n // 5))] = 0.0
        d[rng.integers(0, n, size=max(1, n // 7))] = 0.0
    elif kind == "tiny":
        d *= 1e-160
        e *= 1e-160
    elif kind == "huge":
        d *= 1e150
        e *= 1e150
    elif kind == "integer":
        d, e = numpy.round(3 * d), numpy.round(e)
    return d, e


def _check(ours, ref):
    ours, ref = numpy.asarray(ours), numpy.asarray(ref)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    if BITWISE:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9 * max(1.0, numpy.abs(ref).max(initial=0.0)))


@pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("kind", ["normal", "graded", "splits", "tiny", "huge", "integer"])
def test_sterf_bitwise(kind):
    rng = numpy.random.default_rng(["normal", "graded", "splits", "tiny", "huge", "integer"].index(kind))
    for n in list(range(1, 41)) + [63, 100, 257, 600]:
        d, e = _tridiagonal(n, kind, rng)
        ours = numpy.array(_oxnp._lapack_sterf(list(d), list(e)))
        ref = _ob_sterf(d, e)
        assert ours.tobytes() == ref.tobytes(), f"n={n}: max diff {numpy.max(numpy.abs(ours - ref))}"


def test_sterf_rejects_bad_lengths():
    with pytest.raises(ValueError):
        _oxnp._lapack_sterf([1.0, 2.0, 3.0], [1.0])


def _symmetric(n, seed, scale=1.0):
    x = numpy.random.default_rng(seed).standard_normal((n, n)) * scale
    return x + x.T


@pytest.mark.parametrize("n", [33, 34, 47, 64, 65, 96, 127, 200, 256])
def test_eigvalsh_lower(n):
    a = _symmetric(n, n)
    _check(oxnp.linalg.eigvalsh(oxnp.asarray(a)), numpy.linalg.eigvalsh(a))


@pytest.mark.parametrize("n", [257, 384, 1000])
def test_eigvalsh_lower_exact_reach(n):
    # beyond 256 plain eigvalsh takes faer for speed; the dsyevd route holds NumPy's bits to 1024
    a = _symmetric(n, n)
    ours = oxnp.linalg._decomp._hermitian_eig(oxnp.asarray(a), "L", False, 1024)[0]
    _check(ours, numpy.linalg.eigvalsh(a))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 16, 17, 25, 26, 32])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigvalsh_small(n, uplo):
    # dsytd2('U') is modelled bit for bit to order 16 (dsymv('U') blocks its columns beyond)
    a = _symmetric(n, 100 + n)
    ours, ref = oxnp.linalg.eigvalsh(oxnp.asarray(a), uplo), numpy.linalg.eigvalsh(a, uplo)
    if uplo == "L" or n <= 16:
        _check(ours, ref)
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * numpy.abs(ref).max())


@pytest.mark.parametrize("n", [40, 150])
def test_eigvalsh_upper_large(n):
    # UPLO='U' beyond order 32 is not NumPy's blocked dsytrd('U'): to rounding
    a = _symmetric(n, 200 + n)
    a[numpy.tril_indices(n, -1)] = 1e3  # only the upper triangle is read
    ours, ref = oxnp.linalg.eigvalsh(oxnp.asarray(a), "U"), numpy.linalg.eigvalsh(a, "U")
    numpy.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * numpy.abs(ref).max())


@pytest.mark.parametrize("scale", [1e-170, 1e-300, 1e160, 1e300])
def test_eigvalsh_scaled(scale):
    # dsyevd scales the matrix when its largest entry is tiny or huge; dsterf scales blocks
    a = _symmetric(70, 7, scale / 8)
    _check(oxnp.linalg.eigvalsh(oxnp.asarray(a)), numpy.linalg.eigvalsh(a))


def test_eigvalsh_stacked_and_float32():
    a = numpy.stack([_symmetric(40, s) for s in range(3)]).reshape(3, 1, 40, 40)
    _check(oxnp.linalg.eigvalsh(oxnp.asarray(a)), numpy.linalg.eigvalsh(a))
    f = a.astype(numpy.float32)
    _check(oxnp.linalg.eigvalsh(oxnp.asarray(f)), numpy.linalg.eigvalsh(f))


def test_eigvalsh_structured():
    # zeros, a diagonal matrix, repeated eigenvalues, an already tridiagonal matrix
    n = 50
    t = numpy.diag(numpy.arange(n, dtype=float)) + numpy.diag(numpy.ones(n - 1), 1) + numpy.diag(numpy.ones(n - 1), -1)
    for a in [numpy.zeros((n, n)), numpy.diag(numpy.arange(n, dtype=float) - 20), numpy.eye(n) * 3, t]:
        _check(oxnp.linalg.eigvalsh(oxnp.asarray(a)), numpy.linalg.eigvalsh(a))
