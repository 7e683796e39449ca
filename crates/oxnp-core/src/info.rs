//! Machine limits of the dtypes (`finfo`, `iinfo`) and value-based smallest dtypes
//! (`min_scalar_type`).

use crate::dtype::DType;
use crate::error::{Error, Result};

/// The parameters of a binary floating-point format, as `np.finfo` reports them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatInfo {
    pub dtype: DType,
    pub bits: u32,
    pub nmant: i32,
    pub nexp: i32,
    pub machep: i32,
    pub negep: i32,
    pub minexp: i32,
    pub maxexp: i32,
    pub precision: i32,
    pub eps: f64,
    pub epsneg: f64,
    pub max: f64,
    pub tiny: f64,
    pub smallest_subnormal: f64,
    /// `10**-precision`, still to be rounded into `dtype`.
    pub resolution: f64,
}

/// `np.finfo(dtype)` for a float or complex dtype (complex reports its component type).
pub fn finfo(dtype: DType) -> Result<FloatInfo> {
    let real = dtype.real_dtype();
    let (nmant, nexp) = match real {
        DType::Float16 => (10, 5),
        DType::Float32 => (23, 8),
        DType::Float64 => (52, 11),
        _ => return Err(Error::value(format!("data type {} not inexact", dtype.name()))),
    };
    let maxexp = 1 << (nexp - 1);
    let minexp = 2 - maxexp;
    let eps = 2f64.powi(-nmant);
    // Decimal digits the mantissa holds exactly: floor(nmant * log10(2)).
    let precision = (nmant as f64 * std::f64::consts::LOG10_2).floor() as i32;
    Ok(FloatInfo {
        dtype: real,
        bits: 8 * real.itemsize() as u32,
        nmant,
        nexp,
        machep: -nmant,
        negep: -nmant - 1,
        minexp,
        maxexp,
        precision,
        eps,
        epsneg: eps / 2.0,
        max: (2.0 - eps) * 2f64.powi(maxexp - 1),
        tiny: 2f64.powi(minexp),
        // 2^(minexp - nmant) as a product: powi would underflow on the way for float64.
        smallest_subnormal: 2f64.powi(minexp) * eps,
        resolution: 10f64.powi(-precision),
    })
}

/// `(min, max)` of an integer dtype, for `np.iinfo`.
pub fn iinfo(dtype: DType) -> Result<(i128, i128)> {
    if !dtype.is_integer() {
        return Err(Error::value(format!("Invalid integer data type '{}'.", dtype.kind().char())));
    }
    let bits = 8 * dtype.itemsize() as u32;
    Ok(if dtype.is_signed_integer() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    })
}

/// The smallest integer dtype holding `v`, unsigned for non-negative values; None beyond the
/// 64-bit ranges (NumPy answers `object` there).
pub fn min_int_type(v: i128) -> Option<DType> {
    let candidates: &[DType] = if v >= 0 {
        &[DType::UInt8, DType::UInt16, DType::UInt32, DType::UInt64]
    } else {
        &[DType::Int8, DType::Int16, DType::Int32, DType::Int64]
    };
    candidates.iter().copied().find(|&d| iinfo(d).is_ok_and(|(lo, hi)| lo <= v && v <= hi))
}

/// The smallest float dtype whose range holds `v` (precision is not considered, as in NumPy,
/// which tests against the round bounds 65000 and 3.4e38); NaN and infinities fit float16.
pub fn min_float_type(v: f64) -> DType {
    let a = v.abs();
    if !a.is_finite() || a < 65000.0 {
        DType::Float16
    } else if a < 3.4e38 {
        DType::Float32
    } else {
        DType::Float64
    }
}

/// The smallest complex dtype whose component range holds both parts.
pub fn min_complex_type(re: f64, im: f64) -> DType {
    if min_float_type(re) == DType::Float64 || min_float_type(im) == DType::Float64 {
        DType::Complex128
    } else {
        DType::Complex64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_limits() {
        let f = finfo(DType::Float32).unwrap();
        assert_eq!(f.max, f32::MAX as f64);
        assert_eq!(f.eps, f32::EPSILON as f64);
        assert_eq!(f.tiny, f32::MIN_POSITIVE as f64);
        assert_eq!(f.precision, 6);
        let d = finfo(DType::Complex128).unwrap();
        assert_eq!((d.dtype, d.max, d.precision, d.minexp), (DType::Float64, f64::MAX, 15, -1022));
        assert_eq!(finfo(DType::Float16).unwrap().max, 65504.0);
        assert!(finfo(DType::Int8).is_err());
    }

    #[test]
    fn min_types() {
        assert_eq!(min_int_type(255), Some(DType::UInt8));
        assert_eq!(min_int_type(-129), Some(DType::Int16));
        assert_eq!(min_int_type(1 << 64), None);
        assert_eq!(min_float_type(1e10), DType::Float32);
        assert_eq!(min_complex_type(1.0, 1e300), DType::Complex128);
    }
}
