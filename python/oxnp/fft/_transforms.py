"""The transforms of ``oxnp.fft``. Each 1-D transform is a single call of the Rust
``_fft_raw(a, n, axis, op, norm, out)``, which does what NumPy's ``_raw_fft`` does (defaults
of ``n``, norm handling and its swaps, dtypes, ``out`` checks, errors in NumPy's order). The
n-D transforms follow NumPy's ``_pocketfft.py`` step by step, argument quirks included:
``ifft2``/``irfft2``/``hfft`` ignore ``out``; ``s`` without ``axes`` and ``None`` inside ``s``
warn (DeprecationWarning, NumPy 2.0)."""

import operator
import warnings

from .._oxnp import _fft_raw, asarray

__all__ = [
    "fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "rfftn", "irfftn", "rfft2", "irfft2",
    "fft2", "ifft2", "fftn", "ifftn",
]

# The `op` codes of _fft_raw.
_FFT, _IFFT, _RFFT, _IRFFT, _HFFT, _IHFFT = range(6)


def fft(a, n=None, axis=-1, norm=None, out=None):
    """One-dimensional discrete Fourier Transform (``numpy.fft.fft``)."""
    return _fft_raw(a, n, axis, _FFT, norm, out)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    """One-dimensional inverse discrete Fourier Transform (``numpy.fft.ifft``)."""
    return _fft_raw(a, n, axis, _IFFT, norm, out)


def rfft(a, n=None, axis=-1, norm=None, out=None):
    """One-dimensional DFT of real input: the n//2 + 1 non-negative frequencies."""
    return _fft_raw(a, n, axis, _RFFT, norm, out)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    """Inverse of `rfft`: n real outputs (default n = 2*(m-1))."""
    return _fft_raw(a, n, axis, _IRFFT, norm, out)


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """DFT of a Hermitian-symmetric signal (a real spectrum). NumPy ignores `out` here."""
    return _fft_raw(a, n, axis, _HFFT, norm, None)


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """Inverse of `hfft`: the conjugate of `rfft` with the swapped norm."""
    return _fft_raw(a, n, axis, _IHFFT, norm, out)


_S_WITHOUT_AXES = (
    "`axes` should not be `None` if `s` is not `None` (Deprecated in NumPy 2.0). In a future "
    "version of NumPy, this will raise an error and `s[i]` will correspond to the size along "
    "the transformed axis specified by `axes[i]`. To retain current behaviour, pass a "
    "sequence [0, ..., k-1] to `axes` for an array of dimension k."
)
_NONE_IN_S = (
    "Passing an array containing `None` values to `s` is deprecated in NumPy 2.0 and will "
    "raise an error in a future version of NumPy. To use the default behaviour of the "
    "corresponding 1-D transform, pass the value matching the default for its `n` parameter. "
    "To use the default behaviour for every axis, the `s` argument can be omitted."
)


def _shape_at(shape, axes):
    """``numpy.take(a.shape, axes)`` as a list: axes may be negative; out of range is an
    IndexError worded as take's."""
    if not hasattr(axes, "__iter__"):
        i = operator.index(axes)
        raise TypeError(f"'{type(i).__name__}' object is not iterable")
    out = []
    for ax in axes:
        i = operator.index(ax)
        if not -len(shape) <= i < len(shape):
            raise IndexError(f"index {i} is out of bounds for axis 0 with size {len(shape)}")
        out.append(shape[i])
    return out


def _cook_nd_args(a, s=None, axes=None, invreal=0):
    """(s, axes) as NumPy's ``_cook_nd_args`` makes them, warnings included."""
    if s is None:
        shapeless = True
        s = list(a.shape) if axes is None else _shape_at(a.shape, axes)
    else:
        shapeless = False
    s = list(s)
    if axes is None:
        if not shapeless:
            warnings.warn(_S_WITHOUT_AXES, DeprecationWarning, stacklevel=3)
        axes = list(range(-len(s), 0))
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if invreal and shapeless:
        s[-1] = (a.shape[axes[-1]] - 1) * 2
    if None in s:
        warnings.warn(_NONE_IN_S, DeprecationWarning, stacklevel=3)
    s = [a.shape[_a] if _s == -1 else _s for _s, _a in zip(s, axes)]
    return s, axes


def _raw_fftnd(a, s=None, axes=None, function=fft, norm=None, out=None):
    a = asarray(a)
    s, axes = _cook_nd_args(a, s, axes)
    for ii in reversed(range(len(axes))):
        a = function(a, n=s[ii], axis=axes[ii], norm=norm, out=out)
    return a


def fftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional discrete Fourier Transform."""
    return _raw_fftnd(a, s, axes, fft, norm, out=out)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional inverse discrete Fourier Transform."""
    return _raw_fftnd(a, s, axes, ifft, norm, out=out)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional discrete Fourier Transform."""
    return _raw_fftnd(a, s, axes, fft, norm, out=out)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional inverse discrete Fourier Transform (NumPy ignores `out`)."""
    return _raw_fftnd(a, s, axes, ifft, norm, out=None)


def rfftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional DFT of real input (rfft along the last axis, fft along the others)."""
    a = asarray(a)
    s, axes = _cook_nd_args(a, s, axes)
    a = rfft(a, s[-1], axes[-1], norm, out=out)
    for ii in range(len(axes) - 2, -1, -1):
        a = fft(a, s[ii], axes[ii], norm, out=out)
    return a


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional DFT of real input."""
    return rfftn(a, s, axes, norm, out=out)


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """Inverse of `rfftn`."""
    a = asarray(a)
    s, axes = _cook_nd_args(a, s, axes, invreal=1)
    for ii in range(len(axes) - 1):
        a = ifft(a, s[ii], axes[ii], norm)
    a = irfft(a, s[-1], axes[-1], norm, out=out)
    return a


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """Inverse of `rfft2` (NumPy ignores `out`)."""
    return irfftn(a, s, axes, norm, out=None)
