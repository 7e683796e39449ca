"""``oxnp.lib.array_utils``: axis normalisation and the memory span of an array."""

import operator

from ..exceptions import AxisError

__all__ = ["byte_bounds", "normalize_axis_tuple", "normalize_axis_index"]


def normalize_axis_index(axis, ndim, msg_prefix=None):
    """``axis`` in ``[0, ndim)``; a negative axis counts from the end. AxisError otherwise."""
    if not isinstance(axis, int):
        try:
            axis = operator.index(axis)
        except TypeError:
            raise TypeError(f"integer argument expected, got {type(axis).__name__}") from None
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, msg_prefix)
    return axis % ndim if ndim else axis


def normalize_axis_tuple(axis, ndim, argname=None, allow_duplicate=False):
    """A tuple of normalised axes from an int or a sequence of ints; repeats are a ValueError
    unless ``allow_duplicate``."""
    if not isinstance(axis, (tuple, list)):
        try:
            axis = [operator.index(axis)]
        except TypeError:
            pass
    axes = tuple(normalize_axis_index(ax, ndim, argname) for ax in axis)
    if not allow_duplicate and len(set(axes)) != len(axes):
        raise ValueError(f"repeated axis in `{argname}` argument" if argname else "repeated axis")
    return axes


def byte_bounds(a):
    """(low, high): the first byte address ``a`` uses and one past the last."""
    info = a.__array_interface__
    low = high = info["data"][0]
    itemsize = a.itemsize
    if a.size == 0:
        return low, high
    strides = info["strides"]
    if strides is None:
        return low, low + a.size * itemsize
    for dim, stride in zip(a.shape, strides):
        if stride < 0:
            low += (dim - 1) * stride
        else:
            high += (dim - 1) * stride
    return low, high + itemsize
