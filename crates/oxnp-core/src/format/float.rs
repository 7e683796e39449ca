//! Float-to-text in the manner of NumPy's Dragon4 (`format_float_positional`,
//! `format_float_scientific`).
//!
//! Digits come from Rust's float formatting, which is exact: `{:e}` gives the shortest
//! round-trip digits of an f32/f64, `{:.N}`/`{:.Ne}` the exact binary value rounded half to
//! even. f16 and f32 widen to f64 exactly, so every cut-off rounding is done on the f64; only
//! the shortest digits depend on the value's own type.

use half::f16;

/// A binary float type NumPy prints with Dragon4.
pub trait PrintFloat: Copy + PartialOrd {
    /// `finfo(dtype).precision`: 3, 6 or 15.
    const PRECISION: u32;
    fn to_f64(self) -> f64;
    /// Rounds an f64 to this type (for comparisons NumPy makes in the array's own type).
    fn from_f64(x: f64) -> Self;
    /// Shortest digits that round-trip through this type; `self` finite and > 0.
    fn shortest(self) -> Digits;
}

impl PrintFloat for f64 {
    const PRECISION: u32 = 15;
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(x: f64) -> Self {
        x
    }
    fn shortest(self) -> Digits {
        ties_to_even(self.to_f64(), Digits::parse_sci(&format!("{:e}", self)), |s| s.parse::<f64>().ok() == Some(self))
    }
}

impl PrintFloat for f32 {
    const PRECISION: u32 = 6;
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn shortest(self) -> Digits {
        ties_to_even(self as f64, Digits::parse_sci(&format!("{:e}", self)), |s| s.parse::<f32>().ok() == Some(self))
    }
}

/// Dragon4 breaks a tie between two shortest candidates (the value exactly halfway between
/// them) towards the even last digit; Rust's shortest formatting rounds it up.
fn ties_to_even(x: f64, s: Digits, roundtrips: impl Fn(&str) -> bool) -> Digits {
    let n = s.digits.len();
    // A tie needs the exact value to be the n digits followed by a single 5.
    let (full, fexp) = raw_sci(&format!("{:.*e}", n, x));
    if full.last() != Some(&b'5') || !fits_in_digits(x, n + 1, fexp) {
        return s;
    }
    let lo = &full[..n];
    let mut hi = lo.to_vec();
    let mut hexp = fexp;
    let mut i = n;
    loop {
        if i == 0 {
            hi.insert(0, b'1');
            hexp += 1;
            break;
        }
        i -= 1;
        if hi[i] == b'9' {
            hi[i] = b'0';
        } else {
            hi[i] += 1;
            break;
        }
    }
    hi.truncate(n);
    let text = |d: &[u8], e: i32| format!("{}e{}", std::str::from_utf8(d).unwrap_or("0"), e - (d.len() as i32 - 1));
    let (lo_ok, hi_ok) = (roundtrips(&text(lo, fexp)), roundtrips(&text(&hi, hexp)));
    let lo_even = (lo[n - 1] - b'0') % 2 == 0;
    if lo_ok && (lo_even || !hi_ok) {
        Digits::from_parts(lo, fexp)
    } else if hi_ok {
        Digits::from_parts(&hi, hexp)
    } else {
        s
    }
}

impl PrintFloat for f16 {
    const PRECISION: u32 = 3;
    fn to_f64(self) -> f64 {
        f16::to_f64(self)
    }
    fn from_f64(x: f64) -> Self {
        f16::from_f64(x)
    }
    fn shortest(self) -> Digits {
        // `half` prints through f32, which is not shortest for f16: search the digit count.
        // Among p-digit candidates near the value, take the closest one that reads back.
        let x = f16::to_f64(self);
        for p in 1..=5usize {
            let d = Digits::parse_sci(&format!("{:.*e}", p - 1, x));
            let m: i64 = d.mantissa_int(p);
            let mut best: Option<(f64, i64)> = None;
            for cand in [m, m - 1, m + 1] {
                let Ok(v) = format!("{}e{}", cand, d.exp - (p as i32 - 1)).parse::<f64>() else {
                    continue;
                };
                if f16::from_f64(v).to_bits() == self.to_bits() {
                    let err = (v - x).abs();
                    if best.is_none_or(|(e, _)| err < e) {
                        best = Some((err, cand));
                    }
                }
            }
            if let Some((_, cand)) = best {
                let s = cand.to_string();
                return Digits::from_parts(s.as_bytes(), d.exp - p as i32 + s.len() as i32);
            }
        }
        Digits::parse_sci(&format!("{:e}", x))
    }
}

/// Decimal digits `d0.d1d2... × 10^exp`, no trailing zeros (except the single "0").
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    pub digits: Vec<u8>,
    pub exp: i32,
}

impl Digits {
    fn zero() -> Digits {
        Digits { digits: vec![b'0'], exp: 0 }
    }

    /// From significant digits (possibly with leading/trailing zeros) whose first digit has
    /// decimal exponent `exp`.
    fn from_parts(raw: &[u8], mut exp: i32) -> Digits {
        let mut start = 0;
        while start < raw.len() && raw[start] == b'0' {
            start += 1;
            exp -= 1;
        }
        let mut end = raw.len();
        while end > start && raw[end - 1] == b'0' {
            end -= 1;
        }
        if start == end {
            return Digits::zero();
        }
        Digits { digits: raw[start..end].to_vec(), exp }
    }

    /// Parses Rust's `{:e}` output of a non-negative number ("1.25e-3").
    fn parse_sci(s: &str) -> Digits {
        let (mant, e) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = e.parse().unwrap_or(0);
        let raw: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
        Digits::from_parts(&raw, exp)
    }

    /// The first `p` digits as an integer (zero-filled).
    fn mantissa_int(&self, p: usize) -> i64 {
        (0..p).fold(0i64, |acc, i| acc * 10 + (self.digits.get(i).map_or(0, |d| d - b'0') as i64))
    }

    /// Decimal exponent of the last digit.
    fn last_pos(&self) -> i32 {
        self.exp - (self.digits.len() as i32 - 1)
    }
}

/// Significant digits of a Rust `{:e}` string, kept as printed (trailing zeros too).
fn raw_sci(s: &str) -> (Vec<u8>, i32) {
    let (mant, e) = s.split_once('e').unwrap_or((s, "0"));
    (mant.bytes().filter(|b| b.is_ascii_digit()).collect(), e.parse().unwrap_or(0))
}

/// True when the exact value of `x` (> 0, leading digit exponent `exp`) has at most `n`
/// significant decimal digits, i.e. x * 10^(n-1-exp) is an integer.
fn fits_in_digits(x: f64, n: usize, exp: i32) -> bool {
    let bits = x.to_bits();
    let be = ((bits >> 52) & 0x7ff) as i32;
    let (mut m, mut q) = if be == 0 { (bits & ((1 << 52) - 1), -1074) } else { ((bits & ((1 << 52) - 1)) | (1 << 52), be - 1075) };
    let tz = m.trailing_zeros() as i32;
    m >>= tz;
    q += tz;
    let j = n as i32 - 1 - exp;
    // x * 10^j = m * 2^(q+j) * 5^j: needs q + j >= 0 and, for j < 0, 5^-j dividing m.
    if q + j < 0 {
        return false;
    }
    j >= 0 || (-j <= 22 && m % 5u64.pow((-j) as u32) == 0)
}

/// Dragon4's output when it cuts `x` (> 0, exact leading exponent `exp`) after `n` >= 1
/// significant digits: the exact digits rounded half to even. Like Dragon4, a round-down
/// keeps the digits as generated (zeros included), a round-up carries and drops the digits
/// after the carry, and a value whose exact expansion ends before the cut stops there
/// (`pad`: unique mode keeps generating zeros up to the cut).
fn cut_sig(x: f64, n: usize, exp: i32, pad: bool) -> Digits {
    if fits_in_digits(x, n, exp) {
        // Exact: n digits hold the whole expansion.
        let mut d = Digits::parse_sci(&format!("{:.*e}", n - 1, x));
        if pad {
            d.digits.resize(n, b'0');
        }
        return d;
    }
    let (rounded, rexp) = raw_sci(&format!("{:.*e}", n - 1, x));
    // The exact first n digits, read from three more unless those came out all zeros
    // (a carry may have reached them); then from the full exact expansion.
    let (mut exact, mut eexp) = raw_sci(&format!("{:.*e}", n + 2, x));
    if exact[n..].iter().all(|&d| d == b'0') {
        (exact, eexp) = raw_sci(&format!("{:.1100e}", x));
    }
    exact.truncate(n);
    if rounded == exact && rexp == eexp {
        Digits { digits: exact, exp: eexp }
    } else {
        Digits::from_parts(&rounded, rexp)
    }
}

/// Dragon4's cut of `x` (> 0, exact leading exponent `exp`) at the decimal position `pos`
/// (exponent of the last digit). A value that rounds to zero gives a "0" at `pos`.
fn cut_at(x: f64, exp: i32, pos: i32, pad: bool) -> Digits {
    let n = exp - pos + 1;
    if n >= 1 {
        return cut_sig(x, n as usize, exp, pad);
    }
    // The value is below the cut position: it rounds to 0 or to one unit there.
    let s = format!("{:.*}", (-pos).max(0) as usize, x);
    if s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        Digits { digits: vec![b'1'], exp: pos }
    } else {
        Digits { digits: vec![b'0'], exp: pos }
    }
}

/// Decimal exponent of the exact value of `x` (> 0). 18 significant digits cannot carry an
/// f64 (or narrower) value into the next power of ten.
fn exact_exp(x: f64) -> i32 {
    raw_sci(&format!("{:.17e}", x)).1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    /// 'k': keep trailing zeros.
    Keep,
    /// '.': trim trailing zeros, keep the point.
    Zeros,
    /// '0': trim to one zero after the point.
    LeaveOneZero,
    /// '-': trim zeros and the point.
    DptZeros,
}

impl Trim {
    pub fn parse(s: &str) -> Option<Trim> {
        Some(match s {
            "k" => Trim::Keep,
            "." => Trim::Zeros,
            "0" => Trim::LeaveOneZero,
            "-" => Trim::DptZeros,
            _ => return None,
        })
    }
}

/// Dragon4's options; negative integers mean "not given", as in NumPy.
#[derive(Clone, Copy, Debug)]
pub struct FloatOpts {
    pub precision: i32,
    pub unique: bool,
    /// Positional only: `precision` counts fraction digits (else significant digits).
    pub fractional: bool,
    pub trim: Trim,
    /// Print '+' on non-negative values.
    pub sign: bool,
    pub pad_left: i32,
    pub pad_right: i32,
    pub exp_digits: i32,
    pub min_digits: i32,
}

impl Default for FloatOpts {
    fn default() -> Self {
        FloatOpts {
            precision: -1,
            unique: true,
            fractional: true,
            trim: Trim::Keep,
            sign: false,
            pad_left: -1,
            pad_right: -1,
            exp_digits: -1,
            min_digits: -1,
        }
    }
}

/// The digits Dragon4 prints for |x| (finite): the shortest unique digits, unless they run
/// past the precision cut-off or stop short of `min_digits`; then the exact value rounded.
fn dragon4_digits<F: PrintFloat>(x: F, o: &FloatOpts, scientific: bool) -> Digits {
    let v = x.to_f64().abs();
    if v == 0.0 {
        return Digits::zero();
    }
    let total = scientific || !o.fractional;
    // Scientific output counts one digit before the point on top of the precision.
    let (prec, mind) = if scientific {
        (if o.precision < 0 { -1 } else { o.precision + 1 }, if o.min_digits < 0 { -1 } else { o.min_digits + 1 })
    } else {
        (o.precision, o.min_digits)
    };
    let cut = |n: i32, exp: i32| -> Digits {
        if total {
            cut_sig(v, n.max(1) as usize, exp, o.unique)
        } else {
            cut_at(v, exp, -n, o.unique)
        }
    };
    if !o.unique {
        return cut(prec, exact_exp(v));
    }
    let abs = if x.to_f64() < 0.0 { F::from_f64(v) } else { x };
    let s = abs.shortest();
    let last = s.last_pos();
    // Shortest digits past the exact value's power of ten can only be a lone 1.
    let exp = if s.digits == b"1" { exact_exp(v) } else { s.exp };
    let pos_of = |n: i32| if total { exp + 1 - n } else { -n };
    if prec >= 0 && last < pos_of(prec) {
        return cut(prec, exp);
    }
    if mind >= 0 && last > pos_of(mind) {
        let n = if prec >= 0 && pos_of(mind) < pos_of(prec) { prec } else { mind };
        return cut(n, exp);
    }
    s
}

fn sign_char(neg: bool, plus: bool) -> Option<char> {
    if neg {
        Some('-')
    } else if plus {
        Some('+')
    } else {
        None
    }
}

/// NaN / inf text: NaN carries no sign, inf only '-' or a requested '+'.
fn non_finite(x: f64, plus: bool) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else {
        format!("{}inf", sign_char(x < 0.0, plus).map_or(String::new(), String::from))
    }
}

/// `numpy.format_float_positional` on a value of type `F`.
pub fn format_positional<F: PrintFloat>(x: F, o: &FloatOpts) -> String {
    let xf = x.to_f64();
    if !xf.is_finite() {
        return non_finite(xf, o.sign);
    }
    let d = dragon4_digits(x, o, false);
    let mut out = String::with_capacity(24);
    let sign = sign_char(xf.is_sign_negative(), o.sign);
    let has_sign = sign.is_some() as i32;
    if let Some(c) = sign {
        out.push(c);
    }
    let nd = d.digits.len() as i32;
    let whole;
    let mut frac: i32;
    if d.exp >= 0 {
        whole = d.exp + 1;
        if nd <= whole {
            push_bytes(&mut out, &d.digits);
            push_n(&mut out, '0', (whole - nd) as usize);
            frac = 0;
        } else {
            push_bytes(&mut out, &d.digits[..whole as usize]);
            out.push('.');
            push_bytes(&mut out, &d.digits[whole as usize..]);
            frac = nd - whole;
        }
    } else {
        whole = 1;
        let zeros = -(d.exp + 1);
        out.push_str("0.");
        push_n(&mut out, '0', zeros as usize);
        push_bytes(&mut out, &d.digits);
        frac = zeros + nd;
    }
    if o.trim != Trim::DptZeros && frac == 0 {
        out.push('.');
    }
    let add = if o.unique { o.min_digits } else { o.precision };
    let desired = if o.fractional { add.max(0) } else { add - whole };
    match o.trim {
        Trim::LeaveOneZero if frac == 0 => {
            out.push('0');
            frac = 1;
        }
        Trim::Keep if desired > frac => {
            push_n(&mut out, '0', (desired - frac) as usize);
            frac = desired;
        }
        _ => {}
    }
    if o.trim != Trim::Keep && frac > 0 {
        while out.ends_with('0') {
            out.pop();
            frac -= 1;
        }
        if out.ends_with('.') {
            match o.trim {
                Trim::LeaveOneZero => {
                    out.push('0');
                    frac += 1;
                }
                Trim::DptZeros => {
                    out.pop();
                }
                _ => {}
            }
        }
    }
    if o.pad_right >= frac {
        if o.trim == Trim::DptZeros && frac == 0 {
            out.push(' ');
        }
        push_n(&mut out, ' ', (o.pad_right - frac) as usize);
    }
    if o.pad_left > whole + has_sign {
        let shift = (o.pad_left - whole - has_sign) as usize;
        out.insert_str(0, &" ".repeat(shift));
    }
    out
}

/// `numpy.format_float_scientific` on a value of type `F`.
pub fn format_scientific<F: PrintFloat>(x: F, o: &FloatOpts) -> String {
    let xf = x.to_f64();
    if !xf.is_finite() {
        return non_finite(xf, o.sign);
    }
    let d = dragon4_digits(x, o, true);
    let mut out = String::with_capacity(24);
    let sign = sign_char(xf.is_sign_negative(), o.sign);
    let left = 1 + sign.is_some() as i32;
    if o.pad_left > left {
        push_n(&mut out, ' ', (o.pad_left - left) as usize);
    }
    if let Some(c) = sign {
        out.push(c);
    }
    out.push(d.digits[0] as char);
    let mut frac = d.digits.len() as i32 - 1;
    if frac > 0 {
        out.push('.');
        push_bytes(&mut out, &d.digits[1..]);
    }
    if o.trim != Trim::DptZeros && frac == 0 {
        out.push('.');
    }
    let add = (if o.unique { o.min_digits } else { o.precision }).max(0);
    match o.trim {
        Trim::LeaveOneZero if frac == 0 => {
            out.push('0');
            frac = 1;
        }
        Trim::Keep if add > frac => {
            push_n(&mut out, '0', (add - frac) as usize);
            frac = add;
        }
        _ => {}
    }
    if o.trim != Trim::Keep && frac > 0 {
        while out.ends_with('0') {
            out.pop();
        }
        if o.trim == Trim::LeaveOneZero && out.ends_with('.') {
            out.push('0');
        }
    }
    let width = o.exp_digits.clamp(-1, 5);
    let width = if width < 0 { 2 } else { width } as usize;
    let e = d.exp;
    out.push('e');
    out.push(if e >= 0 { '+' } else { '-' });
    let mag = e.unsigned_abs().to_string();
    push_n(&mut out, '0', width.saturating_sub(mag.len()));
    out.push_str(&mag);
    out
}

fn push_bytes(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|&b| b as char));
}

fn push_n(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(x: f64, f: impl FnOnce(&mut FloatOpts)) -> String {
        let mut o = FloatOpts::default();
        f(&mut o);
        format_positional(x, &o)
    }

    #[test]
    fn cutoff_rounds_half_even() {
        assert_eq!(pos(0.125, |o| o.precision = 2), "0.12");
        assert_eq!(pos(0.375, |o| o.precision = 2), "0.38");
        assert_eq!(pos(2f64.powi(-9), |o| o.precision = 8), "0.00195312");
        assert_eq!(pos(0.001, |o| o.precision = 2), "0.00");
    }

    #[test]
    fn f16_shortest() {
        assert_eq!(f16::from_f64(0.1).shortest(), Digits { digits: b"1".to_vec(), exp: -1 });
        assert_eq!(format_positional(f16::from_f64(65504.0), &FloatOpts::default()), "65500.");
    }

    #[test]
    fn scientific() {
        let o = FloatOpts::default();
        assert_eq!(format_scientific(1.5e-5, &o), "1.5e-05");
        assert_eq!(format_scientific(0.0, &o), "0.e+00");
        assert_eq!(format_scientific(3.3f32, &o), "3.3e+00");
    }
}
