"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions
from ._oxnp import dtype, empty, ndarray, zeros
from ._oxnp import (
    arange, array, asanyarray, asarray, ascontiguousarray, asfortranarray, copy, empty_like,
    eye, frombuffer, fromiter, full, full_like, identity, linspace, ones, ones_like, zeros_like,
)
from ._oxnp import from_dlpack, indices
from ._creation_extra import fromfunction

__version__ = "0.1.0"

__all__ = ["dtype", "empty", "exceptions", "ndarray", "zeros"]
__all__ += [
    "arange", "array", "asanyarray", "asarray", "ascontiguousarray", "asfortranarray", "copy",
    "empty_like", "eye", "frombuffer", "fromiter", "full", "full_like", "identity", "linspace",
    "ones", "ones_like", "zeros_like",
]
__all__ += ["from_dlpack", "fromfunction", "indices"]
