//! Python subclasses of `ndarray`: the constructor `ndarray(shape, dtype, buffer, offset,
//! strides, order)`, `view(type=Sub)`, and the `__array_finalize__` / `__array_wrap__` hooks
//! that subclasses override.

use oxnp_core::array::{c_strides, f_strides};
use oxnp_core::{Array, DType, Order};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass_init::PyClassInitializer;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyTuple, PyType};

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
    let obj = new_of_type(tp, PyNdArray::with_base(arr, Some(view_base(src, tp))))?;
    if !tp.is(&ndarray_type) {
        finalize(&obj, src.as_any())?;
    }
    Ok(obj)
}

/// The base of a new `tp` view of `src`: NumPy collapses a chain of views to the array that
/// owns the data, but stops where the class changes.
fn view_base(src: &Bound<'_, PyNdArray>, tp: &Bound<'_, PyType>) -> Py<PyAny> {
    let py = src.py();
    match src.get().base() {
        Some(b) if b.bind(py).is_instance_of::<PyNdArray>() && b.bind(py).get_type().is(tp) => b.clone_ref(py),
        _ => src.clone().into_any().unbind(),
    }
}

/// Whether `obj` is exactly an oxnp ndarray, not a subclass: the one test the plain paths
/// make before any subclass work.
#[inline]
pub fn is_plain(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type_ptr() == crate::ndarray::NDARRAY_TYPE.load(std::sync::atomic::Ordering::Relaxed)
}

/// `result`, a new array made from `src` (a view of it or a copy), with `src`'s class, as
/// NumPy's methods make their results: a subclass instance finalized from `src`. Plain
/// arrays pass through untouched.
#[inline]
pub fn keep_class<'py>(src: &Bound<'py, PyNdArray>, result: Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    if is_plain(src.as_any()) {
        return Ok(result);
    }
    as_class_of(src, result)
}

/// `result`, a new plain array computed from `src` (advanced indexing), as NumPy returns it
/// for a subclass instance: a view of it of `src`'s class, finalized from `src`.
#[inline]
pub fn view_of_result<'py>(src: &Bound<'py, PyNdArray>, result: Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    if is_plain(src.as_any()) {
        return Ok(result);
    }
    result_view(src, result)
}

#[cold]
fn result_view<'py>(src: &Bound<'py, PyNdArray>, result: Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    let obj = new_of_type(&src.get_type(), PyNdArray::view_of(result.get().arr().clone(), &result))?;
    finalize(&obj, src.as_any())?;
    Ok(obj)
}

#[cold]
fn as_class_of<'py>(src: &Bound<'py, PyNdArray>, result: Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyNdArray>> {
    let tp = src.get_type();
    if result.get_type().is(&tp) {
        return Ok(result);
    }
    let state = result.get();
    let base = state.base().map(|_| view_base(src, &tp));
    let obj = new_of_type(&tp, PyNdArray::with_base(state.arr().clone(), base))?;
    finalize(&obj, src.as_any())?;
    Ok(obj)
}

/// `keep_class` for results that may be scalars or tuples: arrays get `src`'s class, a
/// scalar becomes a 0-d array of it when `zero_d` (NumPy's reductions on a subclass return
/// 0-d subclass arrays).
pub fn keep_class_any<'py>(src: &Bound<'py, PyAny>, result: Bound<'py, PyAny>, zero_d: bool) -> PyResult<Bound<'py, PyAny>> {
    let Ok(src) = src.cast::<PyNdArray>() else { return Ok(result) };
    if is_plain(src.as_any()) {
        return Ok(result);
    }
    if let Ok(t) = result.cast::<PyTuple>() {
        let items = t.iter().map(|r| keep_class_any(src.as_any(), r, zero_d)).collect::<PyResult<Vec<_>>>()?;
        return Ok(PyTuple::new(src.py(), items)?.into_any());
    }
    if let Ok(r) = result.cast_exact::<PyNdArray>() {
        return Ok(as_class_of(src, r.clone())?.into_any());
    }
    if zero_d && !result.is_instance_of::<PyNdArray>() {
        if let Some((dtype, value)) = crate::scalar::scalar_from_py(&result) {
            let arr = crate::ndarray::wrap(src.py(), crate::scalar::value_to_array(dtype, &value)?)?;
            return Ok(as_class_of(src, arr)?.into_any());
        }
    }
    Ok(result)
}

/// NumPy's `__array_priority__` of the input that wraps a ufunc's results.
const SCALAR_PRIORITY: f64 = -1_000_000.0;

/// Python numbers and scalars: they never wrap a result.
fn is_any_scalar(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyComplex>()
        || obj.is_instance_of::<PyBool>()
        || obj.is_instance_of::<pyo3::types::PyString>()
        || obj.is_instance_of::<pyo3::types::PyBytes>()
        || crate::scalar::scalar_from_py(obj).is_some()
}

/// Whether no input can change the class of a ufunc's results: exact ndarrays and Python
/// numbers (the common case, decided by type checks alone).
#[inline]
pub fn plain_inputs(inputs: &[Bound<'_, PyAny>]) -> bool {
    inputs.iter().all(|o| is_plain(o) || o.is_exact_instance_of::<PyFloat>() || o.is_exact_instance_of::<PyInt>())
}

/// The `__array_wrap__` that NumPy picks for a ufunc's results from its inputs: the first
/// input with one, replaced by a later one of higher `__array_priority__`; a subclass's beats
/// a plain array's at equal priority. None: results stay as they are.
fn find_wrap<'py>(inputs: &[Bound<'py, PyAny>]) -> PyResult<Option<(Bound<'py, PyAny>, Bound<'py, PyType>)>> {
    let py = match inputs.first() {
        Some(o) => o.py(),
        None => return Ok(None),
    };
    let name = pyo3::intern!(py, "__array_wrap__");
    let mut priority = f64::NEG_INFINITY;
    let mut wrap: Option<Option<(Bound<'py, PyAny>, Bound<'py, PyType>)>> = None;
    for obj in inputs {
        if is_plain(obj) {
            if priority < 0.0 {
                wrap = Some(None);
                priority = 0.0;
            }
            continue;
        }
        if is_any_scalar(obj) {
            if priority < SCALAR_PRIORITY {
                wrap = Some(None);
                priority = SCALAR_PRIORITY;
            }
            continue;
        }
        if obj.is_instance_of::<pyo3::types::PyList>() || obj.is_instance_of::<PyTuple>() {
            continue;
        }
        let Some(method) = obj.getattr_opt(name)? else { continue };
        // Another library's arrays (NumPy's) convert like any array-like.
        if !obj.is_instance_of::<PyNdArray>() && crate::ufunc::from_numpy(&obj.get_type().getattr(name)?) {
            continue;
        }
        let p = array_priority(obj)?;
        let plain_so_far = matches!(wrap, Some(None));
        if wrap.is_none() || priority < p || (p == 0.0 && plain_so_far) {
            wrap = Some(Some((method, obj.get_type())));
            priority = p;
        }
    }
    Ok(wrap.flatten())
}

/// `obj.__array_priority__` as a float, 0 when missing.
fn array_priority(obj: &Bound<'_, PyAny>) -> PyResult<f64> {
    Ok(obj.getattr_opt(pyo3::intern!(obj.py(), "__array_priority__"))?.and_then(|p| p.extract::<f64>().ok()).unwrap_or(0.0))
}

/// Calls `wrap(arr, context, return_scalar)`, retrying with the older signatures NumPy still
/// accepts (with its deprecation warning).
fn call_wrap<'py>(wrap: &Bound<'py, PyAny>, arr: &Bound<'py, PyAny>, context: &Bound<'py, PyAny>, return_scalar: bool) -> PyResult<Bound<'py, PyAny>> {
    let py = wrap.py();
    let first = match wrap.call1((arr, context, return_scalar)) {
        Ok(r) => return Ok(r),
        Err(e) if e.is_instance_of::<PyTypeError>(py) => e,
        Err(e) => return Err(e),
    };
    let retried = if context.is_none() { wrap.call1((arr,)) } else { wrap.call1((arr, context)).or_else(|e| if e.is_instance_of::<PyTypeError>(py) { wrap.call1((arr,)) } else { Err(e) }) };
    match retried {
        Ok(r) => {
            let category = py.import("oxnp.exceptions")?.getattr("VisibleDeprecationWarning")?;
            PyErr::warn(py, &category, c"__array_wrap__ must accept context and return_scalar arguments (positionally) in the future. (Deprecated NumPy 2.0)", 1)?;
            Ok(r)
        }
        Err(e) if e.is_instance_of::<PyTypeError>(py) => Err(first),
        Err(e) => Err(e),
    }
}

/// Applies NumPy's result wrapping of a ufunc call (or reduction) to `result` (an array, a
/// scalar from a 0-d result, or a tuple of them): the `__array_wrap__` chosen among `inputs`
/// is called with each output as an array, `context` and whether a 0-d result may become a
/// scalar. `given`: bit k set when output k is the caller's `out=` array, returned as it
/// is. `context` builds the context argument (None for reductions).
#[inline]
pub fn wrap_ufunc_result<'py>(
    inputs: &[Bound<'py, PyAny>],
    result: Bound<'py, PyAny>,
    given: u32,
    context: impl Fn(usize) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    if plain_inputs(inputs) {
        return Ok(result);
    }
    wrap_slow(inputs, result, given, &context)
}

#[cold]
fn wrap_slow<'py>(
    inputs: &[Bound<'py, PyAny>],
    result: Bound<'py, PyAny>,
    given: u32,
    context: &dyn Fn(usize) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tuple = result.is_instance_of::<PyTuple>();
    if !tuple && given & 1 != 0 {
        return Ok(result);
    }
    let Some((wrap, wrap_type)) = find_wrap(inputs)? else { return Ok(result) };
    let py = result.py();
    let one = |k: usize, r: Bound<'py, PyAny>| -> PyResult<Bound<'py, PyAny>> {
        if given & (1 << k) != 0 || r.get_type().is(&wrap_type) {
            return Ok(r);
        }
        let (arr, return_scalar) = match r.cast::<PyNdArray>() {
            Ok(a) => (a.clone().into_any(), a.get().arr().ndim() == 0),
            Err(_) => (crate::ndarray::wrap(py, crate::convert::array_from_py(&r)?)?.into_any(), true),
        };
        call_wrap(&wrap, &arr, &context(k)?, return_scalar)
    };
    match result.cast::<PyTuple>() {
        Ok(t) if tuple => {
            let items = t.iter().enumerate().map(|(k, r)| one(k, r)).collect::<PyResult<Vec<_>>>()?;
            Ok(PyTuple::new(py, items)?.into_any())
        }
        _ => one(0, result),
    }
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
    /// `return_scalar`). Another library's array (NumPy calls this hook with its own results)
    /// is converted first.
    #[pyo3(signature = (array, context = None, return_scalar = false))]
    fn __array_wrap__<'py>(
        slf: &Bound<'py, Self>,
        array: &Bound<'py, PyAny>,
        context: Option<&Bound<'py, PyAny>>,
        return_scalar: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = context;
        let array = match array.cast::<PyNdArray>() {
            Ok(a) => a.clone(),
            Err(_) => crate::ndarray::wrap(slf.py(), crate::convert::array_from_py(array)?)?,
        };
        let array = &array;
        let tp = slf.get_type();
        // Only a plain ndarray's hook gives scalars; a subclass keeps 0-d arrays.
        if return_scalar && is_plain(slf.as_any()) && array.get().arr().ndim() == 0 {
            return array.call_method1(pyo3::intern!(slf.py(), "__getitem__"), ((),));
        }
        if array.get_type().is(&tp) {
            return Ok(array.clone().into_any());
        }
        // A view of the result, finalized from this array (NumPy's default hook).
        let obj = new_of_type(&tp, PyNdArray::view_of(array.get().arr().clone(), array))?;
        if !is_plain(slf.as_any()) {
            finalize(&obj, slf.as_any())?;
        }
        Ok(obj.into_any())
    }
}

/// `_keep_class(src, result, zero_d)`: `result` of `src`'s class when `src` is an ndarray
/// subclass instance (see `keep_class_any`), for the Python composites that NumPy runs as
/// methods of the instance.
#[pyfunction]
fn _keep_class<'py>(src: &Bound<'py, PyAny>, result: Bound<'py, PyAny>, zero_d: bool) -> PyResult<Bound<'py, PyAny>> {
    keep_class_any(src, result, zero_d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_keep_class, m)?)?;
    Ok(())
}
