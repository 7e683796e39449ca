"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions, random
from ._oxnp import dtype, empty, ndarray, zeros
from ._oxnp import (
    arange, array, asanyarray, asarray, ascontiguousarray, asfortranarray, copy, empty_like,
    eye, frombuffer, fromiter, full, full_like, identity, linspace, ones, ones_like, zeros_like,
)
from ._oxnp import can_cast, min_scalar_type, promote_types, result_type
from ._dtypes import (
    ScalarType, common_type, finfo, iinfo, isdtype, issubdtype, mintypecode, sctypeDict,
    typecodes, typename,
)
from ._scalars import (
    False_, True_, bool, bool_, byte, cdouble, complex64, complex128, complexfloating, csingle,
    double, float16, float32, float64, floating, generic, half, inexact, int8, int16, int32,
    int64, int_, intc, integer, intp, long, longlong, number, short, signedinteger, single,
    ubyte, uint, uint8, uint16, uint32, uint64, uintc, uintp, ulong, ulonglong,
    unsignedinteger, ushort,
)

from ._printing import (
    array2string, array_repr, array_str, format_float_positional,
    format_float_scientific, get_printoptions, printoptions, set_printoptions,
)

from ._oxnp import (broadcast_arrays, broadcast_shapes, broadcast_to, copyto, may_share_memory,
                    shares_memory)

__all__ = ["dtype", "empty", "exceptions", "ndarray", "random", "zeros"]

from ._oxnp import from_dlpack, indices
from ._creation_extra import fromfunction

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

# Every public name above, as `from numpy import *` would give.
__all__ = [name for name in dir() if not name.startswith("_")]
