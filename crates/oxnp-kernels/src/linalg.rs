//! Dense linear algebra on stacks of matrices (`numpy.linalg`'s decompositions), on faer.
//!
//! Every kernel takes C-ordered stacks `(..., M, N)` of float64 or complex128 — NumPy's
//! `_umath_linalg` computes in double precision whatever the input (`_commonType` returns
//! double/cdouble as the computing type) and casts the result to float32/complex64 after,
//! and the Python layer does the same — and loops over the leading (batch) dimensions.
//! Errors are NumPy's `LinAlgError` messages.

use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Par, Side};
use num_complex::Complex64;
use oxnp_core::element::Element;
use oxnp_core::error::{Error, Result};
use oxnp_core::{Array, DType};

use crate::lapack_geev;
use crate::lapack_small::{self, Cm};

/// The two element types the kernels compute in.
pub trait Scalar:
    faer::traits::ComplexField<Real = f64>
    + Element
    + Copy
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + std::ops::Neg<Output = Self>
{
    const CPLX: bool;
    fn re(self) -> f64;
    fn im(self) -> f64;
    /// `re + i·im` (the imaginary part is dropped for a real type).
    fn mk(re: f64, im: f64) -> Self;
    fn cj(self) -> Self;
    fn modulus(self) -> f64;
    fn scale(self, k: f64) -> Self;
    /// `self * b + c`, fused (one rounding) for a real type.
    fn fma(self, b: Self, c: Self) -> Self;
    /// The pivot measure of LAPACK's `i?amax`: |x| for a real, |re| + |im| for a complex.
    fn abs1(self) -> f64;
    /// Eigenvalues (and right eigenvectors) of a general square matrix.
    fn eig_mat(a: MatRef<'_, Self>, vectors: bool) -> std::result::Result<(Vec<Complex64>, Option<Mat<Complex64>>), ()>;
}

impl Scalar for f64 {
    const CPLX: bool = false;
    fn re(self) -> f64 {
        self
    }
    fn im(self) -> f64 {
        0.0
    }
    fn mk(re: f64, _im: f64) -> Self {
        re
    }
    fn cj(self) -> Self {
        self
    }
    fn modulus(self) -> f64 {
        self.abs()
    }
    fn scale(self, k: f64) -> Self {
        self * k
    }
    #[inline]
    fn fma(self, b: Self, c: Self) -> Self {
        self.mul_add(b, c)
    }
    #[inline]
    fn abs1(self) -> f64 {
        self.abs()
    }
    fn eig_mat(a: MatRef<'_, f64>, vectors: bool) -> std::result::Result<(Vec<Complex64>, Option<Mat<Complex64>>), ()> {
        if vectors {
            let e = faer::linalg::solvers::Eigen::new_from_real(a).map_err(|_| ())?;
            let w = (0..a.nrows()).map(|i| e.S()[i]).collect();
            Ok((w, Some(e.U().to_owned())))
        } else {
            Ok((a.eigenvalues().map_err(|_| ())?, None))
        }
    }
}

impl Scalar for Complex64 {
    const CPLX: bool = true;
    fn re(self) -> f64 {
        self.re
    }
    fn im(self) -> f64 {
        self.im
    }
    fn mk(re: f64, im: f64) -> Self {
        Complex64::new(re, im)
    }
    fn cj(self) -> Self {
        self.conj()
    }
    fn modulus(self) -> f64 {
        self.re.hypot(self.im)
    }
    fn scale(self, k: f64) -> Self {
        Complex64::new(self.re * k, self.im * k)
    }
    #[inline]
    fn fma(self, b: Self, c: Self) -> Self {
        self * b + c
    }
    #[inline]
    fn abs1(self) -> f64 {
        self.re.abs() + self.im.abs()
    }
    fn eig_mat(a: MatRef<'_, Complex64>, vectors: bool) -> std::result::Result<(Vec<Complex64>, Option<Mat<Complex64>>), ()> {
        if vectors {
            let e = faer::linalg::solvers::Eigen::new(a).map_err(|_| ())?;
            let w = (0..a.nrows()).map(|i| e.S()[i]).collect();
            Ok((w, Some(e.U().to_owned())))
        } else {
            Ok((a.eigenvalues().map_err(|_| ())?, None))
        }
    }
}

macro_rules! lin_dispatch {
    ($dt:expr, $T:ident => $body:expr) => {
        match $dt {
            DType::Float64 => {
                type $T = f64;
                $body
            }
            DType::Complex128 => {
                type $T = Complex64;
                $body
            }
            d => Err(Error::type_(format!("linalg kernels compute in float64/complex128, got {}", d.name()))),
        }
    };
}

fn linalg(msg: &str) -> Error {
    Error::LinAlg(msg.to_string())
}

/// A C-ordered stack of `count` matrices of `m × n`.
struct Stack<T> {
    data: Vec<T>,
    batch: Vec<usize>,
    count: usize,
    m: usize,
    n: usize,
}

impl<T: Scalar> Stack<T> {
    fn new(a: &Array) -> Result<Self> {
        oxnp_core::cpu::clear_avx_upper();
        let nd = a.ndim();
        if nd < 2 {
            return Err(linalg(&format!("{nd}-dimensional array given. Array must be at least two-dimensional")));
        }
        let shape = a.shape();
        let batch = shape[..nd - 2].to_vec();
        Ok(Stack { data: a.to_vec::<T>(), count: batch.iter().product(), batch, m: shape[nd - 2], n: shape[nd - 1] })
    }
    fn mat(&self, k: usize) -> MatRef<'_, T> {
        let len = self.m * self.n;
        MatRef::from_row_major_slice(&self.data[k * len..(k + 1) * len], self.m, self.n)
    }
    fn shape_with(&self, tail: &[usize]) -> Vec<usize> {
        let mut s = self.batch.clone();
        s.extend_from_slice(tail);
        s
    }
}

/// Matrices with fewer multiply-adds than this (m·n·min(m, n)) are factored by faer on one
/// thread. faer's rayon splits cost more than they save below it on our machines: two threads
/// took 730 µs for a 50×50 QR that one thread does in 125 µs, and solve/qr/eig still ran
/// faster on one thread at order 500.
const FAER_PARALLEL_WORK: usize = 250_000_000;

/// Sets faer's global thread choice (which its solvers read) for an m×n problem and holds it,
/// locked against other threads' kernels (the bindings release the GIL), until the guard drops;
/// then the previous choice comes back.
struct FaerThreads {
    previous: Par,
    _lock: std::sync::MutexGuard<'static, ()>,
}

static FAER_THREADS_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn faer_threads(m: usize, n: usize) -> FaerThreads {
    let lock = FAER_THREADS_LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let work = m.saturating_mul(n).saturating_mul(m.min(n));
    let previous = faer::get_global_parallelism();
    faer::set_global_parallelism(if work >= FAER_PARALLEL_WORK { Par::rayon(0) } else { Par::Seq });
    FaerThreads { previous, _lock: lock }
}

impl Drop for FaerThreads {
    fn drop(&mut self) {
        faer::set_global_parallelism(self.previous);
    }
}

/// Runs `f` on each matrix of a stack, in parallel over the stack when its matrices are small
/// (faer parallelises inside one big matrix itself), and concatenates the outputs in order.
fn map_stack<T: Send>(count: usize, n: usize, f: impl Fn(usize) -> Result<Vec<T>> + Sync + Send) -> Result<Vec<T>> {
    use rayon::prelude::*;
    let parts: Vec<Vec<T>> = if count >= 16 && n <= 64 {
        (0..count).into_par_iter().map(&f).collect::<Result<_>>()?
    } else {
        (0..count).map(&f).collect::<Result<_>>()?
    };
    Ok(parts.into_iter().flatten().collect())
}

/// Appends `m` to `out` row by row.
fn put<T: Scalar>(out: &mut Vec<T>, m: MatRef<'_, T>) {
    for i in 0..m.nrows() {
        for j in 0..m.ncols() {
            out.push(m[(i, j)]);
        }
    }
}

fn is_singular<T: Scalar>(u: MatRef<'_, T>) -> bool {
    (0..u.nrows().min(u.ncols())).any(|i| u[(i, i)].modulus() == 0.0)
}

fn nan<T: Scalar>() -> T {
    T::mk(f64::NAN, f64::NAN)
}

// ---- small matrices: a direct LU ---------------------------------------------------------

/// Square matrices up to this order are factored by [`SmallLu`] instead of faer: for them
/// faer's per-call set-up costs more than the arithmetic, which matters for big stacks of
/// tiny matrices (`solve` on `(10000, 3, 3)`).
const SMALL: usize = 16;

/// LU factorisation with partial pivoting (P·A = L·U) of one matrix of order n ≤ [`SMALL`],
/// kept column-major in a fixed array.
///
/// The operation order is that of OpenBLAS's unblocked `getf2`, which NumPy's `getrf` calls
/// reach for small orders, so the factors agree with NumPy's to the last bit in most cases:
/// the columns are finished left to right; column j is first brought up to date by dot
/// products with the finished columns (each accumulated from zero with fused multiply-adds,
/// then subtracted), its pivot is the first entry of largest `abs1`, and the multipliers
/// below it are scaled by the pivot's reciprocal (by division when the pivot is below the
/// smallest normal number, as LAPACK does). A zero pivot is recorded and skipped, as
/// `getrf` reports it in `info` and goes on.
///
/// `C` is the capacity (the largest order held) and `CC` = C², so tiny matrices do not pay
/// for setting up and moving a 16 × 16 array: see [`with_small_lu!`].
struct SmallLu<T, const C: usize, const CC: usize> {
    a: [T; CC],
    n: usize,
    /// Row i of the factors is row `perm[i]` of the input.
    perm: [usize; C],
    /// The permutation's parity (an odd number of row swaps).
    odd: bool,
    zero_pivot: bool,
}

/// `with_small_lu!(lu = src, n => body)`: factors the row-major `n × n` slice `src` (n ≤
/// [`SMALL`]) into `lu`, a [`SmallLu`] of the smallest capacity that holds it, and evaluates
/// `body`.
macro_rules! with_small_lu {
    ($lu:ident = $src:expr, $n:expr => $body:expr) => {{
        let (src, n) = ($src, $n);
        if n <= 4 {
            let $lu = SmallLu::<_, 4, 16>::new(src, n);
            $body
        } else {
            let $lu = SmallLu::<_, SMALL, { SMALL * SMALL }>::new(src, n);
            $body
        }
    }};
}

/// Whether this CPU has fused multiply-add instructions (otherwise `f64::mul_add` is a
/// library call, correct but slow).
fn have_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// [`SmallLu::factor`] compiled with FMA instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn factor_fma<T: Scalar, const C: usize, const CC: usize>(src: &[T], n: usize) -> SmallLu<T, C, CC> {
    SmallLu::factor(src, n)
}

/// [`SmallLu::solve_into`] compiled with FMA instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn solve_fma<T: Scalar, const C: usize, const CC: usize>(lu: &SmallLu<T, C, CC>, b: &[T], k: usize, out: &mut [T]) {
    lu.solve_body(b, k, out)
}

impl<T: Scalar, const C: usize, const CC: usize> SmallLu<T, C, CC> {
    /// Factors the row-major `n × n` matrix `src`.
    fn new(src: &[T], n: usize) -> Self {
        #[cfg(target_arch = "x86_64")]
        if have_fma() {
            // SAFETY: the CPU supports FMA (checked just above).
            return unsafe { factor_fma(src, n) };
        }
        Self::factor(src, n)
    }

    #[inline(always)]
    fn factor(src: &[T], n: usize) -> Self {
        debug_assert!(n <= C && CC == C * C && src.len() == n * n);
        let zero = T::mk(0.0, 0.0);
        let mut a = [zero; CC];
        for i in 0..n {
            for j in 0..n {
                a[i + j * n] = src[i * n + j];
            }
        }
        let mut perm = [0usize; C];
        for (i, p) in perm.iter_mut().enumerate() {
            *p = i;
        }
        let (mut odd, mut zero_pivot) = (false, false);
        for j in 0..n {
            let c = j * n;
            // Above the diagonal: the unit-lower solve against the finished columns; on and
            // below it: the update by the same columns.
            for i in 1..n {
                let kmax = i.min(j);
                let mut d = zero;
                for k in 0..kmax {
                    d = a[i + k * n].fma(a[k + c], d);
                }
                a[i + c] = a[i + c] - d;
            }
            let mut p = j;
            let mut best = a[j + c].abs1();
            for i in j + 1..n {
                let v = a[i + c].abs1();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            if p != j {
                for k in 0..n {
                    a.swap(j + k * n, p + k * n);
                }
                perm.swap(j, p);
                odd = !odd;
            }
            let piv = a[j + c];
            if piv.modulus() == 0.0 {
                zero_pivot = true;
                continue;
            }
            if piv.abs1() >= f64::MIN_POSITIVE {
                let r = T::mk(1.0, 0.0) / piv;
                for i in j + 1..n {
                    a[i + c] = a[i + c] * r;
                }
            } else {
                for i in j + 1..n {
                    a[i + c] = a[i + c] / piv;
                }
            }
        }
        SmallLu { a, n, perm, odd, zero_pivot }
    }

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> T {
        self.a[i + j * self.n]
    }

    /// Solves A·X = B for the row-major `n × k` right-hand sides `b`, into `out` (row-major),
    /// in the operation order of the OpenBLAS routines NumPy's `gesv` reaches:
    ///
    /// - one right-hand side (`trsv`): column-oriented substitutions, each solved entry
    ///   subtracted from the ones after it with fused multiply-adds, dividing by U's diagonal;
    /// - several (`trsm`): the rows go in blocks of 4, 2 and 1 (top down for L: the 4-blocks
    ///   first, then a 2- and a 1-block; bottom up for U: a 1-block, then a 2-block, then the
    ///   4-blocks). A block is first updated by the rows already solved through dot products
    ///   (accumulated from zero with fused multiply-adds, then subtracted, as the GEMM kernel
    ///   does), then solved inside with the column-oriented updates, multiplying by U's
    ///   reciprocal diagonal (the kernel's packed inverse).
    fn solve_into(&self, b: &[T], k: usize, out: &mut [T]) {
        #[cfg(target_arch = "x86_64")]
        if have_fma() {
            // SAFETY: the CPU supports FMA (checked just above).
            return unsafe { solve_fma(self, b, k, out) };
        }
        self.solve_body(b, k, out)
    }

    #[inline(always)]
    fn solve_body(&self, b: &[T], k: usize, out: &mut [T]) {
        let n = self.n;
        let zero = T::mk(0.0, 0.0);
        // (start, len) of the row blocks of the forward and the backward substitution.
        let mut fwd = [(0usize, 0usize); C];
        let mut bwd = [(0usize, 0usize); C];
        let (mut nf, mut nb) = (0, 0);
        if k == 1 {
            // trsv has no dot-product updates: the whole triangle is one block.
            fwd[0] = (0, n);
            bwd[0] = (0, n);
            nf = 1;
            nb = 1;
        } else {
            let mut s0 = 0;
            for _ in 0..n / 4 {
                fwd[nf] = (s0, 4);
                nf += 1;
                s0 += 4;
            }
            for l in [2, 1] {
                if n & l != 0 {
                    fwd[nf] = (s0, l);
                    nf += 1;
                    s0 += l;
                }
            }
            for l in [1, 2] {
                if n & l != 0 {
                    bwd[nb] = ((n & !(l - 1)) - l, l);
                    nb += 1;
                }
            }
            let mut pos = n & !3;
            while pos >= 4 {
                pos -= 4;
                bwd[nb] = (pos, 4);
                nb += 1;
            }
        }
        // All right-hand sides advance together, row by row of `out` (so the inner loops run
        // along the k columns and vectorise); each column still sees the operations above in
        // the same order.
        for i in 0..n {
            let p = self.perm[i];
            out[i * k..(i + 1) * k].copy_from_slice(&b[p * k..(p + 1) * k]);
        }
        const W: usize = 16;
        let mut acc = [zero; W];
        for &(s0, l) in &fwd[..nf] {
            let e = s0 + l;
            if s0 > 0 {
                for r in s0..e {
                    let (done, rest) = out.split_at_mut(r * k);
                    for c0 in (0..k).step_by(W) {
                        let w = W.min(k - c0);
                        let d = &mut acc[..w];
                        d.fill(zero);
                        for q in 0..s0 {
                            let a = self.at(r, q);
                            for (dc, &yq) in d.iter_mut().zip(&done[q * k + c0..q * k + c0 + w]) {
                                *dc = a.fma(yq, *dc);
                            }
                        }
                        for (yr, &dc) in rest[c0..c0 + w].iter_mut().zip(d.iter()) {
                            *yr = *yr - dc;
                        }
                    }
                }
            }
            for i in s0..e {
                for r in i + 1..e {
                    let a = self.at(r, i);
                    let (lo, hi) = out.split_at_mut(r * k);
                    for (yr, &yi) in hi[..k].iter_mut().zip(&lo[i * k..(i + 1) * k]) {
                        *yr = (-yi).fma(a, *yr);
                    }
                }
            }
        }
        for &(s0, l) in &bwd[..nb] {
            let e = s0 + l;
            if e < n {
                for r in s0..e {
                    // rows after r: the solved rows e..n sit in `after` from row e on
                    let (head, after) = out.split_at_mut((r + 1) * k);
                    let yr = &mut head[r * k..];
                    for c0 in (0..k).step_by(W) {
                        let w = W.min(k - c0);
                        let d = &mut acc[..w];
                        d.fill(zero);
                        for q in e..n {
                            let a = self.at(r, q);
                            let off = (q - r - 1) * k + c0;
                            for (dc, &yq) in d.iter_mut().zip(&after[off..off + w]) {
                                *dc = a.fma(yq, *dc);
                            }
                        }
                        for (yv, &dc) in yr[c0..c0 + w].iter_mut().zip(d.iter()) {
                            *yv = *yv - dc;
                        }
                    }
                }
            }
            for i in (s0..e).rev() {
                let u = self.at(i, i);
                let (lo, hi) = out.split_at_mut(i * k);
                let yi = &mut hi[..k];
                if k == 1 {
                    yi[0] = yi[0] / u;
                } else {
                    let ru = T::mk(1.0, 0.0) / u;
                    for v in yi.iter_mut() {
                        *v = *v * ru;
                    }
                }
                for r in s0..i {
                    let a = self.at(r, i);
                    for (yr, &xi) in lo[r * k..(r + 1) * k].iter_mut().zip(yi.iter()) {
                        *yr = (-xi).fma(a, *yr);
                    }
                }
            }
        }
    }

    /// (sign, log|det|) from the factors, as [`slogdet_one`] computes them.
    fn slogdet(&self) -> (T, f64) {
        if self.zero_pivot {
            return (T::mk(0.0, 0.0), f64::NEG_INFINITY);
        }
        sign_logdet(self.odd, (0..self.n).map(|i| self.at(i, i)))
    }
}

/// Runs `f(k, out_chunk)` for each matrix `k` of a stack whose outputs are `chunk` elements
/// each, writing straight into one output vector; in parallel for big stacks.
fn for_each_out<T: Scalar + Send + Sync>(
    count: usize,
    chunk: usize,
    work: usize,
    f: impl Fn(usize, &mut [T]) -> Result<()> + Sync + Send,
) -> Result<Vec<T>> {
    use rayon::prelude::*;
    let mut out = vec![T::mk(0.0, 0.0); count * chunk];
    if chunk == 0 {
        return Ok(out);
    }
    if count >= 64 && count * work >= 1 << 14 {
        out.par_chunks_mut(chunk).enumerate().try_for_each(|(k, o)| f(k, o))?;
    } else {
        for (k, o) in out.chunks_mut(chunk).enumerate() {
            f(k, o)?;
        }
    }
    Ok(out)
}

/// `solve(a, b)`: `a` is `(..., n, n)`, `b` is `(..., n, k)` with the same leading shape.
pub fn solve(a: &Array, b: &Array) -> Result<Array> {
    lin_dispatch!(a.dtype(), T => solve_t::<T>(a, b))
}

fn solve_t<T: Scalar>(a: &Array, b: &Array) -> Result<Array> {
    let sa = Stack::<T>::new(a)?;
    let _threads = faer_threads(sa.m, sa.n);
    let sb = Stack::<T>::new(b)?;
    if sa.n == 0 || sb.n == 0 {
        return Array::from_vec(b.shape(), vec![T::mk(0.0, 0.0); sb.data.len()]);
    }
    if sa.n <= SMALL {
        let (n, k) = (sa.n, sb.n);
        let out = for_each_out(sa.count, n * k, n * n * (n + k), |b, o| {
            with_small_lu!(lu = &sa.data[b * n * n..(b + 1) * n * n], n => {
                if lu.zero_pivot {
                    return Err(linalg("Singular matrix"));
                }
                lu.solve_into(&sb.data[b * n * k..(b + 1) * n * k], k, o);
                Ok(())
            })
        })?;
        return Array::from_vec(b.shape(), out);
    }
    let out = map_stack(sa.count, sa.n, |k| {
        let lu = sa.mat(k).partial_piv_lu();
        if is_singular(lu.U()) {
            return Err(linalg("Singular matrix"));
        }
        let mut v = Vec::with_capacity(sb.m * sb.n);
        put(&mut v, lu.solve(sb.mat(k)).as_ref());
        Ok(v)
    })?;
    Array::from_vec(b.shape(), out)
}

/// `inv(a)`; with `raise_singular` false a singular matrix gives NaNs (NumPy's
/// `_umath_linalg.inv` under `errstate(all='ignore')`, as `cond` calls it).
pub fn inv(a: &Array, raise_singular: bool) -> Result<Array> {
    lin_dispatch!(a.dtype(), T => inv_t::<T>(a, raise_singular))
}

fn inv_t<T: Scalar>(a: &Array, raise_singular: bool) -> Result<Array> {
    let s = Stack::<T>::new(a)?;
    let _threads = faer_threads(s.m, s.n);
    let n = s.n;
    if n == 0 {
        return Array::from_vec(a.shape(), Vec::<T>::new());
    }
    if n <= SMALL {
        let mut eye = [T::mk(0.0, 0.0); SMALL * SMALL];
        for i in 0..n {
            eye[i * n + i] = T::mk(1.0, 0.0);
        }
        let out = for_each_out(s.count, n * n, 2 * n * n * n, |b, o| {
            with_small_lu!(lu = &s.data[b * n * n..(b + 1) * n * n], n => {
                if lu.zero_pivot {
                    if raise_singular {
                        return Err(linalg("Singular matrix"));
                    }
                    o.fill(nan::<T>());
                    return Ok(());
                }
                lu.solve_into(&eye[..n * n], n, o);
                Ok(())
            })
        })?;
        return Array::from_vec(a.shape(), out);
    }
    let out = map_stack(s.count, n, |k| {
        let lu = s.mat(k).partial_piv_lu();
        if is_singular(lu.U()) {
            if raise_singular {
                return Err(linalg("Singular matrix"));
            }
            return Ok(vec![nan::<T>(); n * n]);
        }
        // LU solve against the identity (as LAPACK's gesv in NumPy's inv).
        let mut v = Vec::with_capacity(n * n);
        put(&mut v, lu.solve(Mat::<T>::identity(n, n)).as_ref());
        Ok(v)
    })?;
    Array::from_vec(a.shape(), out)
}

/// Sign and log|det| of one matrix from its LU factorisation, as NumPy's
/// `slogdet_single_element` (an exactly zero pivot gives sign 0 and log|det| = -inf).
fn slogdet_one<T: Scalar>(a: MatRef<'_, T>) -> (T, f64) {
    let n = a.nrows();
    if n == 0 {
        return (T::mk(1.0, 0.0), 0.0);
    }
    let lu = a.partial_piv_lu();
    let u = lu.U();
    if is_singular(u) {
        return (T::mk(0.0, 0.0), f64::NEG_INFINITY);
    }
    // Parity of the row permutation: n minus its number of cycles.
    let (fwd, _) = lu.P().arrays();
    let mut seen = vec![false; n];
    let mut transpositions = 0usize;
    for start in 0..n {
        if seen[start] {
            continue;
        }
        let mut len = 0;
        let mut i = start;
        while !seen[i] {
            seen[i] = true;
            i = fwd[i];
            len += 1;
        }
        transpositions += len - 1;
    }
    sign_logdet(transpositions % 2 == 1, (0..n).map(|i| u[(i, i)]))
}

/// NumPy's `slogdet_from_factored_diagonal`: the sign (a unit complex number for a complex
/// type) and the sum of log|u_ii| over the non-zero diagonal of U, starting from the row
/// permutation's sign.
fn sign_logdet<T: Scalar>(odd: bool, diag: impl Iterator<Item = T>) -> (T, f64) {
    let mut sign = T::mk(if odd { -1.0 } else { 1.0 }, 0.0);
    let mut logdet = 0.0;
    for d in diag {
        let ad = d.modulus();
        if T::CPLX {
            sign = sign * T::mk(d.re() / ad, d.im() / ad);
        } else if d.re() < 0.0 {
            sign = -sign;
        }
        logdet += ad.ln();
    }
    (sign, logdet)
}

/// `slogdet(a)`: (sign, logabsdet), each of the batch shape; sign has the input's dtype.
pub fn slogdet(a: &Array) -> Result<(Array, Array)> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let pairs = if (1..=SMALL).contains(&s.n) {
            let nn = s.n * s.n;
            (0..s.count).map(|k| with_small_lu!(lu = &s.data[k * nn..(k + 1) * nn], s.n => lu.slogdet())).collect()
        } else {
            map_stack(s.count, s.n, |k| Ok(vec![slogdet_one(s.mat(k))]))?
        };
        let (signs, logs): (Vec<T>, Vec<f64>) = pairs.into_iter().unzip();
        Ok((Array::from_vec(&s.batch, signs)?, Array::from_vec(&s.batch, logs)?))
    })
}

/// `det(a)` = sign · exp(logabsdet), as NumPy computes it.
pub fn det(a: &Array) -> Result<Array> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let dets: Vec<T> = if (1..=SMALL).contains(&s.n) {
            let nn = s.n * s.n;
            for_each_out(s.count, 1, nn * s.n, |k, o| {
                let (sign, logdet) = with_small_lu!(lu = &s.data[k * nn..(k + 1) * nn], s.n => lu.slogdet());
                o[0] = sign * T::mk(logdet.exp(), 0.0);
                Ok(())
            })?
        } else {
            map_stack(s.count, s.n, |k| {
                let (sign, logdet) = slogdet_one(s.mat(k));
                Ok(vec![sign * T::mk(logdet.exp(), 0.0)])
            })?
        };
        Array::from_vec(&s.batch, dets)
    })
}

/// Scales each eigenvector to unit 2-norm with its largest component real (LAPACK geev's
/// normalisation). Real eigenvectors of a real matrix keep their sign, as dgeev does.
fn normalize_eigvecs(v: &mut Mat<Complex64>, complex_input: bool) {
    let n = v.nrows();
    for j in 0..v.ncols() {
        let norm = (0..n).map(|i| v[(i, j)].norm_sqr()).sum::<f64>().sqrt();
        let is_real = (0..n).all(|i| v[(i, j)].im == 0.0);
        let mut factor = Complex64::new(if norm > 0.0 { 1.0 / norm } else { 1.0 }, 0.0);
        if complex_input || !is_real {
            let mut best = 0;
            let mut best_abs = -1.0;
            for i in 0..n {
                let a = v[(i, j)].norm_sqr();
                if a > best_abs {
                    best_abs = a;
                    best = i;
                }
            }
            if best_abs > 0.0 {
                factor *= v[(best, j)].conj() / best_abs.sqrt();
            }
        }
        for i in 0..n {
            v[(i, j)] *= factor;
        }
        if complex_input || !is_real {
            // The largest component is real by construction; drop the rounding residue.
            let mut best = 0;
            let mut best_abs = -1.0;
            for i in 0..n {
                let a = v[(i, j)].norm_sqr();
                if a > best_abs {
                    best_abs = a;
                    best = i;
                }
            }
            v[(best, j)].im = 0.0;
        }
    }
}

/// The permutation half of LAPACK's balancing (`?gebal`, which `?geev` runs first): a
/// symmetric permutation that moves rows isolating an eigenvalue (no off-diagonal entry in
/// the leading block) to the bottom and then columns isolating one (no off-diagonal entry in
/// the remaining rows) to the top. The permuted matrix is block upper triangular with
/// triangular outer blocks, so those eigenvalues are its diagonal entries, exactly, and the
/// eigensolver's Hessenberg reduction and QR iteration only ever mix the middle block. Without
/// it a real double eigenvalue that LAPACK returns exactly (say `[[4,0,1],[2,3,2],[-1,0,2]]`)
/// comes back as a complex pair `3 ± 2e-8i`.
///
/// Returns `p` with `permuted[i][j] = a[p[i]][p[j]]`; the search order (rows from the bottom
/// up, continuing past each isolation; then columns from the top down) is LAPACK's, so the
/// eigenvalues come out in NumPy's order.
fn balance_permutation<T: Scalar>(a: &mut Mat<T>) -> Vec<usize> {
    let n = a.nrows();
    let mut p: Vec<usize> = (0..n).collect();
    let nonzero = |a: &Mat<T>, i: usize, j: usize| a[(i, j)].re() != 0.0 || a[(i, j)].im() != 0.0;
    let swap = |a: &mut Mat<T>, p: &mut Vec<usize>, i: usize, j: usize| {
        if i != j {
            for r in 0..n {
                let t = a[(r, i)];
                a[(r, i)] = a[(r, j)];
                a[(r, j)] = t;
            }
            for c in 0..n {
                let t = a[(i, c)];
                a[(i, c)] = a[(j, c)];
                a[(j, c)] = t;
            }
            p.swap(i, j);
        }
    };
    if n == 0 {
        return p;
    }
    // Rows: the active block is 0..=last.
    let mut last = n - 1;
    'rows: loop {
        let mut changed = false;
        let mut i = last as isize;
        while i >= 0 {
            let r = i as usize;
            if (0..=last).all(|j| j == r || !nonzero(a, r, j)) {
                swap(a, &mut p, r, last);
                changed = true;
                if last == 0 {
                    return p;
                }
                last -= 1;
            }
            i -= 1;
        }
        if !changed {
            break 'rows;
        }
    }
    // Columns: the active block is first..=last.
    let mut first = 0;
    loop {
        let mut changed = false;
        let mut j = first;
        while j <= last {
            if (first..=last).all(|i| i == j || !nonzero(a, i, j)) {
                swap(a, &mut p, j, first);
                changed = true;
                first += 1;
            }
            j += 1;
        }
        if !changed || first > last {
            break;
        }
    }
    p
}

/// `dgeev`'s packed real eigenvector matrix as complex columns, appended row-major: a complex
/// pair (j, j+1) (wi[j] > 0) is vr[:, j] ± i·vr[:, j+1].
fn push_geev_vectors(vs: &mut Vec<Complex64>, vr: &Cm, wi: &[f64]) {
    let n = vr.rows;
    let mut cols = vec![Complex64::new(0.0, 0.0); n * n];
    let mut j = 0;
    while j < n {
        if wi[j] == 0.0 || j + 1 == n {
            for i in 0..n {
                cols[j * n + i] = Complex64::new(vr.get(i, j), 0.0);
            }
            j += 1;
        } else {
            for i in 0..n {
                let (re, im) = (vr.get(i, j), vr.get(i, j + 1));
                cols[j * n + i] = Complex64::new(re, im);
                cols[(j + 1) * n + i] = Complex64::new(re, -im);
            }
            j += 2;
        }
    }
    for i in 0..n {
        for j in 0..n {
            vs.push(cols[j * n + i]);
        }
    }
}

/// `eig(a)`: complex128 eigenvalues `(..., n)` and, when `vectors`, eigenvectors `(..., n, n)`.
pub fn eig(a: &Array, vectors: bool) -> Result<(Array, Option<Array>)> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let n = s.n;
        let mut ws = Vec::with_capacity(s.count * n);
        let mut vs = Vec::with_capacity(if vectors { s.count * n * n } else { 0 });
        for k in 0..s.count {
            if n == 0 {
                break;
            }
            if n == 2 && !T::CPLX {
                // A real 2 × 2 that balancing cannot triangularise: LAPACK's own steps, so a
                // (nearly) defective matrix comes out as a real or a complex pair as in NumPy.
                let a = s.mat(k);
                let e = [[a[(0, 0)].re(), a[(0, 1)].re()], [a[(1, 0)].re(), a[(1, 1)].re()]];
                if e[0][1] != 0.0 && e[1][0] != 0.0 && e.iter().flatten().all(|x| x.is_finite()) {
                    let (w, v) = lapack_small::eig_general2(e);
                    ws.extend(w.iter().map(|&(re, im)| Complex64::new(re, im)));
                    if vectors {
                        for row in 0..2 {
                            for col in &v {
                                vs.push(Complex64::new(col[row].0, col[row].1));
                            }
                        }
                    }
                    continue;
                }
            }
            if n != 2 && !T::CPLX {
                // A small real matrix: LAPACK's dgeev steps (NumPy's order, signs, and real or
                // complex outcome for a nearly defective matrix).
                let a = s.mat(k);
                let c = Cm::from_fn(n, n, |i, j| a[(i, j)].re());
                if c.v.iter().all(|x| x.is_finite()) {
                    if let Some(r) = lapack_geev::geev(&c, vectors) {
                        let (wr, wi, vr) = r.map_err(|_| linalg("Eigenvalues did not converge"))?;
                        ws.extend(wr.iter().zip(&wi).map(|(&re, &im)| Complex64::new(re, im)));
                        if let Some(vr) = vr {
                            push_geev_vectors(&mut vs, &vr, &wi);
                        }
                        continue;
                    }
                }
            }
            let mut m = s.mat(k).to_owned();
            let p = balance_permutation(&mut m);
            let (w, v) = T::eig_mat(m.as_ref(), vectors).map_err(|_| linalg("Eigenvalues did not converge"))?;
            ws.extend(w);
            if let Some(v) = v {
                // Row i of the permuted problem's vectors is row p[i] of the input's.
                let mut v = {
                    let mut u = Mat::<Complex64>::zeros(n, n);
                    for i in 0..n {
                        for j in 0..n {
                            u[(p[i], j)] = v[(i, j)];
                        }
                    }
                    u
                };
                normalize_eigvecs(&mut v, T::CPLX);
                put(&mut vs, v.as_ref());
            }
        }
        let w = Array::from_vec(&s.shape_with(&[n]), ws)?;
        let v = if vectors { Some(Array::from_vec(&s.shape_with(&[n, n]), vs)?) } else { None };
        Ok((w, v))
    })
}

/// The Hermitian matrix that LAPACK's `?heevd`/`?potrf` see: one triangle mirrored, the
/// diagonal's imaginary part ignored.
fn hermitian_from<T: Scalar>(a: MatRef<'_, T>, lower: bool) -> Mat<T> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
        if i == j {
            T::mk(a[(i, i)].re(), 0.0)
        } else if (i > j) == lower {
            a[(i, j)]
        } else {
            a[(j, i)].cj()
        }
    })
}

/// Eigen-decomposition of one Hermitian matrix: ascending real eigenvalues, vectors in columns.
fn eigh_one<T: Scalar>(a: MatRef<'_, T>, lower: bool, vectors: bool, reach: usize) -> Result<(Vec<f64>, Option<Mat<T>>)> {
    if let Some(r) = eigh_lapack(a, lower, vectors, reach) {
        return r;
    }
    let h = hermitian_from(a, lower);
    let err = |_| linalg("Eigenvalues did not converge");
    if vectors {
        let e = h.self_adjoint_eigen(Side::Lower).map_err(err)?;
        let w = (0..h.nrows()).map(|i| e.S()[i].re()).collect();
        Ok((w, Some(e.U().to_owned())))
    } else {
        Ok((h.self_adjoint_eigenvalues(Side::Lower).map_err(err)?, None))
    }
}

/// `eigh(a, UPLO)`: float64 eigenvalues `(..., n)` ascending and, when `vectors`, the
/// eigenvectors `(..., n, n)` in the input's dtype.
pub fn eigh(a: &Array, lower: bool, vectors: bool, reach: usize) -> Result<(Array, Option<Array>)> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let n = s.n;
        let mut ws = Vec::with_capacity(s.count * n);
        let mut vs: Vec<T> = Vec::new();
        for k in 0..s.count {
            if n == 0 {
                break;
            }
            let (w, v) = eigh_one(s.mat(k), lower, vectors, reach)?;
            ws.extend(w);
            if let Some(v) = v {
                put(&mut vs, v.as_ref());
            }
        }
        let w = Array::from_vec(&s.shape_with(&[n]), ws)?;
        let v = if vectors { Some(Array::from_vec(&s.shape_with(&[n, n]), vs)?) } else { None };
        Ok((w, v))
    })
}

/// What `svd` computes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SvdVectors {
    None,
    Thin,
    Full,
}

type SvdOut<T> = (Option<Mat<T>>, Vec<f64>, Option<Mat<T>>);

/// The real matrix `a` column-major, when `T` is real, `a` is finite and its order is within
/// the LAPACK-faithful kernels' range (`limit` on min(m, n)).
fn small_real<T: Scalar>(a: MatRef<'_, T>, limit: usize) -> Option<Cm> {
    let (m, n) = (a.nrows(), a.ncols());
    if T::CPLX || m.min(n) == 0 || m.min(n) > limit {
        return None;
    }
    let c = Cm::from_fn(m, n, |i, j| a[(i, j)].re());
    c.v.iter().all(|x| x.is_finite()).then_some(c)
}

/// A column-major real matrix as a faer matrix of `T`.
fn from_cm<T: Scalar>(c: &Cm, rows: usize, cols: usize) -> Mat<T> {
    Mat::from_fn(rows, cols, |i, j| T::mk(c.get(i, j), 0.0))
}

/// `eigh` of a small real symmetric matrix along LAPACK's `dsyevd` (NumPy's eigenvector signs).
/// `reach`: the largest order taken along `dsyevd`'s blocked steps (capped by the model's own,
/// `lapack_sytrd::SYEVD_BITWISE_MAX`).
fn eigh_lapack<T: Scalar>(a: MatRef<'_, T>, lower: bool, vectors: bool, reach: usize) -> Option<Result<(Vec<f64>, Option<Mat<T>>)>> {
    if a.nrows() != a.ncols() {
        return None;
    }
    if T::CPLX {
        // zheevd's steps: NumPy's eigenvector phases.
        let n = a.nrows();
        let z: Vec<Complex64> = (0..n * n).map(|k| Complex64::new(a[(k % n, k / n)].re(), a[(k % n, k / n)].im())).collect();
        let r = crate::lapack_cplx::heevd(&z, n, lower, vectors)?;
        return Some(match r {
            Ok((w, v)) => Ok((w, v.map(|v| Mat::from_fn(n, n, |i, j| T::mk(v[i + j * n].re, v[i + j * n].im))))),
            Err(_) => Err(linalg("Eigenvalues did not converge")),
        });
    }
    let reach = reach.min(crate::lapack_sytrd::SYEVD_BITWISE_MAX);
    let values_reach = match (vectors, lower) {
        (true, _) => 0,
        (false, true) => reach,
        (false, false) => lapack_small::EIGH_MAX,
    };
    let c = small_real(a, lapack_small::EIGH_UNBLOCKED_MAX.max(reach).max(values_reach))?;
    let n = c.rows;
    let r = if n <= values_reach {
        // dsyevd('N'): dsytrd, dsterf
        crate::lapack_sterf::syevd_values(&c, lower, crate::gemm_skx::blas_threads())?.map(|w| (w, None))
    } else if n <= lapack_small::EIGH_MAX {
        lapack_small::eigh(&c, lower, vectors)?
    } else if vectors && lower && n <= reach {
        // blocked dsytrd, dstedc, blocked dormtr: NumPy's bits
        crate::lapack_sytrd::syevd_lower(&c).map(|(w, z)| (w, Some(z)))
    } else if vectors && n <= lapack_small::EIGH_UNBLOCKED_MAX {
        lapack_small::eigh_unblocked(&c, lower, vectors)?
    } else {
        return None;
    };
    Some(match r {
        Ok((w, z)) => Ok((w, z.map(|z| from_cm(&z, n, n)))),
        Err(_) => Err(linalg("Eigenvalues did not converge")),
    })
}

/// Largest min(m, n) for which `svd` with vectors follows `dgesdd` (NumPy's bits) unless asked
/// for more: beyond it the exact path takes about twice NumPy's time, faer about 1.3×.
pub const SVD_EXACT_DEFAULT: usize = 384;

/// SVD of a small real matrix along LAPACK's `dgesdd` (NumPy's singular-vector signs), for
/// min(m, n) up to `reach` (and the model's own reach, `lapack_small::DC_SVD`).
fn svd_lapack<T: Scalar>(a: MatRef<'_, T>, mode: SvdVectors, reach: usize) -> Option<Result<SvdOut<T>>> {
    if T::CPLX {
        // zgesdd's steps: NumPy's singular-vector phases.
        let (m, n) = (a.nrows(), a.ncols());
        let k = m.min(n);
        let z: Vec<Complex64> = (0..m * n).map(|q| Complex64::new(a[(q % m, q / m)].re(), a[(q % m, q / m)].im())).collect();
        let r = crate::lapack_cplx::gesdd(&z, m, n, mode != SvdVectors::None, mode == SvdVectors::Full)?;
        return Some(match r {
            Err(_) => Err(linalg("SVD did not converge")),
            Ok((u, s, vt)) => {
                let (uc, vr) = if mode == SvdVectors::Full { (m, n) } else { (k, k) };
                let u = u.map(|u| Mat::from_fn(m, uc, |i, j| T::mk(u[i + j * m].re, u[i + j * m].im)));
                let vt = vt.map(|vt| Mat::from_fn(vr, n, |i, j| T::mk(vt[i + j * n].re, vt[i + j * n].im)));
                Ok((u, s, vt))
            }
        });
    }
    if mode == SvdVectors::None {
        // dgesdd(JOBZ = 'N'): dgebrd, then dqds.
        let c = small_real(a, crate::lapack_dqds::SVDVALS_MAX)?;
        return Some(crate::lapack_dqds::svd_values(&c)?.map(|s| (None, s, None)).map_err(|_| linalg("SVD did not converge")));
    }
    let c = small_real(a, reach.min(lapack_small::DC_SVD))?;
    let (m, n) = (c.rows, c.cols);
    let k = m.min(n);
    let r = lapack_small::svd_jobz(&c, mode != SvdVectors::None, mode == SvdVectors::Full)?;
    Some(match r {
        Err(_) => Err(linalg("SVD did not converge")),
        Ok((u, s, vt)) => {
            let (uc, vr) = if mode == SvdVectors::Full { (m, n) } else { (k, k) };
            Ok((u.map(|u| from_cm(&u, m, uc)), s, vt.map(|vt| from_cm(&vt, vr, n))))
        }
    })
}

/// SVD of one matrix: (U, s descending, Vᴴ).
fn svd_one<T: Scalar>(a: MatRef<'_, T>, mode: SvdVectors, reach: usize) -> Result<SvdOut<T>> {
    if let Some(r) = svd_lapack(a, mode, reach) {
        return r;
    }
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    let err = |_| linalg("SVD did not converge");
    if k == 0 {
        let (um, vn) = if mode == SvdVectors::Full { (m, n) } else { (k, k) };
        return Ok(match mode {
            SvdVectors::None => (None, vec![], None),
            _ => (Some(Mat::identity(m, um)), vec![], Some(Mat::identity(vn, n))),
        });
    }
    match mode {
        SvdVectors::None => Ok((None, a.singular_values().map_err(err)?, None)),
        _ => {
            let svd = if mode == SvdVectors::Full { a.svd() } else { a.thin_svd() }.map_err(err)?;
            let s = (0..k).map(|i| svd.S()[i].re()).collect();
            Ok((Some(svd.U().to_owned()), s, Some(svd.V().adjoint().to_owned())))
        }
    }
}

/// SVD of a Hermitian matrix from its eigen-decomposition, as NumPy's `svd(hermitian=True)`:
/// s = |w| sorted descending (the reverse of a stable ascending sort), U the matching
/// eigenvectors, Vᴴ = (U·copysign(1, w))ᴴ.
fn svd_hermitian_one<T: Scalar>(a: MatRef<'_, T>, vectors: bool) -> Result<SvdOut<T>> {
    let n = a.nrows();
    let (w, v) = eigh_one(a, true, vectors, crate::lapack_sytrd::SYEVD_MAX)?;
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&i, &j| w[i].abs().total_cmp(&w[j].abs()));
    idx.reverse();
    let s = idx.iter().map(|&i| w[i].abs()).collect();
    match v {
        None => Ok((None, s, None)),
        Some(v) => {
            let u = Mat::from_fn(n, n, |r, c| v[(r, idx[c])]);
            let vh = Mat::from_fn(n, n, |r, c| {
                let wi = w[idx[r]];
                let sg = if wi.is_sign_negative() { -1.0 } else { 1.0 };
                v[(c, idx[r])].scale(sg).cj()
            });
            Ok((Some(u), s, Some(vh)))
        }
    }
}

/// `svd(a)`: (U, s, Vᴴ) over the stack; U and Vᴴ only when vectors are asked for.
pub fn svd(a: &Array, mode: SvdVectors, hermitian: bool, reach: usize) -> Result<(Option<Array>, Array, Option<Array>)> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let (m, n) = (s.m, s.n);
        if hermitian && m != n {
            return Err(linalg("Last 2 dimensions of the array must be square"));
        }
        let k = m.min(n);
        let (uc, vr) = if mode == SvdVectors::Full { (m, n) } else { (k, k) };
        let mut us = Vec::new();
        let mut ss = Vec::with_capacity(s.count * k);
        let mut vs = Vec::new();
        for b in 0..s.count {
            let (u, sv, vh) = if hermitian {
                svd_hermitian_one(s.mat(b), mode != SvdVectors::None)?
            } else {
                svd_one(s.mat(b), mode, reach)?
            };
            ss.extend(sv);
            if let (Some(u), Some(vh)) = (u, vh) {
                put(&mut us, u.as_ref());
                put(&mut vs, vh.as_ref());
            }
        }
        let sa = Array::from_vec(&s.shape_with(&[k]), ss)?;
        if mode == SvdVectors::None {
            return Ok((None, sa, None));
        }
        Ok((
            Some(Array::from_vec(&s.shape_with(&[m, uc]), us)?),
            sa,
            Some(Array::from_vec(&s.shape_with(&[vr, n]), vs)?),
        ))
    })
}

/// LAPACK's `?larfg` on `x` (x[0] is alpha): returns tau and leaves beta in x[0] and the
/// reflector's essential part in x[1..].
fn larfg<T: Scalar>(x: &mut [T]) -> T {
    let alpha = x[0];
    let xnorm = x[1..].iter().map(|v| v.re() * v.re() + v.im() * v.im()).sum::<f64>().sqrt();
    let (ar, ai) = (alpha.re(), alpha.im());
    if xnorm == 0.0 && ai == 0.0 {
        return T::mk(0.0, 0.0);
    }
    let norm = ar.hypot(ai).hypot(xnorm);
    let beta = if ar >= 0.0 { -norm } else { norm };
    let tau = T::mk((beta - ar) / beta, -ai / beta);
    let scal = T::mk(1.0, 0.0) / (alpha - T::mk(beta, 0.0));
    for v in &mut x[1..] {
        *v = *v * scal;
    }
    x[0] = T::mk(beta, 0.0);
    tau
}

/// Unblocked Householder QR in LAPACK's convention (`?geqr2`) on a column-major `m × n`
/// work array; returns tau.
fn geqr2<T: Scalar>(a: &mut [T], m: usize, n: usize) -> Vec<T> {
    let k = m.min(n);
    let mut tau = Vec::with_capacity(k);
    for i in 0..k {
        let t = larfg(&mut a[i * m + i..(i + 1) * m]);
        tau.push(t);
        let beta = a[i * m + i];
        a[i * m + i] = T::mk(1.0, 0.0);
        let tc = t.cj();
        for j in i + 1..n {
            let mut w = T::mk(0.0, 0.0);
            for r in i..m {
                w = w + a[i * m + r].cj() * a[j * m + r];
            }
            let f = tc * w;
            for r in i..m {
                a[j * m + r] = a[j * m + r] - a[i * m + r] * f;
            }
        }
        a[i * m + i] = beta;
    }
    tau
}

/// Q (`m × cols`) = H(0)…H(k-1) applied to the first `cols` columns of the identity.
fn form_q<T: Scalar>(h: &[T], tau: &[T], m: usize, cols: usize) -> Mat<T> {
    let mut q = Mat::<T>::identity(m, cols);
    for i in (0..tau.len()).rev() {
        let t = tau[i];
        let v = |r: usize| if r == i { T::mk(1.0, 0.0) } else { h[i * m + r] };
        for j in 0..cols {
            let mut w = T::mk(0.0, 0.0);
            for r in i..m {
                w = w + v(r).cj() * q[(r, j)];
            }
            if w.modulus() == 0.0 {
                continue;
            }
            let f = t * w;
            for r in i..m {
                q[(r, j)] = q[(r, j)] - v(r) * f;
            }
        }
    }
    q
}

/// The modes of `qr`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QrMode {
    Reduced,
    Complete,
    R,
    Raw,
}

/// `qr(a, mode)`: (Q, R) for reduced/complete, (R, None) for 'r', (h, tau) for 'raw'
/// (h is LAPACK's geqrf output transposed, `(..., n, m)`).
pub fn qr(a: &Array, mode: QrMode) -> Result<(Array, Option<Array>)> {
    lin_dispatch!(a.dtype(), T => qr_t::<T>(a, mode))
}

fn qr_t<T: Scalar>(a: &Array, mode: QrMode) -> Result<(Array, Option<Array>)> {
    let s = Stack::<T>::new(a)?;
    let _threads = faer_threads(s.m, s.n);
    let (m, n) = (s.m, s.n);
    let k = m.min(n);
    let (qc, rr) = if mode == QrMode::Complete { (m, m) } else { (k, k) };
    let mut first = Vec::new();
    let mut second = Vec::new();
    // faer's blocked QR uses LAPACK's sign convention for real matrices; complex ones and the
    // raw factors come from the unblocked LAPACK-convention code so R's diagonal is real.
    let use_faer = !T::CPLX && mode != QrMode::Raw && k > 0;
    for b in 0..s.count {
        let am = s.mat(b);
        let faer_qr = if use_faer { Some(am.qr()) } else { None };
        // faer passes over columns it finds (nearly) dependent where LAPACK still reflects;
        // there the unblocked LAPACK-convention code below gives NumPy's factors.
        let faer_qr = faer_qr.filter(|f| {
            let r = f.R();
            let big = (0..k).fold(0.0f64, |acc, i| acc.max(r[(i, i)].modulus()));
            (0..k).all(|i| r[(i, i)].modulus() > 8.0 * f64::EPSILON * big * (m.max(n) as f64))
        });
        if let Some(f) = faer_qr {
            let r = f.R();
            let r_out = Mat::from_fn(rr, n, |i, j| if i <= j && i < m { r[(i, j)] } else { T::mk(0.0, 0.0) });
            match mode {
                QrMode::R => put(&mut first, r_out.as_ref()),
                _ => {
                    let q = if mode == QrMode::Complete { f.compute_Q() } else { f.compute_thin_Q() };
                    put(&mut first, q.as_ref());
                    put(&mut second, r_out.as_ref());
                }
            }
            continue;
        }
        // Column-major work copy.
        let mut h: Vec<T> = Vec::with_capacity(m * n);
        for j in 0..n {
            for i in 0..m {
                h.push(am[(i, j)]);
            }
        }
        let tau = geqr2(&mut h, m, n);
        if mode == QrMode::Raw {
            // The column-major h read as row-major is its transpose (n × m).
            first.extend_from_slice(&h);
            second.extend_from_slice(&tau);
            continue;
        }
        let r_out = Mat::from_fn(rr, n, |i, j| if i <= j && i < m { h[j * m + i] } else { T::mk(0.0, 0.0) });
        if mode == QrMode::R {
            put(&mut first, r_out.as_ref());
        } else {
            put(&mut first, form_q(&h, &tau, m, qc).as_ref());
            put(&mut second, r_out.as_ref());
        }
    }
    match mode {
        QrMode::Raw => Ok((Array::from_vec(&s.shape_with(&[n, m]), first)?, Some(Array::from_vec(&s.shape_with(&[k]), second)?))),
        QrMode::R => Ok((Array::from_vec(&s.shape_with(&[rr, n]), first)?, None)),
        _ => Ok((Array::from_vec(&s.shape_with(&[m, qc]), first)?, Some(Array::from_vec(&s.shape_with(&[rr, n]), second)?))),
    }
}

/// Visits the (row, column) pairs of an n × n matrix in 32 × 32 tiles, so that a transposing
/// copy stays in cache; `lower_only`: just the tiles that meet the lower triangle.
fn for_tiles(n: usize, lower_only: bool, mut f: impl FnMut(usize, usize)) {
    const TILE: usize = 32;
    for j0 in (0..n).step_by(TILE) {
        for i0 in (if lower_only { j0 } else { 0 }..n).step_by(TILE) {
            for i in i0..(i0 + TILE).min(n) {
                for j in j0..(j0 + TILE).min(n) {
                    f(i, j);
                }
            }
        }
    }
}

/// `cholesky(a, upper)`: L (A = L·Lᴴ, from the lower triangle) or U (A = Uᴴ·U, from the upper).
pub fn cholesky(a: &Array, upper: bool) -> Result<Array> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let n = s.n;
        let mut out = Vec::with_capacity(s.data.len());
        for b in 0..s.count {
            if n == 0 {
                break;
            }
            if !T::CPLX && n <= lapack_small::SMALL_CHOL_LOWER {
                // OpenBLAS's potf2 for small orders: NumPy's factor to the last bit.
                let d = &s.data[b * n * n..(b + 1) * n * n];
                let mut c = Cm::zeros(n, n);
                // dpotrf('L') reads the lower triangle only, and leaves zeros above it.
                for_tiles(n, !upper, |i, j| c.v[i + j * n] = d[i * n + j].re());
                if let Some(r) = lapack_small::cholesky_in_place(&mut c, !upper) {
                    r.map_err(|_| linalg("Matrix is not positive definite"))?;
                    let base = out.len();
                    out.resize(base + n * n, T::mk(0.0, 0.0));
                    for_tiles(n, !upper, |i, j| out[base + i * n + j] = T::mk(c.v[i + j * n], 0.0));
                    continue;
                }
            }
            let h = hermitian_from(s.mat(b), !upper);
            let llt = h.llt(Side::Lower).map_err(|_| linalg("Matrix is not positive definite"))?;
            let mut l = llt.L().to_owned();
            // ?potrf computes the diagonal in real arithmetic: no rounding residue in its
            // imaginary part (faer's complex products leave one).
            for j in 0..n {
                l[(j, j)] = T::mk(l[(j, j)].re(), 0.0);
            }
            let l = l.as_ref();
            if upper {
                put(&mut out, l.adjoint().to_owned().as_ref());
            } else {
                put(&mut out, l);
            }
        }
        Array::from_vec(a.shape(), out)
    })
}

/// `lstsq(a, b, rcond)` for a 2-D `a (m, n)` and 2-D `b (m, k)`, through the SVD like LAPACK's
/// gelsd: singular values at or below `rcond · s_max` are treated as zero (rcond outside (0, 1)
/// meaning 2⁻⁵³).
/// Returns (x `(n, k)`, residuals `(k,)` or `(0,)`, rank, s).
pub fn lstsq(a: &Array, b: &Array, rcond: f64) -> Result<(Array, Array, usize, Array)> {
    lin_dispatch!(a.dtype(), T => lstsq_t::<T>(a, b, rcond))
}

fn lstsq_t<T: Scalar>(a: &Array, b: &Array, rcond: f64) -> Result<(Array, Array, usize, Array)> {
    let sa = Stack::<T>::new(a)?;
    let _threads = faer_threads(sa.m, sa.n);
    let sb = Stack::<T>::new(b)?;
    let (m, n, k) = (sa.m, sa.n, sb.n);
    let am = sa.mat(0);
    let bm = sb.mat(0);
    let kk = m.min(n);
    let err = |_| linalg("SVD did not converge in Linear Least Squares");
    let (x, s, rank) = if kk == 0 {
        (Mat::<T>::zeros(n, k), vec![], 0)
    } else {
        let svd = am.thin_svd().map_err(err)?;
        let s: Vec<f64> = (0..kk).map(|i| svd.S()[i].re()).collect();
        // dlalsd replaces an rcond outside (0, 1) by dlamch('E') = 2⁻⁵³.
        let rcond = if rcond <= 0.0 || rcond >= 1.0 { f64::EPSILON / 2.0 } else { rcond };
        let cutoff = rcond * s[0];
        let rank = s.iter().filter(|&&v| v > cutoff).count();
        let u = svd.U();
        let v = svd.V();
        // x = V[:, :r] · diag(1/s) · U[:, :r]ᴴ · b
        let utb = u.get(.., ..rank).adjoint() * bm;
        let scaled = Mat::from_fn(rank, k, |i, j| utb[(i, j)].scale(1.0 / s[i]));
        let x = v.get(.., ..rank) * &scaled;
        (x, s, rank)
    };
    let resid: Vec<f64> = if rank == n && m > n {
        let r = &(am * &x) - bm;
        (0..k).map(|j| (0..m).map(|i| { let z = r[(i, j)]; z.re() * z.re() + z.im() * z.im() }).sum()).collect()
    } else {
        vec![]
    };
    let mut xs = Vec::with_capacity(n * k);
    put(&mut xs, x.as_ref());
    let nres = resid.len();
    Ok((Array::from_vec(&[n, k], xs)?, Array::from_vec(&[nres], resid)?, rank, Array::from_vec(&[kk], s)?))
}

/// `pinv(a)`: V·diag(1/s)·Uᴴ keeping the singular values above `rcond[b] · s_max` (one
/// rcond per matrix of the stack); `hermitian` goes through the eigen-decomposition.
pub fn pinv(a: &Array, rcond: &[f64], hermitian: bool) -> Result<Array> {
    lin_dispatch!(a.dtype(), T => {
        let s = Stack::<T>::new(a)?;
        let _threads = faer_threads(s.m, s.n);
        let (m, n) = (s.m, s.n);
        let mut out = Vec::with_capacity(s.data.len());
        for b in 0..s.count {
            if m == 0 || n == 0 {
                break;
            }
            let rc = rcond[b % rcond.len().max(1)];
            let am = s.mat(b);
            let p = if hermitian {
                let (w, v) = eigh_one(am, true, true, crate::lapack_sytrd::SYEVD_MAX)?;
                let v = v.unwrap();
                let smax = w.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
                let cut = rc * smax;
                let vs = Mat::from_fn(n, n, |i, j| if w[j].abs() > cut { v[(i, j)].scale(1.0 / w[j]) } else { T::mk(0.0, 0.0) });
                &vs * v.adjoint()
            } else {
                let svd = am.thin_svd().map_err(|_| linalg("SVD did not converge"))?;
                let kk = m.min(n);
                let sv: Vec<f64> = (0..kk).map(|i| svd.S()[i].re()).collect();
                let cut = rc * sv.iter().fold(f64::NEG_INFINITY, |acc, &x| acc.max(x));
                let v = svd.V();
                let vs = Mat::from_fn(n, kk, |i, j| if sv[j] > cut { v[(i, j)].scale(1.0 / sv[j]) } else { T::mk(0.0, 0.0) });
                &vs * svd.U().adjoint()
            };
            put(&mut out, p.as_ref());
        }
        if m == 0 || n == 0 {
            out = vec![T::mk(0.0, 0.0); s.count * m * n];
        }
        Array::from_vec(&s.shape_with(&[n, m]), out)
    })
}
