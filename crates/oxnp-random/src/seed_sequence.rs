//! NumPy's `SeedSequence` (entropy pool, `generate_state`, `spawn`).

const INIT_A: u32 = 0x43b0d7e5;
const MULT_A: u32 = 0x931e8875;
const INIT_B: u32 = 0x8b51f9dd;
const MULT_B: u32 = 0x58f38ded;
const MIX_MULT_L: u32 = 0xca01f9dd;
const MIX_MULT_R: u32 = 0x4973f715;
const XSHIFT: u32 = 16;
pub const POOL_SIZE: usize = 4;

/// Split a non-negative integer into 32-bit words, least significant first (0 -> [0]).
pub fn int_to_words(mut v: u128) -> Vec<u32> {
    let mut w = vec![(v & 0xFFFF_FFFF) as u32];
    v >>= 32;
    while v != 0 {
        w.push((v & 0xFFFF_FFFF) as u32);
        v >>= 32;
    }
    w
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedSequence {
    entropy: Vec<u32>,
    spawn_key: Vec<u32>,
    pool: Vec<u32>,
    n_children_spawned: u32,
    /// Words handed out by `generate_state` instead of the pool's (another library's seed
    /// sequence, asked once by the caller): u32 words, a u64 as its (low, high) pair.
    fixed: Option<Vec<u32>>,
}

fn mix(x: u32, y: u32) -> u32 {
    let r = MIX_MULT_L.wrapping_mul(x).wrapping_sub(MIX_MULT_R.wrapping_mul(y));
    r ^ (r >> XSHIFT)
}

impl SeedSequence {
    /// `SeedSequence(int)`.
    pub fn from_int(seed: u128) -> Self {
        Self::new(&int_to_words(seed), &[])
    }

    /// From already-coerced entropy words (see [`int_to_words`]; a sequence of ints is the
    /// concatenation of each element's words) and spawn-key words.
    pub fn new(entropy_words: &[u32], spawn_key: &[u32]) -> Self {
        Self::with_pool_size(entropy_words, spawn_key, POOL_SIZE)
    }

    /// As [`SeedSequence::new`] with an entropy pool of `pool_size` (>= 4) words.
    pub fn with_pool_size(entropy_words: &[u32], spawn_key: &[u32], pool_size: usize) -> Self {
        let pool_size = pool_size.max(POOL_SIZE);
        let mut ent = entropy_words.to_vec();
        if !spawn_key.is_empty() && ent.len() < pool_size {
            ent.resize(pool_size, 0);
        }
        ent.extend_from_slice(spawn_key);
        let mut hc = INIT_A;
        let mut hashmix = |mut v: u32| {
            v ^= hc;
            hc = hc.wrapping_mul(MULT_A);
            v = v.wrapping_mul(hc);
            v ^ (v >> XSHIFT)
        };
        let mut pool = vec![0u32; pool_size];
        for (i, p) in pool.iter_mut().enumerate() {
            *p = hashmix(if i < ent.len() { ent[i] } else { 0 });
        }
        for src in 0..pool_size {
            for dst in 0..pool_size {
                if src != dst {
                    let h = hashmix(pool[src]);
                    pool[dst] = mix(pool[dst], h);
                }
            }
        }
        for &w in ent.iter().skip(pool_size) {
            for dst in 0..pool_size {
                let h = hashmix(w);
                pool[dst] = mix(pool[dst], h);
            }
        }
        SeedSequence {
            entropy: entropy_words.to_vec(),
            spawn_key: spawn_key.to_vec(),
            pool,
            n_children_spawned: 0,
            fixed: None,
        }
    }

    /// A stand-in whose `generate_state` returns `words` (zero-padded), for a foreign seed
    /// sequence whose state the caller has already drawn.
    pub fn with_fixed_state(words: Vec<u32>) -> Self {
        let mut s = Self::new(&[0], &[]);
        s.fixed = Some(words);
        s
    }

    pub fn pool(&self) -> Vec<u32> {
        self.pool.clone()
    }
    pub fn pool_size(&self) -> usize {
        self.pool.len()
    }
    pub fn entropy_words(&self) -> &[u32] {
        &self.entropy
    }
    pub fn spawn_key(&self) -> &[u32] {
        &self.spawn_key
    }
    pub fn n_children_spawned(&self) -> u32 {
        self.n_children_spawned
    }

    pub fn generate_state_u32(&self, n: usize) -> Vec<u32> {
        if let Some(w) = &self.fixed {
            return (0..n).map(|k| w.get(k).copied().unwrap_or(0)).collect();
        }
        let mut hc = INIT_B;
        (0..n)
            .map(|k| {
                let mut v = self.pool[k % self.pool.len()] ^ hc;
                hc = hc.wrapping_mul(MULT_B);
                v = v.wrapping_mul(hc);
                v ^ (v >> XSHIFT)
            })
            .collect()
    }

    pub fn generate_state_u64(&self, n: usize) -> Vec<u64> {
        let w = self.generate_state_u32(2 * n);
        (0..n).map(|k| w[2 * k] as u64 | ((w[2 * k + 1] as u64) << 32)).collect()
    }

    /// `spawn(n)`: children with spawn_key = self.spawn_key + (i,).
    pub fn spawn(&mut self, n: usize) -> Vec<SeedSequence> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n as u32 {
            let mut key = self.spawn_key.clone();
            key.push(self.n_children_spawned + i);
            out.push(SeedSequence::with_pool_size(&self.entropy, &key, self.pool.len()));
        }
        self.n_children_spawned += n as u32;
        out
    }
}
