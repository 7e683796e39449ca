//! Blocked Householder back-transformations as NumPy's LAPACK (3.12.x inside scipy-openblas
//! 0.3.31) runs them: `dormqr` (Q from the left, not transposed) and `dormlq` (called as
//! `dormbr('P', 'R', 'T')` does, i.e. with TRANS = 'N' from the right), both over the
//! recursive `dlarft` of LAPACK 3.12.1 and `dlarfb`, whose level-3 products go through
//! [`crate::gemm_skx`] (`dgemm`, `dtrmm`), so that every element rounds as in NumPy.
//!
//! Shapes: with more than [`ORM_NB`] reflectors both routines work in blocks of `ORM_NB`
//! (ilaenv's block size for `?ormqr`/`?ormlq`), the block with the highest reflectors first,
//! each block — the partial one too — through `dlarft` + `dlarfb`; up to `ORM_NB` reflectors
//! they apply the reflectors one at a time (`dorm2r` / `dorml2`, [`crate::lapack_small`]'s
//! `dlarf_left` / `dlarf_right`).

use crate::gemm_skx::{dgemm, dtrmm, Side, Trans};
use crate::lapack_small::{dlarf_left, dlarf_right, Cm};

/// The block size `ilaenv` gives `dormqr` / `dormlq` (and `dormtr` through them).
pub const ORM_NB: usize = 32;
/// `TSIZE` of `dormqr` / `dormlq`: the workspace they keep for T (LDT = 65 by NBMAX = 64).
const ORM_TSIZE: usize = 65 * 64;

/// The block size `dormqr` / `dormlq` settle on when handed `lwork` doubles of workspace for a
/// C whose other dimension (columns for the left side, rows for the right) is `nw`: [`ORM_NB`]
/// when `lwork` reaches nw·NB + TSIZE, else what fits, (lwork - TSIZE) / nw (0 when even T does
/// not fit). The routines block only when this is at least 2 and below the reflector count.
/// (The callers' `lwork` is what their own workspace query gave NumPy: e.g. `dgesdd` hands
/// `dormbr` 3k² + 4k beyond its first 3k for min(m, n) = k ≥ 29, which is short of the optimum
/// for k ≤ 42 on square matrices.)
pub fn orm_block(lwork: usize, nw: usize) -> usize {
    let nw = nw.max(1);
    if lwork >= nw * ORM_NB + ORM_TSIZE {
        ORM_NB
    } else {
        lwork.saturating_sub(ORM_TSIZE) / nw
    }
}

fn blocked(nb: usize, k: usize) -> bool {
    nb >= 2 && nb < k
}

fn flag(t: bool) -> Trans {
    if t {
        Trans::Yes
    } else {
        Trans::No
    }
}

/// The leading `rows × cols` block of a column-major matrix with leading dimension `ld`, packed.
fn packed(x: &[f64], ld: usize, rows: usize, cols: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(rows * cols);
    for j in 0..cols {
        out.extend_from_slice(&x[j * ld..j * ld + rows]);
    }
    out
}

/// `dlarft('F', STOREV)`: the k × k upper triangular factor T of the block reflector
/// H(0)·H(1)·…·H(k-1) = I - V·T·Vᵀ (columnwise, V n × k) or I - Vᵀ·T·V (`rowwise`, V k × n),
/// the unit diagonal of V implied. Written into `t` (leading dimension `ldt`); only the upper
/// triangle is set. LAPACK 3.12.1's recursive algorithm: T₁₁ and T₂₂ of the halves
/// (l = ⌊k/2⌋), then T₁₂ = -T₁₁·(V₁ᵀV₂)·T₂₂ with V₁ᵀV₂ from a `dtrmm` and a `dgemm`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn larft(rowwise: bool, n: usize, k: usize, v: &[f64], ldv: usize, tau: &[f64], t: &mut [f64], ldt: usize) {
    if n == 0 || k == 0 {
        return;
    }
    if n == 1 || k == 1 {
        t[0] = tau[0];
        return;
    }
    let l = k / 2;
    let r = k - l;
    larft(rowwise, n, l, v, ldv, tau, t, ldt);
    larft(rowwise, n - l, r, &v[l + l * ldv..], ldv, &tau[l..], &mut t[l + l * ldt..], ldt);
    // the coupling block T₁₂ (l × r), packed with leading dimension l
    let mut c = vec![0.0; l * r];
    if rowwise {
        for j in 0..r {
            for i in 0..l {
                c[i + j * l] = v[i + (l + j) * ldv];
            }
        }
        dtrmm(Side::Right, true, Trans::Yes, true, l, r, 1.0, &v[l + l * ldv..], ldv, &mut c, l);
        if n > k {
            dgemm(Trans::No, Trans::Yes, l, r, n - k, 1.0, &v[k * ldv..], ldv, &v[l + k * ldv..], ldv, 1.0, &mut c, l);
        }
    } else {
        for j in 0..r {
            for i in 0..l {
                c[i + j * l] = v[(l + j) + i * ldv];
            }
        }
        dtrmm(Side::Right, false, Trans::No, true, l, r, 1.0, &v[l + l * ldv..], ldv, &mut c, l);
        if n > k {
            dgemm(Trans::Yes, Trans::No, l, r, n - k, 1.0, &v[k..], ldv, &v[k + l * ldv..], ldv, 1.0, &mut c, l);
        }
    }
    let t11 = packed(t, ldt, l, l);
    let t22 = packed(&t[l + l * ldt..], ldt, r, r);
    dtrmm(Side::Left, true, Trans::No, false, l, r, -1.0, &t11, l, &mut c, l);
    dtrmm(Side::Right, true, Trans::No, false, l, r, 1.0, &t22, r, &mut c, l);
    for j in 0..r {
        t[(l + j) * ldt..(l + j) * ldt + l].copy_from_slice(&c[j * l..(j + 1) * l]);
    }
}

/// `dlarfb('L', TRANS, 'F', 'C')`: C ← H·C (`trans` false) or Hᵀ·C with H = I - V·T·Vᵀ,
/// V m × k unit lower trapezoidal, C m × n (leading dimension `ldc`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn larfb_left_cols(trans: bool, m: usize, n: usize, k: usize, v: &[f64], ldv: usize, t: &[f64], ldt: usize, c: &mut [f64], ldc: usize) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    // W = C₁ᵀ (n × k), then W·V₁, + C₂ᵀ·V₂, ·op(T)ᵀ
    let mut w = vec![0.0; n * k];
    for j in 0..k {
        for i in 0..n {
            w[i + j * n] = c[j + i * ldc];
        }
    }
    dtrmm(Side::Right, false, Trans::No, true, n, k, 1.0, v, ldv, &mut w, n);
    if m > k {
        dgemm(Trans::Yes, Trans::No, n, k, m - k, 1.0, &c[k..], ldc, &v[k..], ldv, 1.0, &mut w, n);
    }
    dtrmm(Side::Right, true, flag(!trans), false, n, k, 1.0, t, ldt, &mut w, n);
    // C₂ -= V₂·Wᵀ; C₁ -= (W·V₁ᵀ)ᵀ
    if m > k {
        dgemm(Trans::No, Trans::Yes, m - k, n, k, -1.0, &v[k..], ldv, &w, n, 1.0, &mut c[k..], ldc);
    }
    dtrmm(Side::Right, false, Trans::Yes, true, n, k, 1.0, v, ldv, &mut w, n);
    for j in 0..k {
        for i in 0..n {
            c[j + i * ldc] -= w[i + j * n];
        }
    }
}

/// `dlarfb('R', TRANS, 'F', 'R')`: C ← C·H (`trans` false) or C·Hᵀ with H = I - Vᵀ·T·V,
/// V k × n unit upper trapezoidal, C m × n (leading dimension `ldc`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn larfb_right_rows(trans: bool, m: usize, n: usize, k: usize, v: &[f64], ldv: usize, t: &[f64], ldt: usize, c: &mut [f64], ldc: usize) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    // W = C₁ (m × k), then W·V₁ᵀ, + C₂·V₂ᵀ, ·op(T)
    let mut w = packed(c, ldc, m, k);
    dtrmm(Side::Right, true, Trans::Yes, true, m, k, 1.0, v, ldv, &mut w, m);
    if n > k {
        dgemm(Trans::No, Trans::Yes, m, k, n - k, 1.0, &c[k * ldc..], ldc, &v[k * ldv..], ldv, 1.0, &mut w, m);
    }
    dtrmm(Side::Right, true, flag(trans), false, m, k, 1.0, t, ldt, &mut w, m);
    // C₂ -= W·V₂; C₁ -= W·V₁
    if n > k {
        dgemm(Trans::No, Trans::No, m, n - k, k, -1.0, &w, m, &v[k * ldv..], ldv, 1.0, &mut c[k * ldc..], ldc);
    }
    dtrmm(Side::Right, true, Trans::No, true, m, k, 1.0, v, ldv, &mut w, m);
    for j in 0..k {
        for i in 0..m {
            c[i + j * ldc] -= w[i + j * m];
        }
    }
}

/// `dormqr('L', 'N')`: rows `r0..r0+m` of `c` (all its columns) ← Q·C with
/// Q = H(0)·…·H(k-1), reflector j stored in column j of `a` (m rows, leading dimension `lda`)
/// below row j, its unit leading entry implied, with scalar `tau[j]`; `nb` the block size
/// ([`orm_block`]).
pub fn ormqr_left_n(m: usize, k: usize, a: &[f64], lda: usize, tau: &[f64], c: &mut Cm, r0: usize, nb: usize) {
    let ncols = c.cols;
    if m == 0 || ncols == 0 || k == 0 {
        return;
    }
    if !blocked(nb, k) {
        for i in (0..k).rev() {
            let mut v = a[i + i * lda..m + i * lda].to_vec();
            v[0] = 1.0;
            dlarf_left(c, &v, tau[i], r0 + i, 0, ncols);
        }
        return;
    }
    let ldc = c.rows;
    let mut t = vec![0.0; nb * nb];
    for i in (0..k).step_by(nb).rev() {
        let ib = nb.min(k - i);
        let vb = &a[i + i * lda..];
        larft(false, m - i, ib, vb, lda, &tau[i..], &mut t, ib);
        larfb_left_cols(false, m - i, ncols, ib, vb, lda, &t, ib, &mut c.v[r0 + i..], ldc);
    }
}

/// `dormlq('R', 'N')` (what `dormbr('P', 'R', 'T')` calls): columns `c0..c0+n` of `c` (all its
/// rows) ← C·Q with Q = H(k-1)·…·H(0), reflector j stored in row j of `a` (n columns, leading
/// dimension `lda`) right of column j, its unit leading entry implied, with scalar `tau[j]`;
/// `nb` the block size ([`orm_block`]).
pub fn ormlq_right_n(n: usize, k: usize, a: &[f64], lda: usize, tau: &[f64], c: &mut Cm, c0: usize, nb: usize) {
    let nrows = c.rows;
    if n == 0 || nrows == 0 || k == 0 {
        return;
    }
    if !blocked(nb, k) {
        for i in (0..k).rev() {
            let mut v: Vec<f64> = (i..n).map(|j| a[i + j * lda]).collect();
            v[0] = 1.0;
            dlarf_right(c, &v, lda == 1, tau[i], 0, nrows, c0 + i);
        }
        return;
    }
    let ldc = c.rows;
    let mut t = vec![0.0; nb * nb];
    for i in (0..k).step_by(nb).rev() {
        let ib = nb.min(k - i);
        let vb = &a[i + i * lda..];
        larft(true, n - i, ib, vb, lda, &tau[i..], &mut t, ib);
        larfb_right_rows(true, nrows, n - i, ib, vb, lda, &t, ib, &mut c.v[(c0 + i) * ldc..], ldc);
    }
}

/// Test hook: `dlarft('F', 'C' / 'R')` with T k × k (leading dimension k, lower part zero).
pub fn larft_hook(rowwise: bool, n: usize, k: usize, v: &[f64], ldv: usize, tau: &[f64]) -> Vec<f64> {
    let mut t = vec![0.0; k * k];
    larft(rowwise, n, k, v, ldv, tau, &mut t, k);
    t
}

/// Test hook: `dlarfb` ('L', 'C') or ('R', 'R'), forward, on C m × n (leading dimension m).
#[allow(clippy::too_many_arguments)]
pub fn larfb_hook(left: bool, trans: bool, m: usize, n: usize, k: usize, v: &[f64], ldv: usize, t: &[f64], ldt: usize, c: &mut [f64]) {
    if left {
        larfb_left_cols(trans, m, n, k, v, ldv, t, ldt, c, m);
    } else {
        larfb_right_rows(trans, m, n, k, v, ldv, t, ldt, c, m);
    }
}
