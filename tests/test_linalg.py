"""Differential tests of oxnp.linalg's decompositions and solvers against NumPy, plus the
invariants each factorisation must satisfy (Q·R = A, U·S·Vᴴ = A, A·x = b, L·Lᴴ = A, A·v = v·w).

Products are taken in NumPy on the converted results, so these tests do not depend on
oxnp.matmul. Tolerances scale with the condition number."""

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import to_np, to_ox

LA = oxnp.linalg
NLA = numpy.linalg
FLOATS = ["float32", "float64", "complex64", "complex128"]
ALL = ["bool", "int32", "int64", "uint8"] + FLOATS


def rand(shape, dtype="float64", seed=0, spd=False):
    """A well-conditioned random matrix stack (diagonally dominated) in `dtype`."""
    rng = numpy.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if numpy.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    if spd:
        a = a @ numpy.conj(numpy.swapaxes(a, -1, -2)) + shape[-1] * numpy.eye(shape[-1])
    elif len(shape) >= 2 and shape[-1] == shape[-2] and shape[-1] > 0:
        a = a + 3 * numpy.eye(shape[-1])
    if numpy.dtype(dtype).kind in "biu":
        a = numpy.round(a * 3)
        if dtype == "bool":
            # unit upper-triangular: never singular
            a = numpy.triu(a > 0, 1) | (numpy.eye(shape[-1], dtype=bool) if len(shape) >= 2 and shape[-1] == shape[-2] else False)
        elif dtype.startswith("u"):
            a = numpy.abs(a)
    return a.astype(dtype)


def eps_of(dtype):
    dt = numpy.dtype(dtype)
    return numpy.finfo(dt).eps if dt.kind in "fc" else numpy.finfo(numpy.float64).eps


def N(x):
    """NumPy view of an oxnp result (array or scalar)."""
    if isinstance(x, oxnp.ndarray):
        return to_np(x)
    return numpy.asarray(x)


def check(ours, ref, rtol=None, atol=0.0, cond=1.0):
    """Same dtype and shape as NumPy's result, values within a tolerance scaled by `cond`."""
    got = N(ours)
    ref_a = numpy.asarray(ref)
    if not isinstance(ours, oxnp.ndarray):
        # scalars: the type name (float64, complex64, ...) must match NumPy's
        assert type(ours).__name__ == type(ref).__name__, (type(ours), type(ref))
    else:
        assert isinstance(ref, numpy.ndarray), f"oxnp gave an array, NumPy {type(ref)}"
    assert got.dtype == ref_a.dtype, f"dtype {got.dtype} != {ref_a.dtype}"
    assert got.shape == ref_a.shape, f"shape {got.shape} != {ref_a.shape}"
    if rtol is None:
        rtol = 100 * eps_of(ref_a.dtype) * max(cond, 1.0)
    scale = numpy.max(numpy.abs(ref_a)) if ref_a.size else 0.0
    numpy.testing.assert_allclose(got, ref_a, rtol=rtol, atol=atol + rtol * scale)


def same_error(f_ours, f_ref):
    with pytest.raises(Exception) as ref:
        f_ref()
    with pytest.raises(Exception) as ours:
        f_ours()
    assert type(ours.value).__name__ == type(ref.value).__name__
    assert str(ours.value) == str(ref.value)
    return ours.value


# --- solve / inv ------------------------------------------------------------------------------

SOLVE_SHAPES = [
    ((3, 3), (3,)),
    ((3, 3), (3, 2)),
    ((1, 1), (1,)),
    ((2, 3, 3), (2, 3, 1)),
    ((2, 3, 3), (3,)),
    ((4, 1, 3, 3), (5, 3, 2)),
    ((2, 4, 4), (4, 0)),
    ((0, 3, 3), (0, 3, 1)),
    ((0, 0), (0,)),
]


@pytest.mark.parametrize("dtype", ALL)
@pytest.mark.parametrize("shapes", SOLVE_SHAPES, ids=str)
def test_solve(shapes, dtype):
    a = rand(shapes[0], dtype)
    b = rand(shapes[1], dtype, seed=1)
    ref = NLA.solve(a, b)
    x = LA.solve(to_ox(a), to_ox(b))
    check(x, ref, cond=20)
    if a.size and b.size:
        xn = N(x).astype(ref.dtype)
        res = a.astype(ref.dtype) @ (xn if b.ndim > 1 else xn[..., None])
        bb = b.astype(ref.dtype) if b.ndim > 1 else b.astype(ref.dtype)[..., None]
        numpy.testing.assert_allclose(res, numpy.broadcast_to(bb, res.shape),
                                      rtol=1e3 * eps_of(ref.dtype), atol=1e3 * eps_of(ref.dtype) * 10)


def test_solve_mixed_dtypes_and_lists():
    a = [[2.0, 1.0], [1.0, 3.0]]
    check(LA.solve(a, [1, 2]), NLA.solve(a, [1, 2]))
    a32 = numpy.array(a, "float32")
    check(LA.solve(to_ox(a32), to_ox(numpy.array([1, 2], "complex64"))),
          NLA.solve(a32, numpy.array([1, 2], "complex64")))
    check(LA.solve(to_ox(a32), [1.0, 2.0]), NLA.solve(a32, [1.0, 2.0]))


def test_solve_errors():
    sing = numpy.array([[1.0, 2.0], [2.0, 4.0]])
    e = same_error(lambda: LA.solve(to_ox(sing), [1.0, 2.0]), lambda: NLA.solve(sing, [1.0, 2.0]))
    assert isinstance(e, oxnp.linalg.LinAlgError) and isinstance(e, ValueError)
    same_error(lambda: LA.solve(to_ox(numpy.ones((2, 3))), [1.0, 2.0]),
               lambda: NLA.solve(numpy.ones((2, 3)), [1.0, 2.0]))
    same_error(lambda: LA.solve(to_ox(numpy.ones(3)), [1.0, 2.0]),
               lambda: NLA.solve(numpy.ones(3), [1.0, 2.0]))
    with pytest.raises(ValueError):
        LA.solve(to_ox(numpy.eye(3)), [1.0, 2.0])
    with pytest.raises(TypeError, match="float16 is unsupported in linalg"):
        LA.solve(to_ox(numpy.eye(2, dtype="float16")), [1.0, 2.0])


@pytest.mark.parametrize("dtype", ALL)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 5), (2, 4, 4), (2, 3, 2, 2), (0, 0), (2, 0, 0), (0, 3, 3)], ids=str)
def test_inv(shape, dtype):
    a = rand(shape, dtype)
    ref = NLA.inv(a)
    got = LA.inv(to_ox(a))
    check(got, ref, cond=20)
    if a.size:
        eye = numpy.broadcast_to(numpy.eye(shape[-1]), shape)
        numpy.testing.assert_allclose(a.astype(ref.dtype) @ N(got), eye, atol=1e3 * eps_of(ref.dtype))


def test_inv_errors():
    sing = numpy.zeros((2, 3, 3))
    sing[0] = numpy.eye(3)
    same_error(lambda: LA.inv(to_ox(sing)), lambda: NLA.inv(sing))
    same_error(lambda: LA.inv(to_ox(numpy.ones((2, 3)))), lambda: NLA.inv(numpy.ones((2, 3))))
    same_error(lambda: LA.inv(5.0), lambda: NLA.inv(5.0))


# --- det / slogdet ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ALL)
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (4, 4), (3, 5, 5), (2, 2, 3, 3), (0, 0), (3, 0, 0), (0, 2, 2)], ids=str)
def test_det_slogdet(shape, dtype):
    a = rand(shape, dtype, seed=3)
    check(LA.det(to_ox(a)), NLA.det(a), cond=20)
    sign, logdet = LA.slogdet(to_ox(a))
    rs, rl = NLA.slogdet(a)
    check(sign, rs, cond=20)
    check(logdet, rl, cond=20, atol=1e-12 if numpy.dtype(rl.dtype) == numpy.float64 else 1e-5)
    res = LA.slogdet(to_ox(a))
    assert type(res).__name__ == "SlogdetResult" and res.sign is res[0] and res.logabsdet is res[1]


def test_det_exact_small():
    for a in ([[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]], [[2.0]], [[1, 2], [3, 4]],
              [[1 + 1j, 2], [3, 4 - 2j]]):
        got, ref = LA.det(a), NLA.det(a)
        check(got, ref, rtol=4 * numpy.finfo(float).eps)


def test_det_singular():
    for a in (numpy.zeros((3, 3)), numpy.array([[1.0, 2.0], [2.0, 4.0]]), numpy.zeros((2, 2), complex)):
        check(LA.det(to_ox(a)), NLA.det(a))
        s, l = LA.slogdet(to_ox(a))
        rs, rl = NLA.slogdet(a)
        check(s, rs)
        check(l, rl)


# --- eig / eigvals ----------------------------------------------------------------------------

def _sorted_eigs(w):
    w = numpy.asarray(w)
    return numpy.sort_complex(w.astype(complex)) if w.ndim == 1 else numpy.array([_sorted_eigs(x) for x in w])


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (6, 6), (2, 4, 4), (0, 0), (2, 0, 0)], ids=str)
@pytest.mark.parametrize("kind", ["general", "symmetric"])
def test_eig(shape, dtype, kind):
    a = rand(shape, dtype, seed=5)
    if kind == "symmetric":
        a = (a + numpy.swapaxes(a, -1, -2)).astype(dtype)
    w, v = LA.eig(to_ox(a))
    rw, rv = NLA.eig(a)
    assert N(w).dtype == rw.dtype and N(v).dtype == rv.dtype
    assert N(w).shape == rw.shape and N(v).shape == rv.shape
    tol = 1e4 * eps_of(rw.dtype)
    numpy.testing.assert_allclose(_sorted_eigs(N(w)), _sorted_eigs(rw), rtol=tol, atol=tol * 10)
    if a.size:
        wn, vn = N(w), N(v)
        lhs = a.astype(vn.dtype) @ vn
        numpy.testing.assert_allclose(lhs, vn * wn[..., None, :], atol=tol * 30)
        numpy.testing.assert_allclose(numpy.linalg.norm(vn, axis=-2), 1.0, rtol=tol)
    ew = LA.eigvals(to_ox(a))
    rew = NLA.eigvals(a)
    assert N(ew).dtype == rew.dtype and N(ew).shape == rew.shape
    numpy.testing.assert_allclose(_sorted_eigs(N(ew)), _sorted_eigs(rew), rtol=tol, atol=tol * 10)
    res = LA.eig(to_ox(a))
    assert type(res).__name__ == "EigResult" and res.eigenvalues is res[0]


def test_eig_real_vs_complex_rule():
    rot = numpy.array([[0.0, -1.0], [1.0, 0.0]])
    w, v = LA.eig(to_ox(rot))
    assert N(w).dtype == numpy.complex128 and N(v).dtype == numpy.complex128
    diag = numpy.diag([1.0, 2.0, 3.0]).astype("float32")
    w, v = LA.eig(to_ox(diag))
    assert N(w).dtype == numpy.float32
    # one complex pair anywhere in the stack makes the whole result complex
    stack = numpy.stack([numpy.eye(2), rot])
    assert N(LA.eigvals(to_ox(stack))).dtype == numpy.complex128
    numpy.testing.assert_allclose(_sorted_eigs(N(LA.eigvals(to_ox(rot)))), [-1j, 1j], atol=1e-15)


def test_eig_errors():
    a = numpy.array([[1.0, numpy.nan], [0.0, 1.0]])
    same_error(lambda: LA.eig(to_ox(a)), lambda: NLA.eig(a))
    same_error(lambda: LA.eigvals(to_ox(a)), lambda: NLA.eigvals(a))
    same_error(lambda: LA.eig(to_ox(numpy.ones((2, 3)))), lambda: NLA.eig(numpy.ones((2, 3))))


# --- eigh / eigvalsh ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS + ["int32"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (7, 7), (2, 4, 4), (0, 0)], ids=str)
@pytest.mark.parametrize("uplo", ["L", "U", "l"])
def test_eigh(shape, dtype, uplo):
    a = rand(shape, dtype, seed=7)  # not symmetric: only the UPLO triangle is read
    rw, rv = NLA.eigh(a, UPLO=uplo)
    w, v = LA.eigh(to_ox(a), UPLO=uplo)
    check(w, rw, cond=100)
    assert N(v).dtype == rv.dtype and N(v).shape == rv.shape
    check(LA.eigvalsh(to_ox(a), UPLO=uplo), NLA.eigvalsh(a, UPLO=uplo), cond=100)
    if a.size:
        tri = numpy.tril if uplo.upper() == "L" else numpy.triu
        h = tri(a).astype(rv.dtype)
        h = h + numpy.conj(numpy.swapaxes(h, -1, -2))
        idx = numpy.arange(shape[-1])
        h[..., idx, idx] = numpy.real(a[..., idx, idx])
        vn = N(v)
        tol = 1e3 * eps_of(rv.dtype) * shape[-1]
        numpy.testing.assert_allclose(h @ vn, vn * N(w)[..., None, :], atol=tol * 10)
        numpy.testing.assert_allclose(numpy.conj(numpy.swapaxes(vn, -1, -2)) @ vn,
                                      numpy.broadcast_to(numpy.eye(shape[-1]), vn.shape), atol=tol)
    assert type(LA.eigh(to_ox(a))).__name__ == "EighResult"


def test_eigh_errors():
    same_error(lambda: LA.eigh(to_ox(numpy.eye(2)), UPLO="X"), lambda: NLA.eigh(numpy.eye(2), UPLO="X"))
    same_error(lambda: LA.eigvalsh(to_ox(numpy.ones((2, 3)))), lambda: NLA.eigvalsh(numpy.ones((2, 3))))


# --- svd --------------------------------------------------------------------------------------

SVD_SHAPES = [(1, 1), (4, 3), (3, 4), (5, 5), (2, 4, 3), (2, 3, 3, 2), (0, 3), (3, 0), (0, 0), (2, 0, 2)]


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize("shape", SVD_SHAPES, ids=str)
@pytest.mark.parametrize("full", [True, False])
def test_svd(shape, dtype, full):
    a = rand(shape, dtype, seed=9)
    ru, rs, rvh = NLA.svd(a, full_matrices=full)
    u, s, vh = LA.svd(to_ox(a), full_matrices=full)
    check(s, rs, cond=10)
    for ours, ref in ((u, ru), (vh, rvh)):
        assert N(ours).dtype == ref.dtype and N(ours).shape == ref.shape
    un, sn, vhn = N(u), N(s), N(vh)
    k = min(shape[-2:])
    if k:
        tol = 1e3 * eps_of(ru.dtype) * max(shape[-2:])
        rec = (un[..., :, :k] * sn[..., None, :]) @ vhn[..., :k, :]
        numpy.testing.assert_allclose(rec, a.astype(ru.dtype), atol=tol * numpy.abs(a).max() * 10)
        for q in (un, numpy.swapaxes(vhn, -1, -2)):
            qh = numpy.conj(numpy.swapaxes(q, -1, -2))
            numpy.testing.assert_allclose(qh @ q, numpy.broadcast_to(numpy.eye(q.shape[-1]), qh.shape[:-1] + (q.shape[-1],)), atol=tol)
    check(LA.svd(to_ox(a), compute_uv=False), NLA.svd(a, compute_uv=False), cond=10)
    check(LA.svdvals(to_ox(a)), NLA.svdvals(a), cond=10)
    assert type(LA.svd(to_ox(a))).__name__ == "SVDResult"


@pytest.mark.parametrize("dtype", ["float64", "complex128", "float32"])
def test_svd_hermitian(dtype):
    a = rand((2, 4, 4), dtype, seed=11)
    a = (a + numpy.conj(numpy.swapaxes(a, -1, -2))).astype(dtype)
    a[1, 0] = 0
    a[1, :, 0] = 0  # a zero eigenvalue
    ru, rs, rvh = NLA.svd(a, hermitian=True)
    u, s, vh = LA.svd(to_ox(a), hermitian=True)
    check(s, rs, cond=10)
    assert N(u).dtype == ru.dtype and N(vh).shape == rvh.shape
    rec = (N(u) * N(s)[..., None, :]) @ N(vh)
    numpy.testing.assert_allclose(rec, a, atol=1e3 * eps_of(dtype) * 10)
    check(LA.svd(to_ox(a), compute_uv=False, hermitian=True), NLA.svd(a, compute_uv=False, hermitian=True), cond=10)


def test_svd_errors():
    same_error(lambda: LA.svd(to_ox(numpy.ones(3))), lambda: NLA.svd(numpy.ones(3)))


# --- qr -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS + ["int32"])
@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (3, 4), (4, 4), (2, 5, 3), (2, 2, 3, 5), (0, 3), (3, 0)], ids=str)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r", "raw"])
def test_qr(shape, dtype, mode):
    a = rand(shape, dtype, seed=13)
    ref = NLA.qr(a, mode=mode)
    got = LA.qr(to_ox(a), mode=mode)
    if mode == "r":
        check(got, ref, cond=10)
        return
    assert type(got).__name__ == type(ref).__name__
    # Signs follow LAPACK's Householder convention, so the factors match NumPy's themselves.
    check(got[0], ref[0], cond=10)
    check(got[1], ref[1], cond=10)
    if mode != "raw" and a.size:
        q, r = N(got[0]), N(got[1])
        numpy.testing.assert_allclose(q @ r, a.astype(q.dtype), atol=1e3 * eps_of(q.dtype) * numpy.abs(a).max())


@pytest.mark.parametrize("zero_col", [0, 3])
@pytest.mark.parametrize("shape", [(6, 6), (80, 80), (90, 70)], ids=str)
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_zero_column(shape, zero_col, mode):
    # LAPACK reflects every column; a zero column must not change the later factors
    a = numpy.random.default_rng(2).standard_normal(shape)
    a[:, zero_col] = 0
    ref = NLA.qr(a, mode=mode)
    got = LA.qr(to_ox(a), mode=mode)
    check(got[0], ref[0], cond=100)
    check(got[1], ref[1], cond=100)


def test_qr_modes():
    same_error(lambda: LA.qr(to_ox(numpy.eye(2)), mode="bad"), lambda: NLA.qr(numpy.eye(2), mode="bad"))
    same_error(lambda: LA.qr(to_ox(numpy.ones(2))), lambda: NLA.qr(numpy.ones(2)))
    with pytest.warns(DeprecationWarning):
        q, r = LA.qr(to_ox(numpy.eye(2)), mode="full")


# --- cholesky -----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (6, 6), (2, 4, 4), (0, 0), (2, 0, 0)], ids=str)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(shape, dtype, upper):
    a = rand(shape, dtype, seed=15, spd=True)
    if numpy.dtype(dtype).kind in "iu":
        a = (rand(shape, "float64", seed=15, spd=True) * 4).round().astype(dtype)
        a = (a + numpy.swapaxes(a, -1, -2)) // 2 + 4 * shape[-1] * numpy.eye(shape[-1], dtype=dtype) if shape[-1] else a
    # garbage in the ignored triangle
    ref = NLA.cholesky(a, upper=upper)
    got = LA.cholesky(to_ox(a), upper=upper)
    check(got, ref, cond=100)
    if a.size:
        g = N(got)
        gh = numpy.conj(numpy.swapaxes(g, -1, -2))
        rec = gh @ g if upper else g @ gh
        numpy.testing.assert_allclose(rec, a.astype(g.dtype), rtol=1e3 * eps_of(g.dtype), atol=1e3 * eps_of(g.dtype) * numpy.abs(a).max())
        # ?potrf's diagonal is real: no imaginary residue
        assert not numpy.diagonal(g, axis1=-2, axis2=-1).imag.any()


def test_cholesky_errors():
    a = numpy.array([[1.0, 2.0], [2.0, 1.0]])
    e = same_error(lambda: LA.cholesky(to_ox(a)), lambda: NLA.cholesky(a))
    assert isinstance(e, LA.LinAlgError)
    same_error(lambda: LA.cholesky(to_ox(-numpy.eye(3)), upper=True), lambda: NLA.cholesky(-numpy.eye(3), upper=True))
    same_error(lambda: LA.cholesky(to_ox(numpy.ones((3, 2)))), lambda: NLA.cholesky(numpy.ones((3, 2))))


# --- lstsq / pinv / matrix_rank / cond ---------------------------------------------------------

LSTSQ_CASES = [((6, 3), (6,)), ((6, 3), (6, 2)), ((3, 6), (3,)), ((4, 4), (4, 1)), ((5, 3), (5, 0)),
               ((0, 3), (0,)), ((3, 0), (3, 2))]


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
@pytest.mark.parametrize("shapes", LSTSQ_CASES, ids=str)
@pytest.mark.parametrize("deficient", [False, True])
def test_lstsq(shapes, dtype, deficient):
    a = rand(shapes[0], dtype, seed=17)
    if deficient and a.shape[1] > 1 and a.shape[0]:
        a[:, -1] = a[:, 0]
    b = rand(shapes[1], dtype, seed=18)
    rx, rres, rrank, rs = NLA.lstsq(a, b)
    x, res, rank, s = LA.lstsq(to_ox(a), to_ox(b))
    assert rank == rrank and type(rank).__name__ == type(rrank).__name__
    check(s, rs, cond=10)
    check(x, rx, cond=1e3)
    check(res, rres, cond=1e4)


def test_lstsq_rcond_and_errors():
    a = numpy.array([[1.0, 0.0], [0.0, 1e-10], [0.0, 0.0]])
    b = numpy.array([1.0, 1.0, 1.0])
    for rcond in (None, -1, 0, 2.0, 1e-5, 1e-12):
        rx, rres, rrank, rs = NLA.lstsq(a, b, rcond=rcond)
        x, res, rank, s = LA.lstsq(to_ox(a), to_ox(b), rcond=rcond)
        assert rank == rrank
        check(x, rx, rtol=1e-8)
    same_error(lambda: LA.lstsq(to_ox(numpy.ones((3, 2))), numpy.ones(4)),
               lambda: NLA.lstsq(numpy.ones((3, 2)), numpy.ones(4)))


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int32"])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3), (2, 4, 3), (0, 3), (2, 0, 3)], ids=str)
def test_pinv(shape, dtype):
    a = rand(shape, dtype, seed=19)
    check(LA.pinv(to_ox(a)), NLA.pinv(a), cond=1e3)
    if a.dtype.kind in "fc":  # NumPy's finfo refuses integer dtypes there
        check(LA.pinv(to_ox(a), rtol=None), NLA.pinv(a, rtol=None), cond=1e3)
    check(LA.pinv(to_ox(a), rcond=0.5), NLA.pinv(a, rcond=0.5), cond=1e3)
    if shape[-1] == shape[-2]:
        h = (a + numpy.conj(numpy.swapaxes(a, -1, -2))).astype(a.dtype)
        check(LA.pinv(to_ox(h), hermitian=True), NLA.pinv(h, hermitian=True), cond=1e4)


def test_pinv_rank_deficient():
    a = numpy.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    check(LA.pinv(to_ox(a)), NLA.pinv(a), cond=1e3)
    with pytest.raises(ValueError):
        LA.pinv(to_ox(a), rcond=1e-3, rtol=1e-3)


@pytest.mark.parametrize("hermitian", [False, True])
def test_matrix_rank(hermitian):
    cases = [numpy.eye(4), numpy.zeros((3, 3)), numpy.ones((4, 4)), numpy.array([[1.0, 2.0], [2.0, 4.0]]),
             rand((3, 4, 4), seed=21), numpy.diag([1.0, 1e-20, 1.0])]
    if not hermitian:
        cases += [numpy.ones((3, 5)), numpy.ones(5), numpy.zeros(4)]
    for a in cases:
        if hermitian and a.ndim >= 2:
            a = a + numpy.swapaxes(a, -1, -2)
        got, ref = LA.matrix_rank(to_ox(a), hermitian=hermitian), NLA.matrix_rank(a, hermitian=hermitian)
        assert N(got).tolist() == numpy.asarray(ref).tolist()
    a = numpy.diag([1.0, 1e-3, 1e-8])
    for kw in ({"tol": 1e-4}, {"rtol": 1e-5}, {"rtol": 1e-2}):
        assert int(LA.matrix_rank(to_ox(a), **kw)) == int(NLA.matrix_rank(a, **kw))


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", numpy.inf, -numpy.inf, 1, -1])
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64"])
def test_cond(p, dtype):
    for a in (rand((4, 4), dtype, seed=23), rand((2, 3, 3), dtype, seed=24)):
        check(LA.cond(to_ox(a), p), NLA.cond(a, p), cond=1e3)
    sing = numpy.array([[1.0, 2.0], [2.0, 4.0]], dtype)
    if p == "nuc":  # NumPy: the SVD of the NaN inverse does not converge
        same_error(lambda: LA.cond(to_ox(sing), p), lambda: NLA.cond(sing, p))
        return
    got, ref = N(LA.cond(to_ox(sing), p)), NLA.cond(sing, p)
    assert numpy.isinf(got) == numpy.isinf(ref) or got > 1e15


def test_cond_errors():
    same_error(lambda: LA.cond(to_ox(numpy.zeros((0, 0)))), lambda: NLA.cond(numpy.zeros((0, 0))))
    same_error(lambda: LA.cond(to_ox(numpy.ones((2, 3))), 1), lambda: NLA.cond(numpy.ones((2, 3)), 1))


# --- tensorsolve / tensorinv -------------------------------------------------------------------

def test_tensorsolve_tensorinv():
    a = rand((6, 4), seed=25).reshape(2, 3, 4)
    a = numpy.eye(6).reshape(6, 2, 3) * 3 + rand((6, 2, 3), seed=26)
    b = rand((6,), seed=27)
    check(LA.tensorsolve(to_ox(a), to_ox(b)), NLA.tensorsolve(a, b), cond=100)
    a2 = (numpy.eye(24) * 4 + rand((24, 24), seed=28) * 0.1).reshape(4, 6, 8, 3)
    check(LA.tensorinv(to_ox(a2), ind=2), NLA.tensorinv(a2, ind=2), cond=100)
    b2 = rand((4, 6), seed=29)
    check(LA.tensorsolve(to_ox(a2), to_ox(b2)), NLA.tensorsolve(a2, b2), cond=100)
    a3 = numpy.eye(12).reshape(3, 4, 2, 6) + 0.0
    check(LA.tensorsolve(to_ox(a3), to_ox(rand((2, 6), seed=30)), axes=(0, 1)),
          NLA.tensorsolve(a3, rand((2, 6), seed=30), axes=(0, 1)))
    same_error(lambda: LA.tensorinv(to_ox(a2), ind=0), lambda: NLA.tensorinv(a2, ind=0))
    same_error(lambda: LA.tensorsolve(to_ox(numpy.ones((2, 3))), to_ox(numpy.ones(2))),
               lambda: NLA.tensorsolve(numpy.ones((2, 3)), numpy.ones(2)))


# --- property-based: random well-conditioned matrices ---------------------------------------------

@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 8), k=st.integers(1, 3), seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from(["float64", "complex128", "float32"]))
def test_hypothesis_solve_inv_det(n, k, seed, dtype):
    rng = numpy.random.default_rng(seed)
    q, _ = numpy.linalg.qr(rng.standard_normal((n, n)))
    cond = float(rng.uniform(1, 1e3))
    sv = numpy.geomspace(1, 1 / cond, n)
    a = (q * sv) @ numpy.linalg.qr(rng.standard_normal((n, n)))[0].T
    if dtype.startswith("complex"):
        a = a + 1j * 0.1 * (q * sv) @ q.T
    a = a.astype(dtype)
    b = rng.standard_normal((n, k)).astype(dtype)
    check(LA.solve(to_ox(a), to_ox(b)), NLA.solve(a, b), cond=cond * n)
    check(LA.inv(to_ox(a)), NLA.inv(a), cond=cond * n)
    check(LA.det(to_ox(a)), NLA.det(a), cond=cond * n)
    check(LA.svdvals(to_ox(a)), NLA.svdvals(a), cond=n, atol=10 * n * eps_of(dtype))
    q2, r2 = LA.qr(to_ox(a))
    numpy.testing.assert_allclose(N(q2) @ N(r2), a, atol=100 * n * eps_of(dtype))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 7), seed=st.integers(0, 2**32 - 1))
def test_hypothesis_spd(n, seed):
    rng = numpy.random.default_rng(seed)
    m = rng.standard_normal((n, n))
    a = m @ m.T + n * numpy.eye(n)
    check(LA.cholesky(to_ox(a)), NLA.cholesky(a), cond=100)
    w, v = LA.eigh(to_ox(a))
    check(w, NLA.eigvalsh(a), cond=100)
    numpy.testing.assert_allclose(a @ N(v), N(v) * N(w), atol=1e-10 * n * numpy.abs(a).max())


def test_linalg_error_class():
    assert issubclass(LA.LinAlgError, ValueError)
    assert LA.LinAlgError is oxnp.exceptions.LinAlgError


# --- stacks of small matrices (the direct LU path, n <= 16) ---------------------------------------

SMALL_ORDERS = [1, 2, 3, 4, 5, 8, 9, 16, 17]


@pytest.mark.parametrize("n", SMALL_ORDERS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_small_stacks_solve_inv_det(n, dtype):
    a = rand((70, n, n), dtype, seed=n)
    b = rand((70, n, 3), dtype, seed=n + 100)
    v = rand((n,), dtype, seed=n + 200)
    check(LA.solve(to_ox(a), to_ox(b)), NLA.solve(a, b), cond=10)
    check(LA.solve(to_ox(a), to_ox(v)), NLA.solve(a, v), cond=10)
    check(LA.inv(to_ox(a)), NLA.inv(a), cond=10)
    check(LA.det(to_ox(a)), NLA.det(a), cond=10)
    s, l = LA.slogdet(to_ox(a))
    rs, rl = NLA.slogdet(a)
    check(s, rs, cond=10)
    check(l, rl, cond=10)


def test_small_lu_pivoting_matches_lapack():
    """Exactly representable results need the same pivots as getrf: permutation matrices,
    integer matrices with ties in the pivot column, a zero leading entry."""
    rng = numpy.random.default_rng(7)
    mats = [numpy.eye(4)[rng.permutation(4)] for _ in range(20)]
    mats += [rng.integers(-3, 4, (3, 3)).astype(float) for _ in range(200)]
    mats.append(numpy.array([[0.0, 2.0], [1.0, 1.0]]))
    mats.append(numpy.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [1.0, -2.0, 0.0]]))
    for m in mats:
        ref = NLA.det(m)
        got = N(LA.det(to_ox(m)))
        numpy.testing.assert_allclose(got, ref, rtol=1e-13, atol=1e-13)
        rs, rl = NLA.slogdet(m)
        s, l = LA.slogdet(to_ox(m))
        assert N(s) == rs
        if numpy.isfinite(rl):
            numpy.testing.assert_allclose(N(l), rl, rtol=1e-13, atol=1e-14)
        else:
            assert N(l) == rl


def test_small_stack_with_a_singular_matrix():
    a = rand((200, 3, 3), seed=3)
    a[117] = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 1.0]]  # exactly singular
    same_error(lambda: LA.solve(to_ox(a), to_ox(a)), lambda: NLA.solve(a, a))
    same_error(lambda: LA.inv(to_ox(a)), lambda: NLA.inv(a))
    check(LA.det(to_ox(a)), NLA.det(a), cond=10)
    s, l = LA.slogdet(to_ox(a))
    rs, rl = NLA.slogdet(a)
    assert N(s)[117] == rs[117] == 0 and N(l)[117] == rl[117] == -numpy.inf
    # cond inverts with NaNs instead of raising: the singular matrix gets an infinite 1-norm
    # condition number, the others NumPy's values
    got, ref = N(LA.cond(to_ox(a), 1)), NLA.cond(a, 1)
    assert got.dtype == ref.dtype and numpy.isinf(got[117]) and numpy.isinf(ref[117])
    numpy.testing.assert_allclose(numpy.delete(got, 117), numpy.delete(ref, 117), rtol=1e-12)


def test_small_solve_residuals_and_broadcasting():
    a = rand((5, 1, 4, 4), seed=11)
    b = rand((6, 4, 2), seed=12)
    x = N(LA.solve(to_ox(a), to_ox(b)))
    assert x.shape == (5, 6, 4, 2)
    numpy.testing.assert_allclose(a @ x, numpy.broadcast_to(b, x.shape), atol=1e-12)
    check(LA.solve(to_ox(a), to_ox(b)), NLA.solve(a, b), cond=10)


# --- eig: LAPACK's balancing permutation ----------------------------------------------------------

# Matrices whose isolated eigenvalues LAPACK's ?gebal finds: NumPy returns them exactly and
# real; without the permutation they come back as complex pairs λ ± 1e-8i.
BALANCED = [
    [[4, 0, 1], [2, 3, 2], [-1, 0, 2]],
    [[1, 2, 3], [0, 4, 5], [0, 0, 6]],
    [[1, 0, 0], [2, 3, 0], [4, 5, 6]],
    [[5, 4, 2, 1], [0, 1, -1, -1], [-1, -1, 3, 0], [1, 1, -1, 2]],
    [[2, 0, 0, 1], [1, 3, 0, 2], [0, 0, 1, 0], [4, 0, 0, 5]],
    [[0, 1, 0], [-1, 0, 0], [3, 4, 7]],
]


@pytest.mark.parametrize("m", BALANCED)
@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_eig_isolated_eigenvalues(m, dtype):
    a = numpy.array(m, dtype=dtype)
    rw, rv = NLA.eig(a)
    w, v = LA.eig(to_ox(a))
    w, v = N(w), N(v)
    assert w.dtype == rw.dtype and v.dtype == rv.dtype
    # Same eigenvalues, in NumPy's order. A real input's isolated eigenvalues are exact; for
    # a complex input, a defective double eigenvalue is only defined to about sqrt(eps)
    # (zgeev's own answer is 3 ± 3e-8i where the exact one is 3).
    # The complex Schur form may also order a conjugate pair differently from zlahqr.
    tol = 1e-12 if dtype == "float64" else 1e-7
    def order(x):
        if dtype == "float64":
            return x
        x = numpy.asarray(x)
        return x[numpy.lexsort((numpy.round(x.imag, 6), numpy.round(x.real, 6)))]

    numpy.testing.assert_allclose(order(w), order(rw), rtol=tol, atol=tol)
    numpy.testing.assert_allclose(a @ v, v * w, atol=1e-7)
    numpy.testing.assert_allclose(numpy.linalg.norm(v, axis=0), 1.0, rtol=1e-12)
    numpy.testing.assert_allclose(order(N(LA.eigvals(to_ox(a)))), order(NLA.eigvals(a)), rtol=tol, atol=tol)
