//! The C library's math functions, called directly so results are glibc's (what NumPy calls
//! where it does not use its own SIMD code). Rust's std implements some of these itself
//! (asinh, acosh, atanh), so they are all declared here.

use num_complex::{Complex32, Complex64};

// Complex<T> is repr(C) {re, im}: on x86-64 SysV it is passed and returned exactly as C's
// `double _Complex` / `float _Complex`.
#[allow(improper_ctypes)]
unsafe extern "C" {
    pub safe fn cbrt(x: f64) -> f64;
    pub safe fn cbrtf(x: f32) -> f32;
    pub safe fn exp(x: f64) -> f64;
    pub safe fn expf(x: f32) -> f32;
    pub safe fn exp2(x: f64) -> f64;
    pub safe fn exp2f(x: f32) -> f32;
    pub safe fn expm1(x: f64) -> f64;
    pub safe fn expm1f(x: f32) -> f32;
    pub safe fn log(x: f64) -> f64;
    pub safe fn logf(x: f32) -> f32;
    pub safe fn log2(x: f64) -> f64;
    pub safe fn log2f(x: f32) -> f32;
    pub safe fn log10(x: f64) -> f64;
    pub safe fn log10f(x: f32) -> f32;
    pub safe fn log1p(x: f64) -> f64;
    pub safe fn log1pf(x: f32) -> f32;
    pub safe fn sin(x: f64) -> f64;
    pub safe fn sinf(x: f32) -> f32;
    pub safe fn cos(x: f64) -> f64;
    pub safe fn cosf(x: f32) -> f32;
    pub safe fn tan(x: f64) -> f64;
    pub safe fn tanf(x: f32) -> f32;
    pub safe fn asin(x: f64) -> f64;
    pub safe fn asinf(x: f32) -> f32;
    pub safe fn acos(x: f64) -> f64;
    pub safe fn acosf(x: f32) -> f32;
    pub safe fn atan(x: f64) -> f64;
    pub safe fn atanf(x: f32) -> f32;
    pub safe fn sinh(x: f64) -> f64;
    pub safe fn sinhf(x: f32) -> f32;
    pub safe fn cosh(x: f64) -> f64;
    pub safe fn coshf(x: f32) -> f32;
    pub safe fn tanh(x: f64) -> f64;
    pub safe fn tanhf(x: f32) -> f32;
    pub safe fn asinh(x: f64) -> f64;
    pub safe fn asinhf(x: f32) -> f32;
    pub safe fn acosh(x: f64) -> f64;
    pub safe fn acoshf(x: f32) -> f32;
    pub safe fn atanh(x: f64) -> f64;
    pub safe fn atanhf(x: f32) -> f32;
    pub safe fn atan2(y: f64, x: f64) -> f64;
    pub safe fn atan2f(y: f32, x: f32) -> f32;
    pub safe fn hypot(x: f64, y: f64) -> f64;
    pub safe fn hypotf(x: f32, y: f32) -> f32;
    pub safe fn pow(x: f64, y: f64) -> f64;
    pub safe fn powf(x: f32, y: f32) -> f32;
    pub safe fn fmod(x: f64, y: f64) -> f64;
    pub safe fn fmodf(x: f32, y: f32) -> f32;
    pub safe fn nextafter(x: f64, y: f64) -> f64;
    pub safe fn nextafterf(x: f32, y: f32) -> f32;
    pub safe fn ldexp(x: f64, e: i32) -> f64;
    pub safe fn ldexpf(x: f32, e: i32) -> f32;
    pub safe fn frexp(x: f64, e: *mut i32) -> f64;
    pub safe fn frexpf(x: f32, e: *mut i32) -> f32;

    pub safe fn csqrt(z: Complex64) -> Complex64;
    pub safe fn csqrtf(z: Complex32) -> Complex32;
    pub safe fn cexp(z: Complex64) -> Complex64;
    pub safe fn cexpf(z: Complex32) -> Complex32;
    pub safe fn clog(z: Complex64) -> Complex64;
    pub safe fn clogf(z: Complex32) -> Complex32;
    pub safe fn cpow(z: Complex64, w: Complex64) -> Complex64;
    pub safe fn cpowf(z: Complex32, w: Complex32) -> Complex32;
    pub safe fn csin(z: Complex64) -> Complex64;
    pub safe fn csinf(z: Complex32) -> Complex32;
    pub safe fn ccos(z: Complex64) -> Complex64;
    pub safe fn ccosf(z: Complex32) -> Complex32;
    pub safe fn ctan(z: Complex64) -> Complex64;
    pub safe fn ctanf(z: Complex32) -> Complex32;
    pub safe fn casin(z: Complex64) -> Complex64;
    pub safe fn casinf(z: Complex32) -> Complex32;
    pub safe fn cacos(z: Complex64) -> Complex64;
    pub safe fn cacosf(z: Complex32) -> Complex32;
    pub safe fn catan(z: Complex64) -> Complex64;
    pub safe fn catanf(z: Complex32) -> Complex32;
    pub safe fn csinh(z: Complex64) -> Complex64;
    pub safe fn csinhf(z: Complex32) -> Complex32;
    pub safe fn ccosh(z: Complex64) -> Complex64;
    pub safe fn ccoshf(z: Complex32) -> Complex32;
    pub safe fn ctanh(z: Complex64) -> Complex64;
    pub safe fn ctanhf(z: Complex32) -> Complex32;
    pub safe fn casinh(z: Complex64) -> Complex64;
    pub safe fn casinhf(z: Complex32) -> Complex32;
    pub safe fn cacosh(z: Complex64) -> Complex64;
    pub safe fn cacoshf(z: Complex32) -> Complex32;
    pub safe fn catanh(z: Complex64) -> Complex64;
    pub safe fn catanhf(z: Complex32) -> Complex32;
}
