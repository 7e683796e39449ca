//! The Python bindings of oxnp: the private extension module `oxnp._oxnp`. The public names
//! are re-exported by `python/oxnp/__init__.py`.

pub mod convert;
pub mod creation;
pub mod dtype;
pub mod dtypefuncs;
pub mod errors;
pub mod fft;
pub mod grids;
pub mod indexing;
pub mod interop;
pub mod linalg;
pub mod io;
pub mod ndarray;
pub mod printing;
pub mod products;
pub mod random;
pub mod reductions;
pub mod fastnew;
pub mod scalar;
pub mod scalar_math;
pub mod sorting;
pub mod methods;
pub mod manip;
pub mod ufunc;
pub mod numeric;
pub mod jit;
pub mod fastpath;
pub mod lapack_probe;
pub mod subclass;

use pyo3::prelude::*;

#[pymodule(gil_used = true)]
fn _oxnp(m: &Bound<'_, PyModule>) -> PyResult<()> {
    dtype::register(m)?;
    ndarray::register(m)?;
    scalar::register(m)?;
    dtypefuncs::register(m)?;
    creation::register(m)?;
    indexing::register(m)?;
    printing::register(m)?;
    interop::register(m)?;
    random::register(m)?;
    grids::register(m)?;
    methods::register(m)?;
    ufunc::register(m)?;
    reductions::register(m)?;
    manip::register(m)?;
    linalg::register(m)?;
    sorting::register(m)?;
    numeric::register(m)?;
    io::register(m)?;
    products::register(m)?;
    fft::register(m)?;
    jit::register(m)?;
    fastpath::register(m)?;
    lapack_probe::register(m)?;
    subclass::register(m)?;
    Ok(())
}
