//! NumPy-exact random number streams in pure Rust.
//!
//! * [`RandomState`]: the legacy `np.random.RandomState` / `np.random.seed` API on [`Mt19937`].
//! * [`Generator`]: `np.random.default_rng(seed)` (on [`Pcg64`]) or any [`BitGen`].
//! * [`SeedSequence`], [`Pcg64`], [`Pcg64Dxsm`], [`Mt19937`], [`Philox`], [`Sfc64`].
//!
//! All functions write into caller-provided slices (C order), so the Python layer only has to
//! allocate and broadcast.

pub mod bitgen;
pub mod bounded;
mod dist;
mod gdist;
pub mod generator;
pub mod legacy;
pub mod mt19937;
mod mt_jump;
pub mod pcg64;
pub mod seed_sequence;
mod ziggurat;
mod ziggurat_tables;

pub use bitgen::{gen_mask, random_interval, BitGen};
pub use bounded::{int_bounds, BoundedSampler, IntDtype};
pub use dist::BinomialCache;
pub use generator::Generator;
pub use legacy::{LegacyAux, LegacyState, RandomState};
pub use mt19937::Mt19937;
pub use pcg64::{PcgState, Pcg64, Pcg64Dxsm, Philox, Sfc64};
pub use seed_sequence::{int_to_words, SeedSequence};

/// Errors, with NumPy's messages. `Value` = `ValueError`, `Type` = `TypeError`,
/// `Overflow` = `OverflowError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RandomError {
    Value(String),
    Type(String),
    Overflow(String),
}

impl RandomError {
    pub fn message(&self) -> &str {
        match self {
            RandomError::Value(m) | RandomError::Type(m) | RandomError::Overflow(m) => m,
        }
    }
    pub(crate) fn value(m: impl Into<String>) -> Self {
        RandomError::Value(m.into())
    }
}

impl std::fmt::Display for RandomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            RandomError::Value(_) => "ValueError",
            RandomError::Type(_) => "TypeError",
            RandomError::Overflow(_) => "OverflowError",
        };
        write!(f, "{kind}: {}", self.message())
    }
}

impl std::error::Error for RandomError {}

pub type Result<T> = std::result::Result<T, RandomError>;

/// NumPy's parameter constraints (`_common.check_constraint`), applied to scalar parameters.
pub mod constraint {
    use super::{RandomError, Result};
    /// `CONS_NON_NEGATIVE`: `name < 0` (uses the sign bit, so -0.0 fails; NaN passes).
    #[inline]
    pub fn non_negative(v: f64, name: &str) -> Result<()> {
        if !v.is_nan() && v.is_sign_negative() { Err(RandomError::value(format!("{name} < 0"))) } else { Ok(()) }
    }
    /// `CONS_POSITIVE`: `name <= 0` (NaN passes).
    #[inline]
    pub fn positive(v: f64, name: &str) -> Result<()> {
        if v <= 0.0 { Err(RandomError::value(format!("{name} <= 0"))) } else { Ok(()) }
    }
    /// `CONS_POSITIVE_NOT_NAN`.
    #[inline]
    pub fn positive_not_nan(v: f64, name: &str) -> Result<()> {
        if v.is_nan() {
            Err(RandomError::value(format!("{name} must not be NaN")))
        } else {
            positive(v, name)
        }
    }
    /// `CONS_BOUNDED_0_1`.
    #[inline]
    pub fn bounded_0_1(v: f64, name: &str) -> Result<()> {
        if !(v >= 0.0 && v <= 1.0) {
            Err(RandomError::value(format!("{name} < 0, {name} > 1 or {name} contains NaNs")))
        } else {
            Ok(())
        }
    }
    /// `CONS_BOUNDED_GT_0_1`.
    #[inline]
    pub fn bounded_gt_0_1(v: f64, name: &str) -> Result<()> {
        if !(v > 0.0 && v <= 1.0) {
            Err(RandomError::value(format!("{name} <= 0, {name} > 1 or {name} contains NaNs")))
        } else {
            Ok(())
        }
    }
    /// `CONS_BOUNDED_LT_0_1`.
    #[inline]
    pub fn bounded_lt_0_1(v: f64, name: &str) -> Result<()> {
        if !(v >= 0.0 && v < 1.0) {
            Err(RandomError::value(format!("{name} < 0, {name} >= 1 or {name} contains NaNs")))
        } else {
            Ok(())
        }
    }
    /// `CONS_GT_1`.
    #[inline]
    pub fn gt_1(v: f64, name: &str) -> Result<()> {
        if !(v > 1.0) { Err(RandomError::value(format!("{name} <= 1 or {name} contains NaNs"))) } else { Ok(()) }
    }
    /// `CONS_GTE_1`.
    #[inline]
    pub fn gte_1(v: f64, name: &str) -> Result<()> {
        if !(v >= 1.0) { Err(RandomError::value(format!("{name} < 1 or {name} contains NaNs"))) } else { Ok(()) }
    }
    /// Legacy Poisson limit.
    pub const POISSON_LAM_MAX: f64 = 9.223372006484771e18;
    #[inline]
    pub fn poisson_lam(v: f64, name: &str) -> Result<()> {
        if !(v <= POISSON_LAM_MAX) && !v.is_nan() {
            Err(RandomError::value(format!("{name} value too large")))
        } else if !(v >= 0.0) {
            Err(RandomError::value(format!("{name} < 0 or {name} contains NaNs")))
        } else {
            Ok(())
        }
    }
}
