"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions
from ._oxnp import dtype, empty, ndarray, zeros
from ._oxnp import (broadcast_arrays, broadcast_shapes, broadcast_to, copyto, may_share_memory,
                    shares_memory)

__version__ = "0.1.0"

__all__ = ["dtype", "empty", "exceptions", "ndarray", "zeros"]
__all__ += ["broadcast_arrays", "broadcast_shapes", "broadcast_to", "copyto", "may_share_memory",
            "shares_memory"]
