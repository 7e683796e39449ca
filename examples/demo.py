"""Run the five seed programs on NumPy, on oxnp and on oxnp with oxnp.jit; compare bit for
bit, time all three.

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


def _timed_run(module, np, size, jit=False):
    """Run quietly (the programs print their progress); return (results, seconds)."""
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        results = module.run(np, size=size, jit=jit)
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


def _run_oxnp(name, module, oxnp_module, import_error, expected, size, jit, notes):
    """One oxnp run (eager or jit): (results or None, verdict, seconds or None, jit stats)."""
    label = "oxnp.jit" if jit else "oxnp"
    print(f" {label} ...", end="", flush=True)
    try:
        if import_error is not None:
            raise import_error
        if jit:
            oxnp_module.jit.reset_stats()
        actual, seconds = _timed_run(module, oxnp_module, size, jit=jit)
        stats = oxnp_module.jit.stats() if jit else None
        problems = compare_results(expected, actual)
        verdict = "yes" if not problems else "no"
        notes.extend(f"{name} ({label}): {p}" for p in problems)
        print(f" {seconds:.3f} s, identical: {verdict}{';' if not jit else ''}", end="",
              flush=True)
        return actual, verdict, seconds, stats
    except Exception as exc:
        if import_error is None:
            notes.append(f"{name} ({label}): {_error(exc)}{_where(exc)}")
        print(f" {_error(exc)}{';' if not jit else ''}", end="", flush=True)
        return None, _error(exc) if import_error is not None else "error", None, None


def _seconds(s):
    return f"{s:.3f}" if s is not None else "-"


def _ratio(s, numpy_s):
    return f"{s / numpy_s:.2f}" if s is not None and numpy_s > 0 else "-"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m examples.demo")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--no-plots", action="store_true", help="skip writing the pictures")
    args = parser.parse_args(argv)

    numpy_module = load_backend("numpy")
    try:
        oxnp_module, import_error = load_backend("oxnp"), None
        # oxnp.jit's first use makes a process-wide malloc setting (docs/jit.md, "Memory")
        # that speeds up all three columns; make it now so that they all run with it.
        oxnp_module.jit(lambda a: a)
    except Exception as exc:  # not built yet, or broken: reported per example
        oxnp_module, import_error = None, exc

    rows, notes, jit_notes = [], [], []
    for index, name in enumerate(EXAMPLES, 1):
        module = load_example(name)
        print(f"[{index}/{len(EXAMPLES)}] {name}: numpy ...", end="", flush=True)
        expected, numpy_s = _timed_run(module, numpy_module, args.size)
        print(f" {numpy_s:.3f} s;", end="", flush=True)
        actual, verdict, oxnp_s, _ = _run_oxnp(
            name, module, oxnp_module, import_error, expected, args.size, False, notes)
        _, jit_verdict, jit_s, stats = _run_oxnp(
            name, module, oxnp_module, import_error, expected, args.size, True, notes)
        print(flush=True)
        compile_s = stats["compile_ms"] / 1000 if stats else None
        if stats:
            jit_notes.append(
                f"{name}: {module.JITTED};"
                f" traces {stats['traces']}, replays {stats['replays']},"
                f" graph breaks {stats['graph_breaks']}, kernels compiled {stats['compiles']}")

        if not args.no_plots:
            module.plot(numpy_module, expected, output_path(name, "numpy"))
            if actual is not None:
                try:
                    module.plot(oxnp_module, actual, output_path(name, "oxnp"))
                except Exception as exc:
                    notes.append(f"{name}: plot on oxnp failed: {_error(exc)}")
        rows.append((name, verdict, jit_verdict, numpy_s, oxnp_s, jit_s, compile_s))

    print()
    print(f"Seed programs, size {args.size} (all times measured in this run, one run each)")
    header = ("example", "identical to NumPy", "jit identical", "NumPy s", "oxnp s", "ratio",
              "oxnp.jit s", "jit ratio", "of which compile s")
    table = [header]
    for name, verdict, jit_verdict, numpy_s, oxnp_s, jit_s, compile_s in rows:
        table.append((name, verdict, jit_verdict, _seconds(numpy_s), _seconds(oxnp_s),
                      _ratio(oxnp_s, numpy_s), _seconds(jit_s), _ratio(jit_s, numpy_s),
                      _seconds(compile_s)))
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for i, row in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    print()
    print("ratio = oxnp s / NumPy s, jit ratio = oxnp.jit s / NumPy s (below 1: faster than "
          "NumPy).\noxnp.jit s is the whole program with its hot functions jitted, from fresh "
          "jitted functions:\nit includes every trace and Cranelift compile (no warm-up run); "
          "'of which compile s' is the\nCranelift compile time inside it. All three runs use "
          "the malloc setting of oxnp.jit (docs/jit.md).")
    if jit_notes:
        print("\nWhat is jitted:")
        for note in jit_notes:
            print(f"  {note}")
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
