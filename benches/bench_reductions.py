"""oxnp / NumPy time ratios for reductions: call overhead on 10 elements, throughput on 10^7.

Run: PYTHONPATH=python python benches/bench_reductions.py   (release build for real numbers)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    small = rng.standard_normal(10)
    big = rng.standard_normal(10**7)
    big32 = big.astype("float32")
    mat = rng.standard_normal((1000, 1000))
    return {
        "np": np,
        "a": np.asarray(small),
        "b": np.asarray(big),
        "b32": np.asarray(big32),
        "m": np.asarray(mat),
    }


SMALL = [
    ("a.sum() (10)", "a.sum()"),
    ("np.sum(a) (10)", "np.sum(a)"),
    ("a.max() (10)", "a.max()"),
    ("a.argmin() (10)", "a.argmin()"),
    ("np.mean(a) (10)", "np.mean(a)"),
    ("np.std(a) (10)", "np.std(a)"),
]
BIG = [
    ("b.sum() (1e7 f64)", "b.sum()"),
    ("b32.sum() (1e7 f32)", "b32.sum()"),
    ("b.argmin() (1e7)", "b.argmin()"),
    ("b.argmax() (1e7)", "b.argmax()"),
    ("b.max() (1e7)", "b.max()"),
    ("np.mean(b) (1e7)", "np.mean(b)"),
    ("np.var(b) (1e7)", "np.var(b)"),
    ("m.sum(axis=0) (1000^2)", "m.sum(axis=0)"),
    ("m.sum(axis=1) (1000^2)", "m.sum(axis=1)"),
    ("np.median(m) (1000^2)", "np.median(m)"),
]


if __name__ == "__main__":
    compare("Reductions, 10 elements", SMALL, numpy, oxnp, setup, number=20000)
    compare("Reductions, large arrays", BIG, numpy, oxnp, setup, number=3, repeat=3)
