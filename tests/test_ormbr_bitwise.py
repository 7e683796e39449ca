"""The blocked Householder back-transformations behind `svd` beyond 32 (dgesdd's `dormbr`:
blocked `dormqr` / `dormlq` over the recursive `dlarft` and `dlarfb`,
crates/oxnp-kernels/src/lapack_blocked.rs), compared bit for bit with the same LAPACK routines
of NumPy's own OpenBLAS, called through ctypes on the same inputs."""

import ctypes

import numpy
import pytest

import oxnp._oxnp as _ox
from test_bdsdc_bitwise import LIB, _int, _ptr
from test_mvn_bitwise import _check

pytestmark = pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")

_C = ctypes.c_char_p
_L = ctypes.c_size_t(1)


def _qr(m, k, rng):
    """dgeqrf's reflectors of a random m x k matrix: (A column-major, tau)."""
    a = numpy.asfortranarray(rng.standard_normal((m, k)))
    tau, work, info = numpy.zeros(k), numpy.zeros(64 * (k + 1)), ctypes.c_int64(0)
    LIB.scipy_dgeqrf_64_(_int(m), _int(k), _ptr(a), _int(m), _ptr(tau), _ptr(work), _int(work.size), ctypes.byref(info))
    return a, tau


def _lq(k, n, rng):
    """dgelqf's reflectors of a random k x n matrix: (A column-major, tau)."""
    a = numpy.asfortranarray(rng.standard_normal((k, n)))
    tau, work, info = numpy.zeros(k), numpy.zeros(64 * (k + 1)), ctypes.c_int64(0)
    LIB.scipy_dgelqf_64_(_int(k), _int(n), _ptr(a), _int(k), _ptr(tau), _ptr(work), _int(work.size), ctypes.byref(info))
    return a, tau


def _flat(a):
    return numpy.asarray(a).ravel(order="F").tolist()


def _ref_larft(rowwise, n, k, v, tau):
    t = numpy.zeros((k, k), order="F")
    ldv = v.shape[0]
    LIB.scipy_dlarft_64_(_C(b"F"), _C(b"R" if rowwise else b"C"), _int(n), _int(k), _ptr(v), _int(ldv), _ptr(tau),
                         _ptr(t), _int(k), _L, _L)
    return numpy.asfortranarray(numpy.triu(t))


@pytest.mark.parametrize("rowwise", [False, True])
@pytest.mark.parametrize("n,k", [(40, 32), (33, 32), (100, 17), (64, 31), (70, 2), (128, 32), (32, 32)])
def test_larft_bitwise(rowwise, n, k):
    rng = numpy.random.default_rng(n * 100 + k)
    v, tau = _lq(k, n, rng) if rowwise else _qr(n, k, rng)
    ours = numpy.array(_ox._lapack_larft(rowwise, n, k, _flat(v), v.shape[0], tau.tolist())).reshape((k, k), order="F")
    _check(numpy.triu(ours), _ref_larft(rowwise, n, k, v, tau))


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("trans", [False, True])
@pytest.mark.parametrize("m,n,k", [(40, 50, 32), (100, 100, 32), (33, 128, 7), (128, 60, 32)])
def test_larfb_bitwise(left, trans, m, n, k):
    rng = numpy.random.default_rng(m * 7 + n * 3 + k)
    nq = m if left else n
    v, tau = _qr(nq, k, rng) if left else _lq(k, nq, rng)
    t = _ref_larft(not left, nq, k, v, tau)
    c = numpy.asfortranarray(rng.standard_normal((m, n)))
    ours = numpy.array(_ox._lapack_larfb(left, trans, m, n, k, _flat(v), v.shape[0], _flat(t), _flat(c))).reshape((m, n), order="F")
    ldw = n if left else m
    work = numpy.zeros(ldw * k)
    LIB.scipy_dlarfb_64_(_C(b"L" if left else b"R"), _C(b"T" if trans else b"N"), _C(b"F"), _C(b"C" if left else b"R"),
                         _int(m), _int(n), _int(k), _ptr(v), _int(v.shape[0]), _ptr(t), _int(k), _ptr(c), _int(m),
                         _ptr(work), _int(ldw), _L, _L, _L, _L)
    _check(ours, c)


@pytest.mark.parametrize("lq", [False, True])
@pytest.mark.parametrize("m,n,k,lwork", [(33, 33, 33, 0), (64, 64, 63, 0), (100, 100, 100, 0), (128, 128, 127, 0), (90, 40, 70, 0),
                                         (45, 100, 40, 0), (128, 128, 128, 0), (42, 42, 42, 5460), (40, 40, 39, 4960), (37, 37, 37, 4255)])
def test_orm_bitwise(lq, m, n, k, lwork):
    # lwork: the workspace (0: enough for blocks of 32); short workspace means smaller blocks.
    rng = numpy.random.default_rng(m * 1000 + n + k)
    nq = n if lq else m
    k = min(k, nq)
    a, tau = _lq(k, nq, rng) if lq else _qr(nq, k, rng)
    c = numpy.asfortranarray(rng.standard_normal((m, n)))
    work, info = numpy.zeros(lwork or 64 * (m + n) + 65 * 64), ctypes.c_int64(0)
    ours = numpy.array(_ox._lapack_orm(lq, m, n, k, _flat(a), a.shape[0], tau.tolist(), _flat(c), work.size)).reshape((m, n), order="F")
    f = LIB.scipy_dormlq_64_ if lq else LIB.scipy_dormqr_64_
    f(_C(b"R" if lq else b"L"), _C(b"N"), _int(m), _int(n), _int(k), _ptr(a), _int(a.shape[0]), _ptr(tau), _ptr(c), _int(m),
      _ptr(work), _int(work.size), ctypes.byref(info), _L, _L)
    assert info.value == 0
    _check(ours, c)
