//! The blocked bidiagonal reduction `dgebrd` as NumPy's LAPACK (3.12 inside scipy-openblas
//! 0.3.31) runs it inside `dgesdd`: panels of [`GEBRD_NB`] rows and columns reduced by
//! `dlabrd` (which also returns the X and Y matrices of the block update), the trailing matrix
//! updated as A ← A - V·Yᵀ - X·Uᵀ by two [`crate::gemm_skx::dgemm`] calls, and the last
//! [`GEBRD_NX`] or fewer rows and columns reduced unblocked (`dgebd2`,
//! [`crate::lapack_small`]). Every matrix-vector product is OpenBLAS's `dgemv`
//! ([`crate::lapack_small::dgemv_threads`]: interface, thread split and kernels), so that each element
//! rounds as in NumPy.
//!
//! `dgesdd` hands `dgebrd` at least (m + n)·NB doubles of workspace when NumPy allocates what the
//! workspace query asked for, so the block size is never reduced.

use crate::gemm_skx::{blas_threads, dgemm, Trans};
use crate::lapack_small::{bidiagonalize, dgemv_vals, reflector, Cm, Refl};

/// `ilaenv`'s block size for `dgebrd`.
pub const GEBRD_NB: usize = 32;
/// `ilaenv`'s crossover for `dgebrd`: up to this min(m, n) (and for the last rows and columns
/// beyond it) the reduction is unblocked.
pub const GEBRD_NX: usize = 128;

/// A column-major matrix region: values, leading dimension.
struct Mat<'a> {
    v: &'a mut [f64],
    ld: usize,
}

impl Mat<'_> {
    #[inline]
    fn at(&self, i: usize, j: usize) -> f64 {
        self.v[i + j * self.ld]
    }
    #[inline]
    fn set(&mut self, i: usize, j: usize, x: f64) {
        self.v[i + j * self.ld] = x;
    }
    /// Rows r0..r0+len of column j.
    fn col(&self, r0: usize, j: usize, len: usize) -> Vec<f64> {
        let s = r0 + j * self.ld;
        self.v[s..s + len].to_vec()
    }
    fn put_col(&mut self, r0: usize, j: usize, x: &[f64]) {
        let s = r0 + j * self.ld;
        self.v[s..s + x.len()].copy_from_slice(x);
    }
    /// Columns c0..c0+len of row i.
    fn row(&self, i: usize, c0: usize, len: usize) -> Vec<f64> {
        (c0..c0 + len).map(|j| self.at(i, j)).collect()
    }
    fn put_row(&mut self, i: usize, c0: usize, x: &[f64]) {
        for (k, &v) in x.iter().enumerate() {
            self.set(i, c0 + k, v);
        }
    }
    /// The region from (i, j) on, for a BLAS call.
    fn from(&self, i: usize, j: usize) -> &[f64] {
        &self.v[i + j * self.ld..]
    }
}

/// `dgemv` on vectors held as values: `x_unit` / `y_unit` say whether LAPACK passes them
/// with step 1 (else a leading dimension), which picks OpenBLAS's kernel paths.
#[allow(clippy::too_many_arguments)]
fn gemv(trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], x_unit: bool, beta: f64, y: &mut [f64], y_unit: bool) {
    dgemv_vals(trans, m, n, alpha, a, lda, x, x_unit, beta, y, y_unit, blas_threads());
}

/// `dscal`: x ← alpha·x.
fn scal(alpha: f64, x: &mut [f64]) {
    for v in x {
        *v *= alpha;
    }
}

/// `dlarfg` on the values `x` (alpha first): tau, with x[0] becoming beta.
fn larfg(x: &mut [f64]) -> f64 {
    reflector(x)
}

/// `dlabrd`: reduces the first `nb` rows and columns of the m × n panel `a` (m ≥ n: to upper
/// bidiagonal form, else lower), returning X (m × nb, leading dimension `x.ld`) and Y (n × nb)
/// for the update of the rest; writes d, e, tauq, taup (`nb` each). On exit the panel holds the
/// reflectors, with ones where the bidiagonal's outer entries were.
#[allow(clippy::too_many_arguments)]
fn labrd(m: usize, n: usize, nb: usize, a: &mut Mat, d: &mut [f64], e: &mut [f64], tauq: &mut [f64], taup: &mut [f64], x: &mut Mat, y: &mut Mat) {
    let (lda, ldx, ldy) = (a.ld, x.ld, y.ld);
    let unit_a = lda == 1;
    let unit_x = ldx == 1;
    let unit_y = ldy == 1;
    if m >= n {
        for i in 0..nb {
            // A(i:m, i) -= A(i:m, 0:i)·Y(i, 0:i)ᵀ + X(i:m, 0:i)·A(0:i, i)
            let mut c = a.col(i, i, m - i);
            gemv(false, m - i, i, -1.0, a.from(i, 0), lda, &y.row(i, 0, i), unit_y, 1.0, &mut c, true);
            gemv(false, m - i, i, -1.0, x.from(i, 0), ldx, &a.col(0, i, i), true, 1.0, &mut c, true);
            tauq[i] = larfg(&mut c);
            d[i] = c[0];
            a.put_col(i, i, &c);
            if i + 1 >= n {
                continue;
            }
            a.set(i, i, 1.0);
            let v = a.col(i, i, m - i);
            let rest = n - i - 1;
            // Y(i+1:n, i)
            let mut yc = vec![0.0; rest];
            gemv(true, m - i, rest, 1.0, a.from(i, i + 1), lda, &v, true, 0.0, &mut yc, true);
            let mut t = vec![0.0; i];
            gemv(true, m - i, i, 1.0, a.from(i, 0), lda, &v, true, 0.0, &mut t, true);
            gemv(false, rest, i, -1.0, y.from(i + 1, 0), ldy, &t, true, 1.0, &mut yc, true);
            gemv(true, m - i, i, 1.0, x.from(i, 0), ldx, &v, true, 0.0, &mut t, true);
            gemv(true, i, rest, -1.0, a.from(0, i + 1), lda, &t, true, 1.0, &mut yc, true);
            scal(tauq[i], &mut yc);
            y.put_col(i + 1, i, &yc);
            y.put_col(0, i, &t);
            // A(i, i+1:n) -= Y(i+1:n, 0:i+1)·A(i, 0:i+1)ᵀ + A(0:i, i+1:n)ᵀ·X(i, 0:i)ᵀ
            let mut r = a.row(i, i + 1, rest);
            gemv(false, rest, i + 1, -1.0, y.from(i + 1, 0), ldy, &a.row(i, 0, i + 1), unit_a, 1.0, &mut r, unit_a);
            gemv(true, i, rest, -1.0, a.from(0, i + 1), lda, &x.row(i, 0, i), unit_x, 1.0, &mut r, unit_a);
            taup[i] = larfg(&mut r);
            e[i] = r[0];
            r[0] = 1.0;
            a.put_row(i, i + 1, &r);
            // X(i+1:m, i)
            let mut xc = vec![0.0; m - i - 1];
            gemv(false, m - i - 1, rest, 1.0, a.from(i + 1, i + 1), lda, &r, unit_a, 0.0, &mut xc, true);
            let mut t = vec![0.0; i + 1];
            gemv(true, rest, i + 1, 1.0, y.from(i + 1, 0), ldy, &r, unit_a, 0.0, &mut t, true);
            gemv(false, m - i - 1, i + 1, -1.0, a.from(i + 1, 0), lda, &t, true, 1.0, &mut xc, true);
            let mut t2 = vec![0.0; i];
            gemv(false, i, rest, 1.0, a.from(0, i + 1), lda, &r, unit_a, 0.0, &mut t2, true);
            gemv(false, m - i - 1, i, -1.0, x.from(i + 1, 0), ldx, &t2, true, 1.0, &mut xc, true);
            scal(taup[i], &mut xc);
            // X(0:i, i) ends as the last product's input (t2), its row i as t's
            t[..i].copy_from_slice(&t2);
            x.put_col(0, i, &t);
            x.put_col(i + 1, i, &xc);
        }
    } else {
        for i in 0..nb {
            let len = n - i;
            // A(i, i:n) -= Y(i:n, 0:i)·A(i, 0:i)ᵀ + A(0:i, i:n)ᵀ·X(i, 0:i)ᵀ
            let mut r = a.row(i, i, len);
            gemv(false, len, i, -1.0, y.from(i, 0), ldy, &a.row(i, 0, i), unit_a, 1.0, &mut r, unit_a);
            gemv(true, i, len, -1.0, a.from(0, i), lda, &x.row(i, 0, i), unit_x, 1.0, &mut r, unit_a);
            taup[i] = larfg(&mut r);
            d[i] = r[0];
            a.put_row(i, i, &r);
            if i + 1 >= m {
                continue;
            }
            r[0] = 1.0;
            a.set(i, i, 1.0);
            let below = m - i - 1;
            // X(i+1:m, i)
            let mut xc = vec![0.0; below];
            gemv(false, below, len, 1.0, a.from(i + 1, i), lda, &r, unit_a, 0.0, &mut xc, true);
            let mut t = vec![0.0; i];
            gemv(true, len, i, 1.0, y.from(i, 0), ldy, &r, unit_a, 0.0, &mut t, true);
            gemv(false, below, i, -1.0, a.from(i + 1, 0), lda, &t, true, 1.0, &mut xc, true);
            gemv(false, i, len, 1.0, a.from(0, i), lda, &r, unit_a, 0.0, &mut t, true);
            gemv(false, below, i, -1.0, x.from(i + 1, 0), ldx, &t, true, 1.0, &mut xc, true);
            scal(taup[i], &mut xc);
            x.put_col(0, i, &t);
            x.put_col(i + 1, i, &xc);
            // A(i+1:m, i) -= A(i+1:m, 0:i)·Y(i, 0:i)ᵀ + X(i+1:m, 0:i+1)·A(0:i+1, i)
            let mut c = a.col(i + 1, i, below);
            gemv(false, below, i, -1.0, a.from(i + 1, 0), lda, &y.row(i, 0, i), unit_y, 1.0, &mut c, true);
            gemv(false, below, i + 1, -1.0, x.from(i + 1, 0), ldx, &a.col(0, i, i + 1), true, 1.0, &mut c, true);
            tauq[i] = larfg(&mut c);
            e[i] = c[0];
            c[0] = 1.0;
            a.put_col(i + 1, i, &c);
            // Y(i+1:n, i)
            let rest = n - i - 1;
            let mut yc = vec![0.0; rest];
            gemv(true, below, rest, 1.0, a.from(i + 1, i + 1), lda, &c, true, 0.0, &mut yc, true);
            let mut t = vec![0.0; i + 1];
            gemv(true, below, i, 1.0, a.from(i + 1, 0), lda, &c, true, 0.0, &mut t[..i], true);
            gemv(false, rest, i, -1.0, y.from(i + 1, 0), ldy, &t[..i], true, 1.0, &mut yc, true);
            gemv(true, below, i + 1, 1.0, x.from(i + 1, 0), ldx, &c, true, 0.0, &mut t, true);
            gemv(true, i + 1, rest, -1.0, a.from(0, i + 1), lda, &t, true, 1.0, &mut yc, true);
            scal(tauq[i], &mut yc);
            y.put_col(0, i, &t);
            y.put_col(i + 1, i, &yc);
        }
    }
}

/// The output of [`gebrd`]: the bidiagonal (d, e) and the reflectors of Q and P, as
/// `dgebd2`'s callers in [`crate::lapack_small`] take them.
pub(crate) type Bidiagonal = (Vec<f64>, Vec<f64>, Vec<Refl>, Vec<Refl>);

/// `dgebrd` on `a` (m × n, column-major, leading dimension m) with the full workspace: upper
/// bidiagonal when m ≥ n, lower otherwise. `a` is left holding the reflectors as LAPACK leaves
/// it; returns (d, e, tauq, taup).
pub(crate) fn gebrd_in_place(m: usize, n: usize, a: &mut [f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let k = m.min(n);
    let mut d = vec![0.0; k];
    let mut e = vec![0.0; k.saturating_sub(1)];
    let mut tauq = vec![0.0; k];
    let mut taup = vec![0.0; k];
    let nb = GEBRD_NB;
    let mut i0 = 0;
    if nb < k && GEBRD_NX < k {
        // X (ldx = m) and Y (ldy = n), nb columns each
        let mut xw = vec![0.0; m * nb];
        let mut yw = vec![0.0; n * nb];
        while i0 + GEBRD_NX < k {
            {
                let mut panel = Mat { v: &mut a[i0 + i0 * m..], ld: m };
                let mut x = Mat { v: &mut xw, ld: m };
                let mut y = Mat { v: &mut yw, ld: n };
                labrd(m - i0, n - i0, nb, &mut panel, &mut d[i0..i0 + nb], &mut e[i0..i0 + nb], &mut tauq[i0..i0 + nb], &mut taup[i0..i0 + nb], &mut x, &mut y);
            }
            let (rows, cols) = (m - i0 - nb, n - i0 - nb);
            // A(i0+nb:, i0+nb:) -= V·Yᵀ, then -= X·U
            let split = (i0 + nb) * m;
            let (left, right) = a.split_at_mut(split);
            let v = &left[i0 + nb + i0 * m..];
            let c = &mut right[i0 + nb..];
            dgemm(Trans::No, Trans::Yes, rows, cols, nb, -1.0, v, m, &yw[nb..], n, 1.0, c, m);
            let mut u = vec![0.0; nb * cols];
            for j in 0..cols {
                u[j * nb..(j + 1) * nb].copy_from_slice(&right[i0 + j * m..i0 + j * m + nb]);
            }
            let c = &mut right[i0 + nb..];
            dgemm(Trans::No, Trans::No, rows, cols, nb, -1.0, &xw[nb..], m, &u, nb, 1.0, c, m);
            for j in i0..i0 + nb {
                a[j + j * m] = d[j];
                if m >= n {
                    a[j + (j + 1) * m] = e[j];
                } else {
                    a[j + 1 + j * m] = e[j];
                }
            }
            i0 += nb;
        }
    }
    // dgebd2 on the rest
    let (rm, rn) = (m - i0, n - i0);
    let mut rest = Cm::from_fn(rm, rn, |i, j| a[i0 + i + (i0 + j) * m]);
    let (rd, re, qs, ps) = bidiagonalize(&mut rest);
    for j in 0..rn {
        for i in 0..rm {
            a[i0 + i + (i0 + j) * m] = rest.get(i, j);
        }
    }
    d[i0..].copy_from_slice(&rd);
    e[i0..].copy_from_slice(&re);
    for (t, h) in qs.iter().enumerate() {
        tauq[i0 + t] = h.tau;
    }
    for (t, g) in ps.iter().enumerate() {
        taup[i0 + t] = g.tau;
    }
    (d, e, tauq, taup)
}

/// [`gebrd_in_place`] on `a`, returning the reflectors in [`Refl`] form.
pub(crate) fn gebrd(a: &mut Cm) -> Bidiagonal {
    let (m, n) = (a.rows, a.cols);
    let (d, e, tauq, taup) = gebrd_in_place(m, n, &mut a.v);
    let k = m.min(n);
    let mut qs = Vec::new();
    let mut ps = Vec::new();
    let col = |r0: usize, j: usize| -> Vec<f64> {
        let mut v = a.v[r0 + j * m..(j + 1) * m].to_vec();
        v[0] = 1.0;
        v
    };
    let row = |i: usize, c0: usize| -> Vec<f64> {
        let mut v: Vec<f64> = (c0..n).map(|j| a.v[i + j * m]).collect();
        v[0] = 1.0;
        v
    };
    if m >= n {
        for j in 0..k {
            qs.push(Refl { start: j, v: col(j, j), tau: tauq[j] });
            if j + 1 < n {
                ps.push(Refl { start: j + 1, v: row(j, j + 1), tau: taup[j] });
            }
        }
    } else {
        for j in 0..k {
            ps.push(Refl { start: j, v: row(j, j), tau: taup[j] });
            if j + 1 < m {
                qs.push(Refl { start: j + 1, v: col(j + 1, j), tau: tauq[j] });
            }
        }
    }
    (d, e, qs, ps)
}

/// Test hook: `dgebrd` on `a` (m × n column-major, flat): (A on exit, d, e, tauq, taup).
pub fn gebrd_hook(m: usize, n: usize, mut a: Vec<f64>) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let (d, e, tq, tp) = gebrd_in_place(m, n, &mut a);
    (a, d, e, tq, tp)
}

/// Test hook: `dlabrd(m, n, nb)` on `a` (m × n column-major, flat, lda = m) with X, Y leading
/// dimensions m, n: (A, d, e, tauq, taup, X, Y).
#[allow(clippy::type_complexity)]
pub fn labrd_hook(m: usize, n: usize, nb: usize, mut a: Vec<f64>) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut d, mut e, mut tq, mut tp) = (vec![0.0; nb], vec![0.0; nb], vec![0.0; nb], vec![0.0; nb]);
    let mut xw = vec![0.0; m * nb];
    let mut yw = vec![0.0; n * nb];
    labrd(m, n, nb, &mut Mat { v: &mut a, ld: m }, &mut d, &mut e, &mut tq, &mut tp, &mut Mat { v: &mut xw, ld: m }, &mut Mat { v: &mut yw, ld: n });
    (a, d, e, tq, tp, xw, yw)
}

/// Test hook: OpenBLAS's `dgemv` with a given thread count (y returned).
#[allow(clippy::too_many_arguments)]
pub fn dgemv_hook(trans: bool, m: usize, n: usize, alpha: f64, a: &[f64], lda: usize, x: &[f64], incx: usize, beta: f64, mut y: Vec<f64>, incy: usize, threads: usize) -> Vec<f64> {
    crate::lapack_small::dgemv_threads(trans, m, n, alpha, a, lda, x, incx, beta, &mut y, incy, threads);
    y
}
