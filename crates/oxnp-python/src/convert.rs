//! Python value -> core Array, for arguments of every function and operator.

use oxnp_core::{Array, DType};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt};

use crate::ndarray::PyNdArray;
use crate::scalar::{scalar_from_py, value_to_array};

/// Any array-like as an Array: oxnp arrays are shared (a view, no copy); Python scalars
/// become 0-d arrays with their default dtype; oxnp and NumPy scalars become 0-d arrays of
/// their own dtype.
pub fn array_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Array> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.borrow().arr.clone());
    }
    // Exact builtins first: `oxnp.float64` is a float subclass but has its own dtype.
    let builtin = obj.is_exact_instance_of::<PyFloat>() || obj.is_exact_instance_of::<PyInt>() || obj.is_exact_instance_of::<PyBool>() || obj.is_exact_instance_of::<PyComplex>();
    if !builtin {
        if let Some((dtype, value)) = scalar_from_py(obj) {
            return value_to_array(dtype, &value);
        }
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Array::scalar(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        let v: i64 = obj.extract()?;
        return Ok(Array::scalar(v));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Array::scalar(f.value()));
    }
    if let Ok(c) = obj.cast::<PyComplex>() {
        return Ok(Array::scalar(num_complex::Complex64::new(c.real(), c.imag())));
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert an object of type {} to an oxnp array",
        obj.get_type().name()?
    )))
}

/// The dtype Python scalars get by default (NumPy's discovery for a lone scalar).
pub fn default_scalar_dtype(obj: &Bound<'_, PyAny>) -> Option<DType> {
    if obj.is_instance_of::<PyBool>() {
        Some(DType::Bool)
    } else if obj.is_instance_of::<PyInt>() {
        Some(DType::Int64)
    } else if obj.is_instance_of::<PyFloat>() {
        Some(DType::Float64)
    } else if obj.is_instance_of::<PyComplex>() {
        Some(DType::Complex128)
    } else {
        None
    }
}
