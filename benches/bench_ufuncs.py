"""oxnp / NumPy time ratios for small-array call overhead and large-array throughput.

Run: PYTHONPATH=python python benches/bench_ufuncs.py   (release build for real numbers)."""

import timeit

import numpy

import oxnp


def best(stmt, number):
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number


def row(label, f_np, f_ox, number):
    t_np, t_ox = best(f_np, number), best(f_ox, number)
    print(f"{label:<28} numpy {t_np * 1e6:10.2f} us   oxnp {t_ox * 1e6:10.2f} us   ratio {t_ox / t_np:6.2f}")


def main():
    a, b = numpy.arange(10.0), numpy.arange(10.0) + 1
    x, y = oxnp.asarray(a), oxnp.asarray(b)
    row("a + b (10)", lambda: a + b, lambda: x + y, 20000)
    row("a * 2 (10)", lambda: a * 2, lambda: x * 2, 20000)
    row("maximum(a, b) (10)", lambda: numpy.maximum(a, b), lambda: oxnp.maximum(x, y), 20000)
    n = 10**7
    rng = numpy.random.default_rng(0)
    A, B = rng.random(n), rng.random(n)
    X, Y = oxnp.asarray(A), oxnp.asarray(B)
    row("add (1e7)", lambda: A + B, lambda: X + Y, 3)
    row("multiply (1e7)", lambda: A * B, lambda: X * Y, 3)
    row("exp (1e7)", lambda: numpy.exp(A), lambda: oxnp.exp(X), 3)
    row("sqrt (1e7)", lambda: numpy.sqrt(A), lambda: oxnp.sqrt(X), 3)
    row("add.reduce (1e7)", lambda: numpy.add.reduce(A), lambda: oxnp.add.reduce(X), 3)


if __name__ == "__main__":
    main()
