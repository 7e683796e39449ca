"""oxnp / NumPy time ratios for oxnp.fft: large power-of-two transforms, 2-D, a
non-power-of-two length, many small transforms, and the call overhead of a tiny one.

Run: PYTHONPATH=python python benches/bench_fft.py   (release build for real numbers)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    c20 = rng.standard_normal(2**20) + 1j * rng.standard_normal(2**20)
    r20 = rng.standard_normal(2**20)
    m1024 = rng.standard_normal((1024, 1024)) + 1j * rng.standard_normal((1024, 1024))
    c1000 = rng.standard_normal(1000) + 1j * rng.standard_normal(1000)
    many = rng.standard_normal((1000, 64)) + 1j * rng.standard_normal((1000, 64))
    c16 = rng.standard_normal(16) + 1j * rng.standard_normal(16)
    return {
        "np": np,
        "c20": np.asarray(c20),
        "r20": np.asarray(r20),
        "m1024": np.asarray(m1024),
        "c1000": np.asarray(c1000),
        "many": np.asarray(many),
        "c16": np.asarray(c16),
        "r16": np.asarray(c16.real.copy()),
    }


BIG = [
    ("fft 2^20 complex", "np.fft.fft(c20)"),
    ("rfft 2^20 real", "np.fft.rfft(r20)"),
    ("irfft 2^20 -> real", "np.fft.irfft(c20[:2**19 + 1])"),
    ("fft2 1024x1024 complex", "np.fft.fft2(m1024)"),
]
MID = [
    ("fft 1000 (not 2^k)", "np.fft.fft(c1000)"),
    ("fft 1000x64 along axis 1", "np.fft.fft(many, axis=1)"),
    ("fft 1000x64 along axis 0", "np.fft.fft(many, axis=0)"),
]
SMALL = [
    ("fft 16 complex (overhead)", "np.fft.fft(c16)"),
    ("rfft 16 real (overhead)", "np.fft.rfft(r16)"),
    ("fftfreq(16)", "np.fft.fftfreq(16)"),
]


if __name__ == "__main__":
    compare("FFT, large", BIG, numpy, oxnp, setup, number=3, repeat=5)
    compare("FFT, medium", MID, numpy, oxnp, setup, number=200, repeat=5)
    compare("FFT, small (call overhead)", SMALL, numpy, oxnp, setup, number=20000, repeat=5)
