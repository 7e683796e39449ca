//! `np.random.Generator` on any [`BitGen`] (default: [`Pcg64`]).

use crate::bitgen::{next_float, random_interval, BitGen};
use crate::bounded::{bounded_lemire_u64, int_bounds, BoundedSampler, IntDtype};
use crate::constraint as cons;
use crate::dist::{self, BinomialCache, Src};
use crate::gdist;
use crate::legacy::{choice_check_p, choice_p_noreplace, choice_p_replace};
use crate::pcg64::Pcg64;
use crate::seed_sequence::SeedSequence;
use crate::ziggurat;
use crate::{RandomError, Result};

/// `np.random.Generator`.
#[derive(Clone, Debug)]
pub struct Generator<B: BitGen = Pcg64> {
    bg: B,
}

/// `np.random.default_rng(seed)` for a non-negative integer seed.
pub fn default_rng(seed: u128) -> Generator<Pcg64> {
    Generator::new(Pcg64::new(seed))
}

impl Generator<Pcg64> {
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        Generator::new(Pcg64::from_seed_sequence(ss))
    }
}

struct Wrap<'a, B: BitGen>(&'a mut B);
impl<B: BitGen> BitGen for Wrap<'_, B> {
    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    #[inline(always)]
    fn next_double(&mut self) -> f64 {
        self.0.next_double()
    }
}
impl<B: BitGen> Src for Wrap<'_, B> {
    const LEGACY: bool = false;
    fn gauss(&mut self) -> f64 {
        ziggurat::standard_normal(self.0)
    }
    fn sexp(&mut self) -> f64 {
        ziggurat::standard_exponential(self.0)
    }
}

impl<B: BitGen> Generator<B> {
    pub fn new(bg: B) -> Self {
        Generator { bg }
    }
    pub fn bit_generator(&mut self) -> &mut B {
        &mut self.bg
    }
    pub fn into_bit_generator(self) -> B {
        self.bg
    }
    fn src(&mut self) -> Wrap<'_, B> {
        Wrap(&mut self.bg)
    }

    /// `random(size)` (float64).
    #[inline]
    pub fn random(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = self.bg.next_double();
        }
    }
    /// `random(size, dtype=float32)`.
    #[inline]
    pub fn random_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = next_float(&mut self.bg);
        }
    }
    /// `uniform(low, high)`.
    #[inline]
    pub fn uniform(&mut self, low: f64, high: f64, out: &mut [f64]) -> Result<()> {
        let range = high - low;
        if !range.is_finite() {
            return Err(RandomError::Overflow("high - low range exceeds valid bounds".into()));
        }
        for o in out.iter_mut() {
            *o = low + range * self.bg.next_double();
        }
        Ok(())
    }
    /// `standard_normal(size)` (ziggurat).
    #[inline]
    pub fn standard_normal(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_normal(&mut self.bg);
        }
    }
    /// `standard_normal(size, dtype=float32)`.
    #[inline]
    pub fn standard_normal_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_normal_f32(&mut self.bg);
        }
    }
    #[inline]
    pub fn normal(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = loc + scale * ziggurat::standard_normal(&mut self.bg);
        }
        Ok(())
    }
    /// `standard_exponential(size)` (ziggurat; `method='zig'`).
    #[inline]
    pub fn standard_exponential(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_exponential(&mut self.bg);
        }
    }
    /// `standard_exponential(size, method='inv')`.
    #[inline]
    pub fn standard_exponential_inv(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = -(-self.bg.next_double()).ln_1p();
        }
    }
    #[inline]
    pub fn standard_exponential_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_exponential_f32(&mut self.bg);
        }
    }
    #[inline]
    pub fn exponential(&mut self, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = scale * ziggurat::standard_exponential(&mut self.bg);
        }
        Ok(())
    }
    #[inline]
    pub fn standard_gamma(&mut self, shape: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::standard_gamma(&mut s, shape);
        }
        Ok(())
    }
    /// `standard_gamma(shape, dtype=float32)`.
    #[inline]
    pub fn standard_gamma_f32(&mut self, shape: f32, out: &mut [f32]) -> Result<()> {
        cons::non_negative(shape as f64, "shape")?;
        for o in out.iter_mut() {
            *o = gdist::standard_gamma_f32(&mut self.bg, shape);
        }
        Ok(())
    }
    #[inline]
    pub fn gamma(&mut self, shape: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        cons::non_negative(scale, "scale")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = scale * dist::standard_gamma(&mut s, shape);
        }
        Ok(())
    }
    #[inline]
    pub fn beta(&mut self, a: f64, b: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        cons::positive(b, "b")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = gdist::beta(&mut s, a, b);
        }
        Ok(())
    }
    #[inline]
    pub fn poisson(&mut self, lam: f64, out: &mut [i64]) -> Result<()> {
        cons::poisson_lam(lam, "lam")?;
        dist::poisson_fill(&mut self.bg, lam, out);
        Ok(())
    }

    // ---- the remaining distributions (NumPy 2.x Generator algorithms) -----------------

    #[inline]
    pub fn lognormal(&mut self, mean: f64, sigma: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(sigma, "sigma")?;
        for o in out.iter_mut() {
            *o = (mean + sigma * ziggurat::standard_normal(&mut self.bg)).exp();
        }
        Ok(())
    }
    #[inline]
    pub fn laplace(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = dist::laplace(&mut self.bg, loc, scale);
        }
        Ok(())
    }
    #[inline]
    pub fn logistic(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = dist::logistic(&mut self.bg, loc, scale);
        }
        Ok(())
    }
    #[inline]
    pub fn gumbel(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = dist::gumbel(&mut self.bg, loc, scale);
        }
        Ok(())
    }
    #[inline]
    pub fn chisquare(&mut self, df: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::chisquare(&mut s, df);
        }
        Ok(())
    }
    #[inline]
    pub fn noncentral_chisquare(&mut self, df: f64, nonc: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        cons::non_negative(nonc, "nonc")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::noncentral_chisquare(&mut s, df, nonc);
        }
        Ok(())
    }
    #[inline]
    pub fn f(&mut self, dfnum: f64, dfden: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(dfnum, "dfnum")?;
        cons::positive(dfden, "dfden")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::f_dist(&mut s, dfnum, dfden);
        }
        Ok(())
    }
    #[inline]
    pub fn noncentral_f(&mut self, dfnum: f64, dfden: f64, nonc: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(dfnum, "dfnum")?;
        cons::positive(dfden, "dfden")?;
        cons::non_negative(nonc, "nonc")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::noncentral_f(&mut s, dfnum, dfden, nonc);
        }
        Ok(())
    }
    #[inline]
    pub fn standard_t(&mut self, df: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::standard_t(&mut s, df);
        }
        Ok(())
    }
    #[inline]
    pub fn standard_cauchy(&mut self, out: &mut [f64]) {
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::standard_cauchy(&mut s);
        }
    }
    #[inline]
    pub fn triangular(&mut self, left: f64, mode: f64, right: f64, out: &mut [f64]) -> Result<()> {
        if left > mode {
            return Err(RandomError::value("left > mode"));
        }
        if mode > right {
            return Err(RandomError::value("mode > right"));
        }
        if left == right {
            return Err(RandomError::value("left == right"));
        }
        for o in out.iter_mut() {
            *o = dist::triangular(&mut self.bg, left, mode, right);
        }
        Ok(())
    }
    #[inline]
    pub fn weibull(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(a, "a")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::weibull(&mut s, a);
        }
        Ok(())
    }
    #[inline]
    pub fn pareto(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        for o in out.iter_mut() {
            *o = gdist::pareto(&mut self.bg, a);
        }
        Ok(())
    }
    #[inline]
    pub fn power(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        for o in out.iter_mut() {
            *o = gdist::power(&mut self.bg, a);
        }
        Ok(())
    }
    #[inline]
    pub fn rayleigh(&mut self, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = gdist::rayleigh(&mut self.bg, scale);
        }
        Ok(())
    }
    #[inline]
    pub fn vonmises(&mut self, mu: f64, kappa: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(kappa, "kappa")?;
        for o in out.iter_mut() {
            *o = gdist::vonmises(&mut self.bg, mu, kappa);
        }
        Ok(())
    }
    #[inline]
    pub fn wald(&mut self, mean: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(mean, "mean")?;
        cons::positive(scale, "scale")?;
        for o in out.iter_mut() {
            *o = gdist::wald(&mut self.bg, mean, scale);
        }
        Ok(())
    }
    /// `binomial(n, p)`; the setup cache lives for one call (outputs don't depend on it).
    #[inline]
    pub fn binomial(&mut self, n: i64, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_0_1(p, "p")?;
        cons::non_negative(n as f64, "n")?;
        let mut bc = BinomialCache::default();
        for o in out.iter_mut() {
            *o = dist::binomial(&mut self.bg, p, n, &mut bc, true);
        }
        Ok(())
    }
    /// Binomial draw with a caller-held cache (broadcast paths).
    pub fn binomial_one(&mut self, n: i64, p: f64, bc: &mut BinomialCache) -> i64 {
        dist::binomial(&mut self.bg, p, n, bc, true)
    }
    #[inline]
    pub fn geometric(&mut self, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_gt_0_1(p, "p")?;
        if p >= 1.0 / 3.0 {
            out.iter_mut().for_each(|o| *o = gdist::geometric_search(&mut self.bg, p));
        } else {
            // The inversion's log1p(-p) depends on p only: once per fill, same bits.
            let l = (-p).ln_1p();
            out.iter_mut().for_each(|o| *o = gdist::geometric_inversion(&mut self.bg, l));
        }
        Ok(())
    }
    #[inline]
    pub fn logseries(&mut self, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_lt_0_1(p, "p")?;
        for o in out.iter_mut() {
            *o = gdist::logseries(&mut self.bg, p);
        }
        Ok(())
    }
    #[inline]
    pub fn zipf(&mut self, a: f64, out: &mut [i64]) -> Result<()> {
        cons::gt_1(a, "a")?;
        for o in out.iter_mut() {
            *o = gdist::zipf(&mut self.bg, a);
        }
        Ok(())
    }
    #[inline]
    pub fn negative_binomial(&mut self, n: f64, p: f64, out: &mut [i64]) -> Result<()> {
        cons::positive_not_nan(n, "n")?;
        cons::bounded_gt_0_1(p, "p")?;
        if (1.0 - p) / p * (n + 10.0 * n.sqrt()) > cons::POISSON_LAM_MAX {
            return Err(RandomError::value("n too large or p too small, see Generator.negative_binomial Notes"));
        }
        let mut s = self.src();
        for o in out.iter_mut() {
            let y = (1.0 - p) / p * dist::standard_gamma(&mut s, n);
            *o = dist::poisson(&mut s, y);
        }
        Ok(())
    }
    /// `hypergeometric(ngood, nbad, nsample)` with NumPy's checks in NumPy's order.
    #[inline]
    pub fn hypergeometric(&mut self, ngood: i64, nbad: i64, nsample: i64, out: &mut [i64]) -> Result<()> {
        if ngood >= 1_000_000_000 || nbad >= 1_000_000_000 {
            return Err(RandomError::value("both ngood and nbad must be less than 1000000000"));
        }
        if ngood + nbad < nsample {
            return Err(RandomError::value("ngood + nbad < nsample"));
        }
        cons::non_negative(ngood as f64, "ngood")?;
        cons::non_negative(nbad as f64, "nbad")?;
        cons::non_negative(nsample as f64, "nsample")?;
        for o in out.iter_mut() {
            *o = gdist::hypergeometric(&mut self.bg, ngood, nbad, nsample);
        }
        Ok(())
    }
    /// One multinomial variate per `pvals.len()` chunk of `out` (parameters already checked).
    #[inline]
    pub fn multinomial_rows(&mut self, n: i64, pvals: &[f64], out: &mut [i64], bc: &mut BinomialCache) {
        if pvals.is_empty() {
            return;
        }
        for row in out.chunks_mut(pvals.len()) {
            dist::multinomial(&mut self.bg, n, row, pvals, bc);
        }
    }
    /// `dirichlet(alpha)`: one variate per `alpha.len()` chunk of `out`.
    #[inline]
    pub fn dirichlet(&mut self, alpha: &[f64], out: &mut [f64]) -> Result<()> {
        let k = alpha.len();
        if alpha.iter().any(|&a| a < 0.0) {
            return Err(RandomError::value("alpha < 0"));
        }
        out.iter_mut().for_each(|o| *o = 0.0);
        if k == 0 {
            return Ok(());
        }
        let amax = alpha.iter().copied().fold(f64::NEG_INFINITY, |m, a| if a > m || a.is_nan() { a } else { m });
        let mut s = self.src();
        if amax < 0.1 {
            let mut csum_arr = vec![0.0; k];
            let mut csum = 0.0;
            for j in (0..k).rev() {
                csum += alpha[j];
                csum_arr[j] = csum;
            }
            if csum > 0.0 {
                for row in out.chunks_mut(k) {
                    let mut acc = 1.0;
                    for j in 0..k - 1 {
                        let v = gdist::beta(&mut s, alpha[j], csum_arr[j + 1]);
                        row[j] = acc * v;
                        acc *= 1.0 - v;
                        if csum_arr[j + 1] == 0.0 {
                            break;
                        }
                    }
                    row[k - 1] = acc;
                }
            }
        } else {
            for row in out.chunks_mut(k) {
                let mut acc = 0.0;
                for (o, &a) in row.iter_mut().zip(alpha) {
                    *o = dist::standard_gamma(&mut s, a);
                    acc += *o;
                }
                let inv = 1.0 / acc;
                row.iter_mut().for_each(|o| *o *= inv);
            }
        }
        Ok(())
    }
    /// `multivariate_hypergeometric(colors, nsample, method)`: one variate per
    /// `colors.len()` chunk of `out`. `count = true` is `method='count'`.
    #[inline]
    pub fn multivariate_hypergeometric(&mut self, colors: &[i64], nsample: i64, count: bool, out: &mut [i64]) -> Result<()> {
        if nsample < 0 {
            return Err(RandomError::value("nsample must be nonnegative."));
        }
        if colors.iter().any(|&c| c < 0) {
            return Err(RandomError::value(format!(
                "colors must be a one-dimensional sequence of nonnegative integers not exceeding {}.",
                i64::MAX
            )));
        }
        let mut total: i64 = 0;
        for &c in colors {
            total = total.checked_add(c).ok_or_else(|| {
                RandomError::value(format!("sum(colors) must not exceed the maximum value of a 64 bit signed integer ({})", i64::MAX))
            })?;
        }
        if !count && total >= 1_000_000_000 {
            return Err(RandomError::value("When method is \"marginals\", sum(colors) must be less than 1000000000."));
        }
        let max_index = i64::MAX / 8;
        if count && total > max_index {
            return Err(RandomError::value(format!("When method is 'count', sum(colors) must not exceed {max_index}")));
        }
        if nsample > total {
            return Err(RandomError::value("nsample > sum(colors)"));
        }
        if count {
            gdist::mvhg_count(&mut self.bg, total, colors, nsample, out);
        } else {
            gdist::mvhg_marginals(&mut self.bg, total, colors, nsample, out);
        }
        Ok(())
    }

    /// `integers(low, high, dtype=T, endpoint)` (Lemire). `high = None` means `[0, low)`.
    #[inline]
    pub fn integers<T: IntDtype>(&mut self, low: i128, high: Option<i128>, endpoint: bool, out: &mut [T]) -> Result<()> {
        let (low, high) = match high {
            Some(h) => (low, h),
            None => (0, low),
        };
        let (off, rng) = int_bounds::<T>(low, high, endpoint)?;
        BoundedSampler::new(false).fill(&mut self.bg, off, rng, out);
        Ok(())
    }
    /// One Lemire draw in `[off, off + rng]` with an explicit sampler.
    pub fn bounded_draw<T: IntDtype>(&mut self, s: &mut BoundedSampler, off: u64, rng: u64) -> T {
        s.draw(&mut self.bg, off, rng)
    }
    /// `out.len()` Lemire draws in `[off, off + rng]` with an explicit sampler (broadcast paths
    /// keep its 8/16-bit buffer across calls).
    #[inline]
    pub fn bounded_fill<T: IntDtype>(&mut self, s: &mut BoundedSampler, off: u64, rng: u64, out: &mut [T]) {
        s.fill(&mut self.bg, off, rng, out)
    }

    /// `shuffle` of a 1-D slice (masked `random_interval` Fisher–Yates).
    pub fn shuffle<T>(&mut self, data: &mut [T]) {
        for i in (1..data.len()).rev() {
            let j = random_interval(&mut self.bg, i as u64) as usize;
            data.swap(i, j);
        }
    }
    /// `shuffle` along axis 0 of a C-contiguous buffer with rows of `row_len` elements.
    pub fn shuffle_rows<T>(&mut self, data: &mut [T], row_len: usize, n_rows: usize) {
        for i in (1..n_rows).rev() {
            let j = random_interval(&mut self.bg, i as u64) as usize;
            if i != j && row_len > 0 {
                let (a, b) = data.split_at_mut(i * row_len);
                a[j * row_len..(j + 1) * row_len].swap_with_slice(&mut b[..row_len]);
            }
        }
    }
    /// `permutation(n)`.
    pub fn permutation(&mut self, n: usize) -> Vec<i64> {
        let mut v: Vec<i64> = (0..n as i64).collect();
        self.shuffle(&mut v);
        v
    }
    /// `permuted(x, axis)` for a C-contiguous array of `shape`: every 1-D lane along `axis` is
    /// shuffled independently, lanes visited in C order. `axis = None` shuffles the flat array.
    pub fn permuted<T>(&mut self, data: &mut [T], shape: &[usize], axis: Option<usize>) {
        let Some(ax) = axis else {
            self.shuffle(data);
            return;
        };
        let n = shape[ax];
        let inner: usize = shape[ax + 1..].iter().product();
        let outer: usize = shape[..ax].iter().product();
        for o in 0..outer {
            for k in 0..inner {
                let base = o * n * inner + k;
                for i in (1..n).rev() {
                    let j = random_interval(&mut self.bg, i as u64) as usize;
                    data.swap(base + i * inner, base + j * inner);
                }
            }
        }
    }

    /// `choice(pop_size, size, replace, p, shuffle)` as indices into the population.
    #[inline]
    pub fn choice(&mut self, pop: usize, replace: bool, p: Option<&[f64]>, shuffle: bool, out: &mut [i64]) -> Result<()> {
        let size = out.len();
        if pop == 0 && size != 0 {
            return Err(RandomError::value("a cannot be empty unless no samples are taken"));
        }
        if let Some(p) = p {
            choice_check_p(pop, p)?;
        }
        if replace {
            match p {
                Some(p) => {
                    let mut u = vec![0.0; size];
                    self.random(&mut u);
                    choice_p_replace(p, &u, out);
                }
                None => self.integers::<i64>(0, Some(pop as i128), false, out)?,
            }
            return Ok(());
        }
        if size > pop {
            return Err(RandomError::value("Cannot take a larger sample than population when replace is False"));
        }
        if let Some(p) = p {
            if p.iter().filter(|&&v| v > 0.0).count() < size {
                return Err(RandomError::value("Fewer non-zero entries in p than size"));
            }
            choice_p_noreplace(p, out, |x| self.random(x));
            return Ok(());
        }
        let cutoff = if shuffle { 50 } else { 20 };
        if pop > 10000 && size > pop / cutoff {
            let mut idx: Vec<i64> = (0..pop as i64).collect();
            self.shuffle_int(&mut idx, (pop - size).max(1));
            out.copy_from_slice(&idx[pop - size..]);
        } else {
            // Floyd's algorithm with an open-addressing hash set, as NumPy does.
            let set_size = (1.2 * size as f64) as u64;
            let mask = crate::bitgen::gen_mask(set_size);
            let mut hash = vec![u64::MAX; (mask + 1) as usize];
            for j in (pop - size) as u64..pop as u64 {
                let val = bounded_lemire_u64(&mut self.bg, j);
                let mut loc = (val & mask) as usize;
                while hash[loc] != u64::MAX && hash[loc] != val {
                    loc = (loc + 1) & mask as usize;
                }
                let slot = (j - (pop - size) as u64) as usize;
                if hash[loc] == u64::MAX {
                    hash[loc] = val;
                    out[slot] = val as i64;
                } else {
                    loc = (j & mask) as usize;
                    while hash[loc] != u64::MAX {
                        loc = (loc + 1) & mask as usize;
                    }
                    hash[loc] = j;
                    out[slot] = j as i64;
                }
            }
            if shuffle {
                self.shuffle_int(out, 1);
            }
        }
        Ok(())
    }

    /// NumPy's `_shuffle_int`: Lemire Fisher–Yates for i = n-1 down to `first`.
    fn shuffle_int(&mut self, data: &mut [i64], first: usize) {
        for i in (first..data.len()).rev() {
            let j = bounded_lemire_u64(&mut self.bg, i as u64) as usize;
            data.swap(i, j);
        }
    }
}
