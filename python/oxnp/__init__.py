"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions
from ._oxnp import dtype, empty, ndarray, zeros
from ._oxnp import (
    atleast_1d,
    atleast_2d,
    atleast_3d,
    expand_dims,
    matrix_transpose,
    moveaxis,
    ndim,
    permute_dims,
    ravel,
    reshape,
    rollaxis,
    shape,
    size,
    squeeze,
    swapaxes,
    transpose,
)

__version__ = "0.1.0"

__all__ = ["dtype", "empty", "exceptions", "ndarray", "zeros"]
__all__ += [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "expand_dims",
    "matrix_transpose",
    "moveaxis",
    "ndim",
    "permute_dims",
    "ravel",
    "reshape",
    "rollaxis",
    "shape",
    "size",
    "squeeze",
    "swapaxes",
    "transpose",
]
