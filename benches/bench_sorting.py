"""oxnp / NumPy time ratios for sorting, searching and sets: call overhead on 10 elements,
throughput on 10^6-10^7.

Run: PYTHONPATH=python python benches/bench_sorting.py   (release build for real numbers)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    big = rng.random(10**7)
    mid = rng.random(10**6)
    ints = rng.integers(0, 1000, 10**6)
    return {
        "np": np,
        "a": np.asarray(rng.random(10)),
        "ai": np.asarray(rng.integers(0, 100, 10)),
        "b": np.asarray(big),
        "b32": np.asarray(big.astype("float32")),
        "bi": np.asarray((big * 2**40).astype("int64")),
        "m": np.asarray(mid),
        "s": np.asarray(numpy.sort(mid)),
        "q": np.asarray(rng.random(10**6)),
        "ints": np.asarray(ints),
        "xp": np.asarray(numpy.linspace(0, 1, 1000)),
        "fp": np.asarray(numpy.sin(numpy.linspace(0, 1, 1000))),
    }


SMALL = [
    ("np.sort(a) (10 f64)", "np.sort(a)"),
    ("a.argsort() (10)", "a.argsort()"),
    ("np.sort(ai) (10 i64)", "np.sort(ai)"),
    ("np.searchsorted(a, 0.5)", "np.searchsorted(a, 0.5)"),
    ("np.unique(ai) (10)", "np.unique(ai)"),
]
BIG = [
    ("np.sort(b) (1e7 f64)", "np.sort(b)"),
    ("np.sort(b32) (1e7 f32)", "np.sort(b32)"),
    ("np.sort(bi) (1e7 i64)", "np.sort(bi)"),
    ("np.sort(b, kind='stable') (1e7)", "np.sort(b, kind='stable')"),
    ("np.argsort(m) (1e6)", "np.argsort(m)"),
    ("np.partition(m, 500000) (1e6)", "np.partition(m, 500000)"),
    ("np.searchsorted(s, q) (1e6 in 1e6)", "np.searchsorted(s, q)"),
    ("np.unique(ints) (1e6 ints)", "np.unique(ints)"),
    ("np.interp(q, xp, fp) (1e6)", "np.interp(q, xp, fp)"),
    ("np.histogram(m, 100) (1e6)", "np.histogram(m, 100)"),
]


if __name__ == "__main__":
    compare("Sorting, 10 elements", SMALL, numpy, oxnp, setup, number=20000)
    compare("Sorting and searching, large arrays", BIG, numpy, oxnp, setup, number=1, repeat=3)
