//! Eigenvalues alone, as NumPy's `eigvalsh` computes them: `dsyevd` (JOBZ = 'N', UPLO = 'L')
//! of LAPACK 3.12 in scipy-openblas 0.3.31 — the matrix scaled when its largest entry is tiny
//! or huge, reduced by the blocked `dsytrd` ([`crate::lapack_sytrd::sytrd_lower`]), the
//! tridiagonal's eigenvalues found by `dsterf` (the root-free Pal-Walker-Kahan QL / QR), then
//! unscaled. The Fortran is compiled without FMA contraction, as written here.

use crate::lapack_small::{hypot2, Cm, NoConvergence, EPS, SAFMIN};

/// `dlascl('G')` on `x`: multiplies by cto / cfrom in steps that neither overflow nor
/// underflow.
fn lascl(cfrom: f64, cto: f64, x: &mut [f64]) {
    let bignum = 1.0 / SAFMIN;
    let (mut cfromc, mut ctoc) = (cfrom, cto);
    loop {
        let cfrom1 = cfromc * SAFMIN;
        let (mul, done);
        if cfrom1 == cfromc {
            // cfromc is infinite
            mul = ctoc / cfromc;
            done = true;
        } else {
            let cto1 = ctoc / bignum;
            if cto1 == ctoc {
                // ctoc is zero or infinite
                mul = ctoc;
                done = true;
            } else if cfrom1.abs() > ctoc.abs() && ctoc != 0.0 {
                mul = SAFMIN;
                done = false;
                cfromc = cfrom1;
            } else if cto1.abs() > cfromc.abs() {
                mul = bignum;
                done = false;
                ctoc = cto1;
            } else {
                mul = ctoc / cfromc;
                if mul == 1.0 {
                    return;
                }
                done = true;
            }
        }
        x.iter_mut().for_each(|v| *v *= mul);
        if done {
            return;
        }
    }
}

/// `dlae2`: the eigenvalues (rt1 of larger absolute value, rt2) of [[a, b], [b, c]].
fn lae2(a: f64, b: f64, c: f64) -> (f64, f64) {
    let sm = a + c;
    let adf = (a - c).abs();
    let tb = b + b;
    let ab = tb.abs();
    let (acmx, acmn) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let rt = if adf > ab {
        adf * (1.0 + (ab / adf) * (ab / adf)).sqrt()
    } else if adf < ab {
        ab * (1.0 + (adf / ab) * (adf / ab)).sqrt()
    } else {
        ab * 2f64.sqrt()
    };
    if sm < 0.0 {
        let rt1 = 0.5 * (sm - rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b)
    } else if sm > 0.0 {
        let rt1 = 0.5 * (sm + rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b)
    } else {
        (0.5 * rt, -0.5 * rt)
    }
}

/// `dlasrt('I')`: LAPACK's quicksort (median of three, insertion sort on runs of up to 21), so
/// that equal values of either zero sign land where LAPACK puts them.
fn lasrt_increasing(d: &mut [f64]) {
    const SELECT: usize = 20;
    if d.len() <= 1 {
        return;
    }
    let mut stack = vec![(0usize, d.len() - 1)];
    while let Some((start, endd)) = stack.pop() {
        if endd - start <= SELECT && endd > start {
            for i in start + 1..=endd {
                let mut j = i;
                while j > start && d[j] < d[j - 1] {
                    d.swap(j, j - 1);
                    j -= 1;
                }
            }
        } else if endd - start > SELECT {
            let (d1, d2, d3) = (d[start], d[endd], d[(start + endd) / 2]);
            let pivot = if d1 < d2 {
                if d3 < d1 {
                    d1
                } else if d3 < d2 {
                    d3
                } else {
                    d2
                }
            } else if d3 < d2 {
                d2
            } else if d3 < d1 {
                d3
            } else {
                d1
            };
            // Hoare partition on 1-based positions i, j (i starts before start, j after endd)
            let (mut i, mut j) = (start, endd + 2);
            loop {
                j -= 1;
                while d[j - 1] > pivot {
                    j -= 1;
                }
                i += 1;
                while d[i - 1] < pivot {
                    i += 1;
                }
                if i < j {
                    d.swap(i - 1, j - 1);
                } else {
                    break;
                }
            }
            // 0-based: the parts are start..=j-1 and j..=endd; the larger is pushed first
            let jj = j - 1;
            if jj - start > endd - jj - 1 {
                stack.push((start, jj));
                stack.push((jj + 1, endd));
            } else {
                stack.push((jj + 1, endd));
                stack.push((start, jj));
            }
        }
    }
}

/// `dsterf`: the eigenvalues of the symmetric tridiagonal (d, e) into `d`, increasing; `e`
/// (length n - 1) is destroyed.
pub fn sterf(d: &mut [f64], e: &mut [f64]) -> Result<(), NoConvergence> {
    let n = d.len();
    if n <= 1 {
        return Ok(());
    }
    debug_assert_eq!(e.len(), n - 1);
    let eps2 = EPS * EPS;
    let safmax = 1.0 / SAFMIN;
    let ssfmax = safmax.sqrt() / 3.0;
    let ssfmin = SAFMIN.sqrt() / eps2;
    let nmaxit = n * 30;
    let mut jtot = 0;
    // 1-based positions as in LAPACK: D(i) = d[i-1], E(i) = e[i-1]
    let mut l1 = 1;
    loop {
        if l1 > n {
            lasrt_increasing(d);
            return Ok(());
        }
        if l1 > 1 {
            e[l1 - 2] = 0.0;
        }
        let mut m = n;
        for mm in l1..n {
            if e[mm - 1].abs() <= (d[mm - 1].abs().sqrt() * d[mm].abs().sqrt()) * EPS {
                e[mm - 1] = 0.0;
                m = mm;
                break;
            }
        }
        let (mut l, lsv) = (l1, l1);
        let (mut lend, lendsv) = (m, m);
        l1 = m + 1;
        if lend == l {
            continue;
        }
        // dlanst('M')
        let anorm = d[l - 1..lend].iter().chain(&e[l - 1..lend - 1]).fold(0.0f64, |a, &x| if a < x.abs() || x.is_nan() { x.abs() } else { a });
        if anorm == 0.0 {
            continue;
        }
        let scale = if anorm > ssfmax {
            Some(ssfmax)
        } else if anorm < ssfmin {
            Some(ssfmin)
        } else {
            None
        };
        if let Some(to) = scale {
            lascl(anorm, to, &mut d[l - 1..lend]);
            lascl(anorm, to, &mut e[l - 1..lend - 1]);
        }
        for x in &mut e[l - 1..lend - 1] {
            *x = *x * *x;
        }
        if d[lend - 1].abs() < d[l - 1].abs() {
            lend = lsv;
            l = lendsv;
        }
        if lend >= l {
            // QL iteration
            'ql: loop {
                let mut m = lend;
                if l != lend {
                    for mm in l..lend {
                        if e[mm - 1].abs() <= eps2 * (d[mm - 1] * d[mm]).abs() {
                            m = mm;
                            break;
                        }
                    }
                }
                if m < lend {
                    e[m - 1] = 0.0;
                }
                let p = d[l - 1];
                if m == l {
                    // eigenvalue found
                    d[l - 1] = p;
                    l += 1;
                    if l <= lend {
                        continue 'ql;
                    }
                    break 'ql;
                }
                if m == l + 1 {
                    let rte = e[l - 1].sqrt();
                    let (rt1, rt2) = lae2(d[l - 1], rte, d[l]);
                    d[l - 1] = rt1;
                    d[l] = rt2;
                    e[l - 1] = 0.0;
                    l += 2;
                    if l <= lend {
                        continue 'ql;
                    }
                    break 'ql;
                }
                if jtot == nmaxit {
                    break 'ql;
                }
                jtot += 1;
                let rte = e[l - 1].sqrt();
                let mut sigma = (d[l] - p) / (2.0 * rte);
                let r = hypot2(sigma, 1.0);
                sigma = p - (rte / (sigma + r.copysign(sigma)));
                let (mut c, mut s) = (1.0, 0.0);
                let mut gamma = d[m - 1] - sigma;
                let mut p = gamma * gamma;
                for i in (l..m).rev() {
                    let bb = e[i - 1];
                    let r = p + bb;
                    if i != m - 1 {
                        e[i] = s * r;
                    }
                    let oldc = c;
                    c = p / r;
                    s = bb / r;
                    let oldgam = gamma;
                    let alpha = d[i - 1];
                    gamma = c * (alpha - sigma) - s * oldgam;
                    d[i] = oldgam + (alpha - gamma);
                    p = if c != 0.0 { (gamma * gamma) / c } else { oldc * bb };
                }
                e[l - 1] = s * p;
                d[l - 1] = sigma + gamma;
            }
        } else {
            // QR iteration
            'qr: loop {
                let mut m = lend;
                let mut mm = l;
                while mm > lend {
                    if e[mm - 2].abs() <= eps2 * (d[mm - 1] * d[mm - 2]).abs() {
                        m = mm;
                        break;
                    }
                    mm -= 1;
                }
                if m > lend {
                    e[m - 2] = 0.0;
                }
                let p = d[l - 1];
                if m == l {
                    d[l - 1] = p;
                    if l == lend {
                        break 'qr;
                    }
                    l -= 1;
                    continue 'qr;
                }
                if m + 1 == l {
                    let rte = e[l - 2].sqrt();
                    let (rt1, rt2) = lae2(d[l - 1], rte, d[l - 2]);
                    d[l - 1] = rt1;
                    d[l - 2] = rt2;
                    e[l - 2] = 0.0;
                    if l < lend + 2 {
                        break 'qr;
                    }
                    l -= 2;
                    continue 'qr;
                }
                if jtot == nmaxit {
                    break 'qr;
                }
                jtot += 1;
                let rte = e[l - 2].sqrt();
                let mut sigma = (d[l - 2] - p) / (2.0 * rte);
                let r = hypot2(sigma, 1.0);
                sigma = p - (rte / (sigma + r.copysign(sigma)));
                let (mut c, mut s) = (1.0, 0.0);
                let mut gamma = d[m - 1] - sigma;
                let mut p = gamma * gamma;
                for i in m..l {
                    let bb = e[i - 1];
                    let r = p + bb;
                    if i != m {
                        e[i - 2] = s * r;
                    }
                    let oldc = c;
                    c = p / r;
                    s = bb / r;
                    let oldgam = gamma;
                    let alpha = d[i];
                    gamma = c * (alpha - sigma) - s * oldgam;
                    d[i - 1] = oldgam + (alpha - gamma);
                    p = if c != 0.0 { (gamma * gamma) / c } else { oldc * bb };
                }
                e[l - 2] = s * p;
                d[l - 1] = sigma + gamma;
            }
        }
        if let Some(to) = scale {
            lascl(to, anorm, &mut d[lsv - 1..lendsv]);
        }
        if jtot >= nmaxit {
            return if e.iter().any(|&x| x != 0.0) { Err(NoConvergence) } else { Ok(()) };
        }
    }
}

/// `dsyevd('N')` with NumPy's workspace on `threads` OpenBLAS threads: the eigenvalues,
/// increasing, of the symmetric matrix whose lower (or upper) triangle is `a` (finite
/// entries). `dsytrd` is unblocked (`dsytd2`) up to order 32, and modelled blocked beyond for
/// the lower triangle only: `None` for an upper triangle beyond 32.
pub fn syevd_values(a: &Cm, lower: bool, threads: usize) -> Option<Result<Vec<f64>, NoConvergence>> {
    let n = a.rows;
    if n == 0 || (!lower && n > crate::lapack_small::EIGH_MAX) {
        return None;
    }
    if n == 1 {
        return Some(Ok(vec![a.get(0, 0)]));
    }
    // the referenced triangle of column j, diagonal included
    let part = |j: usize| if lower { j * n + j..(j + 1) * n } else { j * n..j * n + j + 1 };
    // dsyevd scales by 'Precision' (2⁻⁵²), not dsterf's 'Epsilon'
    let smlnum = SAFMIN / f64::EPSILON;
    let rmin = smlnum.sqrt();
    let rmax = (1.0 / smlnum).sqrt();
    let mut w = a.clone();
    let anrm = (0..n).flat_map(|j| w.v[part(j)].iter()).fold(0.0f64, |m, x| m.max(x.abs()));
    let sigma = if anrm > 0.0 && anrm < rmin {
        Some(rmin / anrm)
    } else if anrm > rmax {
        Some(rmax / anrm)
    } else {
        None
    };
    if let Some(sigma) = sigma {
        for j in 0..n {
            lascl(1.0, sigma, &mut w.v[part(j)]);
        }
    }
    let (mut d, mut e) = if n <= crate::lapack_small::EIGH_MAX {
        let (d, e, _) = crate::lapack_small::tridiagonalize(&mut w, lower);
        (d, e)
    } else {
        let (d, e, _) = crate::lapack_sytrd::sytrd_lower(&mut w, threads);
        (d, e)
    };
    if let Err(x) = sterf(&mut d, &mut e) {
        return Some(Err(x));
    }
    if let Some(sigma) = sigma {
        let r = 1.0 / sigma;
        d.iter_mut().for_each(|x| *x *= r);
    }
    Some(Ok(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lasrt_sorts() {
        let mut s = 7u64;
        for n in [0, 1, 2, 5, 21, 22, 23, 50, 200, 1000] {
            let mut d: Vec<f64> = (0..n)
                .map(|_| {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((s >> 40) % 17) as f64 - 8.0
                })
                .collect();
            let mut want = d.clone();
            want.sort_by(|a, b| a.partial_cmp(b).unwrap());
            lasrt_increasing(&mut d);
            assert_eq!(d, want, "n = {n}");
        }
    }

    #[test]
    fn sterf_matches_known_spectrum() {
        // tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(k π / (n + 1))
        for n in [1, 2, 3, 10, 57] {
            let mut d = vec![2.0; n];
            let mut e = vec![-1.0; n - 1];
            sterf(&mut d, &mut e).unwrap();
            for (k, x) in d.iter().enumerate() {
                let want = 2.0 - 2.0 * ((k + 1) as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
                assert!((x - want).abs() < 1e-13, "n = {n}: {x} vs {want}");
            }
        }
    }
}
