//! Real SVD and symmetric eigen-decomposition of small matrices along the algorithms that
//! NumPy's LAPACK (OpenBLAS's copy of the reference routines) runs, so that the singular and
//! eigen-vectors come out with the same signs and in the same order as NumPy's, and the
//! numbers agree to rounding.
//!
//! - `svd` follows `?gesdd` for orders up to [`SMALL_SVD`]: a Householder bidiagonalisation
//!   (`?gebd2`), preceded by a QR (or LQ) factorisation when the matrix is much taller (or
//!   wider) than square; the bidiagonal SVD of `?bdsdc`'s small-order branch (Givens rotations
//!   to upper form, the implicit-shift / zero-shift QR sweeps of `?bdsqr` with the same
//!   convergence tests, shifts and rotation conventions, then the same three sorts); and the
//!   back-transformation by the Householder reflectors (`?ormbr`). With singular vectors it
//!   goes on up to [`DC_SVD`]: past 25 `?bdsdc` divides and conquers
//!   ([`crate::lapack_bdsdc`]), while `?gebrd` and `?ormbr` are still unblocked.
//! - `eigh` follows `?syevd` for orders up to [`EIGH_MAX`]: the Householder tridiagonal
//!   reduction of the chosen triangle (`?sytd2`), then `?stedc` — up to [`SMALL_EIGH`] the
//!   implicit QL/QR iteration of `?steqr` with its selection sort, beyond it the divide and
//!   conquer of [`crate::lapack_stedc`] — and the back-transformation (`?ormtr`).
//!
//! - `cholesky` follows OpenBLAS's own `dpotrf`: its `potf2` up to order 32, then (lower factor,
//!   up to [`SMALL_CHOL_LOWER`]) its blocked single-thread driver, or from order 128 with 2 or
//!   more OpenBLAS threads (at most n / 64 of them) its threaded driver (the threaded `syrk`'s
//!   kernel calls), over the `gemm_skx` kernel rules.
//!
//! The matrices here are column-major ([`Cm`]), as LAPACK sees them. The BLAS calls these
//! routines make (`dgemv`, `dger`, `dsymv`, `ddot`, `daxpy`, `drot`, `dnrm2`) perform the
//! arithmetic of the kernels NumPy's OpenBLAS runs on an AVX-512 ("SkylakeX") CPU, in
//! [`crate::blas_skx`], and the LAPACK-level steps keep `dlarf`'s trimming: on such a CPU the
//! svd with vectors (min(m, n) ≤ 128 where dgesdd bidiagonalises directly, ≤ 32 where it
//! factors by QR / LQ first; the blocked `dormbr` beyond 32 in [`crate::lapack_blocked`]), eigh
//! (lower: n ≤ 32, upper: n ≤ 16) and cholesky (lower: n ≤ 1024 with 1-3 OpenBLAS threads, else
//! n ≤ 127; upper: n ≤ 32) are NumPy's to the last bit.
//! Elsewhere (other CPUs, the QR-first svd shapes) they agree to rounding, signs and order
//! included. Values without vectors (LAPACK's dqds and dsterf) live in `lapack_dqds.rs` and
//! `lapack_sterf.rs`.

/// Relative machine precision as LAPACK's `dlamch('E')` gives it (half the spacing at 1).
pub(crate) const EPS: f64 = f64::EPSILON * 0.5;
/// `dlamch('S')`: the smallest normal number.
pub(crate) const SAFMIN: f64 = f64::MIN_POSITIVE;

/// Largest min(m, n) for which [`svd`] computes singular values alone: `?bdsdc` runs its
/// QR-sweep branch up to this order.
pub const SMALL_SVD: usize = 25;
/// Largest min(m, n) for which [`svd_jobz`] computes singular vectors along `dgesdd` (beyond
/// [`SMALL_SVD`] by `dbdsdc`'s divide and conquer, [`crate::lapack_bdsdc`]): `dgebrd` stays
/// unblocked (`dgebd2`) up to 128 and is blocked beyond ([`crate::lapack_gebrd`]);
/// `?ormbr` is unblocked up to 32 reflectors and blocked beyond ([`crate::lapack_blocked`]).
pub const DC_SVD: usize = 1024;
/// Largest min(m, n) for which the paths of `dgesdd` that factor A first (QR / LQ, when one
/// side is at least about 11/6 of the other) are followed; beyond it only the direct path is.
pub const DC_SVD_QR: usize = 32;
/// `?stedc` calls `?steqr` up to this order (beyond it: divide and conquer,
/// [`crate::lapack_stedc`]).
pub const SMALL_EIGH: usize = 25;
/// Largest real order handled by [`eigh`]: `dsyevd`'s reduction (`dsytrd`) and
/// back-transformation (`dormtr`) stay unblocked up to this order.
pub const EIGH_MAX: usize = 32;
/// Largest real order whose eigenvectors `linalg::eigh` takes from [`eigh_unblocked`]: NumPy's
/// signs and order with last bits of their own beyond [`EIGH_MAX`], and (measured) no slower
/// than faer up to here.
pub const EIGH_UNBLOCKED_MAX: usize = 128;

/// A column-major matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Cm {
    pub rows: usize,
    pub cols: usize,
    pub v: Vec<f64>,
}

impl Cm {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Cm { rows, cols, v: vec![0.0; rows * cols] }
    }
    pub fn eye(n: usize) -> Self {
        let mut c = Cm::zeros(n, n);
        for i in 0..n {
            c.set(i, i, 1.0);
        }
        c
    }
    /// From a row-major element function.
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> f64) -> Self {
        let mut v = Vec::with_capacity(rows * cols);
        for j in 0..cols {
            for i in 0..rows {
                v.push(f(i, j));
            }
        }
        Cm { rows, cols, v }
    }
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.v[i + j * self.rows]
    }
    #[inline]
    pub fn set(&mut self, i: usize, j: usize, x: f64) {
        self.v[i + j * self.rows] = x;
    }
    fn transpose(&self) -> Cm {
        Cm::from_fn(self.cols, self.rows, |i, j| self.get(j, i))
    }
    /// The leading `rows × cols` block.
    fn block(&self, rows: usize, cols: usize) -> Cm {
        Cm::from_fn(rows, cols, |i, j| self.get(i, j))
    }
    pub(crate) fn swap_cols(&mut self, a: usize, b: usize) {
        for i in 0..self.rows {
            self.v.swap(i + a * self.rows, i + b * self.rows);
        }
    }
    fn mul(&self, b: &Cm) -> Cm {
        let mut c = Cm::zeros(self.rows, b.cols);
        for j in 0..b.cols {
            for p in 0..self.cols {
                let t = b.get(p, j);
                if t == 0.0 {
                    continue;
                }
                for i in 0..self.rows {
                    c.v[i + j * c.rows] += self.get(i, p) * t;
                }
            }
        }
        c
    }
}

// ---- elementary operations -----------------------------------------------------------------

/// LAPACK's selection sort into increasing order (`dlasdq`, `dsteqr`, `dstedc`): for each
/// position the smallest later value (the first of equals) is swapped in, and `swap(i, k)`
/// swaps the matching vectors — as few swaps as possible, in LAPACK's order.
pub(crate) fn sort_increasing(d: &mut [f64], mut swap: impl FnMut(usize, usize)) {
    for i in 0..d.len() {
        let mut at = i;
        let mut smallest = d[i];
        for (j, &x) in d.iter().enumerate().skip(i + 1) {
            if x < smallest {
                at = j;
                smallest = x;
            }
        }
        if at != i {
            d[at] = d[i];
            d[i] = smallest;
            swap(i, at);
        }
    }
}


/// A plane rotation `[c s; -s c]·[f; g] = [r; 0]` as LAPACK 3.10+'s `dlartg` builds it: c ≥ 0
/// and r carries f's sign.
pub(crate) fn givens(f: f64, g: f64) -> (f64, f64, f64) {
    let safmax = 1.0 / SAFMIN;
    let rtmin = SAFMIN.sqrt();
    let rtmax = (safmax / 2.0).sqrt();
    let (f1, g1) = (f.abs(), g.abs());
    if g == 0.0 {
        return (1.0, 0.0, f);
    }
    if f == 0.0 {
        return (0.0, 1f64.copysign(g), g1);
    }
    if f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax {
        let d = (f * f + g * g).sqrt();
        let r = d.copysign(f);
        (f1 / d, g / r, r)
    } else {
        let u = safmax.min(SAFMIN.max(f1).max(g1));
        let (fs, gs) = (f / u, g / u);
        let d = (fs * fs + gs * gs).sqrt();
        let r = d.copysign(f);
        (fs.abs() / d, gs / r, r * u)
    }
}

/// sqrt(x² + y²) without undue overflow (`dlapy2`).
pub(crate) fn hypot2(x: f64, y: f64) -> f64 {
    let (xa, ya) = (x.abs(), y.abs());
    let (w, z) = (xa.max(ya), xa.min(ya));
    if z == 0.0 || w > f64::MAX {
        w
    } else {
        w * (1.0 + (z / w) * (z / w)).sqrt()
    }
}

/// The 2-norm of `x` as OpenBLAS's x86-64 `dnrm2` rounds it (see [`crate::blas_skx::nrm2`]).
fn norm2(x: &[f64]) -> f64 {
    crate::blas_skx::nrm2(x.iter().copied())
}

/// Makes the elementary reflector H = I - tau·v·vᵀ with H·x = [beta, 0, …] (`dlarfg`):
/// `x[0]` is alpha on entry and beta on exit, `x[1..]` becomes v's tail (v[0] = 1). Returns tau
/// (0 when x's tail is already zero, H = I).
pub(crate) fn reflector(x: &mut [f64]) -> f64 {
    reflector_in(x, false)
}

/// [`reflector`]; with `reversed_tail`, x[1..] holds LAPACK's vector in reverse order (the
/// upper-triangle case of `dsytd2`, whose alpha comes last), which matters to the order in
/// which `dnrm2` sums it.
fn reflector_in(x: &mut [f64], reversed_tail: bool) -> f64 {
    if x.len() <= 1 {
        return 0.0;
    }
    let tail_norm = |x: &[f64]| if reversed_tail { crate::blas_skx::nrm2(x[1..].iter().rev().copied()) } else { norm2(&x[1..]) };
    let mut xnorm = tail_norm(x);
    if xnorm == 0.0 {
        return 0.0;
    }
    let mut alpha = x[0];
    let mut beta = -hypot2(alpha, xnorm).copysign(alpha);
    let small = SAFMIN / EPS;
    let mut rescaled = 0;
    if beta.abs() < small {
        // Tiny: scale up until beta is representable accurately.
        let up = 1.0 / small;
        loop {
            rescaled += 1;
            for v in &mut x[1..] {
                *v *= up;
            }
            beta *= up;
            alpha *= up;
            if beta.abs() >= small || rescaled >= 20 {
                break;
            }
        }
        xnorm = tail_norm(x);
        beta = -hypot2(alpha, xnorm).copysign(alpha);
    }
    let tau = (beta - alpha) / beta;
    let scal = 1.0 / (alpha - beta);
    for v in &mut x[1..] {
        *v *= scal;
    }
    for _ in 0..rescaled {
        beta *= small;
    }
    x[0] = beta;
    tau
}

/// `fma_dispatch!(name, body, (args: types…))`: `name` runs `body` compiled with FMA
/// instructions when the CPU has them (`f64::mul_add` is otherwise a library call per element).
macro_rules! fma_dispatch {
    ($name:ident, $fast:ident, $body:ident, ($($arg:ident: $ty:ty),*)) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "fma")]
        unsafe fn $fast($($arg: $ty),*) {
            $body($($arg),*)
        }
        pub(crate) fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("fma") {
                // SAFETY: the CPU supports FMA (checked just above).
                return unsafe { $fast($($arg),*) };
            }
            $body($($arg),*)
        }
    };
}

fma_dispatch!(reflect_left, reflect_left_fma, reflect_left_body, (c: &mut Cm, v: &[f64], tau: f64, r0: usize, c0: usize, c1: usize));
fma_dispatch!(reflect_right, reflect_right_fma, reflect_right_body, (c: &mut Cm, v: &[f64], tau: f64, r0: usize, r1: usize, c0: usize));
fma_dispatch!(symmetric_update, symmetric_update_fma, symmetric_update_body, (a: &mut Cm, r0: usize, v: &[f64], tau: f64, lower: bool));
fma_dispatch!(drot_cols, drot_cols_fma, drot_cols_body, (a: &mut Cm, c0: usize, c: f64, s: f64));
fma_dispatch!(dlarf_left, dlarf_left_fma, dlarf_left_body, (c: &mut Cm, v: &[f64], tau: f64, r0: usize, c0: usize, c1: usize));
fma_dispatch!(dlarf_right, dlarf_right_fma, dlarf_right_body, (c: &mut Cm, v: &[f64], v_unit: bool, tau: f64, r0: usize, r1: usize, c0: usize));

/// `len` zeros for a reflector's work vector: on the stack when they fit.
fn work_vector<'a>(on_stack: &'a mut [f64; SMALL_SVD + 8], on_heap: &'a mut Vec<f64>, len: usize) -> &'a mut [f64] {
    if len <= on_stack.len() {
        &mut on_stack[..len]
    } else {
        on_heap.resize(len, 0.0);
        on_heap
    }
}

/// `dlarf('Left')` as NumPy's LAPACK runs it: C ← (I - tau·v·vᵀ)·C on rows `r0..r0+v.len()`
/// and columns `c0..c1` of `c`, after `dlarf`'s trimming (v's trailing zeros, then C's trailing
/// columns that are zero on those rows), with w = Cᵀv by OpenBLAS's `dgemv_t` and the rank-1
/// update by its `dger` ([`crate::blas_skx`]).
#[inline(always)]
fn dlarf_left_body(c: &mut Cm, v: &[f64], tau: f64, r0: usize, c0: usize, c1: usize) {
    if tau == 0.0 {
        return;
    }
    let lastv = v.iter().rposition(|&x| x != 0.0).map_or(0, |p| p + 1);
    let rows = c.rows;
    let nonzero_col = |j: usize| c.v[j * rows + r0..j * rows + r0 + lastv].iter().any(|&x| x != 0.0);
    let lastc = (c0..c1).rposition(nonzero_col).map_or(0, |p| p + 1);
    if lastv == 0 || lastc == 0 {
        return;
    }
    let (mut on_stack, mut on_heap) = ([0.0f64; SMALL_SVD + 8], Vec::new());
    let w = work_vector(&mut on_stack, &mut on_heap, lastc);
    let base = c0 * rows + r0;
    crate::blas_skx::gemv_t(lastv, lastc, &c.v[base..], rows, &v[..lastv], w);
    crate::blas_skx::ger(lastv, lastc, -tau, &v[..lastv], w, &mut c.v[base..], rows);
}

/// `dlarf('Right')` as NumPy's LAPACK runs it: C ← C·(I - tau·v·vᵀ) on rows `r0..r1` and
/// columns `c0..c0+v.len()`, after `dlarf`'s trimming (v's trailing zeros, then C's trailing
/// rows that are zero on those columns), with w = C·v by OpenBLAS's `dgemv_n` (`v_unit`: LAPACK
/// passes v with step 1, not as a row of a matrix) and the rank-1 update by its `dger`.
#[inline(always)]
fn dlarf_right_body(c: &mut Cm, v: &[f64], v_unit: bool, tau: f64, r0: usize, r1: usize, c0: usize) {
    if tau == 0.0 || r1 <= r0 {
        return;
    }
    let lastv = v.iter().rposition(|&x| x != 0.0).map_or(0, |p| p + 1);
    let rows = c.rows;
    let nonzero_row = |i: usize| (c0..c0 + lastv).any(|j| c.v[j * rows + i] != 0.0);
    let lastc = (r0..r1).rposition(nonzero_row).map_or(0, |p| p + 1);
    if lastv == 0 || lastc == 0 {
        return;
    }
    let (mut on_stack, mut on_heap) = ([0.0f64; SMALL_SVD + 8], Vec::new());
    let w = work_vector(&mut on_stack, &mut on_heap, lastc);
    let base = c0 * rows + r0;
    crate::blas_skx::gemv_n(lastc, lastv, 1.0, &c.v[base..], rows, &v[..lastv], v_unit, w);
    crate::blas_skx::ger(lastc, lastv, -tau, w, &v[..lastv], &mut c.v[base..], rows);
}

/// C ← (I - tau·v·vᵀ)·C on rows `r0..r0+v.len()` and columns `c0..c1` of `c` (`dlarf`, left).
#[inline(always)]
fn reflect_left_body(c: &mut Cm, v: &[f64], tau: f64, r0: usize, c0: usize, c1: usize) {
    if tau == 0.0 {
        return;
    }
    let rows = c.rows;
    for j in c0..c1 {
        let col = &mut c.v[j * rows + r0..j * rows + r0 + v.len()];
        let mut w = 0.0;
        for (x, vi) in col.iter().zip(v) {
            w = x.mul_add(*vi, w);
        }
        let t = -tau * w;
        for (x, vi) in col.iter_mut().zip(v) {
            *x = vi.mul_add(t, *x);
        }
    }
}

/// C ← C·(I - tau·v·vᵀ) on rows `r0..r1` and columns `c0..c0+v.len()` of `c` (`dlarf`, right).
#[inline(always)]
fn reflect_right_body(c: &mut Cm, v: &[f64], tau: f64, r0: usize, r1: usize, c0: usize) {
    if tau == 0.0 || r1 <= r0 {
        return;
    }
    let mut w = vec![0.0; r1 - r0];
    for (jj, &vj) in v.iter().enumerate() {
        for i in r0..r1 {
            w[i - r0] = c.get(i, c0 + jj).mul_add(vj, w[i - r0]);
        }
    }
    for (jj, &vj) in v.iter().enumerate() {
        let t = -tau * vj;
        for i in r0..r1 {
            let x = w[i - r0].mul_add(t, c.get(i, c0 + jj));
            c.set(i, c0 + jj, x);
        }
    }
}

/// Which way a sequence of plane rotations runs (`dlasr`'s DIRECT).
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    Forward,
    Backward,
}

/// Rotations in the planes (r0+j, r0+j+1), j = 0..c.len(), applied from the left to rows of `a`
/// (`dlasr('L', 'V', dir)`): row r0+j+1 ← c·row(r0+j+1) - s·row(r0+j), row r0+j ← s·row(r0+j+1)
/// + c·row(r0+j).
fn rotate_rows(a: &mut Cm, r0: usize, c: &[f64], s: &[f64], dir: Dir) {
    let k = c.len();
    let step = |a: &mut Cm, j: usize| {
        let (ct, st) = (c[j], s[j]);
        if ct == 1.0 && st == 0.0 {
            return;
        }
        for col in 0..a.cols {
            let t = a.get(r0 + j + 1, col);
            let x = a.get(r0 + j, col);
            a.set(r0 + j + 1, col, ct * t - st * x);
            a.set(r0 + j, col, st * t + ct * x);
        }
    };
    match dir {
        Dir::Forward => (0..k).for_each(|j| step(a, j)),
        Dir::Backward => (0..k).rev().for_each(|j| step(a, j)),
    }
}

/// The plane rotation of columns c0 and c0+1 of `a` by OpenBLAS's `drot` (what `dbdsqr` calls
/// for a 2 × 2 block): x ← c·x + s·y, y ← c·y - s·x, each as a rounded product with the other
/// fused on.
#[inline(always)]
fn drot_cols_body(a: &mut Cm, c0: usize, c: f64, s: f64) {
    let rows = a.rows;
    let (left, right) = a.v.split_at_mut((c0 + 1) * rows);
    let xs = &mut left[c0 * rows..];
    for (x, y) in xs.iter_mut().zip(right[..rows].iter_mut()) {
        let (xv, yv) = (*x, *y);
        *x = c.mul_add(xv, s * yv);
        *y = c.mul_add(yv, -(s * xv));
    }
}

/// Rotations in the planes (c0+j, c0+j+1) applied from the right to columns of `a`
/// (`dlasr('R', 'V', dir)`).
fn rotate_cols(a: &mut Cm, c0: usize, c: &[f64], s: &[f64], dir: Dir) {
    let k = c.len();
    let rows = a.rows;
    let step = |a: &mut Cm, j: usize| {
        let (ct, st) = (c[j], s[j]);
        if ct == 1.0 && st == 0.0 {
            return;
        }
        let (left, right) = a.v.split_at_mut((c0 + j + 1) * rows);
        let xs = &mut left[(c0 + j) * rows..];
        for (x, y) in xs.iter_mut().zip(right[..rows].iter_mut()) {
            let t = *y;
            *y = ct * t - st * *x;
            *x = st * t + ct * *x;
        }
    };
    match dir {
        Dir::Forward => (0..k).for_each(|j| step(a, j)),
        Dir::Backward => (0..k).rev().for_each(|j| step(a, j)),
    }
}

// ---- 2 × 2 kernels -------------------------------------------------------------------------

/// Singular values (min, max) of the upper triangular [f g; 0 h] (`dlas2`).
pub(crate) fn sv2_values(f: f64, g: f64, h: f64) -> (f64, f64) {
    let (fa, ga, ha) = (f.abs(), g.abs(), h.abs());
    let (lo, hi) = (fa.min(ha), fa.max(ha));
    if lo == 0.0 {
        let big = if hi == 0.0 {
            ga
        } else {
            let (p, q) = (hi.max(ga), hi.min(ga));
            p * (1.0 + (q / p) * (q / p)).sqrt()
        };
        return (0.0, big);
    }
    if ga < hi {
        let s = 1.0 + lo / hi;
        let t = (hi - lo) / hi;
        let u = (ga / hi) * (ga / hi);
        let c = 2.0 / ((s * s + u).sqrt() + (t * t + u).sqrt());
        (lo * c, hi / c)
    } else {
        let u = hi / ga;
        if u == 0.0 {
            ((lo * hi) / ga, ga)
        } else {
            let s = 1.0 + lo / hi;
            let t = (hi - lo) / hi;
            let c = 1.0 / ((1.0 + (s * u) * (s * u)).sqrt() + (1.0 + (t * u) * (t * u)).sqrt());
            let small = (lo * c) * u;
            (small + small, ga / (c + c))
        }
    }
}

/// The SVD of the upper triangular [f g; 0 h] (`dlasv2`): signed singular values and the
/// left (csl, snl) and right (csr, snr) rotations with
/// [csl snl; -snl csl]·[f g; 0 h]·[csr -snr; snr csr] = diag(ssmax, ssmin).
struct Sv2 {
    ssmin: f64,
    ssmax: f64,
    snr: f64,
    csr: f64,
    snl: f64,
    csl: f64,
}

fn sv2(f: f64, g: f64, h: f64) -> Sv2 {
    let (mut ft, mut fa, mut ht, mut ha) = (f, f.abs(), h, h.abs());
    // Which entry is largest in magnitude: 1 f, 2 g, 3 h.
    let mut pmax = 1;
    let swap = ha > fa;
    if swap {
        pmax = 3;
        std::mem::swap(&mut ft, &mut ht);
        std::mem::swap(&mut fa, &mut ha);
    }
    let gt = g;
    let ga = gt.abs();
    let (mut clt, mut crt, mut slt, mut srt);
    let (mut ssmin, mut ssmax);
    if ga == 0.0 {
        ssmin = ha;
        ssmax = fa;
        clt = 1.0;
        crt = 1.0;
        slt = 0.0;
        srt = 0.0;
    } else {
        let mut gasmal = true;
        ssmin = 0.0;
        ssmax = 0.0;
        clt = 0.0;
        crt = 0.0;
        slt = 0.0;
        srt = 0.0;
        if ga > fa {
            pmax = 2;
            if fa / ga < EPS {
                // g dominates completely.
                gasmal = false;
                ssmax = ga;
                ssmin = if ha > 1.0 { fa / (ga / ha) } else { (fa / ga) * ha };
                clt = 1.0;
                slt = ht / gt;
                srt = 1.0;
                crt = ft / gt;
            }
        }
        if gasmal {
            let d = fa - ha;
            let mut l = if d == fa { 1.0 } else { d / fa };
            let m = gt / ft;
            let mut t = 2.0 - l;
            let mm = m * m;
            let tt = t * t;
            let s = (tt + mm).sqrt();
            let r = if l == 0.0 { m.abs() } else { (l * l + mm).sqrt() };
            let a = 0.5 * (s + r);
            ssmin = ha / a;
            ssmax = fa * a;
            if mm == 0.0 {
                t = if l == 0.0 { 2f64.copysign(ft) * 1f64.copysign(gt) } else { gt / d.copysign(ft) + m / t };
            } else {
                t = (m / (s + t) + m / (r + l)) * (1.0 + a);
            }
            l = (t * t + 4.0).sqrt();
            crt = 2.0 / l;
            srt = t / l;
            clt = (crt + srt * m) / a;
            slt = (ht / ft) * srt / a;
        }
    }
    let (csl, snl, csr, snr) = if swap { (srt, crt, slt, clt) } else { (clt, slt, crt, srt) };
    let sg = |x: f64| 1f64.copysign(x);
    let tsign = match pmax {
        1 => sg(csr) * sg(csl) * sg(f),
        2 => sg(snr) * sg(csl) * sg(g),
        _ => sg(snr) * sg(snl) * sg(h),
    };
    ssmax = ssmax.copysign(tsign);
    ssmin = ssmin.copysign(tsign * sg(f) * sg(h));
    Sv2 { ssmin, ssmax, snr, csr, snl, csl }
}

/// Eigen-decomposition of the symmetric [a b; b c] (`dlaev2`): rt1 (larger in magnitude),
/// rt2, and (cs, sn), the unit eigenvector of rt1.
fn eig2(a: f64, b: f64, c: f64) -> (f64, f64, f64, f64) {
    let sm = a + c;
    let df = a - c;
    let adf = df.abs();
    let tb = b + b;
    let ab = tb.abs();
    let (acmx, acmn) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let rt = if adf > ab {
        adf * (1.0 + (ab / adf) * (ab / adf)).sqrt()
    } else if adf < ab {
        ab * (1.0 + (adf / ab) * (adf / ab)).sqrt()
    } else {
        ab * 2f64.sqrt()
    };
    let (rt1, rt2, sgn1) = if sm < 0.0 {
        let rt1 = 0.5 * (sm - rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b, -1)
    } else if sm > 0.0 {
        let rt1 = 0.5 * (sm + rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b, 1)
    } else {
        (0.5 * rt, -0.5 * rt, 1)
    };
    let (cs, sgn2) = if df >= 0.0 { (df + rt, 1) } else { (df - rt, -1) };
    let (mut cs1, mut sn1);
    if cs.abs() > ab {
        let ct = -tb / cs;
        sn1 = 1.0 / (1.0 + ct * ct).sqrt();
        cs1 = ct * sn1;
    } else if ab == 0.0 {
        cs1 = 1.0;
        sn1 = 0.0;
    } else {
        let tn = -cs / tb;
        cs1 = 1.0 / (1.0 + tn * tn).sqrt();
        sn1 = tn * cs1;
    }
    if sgn1 == sgn2 {
        let tn = cs1;
        cs1 = -sn1;
        sn1 = tn;
    }
    (rt1, rt2, cs1, sn1)
}

// ---- bidiagonal SVD ------------------------------------------------------------------------

/// Failure to converge (LAPACK's info > 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoConvergence;

/// The implicit QR iteration of `dbdsqr` on the upper bidiagonal (d, e), n ≥ 2, rotating the
/// columns of `u` and of `vt` along; `vt` holds V, the transpose of `dbdsqr`'s VT, so that its
/// row rotations run along contiguous columns. Leaves the (signed, unsorted) singular values in d.
fn bidiagonal_sweeps(d: &mut [f64], e: &mut [f64], mut vt: Option<&mut Cm>, mut u: Option<&mut Cm>) -> Result<(), NoConvergence> {
    let n = d.len();
    let nf = n as f64;
    let tol = 10f64.max(100f64.min(EPS.powf(-0.125))) * EPS;
    let mut smax = d.iter().chain(e.iter()).fold(0.0f64, |a, x| a.max(x.abs()));
    // A lower estimate of the smallest singular value, for the absolute threshold.
    let mut sminoa = d[0].abs();
    if sminoa != 0.0 {
        let mut mu = sminoa;
        for i in 1..n {
            mu = d[i].abs() * (mu / (mu + e[i - 1].abs()));
            sminoa = sminoa.min(mu);
            if sminoa == 0.0 {
                break;
            }
        }
    }
    sminoa /= nf.sqrt();
    let thresh = (tol * sminoa).max(6.0 * (nf * (nf * SAFMIN)));

    // Indices below are 1-based positions into d (d(i) = d[i-1], e(i) = e[i-1]).
    let (mut iter, mut passes) = (-1isize, 0usize);
    let mut started = false;
    let (mut oldll, mut oldm) = (0usize, 0usize);
    let mut top_down = true;
    let mut hi = n; // the last row of the unconverged part
    let (mut w1, mut w2, mut w3, mut w4) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    'sweep: while hi > 1 {
        if iter >= n as isize {
            iter -= n as isize;
            passes += 1;
            if passes >= 6 * n {
                return Err(NoConvergence);
            }
        }
        // The diagonal block to work on: lo..=hi with e(lo..hi) non-negligible.
        smax = d[hi - 1].abs();
        let mut lo = 0;
        for l in (1..hi).rev() {
            let (abss, abse) = (d[l - 1].abs(), e[l - 1].abs());
            if abse <= thresh || abse == 0.0 {
                lo = l;
                break;
            }
            smax = smax.max(abss).max(abse);
        }
        if lo > 0 {
            e[lo - 1] = 0.0;
            if lo == hi - 1 {
                hi -= 1;
                continue;
            }
        }
        let lo = lo + 1;
        if lo == hi - 1 {
            // A 2 × 2 block: finished in one step.
            let r = sv2(d[hi - 2], e[hi - 2], d[hi - 1]);
            d[hi - 2] = r.ssmax;
            e[hi - 2] = 0.0;
            d[hi - 1] = r.ssmin;
            if let Some(vt) = vt.as_deref_mut() {
                drot_cols(vt, hi - 2, r.csr, r.snr);
            }
            if let Some(u) = u.as_deref_mut() {
                drot_cols(u, hi - 2, r.csl, r.snl);
            }
            hi -= 2;
            continue;
        }
        // A new block: chase the bulge from its larger end.
        if !started || lo > oldm || hi < oldll {
            top_down = d[lo - 1].abs() >= d[hi - 1].abs();
        }
        // Convergence tests.
        let mut smin;
        if top_down {
            if e[hi - 2].abs() <= tol * d[hi - 1].abs() {
                e[hi - 2] = 0.0;
                continue;
            }
            let mut mu = d[lo - 1].abs();
            smin = mu;
            for l in lo..hi {
                if e[l - 1].abs() <= tol * mu {
                    e[l - 1] = 0.0;
                    continue 'sweep;
                }
                mu = d[l].abs() * (mu / (mu + e[l - 1].abs()));
                smin = smin.min(mu);
            }
        } else {
            if e[lo - 1].abs() <= tol * d[lo - 1].abs() {
                e[lo - 1] = 0.0;
                continue;
            }
            let mut mu = d[hi - 1].abs();
            smin = mu;
            for l in (lo..hi).rev() {
                if e[l - 1].abs() <= tol * mu {
                    e[l - 1] = 0.0;
                    continue 'sweep;
                }
                mu = d[l - 1].abs() * (mu / (mu + e[l - 1].abs()));
                smin = smin.min(mu);
            }
        }
        oldll = lo;
        oldm = hi;
        started = true;
        // The shift: zero when it would spoil the relative accuracy.
        let mut shift = 0.0;
        if nf * tol * (smin / smax) > EPS.max(0.01 * tol) {
            let (sll, sh) = if top_down {
                (d[lo - 1].abs(), sv2_values(d[hi - 2], e[hi - 2], d[hi - 1]).0)
            } else {
                (d[hi - 1].abs(), sv2_values(d[lo - 1], e[lo - 1], d[lo]).0)
            };
            shift = sh;
            if sll > 0.0 && (shift / sll) * (shift / sll) < EPS {
                shift = 0.0;
            }
        }
        iter += (hi - lo) as isize;
        let k = hi - lo; // rotations in this sweep
        if shift == 0.0 {
            if top_down {
                let (mut cs, mut oldcs, mut oldsn) = (1.0, 1.0, 0.0);
                for i in lo..hi {
                    let (c, s, r) = givens(d[i - 1] * cs, e[i - 1]);
                    cs = c;
                    if i > lo {
                        e[i - 2] = oldsn * r;
                    }
                    let (oc, os, di) = givens(oldcs * r, d[i] * s);
                    oldcs = oc;
                    oldsn = os;
                    d[i - 1] = di;
                    w1[i - lo] = c;
                    w2[i - lo] = s;
                    w3[i - lo] = oc;
                    w4[i - lo] = os;
                }
                let h = d[hi - 1] * cs;
                d[hi - 1] = h * oldcs;
                e[hi - 2] = h * oldsn;
                if let Some(vt) = vt.as_deref_mut() {
                    rotate_cols(vt, lo - 1, &w1[..k], &w2[..k], Dir::Forward);
                }
                if let Some(u) = u.as_deref_mut() {
                    rotate_cols(u, lo - 1, &w3[..k], &w4[..k], Dir::Forward);
                }
                if e[hi - 2].abs() <= thresh {
                    e[hi - 2] = 0.0;
                }
            } else {
                let (mut cs, mut oldcs, mut oldsn) = (1.0, 1.0, 0.0);
                for i in (lo + 1..=hi).rev() {
                    let (c, s, r) = givens(d[i - 1] * cs, e[i - 2]);
                    cs = c;
                    if i < hi {
                        e[i - 1] = oldsn * r;
                    }
                    let (oc, os, di) = givens(oldcs * r, d[i - 2] * s);
                    oldcs = oc;
                    oldsn = os;
                    d[i - 1] = di;
                    w1[i - lo - 1] = c;
                    w2[i - lo - 1] = -s;
                    w3[i - lo - 1] = oc;
                    w4[i - lo - 1] = -os;
                }
                let h = d[lo - 1] * cs;
                d[lo - 1] = h * oldcs;
                e[lo - 1] = h * oldsn;
                if let Some(vt) = vt.as_deref_mut() {
                    rotate_cols(vt, lo - 1, &w3[..k], &w4[..k], Dir::Backward);
                }
                if let Some(u) = u.as_deref_mut() {
                    rotate_cols(u, lo - 1, &w1[..k], &w2[..k], Dir::Backward);
                }
                if e[lo - 1].abs() <= thresh {
                    e[lo - 1] = 0.0;
                }
            }
        } else if top_down {
            let dl = d[lo - 1];
            let mut f = (dl.abs() - shift) * (1f64.copysign(dl) + shift / dl);
            let mut g = e[lo - 1];
            for i in lo..hi {
                let (cr, sr, r) = givens(f, g);
                if i > lo {
                    e[i - 2] = r;
                }
                f = cr * d[i - 1] + sr * e[i - 1];
                e[i - 1] = cr * e[i - 1] - sr * d[i - 1];
                g = sr * d[i];
                d[i] *= cr;
                let (cl, sl, r) = givens(f, g);
                d[i - 1] = r;
                f = cl * e[i - 1] + sl * d[i];
                d[i] = cl * d[i] - sl * e[i - 1];
                if i < hi - 1 {
                    g = sl * e[i];
                    e[i] *= cl;
                }
                w1[i - lo] = cr;
                w2[i - lo] = sr;
                w3[i - lo] = cl;
                w4[i - lo] = sl;
            }
            e[hi - 2] = f;
            if let Some(vt) = vt.as_deref_mut() {
                rotate_cols(vt, lo - 1, &w1[..k], &w2[..k], Dir::Forward);
            }
            if let Some(u) = u.as_deref_mut() {
                rotate_cols(u, lo - 1, &w3[..k], &w4[..k], Dir::Forward);
            }
            if e[hi - 2].abs() <= thresh {
                e[hi - 2] = 0.0;
            }
        } else {
            let dm = d[hi - 1];
            let mut f = (dm.abs() - shift) * (1f64.copysign(dm) + shift / dm);
            let mut g = e[hi - 2];
            for i in (lo + 1..=hi).rev() {
                let (cr, sr, r) = givens(f, g);
                if i < hi {
                    e[i - 1] = r;
                }
                f = cr * d[i - 1] + sr * e[i - 2];
                e[i - 2] = cr * e[i - 2] - sr * d[i - 1];
                g = sr * d[i - 2];
                d[i - 2] *= cr;
                let (cl, sl, r) = givens(f, g);
                d[i - 1] = r;
                f = cl * e[i - 2] + sl * d[i - 2];
                d[i - 2] = cl * d[i - 2] - sl * e[i - 2];
                if i > lo + 1 {
                    g = sl * e[i - 3];
                    e[i - 3] *= cl;
                }
                w1[i - lo - 1] = cr;
                w2[i - lo - 1] = -sr;
                w3[i - lo - 1] = cl;
                w4[i - lo - 1] = -sl;
            }
            e[lo - 1] = f;
            if e[lo - 1].abs() <= thresh {
                e[lo - 1] = 0.0;
            }
            if let Some(vt) = vt.as_deref_mut() {
                rotate_cols(vt, lo - 1, &w3[..k], &w4[..k], Dir::Backward);
            }
            if let Some(u) = u.as_deref_mut() {
                rotate_cols(u, lo - 1, &w1[..k], &w2[..k], Dir::Backward);
            }
        }
    }
    let _ = smax;
    Ok(())
}

/// `dbdsqr` on an upper bidiagonal: the sweeps, then the values made non-negative (negating
/// columns of V, held in `vt`) and sorted into decreasing order the way `dbdsqr` does it.
pub(crate) fn bidiagonal_qr(d: &mut [f64], e: &mut [f64], mut vt: Option<&mut Cm>, mut u: Option<&mut Cm>) -> Result<(), NoConvergence> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    if n > 1 {
        bidiagonal_sweeps(d, e, vt.as_deref_mut(), u.as_deref_mut())?;
    }
    for i in 0..n {
        if d[i] == 0.0 {
            d[i] = 0.0; // no -0
        }
        if d[i] < 0.0 {
            d[i] = -d[i];
            if let Some(vt) = vt.as_deref_mut() {
                let rows = vt.rows;
                for x in &mut vt.v[i * rows..(i + 1) * rows] {
                    *x = -*x;
                }
            }
        }
    }
    // Move the smallest of the leading part to its end, one swap per position.
    for i in 0..n - 1 {
        let last = n - 1 - i;
        let mut at = 0;
        let mut smallest = d[0];
        for (j, &x) in d.iter().enumerate().take(last + 1).skip(1) {
            if x <= smallest {
                at = j;
                smallest = x;
            }
        }
        if at != last {
            d[at] = d[last];
            d[last] = smallest;
            if let Some(vt) = vt.as_deref_mut() {
                vt.swap_cols(at, last);
            }
            if let Some(u) = u.as_deref_mut() {
                u.swap_cols(at, last);
            }
        }
    }
    Ok(())
}

/// Rotates the lower bidiagonal (d, e) to upper form from the left, as `dbdsdc` and `dlasdq`
/// do; `rotation(i, c, s)` sees each rotation.
pub(crate) fn lower_to_upper(d: &mut [f64], e: &mut [f64], mut rotation: impl FnMut(usize, f64, f64)) {
    for i in 0..d.len().saturating_sub(1) {
        let (c, s, r) = givens(d[i], e[i]);
        d[i] = r;
        e[i] = s * d[i + 1];
        d[i + 1] *= c;
        rotation(i, c, s);
    }
}

/// The SVD of an n × n bidiagonal (upper, or lower when `upper` is false) as `dbdsdc` computes
/// it (the QR sweeps up to its crossover, then divide and conquer for the vectors): returns
/// (U, V) when `vectors`, the singular values (decreasing) left in d.
pub(crate) fn bidiagonal_svd(upper: bool, d: &mut [f64], e: &mut [f64], vectors: bool) -> Result<Option<(Cm, Cm)>, NoConvergence> {
    let n = d.len();
    if vectors && n > crate::lapack_bdsdc::LEAF {
        return crate::lapack_bdsdc::bdsdc(upper, d, e).map(Some);
    }
    if n == 1 {
        let u = Cm { rows: 1, cols: 1, v: vec![1f64.copysign(d[0])] };
        d[0] = d[0].abs();
        return Ok(if vectors { Some((u, Cm::eye(1))) } else { None });
    }
    // A lower bidiagonal is rotated to upper form from the left first.
    let mut cs = vec![0.0; n - 1];
    let mut sn = vec![0.0; n - 1];
    if !upper {
        lower_to_upper(d, e, |i, c, s| {
            cs[i] = c;
            sn[i] = -s;
        });
    }
    let mut vecs = if vectors { Some((Cm::eye(n), Cm::eye(n))) } else { None };
    match vecs.as_mut() {
        Some((u, vt)) => bidiagonal_qr(d, e, Some(vt), Some(u))?,
        None => bidiagonal_qr(d, e, None, None)?,
    }
    // `dlasdq`'s sort into increasing order ...
    sort_increasing(d, |i, at| {
        if let Some((u, vt)) = vecs.as_mut() {
            vt.swap_cols(at, i);
            u.swap_cols(at, i);
        }
    });
    // ... and `dbdsdc`'s selection sort back into decreasing order.
    for i in 0..n - 1 {
        let mut at = i;
        let mut largest = d[i];
        for (j, &x) in d.iter().enumerate().skip(i + 1) {
            if x > largest {
                at = j;
                largest = x;
            }
        }
        if at != i {
            d[at] = d[i];
            d[i] = largest;
            if let Some((u, vt)) = vecs.as_mut() {
                u.swap_cols(i, at);
                vt.swap_cols(i, at);
            }
        }
    }
    if !upper {
        if let Some((u, _)) = vecs.as_mut() {
            rotate_rows(u, 0, &cs, &sn, Dir::Backward);
        }
    }
    Ok(vecs)
}

// ---- reductions ----------------------------------------------------------------------------

/// A Householder reflector: v (with v[0] = 1) acting on rows (or columns) `start..start+v.len()`.
pub(crate) struct Refl {
    pub(crate) start: usize,
    pub(crate) v: Vec<f64>,
    pub(crate) tau: f64,
}

/// Householder bidiagonalisation `Qᵀ·A·P = B` (`dgebd2`): upper bidiagonal when m ≥ n, lower
/// otherwise. Returns (d, e, Q's reflectors, P's reflectors).
pub(crate) fn bidiagonalize(a: &mut Cm) -> (Vec<f64>, Vec<f64>, Vec<Refl>, Vec<Refl>) {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mut d = vec![0.0; k];
    let mut e = vec![0.0; k.saturating_sub(1)];
    let mut qs = Vec::new();
    let mut ps = Vec::new();
    let col_refl = |a: &mut Cm, j: usize, r0: usize| -> Refl {
        let mut x: Vec<f64> = (r0..m).map(|i| a.get(i, j)).collect();
        let tau = reflector(&mut x);
        for (i, &xi) in x.iter().enumerate() {
            a.set(r0 + i, j, xi);
        }
        x[0] = 1.0;
        Refl { start: r0, v: x, tau }
    };
    let row_refl = |a: &mut Cm, i: usize, c0: usize| -> Refl {
        let mut x: Vec<f64> = (c0..n).map(|j| a.get(i, j)).collect();
        let tau = reflector(&mut x);
        for (j, &xj) in x.iter().enumerate() {
            a.set(i, c0 + j, xj);
        }
        x[0] = 1.0;
        Refl { start: c0, v: x, tau }
    };
    // The row reflectors are rows of `a`: LAPACK passes them with step lda (unit only when
    // `a` has one row).
    let row_unit = m == 1;
    if m >= n {
        for i in 0..n {
            let h = col_refl(a, i, i);
            d[i] = a.get(i, i);
            dlarf_left(a, &h.v, h.tau, i, i + 1, n);
            qs.push(h);
            if i + 1 < n {
                let g = row_refl(a, i, i + 1);
                e[i] = a.get(i, i + 1);
                dlarf_right(a, &g.v, row_unit, g.tau, i + 1, m, i + 1);
                ps.push(g);
            }
        }
    } else {
        for i in 0..m {
            let g = row_refl(a, i, i);
            d[i] = a.get(i, i);
            dlarf_right(a, &g.v, row_unit, g.tau, i + 1, m, i);
            ps.push(g);
            if i + 1 < m {
                let h = col_refl(a, i, i + 1);
                e[i] = a.get(i + 1, i);
                dlarf_left(a, &h.v, h.tau, i + 1, i + 1, n);
                qs.push(h);
            }
        }
    }
    (d, e, qs, ps)
}

/// Householder QR (`dgeqr2`) of a tall m × n matrix: R (n × n) and Q (m × m, `dorg2r` from the
/// reflectors; only its first n columns when `thin`).
fn qr_factor(a: &Cm, thin: bool) -> (Cm, Cm) {
    let (m, n) = (a.rows, a.cols);
    let mut w = a.clone();
    let mut refls = Vec::with_capacity(n);
    for i in 0..n {
        let mut x: Vec<f64> = (i..m).map(|r| w.get(r, i)).collect();
        let tau = reflector(&mut x);
        for (r, &xr) in x.iter().enumerate() {
            w.set(i + r, i, xr);
        }
        x[0] = 1.0;
        dlarf_left(&mut w, &x, tau, i, i + 1, n);
        refls.push(Refl { start: i, v: x, tau });
    }
    let r = Cm::from_fn(n, n, |i, j| if i <= j { w.get(i, j) } else { 0.0 });
    // dorg2r: columns past the reflectors start as unit vectors; then, last reflector first,
    // column i becomes H(i)·e_i and H(i) is applied to the columns after it.
    let qc = if thin { n } else { m };
    let mut q = Cm::zeros(m, qc);
    for j in n..qc {
        q.set(j, j, 1.0);
    }
    for (i, h) in refls.iter().enumerate().rev() {
        if i + 1 < qc {
            for (r, &vr) in h.v.iter().enumerate() {
                q.set(i + r, i, vr);
            }
            dlarf_left(&mut q, &h.v, h.tau, i, i + 1, qc);
        }
        for r in i + 1..m {
            let x = -h.tau * h.v[r - i];
            q.set(r, i, x);
        }
        q.set(i, i, 1.0 - h.tau);
        for r in 0..i {
            q.set(r, i, 0.0);
        }
    }
    (r, q)
}

/// The SVD by bidiagonalisation alone (`dgesdd`'s path for matrices not far from square):
/// (U, s, Vᵀ), U m × m and Vᵀ n × n when `full` (JOBZ = 'A'), else U m × k and Vᵀ k × n
/// (JOBZ = 'S': the back-transformations then run on those shapes, which changes how
/// OpenBLAS's kernels group the columns and rows), or only s.
fn svd_direct(a: &Cm, vectors: bool, full: bool) -> Result<(Option<Cm>, Vec<f64>, Option<Cm>), NoConvergence> {
    let (m, n) = (a.rows, a.cols);
    let mut w = a.clone();
    // dgebrd: unblocked (dgebd2) up to its crossover, blocked beyond
    let (mut d, mut e, qs, ps) = if m.min(n) > crate::lapack_gebrd::GEBRD_NX { crate::lapack_gebrd::gebrd(&mut w) } else { bidiagonalize(&mut w) };
    let vecs = bidiagonal_svd(m >= n, &mut d, &mut e, vectors)?;
    let Some((ub, vb)) = vecs else {
        return Ok((None, d, None));
    };
    let k = m.min(n);
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    // dbdsdc's vectors in the leading k × k blocks, the identity in the rest (`dlaset`).
    let mut u = Cm::zeros(m, uc);
    let mut vt = Cm::zeros(vr, n);
    for i in k..uc {
        u.set(i, i, 1.0);
    }
    for i in k..vr {
        vt.set(i, i, 1.0);
    }
    for j in 0..k {
        for i in 0..k {
            u.set(i, j, ub.get(i, j));
            vt.set(i, j, vb.get(j, i));
        }
    }
    // The workspace dgesdd hands dormbr (what its query asked for beyond its first 3k; NumPy
    // allocates exactly the query's answer) decides dormqr's / dormlq's block size.
    let lwork = (3 * k * k + 4 * k).max(32 * (m + n)).max(m.max(n));
    let nb_q = crate::lapack_blocked::orm_block(lwork, uc);
    let nb_p = crate::lapack_blocked::orm_block(lwork, vr);
    // dormbr('Q', 'L', 'N'): U ← Q·U, the last reflector first (`dorm2r`; `dormqr`'s blocks
    // when blocked).
    if nb_q >= 2 && nb_q < qs.len() {
        let base = qs[0].start;
        let rows = m - base;
        let mut va = vec![0.0; rows * qs.len()];
        for (j, h) in qs.iter().enumerate() {
            let at = h.start - base + j * rows;
            va[at..at + h.v.len()].copy_from_slice(&h.v);
        }
        let tau: Vec<f64> = qs.iter().map(|h| h.tau).collect();
        crate::lapack_blocked::ormqr_left_n(rows, qs.len(), &va, rows, &tau, &mut u, base, nb_q);
    } else {
        for h in qs.iter().rev() {
            dlarf_left(&mut u, &h.v, h.tau, h.start, 0, uc);
        }
    }
    // dormbr('P', 'R', 'T'): Vᵀ ← Vᵀ·Pᵀ, the last reflector first (`dorml2`; `dormlq`'s blocks
    // when blocked); each reflector is a row of the bidiagonalised matrix.
    if nb_p >= 2 && nb_p < ps.len() {
        let base = ps[0].start;
        let (kp, cols) = (ps.len(), n - base);
        let mut va = vec![0.0; kp * cols];
        for (j, g) in ps.iter().enumerate() {
            for (r, &x) in g.v.iter().enumerate() {
                va[j + (g.start - base + r) * kp] = x;
            }
        }
        let tau: Vec<f64> = ps.iter().map(|g| g.tau).collect();
        crate::lapack_blocked::ormlq_right_n(cols, kp, &va, kp, &tau, &mut vt, base, nb_p);
    } else {
        for g in ps.iter().rev() {
            dlarf_right(&mut vt, &g.v, m == 1, g.tau, 0, vr, g.start);
        }
    }
    Ok((Some(u), d, Some(vt)))
}

/// The SVD of a real m × n matrix with min(m, n) ≤ [`DC_SVD`] ([`SMALL_SVD`] for the values
/// alone), as `dgesdd` computes it:
/// (U, s, Vᵀ) with U m × m and Vᵀ n × n (take the leading min(m, n) columns / rows for the
/// thin factors), or only s when `vectors` is false. `None` for a larger matrix.
pub fn svd(a: &Cm, vectors: bool) -> Option<Result<(Option<Cm>, Vec<f64>, Option<Cm>), NoConvergence>> {
    svd_jobz(a, vectors, true)
}

/// [`svd`] with the factors' shapes chosen as `dgesdd`'s JOBZ does: full (U m × m, Vᵀ n × n)
/// or, when `full` is false, thin (U m × k, Vᵀ k × n), which NumPy's `full_matrices=False`
/// asks for and which can round differently.
pub fn svd_jobz(a: &Cm, vectors: bool, full: bool) -> Option<Result<(Option<Cm>, Vec<f64>, Option<Cm>), NoConvergence>> {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    if k == 0 || k > if vectors { DC_SVD } else { SMALL_SVD } {
        return None;
    }
    // dgesdd factors first when one side is at least about 11/6 of the other.
    let mnthr = k * 11 / 6;
    if k > DC_SVD_QR && ((m >= mnthr && m > n) || (n >= mnthr && n > m)) {
        return None;
    }
    if k >= 2 && m >= mnthr && m > n {
        let (r, q) = qr_factor(a, !vectors);
        return Some(svd_direct(&r, vectors, true).map(|(ur, s, vt)| {
            let u = ur.map(|ur| {
                let top = q.block(m, n).mul(&ur);
                let mut u = q.clone();
                u.v[..m * n].copy_from_slice(&top.v);
                u
            });
            (u, s, vt)
        }));
    }
    if k >= 2 && n >= mnthr && n > m {
        // LQ is the transposed QR of Aᵀ.
        let (r, q) = qr_factor(&a.transpose(), !vectors);
        let (l, qt) = (r.transpose(), q.transpose());
        return Some(svd_direct(&l, vectors, true).map(|(u, s, vtl)| {
            let vt = vtl.map(|vtl| {
                let top = vtl.mul(&qt.block(m, n));
                let mut vt = qt.clone();
                for j in 0..n {
                    for i in 0..m {
                        vt.set(i, j, top.get(i, j));
                    }
                }
                vt
            });
            (u, s, vt)
        }));
    }
    Some(svd_direct(a, vectors, full))
}

// ---- Cholesky ------------------------------------------------------------------------------

/// Largest order for which OpenBLAS's `dpotrf` runs its unblocked `potf2`: half its
/// DTB_ENTRIES (64 on these CPUs). The upper factor is reproduced up to this order only.
pub const SMALL_CHOL: usize = 32;
/// Largest order of the lower factor reproduced (single-thread `dpotrf` below
/// [`POTRF_THREADED`] or with one OpenBLAS thread, the threaded driver from there on).
pub const SMALL_CHOL_LOWER: usize = 4096;
/// Columns per call of OpenBLAS's `syrk_kernel` (GEMM_UNROLL_MN).
const SYRK_UNROLL: usize = 32;

fma_dispatch!(potf2, potf2_fma, potf2_body, (a: &mut [f64], lda: usize, n: usize, lower: bool, info: &mut usize));

/// OpenBLAS's own `potf2` (its `dpotrf` for small orders; not LAPACK's) on the n × n block at
/// the start of `a`: column by column (row by row for the upper factor), the diagonal
/// `a[j, j] - dot`, its square root, the rest of the column updated by `dgemv` with alpha = -1
/// and scaled by the reciprocal of the diagonal. `info` is 0, or j + 1 when the j-th leading
/// minor is not positive (`a[j, j]` then holds the non-positive value, as in LAPACK).
#[inline(always)]
fn potf2_body(a: &mut [f64], lda: usize, n: usize, lower: bool, info: &mut usize) {
    use crate::blas_skx::{dot_strided, dot_unit, gemv_n, gemv_t_acc};
    *info = 0;
    let mut buf = vec![0.0f64; n];
    for j in 0..n {
        let dot = if lower { dot_strided(j, &a[j..], lda, &a[j..], lda) } else { dot_unit(&a[j * lda..j * lda + j], &a[j * lda..j * lda + j]) };
        let ajj = a[j + j * lda] - dot;
        if ajj <= 0.0 {
            a[j + j * lda] = ajj;
            *info = j + 1;
            return;
        }
        let ajj = ajj.sqrt();
        a[j + j * lda] = ajj;
        let rest = n - j - 1;
        if rest == 0 {
            continue;
        }
        let r = 1.0 / ajj;
        if lower {
            // Column j below the diagonal -= A[j+1.., ..j] · A[j, ..j]ᵀ (row j, step lda).
            for (k, b) in buf[..j].iter_mut().enumerate() {
                *b = a[j + k * lda];
            }
            let (left, right) = a.split_at_mut(j * lda);
            let y = &mut right[j + 1..j + 1 + rest];
            if j > 0 {
                gemv_n(rest, j, -1.0, &left[j + 1..], lda, &buf[..j], false, y);
            }
            for v in y.iter_mut() {
                *v *= r;
            }
        } else {
            // Row j right of the diagonal -= A[..j, j]ᵀ · A[..j, j+1..] (x = column j, unit).
            for (k, b) in buf[..rest].iter_mut().enumerate() {
                *b = a[j + (j + 1 + k) * lda];
            }
            if j > 0 {
                let (left, right) = a.split_at((j + 1) * lda);
                gemv_t_acc(j, rest, -1.0, right, lda, &left[j * lda..j * lda + j], &mut buf[..rest]);
            }
            for (k, b) in buf[..rest].iter().enumerate() {
                a[j + (j + 1 + k) * lda] = b * r;
            }
        }
    }
}

// The panel step's two sums, fast and in OpenBLAS's order. Every element of the solved panel
// and of the trailing update is one fused multiply-add chain over the panel's columns in
// increasing order (OpenBLAS's call structure fixes which terms each chain takes, not who runs
// it), so the work is tiled, vectorised across independent rows and columns and shared between
// rayon's threads without changing a bit. The few trailing elements that OpenBLAS's kernel sums
// in 2 or 4 interleaved chains (the row tails of its kernel calls) are redone afterwards.

/// Rows per packed block of the solved panel, and per tile of the kernels below.
const CHOL_RB: usize = 16;
/// Columns per tile.
const CHOL_CT: usize = 8;
/// Row blocks per task of the panel solve.
const CHOL_SOLVE_BLOCKS: usize = 4;
/// Columns per task of the trailing update.
const CHOL_UPDATE_COLS: usize = 64;
/// Multiply-adds of a panel step from which its tasks run on rayon's threads.
const CHOL_PARALLEL_MIN: usize = 1 << 18;

/// `name` runs `body::<2>` compiled for AVX-512 with FMA, `body::<1>` for AVX2 with FMA, or the
/// portable `body::<0>`, by what the CPU has.
macro_rules! wide_dispatch {
    ($name:ident, $body:ident, ($($arg:ident: $ty:ty),*)) => {
        #[allow(clippy::too_many_arguments)]
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx512f,fma")]
                unsafe fn wide($($arg: $ty),*) {
                    $body::<2>($($arg),*)
                }
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx2,fma")]
                unsafe fn narrow($($arg: $ty),*) {
                    $body::<1>($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU has AVX-512F and FMA (checked just above).
                    return unsafe { wide($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU has AVX2 and FMA (checked just above).
                    return unsafe { narrow($($arg),*) };
                }
            }
            $body::<0>($($arg),*)
        }
    };
}

/// The matrix being factored, shared by the tasks of a panel step: each writes its own
/// elements only.
#[derive(Clone, Copy)]
struct SharedCols(*mut f64);
// SAFETY: the tasks given it touch disjoint elements (rows of the panel, columns of the update).
unsafe impl Send for SharedCols {}
// SAFETY: as above.
unsafe impl Sync for SharedCols {}

impl SharedCols {
    /// The element at linear index `i`.
    fn at(self, i: usize) -> *mut f64 {
        self.0.wrapping_add(i)
    }
}

/// `acc[c][i]` carries on its fused multiply-add chain with `x[k][i]·y[k][c]` for k in 0..kn (x
/// packed CHOL_RB values per k, y's CHOL_CT values `ystride` apart per k). `LEVEL` as in
/// `wide_dispatch!`: the caller runs with those CPU features.
#[inline(always)]
fn chain_tile<const LEVEL: u8>(x: &[f64], y: &[f64], ystride: usize, kn: usize, acc: &mut [[f64; CHOL_RB]; CHOL_CT]) {
    if kn == 0 {
        return;
    }
    assert!(x.len() >= kn * CHOL_RB && y.len() >= (kn - 1) * ystride + CHOL_CT);
    #[cfg(target_arch = "x86_64")]
    {
        if LEVEL == 2 {
            // SAFETY: the caller runs with AVX-512F and FMA; the bounds are checked above.
            return unsafe { chain_tile_avx512(x.as_ptr(), y.as_ptr(), ystride, kn, acc) };
        }
        if LEVEL == 1 {
            // SAFETY: the caller runs with AVX2 and FMA; the bounds are checked above.
            return unsafe { chain_tile_avx2(x.as_ptr(), y.as_ptr(), ystride, kn, acc) };
        }
    }
    for k in 0..kn {
        for c in 0..CHOL_CT {
            let yv = y[k * ystride + c];
            for i in 0..CHOL_RB {
                acc[c][i] = x[k * CHOL_RB + i].mul_add(yv, acc[c][i]);
            }
        }
    }
}

/// [`chain_tile`] in 16 AVX-512 accumulators.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
#[inline]
unsafe fn chain_tile_avx512(x: *const f64, y: *const f64, ystride: usize, kn: usize, acc: &mut [[f64; CHOL_RB]; CHOL_CT]) {
    use std::arch::x86_64::*;
    // SAFETY (whole body): x holds kn·CHOL_RB values, y (kn - 1)·ystride + CHOL_CT (checked by
    // the caller); acc is 8 rows of 16.
    unsafe {
        let mut t = [[_mm512_setzero_pd(); 2]; CHOL_CT];
        for (c, tc) in t.iter_mut().enumerate() {
            tc[0] = _mm512_loadu_pd(acc[c].as_ptr());
            tc[1] = _mm512_loadu_pd(acc[c].as_ptr().add(8));
        }
        for k in 0..kn {
            let x0 = _mm512_loadu_pd(x.add(k * CHOL_RB));
            let x1 = _mm512_loadu_pd(x.add(k * CHOL_RB + 8));
            let yk = y.add(k * ystride);
            for (c, tc) in t.iter_mut().enumerate() {
                let b = _mm512_set1_pd(*yk.add(c));
                tc[0] = _mm512_fmadd_pd(x0, b, tc[0]);
                tc[1] = _mm512_fmadd_pd(x1, b, tc[1]);
            }
        }
        for (c, tc) in t.iter().enumerate() {
            _mm512_storeu_pd(acc[c].as_mut_ptr(), tc[0]);
            _mm512_storeu_pd(acc[c].as_mut_ptr().add(8), tc[1]);
        }
    }
}

/// [`chain_tile`] with AVX2: four sub-tiles of 8 rows × 4 columns, 8 accumulators each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn chain_tile_avx2(x: *const f64, y: *const f64, ystride: usize, kn: usize, acc: &mut [[f64; CHOL_RB]; CHOL_CT]) {
    use std::arch::x86_64::*;
    // SAFETY (whole body): as for chain_tile_avx512.
    unsafe {
        for half in [0, 8] {
            for cq in [0, 4] {
                let mut t = [[_mm256_setzero_pd(); 2]; 4];
                for (c, tc) in t.iter_mut().enumerate() {
                    tc[0] = _mm256_loadu_pd(acc[cq + c].as_ptr().add(half));
                    tc[1] = _mm256_loadu_pd(acc[cq + c].as_ptr().add(half + 4));
                }
                for k in 0..kn {
                    let x0 = _mm256_loadu_pd(x.add(k * CHOL_RB + half));
                    let x1 = _mm256_loadu_pd(x.add(k * CHOL_RB + half + 4));
                    let yk = y.add(k * ystride + cq);
                    for (c, tc) in t.iter_mut().enumerate() {
                        let b = _mm256_set1_pd(*yk.add(c));
                        tc[0] = _mm256_fmadd_pd(x0, b, tc[0]);
                        tc[1] = _mm256_fmadd_pd(x1, b, tc[1]);
                    }
                }
                for (c, tc) in t.iter().enumerate() {
                    _mm256_storeu_pd(acc[cq + c].as_mut_ptr().add(half), tc[0]);
                    _mm256_storeu_pd(acc[cq + c].as_mut_ptr().add(half + 4), tc[1]);
                }
            }
        }
    }
}

wide_dispatch!(solve_blocks, solve_blocks_body, (t: &mut [f64], bk: usize, lg: &[f64], inv: &[f64]));
wide_dispatch!(update_cols, update_cols_body, (a: SharedCols, lda: usize, t0: usize, m: usize, p: &[f64], bk: usize, cb: usize, fixes: &[ChainFix]));

/// Solves the packed row blocks `t` (CHOL_RB rows each, CHOL_RB values per column) against the
/// factored diagonal block of order `bk`, as `trsm_kernel_RN` does each row in both `dpotrf('L')`
/// drivers: columns in pairs, each pair first losing the chain of its products with the columns
/// already solved, then a small substitution by the reciprocals `inv` of the diagonal. `lg`
/// holds the diagonal block's rows in groups of CHOL_CT: `lg[group][k][c]` = L[8·group + c, k].
#[inline(always)]
fn solve_blocks_body<const LEVEL: u8>(t: &mut [f64], bk: usize, lg: &[f64], inv: &[f64]) {
    let per = CHOL_RB * bk;
    for (gi, g) in (0..bk).step_by(CHOL_CT).enumerate() {
        let gw = CHOL_CT.min(bk - g);
        let lgg = &lg[gi * bk * CHOL_CT..(gi + 1) * bk * CHOL_CT];
        for ts in t.chunks_exact_mut(per) {
            // The columns of this group: their chains over the columns of earlier groups...
            let mut acc = [[0.0f64; CHOL_RB]; CHOL_CT];
            chain_tile::<LEVEL>(ts, lgg, CHOL_CT, g, &mut acc);
            for kk in (g..g + gw).step_by(2) {
                let two = kk + 1 < bk;
                // ... then over the columns of this group solved so far.
                for c in kk - g..kk - g + 1 + usize::from(two) {
                    for k in g..kk {
                        let l = lgg[k * CHOL_CT + c];
                        let xk: &[f64; CHOL_RB] = ts[k * CHOL_RB..(k + 1) * CHOL_RB].try_into().expect("a packed column");
                        for (s, &x) in acc[c].iter_mut().zip(xk) {
                            *s = x.mul_add(l, *s);
                        }
                    }
                }
                let c0 = kk - g;
                if two {
                    let l10 = lgg[kk * CHOL_CT + c0 + 1];
                    let (i0, i1) = (inv[kk], inv[kk + 1]);
                    let (lo, hi) = ts[kk * CHOL_RB..(kk + 2) * CHOL_RB].split_at_mut(CHOL_RB);
                    for i in 0..CHOL_RB {
                        let x0 = (lo[i] - acc[c0][i]) * i0;
                        lo[i] = x0;
                        hi[i] = (-x0).mul_add(l10, hi[i] - acc[c0 + 1][i]) * i1;
                    }
                } else {
                    let i0 = inv[kk];
                    for (i, v) in ts[kk * CHOL_RB..(kk + 1) * CHOL_RB].iter_mut().enumerate() {
                        *v = (*v - acc[c0][i]) * i0;
                    }
                }
            }
        }
    }
}

/// A trailing element (row, column) that OpenBLAS's kernel sums in `lanes` interleaved chains,
/// and its value before the update.
#[derive(Clone, Copy)]
struct ChainFix {
    r: usize,
    c: usize,
    lanes: usize,
    before: f64,
}

/// Subtracts the solved panel's product (`p`: packed row blocks) from the columns
/// `64·cb..64·cb + 64` of the trailing lower triangle (order m, top-left element at (t0, t0)),
/// each element one chain; then redoes the elements of `fixes` (in those columns) with their
/// interleaved chains, as [`crate::gemm_skx::lane_sum`] sums them.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn update_cols_body<const LEVEL: u8>(a: SharedCols, lda: usize, t0: usize, m: usize, p: &[f64], bk: usize, cb: usize, fixes: &[ChainFix]) {
    let per = CHOL_RB * bk;
    let c_lo = cb * CHOL_UPDATE_COLS;
    let c_hi = (c_lo + CHOL_UPDATE_COLS).min(m);
    for rb in c_lo / CHOL_RB..m.div_ceil(CHOL_RB) {
        let x = &p[rb * per..(rb + 1) * per];
        let (r_lo, r_hi) = (rb * CHOL_RB, ((rb + 1) * CHOL_RB).min(m));
        for c0 in (c_lo..c_hi).step_by(CHOL_CT) {
            if c0 >= r_hi {
                break;
            }
            let y = &p[(c0 / CHOL_RB) * per + c0 % CHOL_RB..];
            let mut acc = [[0.0f64; CHOL_RB]; CHOL_CT];
            chain_tile::<LEVEL>(x, y, CHOL_RB, bk, &mut acc);
            for (c, s) in acc.iter().enumerate().take(c_hi - c0) {
                let col = c0 + c;
                let r0 = r_lo.max(col);
                if r0 >= r_hi {
                    continue;
                }
                // SAFETY: rows t0 + r0..t0 + r_hi of column t0 + col lie in `a`; this task alone
                // writes column col.
                let dst = unsafe { std::slice::from_raw_parts_mut(a.at(t0 + r0 + (t0 + col) * lda), r_hi - r0) };
                for (d, &v) in dst.iter_mut().zip(&s[r0 - r_lo..]) {
                    *d -= v;
                }
            }
        }
    }
    let packed = |r: usize| &p[(r / CHOL_RB) * per + r % CHOL_RB..];
    for f in fixes {
        let (x, y) = (packed(f.r), packed(f.c));
        let s = if f.lanes == 2 { strided_lane_sum::<2>(x, y, bk) } else { strided_lane_sum::<4>(x, y, bk) };
        // SAFETY: (t0 + r, t0 + c) lies in `a`; this task alone writes column c.
        unsafe { *a.at(t0 + f.r + (t0 + f.c) * lda) = f.before - s };
    }
}

/// [`crate::gemm_skx::lane_sum`] in `L` (2 or 4) chains over k terms of packed columns:
/// term q of x and y at index q·CHOL_RB.
#[inline(always)]
fn strided_lane_sum<const L: usize>(x: &[f64], y: &[f64], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let (x, y) = (&x[..(k - 1) * CHOL_RB + 1], &y[..(k - 1) * CHOL_RB + 1]);
    let whole = k / L * L;
    let mut acc = [0.0f64; L];
    for q0 in (0..whole).step_by(L) {
        for (l, a) in acc.iter_mut().enumerate() {
            let q = (q0 + l) * CHOL_RB;
            *a = x[q].mul_add(y[q], *a);
        }
    }
    let mut s = match (whole, L) {
        (0, _) => 0.0,
        (_, 2) => acc[0] + acc[1],
        _ => (acc[0] + acc[1]) + (acc[2] + acc[3]),
    };
    for q in whole..k {
        s = x[q * CHOL_RB].mul_add(y[q * CHOL_RB], s);
    }
    s
}

/// The trailing elements (row, column, chains) that a kernel call of `calls` sums in 2 or 4
/// interleaved chains ([`crate::gemm_skx::kernel_chains`]): the rows of its 8-row and 4-row
/// tails, in the columns of its whole 12-column groups.
fn chain_exceptions(calls: &[SyrkCall]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for call in calls {
        let mut start = call.rows / 16 * 16;
        if call.rows % 16 >= 8 {
            start += 8;
        }
        for cc in 0..call.cols / 12 * 12 {
            let c = call.c0 + cc;
            for rr in start..call.rows {
                let r = call.r0 + rr;
                if !call.lower || r >= c {
                    out.push((r, c, crate::gemm_skx::kernel_chains(rr, call.rows, cc, call.cols)));
                }
            }
        }
    }
    out
}

/// OpenBLAS's single-thread `dpotrf('L')` on the n × n block at the start of `a`: `potf2` up
/// to [`SMALL_CHOL`], otherwise blocks of columns (n / 4 wide, at most GEMM_Q), each factored
/// recursively, then its panel solved and the trailing matrix updated. Returns LAPACK's `info`.
fn potrf_lower(a: &mut [f64], lda: usize, n: usize) -> usize {
    if n <= SMALL_CHOL {
        let mut info = 0;
        potf2(a, lda, n, true, &mut info);
        return info;
    }
    let blocking = if n <= 4 * POTRF_MAX_BLOCK { n / 4 } else { POTRF_MAX_BLOCK };
    let mut j = 0;
    while j < n {
        let bk = blocking.min(n - j);
        let info = potrf_lower(&mut a[j + j * lda..], lda, bk);
        if info != 0 {
            return info + j;
        }
        if j + bk < n {
            potrf_panel_lower(a, lda, n, j, bk, 1);
        }
        j += bk;
    }
    0
}

// ---- OpenBLAS's threaded dpotrf('L') ----------------------------------------------------

/// Order from which NumPy's OpenBLAS runs its threaded `dpotrf` (double precision), when it
/// runs more than one thread.
const POTRF_THREADED: usize = 128;
/// `DGEMM_DEFAULT_UNROLL_N` of the SkylakeX kernel: the threaded driver rounds its blocks to it
/// and hands blocks of up to four times it to the single-thread code.
const POTRF_UNROLL_N: usize = 2;
/// `GEMM_Q`: the widest block of the threaded driver.
const POTRF_MAX_BLOCK: usize = 384;
/// `GEMM_P`: the most rows one kernel pass of the update takes.
const SYRK_ROWS: usize = 192;
/// `SWITCH_RATIO`: the threaded `syrk` driver runs single-threaded below this many rows per
/// thread.
const SYRK_SWITCH_RATIO: usize = 16;
/// NumPy's OpenBLAS runs `dpotrf` on at most one thread per this many rows of the matrix
/// (found against `scipy_dpotrf_64_` with 2..16 threads: the factor of order n with t threads
/// is the one of min(t, n / 64) threads); below two such blocks it runs single-threaded.
const POTRF_ROWS_PER_THREAD: usize = 64;

/// One `dgemm` kernel call of the update on the trailing block: rows `r0..r0 + rows` and columns
/// `c0..c0 + cols` (trailing-block coordinates) lose the panel's product, each element summed as
/// that call sums it ([`crate::gemm_skx::kernel_chains`]); `lower` keeps only row ≥ column (the
/// diagonal tiles `syrk_kernel` computes into a buffer and adds half of).
#[derive(Clone, Copy)]
struct SyrkCall {
    r0: usize,
    rows: usize,
    c0: usize,
    cols: usize,
    lower: bool,
}

/// The kernel calls `syrk_kernel` (lower) makes for an m × n block of the trailing matrix whose
/// top-left element is at (r0, c0), `offset` = r0 - c0: columns wholly below the diagonal in
/// one call, rows above it skipped, rows below the square in one call, then the square in
/// tiles of [`SYRK_UNROLL`] columns (the tile itself, then the rows below it).
fn syrk_kernel_calls(m: usize, n: usize, r0: usize, c0: usize, calls: &mut Vec<SyrkCall>) {
    let (mut m, mut n) = (m as isize, n as isize);
    let (mut r0, mut c0) = (r0 as isize, c0 as isize);
    let mut offset = r0 - c0;
    let mut call = |r0: isize, rows: isize, c0: isize, cols: isize, lower: bool| {
        if rows > 0 && cols > 0 {
            calls.push(SyrkCall { r0: r0 as usize, rows: rows as usize, c0: c0 as usize, cols: cols as usize, lower });
        }
    };
    if m + offset < 0 {
        return;
    }
    if n < offset {
        call(r0, m, c0, n, false);
        return;
    }
    if offset > 0 {
        call(r0, m, c0, offset, false);
        c0 += offset;
        n -= offset;
        offset = 0;
        if n <= 0 {
            return;
        }
    }
    if n > m + offset {
        n = m + offset;
        if n <= 0 {
            return;
        }
    }
    if offset < 0 {
        r0 -= offset;
        m += offset;
        offset = 0;
        if m <= 0 {
            return;
        }
    }
    if m > n - offset {
        call(r0 + n - offset, m - n + offset, c0, n, false);
        m = n + offset;
        if m <= 0 {
            return;
        }
    }
    let tile = SYRK_UNROLL as isize;
    let mut lo = 0;
    while lo < n {
        let nn = tile.min(n - lo);
        call(r0 + lo, nn, c0 + lo, nn, true);
        call(r0 + lo + nn, m - lo - nn, c0 + lo, nn, false);
        lo += tile;
    }
}

/// The rows of the trailing matrix (order m) each thread of the threaded `syrk` owns: widths
/// from the square-root rule that balances the triangle's area, rounded to [`SYRK_UNROLL`],
/// the last thread taking the rest.
fn syrk_shares(m: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    let mask = SYRK_UNROLL - 1;
    let area = m as f64 * m as f64 / threads as f64;
    let mut shares: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while i < m {
        let mut width = m - i;
        if threads - shares.len() > 1 {
            let di = i as f64;
            let w = ((di * di + area).sqrt() - di + mask as f64) as usize / SYRK_UNROLL * SYRK_UNROLL;
            if w <= m - i && w >= mask {
                width = w;
            }
        }
        shares.push(i..i + width);
        i += width;
    }
    shares
}

/// Columns per packed part of a thread's share (its share in two, rounded up to SYRK_UNROLL).
fn syrk_part(len: usize) -> usize {
    len.div_ceil(2).div_ceil(SYRK_UNROLL) * SYRK_UNROLL
}

/// Rows of a pass of the threaded `syrk` when `left` remain (`half_up`: the later passes
/// halve rounding up).
fn syrk_pass(left: usize, half_up: bool) -> usize {
    if left >= 2 * SYRK_ROWS {
        SYRK_ROWS
    } else if left > SYRK_ROWS {
        (if half_up { left.div_ceil(2) } else { left / 2 }).div_ceil(SYRK_UNROLL) * SYRK_UNROLL
    } else {
        left
    }
}

/// Every kernel call of OpenBLAS's single-thread `syrk` driver (lower, `level3_syrk.c`) on a
/// trailing matrix of order m: a first pass of rows against its own columns, then each later
/// pass against its own diagonal block and, in a second call, every column left of it.
fn syrk_local_calls(m: usize) -> Vec<SyrkCall> {
    let mut calls = Vec::new();
    let first = syrk_pass(m, false);
    syrk_kernel_calls(first, first, 0, 0, &mut calls);
    let mut is = first;
    while is < m {
        let rows = syrk_pass(m - is, false);
        syrk_kernel_calls(rows, rows, is, is, &mut calls);
        syrk_kernel_calls(rows, is, is, 0, &mut calls);
        is += rows;
    }
    calls
}

/// Every kernel call of the threaded `syrk` (lower, `level3_syrk_threaded.c`) on a trailing
/// matrix of order m, as `potrf_L_parallel.c` runs it: below `threads` × SWITCH_RATIO rows its
/// single-thread driver ([`syrk_local_calls`]); otherwise each thread first takes the last rows of its share
/// (a pass shortened so the rest divide into whole passes) against its own columns in tiles
/// of [`SYRK_UNROLL`] and then the packed parts of every earlier thread, then its remaining
/// rows from the top in passes, each against its own and every earlier thread's parts.
fn syrk_threaded_calls(m: usize, threads: usize) -> Vec<SyrkCall> {
    let mut calls = Vec::new();
    if m < threads * SYRK_SWITCH_RATIO {
        return syrk_local_calls(m);
    }
    let shares = syrk_shares(m, threads);
    let parts = |r: &std::ops::Range<usize>| {
        let (part, end) = (syrk_part(r.len()), r.end);
        (r.start..end).step_by(part).map(move |x| (x, part.min(end - x)))
    };
    for (me, mine) in shares.iter().enumerate() {
        let len = mine.len();
        let mut last = syrk_pass(len, false);
        let spare = (len - last) % SYRK_ROWS;
        if spare != 0 {
            last -= SYRK_ROWS - spare;
        }
        let top = mine.end - last;
        for (x, w) in parts(mine) {
            for jjs in (x..x + w).step_by(SYRK_UNROLL) {
                syrk_kernel_calls(last, SYRK_UNROLL.min(x + w - jjs), top, jjs, &mut calls);
            }
        }
        for theirs in shares[..me].iter().rev() {
            for (x, w) in parts(theirs) {
                syrk_kernel_calls(last, w, top, x, &mut calls);
            }
        }
        let mut is = mine.start;
        while is < top {
            let rows = syrk_pass(top - is, true);
            for theirs in shares[..=me].iter().rev() {
                for (x, w) in parts(theirs) {
                    syrk_kernel_calls(rows, w, is, x, &mut calls);
                }
            }
            is += rows;
        }
    }
    calls
}

/// Every kernel call of the single-thread update (`potrf_L_single.c`) on a trailing matrix of
/// order m: the rows in passes of [`SYRK_ROWS`], each one `syrk_kernel` over all the columns.
fn syrk_single_calls(m: usize) -> Vec<SyrkCall> {
    let mut calls = Vec::new();
    for is in (0..m).step_by(SYRK_ROWS) {
        syrk_kernel_calls(SYRK_ROWS.min(m - is), m, is, 0, &mut calls);
    }
    calls
}

/// After the diagonal block at (j, j) of order `bk` is factored, OpenBLAS's `dpotrf('L')`
/// solves the rows below it (`trsm_kernel_RN`, [`solve_blocks`]) and subtracts the panel's
/// product from the trailing lower triangle, one kernel product per element, subtracted once
/// ([`update_cols`]), summed as the kernel calls of its single-thread driver
/// ([`syrk_single_calls`], `threads` = 1) or its threaded one ([`syrk_threaded_calls`]) sum it.
fn potrf_panel_lower(a: &mut [f64], lda: usize, n: usize, j: usize, bk: usize, threads: usize) {
    use rayon::prelude::*;
    let t0 = j + bk;
    let m = n - t0;
    let per = CHOL_RB * bk;
    let inv: Vec<f64> = (0..bk).map(|c| 1.0 / a[j + c + (j + c) * lda]).collect();
    let mut lg = vec![0.0f64; bk.div_ceil(CHOL_CT) * bk * CHOL_CT];
    for (gi, blk) in lg.chunks_exact_mut(bk * CHOL_CT).enumerate() {
        let g = gi * CHOL_CT;
        let gw = CHOL_CT.min(bk - g);
        for k in 0..g + gw {
            for c in 0..gw {
                blk[k * CHOL_CT + c] = a[j + g + c + (j + k) * lda];
            }
        }
    }
    let calls = if threads > 1 { syrk_threaded_calls(m, threads) } else { syrk_single_calls(m) };
    let mut fixes: Vec<Vec<ChainFix>> = vec![Vec::new(); m.div_ceil(CHOL_UPDATE_COLS)];
    for (r, c, lanes) in chain_exceptions(&calls) {
        fixes[c / CHOL_UPDATE_COLS].push(ChainFix { r, c, lanes, before: a[t0 + r + (t0 + c) * lda] });
    }
    let parallel = m * m * bk >= CHOL_PARALLEL_MIN && rayon::current_num_threads() > 1;
    let mut p = vec![0.0f64; m.div_ceil(CHOL_RB) * per];
    let shared = SharedCols(a.as_mut_ptr());
    let solve = |(ci, blocks): (usize, &mut [f64])| {
        let r0 = ci * CHOL_SOLVE_BLOCKS * CHOL_RB;
        let rows = (blocks.len() / per * CHOL_RB).min(m - r0);
        let at = |i: usize, k: usize| t0 + r0 + i + (j + k) * lda;
        for (i0, blk) in (0..rows).step_by(CHOL_RB).zip(blocks.chunks_exact_mut(per)) {
            let len = CHOL_RB.min(rows - i0);
            for (k, dst) in blk.chunks_exact_mut(CHOL_RB).enumerate() {
                // SAFETY: rows t0 + r0 + i0.. (len of them) of the panel belong to this task
                // alone, in column j + k of `a`.
                let src = unsafe { std::slice::from_raw_parts(shared.at(at(i0, k)), len) };
                // (a whole block as one fixed-size move, not a memcpy call)
                match (<&mut [f64; CHOL_RB]>::try_from(&mut *dst), <&[f64; CHOL_RB]>::try_from(src)) {
                    (Ok(d), Ok(s)) => *d = *s,
                    _ => dst[..len].copy_from_slice(src),
                }
            }
        }
        solve_blocks(blocks, bk, &lg, &inv);
        for (i0, blk) in (0..rows).step_by(CHOL_RB).zip(blocks.chunks_exact(per)) {
            let len = CHOL_RB.min(rows - i0);
            for (k, src) in blk.chunks_exact(CHOL_RB).enumerate() {
                // SAFETY: as above.
                let dst = unsafe { std::slice::from_raw_parts_mut(shared.at(at(i0, k)), len) };
                match (<&mut [f64; CHOL_RB]>::try_from(&mut *dst), <&[f64; CHOL_RB]>::try_from(src)) {
                    (Ok(d), Ok(s)) => *d = *s,
                    _ => dst.copy_from_slice(&src[..len]),
                }
            }
        }
    };
    let chunk = per * CHOL_SOLVE_BLOCKS;
    if parallel {
        p.par_chunks_mut(chunk).enumerate().for_each(solve);
    } else {
        p.chunks_mut(chunk).enumerate().for_each(solve);
    }
    let update = |cb: usize| update_cols(shared, lda, t0, m, &p, bk, cb, &fixes[cb]);
    if parallel {
        (0..m.div_ceil(CHOL_UPDATE_COLS)).into_par_iter().for_each(update);
    } else {
        (0..m.div_ceil(CHOL_UPDATE_COLS)).for_each(update);
    }
}

/// OpenBLAS's threaded `dpotrf('L')` (`potrf_L_parallel.c`) for `threads` ≥ 2 on the n × n
/// block at the start of `a`: blocks of n/2 columns (rounded up to [`POTRF_UNROLL_N`], at most
/// [`POTRF_MAX_BLOCK`]), each factored by this same driver down to order 4·POTRF_UNROLL_N
/// (then `potf2`), followed by its panel step: the rows below solved by the threaded `dtrsm`
/// (row by row, as the single-thread driver), the trailing triangle updated by the threaded
/// `syrk` ([`syrk_threaded_calls`]). Returns LAPACK's `info`.
fn potrf_lower_threaded(a: &mut [f64], lda: usize, n: usize, threads: usize) -> usize {
    if n <= 4 * POTRF_UNROLL_N {
        return potrf_lower(a, lda, n);
    }
    let blocking = (n / 2).next_multiple_of(POTRF_UNROLL_N).min(POTRF_MAX_BLOCK);
    let mut j = 0;
    while j < n {
        let bk = blocking.min(n - j);
        let info = potrf_lower_threaded(&mut a[j + j * lda..], lda, bk, threads);
        if info != 0 {
            return info + j;
        }
        if j + bk < n {
            potrf_panel_lower(a, lda, n, j, bk, threads);
        }
        j += bk;
    }
    0
}

/// The Cholesky factor of the real symmetric n × n matrix whose lower (or upper) triangle is
/// `a`, in place, as NumPy's `dpotrf` computes it for n ≤ [`SMALL_CHOL_LOWER`] (lower) or
/// [`SMALL_CHOL`] (upper): L (or U), the other triangle zeroed. `Some(Err(()))` when the matrix
/// is not positive definite (`a` is then partly overwritten), `None` (untouched) for a larger one.
pub fn cholesky_in_place(a: &mut Cm, lower: bool) -> Option<Result<(), ()>> {
    let n = a.rows;
    let limit = if lower { SMALL_CHOL_LOWER } else { SMALL_CHOL };
    if n == 0 || n > limit || a.cols != n {
        return None;
    }
    let threads = crate::gemm_skx::blas_threads().min(n / POTRF_ROWS_PER_THREAD);
    let info = if lower && n >= POTRF_THREADED && threads > 1 {
        potrf_lower_threaded(&mut a.v, n, n, threads)
    } else if lower {
        potrf_lower(&mut a.v, n, n)
    } else {
        let mut info = 0;
        potf2(&mut a.v, n, n, false, &mut info);
        info
    };
    if info != 0 {
        return Some(Err(()));
    }
    for j in 0..n {
        let col = &mut a.v[j * n..(j + 1) * n];
        if lower {
            col[..j].fill(0.0);
        } else {
            col[j + 1..].fill(0.0);
        }
    }
    Some(Ok(()))
}

// ---- vector × matrix -------------------------------------------------------------------------

/// n·p from which OpenBLAS's `dgemv` interface hands the product to its threaded driver
/// (2304 × GEMM_MULTITHREAD_THRESHOLD).
const GEMV_THREADED: usize = 2304 * 4;
/// From this m·n on the threaded `dgemv('N')` splits the columns when the rows leave a thread
/// idle (measured on NumPy's OpenBLAS 0.3.31: 460800, whatever the thread count).
const GEMV_N_SPLIT_X: usize = 460_800;
/// Entries of the per-thread buffer of partial results the column split needs (Y_DUMMY_NUM).
const GEMV_N_PARTIALS: usize = 1024;
/// Largest n for which a single column goes through an unthreaded `ddot`.
const DDOT_SINGLE_THREAD: usize = 10000;

fma_dispatch!(vecmat_t, vecmat_t_fma, vecmat_t_body, (m: usize, n: usize, a: &[f64], x: &[f64], y: &mut [f64], threads: usize));
fma_dispatch!(vecmat_n, vecmat_n_fma, vecmat_n_body, (m: usize, n: usize, a: &[f64], x: &[f64], y: &mut [f64], threads: usize));
fma_dispatch!(vecmat_dot, vecmat_dot_fma, vecmat_dot_body, (x: &[f64], b: &[f64], y: &mut [f64]));

/// How `driver/level2/gemv_thread.c` deals `len` outputs (or, `whole` false, columns) to
/// `threads` threads: each takes the ceiling of what is left over the threads left (outputs
/// rounded up to a multiple of four), at least four, in order (measured against NumPy's
/// OpenBLAS 0.3.31).
fn gemv_shares(len: usize, threads: usize, whole: bool) -> Vec<std::ops::Range<usize>> {
    let mut shares: Vec<std::ops::Range<usize>> = Vec::new();
    let mut from = 0;
    while from < len {
        let left = len - from;
        let mut width = left.div_ceil(threads - shares.len());
        if whole {
            width = width.next_multiple_of(4);
        }
        let width = width.max(4).min(left);
        shares.push(from..from + width);
        from += width;
    }
    shares
}

fma_dispatch!(dgemv_vals, dgemv_vals_fma, dgemv_vals_body, (trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, beta: f64, y: &mut [f64], y_unit: bool, threads: usize));

/// OpenBLAS's `dgemv` as NumPy's library runs it (interface, threaded driver and SkylakeX
/// kernels): y ← alpha·op(A)·x + beta·y, op(A) = Aᵀ (`trans`) or A, A m × n with leading
/// dimension `lda`, x and y with positive steps `incx` / `incy` (x: n values, or m for
/// `trans`), on `threads` OpenBLAS threads (NumPy's count: [`crate::gemm_skx::blas_threads`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn dgemv_threads(trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], incx: usize, beta: f64, y: &mut [f64], incy: usize, threads: usize) {
    if m == 0 || n == 0 {
        return;
    }
    let (lenx, leny) = if trans { (m, n) } else { (n, m) };
    let xv: Vec<f64>;
    let x = if incx == 1 {
        &x[..lenx]
    } else {
        xv = (0..lenx).map(|i| x[i * incx]).collect();
        &xv
    };
    if incy == 1 {
        dgemv_vals(trans, m, n, alpha, a, lda, x, incx == 1, beta, &mut y[..leny], true, threads);
    } else {
        let mut yv: Vec<f64> = (0..leny).map(|i| y[i * incy]).collect();
        dgemv_vals(trans, m, n, alpha, a, lda, x, incx == 1, beta, &mut yv, false, threads);
        for (i, v) in yv.into_iter().enumerate() {
            y[i * incy] = v;
        }
    }
}

/// [`dgemv_threads`] on the values of x and y (contiguous here; `x_unit` / `y_unit` say
/// whether the caller passed them with step 1, which picks the kernel's paths). The interface
/// first scales y by beta (`dscal`; beta = 0 stores zeros) and returns when alpha is 0. From
/// m·n = [`GEMV_THREADED`] on the driver deals the outputs to the threads ([`gemv_shares`]:
/// rounded to multiples of four below m·n = [`GEMV_N_SPLIT_X`], not from there on, measured),
/// each share a kernel call of its own: 'T' by columns (a column's sum does not depend on the
/// share, but the kernel groups columns by four from a share's start), 'N' by rows (a share's
/// last rows & 3 take the kernel's scalar path) or, when that leaves a thread idle and the
/// product is large, by columns into zeroed partial results then added to y in turn. The 'N'
/// kernel with a strided y sums a call's first rows & !3 into a zeroed buffer that is then
/// added to y (its scalar tail rows go to y directly).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn dgemv_vals_body(trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, beta: f64, y: &mut [f64], y_unit: bool, threads: usize) {
    if m == 0 || n == 0 {
        return;
    }
    if beta != 1.0 {
        for yi in y.iter_mut() {
            *yi = if beta == 0.0 { 0.0 } else { *yi * beta };
        }
    }
    if alpha == 0.0 {
        return;
    }
    let threads = if m * n < GEMV_THREADED { 1 } else { threads.max(1) };
    // the driver rounds each share to a multiple of four outputs only below this size
    let whole = m * n < GEMV_N_SPLIT_X;
    let leny = if trans { n } else { m };
    let y = &mut y[..leny];
    let shares = gemv_shares(leny, threads, whole);
    if !trans && shares.len() < threads && m * n >= GEMV_N_SPLIT_X && m * threads <= GEMV_N_PARTIALS {
        let mut parts = Vec::new();
        for cols in gemv_shares(n, threads, false) {
            let mut part = vec![0.0f64; m];
            crate::blas_skx::gemv_n(m, cols.len(), alpha, &a[cols.start * lda..], lda, &x[cols], x_unit, &mut part);
            parts.push(part);
        }
        for p in &parts {
            for (yi, v) in y.iter_mut().zip(p) {
                *yi += v;
            }
        }
        return;
    }
    // each share writes its own outputs, in an order that does not depend on the others: the
    // large ones run on rayon's threads
    let mut pieces: Vec<(usize, &mut [f64])> = Vec::with_capacity(shares.len());
    let mut rest = y;
    for r in &shares {
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(r.len());
        pieces.push((r.start, head));
        rest = tail;
    }
    if pieces.len() > 1 && m * n >= GEMV_PARALLEL {
        use rayon::prelude::*;
        pieces.into_par_iter().for_each(|(start, ys)| gemv_share(trans, m, n, alpha, a, lda, x, x_unit, ys, y_unit, start));
    } else {
        for (start, ys) in pieces {
            gemv_share_body(trans, m, n, alpha, a, lda, x, x_unit, ys, y_unit, start);
        }
    }
}

/// m·n from which [`dgemv_vals`] runs the thread shares on rayon's threads.
const GEMV_PARALLEL: usize = 1 << 16;

fma_dispatch!(gemv_share, gemv_share_fma, gemv_share_body, (trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, ys: &mut [f64], y_unit: bool, start: usize));

/// One thread's kernel call of [`dgemv_vals`]: outputs `start..start + ys.len()` (columns of A
/// for `trans`, else rows).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn gemv_share_body(trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, ys: &mut [f64], y_unit: bool, start: usize) {
    use crate::blas_skx::{gemv_n, gemv_t_acc_y};
    let len = ys.len();
    if trans {
        gemv_t_acc_y(m, len, alpha, &a[start * lda..], lda, x, ys, y_unit);
        return;
    }
    let part = &a[start..];
    let nb = if y_unit { 0 } else { len & !3 };
    if nb > 0 {
        let mut buf = vec![0.0f64; nb];
        gemv_n(nb, n, alpha, part, lda, x, x_unit, &mut buf);
        for (yi, v) in ys.iter_mut().zip(&buf) {
            *yi += v;
        }
    }
    if nb < len {
        gemv_n(len - nb, n, alpha, &part[nb..], lda, x, x_unit, &mut ys[nb..]);
    }
}

/// `dgemv('T')`, y = Aᵀx for A m × n (lda = m), as OpenBLAS runs it on `threads` threads
/// ([`dgemv_threads`]).
#[inline(always)]
fn vecmat_t_body(m: usize, n: usize, a: &[f64], x: &[f64], y: &mut [f64], threads: usize) {
    dgemv_vals_body(true, m, n, 1.0, a, m, x, true, 0.0, y, true, threads);
}

/// `dgemv('N')`, y = A·x for A m × n (lda = m), unit-step x, as OpenBLAS runs it on `threads`
/// threads ([`dgemv_threads`]).
#[inline(always)]
fn vecmat_n_body(m: usize, n: usize, a: &[f64], x: &[f64], y: &mut [f64], threads: usize) {
    dgemv_vals_body(false, m, n, 1.0, a, m, x, true, 0.0, y, true, threads);
}

#[inline(always)]
fn vecmat_dot_body(x: &[f64], b: &[f64], y: &mut [f64]) {
    y[0] = crate::blas_skx::dot_unit(x, b);
}

/// NumPy's product of a unit-step vector x (length n) and an n × p float64 matrix B that it
/// holds contiguously, `x @ B` or `dot(x, B)`, rounded as NumPy's OpenBLAS computes it on its
/// SkylakeX kernels: B column-major (`b_fortran`, e.g. the transpose of a C-ordered array) is
/// `dgemv('T')` over B's columns, B row-major is `dgemv('N')` on Bᵀ with a unit-step x (both
/// with alpha = 1, beta = 0, split between OpenBLAS's threads as its driver splits them from
/// n·p = 9216 on: [`crate::gemm_skx::blas_threads`]), and a single column is `ddot`. `b` holds
/// B's values column by column when `b_fortran`, else row by row. `None` for n or p below 2
/// (NumPy multiplies directly then) or a single column long enough for OpenBLAS to thread its
/// `ddot`.
pub fn vecmat(x: &[f64], b: &[f64], n: usize, p: usize, b_fortran: bool) -> Option<Vec<f64>> {
    if n < 2 || p < 1 || (p == 1 && n > DDOT_SINGLE_THREAD) {
        return None;
    }
    assert!(x.len() == n && b.len() == n * p, "vecmat: operand sizes do not match");
    let threads = if n * p < GEMV_THREADED { 1 } else { crate::gemm_skx::blas_threads() };
    let mut y = vec![0.0; p];
    if p == 1 {
        vecmat_dot(x, b, &mut y);
    } else if b_fortran {
        vecmat_t(n, p, b, x, &mut y, threads);
    } else {
        // B's rows are the columns of the p × n matrix Bᵀ (lda = p)
        vecmat_n(p, n, b, x, &mut y, threads);
    }
    Some(y)
}

// ---- symmetric eigenproblem ----------------------------------------------------------------

/// One step of `dsytd2`'s update on the trailing block that starts at (r0, r0), with OpenBLAS's
/// kernels: y = tau·A·v (`dsymv` on the chosen triangle), w = y - (tau/2)(yᵀv)·v (`ddot`,
/// `daxpy`), then A ← A - v·wᵀ - w·vᵀ on that triangle (`dsyr2`: per column, `daxpy` with the
/// w·vᵀ half first).
#[inline(always)]
fn symmetric_update_body(a: &mut Cm, r0: usize, v: &[f64], tau: f64, lower: bool) {
    let len = v.len();
    let lda = a.rows;
    let base = r0 * lda + r0;
    let mut ybuf = [0.0f64; SMALL_EIGH];
    let mut yv;
    let y: &mut [f64] = if len <= ybuf.len() {
        &mut ybuf[..len]
    } else {
        yv = vec![0.0; len];
        &mut yv
    };
    if lower {
        crate::blas_skx::symv_lower(len, tau, &a.v[base..], lda, v, y);
    } else {
        crate::blas_skx::symv_upper(len, tau, &a.v[base..], lda, v, y);
    }
    let alpha = -0.5 * tau * crate::blas_skx::dot_unit(y, v);
    crate::blas_skx::axpy_unit(alpha, v, y);
    for j in 0..len {
        let (lo, hi) = if lower { (j, len) } else { (0, j + 1) };
        let col = &mut a.v[base + j * lda..base + j * lda + len];
        crate::blas_skx::axpy_unit(-v[j], &y[lo..hi], &mut col[lo..hi]);
        crate::blas_skx::axpy_unit(-y[j], &v[lo..hi], &mut col[lo..hi]);
    }
}

/// Householder tridiagonalisation of the symmetric `a` from its lower (or upper) triangle
/// (`dsytd2`): returns (d, e, reflectors), Q = H(0)·H(1)⋯ for the lower case, with each
/// reflector's position given by `Refl::start` (the upper case's reflectors have their unit
/// entry last, at `v.len() - 1`).
pub(crate) fn tridiagonalize(a: &mut Cm, lower: bool) -> (Vec<f64>, Vec<f64>, Vec<Refl>) {
    let n = a.rows;
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n.saturating_sub(1)];
    let mut refls = Vec::new();
    if lower {
        for i in 0..n - 1 {
            let mut x: Vec<f64> = (i + 1..n).map(|r| a.get(r, i)).collect();
            let tau = reflector(&mut x);
            for (r, &xr) in x.iter().enumerate() {
                a.set(i + 1 + r, i, xr);
            }
            e[i] = x[0];
            x[0] = 1.0;
            if tau != 0.0 {
                symmetric_update(a, i + 1, &x, tau, true);
            }
            d[i] = a.get(i, i);
            refls.push(Refl { start: i + 1, v: x, tau });
        }
        d[n - 1] = a.get(n - 1, n - 1);
    } else {
        for i in (1..n).rev() {
            // The reflector annihilates a[0..i-1, i] with alpha = a[i-1, i]: work on the
            // reversed column so that alpha comes first.
            let mut x: Vec<f64> = (0..i).rev().map(|r| a.get(r, i)).collect();
            let tau = reflector_in(&mut x, true);
            for (p, &xp) in x.iter().enumerate() {
                a.set(i - 1 - p, i, xp);
            }
            e[i - 1] = x[0];
            x[0] = 1.0;
            let v: Vec<f64> = x.iter().rev().copied().collect();
            if tau != 0.0 {
                symmetric_update(a, 0, &v, tau, false);
            }
            d[i] = a.get(i, i);
            refls.push(Refl { start: 0, v, tau });
        }
        d[0] = a.get(0, 0);
    }
    (d, e, refls)
}

/// `dsytd2('L')` in place (for the blocked `dsytrd`'s last columns): (d, e, tau), the
/// reflectors left below the subdiagonal as LAPACK stores them.
pub(crate) fn sytd2_lower(a: &mut Cm) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    if a.rows == 1 {
        return (vec![a.get(0, 0)], Vec::new(), Vec::new());
    }
    let (d, e, refls) = tridiagonalize(a, true);
    (d, e, refls.iter().map(|r| r.tau).collect())
}

/// The implicit QL / QR iteration of `dsteqr` on the symmetric tridiagonal (d, e), rotating the
/// columns of `z` along, then sorting increasingly (selection sort on the vectors).
pub(crate) fn tridiagonal_ql(d: &mut [f64], e: &mut [f64], mut z: Option<&mut Cm>) -> Result<(), NoConvergence> {
    let n = d.len();
    if n <= 1 {
        return Ok(());
    }
    let eps2 = EPS * EPS;
    let safmax = 1.0 / SAFMIN;
    let ssfmax = safmax.sqrt() / 3.0;
    let ssfmin = SAFMIN.sqrt() / eps2;
    let maxit = 30 * n;
    let mut jtot = 0;
    let mut wc = vec![0.0; n];
    let mut ws = vec![0.0; n];
    // 1-based positions: d(i) = d[i-1], e(i) = e[i-1].
    let mut l1 = 1;
    while l1 <= n {
        if l1 > 1 {
            e[l1 - 2] = 0.0;
        }
        // The end of the unreduced block starting at l1.
        let mut m = n;
        for mm in l1..n {
            let tst = e[mm - 1].abs();
            if tst == 0.0 {
                m = mm;
                break;
            }
            if tst <= (d[mm - 1].abs().sqrt() * d[mm].abs().sqrt()) * EPS {
                e[mm - 1] = 0.0;
                m = mm;
                break;
            }
        }
        let (mut l, lsv, mut lend, lendsv) = (l1, l1, m, m);
        l1 = m + 1;
        if lend == l {
            continue;
        }
        let anorm = d[l - 1..lend].iter().chain(e[l - 1..lend - 1].iter()).fold(0.0f64, |a, x| a.max(x.abs()));
        if anorm == 0.0 {
            continue;
        }
        let scale_to = if anorm > ssfmax {
            Some(ssfmax)
        } else if anorm < ssfmin {
            Some(ssfmin)
        } else {
            None
        };
        if let Some(t) = scale_to {
            let f = t / anorm;
            d[l - 1..lend].iter_mut().for_each(|x| *x *= f);
            e[l - 1..lend - 1].iter_mut().for_each(|x| *x *= f);
        }
        // QL when the bottom end is the larger, QR otherwise.
        if d[lend - 1].abs() < d[l - 1].abs() {
            lend = lsv;
            l = lendsv;
        }
        if lend > l {
            // QL iteration.
            loop {
                let mut m = lend;
                for mm in l..lend {
                    let tst = e[mm - 1].abs() * e[mm - 1].abs();
                    if tst <= (eps2 * d[mm - 1].abs()) * d[mm].abs() + SAFMIN {
                        m = mm;
                        break;
                    }
                }
                if m < lend {
                    e[m - 1] = 0.0;
                }
                let mut p = d[l - 1];
                if m == l {
                    l += 1;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if m == l + 1 {
                    let (rt1, rt2, c, s) = eig2(d[l - 1], e[l - 1], d[l]);
                    if let Some(z) = z.as_deref_mut() {
                        rotate_cols(z, l - 1, &[c], &[s], Dir::Backward);
                    }
                    d[l - 1] = rt1;
                    d[l] = rt2;
                    e[l - 1] = 0.0;
                    l += 2;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if jtot == maxit {
                    break;
                }
                jtot += 1;
                // Wilkinson-like shift from the top 2 × 2.
                let mut g = (d[l] - p) / (2.0 * e[l - 1]);
                let mut r = hypot2(g, 1.0);
                g = d[m - 1] - p + (e[l - 1] / (g + r.copysign(g)));
                let (mut s, mut c) = (1.0, 1.0);
                p = 0.0;
                for i in (l..m).rev() {
                    let f = s * e[i - 1];
                    let b = c * e[i - 1];
                    let (c2, s2, r2) = givens(g, f);
                    c = c2;
                    s = s2;
                    r = r2;
                    if i != m - 1 {
                        e[i] = r;
                    }
                    g = d[i] - p;
                    r = (d[i - 1] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i] = g + p;
                    g = c * r - b;
                    wc[i - 1] = c;
                    ws[i - 1] = -s;
                }
                if let Some(z) = z.as_deref_mut() {
                    rotate_cols(z, l - 1, &wc[l - 1..m - 1], &ws[l - 1..m - 1], Dir::Backward);
                }
                d[l - 1] -= p;
                e[l - 1] = g;
            }
        } else {
            // QR iteration.
            loop {
                let mut m = lend;
                for mm in (lend + 1..=l).rev() {
                    let tst = e[mm - 2].abs() * e[mm - 2].abs();
                    if tst <= (eps2 * d[mm - 1].abs()) * d[mm - 2].abs() + SAFMIN {
                        m = mm;
                        break;
                    }
                }
                if m > lend {
                    e[m - 2] = 0.0;
                }
                let mut p = d[l - 1];
                if m == l {
                    if l == lend {
                        break;
                    }
                    l -= 1;
                    if l >= lend {
                        continue;
                    }
                    break;
                }
                if m + 1 == l {
                    let (rt1, rt2, c, s) = eig2(d[l - 2], e[l - 2], d[l - 1]);
                    if let Some(z) = z.as_deref_mut() {
                        rotate_cols(z, l - 2, &[c], &[s], Dir::Forward);
                    }
                    d[l - 2] = rt1;
                    d[l - 1] = rt2;
                    e[l - 2] = 0.0;
                    if l < lend + 2 {
                        break;
                    }
                    l -= 2;
                    continue;
                }
                if jtot == maxit {
                    break;
                }
                jtot += 1;
                let mut g = (d[l - 2] - p) / (2.0 * e[l - 2]);
                let mut r = hypot2(g, 1.0);
                g = d[m - 1] - p + (e[l - 2] / (g + r.copysign(g)));
                let (mut s, mut c) = (1.0, 1.0);
                p = 0.0;
                for i in m..l {
                    let f = s * e[i - 1];
                    let b = c * e[i - 1];
                    let (c2, s2, r2) = givens(g, f);
                    c = c2;
                    s = s2;
                    r = r2;
                    if i != m {
                        e[i - 2] = r;
                    }
                    g = d[i - 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i - 1] = g + p;
                    g = c * r - b;
                    wc[i - 1] = c;
                    ws[i - 1] = s;
                }
                if let Some(z) = z.as_deref_mut() {
                    rotate_cols(z, m - 1, &wc[m - 1..l - 1], &ws[m - 1..l - 1], Dir::Forward);
                }
                d[l - 1] -= p;
                e[l - 2] = g;
            }
        }
        if let Some(t) = scale_to {
            let f = anorm / t;
            d[lsv - 1..lendsv].iter_mut().for_each(|x| *x *= f);
            e[lsv - 1..lendsv - 1].iter_mut().for_each(|x| *x *= f);
        }
        if jtot >= maxit {
            if e.iter().any(|&x| x != 0.0) {
                return Err(NoConvergence);
            }
            break;
        }
    }
    sort_increasing(d, |i, k| {
        if let Some(z) = z.as_deref_mut() {
            z.swap_cols(i, k);
        }
    });
    Ok(())
}

/// Eigenvalues (increasing) and, when `vectors`, eigenvectors (columns) of the real symmetric
/// n × n matrix whose lower (or upper) triangle is `a`, as `dsyevd` computes them, for
/// n ≤ [`EIGH_MAX`]; `None` for a larger matrix.
pub fn eigh(a: &Cm, lower: bool, vectors: bool) -> Option<Result<(Vec<f64>, Option<Cm>), NoConvergence>> {
    if a.rows > EIGH_MAX {
        return None;
    }
    eigh_unblocked(a, lower, vectors)
}

/// [`eigh`] at any order, `dsyevd`'s reduction and back-transformation kept unblocked (LAPACK
/// blocks them beyond order 32: the same signs and order, other last bits).
pub fn eigh_unblocked(a: &Cm, lower: bool, vectors: bool) -> Option<Result<(Vec<f64>, Option<Cm>), NoConvergence>> {
    let n = a.rows;
    if n == 0 {
        return None;
    }
    if n == 1 {
        return Some(Ok((vec![a.get(0, 0)], if vectors { Some(Cm::eye(1)) } else { None })));
    }
    let mut w = a.clone();
    let (mut d, mut e, refls) = tridiagonalize(&mut w, lower);
    if !vectors {
        return Some(tridiagonal_ql(&mut d, &mut e, None).map(|_| (d, None)));
    }
    let mut z = match crate::lapack_stedc::stedc(&mut d, &mut e) {
        Ok(z) => z,
        Err(x) => return Some(Err(x)),
    };
    // Z ← Q·Z: for the lower case Q = H(0)⋯H(n-2) acts on rows 1..n, the last reflector
    // first; for the upper case Q = H(n-2)⋯H(0) (built from the bottom), H(0) of the
    // smallest block first.
    for h in refls.iter().rev() {
        dlarf_left(&mut z, &h.v, h.tau, h.start, 0, n);
    }
    Some(Ok((d, Some(z))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_svd(m: usize, n: usize, seed: u64) {
        let mut s = seed;
        let a = Cm::from_fn(m, n, |_, _| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        });
        let (u, sv, vt) = svd(&a, true).unwrap().unwrap();
        let (u, vt) = (u.unwrap(), vt.unwrap());
        let k = m.min(n);
        let us = Cm::from_fn(m, k, |i, j| u.get(i, j) * sv[j]);
        let rec = us.mul(&vt.block(k, n));
        for (x, y) in rec.v.iter().zip(&a.v) {
            assert!((x - y).abs() < 1e-13, "{m}x{n}: {x} vs {y}");
        }
        for w in sv.windows(2) {
            assert!(w[0] >= w[1]);
        }
    }

    #[test]
    fn svd_reconstructs() {
        for (m, n) in [(1, 1), (2, 2), (3, 3), (5, 5), (8, 8), (3, 2), (2, 3), (7, 3), (3, 7), (20, 20), (25, 4)] {
            for seed in 0..5 {
                check_svd(m, n, seed);
            }
        }
    }

    #[test]
    fn eigh_reconstructs() {
        for n in [1, 2, 3, 4, 7, 12] {
            for lower in [true, false] {
                let b = Cm::from_fn(n, n, |i, j| ((i * 7 + j * 3) % 5) as f64 - 2.0 + (i == j) as usize as f64);
                let a = Cm::from_fn(n, n, |i, j| b.get(i, j) + b.get(j, i));
                let (w, z) = eigh(&a, lower, true).unwrap().unwrap();
                let z = z.unwrap();
                let az = a.mul(&z);
                for j in 0..n {
                    for i in 0..n {
                        assert!((az.get(i, j) - w[j] * z.get(i, j)).abs() < 1e-12);
                    }
                }
            }
        }
    }
}

// ---- general 2 × 2 eigenproblem --------------------------------------------------------------

/// `dlanv2`: the standardised Schur factorisation of the real 2 × 2 [a b; c d]: returns the
/// Schur form (a, b, c, d) (c = 0 for real eigenvalues; a = d and b·c < 0 for a complex pair)
/// and the rotation (cs, sn).
pub(crate) fn schur2(mut a: f64, mut b: f64, mut c: f64, mut d: f64) -> ([f64; 4], f64, f64) {
    let eps = f64::EPSILON;
    let (mut cs, mut sn);
    if c == 0.0 {
        cs = 1.0;
        sn = 0.0;
    } else if b == 0.0 {
        // Swap rows and columns.
        cs = 0.0;
        sn = 1.0;
        std::mem::swap(&mut a, &mut d);
        b = -c;
        c = 0.0;
    } else if a - d == 0.0 && 1f64.copysign(b) != 1f64.copysign(c) {
        cs = 1.0;
        sn = 0.0;
    } else {
        let temp = a - d;
        let mut p = 0.5 * temp;
        let bcmax = b.abs().max(c.abs());
        let bcmis = b.abs().min(c.abs()) * 1f64.copysign(b) * 1f64.copysign(c);
        let scale = p.abs().max(bcmax);
        let mut z = (p / scale) * p + (bcmax / scale) * bcmis;
        if z >= 4.0 * eps {
            // Real eigenvalues.
            z = p + (scale.sqrt() * z.sqrt()).copysign(p);
            a = d + z;
            d -= (bcmax / z) * bcmis;
            let tau = hypot2(c, z);
            cs = z / tau;
            sn = c / tau;
            b -= c;
            c = 0.0;
        } else {
            // A complex pair or (almost) equal real eigenvalues: equalise the diagonal.
            let sigma = b + c;
            let tau = hypot2(sigma, temp);
            cs = (0.5 * (1.0 + sigma.abs() / tau)).sqrt();
            sn = -(p / (tau * cs)) * 1f64.copysign(sigma);
            let aa = a * cs + b * sn;
            let bb = -a * sn + b * cs;
            let cc = c * cs + d * sn;
            let dd = -c * sn + d * cs;
            a = aa * cs + cc * sn;
            b = bb * cs + dd * sn;
            c = -aa * sn + cc * cs;
            d = -bb * sn + dd * cs;
            let mid = 0.5 * (a + d);
            a = mid;
            d = mid;
            if c != 0.0 {
                if b != 0.0 {
                    if 1f64.copysign(b) == 1f64.copysign(c) {
                        // Real after all: reduce to upper triangular form.
                        let sab = b.abs().sqrt();
                        let sac = c.abs().sqrt();
                        p = (sab * sac).copysign(c);
                        let tau = 1.0 / (b + c).abs().sqrt();
                        a = mid + p;
                        d = mid - p;
                        b -= c;
                        c = 0.0;
                        let (cs1, sn1) = (sab * tau, sac * tau);
                        let t = cs * cs1 - sn * sn1;
                        sn = cs * sn1 + sn * cs1;
                        cs = t;
                    }
                } else {
                    b = -c;
                    c = 0.0;
                    let t = cs;
                    cs = -sn;
                    sn = t;
                }
            }
        }
    }
    ([a, b, c, d], cs, sn)
}

/// `dgebal`'s scaling step for one row/column: the power of 2 to scale column `i` by (and
/// row `i` by its inverse), from the column's and row's 2-norms `c`, `r` and largest
/// magnitudes `ca`, `ra` and the scale so far; None when it should stay as it is.
pub(crate) fn balance_factor(mut c: f64, mut r: f64, mut ca: f64, mut ra: f64, scale: f64) -> Option<f64> {
    let sfmin1 = SAFMIN / f64::EPSILON;
    let sfmax1 = 1.0 / sfmin1;
    let sfmin2 = sfmin1 * 2.0;
    let sfmax2 = 1.0 / sfmin2;
    if c == 0.0 || r == 0.0 {
        return None;
    }
    let mut g = r / 2.0;
    let mut f = 1.0f64;
    let s = c + r;
    while !(c >= g || f.max(c).max(ca) >= sfmax2 || r.min(g).min(ra) <= sfmin2) {
        f *= 2.0;
        c *= 2.0;
        ca *= 2.0;
        r /= 2.0;
        g /= 2.0;
        ra /= 2.0;
    }
    g = c / 2.0;
    while !(g < r || r.max(ra) >= sfmax2 || f.min(c).min(g).min(ca) <= sfmin2) {
        f /= 2.0;
        c /= 2.0;
        g /= 2.0;
        ca /= 2.0;
        r *= 2.0;
        ra *= 2.0;
    }
    let converged = c + r >= 0.95 * s;
    let underflows = f < 1.0 && scale < 1.0 && f * scale <= sfmin1;
    let overflows = f > 1.0 && scale > 1.0 && scale >= sfmax1 / f;
    (!converged && !underflows && !overflows).then_some(f)
}

/// Eigenvalues (re, im) and right eigenvectors (columns of (re, im) entries) of the real 2 × 2
/// matrix `m` (row-major) with both off-diagonal entries non-zero, as `dgeev` computes them:
/// balancing by powers of 2 (`dgebal`), the deflation test and standardised Schur form of
/// `dlahqr`/`dlanv2` (which decides between a real pair and a complex one exactly as NumPy's
/// LAPACK does, also for a defective matrix), the eigenvectors of the Schur form (`dtrevc3`),
/// the balancing undone and the vectors normalised (unit 2-norm; for a complex pair the entry
/// of largest modulus made real).
pub fn eig_general2(m: [[f64; 2]; 2]) -> ([(f64, f64); 2], [[(f64, f64); 2]; 2]) {
    let mut h = m;
    // dgebal: scale by powers of 2 so that each row and column have similar norms.
    let mut scale = [1.0f64; 2];
    loop {
        let mut changed = false;
        for i in 0..2 {
            // LAPACK 3.11+ measures the whole column and row (2-norms, diagonal included).
            let (c, r) = (norm2(&[h[0][i], h[1][i]]), norm2(&h[i]));
            let ca = h[0][i].abs().max(h[1][i].abs());
            let ra = h[i][0].abs().max(h[i][1].abs());
            let Some(f) = balance_factor(c, r, ca, ra, scale[i]) else { continue };
            let g = 1.0 / f;
            scale[i] *= f;
            changed = true;
            h[i][0] *= g;
            h[i][1] *= g;
            h[0][i] *= f;
            h[1][i] *= f;
        }
        if !changed {
            break;
        }
    }
    // dlahqr's test for a negligible subdiagonal entry.
    let ulp = f64::EPSILON;
    let smlnum = SAFMIN * (2.0 / ulp);
    let mut split = h[1][0].abs() <= smlnum;
    let tst = h[0][0].abs() + h[1][1].abs();
    if !split && tst != 0.0 && h[1][0].abs() <= ulp * tst {
        let ab = h[1][0].abs().max(h[0][1].abs());
        let ba = h[1][0].abs().min(h[0][1].abs());
        let aa = h[1][1].abs().max((h[0][0] - h[1][1]).abs());
        let bb = h[1][1].abs().min((h[0][0] - h[1][1]).abs());
        let s = aa + ab;
        split = ba * (ab / s) <= smlnum.max(ulp * (bb * (aa / s)));
    }
    let (t, cs, sn) = if split { ([h[0][0], h[0][1], 0.0, h[1][1]], 1.0, 0.0) } else { schur2(h[0][0], h[0][1], h[1][0], h[1][1]) };
    // Z = the rotation; its columns are the Schur vectors.
    let z = [[cs, -sn], [sn, cs]];
    let mut w = [(t[0], 0.0), (t[3], 0.0)];
    // vr[k] = column k as [row0, row1].
    let mut vr = [[0.0f64; 2]; 2];
    if t[2] == 0.0 {
        // Real eigenvalues: x = [1, 0] for t11, x = [-t12 / (t11 - t22), 1] for t22.
        let smin = (ulp * t[3].abs()).max(smlnum);
        let mut den = t[0] - t[3];
        if den.abs() < smin {
            den = smin;
        }
        let x1 = -t[1] / den;
        vr[1] = [z[0][0] * x1 + z[0][1], z[1][0] * x1 + z[1][1]];
        vr[0] = [z[0][0], z[1][0]];
        for col in &mut vr {
            let k = if col[1].abs() > col[0].abs() { 1 } else { 0 };
            let remax = 1.0 / col[k].abs();
            col[0] *= remax;
            col[1] *= remax;
        }
    } else {
        let wi = t[1].abs().sqrt() * t[2].abs().sqrt();
        w = [(t[0], wi), (t[3], -wi)];
        let (xr, xi) = if t[1].abs() >= t[2].abs() { ([1.0, 0.0], [0.0, wi / t[1]]) } else { ([-wi / t[2], 0.0], [0.0, 1.0]) };
        vr[0] = [z[0][0] * xr[0] + z[0][1] * xr[1], z[1][0] * xr[0] + z[1][1] * xr[1]];
        vr[1] = [z[0][0] * xi[0] + z[0][1] * xi[1], z[1][0] * xi[0] + z[1][1] * xi[1]];
        let emax = (vr[0][0].abs() + vr[1][0].abs()).max(vr[0][1].abs() + vr[1][1].abs());
        let remax = 1.0 / emax;
        for col in &mut vr {
            col[0] *= remax;
            col[1] *= remax;
        }
    }
    // dgebak: undo the balancing.
    for col in &mut vr {
        col[0] *= scale[0];
        col[1] *= scale[1];
    }
    // dgeev's normalisation.
    let mut out = [[(0.0, 0.0); 2]; 2];
    if t[2] == 0.0 {
        for (k, col) in vr.iter().enumerate() {
            let s = 1.0 / norm2(col);
            out[k] = [(col[0] * s, 0.0), (col[1] * s, 0.0)];
        }
    } else {
        let s = 1.0 / hypot2(norm2(&vr[0]), norm2(&vr[1]));
        let (mut re, mut im) = ([vr[0][0] * s, vr[0][1] * s], [vr[1][0] * s, vr[1][1] * s]);
        let m0 = re[0] * re[0] + im[0] * im[0];
        let m1 = re[1] * re[1] + im[1] * im[1];
        let k = if m1 > m0 { 1 } else { 0 };
        let (c, s, _) = givens(re[k], im[k]);
        for r in 0..2 {
            let (x, y) = (re[r], im[r]);
            re[r] = c * x + s * y;
            im[r] = c * y - s * x;
        }
        im[k] = 0.0;
        out[0] = [(re[0], im[0]), (re[1], im[1])];
        out[1] = [(re[0], -im[0]), (re[1], -im[1])];
    }
    (w, out)
}
