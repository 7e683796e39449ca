//! Array elements as Python objects (`a[3]`, `a.sum()`, `tolist`).

use num_complex::{Complex32, Complex64};
use oxnp_core::half::f16;
use oxnp_core::{Array, DType};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

/// The element at byte offset `offset` (relative to `arr.as_ptr()`) as a plain Python value
/// (bool, int, float, complex) — what `tolist()` and `item()` return.
pub fn element_to_builtin(py: Python<'_>, arr: &Array, offset: isize) -> PyResult<Py<PyAny>> {
    // SAFETY: callers pass offsets derived from arr's shape and strides.
    let p = unsafe { arr.as_ptr().offset(offset) };
    unsafe {
        match arr.dtype() {
            DType::Bool => (*p != 0).into_py_any(py),
            DType::Int8 => p.cast::<i8>().read().into_py_any(py),
            DType::UInt8 => p.read().into_py_any(py),
            DType::Int16 => p.cast::<i16>().read_unaligned().into_py_any(py),
            DType::UInt16 => p.cast::<u16>().read_unaligned().into_py_any(py),
            DType::Int32 => p.cast::<i32>().read_unaligned().into_py_any(py),
            DType::UInt32 => p.cast::<u32>().read_unaligned().into_py_any(py),
            DType::Int64 => p.cast::<i64>().read_unaligned().into_py_any(py),
            DType::UInt64 => p.cast::<u64>().read_unaligned().into_py_any(py),
            DType::Float16 => p.cast::<f16>().read_unaligned().to_f64().into_py_any(py),
            DType::Float32 => (p.cast::<f32>().read_unaligned() as f64).into_py_any(py),
            DType::Float64 => p.cast::<f64>().read_unaligned().into_py_any(py),
            DType::Complex64 => {
                let c = p.cast::<Complex32>().read_unaligned();
                pyo3::types::PyComplex::from_doubles(py, c.re as f64, c.im as f64).into_py_any(py)
            }
            DType::Complex128 => {
                let c = p.cast::<Complex64>().read_unaligned();
                pyo3::types::PyComplex::from_doubles(py, c.re, c.im).into_py_any(py)
            }
        }
    }
}

/// The element at `offset` as an oxnp scalar object (`oxnp.float64(1.5)`), as integer
/// indexing and full reductions return it.
pub fn element_to_scalar(py: Python<'_>, arr: &Array, offset: isize) -> PyResult<Py<PyAny>> {
    element_to_builtin(py, arr, offset)
}

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
