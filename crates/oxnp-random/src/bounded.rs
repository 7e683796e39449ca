//! Bounded integers: NumPy's masked rejection (legacy `randint`) and Lemire (`Generator.integers`),
//! with the buffered 8/16-bit and bool paths.

use crate::bitgen::{gen_mask, BitGen};
use crate::RandomError;

/// Integer dtypes that `randint` / `integers` can produce.
pub trait IntDtype: Copy + Default + std::fmt::Debug + PartialEq + 'static {
    /// NumPy's dtype name ("int8", ..., "bool").
    const NAME: &'static str;
    /// 1 for bool, else 8/16/32/64.
    const BITS: u32;
    const MIN: i128;
    const MAX: i128;
    /// Truncating conversion from the unsigned working value.
    fn from_u64(v: u64) -> Self;
}

macro_rules! int_dtype {
    ($t:ty, $name:expr, $bits:expr) => {
        impl IntDtype for $t {
            const NAME: &'static str = $name;
            const BITS: u32 = $bits;
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: i128 = <$t>::MAX as i128;
            #[inline]
            fn from_u64(v: u64) -> Self {
                v as $t
            }
        }
    };
}
int_dtype!(i8, "int8", 8);
int_dtype!(u8, "uint8", 8);
int_dtype!(i16, "int16", 16);
int_dtype!(u16, "uint16", 16);
int_dtype!(i32, "int32", 32);
int_dtype!(u32, "uint32", 32);
int_dtype!(i64, "int64", 64);
int_dtype!(u64, "uint64", 64);
impl IntDtype for bool {
    const NAME: &'static str = "bool";
    const BITS: u32 = 1;
    const MIN: i128 = 0;
    const MAX: i128 = 1;
    #[inline]
    fn from_u64(v: u64) -> Self {
        v & 1 != 0
    }
}

/// Validate `[low, high)` (or `[low, high]` when `closed`) for dtype `T` exactly as NumPy's
/// `_rand_<type>` scalar path does; returns `(off, rng)` in the unsigned working width.
pub fn int_bounds<T: IntDtype>(low: i128, high: i128, closed: bool) -> Result<(u64, u64), RandomError> {
    let high = if closed { high } else { high - 1 };
    if low < T::MIN {
        return Err(RandomError::Value(format!("low is out of bounds for {}", T::NAME)));
    }
    if high > T::MAX {
        return Err(RandomError::Value(format!("high is out of bounds for {}", T::NAME)));
    }
    if low > high {
        let msg = if low == 0 {
            if closed { "high < 0" } else { "high <= 0" }
        } else if closed {
            "low > high"
        } else {
            "low >= high"
        };
        return Err(RandomError::Value(msg.to_string()));
    }
    let width_mask = if T::BITS >= 64 { u64::MAX } else { (1u64 << T::BITS.max(1)) - 1 };
    let rng = ((high - low) as u64) & width_mask;
    let off = (low as u64) & width_mask;
    Ok((off, rng))
}

/// Stateful bounded sampler: holds the 8/16-bit/bool sub-word buffer that NumPy keeps for the
/// duration of one fill (or across the elements of one broadcast call).
#[derive(Clone, Debug, Default)]
pub struct BoundedSampler {
    masked: bool,
    bcnt: u32,
    buf: u32,
}

impl BoundedSampler {
    /// `masked = true` for legacy RandomState (masked rejection), false for Generator (Lemire).
    pub fn new(masked: bool) -> Self {
        BoundedSampler { masked, bcnt: 0, buf: 0 }
    }

    #[inline(always)]
    fn buffered16<B: BitGen + ?Sized>(&mut self, b: &mut B) -> u32 {
        if self.bcnt == 0 {
            self.buf = b.next_u32();
            self.bcnt = 1;
        } else {
            self.buf >>= 16;
            self.bcnt -= 1;
        }
        self.buf & 0xFFFF
    }
    #[inline(always)]
    fn buffered8<B: BitGen + ?Sized>(&mut self, b: &mut B) -> u32 {
        if self.bcnt == 0 {
            self.buf = b.next_u32();
            self.bcnt = 3;
        } else {
            self.buf >>= 8;
            self.bcnt -= 1;
        }
        self.buf & 0xFF
    }

    /// One draw in `[off, off + rng]` for dtype `T` (values wrap in the dtype's width).
    #[inline(always)]
    pub fn draw<T: IntDtype, B: BitGen + ?Sized>(&mut self, b: &mut B, off: u64, rng: u64) -> T {
        T::from_u64(off.wrapping_add(self.draw_raw(T::BITS, b, rng)))
    }

    /// `out.len()` draws as [`Self::draw`] makes them, with the common cases (a 32- or 64-bit
    /// dtype and a range drawn from 32-bit words, or a 64-bit range) set up once for the whole
    /// fill rather than per draw.
    #[inline]
    pub fn fill<T: IntDtype, B: BitGen + ?Sized>(&mut self, b: &mut B, off: u64, rng: u64, out: &mut [T]) {
        let put = |v: u64| T::from_u64(off.wrapping_add(v));
        if T::BITS >= 32 && rng == 0xFFFF_FFFF {
            out.iter_mut().for_each(|o| *o = put(b.next_u32() as u64));
        } else if T::BITS >= 32 && rng != 0 && rng < 0xFFFF_FFFF {
            let lim = rng as u32;
            if self.masked {
                let mask = gen_mask(rng) as u32;
                for o in out.iter_mut() {
                    let v = loop {
                        let v = b.next_u32() & mask;
                        if v <= lim {
                            break v;
                        }
                    };
                    *o = put(v as u64);
                }
            } else {
                out.iter_mut().for_each(|o| *o = put(lemire32(b, lim) as u64));
            }
        } else if T::BITS == 64 && rng > 0xFFFF_FFFF && rng != u64::MAX {
            if self.masked {
                let mask = gen_mask(rng);
                for o in out.iter_mut() {
                    let v = loop {
                        let v = b.next_u64() & mask;
                        if v <= rng {
                            break v;
                        }
                    };
                    *o = put(v);
                }
            } else {
                out.iter_mut().for_each(|o| *o = put(lemire64(b, rng)));
            }
        } else if (T::BITS == 8 || T::BITS == 16) && rng != 0 && rng < (1 << T::BITS) - 1 {
            // The sub-word buffer lives in locals for the fill.
            let (bits, wmask, rng) = (T::BITS, (1u32 << T::BITS) - 1, rng as u32);
            let (mut buf, mut bcnt) = (self.buf, self.bcnt);
            let mut next = || {
                if bcnt == 0 {
                    buf = b.next_u32();
                    bcnt = 32 / bits - 1;
                } else {
                    buf >>= bits;
                    bcnt -= 1;
                }
                buf & wmask
            };
            if self.masked {
                let mask = gen_mask(rng as u64) as u32;
                for o in out.iter_mut() {
                    let v = loop {
                        let v = next() & mask;
                        if v <= rng {
                            break v;
                        }
                    };
                    *o = put(v as u64);
                }
            } else {
                let excl = rng + 1;
                for o in out.iter_mut() {
                    let mut m = next() * excl;
                    let mut left = m & wmask;
                    if left < excl {
                        let thr = (wmask - rng) % excl;
                        while left < thr {
                            m = next() * excl;
                            left = m & wmask;
                        }
                    }
                    *o = put((m >> bits) as u64);
                }
            }
            (self.buf, self.bcnt) = (buf, bcnt);
        } else {
            for o in out.iter_mut() {
                *o = self.draw(b, off, rng);
            }
        }
    }

    #[inline(always)]
    fn draw_raw<B: BitGen + ?Sized>(&mut self, bits: u32, b: &mut B, rng: u64) -> u64 {
        if rng == 0 {
            return 0;
        }
        match bits {
            64 => {
                if rng <= 0xFFFF_FFFF {
                    if rng == 0xFFFF_FFFF {
                        b.next_u32() as u64
                    } else {
                        self.draw32(b, rng as u32) as u64
                    }
                } else if rng == u64::MAX {
                    b.next_u64()
                } else if self.masked {
                    let mask = gen_mask(rng);
                    loop {
                        let v = b.next_u64() & mask;
                        if v <= rng {
                            return v;
                        }
                    }
                } else {
                    lemire64(b, rng)
                }
            }
            32 => {
                if rng == 0xFFFF_FFFF {
                    b.next_u32() as u64
                } else {
                    self.draw32(b, rng as u32) as u64
                }
            }
            16 => {
                let rng = rng as u32;
                if rng == 0xFFFF {
                    return self.buffered16(b) as u64;
                }
                if self.masked {
                    let mask = gen_mask(rng as u64) as u32;
                    loop {
                        let v = self.buffered16(b) & mask;
                        if v <= rng {
                            return v as u64;
                        }
                    }
                } else {
                    let excl = rng + 1;
                    let mut m = self.buffered16(b) * excl;
                    let mut left = m & 0xFFFF;
                    if left < excl {
                        let thr = (0xFFFF - rng) % excl;
                        while left < thr {
                            m = self.buffered16(b) * excl;
                            left = m & 0xFFFF;
                        }
                    }
                    (m >> 16) as u64
                }
            }
            8 => {
                let rng = rng as u32;
                if rng == 0xFF {
                    return self.buffered8(b) as u64;
                }
                if self.masked {
                    let mask = gen_mask(rng as u64) as u32;
                    loop {
                        let v = self.buffered8(b) & mask;
                        if v <= rng {
                            return v as u64;
                        }
                    }
                } else {
                    let excl = rng + 1;
                    let mut m = self.buffered8(b) * excl;
                    let mut left = m & 0xFF;
                    if left < excl {
                        let thr = (0xFF - rng) % excl;
                        while left < thr {
                            m = self.buffered8(b) * excl;
                            left = m & 0xFF;
                        }
                    }
                    (m >> 8) as u64
                }
            }
            _ => {
                // bool
                if self.bcnt == 0 {
                    self.buf = b.next_u32();
                    self.bcnt = 31;
                } else {
                    self.buf >>= 1;
                    self.bcnt -= 1;
                }
                (self.buf & 1) as u64
            }
        }
    }

    #[inline(always)]
    fn draw32<B: BitGen + ?Sized>(&mut self, b: &mut B, rng: u32) -> u32 {
        if self.masked {
            let mask = gen_mask(rng as u64) as u32;
            loop {
                let v = b.next_u32() & mask;
                if v <= rng {
                    return v;
                }
            }
        } else {
            lemire32(b, rng)
        }
    }
}

/// Lemire's method on 32-bit draws, result in [0, rng] (rng < 2^32 - 1).
#[inline(always)]
pub fn lemire32<B: BitGen + ?Sized>(b: &mut B, rng: u32) -> u32 {
    let excl = rng as u64 + 1;
    let mut m = b.next_u32() as u64 * excl;
    let mut left = m & 0xFFFF_FFFF;
    if left < excl {
        let thr = (0xFFFF_FFFFu64 - rng as u64) % excl;
        while left < thr {
            m = b.next_u32() as u64 * excl;
            left = m & 0xFFFF_FFFF;
        }
    }
    (m >> 32) as u32
}

/// Lemire's method on 64-bit draws, result in [0, rng] (rng < 2^64 - 1).
#[inline(always)]
pub fn lemire64<B: BitGen + ?Sized>(b: &mut B, rng: u64) -> u64 {
    let excl = rng + 1;
    let mut m = b.next_u64() as u128 * excl as u128;
    let mut left = m as u64;
    if left < excl {
        let thr = (u64::MAX - rng) % excl;
        while left < thr {
            m = b.next_u64() as u128 * excl as u128;
            left = m as u64;
        }
    }
    (m >> 64) as u64
}

/// NumPy's `random_bounded_uint64(off=0, rng, use_masked=false)`: a single Lemire draw in [0, rng].
#[inline]
pub fn bounded_lemire_u64<B: BitGen + ?Sized>(b: &mut B, rng: u64) -> u64 {
    if rng == 0 {
        0
    } else if rng <= 0xFFFF_FFFF {
        if rng == 0xFFFF_FFFF { b.next_u32() as u64 } else { lemire32(b, rng as u32) as u64 }
    } else if rng == u64::MAX {
        b.next_u64()
    } else {
        lemire64(b, rng)
    }
}

/// Fill `out` with draws in `[off, off+rng]` (one NumPy fill call: one buffer).
pub fn bounded_fill<T: IntDtype, B: BitGen + ?Sized>(b: &mut B, off: u64, rng: u64, masked: bool, out: &mut [T]) {
    let mut s = BoundedSampler::new(masked);
    for o in out.iter_mut() {
        *o = s.draw(b, off, rng);
    }
}
