//! `interp`: piecewise-linear interpolation with NumPy's search (a bisection that starts from
//! the previous answer) and NumPy's formula, so results match `numpy.interp` bit for bit,
//! including its answers for unsorted or repeated sample points.

use num_complex::Complex64;

/// How far from the guess the search first looks before bisecting the whole array.
const NEAR: usize = 8;

/// The `j` with `xp[j] <= x < xp[j + 1]`; -1 below `xp[0]`, `len` above the last point,
/// `len - 1` at it. Starts near `guess`, as NumPy's `binary_search_with_guess` does.
fn locate(x: f64, xp: &[f64], guess: isize) -> isize {
    let len = xp.len();
    if x > xp[len - 1] {
        return len as isize;
    }
    if x < xp[0] {
        return -1;
    }
    if len <= 4 {
        let mut i = 1;
        while i < len && x >= xp[i] {
            i += 1;
        }
        return i as isize - 1;
    }
    let g = guess.clamp(1, len as isize - 3) as usize;
    let (mut lo, mut hi) = (0usize, len);
    if x < xp[g] {
        if x >= xp[g - 1] {
            return g as isize - 1;
        }
        hi = g - 1;
        if g > NEAR && x >= xp[g - NEAR] {
            lo = g - NEAR;
        }
    } else if x < xp[g + 1] {
        return g as isize;
    } else if x < xp[g + 2] {
        return g as isize + 1;
    } else {
        lo = g + 2;
        if g + NEAR + 1 < len && x < xp[g + NEAR] {
            hi = g + NEAR;
        }
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if x >= xp[mid] {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo as isize - 1
}

/// One interpolated coordinate: slope from the left point, or from the right one when that
/// gives NaN, or the flat value when both ends are equal.
#[inline]
fn lerp(slope: f64, x: f64, x0: f64, x1: f64, y0: f64, y1: f64) -> f64 {
    let r = slope * (x - x0) + y0;
    if !r.is_nan() {
        return r;
    }
    let r = slope * (x - x1) + y1;
    if r.is_nan() && y0 == y1 { y0 } else { r }
}

/// Real `interp(x, xp, fp, left, right)`; `xp` and `fp` have the same non-zero length.
pub fn interp(x: &[f64], xp: &[f64], fp: &[f64], left: f64, right: f64) -> Vec<f64> {
    let n = xp.len();
    if n == 1 {
        return x.iter().map(|&v| if v < xp[0] { left } else if v > xp[0] { right } else { fp[0] }).collect();
    }
    let mut j: isize = 0;
    x.iter()
        .map(|&v| {
            if v.is_nan() {
                return v;
            }
            j = locate(v, xp, j);
            if j == -1 {
                left
            } else if j == n as isize {
                right
            } else {
                let k = j as usize;
                if k == n - 1 || xp[k] == v {
                    fp[k]
                } else {
                    let slope = (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k]);
                    lerp(slope, v, xp[k], xp[k + 1], fp[k], fp[k + 1])
                }
            }
        })
        .collect()
}

/// Complex `interp`: each part is interpolated as the real case, the slope's parts computed
/// with one reciprocal of the step as NumPy does.
pub fn interp_complex(x: &[f64], xp: &[f64], fp: &[Complex64], left: Complex64, right: Complex64) -> Vec<Complex64> {
    let n = xp.len();
    if n == 1 {
        return x.iter().map(|&v| if v < xp[0] { left } else if v > xp[0] { right } else { fp[0] }).collect();
    }
    let mut j: isize = 0;
    x.iter()
        .map(|&v| {
            if v.is_nan() {
                return Complex64::new(v, 0.0);
            }
            j = locate(v, xp, j);
            if j == -1 {
                left
            } else if j == n as isize {
                right
            } else {
                let k = j as usize;
                if k == n - 1 || xp[k] == v {
                    fp[k]
                } else {
                    let inv = 1.0 / (xp[k + 1] - xp[k]);
                    let (a, b) = (fp[k], fp[k + 1]);
                    let (sr, si) = ((b.re - a.re) * inv, (b.im - a.im) * inv);
                    Complex64::new(
                        lerp(sr, v, xp[k], xp[k + 1], a.re, b.re),
                        lerp(si, v, xp[k], xp[k + 1], a.im, b.im),
                    )
                }
            }
        })
        .collect()
}

/// The counts (or, with `weights`, the weight sums) of a histogram with `n` equal bins, as
/// NumPy's `histogram` computes them: values outside `[lo, hi]` (and NaNs) are dropped; the
/// bin is `((x - first) / denom) * n` truncated, then corrected against the `edges`. Weights
/// are summed per bin in element order within blocks of 65536 elements, each block's sums
/// then added to the totals (NumPy's `bincount` per block).
pub fn histogram_uniform(
    a: &[f64],
    weights: Option<&[f64]>,
    lo: f64,
    hi: f64,
    first: f64,
    denom: f64,
    edges: &[f64],
) -> (Vec<i64>, Vec<f64>) {
    let n = edges.len() - 1;
    let mut counts = vec![0i64; if weights.is_none() { n } else { 0 }];
    let mut sums = vec![0.0f64; if weights.is_some() { n } else { 0 }];
    let mut block = vec![0.0f64; if weights.is_some() { n } else { 0 }];
    let bin = |x: f64| -> Option<usize> {
        if !(x >= lo && x <= hi) {
            return None;
        }
        let f = ((x - first) / denom) * n as f64;
        let mut i = f as i64;
        if i == n as i64 {
            i -= 1;
        }
        // NumPy indexes the edges with the (possibly -1) index, wrapping to the end.
        let at = |k: i64| edges[if k < 0 { (k + edges.len() as i64) as usize } else { k as usize }];
        if x < at(i) {
            i -= 1;
        }
        if x >= at(i + 1) && i != n as i64 - 1 {
            i += 1;
        }
        Some(if i < 0 { (i + n as i64) as usize } else { i as usize })
    };
    const BLOCK: usize = 65536;
    match weights {
        None => {
            for &x in a {
                if let Some(i) = bin(x) {
                    counts[i] += 1;
                }
            }
        }
        Some(w) => {
            for (ca, cw) in a.chunks(BLOCK).zip(w.chunks(BLOCK)) {
                block.iter_mut().for_each(|b| *b = 0.0);
                for (&x, &wt) in ca.iter().zip(cw) {
                    if let Some(i) = bin(x) {
                        block[i] += wt;
                    }
                }
                for (s, b) in sums.iter_mut().zip(&block) {
                    *s += *b;
                }
            }
        }
    }
    (counts, sums)
}
