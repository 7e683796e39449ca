//! Element conversion between dtypes with C-cast semantics (what NumPy's `astype(...,
//! casting='unsafe')` does on x86-64), and the strided copy that every assignment uses.

use half::f16;
use num_complex::{Complex32, Complex64};

use crate::array::{Array, Shape, Strides, for_each_inner};
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

// Float -> integer follows NumPy 2.4.6's x86-64 build, measured value by value (float16
// and complex sources convert their (real) value the same way; see tests/test_casting.py):
// - int8/uint8/int16/uint16/int32: 32-bit `cvttsd2si`, then wrap; NaN and anything outside
//   int32 give i32::MIN, hence 0 for the narrow types.
// - int64: 64-bit `cvttsd2si`; NaN and out of range give i64::MIN.
// - uint32: 64-bit `cvttsd2si`, then wrap (NaN -> 0, -1 -> 2^32-1, 2^32+3 -> 3), except in
//   NumPy's vectorised contiguous loop, see `trunc_u32_simd`.
// - uint64: the compiler's sequence, see `trunc_u64`.

/// `cvttsd2si` (32-bit): NaN or out of range gives i32::MIN and sets the invalid flag, which
/// NumPy reports as "invalid value encountered in cast".
#[inline]
fn trunc_i32(x: f64) -> i32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 baseline.
    unsafe {
        use std::arch::x86_64::{_mm_cvttsd_si32, _mm_set_sd};
        _mm_cvttsd_si32(_mm_set_sd(x))
    }
    #[cfg(not(target_arch = "x86_64"))]
    if x > -2147483649.0 && x < 2147483648.0 { x as i32 } else { i32::MIN }
}
/// `cvttsd2si` (64-bit): NaN or out of range gives i64::MIN (and the invalid flag).
#[inline]
fn trunc_i64(x: f64) -> i64 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 baseline.
    unsafe {
        use std::arch::x86_64::{_mm_cvttsd_si64, _mm_set_sd};
        _mm_cvttsd_si64(_mm_set_sd(x))
    }
    #[cfg(not(target_arch = "x86_64"))]
    if x > -9223372036854775809.0 && x < 9223372036854775808.0 { x as i64 } else { i64::MIN }
}
/// The compiler's double-to-uint64: values >= 2^63 convert `x - 2^63` and flip the top bit,
/// so +inf and values >= 2^64 give 0; NaN and large negatives give 2^63; negatives wrap.
#[inline]
fn trunc_u64(x: f64) -> u64 {
    const TWO63: f64 = 9223372036854775808.0;
    if x >= TWO63 { (trunc_i64(x - TWO63) as u64) ^ (1 << 63) } else { trunc_i64(x) as u64 }
}
/// NumPy's vectorised float32/float64 -> uint32 loop (full blocks of contiguous runs, see
/// `simd_prefix`): values >= 2^31 convert `x - 2^31` with the 32-bit instruction and flip
/// the top bit, so NaN, -inf and values below -2^31 give 2^31 and values >= 2^32 give 0.
#[inline]
fn trunc_u32_simd(x: f64) -> u32 {
    const TWO31: f64 = 2147483648.0;
    if x >= TWO31 { (trunc_i32(x - TWO31) as u32) ^ (1 << 31) } else { trunc_i32(x) as u32 }
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
    u8: UInt, u64, |f| trunc_i32(f) as u8;
    u16: UInt, u64, |f| trunc_i32(f) as u16;
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
convert_float!(f16, |x| x.to_f64_exact(), f64_to_f16, |i| f16_from_f32(i as f32), |u| f16_from_f32(u as f32));

/// float16 -> float32/float64 in software, exact and raising no FP flag. (`half`'s F16C path
/// converts a whole register: whatever its other lanes hold can raise spurious flags, which
/// NumPy-style FP warnings would then report.)
pub trait F16Exact {
    fn to_f32_exact(self) -> f32;
    fn to_f64_exact(self) -> f64;
}

impl F16Exact for f16 {
    #[inline]
    fn to_f32_exact(self) -> f32 {
        let b = self.to_bits() as u32;
        let sign = (b & 0x8000) << 16;
        let (exp, man) = ((b >> 10) & 0x1f, b & 0x3ff);
        let magnitude = match exp {
            0x1f => f32::from_bits(0x7f80_0000 | (man << 13)),
            // Subnormal: man * 2^-24, exact in float32 (a normal number there).
            0 => man as f32 * (1.0 / 16_777_216.0),
            _ => f32::from_bits(((exp + 112) << 23) | (man << 13)),
        };
        f32::from_bits(magnitude.to_bits() | sign)
    }

    #[inline]
    fn to_f64_exact(self) -> f64 {
        self.to_f32_exact() as f64
    }
}

/// float32 -> float16 rounded to nearest even, raising exactly NumPy's flags for the value
/// (overflow, underflow), see `F16Exact` for why not `half`'s conversion.
#[inline]
pub fn f16_from_f32(x: f32) -> f16 {
    // float32 -> float64 is exact, so this rounds once, as a direct conversion does.
    f64_to_f16(x as f64)
}

/// float64 -> float16 rounded once, to nearest even, as NumPy does (`half`'s `from_f64`
/// rounds twice, through float32). NaNs keep the top 10 payload bits (at least one set).
/// Overflow and (inexact) underflow raise their flags, as NumPy's conversion does.
pub fn f64_to_f16(x: f64) -> f16 {
    let bits = x.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let man = bits & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        let payload = if man == 0 { 0 } else { ((man >> 42) as u16).max(1) };
        return f16::from_bits(sign | 0x7c00 | payload);
    }
    let e = exp - 1023;
    if e > 15 {
        signal_overflow();
        return f16::from_bits(sign | 0x7c00);
    }
    // Keep `keep` = the value in units of the result's last place, `shift` bits dropped.
    let (sig, shift, base) = if e >= -14 {
        (man, 42u32, (((e + 15) as u64) << 10))
    } else if exp == 0 {
        if man != 0 {
            signal_underflow();
        }
        return f16::from_bits(sign);
    } else {
        (man | (1u64 << 52), (28 - e) as u32, 0)
    };
    if shift > 53 {
        signal_underflow();
        return f16::from_bits(sign);
    }
    let kept = sig >> shift;
    let rest = sig & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let mut h = base + kept;
    if rest > half || (rest == half && h & 1 == 1) {
        h += 1;
    }
    if h >= 0x7c00 {
        signal_overflow();
    }
    if base == 0 && rest != 0 {
        signal_underflow();
    }
    f16::from_bits(sign | h as u16)
}

/// Sets the underflow flag as a hardware conversion of a tiny inexact value would.
#[cold]
fn signal_underflow() {
    let tiny = std::hint::black_box(1e-300f64);
    std::hint::black_box(tiny * tiny);
}

/// Sets the overflow flag as a hardware conversion would (by overflowing a multiplication,
/// as NumPy's software float16 conversion does), for the caller's FP-error check.
#[cold]
fn signal_overflow() {
    let big = std::hint::black_box(1e300f64);
    std::hint::black_box(big * big);
}

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
/// first). Overlapping memory is handled by copying the source aside. Same-dtype copies move
/// bytes unchanged (bool bytes other than 0/1 included, as NumPy's do).
pub fn copy_into(dst: &Array, src: &Array) -> Result<()> {
    crate::cpu::clear_avx_upper();
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
    let same = dst.dtype() == src.dtype();
    if dst.may_overlap(src) {
        if same && dst.offset() == src.offset() && dst.strides() == src.strides() {
            return Ok(());
        }
        let tmp = src.copy(crate::array::Order::C)?;
        return copy_into(dst, &tmp);
    }
    let plan = CopyPlan::new(dst, src);
    if same {
        copy_raw(dst, src, &plan);
    } else {
        dispatch!(src.dtype(), S => dispatch!(dst.dtype(), D => copy_convert::<S, D>(dst, src, &plan)));
    }
    Ok(())
}

/// The loop NumPy runs for a two-array copy: axes in the destination's memory order,
/// negative destination strides flipped (the source's with them), length-one axes dropped
/// and neighbours merged where both layouts allow. Inner runs are then as long as possible,
/// and contiguous exactly when NumPy's are (which selects its vectorised cast loops).
struct CopyPlan {
    shape: Shape,
    dst_strides: Strides,
    src_strides: Strides,
    dst_base: isize,
    src_base: isize,
}

impl CopyPlan {
    fn new(dst: &Array, src: &Array) -> CopyPlan {
        let mut plan = CopyPlan {
            shape: Shape::new(),
            dst_strides: Strides::new(),
            src_strides: Strides::new(),
            dst_base: 0,
            src_base: 0,
        };
        for k in crate::shape::memory_order_perm(dst.strides()) {
            let n = dst.shape()[k];
            if n == 1 {
                continue;
            }
            let (mut d, mut s) = (dst.strides()[k], src.strides()[k]);
            if d < 0 {
                plan.dst_base += d * (n as isize - 1);
                plan.src_base += s * (n as isize - 1);
                (d, s) = (-d, -s);
            }
            if let Some(last) = plan.shape.len().checked_sub(1) {
                if plan.dst_strides[last] == d * n as isize && plan.src_strides[last] == s * n as isize {
                    plan.shape[last] *= n;
                    plan.dst_strides[last] = d;
                    plan.src_strides[last] = s;
                    continue;
                }
            }
            plan.shape.push(n);
            plan.dst_strides.push(d);
            plan.src_strides.push(s);
        }
        plan
    }

    fn for_each_run(&self, mut f: impl FnMut(isize, isize, usize, isize, isize)) {
        for_each_inner(&self.shape, [&self.src_strides, &self.dst_strides], |[so, dof], n, [ss, ds]| {
            f(so + self.src_base, dof + self.dst_base, n, ss, ds)
        });
    }
}

fn copy_raw(dst: &Array, src: &Array, plan: &CopyPlan) {
    let (sp, dp, size) = (src.as_ptr(), dst.as_ptr(), dst.itemsize());
    plan.for_each_run(|so, dof, n, ss, ds| {
        // SAFETY: offsets come from each array's own geometry (bounds invariant); the arrays
        // do not overlap (checked by the caller).
        unsafe {
            let (s, d) = (sp.offset(so), dp.offset(dof));
            if ss == size as isize && ds == size as isize {
                std::ptr::copy_nonoverlapping(s, d, n * size);
            } else {
                match size {
                    1 => copy_strided::<u8>(s, d, n, ss, ds),
                    2 => copy_strided::<u16>(s, d, n, ss, ds),
                    4 => copy_strided::<u32>(s, d, n, ss, ds),
                    8 => copy_strided::<u64>(s, d, n, ss, ds),
                    _ => copy_strided::<u128>(s, d, n, ss, ds),
                }
            }
        }
    });
}

/// # Safety
/// `n` items of `T` at byte steps `ss`/`ds` from `s`/`d` must be valid to read/write.
unsafe fn copy_strided<T: Copy>(s: *const u8, d: *mut u8, n: usize, ss: isize, ds: isize) {
    for i in 0..n as isize {
        // SAFETY: guaranteed by the caller.
        unsafe { d.offset(i * ds).cast::<T>().write_unaligned(s.offset(i * ss).cast::<T>().read_unaligned()) };
    }
}

/// How many leading elements of a contiguous run NumPy 2.4.6 converts in its vectorised
/// float -> uint32 loop (`trunc_u32_simd`); the rest of the run, and every strided run, goes
/// through the scalar conversion. Measured: float32/float64 runs vectorise whole blocks of
/// 4; complex64 runs of n >= 5 and complex128 runs of n >= 6 vectorise blocks of 4 but
/// always leave 1 to 4 elements to the scalar tail; float16 never vectorises.
fn simd_prefix(src: DType, dst: DType, n: usize) -> usize {
    if dst != DType::UInt32 {
        return 0;
    }
    match src {
        DType::Float32 | DType::Float64 => n / 4 * 4,
        DType::Complex64 if n >= 5 => (n - 1) / 4 * 4,
        DType::Complex128 if n >= 6 => (n - 1) / 4 * 4,
        _ => 0,
    }
}

/// `convert` as NumPy's vectorised loop does it (only reached for float -> uint32).
#[inline(always)]
fn convert_simd<S: Convert, D: Convert>(v: S) -> D {
    match v.to_num() {
        Num::Float(f) | Num::Complex(f, _) => D::from_num(Num::UInt(u64::from(trunc_u32_simd(f)))),
        n => D::from_num(n),
    }
}

fn copy_convert<S: Convert, D: Convert>(dst: &Array, src: &Array, plan: &CopyPlan) {
    let (sp, dp) = (src.as_ptr(), dst.as_ptr());
    let (isize_s, isize_d) = (std::mem::size_of::<S>() as isize, std::mem::size_of::<D>() as isize);
    plan.for_each_run(|so, dof, n, ss, ds| {
        // SAFETY (both loops): offsets come from each array's own geometry (bounds invariant).
        unsafe {
            let (s, d) = (sp.offset(so), dp.offset(dof));
            if ss == isize_s && ds == isize_d {
                if float_to_int_run(S::DTYPE, D::DTYPE, s, d, n) {
                    return;
                }
                // Separate typed loops (no per-element branch) so that the compiler vectorises.
                let simd = simd_prefix(S::DTYPE, D::DTYPE, n);
                for i in 0..simd {
                    let v = load::<S>(s.add(i * isize_s as usize));
                    d.cast::<D>().add(i).write_unaligned(convert_simd::<S, D>(v));
                }
                for i in simd..n {
                    let v = load::<S>(s.add(i * isize_s as usize));
                    d.cast::<D>().add(i).write_unaligned(convert::<S, D>(v));
                }
            } else {
                for i in 0..n as isize {
                    let v = load::<S>(s.offset(i * ss));
                    d.offset(i * ds).cast::<D>().write_unaligned(convert::<S, D>(v));
                }
            }
        }
    });
}

/// Contiguous float32/float64 -> int8..int64 with the hardware's truncating conversions
/// (AVX-512): out of range and NaN give the "integer indefinite" value (i32::MIN, i64::MIN),
/// exactly `trunc_i32`/`trunc_i64`, and the narrow types keep the low bits of the int32
/// result, as `convert` does. False (nothing done) when the pair or the CPU does not qualify.
///
/// # Safety
/// `s` and `d` point to `n` contiguous elements of `src` and `dst`.
#[inline]
unsafe fn float_to_int_run(src: DType, dst: DType, s: *const u8, d: *mut u8, n: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use DType::*;
        let wide = matches!(dst, Int64);
        let narrow = matches!(dst, Int32 | Int16 | UInt16 | Int8 | UInt8);
        if !matches!(src, Float32 | Float64) || !(wide || narrow) || n < 8 || !avx512::available() {
            return false;
        }
        // SAFETY: the CPU has AVX-512 F/DQ/BW/VL; the caller's pointers cover n elements.
        unsafe {
            match (src, wide) {
                (Float64, true) => avx512::f64_to_i64(s.cast(), d.cast(), n),
                (Float32, true) => avx512::f32_to_i64(s.cast(), d.cast(), n),
                (Float64, false) => avx512::f64_to_i32_narrow(s.cast(), d, n, dst.itemsize()),
                _ => avx512::f32_to_i32_narrow(s.cast(), d, n, dst.itemsize()),
            }
        }
        true
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (src, dst, s, d, n);
        false
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;
    use std::sync::OnceLock;

    pub fn available() -> bool {
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vl")
        })
    }

    /// Runs `block(i, mask)` over `n` elements in blocks of 8, the last one masked.
    #[inline(always)]
    fn blocks8(n: usize, mut block: impl FnMut(usize, __mmask8)) {
        let mut i = 0;
        while i + 8 <= n {
            block(i, 0xff);
            i += 8;
        }
        if i < n {
            block(i, ((1u32 << (n - i)) - 1) as __mmask8);
        }
    }

    #[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
    pub unsafe fn f64_to_i64(s: *const f64, d: *mut i64, n: usize) {
        blocks8(n, |i, m| unsafe {
            let v = _mm512_maskz_loadu_pd(m, s.add(i));
            _mm512_mask_storeu_epi64(d.add(i), m, _mm512_cvttpd_epi64(v));
        });
    }

    #[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
    pub unsafe fn f32_to_i64(s: *const f32, d: *mut i64, n: usize) {
        blocks8(n, |i, m| unsafe {
            let v = _mm256_maskz_loadu_ps(m, s.add(i));
            _mm512_mask_storeu_epi64(d.add(i), m, _mm512_cvttps_epi64(v));
        });
    }

    /// Stores 8 int32 lanes as `size`-byte integers (low bits kept).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
    unsafe fn store_narrow(d: *mut u8, m: __mmask8, v: __m256i, size: usize) {
        unsafe {
            match size {
                4 => _mm256_mask_storeu_epi32(d.cast(), m, v),
                2 => _mm256_mask_cvtepi32_storeu_epi16(d.cast(), m, v),
                _ => _mm256_mask_cvtepi32_storeu_epi8(d.cast(), m, v),
            }
        }
    }

    #[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
    pub unsafe fn f64_to_i32_narrow(s: *const f64, d: *mut u8, n: usize, size: usize) {
        blocks8(n, |i, m| unsafe {
            let v = _mm512_maskz_loadu_pd(m, s.add(i));
            store_narrow(d.add(i * size), m, _mm512_cvttpd_epi32(v), size);
        });
    }

    #[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
    pub unsafe fn f32_to_i32_narrow(s: *const f32, d: *mut u8, n: usize, size: usize) {
        blocks8(n, |i, m| unsafe {
            let v = _mm256_maskz_loadu_ps(m, s.add(i));
            store_narrow(d.add(i * size), m, _mm256_cvttps_epi32(v), size);
        });
    }
}

/// Reads one source element; foreign bool bytes may be other than 0/1 (see Element).
///
/// # Safety
/// `p` points to a readable element of type `S`.
#[inline(always)]
unsafe fn load<S: Convert>(p: *const u8) -> S {
    if S::DTYPE == DType::Bool {
        S::from_num(Num::Bool(unsafe { *p } != 0))
    } else {
        unsafe { p.cast::<S>().read_unaligned() }
    }
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
