//! Dtype functions: `promote_types`, `result_type`, `can_cast`, `min_scalar_type`, and the
//! limits behind `finfo`/`iinfo` (their classes are in `python/oxnp/_dtypes.py`).

use oxnp_core::cast::Num;
use oxnp_core::promote::{self, Weak};
use oxnp_core::{Casting, DType, Kind, info};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyDict, PyFloat, PyInt, PyTuple};

use crate::dtype::{PyDType, dtype_from_py, dtype_object};
use crate::errors::IntoPyResult;
use crate::ndarray::PyNdArray;
use crate::scalar::{read_num, scalar_from_py};

/// How an argument takes part in promotion (NEP 50): arrays, dtypes and NumPy/oxnp scalars
/// are strong; Python int/float/complex are weak.
enum Operand {
    Strong(DType),
    Weak(Weak),
}

fn operand(obj: &Bound<'_, PyAny>) -> PyResult<Operand> {
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Operand::Strong(DType::Bool));
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Operand::Strong(a.get().arr().dtype()));
    }
    if let Some(w) = weak_kind(obj, true) {
        return Ok(Operand::Weak(w));
    }
    if let Some((d, _)) = scalar_from_py(obj) {
        return Ok(Operand::Strong(d));
    }
    if let Some(w) = weak_kind(obj, false) {
        return Ok(Operand::Weak(w));
    }
    dtype_from_py(obj).map(Operand::Strong)
}

/// The weak kind of a Python int/float/complex (exact types only when `exact`).
fn weak_kind(obj: &Bound<'_, PyAny>, exact: bool) -> Option<Weak> {
    let is = |int: bool, float: bool, complex: bool| -> Option<Weak> {
        if int { Some(Weak::Int) } else if float { Some(Weak::Float) } else if complex { Some(Weak::Complex) } else { None }
    };
    if exact {
        is(obj.is_exact_instance_of::<PyInt>(), obj.is_exact_instance_of::<PyFloat>(), obj.is_exact_instance_of::<PyComplex>())
    } else if obj.is_instance_of::<PyBool>() {
        None
    } else {
        is(obj.is_instance_of::<PyInt>(), obj.is_instance_of::<PyFloat>(), obj.is_instance_of::<PyComplex>())
    }
}

#[pyfunction]
fn promote_types<'py>(py: Python<'py>, type1: &Bound<'py, PyAny>, type2: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDType>> {
    let (a, b) = (dtype_from_py(type1)?, dtype_from_py(type2)?);
    Ok(dtype_object(py, promote::promote_types(a, b)).clone())
}

#[pyfunction]
#[pyo3(signature = (*arrays_and_dtypes))]
fn result_type<'py>(py: Python<'py>, arrays_and_dtypes: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyDType>> {
    let (mut strong, mut weak) = (Vec::new(), Vec::new());
    for obj in arrays_and_dtypes.iter() {
        match operand(&obj)? {
            Operand::Strong(d) => strong.push(d),
            Operand::Weak(w) => weak.push(w),
        }
    }
    let d = promote::result_type(&strong, &weak)
        .ok_or_else(|| PyValueError::new_err("at least one array or dtype is required"))?;
    Ok(dtype_object(py, d).clone())
}

#[pyfunction]
#[pyo3(signature = (from_, to, casting = "safe"))]
fn can_cast(from_: &Bound<'_, PyAny>, to: &Bound<'_, PyAny>, casting: &str) -> PyResult<bool> {
    let casting = Casting::parse(casting).map_err(|_| {
        PyValueError::new_err(format!(
            "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '{casting}')"
        ))
    })?;
    let from = match operand(from_)? {
        Operand::Strong(d) if !from_.is_instance_of::<PyBool>() => d,
        _ => {
            return Err(PyTypeError::new_err(
                "can_cast() does not support Python ints, floats, and complex because the result used to depend on the value.\n\
                 This change was part of adopting NEP 50, we may explicitly allow them again in the future.",
            ));
        }
    };
    Ok(oxnp_core::cast::can_cast(from, dtype_from_py(to)?, casting))
}

/// The smallest dtype for a value of `dtype` (NumPy's value-based rule for scalars/0-d).
fn min_type_of(n: Num, dtype: DType) -> PyResult<DType> {
    Ok(match (dtype.kind(), n) {
        (Kind::Bool, _) => DType::Bool,
        (Kind::Int, Num::Int(i)) => min_int(i as i128)?,
        (Kind::UInt, Num::UInt(u)) => min_int(u as i128)?,
        (Kind::Float, Num::Float(f)) => info::min_float_type(f),
        (Kind::Complex, Num::Complex(re, im)) => info::min_complex_type(re, im),
        _ => dtype,
    })
}

fn min_int(v: i128) -> PyResult<DType> {
    info::min_int_type(v).ok_or_else(|| {
        PyTypeError::new_err(format!("min_scalar_type: {v} needs the object dtype, which oxnp does not support"))
    })
}

#[pyfunction]
fn min_scalar_type<'py>(py: Python<'py>, a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDType>> {
    let d = if a.is_instance_of::<PyBool>() {
        DType::Bool
    } else if let Ok(arr) = a.cast::<PyNdArray>() {
        let arr = &arr.get().arr();
        if arr.ndim() == 0 {
            let (d, v) = crate::scalar::value_of_0d(arr);
            min_type_of(read_num(d, &v), d)?
        } else {
            arr.dtype()
        }
    } else if let Some((d, v)) = scalar_from_py(a) {
        min_type_of(read_num(d, &v), d)?
    } else if a.is_instance_of::<PyInt>() {
        min_int(a.extract::<i128>().map_err(|_| PyTypeError::new_err("min_scalar_type: integer needs the object dtype, which oxnp does not support"))?)?
    } else if let Ok(f) = a.cast::<PyFloat>() {
        info::min_float_type(f.value())
    } else if let Ok(c) = a.cast::<PyComplex>() {
        info::min_complex_type(c.real(), c.imag())
    } else {
        crate::convert::array_from_py(a)?.dtype()
    };
    Ok(dtype_object(py, d).clone())
}

/// `_finfo_params(dtype)`: the fields of `finfo` as Python ints and floats (the float
/// fields are rounded into the real dtype by the caller).
#[pyfunction]
fn _finfo_params<'py>(py: Python<'py>, dtype: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let f = info::finfo(dtype_from_py(dtype)?).py()?;
    let d = PyDict::new(py);
    d.set_item("dtype", dtype_object(py, f.dtype))?;
    for (k, v) in [("bits", f.bits as i32), ("nmant", f.nmant), ("nexp", f.nexp), ("iexp", f.nexp), ("machep", f.machep), ("negep", f.negep), ("minexp", f.minexp), ("maxexp", f.maxexp), ("precision", f.precision)] {
        d.set_item(k, v)?;
    }
    for (k, v) in [("eps", f.eps), ("epsneg", f.epsneg), ("max", f.max), ("min", -f.max), ("tiny", f.tiny), ("smallest_normal", f.tiny), ("smallest_subnormal", f.smallest_subnormal), ("resolution", f.resolution)] {
        d.set_item(k, v)?;
    }
    Ok(d)
}

/// `_iinfo_params(dtype)`: `(dtype, bits, min, max)`.
#[pyfunction]
fn _iinfo_params<'py>(py: Python<'py>, dtype: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyDType>, usize, i128, i128)> {
    let d = dtype_from_py(dtype)?;
    let (lo, hi) = info::iinfo(d).py()?;
    Ok((dtype_object(py, d).clone(), 8 * d.itemsize(), lo, hi))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(promote_types, m)?)?;
    m.add_function(wrap_pyfunction!(result_type, m)?)?;
    m.add_function(wrap_pyfunction!(can_cast, m)?)?;
    m.add_function(wrap_pyfunction!(min_scalar_type, m)?)?;
    m.add_function(wrap_pyfunction!(_finfo_params, m)?)?;
    m.add_function(wrap_pyfunction!(_iinfo_params, m)?)?;
    Ok(())
}
