//! Strided inner-loop drivers. A loop gets up to four operand pointers (inputs then outputs),
//! a length and byte strides, like NumPy's inner loops. Contiguous operands take slice-shaped
//! loops the compiler vectorises; anything else walks byte strides.

use oxnp_core::Element;

/// An inner loop: `ptrs[i]` and `steps[i]` for operand i (inputs first), `n` elements.
pub type LoopFn = unsafe fn(ptrs: &[*mut u8; 4], n: usize, steps: &[isize; 4]);

/// Whether this CPU has AVX2 and FMA (std caches the CPUID answer).
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// Defines a `LoopFn` running `body`. With `wide`, the body is compiled twice, for the baseline
/// CPU and for AVX2 + FMA, chosen per call: the AVX2 copy gets wider vectors and a hardware
/// `mul_add` (a libm call otherwise). Rust neither reorders nor contracts IEEE operations, so
/// both copies give the same bits; but vectorised float comparisons raise 'invalid' on NaN
/// where scalar ones do not, so `wide` is only for bodies whose floating-point flags cannot
/// change that way (arithmetic, equality tests).
macro_rules! inner_loop {
    (|$p:ident, $n:ident, $s:ident| $body:expr) => {{
        unsafe fn k($p: &[*mut u8; 4], $n: usize, $s: &[isize; 4]) {
            unsafe { $body }
        }
        k as $crate::loops::LoopFn
    }};
    (wide |$p:ident, $n:ident, $s:ident| $body:expr) => {{
        unsafe fn k($p: &[*mut u8; 4], $n: usize, $s: &[isize; 4]) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                unsafe fn wide($p: &[*mut u8; 4], $n: usize, $s: &[isize; 4]) {
                    unsafe { $body }
                }
                if $crate::loops::has_avx2_fma() {
                    // SAFETY: the CPU has the features `wide` is compiled for.
                    return unsafe { wide($p, $n, $s) };
                }
            }
            unsafe { $body }
        }
        k as $crate::loops::LoopFn
    }};
}
pub(crate) use inner_loop;

/// Reads an element from possibly unaligned memory. Booleans are read as `byte != 0` so that
/// foreign bool bytes other than 0/1 are safe.
pub trait Load: Element {
    /// # Safety
    /// `p` must point to a readable element of this type.
    unsafe fn load(p: *const u8) -> Self;
}

macro_rules! load_plain {
    ($($t:ty),*) => {$(
        impl Load for $t {
            #[inline(always)]
            unsafe fn load(p: *const u8) -> Self { unsafe { p.cast::<$t>().read_unaligned() } }
        }
    )*};
}
load_plain!(i8, u8, i16, u16, i32, u32, i64, u64, half::f16, f32, f64, num_complex::Complex32, num_complex::Complex64);

impl Load for bool {
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        unsafe { *p != 0 }
    }
}

#[inline(always)]
unsafe fn store<T: Element>(p: *mut u8, v: T) {
    unsafe { p.cast::<T>().write_unaligned(v) }
}

#[inline(always)]
fn sz<T>() -> isize {
    std::mem::size_of::<T>() as isize
}

/// One input, one output.
///
/// # Safety
/// The pointers and steps describe `n` valid elements of each operand type; the output may
/// only alias an input exactly (same pointer, same step).
#[inline(always)]
pub unsafe fn run11<A: Load, O: Element>(p: &[*mut u8; 4], n: usize, s: &[isize; 4], f: impl Fn(A) -> O) {
    let (a, o) = (p[0], p[1]);
    unsafe {
        if s[0] == sz::<A>() && s[1] == sz::<O>() {
            for i in 0..n {
                store(o.add(i * sz::<O>() as usize), f(A::load(a.add(i * sz::<A>() as usize))));
            }
        } else {
            for i in 0..n as isize {
                store(o.offset(i * s[1]), f(A::load(a.offset(i * s[0]))));
            }
        }
    }
}

/// Two inputs, one output; scalar (step 0) operands get their own vectorisable loops.
///
/// # Safety
/// As `run11`.
#[inline(always)]
pub unsafe fn run21<A: Load, B: Load, O: Element>(
    p: &[*mut u8; 4],
    n: usize,
    s: &[isize; 4],
    f: impl Fn(A, B) -> O,
) {
    let (a, b, o) = (p[0], p[1], p[2]);
    let (za, zb, zo) = (sz::<A>() as usize, sz::<B>() as usize, sz::<O>() as usize);
    unsafe {
        if s[2] == zo as isize {
            if s[0] == za as isize && s[1] == zb as isize {
                for i in 0..n {
                    store(o.add(i * zo), f(A::load(a.add(i * za)), B::load(b.add(i * zb))));
                }
                return;
            }
            if s[0] == za as isize && s[1] == 0 {
                let bv = B::load(b);
                for i in 0..n {
                    store(o.add(i * zo), f(A::load(a.add(i * za)), bv));
                }
                return;
            }
            if s[0] == 0 && s[1] == zb as isize {
                let av = A::load(a);
                for i in 0..n {
                    store(o.add(i * zo), f(av, B::load(b.add(i * zb))));
                }
                return;
            }
        }
        for i in 0..n as isize {
            store(o.offset(i * s[2]), f(A::load(a.offset(i * s[0])), B::load(b.offset(i * s[1]))));
        }
    }
}

/// One input, two outputs (frexp, modf).
///
/// # Safety
/// As `run11`.
#[inline(always)]
pub unsafe fn run12<A: Load, O: Element, P: Element>(
    p: &[*mut u8; 4],
    n: usize,
    s: &[isize; 4],
    f: impl Fn(A) -> (O, P),
) {
    unsafe {
        for i in 0..n as isize {
            let (x, y) = f(A::load(p[0].offset(i * s[0])));
            store(p[1].offset(i * s[1]), x);
            store(p[2].offset(i * s[2]), y);
        }
    }
}

/// Two inputs, two outputs (divmod).
///
/// # Safety
/// As `run11`.
#[inline(always)]
pub unsafe fn run22<A: Load, O: Element>(p: &[*mut u8; 4], n: usize, s: &[isize; 4], f: impl Fn(A, A) -> (O, O)) {
    unsafe {
        for i in 0..n as isize {
            let (x, y) = f(A::load(p[0].offset(i * s[0])), A::load(p[1].offset(i * s[1])));
            store(p[2].offset(i * s[2]), x);
            store(p[3].offset(i * s[3]), y);
        }
    }
}
