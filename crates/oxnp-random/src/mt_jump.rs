//! MT19937 jump-ahead by 2**128 draws, as NumPy's `MT19937.jumped`.
//!
//! The key is read as a ring of 624 words whose pointer is `pos` (624 read as 0): one step
//! twists the word under the pointer in place and moves the pointer on. The jump applies
//! p(T) to that ring state, p(x) = x**(2**128) mod q(x), q the minimal polynomial of the
//! step (degree 19937), found here by Berlekamp–Massey on one output bit; p(T) s is formed by
//! Horner's rule (a step, then the start state added in ring alignment, per coefficient).

use std::sync::OnceLock;

use crate::mt19937::{Mt19937, MT_N};

const MT_M: usize = 397;
const DEG: usize = 19937;

/// A GF(2) polynomial as bits (bit i = coefficient of x**i).
#[derive(Clone)]
struct Poly(Vec<u64>);

impl Poly {
    fn zeros(bits: usize) -> Poly {
        Poly(vec![0; bits.div_ceil(64) + 1])
    }
    fn get(&self, i: usize) -> bool {
        (self.0.get(i / 64).copied().unwrap_or(0) >> (i % 64)) & 1 == 1
    }
    fn flip(&mut self, i: usize) {
        self.0[i / 64] ^= 1 << (i % 64);
    }
    /// self ^= other << shift (bits beyond self's capacity dropped).
    fn xor_shifted(&mut self, other: &Poly, shift: usize) {
        let (w, b) = (shift / 64, shift % 64);
        let n = self.0.len();
        for (i, &v) in other.0.iter().enumerate() {
            if v == 0 {
                continue;
            }
            if i + w < n {
                self.0[i + w] ^= v << b;
            }
            if b != 0 && i + w + 1 < n {
                self.0[i + w + 1] ^= v >> (64 - b);
            }
        }
    }
    fn degree(&self) -> Option<usize> {
        self.0.iter().enumerate().rev().find(|(_, w)| **w != 0).map(|(i, w)| i * 64 + 63 - w.leading_zeros() as usize)
    }
}

/// One in-place ring step at `ptr`.
#[inline]
fn step(key: &mut [u32; MT_N], ptr: usize) {
    let next = if ptr + 1 == MT_N { 0 } else { ptr + 1 };
    let far = if ptr + MT_M >= MT_N { ptr + MT_M - MT_N } else { ptr + MT_M };
    let y = (key[ptr] & 0x8000_0000) | (key[next] & 0x7fff_ffff);
    key[ptr] = key[far] ^ (y >> 1) ^ ((y & 1).wrapping_neg() & 0x9908_b0df);
}

/// The minimal polynomial of the ring step (Berlekamp–Massey over 2 * 19937 + 64 output bits).
fn min_poly() -> Poly {
    let mut key = *Mt19937::new_legacy(5489).key();
    let n_bits = 2 * DEG + 64;
    let cap = DEG + 128;
    let mut seq = Vec::with_capacity(n_bits);
    let mut ptr = 0;
    for _ in 0..n_bits {
        step(&mut key, ptr);
        seq.push(key[ptr] >> 31 == 1);
        ptr = if ptr + 1 == MT_N { 0 } else { ptr + 1 };
    }
    let (mut c, mut b) = (Poly::zeros(cap), Poly::zeros(cap));
    c.flip(0);
    b.flip(0);
    let mut hist = Poly::zeros(cap); // bit i = seq[n - i]
    let (mut l, mut m) = (0usize, 1usize);
    for (n, &s) in seq.iter().enumerate() {
        // hist <<= 1; hist |= s
        let mut carry = s as u64;
        for w in hist.0.iter_mut() {
            let out = *w >> 63;
            *w = (*w << 1) | carry;
            carry = out;
        }
        let d = c.0.iter().zip(&hist.0).fold(0u32, |acc, (x, y)| acc ^ (x & y).count_ones()) & 1;
        if d == 0 {
            m += 1;
        } else if 2 * l <= n {
            let t = c.clone();
            c.xor_shifted(&b, m);
            l = n + 1 - l;
            b = t;
            m = 1;
        } else {
            c.xor_shifted(&b, m);
            m += 1;
        }
    }
    assert_eq!(l, DEG, "MT19937 minimal polynomial degree");
    // q(x) = x**L C(1/x)
    let mut q = Poly::zeros(cap);
    for i in 0..=l {
        if c.get(i) {
            q.flip(l - i);
        }
    }
    q
}

/// x**(2**128) mod q.
fn jump_poly() -> &'static Poly {
    static P: OnceLock<Poly> = OnceLock::new();
    P.get_or_init(|| {
        let q = min_poly();
        let mut r = Poly::zeros(2 * DEG + 128);
        r.flip(1);
        for _ in 0..128 {
            let mut sq = Poly::zeros(2 * DEG + 128);
            for i in 0..=r.degree().unwrap_or(0) {
                if r.get(i) {
                    sq.flip(2 * i);
                }
            }
            if let Some(top) = sq.degree() {
                for d in (DEG..=top).rev() {
                    if sq.get(d) {
                        sq.xor_shifted(&q, d - DEG);
                    }
                }
            }
            r = sq;
        }
        r
    })
}

impl Mt19937 {
    /// Jump ahead by 2**128 steps in NumPy's ring reading of the state (see the module notes).
    pub fn jump_2_128(&mut self) {
        let p = jump_poly();
        let deg = p.degree().unwrap_or(0);
        let src = *self.key();
        let sptr = self.pos() % MT_N;
        let mut acc = [0u32; MT_N];
        let mut ptr = sptr;
        for i in (0..=deg).rev() {
            if i != deg {
                step(&mut acc, ptr);
                ptr = if ptr + 1 == MT_N { 0 } else { ptr + 1 };
            }
            if p.get(i) {
                for j in 0..MT_N {
                    acc[(ptr + j) % MT_N] ^= src[(sptr + j) % MT_N];
                }
            }
        }
        self.set_state(&acc, ptr);
    }
}
