//! float64 `exp` and `log` as NumPy computes them on AVX-512 CPUs.
//!
//! NumPy's wheels route float64 exp/log ufunc loops through Intel's SVML (`__svml_exp8_ha`,
//! `__svml_log8_ha`) when the CPU has AVX-512 (SKX level); those results differ from glibc's in
//! the last bit for a few percent of inputs. This module evaluates the same algorithms with the
//! same AVX-512 instructions, so oxnp's results are NumPy's bit for bit on such CPUs. On other
//! CPUs NumPy calls the C library, and so do we (`crate::libm`).

use std::sync::OnceLock;

use crate::libm;
use crate::loops::run11;

/// Whether the SVML-equivalent kernels run on this CPU (NumPy's AVX512_SKX dispatch level).
pub fn avx512_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512cd")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512vl")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

/// The float64 `exp` ufunc loop (`d->d`).
///
/// # Safety
/// As `crate::loops::LoopFn`: `p`/`s` describe `n` float64 elements of input and output.
pub unsafe fn exp_loop(p: &[*mut u8; 4], n: usize, s: &[isize; 4]) {
    #[cfg(target_arch = "x86_64")]
    if avx512_available() {
        // SAFETY: the CPU has the AVX-512 subsets the kernel is compiled for.
        return unsafe { map_blocks(p, n, s, |b| avx512::exp8(b)) };
    }
    unsafe { run11::<f64, f64>(p, n, s, |v| libm::exp(v)) }
}

/// The float64 `log` ufunc loop (`d->d`).
///
/// # Safety
/// As `exp_loop`.
pub unsafe fn log_loop(p: &[*mut u8; 4], n: usize, s: &[isize; 4]) {
    #[cfg(target_arch = "x86_64")]
    if avx512_available() {
        // SAFETY: as in `exp_loop`.
        return unsafe { map_blocks(p, n, s, |b| avx512::log8(b)) };
    }
    unsafe { run11::<f64, f64>(p, n, s, |v| libm::log(v)) }
}

/// Feeds 8-element blocks to `kernel`. A block is read completely before it is written, so the
/// output may alias the input exactly. The tail block is padded with 1.0, a value on every
/// kernel's fast path.
#[cfg(target_arch = "x86_64")]
unsafe fn map_blocks(p: &[*mut u8; 4], n: usize, s: &[isize; 4], kernel: impl Fn(&mut [f64; 8])) {
    let (src, dst) = (p[0], p[1]);
    let mut i = 0;
    while i < n {
        let len = (n - i).min(8);
        let mut block = [1.0f64; 8];
        for (j, v) in block[..len].iter_mut().enumerate() {
            *v = unsafe { src.offset((i + j) as isize * s[0]).cast::<f64>().read_unaligned() };
        }
        kernel(&mut block);
        for (j, v) in block[..len].iter().enumerate() {
            unsafe { dst.offset((i + j) as isize * s[1]).cast::<f64>().write_unaligned(*v) };
        }
        i += len;
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    use crate::libm;

    const EXP_TH: [u64; 16] = [
        0x3ff0000000000000, 0x3ff0b5586cf9890f, 0x3ff172b83c7d517b, 0x3ff2387a6e756238,
        0x3ff306fe0a31b715, 0x3ff3dea64c123422, 0x3ff4bfdad5362a27, 0x3ff5ab07dd485429,
        0x3ff6a09e667f3bcd, 0x3ff7a11473eb0187, 0x3ff8ace5422aa0db, 0x3ff9c49182a3f090,
        0x3ffae89f995ad3ad, 0x3ffc199bdd85529c, 0x3ffd5818dcfba487, 0x3ffea4afa2a490da,
    ];
    const EXP_TL: [u64; 16] = [
        0x0000000000000000, 0x3c979aa65d837b6d, 0xbc801b15eaa59348, 0x3c968efde3a8a894,
        0x3c834d754db0abb6, 0x3c859f48a72a4c6d, 0x3c7690cebb7aafb0, 0x3c9063e1e21c5409,
        0xbc93b3efbf5e2228, 0xbc7b32dcb94da51d, 0x3c8db72fc1f0eab4, 0x3c71affc2b91ce27,
        0x3c8c1a7792cb3387, 0x3c736eae30af0cb3, 0x3c74a385a63d07a7, 0xbc8ff7128fd391f0,
    ];
    const EXP_L2E: u64 = 0x3ff71547652b82fe;
    /// 1.5 * 2^48 (+1023): adding it in round-to-zero keeps 4 fractional bits of x*log2(e).
    const EXP_SHIFTER: u64 = 0x42f8000000003ff0;
    const EXP_L2H: u64 = 0x3fe62e42fefa39ef;
    const EXP_L2L: u64 = 0x3c7abc9e3b39803f;
    /// Clears exponent bit 62, keeping |r| < 2 on lanes that take the slow path anyway.
    const EXP_R_MASK: u64 = 0xbfffffffffffffff;
    const EXP_C: [u64; 6] = [
        0x3fefffffffffff70, 0x3fe000000000d008, 0x3fc5555553939732,
        0x3fa55557242d68fe, 0x3f81101cbbc265c0, 0x3f57411836940c04,
    ];
    /// |x| at or above this goes to the scalar path (overflow, underflow, subnormal results).
    const EXP_SLOW: u64 = 0x40861da04cbafe44;

    const LOG_TH: [u64; 16] = [
        0x0000000000000000, 0xbfaf0a30c0120000, 0xbfbe27076e2b0000, 0xbfc5ff3070a78000,
        0xbfcc8ff7c79a8000, 0xbfd1675cababc000, 0xbfd4618bc21c4000, 0xbfd739d7f6bbc000,
        0x3fd269621134c000, 0x3fcf991c6cb38000, 0x3fca93ed3c8b0000, 0x3fc5bf406b540000,
        0x3fc1178e82280000, 0x3fb9335e5d590000, 0x3fb08598b59e0000, 0x3fa0415d89e80000,
    ];
    const LOG_TL: [u64; 16] = [
        0x0000000000000000, 0x3d53ab33d066d1d2, 0x3d2a342c2af0003c, 0xbd43d3c873e20a07,
        0xbd4a21ac25d81ef3, 0x3d59f1fc63382a8f, 0xbd5ec27d0b7b37b3, 0xbd50069ce24c53fb,
        0x3d5b92783beb7677, 0x3d59bcbecca0cdf3, 0xbd530e486a0ac42d, 0x3d5ed8fdc149767e,
        0xbd4b8421cc74be04, 0x3d52622b8757a8fb, 0x3d4d034451fecdfb, 0xbd577771fd187145,
    ];
    /// log(1+r) ≈ r + r² (C2 + C3 r + ... + C9 r⁷).
    const LOG_C: [u64; 8] = [
        0xbfdfffffffffffc6, 0x3fd5555555555466, 0xbfd00000000c05bd, 0x3fc9999999cc9f5c,
        0xbfc55553fb28db06, 0x3fc249229cee81ef, 0xbfc007357e93af62, 0x3fbc81cd309d7c70,
    ];
    const LOG_L2H: u64 = 0x3fe62e42fefa0000;
    const LOG_L2L: u64 = 0x3d7cf79abc9e0000;

    /// Round to nearest, exceptions suppressed: SVML's `{rn-sae}`, so that only the scalar
    /// slow paths raise floating-point flags, as in NumPy.
    const RN: i32 = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    const RZ: i32 = _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC;

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn splat(bits: u64) -> __m512d {
        _mm512_castsi512_pd(_mm512_set1_epi64(bits as i64))
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn and_bits(v: __m512d, bits: u64) -> __m512d {
        _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(v), _mm512_set1_epi64(bits as i64)))
    }

    /// Entry `idx & 15` of a 16-entry table, per lane.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn lookup(table: &[u64; 16], idx: __m512i) -> __m512d {
        let lo = _mm512_set_epi64(
            table[7] as i64, table[6] as i64, table[5] as i64, table[4] as i64,
            table[3] as i64, table[2] as i64, table[1] as i64, table[0] as i64,
        );
        let hi = _mm512_set_epi64(
            table[15] as i64, table[14] as i64, table[13] as i64, table[12] as i64,
            table[11] as i64, table[10] as i64, table[9] as i64, table[8] as i64,
        );
        _mm512_permutex2var_pd(_mm512_castsi512_pd(lo), idx, _mm512_castsi512_pd(hi))
    }

    /// exp(x) = 2^floor(N) · Th[j] · (1 + p(r)), N = x·log2(e) truncated to 4 fractional bits,
    /// j its fraction, r = x − N·ln2 in two parts.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn exp8(block: &mut [f64; 8]) {
        let input = *block;
        let x = unsafe { _mm512_loadu_pd(input.as_ptr()) };
        let shifter = splat(EXP_SHIFTER);
        let t = _mm512_fmadd_round_pd::<RZ>(x, splat(EXP_L2E), shifter);
        let n = _mm512_sub_round_pd::<RN>(t, shifter);
        let j = _mm512_castpd_si512(t);
        let slow = _mm512_cmp_round_pd_mask::<_CMP_GE_OQ, _MM_FROUND_NO_EXC>(and_bits(x, i64::MAX as u64), splat(EXP_SLOW));
        let r = _mm512_fnmadd_round_pd::<RN>(n, splat(EXP_L2H), x);
        let r = _mm512_fnmadd_round_pd::<RN>(splat(EXP_L2L), n, r);
        let r = and_bits(r, EXP_R_MASK);
        let c = |i: usize| splat(EXP_C[i]);
        let r2 = _mm512_mul_round_pd::<RN>(r, r);
        let p56 = _mm512_fmadd_round_pd::<RN>(c(5), r, c(4));
        let p34 = _mm512_fmadd_round_pd::<RN>(c(3), r, c(2));
        let p12 = _mm512_fmadd_round_pd::<RN>(c(1), r, c(0));
        let p = _mm512_fmadd_round_pd::<RN>(r2, p56, p34);
        let p = _mm512_fmadd_round_pd::<RN>(r2, p, p12);
        let p = _mm512_fmadd_round_pd::<RN>(p, r, lookup(&EXP_TL, j));
        let th = lookup(&EXP_TH, j);
        let res = _mm512_fmadd_round_pd::<RN>(th, p, th);
        let res = _mm512_scalef_round_pd::<RN>(res, n);
        unsafe { _mm512_storeu_pd(block.as_mut_ptr(), res) };
        for (i, v) in block.iter_mut().enumerate() {
            if slow & (1 << i) != 0 {
                // Overflow, underflow and subnormal results: the C library's exp.
                *v = libm::exp(input[i]);
            }
        }
    }

    /// log(x) = K·ln2 − log(Rcp) + log(1 + r), Rcp ≈ 1/mantissa rounded to 5 fractional bits
    /// (from the hardware reciprocal estimate), r = Rcp·mantissa − 1.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn log8(block: &mut [f64; 8]) {
        let input = *block;
        let x = unsafe { _mm512_loadu_pd(input.as_ptr()) };
        let zero = _mm512_setzero_pd();
        let one = _mm512_set1_pd(1.0);
        let mant = _mm512_getmant_round_pd::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_NAN, _MM_FROUND_NO_EXC>(x);
        let expo = _mm512_getexp_round_pd::<_MM_FROUND_NO_EXC>(x);
        let positive = _mm512_cmp_round_pd_mask::<_CMP_GT_OQ, _MM_FROUND_NO_EXC>(x, zero)
            & _mm512_cmp_round_pd_mask::<_CMP_LT_OQ, _MM_FROUND_NO_EXC>(x, _mm512_set1_pd(f64::INFINITY));
        let slow = !positive;
        let rcp = _mm512_roundscale_round_pd::<0x58, _MM_FROUND_NO_EXC>(_mm512_rcp14_pd(mant));
        let r = _mm512_fmsub_round_pd::<RN>(rcp, mant, one);
        let small_rcp = _mm512_cmp_round_pd_mask::<_CMP_LT_OQ, _MM_FROUND_NO_EXC>(rcp, _mm512_set1_pd(0.75));
        let c = |i: usize| splat(LOG_C[i]);
        let a76 = _mm512_fmadd_round_pd::<RN>(c(5), r, c(4));
        let a98 = _mm512_fmadd_round_pd::<RN>(c(7), r, c(6));
        let r2 = _mm512_mul_round_pd::<RN>(r, r);
        let a54 = _mm512_fmadd_round_pd::<RN>(c(3), r, c(2));
        let idx = _mm512_srli_epi64::<48>(_mm512_castpd_si512(rcp));
        let hi = _mm512_fmadd_round_pd::<RN>(r2, a98, a76);
        let r4 = _mm512_mul_round_pd::<RN>(r2, r2);
        let a32 = _mm512_fmadd_round_pd::<RN>(c(1), r, c(0));
        let k = _mm512_mask_add_round_pd::<RN>(expo, small_rcp, expo, one);
        let lo = _mm512_fmadd_round_pd::<RN>(r2, a54, a32);
        let kh = _mm512_fmadd_round_pd::<RN>(splat(LOG_L2H), k, lookup(&LOG_TH, idx));
        let poly = _mm512_fmadd_round_pd::<RN>(r4, hi, lo);
        let sum = _mm512_add_round_pd::<RN>(kh, r);
        let rh = _mm512_mask_mov_pd(_mm512_sub_round_pd::<RN>(sum, kh), slow, zero);
        let rl = _mm512_sub_round_pd::<RN>(r, rh);
        let poly = _mm512_fmadd_round_pd::<RN>(r2, poly, rl);
        let kl = _mm512_fmadd_round_pd::<RN>(splat(LOG_L2L), k, lookup(&LOG_TL, idx));
        let res = _mm512_add_round_pd::<RN>(sum, _mm512_add_round_pd::<RN>(poly, kl));
        unsafe { _mm512_storeu_pd(block.as_mut_ptr(), res) };
        for (i, v) in block.iter_mut().enumerate() {
            if slow & (1 << i) != 0 {
                *v = log_special(input[i]);
            }
        }
    }

    /// log of NaN, ±0, ±inf and negatives, with the values and flags of SVML's scalar path.
    #[inline(never)]
    fn log_special(x: f64) -> f64 {
        // x86's default NaN, which 0/0 produces in SVML's code.
        const DEFAULT_NAN: f64 = f64::from_bits(0xfff8_0000_0000_0000);
        if x.is_nan() || x == f64::INFINITY {
            x * x
        } else if x == 0.0 {
            crate::fpe::raise(crate::fpe::DIVIDE);
            f64::NEG_INFINITY
        } else {
            crate::fpe::raise(crate::fpe::INVALID);
            DEFAULT_NAN
        }
    }
}
