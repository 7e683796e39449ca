//! `dgemm` as NumPy's bundled OpenBLAS (scipy-openblas 0.3.31) computes it on a CPU it classes
//! as SkylakeX, so that the LAPACK routines built on it ([`crate::lapack_small`] and the
//! divide-and-conquer solvers) and NumPy's own matrix products round exactly as NumPy's do.
//! Column-major, Fortran conventions.
//!
//! What decides the bits (read from OpenBLAS's sources and its compiled library):
//! - `interface/gemm.c` sends a product with M·N·K ≤ 10⁶ to the "small matrix" kernels
//!   (`dgemm_small_matrix_permit_SKYLAKEX`; with A transposed and B not, only when M·N ≤ 1200 and
//!   K ≥ 32). Those run one fused multiply-add chain per element over all of K from +0, then
//!   store `acc·alpha` (β = 0) or `fma(C, β, acc·alpha)`; except where they work "dot-like" (A
//!   transposed and B not, and the last M mod 8 ≤ 4 rows of the plain case when K ≥ 16): eight
//!   chains by k mod 8 that are then added in one of two fixed trees (see [`Tree`]).
//! - Everything else is the blocked path (`driver/level3`): C is scaled by β first (β = 0
//!   zeroes it, β = 1 leaves it), then for each block of K (`GEMM_Q` = 384; a remainder between
//!   one and two blocks is halved, differently when OpenBLAS threads the product) the kernel
//!   `dgemm_kernel_16x2_skylakex` adds `fma(acc, alpha, C)` with `acc` one fused chain per
//!   element over the block — except, in the 0.3.31 build (read from its machine code), the
//!   last rows of a kernel call that fall in a 4-row block (two chains, even and odd k) or in
//!   2- and 1-row blocks (four chains by k mod 4) when the call hands the kernel 12 columns at
//!   once; which calls do that follows from how the single-thread and threaded drivers cut C
//!   (see the blocked path below). The thread count is OpenBLAS's (see [`blas_threads`]).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether an operand enters the product as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trans {
    No,
    Yes,
}

/// The blocking OpenBLAS uses for doubles on SkylakeX (the `gotoblas_SKYLAKEX` table of NumPy's
/// library: `dgemm_p`, `dgemm_q`, `dgemm_r`; `SWITCH_RATIO`, `GEMM_PREFERED_SIZE`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Blocking {
    /// Rows of A packed per pass.
    pub(crate) p: usize,
    /// The K extent of one pass.
    pub(crate) q: usize,
    /// Columns of B per outer pass.
    pub(crate) r: usize,
    /// The fewest rows / columns a thread's share of C may have.
    pub(crate) switch_ratio: usize,
    /// What the threaded driver rounds a thread's share of rows and columns up to.
    pub(crate) prefered: usize,
}

pub(crate) const SKX: Blocking = Blocking { p: 192, q: 384, r: 10704, switch_ratio: 16, prefered: 16 };
/// `DGEMM_DEFAULT_UNROLL_M` (the drivers round halved blocks to it).
const UNROLL_M: usize = 16;
/// `DIVIDE_RATE` of the threaded driver: each thread packs its share of B in this many parts.
const DIVIDE_RATE: usize = 2;
/// `SMP_THRESHOLD_MIN · GEMM_MULTITHREAD_THRESHOLD`: M·N·K up to which OpenBLAS runs one thread.
const SMP_WORK: f64 = 65536.0 * 4.0;
/// M·N·K up to which the small-matrix kernels are permitted.
const SMALL_WORK: f64 = 1.0e6;

/// Threads OpenBLAS is taken to run with (0: not decided yet). Only the split of K between one
/// and two blocks depends on it.
static BLAS_THREADS: AtomicUsize = AtomicUsize::new(0);

/// The thread count OpenBLAS would pick at start-up: `OPENBLAS_NUM_THREADS`, `GOTO_NUM_THREADS`
/// or `OMP_NUM_THREADS` when set below the CPU count, else the CPUs this process may use (at most
/// 64, the library's `MAX_THREADS`).
pub fn blas_threads() -> usize {
    let t = BLAS_THREADS.load(Ordering::Relaxed);
    if t != 0 {
        return t;
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()).min(64);
    let from_env = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]
        .iter()
        .find_map(|var| std::env::var(var).ok()?.trim().parse::<usize>().ok().filter(|&n| n > 0));
    let t = from_env.map_or(cpus, |n| n.min(cpus));
    BLAS_THREADS.store(t, Ordering::Relaxed);
    t
}

/// Tells the model how many threads NumPy's OpenBLAS runs (e.g. after `threadpoolctl` changed it).
pub fn set_blas_threads(threads: usize) {
    BLAS_THREADS.store(threads.clamp(1, 64), Ordering::Relaxed);
}

/// `C := alpha·op(A)·op(B) + beta·C` with op(A) m × k, op(B) k × n, C m × n (`dgemm`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn dgemm(
    ta: Trans,
    tb: Trans,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    beta: f64,
    c: &mut [f64],
    ldc: usize,
) {
    dgemm_with(&SKX, blas_threads(), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/// [`dgemm`] for a given blocking and OpenBLAS thread count.
#[allow(clippy::too_many_arguments)]
pub(crate) fn dgemm_with(
    bl: &Blocking,
    ncpu: usize,
    ta: Trans,
    tb: Trans,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    beta: f64,
    c: &mut [f64],
    ldc: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    let a = Operand { v: a, ld: lda, t: ta == Trans::Yes };
    let b = Operand { v: b, ld: ldb, t: tb == Trans::Yes };
    let c = Out { v: c, ld: ldc };
    if small_permitted(ta, tb, m, n, k) {
        small_path(ta, tb, m, n, k, alpha, a, b, beta, c);
    } else {
        blocked_path(m, n, k, alpha, a, b, beta, c, ncpu, bl);
    }
}

/// NumPy's `a @ b` for row-major (C-ordered) float64 operands handed to OpenBLAS through
/// `cblas_dgemm(CblasRowMajor, …, alpha = 1, beta = 0)`: A is m × k with row stride `lda`
/// (`a_trans`: stored as its k × m transpose, row stride `lda`), likewise B (k × n); the result is
/// the m × n row-major product. OpenBLAS computes it column-major as Cᵀ = op(B)ᵀ·op(A)ᵀ.
#[allow(clippy::too_many_arguments)]
pub fn matmul_rowmajor(m: usize, n: usize, k: usize, a: &[f64], lda: usize, a_trans: bool, b: &[f64], ldb: usize, b_trans: bool) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    let flag = |t: bool| if t { Trans::Yes } else { Trans::No };
    dgemm(flag(b_trans), flag(a_trans), n, m, k, 1.0, b, ldb, a, lda, 0.0, &mut c, n);
    c
}

/// [`dtrmm`] with booleans for its flags (for callers outside this crate); returns whether the
/// shape is one where it was checked to be NumPy's bits.
#[allow(clippy::too_many_arguments)]
pub fn dtrmm_fortran(left: bool, upper: bool, trans: bool, unit: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, b: &mut [f64], ldb: usize) -> bool {
    let side = if left { Side::Left } else { Side::Right };
    dtrmm(side, upper, if trans { Trans::Yes } else { Trans::No }, unit, m, n, alpha, a, lda, b, ldb)
}

/// [`dgemm`] with the transpose flags as booleans (for callers outside this crate).
#[allow(clippy::too_many_arguments)]
pub fn dgemm_fortran(transa: bool, transb: bool, m: usize, n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, beta: f64, c: &mut [f64], ldc: usize) {
    let flag = |t: bool| if t { Trans::Yes } else { Trans::No };
    dgemm(flag(transa), flag(transb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/// Column-major operand: element (r, c) of op(X).
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a> {
    pub(crate) v: &'a [f64],
    pub(crate) ld: usize,
    pub(crate) t: bool,
}

impl Operand<'_> {
    #[inline(always)]
    fn at(&self, r: usize, c: usize) -> f64 {
        if self.t { self.v[c + r * self.ld] } else { self.v[r + c * self.ld] }
    }
}

/// Column-major result matrix.
pub(crate) struct Out<'a> {
    pub(crate) v: &'a mut [f64],
    pub(crate) ld: usize,
}

impl Out<'_> {
    #[inline(always)]
    fn at(&mut self, i: usize, j: usize) -> &mut f64 {
        &mut self.v[i + j * self.ld]
    }
}

/// `dgemm_small_matrix_permit_SKYLAKEX`.
fn small_permitted(ta: Trans, tb: Trans, m: usize, n: usize, k: usize) -> bool {
    if m as f64 * n as f64 * k as f64 > SMALL_WORK {
        return false;
    }
    if ta == Trans::Yes && tb == Trans::No {
        return m * n <= 1200 && k >= 32;
    }
    true
}

// ---- blocked path -----------------------------------------------------------------------------
//
// The driver hands the kernel rectangles of C; the kernel walks each in column blocks of 12, 10,
// 8, 6, 4, 2, 1 and, within those, row blocks of 16, 8, 4, 2, 1. Every element is one fused
// chain over the K block, except in a block of 12 columns the rows of a 4-row block (two chains,
// even and odd k, added, then the odd last k) and of 2- and 1-row blocks (four chains by k mod 4,
// added pairwise, then the last K mod 4 terms). Which elements those are depends on how the
// driver cut C: the single-thread driver feeds its first pass of rows at most six columns at a
// time, later passes whole; the threaded one gives each thread a band of rows, and feeds the
// first pass of that band its own columns six at a time but the other threads' columns in
// halves of their shares.

/// Threads OpenBLAS's interface gives a product of M·N·K multiply-adds (`get_gemm_optimal_nthreads`).
fn threads_for(mnk: f64, ncpu: usize) -> usize {
    if mnk <= SMP_WORK {
        1
    } else if mnk / (ncpu as f64) < SMP_WORK {
        (mnk / SMP_WORK) as usize
    } else {
        ncpu
    }
}

/// The thread grid (row bands, column bands) `level3_thread.c` picks for an m × n product.
fn thread_grid(m: usize, n: usize, nthreads: usize, bl: &Blocking) -> (usize, usize) {
    let sr = bl.switch_ratio;
    let mut by_rows = if m < 2 * sr {
        1
    } else {
        let mut t = nthreads;
        while m < t * sr {
            t /= 2;
        }
        t
    };
    let mut by_cols = 1;
    if n >= sr * by_rows {
        by_cols = n.div_ceil(sr * by_rows);
        if by_rows * by_cols > nthreads {
            by_cols = nthreads / by_rows;
        }
        // make each thread's share as square as the factors of `by_rows` allow
        let (mut cost, mut div) = (0usize, 0usize);
        let mut i = 1;
        while (i as f64) <= (by_rows as f64).sqrt() {
            if by_rows % i == 0 {
                let j = by_rows / i;
                let cost_i = n * j + m * by_cols * i;
                let cost_j = n * i + m * by_cols * j;
                if cost == 0 || cost_i < cost {
                    cost = cost_i;
                    div = i;
                }
                if cost_j < cost {
                    cost = cost_j;
                    div = j;
                }
            }
            i += 1;
        }
        if div > 1 {
            by_rows /= div;
            by_cols *= div;
        }
    }
    (by_rows, by_cols)
}

/// `round_up` of the threaded driver.
fn round_up(remainder: usize, width: usize, multiple: usize) -> usize {
    if multiple > remainder || width <= multiple { width } else { width.div_ceil(multiple) * multiple }
}

/// Boundaries of the row bands (`range_M`): `parts + 1` entries, later bands possibly empty.
fn row_bands(m: usize, parts: usize, bl: &Blocking) -> Vec<usize> {
    let mut bounds = vec![0];
    let mut rest = m as isize;
    let mut done = 0;
    while rest > 0 {
        let width = round_up(rest as usize, (rest as usize + parts - done - 1) / (parts - done), bl.prefered) as isize;
        rest -= width;
        let width = if rest < 0 { width + rest } else { width };
        bounds.push(bounds[done] + width as usize);
        done += 1;
    }
    while bounds.len() < parts + 1 {
        bounds.push(m);
    }
    bounds
}

/// Boundaries of the column shares (`range_N`) of `n` columns from `start`: one per thread,
/// `by_cols` groups of `by_rows`.
fn col_shares(start: usize, n: usize, by_rows: usize, by_cols: usize, bl: &Blocking) -> Vec<usize> {
    let mut bounds = vec![start];
    let mut rest = n;
    for j in 0..by_cols {
        let width_n = (rest + by_cols - j - 1) / (by_cols - j);
        rest -= width_n;
        let mut left = width_n as isize;
        for i in 0..by_rows {
            let mut width = (left.max(0) as usize + by_rows - i - 1) / (by_rows - i);
            width = width.max(bl.switch_ratio);
            let mut width = round_up(left.max(0) as usize, width, bl.prefered) as isize;
            left -= width;
            if left < 0 {
                width += left;
                left = 0;
            }
            let last = *bounds.last().unwrap();
            bounds.push(last + width as usize);
        }
    }
    bounds
}

/// The first pass of rows (the same in both drivers): all if at most `p`, half (rounded up to
/// the unroll) if under 2p, else p.
fn first_pass(rows: usize, bl: &Blocking) -> usize {
    if rows >= 2 * bl.p {
        bl.p
    } else if rows > bl.p {
        (rows / 2).div_ceil(UNROLL_M) * UNROLL_M
    } else {
        rows
    }
}

/// A later pass of rows; the threaded driver halves rounding up.
fn later_pass(rows: usize, bl: &Blocking, threaded: bool) -> usize {
    if rows >= 2 * bl.p {
        bl.p
    } else if rows > bl.p {
        let half = if threaded { rows.div_ceil(2) } else { rows / 2 };
        half.div_ceil(UNROLL_M) * UNROLL_M
    } else {
        rows
    }
}

/// Elements the kernel does not sum in one chain: rows `rows`, columns `cols`, in `lanes` chains.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Lanes {
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    lanes: usize,
}

/// One kernel call on rows r0..r0+mr and columns c0..c0+nc: its multi-chain elements.
fn kernel_call(r0: usize, mr: usize, c0: usize, nc: usize, out: &mut Vec<Lanes>) {
    if nc < 12 {
        return;
    }
    let cols = c0..c0 + nc / 12 * 12;
    let mut i = r0 + mr / 16 * 16;
    let mut rest = mr % 16;
    if rest >= 8 {
        i += 8;
        rest -= 8;
    }
    if rest >= 4 {
        out.push(Lanes { rows: i..i + 4, cols: cols.clone(), lanes: 2 });
        i += 4;
        rest -= 4;
    }
    if rest > 0 {
        out.push(Lanes { rows: i..i + rest, cols, lanes: 4 });
    }
}

/// How the drivers run an m × n product: threaded or not, and its multi-chain elements.
struct Plan {
    threaded: bool,
    lanes: Vec<Lanes>,
}

fn plan(m: usize, n: usize, k: usize, ncpu: usize, bl: &Blocking) -> Plan {
    let nthreads = threads_for(m as f64 * n as f64 * k as f64, ncpu);
    let (by_rows, by_cols) = if nthreads > 1 { thread_grid(m, n, nthreads, bl) } else { (1, 1) };
    let mut lanes = Vec::new();
    if by_rows * by_cols <= 1 {
        // level3.c: the first pass of rows meets at most six columns per kernel call
        let mut is = first_pass(m, bl);
        while is < m {
            let mi = later_pass(m - is, bl, false);
            let mut js = 0;
            while js < n {
                let nj = (n - js).min(bl.r);
                kernel_call(is, mi, js, nj, &mut lanes);
                js += nj;
            }
            is += mi;
        }
        return Plan { threaded: false, lanes };
    }
    let threads = by_rows * by_cols;
    let rows = row_bands(m, by_rows, bl);
    let mut js0 = 0;
    while js0 < n {
        let width = (n - js0).min(bl.r * threads);
        let cols = col_shares(js0, width, by_rows, by_cols, bl);
        for me in 0..threads {
            let (band, group) = (me % by_rows, me / by_rows);
            let (r0, r1) = (rows[band], rows[band + 1]);
            if r0 >= r1 {
                continue;
            }
            let first = first_pass(r1 - r0, bl);
            let mut is = r0;
            let mut mi = first;
            while is < r1 {
                for share in group * by_rows..(group + 1) * by_rows {
                    if is == r0 && share == me {
                        continue; // its own columns go six at a time
                    }
                    let (s0, s1) = (cols[share], cols[share + 1]);
                    if s1 <= s0 {
                        continue;
                    }
                    let part = (s1 - s0).div_ceil(DIVIDE_RATE);
                    let mut js = s0;
                    while js < s1 {
                        kernel_call(is, mi, js, part.min(s1 - js), &mut lanes);
                        js += part;
                    }
                }
                is += mi;
                if is < r1 {
                    mi = later_pass(r1 - is, bl, true);
                }
            }
        }
        js0 += width;
    }
    Plan { threaded: true, lanes }
}

/// The next K block given `rest` left: a whole `q` while two or more blocks remain, a
/// remainder between one and two blocks halved (rounded up to the unroll by the single-thread
/// driver, to the next integer by the threaded one), else all of it.
fn k_block(rest: usize, threaded: bool, bl: &Blocking) -> usize {
    if rest >= 2 * bl.q {
        bl.q
    } else if rest > bl.q {
        if threaded { rest.div_ceil(2) } else { (rest / 2).div_ceil(UNROLL_M) * UNROLL_M }
    } else {
        rest
    }
}

/// The K blocks (start, length).
fn k_blocks(k: usize, threaded: bool, bl: &Blocking) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < k {
        let len = k_block(k - start, threaded, bl);
        blocks.push((start, len));
        start += len;
    }
    blocks
}

/// How many chains `dgemm_kernel_16x2_skylakex` sums element (row, col) of one call on
/// `rows` × `cols` in: the rows left after its 16- and 8-row blocks, within its 12-column
/// blocks, take 2 (a 4-row group) or 4 (the last 1-3 rows); everything else is one chain.
pub(crate) fn kernel_chains(row: usize, rows: usize, col: usize, cols: usize) -> usize {
    if col >= cols / 12 * 12 {
        return 1;
    }
    let mut start = rows / 16 * 16;
    if rows % 16 >= 8 {
        start += 8;
    }
    match row.checked_sub(start) {
        None => 1,
        Some(_) if rows - start >= 4 && row < start + 4 => 2,
        Some(_) => 4,
    }
}

/// Sum of x·y in `lanes` interleaved chains (k mod lanes) over the whole groups, the chains
/// added pairwise, then the leftover terms chained on (a plain chain when K < lanes).
pub(crate) fn lane_sum(x: &[f64], y: &[f64], lanes: usize) -> f64 {
    lane_sum_from(0.0, x, y, lanes)
}

/// [`lane_sum`] with the first chain starting from `init` instead of +0.
fn lane_sum_from(init: f64, x: &[f64], y: &[f64], lanes: usize) -> f64 {
    let k = x.len();
    let whole = if k >= lanes { k / lanes * lanes } else { 0 };
    let mut acc = [init, 0.0, 0.0, 0.0];
    for p in 0..whole {
        acc[p % lanes] = x[p].mul_add(y[p], acc[p % lanes]);
    }
    let mut s = if whole == 0 { init } else if lanes == 2 { acc[0] + acc[1] } else { (acc[0] + acc[1]) + (acc[2] + acc[3]) };
    for p in whole..k {
        s = x[p].mul_add(y[p], s);
    }
    s
}

#[allow(clippy::too_many_arguments)]
fn blocked_path(m: usize, n: usize, k: usize, alpha: f64, a: Operand, b: Operand, beta: f64, mut c: Out, ncpu: usize, bl: &Blocking) {
    if beta != 1.0 {
        for j in 0..n {
            for i in 0..m {
                let x = c.at(i, j);
                *x = if beta == 0.0 { 0.0 } else { *x * beta };
            }
        }
    }
    if k == 0 || alpha == 0.0 {
        return;
    }
    let plan = plan(m, n, k, ncpu, bl);
    let mut mode = Vec::new();
    if !plan.lanes.is_empty() {
        mode = vec![false; m * n];
        for l in &plan.lanes {
            for j in l.cols.clone() {
                mode[j * m + l.rows.start..j * m + l.rows.end].fill(true);
            }
        }
    }
    let (mut pa, mut pb) = (Vec::new(), Vec::new());
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (k0, kb) in k_blocks(k, plan.threaded, bl) {
        pack_rows(a, m, k0, kb, &mut pa);
        pack_cols(b, n, k0, kb, &mut pb);
        tiles_split(m, n, kb, &pa, &pb, &mut c, Finish::Accumulate(alpha), &mode);
        for l in &plan.lanes {
            for j in l.cols.clone() {
                y.clear();
                y.extend((0..kb).map(|p| pb[(j / NR) * kb * NR + p * NR + j % NR]));
                for i in l.rows.clone() {
                    x.clear();
                    x.extend((0..kb).map(|p| pa[(i / MR) * kb * MR + p * MR + i % MR]));
                    let s = lane_sum(&x, &y, l.lanes);
                    let cij = c.at(i, j);
                    *cij = s.mul_add(alpha, *cij);
                }
            }
        }
    }
}

// ---- sequential chains: packing and the tile kernel ---------------------------------------------

/// Rows of a tile of C (a multiple of 8 so the chains vectorize).
pub(crate) const MR: usize = 8;
/// Columns of a tile of C.
pub(crate) const NR: usize = 4;

/// op(A)[0..m, k0..k0+kb] in panels of `MR` rows, each laid out k-major (zero rows pad the last).
pub(crate) fn pack_rows(a: Operand, m: usize, k0: usize, kb: usize, out: &mut Vec<f64>) {
    let panels = m.div_ceil(MR);
    out.clear();
    out.resize(panels * kb * MR, 0.0);
    for q in 0..panels {
        let rows = MR.min(m - q * MR);
        let panel = &mut out[q * kb * MR..(q + 1) * kb * MR];
        for p in 0..kb {
            for r in 0..rows {
                panel[p * MR + r] = a.at(q * MR + r, k0 + p);
            }
        }
    }
}

/// op(B)[k0..k0+kb, 0..n] in panels of `NR` columns, each laid out k-major.
pub(crate) fn pack_cols(b: Operand, n: usize, k0: usize, kb: usize, out: &mut Vec<f64>) {
    let panels = n.div_ceil(NR);
    out.clear();
    out.resize(panels * kb * NR, 0.0);
    for q in 0..panels {
        let cols = NR.min(n - q * NR);
        let panel = &mut out[q * kb * NR..(q + 1) * kb * NR];
        for p in 0..kb {
            for c in 0..cols {
                panel[p * NR + c] = b.at(k0 + p, q * NR + c);
            }
        }
    }
}

/// How a finished chain `acc` meets C.
#[derive(Clone, Copy)]
pub(crate) enum Finish {
    /// Blocked kernel: C ← fma(acc, alpha, C).
    Accumulate(f64),
    /// Small kernels: v = acc·alpha; C ← v (β = 0) or fma(C, β, v).
    Small { alpha: f64, beta: f64 },
}

impl Finish {
    #[inline(always)]
    fn apply(self, acc: f64, cij: &mut f64) {
        match self {
            Finish::Accumulate(alpha) => *cij = acc.mul_add(alpha, *cij),
            Finish::Small { alpha, beta } => *cij = store_scaled(acc * alpha, beta, *cij),
        }
    }
}

/// The small kernels' store of an already scaled result: v (β = 0) or fma(C, β, v).
#[inline(always)]
fn store_scaled(v: f64, beta: f64, cij: f64) -> f64 {
    if beta == 0.0 { v } else { cij.mul_add(beta, v) }
}

macro_rules! fma_dispatch {
    ($name:ident, $fast:ident, $body:ident, ($($arg:ident: $ty:ty),*)) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $fast($($arg: $ty),*) {
            $body($($arg),*)
        }
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2 and FMA (checked just above).
                return unsafe { $fast($($arg),*) };
            }
            $body($($arg),*)
        }
    };
}

fma_dispatch!(tiles, tiles_fma, tiles_body, (m: usize, n: usize, kb: usize, pa: &[f64], pb: &[f64], c: &mut Out, finish: Finish, skip: &[bool]));

/// Multiply-adds of one K block from which [`tiles_split`] shares C's columns among rayon's
/// threads (every element is the same chain wherever it runs).
const TILES_PARALLEL: usize = 1 << 20;

/// [`tiles`] with C's columns, in groups of whole `NR` panels, spread over rayon's threads.
#[allow(clippy::too_many_arguments)]
fn tiles_split(m: usize, n: usize, kb: usize, pa: &[f64], pb: &[f64], c: &mut Out, finish: Finish, skip: &[bool]) {
    let threads = rayon::current_num_threads();
    if threads < 2 || n < 2 * NR || m * n * kb < TILES_PARALLEL {
        tiles(m, n, kb, pa, pb, c, finish, skip);
        return;
    }
    let panels = n.div_ceil(NR);
    let per = panels.div_ceil(threads.min(panels)) * NR;
    let ld = c.ld;
    let mut rest: &mut [f64] = &mut c.v[..];
    rayon::scope(|scope| {
        let mut j0 = 0;
        while j0 < n {
            let cols = per.min(n - j0);
            let (mine, tail) = if j0 + cols < n { std::mem::take(&mut rest).split_at_mut(cols * ld) } else { (std::mem::take(&mut rest), &mut [][..]) };
            rest = tail;
            let pbj = &pb[j0 / NR * kb * NR..];
            let sk = if skip.is_empty() { skip } else { &skip[j0 * m..] };
            scope.spawn(move |_| tiles(m, cols, kb, pa, pbj, &mut Out { v: mine, ld }, finish, sk));
            j0 += cols;
        }
    });
}

/// The sequential-chain tile loop for other level-3 drivers (`dsyr2k`): see `tiles_body`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tile_chains(m: usize, n: usize, kb: usize, pa: &[f64], pb: &[f64], c: &mut Out, finish: Finish, skip: &[bool]) {
    tiles_split(m, n, kb, pa, pb, c, finish, skip);
}
fma_dispatch!(dot_block, dot_block_fma, dot_block_body, (rows: &[f64], cols: &[f64], kpad: usize, out: &mut [[f64; 8]]));

/// For every element of the m × n result, one fused multiply-add chain from +0 over the kb
/// packed k (in order), handed to `finish` (unless `skip` marks it, column-major).
#[inline(always)]
fn tiles_body(m: usize, n: usize, kb: usize, pa: &[f64], pb: &[f64], c: &mut Out, finish: Finish, skip: &[bool]) {
    for qj in 0..n.div_ceil(NR) {
        let bpanel = &pb[qj * kb * NR..(qj + 1) * kb * NR];
        let cols = NR.min(n - qj * NR);
        for qi in 0..m.div_ceil(MR) {
            let apanel = &pa[qi * kb * MR..(qi + 1) * kb * MR];
            let rows = MR.min(m - qi * MR);
            let mut acc = [[0.0f64; MR]; NR];
            for (av, bv) in apanel.chunks_exact(MR).zip(bpanel.chunks_exact(NR)) {
                for (accc, &bc) in acc.iter_mut().zip(bv) {
                    for (x, &ar) in accc.iter_mut().zip(av) {
                        *x = ar.mul_add(bc, *x);
                    }
                }
            }
            for (cc, accc) in acc.iter().enumerate().take(cols) {
                let j = qj * NR + cc;
                for (r, &x) in accc.iter().enumerate().take(rows) {
                    let i = qi * MR + r;
                    if skip.is_empty() || !skip[j * m + i] {
                        finish.apply(x, c.at(i, j));
                    }
                }
            }
        }
    }
}

// ---- small path ---------------------------------------------------------------------------------

/// How the dot-like small kernels add their eight chains (lane l holds k ≡ l mod 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tree {
    /// `REDUCE_4` (blocks of four rows or columns): ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)), then
    /// v = sum·alpha and C ← v or fma(C, β, v).
    Pairs,
    /// `_mm512_reduce_add_pd` (the rest): ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)), then
    /// C ← alpha·sum (β = 0) or fma(sum, alpha, β·C).
    Halves,
}

impl Tree {
    #[inline(always)]
    fn finish(self, l: &[f64; 8], alpha: f64, beta: f64, cij: &mut f64) {
        match self {
            Tree::Pairs => {
                let s = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
                *cij = store_scaled(s * alpha, beta, *cij);
            }
            Tree::Halves => {
                let s = ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
                *cij = if beta == 0.0 { alpha * s } else { s.mul_add(alpha, *cij * beta) };
            }
        }
    }
}

/// Eight fused chains per (row, column) pair: `rows` and `cols` hold op(A)'s rows and op(B)'s
/// columns, each zero-padded to `kpad` (a multiple of 8); out[r·ncols + c] gets the lanes.
#[inline(always)]
fn dot_block_body(rows: &[f64], cols: &[f64], kpad: usize, out: &mut [[f64; 8]]) {
    if kpad == 0 {
        out.fill([0.0; 8]);
        return;
    }
    let ncols = cols.len() / kpad;
    for (r, arow) in rows.chunks_exact(kpad).enumerate() {
        for (cidx, bcol) in cols.chunks_exact(kpad).enumerate() {
            let mut lanes = [0.0f64; 8];
            for (a8, b8) in arow.chunks_exact(8).zip(bcol.chunks_exact(8)) {
                for l in 0..8 {
                    lanes[l] = a8[l].mul_add(b8[l], lanes[l]);
                }
            }
            out[r * ncols + cidx] = lanes;
        }
    }
}

/// The small-matrix kernels (`dgemm_small_kernel[_b0]_{nn,nt,tn,tt}_skylakex`).
#[allow(clippy::too_many_arguments)]
fn small_path(ta: Trans, tb: Trans, m: usize, n: usize, k: usize, alpha: f64, a: Operand, b: Operand, beta: f64, mut c: Out) {
    // Rows from `dot_from` on are dot-like; before it, sequential chains.
    let dot_from = match (ta, tb) {
        (Trans::Yes, Trans::No) => 0,
        (Trans::No, Trans::No) => {
            let m8 = m & !7;
            if m > m8 && m - m8 <= 4 && k >= 16 { m8 } else { m }
        }
        _ => m,
    };
    let finish = Finish::Small { alpha, beta };
    if dot_from > 0 {
        let mut pa = Vec::new();
        let mut pb = Vec::new();
        pack_rows(a, dot_from, 0, k, &mut pa);
        pack_cols(b, n, 0, k, &mut pb);
        tiles(dot_from, n, k, &pa, &pb, &mut c, finish, &[]);
    }
    if dot_from == m {
        return;
    }
    // Dot-like rows: the transposed-A kernel walks rows by 4, 2, 1; the plain one's tail is a
    // single block of at most four rows. Rows in a block of four, and columns in the leading
    // multiple of four, use the `Pairs` tree; the rest `Halves`.
    let kpad = k.div_ceil(8) * 8;
    let nrows = m - dot_from;
    let mut rows = vec![0.0; nrows * kpad];
    for r in 0..nrows {
        for p in 0..k {
            rows[r * kpad + p] = a.at(dot_from + r, p);
        }
    }
    let mut cols = vec![0.0; n * kpad];
    for j in 0..n {
        for p in 0..k {
            cols[j * kpad + p] = b.at(p, j);
        }
    }
    let mut lanes = vec![[0.0; 8]; nrows * n];
    dot_block(&rows, &cols, kpad, &mut lanes);
    let four_rows = if dot_from == 0 { m & !3 } else if nrows == 4 { m } else { dot_from };
    let n4 = n & !3;
    for r in 0..nrows {
        let i = dot_from + r;
        for j in 0..n {
            let tree = if i < four_rows || j < n4 { Tree::Pairs } else { Tree::Halves };
            tree.finish(&lanes[r * n + j], alpha, beta, c.at(i, j));
        }
    }
}

// ---- dtrmm ----------------------------------------------------------------------------------

/// The side a triangular factor multiplies from (`dtrmm`'s SIDE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Left,
    Right,
}

/// Left products sum each element in one chain for m ≤ 15, and up to m = 384 (one K block)
/// when no rows fall in the kernel's 4-, 2- or 1-row blocks (m a multiple of 8) or no kernel
/// call has 12 columns (n < 12); right products for any m while n ≤ 384 (one K block: more
/// columns add the blocks' sums in an order not modelled).
const TRMM_LEFT_SMALL_M: usize = 15;
const TRMM_ONE_BLOCK: usize = 384;
/// `2 · GEMM_MULTITHREAD_THRESHOLD`: `dtrmm` runs one thread when m or n is below it.
const TRMM_THREAD_MIN: usize = 8;

/// Whether [`dtrmm`] is OpenBLAS's bits for this shape.
fn trmm_exact(side: Side, m: usize, n: usize) -> bool {
    match side {
        Side::Left => m <= TRMM_LEFT_SMALL_M || (m <= TRMM_ONE_BLOCK && (m % 8 == 0 || n < 12)),
        Side::Right => n <= TRMM_ONE_BLOCK,
    }
}

/// `dtrmm`: B := alpha·op(A)·B (`Side::Left`, A m × m) or alpha·B·op(A) (`Side::Right`, A n × n)
/// with A upper or lower triangular, op(A) = A or Aᵀ, its diagonal taken as ones when `unit`.
/// As OpenBLAS does: B is scaled by alpha first (unless alpha is 1; alpha = 0 zeroes it), then
/// every element is one fused multiply-add chain from +0 over the triangle's terms in increasing
/// k — except, on the right, the rows [`trmm_right_tails`] recomputes. That is NumPy's OpenBLAS
/// bit for bit (checked against `scipy_dtrmm_64_`, all 16 variants, 1-3 threads) for the shapes
/// of [`trmm_exact`], which hold every `dlarfb` of blocks of reflectors; the return value says
/// whether the shape is one of them (the result is computed either way).
#[allow(clippy::too_many_arguments)]
pub(crate) fn dtrmm(side: Side, upper: bool, trans: Trans, unit: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, b: &mut [f64], ldb: usize) -> bool {
    dtrmm_with(blas_threads(), side, upper, trans, unit, m, n, alpha, a, lda, b, ldb)
}

/// [`dtrmm`] for a given OpenBLAS thread count.
#[allow(clippy::too_many_arguments)]
pub(crate) fn dtrmm_with(threads: usize, side: Side, upper: bool, trans: Trans, unit: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, b: &mut [f64], ldb: usize) -> bool {
    let exact = trmm_exact(side, m, n);
    if m == 0 || n == 0 {
        return exact;
    }
    if alpha != 1.0 {
        for j in 0..n {
            for x in &mut b[j * ldb..j * ldb + m] {
                *x = if alpha == 0.0 { 0.0 } else { *x * alpha };
            }
        }
        if alpha == 0.0 {
            return exact;
        }
    }
    let mut src = Vec::with_capacity(m * n);
    for j in 0..n {
        src.extend_from_slice(&b[j * ldb..j * ldb + m]);
    }
    trmm_chains(side, upper, trans == Trans::Yes, unit, m, n, a, lda, &src, b, ldb);
    if side == Side::Right {
        trmm_right_tails(threads, upper, trans == Trans::Yes, unit, m, n, a, lda, &src, b, ldb);
    }
    exact
}

/// The rows of a right-side product that OpenBLAS does not sum in one chain, recomputed.
///
/// `gemm_thread_m` gives each thread a band of rows (⌈rest / threads left⌉ each; one band when
/// m or n < 8), and `trmm_R` runs each band in passes of `GEMM_P` = 192 rows. The first pass
/// hands the triangle kernel at most six columns per call, later passes all n at once, so there
/// the kernel's 12-column blocks (columns below n rounded down to 12) sum the rows after a
/// pass's 16- and 8-row blocks in several chains ([`kernel_chains`]: two for a 4-row block, four
/// for the last 1-3 rows). The kernel walks a block's triangle two columns at a time: with
/// op(A) upper, the block at column c runs k < c + 2 for all twelve columns (the chains'
/// part), then each pair p of the block adds k up to c + 2p + 1 in one chain; with op(A) lower,
/// pair p first chains k from c + 2p to c + 9 into the first lane's start, then k ≥ c + 10 runs
/// in the lanes. Zero terms of the packed triangle (k just past, or just before, the diagonal
/// of a pair's first or second column) count for the lane positions.
#[allow(clippy::too_many_arguments)]
fn trmm_right_tails(threads: usize, upper: bool, trans: bool, unit: bool, m: usize, n: usize, a: &[f64], lda: usize, src: &[f64], b: &mut [f64], ldb: usize) {
    let cols = n / 12 * 12;
    if cols == 0 || m <= SKX.p {
        return;
    }
    let op_upper = upper != trans;
    // op(A)(k, j) with the zeros outside the triangle
    let op = |k: usize, j: usize| -> f64 {
        if (op_upper && k > j) || (!op_upper && k < j) {
            0.0
        } else if k == j && unit {
            1.0
        } else if trans {
            a[j + k * lda]
        } else {
            a[k + j * lda]
        }
    };
    let threads = if m < TRMM_THREAD_MIN || n < TRMM_THREAD_MIN { 1 } else { threads.max(1) };
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    let (mut r0, mut left) = (0, m);
    for t in 0..threads {
        if left == 0 {
            break;
        }
        let width = left.div_ceil(threads - t);
        let r1 = r0 + width;
        let mut is = r0 + SKX.p;
        while is < r1 {
            let rows = (r1 - is).min(SKX.p);
            for i in is..is + rows {
                let lanes = kernel_chains(i - is, rows, 0, cols);
                if lanes == 1 {
                    continue;
                }
                for j in 0..cols {
                    let c = j / 12 * 12;
                    let pair = c + (j - c) / 2 * 2;
                    let (pre, main, post) = if op_upper { (0..0, 0..c + 2, c + 2..pair + 2) } else { (pair..c + 10, c + 10..n, 0..0) };
                    let mut init = 0.0;
                    for k in pre {
                        init = src[i + k * m].mul_add(op(k, j), init);
                    }
                    x.clear();
                    y.clear();
                    for k in main {
                        x.push(src[i + k * m]);
                        y.push(op(k, j));
                    }
                    let mut s = lane_sum_from(init, &x, &y, lanes);
                    for k in post {
                        s = src[i + k * m].mul_add(op(k, j), s);
                    }
                    b[i + j * ldb] = s;
                }
            }
            is += rows;
        }
        r0 = r1;
        left -= width;
    }
}

fma_dispatch!(trmm_chains, trmm_chains_fma, trmm_chains_body, (side: Side, upper: bool, trans: bool, unit: bool, m: usize, n: usize, a: &[f64], lda: usize, src: &[f64], b: &mut [f64], ldb: usize));

/// The chains of [`dtrmm`]: `src` is B (m × n, column-major, leading dimension m) after scaling.
/// Every element's chain runs over its k in increasing order; the loops run k outside the rows
/// (a column of accumulators at a time) so that the work is unit-stride.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn trmm_chains_body(side: Side, upper: bool, trans: bool, unit: bool, m: usize, n: usize, a: &[f64], lda: usize, src: &[f64], b: &mut [f64], ldb: usize) {
    // op(A)(r, c), and whether op(A) is upper triangular
    let op = |r: usize, c: usize| -> f64 {
        if r == c && unit {
            1.0
        } else if trans {
            a[c + r * lda]
        } else {
            a[r + c * lda]
        }
    };
    let op_upper = upper != trans;
    let mut acc = vec![0.0f64; m];
    let mut col = vec![0.0f64; m];
    for j in 0..n {
        acc.fill(0.0);
        match side {
            Side::Left => {
                let bj = &src[j * m..(j + 1) * m];
                for (k, &x) in bj.iter().enumerate() {
                    // rows whose chain includes k: i ≤ k (op upper) or i ≥ k (op lower)
                    let rows = if op_upper { 0..k + 1 } else { k..m };
                    for i in rows.clone() {
                        col[i] = op(i, k);
                    }
                    for i in rows {
                        acc[i] = col[i].mul_add(x, acc[i]);
                    }
                }
            }
            Side::Right => {
                let ks = if op_upper { 0..j + 1 } else { j..n };
                for k in ks {
                    let y = op(k, j);
                    for (s, &x) in acc.iter_mut().zip(&src[k * m..(k + 1) * m]) {
                        *s = x.mul_add(y, *s);
                    }
                }
            }
        }
        b[j * ldb..j * ldb + m].copy_from_slice(&acc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(ta: Trans, tb: Trans, m: usize, n: usize, k: usize, a: &[f64], lda: usize, b: &[f64], ldb: usize) -> Vec<f64> {
        let a = Operand { v: a, ld: lda, t: ta == Trans::Yes };
        let b = Operand { v: b, ld: ldb, t: tb == Trans::Yes };
        let mut c = vec![0.0; m * n];
        for j in 0..n {
            for i in 0..m {
                c[i + j * m] = (0..k).map(|p| a.at(i, p) * b.at(p, j)).sum();
            }
        }
        c
    }

    fn blocks(m: usize, n: usize, k: usize, ncpu: usize) -> Vec<(usize, usize)> {
        k_blocks(k, plan(m, n, k, ncpu, &SKX).threaded, &SKX)
    }

    #[test]
    fn k_blocks_follow_the_drivers() {
        // single thread: a remainder in (Q, 2Q] halves rounded up to 16
        assert_eq!(blocks(8, 8, 700, 1), vec![(0, 352), (352, 348)]);
        assert_eq!(blocks(8, 8, 384, 1), vec![(0, 384)]);
        assert_eq!(blocks(8, 8, 769, 1), vec![(0, 384), (384, 192), (576, 193)]);
        assert_eq!(blocks(8, 8, 1000, 1), vec![(0, 384), (384, 320), (704, 296)]);
        // threaded (enough work, rows and columns for two shares): halves rounded up
        assert_eq!(blocks(200, 200, 701, 2), vec![(0, 351), (351, 350)]);
        // enough work but too few rows and columns to split: the single-thread rule
        assert_eq!(blocks(31, 16, 1100, 2), vec![(0, 384), (384, 368), (752, 348)]);
        assert_eq!(blocks(31, 17, 1100, 2), vec![(0, 384), (384, 358), (742, 358)]);
        assert!(blocks(5, 5, 0, 2).is_empty());
    }

    #[test]
    fn thread_choice() {
        assert_eq!(threads_for(262144.0, 2), 1);
        assert_eq!(threads_for(262145.0, 2), 1);
        assert_eq!(threads_for(524288.0, 2), 2);
        assert_eq!(threads_for(1e9, 16), 16);
        assert_eq!(threads_for(3e6, 16), 11);
        assert_eq!(thread_grid(31, 16, 2, &SKX), (1, 1));
        assert_eq!(thread_grid(31, 17, 2, &SKX), (1, 2));
        assert_eq!(thread_grid(32, 1, 2, &SKX), (2, 1));
        // four threads on a square: 2 × 2 beats 4 × 1
        assert_eq!(thread_grid(400, 400, 4, &SKX), (2, 2));
        assert_eq!(row_bands(95, 2, &SKX), vec![0, 48, 95]);
        assert_eq!(row_bands(150, 2, &SKX), vec![0, 80, 150]);
        assert_eq!(col_shares(0, 56, 2, 1, &SKX), vec![0, 32, 56]);
        assert_eq!(col_shares(0, 26, 2, 1, &SKX), vec![0, 16, 26]);
        assert_eq!(col_shares(0, 12, 2, 1, &SKX), vec![0, 12, 12]);
    }

    #[test]
    fn multi_chain_elements() {
        // 95 × 56 on two threads: the second band (rows 48..95) meets the first thread's
        // columns 0..32 in two calls of 16; the 4-row block 88..92 and the rows 92..95 chain
        // by 2 and 4 in the first 12 columns of each.
        let p = plan(95, 56, 118, 2, &SKX);
        assert!(p.threaded);
        assert_eq!(
            p.lanes,
            vec![
                Lanes { rows: 88..92, cols: 0..12, lanes: 2 },
                Lanes { rows: 92..95, cols: 0..12, lanes: 4 },
                Lanes { rows: 88..92, cols: 16..28, lanes: 2 },
                Lanes { rows: 92..95, cols: 16..28, lanes: 4 },
            ]
        );
        // one thread, rows within one pass: none
        assert!(plan(150, 150, 50, 1, &SKX).lanes.is_empty());
        // one thread, 200 rows: a second pass of 104 rows (96 + 8), no tail blocks
        assert!(plan(200, 30, 400, 1, &SKX).lanes.is_empty());
        let p = plan(206, 30, 400, 1, &SKX);
        assert_eq!(p.lanes, vec![Lanes { rows: 200..204, cols: 0..24, lanes: 2 }, Lanes { rows: 204..206, cols: 0..24, lanes: 4 }]);
        assert_eq!(lane_sum(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0], 2), 6.0);
        assert_eq!(lane_sum(&[1e16, 1.0, -1e16, 1.0, 1.0], &[1.0; 5], 4), 1.0); // a plain chain gives 2
    }

    #[test]
    fn permit() {
        assert!(small_permitted(Trans::No, Trans::No, 100, 100, 100));
        assert!(!small_permitted(Trans::No, Trans::No, 100, 100, 101));
        assert!(!small_permitted(Trans::Yes, Trans::No, 10, 10, 31));
        assert!(small_permitted(Trans::Yes, Trans::No, 30, 40, 32));
        assert!(!small_permitted(Trans::Yes, Trans::No, 30, 41, 32));
        assert!(small_permitted(Trans::Yes, Trans::Yes, 10, 10, 3));
    }

    #[test]
    fn trees() {
        let l = [1.0, 1e16, -1e16, 3.0, 0.5, 0.25, 0.0, 0.0];
        let mut c = 0.0;
        Tree::Pairs.finish(&l, 1.0, 0.0, &mut c);
        assert_eq!(c, ((1.0 + 1e16) + (-1e16 + 3.0)) + 0.75);
        Tree::Halves.finish(&l, 1.0, 0.0, &mut c);
        assert_eq!(c, ((1.5 + -1e16) + ((1e16 + 0.25) + 3.0)));
    }

    /// Small integers: every path is exact, so all must equal the plain sum, for every
    /// transpose pair, padded leading dimensions, and shapes on both sides of each threshold.
    #[test]
    fn exact_on_integers() {
        let shapes = [(1, 1, 1), (3, 5, 2), (13, 7, 20), (35, 33, 40), (4, 4, 300), (9, 40, 17), (70, 50, 400), (17, 3, 900), (0, 3, 3), (3, 0, 3), (5, 6, 0)];
        for &(m, n, k) in &shapes {
            for ta in [Trans::No, Trans::Yes] {
                for tb in [Trans::No, Trans::Yes] {
                    let (ar, ac) = if ta == Trans::No { (m, k) } else { (k, m) };
                    let (br, bc) = if tb == Trans::No { (k, n) } else { (n, k) };
                    let (lda, ldb, ldc) = (ar + 3, br + 1, m + 2);
                    let a: Vec<f64> = (0..lda * ac.max(1)).map(|x| ((x * 7 + 3) % 11) as f64 - 5.0).collect();
                    let b: Vec<f64> = (0..ldb * bc.max(1)).map(|x| ((x * 5 + 1) % 9) as f64 - 4.0).collect();
                    let want = naive(ta, tb, m, n, k, &a, lda, &b, ldb);
                    for (alpha, beta) in [(1.0, 0.0), (-1.0, 1.0), (2.0, -1.0), (0.0, 0.5)] {
                        let mut c: Vec<f64> = (0..ldc * n.max(1)).map(|x| (x % 5) as f64).collect();
                        let c0 = c.clone();
                        dgemm(ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut c, ldc);
                        for j in 0..n {
                            for i in 0..ldc {
                                let got = c[i + j * ldc];
                                let exp = if i < m { alpha * want[i + j * m] + beta * c0[i + j * ldc] } else { c0[i + j * ldc] };
                                assert_eq!(got, exp, "{ta:?}{tb:?} {m}x{n}x{k} alpha {alpha} beta {beta} at ({i},{j})");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn trmm_on_integers() {
        for side in [Side::Left, Side::Right] {
            for upper in [false, true] {
                for trans in [Trans::No, Trans::Yes] {
                    for unit in [false, true] {
                        let (m, n) = (7, 5);
                        let k = if side == Side::Left { m } else { n };
                        let (lda, ldb) = (k + 2, m + 1);
                        let a: Vec<f64> = (0..lda * k).map(|x| ((x * 7 + 3) % 11) as f64 - 5.0).collect();
                        let b: Vec<f64> = (0..ldb * n).map(|x| ((x * 5 + 1) % 9) as f64 - 4.0).collect();
                        let t = |r: usize, c: usize| {
                            let (rr, cc) = if trans == Trans::Yes { (c, r) } else { (r, c) };
                            if rr == cc && unit { 1.0 } else if (upper && rr <= cc) || (!upper && rr >= cc) { a[rr + cc * lda] } else { 0.0 }
                        };
                        for alpha in [1.0, -1.0, 2.0] {
                            let mut got = b.clone();
                            dtrmm(side, upper, trans, unit, m, n, alpha, &a, lda, &mut got, ldb);
                            for j in 0..n {
                                for i in 0..m {
                                    let want: f64 = match side {
                                        Side::Left => (0..m).map(|p| t(i, p) * b[p + j * ldb]).sum(),
                                        Side::Right => (0..n).map(|p| b[i + p * ldb] * t(p, j)).sum(),
                                    };
                                    assert_eq!(got[i + j * ldb], alpha * want, "{side:?} upper {upper} {trans:?} unit {unit} ({i},{j})");
                                }
                                assert_eq!(got[m + j * ldb], b[m + j * ldb]);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn beta_zero_ignores_nan() {
        for &(m, n, k) in &[(5, 5, 5), (120, 120, 120)] {
            let a = vec![1.0; m * k];
            let b = vec![2.0; k * n];
            let mut c = vec![f64::NAN; m * n];
            dgemm(Trans::No, Trans::No, m, n, k, 1.0, &a, m, &b, k, 0.0, &mut c, m);
            assert!(c.iter().all(|&x| x == 2.0 * k as f64));
        }
    }

    #[test]
    fn rowmajor_product() {
        // [[1,2],[3,4]] @ [[5,6],[7,8]] with A C-ordered and B given as its transpose's storage
        let a = [1.0, 2.0, 3.0, 4.0];
        let bt = [5.0, 7.0, 6.0, 8.0];
        assert_eq!(matmul_rowmajor(2, 2, 2, &a, 2, false, &bt, 2, true), vec![19.0, 22.0, 43.0, 50.0]);
    }
}
