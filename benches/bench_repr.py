"""repr timing, oxnp vs NumPy in the same process: a 10-element float64 array and a
1000x1000 (summarized) one. Run: PYTHONPATH=python python benches/bench_repr.py"""

import timeit

import numpy

import oxnp
from oxnp import _oxnp


def to_ox(a):
    a = numpy.ascontiguousarray(a)
    return _oxnp._from_bytes(a.tobytes(), a.shape, a.dtype.name)


def best(stmt, number):
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number


def main():
    cases = [
        ("repr 10 x float64", numpy.random.RandomState(0).standard_normal(10), 2000),
        ("repr 1000x1000 float64", numpy.random.RandomState(0).standard_normal((1000, 1000)), 200),
        ("str 10 x float32", numpy.arange(10, dtype=numpy.float32) / 3, 2000),
        ("repr 1000 x int64", numpy.arange(1000), 100),
    ]
    print(f"{'case':<26}{'numpy us':>10}{'oxnp us':>10}{'ratio':>8}")
    for name, a, number in cases:
        x = to_ox(a)
        f = str if name.startswith("str") else repr
        assert f(x) == f(a), name
        t_np = best(lambda: f(a), number)
        t_ox = best(lambda: f(x), number)
        print(f"{name:<26}{t_np * 1e6:>10.2f}{t_ox * 1e6:>10.2f}{t_ox / t_np:>8.2f}")


if __name__ == "__main__":
    main()
