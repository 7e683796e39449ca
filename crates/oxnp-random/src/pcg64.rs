//! PCG64 (XSL-RR 128/64), PCG64DXSM, SFC64 and Philox4x64-10, seeded as NumPy seeds them.

use crate::bitgen::BitGen;
use crate::seed_sequence::SeedSequence;

const PCG_MULT: u128 = (2549297995355413924u128 << 64) | 4865540595714422341u128;
const CHEAP_MULT: u64 = 0xda94_2042_e4dd_58b5;

/// Full state of a PCG64-family generator (matches `bit_generator.state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcgState {
    pub state: u128,
    pub inc: u128,
    pub has_uint32: bool,
    pub uinteger: u32,
}

macro_rules! half_word_buffer {
    ($t:ty) => {
        impl BitGen for $t {
            #[inline(always)]
            fn next_u64(&mut self) -> u64 {
                self.next64()
            }
            #[inline(always)]
            fn next_u32(&mut self) -> u32 {
                if self.has_uint32 {
                    self.has_uint32 = false;
                    return self.uinteger;
                }
                let v = self.next64();
                self.has_uint32 = true;
                self.uinteger = (v >> 32) as u32;
                v as u32
            }
        }
    };
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pcg64 {
    state: u128,
    inc: u128,
    has_uint32: bool,
    uinteger: u32,
}

impl Pcg64 {
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        let v = ss.generate_state_u64(4);
        let initstate = ((v[0] as u128) << 64) | v[1] as u128;
        let initseq = ((v[2] as u128) << 64) | v[3] as u128;
        let mut p = Pcg64 { state: 0, inc: (initseq << 1) | 1, has_uint32: false, uinteger: 0 };
        p.step();
        p.state = p.state.wrapping_add(initstate);
        p.step();
        p
    }
    /// `PCG64(int_seed)`.
    pub fn new(seed: u128) -> Self {
        Self::from_seed_sequence(&SeedSequence::from_int(seed))
    }
    #[inline(always)]
    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULT).wrapping_add(self.inc);
    }
    #[inline(always)]
    pub fn next64(&mut self) -> u64 {
        self.step();
        let hi = (self.state >> 64) as u64;
        let lo = self.state as u64;
        (hi ^ lo).rotate_right((hi >> 58) as u32)
    }
    pub fn state(&self) -> PcgState {
        PcgState { state: self.state, inc: self.inc, has_uint32: self.has_uint32, uinteger: self.uinteger }
    }
    pub fn set_state(&mut self, s: &PcgState) {
        self.state = s.state;
        self.inc = s.inc;
        self.has_uint32 = s.has_uint32;
        self.uinteger = s.uinteger;
    }
    /// Advance the underlying LCG by `delta` steps (NumPy's `advance`); resets the half-word buffer.
    pub fn advance(&mut self, delta: u128) {
        self.state = lcg_advance(self.state, delta, PCG_MULT, self.inc);
        self.has_uint32 = false;
        self.uinteger = 0;
    }
}
half_word_buffer!(Pcg64);

fn lcg_advance(state: u128, mut delta: u128, mut mult: u128, mut plus: u128) -> u128 {
    let (mut acc_mult, mut acc_plus) = (1u128, 0u128);
    while delta > 0 {
        if delta & 1 != 0 {
            acc_mult = acc_mult.wrapping_mul(mult);
            acc_plus = acc_plus.wrapping_mul(mult).wrapping_add(plus);
        }
        plus = mult.wrapping_add(1).wrapping_mul(plus);
        mult = mult.wrapping_mul(mult);
        delta >>= 1;
    }
    acc_mult.wrapping_mul(state).wrapping_add(acc_plus)
}

/// PCG64DXSM (cheap-multiplier LCG, DXSM output on the pre-step state).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pcg64Dxsm {
    state: u128,
    inc: u128,
    has_uint32: bool,
    uinteger: u32,
}

impl Pcg64Dxsm {
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        let v = ss.generate_state_u64(4);
        let initstate = ((v[0] as u128) << 64) | v[1] as u128;
        let initseq = ((v[2] as u128) << 64) | v[3] as u128;
        // NumPy seeds PCG64DXSM with the standard (full-multiplier) PCG64 seeding routine.
        let inc = (initseq << 1) | 1;
        let mut state = inc;
        state = state.wrapping_add(initstate);
        state = state.wrapping_mul(PCG_MULT).wrapping_add(inc);
        Pcg64Dxsm { state, inc, has_uint32: false, uinteger: 0 }
    }
    pub fn new(seed: u128) -> Self {
        Self::from_seed_sequence(&SeedSequence::from_int(seed))
    }
    #[inline(always)]
    fn step(&mut self) {
        self.state = self.state.wrapping_mul(CHEAP_MULT as u128).wrapping_add(self.inc);
    }
    #[inline(always)]
    pub fn next64(&mut self) -> u64 {
        let mut hi = (self.state >> 64) as u64;
        let lo = self.state as u64 | 1;
        hi ^= hi >> 32;
        hi = hi.wrapping_mul(CHEAP_MULT);
        hi ^= hi >> 48;
        hi = hi.wrapping_mul(lo);
        self.step();
        hi
    }
    pub fn state(&self) -> PcgState {
        PcgState { state: self.state, inc: self.inc, has_uint32: self.has_uint32, uinteger: self.uinteger }
    }
    pub fn set_state(&mut self, s: &PcgState) {
        self.state = s.state;
        self.inc = s.inc;
        self.has_uint32 = s.has_uint32;
        self.uinteger = s.uinteger;
    }
}
half_word_buffer!(Pcg64Dxsm);

/// SFC64 (Chris Doty-Humphrey's Small Fast Chaotic generator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sfc64 {
    pub s: [u64; 4],
    has_uint32: bool,
    uinteger: u32,
}

impl Sfc64 {
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        let v = ss.generate_state_u64(3);
        let mut g = Sfc64 { s: [v[0], v[1], v[2], 1], has_uint32: false, uinteger: 0 };
        for _ in 0..12 {
            g.next64();
        }
        g
    }
    pub fn new(seed: u128) -> Self {
        Self::from_seed_sequence(&SeedSequence::from_int(seed))
    }
    #[inline(always)]
    pub fn next64(&mut self) -> u64 {
        let [a, b, c, w] = self.s;
        let tmp = a.wrapping_add(b).wrapping_add(w);
        self.s = [b ^ (b >> 11), c.wrapping_add(c << 3), c.rotate_left(24).wrapping_add(tmp), w.wrapping_add(1)];
        tmp
    }
}
half_word_buffer!(Sfc64);

/// Philox4x64-10 counter-based generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Philox {
    pub ctr: [u64; 4],
    pub key: [u64; 2],
    pub buffer: [u64; 4],
    pub buffer_pos: usize,
    has_uint32: bool,
    uinteger: u32,
}

impl Philox {
    pub fn from_seed_sequence(ss: &SeedSequence) -> Self {
        let v = ss.generate_state_u64(2);
        Philox { ctr: [0; 4], key: [v[0], v[1]], buffer: [0; 4], buffer_pos: 4, has_uint32: false, uinteger: 0 }
    }
    pub fn new(seed: u128) -> Self {
        Self::from_seed_sequence(&SeedSequence::from_int(seed))
    }
    #[inline]
    pub fn next64(&mut self) -> u64 {
        if self.buffer_pos < 4 {
            let v = self.buffer[self.buffer_pos];
            self.buffer_pos += 1;
            return v;
        }
        for c in self.ctr.iter_mut() {
            *c = c.wrapping_add(1);
            if *c != 0 {
                break;
            }
        }
        let mut x = self.ctr;
        let mut k = self.key;
        for r in 0..10 {
            if r > 0 {
                k[0] = k[0].wrapping_add(0x9E37_79B9_7F4A_7C15);
                k[1] = k[1].wrapping_add(0xBB67_AE85_84CA_A73B);
            }
            let p0 = (0xD2E7_470E_E14C_6C93u64 as u128) * x[0] as u128;
            let p1 = (0xCA5A_8263_9512_1157u64 as u128) * x[2] as u128;
            let (hi0, lo0) = ((p0 >> 64) as u64, p0 as u64);
            let (hi1, lo1) = ((p1 >> 64) as u64, p1 as u64);
            x = [hi1 ^ x[1] ^ k[0], lo1, hi0 ^ x[3] ^ k[1], lo0];
        }
        self.buffer = x;
        self.buffer_pos = 1;
        x[0]
    }
}
half_word_buffer!(Philox);

macro_rules! half_word_access {
    ($t:ty) => {
        impl $t {
            /// The buffered 32-bit half-word (`has_uint32`, `uinteger` of NumPy's state dict).
            pub fn half_word(&self) -> (bool, u32) {
                (self.has_uint32, self.uinteger)
            }
            pub fn set_half_word(&mut self, has_uint32: bool, uinteger: u32) {
                self.has_uint32 = has_uint32;
                self.uinteger = uinteger;
            }
        }
    };
}
half_word_access!(Sfc64);
half_word_access!(Philox);
