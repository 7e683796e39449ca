//! ndarray attributes and methods (`shape=`, `flags`, `T`, `reshape`, `astype`, `view`,
//! `item`, `tolist`, conversions to Python numbers, ...) and the module-level shape functions
//! (`reshape`, `transpose`, `moveaxis`, `atleast_2d`, ...).

use oxnp_core::array::for_each_offset;
use oxnp_core::cast::{can_cast, cast_error, copy_into};
use oxnp_core::shape::{self, AnyOrder, CopyMode};
use oxnp_core::{Array, Casting, DType, Order};
use pyo3::exceptions::{PyAttributeError, PyIndexError, PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::ffi;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyList, PySlice, PyTuple, PyType};
use smallvec::SmallVec;

use crate::convert::array_from_py;
use crate::ufunc::{cast_may_warn, checked_cast, value_may_warn};
use crate::dtype::dtype_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, new_view_with, shape_tuple, wrap, wrap_like, wrap_view};
use crate::scalar::{builtin_to_value, element_to_builtin, element_to_scalar, scalar_from_py, value_to_array};

static AXIS_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An AxisError with a message of its own (rollaxis words its error differently).
fn axis_error_with(py: Python<'_>, msg: String) -> PyErr {
    match AXIS_ERROR.import(py, "oxnp.exceptions", "AxisError").and_then(|c| c.call1((msg.clone(),))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(_) => PyIndexError::new_err(msg),
    }
}

fn index_of(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    obj.extract::<isize>()
}

/// Axis numbers or dimensions as given (possibly negative), inline for the usual few.
type Axes = SmallVec<[isize; 4]>;

/// One dimension of a requested shape, as NumPy reads it: no bools, and a Python int too
/// large for the platform is a dimension too large.
fn dim_of(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err("an integer is required"));
    }
    obj.extract::<isize>().map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) {
            PyValueError::new_err("Maximum allowed dimension exceeded")
        } else {
            e
        }
    })
}

/// An axis argument: one integer or a sequence of them.
fn axes_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Axes> {
    ints_from_py(obj, index_of)
}

/// One integer or a sequence of them, each read by `item`.
fn ints_from_py(obj: &Bound<'_, PyAny>, item: fn(&Bound<'_, PyAny>) -> PyResult<isize>) -> PyResult<Axes> {
    // Tuples first: a failed integer extraction builds an exception, which costs more than
    // the whole reshape or transpose.
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|x| item(&x)).collect();
    }
    if obj.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err("'float' object cannot be interpreted as an integer"));
    }
    if obj.is_instance_of::<PyInt>() || obj.hasattr("__index__")? {
        return Ok(smallvec::smallvec![item(obj)?]);
    }
    obj.try_iter()?.map(|x| item(&x?)).collect()
}

/// Shape arguments of `reshape`: `reshape(2, 3)`, `reshape((2, 3))`, `reshape(None)` (None:
/// the current shape).
fn dims_from_args(args: &Bound<'_, PyTuple>, current: &[usize]) -> PyResult<Axes> {
    if args.len() == 1 {
        let a = args.get_item(0)?;
        if a.is_none() {
            return Ok(current.iter().map(|&d| d as isize).collect());
        }
        return ints_from_py(&a, dim_of);
    }
    args.iter().map(|x| dim_of(&x)).collect()
}

fn shape_obj_dims(obj: &Bound<'_, PyAny>, current: &[usize]) -> PyResult<Axes> {
    dims_from_args(&PyTuple::new(obj.py(), [obj])?, current)
}

fn any_order(order: Option<&Bound<'_, PyAny>>, default: AnyOrder) -> PyResult<AnyOrder> {
    let Some(o) = order.filter(|o| !o.is_none()) else { return Ok(default) };
    let s: String = o.extract()?;
    match s.as_str() {
        "C" | "c" => Ok(AnyOrder::C),
        "F" | "f" => Ok(AnyOrder::F),
        "A" | "a" => Ok(AnyOrder::A),
        "K" | "k" => Ok(AnyOrder::K),
        _ => Err(PyValueError::new_err(format!("order must be one of 'C', 'F', 'A', or 'K' (got '{s}')"))),
    }
}

/// reshape's order: 'A' picks F for F-only-contiguous arrays; 'K' is refused.
fn reshape_order(order: Option<&Bound<'_, PyAny>>, arr: &Array) -> PyResult<Order> {
    match any_order(order, AnyOrder::C)?.resolve_a(arr) {
        AnyOrder::F => Ok(Order::F),
        AnyOrder::K => Err(PyValueError::new_err("order 'K' is not permitted for reshaping")),
        _ => Ok(Order::C),
    }
}

fn copy_mode(copy: Option<&Bound<'_, PyAny>>) -> PyResult<CopyMode> {
    match copy {
        None => Ok(CopyMode::IfNeeded),
        Some(c) if c.is_none() => Ok(CopyMode::IfNeeded),
        Some(c) => Ok(if c.is_truthy()? { CopyMode::Always } else { CopyMode::Never }),
    }
}

fn parse_casting(s: &str) -> PyResult<Casting> {
    match s {
        "no" => Ok(Casting::No),
        "equiv" => Ok(Casting::Equiv),
        "safe" => Ok(Casting::Safe),
        "same_kind" => Ok(Casting::SameKind),
        "unsafe" => Ok(Casting::Unsafe),
        _ => Err(PyValueError::new_err(format!(
            "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe', 'same_value' (got '{s}')"
        ))),
    }
}

/// Returns `arr` as a view of `slf` or as a new array.
fn result<'py>(slf: &Bound<'py, PyNdArray>, arr: Array, is_view: bool) -> PyResult<Bound<'py, PyNdArray>> {
    if is_view { wrap_view(slf, arr) } else { wrap_like(slf, arr) }
}

/// Any array-like as a Python ndarray (oxnp arrays are returned as they are).
fn as_ndarray<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.clone());
    }
    wrap(obj.py(), array_from_py(obj)?)
}

/// Byte offset of the element with C-order flat index `i`.
fn flat_offset(arr: &Array, mut i: usize) -> isize {
    let mut off = 0isize;
    for k in (0..arr.ndim()).rev() {
        let d = arr.shape()[k];
        off += (i % d) as isize * arr.strides()[k];
        i /= d;
    }
    off
}

/// A 0-d view of the element at byte offset `off`.
fn element_view(arr: &Array, off: isize) -> Array {
    // SAFETY: callers pass offsets of elements inside arr's geometry.
    unsafe { arr.view_unchecked((arr.offset() as isize + off) as usize, Default::default(), Default::default(), arr.dtype()) }
}

/// `value` converted to `dtype` as NumPy's element assignment does: Python ints must fit.
fn value_for(value: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Array> {
    let py = value.py();
    if let Some((d, v)) = scalar_from_py(value) {
        // Scalars (complex128 and float64 included, though they subclass complex/float)
        // convert like arrays: C casts, the real part of complex.
        let src = value_to_array(d, &v)?;
        return oxnp_core::cast::astype(&src, dtype, Casting::Unsafe).py();
    }
    if dtype == DType::Bool && value.is_instance_of::<PyInt>() {
        // Any Python int, however large, is stored as its truth value.
        return Ok(Array::scalar(value.is_truthy()?));
    }
    if dtype.is_integer() && (value.is_instance_of::<PyFloat>() || (value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>())) {
        // Through a Python int (floats via int()): NaN/inf raise as int() does, then NumPy's
        // C long / range checks.
        return value_to_array(dtype, &builtin_to_value(value, dtype)?);
    }
    if value.is_instance_of::<PyComplex>() && !dtype.is_complex() && !dtype.is_bool() {
        let msg = if dtype.is_integer() {
            "int() argument must be a string, a bytes-like object or a real number, not 'complex'"
        } else {
            "float() argument must be a string or a real number, not 'complex'"
        };
        return Err(PyTypeError::new_err(msg));
    }
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() && dtype.is_inexact() {
        let f: f64 = value.call_method0(pyo3::intern!(py, "__float__"))?.extract()?;
        return oxnp_core::cast::astype(&Array::scalar(f), dtype, Casting::Unsafe).py();
    }
    let src = array_from_py(value)?;
    oxnp_core::cast::astype(&src, dtype, Casting::Unsafe).py()
}

/// `dst[...] = value` with broadcasting and unsafe casting.
fn assign(dst: &Array, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let src = if value.cast::<PyNdArray>().is_ok() { array_from_py(value)? } else { value_for(value, dst.dtype())? };
    let src = shape::broadcast_to(&src, dst.shape()).py()?;
    copy_into(dst, &src).py()
}

fn to_list(py: Python<'_>, arr: &Array, off: isize, dim: usize) -> PyResult<Py<PyAny>> {
    if dim == arr.ndim() {
        return element_to_builtin(py, arr, off);
    }
    let items = (0..arr.shape()[dim])
        .map(|i| to_list(py, arr, off + i as isize * arr.strides()[dim], dim + 1))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any().unbind())
}

/// The single element of a size-1 array for `int()`/`float()`/`complex()`.
fn only_element(py: Python<'_>, arr: &Array) -> PyResult<Py<PyAny>> {
    if arr.ndim() != 0 {
        return Err(PyTypeError::new_err("only 0-dimensional arrays can be converted to Python scalars"));
    }
    element_to_builtin(py, arr, 0)
}

fn byteswap_in_place(arr: &Array) {
    let part = if arr.dtype().is_complex() { arr.itemsize() / 2 } else { arr.itemsize() };
    if part == 1 {
        return;
    }
    let base = arr.as_ptr();
    for_each_offset(arr.shape(), arr.strides(), |o| {
        for p in (0..arr.itemsize()).step_by(part) {
            // SAFETY: the element lies inside the buffer (bounds invariant); the caller made
            // sure the array is writeable.
            let bytes = unsafe { std::slice::from_raw_parts_mut(base.offset(o + p as isize), part) };
            bytes.reverse();
        }
    });
}

/// Checks a (possibly negative) index against an axis length.
fn check_index(i: isize, len: usize, axis: usize) -> PyResult<usize> {
    let n = len as isize;
    if i < -n || i >= n {
        return Err(PyIndexError::new_err(format!("index {i} is out of bounds for axis {axis} with size {len}")));
    }
    Ok(if i < 0 { (i + n) as usize } else { i as usize })
}

#[pymethods]
impl PyNdArray {
    #[setter(shape)]
    fn set_shape(slf: &Bound<'_, Self>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let Some(value) = value else { return Err(PyAttributeError::new_err("Cannot delete array shape")) };
        let arr = slf.get().arr();
        let dims = shape_obj_dims(value, arr.shape())?;
        let new_shape = shape::resolve_shape(&dims, arr.size()).py()?;
        if new_shape.as_slice() == arr.shape() && dims.iter().all(|&d| d >= 0) {
            return Ok(());
        }
        let view = shape::reshape_view(arr, &new_shape, Order::C).ok_or_else(|| {
            PyAttributeError::new_err(
                "Incompatible shape for in-place modification. Use `.reshape()` to make a copy with the desired shape.",
            )
        })?;
        let mut arr = arr.clone();
        arr.set_geometry(view.shape().into(), view.strides().into()).py()?;
        PyNdArray::set_arr(slf, arr);
        Ok(())
    }

    #[getter]
    fn flags(slf: &Bound<'_, Self>) -> PyFlags {
        PyFlags { array: slf.clone().unbind() }
    }

    #[getter(T)]
    fn transposed<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        // SAFETY: the same (extent, stride) pairs in reverse order address the same elements.
        unsafe { new_view_with(slf, Array::reverse_axes) }
    }

    #[getter(mT)]
    fn matrix_transposed<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = shape::matrix_transpose(slf.get().arr()).py()?;
        wrap_view(slf, arr)
    }

    #[getter]
    fn real<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr().clone();
        if !arr.dtype().is_complex() {
            return Ok(slf.clone());
        }
        wrap_view(slf, shape::complex_part(&arr, false))
    }

    #[setter(real)]
    fn set_real(slf: &Bound<'_, Self>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let value = value.ok_or_else(|| PyAttributeError::new_err("Cannot delete array real part"))?;
        let arr = slf.get().arr().clone();
        let dst = if arr.dtype().is_complex() { shape::complex_part(&arr, false) } else { arr };
        assign(&dst, value)
    }

    #[getter]
    fn imag<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr().clone();
        if arr.dtype().is_complex() {
            return wrap_view(slf, shape::complex_part(&arr, true));
        }
        let mut zeros = Array::zeros(arr.shape(), arr.dtype(), Order::C).py()?;
        zeros.set_writeable(false).py()?;
        wrap_like(slf, zeros)
    }

    #[setter(imag)]
    fn set_imag(slf: &Bound<'_, Self>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let value = value.ok_or_else(|| PyAttributeError::new_err("Cannot delete array imaginary part"))?;
        let arr = slf.get().arr().clone();
        if !arr.dtype().is_complex() {
            return Err(PyTypeError::new_err("array does not have imaginary part to set"));
        }
        assign(&shape::complex_part(&arr, true), value)
    }

    #[getter]
    fn flat(slf: &Bound<'_, Self>) -> PyFlatIter {
        PyFlatIter { array: slf.clone().unbind(), index: 0 }
    }

    #[pyo3(signature = (*shape, order = None, copy = None))]
    fn reshape<'py>(
        slf: &Bound<'py, Self>,
        shape: &Bound<'py, PyTuple>,
        order: Option<&Bound<'py, PyAny>>,
        copy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr();
        if shape.is_empty() {
            return Err(PyTypeError::new_err("reshape() takes exactly 1 argument (0 given)"));
        }
        let dims = dims_from_args(shape, arr.shape())?;
        reshape_to(slf, &dims, reshape_order(order, arr)?, copy_mode(copy)?)
    }

    #[pyo3(signature = (*axes))]
    fn transpose<'py>(slf: &Bound<'py, Self>, axes: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr();
        let axes: Option<Axes> = match axes.len() {
            0 => None,
            1 if axes.get_item(0)?.is_none() => None,
            1 => Some(axes_from_py(&axes.get_item(0)?)?),
            _ => Some(axes.iter().map(|a| index_of(&a)).collect::<PyResult<_>>()?),
        };
        wrap_view(slf, shape::transpose(arr, axes.as_deref()).py()?)
    }

    fn swapaxes<'py>(slf: &Bound<'py, Self>, axis1: isize, axis2: isize) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = shape::swapaxes(slf.get().arr(), axis1, axis2).py()?;
        wrap_view(slf, arr)
    }

    #[pyo3(signature = (order = None))]
    fn ravel<'py>(slf: &Bound<'py, Self>, order: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
        let order = any_order(order, AnyOrder::C)?;
        let (out, is_view) = shape::ravel(slf.get().arr(), order).py()?;
        result(slf, out, is_view)
    }

    #[pyo3(signature = (order = None))]
    fn flatten<'py>(slf: &Bound<'py, Self>, order: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
        let order = any_order(order, AnyOrder::C)?;
        wrap_like(slf, shape::flatten(slf.get().arr(), order).py()?)
    }

    #[pyo3(signature = (axis = None))]
    fn squeeze<'py>(slf: &Bound<'py, Self>, axis: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
        let axes = match axis {
            Some(a) if !a.is_none() => Some(axes_from_py(a)?),
            _ => None,
        };
        let arr = shape::squeeze(slf.get().arr(), axes.as_deref()).py()?;
        wrap_view(slf, arr)
    }

    #[pyo3(signature = (order = None))]
    fn copy<'py>(slf: &Bound<'py, Self>, order: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
        let order = any_order(order, AnyOrder::C)?;
        let arr = slf.get().arr();
        wrap_like(slf, shape::copy_as(arr, arr.dtype(), order).py()?)
    }

    fn __copy__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr();
        wrap_like(slf, shape::copy_as(arr, arr.dtype(), AnyOrder::K).py()?)
    }

    fn __deepcopy__<'py>(slf: &Bound<'py, Self>, memo: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
        let _ = memo;
        Self::__copy__(slf)
    }

    #[pyo3(signature = (dtype, order = None, casting = "unsafe", subok = true, copy = true))]
    fn astype<'py>(
        slf: &Bound<'py, Self>,
        dtype: &Bound<'py, PyAny>,
        order: Option<&Bound<'py, PyAny>>,
        casting: &str,
        subok: bool,
        copy: bool,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr().clone();
        let dtype = dtype_from_py(dtype)?;
        let order = any_order(order, AnyOrder::K)?;
        let casting = parse_casting(casting)?;
        if !can_cast(arr.dtype(), dtype, casting) {
            return Err(crate::errors::to_pyerr(cast_error(arr.dtype(), dtype, casting)));
        }
        if !copy && dtype == arr.dtype() && (subok || crate::subclass::is_plain(slf.as_any())) {
            let layout_ok = match order {
                AnyOrder::C => arr.is_c_contiguous(),
                AnyOrder::F => arr.is_f_contiguous(),
                _ => true,
            };
            if layout_ok {
                return Ok(slf.clone());
            }
        }
        // NumPy warns when a float does not fit the target type (overflow, or invalid for
        // NaN and out-of-range integers); the conversion instructions set those flags.
        let src = arr.dtype();
        if src.is_complex() && !dtype.is_complex() && dtype != DType::Bool {
            let category = slf.py().import("oxnp.exceptions")?.getattr("ComplexWarning")?;
            PyErr::warn(slf.py(), &category, c"Casting complex values to real discards the imaginary part", 1)?;
        }
        let out = checked_cast(slf.py(), cast_may_warn(src, dtype), dtype, || shape::copy_as(&arr, dtype, order).py())?;
        if subok { wrap_like(slf, out) } else { wrap(slf.py(), out) }
    }

    #[pyo3(signature = (dtype = None, r#type = None))]
    fn view<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        r#type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let py = slf.py();
        let ndarray_type = py.get_type::<PyNdArray>();
        let mut dtype = dtype.filter(|d| !d.is_none());
        let mut target = r#type.filter(|t| !t.is_none()).cloned();
        if let Some(d) = dtype {
            if let Ok(t) = d.cast::<PyType>() {
                if t.is_subclass(&ndarray_type)? {
                    target = Some(d.clone());
                    dtype = None;
                }
            }
        }
        // An explicit ndarray type makes a subclass instance's view plain.
        if let Some(t) = target.filter(|t| !t.is(&ndarray_type) || !crate::subclass::is_plain(slf.as_any())) {
            let tp = t.cast::<PyType>().map_err(|_| PyValueError::new_err("Type must be a sub-type of ndarray type"))?;
            let arr = match dtype {
                Some(d) => shape::view_as(slf.get().arr(), dtype_from_py(d)?).py()?,
                None => slf.get().arr().clone(),
            };
            return crate::subclass::view_as_type(slf, arr, tp);
        }
        match dtype {
            Some(d) => wrap_view(slf, shape::view_as(slf.get().arr(), dtype_from_py(d)?).py()?),
            // SAFETY: the same geometry.
            None => unsafe { new_view_with(slf, |_| {}) },
        }
    }

    fn fill(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        checked_cast(value.py(), value_may_warn(value, self.arr().dtype()), self.arr().dtype(), || self.fill_with(value))
    }
}

impl PyNdArray {
    fn fill_with(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(a) = value.cast::<PyNdArray>() {
            let a = a.borrow();
            if a.arr().ndim() > 0 {
                // NumPy converts the value with the dtype's scalar conversion: complex()
                // rejects any n-d array, bool() takes a one-element one.
                if self.arr().dtype().is_complex() {
                    return Err(PyTypeError::new_err("only 0-dimensional arrays can be converted to Python scalars"));
                }
                if self.arr().dtype() != DType::Bool || a.arr().size() != 1 {
                    return Err(PyValueError::new_err("setting an array element with a sequence."));
                }
                let one = shape::reshape(a.arr(), &[], Order::C, CopyMode::IfNeeded).py()?.0;
                let src = shape::broadcast_to(&one, self.arr().shape()).py()?;
                return copy_into(self.arr(), &src).py();
            }
        }
        assign(self.arr(), value)
    }
}

#[pymethods]
impl PyNdArray {
    fn tolist(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_list(py, self.arr(), 0, 0)
    }

    #[pyo3(signature = (*args))]
    fn item(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let arr = &self.arr();
        let index: Vec<isize> = match args.len() {
            0 => {
                if arr.size() != 1 {
                    return Err(PyValueError::new_err("can only convert an array of size 1 to a Python scalar"));
                }
                return element_to_builtin(py, arr, 0);
            }
            1 => {
                let a = args.get_item(0)?;
                if let Ok(t) = a.cast::<PyTuple>() {
                    t.iter().map(|x| index_of(&x)).collect::<PyResult<_>>()?
                } else {
                    let i = index_of(&a)?;
                    let n = arr.size() as isize;
                    if i < -n || i >= n {
                        return Err(PyIndexError::new_err(format!("index {i} is out of bounds for size {n}")));
                    }
                    let flat = if i < 0 { (i + n) as usize } else { i as usize };
                    return element_to_builtin(py, arr, flat_offset(arr, flat));
                }
            }
            _ => args.iter().map(|x| index_of(&x)).collect::<PyResult<_>>()?,
        };
        if index.len() != arr.ndim() {
            return Err(PyValueError::new_err("incorrect number of indices for array"));
        }
        let mut off = 0isize;
        for (k, &i) in index.iter().enumerate() {
            off += check_index(i, arr.shape()[k], k)? as isize * arr.strides()[k];
        }
        element_to_builtin(py, arr, off)
    }

    fn __iter__(slf: &Bound<'_, Self>) -> PyResult<PyArrayIter> {
        if slf.get().arr().ndim() == 0 {
            return Err(PyTypeError::new_err("iteration over a 0-d array"));
        }
        Ok(PyArrayIter { array: slf.clone().unbind(), index: 0 })
    }

    fn __bool__(&self, py: Python<'_>) -> PyResult<bool> {
        match self.arr().size() {
            0 => Err(PyValueError::new_err(
                "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.",
            )),
            1 => element_to_builtin(py, self.arr(), 0)?.bind(py).is_truthy(),
            _ => Err(PyValueError::new_err(
                "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()",
            )),
        }
    }

    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = only_element(py, self.arr())?;
        Ok(py.get_type::<PyInt>().call1((v,))?.unbind())
    }

    fn __float__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = only_element(py, self.arr())?;
        Ok(py.get_type::<PyFloat>().call1((v,))?.unbind())
    }

    fn __complex__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = only_element(py, self.arr())?;
        Ok(py.get_type::<PyComplex>().call1((v,))?.unbind())
    }

    fn __index__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.arr().ndim() != 0 || !self.arr().dtype().is_integer() {
            return Err(PyTypeError::new_err("only integer scalar arrays can be converted to a scalar index"));
        }
        element_to_builtin(py, self.arr(), 0)
    }

    #[pyo3(signature = (inplace = false))]
    fn byteswap<'py>(slf: &Bound<'py, Self>, inplace: bool) -> PyResult<Bound<'py, PyNdArray>> {
        let arr = slf.get().arr().clone();
        if inplace {
            arr.check_writeable().py()?;
            byteswap_in_place(&arr);
            return Ok(slf.clone());
        }
        let out = shape::copy_as(&arr, arr.dtype(), AnyOrder::A).py()?;
        byteswap_in_place(&out);
        wrap_like(slf, out)
    }

    /// NumPy's figure: the object header plus dims and strides, plus the data when owned.
    fn __sizeof__(&self) -> usize {
        96 + 16 * self.arr().ndim() + if self.base().is_none() { self.arr().nbytes() } else { 0 }
    }
}

/// Iterator over the first axis: rows as views, or scalars for 1-d arrays.
#[pyclass(name = "ndarray_iterator", module = "oxnp")]
pub struct PyArrayIter {
    array: Py<PyNdArray>,
    index: usize,
}

#[pymethods]
impl PyArrayIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let base = self.array.bind(py);
        let arr = base.get().arr().clone();
        if arr.ndim() == 0 || self.index >= arr.shape()[0] {
            return Ok(None);
        }
        let off = self.index as isize * arr.strides()[0];
        self.index += 1;
        if arr.ndim() == 1 {
            return element_to_scalar(py, &arr, off).map(Some);
        }
        // SAFETY: row `index` of the first axis lies inside arr's geometry.
        let row = unsafe {
            arr.view_unchecked((arr.offset() as isize + off) as usize, arr.shape()[1..].into(), arr.strides()[1..].into(), arr.dtype())
        };
        Ok(Some(wrap_view(base, row)?.into_any().unbind()))
    }
}

/// `a.flat`: the elements in C order, indexable by flat position.
#[pyclass(name = "flatiter", module = "oxnp")]
pub struct PyFlatIter {
    array: Py<PyNdArray>,
    index: usize,
}

impl PyFlatIter {
    fn arr(&self, py: Python<'_>) -> Array {
        self.array.bind(py).get().arr().clone()
    }

    /// Flat positions selected by an int or a slice.
    fn positions(key: &Bound<'_, PyAny>, size: usize) -> PyResult<(Vec<usize>, bool)> {
        if let Ok(s) = key.cast::<PySlice>() {
            let ind = s.indices(size as isize)?;
            let pos = (0..ind.slicelength).map(|k| (ind.start + k as isize * ind.step) as usize).collect();
            return Ok((pos, false));
        }
        let i = key.extract::<isize>().map_err(|_| {
            PyIndexError::new_err("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices")
        })?;
        let n = size as isize;
        if i < -n || i >= n {
            return Err(PyIndexError::new_err(format!("index {i} is out of bounds for size {size}")));
        }
        Ok((vec![if i < 0 { (i + n) as usize } else { i as usize }], true))
    }
}

#[pymethods]
impl PyFlatIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let arr = self.arr(py);
        if self.index >= arr.size() {
            return Ok(None);
        }
        let off = flat_offset(&arr, self.index);
        self.index += 1;
        element_to_scalar(py, &arr, off).map(Some)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.arr(py).size()
    }

    #[getter]
    fn base(&self, py: Python<'_>) -> Py<PyNdArray> {
        self.array.clone_ref(py)
    }

    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    #[getter]
    fn coords<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let arr = self.arr(py);
        let mut rest = self.index;
        let mut coords = vec![0usize; arr.ndim()];
        for k in (0..arr.ndim()).rev() {
            let d = arr.shape()[k].max(1);
            coords[k] = rest % d;
            rest /= d;
        }
        PyTuple::new(py, coords)
    }

    fn copy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyNdArray>> {
        wrap_like(self.array.bind(py), shape::flatten(&self.arr(py), AnyOrder::C).py()?)
    }

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let arr = self.arr(py);
        let (pos, single) = Self::positions(key, arr.size())?;
        if single {
            return element_to_scalar(py, &arr, flat_offset(&arr, pos[0]));
        }
        let out = Array::empty(&[pos.len()], arr.dtype(), Order::C).py()?;
        for (j, &p) in pos.iter().enumerate() {
            copy_into(&element_view(&out, j as isize * out.itemsize() as isize), &element_view(&arr, flat_offset(&arr, p))).py()?;
        }
        Ok(wrap_like(self.array.bind(py), out)?.into_any().unbind())
    }

    /// Values are repeated cyclically over the selected positions, as NumPy does.
    fn __setitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let arr = self.arr(py);
        arr.check_writeable().py()?;
        let (pos, _) = Self::positions(key, arr.size())?;
        let src = if value.cast::<PyNdArray>().is_ok() || !value.hasattr("__len__")? {
            let a = if value.cast::<PyNdArray>().is_ok() { array_from_py(value)? } else { value_for(value, arr.dtype())? };
            shape::flatten(&a, AnyOrder::C).py()?
        } else {
            let items: Vec<Array> = value.try_iter()?.map(|v| value_for(&v?, arr.dtype())).collect::<PyResult<_>>()?;
            let out = Array::empty(&[items.len()], arr.dtype(), Order::C).py()?;
            for (j, it) in items.iter().enumerate() {
                copy_into(&element_view(&out, j as isize * out.itemsize() as isize), it).py()?;
            }
            out
        };
        if src.size() == 0 {
            return Ok(());
        }
        for (j, &p) in pos.iter().enumerate() {
            let s = element_view(&src, flat_offset(&src, j % src.size()));
            copy_into(&element_view(&arr, flat_offset(&arr, p)), &s).py()?;
        }
        Ok(())
    }
}

/// `a.flags`: reads the array's current state; `writeable` can be set.
#[pyclass(name = "flagsobj", module = "oxnp")]
pub struct PyFlags {
    array: Py<PyNdArray>,
}

struct FlagValues {
    c: bool,
    f: bool,
    owndata: bool,
    writeable: bool,
    aligned: bool,
}

impl PyFlags {
    fn values(&self, py: Python<'_>) -> FlagValues {
        let a = self.array.bind(py).borrow();
        let arr = &a.arr();
        let align = arr.dtype().alignment();
        let aligned = arr.size() == 0
            || ((arr.as_ptr() as usize) % align == 0 && arr.strides().iter().zip(arr.shape()).all(|(&s, &d)| d <= 1 || s % align as isize == 0));
        FlagValues {
            c: arr.is_c_contiguous(),
            f: arr.is_f_contiguous(),
            owndata: a.base().is_none(),
            writeable: arr.writeable(),
            aligned,
        }
    }

    fn lookup(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        let v = self.values(py);
        Ok(match key {
            "C" | "C_CONTIGUOUS" | "CONTIGUOUS" => v.c,
            "F" | "F_CONTIGUOUS" | "FORTRAN" => v.f,
            "O" | "OWNDATA" => v.owndata,
            "W" | "WRITEABLE" => v.writeable,
            "A" | "ALIGNED" => v.aligned,
            "X" | "WRITEBACKIFCOPY" => false,
            "B" | "BEHAVED" => v.aligned && v.writeable,
            "CA" | "CARRAY" => v.aligned && v.writeable && v.c,
            // NumPy tests FARRAY's bits with "any", not "all".
            "FA" | "FARRAY" => (v.aligned || v.writeable || v.f) && !v.c,
            "FNC" => v.f && !v.c,
            "FORC" => v.f || v.c,
            _ => return Err(PyKeyError::new_err("Unknown flag")),
        })
    }

    fn set_writeable_flag(&self, py: Python<'_>, flag: bool) -> PyResult<()> {
        let bound = self.array.bind(py);
        if flag {
            let base_readonly = match bound.get().base() {
                Some(b) => b.bind(py).cast::<PyNdArray>().map(|b| !b.get().arr().writeable()).unwrap_or(false),
                None => false,
            };
            if base_readonly {
                return Err(PyValueError::new_err("cannot set WRITEABLE flag to True of this array"));
            }
        }
        let mut arr = bound.get().arr().clone();
        arr.set_writeable(flag).py()?;
        PyNdArray::set_arr(bound, arr);
        Ok(())
    }
}

#[pymethods]
impl PyFlags {
    #[getter]
    fn c_contiguous(&self, py: Python<'_>) -> bool {
        self.values(py).c
    }
    #[getter]
    fn f_contiguous(&self, py: Python<'_>) -> bool {
        self.values(py).f
    }
    #[getter]
    fn contiguous(&self, py: Python<'_>) -> bool {
        self.values(py).c
    }
    #[getter]
    fn fortran(&self, py: Python<'_>) -> bool {
        self.values(py).f
    }
    #[getter]
    fn owndata(&self, py: Python<'_>) -> bool {
        self.values(py).owndata
    }
    #[getter]
    fn writeable(&self, py: Python<'_>) -> bool {
        self.values(py).writeable
    }
    #[setter]
    fn set_writeable(&self, py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let value = value.ok_or_else(|| PyAttributeError::new_err("Cannot delete flags writeable attribute"))?;
        self.set_writeable_flag(py, value.is_truthy()?)
    }
    #[getter]
    fn aligned(&self, py: Python<'_>) -> bool {
        self.values(py).aligned
    }
    #[getter]
    fn writebackifcopy(&self) -> bool {
        false
    }
    #[getter]
    fn behaved(&self, py: Python<'_>) -> PyResult<bool> {
        self.lookup(py, "B")
    }
    #[getter]
    fn carray(&self, py: Python<'_>) -> PyResult<bool> {
        self.lookup(py, "CA")
    }
    #[getter]
    fn farray(&self, py: Python<'_>) -> PyResult<bool> {
        self.lookup(py, "FA")
    }
    #[getter]
    fn fnc(&self, py: Python<'_>) -> PyResult<bool> {
        self.lookup(py, "FNC")
    }
    #[getter]
    fn forc(&self, py: Python<'_>) -> PyResult<bool> {
        self.lookup(py, "FORC")
    }
    /// NumPy's flag bits: C=0x1, F=0x2, OWNDATA=0x4, ALIGNED=0x100, WRITEABLE=0x400.
    #[getter]
    fn num(&self, py: Python<'_>) -> u32 {
        let v = self.values(py);
        (v.c as u32) | (v.f as u32) << 1 | (v.owndata as u32) << 2 | (v.aligned as u32) << 8 | (v.writeable as u32) << 10
    }

    fn __getitem__(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        self.lookup(py, key)
    }

    fn __setitem__(&self, py: Python<'_>, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        match key {
            "W" | "WRITEABLE" => self.set_writeable_flag(py, value.is_truthy()?),
            _ => Err(PyKeyError::new_err("Unknown flag")),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let v = self.values(py);
        let t = |b: bool| if b { "True" } else { "False" };
        format!(
            "  C_CONTIGUOUS : {}\n  F_CONTIGUOUS : {}\n  OWNDATA : {}\n  WRITEABLE : {}\n  ALIGNED : {}\n  WRITEBACKIFCOPY : False\n",
            t(v.c),
            t(v.f),
            t(v.owndata),
            t(v.writeable),
            t(v.aligned)
        )
    }
}

#[pyfunction]
#[pyo3(signature = (a, shape, order = None, *, copy = None))]
fn reshape<'py>(
    a: &Bound<'py, PyAny>,
    shape: &Bound<'py, PyAny>,
    order: Option<&Bound<'py, PyAny>>,
    copy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let arr = a.get().arr();
    let dims = shape_obj_dims(shape, arr.shape())?;
    reshape_to(&a, &dims, reshape_order(order, arr)?, copy_mode(copy)?)
}

/// Up to this many dimensions, `a.reshape(2, 5)` on a C-contiguous array keeps its shapes on
/// the stack.
const FAST_DIMS: usize = 8;

/// The items of a tuple.
///
/// # Safety
/// `t` must be a live tuple that outlives the slice.
unsafe fn tuple_items<'a>(t: *mut ffi::PyObject) -> &'a [*mut ffi::PyObject] {
    // SAFETY: a tuple's items are `size` consecutive pointers from `ob_item`.
    unsafe { std::slice::from_raw_parts((*t.cast::<ffi::PyTupleObject>()).ob_item.as_ptr(), ffi::PyTuple_GET_SIZE(t) as usize) }
}

/// `reshape`'s positional arguments when they are exact Python ints within isize
/// (`reshape(2, 5)` or `reshape((2, 5))`), at most `FAST_DIMS` of them: their number; None
/// otherwise (the general path then reads them and raises any error).
///
/// # Safety
/// `args` must be live objects, with the GIL held.
unsafe fn small_int_dims(args: &[*mut ffi::PyObject], out: &mut [isize; FAST_DIMS]) -> Option<usize> {
    // SAFETY: the caller's promise; every pointer read is a live object.
    unsafe {
        let items = match args {
            [one] if ffi::PyTuple_CheckExact(*one) != 0 => tuple_items(*one),
            _ => args,
        };
        if items.is_empty() || items.len() > FAST_DIMS {
            return None;
        }
        for (o, &x) in out.iter_mut().zip(items) {
            if ffi::PyLong_CheckExact(x) == 0 {
                return None;
            }
            let mut overflow = 0;
            *o = ffi::PyLong_AsLongLongAndOverflow(x, &mut overflow) as isize;
            if overflow != 0 {
                return None;
            }
        }
        Some(items.len())
    }
}

/// pyo3's `ndarray.reshape`, where the native method sends the calls it does not take.
static PYO3_RESHAPE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `ndarray.reshape` as a native fast-call method: `a.reshape(2, 5)` with plain ints on a
/// C-contiguous array is served without pyo3's argument tuple and trampoline (a fifth of the
/// call); every other call goes to pyo3's method.
unsafe extern "C" fn reshape_native(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls a METH_FASTCALL | METH_KEYWORDS method with the GIL held, `slf` an
    // ndarray (or subclass) instance, `nargs` positional and `len(kwnames)` keyword values
    // at `args`.
    unsafe {
        let py = Python::assume_attached();
        let this = pyo3::Borrowed::from_ptr(py, slf).cast_unchecked::<PyNdArray>();
        let positional = if args.is_null() { &[][..] } else { std::slice::from_raw_parts(args, nargs as usize) };
        if kwnames.is_null() && this.get().arr().is_c_contiguous() {
            let mut dims = [0isize; FAST_DIMS];
            if let Some(n) = small_int_dims(positional, &mut dims) {
                return match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reshape_contiguous(&this, &dims[..n]))) {
                    Ok(Ok(view)) => view.into_ptr(),
                    Ok(Err(e)) => {
                        e.restore(py);
                        std::ptr::null_mut()
                    }
                    Err(_) => {
                        pyo3::panic::PanicException::new_err("oxnp panicked in reshape").restore(py);
                        std::ptr::null_mut()
                    }
                };
            }
        }
        let Some(method) = PYO3_RESHAPE.get(py) else { return std::ptr::null_mut() };
        let nkw = if kwnames.is_null() { 0 } else { ffi::PyTuple_GET_SIZE(kwnames) as usize };
        let mut call: SmallVec<[*mut ffi::PyObject; 8]> = SmallVec::with_capacity(1 + nargs as usize + nkw);
        call.push(slf);
        if !args.is_null() {
            call.extend_from_slice(std::slice::from_raw_parts(args, nargs as usize + nkw));
        }
        ffi::PyObject_Vectorcall(method.as_ptr(), call.as_ptr(), nargs as usize + 1, kwnames)
    }
}

/// A method table entry CPython keeps for the life of the type.
struct StaticMethodDef(ffi::PyMethodDef);
// SAFETY: the entry is immutable and its pointers are to static data.
unsafe impl Sync for StaticMethodDef {}

static RESHAPE_DEF: StaticMethodDef = StaticMethodDef(ffi::PyMethodDef {
    ml_name: c"reshape".as_ptr(),
    ml_meth: ffi::PyMethodDefPointer { PyCFunctionFastWithKeywords: reshape_native },
    ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
    ml_doc: c"reshape(*shape, order='C', copy=None): the same data with a new shape, a view when the layout allows one.".as_ptr(),
});

/// Puts the native `reshape` in ndarray's dictionary, keeping pyo3's for the other calls.
fn install_native_reshape(py: Python<'_>) -> PyResult<()> {
    let tp = <PyNdArray as pyo3::type_object::PyTypeInfo>::type_object(py);
    let pyo3_method = tp.getattr("reshape")?;
    if PYO3_RESHAPE.set(py, pyo3_method.unbind()).is_err() {
        return Ok(());
    }
    // SAFETY: our live heap type; the method entry is static. The type dictionary is
    // written directly (pyo3 types refuse attribute assignment) and the type cache told.
    unsafe {
        let tp_ptr = tp.as_type_ptr();
        let descr = ffi::PyDescr_NewMethod(tp_ptr, std::ptr::from_ref(&RESHAPE_DEF.0).cast_mut());
        if descr.is_null() {
            return Err(PyErr::fetch(py));
        }
        let status = ffi::PyDict_SetItemString((*tp_ptr).tp_dict, c"reshape".as_ptr(), descr);
        ffi::Py_DECREF(descr);
        if status != 0 {
            return Err(PyErr::fetch(py));
        }
        ffi::PyType_Modified(tp_ptr);
    }
    Ok(())
}

/// The C-order view of a C-contiguous array with the requested dimensions.
fn reshape_contiguous<'py>(a: &Bound<'py, PyNdArray>, dims: &[isize]) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = a.get().arr();
    let n = dims.len();
    let mut shape = [0usize; FAST_DIMS];
    shape::resolve_shape_into(dims, arr.size(), &mut shape[..n]).py()?;
    let mut strides = [0isize; FAST_DIMS];
    if shape[..n] == *arr.shape() {
        // NumPy keeps the strides of a request for the current shape.
        strides[..n].copy_from_slice(arr.strides());
    } else {
        oxnp_core::array::fill_c_strides(&shape[..n], arr.itemsize(), &mut strides[..n]);
    }
    // SAFETY: C strides over a C-contiguous array's elements.
    unsafe { new_view_with(a, |v| v.set_geometry_unchecked(&shape[..n], &strides[..n])) }
}

/// `a.reshape(dims)`: a view, built in place in the new object, when the layout allows one.
fn reshape_to<'py>(a: &Bound<'py, PyNdArray>, dims: &[isize], order: Order, copy: CopyMode) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = a.get().arr();
    if copy != CopyMode::Always {
        let new_shape = shape::resolve_shape(dims, arr.size()).py()?;
        if let Some(strides) = shape::reshape_strides(arr, dims, &new_shape, order) {
            // SAFETY: strides that view the same elements.
            return unsafe { new_view_with(a, |v| v.set_geometry_unchecked(&new_shape, &strides)) };
        }
    }
    let (out, is_view) = shape::reshape(arr, dims, order, copy).py()?;
    result(a, out, is_view)
}

fn transpose_impl<'py>(a: &Bound<'py, PyAny>, axes: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let axes = match axes {
        Some(x) if !x.is_none() => Some(axes_from_py(x)?),
        _ => None,
    };
    let out = shape::transpose(a.get().arr(), axes.as_deref()).py()?;
    wrap_view(&a, out)
}

#[pyfunction]
#[pyo3(signature = (a, axes = None))]
fn transpose<'py>(a: &Bound<'py, PyAny>, axes: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
    transpose_impl(a, axes)
}

#[pyfunction]
#[pyo3(signature = (a, /, axes = None))]
fn permute_dims<'py>(a: &Bound<'py, PyAny>, axes: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
    transpose_impl(a, axes)
}

#[pyfunction]
#[pyo3(signature = (x, /))]
fn matrix_transpose<'py>(x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(x)?;
    let nd = a.get().arr().ndim();
    if nd < 2 {
        return Err(PyValueError::new_err(format!("Input array must be at least 2-dimensional, but it is {nd}")));
    }
    let out = shape::matrix_transpose(a.get().arr()).py()?;
    wrap_view(&a, out)
}

#[pyfunction]
fn swapaxes<'py>(a: &Bound<'py, PyAny>, axis1: isize, axis2: isize) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let out = shape::swapaxes(a.get().arr(), axis1, axis2).py()?;
    wrap_view(&a, out)
}

#[pyfunction]
#[pyo3(signature = (a, order = None))]
fn ravel<'py>(a: &Bound<'py, PyAny>, order: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let order = any_order(order, AnyOrder::C)?;
    let (out, is_view) = shape::ravel(a.get().arr(), order).py()?;
    result(&a, out, is_view)
}

#[pyfunction]
#[pyo3(signature = (a, axis = None))]
fn squeeze<'py>(a: &Bound<'py, PyAny>, axis: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    PyNdArray::squeeze(&a, axis)
}

#[pyfunction]
fn expand_dims<'py>(a: &Bound<'py, PyAny>, axis: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let axes = axes_from_py(axis)?;
    let out = shape::expand_dims(a.get().arr(), &axes).py()?;
    wrap_view(&a, out)
}

#[pyfunction]
fn moveaxis<'py>(
    a: &Bound<'py, PyAny>,
    source: &Bound<'py, PyAny>,
    destination: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (src, dst) = (axes_from_py(source)?, axes_from_py(destination)?);
    if let Some((dtype, value)) = scalar_from_py(a) {
        // NumPy calls the scalar's own transpose, which returns the scalar.
        shape::moveaxis(&value_to_array(dtype, &value)?, &src, &dst).py()?;
        return Ok(a.clone());
    }
    let a = as_ndarray(a)?;
    let out = shape::moveaxis(a.get().arr(), &src, &dst).py()?;
    Ok(wrap_view(&a, out)?.into_any())
}

#[pyfunction]
#[pyo3(signature = (a, axis, start = 0))]
fn rollaxis<'py>(a: &Bound<'py, PyAny>, axis: isize, start: isize) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(a)?;
    let arr = a.get().arr().clone();
    let nd = arr.ndim();
    let axis = oxnp_core::error::normalize_axis(axis, nd).py()?;
    let n = nd as isize;
    let start = if start < 0 { start + n } else { start };
    if !(0..=n).contains(&start) {
        return Err(axis_error_with(
            a.py(),
            format!("'start' arg requires {} <= start < {}, but {start} was passed in", -n, n + 1),
        ));
    }
    let start = start as usize;
    wrap_view(&a, shape::rollaxis(&arr, axis, start))
}

/// Shared body of `atleast_{1,2,3}d`: one array returns itself, several return a tuple.
fn atleast<'py>(py: Python<'py>, arys: &Bound<'py, PyTuple>, fix: fn(&Array) -> PyResult<Option<Array>>) -> PyResult<Py<PyAny>> {
    let mut out = Vec::with_capacity(arys.len());
    for obj in arys.iter() {
        let a = as_ndarray(&obj)?;
        let fixed = fix(a.get().arr())?;
        out.push(match fixed {
            Some(v) => wrap_view(&a, v)?,
            None => a,
        });
    }
    if out.len() == 1 {
        return Ok(out.pop().map(|a| a.into_any().unbind()).unwrap_or_else(|| py.None()));
    }
    Ok(PyTuple::new(py, out)?.into_any().unbind())
}

fn ones_shape(arr: &Array, n: usize) -> PyResult<Option<Array>> {
    Ok(shape::reshape_view(arr, &vec![1; n], Order::C))
}

#[pyfunction]
#[pyo3(signature = (*arys))]
fn atleast_1d<'py>(py: Python<'py>, arys: &Bound<'py, PyTuple>) -> PyResult<Py<PyAny>> {
    atleast(py, arys, |a| if a.ndim() == 0 { ones_shape(a, 1) } else { Ok(None) })
}

#[pyfunction]
#[pyo3(signature = (*arys))]
fn atleast_2d<'py>(py: Python<'py>, arys: &Bound<'py, PyTuple>) -> PyResult<Py<PyAny>> {
    atleast(py, arys, |a| match a.ndim() {
        0 => ones_shape(a, 2),
        1 => shape::new_axes(a, &[0]).py().map(Some),
        _ => Ok(None),
    })
}

#[pyfunction]
#[pyo3(signature = (*arys))]
fn atleast_3d<'py>(py: Python<'py>, arys: &Bound<'py, PyTuple>) -> PyResult<Py<PyAny>> {
    atleast(py, arys, |a| match a.ndim() {
        0 => ones_shape(a, 3),
        1 => shape::new_axes(a, &[0, 2]).py().map(Some),
        2 => shape::new_axes(a, &[2]).py().map(Some),
        _ => Ok(None),
    })
}

#[pyfunction(name = "shape")]
fn shape_of<'py>(py: Python<'py>, a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    if let Ok(x) = a.cast::<PyNdArray>() {
        return shape_tuple(py, x.get().arr().shape());
    }
    shape_tuple(py, array_from_py(a)?.shape())
}

#[pyfunction]
fn ndim(a: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(x) = a.cast::<PyNdArray>() {
        return Ok(x.get().arr().ndim());
    }
    Ok(array_from_py(a)?.ndim())
}

#[pyfunction]
#[pyo3(signature = (a, axis = None))]
fn size(a: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    let arr = array_from_py(a)?;
    let Some(axis) = axis.filter(|x| !x.is_none()) else { return Ok(arr.size()) };
    let axes = shape::normalize_axes(&axes_from_py(axis)?, arr.ndim(), None, "repeated axis").py()?;
    Ok(axes.iter().map(|&k| arr.shape()[k]).product())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    install_native_reshape(m.py())?;
    m.add_class::<PyFlags>()?;
    m.add_class::<PyFlatIter>()?;
    m.add_function(wrap_pyfunction!(reshape, m)?)?;
    m.add_function(wrap_pyfunction!(transpose, m)?)?;
    m.add_function(wrap_pyfunction!(permute_dims, m)?)?;
    m.add_function(wrap_pyfunction!(matrix_transpose, m)?)?;
    m.add_function(wrap_pyfunction!(swapaxes, m)?)?;
    m.add_function(wrap_pyfunction!(ravel, m)?)?;
    m.add_function(wrap_pyfunction!(squeeze, m)?)?;
    m.add_function(wrap_pyfunction!(expand_dims, m)?)?;
    m.add_function(wrap_pyfunction!(moveaxis, m)?)?;
    m.add_function(wrap_pyfunction!(rollaxis, m)?)?;
    m.add_function(wrap_pyfunction!(atleast_1d, m)?)?;
    m.add_function(wrap_pyfunction!(atleast_2d, m)?)?;
    m.add_function(wrap_pyfunction!(atleast_3d, m)?)?;
    m.add_function(wrap_pyfunction!(shape_of, m)?)?;
    m.add_function(wrap_pyfunction!(ndim, m)?)?;
    m.add_function(wrap_pyfunction!(size, m)?)?;
    Ok(())
}
