//! Array creation functions (`zeros`, `empty`, `array`, `arange`, ...).

use oxnp_core::{Array, DType, Order};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;


use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{DEFAULT_FLOAT, PyNdArray};

/// A shape argument: an int or a sequence of ints, each >= 0.
pub fn shape_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let dims: Vec<isize> = if let Ok(n) = obj.extract::<isize>() {
        vec![n]
    } else if let Ok(t) = obj.extract::<Vec<isize>>() {
        t
    } else {
        return Err(PyTypeError::new_err(format!(
            "'{}' object cannot be interpreted as an integer",
            obj.get_type().name()?
        )));
    };
    dims.iter()
        .map(|&d| {
            usize::try_from(d)
                .map_err(|_| PyValueError::new_err("negative dimensions are not allowed"))
        })
        .collect()
}

pub fn order_from_py(order: Option<&str>) -> PyResult<Order> {
    match order {
        None | Some("C") | Some("c") | Some("K") | Some("A") => Ok(Order::C),
        Some("F") | Some("f") => Ok(Order::F),
        Some(o) => Err(PyValueError::new_err(format!(
            "order must be one of 'C', 'F', 'A', or 'K' (got '{o}')"
        ))),
    }
}

fn new_array(
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: Option<&str>,
    zeroed: bool,
) -> PyResult<PyNdArray> {
    let shape = shape_from_py(shape)?;
    let dtype = optional_dtype(dtype)?.unwrap_or(DEFAULT_FLOAT);
    let order = order_from_py(order)?;
    let arr = if zeroed { Array::zeros(&shape, dtype, order) } else { Array::empty(&shape, dtype, order) };
    Ok(PyNdArray::new(arr.py()?))
}

#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = None, *, like = None))]
fn zeros(
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: Option<&str>,
    like: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNdArray> {
    let _ = like;
    new_array(shape, dtype, order, true)
}

/// Like NumPy, `empty` returns uninitialised memory, except that bool arrays are zeroed so
/// that they never hold bytes other than 0 and 1.
#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = None, *, like = None))]
fn empty(
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: Option<&str>,
    like: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNdArray> {
    let _ = like;
    let zero_bools = optional_dtype(dtype)? == Some(DType::Bool);
    new_array(shape, dtype, order, zero_bools)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(zeros, m)?)?;
    m.add_function(wrap_pyfunction!(empty, m)?)?;
    Ok(())
}
