//! The one place where `oxnp_core::Error` becomes a Python exception, and where Rust panics
//! are turned into exceptions instead of aborting the interpreter.

use oxnp_core::Error;
use pyo3::exceptions::{
    PyIndexError, PyMemoryError, PyNotImplementedError, PyOverflowError, PyRuntimeError,
    PyTypeError, PyValueError, PyZeroDivisionError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static AXIS_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static LINALG_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UFUNC_TYPE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Raises an exception class defined in Python (`oxnp.exceptions`), falling back to `fallback`
/// if that module cannot be imported (only during interpreter teardown).
fn raise_python_class(
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    args: impl for<'py> IntoPyObject<'py> + Send + Sync + 'static + Clone,
    fallback: impl FnOnce() -> PyErr,
) -> PyErr {
    Python::attach(|py| match cell.import(py, "oxnp.exceptions", name) {
        Ok(cls) => match cls.call1((args,)) {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        },
        Err(_) => fallback(),
    })
}

pub fn to_pyerr(err: Error) -> PyErr {
    match err {
        Error::Value(m) => PyValueError::new_err(m),
        Error::Type(m) => PyTypeError::new_err(m),
        Error::Index(m) => PyIndexError::new_err(m),
        Error::Overflow(m) => PyOverflowError::new_err(m),
        Error::Memory(m) => PyMemoryError::new_err(m),
        Error::ZeroDivision(m) => PyZeroDivisionError::new_err(m),
        Error::NotImplemented(m) => PyNotImplementedError::new_err(m),
        Error::Runtime(m) => PyRuntimeError::new_err(m),
        Error::Axis { .. } => {
            let msg = err.to_string();
            let fallback = msg.clone();
            raise_python_class(&AXIS_ERROR, "AxisError", msg, move || PyIndexError::new_err(fallback))
        }
        Error::LinAlg(m) => {
            let fallback = m.clone();
            raise_python_class(&LINALG_ERROR, "LinAlgError", m, move || PyValueError::new_err(fallback))
        }
        Error::UFuncType(m) => {
            let fallback = m.clone();
            raise_python_class(&UFUNC_TYPE_ERROR, "UFuncTypeError", m, move || PyTypeError::new_err(fallback))
        }
    }
}

/// `?`-friendly conversion: `core_call().map_err(to_pyerr)?` is spelled `core_call().py()?`.
pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    #[inline]
    fn py(self) -> PyResult<T> {
        self.map_err(to_pyerr)
    }
}
