//! The arithmetic of the BLAS kernels that NumPy's bundled OpenBLAS (scipy-openblas 0.3.31,
//! built with DYNAMIC_ARCH) runs on a CPU it classes as SkylakeX (AVX-512: Intel Skylake-SP and
//! later, AMD Zen 4), reproduced operation by operation: the same products, the same fused
//! multiply-adds, the same partial sums in the same vector lanes, and the same final reductions,
//! so that the LAPACK routines in [`crate::lapack_small`] built on them round exactly as
//! NumPy's do on such a machine.
//!
//! Only what those routines reach is covered, and only for the sizes they handle (vectors far
//! shorter than OpenBLAS's 2048-element blocking, so no threading and no blocking). Matrices are
//! column-major slices with a leading dimension; strided vectors are given as (slice, step).
//!
//! Every function here is `#[inline(always)]`: its callers are compiled with FMA enabled (see
//! `fma_dispatch!` in `lapack_small`), so that `mul_add` becomes one instruction. `mul_add` is
//! a fused multiply-add (one rounding) either way.

#[inline(always)]
fn fma(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

// ---- dnrm2: x87 extended precision -------------------------------------------------------------

/// A non-negative x87 extended-precision number `m · 2^e` (64-bit significand, top bit set
/// unless the value is zero); the exponent range never matters at the sizes used here.
#[derive(Clone, Copy)]
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
struct Ext {
    m: u64,
    e: i32,
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
impl Ext {
    const ZERO: Ext = Ext { m: 0, e: 0 };

    /// `v · 2^e` rounded to a 64-bit significand, ties to even.
    fn round(v: u128, e: i32) -> Ext {
        if v == 0 {
            return Ext::ZERO;
        }
        let bits = 128 - v.leading_zeros() as i32;
        if bits <= 64 {
            let sh = 64 - bits;
            return Ext { m: (v << sh) as u64, e: e - sh };
        }
        let sh = bits - 64;
        let q = (v >> sh) as u64;
        let rem = v & ((1u128 << sh) - 1);
        let half = 1u128 << (sh - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            match q.checked_add(1) {
                Some(q) => Ext { m: q, e: e + sh },
                None => Ext { m: 1 << 63, e: e + sh + 1 },
            }
        } else {
            Ext { m: q, e: e + sh }
        }
    }

    /// `x²` for a finite double, rounded once (x87 `fmul` of a loaded double by itself).
    fn square(x: f64) -> Ext {
        let bits = x.to_bits() & !(1u64 << 63);
        if bits == 0 {
            return Ext::ZERO;
        }
        let field = (bits >> 52) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, exp) = if field == 0 { (frac, -1074) } else { (frac | (1u64 << 52), field - 1075) };
        Ext::round(mant as u128 * mant as u128, 2 * exp)
    }

    /// `self + o`, rounded once.
    fn add(self, o: Ext) -> Ext {
        if self.m == 0 {
            return o;
        }
        if o.m == 0 {
            return self;
        }
        let (a, b) = if self.e >= o.e { (self, o) } else { (o, self) };
        let d = (a.e - b.e) as u32;
        // 62 guard bits below the larger operand's last bit; what the shift drops of the
        // smaller one is kept as a sticky bit (far below the rounding position).
        let small = (b.m as u128) << 62;
        let shifted = if d >= 126 {
            1
        } else {
            let s = small >> d;
            s | ((s << d != small) as u128)
        };
        Ext::round(((a.m as u128) << 62) + shifted, a.e - 62)
    }

    /// The square root rounded to a 64-bit significand (x87 `fsqrt`).
    fn sqrt(self) -> Ext {
        if self.m == 0 {
            return Ext::ZERO;
        }
        // radicand in [2^126, 2^128) with an even exponent: the root has 64 bits.
        let (rad, e2, scale) = if (self.e - 64).rem_euclid(2) == 0 {
            ((self.m as u128) << 64, self.e - 64, 18446744073709551616.0)
        } else {
            ((self.m as u128) << 63, self.e - 63, 9223372036854775808.0)
        };
        // A double's square root is within a few thousand of the root; one Newton step in
        // floating point (the remainder is small, so exact enough) and ±1 fixes finish it,
        // without a 128-bit division.
        let q0 = ((self.m as f64 * scale).sqrt() as u64) as u128;
        let diff = rad.wrapping_sub(q0 * q0) as i128;
        let mut q = (q0 as i128 + (diff as f64 / (2.0 * q0 as f64)).round() as i128) as u128;
        while q.checked_mul(q).is_none_or(|s| s > rad) {
            q -= 1;
        }
        while (q + 1).checked_mul(q + 1).is_some_and(|s| s <= rad) {
            q += 1;
        }
        // Round to nearest: up when rad - q² > q (no ties: (q + ½)² is not an integer).
        if rad - q * q > q {
            q += 1;
        }
        Ext::round(q, e2 / 2)
    }

    /// Rounded to a double (the x87 `fstp` to memory), ties to even.
    fn to_f64(self) -> f64 {
        if self.m == 0 {
            return 0.0;
        }
        let mut q = self.m >> 11;
        let rem = self.m & 0x7ff;
        let mut e = self.e + 11;
        if rem > 0x400 || (rem == 0x400 && q & 1 == 1) {
            q += 1;
            if q == 1u64 << 53 {
                q >>= 1;
                e += 1;
            }
        }
        // q < 2^53 is exact; scale by 2^e in two exact steps where possible.
        let half = e / 2;
        (q as f64) * 2f64.powi(half) * 2f64.powi(e - half)
    }
}

/// `dnrm2` (OpenBLAS's x86-64 `nrm2.S`): the squares summed in x87 extended precision, in four
/// accumulators (element i of each group of eight goes to accumulator i mod 4; the elements
/// after the last full group all go to the first), combined as `a3 + ((a2 + a0) + a1)`, then
/// an extended-precision square root rounded to double.
pub(crate) fn nrm2(x: impl ExactSizeIterator<Item = f64> + Clone) -> f64 {
    if x.clone().any(|v| !v.is_finite()) {
        return x.fold(0.0, |s, v| s + v * v).sqrt();
    }
    let n = x.len();
    if n == 1 {
        // OpenBLAS's interface returns |x| for one element (so would the sum).
        return x.fold(0.0, |_, v| v.abs());
    }
    #[cfg(target_arch = "x86_64")]
    {
        // The x87 unit itself (what OpenBLAS runs), on a contiguous copy.
        let mut on_stack = [0.0f64; 256];
        let heap: Vec<f64>;
        let buf: &[f64] = if n <= on_stack.len() {
            for (slot, v) in on_stack.iter_mut().zip(x) {
                *slot = v;
            }
            &on_stack[..n]
        } else {
            heap = x.collect();
            &heap
        };
        nrm2_x87(buf)
    }
    #[cfg(not(target_arch = "x86_64"))]
    nrm2_soft(x)
}

/// [`nrm2`]'s sum and root with the x87 arithmetic emulated in integers.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn nrm2_soft(x: impl ExactSizeIterator<Item = f64> + Clone) -> f64 {
    let n = x.len();
    let full = n / 8 * 8;
    let mut acc = [Ext::ZERO; 4];
    for (i, v) in x.enumerate() {
        let k = if i < full { i % 4 } else { 0 };
        acc[k] = acc[k].add(Ext::square(v));
    }
    let total = acc[3].add(acc[2].add(acc[0]).add(acc[1]));
    total.sqrt().to_f64()
}

/// Σx² in x87 extended precision as OpenBLAS's nrm2.S sums it, then the extended square root
/// rounded to double.
#[cfg(target_arch = "x86_64")]
fn nrm2_x87(x: &[f64]) -> f64 {
    let groups = x.len() / 8;
    let rest = x.len() % 8;
    let mut out = 0.0f64;
    let mut saved_cw: u16 = 0;
    let ext_cw: u16 = 0x037f;
    // SAFETY: reads x.len() doubles from x; the x87 stack is left empty; the control word is
    // restored.
    unsafe {
        std::arch::asm!(
            "fnstcw word ptr [{saved}]",
            "fldcw word ptr [{ext}]",
            "fldz", "fldz", "fldz", "fldz",
            "test {g}, {g}",
            "jz 3f",
            "2:",
            "fld qword ptr [{p}]", "fmul st(0), st(0)", "faddp st(1), st(0)",
            "fld qword ptr [{p} + 8]", "fmul st(0), st(0)", "faddp st(2), st(0)",
            "fld qword ptr [{p} + 16]", "fmul st(0), st(0)", "faddp st(3), st(0)",
            "fld qword ptr [{p} + 24]", "fmul st(0), st(0)", "faddp st(4), st(0)",
            "fld qword ptr [{p} + 32]", "fmul st(0), st(0)", "faddp st(1), st(0)",
            "fld qword ptr [{p} + 40]", "fmul st(0), st(0)", "faddp st(2), st(0)",
            "fld qword ptr [{p} + 48]", "fmul st(0), st(0)", "faddp st(3), st(0)",
            "fld qword ptr [{p} + 56]", "fmul st(0), st(0)", "faddp st(4), st(0)",
            "add {p}, 64",
            "dec {g}",
            "jnz 2b",
            "3:",
            "test {r}, {r}",
            "jz 5f",
            "4:",
            "fld qword ptr [{p}]", "fmul st(0), st(0)", "faddp st(1), st(0)",
            "add {p}, 8",
            "dec {r}",
            "jnz 4b",
            "5:",
            "faddp st(2), st(0)",
            "faddp st(1), st(0)",
            "faddp st(1), st(0)",
            "fsqrt",
            "fstp qword ptr [{out}]",
            "fldcw word ptr [{saved}]",
            p = inout(reg) x.as_ptr() => _,
            g = inout(reg) groups => _,
            r = inout(reg) rest => _,
            out = in(reg) &mut out as *mut f64,
            saved = in(reg) &mut saved_cw as *mut u16,
            ext = in(reg) &ext_cw as *const u16,
            out("st(0)") _, out("st(1)") _, out("st(2)") _, out("st(3)") _,
            out("st(4)") _, out("st(5)") _, out("st(6)") _, out("st(7)") _,
            options(nostack),
        );
    }
    out
}

// ---- level 1 -------------------------------------------------------------------------------------

/// `ddot` of two unit-stride vectors (`ddot.c` with the AVX-512 kernel): blocks of 32 in four
/// 8-lane accumulators, then (for a remaining block of 16) four 4-lane ones, reduced across
/// accumulators and lanes; the tail is a chain of fused multiply-adds onto that sum.
#[inline(always)]
pub(crate) fn dot_unit(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    let n1 = n & !15;
    let mut dot = 0.0;
    if n1 > 0 {
        let n32 = n1 & !31;
        // acc[k][l]: accumulator k, lane l (8 lanes while 32-blocks run, then 4).
        let mut acc = [[0.0f64; 8]; 4];
        let mut i = 0;
        while i < n32 {
            for (k, a) in acc.iter_mut().enumerate() {
                for (l, al) in a.iter_mut().enumerate() {
                    let p = i + 8 * k + l;
                    *al = fma(x[p], y[p], *al);
                }
            }
            i += 32;
        }
        let mut acc4 = [[0.0f64; 4]; 4];
        for k in 0..4 {
            for l in 0..4 {
                acc4[k][l] = if n32 > 0 { acc[k][l] + acc[k][l + 4] } else { 0.0 };
            }
        }
        while i < n1 {
            for (k, a) in acc4.iter_mut().enumerate() {
                for (l, al) in a.iter_mut().enumerate() {
                    let p = i + 4 * k + l;
                    *al = fma(x[p], y[p], *al);
                }
            }
            i += 16;
        }
        let t: [f64; 4] = std::array::from_fn(|l| acc4[3][l] + (acc4[2][l] + (acc4[1][l] + acc4[0][l])));
        dot = (t[0] + t[2]) + (t[1] + t[3]);
    }
    for p in n1..n {
        dot = fma(y[p], x[p], dot);
    }
    dot
}

/// `ddot` when either vector is strided (`ddot.c`'s scalar loop): groups of four add
/// `x0·y0 + x2·y2` to one sum and `x1·y1 + x3·y3` to another (products rounded), the tail is
/// fused onto the first sum, and the result is the second plus the first.
#[inline(always)]
pub(crate) fn dot_strided(n: usize, x: &[f64], incx: usize, y: &[f64], incy: usize) -> f64 {
    let (mut t1, mut t2) = (0.0f64, 0.0f64);
    let n1 = n & !3;
    let mut i = 0;
    while i < n1 {
        let m = |k: usize| y[(i + k) * incy] * x[(i + k) * incx];
        let (m1, m2, m3, m4) = (m(0), m(1), m(2), m(3));
        t1 += m1 + m3;
        t2 += m2 + m4;
        i += 4;
    }
    while i < n {
        t1 = fma(y[i * incy], x[i * incx], t1);
        i += 1;
    }
    t2 + t1
}

/// `daxpy` on unit-stride vectors: y ← fma(x, a, y).
#[inline(always)]
pub(crate) fn axpy_unit(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi = fma(xi, a, *yi);
    }
}

// ---- level 2 -------------------------------------------------------------------------------------

/// Rows per block of `dgemv_t_4.c` (its NBMAX).
const GEMV_T_ROWS: usize = 2048;

/// `dgemv('T')` with alpha = 1, beta = 0 (`dgemv_t_4.c` with the Haswell 4×4 microkernel):
/// `y[j] = Σ_i a[i + j·lda]·x[i]` for i < m, j < n.
///
/// The first m & !3 rows: columns in groups of four go through the FMA microkernel (four lanes,
/// element i into lane i mod 4, reduced as (l0 + l2) + (l1 + l3)); a remaining pair of columns
/// through the SSE kernel (two lanes of rounded products); a last single column through the SSE
/// kernel with two pairs of lanes ((l0 + l2) + (l1 + l3) again). The last m & 3 rows are then
/// added by scalar code: one row fused onto y, two or three rows summed first (the second
/// product rounded, the others fused onto it) and then added. The first rows are taken in
/// blocks of [`GEMV_T_ROWS`], each block's sum added to y on its own.
#[inline(always)]
pub(crate) fn gemv_t(m: usize, n: usize, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    y[..n].fill(0.0);
    gemv_t_acc(m, n, 1.0, a, lda, x, y);
}

/// `dgemv('T')` accumulating, y ← y + alpha·Aᵀx, in the order described at [`gemv_t`] (the
/// block sums are added to y as [`gemv_t_acc_y`] says, the tail with `x·alpha` in place of x).
#[inline(always)]
pub(crate) fn gemv_t_acc(m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    gemv_t_acc_y(m, n, alpha, a, lda, x, y, true);
}

/// [`gemv_t_acc`] for a y passed with step 1 (`y_unit`) or not: with a unit-step y the
/// four-column kernel adds `round(s·alpha)` to y itself, while the pair and single columns
/// (and every column of a strided y) get `fma(s, alpha, y)` (measured).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemv_t_acc_y(m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64], y_unit: bool) {
    let nb = m & !3;
    let n4 = n & !3;
    let xt: [f64; 3] = std::array::from_fn(|k| if nb + k < m { x[nb + k] * alpha } else { 0.0 });
    let tail = |col: &[f64], s: f64| match m & 3 {
        0 => s,
        1 => fma(col[nb], xt[0], s),
        2 => fma(col[nb], xt[0], col[nb + 1] * xt[1]) + s,
        _ => fma(col[nb + 2], xt[2], fma(col[nb], xt[0], col[nb + 1] * xt[1])) + s,
    };
    let add_block = |s: f64, blk: f64, four_column: bool| if y_unit && four_column { s + blk * alpha } else { fma(blk, alpha, s) };
    // Columns of the 4-column kernel eight at a time: eight independent 4-lane chains, each
    // column's lanes summed exactly as the one-column loop below sums them.
    let mut first = 0;
    #[cfg(target_arch = "x86_64")]
    if n4 >= 8 && nb >= 4 && std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        while first + 8 <= n4 {
            let cols = &a[first * lda..(first + 7) * lda + m];
            let mut s: [f64; 8] = std::array::from_fn(|g| y[first + g]);
            for r0 in (0..nb).step_by(GEMV_T_ROWS) {
                let r1 = nb.min(r0 + GEMV_T_ROWS);
                // SAFETY: the CPU has AVX2 and FMA (checked above); every column of `cols` holds
                // rows r0..r1 (r1 ≤ m), and x holds them too.
                let blk = unsafe { gemv_t_lanes8(cols, lda, &x[r0..r1], r0) };
                for g in 0..8 {
                    s[g] = add_block(s[g], blk[g], true);
                }
            }
            for (g, sg) in s.into_iter().enumerate() {
                y[first + g] = tail(&a[(first + g) * lda..(first + g) * lda + m], sg);
            }
            first += 8;
        }
    }
    for j in first..n {
        let col = &a[j * lda..j * lda + m];
        let mut s = y[j];
        // The kernel takes the rows in blocks of GEMV_T_ROWS, each block's sum added to y.
        for r0 in (0..nb).step_by(GEMV_T_ROWS) {
            let rows = r0..nb.min(r0 + GEMV_T_ROWS);
            let (col, x) = (&col[rows.clone()], &x[rows.clone()]);
            let len = rows.len();
            let blk = if j < n4 {
                let mut l = [0.0f64; 4];
                for (cc, xc) in col.chunks_exact(4).zip(x.chunks_exact(4)) {
                    for k in 0..4 {
                        l[k] = fma(cc[k], xc[k], l[k]);
                    }
                }
                (l[0] + l[2]) + (l[1] + l[3])
            } else if n & 2 != 0 && j < n4 + 2 {
                let mut l = [0.0f64; 2];
                for i in (0..len).step_by(2) {
                    l[0] += col[i] * x[i];
                    l[1] += col[i + 1] * x[i + 1];
                }
                l[0] + l[1]
            } else {
                let mut l = [0.0f64; 4];
                for i in (0..len).step_by(4) {
                    for k in 0..4 {
                        l[k] += col[i + k] * x[i + k];
                    }
                }
                (l[0] + l[2]) + (l[1] + l[3])
            };
            s = add_block(s, blk, j < n4);
        }
        y[j] = tail(col, s);
    }
}

/// The 4-lane sums ((l0 + l2) + (l1 + l3), element i in lane i mod 4) of eight columns `lda`
/// apart over the rows `r0..r0 + x.len()` (a multiple of 4), one AVX2 accumulator per column.
///
/// # Safety
/// The CPU must have AVX2 and FMA; `cols` must hold 7·lda + r0 + x.len() values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gemv_t_lanes8(cols: &[f64], lda: usize, x: &[f64], r0: usize) -> [f64; 8] {
    use std::arch::x86_64::*;
    assert!(x.len() % 4 == 0 && cols.len() >= 7 * lda + r0 + x.len());
    let base = cols.as_ptr().wrapping_add(r0);
    let mut out = [0.0f64; 8];
    // SAFETY: every load lies in `cols` or `x` (checked above).
    unsafe {
        let mut l = [_mm256_setzero_pd(); 8];
        for i in (0..x.len()).step_by(4) {
            let xv = _mm256_loadu_pd(x.as_ptr().add(i));
            for (g, lg) in l.iter_mut().enumerate() {
                *lg = _mm256_fmadd_pd(_mm256_loadu_pd(base.add(g * lda + i)), xv, *lg);
            }
        }
        for (g, lg) in l.iter().enumerate() {
            let mut v = [0.0f64; 4];
            _mm256_storeu_pd(v.as_mut_ptr(), *lg);
            out[g] = (v[0] + v[2]) + (v[1] + v[3]);
        }
    }
    out
}

/// `dgemv('N')`, y ← y + alpha·A·x for A m × n (`dgemv_n_4.c` with the AVX-512 kernel), y
/// unit-stride; `x` holds the vector's values and `x_unit` says whether LAPACK passed it with
/// step 1 (the kernel takes other paths then, and a unit-step x with a leading dimension equal
/// to m < 4 has its own summation order, described in the body).
///
/// The first m & !3 rows: columns in groups of four, `t = a1·x1` then `a0·x0`, `a2·x2`, `a3·x3`
/// fused on, and `y = fma(t, alpha, y)`; with a unit-step x a remaining pair of columns the
/// same way (`t = a1·x1`, `a0·x0` fused on); each column left adds `a·(x·alpha)` (rounded
/// product). The last m & 3 rows: a chain of fused products over all columns, then
/// `y = fma(t, alpha, y)`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemv_n(m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, y: &mut [f64]) {
    let nb = m & !3;
    let n4 = n & !3;
    let xs = |j: usize| x[j];
    for c in (0..n4).step_by(4) {
        let (x0, x1, x2, x3) = (xs(c), xs(c + 1), xs(c + 2), xs(c + 3));
        let col = |k: usize| &a[(c + k) * lda..(c + k) * lda + nb];
        let (a0, a1, a2, a3) = (col(0), col(1), col(2), col(3));
        for ((((yi, &v0), &v1), &v2), &v3) in y[..nb].iter_mut().zip(a0).zip(a1).zip(a2).zip(a3) {
            let t = fma(v3, x3, fma(v2, x2, fma(v0, x0, v1 * x1)));
            *yi = fma(t, alpha, *yi);
        }
    }
    let mut rest = n4;
    if x_unit && n & 2 != 0 {
        let (x0, x1) = (xs(n4), xs(n4 + 1));
        let (a0, a1) = (&a[n4 * lda..], &a[(n4 + 1) * lda..]);
        for i in 0..nb {
            y[i] = fma(fma(a0[i], x0, a1[i] * x1), alpha, y[i]);
        }
        rest += 2;
    }
    for c in rest..n {
        let xa = xs(c) * alpha;
        for (yi, &v) in y[..nb].iter_mut().zip(&a[c * lda..c * lda + nb]) {
            *yi += v * xa;
        }
    }
    if x_unit && lda == m && m < 4 {
        // The whole matrix is its last m & 3 rows, stored without gaps: columns in groups of
        // four, each pair (first product fused onto the second) added to the row's sum (for
        // one row, the four products fused onto the second in turn, then added).
        let n4 = n & !3;
        let mut t = [0.0f64; 3];
        let e = |i: usize, j: usize| a[i + j * lda];
        for c in (0..n4).step_by(4) {
            for (i, ti) in t.iter_mut().enumerate().take(m) {
                if m == 1 {
                    let q = fma(e(0, c + 3), x[c + 3], fma(e(0, c + 2), x[c + 2], fma(e(0, c), x[c], e(0, c + 1) * x[c + 1])));
                    *ti += q;
                } else {
                    *ti += fma(e(i, c), x[c], e(i, c + 1) * x[c + 1]);
                    *ti += fma(e(i, c + 2), x[c + 2], e(i, c + 3) * x[c + 3]);
                }
            }
        }
        for (i, ti) in t.iter_mut().enumerate().take(m) {
            for j in n4..n {
                *ti = fma(e(i, j), x[j], *ti);
            }
            y[i] = fma(*ti, alpha, y[i]);
        }
        return;
    }
    for i in nb..m {
        let mut t = 0.0;
        for j in 0..n {
            t = fma(a[i + j * lda], xs(j), t);
        }
        y[i] = fma(t, alpha, y[i]);
    }
}

/// `dger`, A ← A + alpha·x·yᵀ (`dger.c`: per column, `daxpy` with `alpha·y[j]`):
/// `a[i, j] = fma(x[i], alpha·y[j], a[i, j])`.
#[inline(always)]
pub(crate) fn ger(m: usize, n: usize, alpha: f64, x: &[f64], y: &[f64], a: &mut [f64], lda: usize) {
    for j in 0..n {
        let t = alpha * y[j];
        axpy_unit(t, &x[..m], &mut a[j * lda..j * lda + m]);
    }
}

/// `dsymv` on the lower triangle, y ← y + alpha·A·x, unit steps (`dsymv_L.c` with the AVX-512
/// kernel): columns in groups of four (each `alpha·x[j]` fused into y below the diagonal while
/// `a·x` is fused into that column's partial sum; rows far enough below handed to the vector
/// kernel), then single columns; each column's partial sum is fused onto y[j] with alpha.
#[inline(always)]
pub(crate) fn symv_lower(m: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    symv_lower_cols(m, m, alpha, a, lda, x, y);
}

/// [`symv_lower`] restricted to the first `cols` columns of the m × m triangle (the kernel's
/// `offset`, what each thread of the threaded `dsymv` runs).
#[inline(always)]
pub(crate) fn symv_lower_cols(m: usize, cols: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    let at = |i: usize, j: usize| a[i + j * lda];
    let off1 = cols / 4 * 4;
    for j in (0..off1).step_by(4) {
        let t1: [f64; 4] = std::array::from_fn(|k| alpha * x[j + k]);
        let mut t2 = [0.0f64; 4];
        for k in 0..4 {
            y[j + k] = fma(t1[k], at(j + k, j + k), y[j + k]);
        }
        for k in 0..3 {
            for i in j + 1 + k..j + 4 {
                y[i] = fma(t1[k], at(i, j + k), y[i]);
                t2[k] = fma(at(i, j + k), x[i], t2[k]);
            }
        }
        let mut start = j + 4;
        if m - (j + 1) >= 12 {
            let m2 = m / 4 * 4;
            if m2 > j + 4 {
                symv_lower_block(j + 4, m2, a, lda, j, x, y, &t1, &mut t2);
            }
            start = m2;
        }
        let cols: [&[f64]; 4] = std::array::from_fn(|k| &a[(j + k) * lda..(j + k) * lda + m]);
        for i in start..m {
            let xi = x[i];
            let mut yi = y[i];
            for k in 0..4 {
                let aik = cols[k][i];
                yi = fma(t1[k], aik, yi);
                t2[k] = fma(aik, xi, t2[k]);
            }
            y[i] = yi;
        }
        for k in 0..4 {
            y[j + k] = fma(alpha, t2[k], y[j + k]);
        }
    }
    for j in off1..cols {
        let t1 = alpha * x[j];
        let mut t2 = 0.0;
        y[j] = fma(t1, at(j, j), y[j]);
        let col = &a[j * lda + j + 1..j * lda + m];
        for ((yi, &aij), &xi) in y[j + 1..m].iter_mut().zip(col).zip(&x[j + 1..m]) {
            *yi = fma(t1, aij, *yi);
            t2 = fma(aij, xi, t2);
        }
        y[j] = fma(alpha, t2, y[j]);
    }
}

/// The vector kernel of [`symv_lower`] for rows `from..to` of columns j..j+4: blocks of eight
/// rows in 8-lane sums (folded to four lanes), then of four; y gets
/// `t1·a1`, with `t0·a0`, `t2·a2`, `t3·a3` fused on, added.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn symv_lower_block(from: usize, to: usize, a: &[f64], lda: usize, j: usize, x: &[f64], y: &mut [f64], t1: &[f64; 4], t2: &mut [f64; 4]) {
    let cols: [&[f64]; 4] = std::array::from_fn(|k| &a[(j + k) * lda..(j + k) * lda + to]);
    let to8 = from + ((to - from) & !7);
    // acc[k][l]: lane l of column k's sum; each lane's chain is the kernel's, in whole blocks
    // so that the lanes vectorise
    let mut acc = [[0.0f64; 8]; 4];
    for p in (from..to8).step_by(8) {
        let c: [&[f64; 8]; 4] = std::array::from_fn(|k| cols[k][p..p + 8].try_into().unwrap());
        let xs: &[f64; 8] = x[p..p + 8].try_into().unwrap();
        let ys: &mut [f64; 8] = (&mut y[p..p + 8]).try_into().unwrap();
        for l in 0..8 {
            ys[l] += fma(t1[3], c[3][l], fma(t1[2], c[2][l], fma(t1[0], c[0][l], t1[1] * c[1][l])));
        }
        for k in 0..4 {
            for l in 0..8 {
                acc[k][l] = fma(xs[l], c[k][l], acc[k][l]);
            }
        }
    }
    let mut acc4: [[f64; 4]; 4] = std::array::from_fn(|k| std::array::from_fn(|l| acc[k][l] + acc[k][l + 4]));
    // the rest comes in blocks of four rows (from and to are multiples of four)
    for p in (to8..to).step_by(4) {
        let c: [&[f64; 4]; 4] = std::array::from_fn(|k| cols[k][p..p + 4].try_into().unwrap());
        let xs: &[f64; 4] = x[p..p + 4].try_into().unwrap();
        let ys: &mut [f64; 4] = (&mut y[p..p + 4]).try_into().unwrap();
        for l in 0..4 {
            ys[l] += fma(t1[3], c[3][l], fma(t1[2], c[2][l], fma(t1[0], c[0][l], t1[1] * c[1][l])));
        }
        for k in 0..4 {
            for l in 0..4 {
                acc4[k][l] = fma(xs[l], c[k][l], acc4[k][l]);
            }
        }
    }
    for k in 0..4 {
        t2[k] += (acc4[k][0] + acc4[k][2]) + (acc4[k][1] + acc4[k][3]);
    }
}

/// `dsymv` on the upper triangle, y ← y + alpha·A·x, unit steps, m < 16 (`dsymv_U.c`'s plain
/// loop): per column, `alpha·x[j]` fused into y above the diagonal while `a·x` is fused into
/// a partial sum, then `y[j] + fma(alpha·x[j], a[j, j], alpha·sum)`. From m = 16 on the kernel
/// blocks the columns and this order is only close.
#[inline(always)]
pub(crate) fn symv_upper(m: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    let at = |i: usize, j: usize| a[i + j * lda];
    for j in 0..m {
        let t1 = alpha * x[j];
        let mut t2 = 0.0;
        for i in 0..j {
            y[i] = fma(t1, at(i, j), y[i]);
            t2 = fma(at(i, j), x[i], t2);
        }
        y[j] += fma(t1, at(j, j), alpha * t2);
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod nrm2_tests {
    use super::*;

    #[test]
    fn x87_matches_emulation() {
        let mut s: u64 = 12345;
        let mut rnd = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        for n in 0..300usize {
            for scale in [1e-3, 1.0, 1e5, 1e-150, 1e150] {
                let x: Vec<f64> = (0..n).map(|_| rnd() * scale).collect();
                assert_eq!(nrm2_x87(&x).to_bits(), nrm2_soft(x.iter().copied()).to_bits(), "n = {n}");
            }
        }
    }
}
