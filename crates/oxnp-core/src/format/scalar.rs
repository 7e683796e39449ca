//! NumPy 2 scalar `str`/`repr` (`scalartypes.c.src`) and Python's `repr` of builtins (used by
//! the 1.13 legacy mode for 0-d arrays).

use super::float::{FloatOpts, PrintFloat, Trim, format_positional, format_scientific};

/// The text of a float scalar: positional near 1, scientific for tiny/huge magnitudes.
/// `trim_pos` is '0' for floats (`1.0`) and '-' for complex parts (`1`).
pub fn float_text<F: PrintFloat>(x: F, legacy: i64, trim_pos: Trim, sign: bool) -> String {
    let v = x.to_f64();
    if v.is_nan() {
        return if sign { "+nan".into() } else { "nan".into() };
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else if sign { "+inf".into() } else { "inf".into() };
    }
    let a = v.abs();
    let max_pos = if legacy <= 202 {
        1e16
    } else {
        match F::PRECISION {
            3 => 1e3,
            6 => 1e6,
            _ => 1e16,
        }
    };
    let o = FloatOpts { sign, ..FloatOpts::default() };
    if a == 0.0 || (a >= 1e-4 && a < max_pos) {
        format_positional(x, &FloatOpts { trim: trim_pos, ..o })
    } else {
        format_scientific(x, &FloatOpts { trim: Trim::DptZeros, ..o })
    }
}

/// `str` of a complex scalar: `(1+2j)`, `1j` for a +0 real part.
pub fn complex_text<F: PrintFloat>(re: F, im: F, legacy: i64) -> String {
    let r = re.to_f64();
    if r == 0.0 && !r.is_sign_negative() {
        return format!("{}j", float_text(im, legacy, Trim::DptZeros, false));
    }
    format!(
        "({}{}j)",
        float_text(re, legacy, Trim::DptZeros, false),
        float_text(im, legacy, Trim::DptZeros, true)
    )
}

/// Python's `repr(float)`: shortest digits, positional for 1e-4 <= |x| < 1e16.
pub fn py_float_repr(x: f64) -> String {
    py_float_text(x, Trim::LeaveOneZero)
}

fn py_float_text(x: f64, trim: Trim) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let a = x.abs();
    let o = FloatOpts::default();
    if a == 0.0 || (a >= 1e-4 && a < 1e16) {
        format_positional(x, &FloatOpts { trim, ..o })
    } else {
        format_scientific(x, &FloatOpts { trim: Trim::DptZeros, ..o })
    }
}

/// Python's `repr(complex)`: `(1+2j)`, `2j`, `(nan+infj)`.
pub fn py_complex_repr(re: f64, im: f64) -> String {
    let imag = |v: f64| py_float_text(v, Trim::DptZeros);
    if re == 0.0 && !re.is_sign_negative() {
        return format!("{}j", imag(im));
    }
    let i = imag(im);
    let i = if i.starts_with('-') { i } else { format!("+{i}") };
    format!("({}{}j)", imag(re), i)
}
