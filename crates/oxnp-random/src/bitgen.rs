//! The bit-generator interface shared by `Generator` and the distributions.

/// A NumPy-style bit generator: the four primitives of NumPy's `bitgen_t`.
pub trait BitGen {
    /// Next 64-bit output.
    fn next_u64(&mut self) -> u64;
    /// Next 32-bit output (buffered half-words for 64-bit generators, like NumPy).
    fn next_u32(&mut self) -> u32;
    /// Next double in [0, 1).
    #[inline(always)]
    fn next_double(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9007199254740992.0)
    }
}

impl<B: BitGen + ?Sized> BitGen for &mut B {
    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        (**self).next_u32()
    }
    #[inline(always)]
    fn next_double(&mut self) -> f64 {
        (**self).next_double()
    }
}

impl<B: BitGen + ?Sized> BitGen for Box<B> {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
    fn next_u32(&mut self) -> u32 {
        (**self).next_u32()
    }
    fn next_double(&mut self) -> f64 {
        (**self).next_double()
    }
}

/// NumPy's `next_float`: 24 random bits scaled to [0, 1).
#[inline]
pub fn next_float<B: BitGen + ?Sized>(b: &mut B) -> f32 {
    (b.next_u32() >> 8) as f32 * (1.0f32 / 16777216.0f32)
}

/// Smallest all-ones mask >= `max` (NumPy's `gen_mask`).
#[inline]
pub fn gen_mask(max: u64) -> u64 {
    let mut m = max;
    m |= m >> 1;
    m |= m >> 2;
    m |= m >> 4;
    m |= m >> 8;
    m |= m >> 16;
    m |= m >> 32;
    m
}

/// NumPy's `random_interval(max)`: uniform in [0, max] by masked rejection.
#[inline]
pub fn random_interval<B: BitGen + ?Sized>(b: &mut B, max: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let mask = gen_mask(max);
    if max <= 0xFFFF_FFFF {
        loop {
            let v = b.next_u32() as u64 & mask;
            if v <= max {
                return v;
            }
        }
    } else {
        loop {
            let v = b.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }
}
