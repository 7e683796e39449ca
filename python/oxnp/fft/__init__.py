"""oxnp.fft: discrete Fourier transforms, NumPy's ``numpy.fft`` on a Rust engine (rustfft /
realfft). The 1-D transforms are one Rust call each (``_oxnp._fft_raw``); the 2-D and n-D ones
apply them axis by axis, as NumPy does; the frequency helpers and shifts are composites.

Results agree with NumPy's pocketfft to rounding (about 1e-15 times the input's norm times
log n), not bit for bit; dtypes, shapes, errors and warnings are NumPy 2.4's.
"""

from ._freq import fftfreq, fftshift, ifftshift, rfftfreq
from ._transforms import (
    fft, fft2, fftn, hfft, ifft, ifft2, ifftn, ihfft, irfft, irfft2, irfftn, rfft, rfft2, rfftn,
)

__all__ = [
    "fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "rfftn", "irfftn", "rfft2", "irfft2",
    "fft2", "ifft2", "fftn", "ifftn", "fftshift", "ifftshift", "fftfreq", "rfftfreq",
]
