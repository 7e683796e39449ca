"""Same-run timing of oxnp against NumPy: each case is run on both, interleaved, best of N."""

import timeit


def best_time(stmt, setup_globals, number, repeat=7):
    """Seconds per call: the minimum over `repeat` runs of `number` calls (least noisy)."""
    timer = timeit.Timer(stmt, globals=setup_globals)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def fmt_seconds(s):
    if s < 1e-6:
        return f"{s * 1e9:7.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:7.2f} us"
    if s < 1:
        return f"{s * 1e3:7.2f} ms"
    return f"{s:7.3f} s "


def compare(title, cases, numpy_mod, oxnp_mod, setup, number=10000, repeat=7):
    """Prints a table of (case, NumPy time, oxnp time, ratio oxnp/NumPy) and returns the rows.

    `setup(np)` builds the globals a statement runs in; a case is (label, statement).
    A statement oxnp cannot run is reported, not fatal.
    """
    print(f"\n{title}")
    print(f"{'case':<34} {'NumPy':>11} {'oxnp':>11} {'ratio':>7}")
    rows = []
    env_np, env_ox = setup(numpy_mod), setup(oxnp_mod)
    for label, stmt in cases:
        t_np = best_time(stmt, env_np, number, repeat)
        try:
            t_ox = best_time(stmt, env_ox, number, repeat)
        except Exception as exc:  # report what oxnp lacks and go on
            print(f"{label:<34} {fmt_seconds(t_np):>11} {'error':>11}   {type(exc).__name__}: {exc}")
            rows.append((label, t_np, None, None))
            continue
        ratio = t_ox / t_np
        print(f"{label:<34} {fmt_seconds(t_np):>11} {fmt_seconds(t_ox):>11} {ratio:7.2f}")
        rows.append((label, t_np, t_ox, ratio))
    return rows
