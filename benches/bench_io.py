"""oxnp file I/O vs NumPy's: prints NumPy time, oxnp time and the ratio oxnp/NumPy per case.

Each case runs on both libraries in the same process, interleaved, best of `repeat`.
Run on a release build (`make build`); a debug build only checks that it runs.
"""

import io
import os
import sys
import tempfile

import numpy

sys.path.insert(0, os.path.dirname(__file__))
import oxnp  # noqa: E402
from _timing import compare  # noqa: E402

TMP = tempfile.mkdtemp(prefix="oxnp-bench-io-")


def setup(np):
    rng = numpy.random.default_rng(0)
    big = np.asarray(rng.standard_normal(10**7)) if np is numpy else np.arange(10**7, dtype=np.float64) / 7.0
    small_dir = os.path.join(TMP, np.__name__ + "-small")
    os.makedirs(small_dir, exist_ok=True)
    smalls = []
    for i in range(1000):
        p = os.path.join(small_dir, f"s{i}.npy")
        numpy.save(p, numpy.arange(i % 50, dtype=numpy.float64))
        smalls.append(p)
    text = io.StringIO()
    numpy.savetxt(text, rng.standard_normal((10**5, 3)))
    parts = {f"a{i}": np.arange(10**5, dtype=np.float64) + i for i in range(10)}
    return {
        "np": np, "big": big, "smalls": smalls, "text": text.getvalue(), "io": io,
        "parts": parts, "big_path": os.path.join(TMP, np.__name__ + "-big.npy"),
        "npz_path": os.path.join(TMP, np.__name__ + "-parts.npz"),
        "small_arr": np.arange(100.0),
        "text_small": "".join(text.getvalue().splitlines(True)[:10**4]),
    }


CASES = [
    ("save+load 10**7 float64 (file)", "np.save(big_path, big); np.load(big_path)"),
    ("save 10**7 float64 (BytesIO)", "np.save(io.BytesIO(), big)"),
    ("load 1000 small .npy files", "[np.load(p) for p in smalls]"),
    ("save+load small array (BytesIO)", "b = io.BytesIO(); np.save(b, small_arr); b.seek(0); np.load(b)"),
    ("savez 10 x 10**5 float64", "np.savez(npz_path, **parts)"),
    ("savez_compressed 10 x 10**5", "np.savez_compressed(npz_path, **parts)"),
    ("load npz, read 10 members", "f = np.load(npz_path); [f[k] for k in f.files]; f.close()"),
    ("loadtxt 10**5 x 3 rows", "np.loadtxt(io.StringIO(text))"),
    ("savetxt 10**4 x 3 rows", "np.savetxt(io.StringIO(), big[:30000].reshape(10**4, 3))"),
    ("genfromtxt 10**4 x 3 rows", "np.genfromtxt(io.StringIO(text_small))"),
]


def main():
    compare("file I/O (oxnp time / NumPy time)", CASES, numpy, oxnp, setup, number=1, repeat=3)


if __name__ == "__main__":
    main()
