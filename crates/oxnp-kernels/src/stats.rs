//! Reductions that are not ufunc reductions: argmin/argmax (NumPy's order, the first NaN
//! wins) and the per-lane sort that median and the quantiles select from.

use oxnp_core::cast::F16Exact;
use half::f16;
use num_complex::{Complex32, Complex64};
use oxnp_core::array::Strides;
use oxnp_core::{Array, Element, Order, Result, dispatch};
use rayon::prelude::*;
use smallvec::SmallVec;

use crate::exec::PARALLEL_MIN;

/// Ordering as NumPy's argmin/argmax and sort see it.
pub trait Key: Element {
    /// `a < b` for non-NaN values (lexicographic for complex).
    fn lt(a: Self, b: Self) -> bool;
    fn isnan(self) -> bool;
    /// The smaller/larger of two non-NaN values, written so it vectorizes.
    #[inline(always)]
    fn pick<const MAX: bool>(m: Self, x: Self) -> Self {
        if MAX { if Self::lt(m, x) { x } else { m } } else if Self::lt(x, m) { x } else { m }
    }
}

macro_rules! key_ord {
    ($($t:ty),*) => {$(
        impl Key for $t {
            #[inline(always)]
            fn lt(a: Self, b: Self) -> bool { a < b }
            #[inline(always)]
            fn isnan(self) -> bool { false }
        }
    )*};
}
key_ord!(bool, i8, u8, i16, u16, i32, u32, i64, u64);

macro_rules! key_float {
    ($($t:ty),*) => {$(
        impl Key for $t {
            #[inline(always)]
            fn lt(a: Self, b: Self) -> bool { a < b }
            #[inline(always)]
            #[allow(clippy::eq_op)]
            fn isnan(self) -> bool { self != self }
        }
    )*};
}
key_float!(f32, f64);

impl Key for f16 {
    #[inline(always)]
    fn lt(a: Self, b: Self) -> bool {
        a.to_f32_exact() < b.to_f32_exact()
    }
    #[inline(always)]
    fn isnan(self) -> bool {
        self.is_nan()
    }
}

macro_rules! key_complex {
    ($($t:ty),*) => {$(
        impl Key for $t {
            #[inline(always)]
            fn lt(a: Self, b: Self) -> bool { a.re < b.re || (a.re == b.re && a.im < b.im) }
            #[inline(always)]
            fn isnan(self) -> bool { self.re.is_nan() || self.im.is_nan() }
        }
    )*};
}
key_complex!(Complex32, Complex64);

const BLOCK: usize = 256;

/// Index of the first extreme of a non-empty run, and whether it is a NaN (which ends it).
fn arg_run<T: Key, const MAX: bool>(v: &[T]) -> (usize, bool) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        unsafe fn wide<T: Key, const MAX: bool>(v: &[T]) -> (usize, bool) {
            arg_run_body::<T, MAX>(v)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has the feature `wide` is compiled for. Comparisons give the same
            // answers in any vector width (argmin reports no floating-point flags).
            return unsafe { wide::<T, MAX>(v) };
        }
    }
    arg_run_body::<T, MAX>(v)
}

#[inline(always)]
fn arg_run_body<T: Key, const MAX: bool>(v: &[T]) -> (usize, bool) {
    let mut best = v[0];
    let mut idx = 0;
    if best.isnan() {
        return (0, true);
    }
    for (b, blk) in v.chunks(BLOCK).enumerate() {
        // Eight independent extremes (the block's extreme value does not depend on the
        // order it is found in), so the loop vectorizes instead of waiting on one chain.
        let mut lanes = [blk[0]; 8];
        let mut nan = false;
        let mut groups = blk.chunks_exact(8);
        for g in groups.by_ref() {
            for (l, &x) in lanes.iter_mut().zip(g) {
                *l = T::pick::<MAX>(*l, x);
                nan |= x.isnan();
            }
        }
        for &x in groups.remainder() {
            lanes[0] = T::pick::<MAX>(lanes[0], x);
            nan |= x.isnan();
        }
        let m = lanes.iter().fold(lanes[0], |a, &x| T::pick::<MAX>(a, x));
        let start = b * BLOCK;
        if nan {
            let k = blk.iter().position(|x| x.isnan()).unwrap_or(0);
            return (start + k, true);
        }
        let better = if MAX { T::lt(best, m) } else { T::lt(m, best) };
        if better {
            best = m;
            idx = start + blk.iter().position(|&x| !T::lt(x, m) && !T::lt(m, x)).unwrap_or(0);
        }
    }
    (idx, false)
}

/// `arg_run` split across threads for long runs; chunks are combined in order, so the
/// answer is the sequential one.
fn arg_slice<T: Key, const MAX: bool>(v: &[T]) -> usize {
    if v.len() < PARALLEL_MIN || rayon::current_num_threads() < 2 {
        return arg_run::<T, MAX>(v).0;
    }
    let per = v.len().div_ceil(rayon::current_num_threads() * 2);
    let parts: Vec<(usize, bool)> = v
        .par_chunks(per)
        .enumerate()
        .map(|(c, ch)| {
            let (i, nan) = arg_run::<T, MAX>(ch);
            (c * per + i, nan)
        })
        .collect();
    let mut best = parts[0].0;
    for &(i, nan) in &parts {
        if nan {
            return i;
        }
        let better = if MAX { T::lt(v[best], v[i]) } else { T::lt(v[i], v[best]) };
        if better {
            best = i;
        }
    }
    best
}

/// argmin (`max` false) or argmax of a non-empty C-contiguous array read flat; None when
/// its data is not aligned for its dtype.
pub fn arg_flat(a: &Array, max: bool) -> Option<usize> {
    dispatch!(a.dtype(), T => {
        let v = a.as_slice::<T>()?;
        Some(if max { arg_slice::<T, true>(v) } else { arg_slice::<T, false>(v) })
    })
}

/// A view of `a` with `axis` moved last, made C-contiguous (NumPy copies the same way).
fn axis_last_contiguous(a: &Array, axis: usize) -> Result<Array> {
    let nd = a.ndim();
    let perm: SmallVec<[usize; 4]> = (0..nd).filter(|&k| k != axis).chain(std::iter::once(axis)).collect();
    let shape: SmallVec<[usize; 4]> = perm.iter().map(|&k| a.shape()[k]).collect();
    let strides: Strides = perm.iter().map(|&k| a.strides()[k]).collect();
    // SAFETY: a permutation of a valid geometry touches the same elements.
    let v = unsafe { a.view_unchecked(a.offset(), shape, strides, a.dtype()) };
    if v.is_c_contiguous() && v.as_ptr() as usize % v.itemsize().max(1) == 0 {
        Ok(v)
    } else {
        v.copy(Order::C)
    }
}

/// argmin (`max` false) or argmax of each lane along `axis` (None: the flattened array),
/// in C order of the other axes. `a` must have a non-empty reduced extent.
pub fn arg_reduce(a: &Array, axis: Option<usize>, max: bool) -> Result<Vec<i64>> {
    let lanes = match axis {
        Some(k) => axis_last_contiguous(a, k)?,
        None => {
            let c = if a.is_c_contiguous() { a.clone() } else { a.copy(Order::C)? };
            let flat = [c.size()];
            // SAFETY: a C-contiguous array read as one flat run.
            unsafe { c.view_unchecked(c.offset(), flat.as_slice().into(), [c.itemsize() as isize].as_slice().into(), c.dtype()) }
        }
    };
    let n = *lanes.shape().last().unwrap_or(&1);
    let c = if lanes.ndim() == 0 { lanes.copy(Order::C)? } else { lanes };
    Ok(dispatch!(c.dtype(), T => arg_lanes::<T>(&c, n, max)))
}

fn arg_lanes<T: Key>(c: &Array, n: usize, max: bool) -> Vec<i64> {
    let owned;
    let data: &[T] = match c.as_slice::<T>() {
        Some(s) => s,
        None => {
            owned = c.to_vec::<T>();
            &owned
        }
    };
    if n == 0 {
        return Vec::new();
    }
    data.chunks(n)
        .map(|lane| if max { arg_slice::<T, true>(lane) } else { arg_slice::<T, false>(lane) } as i64)
        .collect()
}

/// NumPy's sort order: NaNs last (for complex, NaN-bearing values after all others).
fn sort_cmp<T: Key>(a: &T, b: &T) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a.isnan(), b.isnan()) {
        (true, true) => Equal,
        (true, false) => Greater,
        (false, true) => Less,
        _ if T::lt(*a, *b) => Less,
        _ if T::lt(*b, *a) => Greater,
        _ => Equal,
    }
}

/// A copy of `a` sorted along `axis` (NumPy's order), C-contiguous with `axis` last; the
/// caller moves the axis back if it needs to.
pub fn sorted_axis_last(a: &Array, axis: usize) -> Result<Array> {
    let v = axis_last_contiguous(a, axis)?;
    let out = v.copy(Order::C)?;
    let n = *out.shape().last().unwrap_or(&1);
    if n > 1 {
        dispatch!(out.dtype(), T => sort_lanes::<T>(&out, n));
    }
    Ok(out)
}

fn sort_lanes<T: Key>(out: &Array, n: usize) {
    // SAFETY: `out` is a fresh C-contiguous array nobody else references yet.
    if let Some(s) = unsafe { out.as_slice_mut::<T>() } {
        s.chunks_mut(n).for_each(|lane| lane.sort_by(sort_cmp::<T>));
    }
}

