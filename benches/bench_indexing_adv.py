"""oxnp / NumPy time ratios for advanced indexing: small-array overhead and 10^7-element
mask get/set and fancy gather/scatter.

Run: PYTHONPATH=python python benches/bench_indexing_adv.py   (release build for real numbers;
a debug build is only a sanity check). Each case runs on both libraries in the same process.
"""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402

SMALL = [
    ("a[idx] (10)", "a[idx]"),
    ("a[mask] (10)", "a[mask]"),
    ("a[idx] = 1.0 (10)", "a[idx] = 1.0"),
    ("a[mask] = 1.0 (10)", "a[mask] = 1.0"),
    ("m[i, j] (3x4)", "m[i, j]"),
    ("m[:, idx3] (3x4)", "m[:, idx3]"),
]

LARGE = [
    ("a[mask] (1e7, 50%)", "A[M]"),
    ("a[mask] = 0.0 (1e7)", "A[M] = 0.0"),
    ("a[mask] = values (1e7)", "A[M] = V"),
    ("a[idx] gather (1e7)", "A[I]"),
    ("a[idx] = values (1e7)", "A[I] = B"),
    ("d[i, j] 2-D (1e6 from 1e7)", "D[Ii, Jj]"),
    ("x[rows] (1e5 rows of 100)", "X[R]"),
]


def small_env(np):
    return {
        "a": np.asarray(numpy.arange(10.0)),
        "idx": np.asarray(numpy.array([3, 1, 4, 1, 5, 9, 2, 6])),
        "mask": np.asarray(numpy.arange(10) % 3 == 0),
        "m": np.asarray(numpy.arange(12.0).reshape(3, 4)),
        "i": np.asarray(numpy.array([[0, 1], [2, 0]])),
        "j": np.asarray(numpy.array([[3, 1], [0, 2]])),
        "idx3": np.asarray(numpy.array([3, 0, 1])),
    }


def large_env(np):
    rng = numpy.random.default_rng(0)
    n = 10**7
    A = rng.random(n)
    M = rng.random(n) < 0.5
    I = rng.integers(0, n, n)  # noqa: E741
    return {
        "A": np.asarray(A),
        "M": np.asarray(M),
        "V": np.asarray(rng.random(int(M.sum()))),
        "I": np.asarray(I),
        "B": np.asarray(rng.random(n)),
        "D": np.asarray(A.reshape(2500, 4000)),
        "Ii": np.asarray(rng.integers(0, 2500, (1000, 1000))),
        "Jj": np.asarray(rng.integers(0, 4000, (1000, 1000))),
        "X": np.asarray(A.reshape(100000, 100)),
        "R": np.asarray(rng.integers(0, 100000, 100000)),
    }


def main():
    compare("advanced indexing, small arrays", SMALL, numpy, oxnp, small_env, number=20000)
    compare("advanced indexing, 10^7 elements", LARGE, numpy, oxnp, large_env, number=3, repeat=5)
    print(f"oxnp {oxnp.__version__}, numpy {numpy.__version__}")


if __name__ == "__main__":
    main()
