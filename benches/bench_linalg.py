"""oxnp / NumPy time ratios for oxnp.linalg: 1000×1000 float64 products and factorisations
(faer against NumPy's OpenBLAS/LAPACK), the per-call overhead of a 10×10 solve, and stacks of
tiny matrices (oxnp's direct small-matrix LU).

Run: PYTHONPATH=python python benches/bench_linalg.py   (release build for real numbers)."""

import sys
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402


def setup(np):
    rng = numpy.random.default_rng(0)
    # singular values around 1: the determinant neither overflows nor underflows
    big = rng.standard_normal((1000, 1000)) / 1000**0.5 + numpy.eye(1000)
    sym = big + big.T
    small = rng.standard_normal((10, 10)) + 3 * numpy.eye(10)
    return {
        "np": np,
        "A": np.asarray(big),
        "S": np.asarray(sym),
        "b": np.asarray(rng.standard_normal(1000)),
        "a": np.asarray(small),
        "v": np.asarray(rng.standard_normal(10)),
        "stack": np.asarray(rng.standard_normal((1000, 4, 4)) + 3 * numpy.eye(4)),
        "s3": np.asarray(rng.standard_normal((10000, 3, 3)) + 3 * numpy.eye(3)),
        "r3": np.asarray(rng.standard_normal((10000, 3, 1))),
        "s8": np.asarray(rng.standard_normal((10000, 8, 8)) + 3 * numpy.eye(8)),
        "g": np.asarray(rng.standard_normal((10, 10))),
        "g25": np.asarray(rng.standard_normal((25, 25))),
        "c": np.asarray(rng.standard_normal((10, 10)) + 1j * rng.standard_normal((10, 10))),
        "h": np.asarray((lambda z: z + z.conj().T)(rng.standard_normal((10, 10)) + 1j * rng.standard_normal((10, 10)))),
        **{f"spd{n}": np.asarray((lambda z: z @ z.T + n * numpy.eye(n))(rng.standard_normal((n, n)))) for n in CHOL_ORDERS},
    }


# cholesky: OpenBLAS's dpotrf bit for bit (lapack_small.rs), orders 64..1024
CHOL_ORDERS = [64, 128, 200, 256, 400, 700, 1024]
CHOL = [(f"cholesky {n}x{n}", f"np.linalg.cholesky(spd{n})") for n in CHOL_ORDERS]

SMALL = [
    ("solve 10x10", "np.linalg.solve(a, v)"),
    ("inv 10x10", "np.linalg.inv(a)"),
    ("det 10x10", "np.linalg.det(a)"),
    ("solve 1000 stacked 4x4", "np.linalg.solve(stack, stack)"),
    # LAPACK-faithful small kernels (lapack_geev.rs, lapack_cplx.rs, lapack_small.rs)
    ("eig 10x10", "np.linalg.eig(g)"),
    ("eigvals 10x10", "np.linalg.eigvals(g)"),
    ("eig 25x25", "np.linalg.eig(g25)"),
    ("svd 10x10", "np.linalg.svd(g)"),
    ("svd 10x10 complex", "np.linalg.svd(c)"),
    ("eigh 10x10 complex", "np.linalg.eigh(h)"),
]
STACKS = [
    ("solve (10000,3,3) (10000,3,1)", "np.linalg.solve(s3, r3)"),
    ("inv (10000,3,3)", "np.linalg.inv(s3)"),
    ("det (10000,3,3)", "np.linalg.det(s3)"),
    ("slogdet (10000,3,3)", "np.linalg.slogdet(s3)"),
    ("inv (10000,8,8)", "np.linalg.inv(s8)"),
    ("det (10000,8,8)", "np.linalg.det(s8)"),
]
BIG = [
    ("matmul 1000x1000", "A @ A"),
    ("solve 1000x1000", "np.linalg.solve(A, b)"),
    ("inv 1000x1000", "np.linalg.inv(A)"),
    ("det 1000x1000", "np.linalg.det(A)"),
    ("svd 1000x1000", "np.linalg.svd(A)"),
    ("eigh 1000x1000", "np.linalg.eigh(S)"),
]


if __name__ == "__main__":
    compare("linalg, small matrices (call overhead)", SMALL, numpy, oxnp, setup, number=2000)
    compare("linalg, stacks of tiny matrices", STACKS, numpy, oxnp, setup, number=20)
    compare("linalg, 1000x1000 float64", BIG, numpy, oxnp, setup, number=1, repeat=7)
    compare("linalg, cholesky (exact dpotrf)", CHOL, numpy, oxnp, setup, number=3, repeat=7)
