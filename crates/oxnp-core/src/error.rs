//! The one error type of oxnp. Each variant is a NumPy exception class; the bindings map
//! variants to Python classes in one place (oxnp-python `errors.rs`).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    Value(String),
    Type(String),
    Index(String),
    /// `numpy.exceptions.AxisError` (a ValueError and an IndexError).
    Axis { axis: isize, ndim: usize, arg: Option<&'static str> },
    Overflow(String),
    /// An allocation that failed or could never succeed.
    Memory(String),
    ZeroDivision(String),
    NotImplemented(String),
    LinAlg(String),
    Runtime(String),
    /// numpy._core._exceptions._UFuncOutputCastingError / UFuncTypeError family.
    UFuncType(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn value(msg: impl Into<String>) -> Self {
        Error::Value(msg.into())
    }
    pub fn type_(msg: impl Into<String>) -> Self {
        Error::Type(msg.into())
    }
    pub fn index(msg: impl Into<String>) -> Self {
        Error::Index(msg.into())
    }
    pub fn overflow(msg: impl Into<String>) -> Self {
        Error::Overflow(msg.into())
    }
    pub fn axis(axis: isize, ndim: usize) -> Self {
        Error::Axis { axis, ndim, arg: None }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Axis { axis, ndim, arg } => {
                if let Some(arg) = arg {
                    write!(f, "{arg}: ")?;
                }
                write!(f, "axis {axis} is out of bounds for array of dimension {ndim}")
            }
            Error::Value(m)
            | Error::Type(m)
            | Error::Index(m)
            | Error::Overflow(m)
            | Error::Memory(m)
            | Error::ZeroDivision(m)
            | Error::NotImplemented(m)
            | Error::LinAlg(m)
            | Error::Runtime(m)
            | Error::UFuncType(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// Normalises a possibly negative axis against `ndim`, as NumPy's `normalize_axis_index`.
pub fn normalize_axis(axis: isize, ndim: usize) -> Result<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(Error::axis(axis, ndim));
    }
    Ok(if axis < 0 { (axis + n) as usize } else { axis as usize })
}
