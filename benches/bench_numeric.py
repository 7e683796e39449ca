"""oxnp / NumPy time ratios for the numeric namespace: closeness tests, convolution, gradient,
unwrap, vectorize, and the call overhead of a 10-element allclose.

Run: PYTHONPATH=python python benches/bench_numeric.py   (release build for real numbers)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(10**6)
    y = x * (1 + 1e-9)
    return {
        "np": np,
        "x": np.asarray(x),
        "y": np.asarray(y),
        "s": np.asarray(x[:10]),
        "t": np.asarray(y[:10]),
        "sig": np.asarray(rng.standard_normal(10**5)),
        "ker": np.asarray(rng.standard_normal(100)),
        "isig": np.asarray(rng.integers(-100, 100, 10**5)),
        "iker": np.asarray(rng.integers(-100, 100, 100)),
        "grid": np.asarray(rng.standard_normal((1000, 1000))),
        "phase": np.asarray(numpy.cumsum(rng.standard_normal(10**6)) % (2 * numpy.pi)),
        "v": np.asarray(rng.standard_normal(10**4)),
        "vf": np.vectorize(lambda a: a * 2.0 + 1.0),
    }


SMALL = [
    ("allclose (10)", "np.allclose(s, t)"),
    ("isclose (10)", "np.isclose(s, t)"),
    ("array_equal (10)", "np.array_equal(s, t)"),
]
BIG = [
    ("allclose (1e6)", "np.allclose(x, y)"),
    ("isclose (1e6)", "np.isclose(x, y)"),
    ("array_equal (1e6)", "np.array_equal(x, y)"),
    ("convolve f64 (1e5 x 100)", "np.convolve(sig, ker)"),
    ("convolve i64 (1e5 x 100)", "np.convolve(isig, iker)"),
    ("correlate f64 same (1e5 x 100)", "np.correlate(sig, ker, 'same')"),
    ("gradient (1000^2)", "np.gradient(grid)"),
    ("unwrap (1e6)", "np.unwrap(phase)"),
    ("vectorize (1e4)", "vf(v)"),
    ("sinc (1e6)", "np.sinc(x)"),
    ("i0 (1e6)", "np.i0(x)"),
]


if __name__ == "__main__":
    compare("Numeric namespace, 10 elements (call overhead)", SMALL, numpy, oxnp, setup,
            number=5000)
    compare("Numeric namespace, large arrays", BIG, numpy, oxnp, setup, number=3, repeat=3)
