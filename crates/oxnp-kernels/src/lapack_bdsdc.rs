//! The divide-and-conquer branch of `dbdsdc('U' | 'L', 'I')`, which NumPy's `dgesdd` runs for a
//! bidiagonal of order above 25, with the operation order of the reference LAPACK routines
//! (compiled without FMA contraction) and the BLAS calls (`drot`, `dnrm2`, `dgemm`) rounded as
//! NumPy's OpenBLAS rounds them on a SkylakeX core:
//!
//! - the scaling by the largest entry, the split at negligible off-diagonals, and for each piece
//!   the recursion tree of `dlasdt` (`tree`);
//! - the leaves by the QR sweeps of `dlasdq` (`leaf`, including the (n+1)-column case);
//! - the merges of `dlasd1` (`merge`): deflation (`deflate`, `dlasd2`), the secular equation
//!   root by root (`secular_root`, `dlasd4`, with `dlasd5` and `dlaed6` from
//!   [`crate::lapack_stedc`]) and the updated
//!   singular vectors (`merge_vectors`, `dlasd3`);
//! - the final selection sort of `dbdsdc`.
//!
//! Matrices are column-major with an explicit leading dimension, as LAPACK sees them: `U` holds
//! the left vectors in its columns, `VT` the right vectors in its rows.

use crate::blas_skx::nrm2;
use crate::gemm_skx::{dgemm, Trans};
use crate::lapack_small::{bidiagonal_qr, givens, hypot2, lower_to_upper, sort_increasing, Cm, NoConvergence, EPS, SAFMIN};
use crate::lapack_stedc::three_pole_step;

/// `dbdsdc` solves orders up to this with `dlasdq` alone (ILAENV's SMLSIZ).
pub(crate) const LEAF: usize = 25;

/// `x ← x·(to/from)` in the steps `dlascl('G')` takes to avoid over/underflow.
pub(crate) fn rescale(x: &mut [f64], from: f64, to: f64) {
    let small = SAFMIN;
    let big = 1.0 / small;
    let (mut cf, mut ct) = (from, to);
    loop {
        let cf_small = cf * small;
        let (mul, last);
        if cf_small == cf {
            mul = ct / cf;
            last = true;
        } else {
            let ct_small = ct / big;
            if ct_small == ct {
                mul = ct;
                last = true;
                cf = 1.0;
            } else if cf_small.abs() > ct.abs() && ct != 0.0 {
                mul = small;
                last = false;
                cf = cf_small;
            } else if ct_small.abs() > cf.abs() {
                mul = big;
                last = false;
                ct = ct_small;
            } else {
                mul = ct / cf;
                last = true;
                if mul == 1.0 {
                    return;
                }
            }
        }
        for v in x.iter_mut() {
            *v *= mul;
        }
        if last {
            return;
        }
    }
}

/// OpenBLAS's `drot` on two strided vectors: x ← c·x + s·y, y ← c·y − s·x, the second product
/// of each rounded first and the first fused on.
#[allow(clippy::too_many_arguments)]
fn drot(v: &mut [f64], n: usize, x0: usize, y0: usize, inc: usize, c: f64, s: f64) {
    for t in 0..n {
        let (ix, iy) = (x0 + t * inc, y0 + t * inc);
        let (x, y) = (v[ix], v[iy]);
        v[ix] = c.mul_add(x, s * y);
        v[iy] = c.mul_add(y, -(s * x));
    }
}

/// `dlamrg`: the 1-based positions that merge the sorted runs a[..n1] and a[n1..n1+n2] into
/// ascending order; each run ascending (`up`) or descending.
fn merge_order(n1: usize, n2: usize, a: &[f64], up1: bool, up2: bool) -> Vec<usize> {
    let mut out = Vec::with_capacity(n1 + n2);
    let (mut left1, mut left2) = (n1, n2);
    let mut p1 = if up1 { 1isize } else { n1 as isize };
    let mut p2 = if up2 { n1 as isize + 1 } else { (n1 + n2) as isize };
    let (s1, s2) = (if up1 { 1 } else { -1 }, if up2 { 1 } else { -1 });
    while left1 > 0 && left2 > 0 {
        if a[p1 as usize - 1] <= a[p2 as usize - 1] {
            out.push(p1 as usize);
            p1 += s1;
            left1 -= 1;
        } else {
            out.push(p2 as usize);
            p2 += s2;
            left2 -= 1;
        }
    }
    for _ in 0..left2 {
        out.push(p2 as usize);
        p2 += s2;
    }
    for _ in 0..left1 {
        out.push(p1 as usize);
        p1 += s1;
    }
    out
}

// ---- the secular equation ------------------------------------------------------------------

/// `dlasd5`: the i-th (1 or 2) root of the 2 × 2 secular equation. Returns sigma; `delta` gets
/// d_j − sigma and `work` d_j + sigma.
fn secular_root2(i: usize, d: &[f64], z: &[f64], delta: &mut [f64], rho: f64, work: &mut [f64]) -> f64 {
    let del = d[1] - d[0];
    let delsq = del * (d[1] + d[0]);
    let upper_root = |delta: &mut [f64], work: &mut [f64], tau: f64| {
        let tau = tau / (d[1] + (d[1] * d[1] + tau).abs().sqrt());
        delta[0] = -(del + tau);
        delta[1] = -tau;
        work[0] = d[0] + tau + d[1];
        work[1] = 2.0 * d[1] + tau;
        d[1] + tau
    };
    if i == 1 {
        let w = 1.0 + 4.0 * rho * (z[1] * z[1] / (d[0] + 3.0 * d[1]) - z[0] * z[0] / (3.0 * d[0] + d[1])) / del;
        if w > 0.0 {
            let b = delsq + rho * (z[0] * z[0] + z[1] * z[1]);
            let c = rho * z[0] * z[0] * delsq;
            let tau = 2.0 * c / (b + (b * b - 4.0 * c).abs().sqrt());
            let tau = tau / (d[0] + (d[0] * d[0] + tau).sqrt());
            delta[0] = -tau;
            delta[1] = del - tau;
            work[0] = 2.0 * d[0] + tau;
            work[1] = (d[0] + tau) + d[1];
            d[0] + tau
        } else {
            let b = -delsq + rho * (z[0] * z[0] + z[1] * z[1]);
            let c = rho * z[1] * z[1] * delsq;
            let tau = if b > 0.0 { -2.0 * c / (b + (b * b + 4.0 * c).sqrt()) } else { (b - (b * b + 4.0 * c).sqrt()) / 2.0 };
            upper_root(delta, work, tau)
        }
    } else {
        let b = -delsq + rho * (z[0] * z[0] + z[1] * z[1]);
        let c = rho * z[1] * z[1] * delsq;
        let tau = if b > 0.0 { (b + (b * b + 4.0 * c).sqrt()) / 2.0 } else { 2.0 * c / (-b + (b * b + 4.0 * c).sqrt()) };
        // dlasd5 takes no absolute value under this root (the argument is positive).
        let tau = tau / (d[1] + (d[1] * d[1] + tau).sqrt());
        delta[0] = -(del + tau);
        delta[1] = -tau;
        work[0] = d[0] + tau + d[1];
        work[1] = 2.0 * d[1] + tau;
        d[1] + tau
    }
}

/// Sums over the poles below and above the working origin: (psi, dpsi, phi, dphi, erretm) of
/// `dlasd4` (`lo` = 1..lo_end ascending, then `hi_start`..=n descending, 1-based).
#[inline]
fn pole_sums(z: &[f64], delta: &[f64], work: &[f64], lo_end: usize, hi_start: usize, n: usize, work_first: bool) -> (f64, f64, f64, f64, f64) {
    let (mut psi, mut dpsi, mut erretm) = (0.0, 0.0, 0.0);
    for j in 1..=lo_end {
        let den = if work_first { work[j - 1] * delta[j - 1] } else { delta[j - 1] * work[j - 1] };
        let t = z[j - 1] / den;
        psi += z[j - 1] * t;
        dpsi += t * t;
        erretm += psi;
    }
    let mut erretm = erretm.abs();
    let (mut phi, mut dphi) = (0.0, 0.0);
    for j in (hi_start..=n).rev() {
        let t = z[j - 1] / (work[j - 1] * delta[j - 1]);
        phi += z[j - 1] * t;
        dphi += t * t;
        erretm += phi;
    }
    (psi, dpsi, phi, dphi, erretm)
}

/// `dlasd4`: the i-th (1-based) root sigma of the secular equation
/// 1/rho + Σ z_j² / ((d_j − sigma)(d_j + sigma)) = 0 for ascending d and ‖z‖ = 1. `delta`
/// gets d_j − sigma, `work` d_j + sigma. Err when the iteration does not converge.
#[allow(clippy::too_many_arguments)]
pub(crate) fn secular_root(n: usize, i: usize, d: &[f64], z: &[f64], delta: &mut [f64], rho: f64, work: &mut [f64]) -> Result<f64, NoConvergence> {
    const MAXIT: usize = 400;
    if n == 1 {
        delta[0] = 1.0;
        work[0] = 1.0;
        return Ok((d[0] * d[0] + rho * z[0] * z[0]).sqrt());
    }
    if n == 2 {
        return Ok(secular_root2(i, d, z, delta, rho, work));
    }
    let eps = EPS;
    let rhoinv = 1.0 / rho;
    let dd = |j: usize| d[j - 1];
    let zz = |j: usize| z[j - 1];

    if i == n {
        // The largest root, beyond d(n).
        let ii = n - 1;
        let temp = rho / 2.0;
        let temp1 = temp / (dd(n) + (dd(n) * dd(n) + temp).sqrt());
        for j in 1..=n {
            work[j - 1] = dd(j) + dd(n) + temp1;
            delta[j - 1] = (dd(j) - dd(n)) - temp1;
        }
        let mut psi = 0.0;
        for j in 1..=n - 2 {
            psi += zz(j) * zz(j) / (delta[j - 1] * work[j - 1]);
        }
        let c = rhoinv + psi;
        let w = c + zz(ii) * zz(ii) / (delta[ii - 1] * work[ii - 1]) + zz(n) * zz(n) / (delta[n - 1] * work[n - 1]);
        let tau;
        if w <= 0.0 {
            let t1 = (dd(n) * dd(n) + rho).sqrt();
            let t = zz(n - 1) * zz(n - 1) / ((dd(n - 1) + t1) * (dd(n) - dd(n - 1) + rho / (dd(n) + t1))) + zz(n) * zz(n) / rho;
            if c <= t {
                tau = rho;
            } else {
                let delsq = (dd(n) - dd(n - 1)) * (dd(n) + dd(n - 1));
                let a = -c * delsq + zz(n - 1) * zz(n - 1) + zz(n) * zz(n);
                let b = zz(n) * zz(n) * delsq;
                let tau2 = if a < 0.0 { 2.0 * b / ((a * a + 4.0 * b * c).sqrt() - a) } else { (a + (a * a + 4.0 * b * c).sqrt()) / (2.0 * c) };
                tau = tau2 / (dd(n) + (dd(n) * dd(n) + tau2).sqrt());
            }
        } else {
            let delsq = (dd(n) - dd(n - 1)) * (dd(n) + dd(n - 1));
            let a = -c * delsq + zz(n - 1) * zz(n - 1) + zz(n) * zz(n);
            let b = zz(n) * zz(n) * delsq;
            let tau2 = if a < 0.0 { 2.0 * b / ((a * a + 4.0 * b * c).sqrt() - a) } else { (a + (a * a + 4.0 * b * c).sqrt()) / (2.0 * c) };
            tau = tau2 / (dd(n) + (dd(n) * dd(n) + tau2).sqrt());
        }
        let mut sigma = dd(n) + tau;
        for j in 1..=n {
            delta[j - 1] = (dd(j) - dd(n)) - tau;
            work[j - 1] = dd(j) + dd(n) + tau;
        }
        // psi over 1..ii (delta·work order here), phi from the last pole.
        let (psi, mut dpsi, _, _, mut erretm) = pole_sums(z, delta, work, ii, n + 1, n, false);
        let t = zz(n) / (delta[n - 1] * work[n - 1]);
        let phi = zz(n) * t;
        let mut dphi = t * t;
        erretm = 8.0 * (-phi - psi) + erretm - phi + rhoinv;
        let mut w = rhoinv + phi + psi;
        if w.abs() <= eps * erretm {
            return Ok(sigma);
        }
        // First step.
        let dtnsq1 = work[n - 2] * delta[n - 2];
        let dtnsq = work[n - 1] * delta[n - 1];
        let mut c = w - dtnsq1 * dpsi - dtnsq * dphi;
        let a = (dtnsq + dtnsq1) * w - dtnsq * dtnsq1 * (dpsi + dphi);
        let b = dtnsq * dtnsq1 * w;
        if c < 0.0 {
            c = c.abs();
        }
        let mut eta = if c == 0.0 {
            rho - sigma * sigma
        } else if a >= 0.0 {
            (a + (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
        } else {
            2.0 * b / (a - (a * a - 4.0 * b * c).abs().sqrt())
        };
        if w * eta > 0.0 {
            eta = -w / (dpsi + dphi);
        }
        if eta - dtnsq > rho {
            eta = rho + dtnsq;
        }
        eta /= sigma + (eta + sigma * sigma).sqrt();
        let mut _tau = tau + eta;
        sigma += eta;
        for j in 0..n {
            delta[j] -= eta;
            work[j] += eta;
        }
        let step = |delta: &[f64], work: &[f64]| {
            let (psi, dpsi, _, _, erretm) = pole_sums(z, delta, work, ii, n + 1, n, true);
            let tau2 = work[n - 1] * delta[n - 1];
            let t = zz(n) / tau2;
            let phi = zz(n) * t;
            let dphi = t * t;
            let erretm = 8.0 * (-phi - psi) + erretm - phi + rhoinv;
            (psi, dpsi, phi, dphi, erretm, rhoinv + phi + psi)
        };
        (_, dpsi, _, dphi, erretm, w) = step(delta, work);
        for _ in 3..=MAXIT {
            if w.abs() <= eps * erretm {
                return Ok(sigma);
            }
            let dtnsq1 = work[n - 2] * delta[n - 2];
            let dtnsq = work[n - 1] * delta[n - 1];
            let c = w - dtnsq1 * dpsi - dtnsq * dphi;
            let a = (dtnsq + dtnsq1) * w - dtnsq1 * dtnsq * (dpsi + dphi);
            let b = dtnsq1 * dtnsq * w;
            let mut eta = if a >= 0.0 {
                (a + (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
            } else {
                2.0 * b / (a - (a * a - 4.0 * b * c).abs().sqrt())
            };
            if w * eta > 0.0 {
                eta = -w / (dpsi + dphi);
            }
            if eta - dtnsq <= 0.0 {
                eta /= 2.0;
            }
            eta /= sigma + (eta + sigma * sigma).sqrt();
            _tau += eta;
            sigma += eta;
            for j in 0..n {
                delta[j] -= eta;
                work[j] += eta;
            }
            (_, dpsi, _, dphi, erretm, w) = step(delta, work);
        }
        return Err(NoConvergence);
    }

    // 1 ≤ i < n: the root lies between d(i) and d(i+1).
    let ip1 = i + 1;
    let delsq = (dd(ip1) - dd(i)) * (dd(ip1) + dd(i));
    let delsq2 = delsq / 2.0;
    let sq2 = ((dd(i) * dd(i) + dd(ip1) * dd(ip1)) / 2.0).sqrt();
    let temp = delsq2 / (dd(i) + sq2);
    for j in 1..=n {
        work[j - 1] = dd(j) + dd(i) + temp;
        delta[j - 1] = (dd(j) - dd(i)) - temp;
    }
    let mut psi = 0.0;
    for j in 1..i {
        psi += zz(j) * zz(j) / (work[j - 1] * delta[j - 1]);
    }
    let mut phi = 0.0;
    for j in (i + 2..=n).rev() {
        phi += zz(j) * zz(j) / (work[j - 1] * delta[j - 1]);
    }
    let c = rhoinv + psi + phi;
    let w = c + zz(i) * zz(i) / (work[i - 1] * delta[i - 1]) + zz(ip1) * zz(ip1) / (work[ip1 - 1] * delta[ip1 - 1]);
    let mut geomavg = false;
    let orgati;
    let ii;
    let (mut sglb, mut sgub);
    let mut tau;
    if w > 0.0 {
        // Origin at d(i).
        orgati = true;
        ii = i;
        sglb = 0.0;
        sgub = delsq2 / (dd(i) + sq2);
        let a = c * delsq + zz(i) * zz(i) + zz(ip1) * zz(ip1);
        let b = zz(i) * zz(i) * delsq;
        let tau2 = if a > 0.0 { 2.0 * b / (a + (a * a - 4.0 * b * c).abs().sqrt()) } else { (a - (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c) };
        tau = tau2 / (dd(i) + (dd(i) * dd(i) + tau2).sqrt());
        let t = eps.sqrt();
        if dd(i) <= t * dd(ip1) && zz(i).abs() <= t && dd(i) > 0.0 {
            tau = (10.0 * dd(i)).min(sgub);
            geomavg = true;
        }
    } else {
        // Origin at d(i+1).
        orgati = false;
        ii = ip1;
        sglb = -delsq2 / (dd(ii) + sq2);
        sgub = 0.0;
        let a = c * delsq - zz(i) * zz(i) - zz(ip1) * zz(ip1);
        let b = zz(ip1) * zz(ip1) * delsq;
        let tau2 = if a < 0.0 { 2.0 * b / (a - (a * a + 4.0 * b * c).abs().sqrt()) } else { -(a + (a * a + 4.0 * b * c).abs().sqrt()) / (2.0 * c) };
        tau = tau2 / (dd(ip1) + (dd(ip1) * dd(ip1) + tau2).abs().sqrt());
    }
    let mut sigma = dd(ii) + tau;
    for j in 1..=n {
        work[j - 1] = dd(j) + dd(ii) + tau;
        delta[j - 1] = (dd(j) - dd(ii)) - tau;
    }
    let iim1 = ii - 1;
    let iip1 = ii + 1;
    let (mut psi, mut dpsi, mut phi, mut dphi, mut erretm) = pole_sums(z, delta, work, iim1, iip1, n, true);
    let mut w = rhoinv + phi + psi;
    let mut swtch3 = if orgati { w < 0.0 } else { w > 0.0 };
    if ii == 1 || ii == n {
        swtch3 = false;
    }
    let t = zz(ii) / (work[ii - 1] * delta[ii - 1]);
    let mut dw = dpsi + dphi + t * t;
    let t = zz(ii) * t;
    w += t;
    erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * t.abs();
    if w.abs() <= eps * erretm {
        return Ok(sigma);
    }
    if w <= 0.0 {
        sglb = sglb.max(tau);
    } else {
        sgub = sgub.min(tau);
    }

    // The two-pole step (`swtch` = the "switched" form of c).
    let two_pole = |w: f64, dw: f64, dpsi: &mut f64, dphi: &mut f64, swtch: bool, work: &[f64], delta: &[f64]| -> f64 {
        let dtipsq = work[ip1 - 1] * delta[ip1 - 1];
        let dtisq = work[i - 1] * delta[i - 1];
        let c = if !swtch {
            if orgati {
                let q = zz(i) / dtisq;
                w - dtipsq * dw + delsq * (q * q)
            } else {
                let q = zz(ip1) / dtipsq;
                w - dtisq * dw - delsq * (q * q)
            }
        } else {
            let t = zz(ii) / (work[ii - 1] * delta[ii - 1]);
            if orgati {
                *dpsi += t * t;
            } else {
                *dphi += t * t;
            }
            w - dtisq * *dpsi - dtipsq * *dphi
        };
        let mut a = (dtipsq + dtisq) * w - dtipsq * dtisq * dw;
        let b = dtipsq * dtisq * w;
        if c == 0.0 {
            if a == 0.0 {
                a = if !swtch {
                    if orgati {
                        zz(i) * zz(i) + dtipsq * dtipsq * (*dpsi + *dphi)
                    } else {
                        zz(ip1) * zz(ip1) + dtisq * dtisq * (*dpsi + *dphi)
                    }
                } else {
                    dtisq * dtisq * *dpsi + dtipsq * dtipsq * *dphi
                };
            }
            b / a
        } else if a <= 0.0 {
            (a - (a * a - 4.0 * b * c).abs().sqrt()) / (2.0 * c)
        } else {
            2.0 * b / (a + (a * a - 4.0 * b * c).abs().sqrt())
        }
    };

    let mut swtch = false;
    let mut first = true;
    let mut niter = 2usize;
    loop {
        if !first {
            if w.abs() <= eps * erretm {
                return Ok(sigma);
            }
            if w <= 0.0 {
                sglb = sglb.max(tau);
            } else {
                sgub = sgub.min(tau);
            }
        }
        let mut eta;
        if !swtch3 {
            eta = two_pole(w, dw, &mut dpsi, &mut dphi, swtch, work, delta);
        } else {
            // Three poles.
            let dtiim = work[iim1 - 1] * delta[iim1 - 1];
            let dtiip = work[iip1 - 1] * delta[iip1 - 1];
            let temp = rhoinv + psi + phi;
            let c;
            let mut zz3 = [0.0; 3];
            if swtch {
                c = temp - dtiim * dpsi - dtiip * dphi;
                zz3[0] = dtiim * dtiim * dpsi;
                zz3[2] = dtiip * dtiip * dphi;
            } else if orgati {
                let t1 = zz(iim1) / dtiim;
                let t1 = t1 * t1;
                c = if first {
                    (temp - dtiip * (dpsi + dphi)) - (dd(iim1) - dd(iip1)) * (dd(iim1) + dd(iip1)) * t1
                } else {
                    let t2 = (dd(iim1) - dd(iip1)) * (dd(iim1) + dd(iip1)) * t1;
                    temp - dtiip * (dpsi + dphi) - t2
                };
                zz3[0] = zz(iim1) * zz(iim1);
                zz3[2] = if dpsi < t1 { dtiip * dtiip * dphi } else { dtiip * dtiip * ((dpsi - t1) + dphi) };
            } else {
                let t1 = zz(iip1) / dtiip;
                let t1 = t1 * t1;
                c = if first {
                    (temp - dtiim * (dpsi + dphi)) - (dd(iip1) - dd(iim1)) * (dd(iim1) + dd(iip1)) * t1
                } else {
                    let t2 = (dd(iip1) - dd(iim1)) * (dd(iim1) + dd(iip1)) * t1;
                    temp - dtiim * (dpsi + dphi) - t2
                };
                zz3[0] = if dphi < t1 { dtiim * dtiim * dpsi } else { dtiim * dtiim * (dpsi + (dphi - t1)) };
                zz3[2] = zz(iip1) * zz(iip1);
            }
            zz3[1] = zz(ii) * zz(ii);
            let dd3 = [dtiim, delta[ii - 1] * work[ii - 1], dtiip];
            eta = match three_pole_step(niter == 2, orgati, c, &dd3, zz3, w) {
                Ok(e) => e,
                Err(_) => {
                    swtch3 = false;
                    two_pole(w, dw, &mut dpsi, &mut dphi, swtch, work, delta)
                }
            };
        }
        if w * eta >= 0.0 {
            eta = -w / dw;
        }
        eta /= sigma + (sigma * sigma + eta).sqrt();
        let t = tau + eta;
        if t > sgub || t < sglb {
            eta = if w < 0.0 { (sgub - tau) / 2.0 } else { (sglb - tau) / 2.0 };
            if geomavg {
                if w < 0.0 {
                    if tau > 0.0 {
                        eta = (sgub * tau).sqrt() - tau;
                    }
                } else if sglb > 0.0 {
                    eta = (sglb * tau).sqrt() - tau;
                }
            }
        }
        let prew = w;
        tau += eta;
        sigma += eta;
        for j in 0..n {
            work[j] += eta;
            delta[j] -= eta;
        }
        (psi, dpsi, phi, dphi, erretm) = pole_sums(z, delta, work, iim1, iip1, n, true);
        let tau2 = work[ii - 1] * delta[ii - 1];
        let t = zz(ii) / tau2;
        dw = dpsi + dphi + t * t;
        let t = zz(ii) * t;
        w = rhoinv + phi + psi + t;
        erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * t.abs();
        if first {
            swtch = if orgati { -w > prew.abs() / 10.0 } else { w > prew.abs() / 10.0 };
            first = false;
        } else if w * prew > 0.0 && w.abs() > prew.abs() / 10.0 {
            swtch = !swtch;
        }
        niter += 1;
        if niter > MAXIT {
            return Err(NoConvergence);
        }
    }
}

// ---- merging two halves --------------------------------------------------------------------

/// Position of the 1-based element (i, j) in a column-major array with leading dimension `ld`.
#[inline(always)]
fn at(i: usize, j: usize, ld: usize) -> usize {
    (i - 1) + (j - 1) * ld
}

/// The workspace of one merge (`dlasd2` → `dlasd3`); vectors are 1-based (slot 0 unused).
struct MergeWork {
    z: Vec<f64>,
    dsigma: Vec<f64>,
    u2: Vec<f64>,
    vt2: Vec<f64>,
    idxc: Vec<usize>,
    ctot: [usize; 4],
}

/// `dlasd2`: builds z from the halves' vectors, sorts, and deflates (tiny z entries, and close
/// singular values by a rotation), leaving the k non-deflated values in `dsigma[1..=k]`, the
/// deflated ones at the back of d, U and VT, and U2 / VT2 holding the vectors in
/// (upper-only, lower-only, dense, deflated) column groups. Returns k.
#[allow(clippy::too_many_arguments)]
fn deflate(nl: usize, nr: usize, sqre: usize, d: &mut [f64], alpha: f64, beta: f64, u: &mut [f64], ldu: usize, vt: &mut [f64], ldvt: usize, idxq: &mut [usize], w: &mut MergeWork) -> usize {
    let n = nl + nr + 1;
    let m = n + sqre;
    let (nlp1, nlp2) = (nl + 1, nl + 2);
    let (ldu2, ldvt2) = (n, m);
    let z = &mut w.z;
    let dsigma = &mut w.dsigma;
    let u2 = &mut w.u2;
    let vt2 = &mut w.vt2;
    let idxc = &mut w.idxc;
    let mut coltyp = vec![0usize; n + 1];
    let mut idxp = vec![0usize; n + 1];
    let mut idx = vec![0usize; n + 1];

    let z1 = alpha * vt[at(nlp1, nlp1, ldvt)];
    z[1] = z1;
    for i in (1..=nl).rev() {
        z[i + 1] = alpha * vt[at(i, nlp1, ldvt)];
        d[i + 1] = d[i];
        idxq[i + 1] = idxq[i] + 1;
    }
    for i in nlp2..=m {
        z[i] = beta * vt[at(i, nlp2, ldvt)];
    }
    for c in coltyp.iter_mut().take(nlp1 + 1).skip(2) {
        *c = 1;
    }
    for c in coltyp.iter_mut().take(n + 1).skip(nlp2) {
        *c = 2;
    }
    for q in idxq.iter_mut().take(n + 1).skip(nlp2) {
        *q += nlp1;
    }
    for i in 2..=n {
        dsigma[i] = d[idxq[i]];
        u2[at(i, 1, ldu2)] = z[idxq[i]];
        idxc[i] = coltyp[idxq[i]];
    }
    let order = merge_order(nl, nr, &dsigma[2..], true, true);
    for (t, &o) in order.iter().enumerate() {
        idx[t + 2] = o;
    }
    for i in 2..=n {
        let idxi = 1 + idx[i];
        d[i] = dsigma[idxi];
        z[i] = u2[at(idxi, 1, ldu2)];
        coltyp[i] = idxc[idxi];
    }

    let tol = alpha.abs().max(beta.abs());
    let tol = 8.0 * EPS * d[n].abs().max(tol);

    let mut k = 1usize;
    let mut k2 = n + 1;
    let mut jprev = 0usize;
    let mut all_deflated = false;
    for j in 2..=n {
        if z[j].abs() <= tol {
            k2 -= 1;
            idxp[k2] = j;
            coltyp[j] = 4;
            if j == n {
                all_deflated = true;
                break;
            }
        } else {
            jprev = j;
            break;
        }
    }
    if !all_deflated {
        let mut j = jprev;
        loop {
            j += 1;
            if j > n {
                break;
            }
            if z[j].abs() <= tol {
                k2 -= 1;
                idxp[k2] = j;
                coltyp[j] = 4;
            } else if (d[j] - d[jprev]).abs() <= tol {
                let s = z[jprev];
                let c = z[j];
                let tau = hypot2(c, s);
                let c = c / tau;
                let s = -s / tau;
                z[j] = tau;
                z[jprev] = 0.0;
                let mut idxjp = idxq[idx[jprev] + 1];
                let mut idxj = idxq[idx[j] + 1];
                if idxjp <= nlp1 {
                    idxjp -= 1;
                }
                if idxj <= nlp1 {
                    idxj -= 1;
                }
                drot(u, n, at(1, idxjp, ldu), at(1, idxj, ldu), 1, c, s);
                drot(vt, m, at(idxjp, 1, ldvt), at(idxj, 1, ldvt), ldvt, c, s);
                if coltyp[j] != coltyp[jprev] {
                    coltyp[j] = 3;
                }
                coltyp[jprev] = 4;
                k2 -= 1;
                idxp[k2] = jprev;
                jprev = j;
            } else {
                k += 1;
                u2[at(k, 1, ldu2)] = z[jprev];
                dsigma[k] = d[jprev];
                idxp[k] = jprev;
                jprev = j;
            }
        }
        k += 1;
        u2[at(k, 1, ldu2)] = z[jprev];
        dsigma[k] = d[jprev];
        idxp[k] = jprev;
    }

    let mut ctot = [0usize; 4];
    for &ct in coltyp.iter().take(n + 1).skip(2) {
        ctot[ct - 1] += 1;
    }
    let mut psm = [2, 2 + ctot[0], 2 + ctot[0] + ctot[1], 2 + ctot[0] + ctot[1] + ctot[2]];
    for j in 2..=n {
        let ct = coltyp[idxp[j]];
        idxc[psm[ct - 1]] = j;
        psm[ct - 1] += 1;
    }
    for j in 2..=n {
        dsigma[j] = d[idxp[j]];
        let mut idxj = idxq[idx[idxp[idxc[j]]] + 1];
        if idxj <= nlp1 {
            idxj -= 1;
        }
        for r in 1..=n {
            u2[at(r, j, ldu2)] = u[at(r, idxj, ldu)];
        }
        for cidx in 1..=m {
            vt2[at(j, cidx, ldvt2)] = vt[at(idxj, cidx, ldvt)];
        }
    }

    dsigma[1] = 0.0;
    let hlftol = tol / 2.0;
    if dsigma[2].abs() <= hlftol {
        dsigma[2] = hlftol;
    }
    let (mut c, mut s) = (1.0, 0.0);
    if m > n {
        z[1] = hypot2(z1, z[m]);
        if z[1] <= tol {
            c = 1.0;
            s = 0.0;
            z[1] = tol;
        } else {
            c = z1 / z[1];
            s = z[m] / z[1];
        }
    } else if z1.abs() <= tol {
        z[1] = tol;
    } else {
        z[1] = z1;
    }
    for t in 2..=k {
        z[t] = u2[at(t, 1, ldu2)];
    }
    for r in 1..=n {
        u2[at(r, 1, ldu2)] = 0.0;
    }
    u2[at(nlp1, 1, ldu2)] = 1.0;
    if m > n {
        for i in 1..=nlp1 {
            let x = vt[at(nlp1, i, ldvt)];
            vt[at(m, i, ldvt)] = -s * x;
            vt2[at(1, i, ldvt2)] = c * x;
        }
        for i in nlp2..=m {
            let x = vt[at(m, i, ldvt)];
            vt2[at(1, i, ldvt2)] = s * x;
            vt[at(m, i, ldvt)] = c * x;
        }
    } else {
        for i in 1..=m {
            vt2[at(1, i, ldvt2)] = vt[at(nlp1, i, ldvt)];
        }
    }
    if m > n {
        for i in 1..=m {
            vt2[at(m, i, ldvt2)] = vt[at(m, i, ldvt)];
        }
    }
    if n > k {
        for t in k + 1..=n {
            d[t] = dsigma[t];
        }
        for cidx in k + 1..=n {
            for r in 1..=n {
                u[at(r, cidx, ldu)] = u2[at(r, cidx, ldu2)];
            }
        }
        for cidx in 1..=m {
            for r in k + 1..=n {
                vt[at(r, cidx, ldvt)] = vt2[at(r, cidx, ldvt2)];
            }
        }
    }
    w.ctot = ctot;
    k
}

/// `dlasd3`: the k new singular values (roots of the secular equation), then the singular
/// vectors from them, rotated back by U2 / VT2 with `dgemm`.
#[allow(clippy::too_many_arguments)]
fn merge_vectors(nl: usize, nr: usize, sqre: usize, k: usize, d: &mut [f64], u: &mut [f64], ldu: usize, vt: &mut [f64], ldvt: usize, w: &mut MergeWork) -> Result<(), NoConvergence> {
    let n = nl + nr + 1;
    let m = n + sqre;
    let (nlp1, nlp2) = (nl + 1, nl + 2);
    let (ldu2, ldvt2) = (n, m);
    let MergeWork { z, dsigma, u2, vt2, idxc, ctot } = w;
    if k == 1 {
        d[1] = z[1].abs();
        for i in 1..=m {
            vt[at(1, i, ldvt)] = vt2[at(1, i, ldvt2)];
        }
        let neg = !(z[1] > 0.0);
        for r in 1..=n {
            let x = u2[at(r, 1, ldu2)];
            u[at(r, 1, ldu)] = if neg { -x } else { x };
        }
        return Ok(());
    }
    // (2·x − x is x on binary machines: dsigma stays as it is.)
    let ldq = k;
    let mut q = vec![0.0; k * k];
    q[..k].copy_from_slice(&z[1..=k]);
    let rho = nrm2(z[1..=k].iter().copied());
    rescale(&mut z[1..=k], rho, 1.0);
    let rho = rho * rho;

    // The roots; column j of `dl` / `wk` gets dsigma_i − sigma_j / dsigma_i + sigma_j.
    let mut dl = vec![0.0; k * k];
    let mut wk = vec![0.0; k * k];
    for j in 1..=k {
        d[j] = secular_root(k, j, &dsigma[1..=k], &z[1..=k], &mut dl[(j - 1) * k..j * k], rho, &mut wk[(j - 1) * k..j * k])?;
    }
    let ds = |i: usize| dsigma[i];
    for i in 1..=k {
        let mut zi = dl[at(i, k, k)] * wk[at(i, k, k)];
        for j in 1..i {
            zi *= dl[at(i, j, k)] * wk[at(i, j, k)] / (ds(i) - ds(j)) / (ds(i) + ds(j));
        }
        for j in i..k {
            zi *= dl[at(i, j, k)] * wk[at(i, j, k)] / (ds(i) - ds(j + 1)) / (ds(i) + ds(j + 1));
        }
        z[i] = zi.abs().sqrt().copysign(q[i - 1]);
    }
    // Left vectors of the secular problem (in `dl`), the right ones' pieces in `wk`.
    for i in 1..=k {
        wk[at(1, i, k)] = z[1] / dl[at(1, i, k)] / wk[at(1, i, k)];
        dl[at(1, i, k)] = -1.0;
        for j in 2..=k {
            wk[at(j, i, k)] = z[j] / dl[at(j, i, k)] / wk[at(j, i, k)];
            dl[at(j, i, k)] = ds(j) * wk[at(j, i, k)];
        }
        let temp = nrm2(dl[(i - 1) * k..i * k].iter().copied());
        q[at(1, i, ldq)] = dl[at(1, i, k)] / temp;
        for j in 2..=k {
            let jc = idxc[j];
            q[at(j, i, ldq)] = dl[at(jc, i, k)] / temp;
        }
    }
    let (c1, c2, c3) = (ctot[0], ctot[1], ctot[2]);
    let uo = |i: usize, j: usize| at(i, j, ldu);
    if k == 2 {
        dgemm(Trans::No, Trans::No, n, k, k, 1.0, u2, ldu2, &q, ldq, 0.0, u, ldu);
    } else {
        if c1 > 0 {
            dgemm(Trans::No, Trans::No, nl, k, c1, 1.0, &u2[at(1, 2, ldu2)..], ldu2, &q[at(2, 1, ldq)..], ldq, 0.0, u, ldu);
            if c3 > 0 {
                let kt = 2 + c1 + c2;
                dgemm(Trans::No, Trans::No, nl, k, c3, 1.0, &u2[at(1, kt, ldu2)..], ldu2, &q[at(kt, 1, ldq)..], ldq, 1.0, u, ldu);
            }
        } else if c3 > 0 {
            let kt = 2 + c1 + c2;
            dgemm(Trans::No, Trans::No, nl, k, c3, 1.0, &u2[at(1, kt, ldu2)..], ldu2, &q[at(kt, 1, ldq)..], ldq, 0.0, u, ldu);
        } else {
            for j in 1..=k {
                for i in 1..=nl {
                    u[uo(i, j)] = u2[at(i, j, ldu2)];
                }
            }
        }
        for j in 1..=k {
            u[uo(nlp1, j)] = q[at(1, j, ldq)];
        }
        let kt = 2 + c1;
        let ct = c2 + c3;
        let off = uo(nlp2, 1);
        dgemm(Trans::No, Trans::No, nr, k, ct, 1.0, &u2[at(nlp2, kt, ldu2)..], ldu2, &q[at(kt, 1, ldq)..], ldq, 0.0, &mut u[off..], ldu);
    }

    for i in 1..=k {
        let temp = nrm2(wk[(i - 1) * k..i * k].iter().copied());
        q[at(i, 1, ldq)] = wk[at(1, i, k)] / temp;
        for j in 2..=k {
            let jc = idxc[j];
            q[at(i, j, ldq)] = wk[at(jc, i, k)] / temp;
        }
    }
    if k == 2 {
        dgemm(Trans::No, Trans::No, k, m, k, 1.0, &q, ldq, vt2, ldvt2, 0.0, vt, ldvt);
        return Ok(());
    }
    let kt = 1 + c1;
    dgemm(Trans::No, Trans::No, k, nlp1, kt, 1.0, &q, ldq, vt2, ldvt2, 0.0, vt, ldvt);
    let kt = 2 + c1 + c2;
    if kt <= ldvt2 {
        dgemm(Trans::No, Trans::No, k, nlp1, c3, 1.0, &q[at(1, kt, ldq)..], ldq, &vt2[at(kt, 1, ldvt2)..], ldvt2, 1.0, vt, ldvt);
    }
    let kt = c1 + 1;
    let nrp1 = nr + sqre;
    if kt > 1 {
        for i in 1..=k {
            q[at(i, kt, ldq)] = q[at(i, 1, ldq)];
        }
        for i in nlp2..=m {
            vt2[at(kt, i, ldvt2)] = vt2[at(1, i, ldvt2)];
        }
    }
    let ct = 1 + c2 + c3;
    let off = at(1, nlp2, ldvt);
    dgemm(Trans::No, Trans::No, k, nrp1, ct, 1.0, &q[at(1, kt, ldq)..], ldq, &vt2[at(kt, nlp2, ldvt2)..], ldvt2, 0.0, &mut vt[off..], ldvt);
    Ok(())
}

/// `dlasd1`: merges the SVDs of the two halves joined by the row (alpha, beta) through d's
/// slot nl+1. `d` (0-based, n entries), `idxq` (n entries: the permutation that sorts each
/// half's values ascending, 1-based; on return the whole's).
#[allow(clippy::too_many_arguments)]
fn merge(nl: usize, nr: usize, sqre: usize, d0: &mut [f64], alpha: f64, beta: f64, u: &mut [f64], ldu: usize, vt: &mut [f64], ldvt: usize, idxq0: &mut [usize]) -> Result<(), NoConvergence> {
    let n = nl + nr + 1;
    let m = n + sqre;
    let mut d = vec![0.0; n + 1];
    d[1..].copy_from_slice(&d0[..n]);
    let mut idxq = vec![0usize; n + 1];
    idxq[1..].copy_from_slice(&idxq0[..n]);
    let mut orgnrm = alpha.abs().max(beta.abs());
    d[nl + 1] = 0.0;
    for &x in &d[1..] {
        if x.abs() > orgnrm {
            orgnrm = x.abs();
        }
    }
    rescale(&mut d[1..], orgnrm, 1.0);
    let alpha = alpha / orgnrm;
    let beta = beta / orgnrm;
    let mut w = MergeWork { z: vec![0.0; m + 1], dsigma: vec![0.0; n + 1], u2: vec![0.0; n * n], vt2: vec![0.0; m * m], idxc: vec![0; n + 1], ctot: [0; 4] };
    let k = deflate(nl, nr, sqre, &mut d, alpha, beta, u, ldu, vt, ldvt, &mut idxq, &mut w);
    merge_vectors(nl, nr, sqre, k, &mut d, u, ldu, vt, ldvt, &mut w)?;
    rescale(&mut d[1..], 1.0, orgnrm);
    d0[..n].copy_from_slice(&d[1..]);
    let order = merge_order(k, n - k, &d0[..n], true, false);
    idxq0[..n].copy_from_slice(&order);
    Ok(())
}

// ---- leaves and the tree -------------------------------------------------------------------

/// `dlasdq('U', sqre, n, n + sqre, n, 0, …)` on identity vectors: the SVD of the n × (n + sqre)
/// upper bidiagonal (d, e; e has n − 1 + sqre entries), values ascending in d. Writes U (n × n) and VT ((n+sqre)²) into
/// the blocks at `u` / `vt`.
fn leaf(sqre: usize, d: &mut [f64], e: &mut [f64], u: &mut [f64], ldu: usize, vt: &mut [f64], ldvt: usize) -> Result<(), NoConvergence> {
    let n = d.len();
    let m = n + sqre;
    let mut uc = Cm::eye(n);
    // `v` holds VT transposed (its columns are VT's rows), as `bidiagonal_qr` wants it.
    let mut v = Cm::eye(m);
    let rot_cols = |a: &mut Cm, c: &[f64], s: &[f64]| {
        let rows = a.rows;
        for j in 0..c.len() {
            let (ct, st) = (c[j], s[j]);
            if ct == 1.0 && st == 0.0 {
                continue;
            }
            for r in 0..rows {
                let t = a.v[r + (j + 1) * rows];
                let x = a.v[r + j * rows];
                a.v[r + (j + 1) * rows] = ct * t - st * x;
                a.v[r + j * rows] = st * t + ct * x;
            }
        }
    };
    if sqre == 1 {
        // n × (n+1) upper → lower bidiagonal by rotations from the right.
        let (mut cs, mut sn) = (vec![0.0; n], vec![0.0; n]);
        for i in 0..n - 1 {
            let (c, s, r) = givens(d[i], e[i]);
            d[i] = r;
            e[i] = s * d[i + 1];
            d[i + 1] *= c;
            cs[i] = c;
            sn[i] = s;
        }
        let (c, s, r) = givens(d[n - 1], e[n - 1]);
        d[n - 1] = r;
        e[n - 1] = 0.0;
        cs[n - 1] = c;
        sn[n - 1] = s;
        rot_cols(&mut v, &cs, &sn);
        // lower → upper by rotations from the left.
        for i in 0..n - 1 {
            let (c, s, r) = givens(d[i], e[i]);
            d[i] = r;
            e[i] = s * d[i + 1];
            d[i + 1] *= c;
            cs[i] = c;
            sn[i] = s;
        }
        rot_cols(&mut uc, &cs[..n - 1], &sn[..n - 1]);
    }
    bidiagonal_qr(d, &mut e[..n - 1], Some(&mut v), Some(&mut uc))?;
    sort_increasing(d, |i, at| {
        v.swap_cols(at, i);
        uc.swap_cols(at, i);
    });
    for j in 0..n {
        for i in 0..n {
            u[i + j * ldu] = uc.get(i, j);
        }
    }
    for j in 0..m {
        for i in 0..m {
            vt[i + j * ldvt] = v.get(j, i);
        }
    }
    Ok(())
}

/// `dlasdt`: the tree's centre rows and left / right sizes (1-based node numbers, slot 0
/// unused) and the number of levels.
fn tree(n: usize, msub: usize) -> (usize, usize, Vec<usize>, Vec<usize>, Vec<usize>) {
    let maxn = n.max(1);
    let temp = ((maxn as f64) / ((msub + 1) as f64)).ln() / 2f64.ln();
    let lvl = temp as usize + 1;
    let cap = 1usize << (lvl + 1);
    let (mut inode, mut ndiml, mut ndimr) = (vec![0usize; cap], vec![0usize; cap], vec![0usize; cap]);
    let i = n / 2;
    inode[1] = i + 1;
    ndiml[1] = i;
    ndimr[1] = n - i - 1;
    let (mut il, mut ir) = (0usize, 1usize);
    let mut llst = 1usize;
    for _ in 1..lvl {
        for i in 0..llst {
            il += 2;
            ir += 2;
            let nc = llst + i;
            ndiml[il] = ndiml[nc] / 2;
            ndimr[il] = ndiml[nc] - ndiml[il] - 1;
            inode[il] = inode[nc] - ndimr[il] - 1;
            ndiml[ir] = ndimr[nc] / 2;
            ndimr[ir] = ndimr[nc] - ndiml[ir] - 1;
            inode[ir] = inode[nc] + ndiml[ir] + 1;
        }
        llst *= 2;
    }
    (lvl, llst * 2 - 1, inode, ndiml, ndimr)
}

/// `dlasd0`: the SVD of the n × (n + sqre) upper bidiagonal (d, e) by divide and conquer, into
/// the identity-initialised blocks at `u` (n × n) and `vt` ((n+sqre)²). The values come out in
/// the order the last merge leaves them (the caller sorts).
fn divide(n: usize, sqre: usize, d: &mut [f64], e: &mut [f64], u: &mut [f64], ldu: usize, vt: &mut [f64], ldvt: usize) -> Result<(), NoConvergence> {
    if n <= LEAF {
        return leaf(sqre, &mut d[..n], &mut e[..n - 1 + sqre], u, ldu, vt, ldvt);
    }
    let (nlvl, nd, inode, ndiml, ndimr) = tree(n, LEAF);
    let mut idxq = vec![0usize; n + 1]; // 1-based
    let ndb1 = (nd + 1) / 2;
    for i in ndb1..=nd {
        let ic = inode[i];
        let nl = ndiml[i];
        let nr = ndimr[i];
        let nlf = ic - nl;
        let nrf = ic + 1;
        {
            let (dl, el) = (&mut d[nlf - 1..nlf - 1 + nl], &mut e[nlf - 1..nlf - 1 + nl]);
            let uo = at(nlf, nlf, ldu);
            let vo = at(nlf, nlf, ldvt);
            leaf(1, dl, el, &mut u[uo..], ldu, &mut vt[vo..], ldvt)?;
        }
        for j in 1..=nl {
            idxq[nlf + j - 1] = j;
        }
        let sqrei = if i == nd { sqre } else { 1 };
        {
            let (dr, er) = (&mut d[nrf - 1..nrf - 1 + nr], &mut e[nrf - 1..nrf - 2 + nr + sqrei]);
            let uo = at(nrf, nrf, ldu);
            let vo = at(nrf, nrf, ldvt);
            leaf(sqrei, dr, er, &mut u[uo..], ldu, &mut vt[vo..], ldvt)?;
        }
        for j in 1..=nr {
            idxq[ic + j] = j;
        }
    }
    for lvl in (1..=nlvl).rev() {
        let (lf, ll) = if lvl == 1 { (1, 1) } else { (1usize << (lvl - 1), (1usize << lvl) - 1) };
        for i in lf..=ll {
            let ic = inode[i];
            let nl = ndiml[i];
            let nr = ndimr[i];
            let nlf = ic - nl;
            let sqrei = if sqre == 0 && i == ll { sqre } else { 1 };
            let alpha = d[ic - 1];
            let beta = e[ic - 1];
            let uo = at(nlf, nlf, ldu);
            let vo = at(nlf, nlf, ldvt);
            merge(nl, nr, sqrei, &mut d[nlf - 1..], alpha, beta, &mut u[uo..], ldu, &mut vt[vo..], ldvt, &mut idxq[nlf..])?;
        }
    }
    Ok(())
}

/// `dbdsdc(uplo, 'I')` for n > [`LEAF`]: the SVD of the upper (or lower) bidiagonal (d, e):
/// singular values decreasing in d, and (U, V) with B = U·diag(d)·Vᵀ.
pub(crate) fn bdsdc(upper: bool, d: &mut [f64], e: &mut [f64]) -> Result<(Cm, Cm), NoConvergence> {
    let n = d.len();
    let (mut cs, mut sn) = (vec![0.0; n.saturating_sub(1)], vec![0.0; n.saturating_sub(1)]);
    if !upper {
        lower_to_upper(d, e, |i, c, s| {
            cs[i] = c;
            sn[i] = -s;
        });
    }
    let mut u = vec![0.0; n * n];
    let mut vt = vec![0.0; n * n];
    for i in 0..n {
        u[i + i * n] = 1.0;
        vt[i + i * n] = 1.0;
    }
    let orgnrm = d.iter().chain(e[..n - 1].iter()).fold(0.0f64, |a, &x| if a < x.abs() || x.is_nan() { x.abs() } else { a });
    if orgnrm == 0.0 {
        return Ok((Cm { rows: n, cols: n, v: u }, Cm { rows: n, cols: n, v: vt }));
    }
    rescale(d, orgnrm, 1.0);
    rescale(&mut e[..n - 1], orgnrm, 1.0);
    let eps = 0.9 * EPS;
    for x in d.iter_mut() {
        if x.abs() < eps {
            *x = eps.copysign(*x);
        }
    }
    let nm1 = n - 1;
    let mut start = 1usize;
    for i in 1..=nm1 {
        if e[i - 1].abs() < eps || i == nm1 {
            let nsize;
            if i < nm1 {
                nsize = i - start + 1;
            } else if e[i - 1].abs() >= eps {
                nsize = n - start + 1;
            } else {
                nsize = i - start + 1;
                u[at(n, n, n)] = 1f64.copysign(d[n - 1]);
                vt[at(n, n, n)] = 1.0;
                d[n - 1] = d[n - 1].abs();
            }
            let o = at(start, start, n);
            let (ds, es) = (&mut d[start - 1..], &mut e[start - 1..]);
            {
                let (uu, vv) = (&mut u[o..], &mut vt[o..]);
                divide(nsize, 0, ds, es, uu, n, vv, n)?;
            }
            start = i + 1;
        }
    }
    rescale(d, 1.0, orgnrm);
    for ii in 2..=n {
        let i = ii - 1;
        let mut kk = i;
        let mut p = d[i - 1];
        for j in ii..=n {
            if d[j - 1] > p {
                kk = j;
                p = d[j - 1];
            }
        }
        if kk != i {
            d[kk - 1] = d[i - 1];
            d[i - 1] = p;
            for r in 0..n {
                u.swap(r + (i - 1) * n, r + (kk - 1) * n);
                vt.swap((i - 1) + r * n, (kk - 1) + r * n);
            }
        }
    }
    if !upper {
        // dlasr('L', 'V', 'B'): the rotations that made B upper, from the last.
        for j in (0..n - 1).rev() {
            let (c, s) = (cs[j], sn[j]);
            if c == 1.0 && s == 0.0 {
                continue;
            }
            for col in 0..n {
                let t = u[j + 1 + col * n];
                let x = u[j + col * n];
                u[j + 1 + col * n] = c * t - s * x;
                u[j + col * n] = s * t + c * x;
            }
        }
    }
    // V = VTᵀ.
    let mut v = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            v[j + i * n] = vt[i + j * n];
        }
    }
    Ok((Cm { rows: n, cols: n, v: u }, Cm { rows: n, cols: n, v }))
}

// ---- test hooks ----------------------------------------------------------------------------

/// `dbdsdc(uplo, 'I')` for any n ≥ 1 (the QR-sweep branch up to [`LEAF`]): (d, U, VT), U and
/// VT column-major n × n. For testing against LAPACK's own.
pub fn bdsdc_hook(upper: bool, d: &[f64], e: &[f64]) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>), NoConvergence> {
    let n = d.len();
    let (mut d, mut e) = (d.to_vec(), e.to_vec());
    e.resize(n.saturating_sub(1), 0.0);
    let (u, v) = if n > LEAF {
        bdsdc(upper, &mut d, &mut e)?
    } else {
        crate::lapack_small::bidiagonal_svd(upper, &mut d, &mut e, true)?.expect("vectors")
    };
    let mut vt = vec![0.0; n * n];
    for j in 0..n {
        for i in 0..n {
            vt[i + j * n] = v.get(j, i);
        }
    }
    Ok((d, u.v, vt))
}

/// `dlasd4(n, i, d, z, …, rho)`: (sigma, delta, work). For testing.
pub fn lasd4_hook(i: usize, d: &[f64], z: &[f64], rho: f64) -> Result<(f64, Vec<f64>, Vec<f64>), NoConvergence> {
    let n = d.len();
    let (mut delta, mut work) = (vec![0.0; n], vec![0.0; n]);
    let s = secular_root(n, i, d, z, &mut delta, rho, &mut work)?;
    Ok((s, delta, work))
}

/// `dlasd1(nl, nr, sqre, …)` on column-major U (n × n) and VT (m × m): (d, U, VT, idxq). For
/// testing.
#[allow(clippy::too_many_arguments)]
pub fn merge_hook(nl: usize, nr: usize, sqre: usize, d: &[f64], alpha: f64, beta: f64, u: &[f64], vt: &[f64], idxq: &[usize]) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<usize>), NoConvergence> {
    let n = nl + nr + 1;
    let m = n + sqre;
    let (mut d, mut u, mut vt, mut idxq) = (d.to_vec(), u.to_vec(), vt.to_vec(), idxq.to_vec());
    merge(nl, nr, sqre, &mut d, alpha, beta, &mut u, n, &mut vt, m, &mut idxq)?;
    Ok((d, u, vt, idxq))
}
