//! oxnp-jit: compiles a fused group of elementwise nodes (one small expression DAG, all of one
//! output shape) into a native row kernel with Cranelift, and runs it over strided arrays.
//!
//! The Python tracer (`python/oxnp/_jit`) builds the DAG; every node's dtype is already
//! resolved there with oxnp's own rules and every operand is already cast to the type the op
//! computes in, so code generation here is a direct translation.
//!
//! A compiled kernel processes one row: `fn(ptrs, strides, n)`, where `ptrs` holds one base
//! pointer per input then per output and `strides` one byte stride per operand. Two variants
//! are generated lazily: a strided scalar loop (always valid), and a 128-bit SIMD loop, 4x
//! unrolled with a scalar tail, used when every input's row stride is its item size or 0
//! (broadcast, loaded once and splat). The row driver (`run`) collapses dimensions, walks the
//! outer ones and splits large work across threads with rayon.

mod pair;

use std::fmt::Write as _;
use std::sync::Mutex;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{AbiParam, BlockArg, Function, InstBuilder, MemFlagsData, Type, Value, types};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Linkage, Module, default_libcall_names};
use oxnp_core::{Array, DType, Order};
use oxnp_kernels::math::Flt;
use smallvec::SmallVec;

/// Element types the compiler handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    F64,
    F32,
    I64,
    I32,
    Bool,
}

impl Ty {
    pub fn from_dtype(d: DType) -> Option<Ty> {
        Some(match d {
            DType::Float64 => Ty::F64,
            DType::Float32 => Ty::F32,
            DType::Int64 => Ty::I64,
            DType::Int32 => Ty::I32,
            DType::Bool => Ty::Bool,
            _ => return None,
        })
    }
    pub fn dtype(self) -> DType {
        match self {
            Ty::F64 => DType::Float64,
            Ty::F32 => DType::Float32,
            Ty::I64 => DType::Int64,
            Ty::I32 => DType::Int32,
            Ty::Bool => DType::Bool,
        }
    }
    fn size(self) -> usize {
        match self {
            Ty::F64 | Ty::I64 => 8,
            Ty::F32 | Ty::I32 => 4,
            Ty::Bool => 1,
        }
    }
    fn is_float(self) -> bool {
        matches!(self, Ty::F64 | Ty::F32)
    }
    /// The Cranelift scalar type (bools are i8 0/1).
    fn clif(self) -> Type {
        match self {
            Ty::F64 => types::F64,
            Ty::F32 => types::F32,
            Ty::I64 => types::I64,
            Ty::I32 => types::I32,
            Ty::Bool => types::I8,
        }
    }
}

/// The transcendental functions, called through the eager kernels' own `Flt` methods.
pub const CALLS: &[&str] = &[
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
    "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "cbrt",
];

/// One node of a fused group.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Input operand `k` (loaded from memory).
    Input(usize),
    /// A constant, already of the node's type (floats as f64, ints and bools as i64).
    ConstF(f64),
    ConstI(i64),
    Unary(String, usize),
    Binary(String, usize, usize),
    Where(usize, usize, usize),
    /// Conversion of the argument to the node's type.
    Cast(usize),
    /// `a * b + c` with one rounding (complex products and moduli, as the eager kernels).
    Fma(usize, usize, usize),
    /// `src[i0, i1, ...]`: an element of input array `src` (an `Input` node used by gathers
    /// only: the driver does not iterate it, the kernel reads it at computed offsets) at the
    /// integer indices given by the other nodes, one per dimension of `src`; negative
    /// indices wrap, out-of-range ones raise (NumPy's IndexError). The last field is the
    /// gather's rank among the kernel's gathers in program order (which error is reported
    /// when several fail).
    Gather(usize, Vec<usize>, usize),
    /// `|re + i im| <op> c` (op: less, less_equal, greater, greater_equal; `c` a constant of
    /// the parts' type) given a cheap answer `fast` and a bool `amb` that is set where
    /// `fast` may differ from the exact one: lanes are `fast` unless some lane (of the
    /// vector) is ambiguous, then a cold block computes every lane with the exact modulus
    /// (the eager kernel's `Cpx::abs`, as `_lower_cabs` spells it). Args: re, im, fast, amb.
    CabsCmp(String, f64, usize, usize, usize, usize),
}

/// Where a kernel with gathers keeps its run-time extras: one i64 table passed as the
/// pointer after the operands'. `[0]`: any index out of bounds; per gather source (input,
/// ndim, offset): its dims then its byte strides; per gather node (node, rank, source
/// input, ndim, offset): a flag, then per axis (set, first bad index in row-major order).
#[derive(Clone, Debug, Default)]
pub struct AuxLayout {
    pub srcs: Vec<(usize, usize, usize)>,
    pub errs: Vec<(usize, usize, usize, usize, usize)>,
    pub len: usize,
}

fn gather_input(p: &Program, src: usize) -> Option<usize> {
    match p.nodes.get(src)?.op {
        Op::Input(k) => Some(k),
        _ => None,
    }
}

pub fn aux_layout(p: &Program) -> AuxLayout {
    let mut l = AuxLayout { len: 1, ..Default::default() };
    for n in &p.nodes {
        if let Op::Gather(src, idx, _) = &n.op {
            let Some(k) = gather_input(p, *src) else { continue };
            if !l.srcs.iter().any(|s| s.0 == k) {
                l.srcs.push((k, idx.len(), l.len));
                l.len += 2 * idx.len();
            }
        }
    }
    for (i, n) in p.nodes.iter().enumerate() {
        if let Op::Gather(src, idx, rank) = &n.op {
            let Some(k) = gather_input(p, *src) else { continue };
            l.errs.push((i, *rank, k, idx.len(), l.len));
            l.len += 1 + 2 * idx.len();
        }
    }
    l
}

#[derive(Clone, Debug)]
pub struct Node {
    pub op: Op,
    pub ty: Ty,
}

#[derive(Clone, Debug)]
pub struct Program {
    pub nodes: Vec<Node>,
    pub inputs: Vec<Ty>,
    pub outputs: Vec<usize>,
    pub io: Io,
}

/// The arrays a kernel reads and writes, and where each real operand of the program lies in
/// them, as (array index, byte offset): a complex array holds two operands, its real and
/// imaginary parts (offsets 0 and the part size, with the array's strides).
#[derive(Clone, Debug)]
pub struct Io {
    pub inputs: Vec<DType>,
    pub in_parts: Vec<(usize, usize)>,
    pub outputs: Vec<DType>,
    pub out_parts: Vec<(usize, usize)>,
}

impl Io {
    /// One array per operand.
    pub fn plain(inputs: &[Ty], outputs: &[Ty]) -> Io {
        Io {
            inputs: inputs.iter().map(|t| t.dtype()).collect(),
            in_parts: (0..inputs.len()).map(|k| (k, 0)).collect(),
            outputs: outputs.iter().map(|t| t.dtype()).collect(),
            out_parts: (0..outputs.len()).map(|k| (k, 0)).collect(),
        }
    }
}

/// The real type of each part of array dtype `d` (one for real dtypes, two for complex).
fn part_ty(d: DType) -> Option<Ty> {
    match d {
        DType::Complex64 => Some(Ty::F32),
        DType::Complex128 => Some(Ty::F64),
        d => Ty::from_dtype(d),
    }
}

/// `fn(ptrs, strides, n, rows, row_strides)`: `rows` rows of `n` elements, each operand's
/// pointer advancing by its row stride from one row to the next (the kernel updates `ptrs`
/// in place).
type RowFn = unsafe extern "C" fn(*const *mut u8, *const isize, i64, i64, *const isize);

struct Compiled {
    f: RowFn,
    _module: JITModule,
}
// SAFETY: the module's code is immutable after finalization and the function is reentrant.
unsafe impl Send for Compiled {}
unsafe impl Sync for Compiled {}

pub struct Kernel {
    pub prog: Program,
    pub aux: AuxLayout,
    scalar: Compiled,
    /// SIMD variants by broadcast pattern (bit k: input k has row stride 0), made on demand.
    simd: Mutex<Vec<((u64, u64), std::sync::Arc<Compiled>)>>,
    lanes: Option<(u8, Type, Type)>,
    /// The Cranelift IR of the variants, for `OXNP_JIT_LOG`.
    pub ir: Mutex<String>,
    pub compile_ms: Mutex<f64>,
}

#[derive(Debug)]
pub struct JitError(pub String);

impl std::fmt::Display for JitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<E: std::fmt::Display>(e: E) -> JitError {
    JitError(e.to_string())
}

// ---- shims: the eager kernels' functions, callable from generated code ----

macro_rules! shims {
    ($($name:ident),*) => {
        mod shim_f64 { use super::Flt; $( pub extern "C" fn $name(x: f64) -> f64 { Flt::$name(x) } )* }
        mod shim_f32 { use super::Flt; $( pub extern "C" fn $name(x: f32) -> f32 { Flt::$name(x) } )* }
        fn shim_ptr(name: &str, f32: bool) -> Option<*const u8> {
            match name {
                $( stringify!($name) => Some(if f32 { shim_f32::$name as *const u8 } else { shim_f64::$name as *const u8 }), )*
                _ => None,
            }
        }
    };
}
shims!(exp2, expm1, log2, log10, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, cbrt);

/// exp and log go through the eager ufunc loops themselves (`vecmath`: NumPy's AVX-512
/// algorithms where the CPU has them, the C library otherwise), one element at a time.
macro_rules! loop_shim {
    ($name:ident, $t:ty, $lp:path) => {
        extern "C" fn $name(x: $t) -> $t {
            let mut xin = x;
            let mut out: $t = 0.0;
            let p = [&mut xin as *mut $t as *mut u8, &mut out as *mut $t as *mut u8, std::ptr::null_mut(), std::ptr::null_mut()];
            let sz = std::mem::size_of::<$t>() as isize;
            // SAFETY: one element of input and output, as the loop's contract asks.
            unsafe { $lp(&p, 1, &[sz, sz, 0, 0]) };
            out
        }
    };
}
loop_shim!(exp_f64, f64, oxnp_kernels::vecmath::exp_loop);
loop_shim!(log_f64, f64, oxnp_kernels::vecmath::log_loop);
loop_shim!(exp_f32, f32, oxnp_kernels::vecmath::exp_f32_loop);
loop_shim!(log_f32, f32, oxnp_kernels::vecmath::log_f32_loop);

/// The same loops over `n` contiguous elements in place (the scalar variant batches the
/// calls of its unrolled copies: one AVX-512 block instead of one call per element).
macro_rules! batch_shim {
    ($name:ident, $t:ty, $lp:path) => {
        extern "C" fn $name(p: *mut $t, n: usize) {
            let sz = std::mem::size_of::<$t>() as isize;
            let q = [p as *mut u8, p as *mut u8, std::ptr::null_mut(), std::ptr::null_mut()];
            // SAFETY: `n` elements at `p`, read then written in place (the loops' blocks read
            // their input before writing, so an output may alias its input exactly).
            unsafe { $lp(&q, n, &[sz, sz, 0, 0]) };
        }
    };
}
batch_shim!(exp_f64_n, f64, oxnp_kernels::vecmath::exp_loop);
batch_shim!(log_f64_n, f64, oxnp_kernels::vecmath::log_loop);
batch_shim!(exp_f32_n, f32, oxnp_kernels::vecmath::exp_f32_loop);
batch_shim!(log_f32_n, f32, oxnp_kernels::vecmath::log_f32_loop);

fn batch_shim_ptr(name: &str, f32: bool) -> Option<*const u8> {
    Some(match (name, f32) {
        ("exp", false) => exp_f64_n as *const u8,
        ("exp", true) => exp_f32_n as *const u8,
        ("log", false) => log_f64_n as *const u8,
        ("log", true) => log_f32_n as *const u8,
        _ => return None,
    })
}

/// Copies of the scalar body per iteration of the batched strided loop.
const BATCH: usize = 8;

fn loop_shim_ptr(name: &str, f32: bool) -> Option<*const u8> {
    Some(match (name, f32) {
        ("exp", false) => exp_f64 as *const u8,
        ("exp", true) => exp_f32 as *const u8,
        ("log", false) => log_f64 as *const u8,
        ("log", true) => log_f32 as *const u8,
        _ => return shim_ptr(name, f32),
    })
}

fn call_name(numpy: &str) -> &str {
    match numpy {
        "arcsin" => "asin",
        "arccos" => "acos",
        "arctan" => "atan",
        "arcsinh" => "asinh",
        "arccosh" => "acosh",
        "arctanh" => "atanh",
        n => n,
    }
}

extern "C" fn cvt_f64_i64(x: f64) -> i64 {
    oxnp_core::cast::convert::<f64, i64>(x)
}
extern "C" fn cvt_f64_i32(x: f64) -> i32 {
    oxnp_core::cast::convert::<f64, i32>(x)
}
extern "C" fn cvt_f32_i64(x: f32) -> i64 {
    oxnp_core::cast::convert::<f32, i64>(x)
}
extern "C" fn cvt_f32_i32(x: f32) -> i32 {
    oxnp_core::cast::convert::<f32, i32>(x)
}

// ---- code generation ----

/// Whether the SIMD variant can be generated: every non-bool type has one width (bool
/// inputs are widened byte by byte into lane masks, bool outputs stored lane by lane), and no
/// cast changes the width.
fn simd_lanes(p: &Program) -> Option<(u8, Type, Type)> {
    let mut width = 0usize;
    for n in &p.nodes {
        if n.ty != Ty::Bool {
            if width == 0 {
                width = n.ty.size();
            } else if width != n.ty.size() {
                return None;
            }
        }
    }
    // Vector fma needs the instruction (scalar fma falls back to the C library's).
    #[cfg(target_arch = "x86_64")]
    if !std::is_x86_feature_detected!("fma") && p.nodes.iter().any(|n| matches!(n.op, Op::Fma(..) | Op::CabsCmp(..))) {
        return None;
    }
    match width {
        4 => Some((4, types::F32X4, types::I32X4)),
        8 => Some((2, types::F64X2, types::I64X2)),
        _ => None,
    }
}

/// A gather source inside generated code: its (fixed) base pointer, dims and byte strides.
#[derive(Clone)]
struct GSrc {
    base: Value,
    dims: Vec<Value>,
    strides: Vec<Value>,
}

/// A traced loop inside a program: nodes `start..start + period * reps` are `reps` copies
/// of one iteration (each node's arguments the previous copy's shifted by `period`, or the
/// same node before `start`); `carried`: the offsets r whose previous-iteration value
/// (node `start - period + r` before the first) the iteration reads.
#[derive(Clone, Debug)]
pub struct LoopPlan {
    pub start: usize,
    pub period: usize,
    pub reps: usize,
    pub carried: Vec<usize>,
}

fn args_of(op: &Op) -> SmallVec<[usize; 4]> {
    match op {
        Op::Input(_) | Op::ConstF(_) | Op::ConstI(_) => SmallVec::new(),
        Op::Unary(_, a) | Op::Cast(a) => smallvec::smallvec![*a],
        Op::Binary(_, a, b) => smallvec::smallvec![*a, *b],
        Op::Where(a, b, c) | Op::Fma(a, b, c) => smallvec::smallvec![*a, *b, *c],
        Op::Gather(s, idx, _) => std::iter::once(*s).chain(idx.iter().copied()).collect(),
        Op::CabsCmp(_, _, a, b, c, d) => smallvec::smallvec![*a, *b, *c, *d],
    }
}

/// Whether node `i + per` is node `i` one iteration later.
fn shifted(p: &Program, i: usize, per: usize) -> bool {
    let (x, y) = (&p.nodes[i], &p.nodes[i + per]);
    if x.ty != y.ty {
        return false;
    }
    let same_kind = match (&x.op, &y.op) {
        (Op::ConstF(a), Op::ConstF(b)) => a.to_bits() == b.to_bits(),
        (Op::ConstI(a), Op::ConstI(b)) => a == b,
        (Op::Unary(m, _), Op::Unary(n, _)) | (Op::Binary(m, _, _), Op::Binary(n, _, _)) => m == n,
        (Op::Where(..), Op::Where(..)) | (Op::Cast(_), Op::Cast(_)) | (Op::Fma(..), Op::Fma(..)) => true,
        (Op::Gather(s, a, _), Op::Gather(t, c, _)) => s == t && a.len() == c.len(),
        (Op::CabsCmp(m, c, ..), Op::CabsCmp(n, d, ..)) => m == n && c.to_bits() == d.to_bits(),
        _ => false,
    };
    same_kind && args_of(&x.op).iter().zip(args_of(&y.op).iter()).all(|(&a, &c)| c == a + per || c == a)
}

/// The longest traced loop of a program (see `LoopPlan`), when it is worth a real loop.
pub fn find_loop(p: &Program) -> Option<LoopPlan> {
    let n = p.nodes.len();
    if n < 64 {
        return None;
    }
    let mut best: Option<(usize, usize, usize)> = None; // (covered, start, period)
    for per in 1..=(n / 3).min(512) {
        let mut run = 0usize;
        for i in 0..n - per {
            if shifted(p, i, per) {
                run += 1;
                let reps = (run + per) / per;
                let covered = reps * per;
                if reps >= 3 && best.is_none_or(|bst| covered > bst.0) {
                    best = Some((covered, i + 1 - run, per));
                }
            } else {
                run = 0;
            }
        }
    }
    let (covered, a, per) = best?;
    if covered < 48 {
        return None;
    }
    let reps = covered / per;
    let end = a + reps * per;
    let last = end - per;
    let mut carried = Vec::new();
    let mut invariant = std::collections::HashSet::new();
    for r in 0..per {
        let (x, y) = (&p.nodes[a + r], &p.nodes[a + per + r]);
        if matches!(x.op, Op::Input(_)) {
            return None;
        }
        for (&ax, &ay) in args_of(&x.op).iter().zip(args_of(&y.op).iter()) {
            if ay == ax + per {
                if ax + per < a {
                    return None;
                }
                if ax < a {
                    carried.push(ax + per - a);
                }
            } else if ax >= a {
                return None;
            } else {
                invariant.insert(ax);
            }
        }
    }
    // Every later iteration relates to the one before it as the second to the first (an
    // argument shifted, or the same node, never one then the other).
    for k in 1..reps - 1 {
        for r in 0..per {
            let i = a + k * per + r;
            let (x0, x1) = (args_of(&p.nodes[a + r].op), args_of(&p.nodes[a + per + r].op));
            let (y0, y1) = (args_of(&p.nodes[i].op), args_of(&p.nodes[i + per].op));
            for j in 0..x0.len() {
                if (x1[j] == x0[j] + per) != (y1[j] == y0[j] + per) {
                    return None;
                }
            }
        }
    }
    carried.sort_unstable();
    carried.dedup();
    if carried.iter().any(|&r| invariant.contains(&(a + r - per))) {
        return None;
    }
    // After the loop only the last iteration's values are read.
    let loop_node = |x: usize| x >= a && x < last;
    for k in end..n {
        if args_of(&p.nodes[k].op).iter().any(|&x| loop_node(x)) {
            return None;
        }
    }
    if p.outputs.iter().any(|&o| loop_node(o)) {
        return None;
    }
    Some(LoopPlan { start: a, period: per, reps, carried })
}

struct Gen<'a> {
    prog: &'a Program,
    lp: Option<LoopPlan>,
    /// Per input: Some for a gather source.
    gsrc: Vec<Option<GSrc>>,
    /// The aux table (see `AuxLayout`) and each gather node's error area offset.
    aux: Option<Value>,
    gerr: Vec<Option<usize>>,
    /// Vector mode: (lanes, float vector type, int/mask vector type).
    vec: Option<(u8, Type, Type)>,
    calls: Vec<(String, Ty, cranelift_codegen::ir::FuncRef)>,
}

impl Gen<'_> {
    fn vty(&self, t: Ty) -> Type {
        match self.vec {
            None => t.clif(),
            Some((_, f, i)) => {
                if t.is_float() {
                    f
                } else {
                    i
                }
            }
        }
    }

    fn konst(&self, b: &mut FunctionBuilder, t: Ty, f: f64, i: i64) -> Value {
        let s = match t {
            Ty::F64 => b.ins().f64const(f),
            Ty::F32 => b.ins().f32const(f as f32),
            Ty::I64 => b.ins().iconst(types::I64, i),
            Ty::I32 => b.ins().iconst(types::I32, i as i32 as i64),
            Ty::Bool => b.ins().iconst(types::I8, (i != 0) as i64),
        };
        match self.vec {
            None => s,
            Some(_) => {
                if t == Ty::Bool {
                    // Masks: all ones or zero in the lane width.
                    let it = self.vty(Ty::Bool);
                    let lane = it.lane_type();
                    let v = b.ins().iconst(lane, if i != 0 { -1 } else { 0 });
                    b.ins().splat(it, v)
                } else {
                    b.ins().splat(self.vty(t), s)
                }
            }
        }
    }

    fn fref(&self, name: &str, t: Ty) -> cranelift_codegen::ir::FuncRef {
        self.calls.iter().find(|(n, ty, _)| n == name && *ty == t).expect("declared call").2
    }

    /// Applies a scalar-typed call lane by lane in vector mode.
    fn call1(&self, b: &mut FunctionBuilder, name: &str, t: Ty, to: Ty, x: Value) -> Value {
        let fr = self.fref(name, t);
        match self.vec {
            None => {
                let c = b.ins().call(fr, &[x]);
                b.inst_results(c)[0]
            }
            Some((lanes, _, _)) => {
                let mut v = None;
                for l in 0..lanes {
                    let e = b.ins().extractlane(x, l);
                    let c = b.ins().call(fr, &[e]);
                    let r = b.inst_results(c)[0];
                    v = Some(match v {
                        None => b.ins().splat(self.vty(to), r),
                        Some(v) => b.ins().insertlane(v, r, l),
                    });
                }
                v.expect("lanes")
            }
        }
    }

    /// A comparison result in this mode's bool representation.
    fn cmp(&self, b: &mut FunctionBuilder, op: &str, t: Ty, x: Value, y: Value) -> Value {
        if t.is_float() {
            let cc = match op {
                "equal" => FloatCC::Equal,
                "not_equal" => FloatCC::NotEqual,
                "less" => FloatCC::LessThan,
                "less_equal" => FloatCC::LessThanOrEqual,
                "greater" => FloatCC::GreaterThan,
                _ => FloatCC::GreaterThanOrEqual,
            };
            let r = b.ins().fcmp(cc, x, y);
            r
        } else {
            let cc = match op {
                "equal" => IntCC::Equal,
                "not_equal" => IntCC::NotEqual,
                "less" => IntCC::SignedLessThan,
                "less_equal" => IntCC::SignedLessThanOrEqual,
                "greater" => IntCC::SignedGreaterThan,
                _ => IntCC::SignedGreaterThanOrEqual,
            };
            if t == Ty::Bool && self.vec.is_none() {
                // 0/1 bytes compare as unsigned.
                let cc = match cc {
                    IntCC::SignedLessThan => IntCC::UnsignedLessThan,
                    IntCC::SignedLessThanOrEqual => IntCC::UnsignedLessThanOrEqual,
                    IntCC::SignedGreaterThan => IntCC::UnsignedGreaterThan,
                    IntCC::SignedGreaterThanOrEqual => IntCC::UnsignedGreaterThanOrEqual,
                    c => c,
                };
                return b.ins().icmp(cc, x, y);
            }
            if t == Ty::Bool {
                // Masks are 0 / -1: compare reversed for order.
                let cc = match cc {
                    IntCC::SignedLessThan => IntCC::SignedGreaterThan,
                    IntCC::SignedLessThanOrEqual => IntCC::SignedGreaterThanOrEqual,
                    IntCC::SignedGreaterThan => IntCC::SignedLessThan,
                    IntCC::SignedGreaterThanOrEqual => IntCC::SignedLessThanOrEqual,
                    c => c,
                };
                return b.ins().icmp(cc, x, y);
            }
            b.ins().icmp(cc, x, y)
        }
    }

    /// `c ? x : y` where `c` is a bool of this mode.
    fn sel(&self, b: &mut FunctionBuilder, t: Ty, c: Value, x: Value, y: Value) -> Value {
        match self.vec {
            None => b.ins().select(c, x, y),
            Some(_) => {
                // Floats are selected as integer lanes with the mask (an icmp / fcmp result,
                // all ones or zero per lane): Cranelift lowers that bitselect to one blend.
                let le = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
                if t.is_float() {
                    let it = self.vty(Ty::Bool);
                    let ct = b.func.dfg.value_type(c);
                    let c = if ct == it { c } else { b.ins().bitcast(it, le, c) };
                    let xi = b.ins().bitcast(it, le, x);
                    let yi = b.ins().bitcast(it, le, y);
                    let r = b.ins().bitselect(c, xi, yi);
                    b.ins().bitcast(self.vty(t), le, r)
                } else {
                    b.ins().bitselect(c, x, y)
                }
            }
        }
    }

    /// See `Op::CabsCmp`: `fast` unless a lane is ambiguous, then the exact comparison.
    #[allow(clippy::too_many_arguments)]
    fn cabs_cmp(&self, b: &mut FunctionBuilder, t: Ty, op: &str, c: f64, re: Value, im: Value, fast: Value, amb: Value) -> Value {
        let any = if self.vec.is_some() { b.ins().vany_true(amb) } else { amb };
        let exact = b.create_block();
        let cont = b.create_block();
        b.set_cold_block(exact);
        let rt = b.func.dfg.value_type(fast);
        let r = b.append_block_param(cont, rt);
        b.ins().brif(any, exact, &[], cont, &[BlockArg::Value(fast)]);
        b.switch_to_block(exact);
        // big * sqrt(fma(q, q, 1)), q = small / big; 0 if big is 0, NaN if a part is NaN,
        // inf if a part is inf.
        let x = b.ins().fabs(re);
        let y = b.ins().fabs(im);
        let gt = self.cmp(b, "greater", t, x, y);
        let big = self.sel(b, t, gt, x, y);
        let small = self.sel(b, t, gt, y, x);
        let zero = self.konst(b, t, 0.0, 0);
        let one = self.konst(b, t, 1.0, 0);
        let inf = self.konst(b, t, f64::INFINITY, 0);
        let nan = self.konst(b, t, f64::NAN, 0);
        let bzero = self.cmp(b, "equal", t, big, zero);
        let binf = self.cmp(b, "equal", t, big, inf);
        let degenerate = self.bor(b, bzero, binf);
        let den = self.sel(b, t, degenerate, one, big);
        let q = b.ins().fdiv(small, den);
        let h = b.ins().fma(q, q, one);
        let h = b.ins().sqrt(h);
        let m = b.ins().fmul(big, h);
        let xinf = self.cmp(b, "equal", t, x, inf);
        let yinf = self.cmp(b, "equal", t, y, inf);
        let isinf = self.bor(b, xinf, yinf);
        let xnan = self.cmp(b, "not_equal", t, x, x);
        let ynan = self.cmp(b, "not_equal", t, y, y);
        let isnan = self.bor(b, xnan, ynan);
        let m = self.sel(b, t, bzero, zero, m);
        let m = self.sel(b, t, isnan, nan, m);
        let m = self.sel(b, t, isinf, inf, m);
        let cv = self.konst(b, t, c, 0);
        let res = self.cmp(b, op, t, m, cv);
        let res = if b.func.dfg.value_type(res) == rt {
            res
        } else {
            let le = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
            b.ins().bitcast(rt, le, res)
        };
        b.ins().jump(cont, &[BlockArg::Value(res)]);
        b.switch_to_block(cont);
        r
    }

    fn is_nan(&self, b: &mut FunctionBuilder, x: Value) -> Value {
        b.ins().fcmp(FloatCC::Unordered, x, x)
    }

    fn bor(&self, b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
        b.ins().bor(x, y)
    }

    /// Emits the node values for one element (or one vector) given the loaded inputs.
    fn body(&self, b: &mut FunctionBuilder, ins: &[Value]) -> Vec<Value> {
        self.body_multi(b, &[ins.to_vec()]).pop().expect("one copy")
    }

    /// Several independent copies of the body (one per unrolled vector), emitted node by
    /// node interleaved, so their dependency chains overlap in the pipeline. A program that
    /// repeats one iteration many times (a traced loop, see `find_loop`) becomes a real loop
    /// that stops as soon as an iteration leaves its state unchanged in every lane.
    fn body_multi(&self, b: &mut FunctionBuilder, ins: &[Vec<Value>]) -> Vec<Vec<Value>> {
        self.body_multi_lazy(b, ins, &[])
    }

    /// `body_multi` where some inputs are loaded only where a node first reads them
    /// (`lazy[copy][input]`: pointer, offset, type, flags; `ins` holds a placeholder for
    /// them). Cranelift emits instructions in order: loading every input of every unrolled
    /// copy up front kept them all live at once (register spills), and a load right before
    /// its single use can become the instruction's memory operand.
    #[allow(clippy::type_complexity)]
    fn body_multi_lazy(
        &self,
        b: &mut FunctionBuilder,
        ins: &[Vec<Value>],
        lazy: &[Vec<Option<(Value, i32, Type, MemFlagsData)>>],
    ) -> Vec<Vec<Value>> {
        let mut ins: Vec<Vec<Value>> = ins.to_vec();
        let mut loaded: Vec<Vec<bool>> = ins.iter().map(|v| vec![false; v.len()]).collect();
        let mut load = |b: &mut FunctionBuilder, ins: &mut Vec<Vec<Value>>, u: usize, j: usize| {
            if let Some(Some((p, off, ty, fl))) = lazy.get(u).and_then(|l| l.get(j)) {
                if !loaded[u][j] {
                    loaded[u][j] = true;
                    ins[u][j] = b.ins().load(*ty, *fl, *p, *off);
                }
            }
        };
        if let Some(lp) = &self.lp {
            for u in 0..ins.len() {
                for j in 0..ins[u].len() {
                    load(b, &mut ins, u, j);
                }
            }
            return self.body_loop(b, &ins, lp);
        }
        let n = self.prog.nodes.len();
        let mut vs: Vec<Vec<Value>> = ins.iter().map(|_| Vec::with_capacity(n)).collect();
        for k in 0..n {
            if !lazy.is_empty() {
                for a in args_of(&self.prog.nodes[k].op) {
                    if let Op::Input(j) = self.prog.nodes[a].op {
                        for u in 0..ins.len() {
                            load(b, &mut ins, u, j);
                            vs[u][a] = ins[u][j];
                        }
                    }
                }
            }
            if let Some(fr) = self.batched(k, ins.len()) {
                // One call of the eager loop on the copies' arguments (every lane of every
                // copy in vector mode), in a stack buffer.
                let t = self.prog.nodes[k].ty;
                let Op::Unary(_, a) = &self.prog.nodes[k].op else { unreachable!() };
                let lanes = self.vec.map_or(1, |v| v.0 as usize);
                let sz = t.size() * lanes;
                let slot = b.create_sized_stack_slot(cranelift_codegen::ir::StackSlotData::new(
                    cranelift_codegen::ir::StackSlotKind::ExplicitSlot, (sz * ins.len()) as u32, 4));
                for (u, v) in vs.iter().enumerate() {
                    b.ins().stack_store(types::I64, v[*a], slot, (u * sz) as i32);
                }
                let addr = b.ins().stack_addr(types::I64, slot, 0);
                let cnt = b.ins().iconst(types::I64, (ins.len() * lanes) as i64);
                b.ins().call(fr, &[addr, cnt]);
                let vt = self.vty(t);
                for (u, v) in vs.iter_mut().enumerate() {
                    let r = b.ins().stack_load(types::I64, vt, slot, (u * sz) as i32);
                    v.push(r);
                }
                continue;
            }
            for (u, v) in vs.iter_mut().enumerate() {
                let r = self.node(b, k, v, &ins[u]);
                v.push(r);
            }
        }
        // (inputs no node reads: an output that is an input)
        if !lazy.is_empty() {
            for k in 0..n {
                if let Op::Input(j) = self.prog.nodes[k].op {
                    for u in 0..ins.len() {
                        load(b, &mut ins, u, j);
                        vs[u][k] = ins[u][j];
                    }
                }
            }
        }
        vs
    }

    /// The batched form of node `k`'s call, when the body runs `copies` copies (of one
    /// element, or of one vector).
    fn batched(&self, k: usize, copies: usize) -> Option<cranelift_codegen::ir::FuncRef> {
        if copies * self.vec.map_or(1, |v| v.0 as usize) < 2 {
            return None;
        }
        let n = &self.prog.nodes[k];
        let Op::Unary(name, _) = &n.op else { return None };
        let name = format!("{}_n", call_name(name));
        self.calls.iter().find(|(m, ty, _)| *m == name && *ty == n.ty).map(|c| c.2)
    }

    /// The bits of a value as integers (for the fixed-point test): the same value for
    /// ints and masks, a bitcast for floats.
    fn as_bits(&self, b: &mut FunctionBuilder, t: Ty, x: Value) -> Value {
        if !t.is_float() {
            return x;
        }
        let le = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
        let it = match self.vec {
            Some(_) => self.vty(Ty::Bool),
            None => if t == Ty::F64 { types::I64 } else { types::I32 },
        };
        b.ins().bitcast(it, le, x)
    }

    fn body_loop(&self, b: &mut FunctionBuilder, ins: &[Vec<Value>], lp: &LoopPlan) -> Vec<Vec<Value>> {
        let p = self.prog;
        let n = p.nodes.len();
        let (a, per, reps) = (lp.start, lp.period, lp.reps);
        let end = a + per * reps;
        let last = end - per;
        let cu = ins.len();
        let mut vs: Vec<Vec<Value>> = ins.iter().map(|_| Vec::with_capacity(n)).collect();
        for k in 0..a {
            for (u, v) in vs.iter_mut().enumerate() {
                let r = self.node(b, k, v, &ins[u]);
                v.push(r);
            }
        }
        let vty = |t: Ty| self.vty(t);
        // Carried state (per copy, per carried offset) and the last iteration's values.
        // Only the last iteration's values read after the loop are kept in variables (the
        // carried ones are their state variables): every value live across the back edge
        // takes a register, and a body's worth of them spills.
        let mut read_after = vec![false; per];
        for k in end..n {
            for x in args_of(&p.nodes[k].op) {
                if x >= last && x < end {
                    read_after[x - last] = true;
                }
            }
        }
        for &o in &p.outputs {
            if o >= last && o < end {
                read_after[o - last] = true;
            }
        }
        let cvar: Vec<Vec<Variable>> = (0..cu).map(|_| lp.carried.iter().map(|&r| b.declare_var(vty(p.nodes[a + r].ty))).collect()).collect();
        let lvar: Vec<Vec<Option<Variable>>> = (0..cu).map(|_| (0..per).map(|r| {
            (read_after[r] && !lp.carried.contains(&r)).then(|| b.declare_var(vty(p.nodes[a + r].ty)))
        }).collect()).collect();
        for u in 0..cu {
            for (c, &r) in lp.carried.iter().enumerate() {
                b.def_var(cvar[u][c], vs[u][a + r - per]);
            }
            for r in 0..per {
                if let Some(lv) = lvar[u][r] {
                    let t = p.nodes[a + r].ty;
                    let z = self.konst(b, t, 0.0, 0);
                    b.def_var(lv, z);
                }
            }
        }
        // Constants of the iteration, made once (Cranelift does not hoist them).
        let mut consts: Vec<Vec<Option<Value>>> = vec![vec![None; per]; cu];
        for r in 0..per {
            if matches!(p.nodes[a + r].op, Op::ConstF(_) | Op::ConstI(_)) {
                for u in 0..cu {
                    consts[u][r] = Some(self.node(b, a + r, &vs[u], &ins[u]));
                }
            }
        }
        let kv = b.declare_var(types::I64);
        let zero = b.ins().iconst(types::I64, 0);
        b.def_var(kv, zero);
        let head = b.create_block();
        let body = b.create_block();
        let exit = b.create_block();
        b.ins().jump(head, &[]);
        b.switch_to_block(head);
        let k = b.use_var(kv);
        let more = b.ins().icmp_imm_s(IntCC::SignedLessThan, k, reps as i64);
        b.ins().brif(more, body, &[], exit, &[]);
        b.switch_to_block(body);
        // Per copy: a full-length value vector whose previous-period slots hold the carried
        // state, then the period's nodes emitted in place of the first period's.
        let mut cur: Vec<Vec<Value>> = vs.iter().map(|v| {
            let mut c = v.clone();
            c.resize(a + per, v[0]);
            c
        }).collect();
        let mut old: Vec<Vec<Value>> = Vec::new();
        for u in 0..cu {
            let mut o = Vec::new();
            for (c, &r) in lp.carried.iter().enumerate() {
                let x = b.use_var(cvar[u][c]);
                cur[u][a + r - per] = x;
                o.push(x);
            }
            old.push(o);
        }
        for r in 0..per {
            for u in 0..cu {
                let val = match consts[u][r] {
                    Some(c) => c,
                    None => self.node(b, a + r, &cur[u], &ins[u]),
                };
                cur[u][a + r] = val;
            }
        }
        let mut conv: Option<Value> = None;
        for u in 0..cu {
            for (c, &r) in lp.carried.iter().enumerate() {
                let t = p.nodes[a + r].ty;
                let (x, y) = (self.as_bits(b, t, old[u][c]), self.as_bits(b, t, cur[u][a + r]));
                // Vector masks (one lane width for every value) are and-ed, then tested once.
                let eq = b.ins().icmp(IntCC::Equal, x, y);
                conv = Some(match conv {
                    None => eq,
                    Some(q) => b.ins().band(q, eq),
                });
                b.def_var(cvar[u][c], cur[u][a + r]);
            }
            for r in 0..per {
                if let Some(lv) = lvar[u][r] {
                    b.def_var(lv, cur[u][a + r]);
                }
            }
        }
        let k = b.use_var(kv);
        let k1 = b.ins().iadd_imm_s(k, 1);
        b.def_var(kv, k1);
        let conv = match conv {
            Some(c) if self.vec.is_some() => Some(b.ins().vall_true(c)),
            c => c,
        };
        match conv {
            Some(c) => {
                b.ins().brif(c, exit, &[], head, &[]);
            }
            None => {
                b.ins().jump(head, &[]);
            }
        }
        b.switch_to_block(exit);
        for u in 0..cu {
            let filler = vs[u][0];
            vs[u].resize(last, filler);
            for r in 0..per {
                let x = match (lvar[u][r], lp.carried.iter().position(|&c| c == r)) {
                    (Some(lv), _) => b.use_var(lv),
                    (None, Some(c)) if read_after[r] => b.use_var(cvar[u][c]),
                    _ => filler,
                };
                vs[u].push(x);
            }
        }
        for k in end..n {
            for (u, v) in vs.iter_mut().enumerate() {
                let r = self.node(b, k, v, &ins[u]);
                v.push(r);
            }
        }
        vs
    }

    fn node(&self, b: &mut FunctionBuilder, k: usize, v: &[Value], ins: &[Value]) -> Value {
        let p = self.prog;
        let n = &p.nodes[k];
        {
            let t = n.ty;
            match &n.op {
                Op::Input(k) => ins[*k],
                Op::ConstF(f) => self.konst(b, t, *f, *f as i64),
                Op::ConstI(i) => self.konst(b, t, *i as f64, *i),
                Op::Cast(a) => self.cast(b, p.nodes[*a].ty, t, v[*a]),
                Op::Where(c, x, y) => self.sel(b, t, v[*c], v[*x], v[*y]),
                Op::Fma(x, y, z) => b.ins().fma(v[*x], v[*y], v[*z]),
                Op::Gather(src, idx, _) => self.gather(b, k, t, *src, idx, v),
                Op::CabsCmp(op, c, re, im, fast, amb) => {
                    self.cabs_cmp(b, p.nodes[*re].ty, op, *c, v[*re], v[*im], v[*fast], v[*amb])
                }
                Op::Unary(op, a) => {
                    let x = v[*a];
                    match op.as_str() {
                        "negative" if t.is_float() => b.ins().fneg(x),
                        "negative" => b.ins().ineg(x),
                        "positive" => x,
                        "absolute" if t.is_float() => b.ins().fabs(x),
                        "absolute" => {
                            let nx = b.ins().ineg(x);
                            let zero = self.konst(b, t, 0.0, 0);
                            let neg = b.ins().icmp(IntCC::SignedLessThan, x, zero);
                            self.sel(b, t, neg, nx, x)
                        }
                        "square" if t.is_float() => b.ins().fmul(x, x),
                        "square" => b.ins().imul(x, x),
                        "sqrt" => b.ins().sqrt(x),
                        "logical_not" => {
                            if self.vec.is_some() {
                                b.ins().bnot(x)
                            } else {
                                let one = b.ins().iconst(types::I8, 1);
                                b.ins().bxor(x, one)
                            }
                        }
                        name => self.call1(b, call_name(name), t, t, x),
                    }
                }
                Op::Binary(op, a, c) => {
                    let (x, y) = (v[*a], v[*c]);
                    let at = p.nodes[*a].ty;
                    match op.as_str() {
                        "add" if t.is_float() => b.ins().fadd(x, y),
                        "subtract" if t.is_float() => b.ins().fsub(x, y),
                        "multiply" if t.is_float() => b.ins().fmul(x, y),
                        "divide" => match p.nodes[*c].op {
                            // x / 2^k is x * 2^-k exactly (one rounding of the same value)
                            Op::ConstF(d) if pow2_reciprocal(d, t).is_some() => {
                                let r = pow2_reciprocal(d, t).expect("checked");
                                let r = self.konst(b, t, r, 0);
                                b.ins().fmul(x, r)
                            }
                            _ => b.ins().fdiv(x, y),
                        },
                        "add" => b.ins().iadd(x, y),
                        "subtract" => b.ins().isub(x, y),
                        "multiply" => b.ins().imul(x, y),
                        "logical_and" => b.ins().band(x, y),
                        "logical_or" => b.ins().bor(x, y),
                        "logical_xor" => b.ins().bxor(x, y),
                        "maximum" | "minimum" if t.is_float() && self.vec.is_some() => {
                            // x86's maxp/minp give `a > b (a < b) ? a : b`, the second operand
                            // when either is NaN; NumPy's result differs only for a NaN `a`,
                            // which it returns: `isnan(a) ? a : maxp(a, b)`. Written as the
                            // selects Cranelift lowers to one maxp/minp and one blendv.
                            let vt = self.vty(t);
                            let le = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);
                            let c = if op == "maximum" {
                                b.ins().fcmp(FloatCC::LessThan, y, x)
                            } else {
                                b.ins().fcmp(FloatCC::LessThan, x, y)
                            };
                            let c = b.ins().bitcast(vt, le, c);
                            let m = b.ins().bitselect(c, x, y);
                            let nan = self.is_nan(b, x);
                            let nan = b.ins().bitcast(vt, le, nan);
                            b.ins().bitselect(nan, x, m)
                        }
                        "maximum" | "minimum" if t.is_float() => {
                            // NumPy: a if isnan(a) or a > b (a < b) else b.
                            let cc = if op == "maximum" { FloatCC::GreaterThan } else { FloatCC::LessThan };
                            let gt = b.ins().fcmp(cc, x, y);
                            let nan = self.is_nan(b, x);
                            let c = self.bor(b, gt, nan);
                            self.sel(b, t, c, x, y)
                        }
                        "maximum" | "minimum" => {
                            let cc = if op == "maximum" { IntCC::SignedGreaterThan } else { IntCC::SignedLessThan };
                            let c = b.ins().icmp(cc, x, y);
                            self.sel(b, t, c, x, y)
                        }
                        cmp => self.cmp(b, cmp, at, x, y),
                    }
                }
            }
        }
    }

    /// One gathered element (or vector, lane by lane): the offset of each element from its
    /// indices (negative ones wrapped), checked against the dims; the loads happen only
    /// when every index is in range, otherwise a cold block records the error in the aux
    /// table (in the scalar variant which index first, per axis) and yields 0.
    fn gather(&self, b: &mut FunctionBuilder, node: usize, t: Ty, src: usize, idx: &[usize], v: &[Value]) -> Value {
        let p = self.prog;
        let k = gather_input(p, src).expect("validated gather source");
        let gs = self.gsrc[k].clone().expect("gather source loaded");
        let aux = self.aux.expect("aux table");
        let fl = MemFlagsData::trusted();
        let lanes = self.vec.map_or(1, |v| v.0);
        let mut offs = Vec::new();
        let mut oks = Vec::new();
        let mut raws = Vec::new();
        let mut all_ok: Option<Value> = None;
        if lanes == 2 && idx.iter().all(|&ix| p.nodes[ix].ty == Ty::I64) {
            // Offsets and bounds as i64x2 vector arithmetic; only the loads go lane by lane.
            let it = types::I64X2;
            let z = b.ins().iconst(types::I64, 0);
            let zero = b.ins().splat(it, z);
            let mut offv: Option<Value> = None;
            let mut okv: Option<Value> = None;
            for (a, &ix) in idx.iter().enumerate() {
                let x = v[ix];
                let dims = b.ins().splat(it, gs.dims[a]);
                let neg = b.ins().icmp(IntCC::SignedLessThan, x, zero);
                let xw = b.ins().iadd(x, dims);
                let w = b.ins().bitselect(neg, xw, x);
                let ge = b.ins().icmp(IntCC::SignedGreaterThanOrEqual, w, zero);
                let lt = b.ins().icmp(IntCC::SignedLessThan, w, dims);
                let ok = b.ins().band(ge, lt);
                let st = b.ins().splat(it, gs.strides[a]);
                let o = b.ins().imul(w, st);
                offv = Some(match offv {
                    None => o,
                    Some(q) => b.ins().iadd(q, o),
                });
                okv = Some(match okv {
                    None => ok,
                    Some(q) => b.ins().band(q, ok),
                });
            }
            let offv = offv.expect("at least one index");
            for l in 0..2 {
                offs.push(b.ins().extractlane(offv, l));
            }
            all_ok = Some(b.ins().vall_true(okv.expect("at least one index")));
        }
        let lane_by_lane = if all_ok.is_some() { 0 } else { lanes };
        for l in 0..lane_by_lane {
            let mut off: Option<Value> = None;
            for (a, &ix) in idx.iter().enumerate() {
                let x = if self.vec.is_some() { b.ins().extractlane(v[ix], l) } else { v[ix] };
                let x = if p.nodes[ix].ty == Ty::I32 { b.ins().sextend(types::I64, x) } else { x };
                let neg = b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                let xw = b.ins().iadd(x, gs.dims[a]);
                let w = b.ins().select(neg, xw, x);
                let ok = b.ins().icmp(IntCC::UnsignedLessThan, w, gs.dims[a]);
                let o = b.ins().imul(w, gs.strides[a]);
                off = Some(match off {
                    None => o,
                    Some(p) => b.ins().iadd(p, o),
                });
                all_ok = Some(match all_ok {
                    None => ok,
                    Some(q) => b.ins().band(q, ok),
                });
                oks.push(ok);
                raws.push(x);
            }
            offs.push(off.expect("at least one index"));
        }
        let all_ok = all_ok.expect("at least one index");
        let vt = self.vty(t);
        let ld = b.create_block();
        let cold = b.create_block();
        let cont = b.create_block();
        let r = b.append_block_param(cont, vt);
        b.ins().brif(all_ok, ld, &[], cold, &[]);
        b.switch_to_block(ld);
        let unaligned = MemFlagsData::new().with_notrap();
        let mut val: Option<Value> = None;
        for (l, &off) in offs.iter().enumerate() {
            let addr = b.ins().iadd(gs.base, off);
            let e = b.ins().load(t.clif(), unaligned, addr, 0);
            val = Some(match (val, self.vec) {
                (_, None) => e,
                (None, Some(_)) => b.ins().scalar_to_vector(vt, e),
                (Some(v), Some(_)) => b.ins().insertlane(v, e, l as u8),
            });
        }
        let val = val.expect("lanes");
        b.ins().jump(cont, &[BlockArg::Value(val)]);
        b.switch_to_block(cold);
        let one = b.ins().iconst(types::I64, 1);
        b.ins().store(fl, one, aux, 0);
        if self.vec.is_none() {
            let area = self.gerr[node].expect("gather error area");
            b.ins().store(fl, one, aux, (8 * area) as i32);
            for (a, (&ok, &x)) in oks.iter().zip(&raws).enumerate() {
                let so = (8 * (area + 1 + 2 * a)) as i32;
                let set = b.ins().load(types::I64, fl, aux, so);
                let old = b.ins().load(types::I64, fl, aux, so + 8);
                let bad = b.ins().icmp_imm_s(IntCC::Equal, ok, 0);
                let unset = b.ins().icmp_imm_s(IntCC::Equal, set, 0);
                let take = b.ins().band(bad, unset);
                let nset = b.ins().select(take, one, set);
                let nval = b.ins().select(take, x, old);
                b.ins().store(fl, nset, aux, so);
                b.ins().store(fl, nval, aux, so + 8);
            }
        }
        let zero = self.konst(b, t, 0.0, 0);
        b.ins().jump(cont, &[BlockArg::Value(zero)]);
        b.switch_to_block(cont);
        r
    }

    /// `fast` when every lane of the mask `ok` is set, else `slow`: each in its own block,
    /// the result (of type `ty`) joined after them.
    fn lanes_if(
        &self,
        b: &mut FunctionBuilder,
        ok: Value,
        ty: Type,
        fast: impl FnOnce(&mut FunctionBuilder) -> Value,
        slow: impl FnOnce(&mut FunctionBuilder) -> Value,
    ) -> Value {
        let all = b.ins().vall_true(ok);
        let (fb, sb, cont) = (b.create_block(), b.create_block(), b.create_block());
        let r = b.append_block_param(cont, ty);
        b.ins().brif(all, fb, &[], sb, &[]);
        b.switch_to_block(fb);
        let v = fast(b);
        b.ins().jump(cont, &[BlockArg::Value(v)]);
        b.switch_to_block(sb);
        b.set_cold_block(sb);
        let v = slow(b);
        b.ins().jump(cont, &[BlockArg::Value(v)]);
        b.switch_to_block(cont);
        r
    }

    fn cast(&self, b: &mut FunctionBuilder, from: Ty, to: Ty, x: Value) -> Value {
        if from == to {
            return x;
        }
        let vec = self.vec.is_some();
        match (from, to) {
            (Ty::F64, Ty::F32) => b.ins().fdemote(types::F32, x),
            (Ty::F32, Ty::F64) => b.ins().fpromote(types::F64, x),
            (Ty::I64, Ty::I32) => b.ins().ireduce(types::I32, x),
            (Ty::I32, Ty::I64) => b.ins().sextend(types::I64, x),
            (Ty::I64, Ty::F64) if vec => {
                // Cranelift converts i64x2 lane by lane through general registers; for
                // |x| < 2^51 adding x to the bits of 1.5 * 2^52 and subtracting that float is
                // exact, the same value.
                let it = self.vty(Ty::I64);
                let vt = self.vty(Ty::F64);
                let half = b.ins().iconst(types::I64, 1 << 51);
                let half = b.ins().splat(it, half);
                let biased = b.ins().iadd(x, half);
                let high = b.ins().ushr_imm_u(biased, 52);
                let z = b.ins().iconst(types::I64, 0);
                let zero = b.ins().splat(it, z);
                let small = b.ins().icmp(IntCC::Equal, high, zero);
                self.lanes_if(b, small, vt, |b| {
                    let mb = b.ins().iconst(types::I64, MAGIC_BITS);
                    let mb = b.ins().splat(it, mb);
                    let bits = b.ins().iadd(x, mb);
                    let f = b.ins().bitcast(vt, MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little), bits);
                    let m = b.ins().f64const(MAGIC);
                    let m = b.ins().splat(vt, m);
                    b.ins().fsub(f, m)
                }, |b| b.ins().fcvt_from_sint(vt, x))
            }
            (Ty::I64 | Ty::I32, Ty::F64 | Ty::F32) => {
                let vt = self.vty(to);
                b.ins().fcvt_from_sint(vt, x)
            }
            (Ty::F64, Ty::I64) => {
                // cvttsd2si: truncation in range, i64::MIN for NaN and out of range (as
                // oxnp_core::cast's convert), lane by lane.
                let one = |b: &mut FunctionBuilder, e: Value| {
                    let lo = b.ins().f64const(-9223372036854775808.0);
                    let hi = b.ins().f64const(9223372036854775808.0);
                    let ge = b.ins().fcmp(FloatCC::GreaterThanOrEqual, e, lo);
                    let lt = b.ins().fcmp(FloatCC::LessThan, e, hi);
                    let ok = b.ins().band(ge, lt);
                    let t = b.ins().fcvt_to_sint_sat(types::I64, e);
                    let min = b.ins().iconst(types::I64, i64::MIN);
                    b.ins().select(ok, t, min)
                };
                match self.vec {
                    None => one(b, x),
                    Some((lanes, vt, it)) => {
                        // For |x| < 2^51 (after truncation) the bits of trunc(x) + 1.5 * 2^52
                        // minus those of 1.5 * 2^52 are the integer, in both lanes at once.
                        let t = b.ins().trunc(x);
                        let a = b.ins().fabs(t);
                        let lim = b.ins().f64const((1u64 << 51) as f64);
                        let lim = b.ins().splat(vt, lim);
                        let small = b.ins().fcmp(FloatCC::LessThan, a, lim);
                        let fast = |b: &mut FunctionBuilder| {
                            let m = b.ins().f64const(MAGIC);
                            let m = b.ins().splat(vt, m);
                            let y = b.ins().fadd(t, m);
                            let bits = b.ins().bitcast(it, MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little), y);
                            let mb = b.ins().iconst(types::I64, MAGIC_BITS);
                            let mb = b.ins().splat(it, mb);
                            b.ins().isub(bits, mb)
                        };
                        self.lanes_if(b, small, it, fast, |b| {
                            let mut v = None;
                            for l in 0..lanes {
                                let e = b.ins().extractlane(x, l);
                                let r = one(b, e);
                                v = Some(match v {
                                    None => b.ins().scalar_to_vector(it, r),
                                    Some(v) => b.ins().insertlane(v, r, l),
                                });
                            }
                            v.expect("lanes")
                        })
                    }
                }
            }
            (Ty::F64 | Ty::F32, Ty::I64 | Ty::I32) => {
                let name = format!("cvt_{}", if to == Ty::I64 { "i64" } else { "i32" });
                self.call1(b, &name, from, to, x)
            }
            (_, Ty::Bool) => {
                let zero = self.konst(b, from, 0.0, 0);
                if from.is_float() { b.ins().fcmp(FloatCC::NotEqual, x, zero) } else { b.ins().icmp(IntCC::NotEqual, x, zero) }
            }
            (Ty::Bool, _) if vec => {
                // mask (0 / -1) -> 0 / 1 of the lane type
                let one = self.konst(b, to, 1.0, 1);
                let zero = self.konst(b, to, 0.0, 0);
                self.sel(b, to, x, one, zero)
            }
            (Ty::Bool, Ty::F64 | Ty::F32) => {
                let i = b.ins().uextend(types::I32, x);
                b.ins().fcvt_from_sint(to.clif(), i)
            }
            (Ty::Bool, _) => b.ins().uextend(to.clif(), x),
            _ => unreachable!("cast {from:?} -> {to:?}"),
        }
    }
}

/// 1/d when `d` is a power of two whose reciprocal is a normal number of type `t` (then
/// dividing by d and multiplying by 1/d give the same bits for every x).
fn pow2_reciprocal(d: f64, t: Ty) -> Option<f64> {
    if !d.is_finite() || d == 0.0 {
        return None;
    }
    let (m, lim) = match t {
        Ty::F64 => (d.to_bits() & ((1u64 << 52) - 1), 1022),
        Ty::F32 => {
            let f = d as f32;
            if f as f64 != d {
                return None;
            }
            ((f.to_bits() & ((1u32 << 23) - 1)) as u64, 126)
        }
        _ => return None,
    };
    let e = ((d.to_bits() >> 52) & 0x7ff) as i64 - 1023;
    if m != 0 || ((d.to_bits() >> 52) & 0x7ff) == 0 || e.abs() > lim {
        return None;
    }
    Some(1.0 / d)
}

/// A lane mask (all ones / zero per lane of the mask vector type `vt`) from bool bytes: one
/// byte per lane, or one byte splat to every lane.
fn bool_lanes(b: &mut FunctionBuilder, vt: Type, bytes: &[Value]) -> Value {
    let lane = vt.lane_type();
    let mut v = None;
    for l in 0..vt.lane_count() as usize {
        let e = bytes[l.min(bytes.len() - 1)];
        let w = b.ins().uextend(lane, e);
        v = Some(match v {
            None => b.ins().scalar_to_vector(vt, w),
            Some(v) => b.ins().insertlane(v, w, l as u8),
        });
    }
    let zero = b.ins().iconst(lane, 0);
    let zero = b.ins().splat(vt, zero);
    b.ins().icmp(IntCC::NotEqual, v.expect("lanes"), zero)
}

fn flags() -> settings::Flags {
    let mut fb = settings::builder();
    fb.set("opt_level", "speed").expect("flag");
    fb.set("use_colocated_libcalls", "false").expect("flag");
    fb.set("is_pic", "false").expect("flag");
    settings::Flags::new(fb)
}

/// Builds one variant: `vec` = None for the strided scalar loop.
/// `pat`: for the SIMD variant, the inputs' row-stride pattern: bit k of `pat.0` = input k is
/// broadcast (stride 0, loaded once and splat), bit k of `pat.1` = input k is strided (its
/// lanes gathered by scalar loads along the runtime stride); other inputs are contiguous.
fn build(prog: &Program, vec: Option<(u8, Type, Type)>, pat: (u64, u64), ir: &mut String) -> Result<Compiled, JitError> {
    let bcast = pat.0;
    let isa = cranelift_native::builder().map_err(err)?.finish(flags()).map_err(err)?;
    let mut jb = JITBuilder::with_isa(isa, default_libcall_names());
    // Every function the program calls, f32 and f64.
    let mut needed: Vec<(String, Ty)> = Vec::new();
    for n in &prog.nodes {
        match &n.op {
            Op::Unary(name, _) if CALLS.contains(&name.as_str()) => needed.push((call_name(name).to_string(), n.ty)),
            Op::Cast(a) if prog.nodes[*a].ty.is_float() && matches!(n.ty, Ty::I64 | Ty::I32) && !(prog.nodes[*a].ty == Ty::F64 && n.ty == Ty::I64) => {
                needed.push((format!("cvt_{}", if n.ty == Ty::I64 { "i64" } else { "i32" }), prog.nodes[*a].ty))
            }
            _ => {}
        }
    }
    let batch_calls: Vec<(String, Ty)> = needed.iter()
        .filter(|(name, t)| batch_shim_ptr(name, *t == Ty::F32).is_some())
        .map(|(name, t)| (format!("{name}_n"), *t)).collect();
    needed.extend(batch_calls);
    needed.sort_by(|a, b| (a.0.as_str(), a.1 as u8).cmp(&(b.0.as_str(), b.1 as u8)));
    needed.dedup();
    let sym = |name: &str, t: Ty| format!("oxnp_jit_{name}_{}", if t == Ty::F32 { "f32" } else { "f64" });
    for (name, t) in &needed {
        let ptr = match name.as_str() {
            "cvt_i64" if *t == Ty::F64 => cvt_f64_i64 as *const u8,
            "cvt_i32" if *t == Ty::F64 => cvt_f64_i32 as *const u8,
            "cvt_i64" => cvt_f32_i64 as *const u8,
            "cvt_i32" => cvt_f32_i32 as *const u8,
            n if n.ends_with("_n") => batch_shim_ptr(&n[..n.len() - 2], *t == Ty::F32).ok_or_else(|| JitError(format!("no function {n}")))?,
            n => loop_shim_ptr(n, *t == Ty::F32).ok_or_else(|| JitError(format!("no function {n}")))?,
        };
        jb.symbol(sym(name, *t), ptr);
    }
    let mut module = JITModule::new(jb);
    let ptr_t = module.target_config().pointer_type();
    let mut ctx = module.make_context();
    for _ in 0..5 {
        ctx.func.signature.params.push(AbiParam::new(ptr_t));
    }
    let fid = module.declare_function("row", Linkage::Export, &ctx.func.signature).map_err(err)?;
    let mut fbc = FunctionBuilderContext::new();
    {
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fbc);
        let mut calls = Vec::new();
        for (name, t) in &needed {
            let mut sig = module.make_signature();
            if name.ends_with("_n") {
                sig.params.push(AbiParam::new(ptr_t));
                sig.params.push(AbiParam::new(ptr_t));
            } else {
                sig.params.push(AbiParam::new(t.clif()));
                let ret = match name.as_str() {
                    "cvt_i64" => types::I64,
                    "cvt_i32" => types::I32,
                    _ => t.clif(),
                };
                sig.returns.push(AbiParam::new(ret));
            }
            let id = module.declare_function(&sym(name, *t), Linkage::Import, &sig).map_err(err)?;
            let fr = module.declare_func_in_func(id, b.func);
            calls.push((name.clone(), *t, fr));
        }
        let nin = prog.inputs.len();
        let nops = nin + prog.outputs.len();
        let out_tys: Vec<Ty> = prog.outputs.iter().map(|&o| prog.nodes[o].ty).collect();
        let op_ty = |k: usize| if k < nin { prog.inputs[k] } else { out_tys[k - nin] };

        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let (pp, sp, n) = (b.block_params(entry)[0], b.block_params(entry)[1], b.block_params(entry)[2]);
        let (nrows, osp) = (b.block_params(entry)[3], b.block_params(entry)[4]);
        let fl = MemFlagsData::trusted();
        let ptrs: Vec<Variable> = (0..nops).map(|_| b.declare_var(ptr_t)).collect();
        let mut strides = Vec::new();
        for k in 0..nops {
            let p = b.ins().load(ptr_t, fl, pp, (8 * k) as i32);
            b.def_var(ptrs[k], p);
            strides.push(b.ins().load(ptr_t, fl, sp, (8 * k) as i32));
        }
        let i = b.declare_var(ptr_t);
        let zero = b.ins().iconst(ptr_t, 0);
        b.def_var(i, zero);
        let unaligned = MemFlagsData::new().with_notrap();
        // Gathers: the aux table (the pointer after the operands'), each source's geometry.
        let layout = aux_layout(prog);
        let lp = if std::env::var("OXNP_JIT_NOLOOP").is_ok() { None } else { find_loop(prog) };
        if let Some(l) = &lp {
            let _ = writeln!(ir, "; nodes {}..{}: {} iterations of {} nodes as a loop (carried: {:?})",
                l.start, l.start + l.period * l.reps, l.reps, l.period, l.carried);
        }
        let mut gsrc: Vec<Option<GSrc>> = vec![None; nin];
        let mut gerr: Vec<Option<usize>> = vec![None; prog.nodes.len()];
        let aux = if layout.srcs.is_empty() {
            None
        } else {
            let a = b.ins().load(ptr_t, fl, pp, (8 * nops) as i32);
            for &(k, nd, off) in &layout.srcs {
                let base = b.use_var(ptrs[k]);
                let dims = (0..nd).map(|d| b.ins().load(types::I64, fl, a, (8 * (off + d)) as i32)).collect();
                let strides = (0..nd).map(|d| b.ins().load(types::I64, fl, a, (8 * (off + nd + d)) as i32)).collect();
                gsrc[k] = Some(GSrc { base, dims, strides });
            }
            for &(node, _, _, _, off) in &layout.errs {
                gerr[node] = Some(off);
            }
            Some(a)
        };
        // The row loop: each row starts at the operands' row pointers, kept in the `ptrs`
        // array (not in registers across the row: large bodies need them all), which then
        // advance by the row strides.
        let rowv = b.declare_var(ptr_t);
        let zero_r = b.ins().iconst(ptr_t, 0);
        b.def_var(rowv, zero_r);
        let rowhead = b.create_block();
        let rowbody = b.create_block();
        let done = b.create_block();
        b.ins().jump(rowhead, &[]);
        b.switch_to_block(rowhead);
        let rv = b.use_var(rowv);
        let more_rows = b.ins().icmp(IntCC::SignedLessThan, rv, nrows);
        b.ins().brif(more_rows, rowbody, &[], done, &[]);
        b.switch_to_block(rowbody);
        for k in 0..nops {
            let p = b.ins().load(ptr_t, fl, pp, (8 * k) as i32);
            b.def_var(ptrs[k], p);
        }
        let zero_i = b.ins().iconst(ptr_t, 0);
        b.def_var(i, zero_i);

        if let Some((lanes, _, _)) = vec {
            let g = Gen { prog, lp: lp.clone(), gsrc: gsrc.clone(), aux, gerr: gerr.clone(), vec, calls: calls.clone() };
            // Splat the broadcast (stride 0) inputs once; they are loaded on every path, but
            // only used by vector code when the stride is 0 (the driver guarantees that
            // vector mode is only used with strides 0 or item size).
            // 4 vectors per iteration for small bodies, 2 for large ones (e.g. a traced loop
            // of many steps), whose interleaved copies would otherwise spill registers
            // (OXNP_JIT_UNROLL=1..8 overrides, for experiments).
            let unroll: i32 = match std::env::var("OXNP_JIT_UNROLL").ok().and_then(|v| v.parse::<i32>().ok()) {
                Some(u) if (1..=8).contains(&u) => u,
                _ if prog.nodes.len() <= 96 => 4,
                _ => 2,
            };
            let step = unroll as i64 * lanes as i64;
            let head = b.create_block();
            let body = b.create_block();
            let tail = b.create_block();
            let mut splats = Vec::new();
            let is_bcast: Vec<bool> = (0..nin).map(|k| bcast >> k & 1 == 1).collect();
            let is_gather: Vec<bool> = (0..nin).map(|k| pat.1 >> k & 1 == 1 && bcast >> k & 1 == 0).collect();
            for k in 0..nin {
                let t = prog.inputs[k];
                if gsrc[k].is_some() {
                    splats.push(None);
                } else if is_bcast[k] && t == Ty::Bool {
                    let p = b.use_var(ptrs[k]);
                    let s = b.ins().load(types::I8, fl, p, 0);
                    splats.push(Some(bool_lanes(&mut b, g.vty(t), &[s])));
                } else if is_bcast[k] {
                    let p = b.use_var(ptrs[k]);
                    let s = b.ins().load(t.clif(), fl, p, 0);
                    splats.push(Some(b.ins().splat(g.vty(t), s)));
                } else {
                    splats.push(None);
                }
            }
            b.ins().jump(head, &[]);
            b.switch_to_block(head);
            let iv = b.use_var(i);
            let rest = b.ins().isub(n, iv);
            let more = b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, rest, step);
            b.ins().brif(more, body, &[], tail, &[]);
            b.switch_to_block(body);
            let mut base = Vec::new();
            for k in 0..nops {
                base.push(b.use_var(ptrs[k]));
            }
            // Gathered inputs walk their own pointer, one stride per element.
            let mut gp: Vec<Value> = base.clone();
            // Contiguous bool inputs, when an iteration reads a multiple of 8 bytes: 8 bytes
            // at a time zero-extended to 16-bit lanes, then widened to the lane width
            // (instead of one scalar load and insert per lane).
            let bytes_per_iter = unroll as i64 * lanes as i64;
            let mut bool_vecs: Vec<Option<Vec<Value>>> = vec![None; nin];
            if bytes_per_iter % 8 == 0 {
                let it = g.vty(Ty::Bool);
                for k in 0..nin {
                    if prog.inputs[k] != Ty::Bool || splats[k].is_some() || is_gather[k] {
                        continue;
                    }
                    let zero = b.ins().iconst(it.lane_type(), 0);
                    let zero = b.ins().splat(it, zero);
                    let mut masks = Vec::new();
                    for c in 0..(bytes_per_iter / 8) as i32 {
                        let w16 = b.ins().uload8x8(unaligned, base[k], c * 8);
                        let halves = [b.ins().uwiden_low(w16), b.ins().uwiden_high(w16)];
                        for h in halves {
                            if lanes == 4 {
                                masks.push(h);
                            } else {
                                masks.push(b.ins().uwiden_low(h));
                                masks.push(b.ins().uwiden_high(h));
                            }
                        }
                    }
                    let masks = masks.into_iter().map(|m| b.ins().icmp(IntCC::NotEqual, m, zero)).collect();
                    bool_vecs[k] = Some(masks);
                }
            }
            let mut all_ins = Vec::new();
            let mut lazy = Vec::new();
            let lazy_loads = std::env::var("OXNP_JIT_EAGER_LOADS").is_err();
            for u in 0..unroll {
                let mut ins = Vec::new();
                let mut lz = vec![None; nin];
                for k in 0..nin {
                    let t = prog.inputs[k];
                    let off = u * 16;
                    if let Some(ms) = &bool_vecs[k] {
                        ins.push(ms[u as usize]);
                        continue;
                    }
                    if gsrc[k].is_some() {
                        // (read by its gathers only)
                        ins.push(g.konst(&mut b, t, 0.0, 0));
                        continue;
                    }
                    if t == Ty::Bool && splats[k].is_none() {
                        // Bool bytes (any nonzero byte is true) widened into a lane mask.
                        let mut es = Vec::new();
                        for l in 0..lanes as i32 {
                            if is_gather[k] {
                                es.push(b.ins().load(types::I8, unaligned, gp[k], 0));
                                gp[k] = b.ins().iadd(gp[k], strides[k]);
                            } else {
                                es.push(b.ins().load(types::I8, unaligned, base[k], u * lanes as i32 + l));
                            }
                        }
                        ins.push(bool_lanes(&mut b, g.vty(t), &es));
                        continue;
                    }
                    if is_gather[k] {
                        let mut v = None;
                        for l in 0..lanes {
                            let e = b.ins().load(t.clif(), unaligned, gp[k], 0);
                            gp[k] = b.ins().iadd(gp[k], strides[k]);
                            v = Some(match v {
                                None => b.ins().scalar_to_vector(g.vty(t), e),
                                Some(v) => b.ins().insertlane(v, e, l),
                            });
                        }
                        ins.push(v.expect("lanes"));
                        continue;
                    }
                    match splats[k] {
                        Some(s) => ins.push(s),
                        None if lazy_loads => {
                            lz[k] = Some((base[k], off, g.vty(t), unaligned));
                            ins.push(base[k]);
                        }
                        None => ins.push(b.ins().load(g.vty(t), unaligned, base[k], off)),
                    }
                }
                all_ins.push(ins);
                lazy.push(lz);
            }
            let is_scatter: Vec<bool> = (0..prog.outputs.len()).map(|j| pat.1 >> (nin + j) & 1 == 1).collect();
            // One unrolled copy after the other (loads, body, stores), unless exp/log calls
            // are batched over the copies: Cranelift places pure instructions next to their
            // use, but loads and stores stay in order, so loading every copy's inputs
            // before any store kept them all live (spills). Each copy writes only its own
            // elements, and an input overlapping an output is exactly it (read elementwise)
            // or a separate buffer (lagged sweeps), so the order does not change results.
            let per_copy = lazy_loads && g.lp.is_none() && !(0..prog.nodes.len()).any(|k| g.batched(k, unroll as usize).is_some());
            let groups: Vec<std::ops::Range<usize>> =
                if per_copy { (0..unroll as usize).map(|u| u..u + 1).collect() } else { vec![0..unroll as usize] };
            for rg in groups {
            let all_vals = g.body_multi_lazy(&mut b, &all_ins[rg.clone()], &lazy[rg.clone()]);
            for (du, vals) in all_vals.iter().enumerate() {
                let u = rg.start + du;
                for (j, &o) in prog.outputs.iter().enumerate() {
                    if prog.nodes[o].ty == Ty::Bool {
                        // A lane mask (0 / -1) stored as one 0/1 byte per lane.
                        for l in 0..lanes {
                            let e = b.ins().extractlane(vals[o], l);
                            let e = b.ins().ireduce(types::I8, e);
                            let e = b.ins().band_imm_u(e, 1);
                            if is_scatter[j] {
                                b.ins().store(unaligned, e, gp[nin + j], 0);
                                gp[nin + j] = b.ins().iadd(gp[nin + j], strides[nin + j]);
                            } else {
                                b.ins().store(unaligned, e, base[nin + j], u as i32 * lanes as i32 + l as i32);
                            }
                        }
                    } else if is_scatter[j] {
                        // Strided output: lane by lane along its runtime stride.
                        for l in 0..lanes {
                            let e = b.ins().extractlane(vals[o], l);
                            b.ins().store(unaligned, e, gp[nin + j], 0);
                            gp[nin + j] = b.ins().iadd(gp[nin + j], strides[nin + j]);
                        }
                    } else {
                        b.ins().store(unaligned, vals[o], base[nin + j], u as i32 * 16);
                    }
                }
            }
            }
            for k in 0..nops {
                if (k < nin && is_gather[k]) || (k >= nin && is_scatter[k - nin]) {
                    b.def_var(ptrs[k], gp[k]);
                    continue;
                }
                let sz = op_ty(k).size() as i64 * step;
                let sz = if k < nin && is_bcast[k] { 0 } else { sz };
                let np = b.ins().iadd_imm_s(base[k], sz);
                b.def_var(ptrs[k], np);
            }
            let iv = b.use_var(i);
            let ni = b.ins().iadd_imm_s(iv, step);
            b.def_var(i, ni);
            b.ins().jump(head, &[]);
            b.switch_to_block(tail);
        }

        // Scalar strided loop (the whole row, or the vector loop's tail).
        let g = Gen { prog, lp: lp.clone(), gsrc: gsrc.clone(), aux, gerr, vec: None, calls };
        let head = b.create_block();
        let body = b.create_block();
        let exit = b.create_block();
        // A strided variant with exp / log calls first runs BATCH elements per iteration,
        // their calls batched (`Gen::batched`); the loop below does the rest.
        let batch = vec.is_none() && lp.is_none() && layout.srcs.is_empty()
            && (0..prog.nodes.len()).any(|k| g.batched(k, BATCH).is_some());
        if batch {
            let chead = b.create_block();
            let cbody = b.create_block();
            b.ins().jump(chead, &[]);
            b.switch_to_block(chead);
            let iv = b.use_var(i);
            let iv8 = b.ins().iadd_imm_s(iv, BATCH as i64);
            let more = b.ins().icmp(IntCC::SignedLessThanOrEqual, iv8, n);
            b.ins().brif(more, cbody, &[], head, &[]);
            b.switch_to_block(cbody);
            let mut addrs: Vec<Vec<Value>> = Vec::new();
            for k in 0..nops {
                let p0 = b.use_var(ptrs[k]);
                let mut a = vec![p0];
                for u in 1..BATCH {
                    let o = b.ins().imul_imm_s(strides[k], u as i64);
                    a.push(b.ins().iadd(p0, o));
                }
                addrs.push(a);
            }
            let mut insc = Vec::new();
            for u in 0..BATCH {
                let mut ins = Vec::new();
                for k in 0..nin {
                    let t = prog.inputs[k];
                    let x = b.ins().load(t.clif(), unaligned, addrs[k][u], 0);
                    let x = if t == Ty::Bool { b.ins().icmp_imm_s(IntCC::NotEqual, x, 0) } else { x };
                    ins.push(x);
                }
                insc.push(ins);
            }
            let vals = g.body_multi(&mut b, &insc);
            for u in 0..BATCH {
                for (j, &o) in prog.outputs.iter().enumerate() {
                    b.ins().store(unaligned, vals[u][o], addrs[nin + j][u], 0);
                }
            }
            for k in 0..nops {
                let o = b.ins().imul_imm_s(strides[k], BATCH as i64);
                let np = b.ins().iadd(addrs[k][0], o);
                b.def_var(ptrs[k], np);
            }
            b.def_var(i, iv8);
            b.ins().jump(chead, &[]);
        } else {
            b.ins().jump(head, &[]);
        }
        b.switch_to_block(head);
        let iv = b.use_var(i);
        let more = b.ins().icmp(IntCC::SignedLessThan, iv, n);
        b.ins().brif(more, body, &[], exit, &[]);
        b.switch_to_block(body);
        let mut base = Vec::new();
        for k in 0..nops {
            base.push(b.use_var(ptrs[k]));
        }
        let mut ins = Vec::new();
        for k in 0..nin {
            let t = prog.inputs[k];
            if gsrc[k].is_some() {
                ins.push(g.konst(&mut b, t, 0.0, 0));
                continue;
            }
            let x = b.ins().load(t.clif(), unaligned, base[k], 0);
            // Bools in memory may hold any nonzero byte.
            let x = if t == Ty::Bool { b.ins().icmp_imm_s(IntCC::NotEqual, x, 0) } else { x };
            ins.push(x);
        }
        let vals = g.body(&mut b, &ins);
        for (j, &o) in prog.outputs.iter().enumerate() {
            b.ins().store(unaligned, vals[o], base[nin + j], 0);
        }
        for k in 0..nops {
            let np = b.ins().iadd(base[k], strides[k]);
            b.def_var(ptrs[k], np);
        }
        let ni = b.ins().iadd_imm_s(iv, 1);
        b.def_var(i, ni);
        b.ins().jump(head, &[]);
        b.switch_to_block(exit);
        for k in 0..nops {
            let p = b.ins().load(ptr_t, fl, pp, (8 * k) as i32);
            let o = b.ins().load(ptr_t, fl, osp, (8 * k) as i32);
            let np = b.ins().iadd(p, o);
            b.ins().store(fl, np, pp, (8 * k) as i32);
        }
        let rv = b.use_var(rowv);
        let nrv = b.ins().iadd_imm_s(rv, 1);
        b.def_var(rowv, nrv);
        b.ins().jump(rowhead, &[]);
        b.switch_to_block(done);
        b.ins().return_(&[]);
        b.seal_all_blocks();
        b.finalize(module.target_config());
    }
    let _ = writeln!(ir, "; {} variant\n{}", if vec.is_some() { "simd" } else { "strided" }, ctx.func.display());
    module.define_function(fid, &mut ctx).map_err(|e| JitError(format!("{e:?}")))?;
    module.clear_context(&mut ctx);
    module.finalize_definitions().map_err(err)?;
    let code = module.get_finalized_function(fid);
    // SAFETY: the function was declared with this signature.
    let f: RowFn = unsafe { std::mem::transmute::<*const u8, RowFn>(code) };
    Ok(Compiled { f, _module: module })
}

/// Compiles both variants of `prog`.
pub fn compile(prog: Program) -> Result<Kernel, JitError> {
    validate(&prog)?;
    let t0 = std::time::Instant::now();
    let mut ir = String::new();
    let scalar = build(&prog, None, (0, 0), &mut ir)?;
    let lanes = simd_lanes(&prog);
    let compile_ms = t0.elapsed().as_secs_f64() * 1e3;
    let aux = aux_layout(&prog);
    Ok(Kernel { prog, aux, scalar, simd: Mutex::new(Vec::new()), lanes, ir: Mutex::new(ir), compile_ms: Mutex::new(compile_ms) })
}

impl Kernel {
    /// The SIMD variant for stride pattern `bcast` (see `build`), compiled on first use.
    fn simd(&self, bcast: (u64, u64)) -> Option<std::sync::Arc<Compiled>> {
        let lanes = self.lanes?;
        let mut g = self.simd.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, c)) = g.iter().find(|(m, _)| *m == bcast) {
            return Some(c.clone());
        }
        let t0 = std::time::Instant::now();
        let mut ir = self.ir.lock().unwrap_or_else(|e| e.into_inner());
        let c = std::sync::Arc::new(build(&self.prog, Some(lanes), bcast, &mut ir).ok()?);
        *self.compile_ms.lock().unwrap_or_else(|e| e.into_inner()) += t0.elapsed().as_secs_f64() * 1e3;
        g.push((bcast, c.clone()));
        Some(c)
    }
}

fn validate(p: &Program) -> Result<(), JitError> {
    let bad = |m: String| Err(JitError(m));
    for (k, n) in p.nodes.iter().enumerate() {
        let arg = |a: usize| if a < k { Ok(p.nodes[a].ty) } else { Err(JitError(format!("node {k}: forward reference"))) };
        match &n.op {
            Op::Input(i) if *i >= p.inputs.len() || p.inputs[*i] != n.ty => return bad(format!("node {k}: bad input")),
            Op::Unary(name, a) => {
                let at = arg(*a)?;
                let ok = match name.as_str() {
                    "logical_not" => at == Ty::Bool && n.ty == Ty::Bool,
                    "negative" | "positive" | "absolute" | "square" => at == n.ty && n.ty != Ty::Bool,
                    name => at == n.ty && n.ty.is_float() && (name == "sqrt" || CALLS.contains(&name)),
                };
                if !ok {
                    return bad(format!("node {k}: unsupported {name} on {at:?}"));
                }
            }
            Op::Binary(name, a, b) => {
                let (at, bt) = (arg(*a)?, arg(*b)?);
                let ok = at == bt
                    && match name.as_str() {
                        "add" | "subtract" | "multiply" | "maximum" | "minimum" => at == n.ty && n.ty != Ty::Bool,
                        "divide" => at == n.ty && n.ty.is_float(),
                        "logical_and" | "logical_or" | "logical_xor" => at == Ty::Bool && n.ty == Ty::Bool,
                        "equal" | "not_equal" | "less" | "less_equal" | "greater" | "greater_equal" => n.ty == Ty::Bool,
                        _ => false,
                    };
                if !ok {
                    return bad(format!("node {k}: unsupported {name} on {at:?}, {bt:?}"));
                }
            }
            Op::Where(c, a, b) => {
                if arg(*c)? != Ty::Bool || arg(*a)? != n.ty || arg(*b)? != n.ty {
                    return bad(format!("node {k}: bad where"));
                }
            }
            Op::Cast(a) => {
                arg(*a)?;
            }
            Op::Fma(a, b, c) => {
                if !n.ty.is_float() || arg(*a)? != n.ty || arg(*b)? != n.ty || arg(*c)? != n.ty {
                    return bad(format!("node {k}: bad fma"));
                }
            }
            Op::CabsCmp(name, _, re, im, fast, amb) => {
                let ok = n.ty == Ty::Bool
                    && arg(*re)?.is_float()
                    && arg(*im)? == arg(*re)?
                    && arg(*fast)? == Ty::Bool
                    && arg(*amb)? == Ty::Bool
                    && matches!(name.as_str(), "less" | "less_equal" | "greater" | "greater_equal");
                if !ok {
                    return bad(format!("node {k}: bad cabs comparison"));
                }
            }
            Op::Gather(src, idx, _) => {
                arg(*src)?;
                let ok = gather_input(p, *src).is_some()
                    && n.ty != Ty::Bool
                    && p.nodes[*src].ty == n.ty
                    && !idx.is_empty()
                    && idx.len() <= 32
                    && idx.iter().all(|&i| matches!(arg(i), Ok(Ty::I64 | Ty::I32)));
                if !ok {
                    return bad(format!("node {k}: bad gather"));
                }
            }
            _ => {}
        }
    }
    // A gather source input is read by gathers only, always with one number of indices.
    for (k, n) in p.nodes.iter().enumerate() {
        if let Op::Gather(src, idx, _) = &n.op {
            let used_otherwise = p.nodes.iter().any(|m| match &m.op {
                Op::Gather(s2, idx2, _) => idx2.contains(src) || (s2 == src && idx2.len() != idx.len()),
                Op::Unary(_, a) | Op::Cast(a) => a == src,
                Op::Binary(_, a, b) => a == src || b == src,
                Op::Where(a, b, c) | Op::Fma(a, b, c) => a == src || b == src || c == src,
                Op::CabsCmp(..) => args_of(&m.op).contains(src),
                _ => false,
            }) || p.outputs.contains(src)
                || p.nodes.iter().enumerate().any(|(j, m)| j != *src && m.op == p.nodes[*src].op);
            if used_otherwise {
                return bad(format!("node {k}: gather source used otherwise"));
            }
        }
    }
    if p.outputs.iter().any(|&o| o >= p.nodes.len()) {
        return bad("bad output".into());
    }
    // Every operand is a part of an array of a matching dtype, each part used once.
    let io = &p.io;
    let parts_ok = |parts: &[(usize, usize)], arrays: &[DType], tys: &mut dyn Iterator<Item = Ty>| {
        let mut seen = std::collections::HashSet::new();
        parts.iter().zip(tys).all(|(&(a, off), t)| {
            a < arrays.len()
                && part_ty(arrays[a]) == Some(t)
                && (off == 0 || (off == t.size() && arrays[a].is_complex()))
                && seen.insert((a, off))
        }) && seen.len() == arrays.iter().map(|d| if d.is_complex() { 2 } else { 1 }).sum::<usize>()
    };
    if io.in_parts.len() != p.inputs.len() || !parts_ok(&io.in_parts, &io.inputs, &mut p.inputs.iter().copied()) {
        return bad("bad input layout".into());
    }
    if io.out_parts.len() != p.outputs.len()
        || !parts_ok(&io.out_parts, &io.outputs, &mut p.outputs.iter().map(|&o| p.nodes[o].ty))
    {
        return bad("bad output layout".into());
    }
    Ok(())
}

// ---- the row driver ----

#[derive(Clone, Copy)]
struct SendPtr(*mut u8);
// SAFETY: rows handed to different threads write disjoint parts of the outputs.
unsafe impl Send for SendPtr {}
unsafe impl Sync for SendPtr {}

impl SendPtr {
    fn get(&self) -> *mut u8 {
        self.0
    }
}

/// Elements above which a group runs on all of rayon's threads.
pub const PARALLEL_MIN: usize = 1 << 15;
/// 1.5 * 2^52: adding an integer-valued float of magnitude below 2^51 puts it in the low
/// mantissa bits (float <-> int64 conversions without the lane-by-lane instructions).
const MAGIC: f64 = 6755399441055744.0;
const MAGIC_BITS: i64 = 0x4338_0000_0000_0000;
/// Elements above which a group below `PARALLEL_MIN` (or a lagged sweep) is shared with
/// the helper thread (`pair`), in at most `CHUNKS` chunks of rows.
const SPLIT_MIN: usize = 1 << 12;
const CHUNKS: usize = 4;

/// Runs `k` over `inputs` broadcast to `shape`; returns new C-contiguous outputs.
pub fn run(k: &Kernel, inputs: &[Array], shape: &[usize]) -> Result<Vec<Array>, JitError> {
    let ops: Vec<Operand<'_>> = inputs
        .iter()
        .map(|a| Operand { ptr: a.as_ptr(), shape: a.shape(), strides: a.strides(), dtype: a.dtype() })
        .collect();
    run_operands(k, &ops, shape)
}

/// An input of `run_operands`: an array's geometry, without an `Array` (a replayed plan
/// reads views of its arguments this way).
pub struct Operand<'a> {
    pub ptr: *mut u8,
    pub shape: &'a [usize],
    pub strides: &'a [isize],
    pub dtype: DType,
}

/// A 2-D kernel with one output assigned into `target` (2-D, positive strides, rows not
/// overlapping), whose inputs may read `target`'s memory up to one row behind the row
/// they compute (a relaxation sweep `x[1:-1, 1:-1] = f(x[:-2, 1:-1], x[2:, 1:-1], ...)`):
/// row by row into a two-row buffer, each row stored into the target once the next one is
/// computed, so every read sees the old values. Plain (real) operands, no gathers;
/// `None` when the kernel does not fit this form.
pub fn run_lagged(k: &Kernel, inputs: &[Operand<'_>], shape: &[usize], target: &Operand<'_>) -> Option<Result<(), JitError>> {
    let p = &k.prog;
    let nin = p.inputs.len();
    if shape.len() != 2 || p.outputs.len() != 1 || !k.aux.srcs.is_empty() || inputs.len() != nin
        || p.io.inputs.len() != nin || p.io.in_parts.iter().enumerate().any(|(j, &(a, o))| a != j || o != 0)
        || target.shape != shape || target.dtype != p.io.outputs[0]
    {
        return None;
    }
    let (rows, cols) = (shape[0], shape[1]);
    let item = target.dtype.itemsize();
    if rows == 0 || cols == 0 || target.strides[1] != item as isize || target.strides[0] < (cols * item) as isize {
        return None;
    }
    // Inputs broadcast to the 2-D shape: (row stride, inner stride).
    let mut base: SmallVec<[*mut u8; 16]> = SmallVec::new();
    let mut rs: SmallVec<[isize; 16]> = SmallVec::new();
    let mut inner: SmallVec<[isize; 16]> = SmallVec::new();
    for (a, &t) in inputs.iter().zip(&p.io.inputs) {
        if a.dtype != t || a.shape.len() > 2 {
            return None;
        }
        let nd = a.shape.len();
        let dim = |d: usize| if d + nd >= 2 { Some((a.shape[d + nd - 2], a.strides[d + nd - 2])) } else { None };
        let mut st = [0isize; 2];
        for d in 0..2 {
            if let Some((n, s)) = dim(d) {
                if n == shape[d] {
                    st[d] = s;
                } else if n != 1 {
                    return None;
                }
            }
        }
        base.push(a.ptr);
        rs.push(st[0]);
        inner.push(st[1]);
    }
    let item_of = |j: usize| p.inputs[j].size() as isize;
    let bcast: u64 = (0..nin.min(64)).filter(|&j| inner[j] == 0).fold(0, |m, j| m | 1 << j);
    let gather: u64 = (0..nin.min(64)).filter(|&j| inner[j] != 0 && inner[j] != item_of(j)).fold(0, |m, j| m | 1 << j);
    if nin + 1 > 64 {
        return None;
    }
    let simd = if cols >= 16 { k.simd((bcast, gather)) } else { None };
    let f = match &simd {
        Some(c) => c.f,
        None => k.scalar.f,
    };
    // Blocks of B rows computed into a buffer; the block's last row is held back (pending)
    // until the next block is computed, as the next block's first row reads it.
    const B: usize = 16;
    let rowb = cols * item;
    let mut strides: SmallVec<[isize; 16]> = inner.clone();
    strides.push(item as isize);
    let mut ostr: SmallVec<[isize; 16]> = rs.clone();
    ostr.push(rowb as isize);
    let (tptr, trs) = (SendPtr(target.ptr), target.strides[0]);
    let store = |src: &[u8], r: usize| {
        // SAFETY: row r of the target holds `cols` contiguous items (checked above).
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), tptr.get().offset(r as isize * trs), rowb) };
    };
    let base: SmallVec<[SendPtr; 16]> = base.into_iter().map(SendPtr).collect();
    // Rows r0..r1. The first row goes to `head` instead of the target when given, the last
    // to `tail`: the rows a neighbouring part reads.
    let part = |r0: usize, r1: usize, mut head: Option<&mut [u8]>, tail: Option<&mut [u8]>| ROWS.with_borrow_mut(|scratch| {
        // (this thread's block buffer, kept between sweeps: no allocation or zeroing per call)
        if scratch.len() < (B + 1) * rowb {
            scratch.resize((B + 1) * rowb, 0);
        }
        let (buf, rest) = scratch.split_at_mut(B * rowb);
        let pending = &mut rest[..rowb];
        let mut ptrs: SmallVec<[*mut u8; 16]> = SmallVec::new();
        let mut aux = [0i64; 1];
        let mut put = |src: &[u8], r: usize| match head.as_deref_mut() {
            Some(h) if r == r0 => h.copy_from_slice(src),
            _ => store(src, r),
        };
        let mut r = r0;
        while r < r1 {
            let nb = B.min(r1 - r);
            ptrs.clear();
            for j in 0..nin {
                // SAFETY: row r of each (broadcast) input.
                ptrs.push(unsafe { base[j].get().offset(r as isize * rs[j]) });
            }
            ptrs.push(buf.as_mut_ptr());
            ptrs.push(aux.as_mut_ptr() as *mut u8);
            // SAFETY: nb rows of `cols` elements of each operand.
            unsafe { f(ptrs.as_mut_ptr() as *const *mut u8, strides.as_ptr(), cols as i64, nb as i64, ostr.as_ptr()) };
            if r > r0 {
                put(pending, r - 1);
            }
            for q in 0..nb - 1 {
                put(&buf[q * rowb..(q + 1) * rowb], r + q);
            }
            pending.copy_from_slice(&buf[(nb - 1) * rowb..nb * rowb]);
            r += nb;
        }
        match tail {
            Some(t) => t.copy_from_slice(pending),
            None => put(pending, r1 - 1),
        }
    });
    // Chunks of rows on two threads, in any order, when every input reading the target stays
    // within one row of the row it computes: each chunk's first and last rows, which the
    // neighbouring chunks read, are kept aside and stored once every chunk is computed.
    let te = (tptr.get() as isize, tptr.get() as isize + (rows - 1) as isize * trs + rowb as isize);
    let near = inputs.iter().zip(&base).enumerate().all(|(j, (a, b))| {
        let (down, across) = (rs[j] * (rows as isize - 1), inner[j] * (cols as isize - 1));
        let lo = b.get() as isize + down.min(0) + across.min(0);
        let hi = b.get() as isize + down.max(0) + across.max(0) + a.dtype.itemsize() as isize;
        hi <= te.0 || te.1 <= lo || (rs[j] == trs && inner[j] == item as isize && (b.get() as isize - te.0).abs() <= trs)
    });
    if near && rows >= 2 * B && rows * cols >= SPLIT_MIN {
        let count = (rows / B).min(CHUNKS);
        let bounds = |c: usize| (c * rows / count, (c + 1) * rows / count);
        let mut edges = vec![0u8; 2 * count * rowb];
        let ep = SendPtr(edges.as_mut_ptr());
        pair::run_chunks(count, &|c| {
            let (r0, r1) = bounds(c);
            // SAFETY: chunk c alone uses rows 2c and 2c + 1 of `edges`.
            let (head, tail) = unsafe {
                (
                    std::slice::from_raw_parts_mut(ep.get().add(2 * c * rowb), rowb),
                    std::slice::from_raw_parts_mut(ep.get().add((2 * c + 1) * rowb), rowb),
                )
            };
            part(r0, r1, Some(head), Some(tail));
        });
        for c in 0..count {
            let (r0, r1) = bounds(c);
            store(&edges[2 * c * rowb..(2 * c + 1) * rowb], r0);
            store(&edges[(2 * c + 1) * rowb..(2 * c + 2) * rowb], r1 - 1);
        }
    } else {
        part(0, rows, None, None);
    }
    Some(Ok(()))
}

thread_local! {
    /// `run_lagged`'s block buffer and held-back row, per thread.
    static ROWS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `run` on raw operands. The caller keeps the memory behind each operand alive and valid
/// for its shape and strides.
pub fn run_operands(k: &Kernel, inputs: &[Operand<'_>], shape: &[usize]) -> Result<Vec<Array>, JitError> {
    run_operands_into(k, inputs, shape, None)
}

/// `run_operands`, writing the outputs into `into` (one operand of exactly `shape` per
/// output array, memory the caller guarantees no input reads in a conflicting order) instead
/// of new arrays (then none are returned).
pub fn run_operands_into(k: &Kernel, inputs: &[Operand<'_>], shape: &[usize], into: Option<&[Operand<'_>]>) -> Result<Vec<Array>, JitError> {
    let p = &k.prog;
    if inputs.len() != p.io.inputs.len() {
        return Err(JitError("wrong number of inputs".into()));
    }
    // Operands: base pointers and strides broadcast to `shape`, flat (`full[j * nd0 + d]`):
    // no allocation per operand, as a replayed plan of tiny arrays is mostly this setup.
    let nd0 = shape.len();
    let nin = p.inputs.len();
    let nops = nin + p.outputs.len();
    let mut base: SmallVec<[SendPtr; 16]> = SmallVec::with_capacity(nops);
    let mut full: SmallVec<[isize; 32]> = smallvec::smallvec![0; nops * nd0];
    // Gather sources (arrays read at computed offsets) are not iterated: stride 0 for every
    // dimension, their geometry in the aux table.
    let layout = &k.aux;
    let mut aux: SmallVec<[i64; 32]> = smallvec::smallvec![0; layout.len];
    let mut is_src: SmallVec<[bool; 16]> = smallvec::smallvec![false; inputs.len()];
    for &(kin, nd, off) in &layout.srcs {
        let a = p.io.in_parts[kin].0;
        let arr = &inputs[a];
        if arr.shape.len() != nd {
            return Err(JitError(format!("gather source of {} dimensions indexed by {nd}", arr.shape.len())));
        }
        for d in 0..nd {
            aux[off + d] = arr.shape[d] as i64;
            aux[off + nd + d] = arr.strides[d] as i64;
        }
        is_src[a] = true;
    }
    for (ai, (a, &t)) in inputs.iter().zip(&p.io.inputs).enumerate() {
        if a.dtype != t {
            return Err(JitError(format!("input dtype {:?} is not {:?}", a.dtype, t)));
        }
        if is_src[ai] {
            continue;
        }
        let (sh, nd) = (a.shape, a.shape.len());
        if nd > nd0 || (0..nd).any(|k| sh[nd - 1 - k] != shape[nd0 - 1 - k] && sh[nd - 1 - k] != 1) {
            return Err(JitError(format!("could not broadcast input of shape {sh:?} into shape {shape:?}")));
        }
    }
    for (j, &(a, off)) in p.io.in_parts.iter().enumerate() {
        let arr = &inputs[a];
        let (sh, stv, nd) = (arr.shape, arr.strides, arr.shape.len());
        for k in 0..nd {
            if is_src[a] {
                break;
            }
            // stretched (length-1) axes read with stride 0
            full[j * nd0 + nd0 - 1 - k] = if sh[nd - 1 - k] == shape[nd0 - 1 - k] { stv[nd - 1 - k] } else { 0 };
        }
        // SAFETY: `off` is 0 or the offset of the imaginary part inside each element.
        base.push(SendPtr(unsafe { arr.ptr.add(off) }));
    }
    let mut outs = Vec::with_capacity(p.io.outputs.len());
    if let Some(into) = into {
        if into.len() != p.io.outputs.len()
            || into.iter().zip(&p.io.outputs).any(|(o, &t)| o.dtype != t || o.shape != shape)
        {
            return Err(JitError("bad output operands".into()));
        }
        for (j, &(a, off)) in p.io.out_parts.iter().enumerate() {
            let j = nin + j;
            full[j * nd0..(j + 1) * nd0].copy_from_slice(into[a].strides);
            // SAFETY: as for the inputs.
            base.push(SendPtr(unsafe { into[a].ptr.add(off) }));
        }
    } else {
        for &t in &p.io.outputs {
            outs.push(Array::empty(shape, t, Order::C).map_err(|e| JitError(format!("{e:?}")))?);
        }
        for (j, &(a, off)) in p.io.out_parts.iter().enumerate() {
            let j = nin + j;
            full[j * nd0..(j + 1) * nd0].copy_from_slice(outs[a].strides());
            // SAFETY: as for the inputs.
            base.push(SendPtr(unsafe { outs[a].as_ptr().add(off) }));
        }
    }
    let size: usize = shape.iter().product();
    if size == 0 {
        return Ok(outs);
    }
    if size == 1 && layout.errs.is_empty() {
        // One element (a corner of a boundary update): one call, no loop set-up.
        let mut ptrs: SmallVec<[*mut u8; 16]> = base.iter().map(|b| b.get()).collect();
        ptrs.push(aux.as_mut_ptr() as *mut u8);
        let zeros: SmallVec<[isize; 16]> = smallvec::smallvec![0; nops];
        // SAFETY: one element of each operand at its base pointer.
        unsafe { (k.scalar.f)(ptrs.as_mut_ptr() as *const *mut u8, zeros.as_ptr(), 1, 1, zeros.as_ptr()) };
        return Ok(outs);
    }
    // Collapse: drop length-1 dims, merge dims that are contiguous for every operand.
    // st[j * w + c]: operand j's stride along collapsed dim c (w = nd0 + 1 slots each).
    let w = nd0 + 1;
    let mut dims: SmallVec<[usize; 8]> = SmallVec::with_capacity(w);
    let mut st: SmallVec<[isize; 32]> = smallvec::smallvec![0; nops * w];
    for d in 0..nd0 {
        if shape[d] == 1 {
            continue;
        }
        let c = dims.len();
        let merge = c > 0 && (0..nops).all(|j| st[j * w + c - 1] == full[j * nd0 + d] * shape[d] as isize);
        if merge {
            *dims.last_mut().unwrap() *= shape[d];
            for j in 0..nops {
                st[j * w + c - 1] = full[j * nd0 + d];
            }
        } else {
            dims.push(shape[d]);
            for j in 0..nops {
                st[j * w + c] = full[j * nd0 + d];
            }
        }
    }
    if dims.is_empty() {
        dims.push(1);
    }
    let nd = dims.len();
    // (the order as collapsed: C order of the elements, for the error rerun below)
    let (dims_c, st_c) = if layout.errs.is_empty() { (SmallVec::new(), SmallVec::new()) } else { (dims.clone(), st.clone()) };
    // A short last dimension makes one kernel call per few elements: run the longest
    // dimension innermost instead (elementwise, so any loop order gives the same result).
    if nd > 1 && dims[nd - 1] < 64 {
        let big = (0..nd).max_by_key(|&d| dims[d]).unwrap_or(nd - 1);
        if dims[big] > dims[nd - 1] {
            dims.swap(big, nd - 1);
            for j in 0..nops {
                st.swap(j * w + big, j * w + nd - 1);
            }
        }
    }
    let inner = dims[nd - 1];
    let inner_st: SmallVec<[isize; 16]> = (0..nops).map(|j| st[j * w + nd - 1]).collect();
    let item = |j: usize| if j < nin { p.inputs[j].size() } else { p.nodes[p.outputs[j - nin]].ty.size() };
    // Inputs may be broadcast, contiguous or strided (gathered); outputs contiguous or
    // strided (scattered: the parts of a complex output).
    let bcast: u64 = (0..nin.min(64)).filter(|&j| inner_st[j] == 0).fold(0, |m, j| m | 1 << j);
    let gather: u64 = (0..nops.min(64))
        .filter(|&j| (j >= nin || inner_st[j] != 0) && inner_st[j] != item(j) as isize)
        .fold(0, |m, j| m | 1 << j);
    let bcast = (bcast, gather);
    let simd = if inner >= 16 && nops <= 64 { k.simd(bcast) } else { None };
    let f = match &simd {
        Some(c) => c.f,
        None => k.scalar.f,
    };
    let rows: usize = dims[..nd - 1].iter().product();
    let threads = rayon::current_num_threads().max(1);
    let auxp = SendPtr(aux.as_mut_ptr() as *mut u8);
    // One call of the kernel `f`: `nrows` consecutive rows (of one block of the dimension
    // before the inner one) from flat row `row`, `len` elements each from `start`.
    #[allow(clippy::too_many_arguments)]
    let call = |f: RowFn, dims: &[usize], st: &[isize], inner_st: &[isize], row: usize, nrows: usize, start: usize, len: usize, ptrs: &mut SmallVec<[*mut u8; 16]>| {
        let nd = dims.len();
        ptrs.clear();
        let mut ostr: SmallVec<[isize; 16]> = SmallVec::new();
        // The row's index along each outer dimension, computed once for all operands.
        let mut at: SmallVec<[usize; 8]> = SmallVec::new();
        if nd > 2 {
            at.resize(nd - 1, 0);
            let mut rem = row;
            for d in (0..nd - 1).rev() {
                at[d] = rem % dims[d];
                rem /= dims[d];
            }
        }
        for j in 0..nops {
            let mut off = start as isize * st[j * w + nd - 1];
            if nd == 2 {
                off += row as isize * st[j * w];
            } else {
                for d in 0..at.len() {
                    off += at[d] as isize * st[j * w + d];
                }
            }
            // SAFETY: the offsets stay inside each (broadcast) operand.
            ptrs.push(unsafe { base[j].0.offset(off) });
            ostr.push(if nd >= 2 { st[j * w + nd - 2] } else { 0 });
        }
        ptrs.push(auxp.get());
        // SAFETY: the kernel reads/writes `nrows` rows of `len` elements along the given
        // strides (and the gathers' sources inside their geometry, the aux table).
        unsafe { f(ptrs.as_mut_ptr() as *const *mut u8, inner_st.as_ptr(), len as i64, nrows as i64, ostr.as_ptr()) };
    };
    // Rows r0..r1 in calls that stay inside one block of the dimension before the inner one.
    let span = |f: RowFn, dims: &[usize], st: &[isize], inner_st: &[isize], r0: usize, r1: usize, ptrs: &mut SmallVec<[*mut u8; 16]>| {
        let inner = dims[dims.len() - 1];
        let block = if dims.len() >= 2 { dims[dims.len() - 2] } else { 1 };
        let mut r = r0;
        while r < r1 {
            let e = r1.min((r / block + 1) * block);
            call(f, dims, st, inner_st, r, e - r, 0, inner, ptrs);
            r = e;
        }
    };
    let parallel = size >= PARALLEL_MIN && threads > 1;
    if parallel && rows < 2 * threads {
        // Few long rows: split each row into chunks.
        let chunk = inner.div_ceil(2 * threads).max(4096);
        let items: Vec<(usize, usize, usize)> = (0..rows)
            .flat_map(|r| (0..inner).step_by(chunk).map(move |s| (r, s, chunk.min(inner - s))))
            .collect();
        use rayon::prelude::*;
        items.par_iter().for_each_init(SmallVec::new, |ptrs, &(r, s, l)| call(f, &dims, &st, &inner_st, r, 1, s, l, ptrs));
    } else if parallel {
        use rayon::prelude::*;
        let per = rows.div_ceil(4 * threads).max(1);
        (0..rows.div_ceil(per)).into_par_iter().for_each_init(SmallVec::new, |ptrs, c| {
            span(f, &dims, &st, &inner_st, c * per, ((c + 1) * per).min(rows), ptrs);
        });
    } else if size >= SPLIT_MIN && rows >= 2 {
        let count = rows.min(CHUNKS);
        pair::run_chunks(count, &|c| span(f, &dims, &st, &inner_st, c * rows / count, (c + 1) * rows / count, &mut SmallVec::new()));
    } else {
        let mut ptrs = SmallVec::new();
        span(f, &dims, &st, &inner_st, 0, rows, &mut ptrs);
    }
    if !layout.errs.is_empty() && aux[0] != 0 {
        // An index out of bounds: run again in row-major order with the scalar variant,
        // which records the first bad index of each axis of each gather, and report it as
        // NumPy does (the first gather of the program, its first axis with a bad index).
        for &(_, _, _, nd, off) in &layout.errs {
            for c in &mut aux[off..off + 1 + 2 * nd] {
                *c = 0;
            }
        }
        let rows_c: usize = dims_c[..nd - 1].iter().product();
        let mut ptrs = SmallVec::new();
        let inner_c: SmallVec<[isize; 16]> = (0..nops).map(|j| st_c[j * w + nd - 1]).collect();
        span(k.scalar.f, &dims_c, &st_c, &inner_c, 0, rows_c, &mut ptrs);
        let mut errs = layout.errs.clone();
        errs.sort_by_key(|e| e.1);
        for &(_, _, src, nd, off) in &errs {
            if aux[off] == 0 {
                continue;
            }
            let soff = layout.srcs.iter().find(|s| s.0 == src).map_or(0, |s| s.2);
            for a in 0..nd {
                if aux[off + 1 + 2 * a] != 0 {
                    return Err(JitError(format!(
                        "index {} is out of bounds for axis {a} with size {}",
                        aux[off + 2 + 2 * a],
                        aux[soff + a]
                    )));
                }
            }
        }
        return Err(JitError("index out of bounds".into()));
    }
    Ok(outs)
}

/// The kernels compiled so far; Python refers to them by index.
pub static KERNELS: Mutex<Vec<std::sync::Arc<Kernel>>> = Mutex::new(Vec::new());

pub fn register(k: Kernel) -> usize {
    let mut g = KERNELS.lock().unwrap_or_else(|e| e.into_inner());
    g.push(std::sync::Arc::new(k));
    g.len() - 1
}

pub fn get(id: usize) -> Option<std::sync::Arc<Kernel>> {
    KERNELS.lock().unwrap_or_else(|e| e.into_inner()).get(id).cloned()
}

/// Keeps `Function` in the public API surface for IR printing by callers.
pub fn display(f: &Function) -> String {
    f.display().to_string()
}
