"""Exception classes that NumPy defines itself (``numpy.exceptions``)."""


class AxisError(ValueError, IndexError):
    """An axis argument is out of range for the array's dimensions."""


class ComplexWarning(RuntimeWarning):
    """A complex value was cast to a real type, discarding the imaginary part."""


class VisibleDeprecationWarning(UserWarning):
    """A deprecation that users, not only developers, should see."""


class RankWarning(RuntimeWarning):
    """polyfit found a rank-deficient problem."""


class TooHardError(RuntimeError):
    """may_share_memory/shares_memory gave up within max_work."""


class DTypePromotionError(TypeError):
    """No common dtype exists for the given dtypes."""


class LinAlgError(ValueError):
    """A linear-algebra routine failed (singular matrix, no convergence, ...)."""


class UFuncTypeError(TypeError):
    """A ufunc has no loop for the given input dtypes or the casting rule forbids it."""


__all__ = [
    "AxisError",
    "ComplexWarning",
    "VisibleDeprecationWarning",
    "RankWarning",
    "TooHardError",
    "DTypePromotionError",
    "LinAlgError",
    "UFuncTypeError",
]
