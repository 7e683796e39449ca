"""Times scalar creation from an array element (the `a[3]` path) against NumPy's `a[3]`.

Until integer indexing lands, oxnp is timed through the private `_element_to_scalar` hook,
which does the same work minus the index parsing.
"""

import timeit

import numpy

import oxnp
from oxnp import _oxnp

N = 200_000


def best(stmt, ns):
    return min(timeit.repeat(stmt, globals=ns, number=N, repeat=7)) / N * 1e9


def main():
    print(f"{'dtype':<12}{'numpy a[3] ns':>16}{'oxnp elem ns':>16}{'ratio':>8}")
    for name in ["bool", "int8", "int64", "uint64", "float16", "float32", "float64",
                 "complex64", "complex128"]:
        a_np = numpy.arange(8).astype(name)
        a_ox = oxnp.zeros(8, dtype=name)
        t_np = best("a[3]", {"a": a_np})
        t_ox = best("f(a, 3)", {"a": a_ox, "f": _oxnp._element_to_scalar})
        print(f"{name:<12}{t_np:>16.1f}{t_ox:>16.1f}{t_ox / t_np:>8.2f}")
    # Call overhead of a bare builtin call, for reference.
    t_call = best("f(a)", {"a": 3, "f": abs})
    print(f"bare builtin call abs(3): {t_call:.1f} ns")


if __name__ == "__main__":
    main()
