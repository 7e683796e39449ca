//! NumPy's `array2string` layout and element formatters (`arrayprint.py`): FloatingFormat,
//! IntegerFormat, BoolFormat, ComplexFloatingFormat, `_formatArray` and the repr extras.

use half::f16;
use num_complex::{Complex32, Complex64};

use super::float::{FloatOpts, PrintFloat, Trim, format_positional, format_scientific};
use crate::array::Array;
use crate::dtype::DType;
use crate::element::Element;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatMode {
    Fixed,
    Unique,
    MaxPrec,
    MaxPrecEqual,
}

impl FloatMode {
    pub fn parse(s: &str) -> Option<FloatMode> {
        Some(match s {
            "fixed" => FloatMode::Fixed,
            "unique" => FloatMode::Unique,
            "maxprec" => FloatMode::MaxPrec,
            "maxprec_equal" => FloatMode::MaxPrecEqual,
            _ => return None,
        })
    }
}

/// Legacy level meaning "no legacy mode" (NumPy stores `sys.maxsize`).
pub const LEGACY_OFF: i64 = i64::MAX;

/// The print options an array formatter reads (NumPy's `format_options`, minus the Python
/// callables, which the bindings handle).
#[derive(Clone, Debug)]
pub struct PrintOptions {
    pub precision: i32,
    pub threshold: f64,
    pub edgeitems: usize,
    pub linewidth: i64,
    pub suppress: bool,
    pub nanstr: String,
    pub infstr: String,
    /// '-', '+' or ' '.
    pub sign: char,
    pub floatmode: FloatMode,
    /// 113, 121, 125, 201, 202 or `LEGACY_OFF`.
    pub legacy: i64,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 8,
            threshold: 1000.0,
            edgeitems: 3,
            linewidth: 75,
            suppress: false,
            nanstr: "nan".into(),
            infstr: "inf".into(),
            sign: '-',
            floatmode: FloatMode::MaxPrec,
            legacy: LEGACY_OFF,
        }
    }
}

fn width(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

/// NumPy's FloatingFormat: field sizes fixed from the data, then one call per element.
pub struct FloatFormat {
    exp_format: bool,
    pad_left: i32,
    pad_right: i32,
    opts: FloatOpts,
    plus: bool,
    nanstr: String,
    infstr: String,
}

impl FloatFormat {
    pub fn new<F: PrintFloat>(data: &[F], po: &PrintOptions, floatmode: FloatMode, sign: char, is_0d: bool) -> FloatFormat {
        let legacy = po.legacy;
        let sign = if legacy <= 113 && !is_0d && sign == '-' { ' ' } else { sign };
        let precision = if floatmode == FloatMode::Unique { -1 } else { po.precision };
        let plus = sign == '+';
        let finite: Vec<F> = data.iter().copied().filter(|x| x.to_f64().is_finite()).collect();
        let mut exp_format = false;
        let (mut max_v, mut min_v) = (None::<F>, None::<F>);
        for &x in &finite {
            let a = F::from_f64(x.to_f64().abs());
            if a.to_f64() == 0.0 {
                continue;
            }
            if max_v.is_none_or(|m| a > m) {
                max_v = Some(a);
            }
            if min_v.is_none_or(|m| a < m) {
                min_v = Some(a);
            }
        }
        if let (Some(mx), Some(mn)) = (max_v, min_v) {
            let cutoff = if legacy <= 202 { 1e8 } else { 10f64.powi(F::PRECISION.min(8) as i32) };
            // NumPy compares in the array's type (Python floats are weak scalars).
            let (mx64, mn64) = (mx.to_f64(), mn.to_f64());
            let ratio = F::from_f64(mx64 / mn64).to_f64();
            exp_format = mx64 >= F::from_f64(cutoff).to_f64()
                || (!po.suppress && (mn64 < F::from_f64(0.0001).to_f64() || ratio > 1000.0));
        }
        let mut o = FloatOpts { precision, sign: plus, ..FloatOpts::default() };
        let (mut pad_left, pad_right);
        if finite.is_empty() {
            pad_left = 0;
            pad_right = 0;
            o.trim = Trim::Zeros;
            o.exp_digits = -1;
            o.unique = true;
            o.min_digits = -1;
        } else if exp_format {
            let fixed = floatmode == FloatMode::Fixed || legacy <= 113;
            o.trim = if fixed { Trim::Keep } else { Trim::Zeros };
            o.unique = !fixed;
            let (mut frac_max, mut exp_max, mut int_max) = (0usize, 0usize, 0usize);
            for &x in &finite {
                let s = format_scientific(x, &o);
                let (mant, exp) = s.split_once('e').unwrap_or((&s, ""));
                let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
                frac_max = frac_max.max(frac.len());
                exp_max = exp_max.max(exp.len());
                int_max = int_max.max(int.len());
            }
            o.exp_digits = exp_max as i32 - 1;
            o.trim = Trim::Keep;
            o.precision = frac_max as i32;
            o.min_digits = frac_max as i32;
            pad_left = if legacy <= 113 { 3 } else { int_max as i32 };
            pad_right = o.exp_digits + 2 + o.precision;
        } else {
            let fixed = floatmode == FloatMode::Fixed;
            o.trim = if fixed { Trim::Keep } else { Trim::Zeros };
            o.unique = !fixed;
            let (mut int_max, mut frac_max) = (0usize, 0usize);
            for &x in &finite {
                let s = format_positional(x, &o);
                let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
                let int_len = if legacy <= 113 { 1 + int.trim_start_matches(['-', '+']).len() } else { int.len() };
                int_max = int_max.max(int_len);
                frac_max = frac_max.max(frac.len());
            }
            pad_left = int_max as i32;
            pad_right = frac_max as i32;
            if matches!(floatmode, FloatMode::Fixed | FloatMode::MaxPrecEqual) {
                o.precision = pad_right;
                o.min_digits = pad_right;
                o.trim = Trim::Keep;
            } else {
                o.trim = Trim::Zeros;
                o.min_digits = 0;
            }
        }
        if legacy > 113 && sign == ' ' && !finite.iter().any(|x| x.to_f64().is_sign_negative()) {
            pad_left += 1;
        }
        if finite.len() != data.len() {
            let neginf = sign != '-' || data.iter().any(|x| x.to_f64() == f64::NEG_INFINITY);
            let offset = pad_right + 1;
            pad_left = pad_left
                .max(width(&po.nanstr) as i32 - offset)
                .max(width(&po.infstr) as i32 + neginf as i32 - offset);
        }
        o.pad_left = pad_left;
        if !exp_format {
            o.pad_right = pad_right;
        }
        FloatFormat {
            exp_format,
            pad_left,
            pad_right,
            opts: o,
            plus,
            nanstr: po.nanstr.clone(),
            infstr: po.infstr.clone(),
        }
    }

    pub fn format<F: PrintFloat>(&self, x: F) -> String {
        let v = x.to_f64();
        if !v.is_finite() {
            let ret = if v.is_nan() {
                format!("{}{}", if self.plus { "+" } else { "" }, self.nanstr)
            } else {
                let s = if v < 0.0 { "-" } else if self.plus { "+" } else { "" };
                format!("{}{}", s, self.infstr)
            };
            let field = (self.pad_left + self.pad_right + 1).max(0) as usize;
            let pad = field.saturating_sub(width(&ret));
            return format!("{}{}", " ".repeat(pad), ret);
        }
        if self.exp_format {
            format_scientific(x, &self.opts)
        } else {
            format_positional(x, &self.opts)
        }
    }
}

/// Integer or bool elements widened for formatting.
pub trait IntLike: Copy {
    fn to_i128(self) -> i128;
}
macro_rules! int_like {
    ($($t:ty),*) => { $(impl IntLike for $t { fn to_i128(self) -> i128 { self as i128 } })* };
}
int_like!(i8, u8, i16, u16, i32, u32, i64, u64);

/// NumPy's IntegerFormat: right-aligned to the widest of max and min.
pub struct IntFormat {
    width: usize,
    sign: char,
}

impl IntFormat {
    pub fn new(data: &[i128], sign: char) -> IntFormat {
        let (Some(&mx), Some(&mn)) = (data.iter().max(), data.iter().min()) else {
            return IntFormat { width: 0, sign };
        };
        let sign = if sign == ' ' && mn < 0 { '-' } else { sign };
        let mut max_len = mx.to_string().len();
        if mx >= 0 && (sign == '+' || sign == ' ') {
            max_len += 1;
        }
        IntFormat { width: max_len.max(mn.to_string().len()), sign }
    }

    pub fn format(&self, x: i128) -> String {
        let body = match self.sign {
            '+' if x >= 0 => format!("+{x}"),
            ' ' if x >= 0 => format!(" {x}"),
            _ => x.to_string(),
        };
        format!("{:>w$}", body, w = self.width)
    }
}

/// Reads the element at byte offset `off` (relative to `as_ptr`).
///
/// # Safety
/// `off` must come from `arr`'s shape and strides and `T` must be its element type.
unsafe fn read<T: Element>(arr: &Array, off: isize) -> T {
    // SAFETY: guaranteed by the caller.
    unsafe { arr.as_ptr().offset(off).cast::<T>().read_unaligned() }
}

/// Byte offsets of the elements `_formatArray` prints, in printing order: all of them, or
/// with `summarize` only the leading and trailing `edge` entries of each long axis.
pub fn display_offsets(arr: &Array, summarize: bool, edge: usize) -> Vec<isize> {
    fn rec(arr: &Array, axis: usize, base: isize, summarize: bool, edge: usize, out: &mut Vec<isize>) {
        if axis == arr.ndim() {
            out.push(base);
            return;
        }
        let n = arr.shape()[axis];
        let st = arr.strides()[axis];
        let visit = |i: usize, out: &mut Vec<isize>| rec(arr, axis + 1, base + i as isize * st, summarize, edge, out);
        if summarize && 2 * edge < n {
            (0..edge).for_each(|i| visit(i, out));
            (n - edge..n).for_each(|i| visit(i, out));
        } else {
            (0..n).for_each(|i| visit(i, out));
        }
    }
    let mut out = Vec::new();
    rec(arr, 0, 0, summarize, edge, &mut out);
    out
}

/// Formats the displayed elements of a bool/int/float/complex array with NumPy's default
/// formatter for its dtype.
pub fn format_words(arr: &Array, offsets: &[isize], po: &PrintOptions) -> Vec<String> {
    let is_0d = arr.ndim() == 0;
    fn vals<T: Element>(arr: &Array, offsets: &[isize]) -> Vec<T> {
        // SAFETY: offsets come from display_offsets over this array; the caller matched T.
        offsets.iter().map(|&o| unsafe { read::<T>(arr, o) }).collect()
    }
    fn floats<F: PrintFloat + Element>(v: Vec<F>, po: &PrintOptions, is_0d: bool) -> Vec<String> {
        let f = FloatFormat::new(&v, po, po.floatmode, po.sign, is_0d);
        v.into_iter().map(|x| f.format(x)).collect()
    }
    fn complexes<F: PrintFloat>(re: Vec<F>, im: Vec<F>, po: &PrintOptions, is_0d: bool) -> Vec<String> {
        let (mr, mi) = if po.legacy <= 113 {
            (FloatMode::MaxPrecEqual, FloatMode::MaxPrec)
        } else {
            (po.floatmode, po.floatmode)
        };
        let rf = FloatFormat::new(&re, po, mr, po.sign, is_0d);
        let imf = FloatFormat::new(&im, po, mi, '+', is_0d);
        re.into_iter()
            .zip(im)
            .map(|(r, i)| {
                let mut s = rf.format(r);
                let is = imf.format(i);
                let cut = is.trim_end().len();
                s.push_str(&is[..cut]);
                s.push('j');
                s.push_str(&is[cut..]);
                s
            })
            .collect()
    }
    fn ints<T: Element + IntLike>(arr: &Array, offsets: &[isize], po: &PrintOptions) -> Vec<String> {
        let v: Vec<i128> = vals::<T>(arr, offsets).into_iter().map(IntLike::to_i128).collect();
        let f = IntFormat::new(&v, po.sign);
        v.into_iter().map(|x| f.format(x)).collect()
    }
    match arr.dtype() {
        DType::Bool => {
            let t = if is_0d { "True" } else { " True" };
            // Bool memory may hold bytes other than 0/1 (views of other types).
            vals::<u8>(arr, offsets).into_iter().map(|b| if b != 0 { t } else { "False" }.to_string()).collect()
        }
        DType::Int8 => ints::<i8>(arr, offsets, po),
        DType::UInt8 => ints::<u8>(arr, offsets, po),
        DType::Int16 => ints::<i16>(arr, offsets, po),
        DType::UInt16 => ints::<u16>(arr, offsets, po),
        DType::Int32 => ints::<i32>(arr, offsets, po),
        DType::UInt32 => ints::<u32>(arr, offsets, po),
        DType::Int64 => ints::<i64>(arr, offsets, po),
        DType::UInt64 => ints::<u64>(arr, offsets, po),
        DType::Float16 => floats(vals::<f16>(arr, offsets), po, is_0d),
        DType::Float32 => floats(vals::<f32>(arr, offsets), po, is_0d),
        DType::Float64 => floats(vals::<f64>(arr, offsets), po, is_0d),
        DType::Complex64 => {
            let v = vals::<Complex32>(arr, offsets);
            complexes(v.iter().map(|c| c.re).collect(), v.iter().map(|c| c.im).collect(), po, is_0d)
        }
        DType::Complex128 => {
            let v = vals::<Complex64>(arr, offsets);
            complexes(v.iter().map(|c| c.re).collect(), v.iter().map(|c| c.im).collect(), po, is_0d)
        }
    }
}

/// `_extendLine`: appends `word`, first wrapping when it would pass `line_width`.
fn extend_line(s: &mut String, line: &mut String, word: &str, line_width: usize, indent: &str, legacy: i64) {
    let mut wrap = width(line) + width(word) > line_width;
    if legacy > 113 && width(line) <= width(indent) {
        wrap = false;
    }
    if wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        line.clear();
        line.push_str(indent);
    }
    line.push_str(word);
}

/// `_extendLine_pretty`: multi-line words (from custom formatters) keep their own lines.
fn extend_line_pretty(s: &mut String, line: &mut String, word: &str, line_width: usize, indent: &str, legacy: i64) {
    let words: Vec<&str> = word.lines().collect();
    if words.len() <= 1 || legacy <= 113 {
        return extend_line(s, line, word, line_width, indent, legacy);
    }
    let max_len = words.iter().map(|w| width(w)).max().unwrap_or(0);
    let hang;
    if width(line) + max_len > line_width && width(line) > width(indent) {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = format!("{}{}", indent, words[0]);
        hang = indent.to_string();
    } else {
        hang = " ".repeat(width(line));
        line.push_str(words[0]);
    }
    for w in &words[1..] {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = format!("{}{}", hang, w);
    }
    let pad = max_len - width(words[words.len() - 1]);
    line.push_str(&" ".repeat(pad));
}

/// `_formatArray`: nests the words (in `display_offsets` order) into brackets, wrapping lines.
pub fn layout(
    shape: &[usize],
    words: Vec<String>,
    line_width: i64,
    next_line_prefix: &str,
    separator: &str,
    edge: usize,
    summarize: bool,
    legacy: i64,
) -> String {
    struct Ctx<'a> {
        shape: &'a [usize],
        words: std::vec::IntoIter<String>,
        separator: &'a str,
        edge: usize,
        summarize: bool,
        legacy: i64,
    }
    fn rec(c: &mut Ctx<'_>, axis: usize, hanging: &str, curr_width: i64) -> String {
        let axes_left = c.shape.len() - axis;
        if axes_left == 0 {
            return c.words.next().unwrap_or_default();
        }
        let next_hanging = format!("{hanging} ");
        let next_width = if c.legacy <= 113 { curr_width } else { curr_width - 1 };
        let n = c.shape[axis];
        let show_summary = c.summarize && 2 * c.edge < n;
        let (leading, trailing) = if show_summary { (c.edge, c.edge) } else { (0, n) };
        let sep_r = c.separator.trim_end();
        let mut s = String::new();
        if axes_left == 1 {
            let clamp = |w: i64| w.max(0) as usize;
            let mut elem_width = if c.legacy <= 113 {
                clamp(curr_width - width(sep_r) as i64)
            } else {
                clamp(curr_width - width(sep_r).max(1) as i64)
            };
            let mut line = hanging.to_string();
            for _ in 0..leading {
                let w = rec(c, axis + 1, &next_hanging, next_width);
                extend_line_pretty(&mut s, &mut line, &w, elem_width, hanging, c.legacy);
                line.push_str(c.separator);
            }
            if show_summary {
                extend_line(&mut s, &mut line, "...", elem_width, hanging, c.legacy);
                line.push_str(if c.legacy <= 113 { ", " } else { c.separator });
            }
            for _ in (2..=trailing).rev() {
                let w = rec(c, axis + 1, &next_hanging, next_width);
                extend_line_pretty(&mut s, &mut line, &w, elem_width, hanging, c.legacy);
                line.push_str(c.separator);
            }
            if c.legacy <= 113 {
                elem_width = clamp(curr_width);
            }
            if trailing >= 1 {
                let w = rec(c, axis + 1, &next_hanging, next_width);
                extend_line_pretty(&mut s, &mut line, &w, elem_width, hanging, c.legacy);
            }
            s.push_str(&line);
        } else {
            let line_sep = format!("{}{}", sep_r, "\n".repeat(axes_left - 1));
            for _ in 0..leading {
                let nested = rec(c, axis + 1, &next_hanging, next_width);
                s.push_str(hanging);
                s.push_str(&nested);
                s.push_str(&line_sep);
            }
            if show_summary {
                s.push_str(hanging);
                s.push_str("...");
                s.push_str(if c.legacy <= 113 { ", \n" } else { &line_sep });
            }
            for _ in (2..=trailing).rev() {
                let nested = rec(c, axis + 1, &next_hanging, next_width);
                s.push_str(hanging);
                s.push_str(&nested);
                s.push_str(&line_sep);
            }
            if trailing >= 1 {
                let nested = rec(c, axis + 1, &next_hanging, next_width);
                s.push_str(hanging);
                s.push_str(&nested);
            }
        }
        let body: String = s.chars().skip(width(hanging)).collect();
        format!("[{body}]")
    }
    let mut c = Ctx { shape, words: words.into_iter(), separator, edge, summarize, legacy };
    rec(&mut c, 0, next_line_prefix, line_width)
}

/// `dtype=` text for `repr`, or None where NumPy leaves the dtype implied.
pub fn dtype_extra(dtype: DType, size: usize, legacy: i64) -> Option<String> {
    let implied = match dtype {
        DType::Bool => legacy > 113,
        DType::Int64 | DType::Float64 | DType::Complex128 => true,
        _ => false,
    };
    if implied && size > 0 { None } else { Some(format!("dtype={}", dtype.name())) }
}

/// Python's `str(shape)`: `(3,)`, `(0, 3)`, `()`.
pub fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!("({})", shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

/// `array_repr`'s tail: joins `array(<body>` with the `shape=`/`dtype=` extras.
pub fn repr_wrap(body: &str, prefix: &str, shape: &[usize], dtype: DType, po: &PrintOptions, max_line_width: i64) -> String {
    let size: usize = shape.iter().product();
    let mut extras = Vec::new();
    if (size == 0 && shape != [0]) || (po.legacy > 210 && size as f64 > po.threshold) {
        extras.push(format!("shape={}", shape_text(shape)));
    }
    if let Some(d) = dtype_extra(dtype, size, po.legacy) {
        extras.push(d);
    }
    if extras.is_empty() {
        return format!("{prefix}{body})");
    }
    let arr_str = format!("{prefix}{body},");
    let extra = format!("{})", extras.join(", "));
    let last_len = width(&arr_str[arr_str.rfind('\n').map_or(0, |i| i + 1)..]);
    let spacer = if po.legacy > 113 && last_len as i64 + width(&extra) as i64 + 1 > max_line_width {
        format!("\n{}", " ".repeat(width(prefix)))
    } else {
        " ".to_string()
    };
    format!("{arr_str}{spacer}{extra}")
}

/// `_array2string` for an array with at least one element; `words_for` builds the element
/// texts from the displayed offsets (NumPy's formatter or a user's).
pub fn array2string_with(
    arr: &Array,
    po: &PrintOptions,
    separator: &str,
    prefix: &str,
    words_for: &mut dyn FnMut(&[isize]) -> crate::Result<Vec<String>>,
) -> crate::Result<String> {
    let summarize = arr.size() as f64 > po.threshold;
    let offsets = display_offsets(arr, summarize, po.edgeitems);
    let words = words_for(&offsets)?;
    let indent = format!(" {}", " ".repeat(width(prefix)));
    Ok(layout(arr.shape(), words, po.linewidth, &indent, separator, po.edgeitems, summarize, po.legacy))
}

/// `array2string` with NumPy's default element formatters; `linewidth` already reduced by
/// the suffix. Empty arrays print as `[]`.
pub fn array2string(arr: &Array, po: &PrintOptions, separator: &str, prefix: &str) -> String {
    if arr.size() == 0 {
        return "[]".to_string();
    }
    array2string_with(arr, po, separator, prefix, &mut |offs| Ok(format_words(arr, offs, po)))
        .unwrap_or_default()
}
