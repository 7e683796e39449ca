//! Rust element types for each dtype and the macro that dispatches on a runtime dtype.

use half::f16;
use num_complex::{Complex32, Complex64};

use crate::dtype::DType;

/// A Rust type that is the in-memory representation of one dtype.
///
/// Booleans are `bool`: every oxnp write path stores only the bytes 0 and 1. Memory that did
/// not come from such a path (a `view(bool)` of integers, foreign buffers) may hold other
/// bytes, so code reading bools from arbitrary arrays reads them as `u8 != 0`.
pub trait Element: Copy + Send + Sync + 'static + std::fmt::Debug + PartialEq {
    const DTYPE: DType;
}

macro_rules! element {
    ($($t:ty => $d:ident),* $(,)?) => {
        $(impl Element for $t { const DTYPE: DType = DType::$d; })*
    };
}

element!(
    bool => Bool, i8 => Int8, u8 => UInt8, i16 => Int16, u16 => UInt16, i32 => Int32,
    u32 => UInt32, i64 => Int64, u64 => UInt64, f16 => Float16, f32 => Float32,
    f64 => Float64, Complex32 => Complex64, Complex64 => Complex128,
);

/// Runs `$body` with `$T` bound to the element type of `$dtype`.
///
/// ```ignore
/// dispatch!(arr.dtype(), T => arr.to_vec::<T>().len())
/// ```
#[macro_export]
macro_rules! dispatch {
    ($dtype:expr, $T:ident => $body:expr) => {{
        use $crate::dtype::DType;
        match $dtype {
            DType::Bool => { type $T = bool; $body }
            DType::Int8 => { type $T = i8; $body }
            DType::UInt8 => { type $T = u8; $body }
            DType::Int16 => { type $T = i16; $body }
            DType::UInt16 => { type $T = u16; $body }
            DType::Int32 => { type $T = i32; $body }
            DType::UInt32 => { type $T = u32; $body }
            DType::Int64 => { type $T = i64; $body }
            DType::UInt64 => { type $T = u64; $body }
            DType::Float16 => { type $T = $crate::half::f16; $body }
            DType::Float32 => { type $T = f32; $body }
            DType::Float64 => { type $T = f64; $body }
            DType::Complex64 => { type $T = $crate::num_complex::Complex32; $body }
            DType::Complex128 => { type $T = $crate::num_complex::Complex64; $body }
        }
    }};
}
