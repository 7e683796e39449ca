//! `np.random.RandomState`: MT19937 with NumPy's legacy distributions.

use std::borrow::BorrowMut;

use crate::bitgen::{random_interval, BitGen};
use crate::bounded::{int_bounds, BoundedSampler, IntDtype};
use crate::constraint as cons;
use crate::dist::{self, BinomialCache, Src};
use crate::mt19937::{Mt19937, MT_N};
use crate::{RandomError, Result};

/// `RandomState.get_state()`: `('MT19937', key, pos, has_gauss, cached_gaussian)`.
#[derive(Clone, Debug, PartialEq)]
pub struct LegacyState {
    pub key: [u32; MT_N],
    pub pos: usize,
    pub has_gauss: bool,
    pub gauss: f64,
}

/// What a legacy `RandomState` keeps beside its bit generator: the cached second Gaussian
/// of the polar method and the binomial setup cache (NumPy's `aug_bitgen_t` + `binomial_t`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegacyAux {
    pub has_gauss: bool,
    pub gauss: f64,
    pub binomial: BinomialCache,
}

/// The legacy `RandomState`: NumPy's legacy distributions over any bit generator (MT19937
/// by default; `RandomState(PCG64(...))` draws through the PCG64's `next_double` etc.).
///
/// `A` holds the caches: owned (the default) or borrowed (`&mut LegacyAux`), so a caller that
/// keeps them elsewhere can build a short-lived `RandomState` per call.
#[derive(Clone, Debug)]
pub struct RandomState<B: BitGen = Mt19937, A: BorrowMut<LegacyAux> = LegacyAux> {
    bg: B,
    aux: A,
}

impl<B: BitGen, A: BorrowMut<LegacyAux>> BitGen for RandomState<B, A> {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.bg.next_u64()
    }
    #[inline]
    fn next_u32(&mut self) -> u32 {
        self.bg.next_u32()
    }
    #[inline]
    fn next_double(&mut self) -> f64 {
        self.bg.next_double()
    }
}

impl<B: BitGen, A: BorrowMut<LegacyAux>> Src for RandomState<B, A> {
    const LEGACY: bool = true;
    fn gauss(&mut self) -> f64 {
        if self.aux.borrow_mut().has_gauss {
            let t = self.aux.borrow_mut().gauss;
            self.aux.borrow_mut().has_gauss = false;
            self.aux.borrow_mut().gauss = 0.0;
            return t;
        }
        loop {
            let x1 = 2.0 * self.bg.next_double() - 1.0;
            let x2 = 2.0 * self.bg.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.aux.borrow_mut().gauss = f * x1;
                self.aux.borrow_mut().has_gauss = true;
                return f * x2;
            }
        }
    }
    fn sexp(&mut self) -> f64 {
        -(1.0 - self.bg.next_double()).ln()
    }
}

/// NumPy's `kahan_sum` (used by the multinomial `pvals` check).
pub fn kahan_sum_pub(p: &[f64]) -> f64 {
    kahan_sum(p)
}

fn kahan_sum(p: &[f64]) -> f64 {
    if p.is_empty() {
        return 0.0;
    }
    let mut sum = p[0];
    let mut c = 0.0;
    for &v in &p[1..] {
        let y = v - c;
        let t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    sum
}

/// Validate `choice`'s `p` (NumPy's checks and messages) and build the normalised cdf.
pub(crate) fn choice_check_p(pop: usize, p: &[f64]) -> Result<()> {
    if p.len() != pop {
        return Err(RandomError::value("a and p must have same size"));
    }
    let atol = f64::EPSILON.sqrt();
    if p.iter().any(|v| v.is_nan()) {
        return Err(RandomError::value("probabilities contain NaN"));
    }
    if p.iter().any(|&v| v < 0.0) {
        return Err(RandomError::value("probabilities are not non-negative"));
    }
    if (kahan_sum(p) - 1.0).abs() > atol {
        return Err(RandomError::value("probabilities do not sum to 1"));
    }
    Ok(())
}

fn cdf_of(p: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = p
        .iter()
        .map(|&v| {
            acc += v;
            acc
        })
        .collect();
    let last = *cdf.last().unwrap();
    cdf.iter_mut().for_each(|c| *c /= last);
    cdf
}

/// `searchsorted(cdf, u, side='right')`.
fn search_right(cdf: &[f64], u: f64) -> usize {
    cdf.partition_point(|&c| c <= u)
}

/// Shared `choice(p=..., replace=False)` loop (legacy and Generator use the same algorithm).
pub(crate) fn choice_p_noreplace<F: FnMut(&mut [f64])>(p: &[f64], out: &mut [i64], mut uniform: F) {
    let size = out.len();
    let mut p = p.to_vec();
    let mut n_uniq = 0usize;
    let mut x = Vec::new();
    while n_uniq < size {
        x.resize(size - n_uniq, 0.0);
        uniform(&mut x);
        for &f in &out[..n_uniq] {
            p[f as usize] = 0.0;
        }
        let cdf = cdf_of(&p);
        let mut seen = std::collections::HashSet::new();
        let mut new = Vec::new();
        for &u in &x {
            let idx = search_right(&cdf, u) as i64;
            if seen.insert(idx) {
                new.push(idx);
            }
        }
        out[n_uniq..n_uniq + new.len()].copy_from_slice(&new);
        n_uniq += new.len();
    }
}

pub(crate) fn choice_p_replace(p: &[f64], u: &[f64], out: &mut [i64]) {
    let cdf = cdf_of(p);
    for (o, &v) in out.iter_mut().zip(u) {
        *o = search_right(&cdf, v) as i64;
    }
}

macro_rules! fill_with {
    ($self:ident, $out:ident, $e:expr) => {
        for o in $out.iter_mut() {
            *o = $e;
        }
    };
}

impl RandomState<Mt19937> {
    /// `RandomState(seed)` for an integer seed in [0, 2**32 - 1].
    pub fn new(seed: u32) -> Self {
        RandomState { bg: Mt19937::new_legacy(seed), aux: LegacyAux::default() }
    }

    /// Integer seed with NumPy's range check ("Seed must be between 0 and 2**32 - 1").
    pub fn from_seed_int(seed: i128) -> Result<Self> {
        let mut r = Self::new(0);
        r.seed_int(seed)?;
        Ok(r)
    }

    /// Sequence seed (`RandomState([a, b, ...])`), via `init_by_array`.
    pub fn from_seed_array(seed: &[i64]) -> Result<Self> {
        let mut r = Self::new(0);
        r.seed_array(seed)?;
        Ok(r)
    }

    fn reset_caches(&mut self) {
        self.aux.borrow_mut().has_gauss = false;
        self.aux.borrow_mut().gauss = 0.0;
        self.aux.borrow_mut().binomial = BinomialCache::default();
    }

    pub fn seed_int(&mut self, seed: i128) -> Result<()> {
        if !(0..=0xFFFF_FFFF).contains(&seed) {
            return Err(RandomError::value("Seed must be between 0 and 2**32 - 1"));
        }
        self.bg = Mt19937::new_legacy(seed as u32);
        self.reset_caches();
        Ok(())
    }

    pub fn seed_array(&mut self, seed: &[i64]) -> Result<()> {
        if seed.is_empty() {
            return Err(RandomError::value("Seed must be non-empty"));
        }
        if seed.iter().any(|&s| !(0..=0xFFFF_FFFF).contains(&s)) {
            return Err(RandomError::value("Seed must be between 0 and 2**32 - 1"));
        }
        let words: Vec<u32> = seed.iter().map(|&s| s as u32).collect();
        self.bg = Mt19937::from_array(&words);
        self.reset_caches();
        Ok(())
    }

    /// Seed from 624 entropy words (as `seed(None)` does after drawing OS entropy).
    pub fn seed_from_words(&mut self, words: &[u32; MT_N]) {
        let mut key = *words;
        key[0] = 0x8000_0000;
        self.bg = Mt19937::from_state(&key, MT_N);
        self.reset_caches();
    }

    pub fn get_state(&self) -> LegacyState {
        LegacyState { key: *self.bg.key(), pos: self.bg.pos(), has_gauss: self.aux.has_gauss, gauss: self.aux.gauss }
    }

    pub fn set_state(&mut self, st: &LegacyState) -> Result<()> {
        if st.pos > MT_N {
            return Err(RandomError::value("pos must be in [0, 624]"));
        }
        self.bg.set_state(&st.key, st.pos);
        self.aux.borrow_mut().has_gauss = st.has_gauss;
        self.aux.borrow_mut().gauss = st.gauss;
        self.aux.borrow_mut().binomial = BinomialCache::default();
        Ok(())
    }

    pub fn mt19937(&mut self) -> &mut Mt19937 {
        &mut self.bg
    }
}

impl<B: BitGen, A: BorrowMut<LegacyAux>> RandomState<B, A> {
    /// A legacy state over `bg` with the given caches (see [`RandomState::into_parts`]).
    pub fn from_parts(bg: B, aux: A) -> Self {
        RandomState { bg, aux }
    }
    /// The bit generator and the caches, e.g. to keep the caches between calls that each
    /// borrow the bit generator anew.
    pub fn into_parts(self) -> (B, A) {
        (self.bg, self.aux)
    }
    /// The caches (cached Gaussian, binomial setup).
    pub fn aux(&self) -> &LegacyAux {
        self.aux.borrow()
    }
    /// The bit generator.
    pub fn bit_generator(&mut self) -> &mut B {
        &mut self.bg
    }
    /// Forget the cached Gaussian and binomial setup (as NumPy's `_reset_gauss` on reseeding).
    pub fn reset_aux(&mut self) {
        *self.aux.borrow_mut() = LegacyAux::default();
    }

    // ---- uniform / normal / exponential -------------------------------------------------

    /// `random_sample` / `random` / `rand` / `sample` / `ranf`.
    #[inline]
    pub fn random_sample(&mut self, out: &mut [f64]) {
        fill_with!(self, out, self.bg.next_double());
    }
    pub fn next_double(&mut self) -> f64 {
        self.bg.next_double()
    }
    /// Raw 32-bit output.
    pub fn next_u32_raw(&mut self) -> u32 {
        self.bg.next_u32()
    }
    /// `tomaxint`: `next64 >> 1`.
    #[inline]
    pub fn tomaxint(&mut self, out: &mut [i64]) {
        fill_with!(self, out, (self.bg.next_u64() >> 1) as i64);
    }

    /// `uniform(low, high)`; OverflowError if `high - low` is not finite.
    #[inline]
    pub fn uniform(&mut self, low: f64, high: f64, out: &mut [f64]) -> Result<()> {
        let range = high - low;
        if !range.is_finite() {
            return Err(RandomError::Overflow("Range exceeds valid bounds".into()));
        }
        fill_with!(self, out, low + range * self.bg.next_double());
        Ok(())
    }
    /// Single draw `low + range * U` (broadcast helper; no checks).
    pub fn uniform_one(&mut self, low: f64, range: f64) -> f64 {
        low + range * self.bg.next_double()
    }

    /// `standard_normal` / `randn` (polar Box–Muller with the persistent cache).
    #[inline]
    pub fn standard_normal(&mut self, out: &mut [f64]) {
        fill_with!(self, out, Src::gauss(self));
    }
    pub fn gauss(&mut self) -> f64 {
        Src::gauss(self)
    }
    #[inline]
    pub fn normal(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, loc + scale * Src::gauss(self));
        Ok(())
    }
    #[inline]
    pub fn lognormal(&mut self, mean: f64, sigma: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(sigma, "sigma")?;
        fill_with!(self, out, (mean + sigma * Src::gauss(self)).exp());
        Ok(())
    }
    #[inline]
    pub fn standard_exponential(&mut self, out: &mut [f64]) {
        fill_with!(self, out, self.sexp());
    }
    #[inline]
    pub fn exponential(&mut self, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, scale * self.sexp());
        Ok(())
    }

    // ---- integers ---------------------------------------------------------------------

    /// `randint(low, high, dtype=T)`; `high = None` is `randint(0, low)`.
    #[inline]
    pub fn randint<T: IntDtype>(&mut self, low: i128, high: Option<i128>, out: &mut [T]) -> Result<()> {
        let (low, high) = match high {
            Some(h) => (low, h),
            None => (0, low),
        };
        let (off, rng) = int_bounds::<T>(low, high, false)?;
        if out.is_empty() {
            return Ok(());
        }
        BoundedSampler::new(true).fill(&mut self.bg, off, rng, out);
        Ok(())
    }
    /// Convenience: `randint` with the default dtype (int64).
    #[inline]
    pub fn randint_i64(&mut self, low: i64, high: i64, out: &mut [i64]) -> Result<()> {
        self.randint::<i64>(low as i128, Some(high as i128), out)
    }
    /// `random_integers(low, high)` = `randint(low, high + 1)` (int64).
    #[inline]
    pub fn random_integers(&mut self, low: i64, high: Option<i64>, out: &mut [i64]) -> Result<()> {
        let (low, high) = match high {
            Some(h) => (low, h),
            None => (1, low),
        };
        self.randint::<i64>(low as i128, Some(high as i128 + 1), out)
    }
    /// Masked sampler for broadcast (array low/high) paths: one sampler per call.
    pub fn bounded_sampler(&self) -> BoundedSampler {
        BoundedSampler::new(true)
    }
    /// One draw with an explicit sampler (keeps the 8/16-bit buffer across elements).
    pub fn bounded_draw<T: IntDtype>(&mut self, s: &mut BoundedSampler, off: u64, rng: u64) -> T {
        s.draw(&mut self.bg, off, rng)
    }
    /// `out.len()` draws in `[off, off + rng]` (as many [`Self::bounded_draw`] calls make, with
    /// the common masked 32-bit case set up once).
    #[inline]
    pub fn bounded_fill<T: IntDtype>(&mut self, s: &mut BoundedSampler, off: u64, rng: u64, out: &mut [T]) {
        s.fill(&mut self.bg, off, rng, out)
    }
    /// `random_interval(max)`.
    pub fn random_interval(&mut self, max: u64) -> u64 {
        random_interval(&mut self.bg, max)
    }

    /// `bytes(n)`.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let words = n.div_ceil(4);
        let mut v = Vec::with_capacity(words * 4);
        for _ in 0..words {
            v.extend_from_slice(&self.bg.next_u32().to_le_bytes());
        }
        v.truncate(n);
        v
    }

    // ---- permutations -----------------------------------------------------------------

    /// In-place legacy Fisher–Yates over a 1-D slice.
    pub fn shuffle<T>(&mut self, data: &mut [T]) {
        let n = data.len();
        for i in (1..n).rev() {
            let j = random_interval(&mut self.bg, i as u64) as usize;
            data.swap(i, j);
        }
    }
    /// Shuffle the rows (length `row_len`) of a C-contiguous n-D buffer along axis 0.
    pub fn shuffle_rows<T>(&mut self, data: &mut [T], row_len: usize) {
        if row_len == 0 {
            return;
        }
        let n = data.len() / row_len;
        for i in (1..n).rev() {
            let j = random_interval(&mut self.bg, i as u64) as usize;
            if i != j {
                let (a, b) = data.split_at_mut(i * row_len);
                a[j * row_len..(j + 1) * row_len].swap_with_slice(&mut b[..row_len]);
            }
        }
    }
    /// Shuffle `n` rows of zero length still consumes draws: use this when `row_len == 0`.
    pub fn shuffle_count(&mut self, n: usize) {
        for i in (1..n).rev() {
            random_interval(&mut self.bg, i as u64);
        }
    }
    /// `permutation(n)`.
    pub fn permutation(&mut self, n: usize) -> Vec<i64> {
        let mut v: Vec<i64> = (0..n as i64).collect();
        self.shuffle(&mut v);
        v
    }

    /// `choice(pop_size, size, replace, p)` as indices into the population.
    #[inline]
    pub fn choice(&mut self, pop: usize, replace: bool, p: Option<&[f64]>, out: &mut [i64]) -> Result<()> {
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
                    self.random_sample(&mut u);
                    choice_p_replace(p, &u, out);
                }
                None => self.randint::<i64>(0, Some(pop as i128), out)?,
            }
        } else {
            if size > pop {
                return Err(RandomError::value("Cannot take a larger sample than population when 'replace=False'"));
            }
            match p {
                Some(p) => {
                    if p.iter().filter(|&&v| v > 0.0).count() < size {
                        return Err(RandomError::value("Fewer non-zero entries in p than size"));
                    }
                    choice_p_noreplace(p, out, |x| self.random_sample(x));
                }
                None => {
                    let perm = self.permutation(pop);
                    out.copy_from_slice(&perm[..size]);
                }
            }
        }
        Ok(())
    }

    // ---- continuous distributions -----------------------------------------------------

    #[inline]
    pub fn standard_gamma(&mut self, shape: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        fill_with!(self, out, dist::standard_gamma(self, shape));
        Ok(())
    }
    #[inline]
    pub fn gamma(&mut self, shape: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, scale * dist::standard_gamma(self, shape));
        Ok(())
    }
    #[inline]
    pub fn beta(&mut self, a: f64, b: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        cons::positive(b, "b")?;
        fill_with!(self, out, dist::beta(self, a, b));
        Ok(())
    }
    #[inline]
    pub fn chisquare(&mut self, df: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        fill_with!(self, out, dist::chisquare(self, df));
        Ok(())
    }
    #[inline]
    pub fn f(&mut self, dfnum: f64, dfden: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(dfnum, "dfnum")?;
        cons::positive(dfden, "dfden")?;
        fill_with!(self, out, dist::f_dist(self, dfnum, dfden));
        Ok(())
    }
    #[inline]
    pub fn noncentral_chisquare(&mut self, df: f64, nonc: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        cons::non_negative(nonc, "nonc")?;
        fill_with!(self, out, dist::noncentral_chisquare(self, df, nonc));
        Ok(())
    }
    #[inline]
    pub fn noncentral_f(&mut self, dfnum: f64, dfden: f64, nonc: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(dfnum, "dfnum")?;
        cons::positive(dfden, "dfden")?;
        cons::non_negative(nonc, "nonc")?;
        fill_with!(self, out, dist::noncentral_f(self, dfnum, dfden, nonc));
        Ok(())
    }
    #[inline]
    pub fn standard_t(&mut self, df: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(df, "df")?;
        fill_with!(self, out, dist::standard_t(self, df));
        Ok(())
    }
    #[inline]
    pub fn standard_cauchy(&mut self, out: &mut [f64]) {
        fill_with!(self, out, dist::standard_cauchy(self));
    }
    #[inline]
    pub fn pareto(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        fill_with!(self, out, dist::pareto(self, a));
        Ok(())
    }
    #[inline]
    pub fn weibull(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(a, "a")?;
        fill_with!(self, out, dist::weibull(self, a));
        Ok(())
    }
    #[inline]
    pub fn power(&mut self, a: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        fill_with!(self, out, dist::power(self, a));
        Ok(())
    }
    #[inline]
    pub fn laplace(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, dist::laplace(&mut self.bg, loc, scale));
        Ok(())
    }
    #[inline]
    pub fn gumbel(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, dist::gumbel(&mut self.bg, loc, scale));
        Ok(())
    }
    #[inline]
    pub fn logistic(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, dist::logistic(&mut self.bg, loc, scale));
        Ok(())
    }
    #[inline]
    pub fn rayleigh(&mut self, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        fill_with!(self, out, dist::rayleigh(&mut self.bg, scale));
        Ok(())
    }
    #[inline]
    pub fn wald(&mut self, mean: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(mean, "mean")?;
        cons::positive(scale, "scale")?;
        fill_with!(self, out, dist::wald(self, mean, scale));
        Ok(())
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
        fill_with!(self, out, dist::triangular(&mut self.bg, left, mode, right));
        Ok(())
    }
    #[inline]
    pub fn vonmises(&mut self, mu: f64, kappa: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(kappa, "kappa")?;
        fill_with!(self, out, dist::vonmises_legacy(&mut self.bg, mu, kappa));
        Ok(())
    }

    // ---- discrete distributions -------------------------------------------------------

    #[inline]
    pub fn binomial(&mut self, n: i64, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_0_1(p, "p")?;
        cons::non_negative(n as f64, "n")?;
        fill_with!(self, out, dist::binomial(&mut self.bg, p, n, &mut self.aux.borrow_mut().binomial, false));
        Ok(())
    }
    #[inline]
    pub fn poisson(&mut self, lam: f64, out: &mut [i64]) -> Result<()> {
        cons::poisson_lam(lam, "lam")?;
        dist::poisson_fill(&mut self.bg, lam, out);
        Ok(())
    }
    #[inline]
    pub fn negative_binomial(&mut self, n: f64, p: f64, out: &mut [i64]) -> Result<()> {
        cons::positive(n, "n")?;
        cons::bounded_gt_0_1(p, "p")?;
        fill_with!(self, out, {
            let y = (1.0 - p) / p * dist::standard_gamma(self, n);
            dist::poisson(&mut self.bg, y)
        });
        Ok(())
    }
    #[inline]
    pub fn geometric(&mut self, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_gt_0_1(p, "p")?;
        fill_with!(self, out, dist::geometric(&mut self.bg, p));
        Ok(())
    }
    #[inline]
    pub fn logseries(&mut self, p: f64, out: &mut [i64]) -> Result<()> {
        cons::bounded_lt_0_1(p, "p")?;
        fill_with!(self, out, dist::logseries(&mut self.bg, p));
        Ok(())
    }
    #[inline]
    pub fn zipf(&mut self, a: f64, out: &mut [i64]) -> Result<()> {
        cons::gt_1(a, "a")?;
        fill_with!(self, out, dist::zipf(&mut self.bg, a));
        Ok(())
    }
    #[inline]
    pub fn hypergeometric(&mut self, ngood: i64, nbad: i64, nsample: i64, out: &mut [i64]) -> Result<()> {
        if ngood < 0 {
            return Err(RandomError::value("ngood < 0"));
        }
        if nbad < 0 {
            return Err(RandomError::value("nbad < 0"));
        }
        if nsample < 1 {
            return Err(RandomError::value("nsample < 1"));
        }
        if ngood + nbad < nsample {
            return Err(RandomError::value("ngood + nbad < nsample"));
        }
        dist::hypergeometric_legacy_fill(&mut self.bg, ngood, nbad, nsample, out);
        Ok(())
    }
    /// `multinomial(n, pvals, size)`: `out.len()` must be a multiple of `pvals.len()`.
    #[inline]
    pub fn multinomial(&mut self, n: i64, pvals: &[f64], out: &mut [i64]) -> Result<()> {
        let d = pvals.len();
        if n < 0 {
            return Err(RandomError::value("n < 0"));
        }
        if d == 0 {
            return Ok(());
        }
        if pvals.iter().any(|&v| !(0.0..=1.0).contains(&v)) {
            return Err(RandomError::value("pvals < 0, pvals > 1 or pvals contains NaNs"));
        }
        if kahan_sum(&pvals[..d - 1]) > 1.0 + 1e-12 {
            return Err(RandomError::value("sum(pvals[:-1]) > 1.0"));
        }
        for row in out.chunks_mut(d) {
            dist::multinomial(&mut self.bg, n, row, pvals, &mut self.aux.borrow_mut().binomial);
        }
        Ok(())
    }
    /// `dirichlet(alpha, size)`: `out.len()` must be a multiple of `alpha.len()`.
    #[inline]
    pub fn dirichlet(&mut self, alpha: &[f64], out: &mut [f64]) -> Result<()> {
        let k = alpha.len();
        // NumPy's legacy check is `alpha <= 0`: NaN passes (and gives NaN rows).
        if alpha.iter().any(|&a| a <= 0.0) {
            return Err(RandomError::value("alpha <= 0"));
        }
        if k == 0 {
            return Ok(());
        }
        for row in out.chunks_mut(k) {
            let mut acc = 0.0;
            for (o, &a) in row.iter_mut().zip(alpha) {
                *o = dist::standard_gamma(self, a);
                acc += *o;
            }
            let inv = 1.0 / acc;
            row.iter_mut().for_each(|v| *v *= inv);
        }
        Ok(())
    }

    // ---- single draws for broadcasting (no parameter checks) -------------------------

    pub fn standard_gamma_one(&mut self, shape: f64) -> f64 {
        dist::standard_gamma(self, shape)
    }
    pub fn beta_one(&mut self, a: f64, b: f64) -> f64 {
        dist::beta(self, a, b)
    }
    pub fn chisquare_one(&mut self, df: f64) -> f64 {
        dist::chisquare(self, df)
    }
    pub fn poisson_one(&mut self, lam: f64) -> i64 {
        dist::poisson(&mut self.bg, lam)
    }
    pub fn binomial_one(&mut self, n: i64, p: f64) -> i64 {
        dist::binomial(&mut self.bg, p, n, &mut self.aux.borrow_mut().binomial, false)
    }
    pub fn standard_exponential_one(&mut self) -> f64 {
        self.sexp()
    }
}
