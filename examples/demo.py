"""Run the five seed programs on NumPy and on oxnp, compare bit for bit, time both.

    python -m examples.demo [--size small|full] [--no-plots]

Always exits 0: the demo reports, the tests (tests/test_examples.py) assert.
"""

import argparse
import contextlib
import io
import time
import traceback
from pathlib import Path

from examples import EXAMPLES
from examples._common import SIZES, compare_results, load_backend, load_example, output_path


def _timed_run(module, np, size):
    """Run quietly (the programs print their progress); return (results, seconds)."""
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        results = module.run(np, size=size)
        elapsed = time.perf_counter() - start
    return results, elapsed


def _error(exc):
    return f"error: {type(exc).__name__}: {exc}".splitlines()[0][:100]


def _where(exc):
    """The innermost line of an example that the exception passed through."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "examples" in f.filename]
    if not frames:
        return ""
    return f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno}: {frames[-1].line})"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m examples.demo")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--no-plots", action="store_true", help="skip writing the pictures")
    args = parser.parse_args(argv)

    numpy_module = load_backend("numpy")
    try:
        oxnp_module, import_error = load_backend("oxnp"), None
    except Exception as exc:  # not built yet, or broken: reported per example
        oxnp_module, import_error = None, exc

    rows, notes = [], []
    for index, name in enumerate(EXAMPLES, 1):
        module = load_example(name)
        print(f"[{index}/{len(EXAMPLES)}] {name}: numpy ...", end="", flush=True)
        expected, numpy_s = _timed_run(module, numpy_module, args.size)
        print(f" {numpy_s:.3f} s; oxnp ...", end="", flush=True)
        oxnp_s = None
        try:
            if import_error is not None:
                raise import_error
            actual, oxnp_s = _timed_run(module, oxnp_module, args.size)
            problems = compare_results(expected, actual)
            verdict = "yes" if not problems else "no"
            notes.extend(f"{name}: {p}" for p in problems)
            print(f" {oxnp_s:.3f} s; identical: {verdict}", flush=True)
        except Exception as exc:
            actual, verdict = None, _error(exc)
            if import_error is None:
                notes.append(f"{name}: {_error(exc)}{_where(exc)}")
            print(f" {verdict}", flush=True)

        if not args.no_plots:
            module.plot(numpy_module, expected, output_path(name, "numpy"))
            if actual is not None:
                try:
                    module.plot(oxnp_module, actual, output_path(name, "oxnp"))
                except Exception as exc:
                    notes.append(f"{name}: plot on oxnp failed: {_error(exc)}")
        rows.append((name, verdict, numpy_s, oxnp_s))

    print()
    print(f"Seed programs, size {args.size} (oxnp / NumPy time measured in this run)")
    header = ("example", "identical to NumPy", "NumPy s", "oxnp s", "ratio")
    table = [header]
    for name, verdict, numpy_s, oxnp_s in rows:
        ratio = f"{oxnp_s / numpy_s:.2f}" if oxnp_s is not None and numpy_s > 0 else "-"
        table.append((name, verdict, f"{numpy_s:.3f}",
                      f"{oxnp_s:.3f}" if oxnp_s is not None else "-", ratio))
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for i, row in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    if notes:
        print()
        print("Differences and errors:")
        for note in notes:
            print(f"  {note}")
    if not args.no_plots:
        print("\npictures in demo-output/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
