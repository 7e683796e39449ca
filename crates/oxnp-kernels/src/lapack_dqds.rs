//! Singular values without vectors as NumPy's LAPACK computes them: `dgesdd` with JOBZ = 'N'
//! (scaling, QR / LQ first for far-from-square shapes, `dgebrd`), then `dbdsdc('N')`, which
//! through `dlasdq` and `dbdsqr` ends in the dqds algorithm of `dlasq1` … `dlasq6` (LAPACK
//! 3.12, IEEE branch). The qd array `z` is indexed from 1 as in LAPACK (z[0] unused), so that
//! the index arithmetic reads as the reference does; no step is fused (LAPACK's Fortran here is
//! compiled without FMA contraction).

use crate::lapack_small::{lower_to_upper, sv2_values, Cm, NoConvergence, SAFMIN};

/// `dlamch('P')`: eps·base, the precision dqds works with.
const PREC: f64 = f64::EPSILON;
const CBIAS: f64 = 1.5;

/// Largest min(m, n) taken along `dgesdd`'s steps, as `linalg.svd`'s exact range; beyond it
/// faer's singular values run (single-threaded the exact path measured about as fast there).
pub const SVDVALS_MAX: usize = 384;
/// Largest min(m, n) of the QR / LQ-first shapes followed: `dgeqrf` / `dgelqf` stay
/// unblocked up to 128.
pub const SVDVALS_QR_MAX: usize = 128;

macro_rules! z {
    ($z:ident, $i:expr) => {
        $z[($i) as usize]
    };
}

/// Fortran's MIN / MAX of two.
fn mn(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}
fn mx(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// The state `dlasq2` hands `dlasq3` (and it on to `dlasq4` … `dlasq6`) between steps.
struct Qd {
    i0: isize,
    n0: isize,
    pp: isize,
    dmin: f64,
    sigma: f64,
    desig: f64,
    qmax: f64,
    nfail: usize,
    iter: usize,
    ndiv: usize,
    ttype: i32,
    dmin1: f64,
    dmin2: f64,
    dn: f64,
    dn1: f64,
    dn2: f64,
    g: f64,
    tau: f64,
}

/// `dlasq1`: the singular values of the n × n upper bidiagonal (d, e), decreasing, in d.
/// `e` holds n entries (the last one scratch). Err(info) as LAPACK's INFO: 2 leaves in (d, e)
/// a bidiagonal with the same singular values for `dbdsqr` to finish.
pub(crate) fn lasq1(d: &mut [f64], e: &mut [f64]) -> Result<(), i32> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    if n == 1 {
        d[0] = d[0].abs();
        return Ok(());
    }
    if n == 2 {
        let (smin, smax) = sv2_values(d[0], e[0], d[1]);
        d[0] = smax;
        d[1] = smin;
        return Ok(());
    }
    let mut sigmx = 0.0f64;
    for i in 0..n - 1 {
        d[i] = d[i].abs();
        sigmx = mx(sigmx, e[i].abs());
    }
    d[n - 1] = d[n - 1].abs();
    if sigmx == 0.0 {
        sort_decreasing(d);
        return Ok(());
    }
    for &x in d.iter() {
        sigmx = mx(sigmx, x);
    }
    let scale = (PREC / SAFMIN).sqrt();
    let mut z = vec![0.0f64; 4 * n + 1];
    for i in 0..n {
        z[2 * i + 1] = d[i];
    }
    for i in 0..n - 1 {
        z[2 * i + 2] = e[i];
    }
    crate::lapack_bdsdc::rescale(&mut z[1..2 * n], sigmx, scale);
    for x in &mut z[1..2 * n] {
        *x = *x * *x;
    }
    z[2 * n] = 0.0;
    let info = lasq2(n, &mut z);
    if info == 0 {
        for i in 0..n {
            d[i] = z[i + 1].sqrt();
        }
        crate::lapack_bdsdc::rescale(d, scale, sigmx);
        return Ok(());
    }
    if info == 2 {
        for i in 0..n {
            d[i] = z[2 * i + 1].sqrt();
            e[i] = z[2 * i + 2].sqrt();
        }
        crate::lapack_bdsdc::rescale(d, scale, sigmx);
        crate::lapack_bdsdc::rescale(&mut e[..n], scale, sigmx);
    }
    Err(info)
}

/// `dlasrt('D')`.
fn sort_decreasing(x: &mut [f64]) {
    x.sort_by(|a, b| b.total_cmp(a));
}

/// `dlasq2` on the qd array z[1..=4n] (q's and e's interleaved in z[1..2n]), n ≥ 3; 0 or
/// LAPACK's INFO (1, 2, 3).
fn lasq2(n: usize, z: &mut [f64]) -> i32 {
    let tol = PREC * 100.0;
    let tol2 = tol * tol;
    let ni = n as isize;
    z[2 * n] = 0.0;
    let (mut dsum, mut esum) = (0.0f64, 0.0f64);
    for k in (1..2 * n - 1).step_by(2) {
        dsum += z[k];
        esum += z[k + 1];
    }
    dsum += z[2 * n - 1];
    if esum == 0.0 {
        for k in 2..=n {
            z[k] = z[2 * k - 1];
        }
        sort_decreasing(&mut z[1..=n]);
        z[2 * n - 1] = dsum;
        return 0;
    }
    let trace = dsum + esum;
    if trace == 0.0 {
        z[2 * n - 1] = 0.0;
        return 0;
    }
    // Rearrange for locality: z = (q1, qq1, e1, ee1, q2, ...).
    for k in (2..=2 * n).rev().step_by(2) {
        z[2 * k] = 0.0;
        z[2 * k - 1] = z[k];
        z[2 * k - 2] = 0.0;
        z[2 * k - 3] = z[k - 1];
    }
    let mut q = Qd {
        i0: 1,
        n0: ni,
        pp: 0,
        dmin: 0.0,
        sigma: 0.0,
        desig: 0.0,
        qmax: 0.0,
        nfail: 0,
        iter: 2,
        ndiv: 0,
        ttype: 0,
        dmin1: 0.0,
        dmin2: 0.0,
        dn: 0.0,
        dn1: 0.0,
        dn2: 0.0,
        g: 0.0,
        tau: 0.0,
    };
    let (i0, n0) = (q.i0, q.n0);
    if CBIAS * z!(z, 4 * i0 - 3) < z!(z, 4 * n0 - 3) {
        let ipn4 = 4 * (i0 + n0);
        let mut i4 = 4 * i0;
        while i4 <= 2 * (i0 + n0 - 1) {
            z.swap((i4 - 3) as usize, (ipn4 - i4 - 3) as usize);
            z.swap((i4 - 1) as usize, (ipn4 - i4 - 5) as usize);
            i4 += 4;
        }
    }
    // Initial split checking via dqd and Li's test.
    let mut pp: isize = 0;
    for _ in 0..2 {
        let mut d = z!(z, 4 * n0 + pp - 3);
        let mut i4 = 4 * (n0 - 1) + pp;
        while i4 >= 4 * i0 + pp {
            if z!(z, i4 - 1) <= tol2 * d {
                z!(z, i4 - 1) = -0.0;
                d = z!(z, i4 - 3);
            } else {
                d = z!(z, i4 - 3) * (d / (d + z!(z, i4 - 1)));
            }
            i4 -= 4;
        }
        d = z!(z, 4 * i0 + pp - 3);
        let mut i4 = 4 * i0 + pp;
        while i4 <= 4 * (n0 - 1) + pp {
            z!(z, i4 - 2 * pp - 2) = d + z!(z, i4 - 1);
            if z!(z, i4 - 1) <= tol2 * d {
                z!(z, i4 - 1) = -0.0;
                z!(z, i4 - 2 * pp - 2) = d;
                z!(z, i4 - 2 * pp) = 0.0;
                d = z!(z, i4 + 1);
            } else if SAFMIN * z!(z, i4 + 1) < z!(z, i4 - 2 * pp - 2) && SAFMIN * z!(z, i4 - 2 * pp - 2) < z!(z, i4 + 1) {
                let temp = z!(z, i4 + 1) / z!(z, i4 - 2 * pp - 2);
                z!(z, i4 - 2 * pp) = z!(z, i4 - 1) * temp;
                d *= temp;
            } else {
                z!(z, i4 - 2 * pp) = z!(z, i4 + 1) * (z!(z, i4 - 1) / z!(z, i4 - 2 * pp - 2));
                d = z!(z, i4 + 1) * (d / z!(z, i4 - 2 * pp - 2));
            }
            i4 += 4;
        }
        z!(z, 4 * n0 - pp - 2) = d;
        let mut qmax = z!(z, 4 * i0 - pp - 2);
        let mut i4 = 4 * i0 - pp + 2;
        while i4 <= 4 * n0 - pp - 2 {
            qmax = mx(qmax, z!(z, i4));
            i4 += 4;
        }
        q.qmax = qmax;
        pp = 1 - pp;
    }
    q.ndiv = 2 * (n0 - i0) as usize;
    for _ in 0..=n {
        if q.n0 < 1 {
            // Move the q's to the front, sorted.
            for k in 2..=n {
                z[k] = z[4 * k - 3];
            }
            sort_decreasing(&mut z[1..=n]);
            let mut e = 0.0;
            for k in (1..=n).rev() {
                e += z[k];
            }
            z[2 * n + 1] = trace;
            z[2 * n + 2] = e;
            return 0;
        }
        let n0 = q.n0;
        q.desig = 0.0;
        q.sigma = if n0 == ni { 0.0 } else { -z!(z, 4 * n0 - 1) };
        if q.sigma < 0.0 {
            return 1;
        }
        // The last unreduced block's top I0, its qmax, and a Gershgorin-type bound.
        let mut emax = 0.0f64;
        let mut qmin = z!(z, 4 * n0 - 3);
        q.qmax = qmin;
        let mut i4 = 4 * n0;
        while i4 >= 8 {
            if z!(z, i4 - 5) <= 0.0 {
                break;
            }
            if qmin >= 4.0 * emax {
                qmin = mn(qmin, z!(z, i4 - 3));
                emax = mx(emax, z!(z, i4 - 5));
            }
            q.qmax = mx(q.qmax, z!(z, i4 - 7) + z!(z, i4 - 5));
            i4 -= 4;
        }
        if i4 < 8 {
            i4 = 4;
        }
        q.i0 = i4 / 4;
        q.pp = 0;
        let i0 = q.i0;
        if n0 - i0 > 1 {
            let mut dee = z!(z, 4 * i0 - 3);
            let mut deemin = dee;
            let mut kmin = i0;
            let mut i4 = 4 * i0 + 1;
            while i4 <= 4 * n0 - 3 {
                dee = z!(z, i4) * (dee / (dee + z!(z, i4 - 2)));
                if dee <= deemin {
                    deemin = dee;
                    kmin = (i4 + 3) / 4;
                }
                i4 += 4;
            }
            if (kmin - i0) * 2 < n0 - kmin && deemin <= 0.5 * z!(z, 4 * n0 - 3) {
                let ipn4 = 4 * (i0 + n0);
                q.pp = 2;
                let mut i4 = 4 * i0;
                while i4 <= 2 * (i0 + n0 - 1) {
                    z.swap((i4 - 3) as usize, (ipn4 - i4 - 3) as usize);
                    z.swap((i4 - 2) as usize, (ipn4 - i4 - 2) as usize);
                    z.swap((i4 - 1) as usize, (ipn4 - i4 - 5) as usize);
                    z.swap(i4 as usize, (ipn4 - i4 - 4) as usize);
                    i4 += 4;
                }
            }
        }
        // -(initial shift) into dmin.
        q.dmin = -mx(0.0, qmin - 2.0 * qmin.sqrt() * emax.sqrt());
        let nbig = 100 * (n0 - i0 + 1);
        let mut done = false;
        for _ in 0..nbig {
            if q.i0 > q.n0 {
                done = true;
                break;
            }
            lasq3(z, &mut q);
            q.pp = 1 - q.pp;
            // When emin is very small, check for splits.
            let (i0, n0) = (q.i0, q.n0);
            if q.pp == 0 && n0 - i0 >= 3 && (z!(z, 4 * n0) <= tol2 * q.qmax || z!(z, 4 * n0 - 1) <= tol2 * q.sigma) {
                let mut splt = i0 - 1;
                q.qmax = z!(z, 4 * i0 - 3);
                let mut emin = z!(z, 4 * i0 - 1);
                let mut oldemn = z!(z, 4 * i0);
                let mut i4 = 4 * i0;
                while i4 <= 4 * (n0 - 3) {
                    if z!(z, i4) <= tol2 * z!(z, i4 - 3) || z!(z, i4 - 1) <= tol2 * q.sigma {
                        z!(z, i4 - 1) = -q.sigma;
                        splt = i4 / 4;
                        q.qmax = 0.0;
                        emin = z!(z, i4 + 3);
                        oldemn = z!(z, i4 + 4);
                    } else {
                        q.qmax = mx(q.qmax, z!(z, i4 + 1));
                        emin = mn(emin, z!(z, i4 - 1));
                        oldemn = mn(oldemn, z!(z, i4));
                    }
                    i4 += 4;
                }
                z!(z, 4 * n0 - 1) = emin;
                z!(z, 4 * n0) = oldemn;
                q.i0 = splt + 1;
            }
        }
        if !done {
            unfinished(n, z, &q);
            return 2;
        }
    }
    3
}

/// `dlasq2`'s way out after too many iterations: the shifts restored block by block and the
/// qd array put back into z[1..2n] for `dbdsqr` to finish.
fn unfinished(n: usize, z: &mut [f64], q: &Qd) {
    let (i0, n0) = (q.i0, q.n0);
    let mut i1 = i0;
    let mut sigma = q.sigma;
    loop {
        // LAPACK redoes the block I0..N0 with each earlier block's shift.
        let mut tempq = z!(z, 4 * i0 - 3);
        z!(z, 4 * i0 - 3) = z!(z, 4 * i0 - 3) + sigma;
        for k in i0 + 1..=n0 {
            let tempe = z!(z, 4 * k - 5);
            z!(z, 4 * k - 5) = z!(z, 4 * k - 5) * (tempq / z!(z, 4 * k - 7));
            tempq = z!(z, 4 * k - 3);
            z!(z, 4 * k - 3) = z!(z, 4 * k - 3) + sigma + tempe - z!(z, 4 * k - 5);
        }
        if i1 <= 1 {
            break;
        }
        let n1 = i1 - 1;
        let before = i1;
        while i1 >= 2 && z!(z, 4 * i1 - 5) >= 0.0 {
            i1 -= 1;
        }
        sigma = -z!(z, 4 * n1 - 1);
        if i1 == before {
            // LAPACK would loop here for ever; stop instead.
            break;
        }
    }
    let n0u = n0 as usize;
    for k in 1..=n {
        z[2 * k - 1] = z[4 * k - 3];
        z[2 * k] = if k < n0u { z[4 * k - 1] } else { 0.0 };
    }
}

/// `dlasq3`: deflation checks, then one dqds step with a shift (retried as `dlasq3` does).
fn lasq3(z: &mut [f64], q: &mut Qd) {
    let n0in = q.n0;
    let tol = PREC * 100.0;
    let tol2 = tol * tol;
    loop {
        if q.n0 < q.i0 {
            return;
        }
        let (i0, n0, pp) = (q.i0, q.n0, q.pp);
        if n0 == i0 {
            z!(z, 4 * n0 - 3) = z!(z, 4 * n0 + pp - 3) + q.sigma;
            q.n0 -= 1;
            continue;
        }
        let nn = 4 * n0 + pp;
        if n0 != i0 + 1 {
            if !(z!(z, nn - 5) > tol2 * (q.sigma + z!(z, nn - 3)) && z!(z, nn - 2 * pp - 4) > tol2 * z!(z, nn - 7)) {
                z!(z, 4 * n0 - 3) = z!(z, 4 * n0 + pp - 3) + q.sigma;
                q.n0 -= 1;
                continue;
            }
            if z!(z, nn - 9) > tol2 * q.sigma && z!(z, nn - 2 * pp - 8) > tol2 * z!(z, nn - 11) {
                break;
            }
        }
        // Two eigenvalues.
        if z!(z, nn - 3) > z!(z, nn - 7) {
            z.swap((nn - 3) as usize, (nn - 7) as usize);
        }
        let mut t = 0.5 * ((z!(z, nn - 7) - z!(z, nn - 3)) + z!(z, nn - 5));
        if z!(z, nn - 5) > z!(z, nn - 3) * tol2 && t != 0.0 {
            let mut s = z!(z, nn - 3) * (z!(z, nn - 5) / t);
            if s <= t {
                s = z!(z, nn - 3) * (z!(z, nn - 5) / (t * (1.0 + (1.0 + s / t).sqrt())));
            } else {
                s = z!(z, nn - 3) * (z!(z, nn - 5) / (t + t.sqrt() * (t + s).sqrt()));
            }
            t = z!(z, nn - 7) + (s + z!(z, nn - 5));
            z!(z, nn - 3) = z!(z, nn - 3) * (z!(z, nn - 7) / t);
            z!(z, nn - 7) = t;
        }
        z!(z, 4 * n0 - 7) = z!(z, nn - 7) + q.sigma;
        z!(z, 4 * n0 - 3) = z!(z, nn - 3) + q.sigma;
        q.n0 -= 2;
    }
    if q.pp == 2 {
        q.pp = 0;
    }
    let (i0, n0, pp) = (q.i0, q.n0, q.pp);
    // Reverse the qd array if warranted.
    if (q.dmin <= 0.0 || n0 < n0in) && CBIAS * z!(z, 4 * i0 + pp - 3) < z!(z, 4 * n0 + pp - 3) {
        let ipn4 = 4 * (i0 + n0);
        let mut j4 = 4 * i0;
        while j4 <= 2 * (i0 + n0 - 1) {
            z.swap((j4 - 3) as usize, (ipn4 - j4 - 3) as usize);
            z.swap((j4 - 2) as usize, (ipn4 - j4 - 2) as usize);
            z.swap((j4 - 1) as usize, (ipn4 - j4 - 5) as usize);
            z.swap(j4 as usize, (ipn4 - j4 - 4) as usize);
            j4 += 4;
        }
        if n0 - i0 <= 4 {
            z!(z, 4 * n0 + pp - 1) = z!(z, 4 * i0 + pp - 1);
            z!(z, 4 * n0 - pp) = z!(z, 4 * i0 - pp);
        }
        q.dmin2 = mn(q.dmin2, z!(z, 4 * n0 + pp - 1));
        z!(z, 4 * n0 + pp - 1) = mn(mn(z!(z, 4 * n0 + pp - 1), z!(z, 4 * i0 + pp - 1)), z!(z, 4 * i0 + pp + 3));
        z!(z, 4 * n0 - pp) = mn(mn(z!(z, 4 * n0 - pp), z!(z, 4 * i0 - pp)), z!(z, 4 * i0 - pp + 4));
        q.qmax = mx(mx(q.qmax, z!(z, 4 * i0 + pp - 3)), z!(z, 4 * i0 + pp + 1));
        q.dmin = -0.0;
    }
    lasq4(z, q, n0in);
    let mut safe = false;
    loop {
        lasq5(z, q);
        q.ndiv += (q.n0 - q.i0 + 2) as usize;
        q.iter += 1;
        if q.dmin >= 0.0 && q.dmin1 >= 0.0 {
            break;
        }
        if q.dmin < 0.0 && q.dmin1 > 0.0 && z!(z, 4 * (q.n0 - 1) - q.pp) < tol * (q.sigma + q.dn1) && q.dn.abs() < tol * q.sigma {
            // Convergence hidden by a negative dn.
            z!(z, 4 * (q.n0 - 1) - q.pp + 2) = 0.0;
            q.dmin = 0.0;
            break;
        }
        if q.dmin < 0.0 {
            // Shift too big: a new one, and again.
            q.nfail += 1;
            if q.ttype < -22 {
                q.tau = 0.0;
            } else if q.dmin1 > 0.0 {
                q.tau = (q.tau + q.dmin) * (1.0 - 2.0 * PREC);
                q.ttype -= 11;
            } else {
                q.tau *= 0.25;
                q.ttype -= 12;
            }
            continue;
        }
        if q.dmin.is_nan() && q.tau != 0.0 {
            q.tau = 0.0;
            continue;
        }
        safe = true;
        break;
    }
    if safe {
        // Risk of underflow: a step without shift.
        lasq6(z, q);
        q.ndiv += (q.n0 - q.i0 + 2) as usize;
        q.iter += 1;
        q.tau = 0.0;
    }
    if q.tau < q.sigma {
        q.desig += q.tau;
        let t = q.sigma + q.desig;
        q.desig -= t - q.sigma;
        q.sigma = t;
    } else {
        let t = q.sigma + q.tau;
        q.desig = q.sigma - (t - q.tau) + q.desig;
        q.sigma = t;
    }
}

/// `dlasq4`: the shift tau (left as it was where LAPACK returns early) and its type.
fn lasq4(z: &[f64], q: &mut Qd, n0in: isize) {
    const CNST1: f64 = 0.5630;
    const CNST2: f64 = 1.010;
    const CNST3: f64 = 1.050;
    const THIRD: f64 = 0.3330;
    if q.dmin <= 0.0 {
        q.tau = -q.dmin;
        q.ttype = -1;
        return;
    }
    let (i0, n0, pp) = (q.i0, q.n0, q.pp);
    let (dmin, dmin1, dmin2, dn, dn1, dn2) = (q.dmin, q.dmin1, q.dmin2, q.dn, q.dn1, q.dn2);
    let nn = 4 * n0 + pp;
    let mut s = 0.0f64;
    if n0in == n0 {
        if dmin == dn || dmin == dn1 {
            let b1 = z!(z, nn - 3).sqrt() * z!(z, nn - 5).sqrt();
            let b2 = z!(z, nn - 7).sqrt() * z!(z, nn - 9).sqrt();
            let a2 = z!(z, nn - 7) + z!(z, nn - 5);
            if dmin == dn && dmin1 == dn1 {
                // Cases 2 and 3.
                let gap2 = dmin2 - a2 - dmin2 * 0.25;
                let gap1 = if gap2 > 0.0 && gap2 > b2 { a2 - dn - (b2 / gap2) * b2 } else { a2 - dn - (b1 + b2) };
                if gap1 > 0.0 && gap1 > b1 {
                    s = mx(dn - (b1 / gap1) * b1, 0.5 * dmin);
                    q.ttype = -2;
                } else {
                    s = 0.0;
                    if dn > b1 {
                        s = dn - b1;
                    }
                    if a2 > b1 + b2 {
                        s = mn(s, a2 - (b1 + b2));
                    }
                    s = mx(s, THIRD * dmin);
                    q.ttype = -3;
                }
            } else {
                // Case 4.
                q.ttype = -4;
                s = 0.25 * dmin;
                let (gam, mut a2, mut b2, np);
                if dmin == dn {
                    gam = dn;
                    a2 = 0.0;
                    if z!(z, nn - 5) > z!(z, nn - 7) {
                        return;
                    }
                    b2 = z!(z, nn - 5) / z!(z, nn - 7);
                    np = nn - 9;
                } else {
                    let np2 = nn - 2 * pp;
                    gam = dn1;
                    if z!(z, np2 - 4) > z!(z, np2 - 2) {
                        return;
                    }
                    a2 = z!(z, np2 - 4) / z!(z, np2 - 2);
                    if z!(z, nn - 9) > z!(z, nn - 11) {
                        return;
                    }
                    b2 = z!(z, nn - 9) / z!(z, nn - 11);
                    np = nn - 13;
                }
                a2 += b2;
                let mut i4 = np;
                while i4 >= 4 * i0 - 1 + pp {
                    if b2 == 0.0 {
                        break;
                    }
                    let b1 = b2;
                    if z!(z, i4) > z!(z, i4 - 2) {
                        return;
                    }
                    b2 *= z!(z, i4) / z!(z, i4 - 2);
                    a2 += b2;
                    if 100.0 * mx(b2, b1) < a2 || CNST1 < a2 {
                        break;
                    }
                    i4 -= 4;
                }
                a2 *= CNST3;
                if a2 < CNST1 {
                    s = gam * (1.0 - a2.sqrt()) / (1.0 + a2);
                }
            }
        } else if dmin == dn2 {
            // Case 5.
            q.ttype = -5;
            s = 0.25 * dmin;
            let np = nn - 2 * pp;
            let b1 = z!(z, np - 2);
            let mut b2 = z!(z, np - 6);
            let gam = dn2;
            if z!(z, np - 8) > b2 || z!(z, np - 4) > b1 {
                return;
            }
            let mut a2 = (z!(z, np - 8) / b2) * (1.0 + z!(z, np - 4) / b1);
            if n0 - i0 > 2 {
                b2 = z!(z, nn - 13) / z!(z, nn - 15);
                a2 += b2;
                let mut i4 = nn - 17;
                while i4 >= 4 * i0 - 1 + pp {
                    if b2 == 0.0 {
                        break;
                    }
                    let b1 = b2;
                    if z!(z, i4) > z!(z, i4 - 2) {
                        return;
                    }
                    b2 *= z!(z, i4) / z!(z, i4 - 2);
                    a2 += b2;
                    if 100.0 * mx(b2, b1) < a2 || CNST1 < a2 {
                        break;
                    }
                    i4 -= 4;
                }
                a2 *= CNST3;
            }
            if a2 < CNST1 {
                s = gam * (1.0 - a2.sqrt()) / (1.0 + a2);
            }
        } else {
            // Case 6: no information to guide us.
            if q.ttype == -6 {
                q.g += THIRD * (1.0 - q.g);
            } else if q.ttype == -18 {
                q.g = 0.25 * THIRD;
            } else {
                q.g = 0.25;
            }
            s = q.g * dmin;
            q.ttype = -6;
        }
    } else if n0in == n0 + 1 {
        // One eigenvalue just deflated: dmin1, dn1 for dmin, dn.
        if dmin1 == dn1 && dmin2 == dn2 {
            // Cases 7 and 8.
            q.ttype = -7;
            s = THIRD * dmin1;
            if z!(z, nn - 5) > z!(z, nn - 7) {
                return;
            }
            let mut b1 = z!(z, nn - 5) / z!(z, nn - 7);
            let mut b2 = b1;
            if b2 != 0.0 {
                let mut i4 = 4 * n0 - 9 + pp;
                while i4 >= 4 * i0 - 1 + pp {
                    let a2 = b1;
                    if z!(z, i4) > z!(z, i4 - 2) {
                        return;
                    }
                    b1 *= z!(z, i4) / z!(z, i4 - 2);
                    b2 += b1;
                    if 100.0 * mx(b1, a2) < b2 {
                        break;
                    }
                    i4 -= 4;
                }
            }
            let b2 = (CNST3 * b2).sqrt();
            let a2 = dmin1 / (1.0 + b2 * b2);
            let gap2 = 0.5 * dmin2 - a2;
            if gap2 > 0.0 && gap2 > b2 * a2 {
                s = mx(s, a2 * (1.0 - CNST2 * a2 * (b2 / gap2) * b2));
            } else {
                s = mx(s, a2 * (1.0 - CNST2 * b2));
                q.ttype = -8;
            }
        } else {
            // Case 9.
            s = 0.25 * dmin1;
            if dmin1 == dn1 {
                s = 0.5 * dmin1;
            }
            q.ttype = -9;
        }
    } else if n0in == n0 + 2 {
        // Two eigenvalues deflated: dmin2, dn2 for dmin, dn (cases 10 and 11).
        if dmin2 == dn2 && 2.0 * z!(z, nn - 5) < z!(z, nn - 7) {
            q.ttype = -10;
            s = THIRD * dmin2;
            if z!(z, nn - 5) > z!(z, nn - 7) {
                return;
            }
            let mut b1 = z!(z, nn - 5) / z!(z, nn - 7);
            let mut b2 = b1;
            if b2 != 0.0 {
                let mut i4 = 4 * n0 - 9 + pp;
                while i4 >= 4 * i0 - 1 + pp {
                    if z!(z, i4) > z!(z, i4 - 2) {
                        return;
                    }
                    b1 *= z!(z, i4) / z!(z, i4 - 2);
                    b2 += b1;
                    if 100.0 * b1 < b2 {
                        break;
                    }
                    i4 -= 4;
                }
            }
            let b2 = (CNST3 * b2).sqrt();
            let a2 = dmin2 / (1.0 + b2 * b2);
            let gap2 = z!(z, nn - 7) + z!(z, nn - 9) - z!(z, nn - 11).sqrt() * z!(z, nn - 9).sqrt() - a2;
            if gap2 > 0.0 && gap2 > b2 * a2 {
                s = mx(s, a2 * (1.0 - CNST2 * a2 * (b2 / gap2) * b2));
            } else {
                s = mx(s, a2 * (1.0 - CNST2 * b2));
            }
        } else {
            s = 0.25 * dmin2;
            q.ttype = -11;
        }
    } else if n0in > n0 + 2 {
        // Case 12: more than two deflated.
        s = 0.0;
        q.ttype = -12;
    }
    q.tau = s;
}

/// `dlasq5` (IEEE branch): one dqds step with shift tau, ping-pong by pp. A shift below
/// eps·(sigma + tau)/2 is dropped, and then the d's that fall below that threshold are zeroed.
fn lasq5(z: &mut [f64], q: &mut Qd) {
    let (i0, n0, pp) = (q.i0, q.n0, q.pp);
    if n0 - i0 - 1 <= 0 {
        return;
    }
    let dthresh = PREC * (q.sigma + q.tau);
    if q.tau < dthresh * 0.5 {
        q.tau = 0.0;
    }
    let tau = q.tau;
    let zero_small = tau == 0.0;
    let mut j4 = 4 * i0 + pp - 3;
    let mut emin = z!(z, j4 + 4);
    let mut d = z!(z, j4) - tau;
    let mut dmin = d;
    q.dmin1 = -z!(z, j4);
    if pp == 0 {
        let mut j4 = 4 * i0;
        while j4 <= 4 * (n0 - 3) {
            z!(z, j4 - 2) = d + z!(z, j4 - 1);
            let temp = z!(z, j4 + 1) / z!(z, j4 - 2);
            d = d * temp - tau;
            if zero_small && d < dthresh {
                d = 0.0;
            }
            dmin = mn(dmin, d);
            z!(z, j4) = z!(z, j4 - 1) * temp;
            emin = mn(z!(z, j4), emin);
            j4 += 4;
        }
    } else {
        let mut j4 = 4 * i0;
        while j4 <= 4 * (n0 - 3) {
            z!(z, j4 - 3) = d + z!(z, j4);
            let temp = z!(z, j4 + 2) / z!(z, j4 - 3);
            d = d * temp - tau;
            if zero_small && d < dthresh {
                d = 0.0;
            }
            dmin = mn(dmin, d);
            z!(z, j4 - 1) = z!(z, j4) * temp;
            emin = mn(z!(z, j4 - 1), emin);
            j4 += 4;
        }
    }
    // The last two steps unrolled.
    let dnm2 = d;
    q.dmin2 = dmin;
    j4 = 4 * (n0 - 2) - pp;
    let mut j4p2 = j4 + 2 * pp - 1;
    z!(z, j4 - 2) = dnm2 + z!(z, j4p2);
    z!(z, j4) = z!(z, j4p2 + 2) * (z!(z, j4p2) / z!(z, j4 - 2));
    let dnm1 = z!(z, j4p2 + 2) * (dnm2 / z!(z, j4 - 2)) - tau;
    dmin = mn(dmin, dnm1);
    q.dmin1 = dmin;
    j4 += 4;
    j4p2 = j4 + 2 * pp - 1;
    z!(z, j4 - 2) = dnm1 + z!(z, j4p2);
    z!(z, j4) = z!(z, j4p2 + 2) * (z!(z, j4p2) / z!(z, j4 - 2));
    let dn = z!(z, j4p2 + 2) * (dnm1 / z!(z, j4 - 2)) - tau;
    dmin = mn(dmin, dn);
    z!(z, j4 + 2) = dn;
    z!(z, 4 * n0 - pp) = emin;
    q.dmin = dmin;
    q.dn = dn;
    q.dn1 = dnm1;
    q.dn2 = dnm2;
}

/// `dlasq6`: one dqd step (no shift) guarded against underflow.
fn lasq6(z: &mut [f64], q: &mut Qd) {
    let (i0, n0, pp) = (q.i0, q.n0, q.pp);
    if n0 - i0 - 1 <= 0 {
        return;
    }
    let mut j4 = 4 * i0 + pp - 3;
    let mut emin = z!(z, j4 + 4);
    let mut d = z!(z, j4);
    let mut dmin = d;
    // (pp = 0: new q at j4-2, new e at j4, reading e at j4-1, q at j4+1; pp = 1 one lower.)
    let (wq, we, re, rq) = if pp == 0 { (-2, 0, -1, 1) } else { (-3, -1, 0, 2) };
    let mut k = 4 * i0;
    while k <= 4 * (n0 - 3) {
        z!(z, k + wq) = d + z!(z, k + re);
        if z!(z, k + wq) == 0.0 {
            z!(z, k + we) = 0.0;
            d = z!(z, k + rq);
            dmin = d;
            emin = 0.0;
        } else if SAFMIN * z!(z, k + rq) < z!(z, k + wq) && SAFMIN * z!(z, k + wq) < z!(z, k + rq) {
            let temp = z!(z, k + rq) / z!(z, k + wq);
            z!(z, k + we) = z!(z, k + re) * temp;
            d *= temp;
        } else {
            z!(z, k + we) = z!(z, k + rq) * (z!(z, k + re) / z!(z, k + wq));
            d = z!(z, k + rq) * (d / z!(z, k + wq));
        }
        dmin = mn(dmin, d);
        emin = mn(emin, z!(z, k + we));
        k += 4;
    }
    // The last two steps unrolled.
    let dnm2 = d;
    q.dmin2 = dmin;
    j4 = 4 * (n0 - 2) - pp;
    let mut j4p2 = j4 + 2 * pp - 1;
    let step = |z: &mut [f64], j4: isize, j4p2: isize, dprev: f64, dmin: &mut f64, emin: &mut f64| -> f64 {
        z!(z, j4 - 2) = dprev + z!(z, j4p2);
        let dnext;
        if z!(z, j4 - 2) == 0.0 {
            z!(z, j4) = 0.0;
            dnext = z!(z, j4p2 + 2);
            *dmin = dnext;
            *emin = 0.0;
        } else if SAFMIN * z!(z, j4p2 + 2) < z!(z, j4 - 2) && SAFMIN * z!(z, j4 - 2) < z!(z, j4p2 + 2) {
            let temp = z!(z, j4p2 + 2) / z!(z, j4 - 2);
            z!(z, j4) = z!(z, j4p2) * temp;
            dnext = dprev * temp;
        } else {
            z!(z, j4) = z!(z, j4p2 + 2) * (z!(z, j4p2) / z!(z, j4 - 2));
            dnext = z!(z, j4p2 + 2) * (dprev / z!(z, j4 - 2));
        }
        *dmin = mn(*dmin, dnext);
        dnext
    };
    let dnm1 = step(z, j4, j4p2, dnm2, &mut dmin, &mut emin);
    q.dmin1 = dmin;
    j4 += 4;
    j4p2 = j4 + 2 * pp - 1;
    let dn = step(z, j4, j4p2, dnm1, &mut dmin, &mut emin);
    z!(z, j4 + 2) = dn;
    z!(z, 4 * n0 - pp) = emin;
    q.dmin = dmin;
    q.dn = dn;
    q.dn1 = dnm1;
    q.dn2 = dnm2;
}

/// The singular values of the upper (or lower) bidiagonal (d, e) as `dbdsdc(uplo, 'N')`
/// computes them: a lower one rotated to upper form, then `dlasq1` (`dbdsqr`'s QR sweeps
/// finish what dqds leaves unfinished). Decreasing, in d.
pub(crate) fn bidiagonal_values(upper: bool, d: &mut [f64], e: &mut [f64]) -> Result<(), NoConvergence> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    if n == 1 {
        d[0] = d[0].abs();
        return Ok(());
    }
    if !upper {
        lower_to_upper(d, e, |_, _, _| {});
    }
    let mut ew = vec![0.0; n];
    ew[..n - 1].copy_from_slice(&e[..n - 1]);
    match lasq1(d, &mut ew) {
        Ok(()) => Ok(()),
        Err(2) => {
            crate::lapack_small::bidiagonal_qr(d, &mut ew[..n - 1], None, None)?;
            sort_decreasing(d);
            Ok(())
        }
        Err(_) => Err(NoConvergence),
    }
}

/// Householder QR without Q (`dgeqr2`) of the tall m × n `a` (column-major), leaving R in its
/// upper triangle: R, n × n, zeros below (`dgesdd`'s `dlaset`).
fn geqr2_r(a: &mut Cm) -> Cm {
    let (m, n) = (a.rows, a.cols);
    for i in 0..n {
        let mut x: Vec<f64> = a.v[i + i * m..(i + 1) * m].to_vec();
        let tau = crate::lapack_small::reflector(&mut x);
        a.v[i + i * m..(i + 1) * m].copy_from_slice(&x);
        x[0] = 1.0;
        crate::lapack_small::dlarf_left(a, &x, tau, i, i + 1, n);
    }
    Cm::from_fn(n, n, |i, j| if i <= j { a.get(i, j) } else { 0.0 })
}

/// Householder LQ without Q (`dgelq2`) of the wide m × n `a`: L, m × m, zeros above. Each
/// reflector is a row of `a` (step lda to `dnrm2` and `dgemv`), applied from the right.
fn gelq2_l(a: &mut Cm) -> Cm {
    let (m, n) = (a.rows, a.cols);
    for i in 0..m {
        let mut x: Vec<f64> = (i..n).map(|j| a.get(i, j)).collect();
        let tau = crate::lapack_small::reflector(&mut x);
        for (j, &xj) in x.iter().enumerate() {
            a.set(i, i + j, xj);
        }
        x[0] = 1.0;
        crate::lapack_small::dlarf_right(a, &x, m == 1, tau, i + 1, m, i);
    }
    Cm::from_fn(m, m, |i, j| if i >= j { a.get(i, j) } else { 0.0 })
}

/// `dgesdd(JOBZ = 'N')` on the finite m × n `a`: the singular values, decreasing. `None` for
/// shapes not followed (min(m, n) = 0 or above [`SVDVALS_MAX`], or a QR / LQ-first shape
/// above [`SVDVALS_QR_MAX`]).
pub fn svd_values(a: &Cm) -> Option<Result<Vec<f64>, NoConvergence>> {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mnthr = k * 11 / 6;
    let qr_first = (m >= n && m >= mnthr) || (m < n && n >= mnthr);
    if k == 0 || k > SVDVALS_MAX || (qr_first && k > SVDVALS_QR_MAX) {
        return None;
    }
    // dgesdd scales A into [smlnum, bignum] by its largest magnitude (dlange 'M').
    let smlnum = SAFMIN.sqrt() / PREC;
    let bignum = 1.0 / smlnum;
    let anrm = a.v.iter().fold(0.0f64, |acc, &x| mx(acc, x.abs()));
    let mut w = a.clone();
    let scaled_to = if anrm > 0.0 && anrm < smlnum {
        Some(smlnum)
    } else if anrm > bignum {
        Some(bignum)
    } else {
        None
    };
    if let Some(to) = scaled_to {
        crate::lapack_bdsdc::rescale(&mut w.v, anrm, to);
    }
    let (mut d, mut e, upper) = if qr_first {
        // Path 1 (QR, m ≫ n) or 1t (LQ, n ≫ m): dgebrd on the k × k triangle, upper
        // bidiagonal either way.
        let mut r = if m >= n { geqr2_r(&mut w) } else { gelq2_l(&mut w) };
        let (d, e, _, _) = crate::lapack_gebrd::gebrd_in_place(k, k, &mut r.v);
        (d, e, true)
    } else {
        let (d, e, _, _) = crate::lapack_gebrd::gebrd_in_place(m, n, &mut w.v);
        (d, e, m >= n)
    };
    if let Err(err) = bidiagonal_values(upper, &mut d, &mut e) {
        return Some(Err(err));
    }
    if let Some(to) = scaled_to {
        crate::lapack_bdsdc::rescale(&mut d, to, anrm);
    }
    Some(Ok(d))
}

/// Test hook: `dlasq1` on (d, e) (e of n - 1 entries): (d, e, info).
pub fn lasq1_hook(mut d: Vec<f64>, e: &[f64]) -> (Vec<f64>, Vec<f64>, i32) {
    let n = d.len();
    let mut ew = vec![0.0; n.max(1)];
    ew[..e.len().min(n.saturating_sub(1))].copy_from_slice(&e[..e.len().min(n.saturating_sub(1))]);
    let info = match lasq1(&mut d, &mut ew) {
        Ok(()) => 0,
        Err(i) => i,
    };
    (d, ew, info)
}
