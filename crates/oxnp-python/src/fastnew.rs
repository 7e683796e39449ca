//! New instances of our hottest classes (ndarray, the scalar base) without pyo3's
//! initializer, which goes through `object.__new__` and moves the value several times: the
//! instance is allocated by the type's own `tp_alloc` and the value written in place. The
//! result is byte for byte what pyo3 builds; `Placement::learn` checks that on an instance
//! pyo3 made and, if the layout is not the simple one expected, leaves creation to pyo3.

use std::marker::PhantomData;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyClass;

/// Where a `T` sits inside an instance of its (frozen) pyclass.
pub struct Placement<T> {
    offset: usize,
    basicsize: ffi::Py_ssize_t,
    _value: PhantomData<T>,
}

impl<T: PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync> Placement<T> {
    /// Measures `obj`, an instance pyo3 built: the value's offset, and that every other byte
    /// after the object header is zero (so a zero-filled allocation plus the value is what
    /// pyo3 would have made). None if not.
    pub fn learn(obj: &Bound<'_, T>) -> Option<Placement<T>> {
        let py = obj.py();
        let start = obj.as_ptr() as usize;
        let value = obj.get() as *const T as usize;
        let tp = T::type_object_raw(py);
        // SAFETY: a live type object.
        let basicsize = unsafe { (*tp).tp_basicsize };
        let offset = value.checked_sub(start)?;
        let size = std::mem::size_of::<T>();
        let header = std::mem::size_of::<ffi::PyObject>();
        if offset < header || offset + size > basicsize as usize {
            return None;
        }
        // SAFETY: the instance spans `basicsize` bytes from its start.
        let bytes = unsafe { std::slice::from_raw_parts(start as *const u8, basicsize as usize) };
        let rest_is_zero = bytes[header..offset].iter().chain(&bytes[offset + size..]).all(|&b| b == 0);
        rest_is_zero.then_some(Placement { offset, basicsize, _value: PhantomData })
    }

    /// A new instance of T's own class whose value `init` writes in place: a value built
    /// on the stack and then moved costs store-forwarding stalls on the hot paths.
    ///
    /// # Safety
    /// `init` must fully initialise the `T` it is given.
    #[inline]
    pub unsafe fn create_in_place<'py>(&self, py: Python<'py>, init: impl FnOnce(*mut T)) -> PyResult<Bound<'py, T>> {
        let tp = T::type_object_raw(py);
        // SAFETY: as in `create`; `tp` is T's own type, whose size `learn` measured.
        unsafe {
            let alloc = (*tp).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
            let obj = alloc(tp, 0);
            if obj.is_null() {
                return Err(PyErr::fetch(py));
            }
            init(obj.cast::<u8>().add(self.offset).cast::<T>());
            Ok(Bound::from_owned_ptr(py, obj).cast_into_unchecked())
        }
    }

    /// A new instance of `tp` (T's class, or a Python subclass adding no fields) holding
    /// `value`; gives `value` back when `tp` is not such a class.
    pub fn create<'py>(&self, py: Python<'py>, tp: *mut ffi::PyTypeObject, value: T) -> Result<PyResult<Bound<'py, PyAny>>, T> {
        // SAFETY: `tp` is a live type object.
        let (basicsize, alloc) = unsafe { ((*tp).tp_basicsize, (*tp).tp_alloc) };
        let Some(alloc) = alloc.filter(|_| basicsize == self.basicsize) else { return Err(value) };
        // SAFETY: tp_alloc returns a zero-filled instance (new reference) or NULL with an
        // exception set; the value goes where pyo3 keeps it, and the instance owns it from then
        // on (pyo3's tp_dealloc drops it).
        unsafe {
            let obj = alloc(tp, 0);
            if obj.is_null() {
                drop(value);
                return Ok(Err(PyErr::fetch(py)));
            }
            obj.cast::<u8>().add(self.offset).cast::<T>().write(value);
            Ok(Ok(Bound::from_owned_ptr(py, obj)))
        }
    }
}
