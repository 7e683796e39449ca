//! `ufunc.reduce` and `ufunc.accumulate`. Float `add` reductions use NumPy's pairwise
//! summation with NumPy's chunking (NUMPY_FACTS §3), so `sum` matches bit for bit.

use oxnp_core::cast::{F16Exact, f16_from_f32};
use half::f16;
use num_complex::{Complex, Complex32, Complex64};
use oxnp_core::array::{Strides, for_each_inner};
use oxnp_core::{Array, Error, Order, Result};
use smallvec::SmallVec;

use crate::exec::{broadcast_strides, coalesce};
use crate::fpe;
use crate::loops::Load;
use crate::registry::{Identity, Loop, Ufunc};

/// Folds `n` elements at `p` (byte step `s`) into the accumulator at `acc`.
pub type ReduceFn = unsafe fn(acc: *mut u8, p: *const u8, n: usize, s: isize);

/// NumPy's buffer size: casting or non-coalescable reductions work in chunks of this many.
pub const BUFSIZE: usize = 8192;

/// Sequential fold `acc = f(acc, x_i)`.
///
/// # Safety
/// `acc` holds one T; `p`/`s` describe `n` readable T.
#[inline(always)]
pub unsafe fn fold<T: Load>(acc: *mut u8, p: *const u8, n: usize, s: isize, f: impl Fn(T, T) -> T) {
    unsafe {
        let mut a = T::load(acc);
        for i in 0..n as isize {
            a = f(a, T::load(p.offset(i * s)));
        }
        acc.cast::<T>().write_unaligned(a);
    }
}

/// `fold` for float32/float64 maximum and minimum with NumPy's NaN bits. NumPy reduces a
/// contiguous run in whole 64-byte vectors, whose instructions give the default NaN, then a
/// scalar tail: a NaN already in the accumulator or met in the vector part comes out as the
/// default quiet NaN, one first met in the tail (or anywhere in a strided run) keeps its
/// sign and payload.
///
/// # Safety
/// As `fold`.
#[inline(always)]
pub unsafe fn fold_default_nan<T: Load + PartialEq + Default>(acc: *mut u8, p: *const u8, n: usize, s: isize, default_nan: T, f: impl Fn(T, T) -> T) {
    let size = std::mem::size_of::<T>();
    if n == 0 || s != size as isize {
        return unsafe { fold(acc, p, n, s, f) };
    }
    let body = n - n % (64 / size);
    let is_nan = |x: T| x != x;
    unsafe {
        let mut a = T::load(acc);
        if is_nan(a) {
            a = default_nan;
        }
        a = fold_body(a, p, body, default_nan, &f);
        for i in body..n {
            a = f(a, T::load(p.add(i * size)));
        }
        acc.cast::<T>().write_unaligned(a);
    }
}

/// The fold of the `n` contiguous elements at `p`, from `a`, for a NaN-propagating maximum or minimum `f` whose ties give the
/// second operand, except that any NaN makes the result `default_nan`. Eight running
/// extremes instead of one chain (which costs a compare-and-select latency per element):
/// the extreme value does not depend on the order, and the only equal values with different
/// bits are zeros of both signs, where the chain's answer is the last zero met.
///
/// # Safety
/// `p` must point to `n` readable elements (possibly unaligned).
#[inline(always)]
unsafe fn fold_body<T: Load + PartialEq + Default>(a: T, p: *const u8, n: usize, default_nan: T, f: &impl Fn(T, T) -> T) -> T {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        unsafe fn wide<T: Load + PartialEq + Default>(a: T, p: *const u8, n: usize, default_nan: T, f: &impl Fn(T, T) -> T) -> T {
            unsafe { fold_lanes(a, p, n, default_nan, f) }
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has the feature `wide` is compiled for; comparisons and selects
            // give the same answers in any vector width.
            return unsafe { wide(a, p, n, default_nan, f) };
        }
    }
    unsafe { fold_lanes(a, p, n, default_nan, f) }
}

#[inline(always)]
unsafe fn fold_lanes<T: Load + PartialEq + Default>(a: T, p: *const u8, n: usize, default_nan: T, f: &impl Fn(T, T) -> T) -> T {
    if a != a {
        return default_nan;
    }
    // SAFETY: the caller's promise, for i < n.
    let load = |i: usize| unsafe { T::load(p.add(i * std::mem::size_of::<T>())) };
    let mut lanes = [a; 8];
    let mut nan = false;
    let whole = n - n % 8;
    for i in (0..whole).step_by(8) {
        for (k, l) in lanes.iter_mut().enumerate() {
            let x = load(i + k);
            nan |= x != x;
            *l = f(*l, x);
        }
    }
    for i in whole..n {
        let x = load(i);
        nan |= x != x;
        lanes[0] = f(lanes[0], x);
    }
    if nan {
        return default_nan;
    }
    let m = lanes.iter().fold(a, |m, &x| f(m, x));
    if m != T::default() {
        return m;
    }
    // A zero extreme: the chain keeps the last zero (of either sign) it meets.
    (0..n).rev().map(load).find(|&x| x == T::default()).unwrap_or(a)
}

macro_rules! fold_default_nan_fn {
    ($t:ty, $f:expr) => {{
        unsafe fn k(acc: *mut u8, p: *const u8, n: usize, s: isize) {
            unsafe { $crate::reduce::fold_default_nan::<$t>(acc, p, n, s, <$t>::NAN, $f) }
        }
        k as $crate::reduce::ReduceFn
    }};
}
pub(crate) use fold_default_nan_fn;

macro_rules! fold_fn {
    ($t:ty, $f:expr) => {{
        unsafe fn k(acc: *mut u8, p: *const u8, n: usize, s: isize) {
            unsafe { $crate::reduce::fold::<$t>(acc, p, n, s, $f) }
        }
        k as $crate::reduce::ReduceFn
    }};
}
pub(crate) use fold_fn;

/// A float of the pairwise sums, added with the left operand first.
trait Summand: Copy + std::ops::Add<Output = Self> {
    /// `self + b` with `self` as the instruction's first operand. When both are NaN, x86
    /// returns the first one (sign and payload), as in NumPy's compiled sums; a plain `+`
    /// lets the compiler swap the operands, which changes the NaN of `nan + (inf - inf)`.
    fn plus(self, b: Self) -> Self;
}

macro_rules! summand {
    ($t:ty, $insn:literal) => {
        impl Summand for $t {
            #[inline(always)]
            fn plus(self, b: Self) -> Self {
                #[cfg(target_arch = "x86_64")]
                {
                    let mut a = self;
                    // SAFETY: one scalar SSE add on registers; no memory, stack or flags
                    // other than MXCSR's sticky exception bits (which the sum should set).
                    unsafe {
                        std::arch::asm!(concat!($insn, " {a}, {b}"), a = inout(xmm_reg) a, b = in(xmm_reg) b,
                                        options(pure, nomem, nostack))
                    };
                    a
                }
                #[cfg(not(target_arch = "x86_64"))]
                {
                    self + b
                }
            }
        }
    };
}
summand!(f32, "addss");
summand!(f64, "addsd");

/// Pairwise sum of `n` scalars read by `at(i)` (NumPy's PW with block size 128).
#[inline(always)]
fn pw_real<A: Summand>(n: usize, zero: A, at: &impl Fn(usize) -> A, start: usize) -> A {
    if n < 8 {
        let mut r = zero;
        for i in 0..n {
            r = r.plus(at(start + i));
        }
        r
    } else if n <= 128 {
        let mut r: [A; 8] = std::array::from_fn(|k| at(start + k));
        let mut i = 8;
        while i < n - n % 8 {
            for (k, rk) in r.iter_mut().enumerate() {
                *rk = *rk + at(start + i + k);
            }
            i += 8;
        }
        let mut res = r[0].plus(r[1]).plus(r[2].plus(r[3])).plus(r[4].plus(r[5]).plus(r[6].plus(r[7])));
        while i < n {
            res = res.plus(at(start + i));
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pw_real(n2, zero, at, start).plus(pw_real(n - n2, zero, at, start + n2))
    }
}

/// Pairwise sum over interleaved (re, im) scalars: `n` counts scalars (twice the elements).
fn pw_complex<A: Summand>(n: usize, zero: A, at: &impl Fn(usize) -> A, start: usize) -> (A, A) {
    if n < 8 {
        let (mut re, mut im) = (zero, zero);
        let mut i = 0;
        while i < n {
            re = re.plus(at(start + i));
            im = im.plus(at(start + i + 1));
            i += 2;
        }
        (re, im)
    } else if n <= 128 {
        let mut r: [A; 8] = std::array::from_fn(|k| at(start + k));
        let mut i = 8;
        while i < n - n % 8 {
            for (k, rk) in r.iter_mut().enumerate() {
                *rk = *rk + at(start + i + k);
            }
            i += 8;
        }
        let mut re = r[0].plus(r[2]).plus(r[4].plus(r[6]));
        let mut im = r[1].plus(r[3]).plus(r[5].plus(r[7]));
        while i < n {
            re = re.plus(at(start + i));
            im = im.plus(at(start + i + 1));
            i += 2;
        }
        (re, im)
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        let (a, b) = pw_complex(n2, zero, at, start);
        let (c, d) = pw_complex(n - n2, zero, at, start + n2);
        (a.plus(c), b.plus(d))
    }
}

/// Runs at least this long have the top of their pairwise tree split across threads.
const PW_PAR_MIN: usize = 1 << 17;

/// `pw_real` with the top levels of the same tree on rayon tasks: identical bits.
fn pw_split<A: Summand + Send + Sync>(
    n: usize,
    zero: A,
    at: &(impl Fn(usize) -> A + Sync),
    start: usize,
) -> A {
    if n < PW_PAR_MIN {
        return pw_real(n, zero, at, start);
    }
    let mut n2 = n / 2;
    n2 -= n2 % 8;
    let (l, r) = rayon::join(|| pw_split(n2, zero, at, start), || pw_split(n - n2, zero, at, start + n2));
    l.plus(r)
}

unsafe fn pw_f64(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    // The base address travels as an integer so the reader may be shared by threads.
    let base = p as usize;
    // SAFETY: the caller guarantees n readable f64 at p with step s.
    let at = move |i: usize| unsafe { ((base as isize + i as isize * s) as *const f64).read_unaligned() };
    unsafe {
        let a = acc.cast::<f64>().read_unaligned().plus(pw_split(n, -0.0, &at, 0));
        acc.cast::<f64>().write_unaligned(a);
    }
}
unsafe fn pw_f32(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    let base = p as usize;
    // SAFETY: the caller guarantees n readable f32 at p with step s.
    let at = move |i: usize| unsafe { ((base as isize + i as isize * s) as *const f32).read_unaligned() };
    unsafe {
        let a = acc.cast::<f32>().read_unaligned().plus(pw_split(n, -0.0f32, &at, 0));
        acc.cast::<f32>().write_unaligned(a);
    }
}
/// float16 sums in float32 across the run and rounds to float16 once (NumPy's half loop).
unsafe fn pw_f16(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    unsafe {
        let at = |i: usize| p.offset(i as isize * s).cast::<f16>().read_unaligned().to_f32_exact();
        let a = acc.cast::<f16>().read_unaligned().to_f32_exact().plus(pw_real(n, -0.0f32, &at, 0));
        acc.cast::<f16>().write_unaligned(f16_from_f32(a));
    }
}
unsafe fn pw_c128(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    unsafe {
        let at = |i: usize| p.offset((i / 2) as isize * s + (i % 2) as isize * 8).cast::<f64>().read_unaligned();
        let (re, im) = pw_complex(2 * n, -0.0, &at, 0);
        let a = acc.cast::<Complex64>().read_unaligned();
        acc.cast::<Complex64>().write_unaligned(Complex::new(a.re.plus(re), a.im.plus(im)));
    }
}
unsafe fn pw_c64(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    unsafe {
        let at = |i: usize| p.offset((i / 2) as isize * s + (i % 2) as isize * 4).cast::<f32>().read_unaligned();
        let (re, im) = pw_complex(2 * n, -0.0f32, &at, 0);
        let a = acc.cast::<Complex32>().read_unaligned();
        acc.cast::<Complex32>().write_unaligned(Complex::new(a.re.plus(re), a.im.plus(im)));
    }
}

/// Gives `add`'s float and complex loops the pairwise reduction.
pub fn install_pairwise(loops: &mut [Loop]) {
    for l in loops {
        let f: Option<ReduceFn> = match l.types {
            "ee->e" => Some(pw_f16),
            "ff->f" => Some(pw_f32),
            "dd->d" => Some(pw_f64),
            "FF->F" => Some(pw_c64),
            "DD->D" => Some(pw_c128),
            _ => None,
        };
        if f.is_some() {
            l.reduce = f;
        }
    }
}

/// float16 products, like NumPy's half loops, carry a float32 accumulator across the run
/// and round to float16 once.
unsafe fn prod_f16(acc: *mut u8, p: *const u8, n: usize, s: isize) {
    unsafe {
        let mut a = acc.cast::<f16>().read_unaligned().to_f32_exact();
        for i in 0..n as isize {
            a *= p.offset(i * s).cast::<f16>().read_unaligned().to_f32_exact();
        }
        acc.cast::<f16>().write_unaligned(f16_from_f32(a));
    }
}

/// Complex products as NumPy's non-SIMD reduce loop computes them: no fused multiply-add,
/// unlike its (and our) element-wise loop, so the last bit can differ from `a * b`.
#[inline(always)]
fn cmul_plain<T: Copy + std::ops::Mul<Output = T> + std::ops::Add<Output = T> + std::ops::Sub<Output = T>>(
    a: Complex<T>,
    b: Complex<T>,
) -> Complex<T> {
    Complex::new(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

/// Gives `multiply`'s float16 loop NumPy's float32-accumulating reduction and its complex
/// loops the unfused product.
pub fn install_product(loops: &mut [Loop]) {
    for l in loops.iter_mut() {
        match l.types {
            "ee->e" => l.reduce = Some(prod_f16),
            "FF->F" => l.reduce = Some(fold_fn!(Complex32, cmul_plain)),
            "DD->D" => l.reduce = Some(fold_fn!(Complex64, cmul_plain)),
            _ => {}
        }
    }
}

/// A view of `a` with axes reordered by `perm`.
fn permuted(a: &Array, perm: &[usize]) -> Array {
    let shape: SmallVec<[usize; 4]> = perm.iter().map(|&k| a.shape()[k]).collect();
    let strides: Strides = perm.iter().map(|&k| a.strides()[k]).collect();
    // SAFETY: a permutation of a valid geometry touches the same elements.
    unsafe { a.view_unchecked(a.offset(), shape, strides, a.dtype()) }
}

/// A view of `a` with the given strides (broadcast): shape `shape`.
fn with_strides(a: &Array, shape: &[usize], strides: Strides) -> Array {
    // SAFETY: callers pass strides of 0 on broadcast axes and the array's own otherwise.
    unsafe { a.view_unchecked(a.offset(), shape.into(), strides, a.dtype()) }
}

pub struct Reduce<'a> {
    pub uf: &'static Ufunc,
    pub loop_idx: usize,
    /// The input, any dtype (cast here, in NumPy's buffered chunks).
    pub input: &'a Array,
    /// Which axes are reduced.
    pub axes: &'a [bool],
    /// The result, of the loop's dtype, with length 1 on reduced axes.
    pub out: &'a Array,
    /// 0-d array of the loop dtype, or None to use the identity (or the first element).
    pub initial: Option<&'a Array>,
    pub where_: Option<&'a Array>,
}

/// Runs a reduction into `r.out`; returns FP flags.
pub fn reduce(r: &Reduce<'_>) -> Result<u32> {
    let uf = r.uf;
    let lp = &uf.loops[r.loop_idx];
    let red = lp.reduce.ok_or_else(|| Error::type_(format!("cannot reduce with ufunc '{}'", uf.name)))?;
    let dt = lp.outs[0];
    let nd = r.input.ndim();
    let naxes = r.axes.iter().filter(|&&b| b).count();
    if naxes > 1 && !uf.reorderable() {
        return Err(Error::value(format!(
            "reduction operation '{}' is not reorderable, so at most one axis may be specified",
            uf.name
        )));
    }
    let empty_reduce = (0..nd).any(|k| r.axes[k] && r.input.shape()[k] == 0);
    let mut x = r.input.clone();
    match r.initial {
        Some(init) => fill(r.out, init)?,
        None => {
            if r.where_.is_some() {
                return Err(Error::value(format!(
                    "reduction operation '{}' does not have an identity, so to use a where mask one has to specify 'initial'",
                    uf.name
                )));
            }
            if empty_reduce {
                return Err(Error::value(format!(
                    "zero-size array to reduction operation {} which has no identity",
                    uf.name
                )));
            }
            if r.out.size() == 0 {
                return Ok(0);
            }
            // Start from the first element along the reduced axes.
            let first_shape: SmallVec<[usize; 4]> =
                (0..nd).map(|k| if r.axes[k] { 1 } else { x.shape()[k] }).collect();
            let first = with_strides(&x, &first_shape, x.strides().into());
            oxnp_core::cast::copy_into(r.out, &first)?;
            if naxes == 1 {
                let k = r.axes.iter().position(|&b| b).unwrap_or(0);
                let mut shape: SmallVec<[usize; 4]> = x.shape().into();
                shape[k] -= 1;
                // SAFETY: skipping index 0 of axis k stays inside the original geometry.
                x = unsafe {
                    let off = (x.offset() as isize + x.strides()[k]) as usize;
                    if shape[k] == 0 { x.view_unchecked(x.offset(), shape, x.strides().into(), x.dtype()) } else { x.view_unchecked(off, shape, x.strides().into(), x.dtype()) }
                };
            }
        }
    }
    if r.out.size() == 0 || x.size() == 0 {
        return Ok(0);
    }
    if let Some(w) = r.where_ {
        let init = r.initial.ok_or_else(|| Error::value("where= needs an initial value"))?;
        // Masked-out elements must not count: the identity where there is one (`initial`
        // is already in `out`), else `initial` itself (min/max absorb a repeat of it).
        let ident = identity_array(uf, dt)?;
        let filled = Array::empty(x.shape(), dt, Order::C)?;
        fill(&filled, ident.as_ref().unwrap_or(init))?;
        crate::exec::copy_masked(&filled, &x, w)?;
        x = filled;
    }
    // NumPy's K order: outer to inner by decreasing input stride (negative strides kept).
    let mut perm: Vec<usize> = (0..nd).collect();
    perm.sort_by_key(|&k| std::cmp::Reverse(x.strides()[k].unsigned_abs()));
    let xp = permuted(&x, &perm);
    let out_full = with_strides(r.out, x.shape(), broadcast_strides(r.out, x.shape()));
    let op = permuted(&out_full, &perm);
    let mut st = vec![Strides::from(xp.strides()), Strides::from(op.strides())];
    let mut sh = coalesce(xp.shape(), &mut st);
    if sh.is_empty() {
        // One element left: keep its stride, which decides NumPy's NaN bits for min/max.
        sh.push(1);
        st[0].push(xp.strides().last().copied().unwrap_or(0));
        st[1].push(0);
    }
    let all_reduced = st[1].iter().all(|&s| s == 0);
    let cast = x.dtype() != dt;
    let needs_buffer = cast || (all_reduced && sh.len() > 1);
    fpe::clear();
    if all_reduced && needs_buffer {
        // One stream in iteration order, summed in buffer-sized chunks.
        let chunk = if sh.len() > 1 {
            let l = *sh.last().unwrap_or(&1);
            if l <= BUFSIZE { l * (BUFSIZE / l) } else { BUFSIZE }
        } else {
            BUFSIZE
        };
        let stream = Array::empty(xp.shape(), dt, Order::C)?;
        oxnp_core::cast::copy_into(&stream, &xp)?;
        let n = stream.size();
        let isz = dt.itemsize() as isize;
        let mut start = 0;
        while start < n {
            let len = chunk.min(n - start);
            // SAFETY: the stream is contiguous with n elements; out holds one element.
            unsafe { red(r.out.as_ptr(), stream.as_ptr().offset(start as isize * isz), len, isz) };
            start += len;
        }
        return Ok(fpe::take_checked(r.uf.checks_fpe()));
    }
    let (src, st) = if cast {
        let c = Array::empty(xp.shape(), dt, Order::C)?;
        oxnp_core::cast::copy_into(&c, &xp)?;
        let mut st2 = vec![Strides::from(c.strides()), Strides::from(op.strides())];
        let sh2 = coalesce(c.shape(), &mut st2);
        (c, (sh2, st2))
    } else {
        (xp, (sh, st))
    };
    let (sh, st) = st;
    let (xb, ob) = (src.as_ptr(), r.out.as_ptr());
    let f = lp.f;
    for_each_inner(&sh, [&st[0], &st[1]], |o, n, s| {
        // SAFETY: offsets from the operands' geometry; out is exactly aliased as in0.
        unsafe {
            let (xp, opp) = (xb.offset(o[0]), ob.offset(o[1]));
            if s[1] == 0 {
                let mut start = 0;
                let step = if cast { BUFSIZE } else { n.max(1) };
                while start < n {
                    let len = step.min(n - start);
                    red(opp, xp.offset(start as isize * s[0]), len, s[0]);
                    start += len;
                }
            } else {
                f(&[opp, xp, opp, std::ptr::null_mut()], n, &[s[1], s[0], s[1], 0]);
            }
        }
    });
    Ok(fpe::take_checked(r.uf.checks_fpe()))
}

/// Fills `dst` with the 0-d `value` (converted).
fn fill(dst: &Array, value: &Array) -> Result<()> {
    let b = with_strides(value, dst.shape(), SmallVec::from_elem(0, dst.ndim()));
    oxnp_core::cast::copy_into(dst, &b)
}

/// The identity as a 0-d array of `dtype`, if the ufunc has one.
pub fn identity_array(uf: &Ufunc, dtype: oxnp_core::DType) -> Result<Option<Array>> {
    let v: Array = match uf.identity {
        Identity::None | Identity::ReorderableNone => return Ok(None),
        Identity::Zero | Identity::False => Array::scalar(0i64),
        Identity::One | Identity::True => Array::scalar(1i64),
        Identity::MinusOne => Array::scalar(-1i64),
        Identity::NegInf => Array::scalar(f64::NEG_INFINITY),
    };
    let out = Array::empty(&[], dtype, Order::C)?;
    oxnp_core::cast::copy_into(&out, &v)?;
    Ok(Some(out))
}

/// `ufunc.accumulate` along `axis` into `out` (same shape, loop dtype); `x` has the loop dtype.
pub fn accumulate(uf: &'static Ufunc, loop_idx: usize, x: &Array, axis: usize, out: &Array) -> Result<u32> {
    let lp = &uf.loops[loop_idx];
    let n = x.shape()[axis];
    if x.size() == 0 {
        return Ok(0);
    }
    let others: SmallVec<[usize; 4]> = (0..x.ndim()).filter(|&k| k != axis).map(|k| x.shape()[k]).collect();
    let xs: Strides = (0..x.ndim()).filter(|&k| k != axis).map(|k| x.strides()[k]).collect();
    let os: Strides = (0..out.ndim()).filter(|&k| k != axis).map(|k| out.strides()[k]).collect();
    let (xa, oa) = (x.strides()[axis], out.strides()[axis]);
    let isz = lp.outs[0].itemsize();
    let (xb, ob) = (x.as_ptr(), out.as_ptr());
    fpe::clear();
    for_each_inner(&others, [&xs, &os], |o, m, s| {
        for j in 0..m as isize {
            // SAFETY: offsets from the operands' geometry; each step reads out[i-1] written
            // by the previous step (the loop walks forward, element by element in memory order
            // of the axis).
            unsafe {
                let xp = xb.offset(o[0] + j * s[0]);
                let op = ob.offset(o[1] + j * s[1]);
                std::ptr::copy(xp, op, isz);
                for i in 1..n as isize {
                    let (prev, cur) = (op.offset((i - 1) * oa), op.offset(i * oa));
                    match lp.reduce {
                        // NumPy runs the element-wise loop over out[0..n-1] -> out[1..n]; from
                        // 3 elements on, the ranges overlap and its non-SIMD path runs instead:
                        // for products that is our fold (the unfused complex product). Sums
                        // keep the element-wise loop (the pairwise fold differs on -0.0).
                        Some(red) if n > 2 && uf.name == "multiply" => {
                            std::ptr::copy(prev, cur, isz);
                            red(cur, xp.offset(i * xa), 1, xa);
                        }
                        _ => (lp.f)(&[prev, xp.offset(i * xa), cur, std::ptr::null_mut()], 1, &[oa, xa, oa, 0]),
                    }
                }
            }
        }
    });
    Ok(fpe::take_checked(uf.checks_fpe()))
}
