//! Scalar functions behind the ufunc loops, one trait per dtype family. float16 computes in
//! float32 and rounds once, as NumPy's half loops do.

use oxnp_core::cast::{F16Exact, f16_from_f32};
use half::f16;
use num_complex::{Complex, Complex32, Complex64};

use crate::fpe;
use crate::libm as m;

/// Real floating types (float16, float32, float64).
pub trait Flt: Copy + PartialOrd + std::fmt::Debug {
    fn add(self, b: Self) -> Self;
    fn sub(self, b: Self) -> Self;
    fn mul(self, b: Self) -> Self;
    fn div(self, b: Self) -> Self;
    fn neg(self) -> Self;
    fn abs(self) -> Self;
    fn zero() -> Self;
    fn one() -> Self;
    fn nan() -> Self;
    fn is_nan(self) -> bool;
    fn is_inf(self) -> bool;
    fn is_fin(self) -> bool;
    fn signbit(self) -> bool;
    fn sqrt(self) -> Self;
    fn cbrt(self) -> Self;
    fn exp(self) -> Self;
    fn exp2(self) -> Self;
    fn expm1(self) -> Self;
    fn log(self) -> Self;
    fn log2(self) -> Self;
    fn log10(self) -> Self;
    fn log1p(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    fn trunc(self) -> Self;
    fn rint(self) -> Self;
    fn deg2rad(self) -> Self;
    fn rad2deg(self) -> Self;
    fn spacing(self) -> Self;
    fn atan2(self, b: Self) -> Self;
    fn hypot(self, b: Self) -> Self;
    fn pow(self, b: Self) -> Self;
    fn fmod(self, b: Self) -> Self;
    fn copysign(self, b: Self) -> Self;
    fn nextafter(self, b: Self) -> Self;
    fn logaddexp(self, b: Self) -> Self;
    fn logaddexp2(self, b: Self) -> Self;
    fn divmod(self, b: Self) -> (Self, Self);
    /// NumPy's remainder for a nonzero divisor: fmod moved to the divisor's sign. It computes
    /// no quotient, so a tiny divisor raises no overflow.
    fn modulo(self, b: Self) -> Self;
    fn ldexp(self, e: i64) -> Self;
    fn frexp(self) -> (Self, i32);
    fn modf(self) -> (Self, Self);

    #[inline(always)]
    fn floor_divide(self, b: Self) -> Self {
        // divmod gets a harmless divisor when b is 0: the compiler may evaluate it (and
        // fmod's flags) on both sides of the branch below.
        let q = self.divmod(if b == Self::zero() { Self::one() } else { b }).0;
        if b == Self::zero() {
            // NumPy: x // 0 is x / 0, flagged invalid for a zero or infinite numerator,
            // divide-by-zero for a finite one, nothing for NaN.
            let q = self.div(b);
            if self.is_nan() {
            } else if self == Self::zero() || self.is_inf() {
                fpe::raise(fpe::INVALID);
            } else {
                fpe::raise(fpe::DIVIDE);
            }
            return q;
        }
        q
    }
    #[inline(always)]
    fn remainder(self, b: Self) -> Self {
        if b == Self::zero() { self.fmod(b) } else { self.modulo(b) }
    }
    #[inline(always)]
    fn sign(self) -> Self {
        if self > Self::zero() {
            Self::one()
        } else if self < Self::zero() {
            Self::one().neg()
        } else if self == Self::zero() {
            Self::zero()
        } else {
            self
        }
    }
    #[inline(always)]
    fn square(self) -> Self {
        self.mul(self)
    }
    #[inline(always)]
    fn recip(self) -> Self {
        Self::one().div(self)
    }
    /// NaN-propagating maximum; equal values give the second operand, as NumPy's SIMD loop.
    #[inline(always)]
    fn maximum(self, b: Self) -> Self {
        if self.is_nan() || self > b { self } else { b }
    }
    #[inline(always)]
    fn minimum(self, b: Self) -> Self {
        if self.is_nan() || self < b { self } else { b }
    }
    #[inline(always)]
    fn fmax(self, b: Self) -> Self {
        if b.is_nan() || self > b { self } else { b }
    }
    #[inline(always)]
    fn fmin(self, b: Self) -> Self {
        if b.is_nan() || self < b { self } else { b }
    }
    #[inline(always)]
    fn heaviside(self, h: Self) -> Self {
        if self < Self::zero() {
            Self::zero()
        } else if self > Self::zero() {
            Self::one()
        } else if self == Self::zero() {
            h
        } else {
            self
        }
    }
}

macro_rules! flt_native {
    ($t:ty, $bits:ty, $pi:expr, $ln2:expr, $log2e:expr,
     $cbrt:ident $exp:ident $exp2:ident $expm1:ident $log:ident $log2:ident $log10:ident
     $log1p:ident $sin:ident $cos:ident $tan:ident $asin:ident $acos:ident $atan:ident
     $sinh:ident $cosh:ident $tanh:ident $asinh:ident $acosh:ident $atanh:ident $atan2:ident
     $hypot:ident $pow:ident $fmod:ident $nextafter:ident $ldexp:ident $frexp:ident) => {
        impl Flt for $t {
            #[inline(always)] fn add(self, b: Self) -> Self { self + b }
            #[inline(always)] fn sub(self, b: Self) -> Self { self - b }
            #[inline(always)] fn mul(self, b: Self) -> Self { self * b }
            #[inline(always)] fn div(self, b: Self) -> Self { self / b }
            #[inline(always)] fn neg(self) -> Self { -self }
            #[inline(always)] fn abs(self) -> Self { <$t>::abs(self) }
            #[inline(always)] fn zero() -> Self { 0.0 }
            #[inline(always)] fn one() -> Self { 1.0 }
            #[inline(always)] fn nan() -> Self { <$t>::NAN }
            #[inline(always)] fn is_nan(self) -> bool { self != self }
            #[inline(always)] fn is_inf(self) -> bool { <$t>::is_infinite(self) }
            #[inline(always)] fn is_fin(self) -> bool { <$t>::is_finite(self) }
            #[inline(always)] fn signbit(self) -> bool { self.is_sign_negative() }
            #[inline(always)] fn sqrt(self) -> Self { <$t>::sqrt(self) }
            #[inline(always)] fn cbrt(self) -> Self { m::$cbrt(self) }
            #[inline(always)] fn exp(self) -> Self { m::$exp(self) }
            #[inline(always)] fn exp2(self) -> Self { m::$exp2(self) }
            #[inline(always)] fn expm1(self) -> Self { m::$expm1(self) }
            #[inline(always)] fn log(self) -> Self { m::$log(self) }
            #[inline(always)] fn log2(self) -> Self { m::$log2(self) }
            #[inline(always)] fn log10(self) -> Self { m::$log10(self) }
            #[inline(always)] fn log1p(self) -> Self { m::$log1p(self) }
            #[inline(always)] fn sin(self) -> Self { m::$sin(self) }
            #[inline(always)] fn cos(self) -> Self { m::$cos(self) }
            #[inline(always)] fn tan(self) -> Self { m::$tan(self) }
            #[inline(always)] fn asin(self) -> Self { m::$asin(self) }
            #[inline(always)] fn acos(self) -> Self { m::$acos(self) }
            #[inline(always)] fn atan(self) -> Self { m::$atan(self) }
            #[inline(always)] fn sinh(self) -> Self { m::$sinh(self) }
            #[inline(always)] fn cosh(self) -> Self { m::$cosh(self) }
            #[inline(always)] fn tanh(self) -> Self { m::$tanh(self) }
            #[inline(always)] fn asinh(self) -> Self { m::$asinh(self) }
            #[inline(always)] fn acosh(self) -> Self { m::$acosh(self) }
            #[inline(always)] fn atanh(self) -> Self { m::$atanh(self) }
            #[inline(always)] fn floor(self) -> Self { <$t>::floor(self) }
            #[inline(always)] fn ceil(self) -> Self { <$t>::ceil(self) }
            #[inline(always)] fn trunc(self) -> Self { <$t>::trunc(self) }
            #[inline(always)] fn rint(self) -> Self { <$t>::round_ties_even(self) }
            #[inline(always)] fn deg2rad(self) -> Self { self * ($pi / 180.0) }
            #[inline(always)] fn rad2deg(self) -> Self { self * (180.0 / $pi) }
            fn spacing(self) -> Self {
                if self.is_infinite() { return <$t>::NAN; }
                if self.is_nan() { return self; }
                // The next value away from zero, minus self (NumPy's npy_spacing).
                let bits = self.to_bits();
                let mag = bits & !(1 << (<$bits>::BITS - 1));
                if mag == 0 {
                    return <$t>::from_bits(1);
                }
                let next = <$t>::from_bits(bits + 1);
                next - self
            }
            #[inline(always)] fn atan2(self, b: Self) -> Self { m::$atan2(self, b) }
            #[inline(always)] fn hypot(self, b: Self) -> Self { m::$hypot(self, b) }
            #[inline(always)] fn pow(self, b: Self) -> Self { m::$pow(self, b) }
            #[inline(always)] fn fmod(self, b: Self) -> Self { m::$fmod(self, b) }
            #[inline(always)] fn copysign(self, b: Self) -> Self { <$t>::copysign(self, b) }
            #[inline(always)] fn nextafter(self, b: Self) -> Self { m::$nextafter(self, b) }
            fn logaddexp(self, b: Self) -> Self {
                if self == b {
                    return self + $ln2;
                }
                let d = self - b;
                if d > 0.0 {
                    self + m::$log1p(m::$exp(-d))
                } else if d <= 0.0 {
                    b + m::$log1p(m::$exp(d))
                } else {
                    d
                }
            }
            fn logaddexp2(self, b: Self) -> Self {
                if self == b {
                    return self + 1.0;
                }
                let d = self - b;
                if d > 0.0 {
                    self + $log2e * m::$log1p(m::$exp2(-d))
                } else if d <= 0.0 {
                    b + $log2e * m::$log1p(m::$exp2(d))
                } else {
                    d
                }
            }
            /// NumPy's npy_divmod: floor quotient and a remainder with the divisor's sign.
            fn divmod(self, b: Self) -> (Self, Self) {
                let a = self;
                let mut md = m::$fmod(a, b);
                if b == 0.0 {
                    return (a / b, md);
                }
                let mut div = (a - md) / b;
                // NaNs (operands, or fmod's result for an infinite `a`): NumPy's quiet
                // comparisons below are all false for them, but compiled branch-free `<` and
                // `>` become signalling compares that set the invalid flag, so this case
                // (tested with the quiet `!=`) skips them.
                let is_nan = <$t as Flt>::is_nan;
                if is_nan(a) || is_nan(b) || is_nan(md) || is_nan(div) {
                    return (<$t>::floor(div), md);
                }
                if md != 0.0 {
                    if b.is_sign_negative() != md.is_sign_negative() {
                        md += b;
                        div -= 1.0;
                    }
                } else {
                    md = <$t>::copysign(0.0, b);
                }
                let fdiv = if div != 0.0 {
                    let mut f = <$t>::floor(div);
                    if div - f > 0.5 {
                        f += 1.0;
                    }
                    f
                } else {
                    <$t>::copysign(0.0, a / b)
                };
                (fdiv, md)
            }
            fn modulo(self, b: Self) -> Self {
                let md = m::$fmod(self, b);
                if Flt::is_nan(md) || Flt::is_nan(b) {
                    md
                } else if md == 0.0 {
                    <$t>::copysign(0.0, b)
                } else if b.is_sign_negative() != md.is_sign_negative() {
                    md + b
                } else {
                    md
                }
            }
            #[inline(always)]
            fn ldexp(self, e: i64) -> Self {
                m::$ldexp(self, e.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
            }
            #[inline(always)]
            fn frexp(self) -> (Self, i32) {
                let mut e = 0i32;
                let f = m::$frexp(self, &mut e);
                (f, e)
            }
            #[inline(always)]
            fn modf(self) -> (Self, Self) {
                let i = <$t>::trunc(self);
                let f = if self.is_infinite() { 0.0 } else { self - i };
                (<$t>::copysign(f, self), i)
            }
        }
    };
}

flt_native!(f64, u64, std::f64::consts::PI, std::f64::consts::LN_2, std::f64::consts::LOG2_E,
    cbrt exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan sinh cosh tanh asinh
    acosh atanh atan2 hypot pow fmod nextafter ldexp frexp);
flt_native!(f32, u32, std::f32::consts::PI, std::f32::consts::LN_2, std::f32::consts::LOG2_E,
    cbrtf expf exp2f expm1f logf log2f log10f log1pf sinf cosf tanf asinf acosf atanf sinhf coshf
    tanhf asinhf acoshf atanhf atan2f hypotf powf fmodf nextafterf ldexpf frexpf);

macro_rules! via_f32 {
    ($($name:ident),*) => {$(
        #[inline(always)] fn $name(self) -> Self { f16_from_f32(<f32 as Flt>::$name(self.to_f32_exact())) }
    )*};
}
macro_rules! via_f32_2 {
    ($($name:ident),*) => {$(
        #[inline(always)] fn $name(self, b: Self) -> Self {
            f16_from_f32(<f32 as Flt>::$name(self.to_f32_exact(), b.to_f32_exact()))
        }
    )*};
}

impl Flt for f16 {
    // NumPy's half loops are scalar C: a tie keeps the first operand.
    fn maximum(self, b: Self) -> Self {
        if self.is_nan() || self >= b { self } else { b }
    }
    fn minimum(self, b: Self) -> Self {
        if self.is_nan() || self <= b { self } else { b }
    }
    fn fmax(self, b: Self) -> Self {
        if b.is_nan() || self >= b { self } else { b }
    }
    fn fmin(self, b: Self) -> Self {
        if b.is_nan() || self <= b { self } else { b }
    }
    via_f32!(abs, neg, sqrt, cbrt, exp, exp2, expm1, log, log2, log10, log1p, sin, cos, tan, asin,
        acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, floor, ceil, trunc, rint, deg2rad,
        rad2deg);
    via_f32_2!(add, sub, mul, div, atan2, hypot, pow, fmod, copysign, logaddexp, logaddexp2);
    #[inline(always)] fn zero() -> Self { f16::ZERO }
    #[inline(always)] fn one() -> Self { f16::ONE }
    #[inline(always)] fn nan() -> Self { f16::NAN }
    #[inline(always)] fn is_nan(self) -> bool { self.to_bits() & 0x7fff > 0x7c00 }
    #[inline(always)] fn is_inf(self) -> bool { self.to_bits() & 0x7fff == 0x7c00 }
    #[inline(always)] fn is_fin(self) -> bool { self.to_bits() & 0x7c00 != 0x7c00 }
    #[inline(always)] fn signbit(self) -> bool { self.to_bits() & 0x8000 != 0 }
    /// NumPy's half spacing is the (positive) gap to the next value toward +inf.
    fn spacing(self) -> Self {
        if self.is_inf() || self.is_nan() {
            fpe::raise(fpe::INVALID);
            return if self.is_nan() { self } else { f16::NAN };
        }
        if self == f16::MAX {
            fpe::raise(fpe::OVERFLOW);
        }
        let next = self.nextafter(f16::INFINITY);
        f16_from_f32(next.to_f32_exact() - self.to_f32_exact())
    }
    fn nextafter(self, b: Self) -> Self {
        if self.is_nan() || b.is_nan() { return f16::NAN; }
        let (x, y) = (self.to_bits(), b.to_bits());
        if self.to_f32_exact() == b.to_f32_exact() { return b; }
        if x & 0x7fff == 0 { return f16::from_bits((y & 0x8000) | 1); }
        let toward_zero = (self.to_f32_exact() > b.to_f32_exact()) != self.signbit();
        f16::from_bits(if toward_zero { x - 1 } else { x + 1 })
    }
    fn divmod(self, b: Self) -> (Self, Self) {
        let (q, r) = <f32 as Flt>::divmod(self.to_f32_exact(), b.to_f32_exact());
        (f16_from_f32(q), f16_from_f32(r))
    }
    fn modulo(self, b: Self) -> Self {
        f16_from_f32(<f32 as Flt>::modulo(self.to_f32_exact(), b.to_f32_exact()))
    }
    fn ldexp(self, e: i64) -> Self {
        f16_from_f32(<f32 as Flt>::ldexp(self.to_f32_exact(), e))
    }
    fn frexp(self) -> (Self, i32) {
        let (f, e) = <f32 as Flt>::frexp(self.to_f32_exact());
        (f16_from_f32(f), e)
    }
    fn modf(self) -> (Self, Self) {
        let (f, i) = <f32 as Flt>::modf(self.to_f32_exact());
        (f16_from_f32(f), f16_from_f32(i))
    }
}

/// Integer dtypes: wrapping arithmetic and NumPy's division and shift rules.
pub trait Int: Copy + Ord + std::fmt::Debug {
    fn floor_divide(self, b: Self) -> Self;
    fn remainder(self, b: Self) -> Self;
    fn fmod(self, b: Self) -> Self;
    fn power(self, b: Self) -> Self;
    fn shl(self, b: Self) -> Self;
    fn shr(self, b: Self) -> Self;
    fn gcd(self, b: Self) -> Self;
    fn lcm(self, b: Self) -> Self;
    fn sign(self) -> Self;
    fn abs(self) -> Self;
    fn popcount(self) -> u8;
    fn reciprocal(self) -> Self;
}

macro_rules! int_impl {
    ($signed:tt: $($t:ty),*) => {$(
        impl Int for $t {
            #[inline(always)]
            fn floor_divide(self, b: Self) -> Self {
                if b == 0 {
                    fpe::raise(fpe::DIVIDE);
                    return 0;
                }
                int_impl!(@floordiv $signed, self, b)
            }
            #[inline(always)]
            fn remainder(self, b: Self) -> Self {
                if b == 0 {
                    fpe::raise(fpe::DIVIDE);
                    return 0;
                }
                let r = self.wrapping_rem(b);
                int_impl!(@fixrem $signed, r, b)
            }
            #[inline(always)]
            fn fmod(self, b: Self) -> Self {
                if b == 0 {
                    fpe::raise(fpe::DIVIDE);
                    return 0;
                }
                self.wrapping_rem(b)
            }
            fn power(self, b: Self) -> Self {
                int_impl!(@negpow $signed, b);
                let (mut base, mut e, mut acc): (Self, Self, Self) = (self, b, 1);
                while e != 0 {
                    if e & 1 != 0 {
                        acc = acc.wrapping_mul(base);
                    }
                    e >>= 1;
                    if e != 0 {
                        base = base.wrapping_mul(base);
                    }
                }
                acc
            }
            #[inline(always)]
            fn shl(self, b: Self) -> Self {
                if (b as u64) < <$t>::BITS as u64 { self << b } else { 0 }
            }
            #[inline(always)]
            fn shr(self, b: Self) -> Self {
                if (b as u64) < <$t>::BITS as u64 {
                    self >> b
                } else {
                    int_impl!(@shrfill $signed, self)
                }
            }
            fn gcd(self, b: Self) -> Self {
                let (mut a, mut b) = (Int::abs(self), Int::abs(b));
                while b != 0 {
                    let t = a.wrapping_rem(b);
                    a = b;
                    b = t;
                }
                a
            }
            fn lcm(self, b: Self) -> Self {
                let g = self.gcd(b);
                // |a| / gcd * |b| in the type, wrapping as NumPy's does.
                if g == 0 { 0 } else { (Int::abs(self) / g).wrapping_mul(Int::abs(b)) }
            }
            #[inline(always)]
            fn sign(self) -> Self {
                int_impl!(@sign $signed, self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                int_impl!(@abs $signed, self)
            }
            #[inline(always)]
            fn popcount(self) -> u8 {
                Int::abs(self).count_ones() as u8
            }
            #[inline(always)]
            fn reciprocal(self) -> Self {
                // NumPy computes 1.0 / x in double and converts back with a C cast; the
                // cast of 1/0 = inf signals "invalid".
                if self == 0 {
                    fpe::raise(fpe::INVALID | fpe::DIVIDE);
                    // C's double -> uint64 conversion of inf (through 2**63) gives 0.
                    if <$t>::BITS == 64 && <$t>::MIN == 0 {
                        return 0;
                    }
                }
                oxnp_core::cast::convert::<f64, $t>(1.0 / (self as f64))
            }
        }
    )*};
    (@floordiv s, $a:expr, $b:expr) => {{
        if $b == -1 && $a == <Self>::MIN {
            fpe::raise(fpe::OVERFLOW);
            return <Self>::MIN;
        }
        let q = $a / $b;
        if ($a % $b != 0) && (($a < 0) != ($b < 0)) { q - 1 } else { q }
    }};
    (@floordiv u, $a:expr, $b:expr) => { $a / $b };
    (@fixrem s, $r:expr, $b:expr) => { if $r != 0 && (($r < 0) != ($b < 0)) { $r + $b } else { $r } };
    (@fixrem u, $r:expr, $b:expr) => { $r };
    (@negpow s, $b:expr) => { if $b < 0 { fpe::raise(fpe::NEG_INT_POWER); return 0; } };
    (@negpow u, $b:expr) => {};
    (@shrfill s, $a:expr) => { if $a < 0 { -1 } else { 0 } };
    (@shrfill u, $a:expr) => { 0 };
    (@sign s, $a:expr) => { ($a > 0) as Self - ($a < 0) as Self };
    (@sign u, $a:expr) => { ($a > 0) as Self };
    (@abs s, $a:expr) => { $a.wrapping_abs() };
    (@abs u, $a:expr) => { $a };
}

int_impl!(s: i8, i16, i32, i64);
int_impl!(u: u8, u16, u32, u64);

/// Complex dtypes, with NumPy's formulas (FMA multiply, Smith division, own log1p/expm1...).
pub trait Cpx: Copy {
    type R: Flt;
    fn mul(self, b: Self) -> Self;
    /// `mul` without fused multiply-adds.
    fn mul_plain(self, b: Self) -> Self;
    fn div(self, b: Self) -> Self;
    fn square(self) -> Self;
    fn recip(self) -> Self;
    fn abs(self) -> Self::R;
    fn sign(self) -> Self;
    fn power(self, b: Self) -> Self;
    fn sqrt(self) -> Self;
    fn exp(self) -> Self;
    fn exp2(self) -> Self;
    fn expm1(self) -> Self;
    fn log(self) -> Self;
    fn log2(self) -> Self;
    fn log10(self) -> Self;
    fn log1p(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;
    fn rint(self) -> Self;
    fn lt(self, b: Self) -> bool;
    fn le(self, b: Self) -> bool;
    /// `lt` for the comparison ufuncs: NumPy's C comparisons signal "invalid" on the NaN
    /// parts they look at (either real part, or the imaginary parts when the reals tie).
    fn cmp_lt(self, b: Self) -> bool;
    fn cmp_le(self, b: Self) -> bool;
    fn is_nan(self) -> bool;
    fn is_inf(self) -> bool;
    fn is_fin(self) -> bool;
    fn maximum(self, b: Self) -> Self;
    fn minimum(self, b: Self) -> Self;
    fn fmax(self, b: Self) -> Self;
    fn fmin(self, b: Self) -> Self;
}

macro_rules! cpx_impl {
    ($c:ty, $r:ty, $ln2:expr, $log2e:expr, $log10e:expr, $sqrt:ident $exp:ident $log:ident
     $pow:ident $sin:ident $cos:ident $tan:ident $asin:ident $acos:ident $atan:ident $sinh:ident
     $cosh:ident $tanh:ident $asinh:ident $acosh:ident $atanh:ident) => {
        impl Cpx for $c {
            type R = $r;
            #[inline(always)]
            fn mul(self, b: Self) -> Self {
                Complex::new(self.re.mul_add(b.re, -(self.im * b.im)), self.re.mul_add(b.im, self.im * b.re))
            }
            #[inline(always)]
            fn mul_plain(self, b: Self) -> Self {
                plain_mul(self, b)
            }
            fn div(self, b: Self) -> Self {
                let (ar, ai, br, bi) = (self.re, self.im, b.re, b.im);
                let (abr, abi) = (br.abs(), bi.abs());
                if abr == 0.0 && abi == 0.0 {
                    return Complex::new(ar / abr, ai / abr);
                }
                // Smith's two branches as one formula over selected operands (multiplying by
                // 1 is exact): if-converted code would otherwise divide by the zero part too
                // and raise a spurious divide-by-zero flag.
                let big = abr >= abi;
                let (num, den) = if big { (bi, br) } else { (br, bi) };
                let rat = num / den;
                let scl = 1.0 / (den + num * rat);
                let (k1, k2) = if big { (1.0, rat) } else { (rat, 1.0) };
                Complex::new((ar * k1 + ai * k2) * scl, (ai * k1 - ar * k2) * scl)
            }
            #[inline(always)]
            fn square(self) -> Self {
                let (x, y) = (self.re, self.im);
                Complex::new(x.mul_add(x, -(y * y)), 2.0 * (x * y))
            }
            fn recip(self) -> Self {
                let (r, i) = (self.re, self.im);
                // NumPy's `fabs(i) <= fabs(r)` signals "invalid" on a NaN part.
                if r.is_nan() || i.is_nan() {
                    fpe::raise(fpe::INVALID);
                }
                if i.abs() <= r.abs() {
                    let q = i / r;
                    let d = r + i * q;
                    Complex::new(1.0 / d, -q / d)
                } else {
                    let q = r / i;
                    let d = r * q + i;
                    Complex::new(q / d, -1.0 / d)
                }
            }
            fn abs(self) -> $r {
                // Branch-free with only quiet (equality) float tests, so that the vectorised
                // loop raises no flag on NaN, as NumPy's does not.
                let (x, y) = (self.re.abs(), self.im.abs());
                // Non-negative floats order like their bit patterns.
                let (big, small) = if x.to_bits() > y.to_bits() { (x, y) } else { (y, x) };
                let inf = x == <$r>::INFINITY || y == <$r>::INFINITY;
                let degenerate = big == 0.0 || big == <$r>::INFINITY;
                let q = small / if degenerate { 1.0 } else { big };
                let r = big * q.mul_add(q, 1.0).sqrt();
                if inf {
                    <$r>::INFINITY
                } else if x != x || y != y {
                    <$r>::NAN
                } else if big == 0.0 {
                    0.0
                } else {
                    r
                }
            }
            fn sign(self) -> Self {
                let a = Flt::hypot(self.re, self.im);
                if a.is_nan() {
                    Complex::new(<$r>::NAN, <$r>::NAN)
                } else if a.is_infinite() {
                    if self.re.is_infinite() {
                        if self.im.is_infinite() {
                            Complex::new(<$r>::NAN, <$r>::NAN)
                        } else {
                            Complex::new(if self.re > 0.0 { 1.0 } else { -1.0 }, 0.0)
                        }
                    } else {
                        Complex::new(0.0, if self.im > 0.0 { 1.0 } else { -1.0 })
                    }
                } else if a == 0.0 {
                    Complex::new(0.0, 0.0)
                } else {
                    Complex::new(self.re / a, self.im / a)
                }
            }
            fn power(self, b: Self) -> Self {
                let one = Complex::new(1.0, 0.0);
                if b.re == 0.0 && b.im == 0.0 {
                    return one;
                }
                if self.re == 0.0 && self.im == 0.0 {
                    if b.re > 0.0 && b.im == 0.0 {
                        return Complex::new(0.0, 0.0);
                    }
                    // 0 ** (negative or complex) is nan+nanj and flagged invalid.
                    let nan = <$r>::NAN;
                    fpe::raise(fpe::INVALID);
                    return Complex::new(nan, nan);
                }
                if b.im == 0.0 && b.re == b.re.trunc() && b.re.abs() <= 100.0 {
                    let n = b.re as i32;
                    if n == 1 {
                        return self;
                    }
                    if n == 2 {
                        return plain_mul(self, self);
                    }
                    if n == 3 {
                        return plain_mul(plain_mul(self, self), self);
                    }
                    // Repeated squaring with plain (unfused) products, as NumPy's nc_pow.
                    let mut mask = 1i32;
                    let mut aa = one;
                    let mut p = self;
                    let un = n.abs();
                    while mask > 0 && un >= mask {
                        if un & mask != 0 {
                            aa = plain_mul(aa, p);
                        }
                        mask <<= 1;
                        p = plain_mul(p, p);
                    }
                    return if n < 0 { Cpx::div(one, aa) } else { aa };
                }
                m::$pow(self, b)
            }
            #[inline(always)] fn sqrt(self) -> Self { m::$sqrt(self) }
            #[inline(always)] fn exp(self) -> Self { m::$exp(self) }
            fn exp2(self) -> Self { m::$exp(Complex::new(self.re * $ln2, self.im * $ln2)) }
            fn expm1(self) -> Self {
                let a = Flt::sin(self.im / 2.0);
                Complex::new(
                    Flt::expm1(self.re) * Flt::cos(self.im) - 2.0 * a * a,
                    Flt::exp(self.re) * Flt::sin(self.im),
                )
            }
            #[inline(always)] fn log(self) -> Self { m::$log(self) }
            fn log2(self) -> Self {
                let l = m::$log(self);
                Complex::new(l.re * $log2e, l.im * $log2e)
            }
            fn log10(self) -> Self {
                let l = m::$log(self);
                Complex::new(l.re * $log10e, l.im * $log10e)
            }
            fn log1p(self) -> Self {
                let l = Flt::hypot(self.re + 1.0, self.im);
                Complex::new(Flt::log(l), Flt::atan2(self.im, self.re + 1.0))
            }
            #[inline(always)] fn sin(self) -> Self { m::$sin(self) }
            #[inline(always)] fn cos(self) -> Self { m::$cos(self) }
            #[inline(always)] fn tan(self) -> Self { m::$tan(self) }
            #[inline(always)] fn asin(self) -> Self { m::$asin(self) }
            #[inline(always)] fn acos(self) -> Self { m::$acos(self) }
            #[inline(always)] fn atan(self) -> Self { m::$atan(self) }
            #[inline(always)] fn sinh(self) -> Self { m::$sinh(self) }
            #[inline(always)] fn cosh(self) -> Self { m::$cosh(self) }
            #[inline(always)] fn tanh(self) -> Self { m::$tanh(self) }
            #[inline(always)] fn asinh(self) -> Self { m::$asinh(self) }
            #[inline(always)] fn acosh(self) -> Self { m::$acosh(self) }
            #[inline(always)] fn atanh(self) -> Self { m::$atanh(self) }
            #[inline(always)]
            fn rint(self) -> Self { Complex::new(self.re.round_ties_even(), self.im.round_ties_even()) }
            #[inline(always)]
            fn lt(self, b: Self) -> bool {
                (self.re < b.re && self.im == self.im && b.im == b.im) || (self.re == b.re && self.im < b.im)
            }
            #[inline(always)]
            fn le(self, b: Self) -> bool {
                (self.re < b.re && self.im == self.im && b.im == b.im) || (self.re == b.re && self.im <= b.im)
            }
            #[inline(always)]
            fn cmp_lt(self, b: Self) -> bool {
                signal_unordered(self.re, self.im, b.re, b.im);
                self.lt(b)
            }
            #[inline(always)]
            fn cmp_le(self, b: Self) -> bool {
                signal_unordered(self.re, self.im, b.re, b.im);
                self.le(b)
            }
            #[inline(always)] fn is_nan(self) -> bool { self.re.is_nan() || self.im.is_nan() }
            #[inline(always)] fn is_inf(self) -> bool { self.re.is_infinite() || self.im.is_infinite() }
            #[inline(always)] fn is_fin(self) -> bool { self.re.is_finite() && self.im.is_finite() }
            #[inline(always)]
            fn maximum(self, b: Self) -> Self { if self.is_nan() || b.le(self) { self } else { b } }
            #[inline(always)]
            fn minimum(self, b: Self) -> Self { if self.is_nan() || self.le(b) { self } else { b } }
            #[inline(always)]
            fn fmax(self, b: Self) -> Self { if b.is_nan() || b.le(self) { self } else { b } }
            #[inline(always)]
            fn fmin(self, b: Self) -> Self { if b.is_nan() || self.le(b) { self } else { b } }
        }
    };
}

#[inline(always)]
fn signal_unordered<T: PartialOrd + Copy>(ar: T, ai: T, br: T, bi: T) {
    let unordered = |x: T, y: T| x.partial_cmp(&y).is_none();
    if unordered(ar, br) || (ar == br && unordered(ai, bi)) {
        fpe::raise(fpe::INVALID);
    }
}

#[inline(always)]
fn plain_mul<T: Copy + std::ops::Mul<Output = T> + std::ops::Sub<Output = T> + std::ops::Add<Output = T>>(
    a: Complex<T>,
    b: Complex<T>,
) -> Complex<T> {
    Complex::new(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

cpx_impl!(Complex64, f64, std::f64::consts::LN_2, std::f64::consts::LOG2_E, std::f64::consts::LOG10_E,
    csqrt cexp clog cpow csin ccos ctan casin cacos catan csinh ccosh ctanh casinh cacosh catanh);
cpx_impl!(Complex32, f32, std::f32::consts::LN_2, std::f32::consts::LOG2_E, std::f32::consts::LOG10_E,
    csqrtf cexpf clogf cpowf csinf ccosf ctanf casinf cacosf catanf csinhf ccoshf ctanhf casinhf
    cacoshf catanhf);
