//! Test hooks into the LAPACK-faithful kernels (`oxnp._oxnp._lapack_*`): they let the test
//! suite compare single routines with their OpenBLAS twins bit for bit.

use oxnp_kernels::lapack_stedc;
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

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_lapack_stedc, m)?)?;
    m.add_function(wrap_pyfunction!(_lapack_laed4, m)?)?;
    Ok(())
}
