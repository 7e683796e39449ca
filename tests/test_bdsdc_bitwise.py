"""`dbdsdc`'s divide-and-conquer branch (crates/oxnp-kernels/src/lapack_bdsdc.rs) against the
LAPACK routines of NumPy's own OpenBLAS, called through ctypes on the same inputs: the secular
equation solver `dlasd4` root by root, and `dbdsdc('U' | 'L', 'I')` on random, graded and
clustered bidiagonals (the latter deflate). Bitwise where NumPy's OpenBLAS runs its SkylakeX
kernels (the merges' `dgemm`, `drot` and `dnrm2` round as those do), else to rounding."""

import ctypes

import numpy
import pytest

from oxnp import _oxnp
import openblas
from test_mvn_bitwise import BITWISE


LIB = openblas.exports("scipy_dbdsdc_64_", "scipy_dlasd4_64_")
pytestmark = pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS with the ILP64 LAPACK symbols not found")


_ptr = openblas.ptr


def _int(x):
    return ctypes.byref(ctypes.c_int64(x))


def _ref_bdsdc(d, e, upper):
    n = len(d)
    d = numpy.array(d, dtype=float)
    ee = numpy.zeros(max(n, 1))
    ee[: n - 1] = e[: n - 1]
    u = numpy.zeros((n, n), order="F")
    vt = numpy.zeros((n, n), order="F")
    q, iq = numpy.zeros(1), numpy.zeros(1, dtype=numpy.int64)
    work, iwork = numpy.zeros(3 * n * n + 4 * n + 8), numpy.zeros(8 * n + 8, dtype=numpy.int64)
    info = ctypes.c_int64(0)
    LIB.scipy_dbdsdc_64_(b"U" if upper else b"L", b"I", _int(n), _ptr(d), _ptr(ee), _ptr(u), _int(n), _ptr(vt), _int(n),
                         _ptr(q), _ptr(iq), _ptr(work), _ptr(iwork), ctypes.byref(info), ctypes.c_size_t(1), ctypes.c_size_t(1))
    assert info.value == 0
    return d, u, vt


def _ref_lasd4(i, d, z, rho):
    n = len(d)
    d, z = numpy.array(d, dtype=float), numpy.array(z, dtype=float)
    delta, work = numpy.zeros(n), numpy.zeros(n)
    sigma, info = ctypes.c_double(0.0), ctypes.c_int64(0)
    LIB.scipy_dlasd4_64_(_int(n), _int(i), _ptr(d), _ptr(z), _ptr(delta), ctypes.byref(ctypes.c_double(rho)),
                         ctypes.byref(sigma), _ptr(work), ctypes.byref(info))
    assert info.value == 0
    return sigma.value, delta, work


def _same(ours, ref):
    ours, ref = numpy.asarray(ours, dtype=float), numpy.asarray(ref, dtype=float)
    assert ours.shape == ref.shape
    if BITWISE:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


def _poles(kind, n, rng):
    if kind == "uniform":
        d = rng.random(n)
    elif kind == "graded":
        d = numpy.abs(rng.standard_normal(n)) * 10.0 ** rng.integers(-8, 1, n)
    else:  # two clusters
        d = numpy.concatenate([rng.random(n // 2), 0.5 + 1e-9 * rng.random(n - n // 2)])
    d = numpy.sort(d)
    if rng.random() < 0.3:
        d[0] = 0.0
    return d


@pytest.mark.parametrize("kind", ["uniform", "graded", "clustered"])
def test_lasd4_roots_bitwise(kind):
    """Every root of the secular equation (the i = n case, dlasd5 for n = 2, the three-pole
    steps of dlaed6) with its d − sigma and d + sigma."""
    rng = numpy.random.default_rng(len(kind))
    for _ in range(40):
        n = int(rng.integers(2, 50))
        d = _poles(kind, n, rng)
        if numpy.any(numpy.diff(d) <= 0):
            continue
        z = rng.standard_normal(n)
        z /= numpy.linalg.norm(z)
        rho = float(rng.uniform(0.1, 3.0))
        for i in range(1, n + 1):
            sigma, delta, work = _oxnp._linalg_lasd4(i, list(d), list(z), rho)
            rs, rdelta, rwork = _ref_lasd4(i, d, z, rho)
            _same([sigma], [rs])
            _same(delta, rdelta)
            _same(work, rwork)


def _bidiagonal(kind, n, rng):
    if kind == "normal":
        return rng.standard_normal(n), rng.standard_normal(n - 1)
    if kind == "graded":
        return rng.random(n) * 10.0 ** rng.integers(-10, 2, n), rng.random(n - 1) * 10.0 ** rng.integers(-12, 1, n - 1)
    if kind == "repeated":  # equal diagonal values, tiny couplings: deflation by rotation
        return numpy.repeat(rng.standard_normal((n + 2) // 3), 3)[:n], 1e-9 * rng.standard_normal(n - 1)
    if kind == "clustered":
        return 1.0 + 1e-12 * rng.standard_normal(n), 1e-3 * rng.standard_normal(n - 1)
    if kind == "split":  # negligible off-diagonals: dbdsdc's independent subproblems
        e = rng.standard_normal(n - 1)
        e[rng.integers(0, n - 1, 3)] = 1e-20
        e[-1] = 1e-20
        return rng.standard_normal(n), e
    return 2.0 ** -numpy.arange(n), rng.standard_normal(n - 1) * 2.0 ** -numpy.arange(n - 1)  # geometric


@pytest.mark.parametrize("n", [26, 27, 31, 32, 33, 40, 51, 52, 64, 100, 128, 200])
@pytest.mark.parametrize("kind", ["normal", "graded", "repeated", "clustered", "split", "geometric"])
def test_bdsdc_bitwise(n, kind):
    rng = numpy.random.default_rng(1000 * n + len(kind))
    for upper in (True, False):
        d, e = _bidiagonal(kind, n, rng)
        od, ou, ovt = _oxnp._linalg_bdsdc(list(d), list(e), upper)
        rd, ru, rvt = _ref_bdsdc(d, e, upper)
        _same(od, rd)
        _same(numpy.array(ou).reshape(n, n).T, ru)
        _same(numpy.array(ovt).reshape(n, n).T, rvt)


@pytest.mark.parametrize("n", [1, 2, 5, 25])
def test_bdsdc_small_orders(n):
    """Up to 25 dbdsdc runs dlasdq alone (lapack_small's QR sweeps)."""
    rng = numpy.random.default_rng(n)
    for upper in (True, False):
        d, e = rng.standard_normal(n), rng.standard_normal(max(n - 1, 0))
        od, ou, ovt = _oxnp._linalg_bdsdc(list(d), list(e), upper)
        rd, ru, rvt = _ref_bdsdc(d, e, upper)
        _same(od, rd)
        _same(numpy.array(ou).reshape(n, n).T, ru)
        _same(numpy.array(ovt).reshape(n, n).T, rvt)


def _ref_lasd1(nl, nr, sqre, d, alpha, beta, u, vt, idxq):
    n = nl + nr + 1
    m = n + sqre
    d, u, vt = d.copy(), numpy.asfortranarray(u.copy()), numpy.asfortranarray(vt.copy())
    idxq = numpy.array(idxq, dtype=numpy.int64)
    a, b = ctypes.c_double(alpha), ctypes.c_double(beta)
    iwork, work, info = numpy.zeros(4 * n, dtype=numpy.int64), numpy.zeros(3 * m * m + 2 * m), ctypes.c_int64(0)
    LIB.scipy_dlasd1_64_(_int(nl), _int(nr), _int(sqre), _ptr(d), ctypes.byref(a), ctypes.byref(b), _ptr(u), _int(n),
                         _ptr(vt), _int(m), _ptr(idxq), _ptr(iwork), _ptr(work), ctypes.byref(info))
    assert info.value == 0
    return d, u, vt, list(idxq)


@pytest.mark.parametrize("kind", ["uniform", "graded", "pairs"])
def test_lasd1_merge_bitwise(kind):
    """One merge (deflation, secular equation, vectors) on arbitrary halves. (Not covered:
    values spread over ~25 decades with z components near 1e-23, where OpenBLAS orders two
    deflated values the other way round.)"""
    rng = numpy.random.default_rng(len(kind) + 40)

    def values(k):
        if kind == "uniform":
            return numpy.sort(rng.random(k))
        if kind == "graded":
            return numpy.sort(rng.random(k) * 10.0 ** rng.integers(-14, 1, k))
        return numpy.sort(numpy.repeat(rng.random((k + 1) // 2), 2)[:k])

    for _ in range(60):
        nl, nr, sqre = int(rng.integers(1, 30)), int(rng.integers(1, 30)), int(rng.integers(0, 2))
        n, m = nl + nr + 1, nl + nr + 1 + sqre
        d = numpy.concatenate([values(nl), [0.0], values(nr)])
        alpha, beta = rng.standard_normal(2) * (10.0 ** -rng.uniform(0, 12, 2) if kind != "uniform" else 1.0)
        u = numpy.linalg.qr(rng.standard_normal((n, n)))[0]
        vt = numpy.linalg.qr(rng.standard_normal((m, m)))[0]
        idxq = list(range(1, nl + 1)) + [0] + list(range(1, nr + 1))
        od, ou, ovt, oidx = _oxnp._linalg_lasd1(nl, nr, sqre, list(d), float(alpha), float(beta), list(u.T.ravel()), list(vt.T.ravel()), idxq)
        rd, ru, rvt, ridx = _ref_lasd1(nl, nr, sqre, d, alpha, beta, u, vt, idxq)
        _same(od, rd)
        _same(numpy.array(ou).reshape(n, n).T, ru)
        _same(numpy.array(ovt).reshape(m, m).T, rvt)
        assert oidx == ridx
