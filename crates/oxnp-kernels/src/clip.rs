//! `clip(x, lo, hi)` as one pass, with NumPy 2.4's results bit for bit.
//!
//! NumPy's clip loop has two behaviours, chosen per inner loop (measured value by value,
//! see tests/test_clip_fast.py):
//! - bounds read with step 0 (scalar bounds, the common case): a NaN `lo` fills the run
//!   with `lo`, else a NaN `hi` fills it with `hi`; otherwise `x` is kept unless
//!   `x < lo` (then `lo`) and the result is kept unless it is `> hi` (then `hi`). Ties
//!   (-0.0 against 0.0) and NaN inputs keep `x`.
//! - bounds that vary along the loop: `max` then `min`, each keeping its first operand when
//!   it is NaN or strictly beyond the second, else taking the second. Ties take the bound.
//!
//! Integer dtypes have no such cases: both are `min(max(x, lo), hi)`.

use oxnp_core::array::Strides;
use oxnp_core::{Array, DType, Error, Order, Result};

use crate::exec::{broadcast_shapes, broadcast_strides, run_loop};
use crate::loops::{LoopFn, inner_loop};

/// Elements of one value type that clip can order.
trait Clip: Copy {
    /// Whether the scalar-bound loop fills the run with a bound (a NaN bound).
    fn fill(lo: Self, hi: Self) -> Option<Self>;
    /// The scalar-bound rule (bounds not NaN).
    fn scalar_rule(x: Self, lo: Self, hi: Self) -> Self;
    /// The varying-bound rule.
    fn array_rule(x: Self, lo: Self, hi: Self) -> Self;
}

macro_rules! clip_float {
    ($($t:ty),*) => {$(
        impl Clip for $t {
            #[inline(always)]
            fn fill(lo: Self, hi: Self) -> Option<Self> {
                if lo.is_nan() { Some(lo) } else if hi.is_nan() { Some(hi) } else { None }
            }
            #[inline(always)]
            fn scalar_rule(x: Self, lo: Self, hi: Self) -> Self {
                let t = if x < lo { lo } else { x };
                if t > hi { hi } else { t }
            }
            #[inline(always)]
            fn array_rule(x: Self, lo: Self, hi: Self) -> Self {
                let t = if x.is_nan() || x > lo { x } else { lo };
                if t.is_nan() || t < hi { t } else { hi }
            }
        }
    )*};
}
clip_float!(f32, f64);

macro_rules! clip_int {
    ($($t:ty),*) => {$(
        impl Clip for $t {
            #[inline(always)]
            fn fill(_: Self, _: Self) -> Option<Self> { None }
            #[inline(always)]
            fn scalar_rule(x: Self, lo: Self, hi: Self) -> Self { x.max(lo).min(hi) }
            #[inline(always)]
            fn array_rule(x: Self, lo: Self, hi: Self) -> Self { x.max(lo).min(hi) }
        }
    )*};
}
clip_int!(i8, u8, i16, u16, i32, u32, i64, u64);

/// One inner run: operands [x, lo, hi, out].
///
/// # Safety
/// As `crate::loops::LoopFn`; out overlaps no input.
#[inline(always)]
unsafe fn run<T: Clip>(p: &[*mut u8; 4], n: usize, s: &[isize; 4]) {
    let sz = std::mem::size_of::<T>() as isize;
    let ld = |q: *mut u8, k: isize| unsafe { q.offset(k).cast::<T>().read_unaligned() };
    let (x, o) = (p[0], p[3]);
    unsafe {
        if s[1] == 0 && s[2] == 0 {
            let (lo, hi) = (ld(p[1], 0), ld(p[2], 0));
            if let Some(v) = T::fill(lo, hi) {
                for i in 0..n as isize {
                    o.offset(i * s[3]).cast::<T>().write_unaligned(v);
                }
            } else if s[0] == sz && s[3] == sz {
                let (x, o) = (x.cast::<T>(), o.cast::<T>());
                for i in 0..n {
                    o.add(i).write_unaligned(T::scalar_rule(x.add(i).read_unaligned(), lo, hi));
                }
            } else {
                for i in 0..n as isize {
                    o.offset(i * s[3]).cast::<T>().write_unaligned(T::scalar_rule(ld(x, i * s[0]), lo, hi));
                }
            }
            return;
        }
        for i in 0..n as isize {
            let v = T::array_rule(ld(x, i * s[0]), ld(p[1], i * s[1]), ld(p[2], i * s[2]));
            o.offset(i * s[3]).cast::<T>().write_unaligned(v);
        }
    }
}

macro_rules! clip_loop {
    ($t:ty) => {
        inner_loop!(wide |p, n, s| run::<$t>(p, n, s))
    };
}

/// The clip loop for `dtype`, or None for dtypes left to the maximum/minimum composite
/// (bool, float16, complex).
fn clip_loop(dtype: DType) -> Option<LoopFn> {
    Some(match dtype {
        DType::Int8 => clip_loop!(i8),
        DType::UInt8 => clip_loop!(u8),
        DType::Int16 => clip_loop!(i16),
        DType::UInt16 => clip_loop!(u16),
        DType::Int32 => clip_loop!(i32),
        DType::UInt32 => clip_loop!(u32),
        DType::Int64 => clip_loop!(i64),
        DType::UInt64 => clip_loop!(u64),
        DType::Float32 => clip_loop!(f32),
        DType::Float64 => clip_loop!(f64),
        _ => return None,
    })
}

/// Whether `clip` has a kernel for this dtype.
pub fn supports(dtype: DType) -> bool {
    clip_loop(dtype).is_some()
}

/// `clip(x, lo, hi)` into a new array; all three of one dtype (`supports`), broadcast
/// together. The result is C-ordered unless `x` is F-contiguous (and not C-contiguous) with
/// the result's shape, as a ufunc's order='K' output.
pub fn clip(x: &Array, lo: &Array, hi: &Array) -> Result<Array> {
    let dt = x.dtype();
    if lo.dtype() != dt || hi.dtype() != dt {
        return Err(Error::value("clip: bounds must be cast to the array's dtype first"));
    }
    let f = clip_loop(dt).ok_or_else(|| Error::type_("clip: no kernel for this dtype"))?;
    let shape = broadcast_shapes(&[x.shape(), lo.shape(), hi.shape()])?;
    let order = if x.shape() == &shape[..] && x.is_f_contiguous() && !x.is_c_contiguous() { Order::F } else { Order::C };
    let out = Array::empty(&shape, dt, order)?;
    let strides: [Strides; 4] = [
        broadcast_strides(x, &shape),
        broadcast_strides(lo, &shape),
        broadcast_strides(hi, &shape),
        out.strides().into(),
    ];
    let ptrs = [x.as_ptr(), lo.as_ptr(), hi.as_ptr(), out.as_ptr()];
    run_loop(f, false, &shape, &ptrs, &strides);
    Ok(out)
}
