//! Eigenvalues and right eigenvectors of a small real general matrix along the steps of LAPACK's
//! `dgeev` (what NumPy's `eig`/`eigvals` call), so that the eigenvalues come out in NumPy's
//! order, a (nearly) defective matrix gives a real or a complex pair as in NumPy, and the
//! eigenvectors have NumPy's signs and phases:
//!
//! 1. balancing (`dgebal`, job 'B'): rows/columns that isolate an eigenvalue are permuted to
//!    the ends, the remaining block is scaled by powers of 2;
//! 2. Householder reduction to upper Hessenberg form (`dgehd2`, which `dgehrd` runs below its
//!    blocking crossover), and the orthogonal factor formed from the reflectors (`dorghr` /
//!    `dorg2r`);
//! 3. the double-shift QR iteration of `dlahqr` (which `dhseqr` runs for n ≤ 75) with its
//!    deflation tests, exceptional shifts and the standardised 2 × 2 blocks of `dlanv2`;
//! 4. the eigenvectors of the quasi-triangular Schur form by back substitution (`dtrevc3`,
//!    with `dlaln2`'s perturbed small pivots), multiplied by the Schur vectors;
//! 5. the balancing undone (`dgebak`) and each vector normalised to unit 2-norm, a complex
//!    one rotated so that its entry of largest modulus is real.
//!
//! The arithmetic of LAPACK's own Fortran is reproduced in its order (no fused multiply-adds);
//! the BLAS calls (`dnrm2`, `dgemv`/`dger` in the reflectors, `dgemm` in the back-transform)
//! are written the way OpenBLAS's kernels evaluate them where that is known (an accurately
//! rounded `dnrm2`, fused multiply-adds accumulated in index order), so results agree with
//! NumPy's to rounding.

use crate::lapack_small::{balance_factor, givens, hypot2, reflect_left, reflect_right, reflector, schur2, Cm, NoConvergence};

/// `dlamch('S')`.
const SAFMIN: f64 = f64::MIN_POSITIVE;
/// `dlamch('P')` (eps·base).
const ULP: f64 = f64::EPSILON;

/// Largest order handled here: `dhseqr` switches from `dlahqr` to the multishift `dlaqr0`
/// beyond 75 (and `dgehrd` stays unblocked up to 128).
pub const SMALL_EIG: usize = 75;

/// The 2-norm of `x`, rounded as OpenBLAS's x86-64 `dnrm2` (extended-precision accumulation)
/// rounds it: the sum of squares kept as a double-double, then one corrected square root.
pub(crate) fn nrm2(x: &[f64]) -> f64 {
    let big = x.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    if big == 0.0 || !big.is_finite() {
        return big;
    }
    // A power of two that keeps the squares normal.
    let sc = if !(1e-140..=1e140).contains(&big) { 2f64.powi(-(big.log2().floor() as i32)) } else { 1.0 };
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    for &v in x {
        let y = v * sc;
        let p = y * y;
        let pe = y.mul_add(y, -p);
        let s = hi + p;
        let bb = s - hi;
        let err = (hi - (s - bb)) + (p - bb);
        hi = s;
        lo += err + pe;
    }
    let s = hi + lo;
    let slo = lo - (s - hi);
    let r = s.sqrt();
    let res = (-r).mul_add(r, s) + slo;
    (r + res / (2.0 * r)) / sc
}

/// `idamax`: the first index of the largest |x|.
fn iamax(x: impl Iterator<Item = f64>) -> usize {
    let mut best = -1.0;
    let mut k = 0;
    for (i, v) in x.enumerate() {
        if v.abs() > best {
            best = v.abs();
            k = i;
        }
    }
    k
}

// ---- dgebal ----------------------------------------------------------------------------------

struct Balance {
    ilo: usize,
    ihi: usize,
    /// For i in ilo..=ihi the scale factor, elsewhere the index swapped with i.
    scale: Vec<f64>,
}

fn swap_cols(h: &mut Cm, a: usize, b: usize, rows: usize) {
    for r in 0..rows {
        let t = h.get(r, a);
        h.set(r, a, h.get(r, b));
        h.set(r, b, t);
    }
}

fn swap_rows(h: &mut Cm, a: usize, b: usize, c0: usize) {
    for c in c0..h.cols {
        let t = h.get(a, c);
        h.set(a, c, h.get(b, c));
        h.set(b, c, t);
    }
}

fn balance(h: &mut Cm) -> Balance {
    let n = h.rows;
    let mut scale = vec![0.0; n];
    let mut k = 0usize;
    let mut l = n - 1;
    // Rows isolating an eigenvalue go to the bottom.
    let mut noconv = true;
    while noconv {
        noconv = false;
        let mut i = l as isize;
        while i >= 0 {
            let iu = i as usize;
            if (0..=l).all(|j| j == iu || h.get(iu, j) == 0.0) {
                scale[l] = iu as f64;
                if iu != l {
                    swap_cols(h, iu, l, l + 1);
                    swap_rows(h, iu, l, k);
                }
                noconv = true;
                if l == 0 {
                    return Balance { ilo: 0, ihi: 0, scale };
                }
                l -= 1;
            }
            i -= 1;
        }
    }
    // Columns isolating an eigenvalue go to the left.
    noconv = true;
    while noconv {
        noconv = false;
        let k0 = k;
        for j in k0..=l {
            if (k..=l).all(|i| i == j || h.get(i, j) == 0.0) {
                scale[k] = j as f64;
                if j != k {
                    swap_cols(h, j, k, l + 1);
                    swap_rows(h, j, k, k);
                }
                noconv = true;
                k += 1;
            }
        }
    }
    for s in &mut scale[k..=l] {
        *s = 1.0;
    }
    // Scaling of rows/columns k..=l by powers of 2.
    let mut col = Vec::with_capacity(n);
    let mut row = Vec::with_capacity(n);
    noconv = true;
    while noconv {
        noconv = false;
        for i in k..=l {
            col.clear();
            col.extend((k..=l).map(|r| h.get(r, i)));
            row.clear();
            row.extend((k..=l).map(|c| h.get(i, c)));
            let c = nrm2(&col);
            let r = nrm2(&row);
            let ca = (0..=l).fold(0.0f64, |m, q| m.max(h.get(q, i).abs()));
            let ra = (k..n).fold(0.0f64, |m, q| m.max(h.get(i, q).abs()));
            let Some(f) = balance_factor(c, r, ca, ra, scale[i]) else { continue };
            let g = 1.0 / f;
            scale[i] *= f;
            noconv = true;
            for q in k..n {
                h.set(i, q, h.get(i, q) * g);
            }
            for q in 0..=l {
                h.set(q, i, h.get(q, i) * f);
            }
        }
    }
    Balance { ilo: k, ihi: l, scale }
}

// ---- dgehd2 / dorghr -------------------------------------------------------------------------

/// Reduces rows/columns ilo..=ihi of `h` to upper Hessenberg form; the reflectors' tails are
/// left below the subdiagonal, their taus returned (index i for the reflector of column i).
fn hessenberg(h: &mut Cm, ilo: usize, ihi: usize) -> Vec<f64> {
    let n = h.rows;
    let mut tau = vec![0.0; n];
    let mut v = Vec::with_capacity(n);
    for i in ilo..ihi {
        v.clear();
        v.extend((i + 1..=ihi).map(|r| h.get(r, i)));
        let t = reflector(&mut v);
        tau[i] = t;
        for (q, &x) in v.iter().enumerate() {
            h.set(i + 1 + q, i, x);
        }
        v[0] = 1.0;
        reflect_right(h, &v, t, 0, ihi + 1, i + 1);
        reflect_left(h, &v, t, i + 1, i + 1, n);
    }
    tau
}

/// The orthogonal Q with Qᵀ·A·Q = H from [`hessenberg`]'s reflectors (`dorghr` → `dorg2r`).
fn hessenberg_q(h: &Cm, tau: &[f64], ilo: usize, ihi: usize) -> Cm {
    let n = h.rows;
    let mut q = Cm::eye(n);
    if ihi <= ilo {
        return q;
    }
    // dorg2r on the block rows/columns ilo+1..=ihi; reflector j (column ilo+1+j of the block)
    // is the one of column ilo+j of H, with its unit head at row ilo+1+j.
    let nh = ihi - ilo;
    let mut v = Vec::with_capacity(n);
    for j in (0..nh).rev() {
        let c = ilo + 1 + j;
        let t = tau[ilo + j];
        // The reflector's vector: 1 at row c, H(c+1..=ihi, c-1) below.
        v.clear();
        v.push(1.0);
        v.extend((c + 1..=ihi).map(|r| h.get(r, c - 1)));
        if j + 1 < nh {
            reflect_left(&mut q, &v, t, c, c + 1, ihi + 1);
        }
        for (r, &x) in (c + 1..=ihi).zip(&v[1..]) {
            q.set(r, c, -t * x);
        }
        q.set(c, c, 1.0 - t);
        for r in ilo + 1..c {
            q.set(r, c, 0.0);
        }
    }
    q
}

// ---- dlahqr ----------------------------------------------------------------------------------

/// The double-shift QR iteration on rows/columns ilo..=ihi of the Hessenberg `h`; with `wantt`
/// the whole quasi-triangular Schur form is kept, with `z` the transformations accumulate into
/// its rows ilo..=ihi. Eigenvalues go to (wr, wi) at ilo..=ihi.
#[allow(clippy::too_many_arguments)]
fn hqr(h: &mut Cm, ilo: usize, ihi: usize, wantt: bool, mut z: Option<&mut Cm>, wr: &mut [f64], wi: &mut [f64]) -> Result<(), NoConvergence> {
    let n = h.rows;
    if ilo == ihi {
        wr[ilo] = h.get(ilo, ilo);
        wi[ilo] = 0.0;
        return Ok(());
    }
    for j in ilo..ihi.saturating_sub(2) {
        h.set(j + 2, j, 0.0);
        h.set(j + 3, j, 0.0);
    }
    if ilo + 2 <= ihi {
        h.set(ihi, ihi - 2, 0.0);
    }
    let nh = ihi - ilo + 1;
    let smlnum = SAFMIN * (nh as f64 / ULP);
    let (mut i1, mut i2) = (0usize, n - 1);
    let itmax = 30 * nh.max(10);
    let mut kdefl = 0usize;
    const DAT1: f64 = 0.75;
    const DAT2: f64 = -0.4375;
    const KEXSH: usize = 10;
    let mut i = ihi as isize;
    let mut v = [0.0f64; 3];
    while i >= ilo as isize {
        let iu = i as usize;
        let mut l = ilo;
        let mut converged = false;
        for _its in 0..=itmax {
            // A negligible subdiagonal entry.
            let mut k = iu;
            while k > l {
                let hkk1 = h.get(k, k - 1).abs();
                if hkk1 <= smlnum {
                    break;
                }
                let mut tst = h.get(k - 1, k - 1).abs() + h.get(k, k).abs();
                if tst == 0.0 {
                    if k >= ilo + 2 {
                        tst += h.get(k - 1, k - 2).abs();
                    }
                    if k < ihi {
                        tst += h.get(k + 1, k).abs();
                    }
                }
                if hkk1 <= ULP * tst {
                    let hk1k = h.get(k - 1, k).abs();
                    let ab = hkk1.max(hk1k);
                    let ba = hkk1.min(hk1k);
                    let hkk = h.get(k, k).abs();
                    let dif = (h.get(k - 1, k - 1) - h.get(k, k)).abs();
                    let aa = hkk.max(dif);
                    let bb = hkk.min(dif);
                    let s = aa + ab;
                    if ba * (ab / s) <= smlnum.max(ULP * (bb * (aa / s))) {
                        break;
                    }
                }
                k -= 1;
            }
            l = k;
            if l > ilo {
                h.set(l, l - 1, 0.0);
            }
            if l + 1 >= iu {
                converged = true;
                break;
            }
            kdefl += 1;
            if !wantt {
                i1 = l;
                i2 = iu;
            }
            let (mut h11, mut h12, mut h21, mut h22);
            if kdefl % (2 * KEXSH) == 0 {
                let s = h.get(iu, iu - 1).abs() + h.get(iu - 1, iu - 2).abs();
                h11 = DAT1 * s + h.get(iu, iu);
                h12 = DAT2 * s;
                h21 = s;
                h22 = h11;
            } else if kdefl % KEXSH == 0 {
                let s = h.get(l + 1, l).abs() + h.get(l + 2, l + 1).abs();
                h11 = DAT1 * s + h.get(l, l);
                h12 = DAT2 * s;
                h21 = s;
                h22 = h11;
            } else {
                h11 = h.get(iu - 1, iu - 1);
                h21 = h.get(iu, iu - 1);
                h12 = h.get(iu - 1, iu);
                h22 = h.get(iu, iu);
            }
            let s = h11.abs() + h12.abs() + h21.abs() + h22.abs();
            let (rt1r, rt1i, rt2r, rt2i);
            if s == 0.0 {
                rt1r = 0.0;
                rt1i = 0.0;
                rt2r = 0.0;
                rt2i = 0.0;
            } else {
                h11 /= s;
                h21 /= s;
                h12 /= s;
                h22 /= s;
                let tr = (h11 + h22) / 2.0;
                let det = (h11 - tr) * (h22 - tr) - h12 * h21;
                let rtdisc = det.abs().sqrt();
                if det >= 0.0 {
                    rt1r = tr * s;
                    rt2r = rt1r;
                    rt1i = rtdisc * s;
                    rt2i = -rt1i;
                } else {
                    let a = tr + rtdisc;
                    let b = tr - rtdisc;
                    let r = if (a - h22).abs() <= (b - h22).abs() { a * s } else { b * s };
                    rt1r = r;
                    rt2r = r;
                    rt1i = 0.0;
                    rt2i = 0.0;
                }
            }
            // Where to start the double-shift sweep: two consecutive small subdiagonals.
            let mut m = iu - 2;
            loop {
                let h21s0 = h.get(m + 1, m);
                let hmm = h.get(m, m);
                let s = (hmm - rt2r).abs() + rt2i.abs() + h21s0.abs();
                let h21s = h21s0 / s;
                v[0] = h21s * h.get(m, m + 1) + (hmm - rt1r) * ((hmm - rt2r) / s) - rt1i * (rt2i / s);
                v[1] = h21s * (hmm + h.get(m + 1, m + 1) - rt1r - rt2r);
                v[2] = h21s * h.get(m + 2, m + 1);
                let s = v[0].abs() + v[1].abs() + v[2].abs();
                v[0] /= s;
                v[1] /= s;
                v[2] /= s;
                if m == l {
                    break;
                }
                let h00 = h.get(m, m - 1).abs() * (v[1].abs() + v[2].abs());
                let h01 = ULP * v[0].abs() * (h.get(m - 1, m - 1).abs() + hmm.abs() + h.get(m + 1, m + 1).abs());
                if h00 <= h01 {
                    break;
                }
                m -= 1;
            }
            // The double-shift sweep.
            for k in m..iu {
                let nr = 3.min(iu - k + 1);
                if k > m {
                    for q in 0..nr {
                        v[q] = h.get(k + q, k - 1);
                    }
                }
                let t1 = reflector(&mut v[..nr]);
                if k > m {
                    h.set(k, k - 1, v[0]);
                    h.set(k + 1, k - 1, 0.0);
                    if k + 1 < iu {
                        h.set(k + 2, k - 1, 0.0);
                    }
                } else if m > l {
                    h.set(k, k - 1, h.get(k, k - 1) * (1.0 - t1));
                }
                let v2 = v[1];
                let t2 = t1 * v2;
                let rows = h.rows;
                if nr == 3 {
                    let v3 = v[2];
                    let t3 = t1 * v3;
                    for j in k..=i2 {
                        let c = j * rows;
                        let x = &mut h.v[c + k..c + k + 3];
                        let sum = x[0] + v2 * x[1] + v3 * x[2];
                        x[0] -= sum * t1;
                        x[1] -= sum * t2;
                        x[2] -= sum * t3;
                    }
                    let r1 = (k + 3).min(iu) + 1;
                    rotate3(&mut h.v, rows, k, i1, r1, [t1, t2, t3], v2, v3);
                    if let Some(z) = z.as_deref_mut() {
                        let zr = z.rows;
                        rotate3(&mut z.v, zr, k, ilo, ihi + 1, [t1, t2, t3], v2, v3);
                    }
                } else if nr == 2 {
                    for j in k..=i2 {
                        let c = j * rows;
                        let sum = h.v[c + k] + v2 * h.v[c + k + 1];
                        h.v[c + k] -= sum * t1;
                        h.v[c + k + 1] -= sum * t2;
                    }
                    let (c0, c1) = (k * rows, (k + 1) * rows);
                    for j in i1..=iu {
                        let sum = h.v[c0 + j] + v2 * h.v[c1 + j];
                        h.v[c0 + j] -= sum * t1;
                        h.v[c1 + j] -= sum * t2;
                    }
                    if let Some(z) = z.as_deref_mut() {
                        let zr = z.rows;
                        let (c0, c1) = (k * zr, (k + 1) * zr);
                        for j in ilo..=ihi {
                            let sum = z.v[c0 + j] + v2 * z.v[c1 + j];
                            z.v[c0 + j] -= sum * t1;
                            z.v[c1 + j] -= sum * t2;
                        }
                    }
                }
            }
        }
        if !converged {
            return Err(NoConvergence);
        }
        if l == iu {
            wr[iu] = h.get(iu, iu);
            wi[iu] = 0.0;
        } else {
            // A 2 × 2 block: standardise it (dlanv2) and rotate the rest along.
            let ([a, b, c, d], cs, sn) = schur2(h.get(iu - 1, iu - 1), h.get(iu - 1, iu), h.get(iu, iu - 1), h.get(iu, iu));
            h.set(iu - 1, iu - 1, a);
            h.set(iu - 1, iu, b);
            h.set(iu, iu - 1, c);
            h.set(iu, iu, d);
            let w = if c != 0.0 { b.abs().sqrt() * c.abs().sqrt() } else { 0.0 };
            wr[iu - 1] = a;
            wi[iu - 1] = w;
            wr[iu] = d;
            wi[iu] = -w;
            if wantt {
                for j in iu + 1..=i2.max(iu) {
                    let (x, y) = (h.get(iu - 1, j), h.get(iu, j));
                    h.set(iu - 1, j, cs * x + sn * y);
                    h.set(iu, j, cs * y - sn * x);
                }
                for r in i1..iu - 1 {
                    let (x, y) = (h.get(r, iu - 1), h.get(r, iu));
                    h.set(r, iu - 1, cs * x + sn * y);
                    h.set(r, iu, cs * y - sn * x);
                }
            }
            if let Some(z) = z.as_deref_mut() {
                for r in ilo..=ihi {
                    let (x, y) = (z.get(r, iu - 1), z.get(r, iu));
                    z.set(r, iu - 1, cs * x + sn * y);
                    z.set(r, iu, cs * y - sn * x);
                }
            }
        }
        kdefl = 0;
        i = l as isize - 1;
    }
    Ok(())
}

/// Columns k, k+1, k+2 (rows r0..r1) of the column-major `v` (`rows` per column) times the
/// 3 × 3 reflector (1, v2, v3; t1, t2, t3), from the right.
#[allow(clippy::too_many_arguments)]
#[inline]
fn rotate3(v: &mut [f64], rows: usize, k: usize, r0: usize, r1: usize, t: [f64; 3], v2: f64, v3: f64) {
    let (a, rest) = v[k * rows..].split_at_mut(rows);
    let (b, c) = rest.split_at_mut(rows);
    let (a, b, c) = (&mut a[r0..r1], &mut b[r0..r1], &mut c[r0..r1]);
    for ((x, y), w) in a.iter_mut().zip(b.iter_mut()).zip(c.iter_mut()) {
        let sum = *x + v2 * *y + v3 * *w;
        *x -= sum * t[0];
        *y -= sum * t[1];
        *w -= sum * t[2];
    }
}

// ---- dtrevc3 ---------------------------------------------------------------------------------

/// `dladiv`: (a + ib) / (c + id), robustly.
pub(crate) fn dladiv(a: f64, b: f64, c: f64, d: f64) -> (f64, f64) {
    let bs = 2.0;
    let (mut aa, mut bb, mut cc, mut dd) = (a, b, c, d);
    let ab = a.abs().max(b.abs());
    let cd = c.abs().max(d.abs());
    let mut s = 1.0;
    let ov = f64::MAX;
    let un = SAFMIN;
    let eps = ULP * 0.5;
    let be = bs / (eps * eps);
    if ab >= 0.5 * ov {
        aa *= 0.5;
        bb *= 0.5;
        s *= 2.0;
    }
    if cd >= 0.5 * ov {
        cc *= 0.5;
        dd *= 0.5;
        s *= 0.5;
    }
    if ab <= un * bs / eps {
        aa *= be;
        bb *= be;
        s /= be;
    }
    if cd <= un * bs / eps {
        cc *= be;
        dd *= be;
        s *= be;
    }
    let (p, q) = if d.abs() <= c.abs() {
        dladiv1(aa, bb, cc, dd)
    } else {
        let (p, q) = dladiv1(bb, aa, dd, cc);
        (p, -q)
    };
    (p * s, q * s)
}

fn dladiv1(a: f64, b: f64, c: f64, d: f64) -> (f64, f64) {
    let r = d / c;
    let t = 1.0 / (c + d * r);
    let p = dladiv2(a, b, c, d, r, t);
    let q = dladiv2(b, -a, c, d, r, t);
    (p, q)
}

fn dladiv2(a: f64, b: f64, c: f64, d: f64, r: f64, t: f64) -> f64 {
    if r != 0.0 {
        let br = b * r;
        if br != 0.0 {
            (a + br) * t
        } else {
            a * t + (b * t) * r
        }
    } else {
        (a + d * (b / c)) * t
    }
}

/// `dlaln2` (no transpose, ca = 1, d1 = d2 = 1): solves (T - (wr + i·wi))·X = scale·B for the
/// 1 × 1 or 2 × 2 block T, perturbing a pivot smaller than `smin`. `b`/the result hold
/// [re rows..., im rows...] as x[row][0 = re, 1 = im]. Returns (x, scale, xnorm).
fn laln2(na: usize, nw: usize, smin: f64, t: [[f64; 2]; 2], b: [[f64; 2]; 2], wr: f64, wi: f64) -> ([[f64; 2]; 2], f64, f64) {
    let smlnum = 2.0 * SAFMIN;
    let bignum = 1.0 / smlnum;
    let smini = smin.max(smlnum);
    let mut scale = 1.0;
    let mut x = [[0.0f64; 2]; 2];
    if na == 1 {
        if nw == 1 {
            let mut csr = t[0][0] - wr;
            let mut cnorm = csr.abs();
            if cnorm < smini {
                csr = smini;
                cnorm = smini;
            }
            let bnorm = b[0][0].abs();
            if cnorm < 1.0 && bnorm > 1.0 && bnorm > bignum * cnorm {
                scale = 1.0 / bnorm;
            }
            x[0][0] = (b[0][0] * scale) / csr;
            let xnorm = x[0][0].abs();
            return (x, scale, xnorm);
        }
        let mut csr = t[0][0] - wr;
        let mut csi = -wi;
        let mut cnorm = csr.abs() + csi.abs();
        if cnorm < smini {
            csr = smini;
            csi = 0.0;
            cnorm = smini;
        }
        let bnorm = b[0][0].abs() + b[0][1].abs();
        if cnorm < 1.0 && bnorm > 1.0 && bnorm > bignum * cnorm {
            scale = 1.0 / bnorm;
        }
        let (p, q) = dladiv(scale * b[0][0], scale * b[0][1], csr, csi);
        x[0] = [p, q];
        return (x, scale, p.abs() + q.abs());
    }
    // 2 × 2: C = T - wr·I (real part), -wi·I (imaginary part); crv in column-major order.
    let crv = [t[0][0] - wr, t[1][0], t[0][1], t[1][1] - wr];
    const IPIVOT: [[usize; 4]; 4] = [[0, 1, 2, 3], [1, 0, 3, 2], [2, 3, 0, 1], [3, 2, 1, 0]];
    const RSWAP: [bool; 4] = [false, true, false, true];
    const ZSWAP: [bool; 4] = [false, false, true, true];
    if nw == 1 {
        let mut cmax = 0.0;
        let mut icmax = usize::MAX;
        for (j, &c) in crv.iter().enumerate() {
            if c.abs() > cmax {
                cmax = c.abs();
                icmax = j;
            }
        }
        if cmax < smini {
            let bnorm = b[0][0].abs().max(b[1][0].abs());
            if smini < 1.0 && bnorm > 1.0 && bnorm > bignum * smini {
                scale = 1.0 / bnorm;
            }
            let temp = scale / smini;
            x[0][0] = temp * b[0][0];
            x[1][0] = temp * b[1][0];
            return (x, scale, temp * bnorm);
        }
        let p = IPIVOT[icmax];
        let ur11 = crv[icmax];
        let cr21 = crv[p[1]];
        let ur12 = crv[p[2]];
        let cr22 = crv[p[3]];
        let ur11r = 1.0 / ur11;
        let lr21 = ur11r * cr21;
        let mut ur22 = cr22 - ur12 * lr21;
        if ur22.abs() < smini {
            ur22 = smini;
        }
        let (br1, mut br2) = if RSWAP[icmax] { (b[1][0], b[0][0]) } else { (b[0][0], b[1][0]) };
        br2 -= lr21 * br1;
        let bbnd = (br1 * (ur22 * ur11r)).abs().max(br2.abs());
        if bbnd > 1.0 && ur22.abs() < 1.0 && bbnd >= bignum * ur22.abs() {
            scale = 1.0 / bbnd;
        }
        let xr2 = (br2 * scale) / ur22;
        let xr1 = (scale * br1) * ur11r - xr2 * (ur11r * ur12);
        if ZSWAP[icmax] {
            x[0][0] = xr2;
            x[1][0] = xr1;
        } else {
            x[0][0] = xr1;
            x[1][0] = xr2;
        }
        let mut xnorm = xr1.abs().max(xr2.abs());
        if xnorm > 1.0 && cmax > 1.0 && xnorm > bignum / cmax {
            let temp = cmax / bignum;
            x[0][0] *= temp;
            x[1][0] *= temp;
            xnorm *= temp;
            scale *= temp;
        }
        return (x, scale, xnorm);
    }
    let civ = [-wi, 0.0, 0.0, -wi];
    let mut cmax = 0.0;
    let mut icmax = usize::MAX;
    for j in 0..4 {
        if crv[j].abs() + civ[j].abs() > cmax {
            cmax = crv[j].abs() + civ[j].abs();
            icmax = j;
        }
    }
    if cmax < smini {
        let bnorm = (b[0][0].abs() + b[0][1].abs()).max(b[1][0].abs() + b[1][1].abs());
        if smini < 1.0 && bnorm > 1.0 && bnorm > bignum * smini {
            scale = 1.0 / bnorm;
        }
        let temp = scale / smini;
        for r in 0..2 {
            for c in 0..2 {
                x[r][c] = temp * b[r][c];
            }
        }
        return (x, scale, temp * bnorm);
    }
    let p = IPIVOT[icmax];
    let ur11 = crv[icmax];
    let ui11 = civ[icmax];
    let cr21 = crv[p[1]];
    let ci21 = civ[p[1]];
    let ur12 = crv[p[2]];
    let ui12 = civ[p[2]];
    let cr22 = crv[p[3]];
    let ci22 = civ[p[3]];
    let (ur11r, ui11r, lr21, li21, ur12s, ui12s, mut ur22, mut ui22);
    if icmax == 0 || icmax == 3 {
        // The off-diagonal entries of the pivoted C are real.
        if ur11.abs() > ui11.abs() {
            let temp = ui11 / ur11;
            ur11r = 1.0 / (ur11 * (1.0 + temp * temp));
            ui11r = -temp * ur11r;
        } else {
            let temp = ur11 / ui11;
            ui11r = -1.0 / (ui11 * (1.0 + temp * temp));
            ur11r = -temp * ui11r;
        }
        lr21 = cr21 * ur11r;
        li21 = cr21 * ui11r;
        ur12s = ur12 * ur11r;
        ui12s = ur12 * ui11r;
        ur22 = cr22 - ur12 * lr21;
        ui22 = ci22 - ur12 * li21;
    } else {
        // The diagonal entries of the pivoted C are real.
        ur11r = 1.0 / ur11;
        ui11r = 0.0;
        lr21 = cr21 * ur11r;
        li21 = ci21 * ur11r;
        ur12s = ur12 * ur11r;
        ui12s = ui12 * ur11r;
        ur22 = cr22 - ur12 * lr21 + ui12 * li21;
        ui22 = -ur12 * li21 - ui12 * lr21;
    }
    let u22abs = ur22.abs() + ui22.abs();
    if u22abs < smini {
        ur22 = smini;
        ui22 = 0.0;
    }
    let (mut br1, mut bi1, mut br2, mut bi2) = if RSWAP[icmax] { (b[1][0], b[1][1], b[0][0], b[0][1]) } else { (b[0][0], b[0][1], b[1][0], b[1][1]) };
    br2 = br2 - lr21 * br1 + li21 * bi1;
    bi2 = bi2 - li21 * br1 - lr21 * bi1;
    let bbnd = ((br1.abs() + bi1.abs()) * (u22abs * (ur11r.abs() + ui11r.abs()))).max(br2.abs() + bi2.abs());
    if bbnd > 1.0 && u22abs < 1.0 && bbnd >= bignum * u22abs {
        scale = 1.0 / bbnd;
        br1 *= scale;
        bi1 *= scale;
        br2 *= scale;
        bi2 *= scale;
    }
    let (xr2, xi2) = dladiv(br2, bi2, ur22, ui22);
    let xr1 = ur11r * br1 - ui11r * bi1 - ur12s * xr2 + ui12s * xi2;
    let xi1 = ui11r * br1 + ur11r * bi1 - ui12s * xr2 - ur12s * xi2;
    if ZSWAP[icmax] {
        x = [[xr2, xi2], [xr1, xi1]];
    } else {
        x = [[xr1, xi1], [xr2, xi2]];
    }
    let mut xnorm = (xr1.abs() + xi1.abs()).max(xr2.abs() + xi2.abs());
    if xnorm > 1.0 && cmax > 1.0 && xnorm > bignum / cmax {
        let temp = cmax / bignum;
        for r in x.iter_mut() {
            r[0] *= temp;
            r[1] *= temp;
        }
        xnorm *= temp;
        scale *= temp;
    }
    (x, scale, xnorm)
}

/// `name` runs `body` compiled with FMA instructions when the CPU has them (`f64::mul_add`
/// is otherwise a library call per element).
macro_rules! with_fma {
    ($name:ident, $fast:ident, $body:ident, ($($arg:ident: $ty:ty),*)) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "fma")]
        unsafe fn $fast($($arg: $ty),*) {
            $body($($arg),*)
        }
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("fma") {
                // SAFETY: the CPU supports FMA (checked just above).
                return unsafe { $fast($($arg),*) };
            }
            $body($($arg),*)
        }
    };
}

with_fma!(axpy, axpy_fma, axpy_body, (alpha: f64, x: &[f64], y: &mut [f64]));
with_fma!(backtransform, backtransform_fma, backtransform_body, (q: &Cm, x: &[f64], col: &mut [f64]));

/// y += alpha·x (`daxpy`; OpenBLAS fuses the multiply-add).
#[inline(always)]
fn axpy_body(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi = alpha.mul_add(*xi, *yi);
    }
}

/// Right eigenvectors of the quasi-triangular `t` times the Schur vectors `q` (`dtrevc3`,
/// side 'R', howmny 'B', the blocked back-transform): column k is the eigenvector of
/// eigenvalue k; a complex pair (k, k+1) holds its real and imaginary parts. Each vector is
/// scaled so that its largest entry (|re| + |im| for a complex one) is 1.
fn trevc(t: &Cm, q: &Cm) -> Cm {
    let n = t.rows;
    let smlnum = SAFMIN * (n as f64 / ULP);
    let bignum = (1.0 - ULP) / smlnum;
    // 1-norms of the strictly upper columns, for the overflow guards.
    let cnorm: Vec<f64> = (0..n).map(|j| (0..j).fold(0.0, |s, i| s + t.get(i, j).abs())).collect();
    let mut out = Cm::zeros(n, n);
    let tcol = |j: usize| &t.v[j * n..j * n + n];
    let mut ki = n as isize - 1;
    while ki >= 0 {
        let k = ki as usize;
        let pair = k > 0 && t.get(k, k - 1) != 0.0;
        let wr = t.get(k, k);
        let wi = if pair { t.get(k, k - 1).abs().sqrt() * t.get(k - 1, k).abs().sqrt() } else { 0.0 };
        let smin = (ULP * (wr.abs() + wi.abs())).max(smlnum);
        if !pair {
            let mut x = vec![0.0; k + 1];
            x[k] = 1.0;
            for r in 0..k {
                x[r] = -t.get(r, k);
            }
            let mut jn = k as isize - 1;
            while jn >= 0 {
                let j = jn as usize;
                let two = j > 0 && t.get(j, j - 1) != 0.0;
                if !two {
                    let (xs, mut scale, xnorm) = laln2(1, 1, smin, [[t.get(j, j), 0.0], [0.0, 0.0]], [[x[j], 0.0], [0.0, 0.0]], wr, 0.0);
                    let mut x11 = xs[0][0];
                    if xnorm > 1.0 && cnorm[j] > bignum / xnorm {
                        x11 /= xnorm;
                        scale /= xnorm;
                    }
                    if scale != 1.0 {
                        x.iter_mut().for_each(|v| *v *= scale);
                    }
                    x[j] = x11;
                    axpy(-x11, &tcol(j)[..j], &mut x[..j]);
                    jn -= 1;
                } else {
                    let tb = [[t.get(j - 1, j - 1), t.get(j - 1, j)], [t.get(j, j - 1), t.get(j, j)]];
                    let (mut xs, mut scale, xnorm) = laln2(2, 1, smin, tb, [[x[j - 1], 0.0], [x[j], 0.0]], wr, 0.0);
                    if xnorm > 1.0 {
                        let beta = cnorm[j - 1].max(cnorm[j]);
                        if beta > bignum / xnorm {
                            xs[0][0] /= xnorm;
                            xs[1][0] /= xnorm;
                            scale /= xnorm;
                        }
                    }
                    if scale != 1.0 {
                        x.iter_mut().for_each(|v| *v *= scale);
                    }
                    x[j - 1] = xs[0][0];
                    x[j] = xs[1][0];
                    axpy(-xs[0][0], &tcol(j - 1)[..j - 1], &mut x[..j - 1]);
                    axpy(-xs[1][0], &tcol(j)[..j - 1], &mut x[..j - 1]);
                    jn -= 2;
                }
            }
            // Back-transform (dgemm: products accumulated in index order) and normalise.
            let col = &mut out.v[k * n..k * n + n];
            backtransform(q, &x, col);
            let ii = iamax(col.iter().copied());
            let remax = 1.0 / col[ii].abs();
            col.iter_mut().for_each(|v| *v *= remax);
            ki -= 1;
        } else {
            // Complex pair (k-1, k): xr in column k-1, xi in column k.
            let mut xr = vec![0.0; k + 1];
            let mut xi = vec![0.0; k + 1];
            if t.get(k - 1, k).abs() >= t.get(k, k - 1).abs() {
                xr[k - 1] = 1.0;
                xi[k] = wi / t.get(k - 1, k);
            } else {
                xr[k - 1] = -wi / t.get(k, k - 1);
                xi[k] = 1.0;
            }
            xr[k] = 0.0;
            xi[k - 1] = 0.0;
            for r in 0..k - 1 {
                xr[r] = -xr[k - 1] * t.get(r, k - 1);
                xi[r] = -xi[k] * t.get(r, k);
            }
            let mut jn = k as isize - 2;
            while jn >= 0 {
                let j = jn as usize;
                let two = j > 0 && t.get(j, j - 1) != 0.0;
                if !two {
                    let (mut xs, mut scale, xnorm) = laln2(1, 2, smin, [[t.get(j, j), 0.0], [0.0, 0.0]], [[xr[j], xi[j]], [0.0, 0.0]], wr, wi);
                    if xnorm > 1.0 && cnorm[j] > bignum / xnorm {
                        xs[0][0] /= xnorm;
                        xs[0][1] /= xnorm;
                        scale /= xnorm;
                    }
                    if scale != 1.0 {
                        xr.iter_mut().for_each(|v| *v *= scale);
                        xi.iter_mut().for_each(|v| *v *= scale);
                    }
                    xr[j] = xs[0][0];
                    xi[j] = xs[0][1];
                    axpy(-xs[0][0], &tcol(j)[..j], &mut xr[..j]);
                    axpy(-xs[0][1], &tcol(j)[..j], &mut xi[..j]);
                    jn -= 1;
                } else {
                    let tb = [[t.get(j - 1, j - 1), t.get(j - 1, j)], [t.get(j, j - 1), t.get(j, j)]];
                    let (mut xs, mut scale, xnorm) = laln2(2, 2, smin, tb, [[xr[j - 1], xi[j - 1]], [xr[j], xi[j]]], wr, wi);
                    if xnorm > 1.0 {
                        let beta = cnorm[j - 1].max(cnorm[j]);
                        if beta > bignum / xnorm {
                            let rec = 1.0 / xnorm;
                            for r in xs.iter_mut() {
                                r[0] *= rec;
                                r[1] *= rec;
                            }
                            scale *= rec;
                        }
                    }
                    if scale != 1.0 {
                        xr.iter_mut().for_each(|v| *v *= scale);
                        xi.iter_mut().for_each(|v| *v *= scale);
                    }
                    xr[j - 1] = xs[0][0];
                    xr[j] = xs[1][0];
                    xi[j - 1] = xs[0][1];
                    xi[j] = xs[1][1];
                    axpy(-xs[0][0], &tcol(j - 1)[..j - 1], &mut xr[..j - 1]);
                    axpy(-xs[1][0], &tcol(j)[..j - 1], &mut xr[..j - 1]);
                    axpy(-xs[0][1], &tcol(j - 1)[..j - 1], &mut xi[..j - 1]);
                    axpy(-xs[1][1], &tcol(j)[..j - 1], &mut xi[..j - 1]);
                    jn -= 2;
                }
            }
            {
                let (a, b) = out.v.split_at_mut(k * n);
                let re = &mut a[(k - 1) * n..];
                let im = &mut b[..n];
                backtransform(q, &xr, re);
                backtransform(q, &xi, im);
                let emax = re.iter().zip(im.iter()).fold(0.0f64, |m, (x, y)| m.max(x.abs() + y.abs()));
                let remax = 1.0 / emax;
                re.iter_mut().for_each(|v| *v *= remax);
                im.iter_mut().for_each(|v| *v *= remax);
            }
            ki -= 2;
        }
    }
    out
}

/// col = Q[:, ..x.len()]·x with each entry's products accumulated in index order by fused
/// multiply-adds (as OpenBLAS's dgemm kernel does).
#[inline(always)]
fn backtransform_body(q: &Cm, x: &[f64], col: &mut [f64]) {
    let n = q.rows;
    col.iter_mut().for_each(|v| *v = 0.0);
    for (p, &xp) in x.iter().enumerate() {
        let qc = &q.v[p * n..p * n + n];
        for (c, &qv) in col.iter_mut().zip(qc) {
            *c = qv.mul_add(xp, *c);
        }
    }
}

// ---- dgeev -----------------------------------------------------------------------------------

/// The eigenvalues (wr, wi) and, with `vectors`, `dgeev`'s right eigenvector matrix VR (a
/// complex pair (k, k+1), wi[k] > 0, stores the real part of the vector of eigenvalue k in
/// column k and its imaginary part in column k+1) of the finite real n × n matrix `a`,
/// 1 ≤ n ≤ [`SMALL_EIG`]; `None` outside that range or for a matrix `dgeev` would rescale.
#[allow(clippy::type_complexity)]
pub fn geev(a: &Cm, vectors: bool) -> Option<Result<(Vec<f64>, Vec<f64>, Option<Cm>), NoConvergence>> {
    let n = a.rows;
    if n == 0 || n > SMALL_EIG || a.cols != n {
        return None;
    }
    let anrm = a.v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let smlnum = SAFMIN.sqrt() / ULP;
    let bignum = 1.0 / smlnum;
    if (anrm > 0.0 && anrm < smlnum) || anrm > bignum || !anrm.is_finite() {
        return None;
    }
    let mut h = a.clone();
    let bal = balance(&mut h);
    let (ilo, ihi) = (bal.ilo, bal.ihi);
    let tau = hessenberg(&mut h, ilo, ihi);
    let mut wr = vec![0.0; n];
    let mut wi = vec![0.0; n];
    for i in (0..ilo).chain(ihi + 1..n) {
        wr[i] = h.get(i, i);
    }
    if !vectors {
        return Some(hqr(&mut h, ilo, ihi, false, None, &mut wr, &mut wi).map(|_| (wr, wi, None)));
    }
    let mut z = hessenberg_q(&h, &tau, ilo, ihi);
    if let Err(e) = hqr(&mut h, ilo, ihi, true, Some(&mut z), &mut wr, &mut wi) {
        return Some(Err(e));
    }
    for j in 0..n {
        for i in j + 2..n {
            h.set(i, j, 0.0);
        }
    }
    let mut vr = trevc(&h, &z);
    // dgebak: undo the scaling, then the permutations.
    for i in ilo..=ihi {
        if ilo == ihi {
            break;
        }
        let s = bal.scale[i];
        for j in 0..n {
            vr.set(i, j, vr.get(i, j) * s);
        }
    }
    for ii in 0..n {
        if ii >= ilo && ii <= ihi {
            continue;
        }
        let i = if ii < ilo { ilo - 1 - ii } else { ii };
        let k = bal.scale[i] as usize;
        if k != i {
            swap_rows(&mut vr, i, k, 0);
        }
    }
    // dgeev's normalisation.
    let mut j = 0;
    while j < n {
        if wi[j] == 0.0 {
            let col = &mut vr.v[j * n..j * n + n];
            let scl = 1.0 / nrm2(col);
            col.iter_mut().for_each(|v| *v *= scl);
            j += 1;
        } else {
            let (a, b) = vr.v.split_at_mut((j + 1) * n);
            let re = &mut a[j * n..];
            let im = &mut b[..n];
            let scl = 1.0 / hypot2(nrm2(re), nrm2(im));
            re.iter_mut().for_each(|v| *v *= scl);
            im.iter_mut().for_each(|v| *v *= scl);
            let k = iamax(re.iter().zip(im.iter()).map(|(x, y)| x * x + y * y));
            let (cs, sn, _) = givens(re[k], im[k]);
            for (x, y) in re.iter_mut().zip(im.iter_mut()) {
                let (xv, yv) = (*x, *y);
                *x = cs * xv + sn * yv;
                *y = cs * yv - sn * xv;
            }
            im[k] = 0.0;
            j += 2;
        }
    }
    Some(Ok((wr, wi, Some(vr))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Debugging aid: GEEV_DEBUG=<file of n and then n*n column-major numbers> prints the
    /// intermediate matrices.
    #[test]
    fn debug_dump() {
        let Ok(path) = std::env::var("GEEV_DEBUG") else { return };
        let txt = std::fs::read_to_string(path).unwrap();
        let nums: Vec<f64> = txt.split_whitespace().map(|x| x.parse().unwrap()).collect();
        let n = nums[0] as usize;
        let a = Cm { rows: n, cols: n, v: nums[1..1 + n * n].to_vec() };
        let dump = |name: &str, m: &Cm| println!("{name} {:?}", m.v);
        if std::env::var("GEEV_HQR").is_ok() {
            let mut h = a.clone();
            let mut z = Cm::eye(n);
            let mut wr = vec![0.0; n];
            let mut wi = vec![0.0; n];
            hqr(&mut h, 0, n - 1, true, Some(&mut z), &mut wr, &mut wi).unwrap();
            dump("T", &h);
            dump("Z", &z);
            return;
        }
        let mut h = a.clone();
        let bal = balance(&mut h);
        println!("ilo {} ihi {} scale {:?}", bal.ilo, bal.ihi, bal.scale);
        dump("BAL", &h);
        let tau = hessenberg(&mut h, bal.ilo, bal.ihi);
        dump("HRD", &h);
        println!("TAU {:?}", tau);
        let mut z = hessenberg_q(&h, &tau, bal.ilo, bal.ihi);
        dump("Q", &z);
        let mut wr = vec![0.0; n];
        let mut wi = vec![0.0; n];
        hqr(&mut h, bal.ilo, bal.ihi, true, Some(&mut z), &mut wr, &mut wi).unwrap();
        for j in 0..n {
            for i in j + 2..n {
                h.set(i, j, 0.0);
            }
        }
        dump("T", &h);
        dump("Z", &z);
        println!("WR {:?}", wr);
        println!("WI {:?}", wi);
        let vr = trevc(&h, &z);
        dump("VR", &vr);
    }

    fn lcg(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        }
    }

    #[test]
    fn eigenpairs_hold() {
        for n in [1, 2, 3, 4, 5, 7, 10, 16, 30] {
            for seed in 0..4 {
                let mut r = lcg(seed + 100 * n as u64);
                let a = Cm::from_fn(n, n, |i, j| if seed == 3 && i > j + 1 { 0.0 } else { r() });
                let (wr, wi, v) = geev(&a, true).unwrap().unwrap();
                let v = v.unwrap();
                let (wr2, wi2, _) = geev(&a, false).unwrap().unwrap();
                assert_eq!((&wr, &wi), (&wr2, &wi2));
                let mut j = 0;
                while j < n {
                    if wi[j] == 0.0 {
                        for i in 0..n {
                            let av: f64 = (0..n).map(|p| a.get(i, p) * v.get(p, j)).sum();
                            assert!((av - wr[j] * v.get(i, j)).abs() < 1e-12, "n={n} seed={seed} {wr:?} {wi:?} {v:?} {a:?}");
                        }
                        j += 1;
                    } else {
                        for i in 0..n {
                            let ar: f64 = (0..n).map(|p| a.get(i, p) * v.get(p, j)).sum();
                            let ai: f64 = (0..n).map(|p| a.get(i, p) * v.get(p, j + 1)).sum();
                            let (xr, xi) = (v.get(i, j), v.get(i, j + 1));
                            assert!((ar - (wr[j] * xr - wi[j] * xi)).abs() < 1e-12);
                            assert!((ai - (wr[j] * xi + wi[j] * xr)).abs() < 1e-12);
                        }
                        j += 2;
                    }
                }
            }
        }
    }
}
