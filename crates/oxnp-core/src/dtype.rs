//! The fixed set of numeric dtypes and their static facts (NumPy names, codes, sizes).

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum DType {
    Bool,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float16,
    Float32,
    Float64,
    Complex64,
    Complex128,
}

/// NumPy's dtype kinds: 'b', 'i', 'u', 'f', 'c'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    UInt,
    Float,
    Complex,
}

impl Kind {
    pub fn char(self) -> char {
        match self {
            Kind::Bool => 'b',
            Kind::Int => 'i',
            Kind::UInt => 'u',
            Kind::Float => 'f',
            Kind::Complex => 'c',
        }
    }
}

/// NumPy's casting levels, weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Casting {
    No,
    Equiv,
    Safe,
    SameKind,
    Unsafe,
}

impl Casting {
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => {
                return Err(Error::value(
                    "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'",
                ));
            }
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }
}

impl DType {
    pub const ALL: [DType; 14] = [
        DType::Bool,
        DType::Int8,
        DType::UInt8,
        DType::Int16,
        DType::UInt16,
        DType::Int32,
        DType::UInt32,
        DType::Int64,
        DType::UInt64,
        DType::Float16,
        DType::Float32,
        DType::Float64,
        DType::Complex64,
        DType::Complex128,
    ];

    /// Stable small integer, usable as a table index.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn itemsize(self) -> usize {
        use DType::*;
        match self {
            Bool | Int8 | UInt8 => 1,
            Int16 | UInt16 | Float16 => 2,
            Int32 | UInt32 | Float32 => 4,
            Int64 | UInt64 | Float64 | Complex64 => 8,
            Complex128 => 16,
        }
    }

    /// Alignment of one element (complex aligns as its component).
    pub fn alignment(self) -> usize {
        match self {
            DType::Complex64 => 4,
            DType::Complex128 => 8,
            d => d.itemsize(),
        }
    }

    pub fn kind(self) -> Kind {
        use DType::*;
        match self {
            Bool => Kind::Bool,
            Int8 | Int16 | Int32 | Int64 => Kind::Int,
            UInt8 | UInt16 | UInt32 | UInt64 => Kind::UInt,
            Float16 | Float32 | Float64 => Kind::Float,
            Complex64 | Complex128 => Kind::Complex,
        }
    }

    pub fn name(self) -> &'static str {
        use DType::*;
        match self {
            Bool => "bool",
            Int8 => "int8",
            UInt8 => "uint8",
            Int16 => "int16",
            UInt16 => "uint16",
            Int32 => "int32",
            UInt32 => "uint32",
            Int64 => "int64",
            UInt64 => "uint64",
            Float16 => "float16",
            Float32 => "float32",
            Float64 => "float64",
            Complex64 => "complex64",
            Complex128 => "complex128",
        }
    }

    /// The one-character type code (`dtype.char`), Linux x86-64 conventions.
    pub fn char(self) -> char {
        use DType::*;
        match self {
            Bool => '?',
            Int8 => 'b',
            UInt8 => 'B',
            Int16 => 'h',
            UInt16 => 'H',
            Int32 => 'i',
            UInt32 => 'I',
            Int64 => 'l',
            UInt64 => 'L',
            Float16 => 'e',
            Float32 => 'f',
            Float64 => 'd',
            Complex64 => 'F',
            Complex128 => 'D',
        }
    }

    /// `dtype.str`, e.g. `<f8`, `|b1`.
    pub fn str(self) -> String {
        let order = if self.itemsize() == 1 { '|' } else { '<' };
        format!("{order}{}{}", self.kind().char(), self.itemsize())
    }

    pub fn is_bool(self) -> bool {
        self == DType::Bool
    }
    pub fn is_integer(self) -> bool {
        matches!(self.kind(), Kind::Int | Kind::UInt)
    }
    pub fn is_signed_integer(self) -> bool {
        self.kind() == Kind::Int
    }
    pub fn is_unsigned_integer(self) -> bool {
        self.kind() == Kind::UInt
    }
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }
    pub fn is_complex(self) -> bool {
        self.kind() == Kind::Complex
    }
    pub fn is_inexact(self) -> bool {
        self.is_float() || self.is_complex()
    }

    /// The real dtype underlying a complex one (`.real` of complex64 is float32).
    pub fn real_dtype(self) -> DType {
        match self {
            DType::Complex64 => DType::Float32,
            DType::Complex128 => DType::Float64,
            d => d,
        }
    }

    /// The complex dtype that holds this float dtype exactly.
    pub fn complex_dtype(self) -> DType {
        match self {
            DType::Float16 | DType::Float32 | DType::Complex64 => DType::Complex64,
            _ => DType::Complex128,
        }
    }

    pub fn from_kind_size(kind: Kind, size: usize) -> Option<DType> {
        use DType::*;
        Some(match (kind, size) {
            (Kind::Bool, 1) => Bool,
            (Kind::Int, 1) => Int8,
            (Kind::Int, 2) => Int16,
            (Kind::Int, 4) => Int32,
            (Kind::Int, 8) => Int64,
            (Kind::UInt, 1) => UInt8,
            (Kind::UInt, 2) => UInt16,
            (Kind::UInt, 4) => UInt32,
            (Kind::UInt, 8) => UInt64,
            (Kind::Float, 2) => Float16,
            (Kind::Float, 4) => Float32,
            (Kind::Float, 8) => Float64,
            (Kind::Complex, 8) => Complex64,
            (Kind::Complex, 16) => Complex128,
            _ => return None,
        })
    }

    /// Parses every spelling NumPy accepts for these dtypes as a string: names (`float64`,
    /// `double`, `int`), char codes (`d`, `i8`, `f4`, `<f8`, `=i4`, `|b1`) and aliases.
    pub fn from_str(s: &str) -> Result<DType> {
        use DType::*;
        let named = match s {
            "bool" | "bool_" | "?" | "b1" => Some(Bool),
            "int8" | "byte" | "b" | "i1" => Some(Int8),
            "uint8" | "ubyte" | "B" | "u1" => Some(UInt8),
            "int16" | "short" | "h" | "i2" => Some(Int16),
            "uint16" | "ushort" | "H" | "u2" => Some(UInt16),
            "int32" | "intc" | "i" | "i4" => Some(Int32),
            "uint32" | "uintc" | "I" | "u4" => Some(UInt32),
            "int64" | "int" | "int_" | "intp" | "long" | "longlong" | "l" | "q" | "p" | "i8"
            | "n" => Some(Int64),
            "uint64" | "uint" | "uintp" | "ulong" | "ulonglong" | "L" | "Q" | "P" | "u8" | "N" => {
                Some(UInt64)
            }
            "float16" | "half" | "e" | "f2" => Some(Float16),
            "float32" | "single" | "f" | "f4" => Some(Float32),
            "float64" | "double" | "float" | "d" | "f8" => Some(Float64),
            "complex64" | "csingle" | "F" | "c8" => Some(Complex64),
            "complex128" | "cdouble" | "complex" | "D" | "c16" => Some(Complex128),
            _ => None,
        };
        if let Some(d) = named {
            return Ok(d);
        }
        // Byte-order prefixes: native ('=', '|') and little ('<') are all we store.
        if let Some(rest) = s.strip_prefix(['<', '=', '|']) {
            if !rest.is_empty() && !rest.starts_with(['<', '=', '|', '>']) {
                return DType::from_str(rest);
            }
        }
        if s.starts_with('>') && s.len() > 1 {
            let inner = DType::from_str(&s[1..])?;
            if inner.itemsize() == 1 {
                return Ok(inner);
            }
            return Err(Error::type_(format!(
                "data type '{s}': non-native byte order is not supported by oxnp"
            )));
        }
        Err(Error::type_(format!("data type '{s}' not understood")))
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
