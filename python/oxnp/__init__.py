"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions
from ._oxnp import dtype, empty, ndarray, zeros

__version__ = "0.1.0"

__all__ = ["dtype", "empty", "exceptions", "ndarray", "zeros"]
from ._oxnp import format_scalar
from ._printing import (
    array2string, array_repr, array_str, format_float_positional,
    format_float_scientific, get_printoptions, printoptions, set_printoptions,
)
__all__ += [
    "array2string", "array_repr", "array_str", "format_float_positional",
    "format_float_scientific", "format_scalar", "get_printoptions", "printoptions",
    "set_printoptions",
]
