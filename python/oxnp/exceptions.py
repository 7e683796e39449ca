"""Exception classes that NumPy defines itself (``numpy.exceptions``)."""


class AxisError(ValueError, IndexError):
    """An axis argument is out of range for the array's dimensions.

    ``AxisError(axis, ndim, msg_prefix=None)`` builds NumPy's message; a lone argument is
    the message itself.
    """

    def __init__(self, axis, ndim=None, msg_prefix=None):
        if ndim is None and msg_prefix is None:
            self._msg = axis
            self.axis = self.ndim = None
        else:
            self._msg = msg_prefix
            self.axis, self.ndim = axis, ndim
        super().__init__(str(self))

    def __str__(self):
        if self.axis is None:
            return str(self._msg)
        text = f"axis {self.axis} is out of bounds for array of dimension {self.ndim}"
        return text if self._msg is None else f"{self._msg}: {text}"


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
