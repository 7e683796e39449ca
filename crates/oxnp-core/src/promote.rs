//! NEP 50 type promotion (NUMPY_FACTS §5).

use crate::dtype::{DType, Kind};

/// The kind of a Python scalar operand, which promotes "weakly" (NEP 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weak {
    Int,
    Float,
    Complex,
}

impl Weak {
    /// The dtype a weak scalar gets when no array operand decides (`np.add(1, 2.0)`).
    pub fn default_dtype(self) -> DType {
        match self {
            Weak::Int => DType::Int64,
            Weak::Float => DType::Float64,
            Weak::Complex => DType::Complex128,
        }
    }
}

/// The smallest float that holds every value of an integer dtype of this size.
fn float_for_int(size: usize) -> DType {
    match size {
        1 => DType::Float16,
        2 => DType::Float32,
        _ => DType::Float64,
    }
}

/// `np.promote_types(a, b)`.
pub fn promote_types(a: DType, b: DType) -> DType {
    use Kind::*;
    if a == b {
        return a;
    }
    let (ka, kb) = (a.kind(), b.kind());
    match (ka, kb) {
        (Bool, _) => b,
        (_, Bool) => a,
        (Int, Int) | (UInt, UInt) | (Float, Float) | (Complex, Complex) => a.max_by_size(b),
        (Int, UInt) | (UInt, Int) => {
            let (s, u) = if ka == Int { (a, b) } else { (b, a) };
            if u.itemsize() < s.itemsize() {
                s
            } else {
                DType::from_kind_size(Int, u.itemsize() * 2).unwrap_or(DType::Float64)
            }
        }
        (Int | UInt, Float) => float_for_int(a.itemsize()).max_by_size(b),
        (Float, Int | UInt) => float_for_int(b.itemsize()).max_by_size(a),
        (Int | UInt | Float, Complex) | (Complex, Int | UInt | Float) => {
            let (other, c) = if kb == Complex { (a, b) } else { (b, a) };
            promote_types(other, c.real_dtype()).complex_dtype().max_by_size(c)
        }
    }
}

impl DType {
    fn max_by_size(self, other: DType) -> DType {
        if other.itemsize() > self.itemsize() { other } else { self }
    }
}

/// The dtype of `strong op weak` under NEP 50.
pub fn promote_weak(strong: DType, weak: Weak) -> DType {
    match (weak, strong.kind()) {
        (Weak::Int, Kind::Bool) => DType::Int64,
        (Weak::Int, _) => strong,
        (Weak::Float, Kind::Bool | Kind::Int | Kind::UInt) => DType::Float64,
        (Weak::Float, _) => strong,
        (Weak::Complex, Kind::Bool | Kind::Int | Kind::UInt) => DType::Complex128,
        (Weak::Complex, Kind::Float) => strong.complex_dtype(),
        (Weak::Complex, Kind::Complex) => strong,
    }
}

/// `np.result_type` over array dtypes (strong) and Python scalars (weak). None when empty.
pub fn result_type(strong: &[DType], weak: &[Weak]) -> Option<DType> {
    let strong_result = strong.iter().copied().reduce(promote_types);
    let weak_max = weak.iter().copied().max();
    match (strong_result, weak_max) {
        (Some(s), Some(w)) => Some(promote_weak(s, w)),
        (Some(s), None) => Some(s),
        (None, Some(w)) => Some(w.default_dtype()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    /// NUMPY_FACTS §5.3, row by row.
    #[test]
    fn promotion_table_matches_numpy() {
        let order = [Bool, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float16, Float32, Float64, Complex64, Complex128];
        let table = "
            b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16
            i1 i1 i2 i2 i4 i4 i8 i8 f8 f2 f4 f8 c8 c16
            u1 i2 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16
            i2 i2 i2 i2 i4 i4 i8 i8 f8 f4 f4 f8 c8 c16
            u2 i4 u2 i4 u2 i4 u4 i8 u8 f4 f4 f8 c8 c16
            i4 i4 i4 i4 i4 i4 i8 i8 f8 f8 f8 f8 c16 c16
            u4 i8 u4 i8 u4 i8 u4 i8 u8 f8 f8 f8 c16 c16
            i8 i8 i8 i8 i8 i8 i8 i8 f8 f8 f8 f8 c16 c16
            u8 f8 u8 f8 u8 f8 u8 f8 u8 f8 f8 f8 c16 c16
            f2 f2 f2 f4 f4 f8 f8 f8 f8 f2 f4 f8 c8 c16
            f4 f4 f4 f4 f4 f8 f8 f8 f8 f4 f4 f8 c8 c16
            f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 c16 c16
            c8 c8 c8 c8 c8 c16 c16 c16 c16 c8 c8 c16 c8 c16
            c16 c16 c16 c16 c16 c16 c16 c16 c16 c16 c16 c16 c16 c16";
        for (row, line) in table.trim().lines().enumerate() {
            for (col, code) in line.split_whitespace().enumerate() {
                let expect = DType::from_str(code).unwrap();
                assert_eq!(promote_types(order[row], order[col]), expect, "{:?} + {:?}", order[row], order[col]);
            }
        }
    }

    #[test]
    fn weak_scalars() {
        assert_eq!(promote_weak(UInt8, Weak::Int), UInt8);
        assert_eq!(promote_weak(Float32, Weak::Float), Float32);
        assert_eq!(promote_weak(UInt8, Weak::Float), Float64);
        assert_eq!(promote_weak(Float32, Weak::Complex), Complex64);
        assert_eq!(promote_weak(Int32, Weak::Complex), Complex128);
        assert_eq!(result_type(&[], &[Weak::Int, Weak::Float]), Some(Float64));
    }
}
