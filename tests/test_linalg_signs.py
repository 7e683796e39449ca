"""NumPy's singular and eigen-vectors, signs included: oxnp's small real `svd` and `eigh`
follow LAPACK's `gesdd` / `syevd` (see crates/oxnp-kernels/src/lapack_small.rs), so the
vectors agree with NumPy's to rounding, not just up to sign, and the `multivariate_normal`
streams built on them are NumPy's.

A vector whose sign LAPACK decides on a near tie (a convergence test within an ulp of its
threshold, so NumPy's own answer changes when the input moves by one ulp) can still come out
flipped; the suites below count those and allow a handful, each of which must still be a valid
decomposition."""

import warnings

import numpy
import pytest

import oxnp
from helpers import to_np, to_ox

LA = oxnp.linalg
NLA = numpy.linalg

SVD_SHAPES = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (8, 8), (16, 16), (25, 25),
              (3, 2), (2, 3), (5, 3), (3, 5), (7, 3), (3, 7), (10, 2), (2, 10), (4, 1), (1, 4),
              (30, 5), (5, 30)]


def _svd_case(a, full, range_only=False):
    """Whether oxnp's svd of `a` is NumPy's to rounding; with `range_only`, only the vectors of
    the singular values that are not rounding noise are compared (a rank-deficient matrix's
    null-space basis is made of its bidiagonal's rounding noise, which depends on the order
    in which OpenBLAS's kernels for this CPU sum)."""
    ru, rs, rvh = NLA.svd(a, full_matrices=full)
    u, s, vh = (to_np(x) for x in LA.svd(to_ox(a), full_matrices=full))
    scale = max(rs.max(initial=0.0), 1.0)
    numpy.testing.assert_allclose(s, rs, rtol=1e-13, atol=1e-14 * scale)
    r = int((rs > 1e-10 * scale).sum()) if range_only else max(u.shape[1], vh.shape[0])
    if numpy.allclose(u[:, :r], ru[:, :r], rtol=0, atol=1e-11) and numpy.allclose(vh[:r], rvh[:r], rtol=0, atol=1e-11):
        return True
    # A flipped pair: still U·S·Vᴴ = A with orthonormal factors.
    k = len(s)
    numpy.testing.assert_allclose((u[:, :k] * s) @ vh[:k], a, atol=1e-12 * scale)
    return False


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_svd_vectors_are_numpys(shape):
    rng = numpy.random.default_rng(sum(shape))
    agree = total = 0
    for _ in range(12):
        a = rng.standard_normal(shape)
        for full in (True, False):
            agree += _svd_case(a, full)
            total += 1
    assert agree >= total - 2, f"{total - agree} of {total} differ from NumPy beyond rounding"


@pytest.mark.parametrize("n", [2, 3, 4, 6, 8])
def test_svd_structured(n):
    """Symmetric, diagonal (distinct and repeated), identity, rank-deficient and integer
    matrices: the cases whose vectors are most arbitrary."""
    rng = numpy.random.default_rng(n)
    b = rng.standard_normal((n, n))
    cases = [b @ b.T, numpy.diag(rng.uniform(-3, 3, n)), numpy.diag([1.0, 2.0] * (n // 2) + [1.0] * (n % 2)),
             numpy.eye(n), -numpy.eye(n), numpy.triu(numpy.ones((n, n)))]
    for a in cases:
        assert _svd_case(a, True)
    for a in (numpy.ones((n, n)), numpy.outer(numpy.arange(1.0, n + 1), numpy.arange(2.0, n + 2)),
              numpy.arange(float(n * n)).reshape(n, n)):
        assert _svd_case(a, True, range_only=True)


def test_svd_compute_uv_false_and_hermitian():
    rng = numpy.random.default_rng(5)
    for n in (2, 3, 6):
        b = rng.standard_normal((n, n))
        a = b + b.T
        numpy.testing.assert_allclose(to_np(LA.svd(to_ox(a), compute_uv=False)), NLA.svd(a, compute_uv=False), rtol=1e-13)
        ru, rs, rvh = NLA.svd(a, hermitian=True)
        u, s, vh = (to_np(x) for x in LA.svd(to_ox(a), hermitian=True))
        numpy.testing.assert_allclose(s, rs, rtol=1e-13)
        numpy.testing.assert_allclose(u, ru, atol=1e-12)
        numpy.testing.assert_allclose(vh, rvh, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 12, 16, 25])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_vectors_are_numpys(n, uplo):
    rng = numpy.random.default_rng(n)
    for t in range(10):
        b = rng.standard_normal((n, n))
        a = b @ b.T if t % 3 == 0 else b + b.T
        if t % 4 == 1:
            a = numpy.tril(a) + 5 * numpy.triu(b, 1)  # the other triangle must be ignored
        rw, rv = NLA.eigh(a, UPLO=uplo)
        w, v = LA.eigh(to_ox(a), UPLO=uplo)
        numpy.testing.assert_allclose(to_np(w), rw, rtol=1e-12, atol=1e-13 * abs(rw).max())
        numpy.testing.assert_allclose(to_np(v), rv, atol=1e-10)
        numpy.testing.assert_allclose(to_np(LA.eigvalsh(to_ox(a), UPLO=uplo)), NLA.eigvalsh(a, UPLO=uplo), rtol=1e-12, atol=1e-13 * abs(rw).max())


def test_eigh_structured():
    for n in (2, 3, 5):
        for a in (numpy.eye(n), numpy.ones((n, n)), numpy.diag(numpy.arange(n, 0, -1.0)), numpy.diag([1.0, 2.0] * (n // 2) + [1.0] * (n % 2))):
            for uplo in "LU":
                rw, rv = NLA.eigh(a, UPLO=uplo)
                w, v = LA.eigh(to_ox(a), UPLO=uplo)
                numpy.testing.assert_allclose(to_np(w), rw, atol=1e-14)
                numpy.testing.assert_allclose(to_np(v), rv, atol=1e-12)


# --- multivariate_normal -----------------------------------------------------------------------

def _covariances():
    rng = numpy.random.default_rng(7)
    out = []
    for n in range(2, 9):
        for _ in range(2):
            b = rng.standard_normal((n, n))
            out.append(("spd", b @ b.T))
        out.append(("diag", numpy.diag(rng.uniform(0.1, 3, n))))
        out.append(("diag-repeated", numpy.diag([1.0, 2.0] * (n // 2) + [1.0] * (n % 2))))
        out.append(("eye", numpy.eye(n)))
        b = rng.standard_normal((n, max(1, n // 2)))
        out.append(("psd-singular", b @ b.T))
    return out


COVS = _covariances()


def _draw(lib, api, seed, mean, cov, size):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if api == "legacy":
            return lib.random.RandomState(seed).multivariate_normal(mean, cov, size=size)
        return lib.random.default_rng(seed).multivariate_normal(mean, cov, size=size, method=api)


@pytest.mark.parametrize("api", ["legacy", "svd", "eigh", "cholesky"])
@pytest.mark.parametrize("index", range(len(COVS)))
def test_multivariate_normal_streams(api, index):
    kind, cov = COVS[index]
    if api == "cholesky" and kind == "psd-singular":
        pytest.skip("not positive definite")
    n = cov.shape[0]
    mean = numpy.linspace(-1, 1, n)
    for seed in (0, 1, 12345):
        for size in (None, 5, (2, 3)):
            ref = _draw(numpy, api, seed, mean, cov, size)
            got = numpy.asarray(to_np(_draw(oxnp, api, seed, mean, cov, size)) if size is not None else _draw(oxnp, api, seed, mean, cov, size))
            assert got.shape == ref.shape
            scale = abs(ref).max()
            if kind == "psd-singular":
                # The zero singular values are rounding noise whose square root enters the
                # transform: agreement is to about sqrt(eps), as between two BLAS builds.
                numpy.testing.assert_allclose(got, ref, rtol=0, atol=1e-6 * scale)
            else:
                numpy.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13 * scale)


# --- cond of singular matrices -----------------------------------------------------------------

@pytest.mark.parametrize("a", [
    [[1.0, 2.0], [2.0, 4.0]],
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
    numpy.ones((3, 3)).tolist(),
    numpy.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]).tolist(),
    numpy.arange(16.0).reshape(4, 4).tolist(),
    [[1.0, 0.0], [0.0, 0.0]],
    [[0.0, 1.0], [0.0, 0.0]],
])
def test_cond_singular_like_numpy(a):
    """NumPy's cond of a singular matrix is the SVD's rounding noise (finite, ~1e16) unless an
    exact zero comes out; oxnp gives the same class of answer."""
    ref = NLA.cond(numpy.array(a))
    got = float(LA.cond(oxnp.array(a)))
    assert numpy.isfinite(got) == numpy.isfinite(ref)
    if numpy.isfinite(ref):
        assert got > 1e15


# --- eig of real 2 x 2 matrices (defective ones included) ----------------------------------------

def _two_by_two():
    rng = numpy.random.default_rng(11)
    mats = [numpy.array(m, dtype=float) for m in (
        [[0, 9], [-1, 6]], [[-4, 1], [-9, 2]], [[13, 9], [-25, -17]], [[28, 49], [-16, -28]],
        [[2, -1], [1, 0]], [[-447, 625], [-324, 453]], [[1, 1e-3], [1e3, 1]], [[0, -1], [1, 0]],
        [[3, 1], [1, 3]], [[1, 2], [3, 4]], [[5, 1e6], [1e-6, 3]])]
    for _ in range(60):
        s = numpy.eye(2)
        for _ in range(6):
            i = rng.integers(2)
            s[i] += rng.integers(-2, 3) * s[1 - i]
        j = numpy.array([[1.0, 1.0], [0.0, 1.0]]) * rng.integers(-3, 4)
        j[0, 1] = 1.0
        mats.append(s @ j @ numpy.round(numpy.linalg.inv(s)))
    mats += list(rng.standard_normal((40, 2, 2)))
    return [m for m in mats if m[0, 1] != 0 and m[1, 0] != 0]


def test_eig_two_by_two_like_numpy():
    """A (nearly) defective 2 x 2 comes out as a real pair or as a complex pair with a tiny
    imaginary part exactly when NumPy's does (LAPACK's balancing and dlanv2 decide), with
    NumPy's eigenvalues, order and eigenvectors."""
    for a in _two_by_two():
        rw, rv = NLA.eig(a)
        w, v = LA.eig(to_ox(a))
        w, v = to_np(w), to_np(v)
        assert w.dtype == rw.dtype and v.dtype == rv.dtype, a
        scale = max(1.0, abs(rw).max())
        numpy.testing.assert_allclose(w, rw, rtol=0, atol=1e-13 * scale)
        numpy.testing.assert_allclose(v, rv, rtol=0, atol=1e-12)
        ew = to_np(LA.eigvals(to_ox(a)))
        assert ew.dtype == rw.dtype
        numpy.testing.assert_allclose(ew, rw, rtol=0, atol=1e-13 * scale)
    # In a stack, one complex pair makes the whole result complex.
    stack = numpy.stack([numpy.array([[0.0, 9.0], [-1.0, 6.0]]), numpy.array([[-4.0, 1.0], [-9.0, 2.0]])])
    assert to_np(LA.eigvals(to_ox(stack))).dtype == NLA.eigvals(stack).dtype


# --- eig of real n x n matrices (n >= 3) ---------------------------------------------------------

def _unimodular(rng, n, steps):
    s = numpy.eye(n)
    for _ in range(steps):
        i, j = rng.choice(n, 2, replace=False)
        s[i] += rng.integers(-2, 3) * s[j]
    return s


def _eig_family(kind, n, rng):
    if kind == "random":
        return rng.standard_normal((n, n))
    if kind == "symmetric":
        b = rng.standard_normal((n, n))
        return b + b.T
    if kind == "integer":
        return rng.integers(-5, 6, (n, n)).astype(float)
    if kind == "triangular":
        t = numpy.triu(rng.standard_normal((n, n)))
        return t if rng.integers(2) else t.T
    # Jordan blocks with integer eigenvalues, conjugated by an integer unimodular matrix: exact,
    # and as defective as can be; LAPACK returns eigenvalues split by ~eps^(1/k), real or complex.
    j = numpy.diag(rng.integers(-3, 4, n).astype(float))
    k = 0
    while k < n - 1:
        size = int(rng.integers(1, 4))
        for q in range(k, min(k + size, n) - 1):
            j[q + 1, q + 1] = j[k, k]
            j[q, q + 1] = 1.0
        k += size
    s = _unimodular(rng, n, 2 * n)
    return s @ j @ numpy.round(numpy.linalg.inv(s))


def _eig_agreement(a):
    """(same dtype, same eigenvalues in the same order, same eigenvectors) against NumPy, after
    checking A·V = V·Λ and that eigvals gives eig's eigenvalues."""
    rw, rv = NLA.eig(a)
    w, v = (to_np(x) for x in LA.eig(to_ox(a)))
    ew = to_np(LA.eigvals(to_ox(a)))
    scale = max(1.0, abs(rw).max())
    numpy.testing.assert_allclose(a @ v, v * w, atol=1e-9 * scale * max(1.0, abs(a).max()))
    assert ew.dtype == w.dtype
    numpy.testing.assert_array_equal(ew, w)
    same_dtype = w.dtype == rw.dtype and v.dtype == rv.dtype
    same_values = same_dtype and numpy.allclose(w, rw, rtol=0, atol=1e-12 * scale)
    same_vectors = same_values and numpy.allclose(v, rv, rtol=0, atol=1e-9)
    return same_dtype, same_values, same_vectors


# Per family, the least share of matrices whose (dtype, eigenvalues in order, eigenvectors) must be
# NumPy's. The rest are matrices on which NumPy's own answer changes when one entry moves by an
# ulp (about 10% of random ones: a deflation test or shift choice of the QR iteration lands on the
# other side of its threshold, giving another, equally valid Schur form); oxnp follows LAPACK's
# algorithm but not OpenBLAS's CPU-specific BLAS rounding, so it lands on either side there.
EIG_FAMILIES = {"random": (1.0, 0.95, 0.75), "symmetric": (1.0, 0.85, 0.75), "integer": (1.0, 0.95, 0.75),
                "triangular": (1.0, 1.0, 1.0), "defective": (0.9, 0.0, 0.0)}


@pytest.mark.parametrize("kind", sorted(EIG_FAMILIES))
def test_eig_general_like_numpy(kind):
    rng = numpy.random.default_rng(len(kind))
    counts = numpy.zeros(3, int)
    total = 0
    for n in (3, 4, 5, 6, 8, 10, 16, 25):
        for _ in range(8):
            counts += numpy.array(_eig_agreement(_eig_family(kind, n, rng)), int)
            total += 1
    need = numpy.ceil(numpy.array(EIG_FAMILIES[kind]) * total).astype(int)
    assert (counts >= need).all(), f"{kind}: dtype/values/vectors agree for {counts.tolist()} of {total}, need {need.tolist()}"


def test_eig_general_special():
    """Diagonal, permuted-triangular (balancing isolates every eigenvalue), block-diagonal and
    companion matrices, a rotation, repeated eigenvalues: NumPy's answer exactly."""
    rng = numpy.random.default_rng(3)
    mats = [numpy.diag([3.0, -1.0, 2.0]), numpy.eye(4), numpy.zeros((3, 3)),
            numpy.array([[0.0, 1, 0], [0, 0, 1], [1, 0, 0]]),
            numpy.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 2]]),
            numpy.array([[1.0, 2, 3], [0, 4, 5], [0, 0, 6]])[[2, 0, 1]][:, [1, 2, 0]],
            numpy.array([[2.0, 1, 0, 0], [0, 2, 0, 0], [0, 0, 3, 1], [0, 0, -1, 3]]),
            numpy.vstack([-numpy.array([[1.0, 6, 11, 6]]), numpy.eye(4)[:3]]),  # companion of (x+1)(x+2)(x+3)
            numpy.kron(numpy.eye(2), numpy.array([[0.0, 1], [-1, 0]])) + numpy.diag([0, 0, 1e-3, 1e-3])]
    p = rng.permutation(6)
    t = numpy.triu(rng.standard_normal((6, 6)))
    mats.append(t[p][:, p])
    for a in mats:
        rw, rv = NLA.eig(a)
        w, v = (to_np(x) for x in LA.eig(to_ox(a)))
        assert w.dtype == rw.dtype and v.dtype == rv.dtype, a
        numpy.testing.assert_allclose(w, rw, rtol=0, atol=1e-13 * max(1.0, abs(rw).max()))
        numpy.testing.assert_allclose(v, rv, rtol=0, atol=1e-12)
    # float32 input: computed in double, NumPy's complex64 / float32 results.
    a = rng.standard_normal((5, 5)).astype(numpy.float32)
    rw, rv = NLA.eig(a)
    w, v = (to_np(x) for x in LA.eig(to_ox(a)))
    assert w.dtype == rw.dtype and v.dtype == rv.dtype
    numpy.testing.assert_allclose(w, rw, rtol=1e-6)
    numpy.testing.assert_allclose(v, rv, atol=1e-5)


# --- complex eigh and svd: LAPACK's phases -------------------------------------------------------

def _crandn(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 12, 16, 25])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_complex_eigh_vectors_are_numpys(n, uplo):
    """zheevd's complex Householder reflectors fix each eigenvector's phase; oxnp follows
    them, so the vectors are NumPy's, not just some unitary basis."""
    rng = numpy.random.default_rng(100 + n)
    for t in range(6):
        b = _crandn(rng, (n, n))
        a = b @ b.conj().T if t % 3 == 0 else b + b.conj().T
        if t % 3 == 2:
            a = numpy.tril(a) + 3 * numpy.triu(b, 1)  # the other triangle must be ignored
            a[numpy.diag_indices(n)] += 0.5j  # and the diagonal's imaginary part
        rw, rv = NLA.eigh(a, UPLO=uplo)
        w, v = LA.eigh(to_ox(a), UPLO=uplo)
        numpy.testing.assert_allclose(to_np(w), rw, rtol=1e-12, atol=1e-13 * abs(rw).max())
        numpy.testing.assert_allclose(to_np(v), rv, atol=1e-10)
        assert to_np(v).dtype == rv.dtype
    a = _crandn(rng, (n, n)).astype(numpy.complex64)
    a = a + a.conj().T
    rw, rv = NLA.eigh(a)
    w, v = (to_np(x) for x in LA.eigh(to_ox(a)))
    assert w.dtype == rw.dtype and v.dtype == rv.dtype
    numpy.testing.assert_allclose(v, rv, atol=1e-4)


CSVD_SHAPES = [(1, 1), (2, 2), (3, 3), (5, 5), (8, 8), (25, 25), (3, 2), (2, 3), (5, 3), (3, 5),
               (7, 3), (3, 7), (10, 2), (2, 10), (4, 1), (1, 4), (30, 5), (5, 30), (9, 5), (5, 9)]


@pytest.mark.parametrize("shape", CSVD_SHAPES)
def test_complex_svd_vectors_are_numpys(shape):
    rng = numpy.random.default_rng(sum(shape) + 50)
    agree = total = 0
    for _ in range(6):
        a = _crandn(rng, shape)
        for full in (True, False):
            ru, rs, rvh = NLA.svd(a, full_matrices=full)
            u, s, vh = (to_np(x) for x in LA.svd(to_ox(a), full_matrices=full))
            assert u.dtype == ru.dtype and vh.dtype == rvh.dtype
            numpy.testing.assert_allclose(s, rs, rtol=1e-13, atol=1e-14 * rs.max())
            k = len(s)
            numpy.testing.assert_allclose((u[:, :k] * s) @ vh[:k], a, atol=1e-12 * rs.max())
            agree += numpy.allclose(u, ru, atol=1e-11) and numpy.allclose(vh, rvh, atol=1e-11)
            total += 1
        numpy.testing.assert_allclose(to_np(LA.svd(to_ox(a), compute_uv=False)), NLA.svd(a, compute_uv=False), rtol=1e-13)
    assert agree >= total - 1, f"{total - agree} of {total} differ from NumPy beyond rounding"
