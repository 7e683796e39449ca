"""Small-array call overhead of the foundation (issue 2): oxnp vs NumPy in the same run."""

import numpy

import oxnp
from _timing import compare

CASES = [
    ("zeros(10)", "np.zeros(10)"),
    ("a[1:-1]", "a[1:-1]"),
    ("a.reshape(2, 5)", "a.reshape(2, 5)"),
    ("a[3]", "a[3]"),
    ("a[3] = 1.0", "a[3] = 1.0"),
    ("a.T (2-d)", "m.T"),
    ("repr(a)", "repr(a)"),
    ("numpy.asarray(a)", "numpy.asarray(a)"),
    ("array(list of 10 floats)", "np.array(lst)"),
]


def setup(np):
    a = np.zeros(10)
    return {"np": np, "numpy": numpy, "a": a, "m": np.zeros((3, 4)), "lst": [float(i) for i in range(10)]}


if __name__ == "__main__":
    compare("Small-array overhead (10 elements)", CASES, numpy, oxnp, setup, number=20000)
