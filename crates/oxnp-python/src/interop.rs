//! Exchange with other array libraries: bytes in and out (`tobytes`), and (to come) the
//! buffer protocol, `__array_interface__` and DLPack.

use oxnp_core::{Array, Order};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::creation::shape_from_py;
use crate::dtype::dtype_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::PyNdArray;

/// An Array wrapping the memory of a foreign object (buffer protocol, `__array_interface__`),
/// zero-copy, or None when `obj` exposes neither.
pub fn try_from_foreign(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    let _ = obj;
    Ok(None)
}

/// Test and bootstrap helper: a C-ordered array from raw bytes.
#[pyfunction]
fn _from_bytes(data: &[u8], shape: &Bound<'_, PyAny>, dtype: &Bound<'_, PyAny>) -> PyResult<PyNdArray> {
    let shape = shape_from_py(shape)?;
    let dtype = dtype_from_py(dtype)?;
    let arr = Array::empty(&shape, dtype, Order::C).py()?;
    if arr.nbytes() != data.len() {
        return Err(PyValueError::new_err(format!(
            "_from_bytes: {} bytes given, the shape and dtype need {}",
            data.len(),
            arr.nbytes()
        )));
    }
    // SAFETY: fresh contiguous allocation of exactly data.len() bytes.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), arr.as_ptr(), data.len()) };
    Ok(PyNdArray::new(arr))
}

#[pymethods]
impl PyNdArray {
    /// The elements' bytes in C (or F) order.
    #[pyo3(signature = (order = "C"))]
    fn tobytes<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, PyBytes>> {
        let order = crate::creation::order_from_py(Some(order))?;
        let arr = if (order == Order::C && self.arr.is_c_contiguous())
            || (order == Order::F && self.arr.is_f_contiguous())
        {
            self.arr.clone()
        } else {
            self.arr.copy(order).py()?
        };
        // SAFETY: arr is contiguous in the requested order, so its bytes are one block.
        let bytes = unsafe { std::slice::from_raw_parts(arr.as_ptr(), arr.nbytes()) };
        Ok(PyBytes::new(py, bytes))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_from_bytes, m)?)?;
    Ok(())
}
