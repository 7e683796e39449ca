"""oxnp.jit against NumPy and eager oxnp, same run (issue 7's benchmark table).

Mandelbrot float32 split-plane step loop (450x375, 200 iterations, examples/mandelbrot.py's
`step`) and the k-means label step (argmin(norm(X - centroids[:, None], axis=2), axis=0)).
Times: best of a few runs; "first call" is the first jitted call of a fresh process state
(trace + compile + run). Run with a release build: `make bench-jit`.
"""

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


def best(f, repeat=3):
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


if __name__ == "__main__":
    main()
