//! MT19937 with NumPy's seeding rules (legacy `init_genrand` / `init_by_array`, and SeedSequence).

use crate::bitgen::BitGen;
use crate::seed_sequence::SeedSequence;

pub const MT_N: usize = 624;
const MT_M: usize = 397;

/// The Mersenne Twister state: 624 words plus the read position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mt19937 {
    key: [u32; MT_N],
    pos: usize,
}

impl Mt19937 {
    /// Legacy integer seeding (`init_genrand`), as `np.random.seed(s)`.
    pub fn new_legacy(seed: u32) -> Self {
        let mut key = [0u32; MT_N];
        key[0] = seed;
        for i in 1..MT_N {
            let p = key[i - 1];
            key[i] = 1812433253u32.wrapping_mul(p ^ (p >> 30)).wrapping_add(i as u32);
        }
        Mt19937 { key, pos: MT_N }
    }

    /// Legacy sequence seeding (`init_by_array`), as `np.random.seed([a, b, ...])`.
    pub fn from_array(init: &[u32]) -> Self {
        let mut mt = Self::new_legacy(19650218);
        let key = &mut mt.key;
        let len = init.len();
        let (mut i, mut j) = (1usize, 0usize);
        let mut k = MT_N.max(len);
        while k > 0 {
            let p = key[i - 1];
            key[i] = (key[i] ^ (p ^ (p >> 30)).wrapping_mul(1664525))
                .wrapping_add(if len > 0 { init[j] } else { 0 })
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= MT_N {
                key[0] = key[MT_N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
            k -= 1;
        }
        for _ in 0..MT_N - 1 {
            let p = key[i - 1];
            key[i] = (key[i] ^ (p ^ (p >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= MT_N {
                key[0] = key[MT_N - 1];
                i = 1;
            }
        }
        key[0] = 0x8000_0000;
        mt.pos = MT_N;
        mt
    }

    /// New-style seeding (`MT19937(seed)` / `MT19937(SeedSequence)`), including NumPy's `pos = 623` quirk.
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        let st = ss.generate_state_u32(MT_N);
        let mut key = [0u32; MT_N];
        key.copy_from_slice(&st);
        key[0] = 0x8000_0000;
        Mt19937 { key, pos: MT_N - 1 }
    }

    /// Build from a raw state (`set_state`). `pos` must be <= 624.
    pub fn from_state(key: &[u32; MT_N], pos: usize) -> Self {
        Mt19937 { key: *key, pos: pos.min(MT_N) }
    }

    pub fn key(&self) -> &[u32; MT_N] {
        &self.key
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn set_state(&mut self, key: &[u32; MT_N], pos: usize) {
        self.key = *key;
        self.pos = pos.min(MT_N);
    }

    /// The twist over the whole key, in place and in index order. Written as three runs
    /// (no wrap-around index arithmetic, a branch-free matrix term) so the compiler can keep
    /// it tight: it runs once per 624 outputs.
    #[inline(never)]
    fn regen(&mut self) {
        #[inline(always)]
        fn twist(cur: u32, next: u32, far: u32) -> u32 {
            let y = (cur & 0x8000_0000) | (next & 0x7fff_ffff);
            far ^ (y >> 1) ^ ((y & 1).wrapping_neg() & 0x9908_b0df)
        }
        let k = &mut self.key;
        for i in 0..MT_N - MT_M {
            k[i] = twist(k[i], k[i + 1], k[i + MT_M]);
        }
        for i in MT_N - MT_M..MT_N - 1 {
            k[i] = twist(k[i], k[i + 1], k[i + MT_M - MT_N]);
        }
        k[MT_N - 1] = twist(k[MT_N - 1], k[0], k[MT_M - 1]);
        self.pos = 0;
    }

    #[inline(always)]
    pub fn next32(&mut self) -> u32 {
        if self.pos >= MT_N {
            self.regen();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// High word first.
    #[inline(always)]
    pub fn next64(&mut self) -> u64 {
        let hi = self.next32() as u64;
        let lo = self.next32() as u64;
        (hi << 32) | lo
    }

    #[inline(always)]
    pub fn next_double(&mut self) -> f64 {
        let a = (self.next32() >> 5) as f64;
        let b = (self.next32() >> 6) as f64;
        (a * 67108864.0 + b) / 9007199254740992.0
    }
}

impl BitGen for Mt19937 {
    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        self.next64()
    }
    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        self.next32()
    }
    #[inline(always)]
    fn next_double(&mut self) -> f64 {
        Mt19937::next_double(self)
    }
}
