//! The ufunc registry: every ufunc is one entry of the table in `build` — name, arity,
//! identity, NumPy's ordered list of dtype loops and the scalar function of each loop. The
//! dispatch tables, the Python ufunc objects and their `types` lists derive from it.

use std::sync::LazyLock;
use std::sync::atomic::AtomicU16;

use half::f16;
use num_complex::{Complex32, Complex64};
use oxnp_core::DType;

use crate::loops::{Load, LoopFn, inner_loop, run11, run12, run21, run22};
use crate::math::{Cpx, Flt, Int};
use crate::reduce::{self, ReduceFn};


/// The value a reduction starts from (NumPy's `ufunc.identity`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Identity {
    /// No identity, and the operation may not be reordered (subtract, divide, ...).
    None,
    /// No identity, but any axis order gives the same result (minimum, maximum, ...).
    ReorderableNone,
    Zero,
    One,
    MinusOne,
    True,
    False,
    NegInf,
}

/// Flag bits of a ufunc.
pub const FPE: u8 = 1;

pub struct Loop {
    /// NumPy's spelling, e.g. "bb->b".
    pub types: &'static str,
    pub ins: Vec<DType>,
    pub outs: Vec<DType>,
    pub f: LoopFn,
    /// Folds a strided run into an accumulator, for `reduce` (binary same-type loops only).
    pub reduce: Option<ReduceFn>,
}

impl Loop {
    fn new(types: &'static str, f: LoopFn, reduce: Option<ReduceFn>) -> Loop {
        let (i, o) = types.split_once("->").expect("loop types have an arrow");
        let code = |c: char| DType::ALL.into_iter().find(|d| d.char() == c).expect("known dtype char");
        Loop { types, ins: i.chars().map(code).collect(), outs: o.chars().map(code).collect(), f, reduce }
    }
}

/// How integer and bool inputs pick a loop when NumPy's rule is not the first safe loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntRule {
    FirstSafe,
    /// true_divide: any bool/int inputs use the float64 loop.
    Float64,
}

pub struct Ufunc {
    pub name: &'static str,
    pub nin: usize,
    pub nout: usize,
    pub identity: Identity,
    pub flags: u8,
    pub int_rule: IntRule,
    pub doc: &'static str,
    pub loops: Vec<Loop>,
    /// Loop chosen per operand-kind combination with default options (index + 1; 0 =
    /// not resolved yet), so repeated calls skip type resolution. See `resolve::select_loop`.
    pub cache: Vec<AtomicU16>,
}

impl Ufunc {
    pub fn checks_fpe(&self) -> bool {
        self.flags & FPE != 0
    }
    pub fn reorderable(&self) -> bool {
        self.identity != Identity::None
    }
}

macro_rules! ty {
    (?) => { bool }; (b) => { i8 }; (B) => { u8 }; (h) => { i16 }; (H) => { u16 };
    (i) => { i32 }; (I) => { u32 }; (l) => { i64 }; (L) => { u64 }; (e) => { f16 };
    (f) => { f32 }; (d) => { f64 }; (F) => { Complex32 }; (D) => { Complex64 };
}

/// Unary loops, each `(input output)`.
macro_rules! un {
    (wide; $f:expr => $(($a:tt $o:tt))*) => { vec![$(
        Loop::new(concat!(stringify!($a), "->", stringify!($o)),
            inner_loop!(wide |p, n, s| run11::<ty!($a), ty!($o)>(p, n, s, $f)), None)
    ),*] };
    ($f:expr => $(($a:tt $o:tt))*) => { vec![$(
        Loop::new(concat!(stringify!($a), "->", stringify!($o)),
            inner_loop!(|p, n, s| run11::<ty!($a), ty!($o)>(p, n, s, $f)), None)
    ),*] };
}
/// Unary loops whose output type equals the input type.
macro_rules! un_same {
    (wide; $f:expr => $($a:tt)*) => { un!(wide; $f => $(($a $a))*) };
    ($f:expr => $($a:tt)*) => { un!($f => $(($a $a))*) };
}
/// Unary loops with a fixed output type.
macro_rules! un_to {
    ($o:tt; $f:expr => $($a:tt)*) => { un!($f => $(($a $o))*) };
}
/// Binary loops, each `(in0 in1 output)`; `@fold` also gives each loop its reduce fold.
macro_rules! bin {
    (@wide $f:expr, $a:tt $b:tt $o:tt, $red:expr) => {
        Loop::new(concat!(stringify!($a), stringify!($b), "->", stringify!($o)),
            inner_loop!(wide |p, n, s| run21::<ty!($a), ty!($b), ty!($o)>(p, n, s, $f)), $red)
    };
    (@one $f:expr, $a:tt $b:tt $o:tt, $red:expr) => {
        Loop::new(concat!(stringify!($a), stringify!($b), "->", stringify!($o)),
            inner_loop!(|p, n, s| run21::<ty!($a), ty!($b), ty!($o)>(p, n, s, $f)), $red)
    };
    (@fold $f:expr => $($a:tt)*) => { vec![$(
        bin!(@one $f, $a $a $a, Some(crate::reduce::fold_fn!(ty!($a), $f)))
    ),*] };
    (@fold_default_nan $f:expr => $($a:tt)*) => { vec![$(
        bin!(@one $f, $a $a $a, Some(crate::reduce::fold_default_nan_fn!(ty!($a), $f)))
    ),*] };
    ($f:expr => $(($a:tt $b:tt $o:tt))*) => { vec![$( bin!(@one $f, $a $b $o, None) ),*] };
}
/// Binary loops whose operands and output share one type.
macro_rules! bin_same {
    ($f:expr => $($a:tt)*) => { bin!(@fold $f => $($a)*) };
}
/// Binary loops with a fixed output type (comparisons: bool).
macro_rules! bin_to {
    ($o:tt; $f:expr => $($a:tt)*) => { bin!($f => $(($a $a $o))*) };
}
/// One input, two outputs, each `(input out0 out1)`.
macro_rules! un2 {
    ($f:expr => $(($a:tt $o:tt $p:tt))*) => { vec![$(
        Loop::new(concat!(stringify!($a), "->", stringify!($o), stringify!($p)),
            inner_loop!(|p, n, s| run12::<ty!($a), ty!($o), ty!($p)>(p, n, s, $f)), None)
    ),*] };
}
/// Two same-type inputs, two outputs of that type.
macro_rules! bin2 {
    ($f:expr => $($a:tt)*) => { vec![$(
        Loop::new(concat!(stringify!($a), stringify!($a), "->", stringify!($a), stringify!($a)),
            inner_loop!(|p, n, s| run22::<ty!($a), ty!($a)>(p, n, s, $f)), None)
    ),*] };
}

/// Truth value of an element (logical_* ufuncs, `bool(x)`).
pub trait Truth: Load {
    fn truth(self) -> bool;
}
macro_rules! truth_num {
    ($($t:ty),*) => {$( impl Truth for $t { #[inline(always)] fn truth(self) -> bool { self != 0 as $t } } )*};
}
truth_num!(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64);
impl Truth for bool {
    #[inline(always)]
    fn truth(self) -> bool {
        self
    }
}
impl Truth for f16 {
    #[inline(always)]
    fn truth(self) -> bool {
        self.to_bits() & 0x7fff != 0
    }
}
impl Truth for Complex32 {
    #[inline(always)]
    fn truth(self) -> bool {
        self.re != 0.0 || self.im != 0.0
    }
}
impl Truth for Complex64 {
    #[inline(always)]
    fn truth(self) -> bool {
        self.re != 0.0 || self.im != 0.0
    }
}

struct Def {
    name: &'static str,
    nin: usize,
    nout: usize,
    identity: Identity,
    flags: u8,
    doc: &'static str,
    loops: Vec<Vec<Loop>>,
}

fn def(name: &'static str, nin: usize, nout: usize, identity: Identity, flags: u8, doc: &'static str, loops: Vec<Vec<Loop>>) -> Def {
    Def { name, nin, nout, identity, flags, doc, loops }
}

/// The table. Loop order is NumPy's `ufunc.types` order (restricted to oxnp's dtypes).
#[rustfmt::skip]
fn build() -> Vec<Ufunc> {
    use Identity as Id;
    let defs = vec![
        def("add", 2, 1, Id::Zero, FPE, "Add arguments element-wise.", vec![
            bin_same!(|a: bool, b: bool| a | b => ?),
            bin_same!(|a, b| a.wrapping_add(b) => b B h H i I l L),
            bin_same!(|a, b| Flt::add(a, b) => e f d),
            bin_same!(|a, b| a + b => F D)]),
        def("subtract", 2, 1, Id::None, FPE, "Subtract arguments, element-wise.", vec![
            bin_same!(|a, b| a.wrapping_sub(b) => b B h H i I l L),
            bin_same!(|a, b| Flt::sub(a, b) => e f d),
            bin_same!(|a, b| a - b => F D)]),
        def("multiply", 2, 1, Id::One, FPE, "Multiply arguments element-wise.", vec![
            bin_same!(|a: bool, b: bool| a & b => ?),
            bin_same!(|a, b| a.wrapping_mul(b) => b B h H i I l L),
            bin_same!(|a, b| Flt::mul(a, b) => e f d),
            // NumPy's reduction loop multiplies complex numbers without FMA.
            vec![bin!(@wide |a, b| Cpx::mul(a, b), F F F, Some(crate::reduce::fold_fn!(Complex32, |a, b| Cpx::mul_plain(a, b)))),
                 bin!(@wide |a, b| Cpx::mul(a, b), D D D, Some(crate::reduce::fold_fn!(Complex64, |a, b| Cpx::mul_plain(a, b))))]]),
        def("divide", 2, 1, Id::None, FPE, "Divide arguments element-wise.", vec![
            bin_same!(|a, b| Flt::div(a, b) => e f d),
            bin_same!(|a, b| Cpx::div(a, b) => F D)]),
        def("floor_divide", 2, 1, Id::None, FPE, "Return the largest integer smaller or equal to the division of the inputs.", vec![
            bin_same!(|a, b| Int::floor_divide(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::floor_divide(a, b) => e f d)]),
        def("remainder", 2, 1, Id::None, FPE, "Returns the element-wise remainder of division.", vec![
            bin_same!(|a, b| Int::remainder(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::remainder(a, b) => e f d)]),
        def("fmod", 2, 1, Id::None, FPE, "Returns the element-wise remainder of division.", vec![
            bin_same!(|a, b| Int::fmod(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::fmod(a, b) => e f d)]),
        def("divmod", 2, 2, Id::None, FPE, "Return element-wise quotient and remainder simultaneously.", vec![
            bin2!(|a, b| (Int::floor_divide(a, b), Int::remainder(a, b)) => b B h H i I l L),
            bin2!(|a, b| Flt::divmod(a, b) => e f d)]),
        def("power", 2, 1, Id::None, FPE, "First array elements raised to powers from second array, element-wise.", vec![
            bin_same!(|a, b| Int::power(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::pow(a, b) => e f d),
            bin_same!(|a, b| Cpx::power(a, b) => F D)]),
        def("float_power", 2, 1, Id::None, FPE, "First array elements raised to powers from second array, element-wise.", vec![
            bin_same!(|a, b| Flt::pow(a, b) => d),
            bin_same!(|a, b| Cpx::power(a, b) => D)]),
        def("negative", 1, 1, Id::None, FPE, "Numerical negative, element-wise.", vec![
            un_same!(|a| a.wrapping_neg() => b B h H i I l L),
            un_same!(|a| Flt::neg(a) => e f d),
            un_same!(|a| -a => F D)]),
        def("positive", 1, 1, Id::None, FPE, "Numerical positive, element-wise.", vec![
            un_same!(|a| a => b B h H i I l L e f d F D)]),
        def("absolute", 1, 1, Id::None, FPE, "Calculate the absolute value element-wise.", vec![
            un_same!(|a| a => ?),
            un_same!(|a| Int::abs(a) => b B h H i I l L),
            un_same!(|a| Flt::abs(a) => e f d),
            un!(wide; |a| Cpx::abs(a) => (F f) (D d))]),
        def("fabs", 1, 1, Id::None, FPE, "Compute the absolute values element-wise.", vec![
            un_same!(|a| Flt::abs(a) => e f d)]),
        def("sign", 1, 1, Id::None, 0, "Returns an element-wise indication of the sign of a number.", vec![
            un_same!(|a| Int::sign(a) => b B h H i I l L),
            un_same!(|a| Flt::sign(a) => e f d),
            un_same!(|a| Cpx::sign(a) => F D)]),
        def("reciprocal", 1, 1, Id::None, FPE, "Return the reciprocal of the argument, element-wise.", vec![
            un_same!(|a| Int::reciprocal(a) => b B h H i I l L),
            un_same!(|a| Flt::recip(a) => e f d),
            un_same!(|a| Cpx::recip(a) => F D)]),
        def("square", 1, 1, Id::None, FPE, "Return the element-wise square of the input.", vec![
            un_same!(|a| a.wrapping_mul(a) => b B h H i I l L),
            un_same!(|a| Flt::square(a) => e f d),
            un_same!(wide; |a| Cpx::square(a) => F D)]),
        def("sqrt", 1, 1, Id::None, FPE, "Return the non-negative square-root of an array, element-wise.", vec![
            un_same!(|a| Flt::sqrt(a) => e f d), un_same!(|a| Cpx::sqrt(a) => F D)]),
        def("cbrt", 1, 1, Id::None, FPE, "Return the cube-root of an array, element-wise.", vec![
            un_same!(|a| Flt::cbrt(a) => e f d)]),
        def("exp", 1, 1, Id::None, FPE, "Calculate the exponential of all elements in the input array.", vec![
            un_same!(|a| Flt::exp(a) => e),
            vec![Loop::new("f->f", crate::vecmath::exp_f32_loop, None), Loop::new("d->d", crate::vecmath::exp_loop, None)],
            un_same!(|a| Cpx::exp(a) => F D)]),
        def("exp2", 1, 1, Id::None, FPE, "Calculate `2**p` for all `p` in the input array.", vec![
            un_same!(|a| Flt::exp2(a) => e f d), un_same!(|a| Cpx::exp2(a) => F D)]),
        def("expm1", 1, 1, Id::None, FPE, "Calculate ``exp(x) - 1`` for all elements in the array.", vec![
            un_same!(|a| Flt::expm1(a) => e f d), un_same!(|a| Cpx::expm1(a) => F D)]),
        def("log", 1, 1, Id::None, FPE, "Natural logarithm, element-wise.", vec![
            un_same!(|a| Flt::log(a) => e),
            vec![Loop::new("f->f", crate::vecmath::log_f32_loop, None), Loop::new("d->d", crate::vecmath::log_loop, None)],
            un_same!(|a| Cpx::log(a) => F D)]),
        def("log2", 1, 1, Id::None, FPE, "Base-2 logarithm of `x`.", vec![
            un_same!(|a| Flt::log2(a) => e f d), un_same!(|a| Cpx::log2(a) => F D)]),
        def("log10", 1, 1, Id::None, FPE, "Return the base 10 logarithm of the input array, element-wise.", vec![
            un_same!(|a| Flt::log10(a) => e f d), un_same!(|a| Cpx::log10(a) => F D)]),
        def("log1p", 1, 1, Id::None, FPE, "Return the natural logarithm of one plus the input array, element-wise.", vec![
            un_same!(|a| Flt::log1p(a) => e f d), un_same!(|a| Cpx::log1p(a) => F D)]),
        def("logaddexp", 2, 1, Id::NegInf, FPE, "Logarithm of the sum of exponentiations of the inputs.", vec![
            bin_same!(|a, b| Flt::logaddexp(a, b) => e f d)]),
        def("logaddexp2", 2, 1, Id::NegInf, FPE, "Logarithm of the sum of exponentiations of the inputs in base-2.", vec![
            bin_same!(|a, b| Flt::logaddexp2(a, b) => e f d)]),
        def("sin", 1, 1, Id::None, FPE, "Trigonometric sine, element-wise.", vec![
            un_same!(|a| Flt::sin(a) => e f d), un_same!(|a| Cpx::sin(a) => F D)]),
        def("cos", 1, 1, Id::None, FPE, "Cosine element-wise.", vec![
            un_same!(|a| Flt::cos(a) => e f d), un_same!(|a| Cpx::cos(a) => F D)]),
        def("tan", 1, 1, Id::None, FPE, "Compute tangent element-wise.", vec![
            un_same!(|a| Flt::tan(a) => e f d), un_same!(|a| Cpx::tan(a) => F D)]),
        def("arcsin", 1, 1, Id::None, FPE, "Inverse sine, element-wise.", vec![
            un_same!(|a| Flt::asin(a) => e f d), un_same!(|a| Cpx::asin(a) => F D)]),
        def("arccos", 1, 1, Id::None, FPE, "Trigonometric inverse cosine, element-wise.", vec![
            un_same!(|a| Flt::acos(a) => e f d), un_same!(|a| Cpx::acos(a) => F D)]),
        def("arctan", 1, 1, Id::None, FPE, "Trigonometric inverse tangent, element-wise.", vec![
            un_same!(|a| Flt::atan(a) => e f d), un_same!(|a| Cpx::atan(a) => F D)]),
        def("arctan2", 2, 1, Id::None, FPE, "Element-wise arc tangent of ``x1/x2`` choosing the quadrant correctly.", vec![
            bin_same!(|a, b| Flt::atan2(a, b) => e f d)]),
        def("hypot", 2, 1, Id::Zero, FPE, "Given the \"legs\" of a right triangle, return its hypotenuse.", vec![
            bin_same!(|a, b| Flt::hypot(a, b) => e f d)]),
        def("sinh", 1, 1, Id::None, FPE, "Hyperbolic sine, element-wise.", vec![
            un_same!(|a| Flt::sinh(a) => e f d), un_same!(|a| Cpx::sinh(a) => F D)]),
        def("cosh", 1, 1, Id::None, FPE, "Hyperbolic cosine, element-wise.", vec![
            un_same!(|a| Flt::cosh(a) => e f d), un_same!(|a| Cpx::cosh(a) => F D)]),
        def("tanh", 1, 1, Id::None, FPE, "Compute hyperbolic tangent element-wise.", vec![
            un_same!(|a| Flt::tanh(a) => e f d), un_same!(|a| Cpx::tanh(a) => F D)]),
        def("arcsinh", 1, 1, Id::None, FPE, "Inverse hyperbolic sine element-wise.", vec![
            un_same!(|a| Flt::asinh(a) => e f d), un_same!(|a| Cpx::asinh(a) => F D)]),
        def("arccosh", 1, 1, Id::None, FPE, "Inverse hyperbolic cosine, element-wise.", vec![
            un_same!(|a| Flt::acosh(a) => e f d), un_same!(|a| Cpx::acosh(a) => F D)]),
        def("arctanh", 1, 1, Id::None, FPE, "Inverse hyperbolic tangent element-wise.", vec![
            un_same!(|a| Flt::atanh(a) => e f d), un_same!(|a| Cpx::atanh(a) => F D)]),
        def("deg2rad", 1, 1, Id::None, FPE, "Convert angles from degrees to radians.", vec![
            un_same!(|a| Flt::deg2rad(a) => e f d)]),
        def("rad2deg", 1, 1, Id::None, FPE, "Convert angles from radians to degrees.", vec![
            un_same!(|a| Flt::rad2deg(a) => e f d)]),
        def("radians", 1, 1, Id::None, FPE, "Convert angles from degrees to radians.", vec![
            un_same!(|a| Flt::deg2rad(a) => e f d)]),
        def("degrees", 1, 1, Id::None, FPE, "Convert angles from radians to degrees.", vec![
            un_same!(|a| Flt::rad2deg(a) => e f d)]),
        def("floor", 1, 1, Id::None, FPE, "Return the floor of the input, element-wise.", vec![
            un_same!(|a| a => ? b B h H i I l L), un_same!(|a| Flt::floor(a) => e f d)]),
        def("ceil", 1, 1, Id::None, FPE, "Return the ceiling of the input, element-wise.", vec![
            un_same!(|a| a => ? b B h H i I l L), un_same!(|a| Flt::ceil(a) => e f d)]),
        def("trunc", 1, 1, Id::None, FPE, "Return the truncated value of the input, element-wise.", vec![
            un_same!(|a| a => ? b B h H i I l L), un_same!(|a| Flt::trunc(a) => e f d)]),
        def("rint", 1, 1, Id::None, FPE, "Round elements of the array to the nearest integer.", vec![
            un_same!(|a| Flt::rint(a) => e f d), un_same!(|a| Cpx::rint(a) => F D)]),
        def("equal", 2, 1, Id::None, 0, "Return (x1 == x2) element-wise.", vec![
            bin_to!(?; |a, b| a == b => ? b B h H i I l L e f d F D)]),
        def("not_equal", 2, 1, Id::None, 0, "Return (x1 != x2) element-wise.", vec![
            bin_to!(?; |a, b| a != b => ? b B h H i I l L e f d F D)]),
        def("less", 2, 1, Id::None, 0, "Return the truth value of (x1 < x2) element-wise.", vec![
            bin_to!(?; |a, b| a < b => ? b B h H i I l L e f d), bin_to!(?; |a, b| Cpx::cmp_lt(a, b) => F D)]),
        def("less_equal", 2, 1, Id::None, 0, "Return the truth value of (x1 <= x2) element-wise.", vec![
            bin_to!(?; |a, b| a <= b => ? b B h H i I l L e f d), bin_to!(?; |a, b| Cpx::cmp_le(a, b) => F D)]),
        def("greater", 2, 1, Id::None, 0, "Return the truth value of (x1 > x2) element-wise.", vec![
            bin_to!(?; |a, b| a > b => ? b B h H i I l L e f d), bin_to!(?; |a, b| Cpx::cmp_lt(b, a) => F D)]),
        def("greater_equal", 2, 1, Id::None, 0, "Return the truth value of (x1 >= x2) element-wise.", vec![
            bin_to!(?; |a, b| a >= b => ? b B h H i I l L e f d), bin_to!(?; |a, b| Cpx::cmp_le(b, a) => F D)]),
        def("logical_and", 2, 1, Id::True, 0, "Compute the truth value of x1 AND x2 element-wise.", vec![
            bin_same!(|a: bool, b: bool| a & b => ?),
            bin_to!(?; |a, b| Truth::truth(a) & Truth::truth(b) => b B h H i I l L e f d F D)]),
        def("logical_or", 2, 1, Id::False, 0, "Compute the truth value of x1 OR x2 element-wise.", vec![
            bin_same!(|a: bool, b: bool| a | b => ?),
            bin_to!(?; |a, b| Truth::truth(a) | Truth::truth(b) => b B h H i I l L e f d F D)]),
        def("logical_xor", 2, 1, Id::False, 0, "Compute the truth value of x1 XOR x2, element-wise.", vec![
            bin_same!(|a: bool, b: bool| a ^ b => ?),
            bin_to!(?; |a, b| Truth::truth(a) ^ Truth::truth(b) => b B h H i I l L e f d F D)]),
        def("logical_not", 1, 1, Id::None, 0, "Compute the truth value of NOT x element-wise.", vec![
            un_to!(?; |a| !Truth::truth(a) => ? b B h H i I l L e f d F D)]),
        def("bitwise_and", 2, 1, Id::MinusOne, 0, "Compute the bit-wise AND of two arrays element-wise.", vec![
            bin_same!(|a, b| a & b => ? b B h H i I l L)]),
        def("bitwise_or", 2, 1, Id::Zero, 0, "Compute the bit-wise OR of two arrays element-wise.", vec![
            bin_same!(|a, b| a | b => ? b B h H i I l L)]),
        def("bitwise_xor", 2, 1, Id::Zero, 0, "Compute the bit-wise XOR of two arrays element-wise.", vec![
            bin_same!(|a, b| a ^ b => ? b B h H i I l L)]),
        def("invert", 1, 1, Id::None, 0, "Compute bit-wise inversion, or bit-wise NOT, element-wise.", vec![
            un_same!(|a| !a => ? b B h H i I l L)]),
        def("left_shift", 2, 1, Id::None, 0, "Shift the bits of an integer to the left.", vec![
            bin_same!(|a, b| Int::shl(a, b) => b B h H i I l L)]),
        def("right_shift", 2, 1, Id::None, 0, "Shift the bits of an integer to the right.", vec![
            bin_same!(|a, b| Int::shr(a, b) => b B h H i I l L)]),
        def("bitwise_count", 1, 1, Id::None, 0, "Computes the number of 1-bits in the absolute value of ``x``.", vec![
            un_to!(B; |a| Int::popcount(a) => b B h H i I l L)]),
        def("maximum", 2, 1, Id::ReorderableNone, 0, "Element-wise maximum of array elements.", vec![
            bin_same!(|a: bool, b: bool| a | b => ?),
            bin_same!(|a, b| std::cmp::max(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::maximum(a, b) => e),
            bin!(@fold_default_nan |a, b| Flt::maximum(a, b) => f d),
            bin_same!(|a, b| Cpx::maximum(a, b) => F D)]),
        def("minimum", 2, 1, Id::ReorderableNone, 0, "Element-wise minimum of array elements.", vec![
            bin_same!(|a: bool, b: bool| a & b => ?),
            bin_same!(|a, b| std::cmp::min(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::minimum(a, b) => e),
            bin!(@fold_default_nan |a, b| Flt::minimum(a, b) => f d),
            bin_same!(|a, b| Cpx::minimum(a, b) => F D)]),
        def("fmax", 2, 1, Id::ReorderableNone, 0, "Element-wise maximum of array elements.", vec![
            bin_same!(|a: bool, b: bool| a | b => ?),
            bin_same!(|a, b| std::cmp::max(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::fmax(a, b) => e f d),
            bin_same!(|a, b| Cpx::fmax(a, b) => F D)]),
        def("fmin", 2, 1, Id::ReorderableNone, 0, "Element-wise minimum of array elements.", vec![
            bin_same!(|a: bool, b: bool| a & b => ?),
            bin_same!(|a, b| std::cmp::min(a, b) => b B h H i I l L),
            bin_same!(|a, b| Flt::fmin(a, b) => e f d),
            bin_same!(|a, b| Cpx::fmin(a, b) => F D)]),
        def("isnan", 1, 1, Id::None, 0, "Test element-wise for NaN and return result as a boolean array.", vec![
            un_to!(?; |_a| false => ? b B h H i I l L), un_to!(?; |a| Flt::is_nan(a) => e f d),
            un_to!(?; |a| Cpx::is_nan(a) => F D)]),
        def("isinf", 1, 1, Id::None, 0, "Test element-wise for positive or negative infinity.", vec![
            un_to!(?; |_a| false => ? b B h H i I l L), un_to!(?; |a| Flt::is_inf(a) => e f d),
            un_to!(?; |a| Cpx::is_inf(a) => F D)]),
        def("isfinite", 1, 1, Id::None, 0, "Test element-wise for finiteness (not infinity and not Not a Number).", vec![
            un_to!(?; |_a| true => ? b B h H i I l L), un_to!(?; |a| Flt::is_fin(a) => e f d),
            un_to!(?; |a| Cpx::is_fin(a) => F D)]),
        def("signbit", 1, 1, Id::None, 0, "Returns element-wise True where signbit is set (less than zero).", vec![
            un_to!(?; |a| Flt::signbit(a) => e f d)]),
        def("copysign", 2, 1, Id::None, FPE, "Change the sign of x1 to that of x2, element-wise.", vec![
            bin_same!(|a, b| Flt::copysign(a, b) => e f d)]),
        def("nextafter", 2, 1, Id::None, FPE, "Return the next floating-point value after x1 towards x2, element-wise.", vec![
            bin_same!(|a, b| Flt::nextafter(a, b) => e f d)]),
        def("spacing", 1, 1, Id::None, FPE, "Return the distance between x and the nearest adjacent number.", vec![
            un_same!(|a| Flt::spacing(a) => e f d)]),
        def("ldexp", 2, 1, Id::None, FPE, "Returns x1 * 2**x2, element-wise.", vec![
            bin!(|a, b: i32| Flt::ldexp(a, b as i64) => (e i e) (f i f)),
            bin!(|a, b: i64| Flt::ldexp(a, b) => (e l e) (f l f)),
            bin!(|a, b: i32| Flt::ldexp(a, b as i64) => (d i d)),
            bin!(|a, b: i64| Flt::ldexp(a, b) => (d l d))]),
        def("frexp", 1, 2, Id::None, FPE, "Decompose the elements of x into mantissa and twos exponent.", vec![
            un2!(|a| Flt::frexp(a) => (e e i) (f f i) (d d i))]),
        def("modf", 1, 2, Id::None, FPE, "Return the fractional and integral parts of an array, element-wise.", vec![
            un2!(|a| Flt::modf(a) => (e e e) (f f f) (d d d))]),
        def("conjugate", 1, 1, Id::None, 0, "Return the complex conjugate, element-wise.", vec![
            un_same!(|a| a => b B h H i I l L e f d), un_same!(|a| a.conj() => F D)]),
        def("heaviside", 2, 1, Id::None, 0, "Compute the Heaviside step function.", vec![
            bin_same!(|a, b| Flt::heaviside(a, b) => e f d)]),
        def("gcd", 2, 1, Id::Zero, 0, "Returns the greatest common divisor of ``|x1|`` and ``|x2|``", vec![
            bin_same!(|a, b| Int::gcd(a, b) => b B h H i I l L)]),
        def("lcm", 2, 1, Id::None, 0, "Returns the lowest common multiple of ``|x1|`` and ``|x2|``", vec![
            bin_same!(|a, b| Int::lcm(a, b) => b B h H i I l L)]),
    ];
    defs.into_iter()
        .map(|d| {
            let mut loops: Vec<Loop> = d.loops.into_iter().flatten().collect();
            if d.name == "add" {
                reduce::install_pairwise(&mut loops);
            }
            if d.name == "multiply" {
                reduce::install_product(&mut loops);
            }
            Ufunc {
                name: d.name,
                nin: d.nin,
                nout: d.nout,
                identity: d.identity,
                flags: d.flags,
                int_rule: if d.name == "divide" { IntRule::Float64 } else { IntRule::FirstSafe },
                doc: d.doc,
                loops,
                cache: (0..crate::resolve::cache_slots(d.nin)).map(|_| AtomicU16::new(0)).collect(),
            }
        })
        .collect()
}

pub static REGISTRY: LazyLock<Vec<Ufunc>> = LazyLock::new(build);

/// The registry entry named `name`.
pub fn get(name: &str) -> Option<&'static Ufunc> {
    REGISTRY.iter().find(|u| u.name == name)
}
