//! Python value -> core Array, for arguments of every function and operator, and the
//! nested-sequence coercion behind `oxnp.array` (NumPy's shape and dtype discovery).

use half::f16;
use num_complex::{Complex32, Complex64};
use oxnp_core::array::{Shape, c_strides, shape_repr};
use oxnp_core::cast::{Convert, Num};
use oxnp_core::promote::promote_types;
use oxnp_core::{Array, DType, Element, Order, dispatch};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyFloat, PyInt, PyList, PySequence, PyString, PyTuple};

use crate::dtype::dtype_from_py;
use crate::errors::IntoPyResult;
use crate::interop::try_from_foreign;
use crate::ndarray::PyNdArray;
use crate::scalar::{scalar_from_py, value_to_array};

/// Any array-like as an Array: oxnp arrays are shared (a view, no copy); foreign arrays are
/// wrapped zero-copy where possible; Python scalars and nested sequences are converted; oxnp
/// and NumPy scalars become 0-d arrays of their own dtype.
pub fn array_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Array> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.get().arr().clone());
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Array::scalar(b.is_true()));
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        return Ok(Array::scalar(f.value()));
    }
    // `oxnp.float64` is a float subclass, but it has its own (strong) dtype.
    if let Some((dtype, value)) = scalar_from_py(obj) {
        return value_to_array(dtype, &value);
    }
    coerce(obj, None).map(Coerced::into_array)
}

/// The dtype Python scalars get by default (NumPy's discovery for a lone scalar).
pub fn default_scalar_dtype(obj: &Bound<'_, PyAny>) -> Option<DType> {
    if obj.is_instance_of::<PyBool>() {
        Some(DType::Bool)
    } else if obj.is_instance_of::<PyInt>() {
        Some(DType::Int64)
    } else if obj.is_instance_of::<PyFloat>() {
        Some(DType::Float64)
    } else if obj.is_instance_of::<PyComplex>() {
        Some(DType::Complex128)
    } else {
        None
    }
}

/// A Python int as the narrowest of i64 / u64 that holds it.
pub enum PyIntValue {
    I(i64),
    U(u64),
    Big,
}

pub fn py_int_value(obj: &Bound<'_, PyAny>) -> PyIntValue {
    let mut overflow = 0;
    // SAFETY: obj is a Python int (callers check); this call sets no exception on overflow.
    let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
    if overflow == 0 {
        return PyIntValue::I(v);
    }
    if overflow > 0 {
        // SAFETY: as above; an overflow sets an exception that we clear.
        let u = unsafe { ffi::PyLong_AsUnsignedLongLong(obj.as_ptr()) };
        if u != u64::MAX || unsafe { ffi::PyErr_Occurred() }.is_null() {
            return PyIntValue::U(u);
        }
        unsafe { ffi::PyErr_Clear() };
    }
    PyIntValue::Big
}

fn no_object_dtype(obj: &Bound<'_, PyAny>) -> PyErr {
    let tname = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return PyTypeError::new_err(format!(
            "oxnp has no string dtype: cannot create an array from {} {}",
            tname,
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ));
    }
    PyTypeError::new_err(format!(
        "oxnp has no object dtype: cannot create an array from an object of type '{tname}'"
    ))
}

fn int_too_big(obj: &Bound<'_, PyAny>) -> PyErr {
    PyOverflowError::new_err(format!(
        "Python integer {} is too large for any oxnp dtype (it would need NumPy's object dtype, which oxnp does not have)",
        obj.str().map(|s| s.to_string()).unwrap_or_default()
    ))
}

/// A node of the input that is not a list, a tuple or a builtin scalar.
enum Node<'py> {
    Typed(DType, Num),
    Arr(Array),
    Seq(Vec<Bound<'py, PyAny>>),
}

/// Results of costly classification (foreign arrays, typed scalars, generic sequences),
/// recorded in visiting order by the discovery pass and replayed by the fill pass.
struct Discovery<'py> {
    max_dims: usize,
    shape: Shape,
    reached: bool,
    ragged: bool,
    dtype: Option<DType>,
    want_dtype: bool,
    cache: Vec<Node<'py>>,
}

impl<'py> Discovery<'py> {
    /// NumPy's `update_shape`: false when the input turns out ragged.
    fn update_shape(&mut self, curr: usize, new_shape: &[usize], sequence: bool) -> bool {
        let mut ok = true;
        let mut new_ndim = new_shape.len();
        if curr + new_ndim > self.max_dims {
            ok = false;
            new_ndim = self.max_dims - curr;
        } else if !sequence && self.max_dims != curr + new_ndim {
            self.max_dims = curr + new_ndim;
            if self.reached {
                ok = false;
            }
        }
        for (i, &d) in new_shape.iter().enumerate().take(new_ndim) {
            if !self.reached {
                if self.shape.len() <= curr + i {
                    self.shape.resize(curr + i + 1, 0);
                }
                self.shape[curr + i] = d;
            } else if self.shape.get(curr + i) != Some(&d) {
                ok = false;
                if sequence {
                    self.max_dims = curr;
                } else {
                    self.max_dims -= new_ndim - i;
                }
                break;
            }
        }
        if !sequence {
            self.reached = true;
        }
        ok
    }

    fn add_dtype(&mut self, d: DType) {
        if self.want_dtype {
            self.dtype = Some(match self.dtype {
                None => d,
                Some(cur) => promote_types(cur, d),
            });
        }
    }

    fn scalar(&mut self, curr: usize) {
        if !self.update_shape(curr, &[], false) {
            self.ragged = true;
        }
    }

    fn visit(&mut self, obj: &Bound<'py, PyAny>, curr: usize) -> PyResult<()> {
        if let Ok(list) = obj.cast_exact::<PyList>() {
            let items: Vec<_> = list.iter().collect();
            return self.visit_seq(&items, curr);
        }
        if let Ok(t) = obj.cast_exact::<PyTuple>() {
            return self.visit_seq(t.as_slice(), curr);
        }
        if !self.want_dtype && py_scalar_dtype_fast(obj) {
            self.scalar(curr);
            return Ok(());
        }
        if let Some(d) = py_scalar_dtype(obj)? {
            self.add_dtype(d);
            self.scalar(curr);
            return Ok(());
        }
        let node = classify(obj)?;
        match &node {
            Node::Typed(d, _) => {
                self.add_dtype(*d);
                self.scalar(curr);
            }
            Node::Arr(a) => {
                self.add_dtype(a.dtype());
                if !self.update_shape(curr, a.shape(), false) {
                    self.ragged = true;
                }
            }
            Node::Seq(items) => {
                let items = items.clone();
                self.cache.push(node);
                return self.visit_seq(&items, curr);
            }
        }
        self.cache.push(node);
        Ok(())
    }

    fn visit_seq(&mut self, items: &[Bound<'py, PyAny>], curr: usize) -> PyResult<()> {
        if curr == self.max_dims {
            self.ragged = true;
            self.scalar(curr);
            return Ok(());
        }
        if !self.update_shape(curr, &[items.len()], true) {
            self.ragged = true;
            return Ok(());
        }
        if items.is_empty() {
            self.reached = true;
            if self.max_dims > curr + 1 {
                self.max_dims = curr + 1;
            }
            return Ok(());
        }
        for item in items {
            self.visit(item, curr + 1)?;
        }
        Ok(())
    }
}

/// The default dtype of a builtin Python scalar, None for other objects.
fn py_scalar_dtype(obj: &Bound<'_, PyAny>) -> PyResult<Option<DType>> {
    if obj.is_instance_of::<PyFloat>() {
        return Ok(Some(DType::Float64));
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Some(DType::Bool));
    }
    if obj.is_instance_of::<PyInt>() {
        return match py_int_value(obj) {
            PyIntValue::I(_) => Ok(Some(DType::Int64)),
            PyIntValue::U(_) => Ok(Some(DType::UInt64)),
            PyIntValue::Big => Err(int_too_big(obj)),
        };
    }
    if obj.is_instance_of::<PyComplex>() {
        return Ok(Some(DType::Complex128));
    }
    Ok(None)
}

/// The value of a typed scalar (oxnp or NumPy scalar) from its `.item()`.
fn typed_value(dtype: DType, item: &Bound<'_, PyAny>) -> PyResult<Num> {
    Ok(match dtype {
        DType::Bool => Num::Bool(item.is_truthy()?),
        d if d.is_signed_integer() => Num::Int(item.extract()?),
        d if d.is_unsigned_integer() => Num::UInt(item.extract()?),
        d if d.is_float() => Num::Float(item.extract()?),
        _ => {
            let c = item.cast::<PyComplex>()?;
            Num::Complex(c.real(), c.imag())
        }
    })
}

/// Classifies an object that is neither a list, a tuple nor a builtin scalar.
fn classify<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Node<'py>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Node::Arr(a.get().arr().clone()));
    }
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(no_object_dtype(obj));
    }
    let py = obj.py();
    // Typed scalars (oxnp's and NumPy's): a dtype, no shape of their own, and `.item()`.
    if is_typed_scalar(obj) {
        let dtype = dtype_from_py(&obj.getattr(pyo3::intern!(py, "dtype"))?)?;
        let value = typed_value(dtype, &obj.call_method0(pyo3::intern!(py, "item"))?)?;
        return Ok(Node::Typed(dtype, value));
    }
    if let Some((arr, _)) = try_from_foreign(obj)? {
        return Ok(Node::Arr(arr));
    }
    if let Ok(seq) = obj.cast::<PySequence>() {
        if let Ok(n) = seq.len() {
            let mut items = Vec::with_capacity(n);
            for i in 0..n {
                items.push(seq.get_item(i)?);
            }
            return Ok(Node::Seq(items));
        }
    }
    Err(no_object_dtype(obj))
}

/// Conversion of one builtin Python scalar to an element, as NumPy's `setitem`.
pub trait FromPyScalar: Convert {
    fn from_py_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Self>;
}

/// `int(f)` for a float, as NumPy's integer setitem does before its range check.
fn float_to_int(f: f64) -> PyResult<PyIntValue> {
    if f.is_nan() {
        return Err(PyValueError::new_err("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(PyOverflowError::new_err("cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    Ok(if (-9223372036854775808.0..9223372036854775808.0).contains(&t) {
        PyIntValue::I(t as i64)
    } else if (0.0..18446744073709551616.0).contains(&t) {
        PyIntValue::U(t as u64)
    } else {
        PyIntValue::Big
    })
}

fn int_value_text(v: &PyIntValue) -> String {
    match v {
        PyIntValue::I(i) => i.to_string(),
        PyIntValue::U(u) => u.to_string(),
        PyIntValue::Big => String::new(),
    }
}

/// NumPy's `safe_pyint_setitem`: C `long` conversion first (`unsigned long` for 32/64-bit
/// unsigned targets), then a range check against the target. An int past both ranges gets
/// the `long` message whatever the target (NumPy 2.4 on Linux, measured).
fn checked_int<T: TryFrom<i64> + TryFrom<u64> + Element>(v: PyIntValue, wide_unsigned: bool) -> PyResult<T> {
    let too_large = || PyOverflowError::new_err("Python int too large to convert to C long");
    let ok = match v {
        PyIntValue::I(i) => T::try_from(i).ok(),
        PyIntValue::U(u) if wide_unsigned => T::try_from(u).ok(),
        PyIntValue::U(_) | PyIntValue::Big => return Err(too_large()),
    };
    ok.ok_or_else(|| {
        PyOverflowError::new_err(format!("Python integer {} out of bounds for {}", int_value_text(&v), T::DTYPE.name()))
    })
}

fn complex_to_real_error(target: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "{target}() argument must be a string or a real number, not 'complex'"
    ))
}

macro_rules! from_py_int {
    ($($t:ty, $wide_unsigned:expr);*) => {$(
        impl FromPyScalar for $t {
            #[inline]
            fn from_py_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                if let Ok(f) = obj.cast::<PyFloat>() {
                    return checked_int::<$t>(float_to_int(f.value())?, $wide_unsigned);
                }
                if obj.is_instance_of::<PyInt>() {
                    return checked_int::<$t>(py_int_value(obj), $wide_unsigned);
                }
                if obj.is_instance_of::<PyComplex>() {
                    return Err(PyTypeError::new_err(
                        "int() argument must be a string, a bytes-like object or a real number, not 'complex'",
                    ));
                }
                Err(no_object_dtype(obj))
            }
        }
    )*};
}

from_py_int!(i8, false; i16, false; i32, false; i64, false; u8, false; u16, false; u32, true; u64, true);

/// A Python int or float as a double (`float(x)`).
fn py_real(obj: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Some(f.value()));
    }
    if obj.is_instance_of::<PyInt>() {
        return match py_int_value(obj) {
            PyIntValue::I(v) => Ok(Some(v as f64)),
            PyIntValue::U(v) => Ok(Some(v as f64)),
            PyIntValue::Big => obj.extract::<f64>().map(Some),
        };
    }
    Ok(None)
}

macro_rules! from_py_float {
    ($($t:ty, $name:expr);*) => {$(
        impl FromPyScalar for $t {
            #[inline]
            fn from_py_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                if let Some(v) = py_real(obj)? {
                    return Ok(<$t>::from_num(Num::Float(v)));
                }
                if obj.is_instance_of::<PyComplex>() {
                    return Err(complex_to_real_error("float"));
                }
                let _ = $name;
                Err(no_object_dtype(obj))
            }
        }
    )*};
}

from_py_float!(f16, "float16"; f32, "float32"; f64, "float64");

macro_rules! from_py_complex {
    ($($t:ty),*) => {$(
        impl FromPyScalar for $t {
            #[inline]
            fn from_py_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                if let Some(v) = py_real(obj)? {
                    return Ok(<$t>::from_num(Num::Float(v)));
                }
                if let Ok(c) = obj.cast::<PyComplex>() {
                    return Ok(<$t>::from_num(Num::Complex(c.real(), c.imag())));
                }
                Err(no_object_dtype(obj))
            }
        }
    )*};
}

from_py_complex!(Complex32, Complex64);

impl FromPyScalar for bool {
    #[inline]
    fn from_py_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyComplex>() {
            return obj.is_truthy();
        }
        Err(no_object_dtype(obj))
    }
}

/// The fill pass: writes every leaf, in C order, into a fresh contiguous array.
struct Filler<'a, 'py> {
    out: &'a Array,
    pos: usize,
    ndim: usize,
    cache: std::vec::IntoIter<Node<'py>>,
}

impl<'py> Filler<'_, 'py> {
    fn changed() -> PyErr {
        PyValueError::new_err("the input sequence changed size while an array was built from it")
    }

    fn fill<T: FromPyScalar>(&mut self, obj: &Bound<'py, PyAny>, curr: usize) -> PyResult<()> {
        if curr < self.ndim {
            if let Ok(list) = obj.cast_exact::<PyList>() {
                return self.fill_seq::<T>(list.iter(), list.len(), curr);
            }
            if let Ok(t) = obj.cast_exact::<PyTuple>() {
                return self.fill_seq::<T>(t.iter(), t.len(), curr);
            }
        }
        if py_scalar_dtype_fast(obj) {
            let v = T::from_py_scalar(obj)?;
            return self.put(v);
        }
        match self.cache.next() {
            Some(Node::Typed(_, n)) => self.put(T::from_num(n)),
            Some(Node::Arr(a)) => {
                let n = a.size();
                if self.pos + n > self.out.size() {
                    return Err(Self::changed());
                }
                let itemsize = self.out.itemsize();
                let strides = c_strides(a.shape(), itemsize);
                // SAFETY: the target block [pos, pos + n) lies within the output (checked).
                let dst = unsafe {
                    self.out.view_unchecked(self.pos * itemsize, a.shape().into(), strides, self.out.dtype())
                };
                oxnp_core::cast::copy_into(&dst, &a).py()?;
                self.pos += n;
                Ok(())
            }
            Some(Node::Seq(items)) => {
                let len = items.len();
                self.fill_seq::<T>(items.into_iter(), len, curr)
            }
            _ => Err(Self::changed()),
        }
    }

    fn fill_seq<T: FromPyScalar>(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        len: usize,
        curr: usize,
    ) -> PyResult<()> {
        if self.out.shape().get(curr) != Some(&len) {
            return Err(Self::changed());
        }
        for item in items {
            self.fill::<T>(&item, curr + 1)?;
        }
        Ok(())
    }

    #[inline]
    fn put<T: Element>(&mut self, v: T) -> PyResult<()> {
        if self.pos >= self.out.size() {
            return Err(Self::changed());
        }
        // SAFETY: pos < size of a fresh C-contiguous array of T.
        unsafe { self.out.as_ptr().cast::<T>().add(self.pos).write(v) };
        self.pos += 1;
        Ok(())
    }
}

#[inline]
fn py_scalar_dtype_fast(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyComplex>()
}

fn ragged_error(d: &Discovery<'_>) -> PyErr {
    PyValueError::new_err(format!(
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after {} dimensions. The detected shape was {} + inhomogeneous part.",
        d.max_dims,
        shape_repr(&d.shape[..d.max_dims.min(d.shape.len())])
    ))
}

/// The result of coercion: a new array, or one sharing the memory of a Python object (an
/// oxnp array, or a foreign exporter that becomes the `base`).
pub enum Coerced {
    Own(Array),
    Shared(Array, Py<PyAny>),
}

impl Coerced {
    pub fn into_array(self) -> Array {
        match self {
            Coerced::Own(a) | Coerced::Shared(a, _) => a,
        }
    }
    pub fn array(&self) -> &Array {
        match self {
            Coerced::Own(a) | Coerced::Shared(a, _) => a,
        }
    }
}

/// Converts any array-like to an array (NumPy's `array(obj, dtype)` coercion), sharing memory
/// with oxnp and foreign arrays when no cast is needed.
pub fn coerce(obj: &Bound<'_, PyAny>, dtype: Option<DType>) -> PyResult<Coerced> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let arr = a.get().arr().clone();
        return cast_shared(arr, obj.clone().unbind(), dtype);
    }
    if !obj.is_instance_of::<PyList>()
        && !obj.is_instance_of::<PyTuple>()
        && !obj.is_instance_of::<PyString>()
        && !obj.is_instance_of::<PyBytes>()
        && py_scalar_dtype(obj)?.is_none()
        && !is_typed_scalar(obj)
    {
        if let Some((arr, base)) = try_from_foreign(obj)? {
            return cast_shared(arr, base, dtype);
        }
    }
    let mut d = Discovery {
        max_dims: oxnp_core::array::MAX_DIMS,
        shape: Shape::new(),
        reached: false,
        ragged: false,
        dtype: None,
        want_dtype: dtype.is_none(),
        cache: Vec::new(),
    };
    d.visit(obj, 0)?;
    if d.ragged {
        return Err(ragged_error(&d));
    }
    let ndim = d.max_dims.min(d.shape.len());
    let shape: Shape = d.shape[..ndim].into();
    let dtype = dtype.or(d.dtype).unwrap_or(DType::Float64);
    let out = Array::empty(&shape, dtype, Order::C).py()?;
    let mut f = Filler { out: &out, pos: 0, ndim, cache: d.cache.into_iter() };
    dispatch!(dtype, T => f.fill::<T>(obj, 0))?;
    if f.pos != out.size() {
        return Err(Filler::changed());
    }
    Ok(Coerced::Own(out))
}

fn cast_shared(arr: Array, base: Py<PyAny>, dtype: Option<DType>) -> PyResult<Coerced> {
    match dtype {
        Some(d) if d != arr.dtype() => {
            Ok(Coerced::Own(oxnp_core::cast::astype(&arr, d, oxnp_core::Casting::Unsafe).py()?))
        }
        _ => Ok(Coerced::Shared(arr, base)),
    }
}

/// oxnp and NumPy scalars: a dtype and `.item()`, no sequence protocol, shape `()`.
fn is_typed_scalar(obj: &Bound<'_, PyAny>) -> bool {
    let py = obj.py();
    !obj.is_instance_of::<PySequence>()
        && obj.hasattr(pyo3::intern!(py, "dtype")).unwrap_or(false)
        && obj.hasattr(pyo3::intern!(py, "item")).unwrap_or(false)
        && obj.getattr(pyo3::intern!(py, "shape")).is_ok_and(|s| s.len().is_ok_and(|n| n == 0))
}
