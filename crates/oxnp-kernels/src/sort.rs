//! Sorting and searching kernels: sort, argsort, partition/argpartition and searchsorted
//! along the last axis of a C-contiguous array (the bindings move the wanted axis last).
//!
//! NumPy's order: NaNs sort last (all NaNs equal to one another), -0.0 equals 0.0, complex
//! numbers compare real part first then imaginary part, with the classes
//! `[R + Rj, R + nanj, nan + Rj, nan + nanj]` in that order. Every element type maps to a
//! *canonical key* (`SortElem::key`) whose `Ord` is exactly that order, so two elements are
//! equal for NumPy iff their keys are equal. Sorting `(key, index)` pairs therefore gives
//! NumPy's stable argsort whatever the algorithm.
//!
//! The value sort of real types with no stability requirement uses an LSD radix sort on an
//! order-preserving bijection of the bits (`SortElem::bits`), after moving the NaNs to the
//! end; large rows are split in halves sorted on separate threads and merged.

use oxnp_core::cast::F16Exact;
use half::f16;
use num_complex::Complex;
use oxnp_core::{Array, Element, Error, Result};
use rayon::prelude::*;
use std::cmp::Ordering;

/// Rows at least this long are sorted with several threads.
pub const PAR_MIN: usize = 1 << 16;

/// An element type with NumPy's sort order.
pub trait SortElem: Element {
    /// The canonical key: equal keys iff NumPy treats the elements as equal.
    type Key: Ord + Copy + Send + Sync;
    fn key(self) -> Self::Key;
    /// Whether the radix path applies (real types): `bits` is then an order-preserving
    /// bijection on non-NaN values, `from_bits` its inverse, over `KEY_BYTES` low bytes.
    const RADIX: bool;
    const KEY_BYTES: usize = 8;
    fn is_nan(self) -> bool {
        false
    }
    fn bits(self) -> u64 {
        0
    }
    fn from_bits(_b: u64) -> Self {
        unreachable!("from_bits on a type without a radix path")
    }
    /// The NaN that NumPy's (x86-simd-sort) unstable sort writes for every NaN it moves to
    /// the end; None for types without NaN.
    fn sorted_nan() -> Option<Self> {
        None
    }
    /// Floats: the raw bit pattern, zero-extended, and back.
    fn raw(self) -> u64 {
        0
    }
    fn from_raw(_b: u64) -> Self {
        unreachable!("from_raw on a non-float type")
    }
}

macro_rules! int_elem {
    ($($t:ty => $u:ty, $bytes:expr, $flip:expr);* $(;)?) => {$(
        impl SortElem for $t {
            type Key = u64;
            const RADIX: bool = true;
            const KEY_BYTES: usize = $bytes;
            #[inline]
            fn key(self) -> u64 { self.bits() }
            #[inline]
            fn bits(self) -> u64 { ((self as $u) ^ $flip) as u64 }
            #[inline]
            fn from_bits(b: u64) -> Self { ((b as $u) ^ $flip) as $t }
        }
    )*};
}

int_elem!(
    i8 => u8, 1, 1u8 << 7; u8 => u8, 1, 0; i16 => u16, 2, 1u16 << 15; u16 => u16, 2, 0;
    i32 => u32, 4, 1u32 << 31; u32 => u32, 4, 0; i64 => u64, 8, 1u64 << 63; u64 => u64, 8, 0;
);

impl SortElem for bool {
    type Key = u64;
    const RADIX: bool = true;
    const KEY_BYTES: usize = 1;
    #[inline]
    fn key(self) -> u64 {
        self as u64
    }
    #[inline]
    fn bits(self) -> u64 {
        self as u64
    }
    #[inline]
    fn from_bits(b: u64) -> Self {
        b != 0
    }
}

/// The order-preserving map of an IEEE bit pattern of `width` bits (sign flipped for
/// positives, all bits flipped for negatives).
#[inline]
fn float_bits(b: u64, width: u32) -> u64 {
    let sign = 1u64 << (width - 1);
    let mask = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
    if b & sign != 0 { !b & mask } else { b | sign }
}

#[inline]
fn float_unbits(k: u64, width: u32) -> u64 {
    let sign = 1u64 << (width - 1);
    let mask = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
    if k & sign != 0 { k & !sign } else { !k & mask }
}

/// The canonical key of a float given as f64: NaN largest, -0.0 == 0.0.
#[inline]
fn float_key(x: f64) -> u64 {
    if x.is_nan() {
        u64::MAX
    } else if x == 0.0 {
        float_bits(0, 64)
    } else {
        float_bits(x.to_bits(), 64)
    }
}

macro_rules! float_elem {
    ($($t:ty, $u:ty, $w:expr, $bytes:expr, $to64:expr, $nan:expr);* $(;)?) => {$(
        impl SortElem for $t {
            type Key = u64;
            const RADIX: bool = true;
            const KEY_BYTES: usize = $bytes;
            #[inline]
            fn key(self) -> u64 { float_key($to64(self)) }
            #[inline]
            fn is_nan(self) -> bool { self.is_nan() }
            #[inline]
            fn bits(self) -> u64 { float_bits(self.to_bits() as u64, $w) }
            #[inline]
            fn from_bits(b: u64) -> Self { <$t>::from_bits(float_unbits(b, $w) as $u) }
            #[inline]
            fn sorted_nan() -> Option<Self> { Some(<$t>::from_bits($nan)) }
            #[inline]
            fn raw(self) -> u64 { self.to_bits() as u64 }
            #[inline]
            fn from_raw(b: u64) -> Self { <$t>::from_bits(b as $u) }
        }
    )*};
}

float_elem!(
    f16, u16, 16, 2, |x: f16| x.to_f64_exact(), 0x7c01;
    f32, u32, 32, 4, |x: f32| x as f64, 0x7fc0_0000;
    f64, u64, 64, 8, |x: f64| x, 0x7ff8_0000_0000_0000;
);

macro_rules! complex_elem {
    ($($t:ty),*) => {$(
        impl SortElem for Complex<$t> {
            /// (class, real key, imaginary key): the class orders `R+Rj < R+nanj < nan+Rj <
            /// nan+nanj`; inside a class the NaN parts are equal.
            type Key = (u8, u64, u64);
            const RADIX: bool = false;
            #[inline]
            fn key(self) -> (u8, u64, u64) {
                let (rn, inan) = (self.re.is_nan(), self.im.is_nan());
                let class = (rn as u8) * 2 + inan as u8;
                (class, float_key(self.re as f64), float_key(self.im as f64))
            }
        }
    )*};
}

complex_elem!(f32, f64);

#[inline]
fn cmp_key<T: SortElem>(a: &T, b: &T) -> Ordering {
    a.key().cmp(&b.key())
}

/// LSD radix sort (stable) of `vals` by `key(val)` over the key's low `nbytes` bytes,
/// `scratch` of the same length.
fn radix_lsd<K: Fn(u64) -> u64>(vals: &mut [u64], scratch: &mut [u64], nbytes: usize, key: &K) {
    let n = vals.len();
    let mut hist = vec![[0usize; 256]; nbytes];
    for &v in vals.iter() {
        let k = key(v);
        for (b, h) in hist.iter_mut().enumerate() {
            h[((k >> (8 * b)) & 0xff) as usize] += 1;
        }
    }
    let mut in_vals = true; // whether the current data lives in `vals`
    for (b, h) in hist.iter().enumerate() {
        if h.iter().any(|&c| c == n) {
            continue; // every key has the same digit here
        }
        let mut off = [0usize; 256];
        let mut s = 0;
        for d in 0..256 {
            off[d] = s;
            s += h[d];
        }
        let (src, dst): (&[u64], &mut [u64]) = if in_vals { (&*vals, &mut *scratch) } else { (&*scratch, &mut *vals) };
        let shift = 8 * b;
        for &v in src {
            let d = ((key(v) >> shift) & 0xff) as usize;
            dst[off[d]] = v;
            off[d] += 1;
        }
        in_vals = !in_vals;
    }
    if !in_vals {
        vals.copy_from_slice(scratch);
    }
}

/// Sorts `vals` stably by `key`: radix for long runs, split across threads `depth` times
/// and merged (ties taken from the left half first).
fn sort_u64<K: Fn(u64) -> u64 + Sync>(vals: &mut [u64], scratch: &mut [u64], nbytes: usize, depth: u32, key: &K) {
    let n = vals.len();
    if n <= 256 {
        vals.sort_by_key(|&v| key(v));
        return;
    }
    if depth == 0 || n < PAR_MIN {
        radix_lsd(vals, scratch, nbytes, key);
        return;
    }
    let mid = n / 2;
    {
        let (kl, kr) = vals.split_at_mut(mid);
        let (sl, sr) = scratch.split_at_mut(mid);
        rayon::join(|| sort_u64(kl, sl, nbytes, depth - 1, key), || sort_u64(kr, sr, nbytes, depth - 1, key));
    }
    // Merge the halves into scratch, then copy back.
    let (l, r) = vals.split_at(mid);
    let (mut i, mut j, mut o) = (0, 0, 0);
    while i < l.len() && j < r.len() {
        if key(r[j]) < key(l[i]) {
            scratch[o] = r[j];
            j += 1;
        } else {
            scratch[o] = l[i];
            i += 1;
        }
        o += 1;
    }
    scratch[o..o + l.len() - i].copy_from_slice(&l[i..]);
    o += l.len() - i;
    scratch[o..].copy_from_slice(&r[j..]);
    vals.copy_from_slice(scratch);
}

/// NumPy's canonical order key of an IEEE pattern of `width` bits, as a radix key: NaNs
/// largest and equal, -0.0 equal to 0.0.
#[inline]
fn canon_float_bits(b: u64, width: u32) -> u64 {
    let mask = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
    let sign = 1u64 << (width - 1);
    let mag = b & (sign - 1);
    let (exp_bits, man_bits) = match width {
        16 => (0x7c00u64, 0x03ffu64),
        32 => (0x7f80_0000, 0x007f_ffff),
        _ => (0x7ff0_0000_0000_0000, 0x000f_ffff_ffff_ffff),
    };
    if mag & exp_bits == exp_bits && mag & man_bits != 0 {
        mask
    } else if mag == 0 {
        float_bits(0, width)
    } else {
        float_bits(b, width)
    }
}

fn par_depth() -> u32 {
    let t = rayon::current_num_threads().max(1);
    usize::BITS - (t - 1).leading_zeros()
}

/// Sorts one row in place. `stable`: equal elements keep their order (only observable for
/// floats and complex, whose equal elements can differ in bits). The unstable float sort
/// writes NumPy's canonical NaN (`sorted_nan`) for each NaN, as NumPy's SIMD sort does.
pub fn sort_row<T: SortElem>(row: &mut [T], stable: bool) {
    let n = row.len();
    if n < 2 {
        return;
    }
    let is_float = T::DTYPE.kind() == oxnp_core::Kind::Float;
    if T::RADIX && stable && is_float && n > 64 {
        // Stable LSD radix sort of the raw bits by NumPy's canonical key: equal elements
        // (-0.0/0.0, NaNs) keep their order and their bits.
        let width = 8 * std::mem::size_of::<T>() as u32;
        let mut vals: Vec<u64> = row.iter().map(|x| x.raw()).collect();
        let mut scratch = vec![0u64; n];
        let depth = if n >= PAR_MIN { par_depth() } else { 0 };
        sort_u64(&mut vals, &mut scratch, T::KEY_BYTES, depth, &|b| canon_float_bits(b, width));
        for (x, &b) in row.iter_mut().zip(&vals) {
            *x = T::from_raw(b);
        }
        return;
    }
    if T::RADIX && !(stable && is_float) {
        // NaNs to the end (their order among themselves is free for an unstable sort).
        let mut valid = n;
        let mut i = 0;
        while i < valid {
            if row[i].is_nan() {
                valid -= 1;
                row.swap(i, valid);
            } else {
                i += 1;
            }
        }
        if let Some(nan) = T::sorted_nan() {
            row[valid..].fill(nan);
        }
        let part = &mut row[..valid];
        if part.len() <= 64 {
            part.sort_unstable_by(|a, b| a.bits().cmp(&b.bits()));
            return;
        }
        let depth = if part.len() >= PAR_MIN { par_depth() } else { 0 };
        let mut scratch = vec![0u64; part.len()];
        if std::mem::size_of::<T>() == 8 {
            // 8-byte types (f64, i64, u64): transform the keys in place, no second buffer.
            for x in part.iter_mut() {
                let k = x.bits();
                // SAFETY: T is a plain 8-byte value type; any u64 bit pattern is a valid T
                // for the moment it is stored, and it is only read back as a u64 below.
                *x = unsafe { std::mem::transmute_copy::<u64, T>(&k) };
            }
            // SAFETY: T has size and alignment 8, so the row is a valid &mut [u64].
            let keys = unsafe { std::slice::from_raw_parts_mut(part.as_mut_ptr().cast::<u64>(), part.len()) };
            sort_u64(keys, &mut scratch, T::KEY_BYTES, depth, &|k| k);
            for k in keys.iter_mut() {
                let v = T::from_bits(*k);
                // SAFETY: as above, writing a T's bytes back into its own slot.
                *k = unsafe { std::mem::transmute_copy::<T, u64>(&v) };
            }
            return;
        }
        let mut keys: Vec<u64> = part.iter().map(|x| x.bits()).collect();
        sort_u64(&mut keys, &mut scratch, T::KEY_BYTES, depth, &|k| k);
        for (x, &k) in part.iter_mut().zip(&keys) {
            *x = T::from_bits(k);
        }
        return;
    }
    match (stable, n >= PAR_MIN) {
        (true, true) => row.par_sort_by(cmp_key),
        (true, false) => row.sort_by(cmp_key),
        (false, true) => row.par_sort_unstable_by(cmp_key),
        (false, false) => row.sort_unstable_by(cmp_key),
    }
}

/// The stable argsort of one row, written as int64 into `out`.
pub fn argsort_row<T: SortElem>(row: &[T], out: &mut [i64]) {
    let mut pairs: Vec<(T::Key, u32)> = Vec::new();
    if row.len() < u32::MAX as usize {
        pairs.extend(row.iter().enumerate().map(|(i, x)| (x.key(), i as u32)));
        if row.len() >= PAR_MIN {
            pairs.par_sort_unstable();
        } else {
            pairs.sort_unstable();
        }
        for (o, p) in out.iter_mut().zip(&pairs) {
            *o = p.1 as i64;
        }
    } else {
        let mut pairs: Vec<(T::Key, usize)> = row.iter().enumerate().map(|(i, x)| (x.key(), i)).collect();
        pairs.par_sort_unstable();
        for (o, p) in out.iter_mut().zip(&pairs) {
            *o = p.1 as i64;
        }
    }
}

/// Partitions `v` so that each position in `kth` (sorted ascending, in range) holds the
/// element a full sort would put there, with no greater element before and no smaller one
/// after it.
fn select_many<E>(v: &mut [E], kth: &[usize], cmp: impl Fn(&E, &E) -> Ordering + Copy) {
    let mut start = 0;
    for &k in kth {
        if k < start {
            continue;
        }
        v[start..].select_nth_unstable_by(k - start, cmp);
        start = k + 1;
    }
}

pub fn partition_row<T: SortElem>(row: &mut [T], kth: &[usize]) {
    select_many(row, kth, cmp_key);
}

pub fn argpartition_row<T: SortElem>(row: &[T], kth: &[usize], out: &mut [i64]) {
    let mut pairs: Vec<(T::Key, usize)> = row.iter().enumerate().map(|(i, x)| (x.key(), i)).collect();
    select_many(&mut pairs, kth, |a, b| a.cmp(b));
    for (o, p) in out.iter_mut().zip(&pairs) {
        *o = p.1 as i64;
    }
}

fn check_rows(a: &Array, len: usize) -> Result<usize> {
    if !a.is_c_contiguous() {
        return Err(Error::value("sort kernel: array must be C-contiguous"));
    }
    Ok(if len == 0 { 0 } else { a.size() / len })
}

/// Applies `f` to each row (the last axis) of the C-contiguous array `a` in place.
fn rows_mut<T: SortElem>(a: &Array, f: impl Fn(&mut [T]) + Sync) -> Result<()> {
    let len = a.shape().last().copied().unwrap_or(1);
    check_rows(a, len)?;
    // SAFETY: the bindings pass an array they own or one the caller lends for an in-place
    // sort; no other reference to its bytes is used meanwhile.
    let data = unsafe { a.as_slice_mut::<T>() }.ok_or_else(|| Error::value("sort kernel: bad array"))?;
    if len == 0 {
        return Ok(());
    }
    if data.len() >= PAR_MIN && data.len() / len > 1 && len < PAR_MIN {
        data.par_chunks_mut(len).for_each(&f);
    } else {
        data.chunks_mut(len).for_each(&f);
    }
    Ok(())
}

/// Applies `f(row, out_row)` to each row of `a` and the matching row of the int64 `out`.
fn rows_to_index<T: SortElem>(a: &Array, out: &Array, f: impl Fn(&[T], &mut [i64]) + Sync) -> Result<()> {
    let len = a.shape().last().copied().unwrap_or(1);
    check_rows(a, len)?;
    let data = a.as_slice::<T>().ok_or_else(|| Error::value("sort kernel: bad array"))?;
    // SAFETY: out is a fresh array owned by the caller.
    let o = unsafe { out.as_slice_mut::<i64>() }.ok_or_else(|| Error::value("sort kernel: bad output"))?;
    if len == 0 {
        return Ok(());
    }
    if data.len() >= PAR_MIN && data.len() / len > 1 && len < PAR_MIN {
        data.par_chunks(len).zip(o.par_chunks_mut(len)).for_each(|(r, w)| f(r, w));
    } else {
        data.chunks(len).zip(o.chunks_mut(len)).for_each(|(r, w)| f(r, w));
    }
    Ok(())
}

macro_rules! dispatch_sort {
    ($dtype:expr, $T:ident => $body:expr) => {
        oxnp_core::dispatch!($dtype, $T => $body)
    };
}

/// Sorts every row (last axis) of the C-contiguous, writeable `a` in place.
pub fn sort_last(a: &Array, stable: bool) -> Result<()> {
    a.check_writeable()?;
    dispatch_sort!(a.dtype(), T => rows_mut::<T>(a, |r| sort_row(r, stable)))
}

/// The stable argsort of every row of the C-contiguous `a` into the int64 `out` (same shape).
pub fn argsort_last(a: &Array, out: &Array) -> Result<()> {
    dispatch_sort!(a.dtype(), T => rows_to_index::<T>(a, out, |r, o| argsort_row(r, o)))
}

/// Partitions every row of the C-contiguous, writeable `a` in place at the (sorted,
/// in-range) positions `kth`.
pub fn partition_last(a: &Array, kth: &[usize]) -> Result<()> {
    a.check_writeable()?;
    dispatch_sort!(a.dtype(), T => rows_mut::<T>(a, |r| partition_row(r, kth)))
}

pub fn argpartition_last(a: &Array, kth: &[usize], out: &Array) -> Result<()> {
    dispatch_sort!(a.dtype(), T => rows_to_index::<T>(a, out, |r, o| argpartition_row(r, kth, o)))
}

/// `searchsorted`: for each element of `v` (any layout), the insertion position into the
/// sorted 1-D `a` (same dtype): the first `i` with `!(a[i] < x)` (left) or `x < a[i]`
/// (right). Returns the positions in C order of `v`.
pub fn searchsorted(a: &Array, v: &Array, right: bool) -> Result<Vec<i64>> {
    if a.dtype() != v.dtype() {
        return Err(Error::value("searchsorted: operands must share a dtype"));
    }
    dispatch_sort!(a.dtype(), T => {
        let keys: Vec<<T as SortElem>::Key> = a.to_vec::<T>().into_iter().map(|x| x.key()).collect();
        let vals = v.to_vec::<T>();
        let find = |x: &T| -> i64 {
            let k = x.key();
            (if right { keys.partition_point(|e| *e <= k) } else { keys.partition_point(|e| *e < k) }) as i64
        };
        Ok(if vals.len() >= PAR_MIN { vals.par_iter().map(find).collect() } else { vals.iter().map(find).collect() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_order() {
        let mut v = vec![3.0f64, f64::NAN, -0.0, 0.0, -1.0, f64::NEG_INFINITY, f64::INFINITY];
        sort_row(&mut v, false);
        assert_eq!(v[0], f64::NEG_INFINITY);
        assert!(v[6].is_nan());
        assert_eq!(v[5], f64::INFINITY);
        let mut big: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 100_003) as f64 - 50_000.0).collect();
        let mut want = big.clone();
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        sort_row(&mut big, false);
        assert_eq!(big, want);
    }

    #[test]
    fn stable_float_radix() {
        let base = [0.0f64, -0.0, f64::NAN, -f64::NAN, 1.5, -2.0, f64::INFINITY, f64::NEG_INFINITY];
        let v: Vec<f64> = (0..100_000).map(|i| base[(i * 7) % 8] * ((i % 3) as f64 + 1.0)).collect();
        let mut got = v.clone();
        sort_row(&mut got, true);
        let mut want = v.clone();
        want.sort_by(cmp_key);
        assert!(got.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()));
    }

    #[test]
    fn int_radix() {
        let mut v: Vec<i32> = (0..5000).map(|i| ((i * 7919) % 10007) - 5000).collect();
        let mut want = v.clone();
        want.sort();
        sort_row(&mut v, false);
        assert_eq!(v, want);
        let mut h: Vec<f16> = (0..1000).map(|i| f16::from_f64(((i * 37) % 101) as f64 - 50.0)).collect();
        sort_row(&mut h, false);
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
    }
}

/// The sorted distinct values of an integer or bool array (where equal values are
/// indistinguishable, so no representative needs choosing), as a 1-D array.
pub fn unique_exact(a: &Array) -> Result<Array> {
    if matches!(a.dtype().kind(), oxnp_core::Kind::Float | oxnp_core::Kind::Complex) {
        return Err(Error::value("unique_exact: integer or bool arrays only"));
    }
    oxnp_core::dispatch!(a.dtype(), T => {
        let mut v = a.to_vec::<T>();
        sort_row(&mut v, false);
        v.dedup();
        Array::from_vec(&[v.len()], v)
    })
}
