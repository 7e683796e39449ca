"""Sample frequencies and spectrum shifts of ``oxnp.fft`` (NumPy's ``numpy/fft/_helper.py``
semantics). ``fftfreq``/``rfftfreq`` multiply the integer frequency indices by 1/(n*d) in one
float64 multiply, so their results are NumPy's bit for bit."""

import numbers

from .._manip import roll
from .._oxnp import arange, asarray
from .._scalars import integer

__all__ = ["fftshift", "ifftshift", "fftfreq", "rfftfreq"]

_integer_types = (int, integer, numbers.Integral)


def _check_device(device):
    if device is not None and device != "cpu":
        raise ValueError(f"Device not understood. Only \"cpu\" is allowed, but received: {device}")


def fftshift(x, axes=None):
    """Shift the zero-frequency term to the centre of the spectrum."""
    x = asarray(x)
    if axes is None:
        axes = tuple(range(x.ndim))
        shift = [dim // 2 for dim in x.shape]
    elif isinstance(axes, _integer_types):
        shift = x.shape[axes] // 2
    else:
        shift = [x.shape[ax] // 2 for ax in axes]
    return roll(x, shift, axes)


def ifftshift(x, axes=None):
    """The inverse of `fftshift` (they differ for odd lengths)."""
    x = asarray(x)
    if axes is None:
        axes = tuple(range(x.ndim))
        shift = [-(dim // 2) for dim in x.shape]
    elif isinstance(axes, _integer_types):
        shift = -(x.shape[axes] // 2)
    else:
        shift = [-(x.shape[ax] // 2) for ax in axes]
    return roll(x, shift, axes)


def fftfreq(n, d=1.0, device=None):
    """Frequencies of an n-point DFT with sample spacing d: [0, 1, ..., -2, -1] / (d*n)."""
    if not isinstance(n, _integer_types):
        raise ValueError("n should be an integer")
    _check_device(device)
    val = 1.0 / (n * d)
    k = arange(n, dtype="int64")
    k[(n - 1) // 2 + 1:] -= n  # the negative frequencies -(n//2) .. -1
    return k * val


def rfftfreq(n, d=1.0, device=None):
    """Frequencies of an n-point `rfft`: [0, 1, ..., n//2] / (d*n)."""
    if not isinstance(n, _integer_types):
        raise ValueError("n should be an integer")
    _check_device(device)
    val = 1.0 / (n * d)
    return arange(0, n // 2 + 1, dtype="int64") * val
