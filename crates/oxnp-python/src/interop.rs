//! Exchange with other array libraries: bytes (`tobytes`, `frombuffer`), the buffer protocol
//! in both directions, `__array_interface__`, `__array__`, and pickling.

use std::ffi::{CStr, c_int};
use std::sync::Arc;

use oxnp_core::array::{Shape, Strides, byte_extent};
use oxnp_core::buffer::Buffer;
use oxnp_core::{Array, DType, Kind, Order};
use pyo3::buffer::PyUntypedBuffer;
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
struct PyOwner(#[allow(dead_code)] Py<PyAny>);

fn from_buffer_protocol(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    // SAFETY: plain type check.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Ok(None);
    }
    let buf = PyUntypedBuffer::get(obj)?;
    if buf.suboffsets().is_some_and(|s| s.iter().any(|&o| o >= 0)) {
        return Ok(None);
    }
    let format = buf.format().to_str().unwrap_or("");
    let Some(dtype) = dtype_from_format(format, buf.item_size()) else {
        return Err(PyTypeError::new_err(format!(
            "oxnp cannot hold buffer items of format '{format}' (itemsize {})",
            buf.item_size()
        )));
    };
    let shape: Shape = buf.shape().into();
    let strides: Strides = buf.strides().into();
    let ptr = buf.buf_ptr().cast::<u8>();
    let writeable = !buf.readonly();
    // SAFETY: the exporter guarantees the memory while the buffer view (the owner) lives.
    unsafe { wrap_foreign(ptr, shape, strides, dtype, writeable, Box::new(buf)) }.map(Some)
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
        wrap_foreign(ptr, shape.into(), strides, dtype, !readonly, Box::new(PyOwner(obj.clone().unbind())))
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
    let buf = PyUntypedBuffer::get(buffer)?;
    if !buf.is_c_contiguous() {
        return Err(PyValueError::new_err("ndarray is not C-contiguous"));
    }
    let len = buf.len_bytes() as isize;
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
    let ptr = buf.buf_ptr().cast::<u8>().wrapping_offset(offset);
    let writeable = !buf.readonly();
    let strides: Strides = [itemsize].into_iter().collect();
    // SAFETY: n items from offset lie within the exported buffer, which the owner keeps alive.
    let arr = unsafe { wrap_foreign(ptr, [n as usize].into_iter().collect(), strides, dtype, writeable, Box::new(buf)) }?;
    Ok(PyNdArray { arr, base: Some(buffer.clone().unbind()) })
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
        let arr = if (order == Order::C && self.arr.is_c_contiguous())
            || (order == Order::F && self.arr.is_f_contiguous())
        {
            self.arr.clone()
        } else {
            self.arr.copy(order).py()?
        };
        // SAFETY: arr is contiguous in the requested order, so its bytes are one block.
        let bytes = unsafe { std::slice::from_raw_parts(arr.as_ptr(), arr.nbytes()) };
        Ok(PyBytes::new(py, bytes))
    }

    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("View is null"));
        }
        let arr = slf.borrow().arr.clone();
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
            (*view).ndim = arr.ndim() as c_int;
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

    /// NumPy's array interface, version 3.
    #[getter]
    fn __array_interface__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let arr = &self.arr;
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
        let fortran = !this.arr.is_c_contiguous() && this.arr.is_f_contiguous() && this.arr.ndim() > 1;
        let order = if fortran { "F" } else { "C" };
        let data = this.tobytes(py, order)?;
        let state = (1, shape_tuple(py, this.arr.shape())?, this.arr.dtype().name(), fortran, data);
        PyTuple::new(py, [rebuild.into_any(), PyTuple::empty(py).into_any(), state.into_pyobject(py)?.into_any()])
    }

    fn __setstate__(&mut self, state: &Bound<'_, PyTuple>) -> PyResult<()> {
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
        self.arr = arr;
        self.base = None;
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
    Ok(())
}
