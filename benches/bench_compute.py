"""The compute issue's (3) benchmark table: 10-element call cost and 10^7-element throughput,
oxnp vs NumPy in the same run (targets: 10-element ratios <= 1.0; 10^7 ratios <= 0.7 on two
cores and <= 1.0 for every op)."""

import numpy

import oxnp
from _timing import compare

SMALL = [
    ("a + b", "a + b"),
    ("a * 2", "a * 2"),
    ("a.sum()", "a.sum()"),
    ("maximum(a, b)", "np.maximum(a, b)"),
    ("a[idx]", "a[idx]"),
    ("a[mask]", "a[mask]"),
]

LARGE = [
    ("add", "a + b"),
    ("multiply", "a * b"),
    ("exp", "np.exp(a)"),
    ("sqrt", "np.sqrt(a)"),
    ("sum", "a.sum()"),
    ("argmin", "a.argmin()"),
    ("mask get a[m]", "a[m]"),
    ("mask set a[m] = 0", "c[m] = 0.0"),
    ("fancy gather a[idx]", "a[idx]"),
    ("sort", "np.sort(a)"),
]


def small(np):
    return {"np": np, "a": np.arange(10.0), "b": np.ones(10), "idx": np.array([1, 3, 5]),
            "mask": np.arange(10) % 3 == 0}


def large(np):
    rng = numpy.random.default_rng(0)
    a, b = rng.random(10**7), rng.random(10**7)
    idx = rng.integers(0, 10**7, 10**7)
    return {"np": np, "a": np.asarray(a), "b": np.asarray(b), "m": np.asarray(a > 0.5),
            "idx": np.asarray(idx), "c": np.asarray(a.copy())}


if __name__ == "__main__":
    compare("10-element arrays", SMALL, numpy, oxnp, small, number=20000)
    compare("10^7-element arrays", LARGE, numpy, oxnp, large, number=3, repeat=5)
