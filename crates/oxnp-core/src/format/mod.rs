//! Text output: Dragon4-style float formatting, NumPy's array layout and scalar reprs.

pub mod array;
pub mod float;
pub mod scalar;

pub use array::{FloatMode, PrintOptions, LEGACY_OFF};
pub use float::{FloatOpts, PrintFloat, Trim, format_positional, format_scientific};
