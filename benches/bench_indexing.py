"""Indexing overhead against NumPy: `a[1:-1]`, `a[3]`, `a[3] = 1.0` and friends.

Run with `PYTHONPATH=python python benches/bench_indexing.py` (use a release build for real
numbers; a debug build is only a sanity check). Prints per-call times and oxnp/NumPy ratios.
"""

import timeit

import numpy

import oxnp


CASES = [
    ("a[1:-1]", "a[1:-1]"),
    ("a[3]", "a[3]"),
    ("a[3] = 1.0", "a[3] = 1.0"),
    ("a[::2]", "a[::2]"),
    ("m[1, 2]", "m[1, 2]"),
    ("m[1]", "m[1]"),
    ("m[:, 1:3]", "m[:, 1:3]"),
    ("m[..., None]", "m[..., None]"),
    ("a[1:-1] = b[:-2]", "a[1:-1] = b[:-2]"),
]


def best_ns(stmt, env, number=20000, repeat=7):
    return min(timeit.repeat(stmt, globals=env, number=number, repeat=repeat)) / number * 1e9


def main():
    ref = {"a": numpy.arange(100.0), "b": numpy.arange(100.0), "m": numpy.arange(20.0).reshape(4, 5)}
    ours = {k: oxnp.asarray(v) for k, v in ref.items()}
    print(f"{'case':<22}{'numpy ns':>10}{'oxnp ns':>10}{'ratio':>8}")
    for name, stmt in CASES:
        t_np = best_ns(stmt, dict(ref))
        t_ox = best_ns(stmt, dict(ours))
        print(f"{name:<22}{t_np:>10.0f}{t_ox:>10.0f}{t_ox / t_np:>8.2f}")
    print(f"oxnp {oxnp.__version__}, numpy {numpy.__version__}")


if __name__ == "__main__":
    main()
