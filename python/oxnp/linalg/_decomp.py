"""Decompositions, solvers and the quantities built on them (``numpy.linalg``'s API).

Each public function here does the Python-side bookkeeping and leaves the numerics to the
Rust entry points ``oxnp._oxnp._linalg_*``:

* it validates the operands (stacked 2-D, square where needed, finite for ``eig``),
* it decides the two dtypes of the call with :func:`_precision` -- the kernels always run
  in float64/complex128, and the answer is cast back to single precision when every
  inexact operand was single (integers and bools count as double),
* it broadcasts the leading (batch) axes the kernels expect to agree,
* and it packages the results the way NumPy 2 does (named tuples, 0-d results as scalars).
"""

import warnings
from typing import NamedTuple

from .. import _oxnp
from .._dtypes import finfo
from .._oxnp import asarray, broadcast_shapes, broadcast_to, empty, isfinite, isnan
from .._reductions import count_nonzero
from .._scalars import int32
from .._ufuncs import errstate
from ..exceptions import LinAlgError
from . import __all__ as _linalg_names
from . import norm

__all__ = [
    "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult",
    "cholesky", "cond", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq",
    "matrix_rank", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensorinv",
    "tensorsolve",
]


# --- result types ---------------------------------------------------------------------------

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


# --- dtype plan -----------------------------------------------------------------------------

class _Plan(NamedTuple):
    """The dtypes of one call: ``work`` is what the kernels compute in ("d" or "D"),
    ``out`` what the caller gets back ("f", "d", "F" or "D")."""

    work: str
    out: str

    @property
    def complex(self):
        return self.work == "D"

    @property
    def real_out(self):
        """The real counterpart of ``out`` (eigenvalues, singular values, log|det|)."""
        return self.out.lower()

    @property
    def complex_out(self):
        return self.out.upper()


def _precision(*operands):
    """NumPy's linalg dtype rule over the given arrays."""
    single = True
    cplx = False
    for x in operands:
        dt = x.dtype
        if dt.kind not in "fc":
            single = False  # bool, integers (and anything else) compute as double
            continue
        width = dt.itemsize // 2 if dt.kind == "c" else dt.itemsize
        if width == 8:
            single = False
        elif width != 4:
            raise TypeError(f"array type {dt.name} is unsupported in linalg")
        cplx = cplx or dt.kind == "c"
    out = "f" if single else "d"
    return _Plan("D", out.upper()) if cplx else _Plan("d", out)


def _work(x, plan):
    """`x` converted to the kernels' computing dtype."""
    return x.astype(plan.work, copy=False)


def _same(x):
    return x


def _wrapper(a):
    """How NumPy's linalg returns an array computed from `a`: through `a`'s own
    ``__array_wrap__`` for an ndarray subclass (its class comes back), as is otherwise."""
    if isinstance(a, _oxnp.ndarray) and type(a) is not _oxnp.ndarray:
        return a.__array_wrap__
    return _same


def _give(x, code):
    """`x` cast to `code`; a 0-d result becomes a scalar, as NumPy's ufunc outputs do."""
    x = x.astype(code, copy=False)
    return x[()] if x.ndim == 0 else x


# --- operand checks -------------------------------------------------------------------------

def _assert_stacked_2d(*arrays):
    for x in arrays:
        if x.ndim < 2:
            raise LinAlgError(
                f"{x.ndim}-dimensional array given. Array must be at least two-dimensional"
            )


def _assert_stacked_square(*arrays):
    for x in arrays:
        rows, cols = x.shape[-2:]
        if rows != cols:
            raise LinAlgError("Last 2 dimensions of the array must be square")


def _assert_2d(*arrays):
    for x in arrays:
        if x.ndim != 2:
            raise LinAlgError(f"{x.ndim}-dimensional array given. Array must be two-dimensional")


def _assert_finite(*arrays):
    for x in arrays:
        if not isfinite(x).all():
            raise LinAlgError("Array must not contain infs or NaNs")


def _is_empty_2d(x):
    """True when `x` holds no element because one of its (up to two) last axes is zero."""
    return x.size == 0 and 0 in x.shape[-2:]


def _square_stack(a):
    """`a` as an array, checked to be a stack of square matrices."""
    a = asarray(a)
    _assert_stacked_2d(a)
    _assert_stacked_square(a)
    return a


def _swap_last(x):
    return x.swapaxes(-1, -2)


# --- solving and inverting ------------------------------------------------------------------

def _core_mismatch(name, sig, dim, got, want):
    return ValueError(
        f"{name}: Input operand 1 has a mismatch in its core dimension {dim}, with gufunc "
        f"signature {sig} (size {got} is different from {want})"
    )


def _batch_mismatch(shape_a, shape_b, core_out):
    """The error of a gufunc whose operands' leading axes do not broadcast."""
    def dims(items):
        return "(" + ",".join(str(d) for d in items) + ")"

    def remapped(shape):
        return f"{dims(shape)}->{dims(list(shape[:-2]) + ['newaxis', 'newaxis'])}"

    return ValueError(
        "operands could not be broadcast together with remapped shapes [original->remapped]: "
        f"{remapped(shape_a)} {remapped(shape_b)}  and requested shape {dims(core_out)}"
    )


def solve(a, b):
    """Solve ``a @ x = b`` for each square matrix of the stack `a`.

    A 1-D `b` is one right-hand side vector shared by the whole stack; otherwise `b` holds
    matrices of right-hand sides whose leading axes broadcast against `a`'s."""
    wrap = _wrapper(b)
    a = _square_stack(a)
    b = asarray(b)
    plan = _precision(a, b)
    n = a.shape[-1]
    lead_a = a.shape[:-2]
    if b.ndim == 1:
        if b.shape[0] != n:
            raise _core_mismatch("solve1", "(m,m),(m)->(m)", 0, b.shape[0], n)
        rhs = broadcast_to(b, lead_a + (n,))[..., None]
        x = _oxnp._linalg_solve(_work(a, plan), _work(rhs, plan))
        return wrap(_give(x[..., 0], plan.out))
    if b.ndim < 2:
        raise ValueError(
            f"solve: Input operand 1 does not have enough dimensions (has {b.ndim}, gufunc "
            "core with signature (m,m),(m,n)->(m,n) requires 2)"
        )
    if b.shape[-2] != n:
        raise _core_mismatch("solve", "(m,m),(m,n)->(m,n)", 0, b.shape[-2], n)
    try:
        lead = broadcast_shapes(lead_a, b.shape[:-2])
    except ValueError:
        raise _batch_mismatch(a.shape, b.shape, (n, b.shape[-1])) from None
    a_full = broadcast_to(a, lead + a.shape[-2:])
    b_full = broadcast_to(b, lead + b.shape[-2:])
    return wrap(_give(_oxnp._linalg_solve(_work(a_full, plan), _work(b_full, plan)), plan.out))


def inv(a):
    """Inverse of each square matrix of the stack `a`."""
    wrap = _wrapper(a)
    a = _square_stack(a)
    plan = _precision(a)
    return wrap(_give(_oxnp._linalg_inv(_work(a, plan)), plan.out))


def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, axes=x.ndim) = b`` for `x`."""
    wrap = _wrapper(a)
    a = asarray(a)
    b = asarray(b)
    if axes is not None:
        moved = list(axes)
        order = [i for i in range(a.ndim) if i not in moved] + moved
        a = a.transpose(order)
    # The unknown's shape: the trailing axes of `a` beyond those matched by `b`
    # (all of them when the ranks agree, as NumPy's negative slice gives).
    extra = a.ndim - b.ndim
    x_shape = a.shape[-extra:] if extra else a.shape
    count = 1
    for d in x_shape:
        count *= d
    if a.size != count * count:
        raise LinAlgError(
            "Input arrays must satisfy the requirement "
            "            prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    x = solve(a.reshape(count, count), b.ravel())
    return wrap(x.reshape(x_shape))


def tensorinv(a, ind=2):
    """The inverse of `a` with respect to ``tensordot(.., ind)``."""
    a = asarray(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    head, tail = a.shape[:ind], a.shape[ind:]
    rows = 1
    for d in tail:
        rows *= d
    return inv(a.reshape(rows, -1)).reshape(*(tail + head))


# --- least squares --------------------------------------------------------------------------

def lstsq(a, b, rcond=None):
    """Least-squares solution of ``a @ x = b``: ``(x, residuals, rank, s)``."""
    wrap = _wrapper(b)
    a = asarray(a)
    b = asarray(b)
    vector_rhs = b.ndim == 1
    if vector_rhs:
        b = b[:, None]
    _assert_2d(a, b)
    m, n = a.shape
    if b.shape[0] != m:
        raise LinAlgError("Incompatible dimensions")
    plan = _precision(a, b)
    if rcond is None:
        rcond = finfo(plan.work).eps * max(m, n)
    x, resid, rank, s = _oxnp._linalg_lstsq(_work(a, plan), _work(b, plan), float(rcond))
    if vector_rhs:
        x = x[:, 0]
    if rank != n or m <= n:
        resid = resid[:0]
    return (wrap(x.astype(plan.out, copy=False)), wrap(resid.astype(plan.real_out, copy=False)),
            int32(rank), s.astype(plan.real_out, copy=False))


# --- determinants ---------------------------------------------------------------------------

def det(a):
    """Determinant of each square matrix of the stack `a`."""
    a = _square_stack(a)
    plan = _precision(a)
    return _give(_oxnp._linalg_det(_work(a, plan)), plan.out)


def slogdet(a):
    """Sign and natural log of |det| of each square matrix of the stack `a`."""
    a = _square_stack(a)
    plan = _precision(a)
    sign, logabs = _oxnp._linalg_slogdet(_work(a, plan))
    return SlogdetResult(_give(sign, plan.out), _give(logabs, plan.real_out))


# --- eigenproblems --------------------------------------------------------------------------

def _general_eig(a, vectors):
    a = _square_stack(a)
    _assert_finite(a)
    plan = _precision(a)
    w, v = _oxnp._linalg_eig(_work(a, plan), vectors)
    # A real input keeps a real answer when no eigenvalue in the whole stack is complex.
    if not plan.complex and (w.imag == 0).all():
        code = plan.real_out
        w = w.real
        if v is not None:
            v = v.real
    else:
        code = plan.complex_out
    w = w.astype(code, copy=False)
    return w, (None if v is None else v.astype(code, copy=False))


def eig(a):
    """Eigenvalues and right eigenvectors (columns) of each square matrix of `a`."""
    w, v = _general_eig(a, True)
    return EigResult(w, _wrapper(a)(v))


def eigvals(a):
    """Eigenvalues of each square matrix of `a`."""
    return _general_eig(a, False)[0]


def _uplo_lower(UPLO):
    side = UPLO.upper()
    if side not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return side == "L"


def _hermitian_eig(a, UPLO, vectors, exact_reach=None):
    lower = _uplo_lower(UPLO)
    a = _square_stack(a)
    plan = _precision(a)
    reach = () if exact_reach is None else (exact_reach,)
    w, v = _oxnp._linalg_eigh(_work(a, plan), lower, vectors, *reach)
    w = w.astype(plan.real_out, copy=False)
    return w, (None if v is None else v.astype(plan.out, copy=False))


def eigh(a, UPLO="L"):
    """Ascending eigenvalues and orthonormal eigenvectors of Hermitian matrices."""
    w, v = _hermitian_eig(a, UPLO, True)
    return EighResult(w, _wrapper(a)(v))


# The largest order for which `_eigh_bitwise` follows dsyevd (lapack_sytrd::SYEVD_BITWISE_MAX).
_EIGH_BITWISE_REACH = 1024


def _eigh_bitwise(a):
    """``eigh(a)`` with NumPy's bits up to order ``_EIGH_BITWISE_REACH`` whatever the cost
    (multivariate_normal's streams depend on them); plain ``eigh`` trades them for speed
    beyond 384."""
    w, v = _hermitian_eig(a, "L", True, _EIGH_BITWISE_REACH)
    return EighResult(w, _wrapper(a)(v))


# eigvalsh follows dsyevd('N') (NumPy's bits) to this order; beyond it faer is faster (measured:
# the exact path 1.73x NumPy's time at 256, 2.2-2.7x at 300-384 where faer takes 1.9-2.0x).
_EIGVALSH_EXACT_REACH = 256


def eigvalsh(a, UPLO="L"):
    """Ascending eigenvalues of Hermitian matrices."""
    return _hermitian_eig(a, UPLO, False, _EIGVALSH_EXACT_REACH)[0]


# --- singular values ------------------------------------------------------------------------

# The largest order for which `_svd_bitwise` follows dgesdd (lapack_small::DC_SVD).
_SVD_BITWISE_REACH = 1024


def _svd_bitwise(a, full_matrices=True):
    """``svd(a, full_matrices)`` with NumPy's bits up to order ``_SVD_BITWISE_REACH`` whatever
    the cost (multivariate_normal's streams depend on them); plain ``svd`` trades them for
    speed beyond 384."""
    return _svd(a, full_matrices, True, False, _SVD_BITWISE_REACH)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition ``a = U @ diag(S) @ Vh`` of each matrix of `a`."""
    return _svd(a, full_matrices, compute_uv, hermitian, None)


def _svd(a, full_matrices, compute_uv, hermitian, exact_reach):
    wrap = _wrapper(a)
    a = asarray(a)
    if hermitian:
        # NumPy goes through eigh here: its checks, its dtypes, full_matrices ignored.
        a = _square_stack(a)
        which = "thin" if compute_uv else "none"
    else:
        _assert_stacked_2d(a)
        which = ("full" if full_matrices else "thin") if compute_uv else "none"
    plan = _precision(a)
    if hermitian and a.shape[-1] == 0:
        # 0 x 0 matrices: nothing to decompose (the kernel's eigensolver wants n >= 1).
        u = vh = empty(a.shape, dtype=plan.out)
        s = empty(a.shape[:-1], dtype=plan.real_out)
    else:
        reach = () if exact_reach is None else (exact_reach,)
        u, s, vh = _oxnp._linalg_svd(_work(a, plan), which, bool(hermitian), *reach)
    s = s.astype(plan.real_out, copy=False)
    if not compute_uv:
        return s
    return SVDResult(wrap(u.astype(plan.out, copy=False)), s, wrap(vh.astype(plan.out, copy=False)))


def svdvals(x, /):
    """The singular values of each matrix of `x`, in descending order."""
    return svd(x, compute_uv=False, hermitian=False)


_UNSET = object()


def pinv(a, rcond=None, hermitian=False, *, rtol=_UNSET):
    """Moore-Penrose pseudo-inverse of each matrix of `a`."""
    wrap = _wrapper(a)
    a = asarray(a)
    if rcond is not None:
        if rtol is not _UNSET:
            raise ValueError("`rtol` and `rcond` can't be both set.")
    elif rtol is _UNSET:
        rcond = 1e-15
    elif rtol is None:
        rcond = max(a.shape[-2:]) * finfo(a.dtype).eps
    else:
        rcond = rtol
    rcond = asarray(rcond)
    if _is_empty_2d(a):
        rows, cols = a.shape[-2:]
        return wrap(empty(a.shape[:-2] + (cols, rows), dtype=a.dtype))
    if hermitian:
        a = _square_stack(a)
    else:
        _assert_stacked_2d(a)
    plan = _precision(a)
    per_matrix = broadcast_to(rcond.astype("d"), a.shape[:-2]).ravel().tolist()
    if not per_matrix:  # an empty stack: the kernel runs no matrix
        per_matrix = [0.0]
    result = _oxnp._linalg_pinv(_work(a, plan), per_matrix, bool(hermitian))
    return wrap(result.astype(plan.out, copy=False))


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """Number of singular values of each matrix of `A` above the tolerance."""
    if tol is not None and rtol is not None:
        raise ValueError("`tol` and `rtol` can't be both set.")
    A = asarray(A)
    if A.ndim < 2:
        return int(not (A == 0).all())
    s = svd(A, compute_uv=False, hermitian=hermitian)
    if tol is None:
        if rtol is None:
            rtol = finfo(s.dtype).eps * max(A.shape[-2:])
        else:
            rtol = asarray(rtol)[..., None]
        tol = s.max(axis=-1, keepdims=True, initial=0) * rtol
    else:
        tol = asarray(tol)[..., None]
    return count_nonzero(s > tol, axis=-1)


def _nuclear_norm(x):
    """Sum of the singular values of each matrix of `x` (NumPy's ``norm(x, 'nuc')``)."""
    x = asarray(x)
    if not isfinite(x).all():
        raise LinAlgError("SVD did not converge")
    return svd(x, compute_uv=False).sum(axis=-1)


def cond(x, p=None):
    """Condition number of each matrix of `x` in the norm `p`.

    For an exactly singular matrix and ``p`` in (None, 2, -2) the answer is the ratio of the
    extreme singular values, as in NumPy; there the smallest one is rounding noise of the SVD
    algorithm. Small real matrices go through the same algorithm as LAPACK's gesdd (with the
    fused multiply-adds of OpenBLAS's kernels), so the noise is usually NumPy's and so is the
    huge finite answer (~1e16); it is not always the same bits, as OpenBLAS's summation order
    depends on the CPU."""
    x = asarray(x)
    if _is_empty_2d(x):
        raise LinAlgError("cond is not defined on empty arrays")
    if p is None or p == 2 or p == -2:
        s = svd(x, compute_uv=False)
        big, small = s[..., 0], s[..., -1]
        with errstate(all="ignore"):
            r = small / big if p == -2 else big / small
    else:
        x = _square_stack(x)
        plan = _precision(x)
        with errstate(all="ignore"):
            x_inv = _oxnp._linalg_inv(_work(x, plan), False)
            if isinstance(p, str) and p == "nuc":
                r = _nuclear_norm(x) * _nuclear_norm(x_inv)
            else:
                r = norm(x, p, axis=(-2, -1)) * norm(x_inv, p, axis=(-2, -1))
        r = asarray(r).astype(plan.real_out, copy=False)
    # A NaN from a singular matrix means an infinite condition number; a NaN that the input
    # itself carried stays NaN.
    r = asarray(r)
    from_input = isnan(x).any(axis=(-2, -1))
    if r.ndim == 0:
        if isnan(r[()]) and not from_input:
            r = asarray(float("inf"), dtype=r.dtype)
    else:
        undefined = isnan(r) & ~from_input
        if undefined.any():
            r[undefined] = float("inf")
    return r[()] if r.ndim == 0 else r


# --- orthogonal-triangular and Cholesky -----------------------------------------------------

_QR_MODES = ("reduced", "complete", "r", "raw")


def qr(a, mode="reduced"):
    """QR factorisation of each matrix of `a`."""
    if mode not in _QR_MODES:
        if mode in ("f", "full"):
            warnings.warn(
                "The 'full' option is deprecated in favor of 'reduced'.\n"
                "For backward compatibility let mode default.",
                DeprecationWarning, stacklevel=2,
            )
            mode = "reduced"
        elif mode in ("e", "economic"):
            warnings.warn("The 'economic' option is deprecated.", DeprecationWarning, stacklevel=2)
            mode = "economic"
        else:
            raise ValueError(f"Unrecognized mode '{mode}'")
    wrap = _wrapper(a)
    a = asarray(a)
    _assert_stacked_2d(a)
    plan = _precision(a)
    kernel_mode = "raw" if mode == "economic" else mode
    first, second = _oxnp._linalg_qr(_work(a, plan), kernel_mode)
    if mode == "r":
        return wrap(first.astype(plan.out, copy=False))
    if mode == "economic":
        # geqrf's packed output (R above the diagonal, reflectors below) as an (m, n) array.
        return wrap(_swap_last(first).astype(plan.out, copy=False))
    if mode == "raw":
        return wrap(first.astype(plan.out, copy=False)), second.astype(plan.out, copy=False)
    return QRResult(wrap(first.astype(plan.out, copy=False)), wrap(second.astype(plan.out, copy=False)))


def cholesky(a, /, *, upper=False):
    """Cholesky factor of each Hermitian positive-definite matrix of `a`: lower (``L @ L^H``)
    by default, upper (``U^H @ U``) with ``upper=True``."""
    wrap = _wrapper(a)
    a = _square_stack(a)
    plan = _precision(a)
    return wrap(_oxnp._linalg_cholesky(_work(a, plan), bool(upper)).astype(plan.out, copy=False))


# The package's own ``__all__`` starts with the norms; publish these names there too.
_linalg_names += [name for name in __all__ if name not in _linalg_names]
