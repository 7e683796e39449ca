"""``oxnp.lib.stride_tricks``: views with chosen shapes and strides."""

from .. import _oxnp
from .._oxnp import array
from .array_utils import normalize_axis_tuple

__all__ = ["as_strided", "sliding_window_view"]


def _c_strides(shape, itemsize):
    strides, step = [], itemsize
    for dim in reversed(shape):
        strides.append(step)
        step *= max(dim, 1)
    return tuple(reversed(strides))


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """A view of ``x``'s memory with the given shape and byte strides.

    As in NumPy, shape alone on a C-contiguous ``x`` gives C-contiguous strides for that shape,
    and on another ``x`` keeps ``x``'s strides. A view that would reach past ``x``'s buffer
    raises ValueError (NumPy would read foreign memory)."""
    x = array(x, copy=None, subok=subok)
    shape = x.shape if shape is None else tuple(int(d) for d in shape)
    if strides is None:
        strides = _c_strides(shape, x.itemsize) if x.flags.c_contiguous else x.strides
    strides = tuple(int(s) for s in strides)
    if len(strides) != len(shape):
        raise ValueError("mismatch in length of strides and shape")
    return _oxnp._as_strided(x, list(shape), list(strides), bool(writeable))


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """Every window of ``window_shape`` over ``x``'s ``axis`` (all axes when None), as a
    read-only view (unless ``writeable``) whose trailing dimensions index inside a window."""
    try:
        window_shape = tuple(int(w) for w in window_shape)
    except TypeError:
        window_shape = (int(window_shape),)
    x = array(x, copy=None, subok=subok)
    if any(w < 0 for w in window_shape):
        raise ValueError("`window_shape` cannot contain negative values")
    if axis is None:
        axes = tuple(range(x.ndim))
        if len(window_shape) != len(axes):
            raise ValueError(
                f"Since axis is `None`, must provide window_shape for all dimensions of `x`; "
                f"got {len(window_shape)} window_shape elements and `x.ndim` is {x.ndim}.")
    else:
        axes = normalize_axis_tuple(axis, x.ndim, allow_duplicate=True)
        if len(window_shape) != len(axes):
            raise ValueError(
                f"Must provide matching length window_shape and axis; got {len(window_shape)} "
                f"window_shape elements and {len(axes)} axes elements.")
    starts = list(x.shape)
    for ax, w in zip(axes, window_shape):
        if starts[ax] < w:
            raise ValueError("window shape cannot be larger than input array shape")
        starts[ax] -= w - 1
    strides = x.strides + tuple(x.strides[ax] for ax in axes)
    return as_strided(x, tuple(starts) + window_shape, strides, subok=subok, writeable=writeable)
