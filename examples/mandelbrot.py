"""Mandelbrot set, computed twice.

(a) complex64 escape time: only the points that have not escaped are updated, through
    boolean masks (``Z[I] = Z[I]**2 + C[I]``), then coloured smoothly with logs.
(b) the same set on separate float32 planes for the real and imaginary parts, with one
    iteration per call of ``step``: pure elementwise arithmetic and ``np.where`` over the
    whole image, the form that a compiler can fuse into one loop.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import PowerNorm  # noqa: E402

from examples._common import jitter  # noqa: E402

# What run(..., jit=True) compiles with oxnp.jit (shown by examples.demo).
JITTED = "`step` (float32 planes); the masked complex64 loop stays eager"
SIZES = {"small": dict(width=90, height=75, iterations=50),
         "full": dict(width=450, height=375, iterations=200)}
XMIN, XMAX, YMIN, YMAX = -2.25, 0.75, -1.25, 1.25
# A large escape radius makes the smooth colouring continuous across iteration counts.
HORIZON = 1024.0


def smooth_colour(np, count, modulus, inside):
    """Fractional escape count n + 1 - log2(log|z|), 0 inside the set.

    The logs are taken in float64; points that never left give log of values <= 1
    (NaN or -inf), which nan_to_num cleans up before they are masked out anyway.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        nu = count + 1 - np.log(np.log(modulus.astype(np.float64))) / np.log(2.0)
    return np.where(inside, 0.0, np.nan_to_num(nu))


def escape_masked(np, C, iterations):
    Z = np.zeros_like(C)
    count = np.zeros(C.shape, dtype=np.int32)
    for _ in range(iterations):
        alive = np.abs(Z) <= HORIZON
        count[alive] += 1
        Z[alive] = Z[alive] ** 2 + C[alive]
    return count, smooth_colour(np, count, np.abs(Z), count == iterations)


# The array module used by `step`, set by run(): `step` keeps the plain five-array
# signature that a compiler (oxnp.jit) can trace, as if the script had `import numpy as np`.
xp = None


def step(x, y, rx, iy, count):
    """One iteration of z -> z**2 + c on every pixel; escaped pixels keep their value."""
    x2, y2 = x * x, y * y
    alive = x2 + y2 <= HORIZON * HORIZON
    new_x = xp.where(alive, x2 - y2 + rx, x)
    new_y = xp.where(alive, 2 * x * y + iy, y)
    return new_x, new_y, count + alive


def run(np, size="small", jit=False):
    """jit=True (oxnp): `step` is compiled by oxnp.jit; the masked complex64 part stays
    eager (complex numbers and boolean-mask indexing are not compiled)."""
    global xp
    xp = np
    step_fn = jitter(np, jit)(step)
    cfg = SIZES[size]
    width, height, iterations = cfg["width"], cfg["height"], cfg["iterations"]
    re = np.linspace(XMIN, XMAX, width, dtype=np.float32)
    im = np.linspace(YMIN, YMAX, height, dtype=np.float32)

    # (a) complex64 with boolean masks.
    C = re[None, :] + 1j * im[:, None]
    count_a, smooth_a = escape_masked(np, C, iterations)

    # (b) float32 planes, one whole-image step per iteration.
    rx, iy = np.meshgrid(re, im)
    x, y = np.zeros_like(rx), np.zeros_like(iy)
    count_b = np.zeros(rx.shape, dtype=np.int32)
    for _ in range(iterations):
        x, y, count_b = step_fn(x, y, rx, iy, count_b)
    modulus_b = np.sqrt(x * x + y * y)
    smooth_b = smooth_colour(np, count_b, modulus_b, count_b == iterations)

    print(f"mandelbrot {width}x{height}, {iterations} iterations: "
          f"{int((count_a == iterations).sum())} points inside (masked complex64), "
          f"{int((count_b == iterations).sum())} inside (float32 planes)")
    return dict(C=C, count_a=count_a, smooth_a=smooth_a, count_b=count_b, smooth_b=smooth_b,
                x=x, y=y)


def plot(np, results, path):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    style = dict(origin="lower", extent=(XMIN, XMAX, YMIN, YMAX), cmap="magma",
                 norm=PowerNorm(0.4))
    ax1.imshow(results["smooth_a"], **style)
    ax1.set_title("complex64, boolean masks")
    ax2.imshow(results["smooth_b"], **style)
    ax2.set_title("float32 planes, np.where steps")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    from examples._common import main

    raise SystemExit(main("mandelbrot"))
