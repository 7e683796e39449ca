"""Creation functions written in Python over the Rust primitives."""

from ._oxnp import indices


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """Call ``function(*indices(shape, dtype), **kwargs)`` and return its result unchanged."""
    args = indices(shape, dtype=dtype)
    return function(*args, **kwargs)
