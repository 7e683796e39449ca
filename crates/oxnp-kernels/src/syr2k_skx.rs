//! `dsyr2k` (lower triangle, no transpose: C ← alpha·(A·Bᵀ + B·Aᵀ) + beta·C with A, B n × k) as
//! NumPy's OpenBLAS (scipy-openblas 0.3.31, SkylakeX core) computes it, for the blocked
//! `dsytrd` of `eigh`. Column-major, Fortran conventions.
//!
//! How OpenBLAS orders the sums (`interface/syr2k.c`, `driver/level3/syrk_thread.c`,
//! `level3_syr2k.c`, `syr2k_kernel.c`):
//! - With more than one thread the columns of C are cut into one range per thread (for the
//!   lower triangle, widths from `sqrt` of the remaining triangle's area, rounded up to 16); each
//!   range runs the single-thread driver on its own, so where a range starts decides where the
//!   driver's blocks start.
//! - The driver scales C's triangle by beta, then for each K block (384; a remainder between one
//!   and two blocks halved) makes two passes, A·Bᵀ then B·Aᵀ, over the same kernel calls: the
//!   rows of the range's triangle in passes of at most 192 (halved rounded up to 16 under 384),
//!   each pass's diagonal square handed to the `syr2k` kernel and the rectangle left of it to the
//!   plain dgemm kernel. The `syr2k` kernel walks the square's diagonal in blocks of 16: the
//!   rectangle below each block goes to the dgemm kernel; the block itself, in the first pass
//!   only, is computed into a zeroed buffer S (alpha·(A·Bᵀ) restricted to the block) and its
//!   lower triangle gets `c + (S[i, j] + S[j, i])` — both halves of the sum at once.
//! - Every dgemm kernel call sums each element as [`crate::gemm_skx`] describes (one fused chain
//!   over the K block, except the tail rows of 12-column blocks: [`kernel_chains`]) and adds
//!   `fma(acc, alpha, c)`.

use crate::gemm_skx::{blas_threads, kernel_chains, lane_sum, pack_cols, pack_rows, tile_chains, Finish, Operand, Out, MR, NR, SKX};

/// `DGEMM_UNROLL_MN` of the SkylakeX table (32, not max(16, 2)): the diagonal block of the
/// `syr2k` kernel and the rounding of the driver's halved row passes (found by comparing
/// with the library: a 17 × 17 C is one symmetrised block).
const UNROLL_MN: usize = 32;
/// `syrk_thread`'s rounding of the thread ranges (32 as well, by the same comparison: ranges
/// rounded to 16 put the second thread's diagonal blocks where the library does not).
const RANGE_ROUND: usize = 32;

/// The column ranges `syrk_thread` gives each thread for the lower triangle of order `n`.
pub(crate) fn lower_ranges(n: usize, threads: usize) -> Vec<(usize, usize)> {
    if threads <= 1 || n == 0 {
        return vec![(0, n)];
    }
    let mask = (RANGE_ROUND - 1) as i64;
    let nf = n as f64;
    let dnum = (0.0 - nf * nf) / threads as f64;
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < n {
        let mut width = (n - i) as i64;
        if threads - out.len() > 1 {
            let di = (n - i) as f64;
            let w = (((-(di * di + dnum).sqrt() + di) as i64) + mask) & !mask;
            if w > 0 && w <= (n - i) as i64 {
                width = w;
            }
        }
        out.push((i, i + width as usize));
        i += width as usize;
    }
    out
}

/// One call of the kernels, in coordinates relative to the range's first row.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// dgemm kernel on rows r0..r0+mr, columns c0..c0+nc.
    Gemm { r0: usize, mr: usize, c0: usize, nc: usize },
    /// The `syr2k` kernel's symmetrised diagonal block at (d, d), nn × nn (first pass only).
    Diag { d: usize, nn: usize },
}

/// Rows of one pass of the driver (`GEMM_P` = 192).
fn row_pass(rows: usize) -> usize {
    if rows >= 2 * SKX.p {
        SKX.p
    } else if rows > SKX.p {
        (rows / 2).div_ceil(UNROLL_MN) * UNROLL_MN
    } else {
        rows
    }
}

/// The `syr2k` kernel on an m × n square-topped block at (o, o) (offset 0, lower).
fn kernel_calls(o: usize, m: usize, n: usize, calls: &mut Vec<Call>) {
    let mut m = m;
    if m > n {
        calls.push(Call::Gemm { r0: o + n, mr: m - n, c0: o, nc: n });
        m = n;
    }
    for lp in (0..n).step_by(UNROLL_MN) {
        let nn = UNROLL_MN.min(n - lp);
        calls.push(Call::Diag { d: o + lp, nn });
        if m > lp + nn {
            calls.push(Call::Gemm { r0: o + lp + nn, mr: m - lp - nn, c0: o + lp, nc: nn });
        }
    }
}

/// The calls of one pass of the driver over columns js..js+min_j of an order-`n` C, rows from
/// js on (relative to js).
fn driver_calls(n: usize, js: usize, min_j: usize) -> Vec<Call> {
    let mut calls = Vec::new();
    let rows = n - js;
    let mut min_i = row_pass(rows);
    kernel_calls(0, min_i, min_i.min(min_j), &mut calls);
    let mut is = min_i;
    while is < rows {
        min_i = row_pass(rows - is);
        if is < min_j {
            kernel_calls(is, min_i, min_i.min(min_j - is), &mut calls);
            if is > 0 {
                calls.push(Call::Gemm { r0: is, mr: min_i, c0: 0, nc: is });
            }
        } else {
            calls.push(Call::Gemm { r0: is, mr: min_i, c0: 0, nc: min_j });
        }
        is += min_i;
    }
    calls
}

/// The K blocks of the single-thread driver: 384 while two or more remain, a remainder between
/// one and two blocks halved (rounded up), else all.
fn k_blocks(k: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut ls = 0;
    while ls < k {
        let rest = k - ls;
        let len = if rest >= 2 * SKX.q {
            SKX.q
        } else if rest > SKX.q {
            rest.div_ceil(2)
        } else {
            rest
        };
        out.push((ls, len));
        ls += len;
    }
    out
}

/// `dsyr2k('L', 'N')` with OpenBLAS's thread count ([`blas_threads`]).
#[allow(clippy::too_many_arguments)]
#[allow(dead_code)]
pub(crate) fn dsyr2k_lower(n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, beta: f64, c: &mut [f64], ldc: usize) {
    dsyr2k_lower_with(blas_threads(), n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/// `dsyr2k('L', 'N')` as OpenBLAS runs it on `threads` threads: C's lower triangle (n × n,
/// leading dimension `ldc`) ← alpha·(A·Bᵀ + B·Aᵀ) + beta·C, A and B n × k.
#[allow(clippy::too_many_arguments)]
pub fn dsyr2k_lower_with(threads: usize, n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, beta: f64, c: &mut [f64], ldc: usize) {
    if n == 0 {
        return;
    }
    if beta != 1.0 {
        for j in 0..n {
            for x in &mut c[j * ldc + j..j * ldc + n] {
                *x = if beta == 0.0 { 0.0 } else { *x * beta };
            }
        }
    }
    if k == 0 || alpha == 0.0 {
        return;
    }
    let ranges = lower_ranges(n, threads);
    let work = n * n * k;
    if ranges.len() > 1 && work >= 1 << 21 {
        // The ranges own disjoint columns of C: run them side by side.
        std::thread::scope(|s| {
            let mut rest: &mut [f64] = c;
            let mut taken = 0;
            for (idx, &(n0, n1)) in ranges.iter().enumerate() {
                let end = if idx + 1 == ranges.len() { rest.len() + taken } else { n1 * ldc };
                let (mine, tail) = rest.split_at_mut(end - taken);
                rest = tail;
                let base = taken;
                taken = end;
                let mut job = move || range_body(n, k, alpha, a, lda, b, ldb, mine, ldc, n0, n1, base);
                if idx + 1 == ranges.len() {
                    job();
                } else {
                    s.spawn(job);
                }
            }
        });
    } else {
        for &(n0, n1) in &ranges {
            range_body(n, k, alpha, a, lda, b, ldb, c, ldc, n0, n1, 0);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)]
unsafe fn range_body_fma(n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, c: &mut [f64], ldc: usize, n0: usize, n1: usize, base: usize) {
    range_body_generic(n, k, alpha, a, lda, b, ldb, c, ldc, n0, n1, base)
}

/// [`range_body_generic`] with FMA instructions where the CPU has them.
#[allow(clippy::too_many_arguments)]
fn range_body(n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, c: &mut [f64], ldc: usize, n0: usize, n1: usize, base: usize) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        return unsafe { range_body_fma(n, k, alpha, a, lda, b, ldb, c, ldc, n0, n1, base) };
    }
    range_body_generic(n, k, alpha, a, lda, b, ldb, c, ldc, n0, n1, base)
}

/// One thread's share: columns n0..n1 (its rows n0..n); `c` starts at flat index `base` of C.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn range_body_generic(n: usize, k: usize, alpha: f64, a: &[f64], lda: usize, b: &[f64], ldb: usize, c: &mut [f64], ldc: usize, n0: usize, n1: usize, base: usize) {
    let (mut pa, mut pb) = (Vec::new(), Vec::new());
    let mut js = n0;
    while js < n1 {
        let min_j = (n1 - js).min(SKX.r);
        let rows = n - js;
        let calls = driver_calls(n, js, min_j);
        // C relative to (js, js)
        let origin = js + js * ldc - base;
        for (k0, kb) in k_blocks(k) {
            for pass in 0..2 {
                let (x, y) = if pass == 0 { (a, b) } else { (b, a) };
                let (ldx, ldy) = if pass == 0 { (lda, ldb) } else { (ldb, lda) };
                pack_rows(Operand { v: &x[js..], ld: ldx, t: false }, rows, k0, kb, &mut pa);
                pack_cols(Operand { v: &y[js..], ld: ldy, t: true }, rows, k0, kb, &mut pb);
                for call in &calls {
                    match *call {
                        Call::Gemm { r0, mr, c0, nc } => {
                            gemm_call(&pa, &pb, kb, r0, mr, c0, nc, alpha, &mut c[origin + r0 + c0 * ldc..], ldc);
                        }
                        Call::Diag { d, nn } if pass == 0 => {
                            let mut s = vec![0.0; nn * nn];
                            gemm_call(&pa, &pb, kb, d, nn, d, nn, alpha, &mut s, nn);
                            // S[i, j] is rows d+i, column d+j of alpha·X·Yᵀ
                            let s = &s;
                            for j in 0..nn {
                                let col = &mut c[origin + d + (d + j) * ldc..];
                                for i in j..nn {
                                    col[i] += s[i + j * nn] + s[j + i * nn];
                                }
                            }
                        }
                        Call::Diag { .. } => {}
                    }
                }
            }
        }
        js += min_j;
    }
}

#[inline(always)]
/// One dgemm kernel call on packed rows r0..r0+mr of X and columns c0..c0+nc of Y (K block of
/// length kb): C(r0 + i, c0 + j) ← fma(acc, alpha, C), `c` starting at C(r0, c0).
#[allow(clippy::too_many_arguments)]
fn gemm_call(pa: &[f64], pb: &[f64], kb: usize, r0: usize, mr: usize, c0: usize, nc: usize, alpha: f64, c: &mut [f64], ldc: usize) {
    if mr == 0 || nc == 0 {
        return;
    }
    debug_assert!(r0 % MR == 0 && c0 % NR == 0);
    let pa_s = &pa[r0 / MR * kb * MR..];
    let pb_s = &pb[c0 / NR * kb * NR..];
    let lane_cols = nc / 12 * 12;
    let tail = mr % 8;
    let mut skip = Vec::new();
    if lane_cols > 0 && tail > 0 {
        skip = vec![false; mr * nc];
        for j in 0..lane_cols {
            skip[j * mr + mr - tail..(j + 1) * mr].fill(true);
        }
    }
    {
        let mut out = Out { v: c, ld: ldc };
        tile_chains(mr, nc, kb, pa_s, pb_s, &mut out, Finish::Accumulate(alpha), &skip);
    }
    if skip.is_empty() {
        return;
    }
    let (mut xs, mut ys) = (Vec::with_capacity(kb), Vec::with_capacity(kb));
    for j in 0..lane_cols {
        let jj = c0 + j;
        ys.clear();
        ys.extend((0..kb).map(|p| pb[(jj / NR) * kb * NR + p * NR + jj % NR]));
        for i in mr - tail..mr {
            let ii = r0 + i;
            xs.clear();
            xs.extend((0..kb).map(|p| pa[(ii / MR) * kb * MR + p * MR + ii % MR]));
            let lanes = kernel_chains(i, mr, j, nc);
            let s = lane_sum(&xs, &ys, lanes);
            let cij = &mut c[i + j * ldc];
            *cij = s.mul_add(alpha, *cij);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(lower_ranges(40, 2), vec![(0, 32), (32, 40)]);
        assert_eq!(lower_ranges(40, 1), vec![(0, 40)]);
        let r = lower_ranges(1000, 4);
        assert_eq!(r.first().unwrap().0, 0);
        assert_eq!(r.last().unwrap().1, 1000);
    }

    #[test]
    fn integers_exact() {
        for &(n, k) in &[(1, 1), (5, 3), (17, 32), (40, 32), (200, 32), (450, 20), (30, 800)] {
            for threads in 1..4 {
                let (lda, ldb, ldc) = (n + 1, n + 2, n + 3);
                let a: Vec<f64> = (0..lda * k).map(|x| ((x * 7 + 3) % 11) as f64 - 5.0).collect();
                let b: Vec<f64> = (0..ldb * k).map(|x| ((x * 5 + 1) % 9) as f64 - 4.0).collect();
                let c0: Vec<f64> = (0..ldc * n).map(|x| (x % 5) as f64).collect();
                let mut c = c0.clone();
                dsyr2k_lower_with(threads, n, k, -1.0, &a, lda, &b, ldb, 1.0, &mut c, ldc);
                for j in 0..n {
                    for i in 0..ldc {
                        let want = if i >= j && i < n {
                            c0[i + j * ldc] - (0..k).map(|p| a[i + p * lda] * b[j + p * ldb] + b[i + p * ldb] * a[j + p * lda]).sum::<f64>()
                        } else {
                            c0[i + j * ldc]
                        };
                        assert_eq!(c[i + j * ldc], want, "n {n} k {k} t {threads} ({i},{j})");
                    }
                }
            }
        }
    }
}
