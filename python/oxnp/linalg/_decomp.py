"""oxnp.linalg decompositions and solvers, following ``numpy/linalg/_linalg.py`` step by step.

The Rust kernels (``_oxnp._linalg_*``, on faer) compute in float64/complex128 whatever the
input, as NumPy's ``_umath_linalg`` does (``_commonType`` picks double/cdouble as the computing
type); results are cast to float32/complex64 after, so float32 in gives float32 out.
"""

from typing import NamedTuple

from .. import _oxnp
from .._dtypes import finfo
from .._oxnp import asarray, broadcast_shapes, broadcast_to, empty, isfinite, isnan
from .._reductions import count_nonzero
from .._ufuncs import errstate
from ..exceptions import LinAlgError
from . import norm

__all__ = [
    "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult",
    "cholesky", "cond", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq",
    "matrix_rank", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensorinv",
    "tensorsolve",
]


class EigResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class QRResult(NamedTuple):
    Q: object
    R: object


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object


# --- NumPy's dtype rules ------------------------------------------------------------------

_REAL = {"f": "f", "d": "d", "F": "f", "D": "d"}
_CPLX = {"f": "F", "d": "D", "F": "F", "D": "D"}


def _common_type(*arrays):
    """NumPy's ``_commonType``: (computing dtype char, result dtype char)."""
    double = False
    cplx = False
    for a in arrays:
        ch = a.dtype.char
        if a.dtype.kind in "fc":
            if ch in "FD":
                cplx = True
            if ch in "dD":
                double = True
            elif ch not in "fF":
                raise TypeError(f"array type {a.dtype.name} is unsupported in linalg")
        else:
            double = True
    res = "d" if double else "f"
    if cplx:
        return "D", _CPLX[res]
    return "d", res


def _is_complex(t):
    return t in "FD"


def _assert_stacked_2d(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise LinAlgError(
                f"{a.ndim}-dimensional array given. Array must be at least two-dimensional")


def _assert_stacked_square(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise LinAlgError(
                f"{a.ndim}-dimensional array given. Array must be at least two-dimensional")
        m, n = a.shape[-2:]
        if m != n:
            raise LinAlgError("Last 2 dimensions of the array must be square")


def _assert_finite(*arrays):
    for a in arrays:
        if not isfinite(a).all():
            raise LinAlgError("Array must not contain infs or NaNs")


def _is_empty_2d(arr):
    return arr.size == 0 and arr.shape[-1] * arr.shape[-2] == 0


def _scalar(r):
    """A 0-d result becomes a scalar, as a gufunc's 0-d output does."""
    return r[()] if r.ndim == 0 else r


def _cast(r, t):
    return r.astype(t, copy=False)


def _prep(a, t):
    return asarray(a).astype(t, copy=False)


# --- solvers --------------------------------------------------------------------------------

def solve(a, b):
    """Solve ``a @ x = b`` (``numpy.linalg.solve``)."""
    a = asarray(a)
    _assert_stacked_square(a)
    b = asarray(b)
    t, result_t = _common_type(a, b)
    m = a.shape[-1]
    if b.ndim == 1:
        # gufunc (m,m),(m)->(m)
        if b.shape[0] != m:
            raise ValueError(
                "solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                f"signature (m,m),(m)->(m) (size {b.shape[0]} is different from {m})")
        batch = a.shape[:-2]
        bb = broadcast_to(b.reshape(m, 1), batch + (m, 1))
        x = _oxnp._linalg_solve(_prep(a, t), _prep(bb, t)).reshape(batch + (m,))
    else:
        if b.shape[-2] != m:
            raise ValueError(
                "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                f"signature (m,m),(m,n)->(m,n) (size {b.shape[-2]} is different from {m})")
        batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
        aa = broadcast_to(a, batch + (m, m))
        bb = broadcast_to(b, batch + b.shape[-2:])
        x = _oxnp._linalg_solve(_prep(aa, t), _prep(bb, t))
    return _cast(x, result_t)


def inv(a):
    """Inverse of a (stack of) square matrices (``numpy.linalg.inv``)."""
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    return _cast(_oxnp._linalg_inv(_prep(a, t)), result_t)


def tensorsolve(a, b, axes=None):
    """Solve the tensor equation ``a x = b`` for x (``numpy.linalg.tensorsolve``)."""
    a = asarray(a)
    b = asarray(b)
    an = a.ndim
    if axes is not None:
        allaxes = list(range(an))
        for k in axes:
            allaxes.remove(k)
            allaxes.insert(an, k)
        a = a.transpose(allaxes)
    oldshape = a.shape[-(an - b.ndim):]
    prod = 1
    for k in oldshape:
        prod *= k
    if a.size != prod ** 2:
        raise LinAlgError(
            "Input arrays must satisfy the requirement "
            "            prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    a = a.reshape(prod, prod)
    b = b.ravel()
    res = solve(a, b)
    return res.reshape(oldshape)


def tensorinv(a, ind=2):
    """Inverse of an N-d array for ``tensordot`` (``numpy.linalg.tensorinv``)."""
    a = asarray(a)
    oldshape = a.shape
    prod = 1
    if ind > 0:
        invshape = oldshape[ind:] + oldshape[:ind]
        for k in oldshape[ind:]:
            prod *= k
    else:
        raise ValueError("Invalid ind argument.")
    a = a.reshape(prod, -1)
    ia = inv(a)
    return ia.reshape(*invshape)


def lstsq(a, b, rcond=None):
    """Least-squares solution of ``a @ x = b`` (``numpy.linalg.lstsq``): (x, residuals, rank, s)."""
    a = asarray(a)
    b = asarray(b)
    is_1d = b.ndim == 1
    if is_1d:
        b = b.reshape(b.shape[0], 1)
    for x in (a, b):
        if x.ndim != 2:
            raise LinAlgError(
                f"{x.ndim}-dimensional array given. Array must be two-dimensional")
    m, n = a.shape
    m2, n_rhs = b.shape
    if m != m2:
        raise LinAlgError("Incompatible dimensions")
    t, result_t = _common_type(a, b)
    real_t = _REAL[result_t]
    if rcond is None:
        rcond = finfo("d").eps * max(n, m)
    x, resids, rank, s = _oxnp._linalg_lstsq(_prep(a, t), _prep(b, t), float(rcond))
    if is_1d:
        x = x.reshape(n)
    if rank != n or m <= n:
        resids = empty((0,), dtype=real_t)
    s = _cast(s, real_t)
    resids = _cast(resids, real_t)
    x = x.astype(result_t, copy=True)
    # NumPy's gufunc hands the rank back as an int32 scalar.
    return x, resids, asarray(rank, dtype="i")[()], s


# --- determinants -----------------------------------------------------------------------------

def det(a):
    """Determinant (``numpy.linalg.det``), from the LU factorisation: sign · exp(log|det|)."""
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    return _scalar(_cast(_oxnp._linalg_det(_prep(a, t)), result_t))


def slogdet(a):
    """Sign and natural log of the absolute determinant (``numpy.linalg.slogdet``)."""
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    sign, logdet = _oxnp._linalg_slogdet(_prep(a, t))
    sign = _cast(sign, result_t)
    logdet = _cast(logdet, _REAL[result_t])
    return SlogdetResult(_scalar(sign), _scalar(logdet))


# --- eigen-decompositions ----------------------------------------------------------------------

def _check_uplo(UPLO):
    UPLO = UPLO.upper()
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return UPLO == "L"


def eig(a):
    """Eigenvalues and right eigenvectors (``numpy.linalg.eig``). A real input gives real
    results when every eigenvalue of the stack is real, complex ones otherwise."""
    a = asarray(a)
    _assert_stacked_square(a)
    _assert_finite(a)
    t, result_t = _common_type(a)
    w, vt = _oxnp._linalg_eig(_prep(a, t), True)
    if not _is_complex(t) and (w.imag == 0.0).all():
        w = w.real
        vt = vt.real
        result_t = _REAL[result_t]
    else:
        result_t = _CPLX[result_t]
    return EigResult(_cast(w, result_t), _cast(vt, result_t))


def eigvals(a):
    """Eigenvalues of a general square matrix (``numpy.linalg.eigvals``)."""
    a = asarray(a)
    _assert_stacked_square(a)
    _assert_finite(a)
    t, result_t = _common_type(a)
    w, _ = _oxnp._linalg_eig(_prep(a, t), False)
    if not _is_complex(t):
        if (w.imag == 0).all():
            w = w.real
            result_t = _REAL[result_t]
        else:
            result_t = _CPLX[result_t]
    return _cast(w, result_t)


def eigh(a, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian matrix (``numpy.linalg.eigh``),
    reading only the ``UPLO`` triangle."""
    lower = _check_uplo(UPLO)
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    w, vt = _oxnp._linalg_eigh(_prep(a, t), lower, True)
    return EighResult(_cast(w, _REAL[result_t]), _cast(vt, result_t))


def eigvalsh(a, UPLO="L"):
    """Eigenvalues of a Hermitian matrix, ascending (``numpy.linalg.eigvalsh``)."""
    lower = _check_uplo(UPLO)
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    w, _ = _oxnp._linalg_eigh(_prep(a, t), lower, False)
    return _cast(w, _REAL[result_t])


# --- SVD and friends ---------------------------------------------------------------------------

def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition (``numpy.linalg.svd``): ``a = U @ diag(S) @ Vh``."""
    a = asarray(a)
    if hermitian:
        _assert_stacked_square(a)
    else:
        _assert_stacked_2d(a)
    t, result_t = _common_type(a)
    if compute_uv:
        mode = "full" if full_matrices and not hermitian else "thin"
        u, s, vh = _oxnp._linalg_svd(_prep(a, t), mode, bool(hermitian))
        return SVDResult(_cast(u, result_t), _cast(s, _REAL[result_t]), _cast(vh, result_t))
    _, s, _ = _oxnp._linalg_svd(_prep(a, t), "none", bool(hermitian))
    return _cast(s, _REAL[result_t])


def svdvals(x, /):
    """Singular values, descending (``numpy.linalg.svdvals``)."""
    return svd(x, compute_uv=False, hermitian=False)


_NoValue = object()


def pinv(a, rcond=None, hermitian=False, *, rtol=_NoValue):
    """Moore-Penrose pseudo-inverse (``numpy.linalg.pinv``): singular values at or below
    ``rcond · max(s)`` are dropped."""
    a = asarray(a)
    if rcond is None:
        if rtol is _NoValue:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(a.shape[-2:]) * finfo(a.dtype).eps
        else:
            rcond = rtol
    elif rtol is not _NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    _assert_stacked_2d(a)
    if _is_empty_2d(a):
        m, n = a.shape[-2:]
        return empty(a.shape[:-2] + (n, m), dtype=a.dtype)
    if hermitian:
        _assert_stacked_square(a)
    t, result_t = _common_type(a)
    rc = asarray(rcond).astype("d")
    if rc.ndim == 0:
        rcl = [float(rc)]
    else:
        rcl = broadcast_to(rc, a.shape[:-2]).ravel().tolist() or [1e-15]
    return _cast(_oxnp._linalg_pinv(_prep(a, t), rcl, bool(hermitian)), result_t)


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """Rank by SVD: the singular values above ``tol`` (``numpy.linalg.matrix_rank``)."""
    if rtol is not None and tol is not None:
        raise ValueError("`tol` and `rtol` can't be both set.")
    A = asarray(A)
    if A.ndim < 2:
        return int(not (A == 0).all())
    S = svd(A, compute_uv=False, hermitian=hermitian)
    if tol is None:
        if rtol is None:
            rtol = max(A.shape[-2:]) * finfo(S.dtype).eps
        else:
            rtol = asarray(rtol)[..., None]
        tol = S.max(axis=-1, keepdims=True, initial=0) * rtol
    else:
        tol = asarray(tol)[..., None]
    return count_nonzero(S > tol, axis=-1)


def cond(x, p=None):
    """Condition number (``numpy.linalg.cond``) for p in None, ±2, ±1, ±inf, 'fro', 'nuc'."""
    x = asarray(x)
    if _is_empty_2d(x):
        raise LinAlgError("cond is not defined on empty arrays")
    if p is None or p in {2, -2}:
        s = svd(x, compute_uv=False)
        with errstate(all="ignore"):
            if p == -2:
                r = s[..., -1] / s[..., 0]
            else:
                r = s[..., 0] / s[..., -1]
    else:
        _assert_stacked_square(x)
        t, result_t = _common_type(x)
        result_t = _REAL[result_t]
        with errstate(all="ignore"):
            invx = _oxnp._linalg_inv(_prep(x, t), False)
            if p == "nuc":
                # norm(., "nuc") (sum of singular values; a NaN inverse raises
                # "SVD did not converge" as in NumPy)
                xx = _prep(x, t)
                r = asarray(svd(xx, compute_uv=False).sum(axis=-1)
                            * svd(invx, compute_uv=False).sum(axis=-1))
            else:
                r = norm(_prep(x, t), p, axis=(-2, -1)) * norm(invx, p, axis=(-2, -1))
        r = asarray(r).astype(result_t, copy=False)
    r = asarray(r)
    nan_mask = asarray(isnan(r))
    if nan_mask.any():
        nan_mask &= ~asarray(isnan(x)).any(axis=(-2, -1))
        if r.ndim > 0:
            r[nan_mask] = float("inf")
        elif nan_mask:
            r = asarray(float("inf"), dtype=r.dtype)
    return _scalar(r)


# --- QR and Cholesky ---------------------------------------------------------------------------

def qr(a, mode="reduced"):
    """QR factorisation (``numpy.linalg.qr``). 'raw' returns LAPACK geqrf's (h, tau),
    computed by an unblocked Householder QR in LAPACK's convention."""
    if mode not in ("reduced", "complete", "r", "raw"):
        if mode in ("f", "full"):
            import warnings
            warnings.warn(
                "The 'full' option is deprecated in favor of 'reduced'.\n"
                "For backward compatibility let mode default.", DeprecationWarning, stacklevel=2)
            mode = "reduced"
        elif mode in ("e", "economic"):
            raise NotImplementedError("qr mode 'economic' (deprecated in NumPy) is not supported")
        else:
            raise ValueError(f"Unrecognized mode '{mode}'")
    a = asarray(a)
    _assert_stacked_2d(a)
    t, result_t = _common_type(a)
    x, y = _oxnp._linalg_qr(_prep(a, t), mode)
    if mode == "r":
        return _cast(x, result_t)
    if mode == "raw":
        return _cast(x, result_t), _cast(y, result_t)
    return QRResult(_cast(x, result_t), _cast(y, result_t))


def cholesky(a, /, *, upper=False):
    """Cholesky factor (``numpy.linalg.cholesky``): L with a = L @ L^H (lower triangle read),
    or with ``upper=True`` U with a = U^H @ U (upper triangle read)."""
    a = asarray(a)
    _assert_stacked_square(a)
    t, result_t = _common_type(a)
    return _cast(_oxnp._linalg_cholesky(_prep(a, t), bool(upper)), result_t)



# The package's ``__all__`` (norms so far) gains these names, so that
# ``from oxnp.linalg import *`` brings them as NumPy's does.
from . import __all__ as _package_all  # noqa: E402

_package_all.extend(name for name in __all__ if name not in _package_all)
