"""``oxnp.lib.scimath``: the same functions as ``oxnp.emath``."""

from ..emath import arccos, arcsin, arctanh, log, log2, log10, logn, power, sqrt

__all__ = ["sqrt", "log", "log2", "logn", "log10", "power", "arccos", "arcsin", "arctanh"]
