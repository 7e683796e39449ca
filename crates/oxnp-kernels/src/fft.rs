//! Discrete Fourier transforms along one axis of a strided N-d array, on rustfft / realfft.
//!
//! One call transforms every line of `src` along `axis` and writes the lines of `dst`:
//! complex-to-complex (forward or inverse), real-to-complex (`rfft`, n/2+1 outputs) and
//! complex-to-real (`irfft`, n outputs). A line of the input is cropped or zero-padded to the
//! transform's input length, as NumPy's `n` argument does. The output is scaled by `fct`
//! (NumPy's norm factor) and optionally conjugated (`ihfft`); the input may be conjugated
//! first (`hfft`).
//!
//! Lines are gathered into a contiguous scratch buffer, transformed, and scattered. When the
//! output line is contiguous, the transform works in the output itself (one copy fewer).
//! Otherwise lines are handled in blocks of adjacent lines, read and written one axis position
//! at a time, so a transform along a non-contiguous axis reads whole cache lines. Blocks run on
//! rayon when there is enough work. Plans are cached per (length, direction) in one planner per
//! precision.
//!
//! Precision follows `dst`: complex128/float64 transforms in f64, complex64/float32 in f32.
//! `src` must be float or complex of that precision (real input is read as complex with a zero
//! imaginary part); the bindings cast other dtypes first.

use std::sync::{Arc, Mutex, OnceLock};

use num_complex::Complex;
use oxnp_core::shape::memory_order_perm;
use oxnp_core::{Array, DType, Error, Result};
use rayon::prelude::*;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftDirection, FftNum, FftPlanner};

/// Which transform runs along the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// Complex to complex, exp(-2πi jk/n) (`fft`).
    Forward,
    /// Complex to complex, exp(+2πi jk/n), unscaled (`ifft` before its 1/n).
    Inverse,
    /// Real to complex, n real inputs -> n/2+1 outputs (`rfft`).
    RealForward,
    /// Complex to real, n/2+1 complex inputs -> n real outputs (`irfft`); the imaginary
    /// parts of the zero-frequency term and (for even n) of the Nyquist term are ignored.
    RealInverse,
}

/// One transform along one axis.
#[derive(Debug, Clone, Copy)]
pub struct AxisFft {
    pub transform: Transform,
    pub axis: usize,
    /// The transform length (NumPy's `n`), >= 1.
    pub n: usize,
    /// Every output value is multiplied by this (1, 1/n or 1/sqrt(n)).
    pub fct: f64,
    pub conj_in: bool,
    pub conj_out: bool,
}

impl AxisFft {
    /// Number of (complex or real) values a line of the transform reads.
    pub fn in_len(&self) -> usize {
        match self.transform {
            Transform::RealInverse => self.n / 2 + 1,
            _ => self.n,
        }
    }
    /// Number of values a line of the transform writes (the output's length along the axis).
    pub fn out_len(&self) -> usize {
        match self.transform {
            Transform::RealForward => self.n / 2 + 1,
            _ => self.n,
        }
    }
}

/// Total elements above which a call is split over rayon (when it has several lines).
pub const PARALLEL_MIN: usize = 1 << 15;

/// The plan caches of one precision.
pub struct Planners<T: FftNum> {
    complex: FftPlanner<T>,
    real: RealFftPlanner<T>,
}

impl<T: FftNum> Planners<T> {
    fn new() -> Self {
        Planners { complex: FftPlanner::new(), real: RealFftPlanner::new() }
    }
}

/// f32 or f64: the precisions a transform runs in, each with its process-wide plan cache.
pub trait Precision: FftNum {
    const REAL: DType;
    const COMPLEX: DType;
    fn planners() -> &'static Mutex<Planners<Self>>;
}

macro_rules! precision {
    ($t:ty, $real:ident, $complex:ident) => {
        impl Precision for $t {
            const REAL: DType = DType::$real;
            const COMPLEX: DType = DType::$complex;
            fn planners() -> &'static Mutex<Planners<Self>> {
                static CELL: OnceLock<Mutex<Planners<$t>>> = OnceLock::new();
                CELL.get_or_init(|| Mutex::new(Planners::new()))
            }
        }
    };
}
precision!(f64, Float64, Complex128);
precision!(f32, Float32, Complex64);

fn with_planners<T: Precision, R>(f: impl FnOnce(&mut Planners<T>) -> R) -> R {
    // A panic while planning cannot leave the cache half-built in a way that matters: the
    // planners only insert finished plans. So a poisoned lock is still usable.
    let mut guard = T::planners().lock().unwrap_or_else(|e| e.into_inner());
    f(&mut guard)
}

enum Plan<T: FftNum> {
    Complex(Arc<dyn Fft<T>>),
    RealForward(Arc<dyn RealToComplex<T>>),
    RealInverse(Arc<dyn ComplexToReal<T>>),
}

impl<T: FftNum> Plan<T> {
    fn new(spec: &AxisFft) -> Plan<T>
    where
        T: Precision,
    {
        with_planners::<T, _>(|p| match spec.transform {
            Transform::Forward => Plan::Complex(p.complex.plan_fft(spec.n, FftDirection::Forward)),
            Transform::Inverse => Plan::Complex(p.complex.plan_fft(spec.n, FftDirection::Inverse)),
            Transform::RealForward => Plan::RealForward(p.real.plan_fft_forward(spec.n)),
            Transform::RealInverse => Plan::RealInverse(p.real.plan_fft_inverse(spec.n)),
        })
    }

    fn scratch_len(&self) -> usize {
        match self {
            Plan::Complex(p) => p.get_inplace_scratch_len(),
            Plan::RealForward(p) => p.get_scratch_len(),
            Plan::RealInverse(p) => p.get_scratch_len(),
        }
    }
}

/// Where lines live: byte offsets of each line's first element in src and dst, and the byte
/// steps along the axis.
struct Lines {
    starts: Vec<(isize, isize)>,
    src: usize,
    dst: usize,
    src_step: isize,
    dst_step: isize,
    /// Elements of a source line that are read (min(m, in_len)).
    count_in: usize,
}

/// Checks `src`/`dst` against `spec` and transforms every line. `dst` must be writeable and
/// must not overlap `src`.
pub fn fft_axis(src: &Array, dst: &Array, spec: &AxisFft) -> Result<()> {
    let nd = src.ndim();
    if spec.axis >= nd || dst.ndim() != nd || spec.n == 0 {
        return Err(Error::value("fft_axis: bad axis, rank or length"));
    }
    for k in 0..nd {
        let want = if k == spec.axis { spec.out_len() } else { src.shape()[k] };
        if dst.shape()[k] != want {
            return Err(Error::value("fft_axis: output array has wrong shape."));
        }
    }
    dst.check_writeable()?;
    if dst.may_overlap(src) {
        return Err(Error::value("fft_axis: output overlaps input"));
    }
    match dst.dtype() {
        DType::Complex128 | DType::Float64 => run::<f64>(src, dst, spec),
        DType::Complex64 | DType::Float32 => run::<f32>(src, dst, spec),
        d => Err(Error::type_(format!("fft_axis: unsupported output dtype {}", d.name()))),
    }
}

fn run<T: Precision>(src: &Array, dst: &Array, spec: &AxisFft) -> Result<()> {
    let src_complex = match src.dtype() {
        d if d == T::COMPLEX => true,
        d if d == T::REAL => false,
        d => return Err(Error::type_(format!("fft_axis: unsupported input dtype {}", d.name()))),
    };
    let want_out = match spec.transform {
        Transform::RealInverse => T::REAL,
        _ => T::COMPLEX,
    };
    if dst.dtype() != want_out || (spec.transform == Transform::RealForward && src_complex) {
        return Err(Error::type_("fft_axis: dtypes do not match the transform"));
    }
    if dst.size() == 0 {
        return Ok(());
    }
    let axis = spec.axis;
    // The other axes, walked in the source's memory order so that consecutive lines are
    // adjacent in memory where possible.
    let others: Vec<usize> = (0..src.ndim()).filter(|&k| k != axis).collect();
    let red_src: Vec<isize> = others.iter().map(|&k| src.strides()[k]).collect();
    let perm = memory_order_perm(&red_src);
    let shape: Vec<usize> = perm.iter().map(|&p| src.shape()[others[p]]).collect();
    let s_src: Vec<isize> = perm.iter().map(|&p| src.strides()[others[p]]).collect();
    let s_dst: Vec<isize> = perm.iter().map(|&p| dst.strides()[others[p]]).collect();
    let mut starts = Vec::with_capacity(shape.iter().product());
    oxnp_core::array::for_each_inner(&shape, [&s_src, &s_dst], |[a, b], len, [sa, sb]| {
        for i in 0..len as isize {
            starts.push((a + i * sa, b + i * sb));
        }
    });
    let lines = Lines {
        starts,
        src: src.as_ptr() as usize,
        dst: dst.as_ptr() as usize,
        src_step: src.strides()[axis],
        dst_step: dst.strides()[axis],
        count_in: src.shape()[axis].min(spec.in_len()),
    };
    if src_complex {
        run_lines::<T, true>(&lines, spec)
    } else {
        run_lines::<T, false>(&lines, spec)
    }
}

/// Per-thread buffers.
struct Bufs<T> {
    c: Vec<Complex<T>>,
    r: Vec<T>,
    scratch: Vec<Complex<T>>,
}

fn run_lines<T: Precision, const SC: bool>(lines: &Lines, spec: &AxisFft) -> Result<()> {
    let plan = Plan::<T>::new(spec);
    let n = spec.n;
    let out_len = spec.out_len();
    let in_len = spec.in_len();
    let out_item = if spec.transform == Transform::RealInverse {
        std::mem::size_of::<T>()
    } else {
        std::mem::size_of::<Complex<T>>()
    } as isize;
    let in_item = if SC { std::mem::size_of::<Complex<T>>() } else { std::mem::size_of::<T>() } as isize;
    let direct = lines.dst_step == out_item;
    let nlines = lines.starts.len();
    // Lines per block: one line when the output is written in place; otherwise enough adjacent
    // lines that one axis position reads whole cache lines, within ~256 KiB of scratch.
    let block = if direct {
        1
    } else {
        let mut b = (16384 / n).clamp(1, 64);
        if lines.src_step != in_item && n <= 16384 {
            b = b.max(16);
        }
        b.min(nlines).max(1)
    };
    let cwidth = match spec.transform {
        Transform::Forward | Transform::Inverse => n,
        Transform::RealForward => out_len,
        Transform::RealInverse => in_len,
    };
    let rwidth = match spec.transform {
        Transform::Forward | Transform::Inverse => 0,
        _ => n,
    };
    let scratch_len = plan.scratch_len();
    let make = || Bufs::<T> {
        c: if direct && matches!(spec.transform, Transform::Forward | Transform::Inverse) {
            Vec::new()
        } else {
            vec![Complex::new(T::zero(), T::zero()); cwidth * block]
        },
        r: if direct && spec.transform == Transform::RealInverse {
            Vec::new()
        } else {
            vec![T::zero(); rwidth * block]
        },
        scratch: vec![Complex::new(T::zero(), T::zero()); scratch_len],
    };
    let work = |bufs: &mut Bufs<T>, chunk: &[(isize, isize)]| -> Result<()> {
        // SAFETY: every line start plus (count_in - 1) steps lies in src, and every line start
        // plus (out_len - 1) steps in dst (both walked from the arrays' own shapes and
        // strides); lines of dst are disjoint, so parallel blocks never write the same element.
        unsafe {
            if direct {
                for &line in chunk {
                    do_direct::<T, SC>(lines, spec, &plan, bufs, line)?;
                }
                Ok(())
            } else {
                do_block::<T, SC>(lines, spec, &plan, bufs, chunk)
            }
        }
    };
    let total = nlines.saturating_mul(n.max(out_len));
    if nlines >= 2 && total >= PARALLEL_MIN && rayon::current_num_threads() >= 2 {
        let per_task = block.max(nlines.div_ceil(4 * rayon::current_num_threads()).min(4096 / n.max(1)).max(1));
        lines.starts.par_chunks(per_task).try_for_each_init(make, |bufs, chunk| {
            chunk.chunks(block).try_for_each(|c| work(bufs, c))
        })
    } else {
        let mut bufs = make();
        lines.starts.chunks(block).try_for_each(|c| work(&mut bufs, c))
    }
}

fn fft_err(e: realfft::FftError) -> Error {
    Error::Runtime(format!("fft: {e}"))
}

#[inline(always)]
unsafe fn load<T: FftNum, const SC: bool>(p: *const u8) -> Complex<T> {
    // SAFETY: the caller points p at an element of the source array.
    unsafe {
        if SC {
            // Two scalar reads, not one 16-byte read: unoptimised builds otherwise spill the
            // pair and reload it whole, a store-forwarding stall per element.
            let q = p.cast::<T>();
            Complex::new(q.read_unaligned(), q.add(1).read_unaligned())
        } else {
            Complex::new(p.cast::<T>().read_unaligned(), T::zero())
        }
    }
}

#[inline(always)]
unsafe fn load_re<T: FftNum>(p: *const u8) -> T {
    // SAFETY: as for `load`.
    unsafe { p.cast::<T>().read_unaligned() }
}

#[inline(always)]
fn finish<T: FftNum>(v: Complex<T>, fct: Option<T>, conj: bool) -> Complex<T> {
    let v = match fct {
        Some(f) => Complex::new(v.re * f, v.im * f),
        None => v,
    };
    if conj { v.conj() } else { v }
}

fn factor<T: FftNum>(spec: &AxisFft) -> Option<T> {
    if spec.fct == 1.0 { None } else { Some(T::from_f64(spec.fct).unwrap()) }
}

/// Reads `count_in` complex values of one source line into `buf`, zero-pads to `buf.len()`.
#[inline(always)]
unsafe fn gather_line<T: FftNum, const SC: bool>(lines: &Lines, start: isize, buf: &mut [Complex<T>], conj: bool) {
    let base = (lines.src as *const u8).wrapping_offset(start);
    let cnt = lines.count_in;
    for (j, slot) in buf[..cnt].iter_mut().enumerate() {
        // SAFETY: j < count_in <= source length along the axis.
        let v = unsafe { load::<T, SC>(base.offset(j as isize * lines.src_step)) };
        *slot = if conj { v.conj() } else { v };
    }
    buf[cnt..].fill(Complex::new(T::zero(), T::zero()));
}

/// Output line contiguous: transform in the destination (C2C), or from a line buffer straight
/// into it (R2C / C2R).
unsafe fn do_direct<T: Precision, const SC: bool>(
    lines: &Lines,
    spec: &AxisFft,
    plan: &Plan<T>,
    bufs: &mut Bufs<T>,
    (s, d): (isize, isize),
) -> Result<()> {
    let fct = factor::<T>(spec);
    let n = spec.n;
    let dbase = (lines.dst as *mut u8).wrapping_offset(d);
    match plan {
        Plan::Complex(p) => {
            // SAFETY: the destination line is n contiguous complex values (direct mode).
            let out = unsafe { std::slice::from_raw_parts_mut(dbase.cast::<Complex<T>>(), n) };
            unsafe { gather_line::<T, SC>(lines, s, out, spec.conj_in) };
            p.process_with_scratch(out, &mut bufs.scratch);
            if fct.is_some() || spec.conj_out {
                for v in out.iter_mut() {
                    *v = finish(*v, fct, spec.conj_out);
                }
            }
        }
        Plan::RealForward(p) => {
            let h = n / 2 + 1;
            // SAFETY: the destination line is h contiguous complex values.
            let out = unsafe { std::slice::from_raw_parts_mut(dbase.cast::<Complex<T>>(), h) };
            let base = (lines.src as *const u8).wrapping_offset(s);
            let r = &mut bufs.r[..n];
            for (j, slot) in r[..lines.count_in].iter_mut().enumerate() {
                // SAFETY: j < count_in.
                *slot = unsafe { load_re::<T>(base.offset(j as isize * lines.src_step)) };
            }
            r[lines.count_in..].fill(T::zero());
            p.process_with_scratch(r, out, &mut bufs.scratch).map_err(fft_err)?;
            if fct.is_some() || spec.conj_out {
                for v in out.iter_mut() {
                    *v = finish(*v, fct, spec.conj_out);
                }
            }
        }
        Plan::RealInverse(p) => {
            let h = n / 2 + 1;
            // SAFETY: the destination line is n contiguous reals.
            let out = unsafe { std::slice::from_raw_parts_mut(dbase.cast::<T>(), n) };
            let c = &mut bufs.c[..h];
            unsafe { gather_line::<T, SC>(lines, s, c, spec.conj_in) };
            zero_hermitian_edges(c, n);
            p.process_with_scratch(c, out, &mut bufs.scratch).map_err(fft_err)?;
            if let Some(f) = fct {
                for v in out.iter_mut() {
                    *v = *v * f;
                }
            }
        }
    }
    Ok(())
}

/// The imaginary parts that a real signal's spectrum cannot have: NumPy ignores them.
fn zero_hermitian_edges<T: FftNum>(c: &mut [Complex<T>], n: usize) {
    c[0].im = T::zero();
    if n % 2 == 0 {
        let last = c.len() - 1;
        c[last].im = T::zero();
    }
}

/// A block of lines whose output is strided: gather (axis-major when the source axis is
/// strided, line-major otherwise), transform each line, scatter axis-major.
unsafe fn do_block<T: Precision, const SC: bool>(
    lines: &Lines,
    spec: &AxisFft,
    plan: &Plan<T>,
    bufs: &mut Bufs<T>,
    chunk: &[(isize, isize)],
) -> Result<()> {
    let fct = factor::<T>(spec);
    let n = spec.n;
    let k = chunk.len();
    let cnt = lines.count_in;
    let src = lines.src as *const u8;
    let dst = lines.dst as *mut u8;
    let in_item = if SC { std::mem::size_of::<Complex<T>>() } else { std::mem::size_of::<T>() } as isize;
    let line_major = lines.src_step == in_item || k == 1;
    let out_len = spec.out_len();
    // Gather.
    match spec.transform {
        Transform::RealForward => {
            let r = &mut bufs.r[..k * n];
            if line_major {
                for (b, &(s, _)) in chunk.iter().enumerate() {
                    let base = src.wrapping_offset(s);
                    for j in 0..cnt {
                        // SAFETY: j < count_in.
                        r[b * n + j] = unsafe { load_re::<T>(base.offset(j as isize * lines.src_step)) };
                    }
                }
            } else {
                for j in 0..cnt {
                    for (b, &(s, _)) in chunk.iter().enumerate() {
                        // SAFETY: j < count_in.
                        r[b * n + j] = unsafe {
                            load_re::<T>(src.wrapping_offset(s).offset(j as isize * lines.src_step))
                        };
                    }
                }
            }
            for b in 0..k {
                r[b * n + cnt..(b + 1) * n].fill(T::zero());
            }
        }
        _ => {
            let w = spec.in_len();
            let c = &mut bufs.c[..k * w];
            if line_major {
                for (b, &(s, _)) in chunk.iter().enumerate() {
                    unsafe { gather_line::<T, SC>(lines, s, &mut c[b * w..(b + 1) * w], spec.conj_in) };
                }
            } else {
                for j in 0..cnt {
                    for (b, &(s, _)) in chunk.iter().enumerate() {
                        // SAFETY: j < count_in.
                        let v = unsafe {
                            load::<T, SC>(src.wrapping_offset(s).offset(j as isize * lines.src_step))
                        };
                        c[b * w + j] = if spec.conj_in { v.conj() } else { v };
                    }
                }
                for b in 0..k {
                    c[b * w + cnt..(b + 1) * w].fill(Complex::new(T::zero(), T::zero()));
                }
            }
        }
    }
    // Transform.
    match plan {
        Plan::Complex(p) => p.process_with_scratch(&mut bufs.c[..k * n], &mut bufs.scratch),
        Plan::RealForward(p) => {
            let h = out_len;
            for b in 0..k {
                p.process_with_scratch(
                    &mut bufs.r[b * n..(b + 1) * n],
                    &mut bufs.c[b * h..(b + 1) * h],
                    &mut bufs.scratch,
                )
                .map_err(fft_err)?;
            }
        }
        Plan::RealInverse(p) => {
            let h = spec.in_len();
            for b in 0..k {
                let c = &mut bufs.c[b * h..(b + 1) * h];
                zero_hermitian_edges(c, n);
                p.process_with_scratch(c, &mut bufs.r[b * n..(b + 1) * n], &mut bufs.scratch)
                    .map_err(fft_err)?;
            }
        }
    }
    // Scatter, axis-major: one output axis position for all lines of the block at a time.
    let ds = lines.dst_step;
    match spec.transform {
        Transform::RealInverse => {
            let r = &bufs.r[..k * n];
            for j in 0..out_len {
                for (b, &(_, d)) in chunk.iter().enumerate() {
                    let v = r[b * n + j];
                    let v = match fct {
                        Some(f) => v * f,
                        None => v,
                    };
                    // SAFETY: j < out_len = destination length along the axis.
                    unsafe { dst.wrapping_offset(d).offset(j as isize * ds).cast::<T>().write_unaligned(v) };
                }
            }
        }
        _ => {
            let w = if spec.transform == Transform::RealForward { out_len } else { n };
            let c = &bufs.c[..k * w];
            for j in 0..out_len {
                for (b, &(_, d)) in chunk.iter().enumerate() {
                    let v = finish(c[b * w + j], fct, spec.conj_out);
                    // SAFETY: as above.
                    unsafe {
                        let q = dst.wrapping_offset(d).offset(j as isize * ds).cast::<T>();
                        q.write_unaligned(v.re);
                        q.add(1).write_unaligned(v.im);
                    };
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxnp_core::Order;

    fn naive(x: &[Complex<f64>], sign: f64) -> Vec<Complex<f64>> {
        let n = x.len();
        (0..n)
            .map(|k| {
                x.iter().enumerate().fold(Complex::new(0.0, 0.0), |acc, (j, &v)| {
                    let a = sign * 2.0 * std::f64::consts::PI * ((j * k) % n) as f64 / n as f64;
                    acc + v * Complex::new(a.cos(), a.sin())
                })
            })
            .collect()
    }

    #[test]
    fn complex_along_both_axes() {
        let (r, c) = (5usize, 7usize);
        let vals: Vec<Complex<f64>> =
            (0..r * c).map(|i| Complex::new((i as f64 * 0.37).sin(), (i as f64 * 0.11).cos())).collect();
        let src = Array::from_vec(&[r, c], vals.clone()).unwrap();
        for axis in 0..2 {
            let dst = Array::empty(&[r, c], DType::Complex128, Order::C).unwrap();
            let spec = AxisFft { transform: Transform::Forward, axis, n: [r, c][axis], fct: 1.0, conj_in: false, conj_out: false };
            fft_axis(&src, &dst, &spec).unwrap();
            let got = dst.to_vec::<Complex<f64>>();
            let lines = if axis == 1 { r } else { c };
            for l in 0..lines {
                let idx: Vec<usize> =
                    if axis == 1 { (0..c).map(|j| l * c + j).collect() } else { (0..r).map(|j| j * c + l).collect() };
                let x: Vec<_> = idx.iter().map(|&i| vals[i]).collect();
                let want = naive(&x, -1.0);
                for (w, &i) in want.iter().zip(&idx) {
                    assert!((got[i] - w).norm() < 1e-12, "axis {axis}");
                }
            }
        }
    }

    #[test]
    fn real_round_trip_odd_and_even() {
        for n in [1usize, 2, 5, 8, 13] {
            let x: Vec<f64> = (0..n).map(|i| (i as f64).sqrt() - 1.0).collect();
            let src = Array::from_vec(&[n], x.clone()).unwrap();
            let spec = AxisFft { transform: Transform::RealForward, axis: 0, n, fct: 1.0, conj_in: false, conj_out: false };
            let mid = Array::empty(&[n / 2 + 1], DType::Complex128, Order::C).unwrap();
            fft_axis(&src, &mid, &spec).unwrap();
            let back = Array::empty(&[n], DType::Float64, Order::C).unwrap();
            let spec = AxisFft { transform: Transform::RealInverse, fct: 1.0 / n as f64, ..spec };
            fft_axis(&mid, &back, &spec).unwrap();
            for (a, b) in back.to_vec::<f64>().iter().zip(&x) {
                assert!((a - b).abs() < 1e-12, "n {n}");
            }
        }
    }
}
