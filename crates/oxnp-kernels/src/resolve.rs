//! Loop selection: NumPy 2's type resolution for the registry's loops, with NEP 50 weak
//! Python scalars, `dtype=`/`signature=` and the casting rules.

use oxnp_core::cast::can_cast;
use oxnp_core::promote::{Weak, promote_weak, promote_types};
use std::sync::atomic::Ordering;

use oxnp_core::{Casting, DType, Error, Result};
use smallvec::SmallVec;

use crate::registry::{IntRule, Ufunc};

/// One input operand as type resolution sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    /// An array or NumPy scalar: promotes by its dtype.
    Strong(DType),
    /// A Python int/float/complex: takes the other operands' dtype where NEP 50 says so.
    Weak(Weak),
}

/// The dtype a weak scalar takes next to the strong operands (NEP 50).
pub fn weak_dtype(ops: &[Operand], w: Weak) -> DType {
    let strong = ops
        .iter()
        .filter_map(|o| if let Operand::Strong(d) = o { Some(*d) } else { None })
        .reduce(promote_types);
    match strong {
        Some(s) => promote_weak(s, w),
        None => w.default_dtype(),
    }
}

/// The operands' dtypes with weak scalars replaced by their NEP 50 dtype.
pub fn effective_dtypes(ops: &[Operand]) -> SmallVec<[DType; 4]> {
    ops.iter()
        .map(|o| match o {
            Operand::Strong(d) => *d,
            Operand::Weak(w) => weak_dtype(ops, *w),
        })
        .collect()
}

fn no_loop(uf: &Ufunc, dts: &[DType]) -> Error {
    if uf.nin == 2 {
        Error::UFuncType(format!(
            "ufunc '{}' did not contain a loop with signature matching types ({}) -> None",
            uf.name,
            dts.iter().map(|d| format!("<class 'numpy.dtypes.{}DType'>", dtype_class(*d))).collect::<Vec<_>>().join(", ")
        ))
    } else {
        Error::UFuncType(format!(
            "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
            uf.name
        ))
    }
}

fn dtype_class(d: DType) -> &'static str {
    match d {
        DType::Bool => "Bool",
        DType::Int8 => "Int8",
        DType::UInt8 => "UInt8",
        DType::Int16 => "Int16",
        DType::UInt16 => "UInt16",
        DType::Int32 => "Int32",
        DType::UInt32 => "UInt32",
        DType::Int64 => "Int64",
        DType::UInt64 => "UInt64",
        DType::Float16 => "Float16",
        DType::Float32 => "Float32",
        DType::Float64 => "Float64",
        DType::Complex64 => "Complex64",
        DType::Complex128 => "Complex128",
    }
}

/// Errors NumPy raises before looking for a loop (boolean `-`; the ufuncs whose resolver
/// wants an exact loop for all-bool inputs).
pub fn bool_refusal(uf: &Ufunc, dts: &[DType]) -> Option<Error> {
    if !dts.iter().all(|d| *d == DType::Bool) {
        return None;
    }
    match uf.name {
        "sign" => Some(Error::UFuncType(
            "ufunc 'sign' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None".into(),
        )),
        "gcd" | "lcm" => Some(no_loop(uf, dts)),
        "subtract" => Some(Error::type_(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.",
        )),
        "negative" => Some(Error::type_(
            "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.",
        )),
        "positive" => Some(Error::UFuncType(
            "ufunc 'positive' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None".into(),
        )),
        _ => None,
    }
}

/// Operand kinds a loop cache slot distinguishes: the 14 dtypes and the 3 weak kinds.
const KINDS: usize = 17;

/// The size of a ufunc's loop cache (unary and binary ufuncs only).
pub fn cache_slots(nin: usize) -> usize {
    match nin {
        1 => KINDS,
        2 => KINDS * KINDS,
        _ => 0,
    }
}

fn cache_key(ops: &[Operand]) -> Option<usize> {
    let code = |o: &Operand| match o {
        Operand::Strong(d) => d.index(),
        Operand::Weak(Weak::Int) => 14,
        Operand::Weak(Weak::Float) => 15,
        Operand::Weak(Weak::Complex) => 16,
    };
    match ops {
        [a] => Some(code(a)),
        [a, b] => Some(code(a) * KINDS + code(b)),
        _ => None,
    }
}

/// Picks the loop for `ops` (index into `uf.loops`). `sig` fixes dtypes per operand
/// (inputs then outputs; from `signature=` or `dtype=`). With default options the answer
/// depends only on the operand kinds and is cached in the ufunc.
pub fn select_loop(uf: &Ufunc, ops: &[Operand], sig: Option<&[Option<DType>]>, casting: Casting) -> Result<usize> {
    let plain = casting == Casting::SameKind && sig.is_none_or(|s| s.iter().all(|d| d.is_none()));
    let slot = if plain { cache_key(ops).and_then(|k| uf.cache.get(k)) } else { None };
    if let Some(c) = slot {
        let v = c.load(Ordering::Relaxed);
        if v != 0 {
            return Ok(v as usize - 1);
        }
    }
    let idx = resolve_loop(uf, ops, sig, casting)?;
    if let Some(c) = slot {
        c.store(idx as u16 + 1, Ordering::Relaxed);
    }
    Ok(idx)
}

fn resolve_loop(uf: &Ufunc, ops: &[Operand], sig: Option<&[Option<DType>]>, casting: Casting) -> Result<usize> {
    let dts = effective_dtypes(ops);
    if let Some(e) = bool_refusal(uf, &dts) {
        return Err(e);
    }
    let idx = match sig.filter(|s| s.iter().any(|d| d.is_some())) {
        Some(sig) => select_fixed(uf, &dts, sig)?,
        None => select_safe(uf, ops, &dts)?,
    };
    let lp = &uf.loops[idx];
    for (i, (&from, &to)) in dts.iter().zip(&lp.ins).enumerate() {
        let weak_ok = matches!(ops[i], Operand::Weak(_)) && casting >= Casting::Safe;
        if !weak_ok && !can_cast(from, to, casting) {
            return Err(Error::UFuncType(format!(
                "Cannot cast ufunc '{}' input {} from dtype('{}') to dtype('{}') with casting rule '{}'",
                uf.name,
                i,
                from.name(),
                to.name(),
                casting.name()
            )));
        }
    }
    Ok(idx)
}

fn select_safe(uf: &Ufunc, ops: &[Operand], dts: &[DType]) -> Result<usize> {
    if uf.int_rule == IntRule::Float64 && dts.iter().all(|d| d.is_bool() || d.is_integer()) {
        if let Some(i) = uf.loops.iter().position(|l| l.ins.iter().all(|d| *d == DType::Float64)) {
            return Ok(i);
        }
    }
    uf.loops
        .iter()
        .position(|l| {
            l.ins.iter().zip(dts).zip(ops).all(|((&to, &from), op)| {
                // A Python int that took a float dtype from its neighbours still fits an
                // integer slot (ldexp's exponent).
                can_cast(from, to, Casting::Safe)
                    || (matches!(op, Operand::Weak(Weak::Int)) && !from.is_integer() && !from.is_bool() && to.is_integer())
            })
        })
        .ok_or_else(|| no_loop(uf, dts))
}

fn select_fixed(uf: &Ufunc, dts: &[DType], sig: &[Option<DType>]) -> Result<usize> {
    let matches = |l: &crate::registry::Loop| {
        l.ins.iter().chain(&l.outs).zip(sig).all(|(d, s)| s.is_none_or(|s| s == *d))
    };
    // Prefer a loop whose free inputs take the inputs' own dtypes.
    uf.loops
        .iter()
        .position(|l| matches(l) && l.ins.iter().zip(dts).all(|(&to, &from)| can_cast(from, to, Casting::Safe)))
        .or_else(|| uf.loops.iter().position(matches))
        .ok_or_else(|| no_loop(uf, dts))
}

/// The error NumPy raises when a ufunc's result cannot be stored in `out`.
pub fn output_cast_error(uf: &Ufunc, from: DType, to: DType, casting: Casting) -> Error {
    Error::UFuncType(format!(
        "Cannot cast ufunc '{}' output from dtype('{}') to dtype('{}') with casting rule '{}'",
        uf.name,
        from.name(),
        to.name(),
        casting.name()
    ))
}
