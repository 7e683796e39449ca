//! Complex Hermitian eigen-decomposition of small matrices along LAPACK's `zheevd` (what
//! NumPy's `eigh` calls for complex input), so that the eigenvectors come out with NumPy's
//! phases, not just as some orthonormal basis:
//!
//! - `zhetd2` (which `zhetrd` runs below its blocking crossover of 32): complex Householder
//!   reflectors (`zlarfg`, whose beta is real) reduce the chosen triangle to a *real* symmetric
//!   tridiagonal matrix; the reflectors fix the phases;
//! - `zstedc` runs `zsteqr` at orders ≤ 25: the implicit QL/QR iteration on the real
//!   tridiagonal matrix with real rotations on Z = I, which is exactly the real `dsteqr`
//!   ([`tridiagonal_ql`]);
//! - `zunmtr` (`zunm2r` / `zunm2l`): Z ← Q·Z with the reflectors.

use num_complex::Complex64 as C64;

use crate::lapack_geev::nrm2;
use crate::lapack_small::{bidiagonal_svd, tridiagonal_ql, Cm, NoConvergence, SMALL_EIGH, SMALL_SVD};

const SAFMIN: f64 = f64::MIN_POSITIVE;
/// `dlamch('E')`.
const EPS: f64 = f64::EPSILON * 0.5;

/// A column-major complex matrix (`n` rows, `cols` columns).
#[derive(Clone)]
struct Zm {
    n: usize,
    cols: usize,
    v: Vec<C64>,
}

impl Zm {
    fn zeros(n: usize, cols: usize) -> Zm {
        Zm { n, cols, v: vec![C64::new(0.0, 0.0); n * cols] }
    }
    fn eye(n: usize) -> Zm {
        let mut z = Zm::zeros(n, n);
        for i in 0..n {
            z.set(i, i, C64::new(1.0, 0.0));
        }
        z
    }
    #[inline]
    fn get(&self, i: usize, j: usize) -> C64 {
        self.v[i + j * self.n]
    }
    #[inline]
    fn set(&mut self, i: usize, j: usize, x: C64) {
        self.v[i + j * self.n] = x;
    }
    /// The conjugate transpose.
    fn adjoint(&self) -> Zm {
        let mut t = Zm::zeros(self.cols, self.n);
        for j in 0..self.cols {
            for i in 0..self.n {
                t.set(j, i, self.get(i, j).conj());
            }
        }
        t
    }
}

/// sqrt(x² + y² + z²) without undue overflow (`dlapy3`).
fn lapy3(x: f64, y: f64, z: f64) -> f64 {
    let (xa, ya, za) = (x.abs(), y.abs(), z.abs());
    let w = xa.max(ya).max(za);
    if w == 0.0 || w > f64::MAX {
        xa + ya + za
    } else {
        w * ((xa / w) * (xa / w) + (ya / w) * (ya / w) + (za / w) * (za / w)).sqrt()
    }
}

/// 1 / z as `zladiv(1, z)` computes it (`dladiv`'s robust division).
fn recip(z: C64) -> C64 {
    let (p, q) = crate::lapack_geev::dladiv(1.0, 0.0, z.re, z.im);
    C64::new(p, q)
}

/// `zlarfg`: `alpha` becomes the real beta, `x` the reflector's tail (head 1); returns tau.
fn zlarfg(alpha: &mut C64, x: &mut [C64]) -> C64 {
    let parts: Vec<f64> = x.iter().flat_map(|c| [c.re, c.im]).collect();
    let mut xnorm = nrm2(&parts);
    let (mut alphr, mut alphi) = (alpha.re, alpha.im);
    if xnorm == 0.0 && alphi == 0.0 {
        return C64::new(0.0, 0.0);
    }
    let mut beta = -lapy3(alphr, alphi, xnorm).copysign(alphr);
    let safmin = SAFMIN / EPS;
    let rsafmn = 1.0 / safmin;
    let mut knt = 0;
    if beta.abs() < safmin {
        loop {
            knt += 1;
            for c in x.iter_mut() {
                *c *= rsafmn;
            }
            beta *= rsafmn;
            alphi *= rsafmn;
            alphr *= rsafmn;
            if beta.abs() >= safmin || knt >= 20 {
                break;
            }
        }
        let parts: Vec<f64> = x.iter().flat_map(|c| [c.re, c.im]).collect();
        xnorm = nrm2(&parts);
        *alpha = C64::new(alphr, alphi);
        beta = -lapy3(alphr, alphi, xnorm).copysign(alphr);
    }
    let tau = C64::new((beta - alphr) / beta, -alphi / beta);
    let s = recip(C64::new(alpha.re - beta, alpha.im));
    for c in x.iter_mut() {
        *c *= s;
    }
    for _ in 0..knt {
        beta *= safmin;
    }
    *alpha = C64::new(beta, 0.0);
    tau
}

/// A reflector H = I - tau·v·vᴴ acting on rows `start..start + v.len()`.
struct ZRefl {
    start: usize,
    v: Vec<C64>,
    tau: C64,
}

/// One `zhetd2` step on the trailing Hermitian block at (r0, r0) of order v.len():
/// y = tau·A·v, y ← y - (tau/2)(yᴴv)·v, A ← A - v·yᴴ - y·vᴴ on the stored triangle.
fn hermitian_update(a: &mut Zm, r0: usize, v: &[C64], tau: C64, lower: bool) {
    let len = v.len();
    let mut y = vec![C64::new(0.0, 0.0); len];
    let n = a.n;
    for j in 0..len {
        let col = &a.v[(r0 + j) * n + r0..(r0 + j) * n + r0 + len];
        // The stored part of column j: below the diagonal (lower) or above it (upper).
        let (lo, hi) = if lower { (j + 1, len) } else { (0, j) };
        let mut acc = C64::new(col[j].re, 0.0) * v[j];
        for i in lo..hi {
            y[i] += col[i] * v[j];
            acc += col[i].conj() * v[i];
        }
        y[j] += acc;
    }
    for yi in y.iter_mut() {
        *yi *= tau;
    }
    let mut dot = C64::new(0.0, 0.0);
    for (yi, vi) in y.iter().zip(v) {
        dot += yi.conj() * vi;
    }
    let alpha = -0.5 * tau * dot;
    for (yi, vi) in y.iter_mut().zip(v) {
        *yi += alpha * vi;
    }
    for j in 0..len {
        let (t1, t2) = (-y[j].conj(), -v[j].conj());
        let (lo, hi) = if lower { (j, len) } else { (0, j + 1) };
        for i in lo..hi {
            let mut x = a.get(r0 + i, r0 + j) + v[i] * t1 + y[i] * t2;
            if i == j {
                x.im = 0.0;
            }
            a.set(r0 + i, r0 + j, x);
        }
    }
}

/// `zhetd2`: (d, e, reflectors in creation order).
fn tridiagonalize(a: &mut Zm, lower: bool) -> (Vec<f64>, Vec<f64>, Vec<ZRefl>) {
    let n = a.n;
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n - 1];
    let mut refls = Vec::with_capacity(n - 1);
    if lower {
        for i in 0..n - 1 {
            let mut alpha = a.get(i + 1, i);
            let mut x: Vec<C64> = (i + 2..n).map(|r| a.get(r, i)).collect();
            let tau = zlarfg(&mut alpha, &mut x);
            e[i] = alpha.re;
            let mut v = Vec::with_capacity(n - i - 1);
            v.push(C64::new(1.0, 0.0));
            v.extend_from_slice(&x);
            if tau != C64::new(0.0, 0.0) {
                hermitian_update(a, i + 1, &v, tau, true);
            } else {
                let t = a.get(i + 1, i + 1);
                a.set(i + 1, i + 1, C64::new(t.re, 0.0));
            }
            d[i] = a.get(i, i).re;
            refls.push(ZRefl { start: i + 1, v, tau });
        }
        d[n - 1] = a.get(n - 1, n - 1).re;
    } else {
        for c in (1..n).rev() {
            let mut alpha = a.get(c - 1, c);
            let mut x: Vec<C64> = (0..c - 1).map(|r| a.get(r, c)).collect();
            let tau = zlarfg(&mut alpha, &mut x);
            e[c - 1] = alpha.re;
            let mut v = x;
            v.push(C64::new(1.0, 0.0));
            if tau != C64::new(0.0, 0.0) {
                hermitian_update(a, 0, &v, tau, false);
            } else {
                let t = a.get(c - 1, c - 1);
                a.set(c - 1, c - 1, C64::new(t.re, 0.0));
            }
            d[c] = a.get(c, c).re;
            refls.push(ZRefl { start: 0, v, tau });
        }
        d[0] = a.get(0, 0).re;
    }
    (d, e, refls)
}

/// C ← (I - tau·v·vᴴ)·C on rows start.. of `c` (`zlarf`, left).
fn reflect_left(c: &mut Zm, h: &ZRefl) {
    reflect_left_from(c, h, 0)
}

/// [`reflect_left`] on columns c0.. only.
fn reflect_left_from(c: &mut Zm, h: &ZRefl, c0: usize) {
    if h.tau == C64::new(0.0, 0.0) {
        return;
    }
    let n = c.n;
    for j in c0..c.cols {
        let col = &mut c.v[j * n + h.start..j * n + h.start + h.v.len()];
        let mut w = C64::new(0.0, 0.0);
        for (x, vi) in col.iter().zip(&h.v) {
            w += x.conj() * vi;
        }
        let t = -h.tau * w.conj();
        for (x, vi) in col.iter_mut().zip(&h.v) {
            *x += vi * t;
        }
    }
}

/// Eigenvalues (increasing) and, when `vectors`, eigenvectors (columns, column-major) of the
/// n × n Hermitian matrix whose lower (or upper) triangle is `a` (column-major), as `zheevd`
/// computes them, for n ≤ [`SMALL_EIGH`]; `None` for a larger or non-finite matrix.
#[allow(clippy::type_complexity)]
pub fn heevd(a: &[C64], n: usize, lower: bool, vectors: bool) -> Option<Result<(Vec<f64>, Option<Vec<C64>>), NoConvergence>> {
    if n == 0 || n > SMALL_EIGH || a.len() != n * n || !a.iter().all(|c| c.re.is_finite() && c.im.is_finite()) {
        return None;
    }
    // zheevd rescales a matrix whose largest entry is outside [sqrt(safmin/eps), its inverse].
    let anrm = a.iter().fold(0.0f64, |m, c| m.max(c.norm()));
    let rmin = (SAFMIN / (EPS * 2.0)).sqrt();
    if anrm > 0.0 && (anrm < rmin || anrm > 1.0 / rmin) {
        return None;
    }
    if n == 1 {
        return Some(Ok((vec![a[0].re], vectors.then(|| vec![C64::new(1.0, 0.0)]))));
    }
    let mut m = Zm { n, cols: n, v: a.to_vec() };
    let (mut d, mut e, refls) = tridiagonalize(&mut m, lower);
    if !vectors {
        return Some(tridiagonal_ql(&mut d, &mut e, None).map(|_| (d, None)));
    }
    let mut z = Cm::eye(n);
    if let Err(x) = tridiagonal_ql(&mut d, &mut e, Some(&mut z)) {
        return Some(Err(x));
    }
    let mut zc = Zm { n, cols: n, v: z.v.iter().map(|&x| C64::new(x, 0.0)).collect() };
    for h in refls.iter().rev() {
        reflect_left(&mut zc, h);
    }
    Some(Ok((d, Some(zc.v))))
}

// ---- zgesdd ---------------------------------------------------------------------------------

/// C ← C·(I - tau·v·vᴴ) on columns start.. of `c` (`zlarf`, right), rows r0..
fn reflect_right(c: &mut Zm, r0: usize, h: &ZRefl) {
    if h.tau == C64::new(0.0, 0.0) {
        return;
    }
    let rows = c.n;
    let mut w = vec![C64::new(0.0, 0.0); rows - r0];
    for (jj, vj) in h.v.iter().enumerate() {
        let col = &c.v[(h.start + jj) * rows + r0..(h.start + jj + 1) * rows];
        for (wi, x) in w.iter_mut().zip(col) {
            *wi += x * vj;
        }
    }
    for (jj, vj) in h.v.iter().enumerate() {
        let t = -h.tau * vj.conj();
        let col = &mut c.v[(h.start + jj) * rows + r0..(h.start + jj + 1) * rows];
        for (x, wi) in col.iter_mut().zip(&w) {
            *x += wi * t;
        }
    }
}

/// `zgebd2`: A = Q·B·Pᴴ with B real bidiagonal (upper when m ≥ n, lower otherwise); returns
/// (d, e, Q's reflectors H(i) = I - tauq·v·vᴴ, P's reflectors G(i) = I - taup·u·uᴴ).
fn bidiagonalize(a: &mut Zm) -> (Vec<f64>, Vec<f64>, Vec<ZRefl>, Vec<ZRefl>) {
    let (m, n) = (a.n, a.cols);
    let k = m.min(n);
    let mut d = vec![0.0; k];
    let mut e = vec![0.0; k.saturating_sub(1)];
    let mut qs = Vec::new();
    let mut ps = Vec::new();
    // A reflector from column j, rows r0..m (zlarfg on the column as it is).
    let col_refl = |a: &mut Zm, j: usize, r0: usize| -> (f64, ZRefl) {
        let mut alpha = a.get(r0, j);
        let mut x: Vec<C64> = (r0 + 1..m).map(|r| a.get(r, j)).collect();
        let tau = zlarfg(&mut alpha, &mut x);
        for (q, &xq) in x.iter().enumerate() {
            a.set(r0 + 1 + q, j, xq);
        }
        a.set(r0, j, alpha);
        let mut v = vec![C64::new(1.0, 0.0)];
        v.extend(x);
        (alpha.re, ZRefl { start: r0, v, tau })
    };
    // A reflector from row i, columns c0..n (zlarfg on the conjugated row).
    let row_refl = |a: &mut Zm, i: usize, c0: usize| -> (f64, ZRefl) {
        let mut alpha = a.get(i, c0).conj();
        let mut x: Vec<C64> = (c0 + 1..n).map(|c| a.get(i, c).conj()).collect();
        let tau = zlarfg(&mut alpha, &mut x);
        for (q, &xq) in x.iter().enumerate() {
            a.set(i, c0 + 1 + q, xq.conj());
        }
        a.set(i, c0, alpha);
        let mut v = vec![C64::new(1.0, 0.0)];
        v.extend(x);
        (alpha.re, ZRefl { start: c0, v, tau })
    };
    // Hᴴ applied from the left to columns c0.. (zlarf with conj(tau)).
    let left_h = |a: &mut Zm, h: &ZRefl, c0: usize| {
        let hc = ZRefl { start: h.start, v: h.v.clone(), tau: h.tau.conj() };
        let rows = a.n;
        for j in c0..a.cols {
            let col = &mut a.v[j * rows + hc.start..j * rows + hc.start + hc.v.len()];
            let mut w = C64::new(0.0, 0.0);
            for (x, vi) in col.iter().zip(&hc.v) {
                w += x.conj() * vi;
            }
            let t = -hc.tau * w.conj();
            for (x, vi) in col.iter_mut().zip(&hc.v) {
                *x += vi * t;
            }
        }
    };
    if m >= n {
        for i in 0..n {
            let (di, h) = col_refl(a, i, i);
            d[i] = di;
            if i + 1 < n {
                left_h(a, &h, i + 1);
            }
            qs.push(h);
            if i + 1 < n {
                let (ei, g) = row_refl(a, i, i + 1);
                e[i] = ei;
                reflect_right(a, i + 1, &g);
                ps.push(g);
            }
        }
    } else {
        for i in 0..m {
            let (di, g) = row_refl(a, i, i);
            d[i] = di;
            if i + 1 < m {
                reflect_right(a, i + 1, &g);
            }
            ps.push(g);
            if i + 1 < m {
                let (ei, h) = col_refl(a, i, i + 1);
                e[i] = ei;
                left_h(a, &h, i + 1);
                qs.push(h);
            }
        }
    }
    (d, e, qs, ps)
}

type SvdParts = (Option<Zm>, Vec<f64>, Option<Zm>);

/// The SVD by bidiagonalisation alone: (U m × m, s, Vᴴ n × n), or only s.
fn svd_direct(a: &Zm, vectors: bool) -> Result<SvdParts, NoConvergence> {
    let (m, n) = (a.n, a.cols);
    let mut w = a.clone();
    let (mut d, mut e, qs, ps) = bidiagonalize(&mut w);
    let Some((ub, vb)) = bidiagonal_svd(m >= n, &mut d, &mut e, vectors)? else {
        return Ok((None, d, None));
    };
    let k = m.min(n);
    let mut u = Zm::eye(m);
    let mut v = Zm::eye(n);
    for j in 0..k {
        for i in 0..k {
            u.set(i, j, C64::new(ub.get(i, j), 0.0));
            v.set(i, j, C64::new(vb.get(i, j), 0.0));
        }
    }
    for h in qs.iter().rev() {
        reflect_left(&mut u, h);
    }
    for g in ps.iter().rev() {
        reflect_left(&mut v, g);
    }
    Ok((Some(u), d, Some(v.adjoint())))
}

/// Householder QR (`zgeqr2`) of a tall m × n matrix: R (n × n, real diagonal) and Q (m × m,
/// or its first n columns when `thin`).
fn qr_factor(a: &Zm, thin: bool) -> (Zm, Zm) {
    let (m, n) = (a.n, a.cols);
    let mut w = a.clone();
    let mut refls = Vec::with_capacity(n);
    for i in 0..n {
        let mut alpha = w.get(i, i);
        let mut x: Vec<C64> = (i + 1..m).map(|r| w.get(r, i)).collect();
        let tau = zlarfg(&mut alpha, &mut x);
        w.set(i, i, alpha);
        for (q, &xq) in x.iter().enumerate() {
            w.set(i + 1 + q, i, xq);
        }
        let mut v = vec![C64::new(1.0, 0.0)];
        v.extend(x);
        let h = ZRefl { start: i, v, tau };
        // Hᴴ from the left on the remaining columns.
        let hc = ZRefl { start: i, v: h.v.clone(), tau: tau.conj() };
        let rows = w.n;
        for j in i + 1..n {
            let col = &mut w.v[j * rows + i..j * rows + m];
            let mut s = C64::new(0.0, 0.0);
            for (x, vi) in col.iter().zip(&hc.v) {
                s += x.conj() * vi;
            }
            let t = -hc.tau * s.conj();
            for (x, vi) in col.iter_mut().zip(&hc.v) {
                *x += vi * t;
            }
        }
        refls.push(h);
    }
    let mut r = Zm::zeros(n, n);
    for j in 0..n {
        for i in 0..=j {
            r.set(i, j, w.get(i, j));
        }
    }
    let qc = if thin { n } else { m };
    let mut q = Zm::zeros(m, qc);
    for j in 0..qc {
        q.set(j, j, C64::new(1.0, 0.0));
    }
    // Applied last first, H(i) leaves the unit columns before i alone (as in zung2r).
    for h in refls.iter().rev() {
        reflect_left_from(&mut q, h, h.start);
    }
    (r, q)
}

/// `u` widened to `cols` columns with zeros (a thin factor in a full-size result).
fn pad_cols(mut u: Zm, cols: usize) -> Zm {
    if u.cols < cols {
        u.v.resize(u.n * cols, C64::new(0.0, 0.0));
        u.cols = cols;
    }
    u
}

/// The R of [`qr_factor`] alone.
fn qr_r(a: &Zm) -> Zm {
    let (m, n) = (a.n, a.cols);
    let mut w = a.clone();
    for i in 0..n {
        let mut alpha = w.get(i, i);
        let mut x: Vec<C64> = (i + 1..m).map(|r| w.get(r, i)).collect();
        let tau = zlarfg(&mut alpha, &mut x);
        w.set(i, i, alpha);
        let mut v = vec![C64::new(1.0, 0.0)];
        v.extend(x);
        let hc = ZRefl { start: i, v, tau: tau.conj() };
        reflect_left_from(&mut w, &hc, i + 1);
    }
    let mut r = Zm::zeros(n, n);
    for j in 0..n {
        for i in 0..=j {
            r.set(i, j, w.get(i, j));
        }
    }
    r
}

/// `q[:, ..k]·x` into the first k columns of `q` (k = x's column count).
fn mul_into_leading(q: &Zm, x: &Zm) -> Zm {
    let mut out = q.clone();
    let (m, k) = (q.n, x.cols);
    for j in 0..k {
        let col = &mut out.v[j * m..(j + 1) * m];
        col.iter_mut().for_each(|c| *c = C64::new(0.0, 0.0));
        for p in 0..x.n {
            let t = x.get(p, j);
            for (c, qv) in col.iter_mut().zip(&q.v[p * m..(p + 1) * m]) {
                *c += qv * t;
            }
        }
    }
    out
}

/// The SVD of a complex m × n matrix (column-major) with min(m, n) ≤ [`SMALL_SVD`], as
/// `zgesdd` computes it: (U m × m, s, Vᴴ n × n), column-major (take the leading min(m, n)
/// columns / rows for the thin factors), or only s. `None` for a larger or non-finite matrix.
#[allow(clippy::type_complexity)]
pub fn gesdd(a: &[C64], m: usize, n: usize, vectors: bool, full: bool) -> Option<Result<(Option<Vec<C64>>, Vec<f64>, Option<Vec<C64>>), NoConvergence>> {
    let k = m.min(n);
    if k == 0 || k > SMALL_SVD || a.len() != m * n || !a.iter().all(|c| c.re.is_finite() && c.im.is_finite()) {
        return None;
    }
    // zgesdd rescales a matrix whose largest entry is outside [sqrt(safmin)/eps, its inverse].
    let anrm = a.iter().fold(0.0f64, |mx, c| mx.max(c.norm()));
    let smlnum = SAFMIN.sqrt() / (EPS * 2.0);
    if anrm > 0.0 && (anrm < smlnum || anrm > 1.0 / smlnum) {
        return None;
    }
    let am = Zm { n: m, cols: n, v: a.to_vec() };
    // QR (or LQ) first when one side is at least 17/9 of the other.
    let mnthr1 = (k as f64 * 17.0 / 9.0) as usize;
    let out = |r: Result<SvdParts, NoConvergence>| r.map(|(u, s, vt)| (u.map(|u| u.v), s, vt.map(|vt| vt.v)));
    if m >= mnthr1 && m > n && k >= 1 {
        if !vectors {
            let r = qr_r(&am);
            return Some(out(svd_direct(&r, false)));
        }
        let (r, q) = qr_factor(&am, !full);
        return Some(out(svd_direct(&r, vectors).map(|(ur, s, vt)| (ur.map(|ur| pad_cols(mul_into_leading(&q, &ur), m)), s, vt))));
    }
    if n >= mnthr1 && n > m && k >= 1 {
        // LQ of A = (QR of Aᴴ)ᴴ.
        if !vectors {
            let l = qr_r(&am.adjoint()).adjoint();
            return Some(out(svd_direct(&l, false)));
        }
        let (r, q) = qr_factor(&am.adjoint(), !full);
        let l = r.adjoint();
        return Some(out(svd_direct(&l, vectors).map(|(u, s, vtl)| {
            // Vᴴ = [Vlᴴ 0; 0 I]·Qᴴ = (Q·[Vl 0; 0 I])ᴴ.
            let vt = vtl.map(|vtl| {
                let mut vt = mul_into_leading(&q, &vtl.adjoint()).adjoint();
                if vt.n < n {
                    // thin: pad to n rows (only the leading m are used).
                    let mut p = Zm::zeros(n, n);
                    for j in 0..n {
                        for i in 0..vt.n {
                            p.set(i, j, vt.get(i, j));
                        }
                    }
                    vt = p;
                }
                vt
            });
            (u, s, vt)
        })));
    }
    Some(out(svd_direct(&am, vectors)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gesdd_reconstructs() {
        for (m, n) in [(1, 1), (1, 3), (3, 1), (2, 2), (3, 3), (5, 3), (3, 5), (9, 4), (4, 9), (6, 6)] {
            for vectors in [true, false] {
                let a: Vec<C64> = (0..m * n).map(|k| C64::new(((k * 7) % 5) as f64 - 2.0 + 0.1 * k as f64, ((k * 3) % 4) as f64 - 1.5)).collect();
                let (u, s, vt) = gesdd(&a, m, n, vectors, true).unwrap().unwrap();
                for w in s.windows(2) {
                    assert!(w[0] >= w[1]);
                }
                if let (Some(u), Some(vt)) = (u, vt) {
                    let k = m.min(n);
                    for j in 0..n {
                        for i in 0..m {
                            let x: C64 = (0..k).map(|p| u[i + p * m] * s[p] * vt[p + j * n]).sum();
                            assert!((x - a[i + j * m]).norm() < 1e-12, "{m}x{n}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn heevd_reconstructs() {
        for n in [1, 2, 3, 5, 9] {
            for lower in [true, false] {
                let full: Vec<C64> = (0..n * n)
                    .map(|k| {
                        let (i, j) = (k % n, k / n);
                        let f = |i: usize, j: usize| C64::new(((i * 7 + j * 3) % 5) as f64 - 2.0, ((i * 5 + j) % 3) as f64 - 1.0);
                        if i == j {
                            C64::new(f(i, i).re, 0.0)
                        } else if i > j {
                            f(i, j)
                        } else {
                            f(j, i).conj()
                        }
                    })
                    .collect();
                let (w, z) = heevd(&full, n, lower, true).unwrap().unwrap();
                let z = z.unwrap();
                for j in 0..n {
                    for i in 0..n {
                        let az: C64 = (0..n).map(|p| full[i + p * n] * z[p + j * n]).sum();
                        assert!((az - w[j] * z[i + j * n]).norm() < 1e-12, "n={n}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    #[test]
    fn time_gesdd() {
        if std::env::var("GESDD_TIME").is_err() {
            return;
        }
        let (m, n) = (75, 25);
        let a: Vec<C64> = (0..m * n).map(|k| C64::new(((k * 7919) % 1000) as f64 / 500.0 - 1.0, ((k * 104729) % 997) as f64 / 498.0 - 1.0)).collect();
        let am = Zm { n: m, cols: n, v: a.clone() };
        let t = std::time::Instant::now();
        for _ in 0..20 {
            let _ = qr_factor(&am, true);
        }
        println!("qr_factor {:?}", t.elapsed() / 20);
        let (r, q) = qr_factor(&am, true);
        let t = std::time::Instant::now();
        let mut ur = None;
        for _ in 0..20 {
            ur = svd_direct(&r, true).unwrap().0;
        }
        println!("svd_direct {:?}", t.elapsed() / 20);
        let ur = ur.unwrap();
        let t = std::time::Instant::now();
        for _ in 0..20 {
            let _ = mul_into_leading(&q, &ur);
        }
        println!("mul {:?}", t.elapsed() / 20);
        let t = std::time::Instant::now();
        for _ in 0..20 {
            let _ = gesdd(&a, m, n, true, false);
        }
        println!("gesdd {:?}", t.elapsed() / 20);
    }
}
