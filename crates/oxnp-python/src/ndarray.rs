//! `oxnp.ndarray`: the Python face of `oxnp_core::Array`.
//!
//! Other modules add methods with their own `#[pymethods] impl PyNdArray` blocks (the crate
//! enables pyo3's `multiple-pymethods`), one concern per file.

use oxnp_core::{Array, DType};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::dtype::{PyDType, dtype_object};

#[pyclass(name = "ndarray", module = "oxnp", subclass, weakref)]
pub struct PyNdArray {
    pub arr: Array,
    /// The object whose memory this array views (NumPy's `base`): another ndarray, or the
    /// foreign exporter. None for arrays that own their data.
    pub base: Option<Py<PyAny>>,
}

impl PyNdArray {
    pub fn new(arr: Array) -> Self {
        PyNdArray { arr, base: None }
    }

    /// Wraps a view of `base`'s memory; `base` is the owner (NumPy collapses chains of views
    /// to the array that owns the data).
    pub fn view_of(arr: Array, base: &Bound<'_, PyNdArray>) -> Self {
        let owner = match &base.borrow().base {
            Some(b) if b.bind(base.py()).is_instance_of::<PyNdArray>() => b.clone_ref(base.py()),
            _ => base.clone().into_any().unbind(),
        };
        PyNdArray { arr, base: Some(owner) }
    }
}

/// Builds a new Python ndarray owning `arr`.
pub fn wrap(py: Python<'_>, arr: Array) -> PyResult<Bound<'_, PyNdArray>> {
    Bound::new(py, PyNdArray::new(arr))
}

/// Builds a Python ndarray viewing `base`'s memory.
pub fn wrap_view<'py>(base: &Bound<'py, PyNdArray>, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    Bound::new(base.py(), PyNdArray::view_of(arr, base))
}

pub fn shape_tuple<'py>(py: Python<'py>, shape: &[usize]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, shape)
}

#[pymethods]
impl PyNdArray {
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> Bound<'py, PyDType> {
        dtype_object(py, self.arr.dtype()).clone()
    }
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        shape_tuple(py, self.arr.shape())
    }
    #[getter]
    fn ndim(&self) -> usize {
        self.arr.ndim()
    }
    #[getter]
    fn size(&self) -> usize {
        self.arr.size()
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.arr.itemsize()
    }
    #[getter]
    fn nbytes(&self) -> usize {
        self.arr.nbytes()
    }
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.arr.strides())
    }
    #[getter]
    fn base(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.base.as_ref().map(|b| b.clone_ref(py))
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.arr.shape().first() {
            Some(&n) => Ok(n),
            None => Err(pyo3::exceptions::PyTypeError::new_err("len() of unsized object")),
        }
    }
}

/// The dtype of a fresh array when the caller gave none.
pub const DEFAULT_FLOAT: DType = DType::Float64;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNdArray>()?;
    Ok(())
}
