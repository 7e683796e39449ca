//! `a[key]`, `a[key] = value`, broadcasting functions, memory-sharing tests and `copyto`.
//!
//! A key is parsed into `oxnp_core::index::IndexItem`s; a single int or slice skips the
//! general parser. Basic indices give views; integer and boolean array indices (with any
//! basic items) go to the core's general gather/scatter.

use oxnp_core::broadcast::{self, broadcast_for_assign, broadcast_view, try_broadcast_shapes};
use oxnp_core::index::{self, ELLIPSIS_ERROR, IndexItem, SliceSpec};
use oxnp_core::promote::{Weak, promote_weak};
use oxnp_core::cast::{Convert, Num};
use oxnp_core::{Array, Casting, DType, Kind, Order};
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyList, PySlice, PyTuple, PyType};
use pyo3::ffi;
use smallvec::SmallVec;

use crate::convert::array_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, new_view_with, shape_tuple, wrap, wrap_view};
use crate::scalar::element_to_scalar;
use crate::ufunc::{checked_cast, value_may_warn};

const INVALID_INDEX: &str = "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) \
                             and integer or boolean arrays are valid indices";

type Items = SmallVec<[IndexItem; 4]>;

fn invalid_index() -> PyErr {
    PyIndexError::new_err(INVALID_INDEX)
}

/// An exact Python int as an index; values beyond `isize` are invalid indices, as in NumPy.
fn int_index(key: &Bound<'_, PyAny>) -> PyResult<isize> {
    // SAFETY: key is a live Python int.
    let v = unsafe { ffi::PyLong_AsSsize_t(key.as_ptr()) };
    if v == -1 && PyErr::take(key.py()).is_some() {
        return Err(invalid_index());
    }
    Ok(v)
}

/// A slice with Python's clamping of huge bounds and `__index__` conversion.
fn slice_spec(s: &Bound<'_, PySlice>) -> PyResult<SliceSpec> {
    let (mut start, mut stop, mut step) = (0, 0, 0);
    // SAFETY: s is a live slice object; the out-pointers are valid locals.
    if unsafe { ffi::PySlice_Unpack(s.as_ptr(), &mut start, &mut stop, &mut step) } < 0 {
        return Err(PyErr::fetch(s.py()));
    }
    Ok(SliceSpec { start: Some(start), stop: Some(stop), step: Some(step) })
}

/// Classifies an array used as an index.
fn array_item(arr: Array, scalar_array: &mut bool) -> PyResult<IndexItem> {
    match arr.dtype().kind() {
        Kind::Bool => Ok(IndexItem::BoolArray(arr)),
        Kind::Int | Kind::UInt if arr.ndim() == 0 => {
            // A 0-d integer array indexes like an int, but the result is a copy.
            *scalar_array = true;
            let v = oxnp_core::cast::astype(&arr, DType::Int64, Casting::Unsafe).py()?;
            let i: i64 = v.get(&[]);
            Ok(IndexItem::Int(isize::try_from(i).map_err(|_| invalid_index())?))
        }
        Kind::Int | Kind::UInt => Ok(IndexItem::IntArray(arr)),
        _ => Err(PyIndexError::new_err("arrays used as indices must be of integer (or boolean) type")),
    }
}

/// A list index: flat lists of ints or bools are read here; anything else goes through the
/// general array conversion and must give an integer or boolean array.
fn list_item(list: &Bound<'_, PyList>, scalar_array: &mut bool) -> PyResult<IndexItem> {
    let n = list.len();
    let all_bool = n > 0 && list.iter().all(|x| x.is_instance_of::<PyBool>());
    if all_bool {
        let v: Vec<bool> = list.iter().map(|x| x.is_truthy()).collect::<PyResult<_>>()?;
        return Ok(IndexItem::BoolArray(Array::from_vec(&[n], v).py()?));
    }
    // Ints beyond int64 fall through to the general conversion (uint64, as in NumPy).
    let ints: Option<Vec<i64>> =
        list.iter().map(|x| if x.is_instance_of::<PyInt>() { x.extract::<i64>().ok() } else { None }).collect();
    if let Some(ints) = ints {
        return Ok(IndexItem::IntArray(Array::from_vec(&[n], ints).py()?));
    }
    let arr = array_from_py(list.as_any()).map_err(|_| invalid_index())?;
    // Empty nested lists index as integers (`a[[[]]]`), not as the float64 they convert to.
    let arr = if arr.size() == 0 { oxnp_core::cast::astype(&arr, DType::Int64, Casting::Unsafe).py()? } else { arr };
    match arr.dtype().kind() {
        Kind::Bool | Kind::Int | Kind::UInt => array_item(arr, scalar_array),
        _ => Err(invalid_index()),
    }
}

/// One element of an index (`scalar_array` is set when a 0-d integer array forces a copy).
fn parse_item(obj: &Bound<'_, PyAny>, scalar_array: &mut bool) -> PyResult<IndexItem> {
    if obj.is_exact_instance_of::<PyInt>() {
        return Ok(IndexItem::Int(int_index(obj)?));
    }
    if let Ok(s) = obj.cast::<PySlice>() {
        return Ok(IndexItem::Slice(slice_spec(s)?));
    }
    if obj.is_none() {
        return Ok(IndexItem::NewAxis);
    }
    // SAFETY: comparing object identity with the Ellipsis singleton.
    if obj.as_ptr() == unsafe { ffi::Py_Ellipsis() } {
        return Ok(IndexItem::Ellipsis);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(IndexItem::BoolArray(Array::scalar(b.is_true())));
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return array_item(a.get().arr().clone(), scalar_array);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return list_item(l, scalar_array);
    }
    // oxnp's bool scalar indexes as a Python bool does: a 0-d boolean mask.
    if matches!(crate::scalar::base_scalar_value(obj), Some((DType::Bool, _))) {
        return Ok(IndexItem::BoolArray(Array::scalar(obj.is_truthy()?)));
    }
    // Integer scalars of any library and objects with `__index__`.
    // SAFETY: obj is live; PyIndex_Check only inspects its type.
    if unsafe { ffi::PyIndex_Check(obj.as_ptr()) } != 0 {
        // SAFETY: obj is live; the result is a new reference or NULL with an exception set.
        let idx = unsafe { Bound::from_owned_ptr_or_err(obj.py(), ffi::PyNumber_Index(obj.as_ptr()))? };
        return Ok(IndexItem::Int(int_index(&idx)?));
    }
    match array_from_py(obj) {
        Ok(arr) if matches!(arr.dtype().kind(), Kind::Bool | Kind::Int | Kind::UInt) => {
            array_item(arr, scalar_array)
        }
        _ => Err(invalid_index()),
    }
}

/// Parses a whole key; returns the items and whether the result must be a copy.
fn parse_key(key: &Bound<'_, PyAny>) -> PyResult<(Items, bool)> {
    let mut scalar_array = false;
    let mut items = Items::new();
    if let Ok(t) = key.cast::<PyTuple>() {
        let mut ellipses = 0;
        for obj in t.iter() {
            let item = parse_item(&obj, &mut scalar_array)?;
            if matches!(item, IndexItem::Ellipsis) {
                ellipses += 1;
                if ellipses > 1 {
                    return Err(PyIndexError::new_err(ELLIPSIS_ERROR));
                }
            }
            items.push(item);
        }
    } else {
        items.push(parse_item(key, &mut scalar_array)?);
    }
    Ok((items, scalar_array))
}

/// Fast path for `a[i, j, ...]` with one exact Python int per axis: the element's byte
/// offset, or None when the key has another form (bounds errors are raised here).
fn element_offset(arr: &Array, key: &Bound<'_, PyAny>) -> PyResult<Option<isize>> {
    let Ok(t) = key.cast::<PyTuple>() else {
        return match (arr.ndim(), plain_int(key)) {
            (1, Some(i)) => Ok(Some(index::normalize_index(i?, arr.shape()[0], 0).py()? as isize * arr.strides()[0])),
            _ => Ok(None),
        };
    };
    if t.len() != arr.ndim() {
        return Ok(None);
    }
    let mut ints: SmallVec<[isize; 4]> = SmallVec::new();
    for x in t.iter() {
        let Some(i) = plain_int(&x) else { return Ok(None) };
        ints.push(i?);
    }
    let mut offset = 0;
    for (axis, i) in ints.into_iter().enumerate() {
        offset += index::normalize_index(i, arr.shape()[axis], axis).py()? as isize * arr.strides()[axis];
    }
    Ok(Some(offset))
}

/// Fast path for basic keys: a slice, None or Ellipsis, or a tuple of Python ints, slices,
/// Nones and at most one Ellipsis (`x[1:-1]`, `x[1, 1:-1]`, `x[..., :, None]`): the view,
/// computed without the general key parser. None for other keys.
fn int_slice_view(arr: &Array, key: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    if let Ok(s) = key.cast_exact::<PySlice>() {
        return if arr.ndim() == 0 { Ok(None) } else { slice_first_axis(arr, s).map(Some) };
    }
    let py = key.py();
    let single = key.is_none() || key.is(&py.Ellipsis()) || key.is_instance_of::<PySlice>();
    let tuple = key.cast::<PyTuple>().ok();
    let items: &[Bound<'_, PyAny>] = match tuple {
        Some(t) => t.as_slice(),
        None if single => std::slice::from_ref(key),
        None => return Ok(None),
    };
    // Every item's kind is checked before any bound, so errors come in NumPy's order.
    let (mut consuming, mut ellipses) = (0, 0);
    for x in items {
        if x.is_exact_instance_of::<PyInt>() || x.is_instance_of::<PySlice>() {
            consuming += 1;
        } else if x.is(&py.Ellipsis()) {
            ellipses += 1;
        } else if !x.is_none() {
            return Ok(None);
        }
    }
    if consuming > arr.ndim() || ellipses > 1 {
        return Ok(None);
    }
    // An int per axis selects an element: `element_offset`'s case.
    if items.len() == arr.ndim() && items.iter().all(|x| x.is_exact_instance_of::<PyInt>()) {
        return Ok(None);
    }
    let (shape, strides) = (arr.shape(), arr.strides());
    let mut new_shape = oxnp_core::array::Shape::new();
    let mut new_strides = oxnp_core::array::Strides::new();
    let mut delta = 0isize;
    let mut axis = 0;
    for x in items {
        if let Ok(s) = x.cast::<PySlice>() {
            let (start, step, count) = slice_bounds(s, shape[axis])?;
            delta += start * strides[axis];
            new_shape.push(count);
            new_strides.push(step * strides[axis]);
            axis += 1;
        } else if x.is_none() {
            new_shape.push(1);
            new_strides.push(0);
        } else if x.is(&py.Ellipsis()) {
            let skipped = arr.ndim() - consuming;
            new_shape.extend_from_slice(&shape[axis..axis + skipped]);
            new_strides.extend_from_slice(&strides[axis..axis + skipped]);
            axis += skipped;
        } else {
            delta += index::normalize_index(int_index(x)?, shape[axis], axis).py()? as isize * strides[axis];
            axis += 1;
        }
    }
    new_shape.extend_from_slice(&shape[axis..]);
    new_strides.extend_from_slice(&strides[axis..]);
    if new_shape.len() > oxnp_core::array::MAX_DIMS {
        return Ok(None);
    }
    // SAFETY: every int and slice was normalised against its axis above.
    Ok(Some(unsafe { index::view_at(arr, delta, new_shape, new_strides) }))
}

/// A slice's (start, step, count) on an axis of length `len`; an empty slice points at the
/// axis start with step 1, as NumPy's do.
fn slice_bounds(s: &Bound<'_, PySlice>, len: usize) -> PyResult<(isize, isize, usize)> {
    let (start, _, step, count) = slice_spec(s)?.indices(len).py()?;
    Ok(if count == 0 { (0, 1, 0) } else { (start, step, count) })
}

/// `arr[s]` for one slice: the commonest key of all.
fn slice_first_axis(arr: &Array, s: &Bound<'_, PySlice>) -> PyResult<Array> {
    let (start, step, count) = slice_bounds(s, arr.shape()[0])?;
    let mut shape = oxnp_core::array::Shape::from_slice(arr.shape());
    let mut strides = oxnp_core::array::Strides::from_slice(arr.strides());
    let delta = start * strides[0];
    shape[0] = count;
    strides[0] *= step;
    // SAFETY: the slice was normalised against axis 0.
    Ok(unsafe { index::view_at(arr, delta, shape, strides) })
}

/// A Python int or an oxnp integer scalar as an index; None for other keys.
fn plain_int(key: &Bound<'_, PyAny>) -> Option<PyResult<isize>> {
    if key.is_exact_instance_of::<PyInt>() {
        return Some(int_index(key));
    }
    let (d, v) = crate::scalar::base_scalar_value(key)?;
    match crate::scalar::read_num(d, &v) {
        Num::Int(i) if d.is_integer() => Some(isize::try_from(i).map_err(|_| invalid_index())),
        Num::UInt(u) if d.is_integer() => Some(isize::try_from(u).map_err(|_| invalid_index())),
        _ => None,
    }
}

/// Advanced indexing on at least this many elements releases the GIL.
const DETACH_MIN: usize = 1 << 16;

fn get_basic(slf: &Bound<'_, PyNdArray>, items: &[IndexItem], copy: bool) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let view = {
        let this = slf.borrow();
        let view = index::basic_view(this.arr(), items).py()?;
        if index::selects_element(items, this.arr().ndim()) {
            return element_to_scalar(py, &view, 0);
        }
        view
    };
    if copy {
        return Ok(crate::ndarray::wrap_like(slf, view.copy(Order::C).py()?)?.into_any().unbind());
    }
    Ok(wrap_view(slf, view)?.into_any().unbind())
}

fn get_advanced(slf: &Bound<'_, PyNdArray>, items: &[IndexItem]) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let arr = slf.get().arr().clone();
    let out = if arr.size() >= DETACH_MIN {
        py.detach(|| index::advanced_get(&arr, items))
    } else {
        index::advanced_get(&arr, items)
    };
    Ok(crate::subclass::view_of_result(slf, wrap(py, out.py()?)?)?.into_any().unbind())
}

/// The Python kind of a bool/int/float/complex, or None for other objects.
fn python_scalar_kind(obj: &Bound<'_, PyAny>) -> Option<Option<Weak>> {
    if obj.is_instance_of::<PyBool>() {
        Some(None)
    } else if obj.is_instance_of::<PyInt>() {
        Some(Some(Weak::Int))
    } else if obj.is_instance_of::<PyFloat>() {
        Some(Some(Weak::Float))
    } else if obj.is_instance_of::<PyComplex>() {
        Some(Some(Weak::Complex))
    } else {
        None
    }
}

/// A Python int as a value of the integer `dtype`, or NumPy 2's OverflowError.
fn int_for_dtype(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Num> {
    let out_of_bounds = || -> PyErr {
        let text = obj.str().map(|s| s.to_string()).unwrap_or_default();
        PyOverflowError::new_err(format!("Python integer {text} out of bounds for {}", dtype.name()))
    };
    let v: i128 = obj.extract().map_err(|_| out_of_bounds())?;
    let (lo, hi): (i128, i128) = match dtype {
        DType::Int8 => (i8::MIN as i128, i8::MAX as i128),
        DType::Int16 => (i16::MIN as i128, i16::MAX as i128),
        DType::Int32 => (i32::MIN as i128, i32::MAX as i128),
        DType::Int64 => (i64::MIN as i128, i64::MAX as i128),
        DType::UInt8 => (0, u8::MAX as i128),
        DType::UInt16 => (0, u16::MAX as i128),
        DType::UInt32 => (0, u32::MAX as i128),
        _ => (0, u64::MAX as i128),
    };
    if v < lo || v > hi {
        return Err(out_of_bounds());
    }
    Ok(if v < 0 { Num::Int(v as i64) } else { Num::UInt(v as u64) })
}

/// A Python bool/int/float/complex as a value for an element of `dtype`, the way NumPy
/// stores a Python scalar into an array (`int()` / `float()` semantics, overflow checks);
/// None for other objects.
fn python_scalar_num(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Option<Num>> {
    let Some(kind) = python_scalar_kind(obj) else { return Ok(None) };
    Ok(Some(match (kind, dtype.kind()) {
        (None, _) | (_, Kind::Bool) => Num::Bool(obj.is_truthy()?),
        (Some(Weak::Float), Kind::Float | Kind::Complex) => Num::Float(obj.cast::<PyFloat>()?.value()),
        (_, Kind::Int | Kind::UInt) => {
            if obj.is_exact_instance_of::<PyInt>() {
                return int_for_dtype(obj, dtype).map(Some);
            }
            // SAFETY: obj is live; PyNumber_Long returns a new reference or NULL with an error.
            let as_int = unsafe { Bound::from_owned_ptr_or_err(obj.py(), ffi::PyNumber_Long(obj.as_ptr()))? };
            return int_for_dtype(&as_int, dtype).map(Some);
        }
        (Some(Weak::Complex), Kind::Complex) => {
            let c = obj.cast::<PyComplex>()?;
            Num::Complex(c.real(), c.imag())
        }
        (_, _) => Num::Float(obj.extract::<f64>()?),
    }))
}

/// Writes `num` converted to `dtype` at `ptr`.
///
/// # Safety
/// `ptr` points to a writable element of `dtype`.
unsafe fn write_num(ptr: *mut u8, dtype: DType, num: Num) {
    // SAFETY: the caller's promise.
    oxnp_core::dispatch!(dtype, T => unsafe { ptr.cast::<T>().write_unaligned(<T as Convert>::from_num(num)) })
}

/// A Python scalar packed into a 0-d array of `dtype` (see `python_scalar_num`).
fn pack_python_scalar(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Option<Array>> {
    let Some(num) = python_scalar_num(obj, dtype)? else { return Ok(None) };
    let out = Array::empty(&[], dtype, Order::C).py()?;
    // SAFETY: a fresh one-element array of dtype.
    unsafe { write_num(out.as_ptr(), dtype, num) };
    Ok(Some(out))
}

/// The value of an assignment into an array of `dtype`, before broadcasting.
fn assigned_value(value: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Array> {
    match pack_python_scalar(value, dtype)? {
        Some(a) => Ok(a),
        None => array_from_py(value),
    }
}

fn set_basic(arr: &Array, items: &[IndexItem], value: &Bound<'_, PyAny>) -> PyResult<()> {
    let view = index::basic_view(arr, items).py()?;
    set_view(arr, &view, index::selects_element(items, arr.ndim()), value)
}

/// Assigns `value` to `view`, a basic-index view of `arr`; `element` when the key picked
/// one element with an int per axis.
fn set_view(arr: &Array, view: &Array, element: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if view.ndim() == 0 {
        if let Some(num) = python_scalar_num(value, arr.dtype())? {
            // SAFETY: a 0-d view of a writeable array (checked by the caller) is one element.
            unsafe { write_num(view.as_ptr(), arr.dtype(), num) };
            return Ok(());
        }
    }
    let src = assigned_value(value, arr.dtype())?;
    if src.ndim() > 0 && element {
        return set_element_from_array(view, &src);
    }
    let src = broadcast_for_assign(&src, view.shape()).py()?;
    oxnp_core::cast::copy_into(view, &src).py()
}

/// `a[i, j] = array`: NumPy converts the array as a Python scalar would be (`complex()`,
/// `bool()`), so only a bool element accepts a one-element array.
fn set_element_from_array(element: &Array, src: &Array) -> PyResult<()> {
    match element.dtype().kind() {
        Kind::Complex => Err(PyTypeError::new_err("only 0-dimensional arrays can be converted to Python scalars")),
        Kind::Bool if src.size() == 1 => {
            let one = src.copy(Order::C).py()?;
            // SAFETY: a one-element contiguous array viewed as 0-d.
            let one = unsafe { one.view_unchecked(one.offset(), Default::default(), Default::default(), one.dtype()) };
            oxnp_core::cast::copy_into(element, &one).py()
        }
        _ => Err(PyValueError::new_err("setting an array element with a sequence.")),
    }
}

fn set_advanced(arr: &Array, items: &[IndexItem], value: &Bound<'_, PyAny>) -> PyResult<()> {
    let src = assigned_value(value, arr.dtype())?;
    if arr.size() >= DETACH_MIN {
        value.py().detach(|| index::advanced_set(arr, items, &src)).py()
    } else {
        index::advanced_set(arr, items, &src).py()
    }
}

#[pymethods]
impl PyNdArray {
    fn __getitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(r) = simple_getitem(slf, key) {
            return r;
        }
        let arr = slf.get().arr();
        if let Some(view) = int_slice_view(arr, key)? {
            return Ok(wrap_view(slf, view)?.into_any().unbind());
        }
        if let Some(offset) = element_offset(arr, key)? {
            return element_to_scalar(slf.py(), arr, offset);
        }
        if key.is_exact_instance_of::<PyInt>() {
            let i = int_index(key)?;
            return get_basic(slf, &[IndexItem::Int(i)], false);
        }
        let (items, copy) = parse_key(key)?;
        if items.iter().any(IndexItem::is_advanced) {
            get_advanced(slf, &items)
        } else {
            get_basic(slf, &items, copy)
        }
    }

    fn __setitem__(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        checked_cast(value.py(), value_may_warn(value, self.arr().dtype()), self.arr().dtype(), || self.set_item(key, value))
    }

    fn __delitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let _ = key;
        Err(PyValueError::new_err("cannot delete array elements"))
    }
}

impl PyNdArray {
    fn set_item(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.arr().check_writeable().py()?;
        if let Some(offset) = element_offset(self.arr(), key)? {
            if let Some(num) = python_scalar_num(value, self.arr().dtype())? {
                // SAFETY: the offset of an in-bounds element of a writeable array.
                unsafe { write_num(self.arr().as_ptr().offset(offset), self.arr().dtype(), num) };
                return Ok(());
            }
        }
        if let Some(view) = int_slice_view(self.arr(), key)? {
            return set_view(self.arr(), &view, false, value);
        }
        if key.is_exact_instance_of::<PyInt>() {
            let i = int_index(key)?;
            return set_basic(self.arr(), &[IndexItem::Int(i)], value);
        }
        let (items, _) = parse_key(key)?;
        if items.iter().any(IndexItem::is_advanced) {
            set_advanced(self.arr(), &items, value)
        } else {
            set_basic(self.arr(), &items, value)
        }
    }
}

/// A shape argument that may not be negative, with `broadcast_to`'s message.
fn broadcast_shape_arg(shape: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let dims: Vec<isize> = if let Ok(n) = shape.extract::<isize>() {
        vec![n]
    } else {
        shape.extract::<Vec<isize>>().map_err(|_| {
            PyTypeError::new_err(format!(
                "'{}' object cannot be interpreted as an integer",
                shape.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?
    };
    dims.iter()
        .map(|&d| {
            usize::try_from(d)
                .map_err(|_| PyValueError::new_err("all elements of broadcast shape must be non-negative"))
        })
        .collect()
}

/// Wraps `view` as a view of `source` when it is an oxnp array (of its class when `subok`),
/// else as a new array.
fn wrap_result<'py>(py: Python<'py>, source: &Bound<'py, PyAny>, view: Array, subok: bool) -> PyResult<Bound<'py, PyAny>> {
    match source.cast::<PyNdArray>() {
        Ok(a) if subok => Ok(wrap_view(a, view)?.into_any()),
        Ok(a) => Ok(crate::ndarray::plain_view(a, view)?.into_any()),
        Err(_) => Ok(wrap(py, view)?.into_any()),
    }
}

#[pyfunction]
#[pyo3(signature = (array, shape, subok = false))]
fn broadcast_to<'py>(
    py: Python<'py>,
    array: &Bound<'py, PyAny>,
    shape: &Bound<'py, PyAny>,
    subok: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let shape = broadcast_shape_arg(shape)?;
    let arr = array_from_py(array)?;
    let mut view = broadcast_view(&arr, &shape).py()?;
    view.set_writeable(false).py()?;
    wrap_result(py, array, view, subok)
}

/// `as_strided`'s view: `x`'s memory seen with any shape and byte strides, starting where `x`
/// starts. Unlike NumPy, a view reaching outside `x`'s buffer is refused (ValueError) instead of
/// reading foreign memory.
#[pyfunction]
fn _as_strided<'py>(x: &Bound<'py, PyNdArray>, shape: Vec<isize>, strides: Vec<isize>, writeable: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = x.get().arr();
    let dims = shape
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| PyValueError::new_err("negative dimensions are not allowed")))
        .collect::<PyResult<Vec<usize>>>()?;
    let mut view = Array::from_parts(arr.buffer().clone(), arr.offset(), dims.as_slice().into(), strides.as_slice().into(), arr.dtype()).py()?;
    view.set_writeable(writeable && arr.writeable()).py()?;
    wrap_view(x, view)
}

#[pyfunction]
#[pyo3(signature = (*args, subok = false))]
fn broadcast_arrays<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    subok: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let arrays: Vec<Array> = args.iter().map(|a| array_from_py(&a)).collect::<PyResult<_>>()?;
    let shapes: Vec<&[usize]> = arrays.iter().map(|a| a.shape()).collect();
    let shape = try_broadcast_shapes(&shapes).map_err(|m| broadcast::mismatch_error(&shapes, m)).py()?;
    let all_same = arrays.iter().all(|a| a.shape() == shape.as_slice());
    let mut out = Vec::with_capacity(arrays.len());
    for (obj, arr) in args.iter().zip(&arrays) {
        if all_same && obj.is_instance_of::<PyNdArray>() && (subok || crate::subclass::is_plain(&obj)) {
            out.push(obj.clone());
        } else {
            out.push(wrap_result(py, &obj, broadcast_view(arr, &shape).py()?, subok)?);
        }
    }
    PyTuple::new(py, out)
}

#[pyfunction]
#[pyo3(signature = (*args))]
fn broadcast_shapes<'py>(py: Python<'py>, args: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyTuple>> {
    let owned: Vec<oxnp_core::array::Shape> =
        args.iter().map(|a| crate::creation::shape_from_py(&a)).collect::<PyResult<_>>()?;
    let shapes: Vec<&[usize]> = owned.iter().map(|s| s.as_slice()).collect();
    let shape = try_broadcast_shapes(&shapes).map_err(|m| broadcast::mismatch_error(&shapes, m)).py()?;
    shape_tuple(py, &shape)
}

/// An argument of the memory-sharing tests; objects that are not oxnp arrays would be
/// converted to fresh arrays, which share nothing.
fn sharing_operand(obj: &Bound<'_, PyAny>) -> Option<Array> {
    obj.cast::<PyNdArray>().ok().map(|a| a.get().arr().clone())
}

static TOO_HARD_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `shares_memory` (`exact_default`, raises when bounds alone cannot decide) and
/// `may_share_memory` (answers True then), with NumPy's `max_work`: -1 or positive solves
/// exactly, 0 compares byte bounds only.
fn shares(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, max_work: Option<isize>, exact_default: bool) -> PyResult<bool> {
    let exact = match max_work {
        None => exact_default,
        Some(-1) => true,
        Some(0) => false,
        Some(n) if n > 0 => true,
        Some(_) => return Err(PyValueError::new_err("Invalid value for max_work")),
    };
    let (Some(x), Some(y)) = (sharing_operand(a), sharing_operand(b)) else { return Ok(false) };
    if exact {
        return Ok(broadcast::shares_memory(&x, &y));
    }
    let overlap = x.may_overlap(&y);
    if overlap && exact_default {
        let cls = TOO_HARD_ERROR.import(a.py(), "oxnp.exceptions", "TooHardError")?;
        return Err(PyErr::from_value(cls.call1(("Exceeded max_work",))?));
    }
    Ok(overlap)
}

#[pyfunction]
#[pyo3(signature = (a, b, max_work = None))]
fn shares_memory(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, max_work: Option<isize>) -> PyResult<bool> {
    shares(a, b, max_work, true)
}

#[pyfunction]
#[pyo3(signature = (a, b, max_work = None))]
fn may_share_memory(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, max_work: Option<isize>) -> PyResult<bool> {
    shares(a, b, max_work, false)
}

/// NumPy's casting check for a Python scalar source (NEP 50: int/float/complex are weak).
fn check_scalar_cast(kind: Option<Weak>, dst: DType, casting: Casting) -> PyResult<()> {
    if casting == Casting::Unsafe {
        return Ok(());
    }
    let scalar_error = |from: DType| {
        PyTypeError::new_err(format!(
            "Cannot cast scalar from dtype('{}') to dtype('{}') according to the rule '{}'",
            from.name(),
            dst.name(),
            casting.name()
        ))
    };
    let Some(weak) = kind else {
        return if oxnp_core::cast::can_cast(DType::Bool, dst, casting) {
            Ok(())
        } else {
            Err(scalar_error(DType::Bool))
        };
    };
    // The scalar takes the dtype it would have next to `dst`; 'equiv' also wants that to be
    // the scalar's default dtype (NumPy's own ordering of the two checks).
    let promoted = promote_weak(dst, weak);
    if casting == Casting::Equiv && promoted != weak.default_dtype() {
        let name = match weak {
            Weak::Int => "int",
            Weak::Float => "float",
            Weak::Complex => "complex",
        };
        return Err(PyTypeError::new_err(format!(
            "cannot cast Python {name} to {} under the casting rule 'equiv'",
            promoted.name()
        )));
    }
    if !oxnp_core::cast::can_cast(promoted, dst, casting) {
        return Err(scalar_error(promoted));
    }
    Ok(())
}

#[pyfunction]
#[pyo3(signature = (dst, src, casting = "same_kind", r#where = None))]
fn copyto(
    dst: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    casting: &str,
    r#where: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let dst = dst.cast::<PyNdArray>().map_err(|_| {
        PyTypeError::new_err(format!(
            "copyto() argument 1 must be a numpy.ndarray, not {}",
            dst.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    let casting = Casting::parse(casting).py()?;
    copy_value_into(dst.get().arr(), src, casting, r#where)
}

/// `copyto(dst, src, casting, where)` on an array: also how `full` fills its new array.
pub fn copy_value_into(dst: &Array, src: &Bound<'_, PyAny>, casting: Casting, r#where: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    checked_cast(src.py(), value_may_warn(src, dst.dtype()), dst.dtype(), || copy_value(dst, src, casting, r#where))
}

fn copy_value(dst: &Array, src: &Bound<'_, PyAny>, casting: Casting, r#where: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let src = match python_scalar_kind(src) {
        Some(kind) => {
            check_scalar_cast(kind, dst.dtype(), casting)?;
            // Python ints are range-checked against dst; other scalars cast as 0-d arrays.
            match (kind, pack_python_scalar(src, dst.dtype())) {
                (Some(Weak::Int), packed) => packed?.ok_or_else(|| PyTypeError::new_err("copyto: bad scalar"))?,
                _ => array_from_py(src)?,
            }
        }
        None => {
            let a = array_from_py(src)?;
            if !oxnp_core::cast::can_cast(a.dtype(), dst.dtype(), casting) {
                return Err(oxnp_core::cast::cast_error(a.dtype(), dst.dtype(), casting)).py();
            }
            a
        }
    };
    dst.check_writeable().py()?;
    let src = broadcast_for_assign(&src, dst.shape()).py()?;
    match r#where {
        None => oxnp_core::cast::copy_into(dst, &src).py(),
        Some(w) if w.is_instance_of::<PyBool>() && w.is_truthy()? => oxnp_core::cast::copy_into(dst, &src).py(),
        Some(w) => {
            let mask = oxnp_core::cast::astype(&array_from_py(w)?, DType::Bool, Casting::Unsafe).py()?;
            let mask = broadcast_for_assign(&mask, dst.shape()).py()?;
            let converted = Array::empty(dst.shape(), dst.dtype(), Order::C).py()?;
            oxnp_core::cast::copy_into(&converted, &src).py()?;
            index::copy_where(dst, &converted, &mask).py()
        }
    }
}

/// `a[i]` on a 1-d array, `a[i, j]` (an int per axis), `a[start:stop:step]` and one index
/// or mask array: the commonest keys, which take neither a parse of the key nor a Python
/// reference that would need releasing; None for other keys.
#[inline]
fn simple_getitem(slf: &Bound<'_, PyNdArray>, key: &Bound<'_, PyAny>) -> Option<PyResult<Py<PyAny>>> {
    let arr = slf.get().arr();
    if let Ok(k) = key.cast::<PyNdArray>() {
        let key_arr = k.get().arr();
        if let Some(idx) = index::small_take_indices(arr, key_arr) {
            // The result is made in place first, then filled: no array moved into it.
            let take = || {
                let out = crate::ndarray::new_fresh(slf.py(), key_arr.shape(), arr.dtype(), Order::C, false)?;
                index::take_into(arr, idx, out.get().arr()).py()?;
                Ok(crate::subclass::view_of_result(slf, out)?.into_any().unbind())
            };
            return Some(take());
        }
        let taken = index::array_key_get(arr, key_arr)?;
        return Some(taken.py().and_then(|r| Ok(crate::subclass::view_of_result(slf, wrap(slf.py(), r)?)?.into_any().unbind())));
    }
    if arr.ndim() == 1 && key.is_exact_instance_of::<PyInt>() {
        let element = || {
            let offset = index::normalize_index(int_index(key)?, arr.shape()[0], 0).py()? as isize * arr.strides()[0];
            element_to_scalar(slf.py(), arr, offset)
        };
        return Some(element());
    }
    if key.is_exact_instance_of::<PyTuple>() {
        return match element_offset(arr, key) {
            Ok(Some(offset)) => Some(element_to_scalar(slf.py(), arr, offset)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        };
    }
    let s = key.cast_exact::<PySlice>().ok().filter(|_| arr.ndim() > 0)?;
    let view = || {
        let (start, step, count) = slice_bounds(s, arr.shape()[0])?;
        // SAFETY: a slice normalised against axis 0.
        Ok(unsafe { new_view_with(slf, |v| v.narrow_axis(0, start, step, count)) }?.into_any().unbind())
    };
    Some(view())
}

/// pyo3's `mp_subscript` of ndarray (its `__getitem__`), where the native slot sends every
/// key `simple_getitem` does not take.
static PYO3_SUBSCRIPT: std::sync::OnceLock<ffi::binaryfunc> = std::sync::OnceLock::new();

/// ndarray's `mp_subscript`: simple keys run without pyo3's trampoline (its thread-local
/// attach count and result conversion are a tenth of `a[1:-1]`); they drop no `Py` (which
/// would defer its decref to pyo3's pool without the attach count).
unsafe extern "C" fn subscript(obj: *mut ffi::PyObject, key: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: CPython calls the slot with the GIL held and two live borrowed references, `obj`
    // an instance of ndarray or of a subclass (whose layout starts with ndarray's).
    unsafe {
        let py = Python::assume_attached();
        let slf = pyo3::Borrowed::from_ptr(py, obj).cast_unchecked::<PyNdArray>();
        let k = pyo3::Borrowed::from_ptr(py, key);
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| simple_getitem(&slf, &k))) {
            Ok(Some(Ok(value))) => value.into_ptr(),
            Ok(Some(Err(e))) => {
                e.restore(py);
                std::ptr::null_mut()
            }
            _ => match PYO3_SUBSCRIPT.get() {
                Some(pyo3_slot) => pyo3_slot(obj, key),
                None => std::ptr::null_mut(),
            },
        }
    }
}

/// `a[i] = x` or `a[i, j] = x` of a Python float into float64 or a Python int into int64: the
/// commonest element stores, which can neither warn nor need a cast. None for other stores.
#[inline]
fn simple_setitem(arr: &Array, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> Option<PyResult<()>> {
    if !arr.writeable() {
        return None;
    }
    let num = match arr.dtype() {
        DType::Float64 => Num::Float(value.cast_exact::<PyFloat>().ok()?.value()),
        DType::Int64 if value.is_exact_instance_of::<PyInt>() => Num::Int(value.extract::<i64>().ok()?),
        _ => return None,
    };
    let offset = match element_offset(arr, key) {
        Ok(Some(offset)) => offset,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    // SAFETY: the offset of an in-bounds element of a writeable array.
    unsafe { write_num(arr.as_ptr().offset(offset), arr.dtype(), num) };
    Some(Ok(()))
}

/// pyo3's `mp_ass_subscript` of ndarray (`__setitem__` and `__delitem__`).
static PYO3_ASS_SUBSCRIPT: std::sync::OnceLock<ffi::objobjargproc> = std::sync::OnceLock::new();

/// ndarray's `mp_ass_subscript`: `simple_setitem`'s stores without pyo3's trampoline.
unsafe extern "C" fn ass_subscript(obj: *mut ffi::PyObject, key: *mut ffi::PyObject, value: *mut ffi::PyObject) -> std::os::raw::c_int {
    // SAFETY: as in `subscript`; `value` is NULL for a deletion.
    unsafe {
        if !value.is_null() {
            let py = Python::assume_attached();
            let slf = pyo3::Borrowed::from_ptr(py, obj).cast_unchecked::<PyNdArray>();
            let (k, v) = (pyo3::Borrowed::from_ptr(py, key), pyo3::Borrowed::from_ptr(py, value));
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| simple_setitem(slf.get().arr(), &k, &v))) {
                Ok(Some(Ok(()))) => return 0,
                Ok(Some(Err(e))) => {
                    e.restore(py);
                    return -1;
                }
                _ => {}
            }
        }
        match PYO3_ASS_SUBSCRIPT.get() {
            Some(pyo3_slot) => pyo3_slot(obj, key, value),
            None => -1,
        }
    }
}

fn install_subscript(py: Python<'_>) {
    let tp = <PyNdArray as pyo3::type_object::PyTypeInfo>::type_object_raw(py);
    // SAFETY: our heap type, whose `tp_as_mapping` points into its own PyHeapTypeObject;
    // changed before any Python subclass copies it.
    unsafe {
        let Some(mapping) = (*tp).tp_as_mapping.as_mut() else { return };
        if let Some(pyo3_slot) = mapping.mp_subscript {
            if PYO3_SUBSCRIPT.set(pyo3_slot).is_ok() {
                mapping.mp_subscript = Some(subscript);
            }
        }
        if let Some(pyo3_slot) = mapping.mp_ass_subscript {
            if PYO3_ASS_SUBSCRIPT.set(pyo3_slot).is_ok() {
                mapping.mp_ass_subscript = Some(ass_subscript);
            }
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    install_subscript(m.py());
    m.add_function(wrap_pyfunction!(broadcast_to, m)?)?;
    m.add_function(wrap_pyfunction!(_as_strided, m)?)?;
    m.add_function(wrap_pyfunction!(broadcast_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(broadcast_shapes, m)?)?;
    m.add_function(wrap_pyfunction!(shares_memory, m)?)?;
    m.add_function(wrap_pyfunction!(may_share_memory, m)?)?;
    m.add_function(wrap_pyfunction!(copyto, m)?)?;
    Ok(())
}
