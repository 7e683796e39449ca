//! Element conversion between dtypes with C-cast semantics (what NumPy's `astype(...,
//! casting='unsafe')` does on x86-64), and the strided copy that every assignment uses.

use half::f16;
use num_complex::{Complex32, Complex64};

use crate::array::{Array, for_each_inner};
use crate::dispatch;
use crate::dtype::{Casting, DType, Kind};
use crate::element::Element;
use crate::error::{Error, Result};

/// A value in the widest representation of its kind; the match on it folds away once the
/// source type is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Complex(f64, f64),
}

pub trait Convert: Element {
    fn to_num(self) -> Num;
    fn from_num(n: Num) -> Self;
}

/// x86-64 `cvttsd2si` semantics: NaN or out of range gives the minimum value.
#[inline]
fn trunc_i64(x: f64) -> i64 {
    if x.is_finite() && x > -9223372036854775809.0 && x < 9223372036854775808.0 { x as i64 } else { i64::MIN }
}
#[inline]
fn trunc_i32(x: f64) -> i32 {
    if x.is_finite() && x > -2147483649.0 && x < 2147483648.0 { x as i32 } else { i32::MIN }
}
/// The compiler's double-to-uint64 sequence: two's-complement wrap for negatives.
#[inline]
fn trunc_u64(x: f64) -> u64 {
    if x >= 9223372036854775808.0 {
        if x < 18446744073709551616.0 { x as u64 } else { 1u64 << 63 }
    } else {
        trunc_i64(x) as u64
    }
}

macro_rules! convert_int {
    ($($t:ty: $variant:ident, $wide:ty, $from_float:expr);* $(;)?) => {$(
        impl Convert for $t {
            #[inline(always)]
            fn to_num(self) -> Num { Num::$variant(self as $wide) }
            #[inline(always)]
            fn from_num(n: Num) -> Self {
                match n {
                    Num::Bool(b) => b as $t,
                    Num::Int(i) => i as $t,
                    Num::UInt(u) => u as $t,
                    Num::Float(f) | Num::Complex(f, _) => { let conv: fn(f64) -> $t = $from_float; conv(f) }
                }
            }
        }
    )*};
}

convert_int!(
    i8: Int, i64, |f| trunc_i32(f) as i8;
    i16: Int, i64, |f| trunc_i32(f) as i16;
    i32: Int, i64, trunc_i32;
    i64: Int, i64, trunc_i64;
    u8: UInt, u64, |f| trunc_i64(f) as u8;
    u16: UInt, u64, |f| trunc_i64(f) as u16;
    u32: UInt, u64, |f| trunc_i64(f) as u32;
    u64: UInt, u64, trunc_u64;
);

impl Convert for bool {
    #[inline(always)]
    fn to_num(self) -> Num {
        Num::Bool(self)
    }
    #[inline(always)]
    fn from_num(n: Num) -> Self {
        match n {
            Num::Bool(b) => b,
            Num::Int(i) => i != 0,
            Num::UInt(u) => u != 0,
            Num::Float(f) => f != 0.0,
            Num::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }
}

macro_rules! convert_float {
    ($t:ty, $to_f64:expr, $from_f64:expr, $from_i64:expr, $from_u64:expr) => {
        impl Convert for $t {
            #[inline(always)]
            fn to_num(self) -> Num {
                let to: fn($t) -> f64 = $to_f64;
                Num::Float(to(self))
            }
            #[inline(always)]
            fn from_num(n: Num) -> Self {
                let from_f: fn(f64) -> $t = $from_f64;
                let from_i: fn(i64) -> $t = $from_i64;
                let from_u: fn(u64) -> $t = $from_u64;
                match n {
                    Num::Bool(b) => from_f(b as u8 as f64),
                    Num::Int(i) => from_i(i),
                    Num::UInt(u) => from_u(u),
                    Num::Float(f) | Num::Complex(f, _) => from_f(f),
                }
            }
        }
    };
}

convert_float!(f64, |x| x, |x| x, |i| i as f64, |u| u as f64);
convert_float!(f32, |x| x as f64, |x| x as f32, |i| i as f32, |u| u as f32);
convert_float!(f16, |x| x.to_f64(), f16::from_f64, |i| f16::from_f32(i as f32), |u| f16::from_f32(u as f32));

macro_rules! convert_complex {
    ($t:ty, $part:ty) => {
        impl Convert for $t {
            #[inline(always)]
            fn to_num(self) -> Num {
                Num::Complex(self.re as f64, self.im as f64)
            }
            #[inline(always)]
            fn from_num(n: Num) -> Self {
                match n {
                    Num::Complex(re, im) => <$t>::new(re as $part, im as $part),
                    other => <$t>::new(<$part>::from_num(other), 0.0),
                }
            }
        }
    };
}

convert_complex!(Complex32, f32);
convert_complex!(Complex64, f64);

/// Converts one value between element types.
#[inline(always)]
pub fn convert<S: Convert, D: Convert>(v: S) -> D {
    D::from_num(v.to_num())
}

/// NumPy's `can_cast(from, to, casting)` for these dtypes.
pub fn can_cast(from: DType, to: DType, casting: Casting) -> bool {
    match casting {
        Casting::Unsafe => true,
        Casting::No | Casting::Equiv => from == to,
        Casting::Safe => crate::promote::promote_types(from, to) == to,
        Casting::SameKind => {
            can_cast(from, to, Casting::Safe) || kind_rank(from.kind()) <= kind_rank(to.kind())
        }
    }
}

/// NumPy's same-kind order b < u < i < f < c: unsigned -> signed is same-kind, the reverse
/// is not.
fn kind_rank(k: Kind) -> u8 {
    match k {
        Kind::Bool => 0,
        // NumPy orders kinds b < u < i < f < c: int -> uint is not same_kind.
        Kind::UInt => 1,
        Kind::Int => 2,
        Kind::Float => 3,
        Kind::Complex => 4,
    }
}

/// The error NumPy raises when a cast is not allowed under `casting`.
pub fn cast_error(from: DType, to: DType, casting: Casting) -> Error {
    Error::type_(format!(
        "Cannot cast array data from dtype('{}') to dtype('{}') according to the rule '{}'",
        from.name(),
        to.name(),
        casting.name()
    ))
}

/// Copies `src` into `dst` elementwise, converting dtypes; shapes must be equal (broadcast
/// first). Overlapping memory is handled by copying the source aside.
pub fn copy_into(dst: &Array, src: &Array) -> Result<()> {
    if dst.shape() != src.shape() {
        return Err(Error::value(format!(
            "could not broadcast input array from shape {} into shape {}",
            crate::array::shape_repr(src.shape()),
            crate::array::shape_repr(dst.shape())
        )));
    }
    dst.check_writeable()?;
    if dst.size() == 0 {
        return Ok(());
    }
    if dst.may_overlap(src)
        && !(dst.offset() == src.offset() && dst.strides() == src.strides() && dst.dtype() == src.dtype())
    {
        let tmp = src.copy(crate::array::Order::C)?;
        return copy_into(dst, &tmp);
    }
    if dst.dtype() == src.dtype() && dst.is_c_contiguous() && src.is_c_contiguous() {
        // SAFETY: both contiguous with equal sizes; non-overlapping or identical (checked above).
        unsafe { std::ptr::copy(src.as_ptr(), dst.as_ptr(), dst.nbytes()) };
        return Ok(());
    }
    dispatch!(src.dtype(), S => dispatch!(dst.dtype(), D => copy_convert::<S, D>(dst, src)));
    Ok(())
}

fn copy_convert<S: Convert, D: Convert>(dst: &Array, src: &Array) {
    let (sp, dp) = (src.as_ptr(), dst.as_ptr());
    for_each_inner(dst.shape(), [src.strides(), dst.strides()], |[so, dof], n, [ss, ds]| {
        let (mut so, mut dof) = (so, dof);
        for _ in 0..n {
            // SAFETY: offsets come from each array's own shape/strides (bounds invariant).
            unsafe {
                let v = if S::DTYPE == DType::Bool {
                    // Foreign bool bytes may be other than 0/1 (see Element).
                    S::from_num(Num::Bool(*sp.offset(so) != 0))
                } else {
                    sp.offset(so).cast::<S>().read_unaligned()
                };
                dp.offset(dof).cast::<D>().write_unaligned(convert::<S, D>(v));
            }
            so += ss;
            dof += ds;
        }
    });
}

/// `arr.astype(dtype)` as a new C-ordered array.
pub fn astype(src: &Array, dtype: DType, casting: Casting) -> Result<Array> {
    if !can_cast(src.dtype(), dtype, casting) {
        return Err(cast_error(src.dtype(), dtype, casting));
    }
    let out = Array::empty(src.shape(), dtype, crate::array::Order::C)?;
    copy_into(&out, src)?;
    Ok(out)
}
