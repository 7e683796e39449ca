"""oxnp / NumPy time ratios for products: matmul through faer vs NumPy's OpenBLAS, call
overhead of small products, dot of long vectors, einsum.

Run: PYTHONPATH=python python benches/bench_products.py   (release build for real numbers;
faer itself is built at opt-level 3 even in `make dev`, see the workspace Cargo.toml)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    m = rng.standard_normal((1000, 1000))
    n = rng.standard_normal((1000, 1000))
    s = rng.standard_normal((10, 10))
    v = rng.standard_normal(10**6)
    w = rng.standard_normal(10**6)
    e1 = rng.standard_normal((300, 300))
    e2 = rng.standard_normal((300, 300))
    return {
        "np": np,
        "m": np.asarray(m), "n": np.asarray(n),
        "m32": np.asarray(m.astype("float32")), "n32": np.asarray(n.astype("float32")),
        "s": np.asarray(s), "t": np.asarray(s.T.copy()),
        "v": np.asarray(v), "w": np.asarray(w),
        "e1": np.asarray(e1), "e2": np.asarray(e2),
        "x3": np.asarray(s[:3, :3].copy()), "y3": np.asarray(s[3:6, :3].copy()),
        "i64": np.asarray(rng.integers(0, 10, (200, 200))),
    }


BIG = [
    ("m @ n (1000^2 f64)", "m @ n"),
    ("m32 @ n32 (1000^2 f32)", "m32 @ n32"),
    ("np.dot(v, w) (1e6 f64)", "np.dot(v, w)"),
    ("einsum ij,jk->ik (300^2)", "np.einsum('ij,jk->ik', e1, e2)"),
    ("i64 @ i64 (200^2 int64)", "i64 @ i64"),
]
SMALL = [
    ("s @ t (10x10)", "s @ t"),
    ("np.matmul(s, t) (10x10)", "np.matmul(s, t)"),
    ("np.dot(s, t) (10x10)", "np.dot(s, t)"),
    ("einsum ij,jk->ik (3x3)", "np.einsum('ij,jk->ik', x3, y3)"),
    ("einsum ii-> (10x10)", "np.einsum('ii->', s)"),
]


if __name__ == "__main__":
    compare("Products, large", BIG, numpy, oxnp, setup, number=5, repeat=5)
    compare("Products, small (call overhead)", SMALL, numpy, oxnp, setup, number=5000)
