//! Array creation functions (`array`, `asarray`, `zeros`, `full`, `arange`, `linspace`, ...).

use oxnp_core::array::{Shape, Strides, for_each_inner};
use oxnp_core::cast::{Convert, Num, copy_into};
use oxnp_core::fill::{ArangeFill, LinElem};
use oxnp_core::{Array, DType, Order, dispatch};
use pyo3::exceptions::{PyTypeError, PyValueError, PyZeroDivisionError};
use pyo3::prelude::*;
use pyo3::types::{PyComplex, PyFloat, PyInt, PyList, PyTuple};

use crate::convert::{Coerced, FromPyScalar, coerce};
use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{DEFAULT_FLOAT, Fresh, PyNdArray, wrap};
use crate::ufunc::{checked_cast, value_may_warn};

/// A shape argument: an int or a sequence of ints, each >= 0.
pub fn shape_from_py(obj: &Bound<'_, PyAny>) -> PyResult<oxnp_core::array::Shape> {
    // Type checks before extraction: a failed `extract` builds an exception, which costs
    // more than the whole allocation this shape is for.
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|d| dimension_from_py(&d)).collect();
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|d| dimension_from_py(&d)).collect();
    }
    if obj.is_instance_of::<PyInt>() || obj.hasattr(pyo3::intern!(obj.py(), "__index__"))? {
        return Ok(smallvec::smallvec![dimension_from_py(obj)?]);
    }
    if obj.is_none() {
        return Err(PyTypeError::new_err("Use () not None as shape arguments"));
    }
    match obj.try_iter() {
        Ok(items) => items.map(|d| dimension_from_py(&d?)).collect(),
        Err(_) => Err(PyTypeError::new_err(format!(
            "expected a sequence of integers or a single integer, got '{}'",
            obj.repr()?
        ))),
    }
}

fn dimension_from_py(obj: &Bound<'_, PyAny>) -> PyResult<usize> {
    let d: isize = obj.extract()?;
    usize::try_from(d).map_err(|_| PyValueError::new_err("negative dimensions are not allowed"))
}

pub fn order_from_py(order: Option<&str>) -> PyResult<Order> {
    match order {
        None | Some("C") | Some("c") | Some("K") | Some("k") | Some("A") | Some("a") => Ok(Order::C),
        Some("F") | Some("f") => Ok(Order::F),
        Some(o) => Err(PyValueError::new_err(format!(
            "order must be one of 'C', 'F', 'A', or 'K' (got '{o}')"
        ))),
    }
}

/// The memory-order letter of an `order=` argument, validated.
fn order_letter(order: Option<&str>) -> PyResult<char> {
    match order {
        None => Ok('K'),
        Some(o) if o.len() == 1 && "CFAKcfak".contains(o) => Ok(o.chars().next().unwrap_or('K').to_ascii_uppercase()),
        Some(o) => Err(PyValueError::new_err(format!(
            "order must be one of 'C', 'F', 'A', or 'K' (got '{o}')"
        ))),
    }
}

const NO_COPY_MSG: &str = "Unable to avoid copy while creating an array as requested.\nIf using `np.array(obj, copy=False)` replace it with `np.asarray(obj)` to allow a copy when needed (no behavior change in NumPy 1.x).\nFor more details, see https://numpy.org/devdocs/numpy_2_0_migration_guide.html#adapting-to-changes-in-the-copy-keyword.";

/// `copy=` of `array()`, whose default (True) differs from an explicit None.
pub enum CopyArg {
    Always,
    IfNeeded,
    Never,
}

impl<'a, 'py> FromPyObject<'a, 'py> for CopyArg {
    type Error = PyErr;
    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(if obj.is_none() {
            CopyArg::IfNeeded
        } else if obj.is_truthy()? {
            CopyArg::Always
        } else {
            CopyArg::Never
        })
    }
}

/// `copy=` as NumPy 2 reads it: None "if needed", True always, False never.
fn copy_flag(copy: Option<&Bound<'_, PyAny>>) -> PyResult<Option<bool>> {
    match copy {
        None => Ok(None),
        Some(c) if c.is_none() => Ok(None),
        Some(c) => Ok(Some(c.is_truthy()?)),
    }
}

/// Strides of a new array of `shape` laid out like `proto` (order 'K'): axes ordered by the
/// prototype's absolute strides, largest outermost.
fn strides_like(proto: &Array, itemsize: usize) -> Strides {
    let nd = proto.ndim();
    let mut perm: Vec<usize> = (0..nd).collect();
    perm.sort_by_key(|&k| std::cmp::Reverse(proto.strides()[k].unsigned_abs()));
    let mut strides: Strides = smallvec::SmallVec::from_elem(0, nd);
    let mut acc = itemsize as isize;
    for &k in perm.iter().rev() {
        strides[k] = acc;
        acc *= proto.shape()[k].max(1) as isize;
    }
    strides
}

/// A new uninitialised array with `proto`'s shape and the layout `order` asks for.
fn alloc_like(proto: &Array, shape: Option<&[usize]>, dtype: DType, order: char) -> PyResult<Array> {
    alloc_like_zeroed(proto, shape, dtype, order, false)
}

/// `alloc_like`, with zeroed memory when `zeroed` (a calloc-style allocation, no fill pass).
fn alloc_like_zeroed(proto: &Array, shape: Option<&[usize]>, dtype: DType, order: char, zeroed: bool) -> PyResult<Array> {
    let new = |shape: &[usize], ord: Order| if zeroed { Array::zeros(shape, dtype, ord) } else { Array::empty(shape, dtype, ord) }.py();
    let f_like = proto.is_f_contiguous() && !proto.is_c_contiguous();
    match (order, shape) {
        ('C', _) => new(shape.unwrap_or(proto.shape()), Order::C),
        ('F', _) => new(shape.unwrap_or(proto.shape()), Order::F),
        ('A', _) | ('K', Some(_)) => {
            let ord = if f_like { Order::F } else { Order::C };
            new(shape.unwrap_or(proto.shape()), ord)
        }
        _ => {
            if proto.is_c_contiguous() {
                return new(proto.shape(), Order::C);
            }
            let base = new(&[proto.size()], Order::C)?;
            let strides = strides_like(proto, dtype.itemsize());
            Array::from_parts(base.buffer().clone(), 0, proto.shape().into(), strides, dtype).py()
        }
    }
}

/// Prepends length-1 axes up to `ndmin` dimensions (a view).
fn with_ndmin(arr: Array, ndmin: usize) -> Array {
    if arr.ndim() >= ndmin {
        return arr;
    }
    let extra = ndmin - arr.ndim();
    let mut shape: Shape = smallvec::SmallVec::from_elem(1, extra);
    shape.extend_from_slice(arr.shape());
    let mut strides: Strides = smallvec::SmallVec::from_elem(arr.itemsize() as isize, extra);
    strides.extend_from_slice(arr.strides());
    // SAFETY: length-1 axes add no addressed bytes; the rest is arr's own geometry.
    unsafe { arr.view_unchecked(arr.offset(), shape, strides, arr.dtype()) }
}

fn order_ok(arr: &Array, order: char) -> bool {
    match order {
        'C' => arr.is_c_contiguous(),
        'F' => arr.is_f_contiguous(),
        _ => true,
    }
}

/// The shared implementation of `array`, `asarray`, `ascontiguousarray`, `copy`, ...
/// `subok`: an ndarray subclass instance keeps its class (else the result is a plain array).
fn array_impl<'py>(
    obj: &Bound<'py, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
    order: char,
    ndmin: usize,
    subok: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    let coerced = match dtype {
        Some(d) => checked_cast(py, value_may_warn(obj, d), d, || coerce(obj, dtype))?,
        None => coerce(obj, None)?,
    };
    let (arr, base) = match coerced {
        Coerced::Own(arr) => {
            if copy == Some(false) {
                return Err(PyValueError::new_err(NO_COPY_MSG));
            }
            let arr = with_ndmin(if order == 'F' && !arr.is_f_contiguous() { arr.copy(Order::F).py()? } else { arr }, ndmin);
            return match obj.cast::<PyNdArray>() {
                Ok(nd) if subok => Ok(crate::ndarray::wrap_like(nd, arr)?.into_any()),
                _ => Ok(wrap(py, arr)?.into_any()),
            };
        }
        Coerced::Shared(arr, base) => (arr, base),
    };
    if copy == Some(true) || !order_ok(&arr, order) {
        if copy == Some(false) {
            return Err(PyValueError::new_err(NO_COPY_MSG));
        }
        let out = alloc_like(&arr, None, arr.dtype(), order)?;
        copy_into(&out, &arr).py()?;
        let out = with_ndmin(out, ndmin);
        return match obj.cast::<PyNdArray>() {
            Ok(nd) if subok => Ok(crate::ndarray::wrap_like(nd, out)?.into_any()),
            _ => Ok(wrap(py, out)?.into_any()),
        };
    }
    let base = base.into_bound(py);
    if let Ok(nd) = base.cast::<PyNdArray>() {
        if !subok && !crate::subclass::is_plain(&base) {
            return Ok(crate::ndarray::plain_view(nd, with_ndmin(arr, ndmin))?.into_any());
        }
        if arr.ndim() >= ndmin {
            return Ok(base);
        }
        return Ok(crate::ndarray::wrap_view(nd, with_ndmin(arr, ndmin))?.into_any());
    }
    Ok(Bound::new(py, PyNdArray::with_base(with_ndmin(arr, ndmin), Some(base.unbind())))?.into_any())
}

#[pyfunction]
#[pyo3(signature = (object, dtype = None, *, copy = CopyArg::Always, order = None, subok = false, ndmin = 0, like = None))]
fn array<'py>(
    object: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    copy: CopyArg,
    order: Option<&str>,
    subok: bool,
    ndmin: usize,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = like;
    let copy = match copy {
        CopyArg::Always => Some(true),
        CopyArg::IfNeeded => None,
        CopyArg::Never => Some(false),
    };
    array_impl(object, optional_dtype(dtype)?, copy, order_letter(order)?, ndmin, subok)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, order = None, *, device = None, copy = None, like = None))]
fn asarray<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    device: Option<&Bound<'py, PyAny>>,
    copy: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = (device, like);
    array_impl(a, optional_dtype(dtype)?, copy_flag(copy)?, order_letter(order)?, 0, false)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, order = None, *, device = None, copy = None, like = None))]
fn asanyarray<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    device: Option<&Bound<'py, PyAny>>,
    copy: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = (device, like);
    array_impl(a, optional_dtype(dtype)?, copy_flag(copy)?, order_letter(order)?, 0, true)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, *, like = None))]
fn ascontiguousarray<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = like;
    array_impl(a, optional_dtype(dtype)?, None, 'C', 1, false)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, *, like = None))]
fn asfortranarray<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = like;
    array_impl(a, optional_dtype(dtype)?, None, 'F', 1, false)
}

#[pyfunction]
#[pyo3(signature = (a, order = "K", subok = false))]
fn copy<'py>(a: &Bound<'py, PyAny>, order: &str, subok: bool) -> PyResult<Bound<'py, PyAny>> {
    array_impl(a, None, Some(true), order_letter(Some(order))?, 0, subok)
}

/// Fills a freshly allocated array with one value.
fn fill_value<T: Convert>(arr: &Array, v: Num) {
    let v = T::from_num(v);
    let base = arr.as_ptr();
    let size = std::mem::size_of::<T>();
    if arr.is_c_contiguous() || arr.is_f_contiguous() {
        let n = arr.size();
        // SAFETY: a contiguous array's n elements start at its data pointer.
        unsafe {
            let bytes = std::slice::from_raw_parts((&v as *const T).cast::<u8>(), size);
            if bytes.iter().all(|&b| b == 0) {
                std::ptr::write_bytes(base, 0, n * size);
            } else {
                let p = base.cast::<T>();
                for i in 0..n {
                    p.add(i).write_unaligned(v);
                }
            }
        }
        return;
    }
    for_each_inner(arr.shape(), [arr.strides()], |[o], n, [st]| {
        for i in 0..n as isize {
            // SAFETY: offsets come from arr's own geometry.
            unsafe { base.offset(o + i * st).cast::<T>().write_unaligned(v) };
        }
    });
}

fn new_array<'py>(shape: &Bound<'py, PyAny>, dtype: Option<&Bound<'py, PyAny>>, order: Option<&str>, zeroed: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let dims = shape_from_py(shape)?;
    let dtype = optional_dtype(dtype)?.unwrap_or(DEFAULT_FLOAT);
    crate::ndarray::new_fresh(shape.py(), &dims, dtype, order_from_py(order)?, zeroed)
}

#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = None, *, device = None, like = None))]
fn zeros<'py>(
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    device: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = (device, like);
    new_array(shape, dtype, order, true)
}

/// Like NumPy, `empty` returns uninitialised memory, except that bool arrays are zeroed so
/// that they never hold bytes other than 0 and 1.
#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = None, *, device = None, like = None))]
fn empty<'py>(
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    device: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = (device, like);
    let zero_bools = optional_dtype(dtype)? == Some(DType::Bool);
    new_array(shape, dtype, order, zero_bools)
}

#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = None, *, device = None, like = None))]
fn ones<'py>(
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    device: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = (device, like);
    let out = new_array(shape, dtype, order, false)?;
    let arr = out.get().arr();
    dispatch!(arr.dtype(), T => fill_value::<T>(arr, Num::Int(1)));
    Ok(out)
}

/// `arr` broadcast (as a read-only view) to `shape`, or NumPy's broadcast error.
fn broadcast_to(arr: &Array, shape: &[usize]) -> PyResult<Array> {
    // NumPy writes these shapes without spaces: (3,) and (2,3).
    let compact = |s: &[usize]| oxnp_core::array::shape_repr(s).replace(", ", ",");
    let err = || {
        PyValueError::new_err(format!(
            "could not broadcast input array from shape {} into shape {}",
            compact(arr.shape()),
            compact(shape)
        ))
    };
    if arr.ndim() > shape.len() {
        return Err(err());
    }
    let lead = shape.len() - arr.ndim();
    let mut strides: Strides = smallvec::SmallVec::from_elem(0, shape.len());
    for (k, (&d, &s)) in arr.shape().iter().zip(arr.strides()).enumerate() {
        if d == shape[lead + k] {
            strides[lead + k] = s;
        } else if d != 1 {
            return Err(err());
        }
    }
    // SAFETY: each axis either keeps its extent and stride or has stride 0.
    Ok(unsafe { arr.view_unchecked(arr.offset(), shape.into(), strides, arr.dtype()) })
}

/// NumPy's `full` fills with `copyto(out, value, casting="unsafe")`.
fn fill_from(out: &Array, value: &Bound<'_, PyAny>) -> PyResult<()> {
    crate::indexing::copy_value_into(out, value, oxnp_core::Casting::Unsafe, None)
}

#[pyfunction]
#[pyo3(signature = (shape, fill_value, dtype = None, order = "C", *, device = None, like = None))]
fn full(
    shape: &Bound<'_, PyAny>,
    fill_value: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: &str,
    device: Option<&Bound<'_, PyAny>>,
    like: Option<&Bound<'_, PyAny>>,
) -> PyResult<Fresh> {
    let _ = (device, like);
    let shape = shape_from_py(shape)?;
    let dtype = match optional_dtype(dtype)? {
        Some(d) => d,
        None => coerce(fill_value, None)?.array().dtype(),
    };
    let out = Array::empty(&shape, dtype, order_from_py(Some(order))?).py()?;
    fill_from(&out, fill_value)?;
    Ok(Fresh(out))
}

/// A `*_like` result: of the prototype's class when it is an ndarray subclass and `subok`.
fn like_result<'py>(proto: &Bound<'py, PyAny>, subok: bool, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    match proto.cast::<PyNdArray>() {
        Ok(p) if subok => crate::ndarray::wrap_like(p, arr),
        _ => wrap(proto.py(), arr),
    }
}

/// The prototype and new array of the `*_like` functions.
fn like_array(
    a: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: &str,
    shape: Option<&Bound<'_, PyAny>>,
) -> PyResult<Array> {
    like_array_zeroed(a, dtype, order, shape, false)
}

fn like_array_zeroed(
    a: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: &str,
    shape: Option<&Bound<'_, PyAny>>,
    zeroed: bool,
) -> PyResult<Array> {
    let proto = match a.cast::<PyNdArray>() {
        Ok(p) => p.get().arr().clone(),
        Err(_) => coerce(a, None)?.into_array(),
    };
    let dtype = match dtype {
        None => proto.dtype(),
        d => optional_dtype(d)?.unwrap_or(proto.dtype()),
    };
    let shape = match shape {
        Some(s) if !s.is_none() => Some(shape_from_py(s)?),
        _ => None,
    };
    alloc_like_zeroed(&proto, shape.as_deref(), dtype, order_letter(Some(order))?, zeroed)
}

#[pyfunction]
#[pyo3(signature = (prototype, dtype = None, order = "K", subok = true, shape = None, *, device = None))]
fn empty_like<'py>(
    prototype: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    subok: bool,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = device;
    let arr = like_array(prototype, dtype, order, shape)?;
    if arr.dtype() == DType::Bool {
        fill_value::<bool>(&arr, Num::Bool(false));
    }
    like_result(prototype, subok, arr)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, order = "K", subok = true, shape = None, *, device = None))]
fn zeros_like<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    subok: bool,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = device;
    let arr = like_array_zeroed(a, dtype, order, shape, true)?;
    like_result(a, subok, arr)
}

#[pyfunction]
#[pyo3(signature = (a, dtype = None, order = "K", subok = true, shape = None, *, device = None))]
fn ones_like<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    subok: bool,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = device;
    let arr = like_array(a, dtype, order, shape)?;
    dispatch!(arr.dtype(), T => fill_value::<T>(&arr, Num::Int(1)));
    like_result(a, subok, arr)
}

#[pyfunction]
#[pyo3(signature = (a, fill_value, dtype = None, order = "K", subok = true, shape = None, *, device = None))]
#[allow(clippy::too_many_arguments)]
fn full_like<'py>(
    a: &Bound<'py, PyAny>,
    fill_value: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    subok: bool,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = device;
    let arr = like_array(a, dtype, order, shape)?;
    fill_from(&arr, fill_value)?;
    like_result(a, subok, arr)
}

/// The dtype an `arange`/`linspace` argument contributes when discovered.
fn arg_dtype(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    Ok(coerce(obj, None)?.array().dtype())
}

fn set_first<T: FromPyScalar>(arr: &Array, idx: usize, v: &Bound<'_, PyAny>) -> PyResult<()> {
    let x = if let Ok(a) = v.cast::<PyNdArray>() {
        let a = &a.get().arr();
        if a.ndim() != 0 {
            return Err(PyTypeError::new_err("arange: scalar arguments expected"));
        }
        let tmp = Array::empty(&[], T::DTYPE, Order::C).py()?;
        copy_into(&tmp, a).py()?;
        tmp.to_vec::<T>()[0]
    } else if crate::convert::default_scalar_dtype(v).is_some() {
        T::from_py_scalar(v)?
    } else {
        let a = coerce(v, Some(T::DTYPE))?.into_array();
        a.to_vec::<T>().first().copied().ok_or_else(|| PyTypeError::new_err("arange: scalar arguments expected"))?
    };
    // SAFETY: idx < length of the fresh contiguous array.
    unsafe { arr.as_ptr().cast::<T>().add(idx).write(x) };
    Ok(())
}

fn arange_fill<T: FromPyScalar + ArangeFill>(arr: &Array, start: &Bound<'_, PyAny>, next: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let n = arr.size();
    if n == 0 {
        return Ok(());
    }
    set_first::<T>(arr, 0, start)?;
    if let Some(next) = next {
        if n > 1 {
            set_first::<T>(arr, 1, next)?;
        }
    }
    // SAFETY: fresh contiguous array of n elements of T, nothing else references it yet.
    let buf = unsafe { std::slice::from_raw_parts_mut(arr.as_ptr().cast::<T>(), n) };
    T::arange_fill(buf);
    Ok(())
}

/// NumPy's length computation: ceil((stop - start) / step) with Python arithmetic.
fn arange_length(py: Python<'_>, start: &Bound<'_, PyAny>, stop: &Bound<'_, PyAny>, step: &Bound<'_, PyAny>, complex: bool) -> PyResult<isize> {
    let delta = stop.sub(start)?;
    let delta_nonzero = !delta.eq(0)?;
    let val = delta.div(step).map_err(|e| {
        if e.is_instance_of::<PyZeroDivisionError>(py) { PyZeroDivisionError::new_err("division by zero") } else { e }
    })?;
    let val_zero = val.eq(0)?;
    let ceil = |v: f64| -> PyResult<isize> {
        let c = v.ceil();
        if c.is_nan() {
            return Err(PyValueError::new_err("arange: cannot compute length"));
        }
        if !((isize::MIN as f64) <= c && c <= (isize::MAX as f64)) {
            return Err(PyValueError::new_err("Maximum allowed size exceeded"));
        }
        Ok(c as isize)
    };
    if complex {
        if let Ok(c) = val.cast::<PyComplex>() {
            return Ok(ceil(c.real())?.min(ceil(c.imag())?));
        }
    }
    let v: f64 = val.extract().map_err(|e: PyErr| {
        if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(py) { PyValueError::new_err("Maximum allowed size exceeded") } else { e }
    })?;
    if val_zero && delta_nonzero {
        return Ok(if v.is_sign_negative() { 0 } else { 1 });
    }
    ceil(v)
}

#[pyfunction]
#[pyo3(signature = (start_or_stop, stop = None, step = None, dtype = None, *, device = None, like = None))]
fn arange<'py>(
    py: Python<'py>,
    start_or_stop: &Bound<'py, PyAny>,
    stop: Option<&Bound<'py, PyAny>>,
    step: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Fresh> {
    let _ = (device, like);
    let stop = stop.filter(|s| !s.is_none());
    let step = step.filter(|s| !s.is_none());
    let dtype = match optional_dtype(dtype)? {
        Some(d) => d,
        None => {
            let mut d = DType::Int64;
            for a in [Some(start_or_stop), stop, step].into_iter().flatten() {
                d = oxnp_core::promote::promote_types(d, arg_dtype(a)?);
            }
            d
        }
    };
    let zero = 0i64.into_pyobject(py)?.into_any();
    let one = 1i64.into_pyobject(py)?.into_any();
    let (start, stop) = match stop {
        Some(s) => (start_or_stop.clone(), s.clone()),
        None => (zero, start_or_stop.clone()),
    };
    let step = step.cloned().unwrap_or(one);
    let len = arange_length(py, &start, &stop, &step, dtype.is_complex())?.max(0) as usize;
    if dtype == DType::Bool && len > 2 {
        return Err(PyTypeError::new_err("arange() is only supported for booleans when the result has at most length 2."));
    }
    let arr = Array::empty(&[len], dtype, Order::C).py()?;
    let next = if len > 1 { Some(start.add(&step)?) } else { None };
    dispatch!(dtype, T => arange_fill::<T>(&arr, &start, next.as_ref()))?;
    Ok(Fresh(arr))
}

/// The dtype `linspace` computes in: NEP 50 over start and stop, made inexact.
fn linspace_dtype(args: [&Bound<'_, PyAny>; 2]) -> PyResult<DType> {
    use oxnp_core::promote::{Weak, result_type};
    let mut strong = Vec::new();
    let mut weak = Vec::new();
    for a in args {
        if a.is_exact_instance_of::<PyFloat>() {
            weak.push(Weak::Float);
        } else if a.is_exact_instance_of::<pyo3::types::PyInt>() {
            weak.push(Weak::Int);
        } else if a.is_exact_instance_of::<PyComplex>() {
            weak.push(Weak::Complex);
        } else if a.is_exact_instance_of::<pyo3::types::PyBool>() {
            strong.push(DType::Bool);
        } else {
            strong.push(arg_dtype(a)?);
        }
    }
    let dt = result_type(&strong, &weak).unwrap_or(DType::Float64);
    Ok(if dt.is_inexact() { dt } else { oxnp_core::promote::promote_weak(dt, Weak::Float) })
}

fn linspace_kernel<T: LinElem>(start: &Array, stop: &Array, num: usize, endpoint: bool) -> PyResult<(Array, Array)> {
    let m = start.size();
    let mut shape: Vec<usize> = vec![num];
    shape.extend_from_slice(start.shape());
    let mut out = vec![T::nan(); num * m];
    let steps = oxnp_core::fill::linspace(&start.to_vec::<T>(), &stop.to_vec::<T>(), num, endpoint, &mut out);
    Ok((Array::from_vec(&shape, out).py()?, Array::from_vec(start.shape(), steps).py()?))
}

#[pyfunction]
#[pyo3(signature = (start, stop, num = None, endpoint = true, retstep = false, dtype = None, axis = 0, *, device = None))]
#[allow(clippy::too_many_arguments)]
fn linspace<'py>(
    py: Python<'py>,
    start: &Bound<'py, PyAny>,
    stop: &Bound<'py, PyAny>,
    num: Option<&Bound<'py, PyAny>>,
    endpoint: bool,
    retstep: bool,
    dtype: Option<&Bound<'py, PyAny>>,
    axis: isize,
    device: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = device;
    let num: isize = match num {
        None => 50,
        Some(num) => num.call_method0("__index__").map_err(|_| {
        PyTypeError::new_err(format!("'{}' object cannot be interpreted as an integer", num.get_type().name().map(|n| n.to_string()).unwrap_or_default()))
    })?.extract()?,
    };
    if num < 0 {
        return Err(PyValueError::new_err(format!("Number of samples, {num}, must be non-negative.")));
    }
    let dt = linspace_dtype([start, stop])?;
    let out_dtype = optional_dtype(dtype)?.unwrap_or(dt);
    let a = coerce(start, Some(dt))?.into_array();
    let b = coerce(stop, Some(dt))?.into_array();
    let bshape = broadcast_shape(a.shape(), b.shape())?;
    let a = broadcast_to(&a, &bshape)?;
    let b = broadcast_to(&b, &bshape)?;
    let (y, steps) = dispatch_inexact(dt, &a, &b, num as usize, endpoint)?;
    if out_dtype.is_integer() && dt.is_complex() {
        return Err(PyTypeError::new_err("ufunc 'floor' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''"));
    }
    let y = if out_dtype.is_integer() && dt.is_float() {
        floor_in_place(&y);
        y
    } else {
        y
    };
    let y = if out_dtype != dt { oxnp_core::cast::astype(&y, out_dtype, oxnp_core::Casting::Unsafe).py()? } else { y };
    let y = move_axis_0(y, axis)?;
    let result = wrap(py, y)?.into_any();
    if !retstep {
        return Ok(result);
    }
    let step: Bound<'py, PyAny> = if (if endpoint { num - 1 } else { num }) <= 0 {
        PyFloat::new(py, f64::NAN).into_any()
    } else if steps.ndim() == 0 {
        crate::scalar::element_to_scalar(py, &steps, 0)?.into_bound(py)
    } else {
        wrap(py, steps)?.into_any()
    };
    Ok(PyTuple::new(py, [result, step])?.into_any())
}

fn dispatch_inexact(dt: DType, a: &Array, b: &Array, num: usize, endpoint: bool) -> PyResult<(Array, Array)> {
    use num_complex::{Complex32, Complex64};
    match dt {
        DType::Float16 => linspace_kernel::<half::f16>(a, b, num, endpoint),
        DType::Float32 => linspace_kernel::<f32>(a, b, num, endpoint),
        DType::Float64 => linspace_kernel::<f64>(a, b, num, endpoint),
        DType::Complex64 => linspace_kernel::<Complex32>(a, b, num, endpoint),
        DType::Complex128 => linspace_kernel::<Complex64>(a, b, num, endpoint),
        _ => Err(PyTypeError::new_err(format!("linspace cannot compute in dtype {}", dt.name()))),
    }
}

fn floor_in_place(y: &Array) {
    let base = y.as_ptr();
    // SAFETY: offsets come from y's own geometry; y is a fresh array.
    match y.dtype() {
        DType::Float16 => y.for_each_offset(|o| unsafe {
            let p = base.offset(o).cast::<half::f16>();
            p.write_unaligned(half::f16::from_f32(p.read_unaligned().to_f32().floor()));
        }),
        DType::Float32 => y.for_each_offset(|o| unsafe {
            let p = base.offset(o).cast::<f32>();
            p.write_unaligned(p.read_unaligned().floor());
        }),
        DType::Float64 => y.for_each_offset(|o| unsafe {
            let p = base.offset(o).cast::<f64>();
            p.write_unaligned(p.read_unaligned().floor());
        }),
        _ => {}
    }
}

pub fn broadcast_shape(a: &[usize], b: &[usize]) -> PyResult<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![1; n];
    for (k, o) in out.iter_mut().enumerate() {
        let da = if k + a.len() >= n { a[k + a.len() - n] } else { 1 };
        let db = if k + b.len() >= n { b[k + b.len() - n] } else { 1 };
        *o = if da == db || db == 1 { da } else if da == 1 { db } else {
            return Err(PyValueError::new_err(format!(
                "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape {} and arg 1 with shape {}.",
                oxnp_core::array::shape_repr(a), oxnp_core::array::shape_repr(b)
            )));
        };
    }
    Ok(out)
}

/// `moveaxis(y, 0, axis)` as a view.
fn move_axis_0(y: Array, axis: isize) -> PyResult<Array> {
    let nd = y.ndim();
    let axis = oxnp_core::error::normalize_axis(axis, nd).py()?;
    if axis == 0 {
        return Ok(y);
    }
    let mut perm: Vec<usize> = (1..nd).collect();
    perm.insert(axis, 0);
    let shape: Shape = perm.iter().map(|&k| y.shape()[k]).collect();
    let strides: Strides = perm.iter().map(|&k| y.strides()[k]).collect();
    // SAFETY: a permutation of the axes addresses the same elements.
    Ok(unsafe { y.view_unchecked(y.offset(), shape, strides, y.dtype()) })
}

#[pyfunction]
#[pyo3(signature = (N, M = None, k = 0, dtype = None, order = "C", *, device = None, like = None))]
#[allow(non_snake_case, clippy::too_many_arguments)]
fn eye(
    N: isize,
    M: Option<isize>,
    k: isize,
    dtype: Option<&Bound<'_, PyAny>>,
    order: &str,
    device: Option<&Bound<'_, PyAny>>,
    like: Option<&Bound<'_, PyAny>>,
) -> PyResult<Fresh> {
    let _ = (device, like);
    let m = M.unwrap_or(N);
    if N < 0 || m < 0 {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    let dtype = optional_dtype(dtype)?.unwrap_or(DEFAULT_FLOAT);
    let (n, m) = (N as usize, m as usize);
    let arr = Array::zeros(&[n, m], dtype, order_from_py(Some(order))?).py()?;
    let base = arr.as_ptr();
    let (s0, s1) = (arr.strides()[0], arr.strides()[1]);
    let first = if k < 0 { (-k) as usize } else { 0 };
    for i in first..n {
        let j = i as isize + k;
        if j < 0 || j as usize >= m {
            if j >= 0 { break; }
            continue;
        }
        let o = i as isize * s0 + j * s1;
        // SAFETY: (i, j) is inside the (n, m) array.
        dispatch!(dtype, T => unsafe { base.offset(o).cast::<T>().write_unaligned(T::from_num(Num::Int(1))) });
    }
    Ok(Fresh(arr))
}

#[pyfunction]
#[pyo3(signature = (n, dtype = None, *, like = None))]
fn identity(n: isize, dtype: Option<&Bound<'_, PyAny>>, like: Option<&Bound<'_, PyAny>>) -> PyResult<Fresh> {
    eye(n, None, 0, dtype, "C", None, like)
}

#[pyfunction]
#[pyo3(signature = (iter, dtype, count = -1, *, like = None))]
fn fromiter<'py>(
    iter: &Bound<'py, PyAny>,
    dtype: &Bound<'py, PyAny>,
    count: isize,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Fresh> {
    let _ = like;
    let dtype = crate::dtype::dtype_from_py(dtype)?;
    let mut items = Vec::new();
    for item in iter.try_iter()? {
        if count >= 0 && items.len() as isize >= count {
            break;
        }
        items.push(item?);
    }
    if count >= 0 && (items.len() as isize) < count {
        return Err(PyValueError::new_err(format!(
            "iterator too short: Expected {count} but iterator had only {} items.",
            items.len()
        )));
    }
    let list = pyo3::types::PyList::new(iter.py(), items)?;
    let arr = coerce(&list, Some(dtype))?.into_array();
    if arr.ndim() != 1 {
        return Err(PyValueError::new_err("setting an array element with a sequence."));
    }
    Ok(Fresh(arr))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(array, m)?)?;
    m.add_function(wrap_pyfunction!(asarray, m)?)?;
    m.add_function(wrap_pyfunction!(asanyarray, m)?)?;
    m.add_function(wrap_pyfunction!(ascontiguousarray, m)?)?;
    m.add_function(wrap_pyfunction!(asfortranarray, m)?)?;
    m.add_function(wrap_pyfunction!(copy, m)?)?;
    m.add_function(wrap_pyfunction!(zeros, m)?)?;
    m.add_function(wrap_pyfunction!(empty, m)?)?;
    m.add_function(wrap_pyfunction!(ones, m)?)?;
    m.add_function(wrap_pyfunction!(full, m)?)?;
    m.add_function(wrap_pyfunction!(zeros_like, m)?)?;
    m.add_function(wrap_pyfunction!(empty_like, m)?)?;
    m.add_function(wrap_pyfunction!(ones_like, m)?)?;
    m.add_function(wrap_pyfunction!(full_like, m)?)?;
    m.add_function(wrap_pyfunction!(arange, m)?)?;
    m.add_function(wrap_pyfunction!(linspace, m)?)?;
    m.add_function(wrap_pyfunction!(eye, m)?)?;
    m.add_function(wrap_pyfunction!(identity, m)?)?;
    m.add_function(wrap_pyfunction!(fromiter, m)?)?;
    Ok(())
}
