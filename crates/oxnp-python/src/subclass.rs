//! Python subclasses of `ndarray`: the constructor `ndarray(shape, dtype, buffer, offset,
//! strides, order)`, `view(type=Sub)`, and the `__array_finalize__` / `__array_wrap__` hooks
//! that subclasses override.

use oxnp_core::array::{c_strides, f_strides};
use oxnp_core::{Array, DType, Order};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass_init::PyClassInitializer;
use pyo3::types::PyType;

use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, placement};

/// A new instance of `tp` (ndarray or a Python subclass of it) holding `value`.
pub fn new_of_type<'py>(tp: &Bound<'py, PyType>, value: PyNdArray) -> PyResult<Bound<'py, PyNdArray>> {
    let py = tp.py();
    let value = match placement(py) {
        Some(p) => match p.create(py, tp.as_ptr().cast(), value) {
            // SAFETY: an instance of `tp`, a subclass of ndarray.
            Ok(made) => return made.map(|obj| unsafe { obj.cast_into_unchecked() }),
            Err(back) => back,
        },
        None => value,
    };
    // SAFETY: `tp` is ndarray or a subclass of it (the callers check).
    let ptr = unsafe { pyo3::impl_::pymethods::tp_new_impl(py, PyClassInitializer::from(value), tp.as_ptr().cast()) }?;
    // SAFETY: tp_new_impl returns a new, owned reference to an instance of `tp`.
    Ok(unsafe { Bound::from_owned_ptr(py, ptr).cast_into_unchecked() })
}

/// `src`'s array `arr` (a view of its memory) as an instance of `tp`, finalized from `src` as
/// NumPy does: `__array_finalize__(src)` runs when `tp` overrides it.
pub fn view_as_type<'py>(src: &Bound<'py, PyNdArray>, arr: Array, tp: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyNdArray>> {
    let py = src.py();
    let ndarray_type = py.get_type::<PyNdArray>();
    if !tp.is_subclass(&ndarray_type)? {
        return Err(PyValueError::new_err("Type must be a sub-type of ndarray type"));
    }
    let obj = new_of_type(tp, PyNdArray::view_of(arr, src))?;
    if !tp.is(&ndarray_type) {
        finalize(&obj, src.as_any())?;
    }
    Ok(obj)
}

/// Calls `obj.__array_finalize__(from)` when `obj`'s class overrides ndarray's (which does
/// nothing).
fn finalize(obj: &Bound<'_, PyNdArray>, from: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = obj.py();
    let name = pyo3::intern!(py, "__array_finalize__");
    let own = py.get_type::<PyNdArray>().getattr(name)?;
    let hook = obj.get_type().getattr(name)?;
    if !hook.is(&own) && !hook.is_none() {
        obj.call_method1(name, (from,))?;
    }
    Ok(())
}

/// A dimension list from an int or a sequence of ints, none negative.
fn dims_from(shape: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let dims: Vec<isize> = match shape.extract::<isize>() {
        Ok(n) => vec![n],
        Err(_) => shape.extract()?,
    };
    dims.into_iter()
        .map(|d| usize::try_from(d).map_err(|_| PyValueError::new_err("negative dimensions are not allowed")))
        .collect()
}

#[pymethods]
impl PyNdArray {
    /// `ndarray(shape, dtype=float, buffer=None, offset=0, strides=None, order=None)`: a new
    /// (uninitialised) array, or a view of `buffer`'s bytes from `offset`.
    #[new]
    #[pyo3(signature = (shape, dtype = None, buffer = None, offset = 0, strides = None, order = None))]
    fn __new__(
        py: Python<'_>,
        shape: &Bound<'_, PyAny>,
        dtype: Option<&Bound<'_, PyAny>>,
        buffer: Option<&Bound<'_, PyAny>>,
        offset: isize,
        strides: Option<Vec<isize>>,
        order: Option<&str>,
    ) -> PyResult<PyNdArray> {
        let dims = dims_from(shape)?;
        let dtype = crate::dtype::optional_dtype(dtype)?.unwrap_or(DType::Float64);
        let order = crate::creation::order_from_py(order)?;
        let itemsize = dtype.itemsize();
        let default_strides = || if order == Order::F { f_strides(&dims, itemsize) } else { c_strides(&dims, itemsize) };
        let strides: oxnp_core::array::Strides = strides.map(Into::into).unwrap_or_else(default_strides);
        let Some(buffer) = buffer.filter(|b| !b.is_none()) else {
            let fresh = Array::empty(&dims, dtype, order).py()?;
            // Given strides must fit the memory the shape needs.
            let arr = Array::from_parts(fresh.buffer().clone(), 0, dims.as_slice().into(), strides, dtype).py()?;
            return Ok(PyNdArray::new(arr));
        };
        if offset < 0 {
            return Err(PyValueError::new_err("offset must be non-negative and no greater than buffer length"));
        }
        let bytes = py.import("oxnp")?.getattr("frombuffer")?.call1((buffer, "uint8"))?;
        let bytes = bytes.cast::<PyNdArray>()?;
        let raw = bytes.get().arr();
        let mut arr = Array::from_parts(raw.buffer().clone(), raw.offset() + offset as usize, dims.as_slice().into(), strides, dtype)
            .map_err(|_| PyTypeError::new_err("buffer is too small for requested array"))?;
        arr.set_writeable(raw.writeable()).py()?;
        Ok(PyNdArray::view_of(arr, bytes))
    }

    /// NumPy's hook, called on a new subclass instance with the array it came from; ndarray's
    /// own does nothing.
    fn __array_finalize__(&self, obj: &Bound<'_, PyAny>) {
        let _ = obj;
    }

    /// `array` as an instance of this array's class (a 0-d result as a scalar when
    /// `return_scalar`).
    #[pyo3(signature = (array, context = None, return_scalar = false))]
    fn __array_wrap__<'py>(
        slf: &Bound<'py, Self>,
        array: &Bound<'py, PyNdArray>,
        context: Option<&Bound<'py, PyAny>>,
        return_scalar: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = context;
        if return_scalar && array.get().arr().ndim() == 0 {
            return array.call_method1(pyo3::intern!(slf.py(), "__getitem__"), ((),));
        }
        let tp = slf.get_type();
        if array.get_type().is(&tp) {
            return Ok(array.clone().into_any());
        }
        Ok(view_as_type(array, array.get().arr().clone(), &tp)?.into_any())
    }
}
