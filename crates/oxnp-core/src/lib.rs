//! oxnp-core: dtypes, promotion, storage, the array type, casting and iteration.
//! No Python here; the bindings live in oxnp-python.

pub mod array;
pub mod broadcast;
pub mod buffer;
pub mod cast;
pub mod cpu;
pub mod dtype;
pub mod element;
pub mod error;
pub mod fill;
pub mod format;
pub mod info;
pub mod index;
pub mod promote;
pub mod shape;

pub use array::{Array, Order, Shape, Strides};
pub use dtype::{Casting, DType, Kind};
pub use element::Element;
pub use error::{Error, Result};

// Re-exported so `dispatch!` can name them from other crates.
pub use half;
pub use num_complex;
