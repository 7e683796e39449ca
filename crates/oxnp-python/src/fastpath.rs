//! One-pass kernels behind composites of `python/oxnp/_manip.py` for their common cases:
//! each returns None when the call does not qualify, and the composite then runs as before.

use oxnp_core::broadcast::{broadcast_shapes, broadcast_view};
use oxnp_core::{Array, DType, Order};
use oxnp_kernels::{clip, select};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};

/// A clip bound as a 0-d array of `dt`, when that conversion is what NumPy's promotion does
/// for it and is exact: a Python float for a float array, a Python int in range for an
/// integer array (or a small one for a float array), or an array already of `dt`.
fn bound(obj: &Bound<'_, PyAny>, dt: DType) -> Option<Array> {
    if let Ok(a) = obj.cast_exact::<PyNdArray>() {
        let a = a.borrow();
        return (a.arr().dtype() == dt).then(|| a.arr().clone());
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        let v = f.value();
        return match dt {
            DType::Float64 => Some(Array::scalar(v)),
            // Out-of-range Python floats go to the composite (NumPy's overflow handling).
            DType::Float32 if (v as f32).is_finite() || !v.is_finite() => Some(Array::scalar(v as f32)),
            _ => None,
        };
    }
    if let Ok(i) = obj.cast_exact::<PyInt>() {
        let v: i64 = i.extract().ok()?;
        macro_rules! int_as {
            ($t:ty) => {
                <$t>::try_from(v).ok().map(Array::scalar)
            };
        }
        return match dt {
            DType::Float64 if v.unsigned_abs() <= 1 << 53 => Some(Array::scalar(v as f64)),
            DType::Float32 if v.unsigned_abs() <= 1 << 24 => Some(Array::scalar(v as f32)),
            DType::Int8 => int_as!(i8),
            DType::UInt8 => int_as!(u8),
            DType::Int16 => int_as!(i16),
            DType::UInt16 => int_as!(u16),
            DType::Int32 => int_as!(i32),
            DType::UInt32 => int_as!(u32),
            DType::Int64 => int_as!(i64),
            DType::UInt64 => int_as!(u64),
            _ => None,
        };
    }
    None
}

/// The integer range of an integer dtype.
fn int_range(dt: DType) -> Option<(i128, i128)> {
    dt.is_integer().then(|| crate::ufunc::int_bounds(dt))
}

/// A clip bound as `bound` does, except that a Python int beyond an integer dtype's range on
/// the side it does not restrict (a lower bound below the minimum, an upper bound above the
/// maximum) is NumPy's no-op bound, and one beyond it on the other side is NumPy's
/// OverflowError. Python ints outside int64 are left to the composite.
fn clip_bound(obj: &Bound<'_, PyAny>, dt: DType, is_lo: bool) -> PyResult<Option<Array>> {
    if let (Ok(i), Some((min, max))) = (obj.cast_exact::<PyInt>(), int_range(dt)) {
        let Ok(v) = i.extract::<i64>() else { return Ok(None) };
        let v = v as i128;
        if (is_lo && v > max) || (!is_lo && v < min) {
            return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
                "Python integer {v} out of bounds for {}",
                dt.name()
            )));
        }
        let v = v.clamp(min, max) as i64;
        return Ok(bound(&v.into_pyobject(obj.py())?.into_any(), dt));
    }
    Ok(bound(obj, dt))
}

/// `clip(a, lo, hi)` in one pass when `a` is an array of a dtype the clip kernel handles and
/// both bounds convert to that dtype exactly (see `bound`); None otherwise.
#[pyfunction]
fn _clip_fast<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    lo: &Bound<'py, PyAny>,
    hi: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let Ok(a) = a.cast::<PyNdArray>() else { return Ok(None) };
    let x = a.get().arr().clone();
    let dt = x.dtype();
    if !clip::supports(dt) {
        return Ok(None);
    }
    let (Some(lo), Some(hi)) = (clip_bound(lo, dt, true)?, clip_bound(hi, dt, false)?) else { return Ok(None) };
    let out = if x.size() >= oxnp_kernels::exec::PARALLEL_MIN {
        py.detach(|| clip::clip(&x, &lo, &hi))
    } else {
        clip::clip(&x, &lo, &hi)
    }
    .py()?;
    Ok(Some(wrap(py, out)?))
}

/// `where(cond, x, y)` in one call when `cond` is a bool array and `x`, `y` are arrays of one
/// dtype, or one such array and a Python scalar that NumPy's promotion converts to the
/// array's dtype (see `bound`); None otherwise.
#[pyfunction]
fn _where_fast<'py>(
    py: Python<'py>,
    cond: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let Ok(c) = cond.cast_exact::<PyNdArray>() else { return Ok(None) };
    let c = c.get().arr().clone();
    if c.dtype() != DType::Bool {
        return Ok(None);
    }
    let array_of = |o: &Bound<'py, PyAny>| o.cast_exact::<PyNdArray>().ok().map(|a| a.get().arr().clone());
    let (x, y) = match (array_of(x), array_of(y)) {
        (Some(a), Some(b)) if a.dtype() == b.dtype() => (a, b),
        (Some(a), None) => match bound(y, a.dtype()) {
            Some(b) => (a, b),
            None => return Ok(None),
        },
        (None, Some(b)) => match bound(x, b.dtype()) {
            Some(a) => (a, b),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let shape = broadcast_shapes(&[c.shape(), x.shape(), y.shape()]).py()?;
    let out = Array::empty(&shape, x.dtype(), Order::C).py()?;
    let (cb, xb, yb) = (broadcast_view(&c, &shape).py()?, broadcast_view(&x, &shape).py()?, broadcast_view(&y, &shape).py()?);
    if out.size() > 1 << 16 {
        py.detach(|| select::where_into(&out, &cb, &xb, &yb)).py()?;
    } else {
        select::where_into(&out, &cb, &xb, &yb).py()?;
    }
    Ok(Some(wrap(py, out)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_clip_fast, m)?)?;
    m.add_function(wrap_pyfunction!(_where_fast, m)?)?;
    Ok(())
}
