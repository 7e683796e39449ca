//! The blocked symmetric eigen-solver NumPy's `eigh` runs for orders above 32: `dsyevd`
//! (JOBZ = 'V', UPLO = 'L') of LAPACK 3.12 inside scipy-openblas 0.3.31, with the workspace
//! NumPy's query hands it — `dsytrd` blocked (`dlatrd` panels of 32 columns, the trailing
//! matrix updated by `dsyr2k`, the last ≤ 32 columns by `dsytd2`), `dstedc` ('I') on the
//! tridiagonal, then Q applied by `dormtr` → blocked `dormqr`. Each BLAS call is OpenBLAS's
//! SkylakeX kernel as modelled in [`crate::blas_skx`], [`crate::syr2k_skx`], [`crate::gemm_skx`];
//! the Fortran in between is compiled without FMA contraction, as written here.

use crate::blas_skx::{axpy_unit, dot_unit, gemv_n, gemv_t, symv_lower_cols};
use crate::lapack_small::{reflector, Cm, NoConvergence};
use rayon::prelude::*;

/// `ilaenv`'s block size for `dsytrd` (NB) and the crossover to `dsytd2` (NX).
const SYTRD_NB: usize = 32;
const SYTRD_NX: usize = 32;
/// Order from which OpenBLAS runs `dsymv` on several threads.
const SYMV_THREADED: usize = 200;
/// Largest order `eigh` takes this route for unless asked for more. It is NumPy's bits to
/// [`SYEVD_BITWISE_MAX`] at 1-3 OpenBLAS threads, but slower than faer beyond (measured,
/// NumPy's 2 threads: at 384 2.5× NumPy's time, at 600 3.5×, at 1000 3.6×, faer 1.4-1.9×), so
/// larger orders go to faer for speed.
pub const SYEVD_MAX: usize = 384;
/// Largest order checked to be NumPy's bits (multivariate_normal's method='eigh' goes this far).
pub const SYEVD_BITWISE_MAX: usize = 1024;

/// `$name` runs `$body` compiled with FMA instructions where the CPU has them (the BLAS models
/// are `inline(always)`, and `f64::mul_add` is a library call per element without them).
macro_rules! with_fma {
    ($name:ident, $fast:ident, $body:ident, ($($arg:ident: $ty:ty),*)) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $fast($($arg: $ty),*) {
            $body($($arg),*)
        }
        #[allow(clippy::too_many_arguments)]
        pub(crate) fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2 and FMA (checked just above).
                return unsafe { $fast($($arg),*) };
            }
            $body($($arg),*)
        }
    };
}

with_fma!(symv_lower_blas, symv_lower_blas_fma, symv_lower_blas_body, (m: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64], threads: usize));
with_fma!(symv_part, symv_part_fma, symv_part_body, (m: usize, cols: usize, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]));
with_fma!(latrd_lower, latrd_lower_fma, latrd_lower_body, (n: usize, nb: usize, a: &mut [f64], lda: usize, e: &mut [f64], tau: &mut [f64], w: &mut [f64], ldw: usize, threads: usize));

/// `dsymv('L')` as OpenBLAS runs it: y ← y + alpha·A·x with A m × m (lower triangle, leading
/// dimension `lda`), x and y unit-stride, on `threads` threads from order 200 on
/// (`symv_thread.c`: column ranges by area, rounded up to 4, each thread's kernel into its
/// own zeroed buffer over rows m_from..m, the buffers added in thread order, then
/// `y += alpha·sum`).
#[inline(always)]
fn symv_lower_blas_body(m: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], y: &mut [f64], threads: usize) {
    if m == 0 {
        return;
    }
    if threads <= 1 || m < SYMV_THREADED {
        symv_lower_cols(m, m, alpha, a, lda, x, y);
        return;
    }
    let dnum = m as f64 * m as f64 / threads as f64;
    let mut bounds = vec![0usize];
    let mut i = 0usize;
    while i < m {
        let mut width;
        if threads - (bounds.len() - 1) > 1 {
            let di = (m - i) as f64;
            width = if di * di - dnum > 0.0 { (((-(di * di - dnum).sqrt() + di) as i64 + 3) & !3) as usize } else { m - i };
            width = width.max(4).min(m - i);
        } else {
            width = m - i;
        }
        i += width;
        bounds.push(i);
    }
    // the threads' parts are independent (computed on rayon's threads); their sum is in order
    let parts: Vec<Vec<f64>> = (0..bounds.len() - 1)
        .into_par_iter()
        .map(|t| {
            let (from, to) = (bounds[t], bounds[t + 1]);
            let mut part = vec![0.0; m - from];
            symv_part(m - from, to - from, &a[from * (lda + 1)..], lda, &x[from..], &mut part);
            part
        })
        .collect();
    let mut acc = vec![0.0; m];
    for (t, part) in parts.iter().enumerate() {
        if t == 0 {
            acc.copy_from_slice(part);
        } else {
            axpy_unit(1.0, part, &mut acc[bounds[t]..]);
        }
    }
    axpy_unit(alpha, &acc, &mut y[..m]);
}

/// One thread's share of the threaded `dsymv`: its columns' kernel into a zeroed buffer.
#[inline(always)]
fn symv_part_body(m: usize, cols: usize, a: &[f64], lda: usize, x: &[f64], y: &mut [f64]) {
    symv_lower_cols(m, cols, 1.0, a, lda, x, y);
}

/// `dlatrd('L')`: reduces the first `nb` columns of the order-`n` symmetric matrix at `a`
/// (leading dimension `lda`, lower triangle) and returns W (n × nb, leading dimension `ldw`)
/// for the trailing update; e and tau get the panel's off-diagonal and reflector scalars.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn latrd_lower_body(n: usize, nb: usize, a: &mut [f64], lda: usize, e: &mut [f64], tau: &mut [f64], w: &mut [f64], ldw: usize, threads: usize) {
    let mut xrow = vec![0.0; nb];
    let mut wcol = vec![0.0; nb];
    let mut scratch = vec![0.0; n];
    for i in 0..nb {
        if i > 0 {
            // A(i:n, i) -= A(i:n, 0:i)·W(i, 0:i)ᵀ + W(i:n, 0:i)·A(i, 0:i)ᵀ
            let (left, right) = a.split_at_mut(i * lda);
            let y = &mut right[i..n];
            for (j, v) in xrow[..i].iter_mut().enumerate() {
                *v = w[i + j * ldw];
            }
            gemv_n(n - i, i, -1.0, &left[i..], lda, &xrow[..i], false, y);
            for (j, v) in xrow[..i].iter_mut().enumerate() {
                *v = left[i + j * lda];
            }
            gemv_n(n - i, i, -1.0, &w[i..], ldw, &xrow[..i], false, y);
        }
        if i + 1 >= n {
            continue;
        }
        let len = n - i - 1;
        let col = i * lda + i + 1;
        tau[i] = reflector(&mut a[col..col + len]);
        e[i] = a[col];
        a[col] = 1.0;
        let v: Vec<f64> = a[col..col + len].to_vec();
        {
            let (wl, wr) = w.split_at_mut(i * ldw);
            let _ = wl;
            let wi = &mut wr[i + 1..i + 1 + len];
            wi.fill(0.0);
            symv_lower_blas(len, 1.0, &a[(i + 1) * lda + i + 1..], lda, &v, wi, threads);
        }
        if i > 0 {
            let wt = &mut wcol[..i];
            gemv_t(len, i, &w[i + 1..], ldw, &v, wt);
            {
                let wi = &mut scratch[..len];
                wi.copy_from_slice(&w[i * ldw + i + 1..i * ldw + i + 1 + len]);
                gemv_n(len, i, -1.0, &a[i + 1..], lda, wt, true, wi);
                w[i * ldw + i + 1..i * ldw + i + 1 + len].copy_from_slice(wi);
            }
            gemv_t(len, i, &a[i + 1..], lda, &v, wt);
            {
                let wi = &mut scratch[..len];
                wi.copy_from_slice(&w[i * ldw + i + 1..i * ldw + i + 1 + len]);
                gemv_n(len, i, -1.0, &w[i + 1..], ldw, wt, true, wi);
                w[i * ldw + i + 1..i * ldw + i + 1 + len].copy_from_slice(wi);
            }
            // W(0:i, i) holds the last product, as LAPACK leaves it
            w[i * ldw..i * ldw + i].copy_from_slice(wt);
        }
        let t = tau[i];
        let wi = &mut w[i * ldw + i + 1..i * ldw + i + 1 + len];
        for x in wi.iter_mut() {
            *x *= t;
        }
        let alpha = -0.5 * t * dot_unit(wi, &v);
        axpy_unit(alpha, &v, wi);
    }
}

/// Blocked `dsytrd('L')` in place on `a` (n × n, column-major): returns (d, e, tau); the
/// reflectors are left below the subdiagonal as LAPACK leaves them.
pub fn sytrd_lower(a: &mut Cm, threads: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = a.rows;
    let lda = n;
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n.saturating_sub(1)];
    let mut tau = vec![0.0; n.saturating_sub(1)];
    let nb = SYTRD_NB;
    let mut w = vec![0.0; n * nb];
    let mut i = 0;
    if n > SYTRD_NX {
        while i + SYTRD_NX < n {
            let m = n - i;
            latrd_lower(m, nb, &mut a.v[i * lda + i..], lda, &mut e[i..], &mut tau[i..], &mut w, n, threads);
            let rest = m - nb;
            let (left, right) = a.v.split_at_mut((i + nb) * lda);
            crate::syr2k_skx::dsyr2k_lower_with(threads, rest, nb, -1.0, &left[i * lda + i + nb..], lda, &w[nb..], n, 1.0, &mut right[i + nb..], lda);
            for j in i..i + nb {
                a.v[j * lda + j + 1] = e[j];
                d[j] = a.v[j * lda + j];
            }
            i += nb;
        }
    }
    // dsytd2 on the trailing block
    let m = n - i;
    let mut sub = Cm::from_fn(m, m, |r, c| a.v[(i + c) * lda + i + r]);
    let (ds, es, ts) = crate::lapack_small::sytd2_lower(&mut sub);
    for c in 0..m {
        for r in c..m {
            a.v[(i + c) * lda + i + r] = sub.v[c * m + r];
        }
    }
    d[i..].copy_from_slice(&ds);
    e[i..].copy_from_slice(&es);
    tau[i..].copy_from_slice(&ts);
    (d, e, tau)
}

/// `dsyevd('V', 'L')` with NumPy's workspace: eigenvalues ascending and eigenvectors (columns)
/// of the symmetric matrix whose lower triangle is `a`.
pub fn syevd_lower(a: &Cm) -> Result<(Vec<f64>, Cm), NoConvergence> {
    syevd_lower_with(a, crate::gemm_skx::blas_threads())
}

/// [`syevd_lower`] for a given OpenBLAS thread count.
pub fn syevd_lower_with(a: &Cm, threads: usize) -> Result<(Vec<f64>, Cm), NoConvergence> {
    let n = a.rows;
    let mut w = a.clone();
    let (mut d, mut e, tau) = sytrd_lower(&mut w, threads);
    let mut z = crate::lapack_stedc::stedc(&mut d, &mut e)?;
    if n > 1 {
        // dormtr('L', 'L', 'N') → dormqr on rows 1..n with the workspace dsyevd leaves it
        let lwork = 1 + 4 * n + n * n;
        let nb = crate::lapack_blocked::orm_block(lwork, n);
        crate::lapack_blocked::ormqr_left_n(n - 1, n - 1, &w.v[1..], n, &tau, &mut z, 1, nb);
    }
    Ok((d, z))
}
