//! ndarray methods of the numeric namespace: `x in a` and `a.setflags(...)` forward to the
//! Python composites in `python/oxnp/_numeric.py`; `a.resize(...)` replaces the array's own
//! storage in place, which only Rust can do.

use std::sync::Arc;

use oxnp_core::{Array, Order};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::IntoPyResult;
use crate::ndarray::PyNdArray;

fn composite<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("oxnp._numeric")?.getattr(name)
}

/// One dimension of a `resize` shape: an integer (`__index__`), never negative.
fn resize_dim(item: &Bound<'_, PyAny>) -> PyResult<usize> {
    let v: isize = match item.call_method0("__index__") {
        Ok(v) => v.extract()?,
        Err(_) => {
            return Err(PyTypeError::new_err(format!(
                "expected a sequence of integers or a single integer, got '{}'",
                item.repr()?
            )));
        }
    };
    if v < 0 {
        return Err(PyValueError::new_err("negative dimensions not allowed"));
    }
    Ok(v as usize)
}

#[pymethods]
impl PyNdArray {
    /// `value in a`: NumPy's `(a == value).any()`.
    fn __contains__(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        composite(slf.py(), "_contains")?.call1((slf, value))?.is_truthy()
    }

    /// `a.setflags(write=None, align=None, uic=None)`.
    #[pyo3(signature = (write = None, align = None, uic = None))]
    fn setflags(
        slf: &Bound<'_, Self>,
        write: Option<&Bound<'_, PyAny>>,
        align: Option<&Bound<'_, PyAny>>,
        uic: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        composite(slf.py(), "_setflags")?.call1((slf, write, align, uic))?;
        Ok(())
    }

    /// `a.resize(new_shape, refcheck=True)` in place: the data keeps its memory order, new
    /// elements are zero. A size change is refused when the array views another's memory, or
    /// (refcheck) when its storage is shared with a view or an export — oxnp's stand-in for
    /// NumPy's reference-count check, which also refuses an array merely held twice.
    #[pyo3(signature = (*new_shape, refcheck = true))]
    fn resize(
        slf: &Bound<'_, Self>,
        new_shape: &Bound<'_, PyTuple>,
        refcheck: bool,
    ) -> PyResult<()> {
        let mut dims_obj: Vec<Bound<'_, PyAny>> = new_shape.iter().collect();
        if dims_obj.is_empty() {
            return Ok(());
        }
        if dims_obj.len() == 1 {
            let only = dims_obj[0].clone();
            if only.is_none() {
                return Ok(());
            }
            if only.call_method0("__index__").is_err() {
                if let Ok(seq) = only.try_iter() {
                    dims_obj = seq.collect::<PyResult<Vec<_>>>()?;
                }
            }
        }
        let dims = dims_obj.iter().map(resize_dim).collect::<PyResult<Vec<usize>>>()?;
        let this = slf.get();
        // NumPy's order: one segment, then (only when the size changes) ownership and
        // references; a same-size resize re-describes the same memory, view or not.
        let c = this.arr().is_c_contiguous();
        if !c && !this.arr().is_f_contiguous() {
            return Err(PyValueError::new_err("resize only works on single-segment arrays"));
        }
        let old_size = this.arr().size();
        let new_size = oxnp_core::array::checked_size(&dims).py()?;
        let order = if c { Order::C } else { Order::F };
        if old_size == new_size {
            let itemsize = this.arr().itemsize();
            let strides = match order {
                Order::C => oxnp_core::array::c_strides(&dims, itemsize),
                Order::F => oxnp_core::array::f_strides(&dims, itemsize),
            };
            let mut arr = this.arr().clone();
            arr.set_geometry(dims.into_iter().collect(), strides).py()?;
            PyNdArray::set_arr(slf, arr);
            return Ok(());
        }
        if this.base().is_some() {
            return Err(PyValueError::new_err("cannot resize this array: it does not own its data"));
        }
        if refcheck && Arc::strong_count(this.arr().buffer()) > 1 {
            return Err(PyValueError::new_err(
                "cannot resize an array that references or is referenced\nby another object in \
                 this way.\nUse the np.resize function to get a new resized copy or\n set \
                 refcheck=False to disable this check",
            ));
        }
        let mut new = Array::zeros(&dims, this.arr().dtype(), order).py()?;
        let n = old_size.min(new_size) * this.arr().itemsize();
        if n > 0 {
            // SAFETY: the old array is one contiguous segment of at least `n` bytes starting
            // at its lowest address (as_ptr, since its strides are positive), the new one is
            // freshly allocated with at least `n` bytes; they do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(this.arr().as_ptr(), new.as_ptr(), n) };
        }
        if !this.arr().writeable() {
            new.set_writeable(false).py()?;
        }
        PyNdArray::set_arr(slf, new);
        Ok(())
    }
}

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
