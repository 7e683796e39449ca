//! The divide-and-conquer branch of LAPACK's `dstedc` (COMPZ = 'I'), step for step as NumPy's
//! OpenBLAS runs it, so that `eigh` beyond `dstedc`'s crossover order (25) gives NumPy's bits.
//!
//! The pieces, in LAPACK's terms:
//! - [`stedc`]: split the tridiagonal at negligible off-diagonals, scale each large block to
//!   unit max-norm, solve it (small blocks by the QL/QR iteration of `dsteqr`), unscale, then
//!   selection-sort the eigenpairs.
//! - `merge_tree` (`dlaed0`): cut the block into leaves of at most 25 rows by rank-one tears,
//!   solve the leaves by `dsteqr`, merge neighbours bottom-up.
//! - `merge` (`dlaed1`): one merge; `deflate` (`dlaed2`) removes the tiny-weight and
//!   near-equal poles, `secular_vectors` (`dlaed3`) solves the secular equation for each
//!   remaining root (`secular_root` = `dlaed4`, with `two_pole` = `dlaed5` and
//!   `three_pole_step` = `dlaed6`) and rebuilds the eigenvectors by two `dgemm`s.
//!
//! The LAPACK-level arithmetic is plain IEEE double without contraction, in the written order;
//! the BLAS calls (`drot`, `dnrm2`, `dgemm`) use the SkylakeX kernels' arithmetic.

use crate::gemm_skx::{dgemm, Trans};
use crate::lapack_small::{hypot2, tridiagonal_ql, Cm, NoConvergence};

/// `dlamch('E')`.
const EPS: f64 = f64::EPSILON * 0.5;
/// `dlamch('S')`.
const SAFMIN: f64 = f64::MIN_POSITIVE;
/// `ilaenv(9, 'DSTEDC')`: the largest order solved by `dsteqr` directly.
pub const LEAF: usize = 25;

/// `dlanst('M')`: the largest magnitude among d and e.
fn max_abs(d: &[f64], e: &[f64]) -> f64 {
    let mut m = 0.0f64;
    for &x in d.iter().chain(e.iter()) {
        let a = x.abs();
        if m < a || a.is_nan() {
            m = a;
        }
    }
    m
}

/// `dlascl('G')` on a vector: multiply by cto/cfrom in steps that neither over- nor underflow.
fn rescale(cfrom: f64, cto: f64, x: &mut [f64]) {
    let small = SAFMIN;
    let big = 1.0 / small;
    let (mut from, mut to) = (cfrom, cto);
    loop {
        let from_small = from * small;
        let (factor, last);
        if from_small == from {
            factor = to / from;
            last = true;
        } else {
            let to_big = to / big;
            if to_big == to {
                factor = to;
                last = true;
                from = 1.0;
            } else if from_small.abs() > to.abs() && to != 0.0 {
                factor = small;
                last = false;
                from = from_small;
            } else if to_big.abs() > from.abs() {
                factor = big;
                last = false;
                to = to_big;
            } else {
                factor = to / from;
                last = true;
                if factor == 1.0 {
                    return;
                }
            }
        }
        for v in x.iter_mut() {
            *v *= factor;
        }
        if last {
            return;
        }
    }
}

#[inline(always)]
fn drot_body(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (xv, yv) in x.iter_mut().zip(y.iter_mut()) {
        let (a, b) = (*xv, *yv);
        *xv = c.mul_add(a, s * b);
        *yv = c.mul_add(b, -(s * a));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn drot_fma(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    drot_body(x, y, c, s)
}

/// OpenBLAS's SkylakeX `drot`: x ← c·x + s·y with s·y rounded first, y ← c·y - s·x likewise.
fn drot(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has FMA (checked just above).
        return unsafe { drot_fma(x, y, c, s) };
    }
    drot_body(x, y, c, s)
}

/// Two distinct columns of a column-major buffer, mutably.
fn two_cols(v: &mut [f64], rows: usize, a: usize, b: usize) -> (&mut [f64], &mut [f64]) {
    debug_assert!(a != b);
    if a < b {
        let (lo, hi) = v.split_at_mut(b * rows);
        (&mut lo[a * rows..(a + 1) * rows], &mut hi[..rows])
    } else {
        let (lo, hi) = v.split_at_mut(a * rows);
        let (x, y) = (&mut hi[..rows], &mut lo[b * rows..(b + 1) * rows]);
        (x, y)
    }
}

/// `dlamrg`: the permutation that merges two sorted runs of `a` — a[0..n1] (ascending when
/// `up1`, else descending) and a[n1..n1+n2] (likewise with `up2`) — into ascending order.
fn merge_order(n1: usize, n2: usize, a: &[f64], up1: bool, up2: bool) -> Vec<usize> {
    let mut out = Vec::with_capacity(n1 + n2);
    let mut i1 = if up1 { 0isize } else { n1 as isize - 1 };
    let mut i2 = if up2 { n1 as isize } else { (n1 + n2) as isize - 1 };
    let (s1, s2) = (if up1 { 1 } else { -1 }, if up2 { 1 } else { -1 });
    let (mut left1, mut left2) = (n1, n2);
    while left1 > 0 && left2 > 0 {
        if a[i1 as usize] <= a[i2 as usize] {
            out.push(i1 as usize);
            i1 += s1;
            left1 -= 1;
        } else {
            out.push(i2 as usize);
            i2 += s2;
            left2 -= 1;
        }
    }
    for _ in 0..left1 {
        out.push(i1 as usize);
        i1 += s1;
    }
    for _ in 0..left2 {
        out.push(i2 as usize);
        i2 += s2;
    }
    out
}

// ---- the secular equation -----------------------------------------------------------------

/// `dlaed5`: root `i` (0 or 1) of the 2 × 2 secular equation 1 + rho·Σ z_j²/(d_j - λ) = 0
/// with d[0] < d[1]: (λ, the normalised vector delta).
pub(crate) fn two_pole(i: usize, d: [f64; 2], z: [f64; 2], rho: f64) -> (f64, [f64; 2]) {
    let del = d[1] - d[0];
    let mut v = [0.0; 2];
    let lam;
    if i == 0 && 1.0 + 2.0 * rho * (z[1] * z[1] - z[0] * z[0]) / del > 0.0 {
        let b = del + rho * (z[0] * z[0] + z[1] * z[1]);
        let c = rho * z[0] * z[0] * del;
        let tau = 2.0 * c / (b + (b * b - 4.0 * c).abs().sqrt());
        lam = d[0] + tau;
        v[0] = -z[0] / tau;
        v[1] = z[1] / (del - tau);
    } else {
        // Measured from the upper pole.
        let b = -del + rho * (z[0] * z[0] + z[1] * z[1]);
        let c = rho * z[1] * z[1] * del;
        let root = (b * b + 4.0 * c).sqrt();
        let tau = if i == 0 {
            if b > 0.0 {
                -(2.0 * c) / (b + root)
            } else {
                (b - root) / 2.0
            }
        } else if b > 0.0 {
            (b + root) / 2.0
        } else {
            2.0 * c / (-b + root)
        };
        lam = d[1] + tau;
        v[0] = -z[0] / (del + tau);
        v[1] = -z[1] / tau;
    }
    let nrm = (v[0] * v[0] + v[1] * v[1]).sqrt();
    v[0] /= nrm;
    v[1] /= nrm;
    (lam, v)
}

/// `dlaed6`: one rational-interpolation step of the secular solver, the root τ of
/// f(x) = finit + x·Σ_{j<3} z_j / (d_j·(d_j - x)) = 0 nearest the origin (between d[1] and
/// d[2] when `right`, between d[0] and d[1] otherwise), by Gragg–Thornton–Warner iterations.
/// `first` is true on the secular solver's first step (it then starts from an interpolation).
pub(crate) fn three_pole_step(first: bool, right: bool, rho: f64, d: &[f64], z: [f64; 3], finit: f64) -> Result<f64, NoConvergence> {
    const MAXIT: usize = 40;
    let (mut lo, mut hi) = if right { (d[1], d[2]) } else { (d[0], d[1]) };
    if finit < 0.0 {
        lo = 0.0;
    } else {
        hi = 0.0;
    }
    let mut tau = 0.0;
    if first {
        let (c, a, b);
        if right {
            let half = (d[2] - d[1]) / 2.0;
            c = rho + z[0] / ((d[0] - d[1]) - half);
            a = c * (d[1] + d[2]) + z[1] + z[2];
            b = c * d[1] * d[2] + z[1] * d[2] + z[2] * d[1];
        } else {
            let half = (d[0] - d[1]) / 2.0;
            c = rho + z[2] / ((d[2] - d[1]) - half);
            a = c * (d[0] + d[1]) + z[0] + z[1];
            b = c * d[0] * d[1] + z[0] * d[1] + z[1] * d[0];
        }
        let m = a.abs().max(b.abs()).max(c.abs());
        let (a, b, c) = (a / m, b / m, c / m);
        tau = quadratic_step(a, b, c);
        if tau < lo || tau > hi {
            tau = (lo + hi) / 2.0;
        }
        if d[0] == tau || d[1] == tau || d[2] == tau {
            tau = 0.0;
        } else {
            let f = finit + tau * z[0] / (d[0] * (d[0] - tau)) + tau * z[1] / (d[1] * (d[1] - tau)) + tau * z[2] / (d[2] * (d[2] - tau));
            if f <= 0.0 {
                lo = tau;
            } else {
                hi = tau;
            }
            if finit.abs() <= f.abs() {
                tau = 0.0;
            }
        }
    }
    // Scale up when a pole is so close that 1/gap³ could overflow.
    let small1 = 2f64.powi(((SAFMIN.ln() / 2f64.ln()) / 3.0) as i32);
    let small2 = small1 * small1;
    let gap = if right { (d[1] - tau).abs().min((d[2] - tau).abs()) } else { (d[0] - tau).abs().min((d[1] - tau).abs()) };
    let mut ds = [d[0], d[1], d[2]];
    let mut zs = z;
    let mut undo = None;
    if gap <= small1 {
        let (up, down) = if gap <= small2 { (1.0 / small2, small2) } else { (1.0 / small1, small1) };
        for k in 0..3 {
            ds[k] = d[k] * up;
            zs[k] = z[k] * up;
        }
        tau *= up;
        lo *= up;
        hi *= up;
        undo = Some(down);
    }
    let mut fc = 0.0;
    let mut df = 0.0;
    let mut ddf = 0.0;
    for k in 0..3 {
        let r = 1.0 / (ds[k] - tau);
        let t1 = zs[k] * r;
        let t2 = t1 * r;
        let t3 = t2 * r;
        fc += t1 / ds[k];
        df += t2;
        ddf += t3;
    }
    let mut f = finit + tau * fc;
    let mut converged = f.abs() <= 0.0;
    if !converged {
        if f <= 0.0 {
            lo = tau;
        } else {
            hi = tau;
        }
        for _ in 2..=MAXIT {
            let (g1, g2) = if right { (ds[1] - tau, ds[2] - tau) } else { (ds[0] - tau, ds[1] - tau) };
            let a = (g1 + g2) * f - g1 * g2 * df;
            let b = g1 * g2 * f;
            let c = f - (g1 + g2) * df + g1 * g2 * ddf;
            let m = a.abs().max(b.abs()).max(c.abs());
            let (a, b, c) = (a / m, b / m, c / m);
            let mut eta = quadratic_step(a, b, c);
            if f * eta >= 0.0 {
                eta = -f / df;
            }
            tau += eta;
            if tau < lo || tau > hi {
                tau = (lo + hi) / 2.0;
            }
            fc = 0.0;
            let mut err = 0.0;
            df = 0.0;
            ddf = 0.0;
            let mut hit_pole = false;
            for k in 0..3 {
                if ds[k] - tau == 0.0 {
                    hit_pole = true;
                    break;
                }
                let r = 1.0 / (ds[k] - tau);
                let t1 = zs[k] * r;
                let t2 = t1 * r;
                let t3 = t2 * r;
                let t4 = t1 / ds[k];
                fc += t4;
                err += t4.abs();
                df += t2;
                ddf += t3;
            }
            if hit_pole {
                converged = true;
                break;
            }
            f = finit + tau * fc;
            let err = 8.0 * (finit.abs() + tau.abs() * err) + tau.abs() * df;
            // LAPACK 3.10+: also stop once the bracket is as narrow as the rounding of tau.
            if f.abs() <= 4.0 * EPS * err || (hi - lo) <= 4.0 * EPS * tau.abs() {
                converged = true;
                break;
            }
            if f <= 0.0 {
                lo = tau;
            } else {
                hi = tau;
            }
        }
    }
    if let Some(down) = undo {
        tau *= down;
    }
    if converged {
        Ok(tau)
    } else {
        Err(NoConvergence)
    }
}

/// The root of a·η² - ... used by `dlaed6` (and `dlaed4`'s two-pole steps): the smaller-magnitude
/// solution of c·η² - a·η + b = 0, b/a when c = 0, each by its cancellation-free formula.
#[inline]
fn quadratic_step(a: f64, b: f64, c: f64) -> f64 {
    if c == 0.0 {
        b / a
    } else if a <= 0.0 {
        (a - (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
    } else {
        2.0 * b / (a + (a * a - 4.0 * b * c).abs().sqrt())
    }
}

/// ψ over poles 0..upto (ascending): (ψ, ψ', |Σ partial ψ|).
#[inline]
fn psi_sum(z: &[f64], delta: &[f64], upto: usize) -> (f64, f64, f64) {
    let (mut psi, mut dpsi, mut err) = (0.0, 0.0, 0.0);
    for j in 0..upto {
        let t = z[j] / delta[j];
        psi += z[j] * t;
        dpsi += t * t;
        err += psi;
    }
    (psi, dpsi, err.abs())
}

/// φ over poles n-1 down to from: (φ, φ', err + Σ partial φ).
#[inline]
fn phi_sum(z: &[f64], delta: &[f64], from: usize, mut err: f64) -> (f64, f64, f64) {
    let (mut phi, mut dphi) = (0.0, 0.0);
    for j in (from..z.len()).rev() {
        let t = z[j] / delta[j];
        phi += z[j] * t;
        dphi += t * t;
        err += phi;
    }
    (phi, dphi, err)
}

/// `dlaed4`: the `i`-th (0-based) root λ of 1 + rho·Σ z_j²/(d_j - λ) = 0 (d increasing,
/// ‖z‖ = 1, rho > 0); `delta` (len n) receives d_j - λ as computed from the nearer pole.
pub fn secular_root(i: usize, d: &[f64], z: &[f64], delta: &mut [f64], rho: f64) -> Result<f64, NoConvergence> {
    let n = d.len();
    if n == 1 {
        delta[0] = 1.0;
        return Ok(d[0] + rho * z[0] * z[0]);
    }
    if n == 2 {
        let (lam, v) = two_pole(i, [d[0], d[1]], [z[0], z[1]], rho);
        delta[0] = v[0];
        delta[1] = v[1];
        return Ok(lam);
    }
    if i == n - 1 {
        last_root(d, z, delta, rho)
    } else {
        inner_root(i, d, z, delta, rho)
    }
}

const MAXIT: usize = 30;

/// `dlaed4` for the largest root (beyond the last pole).
fn last_root(d: &[f64], z: &[f64], delta: &mut [f64], rho: f64) -> Result<f64, NoConvergence> {
    let n = d.len();
    let (a1, an) = (n - 2, n - 1);
    let rhoinv = 1.0 / rho;
    let dn = d[an];
    let midpt = rho / 2.0;
    for j in 0..n {
        delta[j] = (d[j] - dn) - midpt;
    }
    let mut psi = 0.0;
    for j in 0..n - 2 {
        psi += z[j] * z[j] / delta[j];
    }
    let c = rhoinv + psi;
    let w = c + z[a1] * z[a1] / delta[a1] + z[an] * z[an] / delta[an];
    let quad_guess = |c: f64| {
        let del = d[an] - d[a1];
        let a = -(c * del) + z[a1] * z[a1] + z[an] * z[an];
        let b = z[an] * z[an] * del;
        if a < 0.0 {
            2.0 * b / ((a * a + 4.0 * b * c).sqrt() - a)
        } else {
            (a + (a * a + 4.0 * b * c).sqrt()) / (2.0 * c)
        }
    };
    let (mut tau, mut lo, mut hi);
    if w <= 0.0 {
        let t = z[a1] * z[a1] / (d[an] - d[a1] + rho) + z[an] * z[an] / rho;
        tau = if c <= t { rho } else { quad_guess(c) };
        lo = midpt;
        hi = rho;
    } else {
        tau = quad_guess(c);
        lo = 0.0;
        hi = midpt;
    }
    for j in 0..n {
        delta[j] = (d[j] - dn) - tau;
    }
    let eval = |delta: &[f64], tau: f64| {
        let (psi, dpsi, err) = psi_sum(z, delta, an);
        let t = z[an] / delta[an];
        let phi = z[an] * t;
        let dphi = t * t;
        let err = 8.0 * (-phi - psi) + err - phi + rhoinv + tau.abs() * (dpsi + dphi);
        let w = rhoinv + phi + psi;
        (w, dpsi, dphi, err)
    };
    let (mut w, mut dpsi, mut dphi, mut err) = eval(delta, tau);
    for step in 1..MAXIT {
        if w.abs() <= EPS * err {
            return Ok(dn + tau);
        }
        if w <= 0.0 {
            lo = lo.max(tau);
        } else {
            hi = hi.min(tau);
        }
        let mut c = w - delta[a1] * dpsi - delta[an] * dphi;
        let a = (delta[a1] + delta[an]) * w - delta[a1] * delta[an] * (dpsi + dphi);
        let b = delta[a1] * delta[an] * w;
        let mut eta;
        if step == 1 {
            if c < 0.0 {
                c = c.abs();
            }
            eta = if c == 0.0 {
                hi - tau
            } else if a >= 0.0 {
                (a + (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
            } else {
                2.0 * b / (a - (a * a - 4.0 * b * c).abs().sqrt())
            };
        } else {
            eta = if a >= 0.0 { (a + (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c) } else { 2.0 * b / (a - (a * a - 4.0 * b * c).abs().sqrt()) };
        }
        if w * eta > 0.0 {
            eta = -w / (dpsi + dphi);
        }
        let t = tau + eta;
        if t > hi || t < lo {
            eta = if w < 0.0 { (hi - tau) / 2.0 } else { (lo - tau) / 2.0 };
        }
        for x in delta.iter_mut() {
            *x -= eta;
        }
        tau += eta;
        (w, dpsi, dphi, err) = eval(delta, tau);
    }
    // The last iterate is evaluated but, as in LAPACK, not tested.
    let _ = (w, err);
    Err(NoConvergence)
}

/// `dlaed4` for a root between poles i and i+1.
fn inner_root(i: usize, d: &[f64], z: &[f64], delta: &mut [f64], rho: f64) -> Result<f64, NoConvergence> {
    let n = d.len();
    let ip1 = i + 1;
    let rhoinv = 1.0 / rho;
    let del = d[ip1] - d[i];
    let midpt = del / 2.0;
    for j in 0..n {
        delta[j] = (d[j] - d[i]) - midpt;
    }
    let mut psi = 0.0;
    for j in 0..i {
        psi += z[j] * z[j] / delta[j];
    }
    let mut phi = 0.0;
    for j in (i + 2..n).rev() {
        phi += z[j] * z[j] / delta[j];
    }
    let c = rhoinv + psi + phi;
    let w = c + z[i] * z[i] / delta[i] + z[ip1] * z[ip1] / delta[ip1];
    // From the left pole when the root lies in the left half of the gap.
    let left = w > 0.0;
    let (mut tau, mut lo, mut hi);
    if left {
        let a = c * del + z[i] * z[i] + z[ip1] * z[ip1];
        let b = z[i] * z[i] * del;
        tau = if a > 0.0 { 2.0 * b / (a + (a * a - 4.0 * b * c).abs().sqrt()) } else { (a - (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c) };
        lo = 0.0;
        hi = midpt;
    } else {
        let a = c * del - z[i] * z[i] - z[ip1] * z[ip1];
        let b = z[ip1] * z[ip1] * del;
        tau = if a < 0.0 { 2.0 * b / (a - (a * a + 4.0 * b * c).abs().sqrt()) } else { -(a + (a * a + 4.0 * b * c).abs().sqrt()) / (2.0 * c) };
        lo = -midpt;
        hi = 0.0;
    }
    let origin = if left { d[i] } else { d[ip1] };
    for j in 0..n {
        delta[j] = (d[j] - origin) - tau;
    }
    let ii = if left { i } else { ip1 };
    // Three-pole interpolation unless the nearest pole is an end one.
    let mut three = false;
    let sums = |delta: &[f64]| {
        let (psi, dpsi, err) = psi_sum(z, delta, ii);
        let (phi, dphi, err) = phi_sum(z, delta, ii + 1, err);
        (psi, dpsi, phi, dphi, err)
    };
    let (mut psi, mut dpsi, mut phi, mut dphi, mut err) = sums(delta);
    let mut w = rhoinv + phi + psi;
    if left {
        if w < 0.0 {
            three = true;
        }
    } else if w > 0.0 {
        three = true;
    }
    if ii == 0 || ii == n - 1 {
        three = false;
    }
    let t = z[ii] / delta[ii];
    let mut dw = dpsi + dphi + t * t;
    let t = z[ii] * t;
    w += t;
    err = 8.0 * (phi - psi) + err + 2.0 * rhoinv + 3.0 * t.abs() + tau.abs() * dw;
    if w.abs() <= EPS * err {
        return Ok(origin + tau);
    }
    if w <= 0.0 {
        lo = lo.max(tau);
    } else {
        hi = hi.min(tau);
    }
    let mut niter = 2;
    // First step.
    let mut eta = if !three {
        let c = if left {
            let t = z[i] / delta[i];
            w - delta[ip1] * dw - (d[i] - d[ip1]) * (t * t)
        } else {
            let t = z[ip1] / delta[ip1];
            w - delta[i] * dw - (d[ip1] - d[i]) * (t * t)
        };
        let mut a = (delta[i] + delta[ip1]) * w - delta[i] * delta[ip1] * dw;
        let b = delta[i] * delta[ip1] * w;
        if c == 0.0 {
            if a == 0.0 {
                a = if left { z[i] * z[i] + delta[ip1] * delta[ip1] * (dpsi + dphi) } else { z[ip1] * z[ip1] + delta[i] * delta[i] * (dpsi + dphi) };
            }
            b / a
        } else {
            quadratic_step_ad(a, b, c)
        }
    } else {
        let (c, zz) = three_pole_coeffs(left, false, ii, d, z, delta, rhoinv + psi + phi, dpsi, dphi);
        three_pole_step(niter == 2, left, c, &delta[ii - 1..ii + 2], zz, w)?
    };
    if w * eta >= 0.0 {
        eta = -w / dw;
    }
    let t = tau + eta;
    if t > hi || t < lo {
        eta = if w < 0.0 { (hi - tau) / 2.0 } else { (lo - tau) / 2.0 };
    }
    let mut prew = w;
    for x in delta.iter_mut() {
        *x -= eta;
    }
    (psi, dpsi, phi, dphi, err) = sums(delta);
    let t = z[ii] / delta[ii];
    dw = dpsi + dphi + t * t;
    let t = z[ii] * t;
    w = rhoinv + phi + psi + t;
    err = 8.0 * (phi - psi) + err + 2.0 * rhoinv + 3.0 * t.abs() + (tau + eta).abs() * dw;
    let mut swtch = if left { -w > prew.abs() / 10.0 } else { w > prew.abs() / 10.0 };
    tau += eta;
    niter += 1;
    while niter <= MAXIT {
        if w.abs() <= EPS * err {
            return Ok(origin + tau);
        }
        if w <= 0.0 {
            lo = lo.max(tau);
        } else {
            hi = hi.min(tau);
        }
        let mut eta = if !three {
            let c = if !swtch {
                if left {
                    let t = z[i] / delta[i];
                    w - delta[ip1] * dw - (d[i] - d[ip1]) * (t * t)
                } else {
                    let t = z[ip1] / delta[ip1];
                    w - delta[i] * dw - (d[ip1] - d[i]) * (t * t)
                }
            } else {
                let t = z[ii] / delta[ii];
                if left {
                    dpsi += t * t;
                } else {
                    dphi += t * t;
                }
                w - delta[i] * dpsi - delta[ip1] * dphi
            };
            let mut a = (delta[i] + delta[ip1]) * w - delta[i] * delta[ip1] * dw;
            let b = delta[i] * delta[ip1] * w;
            if c == 0.0 {
                if a == 0.0 {
                    a = if !swtch {
                        if left {
                            z[i] * z[i] + delta[ip1] * delta[ip1] * (dpsi + dphi)
                        } else {
                            z[ip1] * z[ip1] + delta[i] * delta[i] * (dpsi + dphi)
                        }
                    } else {
                        delta[i] * delta[i] * dpsi + delta[ip1] * delta[ip1] * dphi
                    };
                }
                b / a
            } else {
                quadratic_step_ad(a, b, c)
            }
        } else {
            let (c, zz) = three_pole_coeffs(left, swtch, ii, d, z, delta, rhoinv + psi + phi, dpsi, dphi);
            three_pole_step(false, left, c, &delta[ii - 1..ii + 2], zz, w)?
        };
        if w * eta >= 0.0 {
            eta = -w / dw;
        }
        let t = tau + eta;
        if t > hi || t < lo {
            eta = if w < 0.0 { (hi - tau) / 2.0 } else { (lo - tau) / 2.0 };
        }
        for x in delta.iter_mut() {
            *x -= eta;
        }
        tau += eta;
        prew = w;
        (psi, dpsi, phi, dphi, err) = sums(delta);
        let t = z[ii] / delta[ii];
        dw = dpsi + dphi + t * t;
        let t = z[ii] * t;
        w = rhoinv + phi + psi + t;
        err = 8.0 * (phi - psi) + err + 2.0 * rhoinv + 3.0 * t.abs() + tau.abs() * dw;
        if w * prew > 0.0 && w.abs() > prew.abs() / 10.0 {
            swtch = !swtch;
        }
        niter += 1;
    }
    Err(NoConvergence)
}

/// `dlaed4`'s two-pole step: the root of c·η² - a·η + b = 0 chosen by a's sign.
#[inline]
fn quadratic_step_ad(a: f64, b: f64, c: f64) -> f64 {
    if a <= 0.0 {
        (a - (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
    } else {
        2.0 * b / (a + (a * a - 4.0 * b * c).abs().sqrt())
    }
}

/// The constant and the three weights `dlaed4` hands to `dlaed6`.
#[allow(clippy::too_many_arguments)]
fn three_pole_coeffs(left: bool, swtch: bool, ii: usize, d: &[f64], z: &[f64], delta: &[f64], base: f64, dpsi: f64, dphi: f64) -> (f64, [f64; 3]) {
    let (im1, ip1) = (ii - 1, ii + 1);
    let mut zz = [0.0; 3];
    let c;
    if swtch {
        c = base - delta[im1] * dpsi - delta[ip1] * dphi;
        zz[0] = delta[im1] * delta[im1] * dpsi;
        zz[2] = delta[ip1] * delta[ip1] * dphi;
    } else if left {
        let t = z[im1] / delta[im1];
        let t = t * t;
        c = base - delta[ip1] * (dpsi + dphi) - (d[im1] - d[ip1]) * t;
        zz[0] = z[im1] * z[im1];
        zz[2] = delta[ip1] * delta[ip1] * ((dpsi - t) + dphi);
    } else {
        let t = z[ip1] / delta[ip1];
        let t = t * t;
        c = base - delta[im1] * (dpsi + dphi) - (d[ip1] - d[im1]) * t;
        zz[0] = delta[im1] * delta[im1] * (dpsi + (dphi - t));
        zz[2] = z[ip1] * z[ip1];
    }
    zz[1] = z[ii] * z[ii];
    (c, zz)
}

// ---- one merge ------------------------------------------------------------------------------

/// What `deflate` leaves for `secular_vectors`.
struct Deflated {
    k: usize,
    poles: Vec<f64>,
    weights: Vec<f64>,
    q2: Vec<f64>,
    /// For each of the first k columns (grouped by type), its position in sorted pole order.
    pos: Vec<usize>,
    counts: [usize; 4],
    rho: f64,
}

/// `dlaed2`: deflation of the merge of two solved halves (n1 and n - n1 rows) of the n × n
/// `q` (column-major, leading dimension n), with the rank-one weights `z` (the last row of the
/// first half's vectors, then the first row of the second's) and coupling `rho`. On return the
/// deflated eigenpairs sit in d[k..] / q's columns k.., and the undeflated ones are described
/// by the result.
fn deflate(n: usize, n1: usize, d: &mut [f64], q: &mut [f64], order: &mut [usize], rho: f64, z: &mut [f64]) -> Deflated {
    let n2 = n - n1;
    if rho < 0.0 {
        for v in &mut z[n1..n] {
            *v *= -1.0;
        }
    }
    let t = 1.0 / 2f64.sqrt();
    for v in z.iter_mut() {
        *v *= t;
    }
    let rho = (2.0 * rho).abs();
    for v in &mut order[n1..n] {
        *v += n1;
    }
    let sorted_d: Vec<f64> = order.iter().map(|&o| d[o]).collect();
    let merged = merge_order(n1, n2, &sorted_d, true, true);
    let idx: Vec<usize> = merged.iter().map(|&m| order[m]).collect();
    let zmax = z.iter().fold(0.0f64, |m, v| if v.abs() > m { v.abs() } else { m });
    let dmax = d.iter().fold(0.0f64, |m, v| if v.abs() > m { v.abs() } else { m });
    let tol = 8.0 * EPS * dmax.max(zmax);
    if rho * zmax <= tol {
        // Nothing to merge: reorder into sorted order.
        let mut q2 = vec![0.0; n * n];
        let mut nd = vec![0.0; n];
        for (j, &c) in idx.iter().enumerate() {
            q2[j * n..(j + 1) * n].copy_from_slice(&q[c * n..(c + 1) * n]);
            nd[j] = d[c];
        }
        q[..n * n].copy_from_slice(&q2);
        d[..n].copy_from_slice(&nd);
        return Deflated { k: 0, poles: vec![], weights: vec![], q2: vec![], pos: vec![], counts: [0; 4], rho };
    }
    // Column types: 1 = upper half only, 2 = both (mixed by a rotation), 3 = lower half only,
    // 4 = deflated.
    let mut kind: Vec<u8> = (0..n).map(|j| if j < n1 { 1 } else { 3 }).collect();
    let mut perm = vec![0usize; n];
    let mut poles = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(n);
    let mut k = 0;
    let mut k2 = n;
    let mut prev: Option<usize> = None;
    for &nj in &idx {
        if rho * z[nj].abs() <= tol {
            k2 -= 1;
            kind[nj] = 4;
            perm[k2] = nj;
            continue;
        }
        let Some(pj) = prev else {
            prev = Some(nj);
            continue;
        };
        let tau = hypot2(z[nj], z[pj]);
        let t = d[nj] - d[pj];
        let c = z[nj] / tau;
        let s = -z[pj] / tau;
        if (t * c * s).abs() <= tol {
            // Close poles: rotate the weight of pj onto nj.
            z[nj] = tau;
            z[pj] = 0.0;
            if kind[nj] != kind[pj] {
                kind[nj] = 2;
            }
            kind[pj] = 4;
            let (x, y) = two_cols(q, n, pj, nj);
            drot(x, y, c, s);
            let t = d[pj] * (c * c) + d[nj] * (s * s);
            d[nj] = d[pj] * (s * s) + d[nj] * (c * c);
            d[pj] = t;
            k2 -= 1;
            let mut at = k2;
            while at + 1 < n && d[pj] < d[perm[at + 1]] {
                perm[at] = perm[at + 1];
                at += 1;
            }
            perm[at] = pj;
        } else {
            poles.push(d[pj]);
            weights.push(z[pj]);
            perm[k] = pj;
            k += 1;
        }
        prev = Some(nj);
    }
    let pj = prev.expect("an undeflated pole exists");
    poles.push(d[pj]);
    weights.push(z[pj]);
    perm[k] = pj;
    let mut counts = [0usize; 4];
    for &t in &kind {
        counts[t as usize - 1] += 1;
    }
    let mut next = [0, counts[0], counts[0] + counts[1], counts[0] + counts[1] + counts[2]];
    let k = n - counts[3];
    let mut grouped = vec![0usize; n];
    let mut pos = vec![0usize; n];
    for (j, &js) in perm.iter().enumerate() {
        let t = kind[js] as usize - 1;
        grouped[next[t]] = js;
        pos[next[t]] = j;
        next[t] += 1;
    }
    let n12 = counts[0] + counts[1];
    let n23 = counts[1] + counts[2];
    let mut q2 = vec![0.0; n1 * n12 + n2 * n23 + n * counts[3]];
    let mut dtmp = vec![0.0; n];
    let mut at1 = 0;
    let mut at2 = n1 * n12;
    for (i, &js) in grouped.iter().enumerate() {
        let col = &q[js * n..(js + 1) * n];
        match i {
            _ if i < counts[0] => {
                q2[at1..at1 + n1].copy_from_slice(&col[..n1]);
                at1 += n1;
            }
            _ if i < n12 => {
                q2[at1..at1 + n1].copy_from_slice(&col[..n1]);
                q2[at2..at2 + n2].copy_from_slice(&col[n1..]);
                at1 += n1;
                at2 += n2;
            }
            _ if i < k => {
                q2[at2..at2 + n2].copy_from_slice(&col[n1..]);
                at2 += n2;
            }
            _ => {
                q2[at2..at2 + n].copy_from_slice(col);
                at2 += n;
            }
        }
        dtmp[i] = d[js];
    }
    if k < n {
        let from = n1 * n12 + n2 * n23;
        q[k * n..n * n].copy_from_slice(&q2[from..from + n * (n - k)]);
        d[k..n].copy_from_slice(&dtmp[k..n]);
    }
    pos.truncate(k);
    Deflated { k, poles, weights, q2, pos, counts, rho }
}

/// `dlaed3`: the k undeflated roots into d[..k] and their eigenvectors (in the merged basis,
/// multiplied back by the halves' vectors) into q's first k columns.
fn secular_vectors(n: usize, n1: usize, d: &mut [f64], q: &mut [f64], df: &Deflated) -> Result<(), NoConvergence> {
    let k = df.k;
    if k == 0 {
        return Ok(());
    }
    let poles = &df.poles;
    let mut w = df.weights.clone();
    // Column j of q (first k rows) holds the pole distances of root j.
    for j in 0..k {
        d[j] = secular_root(j, poles, &w, &mut q[j * n..j * n + k], df.rho)?;
    }
    if k == 2 {
        for j in 0..2 {
            let v = [q[j * n], q[j * n + 1]];
            q[j * n] = v[df.pos[0]];
            q[j * n + 1] = v[df.pos[1]];
        }
    } else if k > 2 {
        let signs = w.clone();
        for i in 0..k {
            w[i] = q[i * n + i];
        }
        for j in 0..k {
            for i in (0..j).chain(j + 1..k) {
                w[i] *= q[j * n + i] / (poles[i] - poles[j]);
            }
        }
        for i in 0..k {
            w[i] = (-w[i]).sqrt().copysign(signs[i]);
        }
        let mut s = vec![0.0; k];
        for j in 0..k {
            let col = &mut q[j * n..j * n + k];
            for i in 0..k {
                s[i] = w[i] / col[i];
            }
            let nrm = crate::blas_skx::nrm2(s.iter().copied());
            for i in 0..k {
                col[i] = s[df.pos[i]] / nrm;
            }
        }
    }
    let n2 = n - n1;
    let [c1, c2, c3, _] = df.counts;
    let n12 = c1 + c2;
    let n23 = c2 + c3;
    let mut s = vec![0.0; n23.max(n12) * k];
    for j in 0..k {
        s[j * n23..(j + 1) * n23].copy_from_slice(&q[j * n + c1..j * n + c1 + n23]);
    }
    if n23 != 0 {
        dgemm(Trans::No, Trans::No, n2, k, n23, 1.0, &df.q2[n1 * n12..], n2, &s, n23, 0.0, &mut q[n1..], n);
    } else {
        for j in 0..k {
            q[j * n + n1..(j + 1) * n].fill(0.0);
        }
    }
    for j in 0..k {
        s[j * n12..(j + 1) * n12].copy_from_slice(&q[j * n..j * n + n12]);
    }
    if n12 != 0 {
        dgemm(Trans::No, Trans::No, n1, k, n12, 1.0, &df.q2, n1, &s, n12, 0.0, q, n);
    } else {
        for j in 0..k {
            q[j * n..j * n + n1].fill(0.0);
        }
    }
    Ok(())
}

/// `dlaed1`: merge the solved halves [0, cut) and [cut, n) of the n × n `q` (leading
/// dimension n) coupled by `rho`; `order` (per half, the sorting permutation of its d) becomes
/// the sorting permutation of the merged d.
fn merge(n: usize, cut: usize, d: &mut [f64], q: &mut [f64], order: &mut [usize], rho: f64) -> Result<(), NoConvergence> {
    let mut z = vec![0.0; n];
    for j in 0..cut {
        z[j] = q[j * n + cut - 1];
    }
    for j in cut..n {
        z[j] = q[j * n + cut];
    }
    let df = deflate(n, cut, d, q, order, rho, &mut z);
    if df.k != 0 {
        secular_vectors(n, cut, d, q, &df)?;
        let o = merge_order(df.k, n - df.k, d, true, false);
        order.copy_from_slice(&o);
    } else {
        for (i, o) in order.iter_mut().enumerate() {
            *o = i;
        }
    }
    Ok(())
}

/// `dlaed0` (vectors of the tridiagonal itself): eigenpairs of the unreduced block (d, e) of
/// order n > LEAF, unsorted no more: d ascending, `q` (n × n) the vectors.
fn merge_tree(d: &mut [f64], e: &mut [f64], q: &mut Cm) -> Result<(), NoConvergence> {
    let n = d.len();
    // Leaf sizes: halve (smaller half first) until every piece has at most LEAF rows.
    let mut sizes = vec![n];
    while *sizes.last().unwrap() > LEAF {
        let mut next = Vec::with_capacity(sizes.len() * 2);
        for &s in &sizes {
            next.push(s / 2);
            next.push((s + 1) / 2);
        }
        sizes = next;
    }
    let mut ends: Vec<usize> = sizes
        .iter()
        .scan(0, |acc, &s| {
            *acc += s;
            Some(*acc)
        })
        .collect();
    let mut pieces = ends.len();
    // Tear the matrix apart at each boundary.
    for &b in &ends[..pieces - 1] {
        let t = e[b - 1].abs();
        d[b - 1] -= t;
        d[b] -= t;
    }
    let mut order = vec![0usize; n];
    q.v.fill(0.0);
    for p in 0..pieces {
        let lo = if p == 0 { 0 } else { ends[p - 1] };
        let hi = ends[p];
        let m = hi - lo;
        let mut leaf = Cm::eye(m);
        tridiagonal_ql(&mut d[lo..hi], &mut e[lo..hi - 1], Some(&mut leaf))?;
        for j in 0..m {
            for i in 0..m {
                q.set(lo + i, lo + j, leaf.get(i, j));
            }
            order[lo + j] = j;
        }
    }
    let ldq = q.rows;
    while pieces > 1 {
        for p in (0..pieces - 1).step_by(2) {
            let (lo, size, cut) = if p == 0 { (0, ends[1], ends[0]) } else { (ends[p - 1], ends[p + 1] - ends[p - 1], (ends[p + 1] - ends[p - 1]) / 2) };
            let mut block = vec![0.0; size * size];
            for j in 0..size {
                block[j * size..(j + 1) * size].copy_from_slice(&q.v[(lo + j) * ldq + lo..(lo + j) * ldq + lo + size]);
            }
            merge(size, cut, &mut d[lo..lo + size], &mut block, &mut order[lo..lo + size], e[lo + cut - 1])?;
            for j in 0..size {
                q.v[(lo + j) * ldq + lo..(lo + j) * ldq + lo + size].copy_from_slice(&block[j * size..(j + 1) * size]);
            }
            ends[p / 2] = ends[p + 1];
        }
        pieces /= 2;
    }
    // Apply the final sorting permutation.
    let old_d = d.to_vec();
    let old_q = q.v.clone();
    for (i, &j) in order.iter().enumerate() {
        d[i] = old_d[j];
        q.v[i * ldq..(i + 1) * ldq].copy_from_slice(&old_q[j * ldq..(j + 1) * ldq]);
    }
    Ok(())
}

/// `dstedc` with COMPZ = 'I': the eigenvalues (ascending, into `d`) and eigenvectors (the
/// columns of the returned n × n matrix) of the symmetric tridiagonal matrix with diagonal `d`
/// and off-diagonal `e` (destroyed).
pub fn stedc(d: &mut [f64], e: &mut [f64]) -> Result<Cm, NoConvergence> {
    let n = d.len();
    let mut z = Cm::eye(n);
    if n <= 1 {
        return Ok(z);
    }
    if n <= LEAF {
        tridiagonal_ql(d, e, Some(&mut z))?;
        return Ok(z);
    }
    if max_abs(d, &e[..n - 1]) == 0.0 {
        return Ok(z);
    }
    let mut start = 0;
    while start < n {
        let mut finish = start;
        while finish < n - 1 {
            let tiny = EPS * d[finish].abs().sqrt() * d[finish + 1].abs().sqrt();
            if e[finish].abs() > tiny {
                finish += 1;
            } else {
                break;
            }
        }
        let m = finish - start + 1;
        if m > 1 {
            let ds = &mut d[start..=finish];
            let es = &mut e[start..finish];
            let mut block = Cm::eye(m);
            if m > LEAF {
                let nrm = max_abs(ds, es);
                rescale(nrm, 1.0, ds);
                rescale(nrm, 1.0, es);
                merge_tree(ds, es, &mut block)?;
                rescale(1.0, nrm, ds);
            } else {
                tridiagonal_ql(ds, es, Some(&mut block))?;
            }
            for j in 0..m {
                for i in 0..m {
                    z.set(start + i, start + j, block.get(i, j));
                }
            }
        }
        start = finish + 1;
    }
    crate::lapack_small::sort_increasing(d, |i, k| z.swap_cols(i, k));
    Ok(z)
}
