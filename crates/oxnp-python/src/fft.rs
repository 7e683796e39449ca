//! The engine of `oxnp.fft`: `_fft_raw(a, n, axis, op, norm, out)` is NumPy's `_raw_fft`
//! (plus the defaults of `n` and the norm swaps of `ifft`/`irfft`/`hfft`/`ihfft`) in one call,
//! so a 1-D transform is one Python function over one Rust call. The n-d transforms and the
//! helpers (`fftfreq`, `fftshift`, ...) are Python composites in `python/oxnp/fft/`.
//!
//! dtypes follow NumPy 2: float32/float16/complex64 input runs in single precision (complex64
//! results; `irfft` of float16 gives float16), everything else in double precision.

use half::f16;
use oxnp_core::cast::{can_cast, copy_into};
use oxnp_core::error::normalize_axis;
use oxnp_core::{Array, Casting, DType, Error, Order, shape};
use oxnp_kernels::fft::{AxisFft, Transform, fft_axis};
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;

use crate::convert::array_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};

/// The `op` argument of `_fft_raw`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Fft,
    Ifft,
    Rfft,
    Irfft,
    Hfft,
    Ihfft,
}

impl Op {
    fn from_code(code: u8) -> PyResult<Op> {
        Ok(match code {
            0 => Op::Fft,
            1 => Op::Ifft,
            2 => Op::Rfft,
            3 => Op::Irfft,
            4 => Op::Hfft,
            5 => Op::Ihfft,
            _ => return Err(PyValueError::new_err("_fft_raw: bad op")),
        })
    }
    /// Real output (complex-to-real transforms).
    fn real_out(self) -> bool {
        matches!(self, Op::Irfft | Op::Hfft)
    }
    /// Real input (real-to-complex transforms).
    fn real_in(self) -> bool {
        matches!(self, Op::Rfft | Op::Ihfft)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Norm {
    Backward,
    Ortho,
    Forward,
}

impl Norm {
    fn swap(self) -> Norm {
        match self {
            Norm::Backward => Norm::Forward,
            Norm::Ortho => Norm::Ortho,
            Norm::Forward => Norm::Backward,
        }
    }
}

/// Parses `norm`. NumPy words the error differently in `_raw_fft` (`swapped` false) and in
/// `_swap_direction` (true).
fn parse_norm(norm: &Bound<'_, PyAny>, swapped: bool) -> PyResult<Norm> {
    if norm.is_none() {
        return Ok(Norm::Backward);
    }
    if let Ok(s) = norm.extract::<&str>() {
        match s {
            "backward" => return Ok(Norm::Backward),
            "ortho" => return Ok(Norm::Ortho),
            "forward" => return Ok(Norm::Forward),
            _ => {}
        }
    }
    let shown = norm.str()?.to_string();
    let sep = if swapped { ", " } else { "," };
    Err(PyValueError::new_err(format!(
        "Invalid norm value {shown}; should be \"backward\"{sep}\"ortho\" or \"forward\"."
    )))
}

/// NumPy's `result_type(a.real.dtype, 1.0)`: the real dtype of the result's precision.
fn real_dtype(d: DType) -> DType {
    match d {
        DType::Float16 => DType::Float16,
        DType::Float32 | DType::Complex64 => DType::Float32,
        _ => DType::Float64,
    }
}

/// The norm factor, computed in `rd` as NumPy computes `reciprocal(sqrt(n, dtype=rd))` and
/// `reciprocal(n, dtype=rd)`.
fn norm_factor(norm: Norm, n: usize, rd: DType) -> f64 {
    match (norm, rd) {
        (Norm::Backward, _) => 1.0,
        (Norm::Ortho, DType::Float16) => {
            let s = f16::from_f32(f16::from_f64(n as f64).to_f32().sqrt());
            f16::from_f32(1.0 / s.to_f32()).to_f64()
        }
        (Norm::Forward, DType::Float16) => f16::from_f32(1.0 / f16::from_f64(n as f64).to_f32()).to_f64(),
        (Norm::Ortho, DType::Float32) => (1.0f32 / (n as f32).sqrt()) as f64,
        (Norm::Forward, DType::Float32) => (1.0f32 / n as f32) as f64,
        (Norm::Ortho, _) => 1.0 / (n as f64).sqrt(),
        (Norm::Forward, _) => 1.0 / n as f64,
    }
}

/// A new array of `shape` laid out like `like` (NumPy's `empty_like(like, shape=...)`,
/// order 'K', same rank).
fn alloc_like(like: &Array, shape_: &[usize], dtype: DType) -> oxnp_core::Result<Array> {
    if like.is_c_contiguous() {
        return Array::empty(shape_, dtype, Order::C);
    }
    if like.is_f_contiguous() {
        return Array::empty(shape_, dtype, Order::F);
    }
    let perm = shape::memory_order_perm(like.strides());
    let pshape: Vec<usize> = perm.iter().map(|&p| shape_[p]).collect();
    let base = Array::empty(&pshape, dtype, Order::C)?;
    let mut inverse = vec![0isize; perm.len()];
    for (k, &p) in perm.iter().enumerate() {
        inverse[p] = k as isize;
    }
    shape::transpose(&base, Some(&inverse))
}

/// Output elements above which the GIL is released.
const DETACH_MIN: usize = 4096;

/// `_fft_raw(a, n, axis, op, norm, out)`: one of fft/ifft/rfft/irfft/hfft/ihfft (op 0..5)
/// with NumPy's argument handling and error order.
#[pyfunction]
#[pyo3(signature = (a, n, axis, op, norm, out))]
fn _fft_raw<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    n: &Bound<'py, PyAny>,
    axis: &Bound<'py, PyAny>,
    op: u8,
    norm: &Bound<'py, PyAny>,
    out: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = Op::from_code(op)?;
    let arr = array_from_py(a)?;
    let nd = arr.ndim();
    // `n` defaults to a.shape[axis] (a Python tuple index: its errors are tuple's).
    let n: isize = if n.is_none() {
        let ax: isize = axis.extract().map_err(|_| {
            let tname = axis.get_type().name().map(|s| s.to_string()).unwrap_or_default();
            PyTypeError::new_err(format!("tuple indices must be integers or slices, not {tname}"))
        })?;
        if ax < -(nd as isize) || ax >= nd as isize {
            return Err(PyIndexError::new_err("tuple index out of range"));
        }
        let m = arr.shape()[if ax < 0 { ax + nd as isize } else { ax } as usize] as isize;
        if op.real_out() { (m - 1) * 2 } else { m }
    } else {
        n.extract()?
    };
    // hfft/ihfft swap the norm before anything else; the inner irfft/rfft then checks n.
    let early = match op {
        Op::Hfft => Some(parse_norm(norm, true)?),
        Op::Ihfft => Some(parse_norm(norm, true)?.swap()),
        _ => None,
    };
    if n < 1 {
        return Err(PyValueError::new_err(format!("Invalid number of FFT data points ({n}) specified.")));
    }
    let n = n as usize;
    let eff = match (early, op) {
        (Some(e), _) => e,
        (None, Op::Ifft | Op::Irfft) => parse_norm(norm, true)?.swap(),
        (None, _) => parse_norm(norm, false)?,
    };
    let ax = normalize_axis(axis.extract()?, nd).py()?;

    let in_dt = arr.dtype();
    let rd = real_dtype(in_dt);
    let single = matches!(in_dt, DType::Float16 | DType::Float32 | DType::Complex64);
    let (loop_real, loop_complex) =
        if single { (DType::Float32, DType::Complex64) } else { (DType::Float64, DType::Complex128) };
    let loop_out = if op.real_out() { loop_real } else { loop_complex };
    let result_dt = if op.real_out() { rd } else { loop_complex };
    let transform = match op {
        Op::Fft => Transform::Forward,
        Op::Ifft => Transform::Inverse,
        Op::Rfft | Op::Ihfft => Transform::RealForward,
        Op::Irfft | Op::Hfft => Transform::RealInverse,
    };
    let spec = AxisFft {
        transform,
        axis: ax,
        n,
        fct: norm_factor(eff, n, rd),
        conj_in: op == Op::Hfft,
        conj_out: op == Op::Ihfft,
    };
    let n_out = spec.out_len();
    let ufunc_name = match op {
        Op::Fft => "fft",
        Op::Ifft => "ifft",
        Op::Rfft | Op::Ihfft if n % 2 == 0 => "rfft_n_even",
        Op::Rfft | Op::Ihfft => "rfft_n_odd",
        Op::Irfft | Op::Hfft => "irfft",
    };

    // `out`: rank and transformed length first (`_raw_fft`), then the gufunc's own checks.
    let out_arr = if out.is_none() {
        None
    } else {
        let Ok(o) = out.cast::<PyNdArray>() else {
            return Err(PyTypeError::new_err("return arrays must be of ArrayType"));
        };
        let oa = o.get().arr().clone();
        if oa.ndim() != nd || oa.shape()[ax] != n_out {
            return Err(PyValueError::new_err("output array has wrong shape."));
        }
        Some(oa)
    };
    if op.real_in() && in_dt.is_complex() {
        return Err(PyTypeError::new_err(format!(
            "ufunc '{ufunc_name}' not supported for the input types, and the inputs could not be \
             safely coerced to any supported types according to the casting rule ''safe''"
        )));
    }
    if let Some(oa) = &out_arr {
        if !can_cast(loop_out, oa.dtype(), Casting::SameKind) {
            return Err(Error::UFuncType(format!(
                "Cannot cast ufunc '{ufunc_name}' output from dtype('{}') to dtype('{}') with \
                 casting rule 'same_kind'",
                loop_out.name(),
                oa.dtype().name()
            )))
            .py();
        }
        for k in 0..nd {
            if k != ax && arr.shape()[k] != oa.shape()[k] && arr.shape()[k] != 1 {
                return Err(PyValueError::new_err(format!(
                    "operands could not be broadcast together with remapped shapes: input {} \
                     cannot be written to an output of shape {}",
                    oxnp_core::array::shape_repr(arr.shape()),
                    oxnp_core::array::shape_repr(oa.shape())
                )));
            }
        }
        oa.check_writeable().py()?;
    }

    // The source, in a dtype the kernel reads.
    let src = if in_dt == loop_real || (in_dt == loop_complex && !op.real_in()) {
        arr
    } else {
        shape::copy_as(&arr, loop_real, shape::AnyOrder::K).py()?
    };
    let mut out_shape: Vec<usize> = src.shape().to_vec();
    out_shape[ax] = n_out;
    let dst = alloc_like(&src, &out_shape, loop_out).py()?;
    let big = dst.size().max(src.size()) >= DETACH_MIN;
    if big {
        py.detach(|| fft_axis(&src, &dst, &spec)).py()?;
    } else {
        fft_axis(&src, &dst, &spec).py()?;
    }

    match out_arr {
        Some(oa) => {
            let from = if dst.shape() == oa.shape() {
                dst
            } else {
                oxnp_core::broadcast::broadcast_view(&dst, oa.shape()).py()?
            };
            if big {
                py.detach(|| copy_into(&oa, &from)).py()?;
            } else {
                copy_into(&oa, &from).py()?;
            }
            Ok(out.clone())
        }
        None => {
            let res = if result_dt == loop_out {
                dst
            } else {
                shape::copy_as(&dst, result_dt, shape::AnyOrder::K).py()?
            };
            Ok(wrap(py, res)?.into_any())
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_fft_raw, m)?)?;
    Ok(())
}
