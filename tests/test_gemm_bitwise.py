"""oxnp's model of NumPy's OpenBLAS ``dgemm`` (crates/oxnp-kernels/src/gemm_skx.rs) against the
real thing, bit for bit.

Two ways in: ``_linalg_gemm(a, b)`` is a 2-D float64 ``a @ b`` with the operand roles and
transpose flags NumPy's matmul hands ``cblas_dgemm`` (compared with NumPy's ``@``), and
``_linalg_dgemm`` is the Fortran routine with every argument (compared with
``scipy_dgemm_64_`` of NumPy's bundled OpenBLAS, called through ctypes, over transposes,
alpha, beta, padded leading dimensions and shapes on both sides of each kernel threshold).
The bits are asserted where NumPy's OpenBLAS runs its SkylakeX kernels; elsewhere the results
are checked to rounding."""

import ctypes

import numpy
import pytest

import oxnp
import openblas
from helpers import to_np, to_ox

_oxnp = oxnp._oxnp

LIB = openblas.exports("scipy_dgemm_64_")
BITWISE = openblas.core() == "SkylakeX"

if LIB is not None and hasattr(LIB, "scipy_openblas_get_num_threads64_"):
    # The model splits K like OpenBLAS does for its thread count: tell it the real one.
    LIB.scipy_openblas_get_num_threads64_.restype = ctypes.c_int
    _oxnp._linalg_blas_threads(int(LIB.scipy_openblas_get_num_threads64_()))


def _check(ours, ref):
    ours, ref = numpy.asarray(ours), numpy.asarray(ref)
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    if BITWISE:
        bad = ours.view(numpy.int64) != ref.view(numpy.int64)
        assert not bad.any(), f"{bad.sum()} of {bad.size} differ, max diff {numpy.max(numpy.abs(ours - ref))}"
    else:
        numpy.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12 * max(1.0, numpy.abs(ref).max(initial=0.0)))


I64 = ctypes.c_int64
F64 = ctypes.c_double
PTR = ctypes.POINTER(ctypes.c_double)


def _reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):
    c = c.copy()
    LIB.scipy_dgemm_64_(
        ctypes.c_char_p(b"T" if ta else b"N"), ctypes.c_char_p(b"T" if tb else b"N"),
        ctypes.byref(I64(m)), ctypes.byref(I64(n)), ctypes.byref(I64(k)), ctypes.byref(F64(alpha)),
        a.ctypes.data_as(PTR), ctypes.byref(I64(lda)), b.ctypes.data_as(PTR), ctypes.byref(I64(ldb)),
        ctypes.byref(F64(beta)), c.ctypes.data_as(PTR), ctypes.byref(I64(ldc)), ctypes.c_size_t(1), ctypes.c_size_t(1))
    return c


def _dgemm_case(rng, ta, tb, m, n, k, alpha, beta, pad):
    ar, ac = (k, m) if ta else (m, k)
    br, bc = (n, k) if tb else (k, n)
    lda, ldb, ldc = max(1, ar + pad[0]), max(1, br + pad[1]), max(1, m + pad[2])
    a = rng.standard_normal(lda * max(ac, 1))
    b = rng.standard_normal(ldb * max(bc, 1))
    c = rng.standard_normal(ldc * max(n, 1))
    ref = _reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    ours = _oxnp._linalg_dgemm(bool(ta), bool(tb), m, n, k, alpha, to_ox(a), lda, to_ox(b), ldb, beta, to_ox(c), ldc)
    return to_np(ours), ref


ALPHAS = (1.0, -1.0, 0.37)
BETAS = (0.0, 1.0, -1.0, 0.5)

# (m, n, k): the small kernels (M·N·K <= 1e6) with every row tail mod 32/16/8/4/2, K below and
# above 16 (the plain kernel's dot-like tail) and 32 (transposed A); the blocked path one and
# two threads, several K blocks, the 4- and 2/1-row tails fed 12 columns at a time.
SHAPES = [
    (0, 5, 3), (4, 0, 3), (5, 4, 0), (1, 1, 1), (2, 3, 1), (3, 2, 15), (4, 4, 16), (4, 4, 300),
    (5, 7, 17), (7, 9, 8), (9, 6, 31), (12, 12, 32), (13, 11, 33), (17, 5, 64), (20, 30, 15),
    (33, 35, 40), (35, 33, 40), (36, 36, 200), (40, 28, 100), (47, 29, 63), (63, 65, 18),
    (64, 64, 64), (66, 67, 68), (99, 100, 100), (100, 100, 101), (95, 56, 118), (150, 150, 50),
    (201, 9, 700), (31, 16, 1100), (31, 17, 1100), (226, 26, 259), (250, 33, 800), (378, 31, 395),
    (300, 300, 300), (401, 97, 390), (206, 30, 400), (396, 130, 20),
]


@pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("trans", [(0, 0), (0, 1), (1, 0), (1, 1)], ids=["NN", "NT", "TN", "TT"])
def test_dgemm_matches_openblas(shape, trans):
    m, n, k = shape
    rng = numpy.random.default_rng(m * 1_000_003 + n * 1009 + k + 7 * trans[0] + 3 * trans[1])
    for i, (alpha, beta) in enumerate((al, be) for al in ALPHAS for be in BETAS):
        if max(m, n, k) > 120 and i % 3:
            continue  # the larger shapes sample the grid
        pad = (i % 3, (i // 3) % 2, i % 2)
        ours, ref = _dgemm_case(rng, trans[0], trans[1], m, n, k, alpha, beta, pad)
        _check(ours, ref)


@pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
def test_dgemm_random_shapes():
    rng = numpy.random.default_rng(2024)
    for _ in range(150):
        m, n, k = (int(x) for x in rng.integers(0, 130, 3))
        if rng.random() < 0.3:
            k = int(rng.integers(0, 40))
        ta, tb = int(rng.integers(2)), int(rng.integers(2))
        alpha, beta = ALPHAS[rng.integers(3)], BETAS[rng.integers(4)]
        pad = tuple(int(x) for x in rng.integers(0, 3, 3))
        ours, ref = _dgemm_case(rng, ta, tb, m, n, k, alpha, beta, pad)
        _check(ours, ref)


@pytest.mark.skipif(LIB is None, reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("big", [False, True])
def test_dgemm_beta_zero_ignores_c(big):
    m, n, k = (150, 120, 90) if big else (9, 7, 20)
    rng = numpy.random.default_rng(5)
    a, b = rng.standard_normal(m * k), rng.standard_normal(k * n)
    c = numpy.full(m * n, numpy.nan)
    ours = _oxnp._linalg_dgemm(False, False, m, n, k, 1.0, to_ox(a), m, to_ox(b), k, 0.0, to_ox(c), m)
    _check(to_np(ours), _reference(0, 0, m, n, k, 1.0, a, m, b, k, 0.0, c, m))
    assert not numpy.isnan(to_np(ours)).any()


MATMUL_SHAPES = [(2, 2, 2), (3, 5, 4), (33, 40, 35), (4, 300, 4), (7, 16, 9), (200, 36, 36), (36, 36, 200),
                 (25, 25, 1000), (1000, 25, 25), (64, 100, 64), (120, 130, 140), (300, 300, 300), (17, 400, 23)]


@pytest.mark.parametrize("mnp", MATMUL_SHAPES, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("orders", ["CC", "CF", "FC", "FF"])
def test_gemm_matches_numpy_matmul(mnp, orders):
    m, n, p = mnp
    rng = numpy.random.default_rng(m + 10 * n + 100 * p)
    a = rng.standard_normal((m, n))
    b = rng.standard_normal((n, p))
    a = numpy.asfortranarray(a) if orders[0] == "F" else a
    b = numpy.asfortranarray(b) if orders[1] == "F" else b
    oa, ob = (oxnp.asfortranarray(to_ox(x)) if o == "F" else to_ox(x) for x, o in zip((a, b), orders))
    assert oa.strides == a.strides and ob.strides == b.strides
    _check(to_np(_oxnp._linalg_gemm(oa, ob)), a @ b)


def test_gemm_transposed_views_and_padded_rows():
    rng = numpy.random.default_rng(11)
    base = rng.standard_normal((60, 50))
    fac = rng.standard_normal((37, 37))
    cut = [
        lambda x, f: (x[:, :37], f),
        lambda x, f: (x[:40, :37], f.T),
        lambda x, f: (x.T[:37, :45].T, f),
        lambda x, f: (f, x[:37, 3:40]),
        lambda x, f: (f.T, x.T[2:39, :30]),
    ]
    for how in cut:
        a, b = how(base, fac)
        oa, ob = how(to_ox(base), to_ox(fac))
        assert oa.strides == a.strides and ob.strides == b.strides
        _check(to_np(_oxnp._linalg_gemm(oa, ob)), a @ b)


def test_gemm_declines_what_numpy_does_not_send_to_dgemm():
    rng = numpy.random.default_rng(3)
    a = to_ox(rng.standard_normal((5, 4)))
    assert _oxnp._linalg_gemm(a[:1], to_ox(rng.standard_normal((4, 3)))) is None  # a row: gemv
    assert _oxnp._linalg_gemm(a, to_ox(rng.standard_normal((4, 1)))) is None  # a column: gemv
    assert _oxnp._linalg_gemm(a[:, :1], to_ox(rng.standard_normal((1, 3)))) is None  # outer product
    assert _oxnp._linalg_gemm(a[:, ::2], to_ox(rng.standard_normal((2, 3)))) is None  # no unit step
    assert _oxnp._linalg_gemm(a, a.T) is None  # dsyrk
    with pytest.raises(ValueError):
        _oxnp._linalg_gemm(a, a)


@pytest.mark.skipif(LIB is None or not hasattr(LIB, "scipy_openblas_set_num_threads64_"), reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("threads", [1, 3, 4, 16])
def test_dgemm_other_thread_counts(threads):
    """How OpenBLAS splits K and which elements its kernel sums in several chains depend on the
    thread count (the model's `_linalg_blas_threads`): check it with OpenBLAS set to others."""
    get, put = LIB.scipy_openblas_get_num_threads64_, LIB.scipy_openblas_set_num_threads64_
    put.argtypes = [ctypes.c_int]
    before = int(get())
    rng = numpy.random.default_rng(threads)
    try:
        put(threads)
        _oxnp._linalg_blas_threads(threads)
        for _ in range(25):
            m, n, k = (int(x) for x in rng.integers(1, 420, 3))
            ta, tb = int(rng.integers(2)), int(rng.integers(2))
            ours, ref = _dgemm_case(rng, ta, tb, m, n, k, 1.0, 0.0, (0, 1, 0))
            _check(ours, ref)
    finally:
        put(before)
        _oxnp._linalg_blas_threads(before)


def _dtrmm_reference(side, uplo, trans, diag, m, n, alpha, a, lda, b, ldb):
    b = b.copy()
    c = lambda s: ctypes.c_char_p(s.encode())  # noqa: E731
    LIB.scipy_dtrmm_64_(
        c(side), c(uplo), c(trans), c(diag), ctypes.byref(I64(m)), ctypes.byref(I64(n)), ctypes.byref(F64(alpha)),
        a.ctypes.data_as(PTR), ctypes.byref(I64(lda)), b.ctypes.data_as(PTR), ctypes.byref(I64(ldb)),
        ctypes.c_size_t(1), ctypes.c_size_t(1), ctypes.c_size_t(1), ctypes.c_size_t(1))
    return b


TRMM_SHAPES = {"L": [(1, 5), (2, 3), (5, 7), (8, 40), (13, 11), (15, 300), (24, 40), (64, 100), (200, 37), (384, 20), (77, 11), (301, 3)],
               "R": [(5, 1), (3, 2), (7, 5), (40, 8), (11, 13), (300, 15), (384, 64), (250, 200), (100, 130), (60, 384), (384, 300)]}


@pytest.mark.skipif(LIB is None or not hasattr(LIB, "scipy_dtrmm_64_"), reason="NumPy's OpenBLAS not found")
@pytest.mark.parametrize("side", ["L", "R"])
@pytest.mark.parametrize("uplo", ["U", "L"])
@pytest.mark.parametrize("trans", ["N", "T"])
@pytest.mark.parametrize("diag", ["N", "U"])
def test_dtrmm_matches_openblas(side, uplo, trans, diag):
    rng = numpy.random.default_rng(len(side + uplo + trans + diag) + 17 * (side == "L") + 5 * (uplo == "U") + 3 * (trans == "T"))
    for i, (m, n) in enumerate(TRMM_SHAPES[side]):
        k = m if side == "L" else n
        lda, ldb = k + i % 2, m + (i // 2) % 2
        a = rng.standard_normal(lda * k)
        b = rng.standard_normal(ldb * n)
        for alpha in (1.0, -1.0, 0.37):
            ref = _dtrmm_reference(side, uplo, trans, diag, m, n, alpha, a, lda, b, ldb)
            ours, exact = _oxnp._linalg_dtrmm(side == "L", uplo == "U", trans == "T", diag == "U", m, n, alpha, to_ox(a), lda, to_ox(b), ldb)
            assert exact
            _check(to_np(ours), ref)


def test_dtrmm_reports_its_range():
    a, b = to_ox(numpy.eye(20).ravel()), to_ox(numpy.ones(20 * 20))
    assert not _oxnp._linalg_dtrmm(True, True, False, False, 20, 20, 1.0, a, 20, b, 20)[1]  # rows 16..19 in a 4-row block
    assert _oxnp._linalg_dtrmm(True, True, False, False, 20, 11, 1.0, a, 20, b, 20)[1]
    assert _oxnp._linalg_dtrmm(False, True, False, False, 20, 20, 1.0, a, 20, b, 20)[1]
