"""``multivariate_normal`` for ``Generator`` and ``RandomState``, as NumPy writes it: the
standard normals come from the bit stream (so they are NumPy's exactly); the factorisation
uses ``oxnp.linalg`` (imported lazily), whose small real svd/eigh/cholesky follow LAPACK's
algorithms with the arithmetic of NumPy's OpenBLAS kernels, so on the CPUs where OpenBLAS runs
its AVX-512 kernels the samples are NumPy's bit for bit (a single draw's vector-matrix product
is a dgemv in NumPy, reproduced by ``_linalg_vecmat``; more draws go through matmul), and
elsewhere agree to rounding (a singular covariance's zero singular values are noise)."""

import warnings


def _shape_of(size):
    import operator

    if size is None:
        return []
    try:
        return [operator.index(size)]
    except TypeError:
        return list(size)


def _check(mean, cov):
    import oxnp as np

    mean = np.array(mean)
    cov = np.array(cov)
    if mean.dtype.kind == "c" or cov.dtype.kind == "c":
        raise TypeError("mean and cov must not be complex")
    if len(mean.shape) != 1:
        raise ValueError("mean must be 1 dimensional")
    if len(cov.shape) != 2 or cov.shape[0] != cov.shape[1]:
        raise ValueError("cov must be 2 dimensional and square")
    if mean.shape[0] != cov.shape[0]:
        raise ValueError("mean and cov must have same length")
    return mean, cov.astype("float64")


def _matmul(a, b):
    """``a @ b`` for 2-D arrays. Float64 matrices go through ``_linalg_gemm``, which rounds as
    NumPy's OpenBLAS ``dgemm`` does and, like NumPy, takes the operand roles and transpose flags
    from the strides (so callers pass operands laid out as NumPy's are); other cases multiply
    as usual (a broadcast sum where oxnp has no matmul yet)."""
    from oxnp import _oxnp

    if a.ndim == 2 and b.ndim == 2 and a.dtype == "float64" and b.dtype == "float64":
        y = _oxnp._linalg_gemm(a, b)
        if y is not None:
            return y
    try:
        return a @ b
    except TypeError:
        return (a[:, :, None] * b[None, :, :]).sum(axis=1)


def _vecmat(x, b, b_fortran):
    """``x @ b`` (``dot(x, b)``) for ``x`` of shape (1, n): NumPy hands a single row to
    OpenBLAS's dgemv (``dgemv('T')`` when it holds ``b`` column-major, ``dgemv('N')`` when
    row-major), whose rounding ``_linalg_vecmat`` reproduces; other cases multiply as usual."""
    from oxnp import _oxnp

    if x.shape[0] == 1:
        y = _oxnp._linalg_vecmat(x.reshape(-1), b, b_fortran)
        if y is not None:
            return y.reshape(1, -1)
    return _matmul(x, b)


def _allclose(a, b, tol):
    """``numpy.allclose(a, b, rtol=tol, atol=tol)`` for finite inputs (NaN is not close)."""
    return bool((abs(a - b) <= tol + tol * abs(b)).all())


def _not_psd(check_valid):
    if check_valid == "warn":
        warnings.warn("covariance is not symmetric positive-semidefinite.", RuntimeWarning, stacklevel=3)
    else:
        raise ValueError("covariance is not symmetric positive-semidefinite.")


def generator_multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *, method="svd"):
    """``Generator.multivariate_normal(mean, cov, size=None, check_valid='warn', tol=1e-8, *,
    method='svd')``."""
    import oxnp as np

    if method not in {"eigh", "svd", "cholesky"}:
        raise ValueError("method must be one of {'eigh', 'svd', 'cholesky'}")
    mean, cov = _check(mean, cov)
    final_shape = _shape_of(size) + [mean.shape[0]]
    x = self.standard_normal(tuple(final_shape)).reshape(-1, mean.shape[0])
    from oxnp import linalg

    if method == "svd":
        u, s, vh = linalg._decomp._svd_bitwise(cov)
    elif method == "eigh":
        s, u = linalg._decomp._eigh_bitwise(cov)
    else:
        fac = linalg.cholesky(cov)
    if check_valid != "ignore" and method != "cholesky":
        if check_valid != "warn" and check_valid != "raise":
            raise ValueError("check_valid must equal 'warn', 'raise', or 'ignore'")
        if method == "svd":
            # NumPy's vh.T * s is column-major: the transpose of the row-scaled vh
            psd = _allclose(_matmul((vh * s[:, None]).T, vh), cov, tol)
        else:
            psd = not np.any(s < -tol)
        if not psd:
            _not_psd(check_valid)
    if method == "eigh":
        fac = u * np.sqrt(abs(s))
    elif method == "svd":
        fac = u * np.sqrt(s)
    # NumPy's factor is C-ordered, so its transpose is column-major.
    fac = np.ascontiguousarray(fac)
    x = mean + _vecmat(x, fac.T, True)
    return x.reshape(tuple(final_shape))


def legacy_multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8):
    """``RandomState.multivariate_normal(mean, cov, size=None, check_valid='warn', tol=1e-8)``."""
    import oxnp as np

    mean, cov = _check(mean, cov)
    final_shape = _shape_of(size) + [mean.shape[0]]
    x = self.standard_normal(tuple(final_shape)).reshape(-1, mean.shape[0])
    from oxnp import linalg

    u, s, v = linalg._decomp._svd_bitwise(cov)
    if check_valid != "ignore":
        if check_valid != "warn" and check_valid != "raise":
            raise ValueError("check_valid must equal 'warn', 'raise', or 'ignore'")
        psd = _allclose(_matmul((v * s[:, None]).T, v), cov, tol)
        if not psd:
            _not_psd(check_valid)
    x = _vecmat(x, np.ascontiguousarray(np.sqrt(s)[:, None] * v), False)
    x += mean
    return x.reshape(tuple(final_shape))
