"""oxnp: NumPy with a Rust engine. ``import oxnp as np``."""

from . import exceptions, linalg, random
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

from ._oxnp import from_dlpack, indices
from ._creation_extra import fromfunction, geomspace, logspace
from ._oxnp import (  # shape functions
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

from ._oxnp import (  # ufuncs
    abs, absolute, acos, acosh, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2,
    arctanh, asin, asinh, atan, atan2, atanh, bitwise_and, bitwise_count, bitwise_invert,
    bitwise_left_shift, bitwise_not, bitwise_or, bitwise_right_shift, bitwise_xor, cbrt, ceil,
    conj, conjugate, copysign, cos, cosh, deg2rad, degrees, divide, divmod, equal, exp, exp2,
    expm1, fabs, float_power, floor, floor_divide, fmax, fmin, fmod, frexp, gcd, greater,
    greater_equal, heaviside, hypot, invert, isfinite, isinf, isnan, lcm, ldexp, left_shift,
    less, less_equal, log, log10, log1p, log2, logaddexp, logaddexp2, logical_and, logical_not,
    logical_or, logical_xor, maximum, minimum, mod, modf, multiply, negative, nextafter,
    not_equal, positive, pow, power, rad2deg, radians, reciprocal, remainder, right_shift,
    rint, sign, signbit, sin, sinh, spacing, sqrt, square, subtract, tan, tanh, true_divide,
    trunc, ufunc,
)
from ._ufuncs import errstate, geterr, geterrcall, seterr, seterrcall

from ._oxnp import all, amax, amin, any, argmax, argmin, max, min, prod, sum  # reductions
from ._reductions import (
    average, count_nonzero, cumprod, cumsum, cumulative_prod, cumulative_sum, mean, median,
    nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin,
    nanpercentile, nanprod, nanquantile, nanstd, nansum, nanvar, percentile, ptp, quantile, std,
    var,
)

from ._oxnp import concatenate, nonzero
from ._manip import (  # manipulation and selection
    append, argwhere, around, array_split, bincount, block, c_, choose, clip, column_stack,
    compress, delete, diag, diag_indices, diag_indices_from, diagonal, diff, dsplit, dstack,
    extract, fill_diagonal, flatnonzero, flip, fliplr, flipud, hsplit, hstack, index_exp,
    insert, ix_, meshgrid, mgrid, nan_to_num, ndenumerate, ndindex, ogrid, outer, pad,
    piecewise, place, put, put_along_axis, putmask, r_, ravel_multi_index, repeat, resize,
    roll, rot90, round, row_stack, s_, select, split, stack, take, take_along_axis, tile, trace,
    tri, tril, tril_indices, tril_indices_from, trim_zeros, triu, triu_indices,
    triu_indices_from, unravel_index, vsplit, vstack, where,
)
from ._oxnp import dot, inner, matmul, vdot  # products (Rust)
from ._products import (  # products composed on matmul/dot
    corrcoef, cov, cross, einsum, einsum_path, kron, matvec, tensordot, trapezoid, vecdot, vecmat,
)
from ._oxnp import argpartition, argsort, partition, sort  # sorting, searching, sets, histograms
from ._sorting import (
    digitize, histogram, histogram2d, histogram_bin_edges, histogramdd, interp, intersect1d,
    isin, lexsort, searchsorted, setdiff1d, setxor1d, sort_complex, union1d, unique, unique_all,
    unique_counts, unique_inverse, unique_values,
)
from . import emath
from . import lib
from ._numeric import (  # the numeric namespace: closeness, type checks, convolution, ...
    allclose, angle, array_equal, array_equiv, asarray_chkfinite, astype, base_repr,
    binary_repr, concat, convolve, correlate, diagflat, ediff1d, fix, imag, iscomplex,
    iscomplexobj, isclose, isfortran, isneginf, isposinf, isreal, isrealobj, isscalar, iterable,
    mask_indices, packbits, real, real_if_close, require, unpackbits, unstack, vander,
)
from ._function_base import (
    apply_along_axis, apply_over_axes, bartlett, blackman, frompyfunc, gradient, hamming,
    hanning, i0, kaiser, sinc, unwrap, vectorize,
)
from ._npyio import (  # file input and output
    fromfile, fromregex, fromstring, genfromtxt, load, loadtxt, save, savetxt, savez,
    savez_compressed,
)
from . import fft
from ._polynomial import (  # legacy polynomials
    poly, poly1d, polyadd, polyder, polydiv, polyfit, polyint, polymul, polysub, polyval, roots,
)
from ._jit import jit
__all__ = [name for name in dir() if not name.startswith("_")]

# NumPy's constants.
e = 2.718281828459045
euler_gamma = 0.5772156649015329
inf = float("inf")
nan = float("nan")
pi = 3.141592653589793
newaxis = None
little_endian = True

__version__ = "0.1.0"

# Every public name above, as `from numpy import *` would give.
__all__ = [name for name in dir() if not name.startswith("_")]
