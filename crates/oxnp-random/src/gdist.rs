//! Distribution algorithms where `Generator` differs from the legacy `RandomState`
//! (NumPy's `distributions.c`, `random_hypergeometric.c`, `random_mvhg_*.c` as of 2.x).
//! The shared ones live in `dist.rs`.

use crate::bitgen::{random_interval, BitGen};
use crate::dist::{self, Src};
use crate::ziggurat;
use std::f64::consts::PI;

/// `log(k!)` for k = 0..125 (NumPy's `logfactorial` table).
#[allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]
const LOGFACT: [f64; 126] = [
    0.0, 0.0, 0.69314718055994529, 1.791759469228055, 3.1780538303479458, 4.7874917427820458,
    6.5792512120101012, 8.5251613610654147, 10.604602902745251, 12.801827480081469, 15.104412573075516,
    17.502307845873887, 19.987214495661885, 22.552163853123425, 25.19122118273868, 27.89927138384089,
    30.671860106080672, 33.505073450136891, 36.395445208033053, 39.339884187199495, 42.335616460753485,
    45.380138898476908, 48.471181351835227, 51.606675567764377, 54.784729398112319, 58.003605222980518,
    61.261701761002001, 64.557538627006338, 67.88974313718154, 71.257038967168015, 74.658236348830158,
    78.092223553315307, 81.557959456115043, 85.054467017581516, 88.580827542197682, 92.136175603687093,
    95.719694542143202, 99.330612454787428, 102.96819861451381, 106.63176026064346, 110.32063971475739,
    114.03421178146171, 117.77188139974507, 121.53308151543864, 125.3172711493569, 129.12393363912722,
    132.95257503561632, 136.80272263732635, 140.67392364823425, 144.5657439463449, 148.47776695177302,
    152.40959258449735, 156.3608363030788, 160.3311282166309, 164.32011226319517, 168.32744544842765,
    172.35279713916279, 176.39584840699735, 180.45629141754378, 184.53382886144948, 188.6281734236716,
    192.7390472878449, 196.86618167289001, 201.00931639928152, 205.1681994826412, 209.34258675253685,
    213.53224149456327, 217.73693411395422, 221.95644181913033, 226.1905483237276, 230.43904356577696,
    234.70172344281826, 238.97838956183432, 243.26884900298271, 247.57291409618688, 251.89040220972319,
    256.22113555000954, 260.56494097186322, 264.92164979855278, 269.29109765101981, 273.67312428569369,
    278.06757344036612, 282.4742926876304, 286.89313329542699, 291.32395009427029, 295.76660135076065,
    300.22094864701415, 304.68685676566872, 309.1641935801469, 313.65282994987905, 318.1526396202093,
    322.66349912672615, 327.1852877037752, 331.71788719692847, 336.26118197919845, 340.81505887079902,
    345.37940706226686, 349.95411804077025, 354.53908551944079, 359.1342053695754, 363.73937555556347,
    368.35449607240474, 372.97946888568902, 377.61419787391867, 382.25858877306001, 386.91254912321756,
    391.57598821732961, 396.24881705179155, 400.93094827891576, 405.6222961611449, 410.32277652693733,
    415.03230672824964, 419.75080559954472, 424.47819341825709, 429.21439186665157, 433.95932399501481,
    438.71291418612117, 443.47508812091894, 448.24577274538461, 453.02489623849613, 457.81238798127816,
    462.60817852687489, 467.4121995716082, 472.22438392698058, 477.04466549258564, 481.87297922988796,
];

/// `log(k!)`: table below 126, Stirling series (to the 1/k^3 term) above.
pub(crate) fn logfactorial(k: i64) -> f64 {
    if (k as usize) < LOGFACT.len() && k >= 0 {
        return LOGFACT[k as usize];
    }
    let kf = k as f64;
    const HALFLN2PI: f64 = 0.9189385332046728;
    (kf + 0.5) * kf.ln() - kf + (HALFLN2PI + (1.0 / kf) * (1.0 / 12.0 - 1.0 / (360.0 * kf * kf)))
}

#[inline]
pub(crate) fn sexp<B: BitGen + ?Sized>(b: &mut B) -> f64 {
    ziggurat::standard_exponential(b)
}
#[inline]
pub(crate) fn gauss<B: BitGen + ?Sized>(b: &mut B) -> f64 {
    ziggurat::standard_normal(b)
}

pub(crate) fn pareto<B: BitGen + ?Sized>(b: &mut B, a: f64) -> f64 {
    (sexp(b) / a).exp_m1()
}
pub(crate) fn power<B: BitGen + ?Sized>(b: &mut B, a: f64) -> f64 {
    (-(-sexp(b)).exp_m1()).powf(1.0 / a)
}
pub(crate) fn rayleigh<B: BitGen + ?Sized>(b: &mut B, mode: f64) -> f64 {
    mode * (2.0 * sexp(b)).sqrt()
}

/// Below this for both parameters, beta is a Bernoulli(a / (a + b)) draw.
const BETA_TINY: f64 = 3e-103;

/// Johnk / gamma-ratio beta with NumPy 2.x's `U + V > 0` acceptance and log path whenever
/// `U^(1/a)` or `V^(1/b)` underflows.
pub(crate) fn beta<S: Src>(s: &mut S, a: f64, b: f64) -> f64 {
    if a <= 1.0 && b <= 1.0 {
        if a < BETA_TINY && b < BETA_TINY {
            // Anything but 0 or 1 is then vanishingly unlikely: one uniform picks the end.
            let u = s.next_double();
            return if (a + b) * u < a { 1.0 } else { 0.0 };
        }
        loop {
            let u = s.next_double();
            let v = s.next_double();
            let x = u.powf(1.0 / a);
            let y = v.powf(1.0 / b);
            let xpy = x + y;
            if xpy <= 1.0 && u + v > 0.0 {
                // Both terms must be representable for the ratio; else work in logs.
                if x > 0.0 && y > 0.0 {
                    return x / xpy;
                }
                let mut lx = u.ln() / a;
                let mut ly = v.ln() / b;
                let lm = if lx > ly { lx } else { ly };
                lx -= lm;
                ly -= lm;
                // One of lx, ly is now 0: NumPy 2.x takes log(1 + e^min) by log1p.
                let lmin = if lx < ly { lx } else { ly };
                return (lx - lmin.exp().ln_1p()).exp();
            }
        }
    }
    let ga = dist::standard_gamma(s, a);
    let gb = dist::standard_gamma(s, b);
    ga / (ga + gb)
}

/// Geometric by sequential search (NumPy's choice for p >= 1/3).
#[inline]
pub(crate) fn geometric_search<B: BitGen + ?Sized>(b: &mut B, p: f64) -> i64 {
    let mut x = 1;
    let mut sum = p;
    let mut prod = p;
    let q = 1.0 - p;
    let u = b.next_double();
    while u > sum {
        prod *= q;
        sum += prod;
        x += 1;
    }
    x
}

/// Geometric by inversion (p < 1/3); `log1p_neg_p` is `log1p(-p)`.
#[inline]
pub(crate) fn geometric_inversion<B: BitGen + ?Sized>(b: &mut B, log1p_neg_p: f64) -> i64 {
    let z = (-sexp(b) / log1p_neg_p).ceil();
    if z >= 9.223372036854776e18 { i64::MAX } else { z as i64 }
}

pub(crate) fn logseries<B: BitGen + ?Sized>(b: &mut B, p: f64) -> i64 {
    let r = (-p).ln_1p();
    loop {
        let v = b.next_double();
        if v >= p {
            return 1;
        }
        let u = b.next_double();
        let q = -(r * u).exp_m1();
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
    if a >= 1025.0 {
        return 1;
    }
    let am1 = a - 1.0;
    let bb = 2f64.powf(am1);
    // U is drawn from (umin, 1]: smaller values would only give rejected, too-large X.
    let umin = (i64::MAX as f64).powf(-am1);
    loop {
        let u01 = b.next_double();
        let u = u01 * umin + (1.0 - u01);
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

pub(crate) fn vonmises<B: BitGen + ?Sized>(b: &mut B, mu: f64, kappa: f64) -> f64 {
    if kappa.is_nan() {
        return f64::NAN;
    }
    if kappa < 1e-8 {
        return PI * (2.0 * b.next_double() - 1.0);
    }
    let s = if kappa < 1e-5 {
        1.0 / kappa + kappa
    } else if kappa <= 1e6 {
        let r = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
        let rho = (r - (2.0 * r).sqrt()) / (2.0 * kappa);
        (1.0 + rho * rho) / (2.0 * rho)
    } else {
        let mut result = mu + (1.0 / kappa).sqrt() * gauss(b);
        if result < -PI {
            result += 2.0 * PI;
        }
        if result > PI {
            result -= 2.0 * PI;
        }
        return result;
    };
    dist::vonmises_rejection(b, mu, kappa, s)
}

fn hypergeometric_sample<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64) -> i64 {
    let total = good + bad;
    let computed = if sample > total / 2 { total - sample } else { sample };
    let mut computed_sample = computed;
    let mut remaining_total = total;
    let mut remaining_good = good;
    while computed_sample > 0 && remaining_good > 0 && remaining_total > remaining_good {
        remaining_total -= 1;
        if (random_interval(b, remaining_total as u64) as i64) < remaining_good {
            remaining_good -= 1;
        }
        computed_sample -= 1;
    }
    if remaining_total == remaining_good {
        remaining_good -= computed_sample;
    }
    if sample > total / 2 { remaining_good } else { good - remaining_good }
}

fn hypergeometric_hrua<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64) -> i64 {
    const D1: f64 = 1.7155277699214135;
    const D2: f64 = 0.8989161620588988;
    let popsize = good + bad;
    let computed_sample = sample.min(popsize - sample);
    let mingoodbad = good.min(bad);
    let maxgoodbad = good.max(bad);
    let p = mingoodbad as f64 / popsize as f64;
    let q = maxgoodbad as f64 / popsize as f64;
    let mu = computed_sample as f64 * p;
    let a = mu + 0.5;
    let var = (popsize - computed_sample) as f64 * computed_sample as f64 * p * q / (popsize - 1) as f64;
    let c = (var + 0.5).sqrt();
    let h = D1 * c + D2;
    let m = ((computed_sample + 1) as f64 * (mingoodbad + 1) as f64 / (popsize + 2) as f64).floor() as i64;
    let g = logfactorial(m)
        + logfactorial(mingoodbad - m)
        + logfactorial(computed_sample - m)
        + logfactorial(maxgoodbad - computed_sample + m);
    let bound = ((computed_sample.min(mingoodbad) + 1) as f64).min((a + 16.0 * c).floor());
    let mut k;
    loop {
        let u = b.next_double();
        let v = b.next_double();
        let x = a + h * (v - 0.5) / u;
        if x < 0.0 || x >= bound {
            continue;
        }
        k = x.floor() as i64;
        let gp = logfactorial(k)
            + logfactorial(mingoodbad - k)
            + logfactorial(computed_sample - k)
            + logfactorial(maxgoodbad - computed_sample + k);
        let t = g - gp;
        if u * (4.0 - u) - 3.0 <= t {
            break;
        }
        if u * (u - t) >= 1.0 {
            continue;
        }
        if 2.0 * u.ln() <= t {
            break;
        }
    }
    if good > bad {
        k = computed_sample - k;
    }
    if computed_sample < sample {
        k = good - k;
    }
    k
}

/// `Generator.hypergeometric`'s sampler (not the legacy one).
pub(crate) fn hypergeometric<B: BitGen + ?Sized>(b: &mut B, good: i64, bad: i64, sample: i64) -> i64 {
    if sample >= 10 && sample <= good + bad - 10 {
        hypergeometric_hrua(b, good, bad, sample)
    } else {
        hypergeometric_sample(b, good, bad, sample)
    }
}

/// `multivariate_hypergeometric(method='count')` for `out.len() / colors.len()` variates.
pub(crate) fn mvhg_count<B: BitGen + ?Sized>(b: &mut B, total: i64, colors: &[i64], nsample: i64, out: &mut [i64]) {
    let nc = colors.len();
    out.iter_mut().for_each(|o| *o = 0);
    if total == 0 || nsample == 0 || nc == 0 {
        return;
    }
    let mut choices: Vec<usize> = Vec::with_capacity(total as usize);
    for (i, &c) in colors.iter().enumerate() {
        choices.extend(std::iter::repeat_n(i, c as usize));
    }
    let more_than_half = nsample > total / 2;
    let ns = if more_than_half { total - nsample } else { nsample } as usize;
    for row in out.chunks_mut(nc) {
        for j in 0..ns {
            let k = j + random_interval(b, (total as usize - j - 1) as u64) as usize;
            choices.swap(j, k);
        }
        for &c in &choices[..ns] {
            row[c] += 1;
        }
        if more_than_half {
            for (r, &c) in row.iter_mut().zip(colors) {
                *r = c - *r;
            }
        }
    }
}

/// `multivariate_hypergeometric(method='marginals')`.
pub(crate) fn mvhg_marginals<B: BitGen + ?Sized>(b: &mut B, total: i64, colors: &[i64], nsample: i64, out: &mut [i64]) {
    let nc = colors.len();
    out.iter_mut().for_each(|o| *o = 0);
    if total == 0 || nsample == 0 || nc == 0 {
        return;
    }
    let more_than_half = nsample > total / 2;
    let ns = if more_than_half { total - nsample } else { nsample };
    for row in out.chunks_mut(nc) {
        let mut num_to_sample = ns;
        let mut remaining = total;
        let mut j = 0;
        while num_to_sample > 0 && j + 1 < nc {
            remaining -= colors[j];
            let r = hypergeometric(b, colors[j], remaining, num_to_sample);
            row[j] = r;
            num_to_sample -= r;
            j += 1;
        }
        if num_to_sample > 0 {
            row[nc - 1] = num_to_sample;
        }
        if more_than_half {
            for (r, &c) in row.iter_mut().zip(colors) {
                *r = c - *r;
            }
        }
    }
}

/// NumPy 2.x's Wald: `X = mean * (1 - 2 / (1 + sqrt(1 + 4 scale / Y)))` (the legacy
/// `mean + mu_2l (Y - sqrt(4 scale Y + Y^2))` cancels badly).
pub(crate) fn wald<B: BitGen + ?Sized>(b: &mut B, mean: f64, scale: f64) -> f64 {
    let z = gauss(b);
    let y = mean * z * z;
    let d = 1.0 + (1.0 + 4.0 * scale / y).sqrt();
    let x = mean * (1.0 - 2.0 / d);
    let u = b.next_double();
    if u <= mean / (mean + x) { x } else { mean * mean / x }
}

/// `random_standard_gamma_f`: the float32 Marsaglia–Tsang / Johnk sampler, every operation
/// in f32 (float ziggurats, 24-bit uniforms).
pub(crate) fn standard_gamma_f32<B: BitGen + ?Sized>(b: &mut B, shape: f32) -> f32 {
    use crate::bitgen::next_float;
    if shape == 1.0 {
        return ziggurat::standard_exponential_f32(b);
    } else if shape == 0.0 {
        return 0.0;
    } else if shape < 1.0 {
        loop {
            let u = next_float(b);
            let v = ziggurat::standard_exponential_f32(b);
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
    let bb = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * bb).sqrt();
    loop {
        let mut x;
        let mut v;
        loop {
            x = ziggurat::standard_normal_f32(b);
            v = 1.0 + c * x;
            // NumPy loops `while (V <= 0.0)`: a NaN V (NaN shape) leaves the loop.
            if !(v <= 0.0) {
                break;
            }
        }
        v = v * v * v;
        let u = next_float(b);
        if u < 1.0 - 0.0331 * (x * x) * (x * x) {
            return bb * v;
        }
        if u.ln() < 0.5 * x * x + bb * (1.0 - v + v.ln()) {
            return bb * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logfactorial_table_and_stirling() {
        let mut acc = 0.0f64;
        for k in 1..=400i64 {
            acc += (k as f64).ln();
            let lf = logfactorial(k);
            assert!((lf - acc).abs() <= 1e-12 * acc.max(1.0), "k={k}: {lf} vs {acc}");
        }
        assert_eq!(logfactorial(0), 0.0);
        assert_eq!(logfactorial(125), 481.87297922988796);
    }

    #[test]
    fn multivariate_hypergeometric_rows_sum_to_nsample() {
        let mut pcg = crate::Pcg64::new(7);
        let colors = [5i64, 0, 12, 3];
        for count in [false, true] {
            for nsample in [0i64, 1, 7, 19, 20] {
                let mut out = vec![0i64; 4 * 25];
                let total = colors.iter().sum();
                if count {
                    mvhg_count(&mut pcg, total, &colors, nsample, &mut out);
                } else {
                    mvhg_marginals(&mut pcg, total, &colors, nsample, &mut out);
                }
                for row in out.chunks(4) {
                    assert_eq!(row.iter().sum::<i64>(), nsample);
                    assert!(row.iter().zip(&colors).all(|(&r, &c)| (0..=c).contains(&r)));
                }
            }
        }
    }
}
