//! `exp` and `log` of float32 and float64 as NumPy computes them on AVX-512 CPUs.
//!
//! NumPy's wheels route float64 exp/log through Intel's SVML (`__svml_exp8_ha`,
//! `__svml_log8_ha`) and float32 exp/log through NumPy's own AVX-512F kernels (a rational
//! approximation after Cody-Waite reduction) when the CPU has AVX-512; those results differ from
//! glibc's in the last bit for a few percent (float64) to a third (float32) of inputs. This module
//! evaluates the same algorithms with the same AVX-512 instructions, so oxnp's results are
//! NumPy's bit for bit on such CPUs. On other CPUs oxnp calls the C library (`crate::libm`),
//! as NumPy does for float64.

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

/// Defines a ufunc loop (`LoopFn`) running `kernel` on AVX-512 CPUs and the C library's
/// `scalar` elsewhere.
macro_rules! vector_loop {
    ($(#[$doc:meta])* $name:ident, $t:ty, $kernel:path, $scalar:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// As `crate::loops::LoopFn`: `p`/`s` describe `n` elements of input and output.
        pub unsafe fn $name(p: &[*mut u8; 4], n: usize, s: &[isize; 4]) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                unsafe fn simd(p: &[*mut u8; 4], n: usize, s: &[isize; 4]) {
                    const W: usize = 64 / std::mem::size_of::<$t>();
                    let sz = std::mem::size_of::<$t>() as isize;
                    let mut done = 0;
                    if s[0] == sz && s[1] == sz {
                        // Whole blocks straight from and to memory, the kernel inlined here.
                        let (src, dst) = (p[0].cast::<$t>().cast_const(), p[1].cast::<$t>());
                        while done + W <= n {
                            // SAFETY: elements done..done+W of both contiguous operands exist.
                            unsafe { $kernel(src.add(done), dst.add(done)) };
                            done += W;
                        }
                        if done == n {
                            return;
                        }
                    }
                    let q = [
                        p[0].wrapping_offset(done as isize * s[0]),
                        p[1].wrapping_offset(done as isize * s[1]),
                        p[2],
                        p[3],
                    ];
                    // SAFETY: as the caller's; the kernel reads and writes one block.
                    unsafe { map_blocks::<$t, W>(&q, n - done, s, |src, dst| $kernel(src, dst)) }
                }
                if avx512_available() {
                    // SAFETY: the CPU has the AVX-512 subsets the kernel is compiled for.
                    return unsafe { simd(p, n, s) };
                }
            }
            unsafe { run11::<$t, $t>(p, n, s, |v| $scalar(v)) }
        }
    };
}
vector_loop!(/// The float64 `exp` loop (`d->d`).
    exp_loop, f64, avx512::exp8, libm::exp);
vector_loop!(/// The float64 `log` loop (`d->d`).
    log_loop, f64, avx512::log8, libm::log);
vector_loop!(/// The float32 `exp` loop (`f->f`).
    exp_f32_loop, f32, avx512::exp16, libm::expf);
vector_loop!(/// The float32 `log` loop (`f->f`).
    log_f32_loop, f32, avx512::log16, libm::logf);

/// Feeds blocks of one vector's width to `kernel` (which reads a block, then writes it, so the
/// output may alias the input exactly). Contiguous runs are processed in place in memory,
/// unaligned; strided runs and the last partial block go through a stack block whose tail is
/// padded with 1.0, a value on every kernel's fast path. Each lane is computed on its own, so
/// how a run is cut into blocks (or split across threads) never changes a result.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn map_blocks<T: Copy + From<u8>, const W: usize>(
    p: &[*mut u8; 4],
    n: usize,
    s: &[isize; 4],
    kernel: impl Fn(*const T, *mut T),
) {
    let (src, dst) = (p[0], p[1]);
    let sz = std::mem::size_of::<T>();
    let mut i = 0;
    if s[0] == sz as isize && s[1] == sz as isize {
        let (src, dst) = (src.cast::<T>().cast_const(), dst.cast::<T>());
        while i + W <= n {
            // SAFETY: elements i..i+W of both contiguous operands are in bounds.
            kernel(unsafe { src.add(i) }, unsafe { dst.add(i) });
            i += W;
        }
        if i == n {
            return;
        }
    }
    while i < n {
        let len = (n - i).min(W);
        let mut block = [T::from(1u8); W];
        for (j, v) in block[..len].iter_mut().enumerate() {
            *v = unsafe { src.offset((i + j) as isize * s[0]).cast::<T>().read_unaligned() };
        }
        kernel(block.as_ptr(), block.as_mut_ptr());
        for (j, v) in block[..len].iter().enumerate() {
            unsafe { dst.offset((i + j) as isize * s[1]).cast::<T>().write_unaligned(*v) };
        }
        i += len;
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;


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

    /// Stores `res` to the 8 doubles at `dst`, then replaces the lanes in `slow` by `fix` of
    /// the matching input lane (kept in the register `x`, so `dst` may be the input).
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn store_fixed(dst: *mut f64, x: __m512d, res: __m512d, slow: __mmask8, fix: fn(f64) -> f64) {
        unsafe { _mm512_storeu_pd(dst, res) };
        if slow != 0 {
            let mut input = [0.0f64; 8];
            unsafe { _mm512_storeu_pd(input.as_mut_ptr(), x) };
            for (i, &v) in input.iter().enumerate() {
                if slow & (1 << i) != 0 {
                    unsafe { dst.add(i).write_unaligned(fix(v)) };
                }
            }
        }
    }

    /// exp(x) = 2^floor(N) · Th[j] · (1 + p(r)), N = x·log2(e) truncated to 4 fractional bits,
    /// j its fraction, r = x − N·ln2 in two parts.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn exp8(src: *const f64, dst: *mut f64) {
        let x = unsafe { _mm512_loadu_pd(src) };
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
        unsafe { store_fixed(dst, x, res, slow, exp_slow) };
    }

    /// log(x) = K·ln2 − log(Rcp) + log(1 + r), Rcp ≈ 1/mantissa rounded to 5 fractional bits
    /// (from the hardware reciprocal estimate), r = Rcp·mantissa − 1.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn log8(src: *const f64, dst: *mut f64) {
        let x = unsafe { _mm512_loadu_pd(src) };
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
        unsafe { store_fixed(dst, x, res, slow, log_special) };
    }


    const EXPF_P: [f32; 6] = [
        9.999999999980870924916e-01, 7.257664613233124478488e-01, 2.473615434895520810817e-01,
        5.114512081637298353406e-02, 6.757896990527504603057e-03, 5.082762527590693718096e-04,
    ];
    const EXPF_Q: [f32; 3] = [1.0, -2.742335390411667452936e-01, 2.159509375685829852307e-02];
    const LOGF_P: [f32; 6] = [
        0.0, 9.999999999999998702752e-01, 2.112677543073053063722e+00,
        1.480000633576506585156e+00, 3.808837741388407920751e-01, 2.589979117907922693523e-02,
    ];
    const LOGF_Q: [f32; 6] = [
        1.0, 2.612677543073109236779e+00, 2.453006071784736363091e+00,
        9.864942958519418960339e-01, 1.546476374983906719538e-01, 5.875095403124574342950e-03,
    ];

    /// Horner's rule with fused multiply-adds, highest coefficient first.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn horner16(coeffs: &[f32], x: __m512) -> __m512 {
        let last = coeffs.len() - 1;
        let mut acc = _mm512_fmadd_ps(_mm512_set1_ps(coeffs[last]), x, _mm512_set1_ps(coeffs[last - 1]));
        for &c in coeffs[..last - 1].iter().rev() {
            acc = _mm512_fmadd_ps(acc, x, _mm512_set1_ps(c));
        }
        acc
    }

    /// NumPy's float32 exp: k = rint(x·log2 e), r = x − k·ln2 (Cody-Waite), exp(r) ≈ P(r)/Q(r),
    /// scaled by 2^k; out-of-range inputs give inf or 0 and set the overflow/underflow flags.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn exp16(src: *const f32, dst: *mut f32) {
        let x = unsafe { _mm512_loadu_ps(src) };
        let zero = _mm512_setzero_ps();
        let nan = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(x, x);
        let x = _mm512_mask_mov_ps(x, nan, zero);
        let too_big = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(x, _mm512_set1_ps(88.72283935546875));
        let too_small = _mm512_cmp_ps_mask::<_CMP_LE_OQ>(x, _mm512_set1_ps(-103.97208404541015625));
        let inf = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, _mm512_set1_ps(f32::INFINITY));
        let neg_inf = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, _mm512_set1_ps(f32::NEG_INFINITY));
        let x = _mm512_mask_mov_ps(x, nan | too_big | too_small, zero);
        let magic = _mm512_set1_ps(12582912.0);
        let k = _mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::LOG2_E));
        let k = _mm512_sub_ps(_mm512_add_ps(k, magic), magic);
        let r = _mm512_fmadd_ps(k, _mm512_set1_ps(-6.93145752e-1), x);
        let r = _mm512_fmadd_ps(k, _mm512_set1_ps(-1.42860677e-6), r);
        let r = _mm512_fmadd_ps(k, zero, r);
        let poly = _mm512_div_ps(horner16(&EXPF_P, r), horner16(&EXPF_Q, r));
        let res = _mm512_scalef_ps(poly, k);
        let res = _mm512_mask_mov_ps(res, nan, _mm512_set1_ps(f32::NAN));
        let res = _mm512_mask_mov_ps(res, too_big, _mm512_set1_ps(f32::INFINITY));
        let res = _mm512_mask_mov_ps(res, too_small, zero);
        unsafe { _mm512_storeu_ps(dst, res) };
        if too_big ^ inf != 0 {
            crate::fpe::raise(crate::fpe::OVERFLOW);
        }
        if too_small ^ neg_inf != 0 {
            crate::fpe::raise(crate::fpe::UNDERFLOW);
        }
    }

    /// NumPy's float32 log: x = m·2^e with m in [√½, √2), log(m) ≈ P(m−1)/Q(m−1), plus e·ln2.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn log16(src: *const f32, dst: *mut f32) {
        let x = unsafe { _mm512_loadu_ps(src) };
        let zero = _mm512_setzero_ps();
        let one = _mm512_set1_ps(1.0);
        let negative = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, zero);
        let is_zero = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, zero);
        let inf = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, _mm512_set1_ps(f32::INFINITY));
        let nan = _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(x, x);
        let x = _mm512_mask_mov_ps(x, negative, zero);
        let expo = _mm512_add_ps(_mm512_getexp_ps(x), one);
        let m = _mm512_getmant_ps::<_MM_MANT_NORM_P5_1, _MM_MANT_SIGN_SRC>(x);
        let below = _mm512_cmp_ps_mask::<_CMP_LE_OQ>(m, _mm512_set1_ps(std::f32::consts::FRAC_1_SQRT_2));
        let m = _mm512_mask_mov_ps(m, below, _mm512_add_ps(m, m));
        let expo = _mm512_mask_mov_ps(expo, below, _mm512_sub_ps(expo, one));
        let t = _mm512_sub_ps(m, one);
        let poly = _mm512_div_ps(horner16(&LOGF_P, t), horner16(&LOGF_Q, t));
        let res = _mm512_fmadd_ps(expo, _mm512_set1_ps(std::f32::consts::LN_2), poly);
        let res = _mm512_mask_mov_ps(res, nan, _mm512_set1_ps(f32::NAN));
        let res = _mm512_mask_mov_ps(res, negative, _mm512_set1_ps(-f32::NAN));
        let res = _mm512_mask_mov_ps(res, is_zero, _mm512_set1_ps(f32::NEG_INFINITY));
        let res = _mm512_mask_mov_ps(res, inf, _mm512_set1_ps(f32::INFINITY));
        unsafe { _mm512_storeu_ps(dst, res) };
        if negative != 0 {
            crate::fpe::raise(crate::fpe::INVALID);
        }
        if is_zero != 0 {
            crate::fpe::raise(crate::fpe::DIVIDE);
        }
    }

    /// (2^(j/64) rounded, its relative rounding error) for the scalar slow path.
    const EXP64: [(u64, u64); 64] = [
        (0x3ff0000000000000, 0x0000000000000000), (0x3ff02c9a3e778061, 0xbc7160139cd8dc5d),
        (0x3ff059b0d3158574, 0x3c8cd2523567f613), (0x3ff0874518759bc8, 0x3c60f74e61e6c861),
        (0x3ff0b5586cf9890f, 0x3c979aa65d837b6d), (0x3ff0e3ec32d3d1a2, 0x3c3ebe3d702f9cd1),
        (0x3ff11301d0125b51, 0xbc9556522a2fbd0e), (0x3ff1429aaea92de0, 0xbc91c923b9d5f416),
        (0x3ff172b83c7d517b, 0xbc801b15eaa59348), (0x3ff1a35beb6fcb75, 0x3c8b898c3f1353bf),
        (0x3ff1d4873168b9aa, 0x3c9aecf73e3a2f60), (0x3ff2063b88628cd6, 0x3c8a6f4144a6c38d),
        (0x3ff2387a6e756238, 0x3c968efde3a8a894), (0x3ff26b4565e27cdd, 0x3c80472b981fe7f2),
        (0x3ff29e9df51fdee1, 0x3c82f7e16d09ab31), (0x3ff2d285a6e4030b, 0x3c8b3782720c0ab4),
        (0x3ff306fe0a31b715, 0x3c834d754db0abb6), (0x3ff33c08b26416ff, 0x3c8fdd395dd3f84a),
        (0x3ff371a7373aa9cb, 0xbc924aedcc4b5068), (0x3ff3a7db34e59ff7, 0xbc71d1e83e9436d2),
        (0x3ff3dea64c123422, 0x3c859f48a72a4c6d), (0x3ff4160a21f72e2a, 0xbc58a78f4817895b),
        (0x3ff44e086061892d, 0x3c4363ed60c2ac11), (0x3ff486a2b5c13cd0, 0x3c6ecce1daa10379),
        (0x3ff4bfdad5362a27, 0x3c7690cebb7aafb0), (0x3ff4f9b2769d2ca7, 0xbc8f94340071a38e),
        (0x3ff5342b569d4f82, 0xbc78dec6bd0f385f), (0x3ff56f4736b527da, 0x3c93350518fdd78e),
        (0x3ff5ab07dd485429, 0x3c9063e1e21c5409), (0x3ff5e76f15ad2148, 0x3c9432e62b64c035),
        (0x3ff6247eb03a5585, 0xbc8c33c53bef4da8), (0x3ff6623882552225, 0xbc93cedd78565858),
        (0x3ff6a09e667f3bcd, 0xbc93b3efbf5e2228), (0x3ff6dfb23c651a2f, 0xbc6367efb86da9ee),
        (0x3ff71f75e8ec5f74, 0xbc781f647e5a3ecf), (0x3ff75feb564267c9, 0xbc8619321e55e68a),
        (0x3ff7a11473eb0187, 0xbc7b32dcb94da51d), (0x3ff7e2f336cf4e62, 0x3c65ebe1abd66c55),
        (0x3ff82589994cce13, 0xbc9369b6f13b3734), (0x3ff868d99b4492ed, 0xbc94d450d872576e),
        (0x3ff8ace5422aa0db, 0x3c8db72fc1f0eab4), (0x3ff8f1ae99157736, 0x3c7bf68359f35f44),
        (0x3ff93737b0cdc5e5, 0xbc5da9b88b6c1e29), (0x3ff97d829fde4e50, 0xbc92434322f4f9aa),
        (0x3ff9c49182a3f090, 0x3c71affc2b91ce27), (0x3ffa0c667b5de565, 0xbc87c50422622263),
        (0x3ffa5503b23e255d, 0xbc91bbd1d3bcbb15), (0x3ffa9e6b5579fdbf, 0x3c8469846e735ab3),
        (0x3ffae89f995ad3ad, 0x3c8c1a7792cb3387), (0x3ffb33a2b84f15fb, 0xbc55c3d956dcaeba),
        (0x3ffb7f76f2fb5e47, 0xbc68d6f438ad9334), (0x3ffbcc1e904bc1d2, 0x3c74ffd70a5fddcd),
        (0x3ffc199bdd85529c, 0x3c736eae30af0cb3), (0x3ffc67f12e57d14b, 0x3c84e08fd10959ac),
        (0x3ffcb720dcef9069, 0x3c676b2c6c921968), (0x3ffd072d4a07897c, 0xbc8fad5d3ffffa6f),
        (0x3ffd5818dcfba487, 0x3c74a385a63d07a7), (0x3ffda9e603db3285, 0x3c8e5a50d5c192ac),
        (0x3ffdfc97337b9b5f, 0xbc82d52107b43e1f), (0x3ffe502ee78b3ff6, 0x3c74b604603a88d3),
        (0x3ffea4afa2a490da, 0xbc8ff7128fd391f0), (0x3ffefa1bee615a27, 0x3c8ec3bc41aa2008),
        (0x3fff50765b6e4540, 0x3c8a64a931d185ee), (0x3fffa7c1819e90d8, 0x3c77893b4d91cd9d),
    ];

    /// exp for |x| ≥ 707.7 and ±inf, as SVML's scalar path computes it: 2^(j/64) table,
    /// non-fused arithmetic, and a split product for subnormal results.
    #[inline(never)]
    fn exp_slow(x: f64) -> f64 {
        let k = |bits: u64| f64::from_bits(bits);
        if x.is_nan() || x == f64::INFINITY {
            return x * x;
        }
        if x == f64::NEG_INFINITY {
            return 0.0;
        }
        if x > k(0x40862e42fefa39ef) {
            // Runtime products, so that the overflow/underflow flags are raised.
            return std::hint::black_box(f64::MAX) * f64::MAX;
        }
        if x < k(0xc0874910d52d3051) {
            let tiny = std::hint::black_box(k(0x0010000000000001));
            return tiny * tiny;
        }
        let shift = k(0x4338000000000000);
        let s = x * k(0x40571547652b82fe) + shift;
        let n = s.to_bits() as u32 as i32;
        let kd = s - shift;
        let r = (x - kd * k(0x3f862e42fefa0000)) - kd * k(0x3d1cf79abc9e3b3a);
        let (th, tl) = EXP64[(n & 63) as usize];
        let (th, tl) = (k(th), k(tl));
        let mut p = k(0x3f56c16a1c2a3ffd) * r + k(0x3f8111123aaf20d3);
        p = p * r + k(0x3fa5555555558fcc);
        p = p * r + k(0x3fc55555555548f8);
        p = p * r + 0.5;
        p = p * r * r + r;
        p = (p + tl) * th;
        let m = n >> 6;
        let pow2 = |e: i32| k(((e & 2047) as u64) << 52);
        if x >= k(0xc086232bdd7abcd2) {
            let biased = (1023 + m) & 2047;
            let sum = p + th;
            return if biased > 2046 { sum * pow2(biased - 1) * 2.0 } else { sum * pow2(biased) };
        }
        // Subnormal result: scale by 2^60 first, then split so that the final scaling
        // by 2^-60 rounds once.
        let biased = (m + 1083) & 2047;
        let scale = pow2(biased);
        let (tail, head) = (p * scale, scale * th);
        let hi = head + tail;
        let two_m60 = k(0x3c30000000000000);
        if biased <= 50 {
            return hi * two_m60;
        }
        let lo = (head - hi) + tail;
        let w = hi * k(0x41f8000000000000);
        let hh = (hi + w) - w;
        let rest = lo + (hi - hh);
        hh * two_m60 + rest * two_m60
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
