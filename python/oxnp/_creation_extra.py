"""Creation functions written in Python over the Rust primitives."""

from ._oxnp import _indices_planes


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """Call ``function(*indices(shape, dtype), **kwargs)`` and return its result unchanged."""
    return function(*_indices_planes(shape, dtype), **kwargs)
