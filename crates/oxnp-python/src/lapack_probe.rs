//! Test hooks into the LAPACK-faithful kernels (`oxnp._oxnp._lapack_*`): they let the test
//! suite compare single routines with their OpenBLAS twins bit for bit.

use oxnp_core::{Array, DType};
use oxnp_kernels::lapack_small::{self, Cm};
use oxnp_kernels::lapack_stedc;

use crate::ndarray::{wrap, PyNdArray};
use pyo3::exceptions::PyArithmeticError;
use pyo3::prelude::*;

/// `dstedc('I')` on the tridiagonal (d, e): (eigenvalues, eigenvectors column-major, flat).
#[pyfunction]
fn _lapack_stedc(mut d: Vec<f64>, mut e: Vec<f64>) -> PyResult<(Vec<f64>, Vec<f64>)> {
    if d.len() > 1 && e.len() + 1 != d.len() {
        return Err(pyo3::exceptions::PyValueError::new_err("e must have len(d) - 1 entries"));
    }
    let z = lapack_stedc::stedc(&mut d, &mut e).map_err(|_| PyArithmeticError::new_err("dstedc did not converge"))?;
    Ok((d, z.v))
}

/// `dlaed4`: root `i` (0-based) of the secular equation (d, z, rho): (lambda, delta).
#[pyfunction]
fn _lapack_laed4(i: usize, d: Vec<f64>, z: Vec<f64>, rho: f64) -> PyResult<(f64, Vec<f64>)> {
    if i >= d.len() || z.len() != d.len() {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dlaed4 arguments"));
    }
    let mut delta = vec![0.0; d.len()];
    let lam = lapack_stedc::secular_root(i, &d, &z, &mut delta, rho).map_err(|_| PyArithmeticError::new_err("dlaed4 did not converge"))?;
    Ok((lam, delta))
}

/// [`lapack_small::eigh_unblocked`] on a C-contiguous float64 square array (its lower or
/// upper triangle): (w, v) as arrays, for timing and comparison at any order.
#[pyfunction]
fn _lapack_eigh_unblocked<'py>(py: Python<'py>, a: &Bound<'py, PyNdArray>, lower: bool) -> PyResult<(Bound<'py, PyNdArray>, Bound<'py, PyNdArray>)> {
    let arr = a.get().arr().clone();
    let shape = arr.shape().to_vec();
    if arr.dtype() != DType::Float64 || !arr.is_c_contiguous() || shape.len() != 2 || shape[0] != shape[1] || shape[0] == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("a C-contiguous float64 square matrix is required"));
    }
    let n = shape[0];
    // SAFETY: a C-contiguous float64 array of n·n elements.
    let data = unsafe { std::slice::from_raw_parts(arr.as_ptr() as *const f64, n * n) };
    // Row-major A read as column-major is Aᵀ: take the other triangle.
    let cm = Cm { rows: n, cols: n, v: data.to_vec() };
    let (w, v) = py
        .detach(|| lapack_small::eigh_unblocked(&cm, !lower, true))
        .expect("n > 0")
        .map_err(|_| PyArithmeticError::new_err("eigh did not converge"))?;
    let v = v.expect("vectors");
    let vt: Vec<f64> = (0..n * n).map(|k| v.v[(k % n) * n + k / n]).collect();
    let w = wrap(py, Array::from_vec(&[n], w).map_err(|_| PyArithmeticError::new_err("alloc"))?)?;
    let vt = wrap(py, Array::from_vec(&[n, n], vt).map_err(|_| PyArithmeticError::new_err("alloc"))?)?;
    Ok((w, vt))
}

/// `dlarft('F', 'C' / 'R')` (`rowwise`): T (k × k, column-major, flat) for V (leading
/// dimension `ldv`, flat column-major) and tau.
#[pyfunction]
fn _lapack_larft(rowwise: bool, n: usize, k: usize, v: Vec<f64>, ldv: usize, tau: Vec<f64>) -> PyResult<Vec<f64>> {
    let need = if k == 0 { 0 } else if rowwise { ldv * (n - 1) + k } else { ldv * (k - 1) + n };
    if k > n || tau.len() < k || v.len() < need {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dlarft arguments"));
    }
    Ok(oxnp_kernels::lapack_blocked::larft_hook(rowwise, n, k, &v, ldv, &tau))
}

/// `dlarfb(SIDE, TRANS, 'F', 'C' for the left side / 'R' for the right side)` on C (m × n,
/// column-major, flat): the updated C.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _lapack_larfb(left: bool, trans: bool, m: usize, n: usize, k: usize, v: Vec<f64>, ldv: usize, t: Vec<f64>, mut c: Vec<f64>) -> PyResult<Vec<f64>> {
    let nq = if left { m } else { n };
    let need = if k == 0 { 0 } else if left { ldv * (k - 1) + nq } else { ldv * (nq - 1) + k };
    if k > nq || c.len() != m * n || t.len() < k * k || v.len() < need {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dlarfb arguments"));
    }
    oxnp_kernels::lapack_blocked::larfb_hook(left, trans, m, n, k, &v, ldv, &t, k, &mut c);
    Ok(c)
}

/// `dormqr('L', 'N')` (`lq` false) or `dormlq('R', 'N')` (`lq` true) on C (m × n, column-major,
/// flat) with k reflectors in A (leading dimension `lda`, flat) and `lwork` doubles of
/// workspace (which sets the block size): the updated C.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _lapack_orm(lq: bool, m: usize, n: usize, k: usize, a: Vec<f64>, lda: usize, tau: Vec<f64>, c: Vec<f64>, lwork: usize) -> PyResult<Vec<f64>> {
    let nq = if lq { n } else { m };
    let need = if k == 0 { 0 } else if lq { lda * (nq - 1) + k } else { lda * (k - 1) + nq };
    if k > nq || c.len() != m * n || tau.len() < k || a.len() < need {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dormqr / dormlq arguments"));
    }
    let mut cm = Cm { rows: m, cols: n, v: c };
    let nb = oxnp_kernels::lapack_blocked::orm_block(lwork, if lq { m } else { n });
    if lq {
        oxnp_kernels::lapack_blocked::ormlq_right_n(n, k, &a, lda, &tau, &mut cm, 0, nb);
    } else {
        oxnp_kernels::lapack_blocked::ormqr_left_n(m, k, &a, lda, &tau, &mut cm, 0, nb);
    }
    Ok(cm.v)
}

/// `dsyr2k('L', 'N')` on `threads` OpenBLAS threads: C (flat column-major, leading dimension
/// `ldc`) after C ← alpha·(A·Bᵀ + B·Aᵀ) + beta·C on its lower triangle.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _lapack_syr2k(threads: usize, n: usize, k: usize, alpha: f64, a: Vec<f64>, lda: usize, b: Vec<f64>, ldb: usize, beta: f64, mut c: Vec<f64>, ldc: usize) -> PyResult<Vec<f64>> {
    let need = |ld: usize, cols: usize| if cols == 0 { 0 } else { ld * (cols - 1) + n };
    if lda < n.max(1) || ldb < n.max(1) || ldc < n.max(1) || a.len() < need(lda, k) || b.len() < need(ldb, k) || c.len() < need(ldc, n) {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dsyr2k arguments"));
    }
    oxnp_kernels::syr2k_skx::dsyr2k_lower_with(threads, n, k, alpha, &a, lda, &b, ldb, beta, &mut c, ldc);
    Ok(c)
}

/// Blocked `dsytrd('L')` on `threads` OpenBLAS threads of the n × n matrix `a` (flat,
/// column-major): (a after, d, e, tau).
#[pyfunction]
fn _lapack_sytrd(threads: usize, n: usize, a: Vec<f64>) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> {
    if a.len() != n * n || n == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("a must hold n*n > 0 values"));
    }
    let mut cm = Cm { rows: n, cols: n, v: a };
    let (d, e, tau) = oxnp_kernels::lapack_sytrd::sytrd_lower(&mut cm, threads);
    Ok((cm.v, d, e, tau))
}

/// `dsterf` on the tridiagonal (d, e): the eigenvalues, increasing.
#[pyfunction]
fn _lapack_sterf(mut d: Vec<f64>, mut e: Vec<f64>) -> PyResult<Vec<f64>> {
    if d.len() > 1 && e.len() + 1 != d.len() {
        return Err(pyo3::exceptions::PyValueError::new_err("e must have len(d) - 1 entries"));
    }
    oxnp_kernels::lapack_sterf::sterf(&mut d, &mut e).map_err(|_| PyArithmeticError::new_err("dsterf did not converge"))?;
    Ok(d)
}

/// `dsyevd('V', 'L')` with NumPy's workspace on `threads` OpenBLAS threads: (w, z flat
/// column-major).
#[pyfunction]
fn _lapack_syevd(threads: usize, n: usize, a: Vec<f64>) -> PyResult<(Vec<f64>, Vec<f64>)> {
    if a.len() != n * n || n == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("a must hold n*n > 0 values"));
    }
    let cm = Cm { rows: n, cols: n, v: a };
    let (w, z) = oxnp_kernels::lapack_sytrd::syevd_lower_with(&cm, threads).map_err(|_| PyArithmeticError::new_err("dsyevd did not converge"))?;
    Ok((w, z.v))
}

/// OpenBLAS's `dgemv` model on flat arrays with a given thread count: y on exit.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _lapack_dgemv(trans: bool, m: usize, n: usize, alpha: f64, a: Vec<f64>, lda: usize, x: Vec<f64>, incx: usize, beta: f64, y: Vec<f64>, incy: usize, threads: usize) -> PyResult<Vec<f64>> {
    let (lenx, leny) = if trans { (m, n) } else { (n, m) };
    let fits = |len: usize, inc: usize, have: usize| len == 0 || (inc >= 1 && (len - 1) * inc < have);
    if m > 0 && n > 0 && (lda < m || a.len() < lda * (n - 1) + m || !fits(lenx, incx, x.len()) || !fits(leny, incy, y.len())) {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dgemv arguments"));
    }
    Ok(oxnp_kernels::lapack_gebrd::dgemv_hook(trans, m, n, alpha, &a, lda, &x, incx, beta, y, incy, threads.max(1)))
}

/// `dlabrd(m, n, nb)` on A (m × n, column-major, flat; X, Y with leading dimensions m, n):
/// (A, d, e, tauq, taup, X, Y).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn _lapack_labrd(m: usize, n: usize, nb: usize, a: Vec<f64>) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> {
    if a.len() != m * n || nb > m.min(n) {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dlabrd arguments"));
    }
    Ok(oxnp_kernels::lapack_gebrd::labrd_hook(m, n, nb, a))
}

/// `dgebrd` on A (m × n, column-major, flat) with the optimal workspace: (A, d, e, tauq, taup).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn _lapack_gebrd(m: usize, n: usize, a: Vec<f64>) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> {
    if a.len() != m * n || m.min(n) == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("bad dgebrd arguments"));
    }
    Ok(oxnp_kernels::lapack_gebrd::gebrd_hook(m, n, a))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_lapack_sytrd, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_syevd, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_sterf, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_syr2k, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_dgemv, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_labrd, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_gebrd, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_stedc, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_larft, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_larfb, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_orm, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_laed4, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_eigh_unblocked, m)?)?;
    Ok(())
}
