"""``oxnp.lib._iotools``: the warning and error classes of genfromtxt, where NumPy keeps them."""

from .._npyio import ConversionWarning, ConverterError, ConverterLockError

__all__ = ["ConversionWarning", "ConverterError", "ConverterLockError"]
