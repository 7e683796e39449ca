"""``oxnp.lib``: the public submodules of NumPy's ``numpy.lib`` namespace."""

from . import array_utils, format, npyio, scimath, stride_tricks
from ._version import NumpyVersion

__all__ = ["array_utils", "format", "npyio", "scimath", "stride_tricks", "NumpyVersion"]
