//! Floating-point error flags: the hardware's sticky IEEE flags (MXCSR on x86-64) plus "soft"
//! flags that integer loops raise themselves (division by zero), read after each kernel run.

use std::cell::Cell;

pub const DIVIDE: u32 = 1;
pub const OVERFLOW: u32 = 2;
pub const UNDERFLOW: u32 = 4;
pub const INVALID: u32 = 8;
/// Not an IEEE flag: an integer loop met a negative exponent (`int ** -1` is an error).
pub const NEG_INT_POWER: u32 = 16;

thread_local! {
    static SOFT: Cell<u32> = const { Cell::new(0) };
}

/// Records a flag from inside a loop (cold path only).
#[cold]
pub fn raise(flag: u32) {
    SOFT.with(|c| c.set(c.get() | flag));
}

/// Clears this thread's hardware and soft flags before a kernel runs (and the AVX upper
/// state, see `oxnp_core::cpu`).
pub fn clear() {
    oxnp_core::cpu::clear_avx_upper();
    SOFT.with(|c| c.set(0));
    #[cfg(target_arch = "x86_64")]
    // SAFETY: only the six sticky exception bits are cleared; modes are kept.
    #[allow(deprecated)]
    unsafe {
        use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
        // Writing MXCSR is slow; skip it when no flag is set (the usual case).
        let csr = _mm_getcsr();
        if csr & 0x3f != 0 {
            _mm_setcsr(csr & !0x3f);
        }
    }
}

/// The flags raised on this thread since `clear`.
pub fn take() -> u32 {
    let mut f = SOFT.with(|c| c.replace(0));
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reading MXCSR has no side effects.
    #[allow(deprecated)]
    unsafe {
        let csr = std::arch::x86_64::_mm_getcsr();
        if csr & 0x01 != 0 {
            f |= INVALID;
        }
        if csr & 0x04 != 0 {
            f |= DIVIDE;
        }
        if csr & 0x08 != 0 {
            f |= OVERFLOW;
        }
        if csr & 0x10 != 0 {
            f |= UNDERFLOW;
        }
    }
    f
}

/// Error modes as NumPy's `seterr`: per condition, 2 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Ignore = 0,
    Warn = 1,
    Raise = 2,
    Call = 3,
    Print = 4,
    Log = 5,
}

use std::sync::atomic::{AtomicU32, Ordering};

/// divide=warn, over=warn, under=ignore, invalid=warn; 4 bits per condition in the order
/// divide, over, under, invalid.
static MODES: AtomicU32 = AtomicU32::new(0x1011);

pub fn modes() -> u32 {
    MODES.load(Ordering::Relaxed)
}
pub fn set_modes(m: u32) {
    MODES.store(m, Ordering::Relaxed);
}

/// The mode for one condition flag (DIVIDE, OVERFLOW, UNDERFLOW, INVALID).
pub fn mode_of(flag: u32) -> Mode {
    let shift = match flag {
        DIVIDE => 0,
        OVERFLOW => 4,
        UNDERFLOW => 8,
        _ => 12,
    };
    match (modes() >> shift) & 0xf {
        0 => Mode::Ignore,
        1 => Mode::Warn,
        2 => Mode::Raise,
        3 => Mode::Call,
        4 => Mode::Print,
        _ => Mode::Log,
    }
}

/// NumPy's word for each condition in warning messages.
pub fn flag_name(flag: u32) -> &'static str {
    match flag {
        DIVIDE => "divide by zero",
        OVERFLOW => "overflow",
        UNDERFLOW => "underflow",
        _ => "invalid value",
    }
}

/// `take` for a ufunc that NumPy does not check for FP errors (comparisons, min/max): only
/// the flags its loops raise on purpose count, not what vectorized compares set in MXCSR.
pub fn take_checked(hardware: bool) -> u32 {
    if hardware { take() } else { SOFT.with(|c| c.replace(0)) }
}
