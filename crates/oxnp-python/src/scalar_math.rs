//! The commonest scalar operations, computed here rather than through the ufunc machinery:
//! float64 and int64 scalars with each other or with Python floats and ints (NumPy has its
//! own scalar math for the same reason). Results, result types and warnings are those of the
//! general path; anything unusual (NaN operands, huge ints, a non-default underflow mode, other
//! dtypes or operations) is left to it.

use oxnp_core::DType;
use oxnp_core::cast::Num;
use oxnp_kernels::fpe;
use pyo3::ffi;
use pyo3::prelude::*;

use crate::scalar::{PyScalar, bool_scalar, make_scalar, read_num, scalar_type, write_num};
use crate::ufunc::check_fpe;

#[derive(Clone, Copy)]
enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
}

impl Op {
    fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "add" => Op::Add,
            "subtract" => Op::Subtract,
            "multiply" => Op::Multiply,
            "divide" => Op::Divide,
            "less" => Op::Less,
            "less_equal" => Op::LessEqual,
            "greater" => Op::Greater,
            "greater_equal" => Op::GreaterEqual,
            "equal" => Op::Equal,
            "not_equal" => Op::NotEqual,
            _ => return None,
        })
    }

    fn compare<T: PartialOrd>(self, x: T, y: T) -> Option<bool> {
        Some(match self {
            Op::Less => x < y,
            Op::LessEqual => x <= y,
            Op::Greater => x > y,
            Op::GreaterEqual => x >= y,
            Op::Equal => x == y,
            Op::NotEqual => x != y,
            _ => return None,
        })
    }
}

/// An operand: an oxnp float64/int64 scalar (strong) or a Python float/int (weak, NEP 50).
#[derive(Clone, Copy)]
enum Arg {
    Float(f64),
    Int(i64),
    WeakFloat(f64),
    WeakInt(i64),
}

/// Python ints up to this size convert to float64 exactly (NumPy compares larger ones with
/// floats exactly, not after rounding).
const EXACT_INT_IN_F64: u64 = 1 << 53;

fn read(py: Python<'_>, obj: &Bound<'_, PyAny>) -> Option<Arg> {
    let t = obj.get_type();
    // SAFETY: type objects compared by address only.
    if t.as_ptr() == (&raw mut ffi::PyFloat_Type).cast() {
        return Some(Arg::WeakFloat(unsafe { ffi::PyFloat_AS_DOUBLE(obj.as_ptr()) }));
    }
    if t.as_ptr() == (&raw mut ffi::PyLong_Type).cast() {
        let mut overflow = 0;
        // SAFETY: `obj` is an exact int.
        let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
        return (overflow == 0).then_some(Arg::WeakInt(v));
    }
    if t.is(scalar_type(py, DType::Float64).ok()?) {
        // SAFETY: float64 is a float subclass without fields of its own.
        return Some(Arg::Float(unsafe { (*obj.as_ptr().cast::<ffi::PyFloatObject>()).ob_fval }));
    }
    if t.is(scalar_type(py, DType::Int64).ok()?) {
        // SAFETY: the int64 class subclasses `_ScalarBase`.
        let s = unsafe { obj.cast_unchecked::<PyScalar>() }.get();
        if let Num::Int(i) = read_num(s.dtype, &s.value) {
            return Some(Arg::Int(i));
        }
    }
    None
}

fn int_as_float(i: i64) -> Option<f64> {
    (i.unsigned_abs() <= EXACT_INT_IN_F64).then_some(i as f64)
}

/// `a <op> b` when both operands are of the kinds above; None hands it to the general path.
pub fn fast_binop(py: Python<'_>, name: &str, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> Option<PyResult<Py<PyAny>>> {
    let op = Op::from_name(name)?;
    let (x, y) = (read(py, a)?, read(py, b)?);
    use Arg::*;
    match (x, y) {
        (Int(p), Int(q) | WeakInt(q)) | (WeakInt(p), Int(q)) => int_op(py, op, name, p, q),
        (Float(p), Float(q) | WeakFloat(q)) | (WeakFloat(p), Float(q)) => float_op(py, op, name, true, p, q),
        (Float(p), WeakInt(q)) => float_op(py, op, name, true, p, int_as_float(q)?),
        (WeakInt(p), Float(q)) => float_op(py, op, name, true, int_as_float(p)?, q),
        // A weak float makes an int64 operation a float64 one, which NumPy runs (and names in
        // its warnings) as the ufunc, not as scalar math.
        (Int(p), WeakFloat(q)) => float_op(py, op, name, false, p as f64, q),
        (WeakFloat(p), Int(q)) => float_op(py, op, name, false, p, q as f64),
        _ => None,
    }
}

/// `result`, after warning about (or raising for) `flags` as the `errstate` says. The message
/// names NumPy's scalar math ("scalar add") when `scalar`, else the ufunc NumPy ran.
fn finish(py: Python<'_>, name: &str, scalar: bool, flags: u32, result: PyResult<Py<PyAny>>) -> Option<PyResult<Py<PyAny>>> {
    if flags != 0 {
        let name = if scalar { format!("scalar {name}") } else { name.to_string() };
        if let Err(e) = check_fpe(py, &name, flags) {
            return Some(Err(e));
        }
    }
    Some(result)
}

fn float_op(py: Python<'_>, op: Op, name: &str, scalar: bool, x: f64, y: f64) -> Option<PyResult<Py<PyAny>>> {
    // NaN operands (signalling ones raise 'invalid') and underflow checks need the hardware
    // flags the general path reads.
    if x.is_nan() || y.is_nan() || fpe::mode_of(fpe::UNDERFLOW) != fpe::Mode::Ignore {
        return None;
    }
    if let Some(c) = op.compare(x, y) {
        return Some(bool_scalar(py, c));
    }
    let r = match op {
        Op::Add => x + y,
        Op::Subtract => x - y,
        Op::Multiply => x * y,
        _ => x / y,
    };
    // The IEEE flags these operations raise, without reading the hardware's.
    let flags = if r.is_nan() {
        fpe::INVALID
    } else if matches!(op, Op::Divide) && y == 0.0 && x.is_finite() {
        fpe::DIVIDE
    } else if r.is_infinite() && x.is_finite() && y.is_finite() {
        fpe::OVERFLOW
    } else {
        0
    };
    finish(py, name, scalar, flags, make_scalar(py, DType::Float64, write_num(DType::Float64, Num::Float(r))))
}

fn int_op(py: Python<'_>, op: Op, name: &str, x: i64, y: i64) -> Option<PyResult<Py<PyAny>>> {
    if let Some(c) = op.compare(x, y) {
        return Some(bool_scalar(py, c));
    }
    let (r, overflow) = match op {
        Op::Add => x.overflowing_add(y),
        Op::Subtract => x.overflowing_sub(y),
        Op::Multiply => x.overflowing_mul(y),
        // int64 / int64 is float64 division of the converted values.
        _ => return float_op(py, op, name, true, x as f64, y as f64),
    };
    let flags = if overflow { fpe::OVERFLOW } else { 0 };
    finish(py, name, true, flags, make_scalar(py, DType::Int64, write_num(DType::Int64, Num::Int(r))))
}

/// `-a`, `+a` and `abs(a)` for float64 and int64 scalars; None hands others to the general path.
pub fn fast_unop(py: Python<'_>, name: &str, a: &Bound<'_, PyAny>) -> Option<PyResult<Py<PyAny>>> {
    match read(py, a)? {
        Arg::Float(x) => {
            let r = match name {
                "negative" => -x,
                "positive" => x,
                "absolute" => x.abs(),
                _ => return None,
            };
            Some(make_scalar(py, DType::Float64, write_num(DType::Float64, Num::Float(r))))
        }
        Arg::Int(x) => {
            let (r, overflow) = match name {
                "negative" => x.overflowing_neg(),
                "positive" => (x, false),
                "absolute" => x.overflowing_abs(),
                _ => return None,
            };
            let flags = if overflow { fpe::OVERFLOW } else { 0 };
            finish(py, name, true, flags, make_scalar(py, DType::Int64, write_num(DType::Int64, Num::Int(r))))
        }
        _ => None,
    }
}
