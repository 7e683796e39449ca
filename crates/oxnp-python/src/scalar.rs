//! NumPy scalar objects (`oxnp.float32(1.5)`, `oxnp.True_`): their value storage, their
//! creation from array elements (the `a[3]` hot path) and reading them back as typed values.
//!
//! The class hierarchy (`generic`, `floating`, ...) lives in `python/oxnp/_scalars.py`, which
//! registers its 14 concrete classes here. As in NumPy, `float64` and `complex128` subclass
//! Python's float/complex and keep their value in the builtin object layout; the other twelve
//! inherit `_ScalarBase`, which holds the value bytes and implements the scalar protocol.

use oxnp_core::cast::{Convert, Num};
use oxnp_core::promote::{Weak, promote_types, promote_weak};
use oxnp_core::{Array, DType, Kind, Order, dispatch};
use pyo3::IntoPyObjectExt;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyOverflowError, PyRuntimeError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyTuple, PyType};

use crate::dtype::{PyDType, dtype_from_py, dtype_object};
use crate::errors::IntoPyResult;
use crate::fastnew::Placement;
use crate::ndarray::PyNdArray;

/// The bytes of one element, in native layout at offset 0 (16 fits every dtype).
pub type Value = [u8; 16];

#[pyclass(name = "_ScalarBase", module = "oxnp", subclass, frozen)]
pub struct PyScalar {
    pub dtype: DType,
    pub value: Value,
}

struct Registry {
    /// The concrete scalar classes, indexed by `DType::index()`.
    types: Vec<Py<PyType>>,
    generic: Py<PyType>,
    true_: Py<PyAny>,
    false_: Py<PyAny>,
}

static REGISTRY: PyOnceLock<Registry> = PyOnceLock::new();

/// The registered classes; importing `oxnp._scalars` registers them on first use.
fn registry(py: Python<'_>) -> PyResult<&'static Registry> {
    if let Some(r) = REGISTRY.get(py) {
        return Ok(r);
    }
    py.import("oxnp._scalars")?;
    REGISTRY
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("oxnp._scalars did not register the scalar types"))
}

/// Makes a concrete scalar class's instances untracked by the cycle collector, like NumPy's
/// scalars: a class statement makes every heap type a GC type, which costs each new scalar a
/// larger allocation, a GC link and an untrack. The classes have `__slots__ = ()` and a base
/// without references (a builtin float/complex, or `_ScalarBase` with its own dealloc), so
/// their instances cannot be part of a cycle. Runs before any instance exists (instances
/// allocated with the GC header must be freed with it); Python subclasses of these classes
/// get their own GC flag and free function as usual.
fn untrack_class(cls: &Py<PyType>) {
    let tp = cls.as_ptr().cast::<ffi::PyTypeObject>();
    // SAFETY: a live heap type with no instances yet; its dealloc (subtype_dealloc) checks
    // the flag at run time, and tp_free is switched to the matching non-GC free.
    unsafe {
        if (*tp).tp_dictoffset == 0 && (*tp).tp_weaklistoffset == 0 {
            (*tp).tp_flags &= !ffi::Py_TPFLAGS_HAVE_GC;
            (*tp).tp_free = Some(ffi::PyObject_Free);
        }
    }
}

const _: () = assert!(!std::mem::needs_drop::<PyScalar>(), "scalar_dealloc drops nothing");

/// `_ScalarBase`'s dealloc, so that its concrete subclasses can be untracked: pyo3's untracks
/// unconditionally, which is only valid for GC objects. A scalar holds plain bytes.
unsafe extern "C" fn scalar_dealloc(obj: *mut ffi::PyObject) {
    // SAFETY: a dying instance of a `_ScalarBase` subclass, the GIL held. `subtype_dealloc`
    // tracks a GC instance again before calling its base's dealloc.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        if ffi::PyType_IS_GC(tp) != 0 {
            ffi::PyObject_GC_UnTrack(obj.cast());
        }
        let free = (*tp).tp_free.expect("scalar types have tp_free");
        free(obj.cast());
        ffi::Py_DECREF(tp.cast());
    }
}

fn install_scalar_dealloc(py: Python<'_>) {
    let tp = <PyScalar as pyo3::type_object::PyTypeInfo>::type_object_raw(py);
    // SAFETY: our heap type; its subclasses look their base's dealloc up at run time.
    unsafe { (*tp).tp_dealloc = Some(scalar_dealloc) };
}

/// `_register_scalar_types(types, generic)`: called once by `oxnp._scalars`.
#[pyfunction]
fn _register_scalar_types(py: Python<'_>, types: Vec<Py<PyType>>, generic: Py<PyType>) -> PyResult<()> {
    if REGISTRY.get(py).is_some() {
        return Ok(());
    }
    if types.len() != DType::ALL.len() {
        return Err(PyTypeError::new_err("_register_scalar_types needs one class per dtype"));
    }
    install_scalar_dealloc(py);
    for cls in &types {
        untrack_class(cls);
    }
    let bool_type = &types[DType::Bool.index()];
    let true_ = new_base_scalar(py, bool_type, DType::Bool, write_num(DType::Bool, Num::Bool(true)))?;
    let false_ = new_base_scalar(py, bool_type, DType::Bool, write_num(DType::Bool, Num::Bool(false)))?;
    crate::ufunc::install_scalar_slots(&types);
    let _ = REGISTRY.set(py, Registry { types, generic, true_, false_ });
    Ok(())
}

/// The scalar class of `dtype` (`dtype.type`).
pub fn scalar_type(py: Python<'_>, dtype: DType) -> PyResult<&'static Py<PyType>> {
    Ok(&registry(py)?.types[dtype.index()])
}

/// The dtype of a registered scalar class or a subclass of one; `Err` for the abstract
/// classes (`oxnp.floating`), `Ok(None)` for unrelated types.
pub fn dtype_of_scalar_type(t: &Bound<'_, PyType>) -> PyResult<Option<DType>> {
    let reg = registry(t.py())?;
    for (i, cls) in reg.types.iter().enumerate() {
        if t.is(cls) {
            return Ok(Some(DType::ALL[i]));
        }
    }
    if !t.is_subclass(reg.generic.bind(t.py()))? {
        return Ok(None);
    }
    for (i, cls) in reg.types.iter().enumerate() {
        if t.is_subclass(cls.bind(t.py()))? {
            return Ok(Some(DType::ALL[i]));
        }
    }
    Err(PyTypeError::new_err(format!(
        "Converting `oxnp.{}` to a dtype is not allowed",
        t.name()?
    )))
}

#[inline]
pub fn read_num(dtype: DType, v: &Value) -> Num {
    // SAFETY: `v` holds a valid element of `dtype` at offset 0 (bools only as 0/1).
    dispatch!(dtype, T => unsafe { v.as_ptr().cast::<T>().read_unaligned() }.to_num())
}

#[inline]
pub fn write_num(dtype: DType, n: Num) -> Value {
    let mut v = [0u8; 16];
    // SAFETY: every element type is at most 16 bytes.
    dispatch!(dtype, T => unsafe { v.as_mut_ptr().cast::<T>().write_unaligned(T::from_num(n)) });
    v
}

/// The plain Python value (bool, int, float, complex) of a number.
pub fn num_to_builtin(py: Python<'_>, n: Num) -> PyResult<Py<PyAny>> {
    match n {
        Num::Bool(b) => b.into_py_any(py),
        Num::Int(i) => i.into_py_any(py),
        Num::UInt(u) => u.into_py_any(py),
        Num::Float(f) => f.into_py_any(py),
        Num::Complex(re, im) => PyComplex::from_doubles(py, re, im).into_py_any(py),
    }
}

/// The element at byte offset `offset` (relative to `arr.as_ptr()`) as a plain Python value
/// (bool, int, float, complex) — what `tolist()` and `item()` return.
pub fn element_to_builtin(py: Python<'_>, arr: &Array, offset: isize) -> PyResult<Py<PyAny>> {
    let v = read_element(arr, offset);
    if arr.dtype() == DType::Bool {
        return (v[0] != 0).into_py_any(py);
    }
    num_to_builtin(py, read_num(arr.dtype(), &v))
}

#[inline(always)]
fn read_element(arr: &Array, offset: isize) -> Value {
    let mut v = [0u8; 16];
    // SAFETY: callers pass offsets derived from arr's shape and strides.
    unsafe { std::ptr::copy_nonoverlapping(arr.as_ptr().offset(offset), v.as_mut_ptr(), arr.itemsize()) };
    v
}

/// The element at `offset` as an oxnp scalar object (`oxnp.float64(1.5)`), as integer
/// indexing and full reductions return it.
#[inline]
pub fn element_to_scalar(py: Python<'_>, arr: &Array, offset: isize) -> PyResult<Py<PyAny>> {
    make_scalar(py, arr.dtype(), read_element(arr, offset))
}

/// A new oxnp scalar of `dtype` holding `value`.
pub fn make_scalar(py: Python<'_>, dtype: DType, value: Value) -> PyResult<Py<PyAny>> {
    let reg = registry(py)?;
    match dtype {
        DType::Bool => Ok(if value[0] != 0 { reg.true_.clone_ref(py) } else { reg.false_.clone_ref(py) }),
        DType::Float64 => {
            let x = f64::from_ne_bytes(value[..8].try_into().unwrap_or_default());
            let obj = alloc_builtin(py, &reg.types[DType::Float64.index()])?;
            // SAFETY: float64 subclasses float and adds no fields, so the object has
            // PyFloatObject's layout.
            unsafe { (*obj.cast::<ffi::PyFloatObject>()).ob_fval = x };
            // SAFETY: obj is a new, owned reference.
            Ok(unsafe { Bound::from_owned_ptr(py, obj) }.unbind())
        }
        DType::Complex128 => {
            let Num::Complex(re, imag) = read_num(dtype, &value) else { unreachable!() };
            let obj = alloc_builtin(py, &reg.types[DType::Complex128.index()])?;
            // SAFETY: complex128 subclasses complex and adds no fields.
            unsafe { (*obj.cast::<ffi::PyComplexObject>()).cval = ffi::Py_complex { real: re, imag } };
            // SAFETY: obj is a new, owned reference.
            Ok(unsafe { Bound::from_owned_ptr(py, obj) }.unbind())
        }
        d => new_base_scalar(py, &reg.types[d.index()], d, value),
    }
}

/// Allocates an instance of a builtin-derived scalar class (its value still to be set).
fn alloc_builtin(py: Python<'_>, cls: &Py<PyType>) -> PyResult<*mut ffi::PyObject> {
    let tp = cls.as_ptr().cast::<ffi::PyTypeObject>();
    // SAFETY: tp is a live heap type; tp_alloc zero-fills and sets type and refcount.
    let obj = unsafe { ((*tp).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc))(tp, 0) };
    if obj.is_null() { Err(PyErr::fetch(py)) } else { Ok(obj) }
}

/// An instance of `cls` (a subclass of `_ScalarBase`) holding `value`.
fn new_base_scalar(py: Python<'_>, cls: &Py<PyType>, dtype: DType, value: Value) -> PyResult<Py<PyAny>> {
    static PLACEMENT: PyOnceLock<Option<Placement<PyScalar>>> = PyOnceLock::new();
    let placement = PLACEMENT.get_or_init(py, || {
        Bound::new(py, PyScalar { dtype: DType::Bool, value: [0; 16] }).ok().and_then(|s| Placement::learn(&s))
    });
    let mut scalar = PyScalar { dtype, value };
    if let Some(p) = placement {
        match p.create(py, cls.as_ptr().cast(), scalar) {
            Ok(made) => return made.map(Bound::unbind),
            Err(back) => scalar = back,
        }
    }
    let init = PyClassInitializer::from(scalar);
    // SAFETY: cls is `_ScalarBase` or a subclass of it.
    let ptr = unsafe { pyo3::impl_::pymethods::tp_new_impl(py, init, cls.as_ptr().cast()) }?;
    // SAFETY: tp_new_impl returns a new, owned reference.
    Ok(unsafe { Bound::from_owned_ptr(py, ptr) }.unbind())
}

/// The dtype and value of a `_ScalarBase` instance (every oxnp scalar but float64 and
/// complex128, which subclass Python's float and complex).
pub fn base_scalar_value(obj: &Bound<'_, PyAny>) -> Option<(DType, Value)> {
    let s = obj.cast::<PyScalar>().ok()?.get();
    Some((s.dtype, s.value))
}

/// Reads an oxnp scalar (or a NumPy scalar) back as its dtype and value; None for anything
/// else, Python numbers included.
pub fn scalar_from_py(obj: &Bound<'_, PyAny>) -> Option<(DType, Value)> {
    let py = obj.py();
    let reg = registry(py).ok()?;
    let t = obj.get_type();
    let float64 = || t.is(&reg.types[DType::Float64.index()]) || (obj.is_instance_of::<PyFloat>() && obj.is_instance(reg.generic.bind(py)).unwrap_or(false));
    if float64() {
        // SAFETY: float64 is a float subclass without fields of its own.
        let x = unsafe { (*obj.as_ptr().cast::<pyo3::ffi::PyFloatObject>()).ob_fval };
        return Some((DType::Float64, write_num(DType::Float64, Num::Float(x))));
    }
    if let Some(dv) = base_scalar_value(obj) {
        return Some(dv);
    }
    if obj.is_instance_of::<PyComplex>() && obj.is_instance(reg.generic.bind(py)).ok()? {
        let c = obj.cast::<PyComplex>().ok()?;
        return Some((DType::Complex128, write_num(DType::Complex128, Num::Complex(c.real(), c.imag()))));
    }
    numpy_scalar(obj)
}

/// A NumPy scalar (`numpy.float32(1)`) as dtype and value; its `item()` is exact.
fn numpy_scalar(obj: &Bound<'_, PyAny>) -> Option<(DType, Value)> {
    let module = obj.get_type().module().ok()?;
    if module.to_str().ok()? != "numpy" {
        return None;
    }
    let generic = obj.py().import("numpy").ok()?.getattr("generic").ok()?;
    if !obj.is_instance(&generic).ok()? {
        return None;
    }
    let dtype = dtype_from_py(&obj.getattr("dtype").ok()?).ok()?;
    let item = obj.call_method0("item").ok()?;
    Some((dtype, builtin_to_value(&item, dtype).ok()?))
}

/// A Python bool/int/float/complex converted to `dtype`. Python ints are range-checked
/// like NumPy 2 (`OverflowError: Python integer 300 out of bounds for int8`); floats and
/// complex numbers convert with C-cast semantics.
pub fn builtin_to_value(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Value> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(write_num(dtype, Num::Bool(b.is_true())));
    }
    if obj.is_instance_of::<PyInt>() {
        return int_to_value(obj, dtype);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        if dtype.is_integer() {
            // NumPy truncates through a Python int, so the range check applies.
            return int_to_value(&obj.py().get_type::<PyInt>().call1((f,))?, dtype);
        }
        return Ok(write_num(dtype, Num::Float(f.value())));
    }
    if let Ok(c) = obj.cast::<PyComplex>() {
        if dtype.kind() != Kind::Complex && dtype != DType::Bool {
            let target = if dtype.is_integer() { "int() argument must be a string, a bytes-like object or a real number" } else { "float() argument must be a string or a real number" };
            return Err(PyTypeError::new_err(format!("{target}, not 'complex'")));
        }
        return Ok(write_num(dtype, Num::Complex(c.real(), c.imag())));
    }
    Err(PyTypeError::new_err(format!("expected a Python number, got {}", obj.get_type().name()?)))
}

fn int_to_value(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Value> {
    if dtype == DType::Bool {
        return Ok(write_num(dtype, Num::Bool(obj.is_truthy()?)));
    }
    if !dtype.is_integer() {
        // Python's int -> float rounding first, as NumPy converts.
        return Ok(write_num(dtype, Num::Float(obj.extract::<f64>()?)));
    }
    let c_long = || PyOverflowError::new_err("Python int too large to convert to C long");
    let v: i128 = obj.extract().map_err(|_| c_long())?;
    // NumPy reads the int as a C long first, or as an unsigned long for uint32/uint64.
    let limit = if matches!(dtype, DType::UInt32 | DType::UInt64) { u64::MAX as i128 } else { i64::MAX as i128 };
    if v < i64::MIN as i128 || v > limit {
        return Err(c_long());
    }
    let (lo, hi) = oxnp_core::info::iinfo(dtype).py()?;
    if v < lo || v > hi {
        return Err(PyOverflowError::new_err(format!("Python integer {v} out of bounds for {}", dtype.name())));
    }
    Ok(if v < 0 { write_num(dtype, Num::Int(v as i64)) } else { write_num(dtype, Num::UInt(v as u64)) })
}

/// The value bytes of any Python object converted to `dtype` the way `oxnp.<type>(obj)` does.
fn value_from_any(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Value> {
    if let Some((d, v)) = scalar_from_py(obj) {
        return Ok(write_num(dtype, read_num(d, &v)));
    }
    if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyComplex>() {
        return builtin_to_value(obj, dtype);
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let a = a.borrow();
        if a.arr().ndim() == 0 {
            let (d, v) = value_of_0d(a.arr());
            return Ok(write_num(dtype, read_num(d, &v)));
        }
        return Err(PyTypeError::new_err("only 0-dimensional arrays can be converted to a scalar"));
    }
    // Strings parse as Python would (`int("12")`, `float("1.5")`); other objects convert
    // through their __int__/__float__/__complex__.
    let py = obj.py();
    let converted = match dtype.kind() {
        Kind::Bool => return Ok(write_num(dtype, Num::Bool(obj.is_truthy()?))),
        Kind::Int | Kind::UInt => py.get_type::<PyInt>().call1((obj,))?,
        Kind::Float => py.get_type::<PyFloat>().call1((obj,))?,
        Kind::Complex => py.get_type::<PyComplex>().call1((obj,))?,
    };
    builtin_to_value(&converted, dtype)
}

/// The element of a 0-d array as a scalar value (bools normalized to 0/1).
pub fn value_of_0d(arr: &Array) -> (DType, Value) {
    let mut v = read_element(arr, 0);
    if arr.dtype() == DType::Bool {
        v[0] = (v[0] != 0) as u8;
    }
    (arr.dtype(), v)
}

/// A 0-d array holding one scalar value.
pub fn value_to_array(dtype: DType, value: &Value) -> PyResult<Array> {
    let arr = Array::empty(&[], dtype, Order::C).py()?;
    // SAFETY: a fresh 0-d array has exactly itemsize bytes.
    unsafe { std::ptr::copy_nonoverlapping(value.as_ptr(), arr.as_ptr(), dtype.itemsize()) };
    Ok(arr)
}

/// The dtype and value a comparison operand takes against a scalar of `ours` (NEP 50: oxnp
/// and NumPy scalars are strong; Python numbers are converted to the promoted dtype). None
/// for a Python int against an integer scalar, which compares exactly, and for non-numbers.
fn comparison_operand(obj: &Bound<'_, PyAny>, ours: DType) -> PyResult<Option<(DType, Num)>> {
    if let Some((d, v)) = scalar_from_py(obj) {
        return Ok(Some((d, read_num(d, &v))));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Some((DType::Bool, Num::Bool(b.is_true()))));
    }
    let weak = if obj.is_instance_of::<PyInt>() {
        if !ours.is_inexact() {
            return Ok(None);
        }
        Weak::Int
    } else if obj.is_instance_of::<PyFloat>() {
        Weak::Float
    } else if obj.is_instance_of::<PyComplex>() {
        Weak::Complex
    } else {
        return Ok(None);
    };
    let d = promote_weak(ours, weak);
    Ok(Some((d, read_num(d, &builtin_to_value(obj, d)?))))
}

/// `a op b` for two values of the same dtype; complex numbers order lexicographically
/// (as NumPy does) and NaN compares unequal to everything.
fn compare_nums(a: Num, b: Num, op: CompareOp) -> bool {
    let ord = match (a, b) {
        (Num::Bool(x), Num::Bool(y)) => x.partial_cmp(&y),
        (Num::Int(x), Num::Int(y)) => x.partial_cmp(&y),
        (Num::UInt(x), Num::UInt(y)) => x.partial_cmp(&y),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y),
        (Num::Complex(xr, xi), Num::Complex(yr, yi)) => match (xr.partial_cmp(&yr), xi.partial_cmp(&yi)) {
            (Some(r), Some(i)) => Some(r.then(i)),
            _ => None,
        },
        _ => None,
    };
    match ord {
        None => matches!(op, CompareOp::Ne),
        Some(o) => op.matches(o),
    }
}

pub fn bool_scalar(py: Python<'_>, b: bool) -> PyResult<Py<PyAny>> {
    let reg = registry(py)?;
    Ok(if b { reg.true_.clone_ref(py) } else { reg.false_.clone_ref(py) })
}

impl PyScalar {
    fn num(&self) -> Num {
        read_num(self.dtype, &self.value)
    }
    fn builtin(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        num_to_builtin(py, self.num())
    }
}

/// A sequence or an n-d array (n > 0): NumPy's scalar types then build an array.
pub fn is_array_like_value(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<pyo3::types::PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.cast::<crate::ndarray::PyNdArray>().is_ok_and(|a| a.get().arr().ndim() > 0)
}

/// `oxnp.array(obj, dtype=cls)`.
fn array_of_type(cls: &Bound<'_, PyType>, obj: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let py = cls.py();
    static ARRAY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("dtype", cls)?;
    Ok(ARRAY.import(py, "oxnp", "array")?.call((obj,), Some(&kwargs))?.unbind())
}

#[pymethods]
impl PyScalar {
    #[new]
    #[classmethod]
    #[pyo3(signature = (value = None))]
    fn py_new(cls: &Bound<'_, PyType>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let py = cls.py();
        let dtype = dtype_of_scalar_type(cls)?
            .ok_or_else(|| PyTypeError::new_err("cannot create instances of _ScalarBase"))?;
        if let Some(obj) = value.filter(|o| is_array_like_value(o)) {
            return array_of_type(cls, obj);
        }
        oxnp_kernels::fpe::clear();
        let v = match value {
            None => [0u8; 16],
            Some(obj) => value_from_any(obj, dtype)?,
        };
        // A finite value too large for float16/float32/complex64 becomes inf with NumPy's
        // cast warning.
        if dtype.is_inexact() {
            crate::ufunc::check_fpe(py, "cast", oxnp_kernels::fpe::take() & oxnp_kernels::fpe::OVERFLOW)?;
        }
        let reg = registry(py)?;
        if cls.is(&reg.types[dtype.index()]) {
            return make_scalar(py, dtype, v);
        }
        new_base_scalar(py, &cls.clone().unbind(), dtype, v)
    }

    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> Bound<'py, PyDType> {
        dtype_object(py, self.dtype).clone()
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
    fn size(&self) -> usize {
        1
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }
    #[getter]
    fn nbytes(&self) -> usize {
        self.dtype.itemsize()
    }
    #[getter]
    fn real(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let s = slf.get();
        match s.num() {
            Num::Complex(re, _) => {
                let d = s.dtype.real_dtype();
                make_scalar(slf.py(), d, write_num(d, Num::Float(re)))
            }
            _ => Ok(slf.clone().into_any().unbind()),
        }
    }
    #[getter]
    fn imag(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.num() {
            Num::Complex(_, im) => {
                let d = self.dtype.real_dtype();
                make_scalar(py, d, write_num(d, Num::Float(im)))
            }
            _ => make_scalar(py, self.dtype, [0u8; 16]),
        }
    }
    fn conjugate(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let s = slf.get();
        match s.num() {
            Num::Complex(re, im) => make_scalar(slf.py(), s.dtype, write_num(s.dtype, Num::Complex(re, -im))),
            _ => Ok(slf.clone().into_any().unbind()),
        }
    }
    fn item(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.builtin(py)
    }
    fn tolist(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.builtin(py)
    }
    fn astype(&self, py: Python<'_>, dtype: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let d = dtype_from_py(dtype)?;
        make_scalar(py, d, write_num(d, self.num()))
    }

    fn __float__(&self) -> PyResult<f64> {
        match self.num() {
            Num::Bool(b) => Ok(b as u8 as f64),
            Num::Int(i) => Ok(i as f64),
            Num::UInt(u) => Ok(u as f64),
            Num::Float(f) => Ok(f),
            Num::Complex(..) => Err(PyTypeError::new_err(format!("float() argument must be a string or a real number, not '{}'", self.dtype.name()))),
        }
    }
    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.num() {
            Num::Float(f) => py.get_type::<PyInt>().call1((f,)).map(Bound::unbind),
            Num::Complex(..) => Err(PyTypeError::new_err(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", self.dtype.name()))),
            Num::Bool(b) => (b as i64).into_py_any(py),
            n => num_to_builtin(py, n),
        }
    }
    fn __complex__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (re, im) = match self.num() {
            Num::Bool(b) => (b as u8 as f64, 0.0),
            Num::Int(i) => (i as f64, 0.0),
            Num::UInt(u) => (u as f64, 0.0),
            Num::Float(f) => (f, 0.0),
            Num::Complex(re, im) => (re, im),
        };
        PyComplex::from_doubles(py, re, im).into_py_any(py)
    }
    fn __bool__(&self) -> bool {
        Convert::from_num(self.num())
    }
    fn __index__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let s = slf.get();
        if !s.dtype.is_integer() {
            return Err(PyTypeError::new_err(format!(
                "'{}' object cannot be interpreted as an integer",
                slf.get_type().name()?
            )));
        }
        s.builtin(slf.py())
    }
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.builtin(py)?.bind(py).hash()
    }
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let result = match comparison_operand(other, self.dtype)? {
            Some((d, theirs)) => {
                let common = promote_types(self.dtype, d);
                let a = read_num(common, &write_num(common, self.num()));
                let b = read_num(common, &write_num(common, theirs));
                compare_nums(a, b, op)
            }
            None if other.is_instance_of::<PyInt>() => {
                // Integer against Python int: exact, whatever the int's size.
                self.builtin(py)?.bind(py).rich_compare(other, op)?.is_truthy()?
            }
            None => return Ok(py.NotImplemented()),
        };
        bool_scalar(py, result)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        format_scalar(py, self.builtin(py)?, self.dtype, true)
    }
    fn __str__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        format_scalar(py, self.builtin(py)?, self.dtype, false)
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let args = PyTuple::new(py, [slf.get().builtin(py)?])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}

static FORMAT_SCALAR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Scalar text comes from `_oxnp.format_scalar(value, dtype, is_repr)` (the printing module).
fn format_scalar(py: Python<'_>, value: Py<PyAny>, dtype: DType, is_repr: bool) -> PyResult<Py<PyAny>> {
    let f = FORMAT_SCALAR.import(py, "oxnp._oxnp", "format_scalar")?;
    f.call1((value, dtype_object(py, dtype), is_repr)).map(Bound::unbind)
}

/// `_scalar_value(obj)`: `(dtype, value)` of an oxnp or NumPy scalar, or None.
#[pyfunction]
fn _scalar_value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Option<(Py<PyDType>, Py<PyAny>)>> {
    match scalar_from_py(obj) {
        Some((d, v)) => Ok(Some((dtype_object(py, d).clone().unbind(), num_to_builtin(py, read_num(d, &v))?))),
        None => Ok(None),
    }
}

/// `_element_to_scalar(arr, index)`: the scalar at flat C-order position `index` of a
/// contiguous array (benchmark hook for the indexing hot path).
#[pyfunction]
fn _element_to_scalar(py: Python<'_>, arr: PyRef<'_, PyNdArray>, index: usize) -> PyResult<Py<PyAny>> {
    if !arr.arr().is_c_contiguous() || index >= arr.arr().size() {
        return Err(pyo3::exceptions::PyIndexError::new_err("index out of range"));
    }
    element_to_scalar(py, arr.arr(), (index * arr.arr().itemsize()) as isize)
}

/// `_array_from_py(obj)`: test hook showing how function arguments convert to arrays.
#[pyfunction]
fn _array_from_py(obj: &Bound<'_, PyAny>) -> PyResult<PyNdArray> {
    crate::convert::array_from_py(obj).map(PyNdArray::new)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_array_from_py, m)?)?;
    m.add_class::<PyScalar>()?;
    m.add_function(wrap_pyfunction!(_register_scalar_types, m)?)?;
    m.add_function(wrap_pyfunction!(_scalar_value, m)?)?;
    m.add_function(wrap_pyfunction!(_element_to_scalar, m)?)?;
    Ok(())
}
