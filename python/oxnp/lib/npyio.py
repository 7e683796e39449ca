"""``oxnp.lib.npyio``: the lazy ``.npz`` reader."""

from .._npyio import NpzFile

__all__ = ["NpzFile"]
