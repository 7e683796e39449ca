"""oxnp.random vs numpy.random on big fills: prints oxnp time / NumPy time per case.

Run on a release build (`make build`); a debug build only checks that it runs.
"""

import time

import numpy

import oxnp


def best(f, repeat=5):
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


CASES = [
    ("randn(10**7)", lambda m: m.random.randn(10**7)),
    ("uniform(size=10**7)", lambda m: m.random.uniform(size=10**7)),
    ("rand(10**7)", lambda m: m.random.rand(10**7)),
    ("standard_normal(10**7)", lambda m: m.random.standard_normal(10**7)),
    ("default_rng().random(10**7)", lambda m: m.random.default_rng(1).random(10**7)),
    ("default_rng().uniform(size=10**7)", lambda m: m.random.default_rng(1).uniform(size=10**7)),
    ("default_rng().standard_normal(10**7)", lambda m: m.random.default_rng(1).standard_normal(10**7)),
    ("randint(0, 10, 10**6)", lambda m: m.random.randint(0, 10, 10**6)),
    ("default_rng().binomial(100, 0.3, 10**6)", lambda m: m.random.default_rng(1).binomial(100, 0.3, 10**6)),
    ("default_rng().standard_t(3.0, 10**6)", lambda m: m.random.default_rng(1).standard_t(3.0, 10**6)),
    ("default_rng().hypergeometric(500,700,300,10**6)",
     lambda m: m.random.default_rng(1).hypergeometric(500, 700, 300, 10**6)),
]


def main():
    print(f"{'case':40s} {'numpy ms':>10s} {'oxnp ms':>10s} {'ratio':>7s}")
    for name, f in CASES:
        numpy.random.seed(0)
        oxnp.random.seed(0)
        tn = best(lambda: f(numpy))
        to = best(lambda: f(oxnp))
        print(f"{name:40s} {tn * 1e3:10.2f} {to * 1e3:10.2f} {to / tn:7.2f}")


if __name__ == "__main__":
    main()
