//! `np.random.Generator` on any [`BitGen`] (default: [`Pcg64`]).

use crate::bitgen::{next_float, random_interval, BitGen};
use crate::bounded::{bounded_lemire_u64, int_bounds, BoundedSampler, IntDtype};
use crate::constraint as cons;
use crate::dist::{self, Src};
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
    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    #[inline]
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    #[inline]
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
    pub fn random(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = self.bg.next_double();
        }
    }
    /// `random(size, dtype=float32)`.
    pub fn random_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = next_float(&mut self.bg);
        }
    }
    /// `uniform(low, high)`.
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
    pub fn standard_normal(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_normal(&mut self.bg);
        }
    }
    /// `standard_normal(size, dtype=float32)`.
    pub fn standard_normal_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_normal_f32(&mut self.bg);
        }
    }
    pub fn normal(&mut self, loc: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = loc + scale * ziggurat::standard_normal(&mut self.bg);
        }
        Ok(())
    }
    /// `standard_exponential(size)` (ziggurat; `method='zig'`).
    pub fn standard_exponential(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_exponential(&mut self.bg);
        }
    }
    /// `standard_exponential(size, method='inv')`.
    pub fn standard_exponential_inv(&mut self, out: &mut [f64]) {
        for o in out.iter_mut() {
            *o = -(1.0 - self.bg.next_double()).ln();
        }
    }
    pub fn standard_exponential_f32(&mut self, out: &mut [f32]) {
        for o in out.iter_mut() {
            *o = ziggurat::standard_exponential_f32(&mut self.bg);
        }
    }
    pub fn exponential(&mut self, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(scale, "scale")?;
        for o in out.iter_mut() {
            *o = scale * ziggurat::standard_exponential(&mut self.bg);
        }
        Ok(())
    }
    pub fn standard_gamma(&mut self, shape: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::standard_gamma(&mut s, shape);
        }
        Ok(())
    }
    pub fn gamma(&mut self, shape: f64, scale: f64, out: &mut [f64]) -> Result<()> {
        cons::non_negative(shape, "shape")?;
        cons::non_negative(scale, "scale")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = scale * dist::standard_gamma(&mut s, shape);
        }
        Ok(())
    }
    pub fn beta(&mut self, a: f64, b: f64, out: &mut [f64]) -> Result<()> {
        cons::positive(a, "a")?;
        cons::positive(b, "b")?;
        let mut s = self.src();
        for o in out.iter_mut() {
            *o = dist::beta(&mut s, a, b);
        }
        Ok(())
    }
    pub fn poisson(&mut self, lam: f64, out: &mut [i64]) -> Result<()> {
        cons::poisson_lam(lam, "lam")?;
        for o in out.iter_mut() {
            *o = dist::poisson(&mut self.bg, lam);
        }
        Ok(())
    }

    /// `integers(low, high, dtype=T, endpoint)` (Lemire). `high = None` means `[0, low)`.
    pub fn integers<T: IntDtype>(&mut self, low: i128, high: Option<i128>, endpoint: bool, out: &mut [T]) -> Result<()> {
        let (low, high) = match high {
            Some(h) => (low, h),
            None => (0, low),
        };
        let (off, rng) = int_bounds::<T>(low, high, endpoint)?;
        let mut s = BoundedSampler::new(false);
        for o in out.iter_mut() {
            *o = s.draw(&mut self.bg, off, rng);
        }
        Ok(())
    }
    /// Lemire sampler for broadcast paths.
    pub fn bounded_draw<T: IntDtype>(&mut self, s: &mut BoundedSampler, off: u64, rng: u64) -> T {
        s.draw(&mut self.bg, off, rng)
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
