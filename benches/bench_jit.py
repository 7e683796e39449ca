"""oxnp.jit against NumPy and eager oxnp, same run (issue 7's benchmark table).

Mandelbrot float32 split-plane step loop (450x375, 200 iterations, examples/mandelbrot.py's
`step`) and the k-means label step (argmin(norm(X - centroids[:, None], axis=2), axis=0)).
Times: best of a few runs; "first call" is the first jitted call of a fresh process state
(trace + compile + run). Run with a release build: `make bench-jit`. Then the example
programs with a step function jitted: the maze's value-propagation sweep (and the whole maze
solve, while loop included), smoke's whole time step, nn's whole training step (examples/;
`python bench_jit.py N` sets the k-means size).
"""

import contextlib
import io
import os
import sys
import time
import warnings

import numpy

import oxnp

warnings.simplefilter("ignore")
HORIZON = 4.0


def make_step(xp):
    def step(x, y, rx, iy, count):
        x2, y2 = x * x, y * y
        alive = x2 + y2 <= HORIZON * HORIZON
        new_x = xp.where(alive, x2 - y2 + rx, x)
        new_y = xp.where(alive, 2 * x * y + iy, y)
        return new_x, new_y, count + alive
    return step


def mandel(xp, step, iterations=200, width=450, height=375):
    re = xp.linspace(-2.2, 0.8, width, dtype=xp.float32)
    im = xp.linspace(-1.2, 1.2, height, dtype=xp.float32)
    rx, iy = xp.meshgrid(re, im)
    x, y = xp.zeros_like(rx), xp.zeros_like(iy)
    count = xp.zeros(rx.shape, dtype=xp.int32)
    for _ in range(iterations):
        x, y, count = step(x, y, rx, iy, count)
    return count


def kmeans_labels(xp):
    def assign(X, centroids):
        return xp.argmin(xp.linalg.norm(X - centroids[:, None], axis=2), axis=0)
    return assign


def maze_solve(xp, sweep, walls):
    """examples/maze.py's wave loop with its sweep as a function (jitted or not)."""
    value = xp.zeros(walls.shape)
    value[-2, -2] = 1.0
    open_inner = ~walls[1:-1, 1:-1]
    it = 0
    while value[1, 1] == 0.0 and it < walls.size:
        sweep(value, open_inner)
        it += 1
    return value


def _count_sweeps(walls):
    value = numpy.zeros(walls.shape)
    value[-2, -2] = 1.0
    sweep = make_sweep(numpy, 0.99)
    it = 0
    while value[1, 1] == 0.0 and it < walls.size:
        sweep(value, ~walls[1:-1, 1:-1])
        it += 1
    return it


def make_sweep(xp, decay):
    def sweep(value, open_inner):
        best = xp.maximum(xp.maximum(value[:-2, 1:-1], value[2:, 1:-1]),
                          xp.maximum(value[1:-1, :-2], value[1:-1, 2:]))
        value[1:-1, 1:-1] = xp.where(open_inner, xp.maximum(value[1:-1, 1:-1], decay * best), 0.0)
    return sweep


def quiet(f):
    with contextlib.redirect_stdout(io.StringIO()):
        return f()


def best(f, repeat=3):
    # Spinning worker threads left by the previous measurement (OpenBLAS's spin for ~0.1 s
    # after NumPy's last matmul; rayon's, the jit helper's 200 µs) are let go to sleep first,
    # so that neither side is timed against the other's leftovers.
    time.sleep(0.3)
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), r


def row(name, t_np, t_ox, t_jit, first):
    print(f"{name:<34} {t_np:9.4f} s {t_ox:9.4f} s {t_jit:9.4f} s {t_np / t_jit:7.2f}x {first:9.4f} s")


def main():
    n_points = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
    print(f"{'program':<34} {'NumPy':>11} {'oxnp eager':>11} {'oxnp.jit':>11} {'vs NumPy':>8} "
          f"{'1st call':>11}")

    # Mandelbrot
    jstep = oxnp.jit(make_step(oxnp))
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    mandel(oxnp, jstep, iterations=1)
    first = time.perf_counter() - t0
    t_np, c_np = best(lambda: mandel(numpy, make_step(numpy)))
    t_ox, c_ox = best(lambda: mandel(oxnp, make_step(oxnp)))
    t_jit, c_jit = best(lambda: mandel(oxnp, jstep))
    assert (numpy.asarray(c_jit) == c_np).all() and (numpy.asarray(c_ox) == c_np).all()
    row("mandelbrot f32 step, 450x375x200", t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

    # The same with the whole 200-step loop inside one jitted function: the trace unrolls
    # the loop into one graph, compiled to one kernel that iterates in registers.
    def loop(x, y, rx, iy, count, iterations, step=make_step(oxnp)):
        for _ in range(iterations):
            x, y, count = step(x, y, rx, iy, count)
        return x, y, count
    jloop = oxnp.jit(loop)

    def mandel_loop():
        re = oxnp.linspace(-2.2, 0.8, 450, dtype=oxnp.float32)
        im = oxnp.linspace(-1.2, 1.2, 375, dtype=oxnp.float32)
        rx, iy = oxnp.meshgrid(re, im)
        return jloop(oxnp.zeros_like(rx), oxnp.zeros_like(iy), rx, iy,
                     oxnp.zeros(rx.shape, dtype=oxnp.int32), 200)[2]
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    mandel_loop()
    first = time.perf_counter() - t0
    t_jit, c_jit = best(mandel_loop)
    assert (numpy.asarray(c_jit) == c_np).all()
    row("  same, whole loop jitted", t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

    # Mandelbrot complex64 with boolean masks (examples/mandelbrot.py part (a)), the whole
    # function jitted: the masked updates become where-selects, so the 200 iterations (and
    # the smooth colouring) are one graph and one kernel, replayed after the first call.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from examples import mandelbrot as mb
    re = numpy.linspace(mb.XMIN, mb.XMAX, 450, dtype=numpy.float32)
    im = numpy.linspace(mb.YMIN, mb.YMAX, 375, dtype=numpy.float32)
    Cn = re[None, :] + 1j * im[:, None]
    Co = oxnp.asarray(Cn)
    jmasked = oxnp.jit(mb.escape_masked)
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    jmasked(oxnp, Co, 200)
    first = time.perf_counter() - t0
    t_np, r_np = best(lambda: mb.escape_masked(numpy, Cn, 200))
    t_ox, r_ox = best(lambda: mb.escape_masked(oxnp, Co, 200))
    t_jit, r_jit = best(lambda: jmasked(oxnp, Co, 200))
    for a, b, c in zip(r_np, r_ox, r_jit):
        assert a.tobytes() == numpy.asarray(b).tobytes() == numpy.asarray(c).tobytes()
    row("mandelbrot c64 masked, whole fn", t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

    # k-means label step
    rng = numpy.random.default_rng(0)
    X = rng.standard_normal((n_points, 2))
    C = rng.standard_normal((3, 2))
    Xo, Co = oxnp.asarray(X), oxnp.asarray(C)
    jassign = oxnp.jit(kmeans_labels(oxnp))
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    jassign(Xo, Co)
    first = time.perf_counter() - t0
    t_np, l_np = best(lambda: kmeans_labels(numpy)(X, C), repeat=2)
    t_ox, l_ox = best(lambda: kmeans_labels(oxnp)(Xo, Co), repeat=2)
    t_jit, l_jit = best(lambda: jassign(Xo, Co), repeat=2)
    assert (numpy.asarray(l_jit) == l_np).all()
    row(f"k-means labels, {n_points:.0e} points", t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

    # The example programs (examples/): jit their step functions.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from examples import maze, nn, smoke

    # Maze: the value-propagation sweep jitted, the data-dependent loop in Python.
    numpy.random.seed(2024)
    walls = maze.build_maze(numpy, *maze.SIZES["full"])
    wo = oxnp.asarray(walls)
    jsweep = oxnp.jit(make_sweep(oxnp, maze.DECAY))
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    jsweep(oxnp.zeros(walls.shape), ~wo[1:-1, 1:-1])
    first = time.perf_counter() - t0
    t_np, v_np = best(lambda: maze_solve(numpy, make_sweep(numpy, maze.DECAY), walls))
    t_ox, v_ox = best(lambda: maze_solve(oxnp, make_sweep(oxnp, maze.DECAY), wo))
    t_jit, v_jit = best(lambda: maze_solve(oxnp, jsweep, wo))
    assert numpy.asarray(v_jit).tobytes() == v_np.tobytes() == numpy.asarray(v_ox).tobytes()
    row("maze solve 101x151 (jit sweep)", t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

    # Maze, the whole solve jitted (its data-dependent while loop inside the function),
    # each timed call solving a DIFFERENT maze of the same size (seeds 2024..2029, cycled):
    # the first call traces every iteration (a graph break at the loop test) and the plan
    # is folded into a loop (body replayed while the test gives its traced value); the
    # solve counts its sweeps in Python (`it`), so a maze needing more sweeps than any
    # traced before is traced once (the warm-up pass), after which every call replays.
    mazes = []
    for seed in range(2024, 2030):
        numpy.random.seed(seed)
        mazes.append(maze.build_maze(numpy, *maze.SIZES["full"]))
    mazes_ox = [oxnp.asarray(w) for w in mazes]
    sweep_np = make_sweep(numpy, maze.DECAY)
    sweep_ox = make_sweep(oxnp, maze.DECAY)
    jsolve = oxnp.jit(maze_solve)
    oxnp.jit.reset_stats()
    t0 = time.perf_counter()
    v_first = jsolve(oxnp, sweep_ox, mazes_ox[0])
    first = time.perf_counter() - t0
    refs = [maze_solve(numpy, sweep_np, w) for w in mazes]
    assert numpy.asarray(v_first).tobytes() == refs[0].tobytes()
    for w in mazes_ox:   # (warm-up: the longest solve so far is traced once)
        jsolve(oxnp, sweep_ox, w)
    warm = oxnp.jit.stats()
    oxnp.jit.reset_stats()
    k = len(mazes)
    t_np, _ = best(lambda: [maze_solve(numpy, sweep_np, w) for w in mazes])
    t_ox, _ = best(lambda: [maze_solve(oxnp, sweep_ox, w) for w in mazes_ox])
    t_jit, vs = best(lambda: [jsolve(oxnp, sweep_ox, w) for w in mazes_ox])
    for v, r in zip(vs, refs):
        assert numpy.asarray(v).tobytes() == r.tobytes()
    sweeps = [_count_sweeps(w) for w in mazes]
    row("maze 101x151 whole, 6 mazes (/solve)", t_np / k, t_ox / k, t_jit / k, first)
    print(f"   sweeps per maze: {sweeps}; warm-up stats: {warm}")
    print("   stats (timed):", oxnp.jit.stats())

    # Smoke and nn: the example run (full size) with one of its functions jitted.
    # Smoke: the whole time step jitted (relaxation sweeps, boundaries, advection gathers).
    example_row(smoke, "step", lambda f: f(oxnp, *[oxnp.zeros((130, 130)) for _ in range(6)], 128,
                                           *oxnp.meshgrid(oxnp.arange(1, 129), oxnp.arange(1, 129),
                                                          indexing="ij")),
                "density", "smoke 128x128x50 (jit step)", repeat=5)
    # nn: the whole training step (forward, backprop, both in-place weight updates) jitted.
    example_row(nn, "train_step", lambda f: f(oxnp, oxnp.ones((30, 5)), oxnp.ones((5, 3)),
                                              oxnp.ones(30), oxnp.ones(3)),
                "W1", "nn training 100 epochs (jit step)", repeat=3)


def example_row(module, name, first_call, result, label, repeat=1):
    """Times `module.run` on NumPy, eager oxnp and with `module.<name>` jitted (first call
    timed on its own; best of `repeat` runs), checks `result` is bit-identical and prints
    the row."""
    original = getattr(module, name)
    t_np, r_np = best(lambda: quiet(lambda: module.run(numpy, "full")), repeat=repeat)
    t_ox, _ = best(lambda: quiet(lambda: module.run(oxnp, "full")), repeat=repeat)
    setattr(module, name, oxnp.jit(original))
    try:
        oxnp.jit.reset_stats()
        t0 = time.perf_counter()
        first_call(getattr(module, name))
        first = time.perf_counter() - t0
        t_jit, r_jit = best(lambda: quiet(lambda: module.run(oxnp, "full")), repeat=repeat)
    finally:
        setattr(module, name, original)
    assert numpy.asarray(r_jit[result]).tobytes() == r_np[result].tobytes()
    row(label, t_np, t_ox, t_jit, first)
    print("   stats:", oxnp.jit.stats())

if __name__ == "__main__":
    main()
