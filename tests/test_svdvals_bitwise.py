"""Singular values without vectors (crates/oxnp-kernels/src/lapack_dqds.rs): `dlasq1` (dqds)
against the routine of NumPy's own OpenBLAS on the same bidiagonals (pure LAPACK Fortran: bits
on any CPU), and `svd(compute_uv=False)` with what rests on it (`svdvals`, `matrix_rank`,
`cond`, `norm` with ord 2, -2, 'nuc') against NumPy itself: bitwise where NumPy's OpenBLAS runs
its SkylakeX kernels (dgebrd's gemv / gemm round as those do), else to rounding."""

import ctypes

import numpy
import pytest

import oxnp
from oxnp import _oxnp
import openblas
from test_mvn_bitwise import BITWISE


LIB = openblas.exports("scipy_dlasq1_64_")


def _int(x):
    return ctypes.byref(ctypes.c_int64(x))


def _ref_lasq1(d, e):
    n = len(d)
    d = numpy.array(d, dtype=float)
    ee = numpy.zeros(max(n, 1))
    ee[: n - 1] = e[: n - 1]
    work, info = numpy.zeros(4 * n + 8), ctypes.c_int64(0)
    LIB.scipy_dlasq1_64_(_int(n), openblas.ptr(d), openblas.ptr(ee), openblas.ptr(work), ctypes.byref(info))
    return d, info.value


def _bidiagonal(kind, n, rng):
    if kind == "normal":
        return rng.standard_normal(n), rng.standard_normal(n - 1)
    if kind == "graded":
        return numpy.logspace(0, -15, n) * rng.choice([-1.0, 1.0], n), numpy.logspace(-1, -16, n - 1)
    if kind == "tiny":
        return 1e-300 * rng.standard_normal(n), 1e-300 * rng.standard_normal(n - 1)
    if kind == "huge":
        return 1e300 * rng.standard_normal(n), 1e250 * rng.standard_normal(n - 1)
    if kind == "zeros":
        d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
        d[rng.integers(0, n, n // 3 + 1)] = 0.0
        if n > 1:
            e[rng.integers(0, n - 1, n // 4 + 1)] = 0.0
        return d, e
    return 1.0 + 1e-8 * rng.standard_normal(n), numpy.full(n - 1, 1e-3)  # clustered


@pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS with the ILP64 LAPACK symbols not found")
@pytest.mark.parametrize("kind", ["normal", "graded", "tiny", "huge", "zeros", "clustered"])
def test_lasq1_bitwise(kind):
    rng = numpy.random.default_rng(len(kind))
    for n in list(range(1, 41)) + [57, 100, 233, 600]:
        d, e = _bidiagonal(kind, n, rng)
        ref, info = _ref_lasq1(d, e)
        ours, _, our_info = _oxnp._linalg_lasq1(list(d), list(e))
        assert our_info == info == 0
        assert numpy.asarray(ours).tobytes() == ref.tobytes(), (n, kind)


def _same(ours, ref):
    ours = numpy.asarray(ours)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    if BITWISE and ref.dtype == numpy.float64:
        assert ours.tobytes() == ref.tobytes(), f"max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-5 if ref.dtype == numpy.float32 else 1e-12, atol=0)


# Square (dgebd2 to 128, blocked dgebrd beyond), tall / wide within 11/6 (direct), and far
# from square up to min 128 (QR / LQ first).
SHAPES = [(1, 1), (2, 2), (5, 5), (25, 25), (26, 26), (33, 33), (64, 64), (129, 129), (200, 200), (384, 384),
          (1, 7), (7, 1), (40, 60), (60, 40), (26, 47), (47, 26), (200, 100), (100, 200), (128, 240), (240, 128),
          (140, 160), (3, 4, 30)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_svd_values_bitwise(shape):
    rng = numpy.random.default_rng(sum(shape))
    for a in (rng.standard_normal(shape), 1e-160 * rng.standard_normal(shape), 1e160 * rng.standard_normal(shape)):
        _same(oxnp.linalg.svd(oxnp.asarray(a), compute_uv=False), numpy.linalg.svd(a, compute_uv=False))
    a = rng.standard_normal(shape)
    _same(oxnp.linalg.svdvals(oxnp.asarray(a)), numpy.linalg.svdvals(a))


@pytest.mark.parametrize("n", [30, 90, 150])
def test_svd_values_rank_deficient(n):
    rng = numpy.random.default_rng(n)
    a = rng.standard_normal((n, n // 3)) @ rng.standard_normal((n // 3, n))
    oa = oxnp.asarray(a)
    _same(oxnp.linalg.svd(oa, compute_uv=False), numpy.linalg.svd(a, compute_uv=False))
    assert oxnp.linalg.matrix_rank(oa) == numpy.linalg.matrix_rank(a) == n // 3


@pytest.mark.parametrize("shape", [(40, 40), (200, 200), (60, 150), (150, 60)], ids=lambda s: "x".join(map(str, s)))
def test_built_on_svd_values(shape):
    rng = numpy.random.default_rng(shape[0] + 7 * shape[1])
    a = rng.standard_normal(shape)
    oa = oxnp.asarray(a)
    for ord_ in (2, -2, "nuc"):
        _same(oxnp.linalg.norm(oa, ord=ord_), numpy.asarray(numpy.linalg.norm(a, ord=ord_)))
        _same(oxnp.linalg.matrix_norm(oa, ord=ord_), numpy.asarray(numpy.linalg.matrix_norm(a, ord=ord_)))
    if shape[0] == shape[1]:
        for p in (None, 2, -2):
            _same(oxnp.linalg.cond(oa, p), numpy.asarray(numpy.linalg.cond(a, p)))
    assert oxnp.linalg.matrix_rank(oa) == numpy.linalg.matrix_rank(a)


def test_svd_values_float32():
    """float32 runs in double and rounds once (NumPy's sgesdd: to float32 rounding)."""
    rng = numpy.random.default_rng(5)
    for shape in [(10, 10), (60, 60), (80, 30)]:
        a = rng.standard_normal(shape).astype(numpy.float32)
        _same(oxnp.linalg.svd(oxnp.asarray(a), compute_uv=False), numpy.linalg.svd(a, compute_uv=False))
