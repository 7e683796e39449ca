"""Right-side `dtrmm` beyond one 192-row pass, bit for bit with NumPy's OpenBLAS
(`scipy_dtrmm_64_`) at 1-3 OpenBLAS threads: each thread's band of rows runs in passes of 192,
and the later passes sum the triangle kernel's last 1-7 rows of a pass in several chains.
`dlarfb` calls these (all eight right-side variants) on C's rows inside `dormbr` / `dormtr`.
Bits are asserted where NumPy's OpenBLAS runs its SkylakeX kernels, else to rounding."""

import ctypes

import numpy
import pytest

import openblas
from helpers import to_np, to_ox
from oxnp import _oxnp

LIB = openblas.exports("scipy_dtrmm_64_", "scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_")
BITWISE = openblas.core() == "SkylakeX"
pytestmark = pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
I64, F64 = ctypes.c_int64, ctypes.c_double
PTR = ctypes.POINTER(ctypes.c_double)

# rows around the passes' ends (tails of 1-7 rows, 8 + 4 + ...), thread bands of odd sizes,
# columns in 12-column blocks with remainders, up to one K block (384)
SHAPES = [(193, 12), (196, 24), (199, 32), (206, 13), (250, 26), (385, 40), (393, 8), (500, 32), (777, 64),
          (1000, 36), (1203, 100), (2047, 24), (600, 384)]


def _reference(uplo, trans, diag, m, n, alpha, a, lda, b, ldb):
    b = b.copy()
    c = lambda s: ctypes.c_char_p(s.encode())  # noqa: E731
    LIB.scipy_dtrmm_64_(
        c("R"), c(uplo), c(trans), c(diag), ctypes.byref(I64(m)), ctypes.byref(I64(n)), ctypes.byref(F64(alpha)),
        a.ctypes.data_as(PTR), ctypes.byref(I64(lda)), b.ctypes.data_as(PTR), ctypes.byref(I64(ldb)),
        ctypes.c_size_t(1), ctypes.c_size_t(1), ctypes.c_size_t(1), ctypes.c_size_t(1))
    return b


@pytest.fixture
def threads():
    LIB.scipy_openblas_get_num_threads64_.restype = ctypes.c_int
    LIB.scipy_openblas_set_num_threads64_.argtypes = [ctypes.c_int]
    before = int(LIB.scipy_openblas_get_num_threads64_())

    def use(t):
        LIB.scipy_openblas_set_num_threads64_(t)
        _oxnp._linalg_blas_threads(t)

    yield use
    use(before)


@pytest.mark.parametrize("nthreads", [1, 2, 3])
@pytest.mark.parametrize("uplo", ["U", "L"])
@pytest.mark.parametrize("trans", ["N", "T"])
def test_right_dtrmm_many_passes(threads, nthreads, uplo, trans):
    threads(nthreads)
    rng = numpy.random.default_rng(nthreads * 4 + 2 * (uplo == "U") + (trans == "T"))
    for i, (m, n) in enumerate(SHAPES):
        diag = "NU"[i % 2]
        lda, ldb = n + i % 3, m + (i // 3) % 2
        a = rng.standard_normal(lda * n)
        b = rng.standard_normal(ldb * n)
        alpha = (1.0, -0.75)[i % 2]
        ref = _reference(uplo, trans, diag, m, n, alpha, a, lda, b, ldb)
        ours, exact = _oxnp._linalg_dtrmm(False, uplo == "U", trans == "T", diag == "U", m, n, alpha, to_ox(a), lda, to_ox(b), ldb)
        assert exact
        ours = to_np(ours)
        if BITWISE:
            bad = numpy.flatnonzero(ours != ref)
            assert bad.size == 0, f"{m}x{n} {diag}: {bad.size} elements differ, first at {divmod(int(bad[0]), ldb)[::-1]}"
        else:
            numpy.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * numpy.abs(ref).max())


def test_reports_one_k_block():
    a, b = to_ox(numpy.eye(400).ravel()), to_ox(numpy.ones(10 * 400))
    assert _oxnp._linalg_dtrmm(False, True, False, False, 10, 384, 1.0, a, 400, b, 10)[1]
    assert not _oxnp._linalg_dtrmm(False, True, False, False, 10, 385, 1.0, a, 400, b, 10)[1]
