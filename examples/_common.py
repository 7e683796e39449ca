"""Shared helpers for the seed programs: backend loading, bitwise comparison, the CLI."""

import argparse
import importlib
import os
import time

import numpy

BACKENDS = ("numpy", "oxnp")
SIZES = ("small", "full")
OUTPUT_DIR = "demo-output"


def load_backend(name):
    """Import the array module by name; oxnp is only imported when asked for."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; expected one of {BACKENDS}")
    return importlib.import_module(name)


def load_example(name):
    return importlib.import_module(f"examples.{name}")


def jitter(np, jit):
    """What an example wraps its hot functions with: ``np.jit`` in jit mode, else nothing.

    The jit mode only wraps functions (the code inside stays plain NumPy code); it needs
    a module that has ``jit`` (oxnp).
    """
    if not jit:
        return lambda fn: fn
    if not hasattr(np, "jit"):
        raise ValueError(f"jit=True needs an array module with jit (oxnp), not {np.__name__}")
    return np.jit


def _bits_equal(a, b):
    """Bitwise equality of two numpy arrays of the same dtype and shape, NaNs equal.

    Any NaN equals any NaN (payload and sign are not compared); everything else,
    including the sign of zero, must have identical bytes.
    """
    if a.tobytes() == b.tobytes():
        return True
    if a.dtype.kind == "c":
        return _bits_equal(a.real.copy(), b.real.copy()) and _bits_equal(
            a.imag.copy(), b.imag.copy()
        )
    if a.dtype.kind != "f":
        return False
    nan_a, nan_b = numpy.isnan(a), numpy.isnan(b)
    if not numpy.array_equal(nan_a, nan_b):
        return False
    keep = ~nan_a
    return a[keep].tobytes() == b[keep].tobytes()


def compare_value(expected, actual):
    """Return None if the two results are identical, else a short reason."""
    a = numpy.asarray(expected)
    try:
        b = numpy.asarray(actual)
    except Exception as exc:  # an oxnp object that numpy cannot read
        return f"cannot convert: {type(exc).__name__}: {exc}"
    if a.dtype != b.dtype:
        return f"dtype {b.dtype} != {a.dtype}"
    if a.shape != b.shape:
        return f"shape {b.shape} != {a.shape}"
    if not _bits_equal(a, b):
        if a.dtype.kind in "fc" and a.size:
            diff = numpy.abs(a.astype(numpy.complex128) - b.astype(numpy.complex128))
            nbad = int(numpy.count_nonzero(~((a == b) | (numpy.isnan(a) & numpy.isnan(b)))))
            return f"values differ at {nbad} of {a.size} (max abs diff {numpy.nanmax(diff):.3g})"
        return f"values differ at {int(numpy.count_nonzero(a != b))} of {a.size}"
    return None


def compare_results(expected, actual):
    """Compare two result dicts; return a list of 'name: reason' strings (empty if identical)."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"{name}: missing")
        elif name not in expected:
            problems.append(f"{name}: unexpected result")
        else:
            reason = compare_value(expected[name], actual[name])
            if reason is not None:
                problems.append(f"{name}: {reason}")
    return problems


def describe(results):
    """Print each result with the backend's own formatting; large arrays as a summary."""
    for name, value in results.items():
        if not hasattr(value, "shape") or value.size <= 12:
            print(f"{name} = {value!r}")
        elif value.dtype.kind == "c":
            print(f"{name}: shape={tuple(value.shape)} dtype={value.dtype} sum={value.sum()}")
        else:
            print(f"{name}: shape={tuple(value.shape)} dtype={value.dtype} "
                  f"min={value.min()} max={value.max()} sum={value.sum()}")


def output_path(name, backend):
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    return os.path.join(OUTPUT_DIR, f"{name}-{backend}.png")


def main(name, argv=None):
    """CLI of one example: ``python -m examples.<name> --backend numpy --size small``."""
    parser = argparse.ArgumentParser(prog=f"python -m examples.{name}")
    parser.add_argument("--backend", choices=BACKENDS, default="numpy")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--jit", action="store_true",
                        help="wrap the example's hot functions with oxnp.jit (oxnp only)")
    args = parser.parse_args(argv)

    np = load_backend(args.backend)
    module = load_example(name)
    start = time.perf_counter()
    results = module.run(np, size=args.size, jit=args.jit)
    elapsed = time.perf_counter() - start
    mode = " (jit)" if args.jit else ""
    print(f"--- {name} on {args.backend}{mode} ({args.size}): {elapsed:.3f} s ---")
    describe(results)
    path = output_path(name, args.backend)
    module.plot(np, results, path)
    print(f"picture: {path}")
    return 0

