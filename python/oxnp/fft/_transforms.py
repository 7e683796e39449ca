"""The transforms of ``oxnp.fft``. Each 1-D transform is a single call of the Rust
``_fft_raw(a, n, axis, op, norm, out)``, which does what NumPy's ``_raw_fft`` does (defaults
of ``n``, norm handling and its swaps, dtypes, ``out`` checks, errors in NumPy's order). The
n-D transforms apply the 1-D ones axis by axis, with NumPy 2's argument rules: ``s`` without
``axes`` and ``None`` inside ``s`` warn (DeprecationWarning), and ``ifft2``/``irfft2``/``hfft``
ignore ``out`` as NumPy's do."""

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


def _axis_lengths(shape, axes):
    """The lengths of `axes` (negative allowed) in `shape`, with the errors NumPy gives when it
    looks them up (TypeError for a non-iterable, IndexError for an axis out of range)."""
    if not hasattr(axes, "__iter__"):
        raise TypeError(f"'{type(operator.index(axes)).__name__}' object is not iterable")
    lengths = []
    for axis in map(operator.index, axes):
        if axis < -len(shape) or axis >= len(shape):
            raise IndexError(f"index {axis} is out of bounds for axis 0 with size {len(shape)}")
        lengths.append(shape[axis])
    return lengths


def _plan(a, s, axes, real_inverse=False):
    """The transform length per axis and the axes, from the user's `s` and `axes`.

    Without `s` every axis keeps its length, except that an inverse real transform defaults
    its last axis to 2*(m-1). With `s` but no `axes`, `s` covers the last len(s) axes.
    A length of -1 in `s` means "the axis' own length"; None means the 1-D default.
    """
    if s is None:
        lengths = list(a.shape) if axes is None else _axis_lengths(a.shape, axes)
        if real_inverse and lengths:
            last = axes[-1] if axes is not None else -1
            lengths[-1] = 2 * (a.shape[last] - 1)
    else:
        lengths = list(s)
        if axes is None:
            warnings.warn(_S_WITHOUT_AXES, DeprecationWarning, stacklevel=3)
    if axes is None:
        axes = range(-len(lengths), 0)
    axes = list(axes)
    if len(lengths) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if None in lengths:
        warnings.warn(_NONE_IN_S, DeprecationWarning, stacklevel=3)
    lengths = [a.shape[ax] if n == -1 else n for n, ax in zip(lengths, axes)]
    return lengths, axes


def _each_axis(a, s, axes, transform, norm, out):
    """`transform` along every planned axis, the last axis first."""
    a = asarray(a)
    lengths, axes = _plan(a, s, axes)
    for n, axis in reversed(list(zip(lengths, axes))):
        a = transform(a, n=n, axis=axis, norm=norm, out=out)
    return a


def fftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional discrete Fourier Transform."""
    return _each_axis(a, s, axes, fft, norm, out)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional inverse discrete Fourier Transform."""
    return _each_axis(a, s, axes, ifft, norm, out)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional discrete Fourier Transform."""
    return _each_axis(a, s, axes, fft, norm, out)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional inverse discrete Fourier Transform (NumPy ignores `out`)."""
    return _each_axis(a, s, axes, ifft, norm, None)


def rfftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional DFT of real input: rfft along the last axis, then fft along the others
    from the second-to-last to the first."""
    a = asarray(a)
    lengths, axes = _plan(a, s, axes)
    a = rfft(a, lengths[-1], axes[-1], norm, out=out)
    for n, axis in reversed(list(zip(lengths[:-1], axes[:-1]))):
        a = fft(a, n, axis, norm, out=out)
    return a


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-dimensional DFT of real input."""
    return rfftn(a, s, axes, norm, out=out)


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """Inverse of `rfftn`: ifft along all axes but the last (first to last), then irfft."""
    a = asarray(a)
    lengths, axes = _plan(a, s, axes, real_inverse=True)
    for n, axis in zip(lengths[:-1], axes[:-1]):
        a = ifft(a, n, axis, norm)
    return irfft(a, lengths[-1], axes[-1], norm, out=out)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """Inverse of `rfft2` (NumPy ignores `out`)."""
    return irfftn(a, s, axes, norm, None)
