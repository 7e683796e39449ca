//! Elementwise execution: broadcasting, output allocation and checks, overlap handling, the
//! strided walk (`for_each_inner`) over coalesced dimensions, and the multi-threaded split
//! of large problems. No Python here; callers release the GIL around `execute`.

use oxnp_core::array::{Strides, for_each_inner, shape_repr};
use oxnp_core::cast::{Convert, can_cast, convert};
use oxnp_core::{Array, Casting, DType, Error, Order, Result, dispatch};
use rayon::prelude::*;
use smallvec::SmallVec;

use crate::fpe;
use crate::loops::{Load, LoopFn};
use crate::registry::Ufunc;
use crate::resolve::output_cast_error;

/// Problems at least this large are split across threads.
pub const PARALLEL_MIN: usize = 1 << 18;

/// NumPy's broadcasting of several shapes.
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<SmallVec<[usize; 4]>> {
    let nd = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: SmallVec<[usize; 4]> = SmallVec::from_elem(1, nd);
    for s in shapes {
        for (k, &d) in s.iter().enumerate() {
            let o = &mut out[nd - s.len() + k];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                return Err(Error::value(format!(
                    "operands could not be broadcast together with shapes {} ",
                    shapes.iter().map(|s| shape_repr(s)).collect::<Vec<_>>().join(" ")
                )));
            }
        }
    }
    Ok(out)
}

/// `arr`'s strides when broadcast to `shape` (0 on stretched or new axes).
pub fn broadcast_strides(arr: &Array, shape: &[usize]) -> Strides {
    let nd = shape.len();
    let off = nd - arr.ndim();
    (0..nd)
        .map(|k| if k < off || arr.shape()[k - off] != shape[k] { 0 } else { arr.strides()[k - off] })
        .collect()
}

/// Drops length-1 axes and merges axes that every operand walks with one stride.
pub fn coalesce(shape: &[usize], strides: &mut [Strides]) -> SmallVec<[usize; 4]> {
    let mut sh: SmallVec<[usize; 4]> = SmallVec::new();
    let mut st: Vec<Strides> = vec![Strides::new(); strides.len()];
    for k in 0..shape.len() {
        if shape[k] == 1 {
            continue;
        }
        if !sh.is_empty() {
            let j = sh.len() - 1;
            if strides.iter().enumerate().all(|(o, s)| st[o][j] == s[k] * shape[k] as isize) {
                sh[j] *= shape[k];
                for (o, s) in strides.iter().enumerate() {
                    st[o][j] = s[k];
                }
                continue;
            }
        }
        sh.push(shape[k]);
        for (o, s) in strides.iter().enumerate() {
            st[o].push(s[k]);
        }
    }
    if shape.contains(&0) {
        sh = SmallVec::from_slice(&[0]);
        st = vec![Strides::from_slice(&[0]); strides.len()];
    }
    for (o, s) in st.into_iter().enumerate() {
        strides[o] = s;
    }
    sh
}

#[derive(Clone, Copy)]
struct SendPtrs([usize; 4]);

/// Runs `f` over operands given by base pointers and broadcast strides; returns FP flags.
/// `hw`: whether the hardware flags count (the ufunc checks FP errors).
pub fn run_loop(f: LoopFn, hw: bool, shape: &[usize], ptrs: &[*mut u8], strides: &[Strides]) -> u32 {
    let mut st: Vec<Strides> = strides.to_vec();
    let sh = coalesce(shape, &mut st);
    while st.len() < 4 {
        st.push(SmallVec::from_elem(0, sh.len()));
    }
    let mut base = [0usize; 4];
    for (b, p) in base.iter_mut().zip(ptrs) {
        *b = *p as usize;
    }
    let base = SendPtrs(base);
    let size: usize = sh.iter().product();
    let run = |base: SendPtrs, sub: &[usize]| -> u32 {
        fpe::clear();
        let p: [*mut u8; 4] = base.0.map(|a| a as *mut u8);
        for_each_inner(sub, [&st[0], &st[1], &st[2], &st[3]], |off, n, step| {
            let q: [*mut u8; 4] = std::array::from_fn(|i| p[i].wrapping_offset(off[i]));
            // SAFETY: offsets and steps come from each operand's own geometry.
            unsafe { f(&q, n, &step) };
        });
        fpe::take_checked(hw)
    };
    if size < PARALLEL_MIN || sh.is_empty() || rayon::current_num_threads() < 2 {
        return run(base, &sh);
    }
    let n0 = sh[0];
    let chunks = (rayon::current_num_threads() * 4).min(n0).max(1);
    let per = n0.div_ceil(chunks);
    (0..chunks)
        .into_par_iter()
        .map(|c| {
            let start = c * per;
            let len = per.min(n0.saturating_sub(start));
            if len == 0 {
                return 0;
            }
            let mut sub: SmallVec<[usize; 4]> = sh.clone();
            sub[0] = len;
            let moved = SendPtrs(std::array::from_fn(|i| {
                (base.0[i] as isize + start as isize * st[i][0]) as usize
            }));
            run(moved, &sub)
        })
        .reduce(|| 0, |a, b| a | b)
}

/// Everything `execute` needs for one call.
pub struct Call<'a> {
    pub uf: &'static Ufunc,
    pub loop_idx: usize,
    /// Inputs, already of the loop's input dtypes.
    pub inputs: &'a [Array],
    /// Given outputs (`out=`), any dtype; None to allocate.
    pub outs: &'a [Option<Array>],
    pub where_: Option<&'a Array>,
    pub casting: Casting,
    /// 'K', 'C', 'F' or 'A' for newly allocated outputs.
    pub order: char,
}

/// Runs a ufunc call; returns the outputs (given or new) and the FP flags raised.
pub fn execute(call: &Call<'_>) -> Result<(Vec<Array>, u32)> {
    let uf = call.uf;
    let lp = &uf.loops[call.loop_idx];
    let mut shapes: Vec<&[usize]> = call.inputs.iter().map(|a| a.shape()).collect();
    for o in call.outs.iter().flatten() {
        shapes.push(o.shape());
    }
    if let Some(w) = call.where_ {
        shapes.push(w.shape());
    }
    let in_shape = broadcast_shapes(&shapes[..call.inputs.len()])?;
    let shape = broadcast_shapes(&shapes)?;
    for o in call.outs.iter().flatten() {
        if o.shape() != &shape[..] {
            return Err(Error::value(format!(
                "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
                shape_repr(o.shape()),
                shape_repr(&in_shape)
            )));
        }
        o.check_writeable()?;
    }
    if let Some(w) = call.where_ {
        if w.dtype() != DType::Bool {
            return Err(Error::type_("where= must be a boolean array"));
        }
    }
    let order = match call.order {
        'F' => Order::F,
        'K' | 'A' => {
            let full: Vec<&Array> = call.inputs.iter().filter(|a| a.shape() == &shape[..]).collect();
            if !full.is_empty() && full.iter().all(|a| a.is_f_contiguous() && !a.is_c_contiguous()) {
                Order::F
            } else {
                Order::C
            }
        }
        _ => Order::C,
    };
    let in_strides: Vec<Strides> = call.inputs.iter().map(|a| broadcast_strides(a, &shape)).collect();
    // Outputs written by the loop: the given array itself when safe, else a temporary.
    let mut targets: Vec<Array> = Vec::with_capacity(uf.nout);
    let mut results: Vec<Array> = Vec::with_capacity(uf.nout);
    for k in 0..uf.nout {
        let dt = lp.outs[k];
        match call.outs.get(k).and_then(|o| o.as_ref()) {
            Some(o) => {
                if o.dtype() != dt && !can_cast(dt, o.dtype(), call.casting) {
                    return Err(output_cast_error(uf, dt, o.dtype(), call.casting));
                }
                let clash = call.inputs.iter().zip(&in_strides).any(|(a, s)| {
                    a.may_overlap(o) && !(a.offset() == o.offset() && &s[..] == o.strides() && a.dtype() == o.dtype())
                });
                if o.dtype() == dt && !clash && call.where_.is_none() {
                    targets.push(o.clone());
                } else {
                    targets.push(Array::empty(&shape, dt, order)?);
                }
                results.push(o.clone());
            }
            None => {
                let a = if call.where_.is_some() { Array::zeros(&shape, dt, order)? } else { Array::empty(&shape, dt, order)? };
                targets.push(a.clone());
                results.push(a);
            }
        }
    }
    let mut ptrs: Vec<*mut u8> = call.inputs.iter().map(|a| a.as_ptr()).collect();
    let mut strides = in_strides;
    for t in &targets {
        ptrs.push(t.as_ptr());
        strides.push(broadcast_strides(t, &shape));
    }
    let flags = run_loop(lp.f, uf.checks_fpe(), &shape, &ptrs, &strides);
    for (t, r) in targets.iter().zip(&results) {
        if t.as_ptr() == r.as_ptr() && t.strides() == r.strides() {
            continue;
        }
        match call.where_ {
            Some(w) => copy_masked(r, t, w)?,
            None => oxnp_core::cast::copy_into(r, t)?,
        }
    }
    Ok((results, flags))
}

/// `dst[mask] = src[mask]` with conversion; `mask` broadcasts to dst's shape.
pub fn copy_masked(dst: &Array, src: &Array, mask: &Array) -> Result<()> {
    let ms = broadcast_strides(mask, dst.shape());
    dispatch!(src.dtype(), S => dispatch!(dst.dtype(), D => masked::<S, D>(dst, src, mask, &ms)));
    Ok(())
}

fn masked<S: Convert + Load, D: Convert>(dst: &Array, src: &Array, mask: &Array, ms: &[isize]) {
    let (sp, dp, mp) = (src.as_ptr(), dst.as_ptr(), mask.as_ptr());
    for_each_inner(dst.shape(), [src.strides(), dst.strides(), ms], |o, n, s| {
        for i in 0..n as isize {
            // SAFETY: offsets from each array's geometry (mask broadcast by strides).
            unsafe {
                if *mp.offset(o[2] + i * s[2]) != 0 {
                    let v = S::load(sp.offset(o[0] + i * s[0]));
                    dp.offset(o[1] + i * s[1]).cast::<D>().write_unaligned(convert::<S, D>(v));
                }
            }
        }
    });
}

/// A C-contiguous copy of `a` converted to `dtype` (inputs that need a cast).
pub fn cast_input(a: &Array, dtype: DType) -> Result<Array> {
    if a.dtype() == dtype {
        return Ok(a.clone());
    }
    let out = Array::empty(a.shape(), dtype, Order::C)?;
    oxnp_core::cast::copy_into(&out, a)?;
    Ok(out)
}
