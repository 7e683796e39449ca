//! Private entry points of `oxnp.linalg`'s decompositions (`_linalg_*`). The Python layer
//! (`python/oxnp/linalg/_decomp.py`) checks shapes, casts to float64/complex128 and back, and
//! builds NumPy's result tuples; these run the kernels of `oxnp_kernels::linalg` without the GIL.

use oxnp_core::Array;
use oxnp_kernels::linalg::{self, QrMode, SvdVectors};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};

fn arr(a: &Bound<'_, PyNdArray>) -> Array {
    a.get().arr().clone()
}

fn opt<'py>(py: Python<'py>, a: Option<Array>) -> PyResult<Bound<'py, PyAny>> {
    match a {
        Some(a) => Ok(wrap(py, a)?.into_any()),
        None => Ok(py.None().into_bound(py)),
    }
}

#[pyfunction]
fn _linalg_solve<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, b: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    let (a, b) = (arr(a), arr(b));
    let x = py.detach(|| linalg::solve(&a, &b)).py()?;
    wrap(py, x)
}

#[pyfunction]
#[pyo3(signature = (a, raise_singular = true))]
fn _linalg_inv<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, raise_singular: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let a = arr(a);
    let x = py.detach(|| linalg::inv(&a, raise_singular)).py()?;
    wrap(py, x)
}

#[pyfunction]
fn _linalg_det<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = arr(a);
    let x = py.detach(|| linalg::det(&a)).py()?;
    wrap(py, x)
}

#[pyfunction]
fn _linalg_slogdet<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyTuple>> {
    let a = arr(a);
    let (s, l) = py.detach(|| linalg::slogdet(&a)).py()?;
    PyTuple::new(py, [wrap(py, s)?, wrap(py, l)?])
}

#[pyfunction]
fn _linalg_eig<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, vectors: bool) -> PyResult<Bound<'py, PyTuple>> {
    let a = arr(a);
    let (w, v) = py.detach(|| linalg::eig(&a, vectors)).py()?;
    PyTuple::new(py, [wrap(py, w)?.into_any(), opt(py, v)?])
}

/// `exact_reach`: the largest order taken along dsyevd's blocked steps (NumPy's bits) rather
/// than faer, `lapack_sytrd::SYEVD_MAX` unless given.
#[pyfunction]
#[pyo3(signature = (a, lower, vectors, exact_reach = oxnp_kernels::lapack_sytrd::SYEVD_MAX))]
fn _linalg_eigh<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, lower: bool, vectors: bool, exact_reach: usize) -> PyResult<Bound<'py, PyTuple>> {
    let a = arr(a);
    let (w, v) = py.detach(|| linalg::eigh(&a, lower, vectors, exact_reach)).py()?;
    PyTuple::new(py, [wrap(py, w)?.into_any(), opt(py, v)?])
}

/// `mode`: "none", "thin" or "full"; `exact_reach`: the largest min(m, n) taken along dgesdd
/// (NumPy's bits) rather than faer, `linalg::SVD_EXACT_DEFAULT` unless given.
#[pyfunction]
#[pyo3(signature = (a, mode, hermitian, exact_reach = linalg::SVD_EXACT_DEFAULT))]
fn _linalg_svd<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, mode: &str, hermitian: bool, exact_reach: usize) -> PyResult<Bound<'py, PyTuple>> {
    let mode = match mode {
        "none" => SvdVectors::None,
        "thin" => SvdVectors::Thin,
        "full" => SvdVectors::Full,
        _ => return Err(PyValueError::new_err(format!("unknown svd mode {mode:?}"))),
    };
    let a = arr(a);
    let (u, s, vh) = py.detach(|| linalg::svd(&a, mode, hermitian, exact_reach)).py()?;
    PyTuple::new(py, [opt(py, u)?, wrap(py, s)?.into_any(), opt(py, vh)?])
}

#[pyfunction]
fn _linalg_qr<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, mode: &str) -> PyResult<Bound<'py, PyTuple>> {
    let mode = match mode {
        "reduced" => QrMode::Reduced,
        "complete" => QrMode::Complete,
        "r" => QrMode::R,
        "raw" => QrMode::Raw,
        _ => return Err(PyValueError::new_err(format!("Unrecognized mode '{mode}'"))),
    };
    let a = arr(a);
    let (x, y) = py.detach(|| linalg::qr(&a, mode)).py()?;
    PyTuple::new(py, [wrap(py, x)?.into_any(), opt(py, y)?])
}

#[pyfunction]
fn _linalg_cholesky<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, upper: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let a = arr(a);
    let x = py.detach(|| linalg::cholesky(&a, upper)).py()?;
    wrap(py, x)
}

#[pyfunction]
fn _linalg_lstsq<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, b: &Bound<'py, PyNdArray>, rcond: f64) -> PyResult<Bound<'py, PyTuple>> {
    let (a, b) = (arr(a), arr(b));
    let (x, resid, rank, s) = py.detach(|| linalg::lstsq(&a, &b, rcond)).py()?;
    PyTuple::new(py, [wrap(py, x)?.into_any(), wrap(py, resid)?.into_any(), rank.into_pyobject(py)?.into_any(), wrap(py, s)?.into_any()])
}

#[pyfunction]
fn _linalg_pinv<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, rcond: Vec<f64>, hermitian: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let a = arr(a);
    let x = py.detach(|| linalg::pinv(&a, &rcond, hermitian)).py()?;
    wrap(py, x)
}

#[pyfunction]
fn _linalg_vecmat<'py>(py: Python<'py>, x: &Bound<'py, PyNdArray>, b: &Bound<'py, PyNdArray>, b_fortran: bool) -> PyResult<Bound<'py, PyAny>> {
    // `x @ b` for a float64 vector and matrix rounded as NumPy's OpenBLAS dgemv does (None where
    // that is not modelled; the caller then multiplies as usual).
    let (x, b) = (arr(x), arr(b));
    if x.dtype() != oxnp_core::DType::Float64 || b.dtype() != oxnp_core::DType::Float64 || x.ndim() != 1 || b.ndim() != 2 || b.shape()[0] != x.shape()[0] {
        return Err(PyValueError::new_err("_linalg_vecmat needs a float64 vector and a matching float64 matrix"));
    }
    let (n, p) = (b.shape()[0], b.shape()[1]);
    // Column-major values when NumPy hands B to dgemv as stored column by column.
    let bs = if b_fortran { oxnp_core::shape::transpose(&b, None).py()? } else { b };
    // Borrowed where already laid out so (a copy of a 400 × 400 matrix costs more than dgemv).
    let (b_copy, x_copy);
    let bv: &[f64] = match bs.as_slice::<f64>() {
        Some(v) => v,
        None => {
            b_copy = bs.to_vec::<f64>();
            &b_copy
        }
    };
    let xv: &[f64] = match x.as_slice::<f64>() {
        Some(v) => v,
        None => {
            x_copy = x.to_vec::<f64>();
            &x_copy
        }
    };
    match py.detach(|| oxnp_kernels::lapack_small::vecmat(xv, bv, n, p, b_fortran)) {
        Some(y) => Ok(wrap(py, Array::from_vec(&[p], y).py()?)?.into_any()),
        None => Ok(py.None().into_bound(py)),
    }
}

#[pyfunction]
fn _linalg_bdsdc(py: Python<'_>, d: Vec<f64>, e: Vec<f64>, upper: bool) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    // Test hook: dbdsdc(uplo, 'I') on a bidiagonal, (d, U, VT) with U and VT column-major.
    py.detach(|| oxnp_kernels::lapack_bdsdc::bdsdc_hook(upper, &d, &e)).map_err(|_| PyValueError::new_err("dbdsdc did not converge"))
}

#[pyfunction]
fn _linalg_lasq1(py: Python<'_>, d: Vec<f64>, e: Vec<f64>) -> (Vec<f64>, Vec<f64>, i32) {
    // Test hook: dlasq1 on the bidiagonal (d, e), (d, e, info).
    py.detach(|| oxnp_kernels::lapack_dqds::lasq1_hook(d, &e))
}

#[pyfunction]
fn _linalg_lasd4(py: Python<'_>, i: usize, d: Vec<f64>, z: Vec<f64>, rho: f64) -> PyResult<(f64, Vec<f64>, Vec<f64>)> {
    // Test hook: dlasd4's i-th (1-based) root, (sigma, delta, work).
    py.detach(|| oxnp_kernels::lapack_bdsdc::lasd4_hook(i, &d, &z, rho)).map_err(|_| PyValueError::new_err("dlasd4 did not converge"))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _linalg_lasd1(py: Python<'_>, nl: usize, nr: usize, sqre: usize, d: Vec<f64>, alpha: f64, beta: f64, u: Vec<f64>, vt: Vec<f64>, idxq: Vec<usize>) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<usize>)> {
    // Test hook: dlasd1's merge, (d, U, VT, idxq) with U and VT column-major.
    py.detach(|| oxnp_kernels::lapack_bdsdc::merge_hook(nl, nr, sqre, &d, alpha, beta, &u, &vt, &idxq)).map_err(|_| PyValueError::new_err("dlasd1 did not converge"))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_linalg_solve, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_inv, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_det, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_slogdet, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eig, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_eigh, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_svd, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_qr, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_cholesky, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lstsq, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_pinv, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_vecmat, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_bdsdc, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lasq1, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lasd4, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_lasd1, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_gemm, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_dgemm, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_blas_threads, m)?)?;
    m.add_function(wrap_pyfunction!(_linalg_dtrmm, m)?)?;
    Ok(())
}

/// How NumPy's matmul hands a 2-D float64 operand of shape (d0, d1) to `cblas_dgemm`: as
/// stored (`false`) when its rows are unit-step and the row step covers a row, transposed
/// (`true`) when its columns are, with the leading dimension in elements; None when neither
/// (NumPy then multiplies without BLAS).
fn blas_operand(a: &Array) -> Option<(bool, usize)> {
    let (d0, d1) = (a.shape()[0], a.shape()[1]);
    let (s0, s1) = (a.strides()[0], a.strides()[1]);
    let unit_rows = |outer: isize, inner: isize, len: usize| inner == 8 && outer >= 0 && outer % 8 == 0 && (outer / 8) as usize >= len && outer / 8 < i32::MAX as isize;
    if unit_rows(s0, s1, d1) {
        Some((false, (s0 / 8) as usize))
    } else if unit_rows(s1, s0, d0) {
        Some((true, (s1 / 8) as usize))
    } else {
        None
    }
}

/// The float64 values an operand's BLAS view covers, from its first element.
fn blas_values(a: &Array, trans: bool, ld: usize) -> Option<&[f64]> {
    let (d0, d1) = (a.shape()[0], a.shape()[1]);
    let len = if trans { (d1 - 1) * ld + d0 } else { (d0 - 1) * ld + d1 };
    let ptr = a.as_ptr();
    if (ptr as usize) % std::mem::align_of::<f64>() != 0 {
        return None;
    }
    // SAFETY: the strides checked in `blas_operand` keep every element of the view inside the
    // array's buffer, and `len` elements from the first one end at its last element.
    Some(unsafe { std::slice::from_raw_parts(ptr.cast::<f64>(), len) })
}

/// `a @ b` for 2-D float64 arrays rounded exactly as NumPy computes it through OpenBLAS's
/// `dgemm` on its SkylakeX kernels (`oxnp_kernels::gemm_skx`), with the operand roles and
/// transpose flags NumPy's matmul picks from the strides. None where NumPy does not call
/// `dgemm`: a dimension below 2 (vector kernels or a plain loop), operands without a unit-step
/// axis, or `x @ x.T` on one buffer (`dsyrk`).
#[pyfunction]
fn _linalg_gemm<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, b: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyAny>> {
    let (a, b) = (arr(a), arr(b));
    let f64s = a.dtype() == oxnp_core::DType::Float64 && b.dtype() == oxnp_core::DType::Float64;
    if !f64s || a.ndim() != 2 || b.ndim() != 2 || a.shape()[1] != b.shape()[0] {
        return Err(PyValueError::new_err("_linalg_gemm needs float64 matrices of shapes (m, n) and (n, p)"));
    }
    let (m, n, p) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    let none = || Ok(py.None().into_bound(py));
    if m < 2 || n < 2 || p < 2 {
        return none();
    }
    let (Some((ta, lda)), Some((tb, ldb))) = (blas_operand(&a), blas_operand(&b)) else {
        return none();
    };
    if a.as_ptr() == b.as_ptr() && m == p && a.strides()[0] == b.strides()[1] && a.strides()[1] == b.strides()[0] && ta != tb {
        return none();
    }
    let (Some(av), Some(bv)) = (blas_values(&a, ta, lda), blas_values(&b, tb, ldb)) else {
        return none();
    };
    let c = py.detach(|| oxnp_kernels::gemm_skx::matmul_rowmajor(m, p, n, av, lda, ta, bv, ldb, tb));
    Ok(wrap(py, Array::from_vec(&[m, p], c).py()?)?.into_any())
}

/// The Fortran `dgemm` of `oxnp_kernels::gemm_skx` on flat float64 arrays (column-major with
/// the given leading dimensions): returns a new C = alpha·op(A)·op(B) + beta·C (for tests
/// against NumPy's OpenBLAS).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _linalg_dgemm<'py>(
    py: Python<'py>,
    transa: bool,
    transb: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &Bound<'py, PyNdArray>,
    lda: usize,
    b: &Bound<'py, PyNdArray>,
    ldb: usize,
    beta: f64,
    c: &Bound<'py, PyNdArray>,
    ldc: usize,
) -> PyResult<Bound<'py, PyNdArray>> {
    let (a, b, c) = (arr(a), arr(b), arr(c));
    if [&a, &b, &c].iter().any(|x| x.dtype() != oxnp_core::DType::Float64 || x.ndim() != 1) {
        return Err(PyValueError::new_err("_linalg_dgemm needs flat float64 arrays"));
    }
    let (av, bv, mut cv) = (a.to_vec::<f64>(), b.to_vec::<f64>(), c.to_vec::<f64>());
    let (ar, ac) = if transa { (k, m) } else { (m, k) };
    let (br, bc) = if transb { (n, k) } else { (k, n) };
    let fits = |len: usize, rows: usize, cols: usize, ld: usize| ld >= rows.max(1) && (cols == 0 || rows == 0 || len >= (cols - 1) * ld + rows);
    if !fits(av.len(), ar, ac, lda) || !fits(bv.len(), br, bc, ldb) || !fits(cv.len(), m, n, ldc) {
        return Err(PyValueError::new_err("_linalg_dgemm: an array is too short for its shape and leading dimension"));
    }
    py.detach(|| oxnp_kernels::gemm_skx::dgemm_fortran(transa, transb, m, n, k, alpha, &av, lda, &bv, ldb, beta, &mut cv, ldc));
    wrap(py, Array::from_vec(&[cv.len()], cv).py()?)
}

/// The OpenBLAS thread count the dgemm model assumes (it decides how K is split between one
/// and two blocks); `threads` sets it.
#[pyfunction]
#[pyo3(signature = (threads = None))]
fn _linalg_blas_threads(threads: Option<usize>) -> usize {
    if let Some(t) = threads {
        oxnp_kernels::gemm_skx::set_blas_threads(t);
    }
    oxnp_kernels::gemm_skx::blas_threads()
}

/// The Fortran `dtrmm` of `oxnp_kernels::gemm_skx` on flat float64 arrays (column-major):
/// returns (new B, whether the shape is one where it is known to match NumPy's OpenBLAS).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _linalg_dtrmm<'py>(
    py: Python<'py>,
    left: bool,
    upper: bool,
    trans: bool,
    unit: bool,
    m: usize,
    n: usize,
    alpha: f64,
    a: &Bound<'py, PyNdArray>,
    lda: usize,
    b: &Bound<'py, PyNdArray>,
    ldb: usize,
) -> PyResult<Bound<'py, PyTuple>> {
    let (a, b) = (arr(a), arr(b));
    if [&a, &b].iter().any(|x| x.dtype() != oxnp_core::DType::Float64 || x.ndim() != 1) {
        return Err(PyValueError::new_err("_linalg_dtrmm needs flat float64 arrays"));
    }
    let k = if left { m } else { n };
    let (av, mut bv) = (a.to_vec::<f64>(), b.to_vec::<f64>());
    let fits = |len: usize, rows: usize, cols: usize, ld: usize| ld >= rows.max(1) && (cols == 0 || rows == 0 || len >= (cols - 1) * ld + rows);
    if !fits(av.len(), k, k, lda) || !fits(bv.len(), m, n, ldb) {
        return Err(PyValueError::new_err("_linalg_dtrmm: an array is too short for its shape and leading dimension"));
    }
    let exact = py.detach(|| oxnp_kernels::gemm_skx::dtrmm_fortran(left, upper, trans, unit, m, n, alpha, &av, lda, &mut bv, ldb));
    let out = wrap(py, Array::from_vec(&[bv.len()], bv).py()?)?;
    PyTuple::new(py, [out.into_any(), pyo3::types::PyBool::new(py, exact).to_owned().into_any()])
}
