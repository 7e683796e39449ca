"""oxnp / NumPy time ratios for cheap view methods: `python benches/bench_methods.py`."""

import timeit

import numpy

from oxnp import _oxnp


def main():
    a = numpy.arange(10.0)
    o = _oxnp._from_bytes(a.tobytes(), a.shape, "float64")
    cases = [("a.reshape(2, 5)", lambda x: x.reshape(2, 5)), ("a.T", lambda x: x.T), ("a.ravel()", lambda x: x.ravel())]
    print(f"{'op':<18}{'numpy ns':>10}{'oxnp ns':>10}{'ratio':>8}")
    for name, f in cases:
        n = 200_000
        tn = min(timeit.repeat(lambda: f(a), number=n, repeat=5)) / n * 1e9
        to = min(timeit.repeat(lambda: f(o), number=n, repeat=5)) / n * 1e9
        print(f"{name:<18}{tn:>10.0f}{to:>10.0f}{to / tn:>8.2f}")


if __name__ == "__main__":
    main()
