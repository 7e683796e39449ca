//! Printing bindings: `ndarray.__repr__`/`__str__`, the array2string/repr/str entry points
//! used by `oxnp._printing`, Dragon4 float formatting and `format_scalar`.
//!
//! The print options live in a Python ContextVar (`oxnp._printing.format_options`) holding a
//! dict like NumPy's; it is read here on every call and parsed into the core options struct.

use num_complex::{Complex32, Complex64};
use oxnp_core::format::array::{array2string_with, format_words, repr_wrap};
use oxnp_core::format::scalar::{complex_text, float_text, py_complex_repr, py_float_repr};
use oxnp_core::format::{
    FloatMode, FloatOpts, PrintFloat, PrintOptions, Trim, format_positional, format_scientific,
};
use oxnp_core::half::f16;
use oxnp_core::{Array, DType};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyDict, PyFloat, PyInt};

use crate::dtype::dtype_from_py;
use crate::ndarray::PyNdArray;
use crate::scalar::{element_to_builtin, element_to_scalar};

static FORMAT_OPTIONS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The current options dict (the ContextVar's value).
fn current_options(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let var = FORMAT_OPTIONS.import(py, "oxnp._printing", "format_options")?;
    Ok(var.call_method0(intern!(py, "get"))?.cast_into::<PyDict>()?)
}

/// The options as parsed from a dict, plus its Python-only entries.
struct Opts<'py> {
    core: PrintOptions,
    formatter: Option<Bound<'py, PyDict>>,
    override_repr: Option<Bound<'py, PyAny>>,
}

fn item<'py>(d: &Bound<'py, PyDict>, key: &Bound<'py, pyo3::types::PyString>) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?
        .ok_or_else(|| PyValueError::new_err(format!("print option {key} is missing")))
}

fn parse_options<'py>(d: &Bound<'py, PyDict>) -> PyResult<Opts<'py>> {
    let py = d.py();
    let floatmode: String = item(d, intern!(py, "floatmode"))?.extract()?;
    let sign: String = item(d, intern!(py, "sign"))?.extract()?;
    let core = PrintOptions {
        precision: item(d, intern!(py, "precision"))?.extract()?,
        threshold: item(d, intern!(py, "threshold"))?.extract()?,
        edgeitems: item(d, intern!(py, "edgeitems"))?.extract()?,
        linewidth: item(d, intern!(py, "linewidth"))?.extract()?,
        suppress: item(d, intern!(py, "suppress"))?.is_truthy()?,
        nanstr: item(d, intern!(py, "nanstr"))?.extract()?,
        infstr: item(d, intern!(py, "infstr"))?.extract()?,
        sign: sign.chars().next().unwrap_or('-'),
        floatmode: FloatMode::parse(&floatmode)
            .ok_or_else(|| PyValueError::new_err("floatmode option must be one of \"fixed\", \"unique\", \"maxprec\", \"maxprec_equal\""))?,
        legacy: item(d, intern!(py, "legacy"))?.extract()?,
    };
    let formatter = d
        .get_item(intern!(py, "formatter"))?
        .filter(|f| !f.is_none())
        .map(|f| f.cast_into::<PyDict>())
        .transpose()?;
    let override_repr = d.get_item(intern!(py, "override_repr"))?.filter(|f| !f.is_none());
    Ok(Opts { core, formatter, override_repr })
}

/// The user's formatter for this dtype: its exact key beats its kind key beats 'all'.
fn custom_formatter<'py>(formatter: &Bound<'py, PyDict>, dtype: DType) -> PyResult<Option<Bound<'py, PyAny>>> {
    let keys: &[&str] = if dtype.is_bool() {
        &["bool"]
    } else if dtype.is_integer() {
        &["int", "int_kind"]
    } else if dtype.is_float() {
        &["float", "float_kind"]
    } else {
        &["complexfloat", "complex_kind"]
    };
    for k in keys.iter().chain(&["all"]) {
        if let Some(f) = formatter.get_item(k)?.filter(|f| !f.is_none()) {
            return Ok(Some(f));
        }
    }
    Ok(None)
}

/// `array2string` after the options are merged: legacy 0-d, suffix, empty, then layout.
fn array2string(py: Python<'_>, arr: &Array, o: &Opts<'_>, separator: &str, prefix: &str, suffix: &str) -> PyResult<String> {
    if o.core.legacy <= 113 && arr.ndim() == 0 {
        return element_to_builtin(py, arr, 0)?.bind(py).repr()?.extract();
    }
    let mut po = o.core.clone();
    if po.legacy > 113 {
        po.linewidth -= suffix.chars().count() as i64;
    }
    if arr.size() == 0 {
        return Ok("[]".into());
    }
    let custom = match &o.formatter {
        Some(f) => custom_formatter(f, arr.dtype())?,
        None => None,
    };
    let mut err = None;
    let out = array2string_with(arr, &po, separator, prefix, &mut |offs| match &custom {
        None => Ok(format_words(arr, offs, &po)),
        Some(f) => {
            let mut words = Vec::with_capacity(offs.len());
            for &off in offs {
                let r = element_to_scalar(py, arr, off)
                    .and_then(|x| f.call1((x,)))
                    .and_then(|s| s.str().and_then(|s| s.extract::<String>()));
                match r {
                    Ok(s) => words.push(s),
                    Err(e) => {
                        err = Some(e);
                        return Err(oxnp_core::Error::Value(String::new()));
                    }
                }
            }
            Ok(words)
        }
    });
    match (out, err) {
        (_, Some(e)) => Err(e),
        (Ok(s), None) => Ok(s),
        (Err(e), None) => Err(crate::errors::to_pyerr(e)),
    }
}

fn repr_impl(obj: &Bound<'_, PyNdArray>, d: &Bound<'_, PyDict>) -> PyResult<String> {
    let py = obj.py();
    let o = parse_options(d)?;
    if let Some(f) = &o.override_repr {
        return f.call1((obj,))?.extract();
    }
    let this = obj.borrow();
    let arr = &this.arr();
    let class_name = if obj.get_type().is(py.get_type::<PyNdArray>()) {
        "array".to_string()
    } else {
        obj.get_type().name()?.extract()?
    };
    let prefix = format!("{class_name}(");
    let body = array2string(py, arr, &o, ", ", &prefix, ")")?;
    Ok(repr_wrap(&body, &prefix, arr.shape(), arr.dtype(), &o.core, o.core.linewidth))
}

fn str_impl(obj: &Bound<'_, PyNdArray>, d: &Bound<'_, PyDict>) -> PyResult<String> {
    let py = obj.py();
    let o = parse_options(d)?;
    let this = obj.borrow();
    let arr = &this.arr();
    if arr.ndim() == 0 {
        if o.core.legacy <= 113 {
            return element_to_builtin(py, arr, 0)?.bind(py).str()?.extract();
        }
        return Ok(scalar_text(arr, 0, o.core.legacy, false));
    }
    array2string(py, arr, &o, " ", "", "")
}

/// The element at `off` as NumPy's scalar `str` (or `repr` with the `np.xxx(...)` wrapper).
fn scalar_text(arr: &Array, off: isize, legacy: i64, is_repr: bool) -> String {
    // SAFETY: `off` comes from the array's own geometry.
    let p = unsafe { arr.as_ptr().offset(off) };
    let read = |size: usize| -> [u8; 16] {
        let mut b = [0u8; 16];
        // SAFETY: the element at `p` has `size` readable bytes.
        unsafe { std::ptr::copy_nonoverlapping(p, b.as_mut_ptr(), size) };
        b
    };
    let b = read(arr.itemsize());
    let text = match arr.dtype() {
        DType::Bool => {
            let t = b[0] != 0;
            if is_repr && legacy > 125 {
                return if t { "np.True_" } else { "np.False_" }.into();
            }
            return if t { "True" } else { "False" }.into();
        }
        DType::Int8 => (b[0] as i8).to_string(),
        DType::UInt8 => b[0].to_string(),
        DType::Int16 => i16::from_ne_bytes([b[0], b[1]]).to_string(),
        DType::UInt16 => u16::from_ne_bytes([b[0], b[1]]).to_string(),
        DType::Int32 => i32::from_ne_bytes(b[..4].try_into().unwrap_or_default()).to_string(),
        DType::UInt32 => u32::from_ne_bytes(b[..4].try_into().unwrap_or_default()).to_string(),
        DType::Int64 => i64::from_ne_bytes(b[..8].try_into().unwrap_or_default()).to_string(),
        DType::UInt64 => u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()).to_string(),
        DType::Float16 => float_text(f16::from_bits(u16::from_ne_bytes([b[0], b[1]])), legacy, Trim::LeaveOneZero, false),
        DType::Float32 => float_text(f32::from_ne_bytes(b[..4].try_into().unwrap_or_default()), legacy, Trim::LeaveOneZero, false),
        DType::Float64 => float_text(f64::from_ne_bytes(b[..8].try_into().unwrap_or_default()), legacy, Trim::LeaveOneZero, false),
        DType::Complex64 => {
            let re = f32::from_ne_bytes(b[..4].try_into().unwrap_or_default());
            let im = f32::from_ne_bytes(b[4..8].try_into().unwrap_or_default());
            complex_text(re, im, legacy)
        }
        DType::Complex128 => {
            let re = f64::from_ne_bytes(b[..8].try_into().unwrap_or_default());
            let im = f64::from_ne_bytes(b[8..16].try_into().unwrap_or_default());
            complex_text(re, im, legacy)
        }
    };
    if is_repr && legacy > 125 {
        // The wrapper's parentheses replace the complex str's own: np.complex128(1+2j).
        let inner = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(&text);
        format!("np.{}({})", arr.dtype().name(), inner)
    } else {
        text
    }
}

#[pymethods]
impl PyNdArray {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr_impl(slf, &current_options(slf.py())?)
    }

    fn __str__(slf: &Bound<'_, Self>) -> PyResult<String> {
        str_impl(slf, &current_options(slf.py())?)
    }
}

/// `array2string` with an already merged options dict.
#[pyfunction]
#[pyo3(name = "_array2string")]
fn py_array2string(a: &Bound<'_, PyNdArray>, options: &Bound<'_, PyDict>, separator: &str, prefix: &str, suffix: &str) -> PyResult<String> {
    let o = parse_options(options)?;
    array2string(a.py(), a.get().arr(), &o, separator, prefix, suffix)
}

#[pyfunction]
#[pyo3(name = "_array_repr")]
fn py_array_repr(a: &Bound<'_, PyNdArray>, options: &Bound<'_, PyDict>) -> PyResult<String> {
    repr_impl(a, options)
}

#[pyfunction]
#[pyo3(name = "_array_str")]
fn py_array_str(a: &Bound<'_, PyNdArray>, options: &Bound<'_, PyDict>) -> PyResult<String> {
    str_impl(a, options)
}

fn float_opts(precision: i32, unique: bool, fractional: bool, trim: &str, sign: bool, pad_left: i32, pad_right: i32, exp_digits: i32, min_digits: i32) -> PyResult<FloatOpts> {
    let trim = Trim::parse(trim).ok_or_else(|| PyValueError::new_err("if supplied, trim must be 'k', '.', '0' or '-'"))?;
    if !unique && precision < 0 {
        return Err(PyValueError::new_err("precision must be >= 0 if unique=False"));
    }
    Ok(FloatOpts { precision, unique, fractional, trim, sign, pad_left, pad_right, exp_digits, min_digits })
}

/// Formats `x` (an exact f64 image of a value of type `dtype`) in that type.
fn with_float_type(x: f64, dtype: &str, positional: bool, o: &FloatOpts) -> PyResult<String> {
    fn go<F: PrintFloat>(x: F, positional: bool, o: &FloatOpts) -> String {
        if positional { format_positional(x, o) } else { format_scientific(x, o) }
    }
    Ok(match dtype {
        "float16" => go(f16::from_f64(x), positional, o),
        "float32" => go(x as f32, positional, o),
        "float64" => go(x, positional, o),
        _ => return Err(PyTypeError::new_err(format!("unsupported float type {dtype}"))),
    })
}

#[pyfunction]
#[pyo3(name = "_dragon4_positional")]
#[allow(clippy::too_many_arguments)]
fn dragon4_positional(x: f64, dtype: &str, precision: i32, unique: bool, fractional: bool, trim: &str, sign: bool, pad_left: i32, pad_right: i32, min_digits: i32) -> PyResult<String> {
    let o = float_opts(precision, unique, fractional, trim, sign, pad_left, pad_right, -1, min_digits)?;
    with_float_type(x, dtype, true, &o)
}

#[pyfunction]
#[pyo3(name = "_dragon4_scientific")]
#[allow(clippy::too_many_arguments)]
fn dragon4_scientific(x: f64, dtype: &str, precision: i32, unique: bool, trim: &str, sign: bool, pad_left: i32, exp_digits: i32, min_digits: i32) -> PyResult<String> {
    let o = float_opts(precision, unique, true, trim, sign, pad_left, -1, exp_digits, min_digits)?;
    with_float_type(x, dtype, false, &o)
}

/// NumPy 2 `repr`/`str` of a scalar of `dtype` whose value is the Python bool/int/float/
/// complex `value` (for the scalar classes' `__repr__`/`__str__`).
#[pyfunction]
fn format_scalar(value: &Bound<'_, PyAny>, dtype: &Bound<'_, PyAny>, is_repr: bool) -> PyResult<String> {
    let py = value.py();
    let dt = dtype_from_py(dtype)?;
    let legacy: i64 = item(&current_options(py)?, intern!(py, "legacy"))?.extract()?;
    if legacy <= 113 && !is_repr {
        // 1.13 mode printed scalars as Python does.
        return legacy_builtin_text(value, dt);
    }
    let arr = match dt {
        DType::Bool => Array::scalar(value.is_truthy()?),
        DType::Int8 => Array::scalar(value.extract::<i8>()?),
        DType::UInt8 => Array::scalar(value.extract::<u8>()?),
        DType::Int16 => Array::scalar(value.extract::<i16>()?),
        DType::UInt16 => Array::scalar(value.extract::<u16>()?),
        DType::Int32 => Array::scalar(value.extract::<i32>()?),
        DType::UInt32 => Array::scalar(value.extract::<u32>()?),
        DType::Int64 => Array::scalar(value.extract::<i64>()?),
        DType::UInt64 => Array::scalar(value.extract::<u64>()?),
        DType::Float16 => Array::scalar(f16::from_f64(value.extract::<f64>()?)),
        DType::Float32 => Array::scalar(value.extract::<f64>()? as f32),
        DType::Float64 => Array::scalar(value.extract::<f64>()?),
        DType::Complex64 => {
            let c = to_complex(value)?;
            Array::scalar(Complex32::new(c.re as f32, c.im as f32))
        }
        DType::Complex128 => Array::scalar(to_complex(value)?),
    };
    Ok(scalar_text(&arr, 0, legacy, is_repr))
}

fn legacy_builtin_text(value: &Bound<'_, PyAny>, dt: DType) -> PyResult<String> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyInt>() || dt.is_bool() || dt.is_integer() {
        return value.str()?.extract();
    }
    if value.is_instance_of::<PyFloat>() && !dt.is_complex() {
        return Ok(py_float_repr(value.extract()?));
    }
    let c = to_complex(value)?;
    Ok(py_complex_repr(c.re, c.im))
}

/// `complex(value)`.
fn to_complex(value: &Bound<'_, PyAny>) -> PyResult<Complex64> {
    let c = value.py().get_type::<PyComplex>().call1((value,))?.cast_into::<PyComplex>()?;
    Ok(Complex64::new(c.real(), c.imag()))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(py_array2string, m)?)?;
    m.add_function(wrap_pyfunction!(py_array_repr, m)?)?;
    m.add_function(wrap_pyfunction!(py_array_str, m)?)?;
    m.add_function(wrap_pyfunction!(dragon4_positional, m)?)?;
    m.add_function(wrap_pyfunction!(dragon4_scientific, m)?)?;
    m.add_function(wrap_pyfunction!(format_scalar, m)?)?;
    Ok(())
}
