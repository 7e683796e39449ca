//! Exchange with other array libraries: bytes (`tobytes`, `frombuffer`), the buffer protocol
//! in both directions, `__array_interface__`, `__array__`, and pickling.

use std::ffi::{CStr, c_int};
use std::sync::Arc;

use oxnp_core::array::{Shape, Strides, byte_extent};
use oxnp_core::buffer::Buffer;
use oxnp_core::{Array, DType, Kind, Order};
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::creation::shape_from_py;
use crate::dtype::dtype_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, shape_tuple};

/// The dtype of a PEP 3118 format string, or None for formats oxnp cannot hold.
fn dtype_from_format(format: &str, itemsize: usize) -> Option<DType> {
    let (order, code) = match format.as_bytes().first()? {
        b'@' | b'=' | b'<' => (true, &format[1..]),
        b'>' | b'!' => (false, &format[1..]),
        _ => (true, format),
    };
    if !order && itemsize > 1 {
        return None;
    }
    let kind = match code {
        "?" => Kind::Bool,
        "b" | "h" | "i" | "l" | "q" | "n" => Kind::Int,
        "B" | "H" | "I" | "L" | "Q" | "N" => Kind::UInt,
        "e" | "f" | "d" => Kind::Float,
        "Ze" | "Zf" | "Zd" => Kind::Complex,
        _ => return None,
    };
    if kind == Kind::Bool {
        return (itemsize == 1).then_some(DType::Bool);
    }
    DType::from_kind_size(kind, itemsize)
}

/// The PEP 3118 format of a dtype, as NumPy exports it.
fn format_of(dtype: DType) -> &'static CStr {
    match dtype {
        DType::Bool => c"?",
        DType::Int8 => c"b",
        DType::UInt8 => c"B",
        DType::Int16 => c"h",
        DType::UInt16 => c"H",
        DType::Int32 => c"i",
        DType::UInt32 => c"I",
        DType::Int64 => c"l",
        DType::UInt64 => c"L",
        DType::Float16 => c"e",
        DType::Float32 => c"f",
        DType::Float64 => c"d",
        DType::Complex64 => c"Zf",
        DType::Complex128 => c"Zd",
    }
}

/// An Array over `ptr` with the given geometry, keeping `owner` alive as the storage owner.
///
/// # Safety
/// Every element addressed by (ptr, shape, strides, itemsize) must stay valid while `owner`
/// lives, and writable if `writeable`.
unsafe fn wrap_foreign(
    ptr: *mut u8,
    shape: Shape,
    strides: Strides,
    dtype: DType,
    writeable: bool,
    owner: Box<dyn std::any::Any + Send + Sync>,
) -> PyResult<Array> {
    let (lo, hi) = byte_extent(&shape, &strides, dtype.itemsize());
    // SAFETY: [ptr + lo, ptr + hi) is the span the caller vouches for.
    let base = unsafe { ptr.offset(lo) };
    let data = unsafe { Buffer::foreign(base, (hi - lo) as usize, writeable, owner) };
    Array::from_parts(Arc::new(data), (-lo) as usize, shape, strides, dtype).py()
}

/// Keeps a Python object alive from storage that may be dropped without the GIL.
struct PyOwner(std::mem::ManuallyDrop<Py<PyAny>>);

impl Drop for PyOwner {
    fn drop(&mut self) {
        // SAFETY: taken once, here.
        let obj = unsafe { std::mem::ManuallyDrop::take(&mut self.0) };
        if holds_gil() {
            // SAFETY: this thread holds the GIL; the reference is ours.
            unsafe { ffi::Py_DECREF(obj.into_ptr()) };
        } else {
            // pyo3 queues the decref for the next thread that attaches.
            drop(obj);
        }
    }
}

/// Whether this thread holds the GIL (so Python memory can be released directly: an ndarray's
/// dealloc runs outside pyo3's attach count, where `Python::attach` may refuse, at shutdown,
/// and a dropped `Py` would only be queued).
fn holds_gil() -> bool {
    // SAFETY: callable from any thread.
    unsafe { ffi::PyGILState_Check() == 1 }
}

/// A buffer view obtained with `PyObject_GetBuffer`, released when dropped.
///
/// pyo3's `PyUntypedBuffer` rejects views whose shape or strides are NULL, which PEP 3118
/// allows for 0-d exports (a memoryview of a 0-d NumPy array), so oxnp holds the raw view.
struct HeldBuffer(Box<ffi::Py_buffer>);

// SAFETY: the view is only read while building the Array and released with the GIL held;
// the memory it describes is shared storage like any foreign buffer.
unsafe impl Send for HeldBuffer {}
unsafe impl Sync for HeldBuffer {}

impl HeldBuffer {
    /// `obj`'s full read-only view (PyBUF_FULL_RO).
    fn get(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        // SAFETY: an all-zero Py_buffer is a valid "empty" value for GetBuffer to fill in.
        let mut raw: Box<ffi::Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: obj is a live object, raw points at writable storage for one Py_buffer.
        if unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *raw, ffi::PyBUF_FULL_RO) } != 0 {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(Self(raw))
    }

    fn is_c_contiguous(&self) -> bool {
        // SAFETY: a filled view; CPython accepts NULL shape/strides here.
        unsafe { ffi::PyBuffer_IsContiguous(&*self.0, b'C' as std::ffi::c_char) != 0 }
    }
}

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        // SAFETY: the view was filled by a successful PyObject_GetBuffer, released once here.
        let view: *mut ffi::Py_buffer = &mut *self.0;
        let release = || unsafe { ffi::PyBuffer_Release(view) };
        if holds_gil() { release() } else { Python::attach(|_| release()) }
    }
}

fn from_buffer_protocol(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    // SAFETY: plain type check.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Ok(None);
    }
    let held = HeldBuffer::get(obj)?;
    let view = &*held.0;
    let ndim = usize::try_from(view.ndim).unwrap_or(0);
    let itemsize = usize::try_from(view.itemsize).unwrap_or(0);
    // SAFETY: non-NULL shape/strides/suboffsets point at `ndim` entries (PEP 3118).
    let dims = |p: *mut ffi::Py_ssize_t| unsafe { std::slice::from_raw_parts(p, ndim) };
    if !view.suboffsets.is_null() && dims(view.suboffsets).iter().any(|&o| o >= 0) {
        return Ok(None);
    }
    let format = if view.format.is_null() {
        "B"
    } else {
        // SAFETY: a non-NULL format is a NUL-terminated string owned by the view.
        unsafe { CStr::from_ptr(view.format) }.to_str().unwrap_or("")
    };
    let Some(dtype) = dtype_from_format(format, itemsize) else {
        return Err(PyTypeError::new_err(format!(
            "oxnp cannot hold buffer items of format '{format}' (itemsize {itemsize})"
        )));
    };
    let shape: Shape = if ndim == 0 {
        Shape::new()
    } else if view.shape.is_null() {
        // PyBUF_ND was requested, so only a 1-d byte view may leave the shape out
        return Err(PyBufferError::new_err("buffer exporter gave no shape for an n-d view"));
    } else {
        dims(view.shape).iter().map(|&d| d as usize).collect()
    };
    let strides: Strides = if view.strides.is_null() {
        oxnp_core::array::c_strides(&shape, dtype.itemsize())
    } else {
        dims(view.strides).iter().map(|&s| s as isize).collect()
    };
    let ptr = view.buf.cast::<u8>();
    let writeable = view.readonly == 0;
    // SAFETY: the exporter guarantees the memory while the buffer view (the owner) lives.
    unsafe { wrap_foreign(ptr, shape, strides, dtype, writeable, Box::new(held)) }.map(Some)
}

fn from_array_interface(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    let py = obj.py();
    let Ok(iface) = obj.getattr(pyo3::intern!(py, "__array_interface__")) else {
        return Ok(None);
    };
    let iface = iface.cast_into::<PyDict>().map_err(|_| PyValueError::new_err("Invalid __array_interface__ value, must be a dict"))?;
    let get = |k: &str| -> PyResult<Bound<'_, PyAny>> {
        iface.get_item(k)?.ok_or_else(|| PyValueError::new_err(format!("Missing __array_interface__ entry '{k}'")))
    };
    let typestr: String = get("typestr")?.extract()?;
    let dtype = DType::from_str(&typestr)
        .map_err(|_| PyTypeError::new_err(format!("oxnp cannot hold __array_interface__ typestr '{typestr}'")))?;
    let shape: Vec<usize> = get("shape")?.extract()?;
    let data = get("data")?;
    let Ok((addr, readonly)) = data.extract::<(usize, bool)>() else {
        return Ok(None);
    };
    let strides: Strides = match iface.get_item("strides")? {
        Some(s) if !s.is_none() => s.extract::<Vec<isize>>()?.into(),
        _ => oxnp_core::array::c_strides(&shape, dtype.itemsize()),
    };
    let offset: isize = match iface.get_item("offset")? {
        Some(o) if !o.is_none() => o.extract()?,
        _ => 0,
    };
    let ptr = (addr as *mut u8).wrapping_offset(offset);
    // SAFETY: the interface promises the memory while the exporting object lives.
    let arr = unsafe {
        wrap_foreign(ptr, shape.into(), strides, dtype, !readonly, Box::new(PyOwner(std::mem::ManuallyDrop::new(obj.clone().unbind()))))
    }?;
    Ok(Some(arr))
}

/// An Array wrapping the memory of a foreign object (buffer protocol, `__array_interface__`,
/// or `__array__`), zero-copy, with the object to record as the array's `base`; None when
/// `obj` exposes none of these.
pub fn try_from_foreign(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Array, Py<PyAny>)>> {
    if let Some(arr) = from_buffer_protocol(obj)? {
        return Ok(Some((arr, obj.clone().unbind())));
    }
    if let Some(arr) = from_array_interface(obj)? {
        return Ok(Some((arr, obj.clone().unbind())));
    }
    let py = obj.py();
    if let Ok(meth) = obj.getattr(pyo3::intern!(py, "__array__")) {
        let res = meth.call0()?;
        if let Some(arr) = from_buffer_protocol(&res)? {
            return Ok(Some((arr, res.unbind())));
        }
        if let Some(arr) = from_array_interface(&res)? {
            return Ok(Some((arr, res.unbind())));
        }
        return Err(PyValueError::new_err("object __array__ method not producing an array"));
    }
    Ok(None)
}

/// Test and bootstrap helper: a C-ordered array from raw bytes.
#[pyfunction]
fn _from_bytes(data: &[u8], shape: &Bound<'_, PyAny>, dtype: &Bound<'_, PyAny>) -> PyResult<PyNdArray> {
    let shape = shape_from_py(shape)?;
    let dtype = dtype_from_py(dtype)?;
    let arr = Array::empty(&shape, dtype, Order::C).py()?;
    if arr.nbytes() != data.len() {
        return Err(PyValueError::new_err(format!(
            "_from_bytes: {} bytes given, the shape and dtype need {}",
            data.len(),
            arr.nbytes()
        )));
    }
    // SAFETY: fresh contiguous allocation of exactly data.len() bytes.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), arr.as_ptr(), data.len()) };
    Ok(PyNdArray::new(arr))
}

/// `frombuffer(buffer, dtype=float, count=-1, offset=0)`: a 1-D view of any buffer-protocol
/// object, read-only when the source is.
#[pyfunction]
#[pyo3(signature = (buffer, dtype = None, count = -1, offset = 0, *, like = None))]
fn frombuffer(
    py: Python<'_>,
    buffer: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    count: isize,
    offset: isize,
    like: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNdArray> {
    let _ = (py, like);
    let dtype = crate::dtype::optional_dtype(dtype)?.unwrap_or(DType::Float64);
    let buf = HeldBuffer::get(buffer)?;
    if !buf.is_c_contiguous() {
        return Err(PyValueError::new_err("ndarray is not C-contiguous"));
    }
    let len = buf.0.len;
    if offset < 0 || offset > len {
        return Err(PyValueError::new_err(format!(
            "offset must be non-negative and no greater than buffer length ({len})"
        )));
    }
    let itemsize = dtype.itemsize() as isize;
    let avail = len - offset;
    let n = if count < 0 {
        if avail % itemsize != 0 {
            return Err(PyValueError::new_err("buffer size must be a multiple of element size"));
        }
        avail / itemsize
    } else {
        if avail < count * itemsize {
            return Err(PyValueError::new_err("buffer is smaller than requested size"));
        }
        count
    };
    let ptr = buf.0.buf.cast::<u8>().wrapping_offset(offset);
    let writeable = buf.0.readonly == 0;
    let strides: Strides = [itemsize].into_iter().collect();
    // SAFETY: n items from offset lie within the exported buffer, which the owner keeps alive.
    let arr = unsafe { wrap_foreign(ptr, [n as usize].into_iter().collect(), strides, dtype, writeable, Box::new(buf)) }?;
    Ok(PyNdArray::with_base(arr, Some(buffer.clone().unbind())))
}

/// What a buffer export owns: the storage (kept alive while the consumer holds the view) and
/// the shape and strides arrays the view points at.
struct Export {
    _data: Arc<Buffer>,
    shape: Vec<ffi::Py_ssize_t>,
    strides: Vec<ffi::Py_ssize_t>,
}

#[pymethods]
impl PyNdArray {
    /// The elements' bytes in C (or F) order.
    #[pyo3(signature = (order = "C"))]
    fn tobytes<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, PyBytes>> {
        let order = crate::creation::order_from_py(Some(order))?;
        let arr = if (order == Order::C && self.arr().is_c_contiguous())
            || (order == Order::F && self.arr().is_f_contiguous())
        {
            self.arr().clone()
        } else {
            self.arr().copy(order).py()?
        };
        // SAFETY: arr is contiguous in the requested order, so its bytes are one block.
        let bytes = unsafe { std::slice::from_raw_parts(arr.as_ptr(), arr.nbytes()) };
        Ok(PyBytes::new(py, bytes))
    }

    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("View is null"));
        }
        let arr = slf.get().arr().clone();
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE && !arr.writeable() {
            return Err(PyBufferError::new_err("buffer source array is read-only"));
        }
        let strides_wanted = flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES;
        let c_wanted = flags & ffi::PyBUF_C_CONTIGUOUS == ffi::PyBUF_C_CONTIGUOUS;
        let f_wanted = flags & ffi::PyBUF_F_CONTIGUOUS == ffi::PyBUF_F_CONTIGUOUS;
        let any_wanted = flags & ffi::PyBUF_ANY_CONTIGUOUS == ffi::PyBUF_ANY_CONTIGUOUS;
        if (c_wanted || !strides_wanted) && !arr.is_c_contiguous() {
            return Err(PyBufferError::new_err("ndarray is not C-contiguous"));
        }
        if f_wanted && !arr.is_f_contiguous() {
            return Err(PyBufferError::new_err("ndarray is not Fortran contiguous"));
        }
        if any_wanted && !arr.is_c_contiguous() && !arr.is_f_contiguous() {
            return Err(PyBufferError::new_err("ndarray is not contiguous"));
        }
        let mut export = Box::new(Export {
            _data: arr.buffer().clone(),
            shape: arr.shape().iter().map(|&d| d as ffi::Py_ssize_t).collect(),
            strides: arr.strides().to_vec(),
        });
        // SAFETY: view is a valid Py_buffer to fill (checked non-null); the pointers stored in
        // it stay valid until __releasebuffer__ frees `internal`.
        unsafe {
            (*view).buf = arr.as_ptr().cast();
            (*view).obj = slf.into_any().into_ptr();
            (*view).len = arr.nbytes() as ffi::Py_ssize_t;
            (*view).readonly = (!arr.writeable()) as c_int;
            (*view).itemsize = arr.itemsize() as ffi::Py_ssize_t;
            (*view).format = if flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT {
                format_of(arr.dtype()).as_ptr().cast_mut()
            } else {
                std::ptr::null_mut()
            };
            // Without PyBUF_ND the consumer sees one flat block (as PyBuffer_FillInfo gives).
            (*view).ndim = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND { arr.ndim() as c_int } else { 1 };
            (*view).shape = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND {
                export.shape.as_mut_ptr()
            } else {
                std::ptr::null_mut()
            };
            (*view).strides = if strides_wanted { export.strides.as_mut_ptr() } else { std::ptr::null_mut() };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = Box::into_raw(export).cast();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: internal was set by __getbuffer__ to a leaked Box<Export>.
        unsafe {
            let internal = (*view).internal.cast::<Export>();
            if !internal.is_null() {
                drop(Box::from_raw(internal));
                (*view).internal = std::ptr::null_mut();
            }
        }
    }

    /// `memoryview(self)`: the buffer protocol's view of this array's memory.
    #[getter]
    fn data<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyMemoryView>> {
        pyo3::types::PyMemoryView::from(slf.as_any())
    }

    /// NumPy's array interface, version 3.
    #[getter]
    fn __array_interface__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let arr = &self.arr();
        d.set_item("shape", shape_tuple(py, arr.shape())?)?;
        let typestr = arr.dtype().str();
        d.set_item("typestr", &typestr)?;
        let ptr = if arr.size() == 0 { 0 } else { arr.as_ptr() as usize };
        d.set_item("data", (ptr, !arr.writeable()))?;
        if arr.is_c_contiguous() {
            d.set_item("strides", py.None())?;
        } else {
            d.set_item("strides", PyTuple::new(py, arr.strides())?)?;
        }
        d.set_item("descr", vec![("", typestr)])?;
        d.set_item("version", 3)?;
        Ok(d)
    }

    /// A NumPy array sharing this array's memory (NumPy is imported only here).
    #[pyo3(signature = (dtype = None, copy = None))]
    fn __array__<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let numpy = py.import("numpy")?;
        let kwargs = PyDict::new(py);
        if let Some(d) = dtype {
            if !d.is_none() {
                kwargs.set_item("dtype", d)?;
            }
        }
        let func = if copy == Some(true) { "array" } else { "asarray" };
        if copy == Some(false) {
            kwargs.set_item("copy", false)?;
        }
        numpy.call_method(func, (slf,), Some(&kwargs))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let module = py.import("oxnp._oxnp")?;
        let rebuild = module.getattr("_pickle_empty")?;
        let this = slf.borrow();
        let fortran = !this.arr().is_c_contiguous() && this.arr().is_f_contiguous() && this.arr().ndim() > 1;
        let order = if fortran { "F" } else { "C" };
        let data = this.tobytes(py, order)?;
        let state = (1, shape_tuple(py, this.arr().shape())?, this.arr().dtype().name(), fortran, data);
        PyTuple::new(py, [rebuild.into_any(), PyTuple::empty(py).into_any(), state.into_pyobject(py)?.into_any()])
    }

    fn __setstate__(slf: &Bound<'_, Self>, state: &Bound<'_, PyTuple>) -> PyResult<()> {
        let (version, shape, dtype, fortran, data): (i64, Bound<'_, PyAny>, Bound<'_, PyAny>, bool, Vec<u8>) =
            state.extract()?;
        if version != 1 {
            return Err(PyValueError::new_err(format!("unsupported pickle state version {version}")));
        }
        let shape = shape_from_py(&shape)?;
        let dtype = dtype_from_py(&dtype)?;
        let order = if fortran { Order::F } else { Order::C };
        let arr = Array::empty(&shape, dtype, order).py()?;
        if arr.nbytes() != data.len() {
            return Err(PyValueError::new_err("pickle data size does not match its shape and dtype"));
        }
        // SAFETY: fresh contiguous allocation of exactly data.len() bytes.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), arr.as_ptr(), data.len()) };
        PyNdArray::replace(slf, arr, None);
        Ok(())
    }
}

/// The placeholder array a pickle creates before `__setstate__` fills it.
#[pyfunction]
fn _pickle_empty() -> PyResult<PyNdArray> {
    Ok(PyNdArray::new(Array::empty(&[0], DType::Float64, Order::C).py()?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_pickle_empty, m)?)?;
    m.add_function(wrap_pyfunction!(frombuffer, m)?)?;
    m.add_function(wrap_pyfunction!(from_dlpack, m)?)?;
    Ok(())
}

// ---- DLPack ------------------------------------------------------------------------------
// The C ABI of dlpack.h (version 1.0), written from the specification.

mod dl {
    use std::ffi::c_void;

    pub const CPU: i32 = 1;
    pub const CUDA_HOST: i32 = 3;
    pub const ROCM_HOST: i32 = 11;
    pub const CUDA_MANAGED: i32 = 13;

    pub const INT: u8 = 0;
    pub const UINT: u8 = 1;
    pub const FLOAT: u8 = 2;
    pub const COMPLEX: u8 = 5;
    pub const BOOL: u8 = 6;

    pub const FLAG_READ_ONLY: u64 = 1 << 0;
    pub const FLAG_IS_COPIED: u64 = 1 << 1;

    #[repr(C)]
    pub struct Device {
        pub device_type: i32,
        pub device_id: i32,
    }

    #[repr(C)]
    pub struct DataType {
        pub code: u8,
        pub bits: u8,
        pub lanes: u16,
    }

    #[repr(C)]
    pub struct Tensor {
        pub data: *mut c_void,
        pub device: Device,
        pub ndim: i32,
        pub dtype: DataType,
        pub shape: *mut i64,
        /// In elements; NULL means C-contiguous.
        pub strides: *mut i64,
        pub byte_offset: u64,
    }

    #[repr(C)]
    pub struct ManagedTensor {
        pub dl_tensor: Tensor,
        pub manager_ctx: *mut c_void,
        pub deleter: Option<unsafe extern "C" fn(*mut ManagedTensor)>,
    }

    #[repr(C)]
    pub struct PackVersion {
        pub major: u32,
        pub minor: u32,
    }

    #[repr(C)]
    pub struct ManagedTensorVersioned {
        pub version: PackVersion,
        pub manager_ctx: *mut c_void,
        pub deleter: Option<unsafe extern "C" fn(*mut ManagedTensorVersioned)>,
        pub flags: u64,
        pub dl_tensor: Tensor,
    }
}

const DLTENSOR: &CStr = c"dltensor";
const USED_DLTENSOR: &CStr = c"used_dltensor";
const DLTENSOR_VERSIONED: &CStr = c"dltensor_versioned";
const USED_DLTENSOR_VERSIONED: &CStr = c"used_dltensor_versioned";

fn dl_dtype(dtype: DType) -> dl::DataType {
    let code = match dtype.kind() {
        Kind::Bool => dl::BOOL,
        Kind::Int => dl::INT,
        Kind::UInt => dl::UINT,
        Kind::Float => dl::FLOAT,
        Kind::Complex => dl::COMPLEX,
    };
    dl::DataType { code, bits: (dtype.itemsize() * 8) as u8, lanes: 1 }
}

fn dtype_from_dl(t: &dl::DataType) -> PyResult<DType> {
    if t.lanes != 1 {
        return Err(PyBufferError::new_err("Unsupported lanes in DLTensor dtype."));
    }
    let unsupported = || PyBufferError::new_err("Unsupported dtype in DLTensor.");
    if t.bits % 8 != 0 {
        return Err(unsupported());
    }
    let size = (t.bits / 8) as usize;
    let kind = match t.code {
        dl::BOOL if size == 1 => return Ok(DType::Bool),
        dl::INT => Kind::Int,
        dl::UINT => Kind::UInt,
        dl::FLOAT => Kind::Float,
        dl::COMPLEX => Kind::Complex,
        _ => return Err(unsupported()),
    };
    DType::from_kind_size(kind, size).ok_or_else(unsupported)
}

/// What one export owns: the storage and the shape and strides the DLTensor points at. Laid
/// out after the managed tensor so the tensor's address is the allocation's.
struct DlContext {
    _arr: Array,
    shape: Vec<i64>,
    strides: Vec<i64>,
}

#[repr(C)]
struct VersionedExport {
    managed: dl::ManagedTensorVersioned,
    ctx: DlContext,
}

#[repr(C)]
struct UnversionedExport {
    managed: dl::ManagedTensor,
    ctx: DlContext,
}

unsafe extern "C" fn delete_versioned(p: *mut dl::ManagedTensorVersioned) {
    if !p.is_null() {
        // SAFETY: p is the first field of a leaked Box<VersionedExport> (repr(C)).
        drop(unsafe { Box::from_raw(p.cast::<VersionedExport>()) });
    }
}

unsafe extern "C" fn delete_unversioned(p: *mut dl::ManagedTensor) {
    if !p.is_null() {
        // SAFETY: p is the first field of a leaked Box<UnversionedExport> (repr(C)).
        drop(unsafe { Box::from_raw(p.cast::<UnversionedExport>()) });
    }
}

/// Capsule destructors: a consumer that took ownership renamed the capsule to "used_...",
/// otherwise the tensor was never consumed and is freed here.
unsafe extern "C" fn capsule_free_versioned(capsule: *mut ffi::PyObject) {
    // SAFETY: capsule is a live capsule; IsValid never raises, and GetPointer cannot fail
    // once the name matched.
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, DLTENSOR_VERSIONED.as_ptr()) == 0 {
            return;
        }
        let p = ffi::PyCapsule_GetPointer(capsule, DLTENSOR_VERSIONED.as_ptr()).cast::<dl::ManagedTensorVersioned>();
        if let Some(deleter) = (*p).deleter {
            deleter(p);
        }
    }
}

unsafe extern "C" fn capsule_free_unversioned(capsule: *mut ffi::PyObject) {
    // SAFETY: as capsule_free_versioned.
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, DLTENSOR.as_ptr()) == 0 {
            return;
        }
        let p = ffi::PyCapsule_GetPointer(capsule, DLTENSOR.as_ptr()).cast::<dl::ManagedTensor>();
        if let Some(deleter) = (*p).deleter {
            deleter(p);
        }
    }
}

/// `copy=` as NumPy's copy converter reads it: None (copy if needed), or any truthy value.
fn copy_flag(copy: Option<&Bound<'_, PyAny>>) -> PyResult<Option<bool>> {
    match copy {
        None => Ok(None),
        Some(c) if c.is_none() => Ok(None),
        Some(c) if c.is_instance_of::<pyo3::types::PyString>() => Err(PyValueError::new_err(
            "strings are not allowed for 'copy' keyword. Use True/False/None instead.",
        )),
        Some(c) => Ok(Some(c.is_truthy()?)),
    }
}

fn check_dl_device(dl_device: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let Some(dev) = dl_device.filter(|d| !d.is_none()) else {
        return Ok(());
    };
    let dev = dev.cast::<PyTuple>().map_err(|_| PyTypeError::new_err("dl_device must be a tuple"))?;
    if dev.len() != 2 {
        return Err(PyTypeError::new_err(format!("function takes exactly 2 arguments ({} given)", dev.len())));
    }
    let (kind, id): (i32, i32) = dev.extract()?;
    if kind != dl::CPU || id != 0 {
        return Err(PyBufferError::new_err("unsupported device requested"));
    }
    Ok(())
}

/// Whether the consumer's `max_version` allows the versioned (>= 1.0) protocol.
fn wants_versioned(max_version: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    let Some(v) = max_version.filter(|v| !v.is_none()) else {
        return Ok(false);
    };
    let bad = || PyTypeError::new_err("max_version must be None or a tuple with two elements.");
    let v = v.cast::<PyTuple>().map_err(|_| bad())?;
    if v.len() != 2 {
        return Err(bad());
    }
    let major: i64 = v.get_item(0)?.extract()?;
    Ok(major >= 1)
}

fn export_context(arr: Array) -> PyResult<DlContext> {
    let itemsize = arr.itemsize() as isize;
    if !arr.is_c_contiguous() && arr.size() != 1 {
        let misaligned = arr.shape().iter().zip(arr.strides()).any(|(&d, &s)| d != 1 && s % itemsize != 0);
        if misaligned {
            return Err(PyBufferError::new_err("DLPack only supports strides which are a multiple of itemsize."));
        }
    }
    let shape = arr.shape().iter().map(|&d| d as i64).collect();
    let strides = arr.strides().iter().map(|&s| (s / itemsize) as i64).collect();
    Ok(DlContext { _arr: arr, shape, strides })
}

fn dl_tensor(arr: &Array, ctx: &mut DlContext) -> dl::Tensor {
    dl::Tensor {
        data: arr.as_ptr().cast(),
        device: dl::Device { device_type: dl::CPU, device_id: 0 },
        ndim: arr.ndim() as i32,
        dtype: dl_dtype(arr.dtype()),
        shape: ctx.shape.as_mut_ptr(),
        strides: ctx.strides.as_mut_ptr(),
        byte_offset: 0,
    }
}

/// Wraps a leaked export in a capsule; on failure the export is freed through its deleter.
///
/// # Safety
/// `ptr` is a leaked export whose deleter is `deleter`, matching the capsule `name`.
unsafe fn make_capsule<'py, T>(
    py: Python<'py>,
    ptr: *mut T,
    name: &'static CStr,
    destructor: unsafe extern "C" fn(*mut ffi::PyObject),
    deleter: unsafe extern "C" fn(*mut T),
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: name is 'static as the capsule requires; ptr is non-null.
    let cap = unsafe { ffi::PyCapsule_New(ptr.cast(), name.as_ptr(), Some(destructor)) };
    if cap.is_null() {
        // SAFETY: the capsule does not exist, so the export is still ours to free.
        unsafe { deleter(ptr) };
        return Err(PyErr::fetch(py));
    }
    // SAFETY: cap is a new strong reference.
    Ok(unsafe { Bound::from_owned_ptr(py, cap) })
}

/// Keeps a consumed DLPack tensor alive; dropping it hands the tensor back to its producer.
enum DlOwner {
    Versioned(*mut dl::ManagedTensorVersioned),
    Unversioned(*mut dl::ManagedTensor),
}

// SAFETY: the DLPack specification requires deleters to be callable from any thread (and to
// take the GIL themselves when they need it); the pointer is used for nothing else.
unsafe impl Send for DlOwner {}
unsafe impl Sync for DlOwner {}

impl Drop for DlOwner {
    fn drop(&mut self) {
        // SAFETY: the tensor was consumed (capsule renamed) and is released exactly once, here.
        unsafe {
            match *self {
                DlOwner::Versioned(p) => {
                    if let Some(deleter) = (*p).deleter {
                        deleter(p)
                    }
                }
                DlOwner::Unversioned(p) => {
                    if let Some(deleter) = (*p).deleter {
                        deleter(p)
                    }
                }
            }
        }
    }
}

/// The geometry of a foreign DLTensor as an oxnp (ptr, shape, byte strides, dtype).
///
/// # Safety
/// `t` must be a valid DLTensor whose shape (and strides, when non-null) hold `ndim` entries.
unsafe fn dl_geometry(t: &dl::Tensor) -> PyResult<(*mut u8, Shape, Strides, DType)> {
    if !matches!(t.device.device_type, dl::CPU | dl::CUDA_HOST | dl::ROCM_HOST | dl::CUDA_MANAGED) {
        return Err(PyBufferError::new_err("Unsupported device in DLTensor."));
    }
    let dtype = dtype_from_dl(&t.dtype)?;
    let ndim = usize::try_from(t.ndim).map_err(|_| PyBufferError::new_err("Invalid ndim in DLTensor."))?;
    // SAFETY (both reads): the caller vouches for ndim entries; ndim 0 reads nothing.
    let read = |p: *const i64| -> Vec<i64> {
        if ndim == 0 { Vec::new() } else { unsafe { std::slice::from_raw_parts(p, ndim) }.to_vec() }
    };
    let mut shape = Shape::new();
    for d in read(t.shape) {
        shape.push(usize::try_from(d).map_err(|_| PyBufferError::new_err("Negative dimension in DLTensor."))?);
    }
    oxnp_core::array::checked_size(&shape).py()?;
    let itemsize = dtype.itemsize() as i64;
    let strides: Strides = if t.strides.is_null() {
        oxnp_core::array::c_strides(&shape, dtype.itemsize())
    } else {
        let mut out = Strides::new();
        for s in read(t.strides) {
            let bytes = s.checked_mul(itemsize).ok_or_else(|| PyBufferError::new_err("DLTensor strides overflow."))?;
            out.push(bytes as isize);
        }
        out
    };
    let ptr = t.data.cast::<u8>().wrapping_add(t.byte_offset as usize);
    Ok((ptr, shape, strides, dtype))
}

#[pymethods]
impl PyNdArray {
    /// Exports this array as a DLPack capsule (versioned when `max_version` allows it).
    #[pyo3(signature = (*, stream = None, max_version = None, dl_device = None, copy = None))]
    fn __dlpack__<'py>(
        slf: &Bound<'py, Self>,
        stream: Option<&Bound<'py, PyAny>>,
        max_version: Option<&Bound<'py, PyAny>>,
        dl_device: Option<&Bound<'py, PyAny>>,
        copy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if stream.is_some_and(|s| !s.is_none()) {
            return Err(pyo3::exceptions::PyRuntimeError::new_err("oxnp only supports stream=None."));
        }
        let copy = copy_flag(copy)?;
        check_dl_device(dl_device)?;
        let versioned = wants_versioned(max_version)?;
        let mut arr = slf.get().arr().clone();
        let copied = copy == Some(true);
        if copied {
            arr = arr.copy(Order::C).py()?;
        }
        if !versioned && !arr.writeable() {
            return Err(PyBufferError::new_err(
                "Cannot export readonly array since signalling readonly is unsupported by DLPack (supported by newer DLPack version).",
            ));
        }
        let mut ctx = export_context(arr.clone())?;
        let tensor = dl_tensor(&arr, &mut ctx);
        if versioned {
            let mut flags = 0;
            if !arr.writeable() {
                flags |= dl::FLAG_READ_ONLY;
            }
            if copied {
                flags |= dl::FLAG_IS_COPIED;
            }
            let export = Box::into_raw(Box::new(VersionedExport {
                managed: dl::ManagedTensorVersioned {
                    version: dl::PackVersion { major: 1, minor: 0 },
                    manager_ctx: std::ptr::null_mut(),
                    deleter: Some(delete_versioned),
                    flags,
                    dl_tensor: tensor,
                },
                ctx,
            }));
            // SAFETY: export is leaked just above; the context pointer is the allocation.
            unsafe {
                (*export).managed.manager_ctx = export.cast();
                make_capsule(py, export.cast(), DLTENSOR_VERSIONED, capsule_free_versioned, delete_versioned)
            }
        } else {
            let export = Box::into_raw(Box::new(UnversionedExport {
                managed: dl::ManagedTensor {
                    dl_tensor: tensor,
                    manager_ctx: std::ptr::null_mut(),
                    deleter: Some(delete_unversioned),
                },
                ctx,
            }));
            // SAFETY: as above.
            unsafe {
                (*export).managed.manager_ctx = export.cast();
                make_capsule(py, export.cast(), DLTENSOR, capsule_free_unversioned, delete_unversioned)
            }
        }
    }

    /// Always the CPU: `(kDLCPU, 0)`.
    fn __dlpack_device__(&self) -> (i32, i32) {
        (dl::CPU, 0)
    }
}

/// `from_dlpack(x, /, *, device=None, copy=None)`: a zero-copy view of any object exporting
/// `__dlpack__`; the producer's tensor is released when the last oxnp view of it goes.
#[pyfunction]
#[pyo3(signature = (x, /, *, device = None, copy = None))]
fn from_dlpack<'py>(
    x: &Bound<'py, PyAny>,
    device: Option<&Bound<'py, PyAny>>,
    copy: Option<&Bound<'py, PyAny>>,
) -> PyResult<PyNdArray> {
    let py = x.py();
    let device = device.filter(|d| !d.is_none());
    if let Some(d) = device {
        if d.extract::<&str>().ok() != Some("cpu") {
            return Err(PyValueError::new_err(format!(
                "Device not understood. Only \"cpu\" is allowed, but received: {}",
                d.str()?
            )));
        }
    }
    let copy = copy.filter(|c| !c.is_none());
    let method = x.getattr(pyo3::intern!(py, "__dlpack__"))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("dl_device", if device.is_some() { (dl::CPU, 0).into_pyobject(py)?.into_any() } else { py.None().into_bound(py) })?;
    kwargs.set_item("copy", copy)?;
    kwargs.set_item("max_version", (1, 0))?;
    let capsule = match method.call((), Some(&kwargs)) {
        Ok(c) => c,
        // Producers predating DLPack 1.0 take no keywords.
        Err(e) if e.is_instance_of::<PyTypeError>(py) && device.is_none() && copy.is_none() => method.call0()?,
        Err(e) => return Err(e),
    };
    let cap = capsule.as_ptr();
    // SAFETY: IsValid accepts any object and never raises.
    let versioned = unsafe { ffi::PyCapsule_IsValid(cap, DLTENSOR_VERSIONED.as_ptr()) } != 0;
    let name = if versioned { DLTENSOR_VERSIONED } else { DLTENSOR };
    // SAFETY: GetPointer checks the type and name, raising on a mismatch.
    let ptr = unsafe { ffi::PyCapsule_GetPointer(cap, name.as_ptr()) };
    if ptr.is_null() {
        return Err(PyErr::fetch(py));
    }
    // SAFETY: a valid "dltensor[_versioned]" capsule holds a live managed tensor of that kind.
    let (tensor, readonly) = unsafe {
        if versioned {
            let m = ptr.cast::<dl::ManagedTensorVersioned>();
            if (*m).version.major > 1 {
                return Err(PyBufferError::new_err(
                    "from_dlpack(): the exported DLPack major version is too high to be imported by this version of oxnp.",
                ));
            }
            (&(*m).dl_tensor, (*m).flags & dl::FLAG_READ_ONLY != 0)
        } else {
            (&(*ptr.cast::<dl::ManagedTensor>()).dl_tensor, false)
        }
    };
    // SAFETY: the producer guarantees a well-formed DLTensor. On error the capsule is still
    // unconsumed, so its own destructor releases the tensor.
    let (data, shape, strides, dtype) = unsafe { dl_geometry(tensor) }?;
    let used = if versioned { USED_DLTENSOR_VERSIONED } else { USED_DLTENSOR };
    // SAFETY: the name is 'static.
    if unsafe { ffi::PyCapsule_SetName(cap, used.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    // The tensor is ours now: `owner` alone releases it.
    let owner = if versioned { DlOwner::Versioned(ptr.cast()) } else { DlOwner::Unversioned(ptr.cast()) };
    // SAFETY: the producer keeps the memory valid until its deleter runs, which `owner`
    // defers to the buffer's drop; writes are allowed unless flagged read-only.
    let arr = unsafe { wrap_foreign(data, shape, strides, dtype, !readonly, Box::new(owner)) }?;
    Ok(PyNdArray::with_base(arr, Some(capsule.unbind())))
}
