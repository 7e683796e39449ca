//! `oxnp.ndarray`: the Python face of `oxnp_core::Array`.
//!
//! Other modules add methods with their own `#[pymethods] impl PyNdArray` blocks (the crate
//! enables pyo3's `multiple-pymethods`), one concern per file.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicIsize, AtomicPtr, Ordering};

use oxnp_core::{Array, DType};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::type_object::PyTypeInfo;
use pyo3::types::PyTuple;

use crate::dtype::{PyDType, dtype_object};
use crate::errors::IntoPyResult;
use crate::fastnew::Placement;

/// What an ndarray is: its array and the object whose memory it views (NumPy's `base`:
/// another ndarray or a foreign exporter; None for arrays that own their data).
pub struct ArrayState {
    pub arr: Array,
    pub base: Option<Py<PyAny>>,
}

/// The class is `frozen`, so reading an array takes no borrow flag (pyo3's is two atomic
/// operations per access, a large share of a small array's call). The few operations that
/// change an array in place (`shape =`, `resize`, `setflags`, unpickling) go through
/// `PyNdArray::replace`.
#[pyclass(name = "ndarray", module = "oxnp", subclass, weakref, frozen)]
pub struct PyNdArray {
    state: UnsafeCell<ArrayState>,
    /// The newest of the states that replaced `state` while other references to the array
    /// existed (null before that). They stay alive with the array, as someone may be reading
    /// them.
    moved: AtomicPtr<Moved>,
}

struct Moved {
    state: ArrayState,
    older: *mut Moved,
}

// SAFETY: `state` and the newest `Moved` are written only by `replace`, with the GIL held and
// only when no other reference to the array exists (so no reader can hold a borrow of them).
unsafe impl Sync for PyNdArray {}

impl Drop for PyNdArray {
    fn drop(&mut self) {
        let mut node = *self.moved.get_mut();
        while !node.is_null() {
            // SAFETY: every node was made by `Box::into_raw` in `replace` and is freed once.
            let boxed = unsafe { Box::from_raw(node) };
            node = boxed.older;
        }
    }
}

impl PyNdArray {
    pub fn new(arr: Array) -> Self {
        PyNdArray::with_base(arr, None)
    }

    pub fn with_base(arr: Array, base: Option<Py<PyAny>>) -> Self {
        PyNdArray { state: UnsafeCell::new(ArrayState { arr, base }), moved: AtomicPtr::new(std::ptr::null_mut()) }
    }

    /// Wraps a view of `base`'s memory; `base` is the owner (NumPy collapses chains of views
    /// to the array that owns the data).
    pub fn view_of(arr: Array, base: &Bound<'_, PyNdArray>) -> Self {
        PyNdArray::with_base(arr, Some(PyNdArray::owner_of(base)))
    }

    /// The base of a new view of `base`.
    fn owner_of(base: &Bound<'_, PyNdArray>) -> Py<PyAny> {
        match base.get().base() {
            Some(b) if b.bind(base.py()).is_instance_of::<PyNdArray>() => b.clone_ref(base.py()),
            _ => base.clone().into_any().unbind(),
        }
    }

    #[inline]
    fn state(&self) -> &ArrayState {
        let moved = self.moved.load(Ordering::Acquire);
        // SAFETY: nodes live as long as the array; see `replace` for when states are written.
        unsafe { if moved.is_null() { &*self.state.get() } else { &(*moved).state } }
    }

    #[inline]
    pub fn arr(&self) -> &Array {
        &self.state().arr
    }

    #[inline]
    pub fn base(&self) -> Option<&Py<PyAny>> {
        self.state().base.as_ref()
    }

    /// Changes the array in place. When the caller's reference is the only one besides the
    /// variable it came from (NumPy's `resize` refcheck rule), nothing can be reading the old
    /// state and it is overwritten; otherwise it is kept alive for those readers.
    pub fn replace(slf: &Bound<'_, PyNdArray>, arr: Array, base: Option<Py<PyAny>>) {
        let this = slf.get();
        let new = ArrayState { arr, base };
        // SAFETY: a live object.
        let exclusive = unsafe { pyo3::ffi::Py_REFCNT(slf.as_ptr()) } <= 2;
        let moved = this.moved.load(Ordering::Acquire);
        if exclusive {
            // SAFETY: no other reference to the array exists, so no borrow of its state does.
            // The old state is dropped only once the new one is in place: dropping its base
            // may run Python code.
            let old = unsafe { std::ptr::replace(if moved.is_null() { this.state.get() } else { &raw mut (*moved).state }, new) };
            drop(old);
            return;
        }
        let node = Box::into_raw(Box::new(Moved { state: new, older: moved }));
        this.moved.store(node, Ordering::Release);
    }

    /// Changes the array in place, keeping its base.
    pub fn set_arr(slf: &Bound<'_, PyNdArray>, arr: Array) {
        let base = slf.get().base().map(|b| b.clone_ref(slf.py()));
        PyNdArray::replace(slf, arr, base);
    }
}

/// A new Python ndarray holding `value`.
pub fn new_object(py: Python<'_>, value: PyNdArray) -> PyResult<Bound<'_, PyNdArray>> {
    let Some(placement) = placement(py) else { return Bound::new(py, value) };
    match placement.create(py, PyNdArray::type_object_raw(py), value) {
        // SAFETY: an instance of ndarray's own type.
        Ok(made) => made.map(|obj| unsafe { obj.cast_into_unchecked() }),
        Err(value) => Bound::new(py, value),
    }
}

pub(crate) fn placement(py: Python<'_>) -> &Option<Placement<PyNdArray>> {
    static PLACEMENT: PyOnceLock<Option<Placement<PyNdArray>>> = PyOnceLock::new();
    PLACEMENT.get_or_init(py, || {
        let sample = Array::zeros(&[0], DType::Float64, oxnp_core::Order::C).ok()?;
        Placement::learn(&Bound::new(py, PyNdArray::new(sample)).ok()?)
    })
}

/// A view of `src`'s memory, shaped by `edit` from a copy of `src`'s array. The object is
/// allocated first and the array edited where it lives.
///
/// # Safety
/// `edit` must leave a view whose elements are all elements of `src`'s array.
#[inline]
pub unsafe fn new_view_with<'py>(src: &Bound<'py, PyNdArray>, edit: impl FnOnce(&mut Array)) -> PyResult<Bound<'py, PyNdArray>> {
    let py = src.py();
    if !crate::subclass::is_plain(src.as_any()) {
        let mut arr = src.get().arr().clone();
        edit(&mut arr);
        return subclass_view(src, arr);
    }
    let owner = PyNdArray::owner_of(src);
    let Some(placement) = placement(py) else {
        let mut arr = src.get().arr().clone();
        edit(&mut arr);
        return new_object(py, PyNdArray::with_base(arr, Some(owner)));
    };
    // SAFETY: every field of the new PyNdArray is written; `edit`'s promise keeps the view
    // inside the memory that `owner` keeps alive.
    unsafe {
        placement.create_in_place(py, |slot| {
            (&raw mut (*slot).moved).write(AtomicPtr::new(std::ptr::null_mut()));
            let state = UnsafeCell::raw_get(&raw const (*slot).state);
            (&raw mut (*state).base).write(Some(owner));
            let arr = &raw mut (*state).arr;
            src.get().arr().write_clone(arr);
            edit(&mut *arr);
        })
    }
}

/// `wrap_view` for a subclass instance, out of the plain path's way.
#[cold]
#[inline(never)]
fn subclass_view<'py>(src: &Bound<'py, PyNdArray>, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    wrap_view(src, arr)
}

/// A new array of `shape` and `dtype` (zero-filled or not), built where the object keeps it.
pub fn new_fresh<'py>(py: Python<'py>, shape: &[usize], dtype: DType, order: oxnp_core::Order, zeroed: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let Some(placement) = placement(py) else {
        let arr = if zeroed { Array::zeros(shape, dtype, order) } else { Array::empty(shape, dtype, order) };
        return new_object(py, PyNdArray::new(arr.py()?));
    };
    let data = Array::alloc_storage(shape, dtype, zeroed).py()?;
    // SAFETY: every field of the new PyNdArray is written; the storage fits the shape.
    unsafe {
        placement.create_in_place(py, |slot| {
            (&raw mut (*slot).moved).write(AtomicPtr::new(std::ptr::null_mut()));
            let state = UnsafeCell::raw_get(&raw const (*slot).state);
            (&raw mut (*state).base).write(None);
            Array::write_fresh(&raw mut (*state).arr, data, shape, dtype, order);
        })
    }
}

/// A new array on its way to Python: pyfunctions return it so that the object is made by
/// `new_object` rather than by pyo3's generic conversion.
pub struct Fresh(pub Array);

impl<'py> IntoPyObject<'py> for Fresh {
    type Target = PyNdArray;
    type Output = Bound<'py, PyNdArray>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyNdArray>> {
        wrap(py, self.0)
    }
}

/// Builds a new Python ndarray owning `arr`.
pub fn wrap(py: Python<'_>, arr: Array) -> PyResult<Bound<'_, PyNdArray>> {
    new_object(py, PyNdArray::new(arr))
}

/// Builds a Python ndarray viewing `base`'s memory, of `base`'s class (NumPy's views of a
/// subclass instance are instances of it, finalized from it).
#[inline]
pub fn wrap_view<'py>(base: &Bound<'py, PyNdArray>, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    crate::subclass::keep_class(base, new_object(base.py(), PyNdArray::view_of(arr, base))?)
}

/// A plain ndarray viewing `base`'s memory, whatever `base`'s class (`asarray`).
pub fn plain_view<'py>(base: &Bound<'py, PyNdArray>, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    new_object(base.py(), PyNdArray::view_of(arr, base))
}

/// A new array made from `src` (a copy or a computed result), of `src`'s class.
#[inline]
pub fn wrap_like<'py>(src: &Bound<'py, PyNdArray>, arr: Array) -> PyResult<Bound<'py, PyNdArray>> {
    crate::subclass::keep_class(src, wrap(src.py(), arr)?)
}

pub fn shape_tuple<'py>(py: Python<'py>, shape: &[usize]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, shape)
}

#[pymethods]
impl PyNdArray {
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> Bound<'py, PyDType> {
        dtype_object(py, self.arr().dtype()).clone()
    }
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        shape_tuple(py, self.arr().shape())
    }
    #[getter]
    fn ndim(&self) -> usize {
        self.arr().ndim()
    }
    #[getter]
    fn size(&self) -> usize {
        self.arr().size()
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.arr().itemsize()
    }
    #[getter]
    fn nbytes(&self) -> usize {
        self.arr().nbytes()
    }
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.arr().strides())
    }
    #[getter(base)]
    fn base_object(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.base().map(|b| b.clone_ref(py))
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.arr().shape().first() {
            Some(&n) => Ok(n),
            None => Err(pyo3::exceptions::PyTypeError::new_err("len() of unsized object")),
        }
    }
}

/// The dtype of a fresh array when the caller gave none.
pub const DEFAULT_FLOAT: DType = DType::Float64;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNdArray>()?;
    untrack_ndarray_type(m.py());
    Ok(())
}

static WEAKLIST_OFFSET: AtomicIsize = AtomicIsize::new(0);

/// ndarray's own type object, for the exact-type tests of the hot paths (null until the
/// class is registered, before any instance exists).
pub(crate) static NDARRAY_TYPE: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());

/// ndarray instances are not GC-tracked, as NumPy's are not: an array refers only to its
/// base, which never refers back. This saves the GC header, the track/untrack on every
/// array, and the collections that allocations of tracked objects trigger. pyo3's dealloc
/// untracks unconditionally, so the class gets its own. Runs before any instance exists
/// (an instance allocated with the GC header must be freed with it); Python subclasses are
/// GC types as usual and free through their own `tp_free`.
fn untrack_ndarray_type(py: Python<'_>) {
    let tp = PyNdArray::type_object_raw(py);
    NDARRAY_TYPE.store(tp, Ordering::Relaxed);
    // SAFETY: our live heap type, with no instances yet.
    unsafe {
        WEAKLIST_OFFSET.store((*tp).tp_weaklistoffset, Ordering::Relaxed);
        (*tp).tp_flags &= !ffi::Py_TPFLAGS_HAVE_GC;
        (*tp).tp_free = Some(ffi::PyObject_Free);
        (*tp).tp_dealloc = Some(dealloc);
    }
}

/// Called by Python with the GIL held when the last reference goes, directly for ndarray
/// and from `subtype_dealloc` (after it untracked the object) for Python subclasses (and
/// during interpreter shutdown, when pyo3 refuses to attach). Skips pyo3's trampoline, so
/// the bases are released here with direct decrefs: a `Py` dropped outside pyo3's attach
/// count would only be queued in its pool. Foreign storage releases itself (`interop`).
unsafe extern "C" fn dealloc(obj: *mut ffi::PyObject) {
    // SAFETY: `obj` is a dying instance of ndarray or of a subclass, whose layout starts with
    // ndarray's; Python holds the GIL during deallocation.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        let weaklist = obj.cast::<u8>().offset(WEAKLIST_OFFSET.load(Ordering::Relaxed)).cast::<*mut ffi::PyObject>();
        if !(*weaklist).is_null() {
            ffi::PyObject_ClearWeakRefs(obj);
        }
        let py = Python::assume_attached();
        let value = std::ptr::from_ref(pyo3::Borrowed::from_ptr(py, obj).cast_unchecked::<PyNdArray>().get()).cast_mut();
        let release = |state: &mut ArrayState| {
            if let Some(base) = state.base.take() {
                ffi::Py_DECREF(base.into_ptr());
            }
        };
        release(&mut *(*value).state.get());
        let mut node = *(*value).moved.get_mut();
        while !node.is_null() {
            release(&mut (*node).state);
            node = (*node).older;
        }
        std::ptr::drop_in_place(value);
        let free = (*tp).tp_free.expect("ndarray types have tp_free");
        free(obj.cast());
        ffi::Py_DECREF(tp.cast());
    }
}
