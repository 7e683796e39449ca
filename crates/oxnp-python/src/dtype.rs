//! `oxnp.dtype`: one cached Python object per dtype, and conversion of any dtype-like Python
//! value (dtype, string, Python type, scalar type) to `DType`.

use oxnp_core::DType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

use crate::errors::IntoPyResult;

#[pyclass(name = "dtype", module = "oxnp", frozen)]
#[derive(Clone, Copy)]
pub struct PyDType {
    pub dtype: DType,
}

static DTYPES: PyOnceLock<Vec<Py<PyDType>>> = PyOnceLock::new();

/// The cached `oxnp.dtype` instance for `dtype` (no allocation on the hot path).
pub fn dtype_object(py: Python<'_>, dtype: DType) -> &Bound<'_, PyDType> {
    DTYPES
        .get_or_init(py, || {
            DType::ALL
                .iter()
                .map(|&d| Py::new(py, PyDType { dtype: d }).expect("allocating a dtype object"))
                .collect()
        })[dtype.index()]
    .bind(py)
}

/// Converts a dtype-like object. `None` is not accepted here: callers decide its meaning.
pub fn dtype_from_py(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(d) = obj.cast::<PyDType>() {
        return Ok(d.get().dtype);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return DType::from_str(s.to_str()?).py();
    }
    if let Ok(t) = obj.cast::<PyType>() {
        let py = obj.py();
        if t.is(py.get_type::<PyBool>()) {
            return Ok(DType::Bool);
        }
        if t.is(py.get_type::<PyInt>()) {
            return Ok(DType::Int64);
        }
        if t.is(py.get_type::<PyFloat>()) {
            return Ok(DType::Float64);
        }
        if t.is(py.get_type::<PyComplex>()) {
            return Ok(DType::Complex128);
        }
        if let Some(d) = crate::scalar::dtype_of_scalar_type(t)? {
            return Ok(d);
        }
        if let Some(d) = numpy_dtype(obj)? {
            return Ok(d);
        }
    }
    // Arrays, scalars and anything else with a `.dtype`.
    if let Ok(inner) = obj.getattr(pyo3::intern!(obj.py(), "dtype")) {
        if !inner.is(obj) && !inner.is_instance_of::<PyType>() {
            return dtype_from_py(&inner);
        }
    }
    if let Ok(s) = obj.str() {
        if let Ok(d) = DType::from_str(s.to_str()?) {
            return Ok(d);
        }
    }
    Err(PyTypeError::new_err(format!("Cannot interpret '{}' as a data type", obj.repr()?)))
}

/// NumPy scalar types (`numpy.float32`) convert through NumPy's own dtype; NumPy's errors
/// (abstract types) propagate.
fn numpy_dtype(t: &Bound<'_, PyAny>) -> PyResult<Option<DType>> {
    let module = t.getattr(pyo3::intern!(t.py(), "__module__"))?;
    if !module.extract::<&str>().is_ok_and(|m| m == "numpy") {
        return Ok(None);
    }
    let d = t.py().import("numpy")?.getattr("dtype")?.call1((t,))?;
    DType::from_str(d.str()?.to_str()?).py().map(Some)
}

/// `dtype=None` means "decide from the data"; anything else must convert.
pub fn optional_dtype(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => dtype_from_py(o).map(Some),
    }
}

#[pymethods]
impl PyDType {
    #[new]
    #[pyo3(signature = (obj, align = false, copy = false))]
    fn py_new(py: Python<'_>, obj: &Bound<'_, PyAny>, align: bool, copy: bool) -> PyResult<Py<PyDType>> {
        let _ = (align, copy);
        let d = if obj.is_none() { DType::Float64 } else { dtype_from_py(obj)? };
        Ok(dtype_object(py, d).clone().unbind())
    }

    #[getter]
    fn name(&self) -> &'static str {
        self.dtype.name()
    }
    #[getter]
    fn kind(&self) -> String {
        self.dtype.kind().char().to_string()
    }
    #[getter]
    fn char(&self) -> String {
        self.dtype.char().to_string()
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }
    #[getter]
    fn alignment(&self) -> usize {
        self.dtype.alignment()
    }
    #[getter]
    fn str(&self) -> String {
        self.dtype.str()
    }
    #[getter]
    fn byteorder(&self) -> &'static str {
        if self.dtype.itemsize() == 1 { "|" } else { "=" }
    }

    /// NumPy's type number (`dtype.num`), Linux x86-64 numbering.
    #[getter]
    fn num(&self) -> u8 {
        match self.dtype {
            DType::Float16 => 23,
            DType::Float32 => 11,
            DType::Float64 => 12,
            DType::Complex64 => 14,
            DType::Complex128 => 15,
            d => d.index() as u8,
        }
    }
    #[getter]
    fn r#type(&self, py: Python<'_>) -> PyResult<Py<PyType>> {
        crate::scalar::scalar_type(py, self.dtype).map(|t| t.clone_ref(py))
    }
    #[getter]
    fn descr<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, [("", self.dtype.str())])
    }
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        PyTuple::empty(py)
    }
    #[getter]
    fn ndim(&self) -> usize {
        0
    }
    #[getter]
    fn isbuiltin(&self) -> u8 {
        1
    }
    #[getter]
    fn isnative(&self) -> bool {
        true
    }
    #[getter]
    fn isalignedstruct(&self) -> bool {
        false
    }
    #[getter]
    fn fields(&self) -> Option<()> {
        None
    }
    #[getter]
    fn names(&self) -> Option<()> {
        None
    }
    #[getter]
    fn subdtype(&self) -> Option<()> {
        None
    }
    #[getter]
    fn metadata(&self) -> Option<()> {
        None
    }
    #[getter]
    fn base(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }
    #[getter]
    fn hasobject(&self) -> bool {
        false
    }
    #[getter]
    fn flags(&self) -> u8 {
        0
    }

    /// oxnp stores native byte order only: `'='`, `'<'`, `'|'` (and `'S'` on 1-byte types,
    /// where swapping is a no-op) return the dtype itself.
    #[pyo3(signature = (new_order = "S"))]
    fn newbyteorder<'py>(slf: Bound<'py, Self>, new_order: &str) -> PyResult<Bound<'py, Self>> {
        let native = matches!(new_order, "=" | "<" | "|" | "native" | "little" | "N" | "L" | "I" | "n" | "l" | "i");
        let swap = matches!(new_order, "S" | "s" | "swap" | ">" | "big" | "B" | "b");
        if !native && !swap {
            return Err(PyValueError::new_err(format!("{new_order} is an unrecognized byteorder")));
        }
        if native || slf.get().dtype.itemsize() == 1 {
            return Ok(slf);
        }
        Err(PyTypeError::new_err(format!(
            "dtype('{}').newbyteorder('{new_order}'): non-native byte order is not supported by oxnp",
            slf.get().dtype.name()
        )))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let args = PyTuple::new(py, [slf.get().dtype.name()])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }

    /// Equal to anything that converts to the same dtype, None included (`dtype('f8') == 'float64'`).
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        // `None` means float64 to NumPy here too.
        let other = if other.is_none() { Ok(DType::Float64) } else { dtype_from_py(other) };
        other.is_ok_and(|d| d == self.dtype)
    }
    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }
    fn __hash__(&self) -> u64 {
        self.dtype.index() as u64 + 0x6f786e70
    }

    fn __repr__(&self) -> String {
        format!("dtype('{}')", self.dtype.name())
    }
    fn __str__(&self) -> &'static str {
        self.dtype.name()
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDType>()?;
    Ok(())
}
