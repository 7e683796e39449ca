//! CPU state our kernels depend on.

/// Clears the upper halves of the AVX registers (`vzeroupper`). AVX code that returns without
/// doing so (OpenBLAS's kernels, when the process also runs NumPy) leaves them dirty, and
/// every legacy-SSE instruction after that pays a merge penalty (small linalg kernels ran 3-4
/// times slower right after a NumPy `svd`). Kernel entry points call this; it costs about a
/// cycle.
#[inline]
pub fn clear_avx_upper() {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx")]
        fn zeroupper() {
            std::arch::x86_64::_mm256_zeroupper()
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: AVX is available (checked just above).
            unsafe { zeroupper() }
        }
    }
}
