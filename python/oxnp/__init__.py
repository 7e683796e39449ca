"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions, random
from ._oxnp import dtype, empty, ndarray, zeros

__version__ = "0.1.0"

__all__ = ["dtype", "empty", "exceptions", "ndarray", "random", "zeros"]
