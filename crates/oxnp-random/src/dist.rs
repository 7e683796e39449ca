//! Distribution algorithms shared by `RandomState` (legacy) and `Generator`.
//!
//! `Src` abstracts the two things that differ between the legacy and the new streams: the
//! Gaussian (polar Box–Muller with cache vs. ziggurat) and the standard exponential
//! (`-log(1-U)` vs. ziggurat).

use crate::bitgen::BitGen;
use std::f64::consts::PI;

pub(crate) trait Src: BitGen {
    fn gauss(&mut self) -> f64;
    fn sexp(&mut self) -> f64;
    const LEGACY: bool;
}

/// NumPy's `binomial_t`: setup values cached between calls with the same (n, p).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BinomialCache {
    pub has_binomial: bool,
    pub nsave: i64,
    pub psave: f64,
    r: f64,
    q: f64,
    fm: f64,
    m: i64,
    p1: f64,
    xm: f64,
    xl: f64,
    xr: f64,
    c: f64,
    laml: f64,
    lamr: f64,
    p2: f64,
    p3: f64,
    p4: f64,
}

pub(crate) fn standard_gamma<S: Src>(s: &mut S, shape: f64) -> f64 {
    if shape == 1.0 {
        return s.sexp();
    } else if shape == 0.0 {
        return 0.0;
    } else if shape < 1.0 {
        loop {
            let u = s.next_double();
            let v = s.sexp();
            if u <= 1.0 - shape {
                let x = u.powf(1.0 / shape);
                if x <= v {
                    return x;
                }
            } else {
                let y = -((1.0 - u) / shape).ln();
                let x = (1.0 - shape + shape * y).powf(1.0 / shape);
                if x <= v + y {
                    return x;
                }
            }
        }
    }
    let b = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * b).sqrt();
    loop {
        let mut x;
        let mut v;
        loop {
            x = s.gauss();
            v = 1.0 + c * x;
            // NumPy loops `while (V <= 0.0)`: a NaN V (NaN shape) leaves the loop.
            if !(v <= 0.0) {
                break;
            }
        }
        v = v * v * v;
        let u = s.next_double();
        if u < 1.0 - 0.0331 * (x * x) * (x * x) {
            return b * v;
        }
        if u.ln() < 0.5 * x * x + b * (1.0 - v + v.ln()) {
            return b * v;
        }
    }
}

pub(crate) fn beta<S: Src>(s: &mut S, a: f64, b: f64) -> f64 {
    if a <= 1.0 && b <= 1.0 {
        loop {
            let u = s.next_double();
            let v = s.next_double();
            let x = u.powf(1.0 / a);
            let y = v.powf(1.0 / b);
            let xpy = x + y;
            let accept = if S::LEGACY { xpy <= 1.0 } else { xpy <= 1.0 && xpy > 0.0 };
            if accept {
                if xpy > 0.0 {
                    return x / xpy;
                }
                let mut lx = u.ln() / a;
                let mut ly = v.ln() / b;
                let lm = if lx > ly { lx } else { ly };
                lx -= lm;
                ly -= lm;
                return (lx - (lx.exp() + ly.exp()).ln()).exp();
            }
        }
    }
    let ga = standard_gamma(s, a);
    let gb = standard_gamma(s, b);
    ga / (ga + gb)
}

pub(crate) fn chisquare<S: Src>(s: &mut S, df: f64) -> f64 {
    2.0 * standard_gamma(s, df / 2.0)
}

pub(crate) fn f_dist<S: Src>(s: &mut S, dfnum: f64, dfden: f64) -> f64 {
    (chisquare(s, dfnum) * dfden) / (chisquare(s, dfden) * dfnum)
}

pub(crate) fn noncentral_chisquare<S: Src>(s: &mut S, df: f64, nonc: f64) -> f64 {
    if !S::LEGACY && nonc.is_nan() {
        return f64::NAN;
    }
    if nonc == 0.0 {
        return chisquare(s, df);
    }
    if 1.0 < df {
        let chi2 = chisquare(s, df - 1.0);
        let n = s.gauss() + nonc.sqrt();
        chi2 + n * n
    } else {
        let i = poisson(s, nonc / 2.0);
        let out = chisquare(s, df + 2.0 * i as f64);
        if nonc.is_nan() { f64::NAN } else { out }
    }
}

pub(crate) fn noncentral_f<S: Src>(s: &mut S, dfnum: f64, dfden: f64, nonc: f64) -> f64 {
    let t = noncentral_chisquare(s, dfnum, nonc) * dfden;
    t / (chisquare(s, dfden) * dfnum)
}

pub(crate) fn pareto<S: Src>(s: &mut S, a: f64) -> f64 {
    (s.sexp() / a).exp() - 1.0
}
pub(crate) fn weibull<S: Src>(s: &mut S, a: f64) -> f64 {
    if a == 0.0 {
        return 0.0;
    }
    s.sexp().powf(1.0 / a)
}
pub(crate) fn power<S: Src>(s: &mut S, a: f64) -> f64 {
    (1.0 - (-s.sexp()).exp()).powf(1.0 / a)
}
pub(crate) fn standard_cauchy<S: Src>(s: &mut S) -> f64 {
    let a = s.gauss();
    let b = s.gauss();
    a / b
}
pub(crate) fn standard_t<S: Src>(s: &mut S, df: f64) -> f64 {
    let num = s.gauss();
    let denom = standard_gamma(s, df / 2.0);
    (df / 2.0).sqrt() * num / denom.sqrt()
}
pub(crate) fn wald<S: Src>(s: &mut S, mean: f64, scale: f64) -> f64 {
    let mu_2l = mean / (2.0 * scale);
    let mut y = s.gauss();
    y = mean * y * y;
    let x = mean + mu_2l * (y - (4.0 * scale * y + y * y).sqrt());
    let u = s.next_double();
    if u <= mean / (mean + x) { x } else { mean * mean / x }
}
pub(crate) fn laplace<B: BitGen + ?Sized>(b: &mut B, loc: f64, scale: f64) -> f64 {
    loop {
        let u = b.next_double();
        if u >= 0.5 {
            return loc - scale * (2.0 - u - u).ln();
        } else if u > 0.0 {
            return loc + scale * (u + u).ln();
        }
    }
}
pub(crate) fn gumbel<B: BitGen + ?Sized>(b: &mut B, loc: f64, scale: f64) -> f64 {
    loop {
        let u = 1.0 - b.next_double();
        if u < 1.0 {
            return loc - scale * (-u.ln()).ln();
        }
    }
}
pub(crate) fn logistic<B: BitGen + ?Sized>(b: &mut B, loc: f64, scale: f64) -> f64 {
    loop {
        let u = b.next_double();
        if u > 0.0 {
            return loc + scale * (u / (1.0 - u)).ln();
        }
    }
}
pub(crate) fn rayleigh<B: BitGen + ?Sized>(b: &mut B, mode: f64) -> f64 {
    mode * (-2.0 * (-b.next_double()).ln_1p()).sqrt()
}
pub(crate) fn triangular<B: BitGen + ?Sized>(b: &mut B, left: f64, mode: f64, right: f64) -> f64 {
    let base = right - left;
    let leftbase = mode - left;
    let ratio = leftbase / base;
    let leftprod = leftbase * base;
    let rightprod = (right - mode) * base;
    let u = b.next_double();
    if u <= ratio { left + (u * leftprod).sqrt() } else { right - ((1.0 - u) * rightprod).sqrt() }
}

/// NumPy's `random_loggam` (SPECFUN log-gamma).
pub(crate) fn loggam(x: f64) -> f64 {
    const A: [f64; 10] = [
        8.333333333333333e-02,
        -2.777777777777778e-03,
        7.936507936507937e-04,
        -5.952380952380952e-04,
        8.417508417508418e-04,
        -1.917526917526918e-03,
        6.410256410256410e-03,
        -2.955065359477124e-02,
        1.796443723688307e-01,
        -1.39243221690590e+00,
    ];
    if x == 1.0 || x == 2.0 {
        return 0.0;
    }
    let mut x0 = x;
    let mut n = 0i64;
    if x <= 7.0 {
        n = (7.0 - x) as i64;
        x0 = x + n as f64;
    }
    let x2 = 1.0 / (x0 * x0);
    let xp = 2.0 * PI;
    let mut gl0 = A[9];
    for k in (0..9).rev() {
        gl0 *= x2;
        gl0 += A[k];
    }
    let mut gl = gl0 / x0 + 0.5 * xp.ln() + (x0 - 0.5) * x0.ln() - x0;
    if x <= 7.0 {
        for _ in 1..=n {
            gl -= (x0 - 1.0).ln();
            x0 -= 1.0;
        }
    }
    gl
}

fn poisson_mult<B: BitGen + ?Sized>(b: &mut B, enlam: f64) -> i64 {
    let mut x = 0;
    let mut prod = 1.0;
    loop {
        prod *= b.next_double();
        if prod > enlam {
            x += 1;
        } else {
            return x;
        }
    }
}

/// The PTRS sampler's setup for one lam (computed once per fill: the same values).
struct Ptrs {
    lam: f64,
    loglam: f64,
    bb: f64,
    a: f64,
    invalpha: f64,
    vr: f64,
}

impl Ptrs {
    fn new(lam: f64) -> Self {
        let slam = lam.sqrt();
        let loglam = lam.ln();
        let bb = 0.931 + 2.53 * slam;
        let a = -0.059 + 0.02483 * bb;
        let invalpha = 1.1239 + 1.1328 / (bb - 3.4);
        let vr = 0.9277 - 3.6224 / (bb - 2.0);
        Ptrs { lam, loglam, bb, a, invalpha, vr }
    }

    fn draw<B: BitGen + ?Sized>(&self, b: &mut B) -> i64 {
        let Ptrs { lam, loglam, bb, a, invalpha, vr } = *self;
        loop {
            let u = b.next_double() - 0.5;
            let v = b.next_double();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + bb) * u + lam + 0.43).floor() as i64;
            if us >= 0.07 && v <= vr {
                return k;
            }
            if k < 0 || (us < 0.013 && v > us) {
                continue;
            }
            if v.ln() + invalpha.ln() - (a / (us * us) + bb).ln()
                <= -lam + k as f64 * loglam - loggam(k as f64 + 1.0)
            {
                return k;
            }
        }
    }
}

pub(crate) fn poisson<B: BitGen + ?Sized>(b: &mut B, lam: f64) -> i64 {
    if lam >= 10.0 {
        Ptrs::new(lam).draw(b)
    } else if lam == 0.0 {
        0
    } else {
        poisson_mult(b, (-lam).exp())
    }
}

/// `out.len()` Poisson draws with one setup.
pub(crate) fn poisson_fill<B: BitGen + ?Sized>(b: &mut B, lam: f64, out: &mut [i64]) {
    if lam >= 10.0 {
        let p = Ptrs::new(lam);
        out.iter_mut().for_each(|o| *o = p.draw(b));
    } else if lam == 0.0 {
        out.iter_mut().for_each(|o| *o = 0);
    } else {
        let enlam = (-lam).exp();
        out.iter_mut().for_each(|o| *o = poisson_mult(b, enlam));
    }
}

fn binomial_btpe<B: BitGen + ?Sized>(b: &mut B, n: i64, p: f64, bc: &mut BinomialCache) -> i64 {
    if !bc.has_binomial || bc.nsave != n || bc.psave != p {
        bc.nsave = n;
        bc.psave = p;
        bc.has_binomial = true;
        let r = p.min(1.0 - p);
        let q = 1.0 - r;
        let fm = n as f64 * r + r;
        let m = fm.floor() as i64;
        let p1 = (2.195 * (n as f64 * r * q).sqrt() - 4.6 * q).floor() + 0.5;
        let xm = m as f64 + 0.5;
        let xl = xm - p1;
        let xr = xm + p1;
        let c = 0.134 + 20.5 / (15.3 + m as f64);
        let a = (fm - xl) / (fm - xl * r);
        let laml = a * (1.0 + a / 2.0);
        let a = (xr - fm) / (xr * q);
        let lamr = a * (1.0 + a / 2.0);
        let p2 = p1 * (1.0 + 2.0 * c);
        let p3 = p2 + c / laml;
        let p4 = p3 + c / lamr;
        *bc = BinomialCache { has_binomial: true, nsave: n, psave: p, r, q, fm, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4 };
    }
    let BinomialCache { r, q, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4, .. } = *bc;
    let nf = n as f64;
    let mf = m as f64;
    let y: i64 = 'outer: loop {
        // Step10
        let nrq = nf * r * q;
        let u = b.next_double() * p4;
        let mut v = b.next_double();
        let y: i64;
        if u <= p1 {
            break 'outer (xm - p1 * v + u).floor() as i64;
        } else if u <= p2 {
            let x = xl + (u - p1) / c;
            v = v * c + 1.0 - (mf - x + 0.5).abs() / p1;
            if v > 1.0 {
                continue;
            }
            y = x.floor() as i64;
        } else if u <= p3 {
            let yy = (xl + v.ln() / laml).floor();
            if yy < 0.0 || v == 0.0 {
                continue;
            }
            y = yy as i64;
            v = v * (u - p2) * laml;
        } else {
            let yy = (xr - v.ln() / lamr).floor();
            if yy > nf || v == 0.0 {
                continue;
            }
            y = yy as i64;
            v = v * (u - p3) * lamr;
        }
        // Step50
        let k = (y - m).abs();
        if !(k > 20 && (k as f64) < nrq / 2.0 - 1.0) {
            let s = r / q;
            let a = s * (nf + 1.0);
            let mut f = 1.0;
            if m < y {
                for i in m + 1..=y {
                    f *= a / i as f64 - s;
                }
            } else if m > y {
                for i in y + 1..=m {
                    f /= a / i as f64 - s;
                }
            }
            if v > f {
                continue;
            }
            break y;
        }
        // Step52
        let kf = k as f64;
        let rho = (kf / nrq) * ((kf * (kf / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
        let t = -kf * kf / (2.0 * nrq);
        let aa = v.ln();
        if aa < t - rho {
            break y;
        }
        if aa > t + rho {
            continue;
        }
        let x1 = y as f64 + 1.0;
        let f1 = mf + 1.0;
        let z = nf + 1.0 - mf;
        let w = nf - y as f64 + 1.0;
        let (x2, f2, z2, w2) = (x1 * x1, f1 * f1, z * z, w * w);
        let bound = xm * (f1 / x1).ln()
            + (nf - mf + 0.5) * (z / w).ln()
            + (y - m) as f64 * (w * r / (x1 * q)).ln()
            + (13680. - (462. - (132. - (99. - 140. / f2) / f2) / f2) / f2) / f1 / 166320.
            + (13680. - (462. - (132. - (99. - 140. / z2) / z2) / z2) / z2) / z / 166320.
            + (13680. - (462. - (132. - (99. - 140. / x2) / x2) / x2) / x2) / x1 / 166320.
            + (13680. - (462. - (132. - (99. - 140. / w2) / w2) / w2) / w2) / w / 166320.;
        if aa > bound {
            continue;
        }
        break y;
    };
    if p > 0.5 { n - y } else { y }
}

/// `modern` (Generator): q**n as exp(n * log1p(-p)), exact for tiny p; legacy: exp(n * log(1 - p)).
fn binomial_inversion<B: BitGen + ?Sized>(b: &mut B, n: i64, p: f64, bc: &mut BinomialCache, modern: bool) -> i64 {
    let (q, qn, bound);
    if !bc.has_binomial || bc.nsave != n || bc.psave != p {
        bc.nsave = n;
        bc.psave = p;
        bc.has_binomial = true;
        q = 1.0 - p;
        qn = if modern { (n as f64 * (-p).ln_1p()).exp() } else { (n as f64 * q.ln()).exp() };
        let np = n as f64 * p;
        bound = (n as f64).min(np + 10.0 * (np * q + 1.0).sqrt()) as i64;
        bc.q = q;
        bc.r = qn;
        bc.c = np;
        bc.m = bound;
    } else {
        q = bc.q;
        qn = bc.r;
        bound = bc.m;
    }
    let mut x = 0i64;
    let mut px = qn;
    let mut u = b.next_double();
    while u > px {
        x += 1;
        if x > bound {
            x = 0;
            px = qn;
            u = b.next_double();
        } else {
            u -= px;
            px = ((n - x + 1) as f64 * p * px) / (x as f64 * q);
        }
    }
    x
}

/// Binomial; `shortcut` is the non-legacy `n == 0 || p == 0` early return (no draw).
pub(crate) fn binomial<B: BitGen + ?Sized>(b: &mut B, p: f64, n: i64, bc: &mut BinomialCache, shortcut: bool) -> i64 {
    if shortcut && (n == 0 || p == 0.0) {
        return 0;
    }
    if p <= 0.5 {
        if p * n as f64 <= 30.0 { binomial_inversion(b, n, p, bc, shortcut) } else { binomial_btpe(b, n, p, bc) }
    } else {
        let q = 1.0 - p;
        if q * n as f64 <= 30.0 { n - binomial_inversion(b, n, q, bc, shortcut) } else { n - binomial_btpe(b, n, q, bc) }
    }
}

pub(crate) fn multinomial<B: BitGen + ?Sized>(b: &mut B, n: i64, out: &mut [i64], pix: &[f64], bc: &mut BinomialCache) {
    let d = pix.len();
    out.iter_mut().for_each(|o| *o = 0);
    if d == 0 {
        return;
    }
    let mut remaining = 1.0;
    let mut dn = n;
    for j in 0..d - 1 {
        out[j] = binomial(b, pix[j] / remaining, dn, bc, true);
        dn -= out[j];
        if dn <= 0 {
            break;
        }
        remaining -= pix[j];
    }
    if dn > 0 {
        out[d - 1] = dn;
    }
}

pub(crate) fn geometric<B: BitGen + ?Sized>(b: &mut B, p: f64) -> i64 {
    if p >= 0.333333333333333333333333 {
        crate::gdist::geometric_search(b, p)
    } else {
        ((1.0 - b.next_double()).ln() / (1.0 - p).ln()).ceil() as i64
    }
}

pub(crate) fn logseries<B: BitGen + ?Sized>(b: &mut B, p: f64) -> i64 {
    let r = (1.0 - p).ln();
    loop {
        let v = b.next_double();
        if v >= p {
            return 1;
        }
        let u = b.next_double();
        let q = 1.0 - (r * u).exp();
        if v <= q * q {
            let result = (1.0 + v.ln() / q.ln()).floor();
            if result < 1.0 || v == 0.0 {
                continue;
            }
            return result as i64;
        }
        if v >= q {
            return 1;
        }
        return 2;
    }
}

pub(crate) fn zipf<B: BitGen + ?Sized>(b: &mut B, a: f64) -> i64 {
    let am1 = a - 1.0;
    let bb = 2f64.powf(am1);
    loop {
        let u = 1.0 - b.next_double();
        let v = b.next_double();
        let x = u.powf(-1.0 / am1).floor();
        if x > i64::MAX as f64 || x < 1.0 {
            continue;
        }
        let t = (1.0 + 1.0 / x).powf(am1);
        if v * x * (t - 1.0) / (bb - 1.0) <= t / bb {
            return x as i64;
        }
    }
}

pub(crate) fn vonmises_legacy<B: BitGen + ?Sized>(b: &mut B, mu: f64, kappa: f64) -> f64 {
    if kappa.is_nan() {
        return f64::NAN;
    }
    if kappa < 1e-8 {
        return PI * (2.0 * b.next_double() - 1.0);
    }
    let s = if kappa < 1e-5 {
        1.0 / kappa + kappa
    } else {
        let r = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
        let rho = (r - (2.0 * r).sqrt()) / (2.0 * kappa);
        (1.0 + rho * rho) / (2.0 * rho)
    };
    vonmises_rejection(b, mu, kappa, s)
}

/// Best and Fisher's rejection step of von Mises sampling for the shape `s`, then the draw
/// moved by `mu` and wrapped into [-pi, pi] (shared by the legacy and Generator samplers).
pub(crate) fn vonmises_rejection<B: BitGen + ?Sized>(b: &mut B, mu: f64, kappa: f64, s: f64) -> f64 {
    let w;
    loop {
        let u = b.next_double();
        let z = (PI * u).cos();
        let ww = (1.0 + s * z) / (s + z);
        let y = kappa * (s - ww);
        let v = b.next_double();
        if y * (2.0 - y) - v >= 0.0 || (y / v).ln() + 1.0 - y >= 0.0 {
            w = ww;
            break;
        }
    }
    let u = b.next_double();
    let mut result = w.acos();
    if u < 0.5 {
        result = -result;
    }
    result += mu;
    let neg = result < 0.0;
    let mut m = result.abs();
    m = (m + PI) % (2.0 * PI) - PI;
    if neg {
        m *= -1.0;
    }
    m
}

fn hypergeometric_hyp<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64) -> i64 {
    let d1 = bad + good - sample;
    let d2 = good.min(bad) as f64;
    let mut y = d2;
    let mut k = sample;
    while y > 0.0 {
        let u = b.next_double();
        y -= (u + y / (d1 + k) as f64).floor() as i64 as f64;
        k -= 1;
        if k == 0 {
            break;
        }
    }
    let mut z = (d2 - y) as i64;
    if good > bad {
        z = sample - z;
    }
    z
}

/// The legacy HRUA sampler's setup for one (good, bad, sample): it depends on the
/// parameters only, so a fill computes it once (the same values a per-draw setup gives).
struct Hrua {
    good: i64,
    bad: i64,
    sample: i64,
    mingoodbad: i64,
    maxgoodbad: i64,
    m: i64,
    d6: f64,
    d8: f64,
    d10: f64,
    d11: f64,
}

impl Hrua {
    fn new(good: i64, bad: i64, sample: i64) -> Self {
        const D1: f64 = 1.7155277699214135;
        const D2: f64 = 0.8989161620588988;
        let mingoodbad = good.min(bad);
        let popsize = good + bad;
        let maxgoodbad = good.max(bad);
        let m = sample.min(popsize - sample);
        let d4 = mingoodbad as f64 / popsize as f64;
        let d5 = 1.0 - d4;
        let d6 = m as f64 * d4 + 0.5;
        let d7 = ((popsize - m) as f64 * sample as f64 * d4 * d5 / (popsize - 1) as f64 + 0.5).sqrt();
        let d8 = D1 * d7 + D2;
        let d9 = ((m + 1) as f64 * (mingoodbad + 1) as f64 / (popsize + 2) as f64).floor() as i64;
        let d10 = loggam((d9 + 1) as f64)
            + loggam((mingoodbad - d9 + 1) as f64)
            + loggam((m - d9 + 1) as f64)
            + loggam((maxgoodbad - m + d9 + 1) as f64);
        let d11 = ((m.min(mingoodbad)) as f64 + 1.0).min((d6 + 16.0 * d7).floor());
        Hrua { good, bad, sample, mingoodbad, maxgoodbad, m, d6, d8, d10, d11 }
    }

    fn draw<B: BitGen + ?Sized>(&self, b: &mut B) -> i64 {
        let Hrua { good, bad, sample, mingoodbad, maxgoodbad, m, d6, d8, d10, d11 } = *self;
        let mut z;
        loop {
            let x = b.next_double();
            let y = b.next_double();
            let w = d6 + d8 * (y - 0.5) / x;
            if w < 0.0 || w >= d11 {
                continue;
            }
            z = w.floor() as i64;
            let t = d10
                - (loggam((z + 1) as f64)
                    + loggam((mingoodbad - z + 1) as f64)
                    + loggam((m - z + 1) as f64)
                    + loggam((maxgoodbad - m + z + 1) as f64));
            if x * (4.0 - x) - 3.0 <= t {
                break;
            }
            if x * (x - t) >= 1.0 {
                continue;
            }
            if 2.0 * x.ln() <= t {
                break;
            }
        }
        if good > bad {
            z = m - z;
        }
        if m < sample {
            z = good - z;
        }
        z
    }
}

/// `out.len()` legacy hypergeometric draws.
pub(crate) fn hypergeometric_legacy_fill<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64, out: &mut [i64]) {
    if sample > 10 && !out.is_empty() {
        let h = Hrua::new(good, bad, sample);
        out.iter_mut().for_each(|o| *o = h.draw(b));
    } else {
        out.iter_mut().for_each(|o| *o = hypergeometric_legacy(b, good, bad, sample));
    }
}

pub(crate) fn hypergeometric_legacy<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64) -> i64 {
    if sample > 10 {
        Hrua::new(good, bad, sample).draw(b)
    } else if sample > 0 {
        hypergeometric_hyp(b, good, bad, sample)
    } else {
        0
    }
}
