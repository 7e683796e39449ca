"""Smoke: Jos Stam's "Stable Fluids" (2003) solver on an N x N grid.

The fields carry a one-cell border (shape (N+2, N+2)) that the boundary conditions fill.
Each step diffuses and advects the velocity, projects it onto a divergence-free field,
then diffuses and advects the density along it.  The linear solves are vectorised
relaxation sweeps on slices (Jacobi: the right-hand side is read before it is written).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from examples._common import jitter  # noqa: E402

# What run(..., jit=True) compiles with oxnp.jit (shown by examples.demo).
JITTED = "the whole time step `step` (diffusion, projection, advection with its gathers)"
SIZES = {"small": dict(n=32, steps=10), "full": dict(n=128, steps=50)}
DT = 0.1
DIFFUSION = 0.0001
VISCOSITY = 0.0001
RELAX_ITERATIONS = 20


def set_boundary(kind, x):
    """Walls: kind 1 / 2 flips the normal velocity component (u / v), kind 0 copies."""
    x[0, 1:-1] = -x[1, 1:-1] if kind == 1 else x[1, 1:-1]
    x[-1, 1:-1] = -x[-2, 1:-1] if kind == 1 else x[-2, 1:-1]
    x[1:-1, 0] = -x[1:-1, 1] if kind == 2 else x[1:-1, 1]
    x[1:-1, -1] = -x[1:-1, -2] if kind == 2 else x[1:-1, -2]
    x[0, 0] = 0.5 * (x[1, 0] + x[0, 1])
    x[0, -1] = 0.5 * (x[1, -1] + x[0, -2])
    x[-1, 0] = 0.5 * (x[-2, 0] + x[-1, 1])
    x[-1, -1] = 0.5 * (x[-2, -1] + x[-1, -2])


def relax(kind, x, x0, a, c):
    """Solve x - a * laplacian-ish(x) = x0 by repeated neighbour averaging."""
    for _ in range(RELAX_ITERATIONS):
        x[1:-1, 1:-1] = (x0[1:-1, 1:-1] + a * (x[:-2, 1:-1] + x[2:, 1:-1]
                                              + x[1:-1, :-2] + x[1:-1, 2:])) / c
        set_boundary(kind, x)


def diffuse(kind, x, x0, rate, n):
    a = DT * rate * n * n
    relax(kind, x, x0, a, 1 + 4 * a)


def advect(np, kind, d, d0, u, v, n, i, j):
    """Semi-Lagrangian: trace each cell centre back along the velocity, interpolate there."""
    dt0 = DT * n
    x = np.clip(i - dt0 * u[1:-1, 1:-1], 0.5, n + 0.5)
    y = np.clip(j - dt0 * v[1:-1, 1:-1], 0.5, n + 0.5)
    i0, j0 = x.astype(int), y.astype(int)
    i1, j1 = i0 + 1, j0 + 1
    s1, t1 = x - i0, y - j0
    s0, t0 = 1 - s1, 1 - t1
    d[1:-1, 1:-1] = (s0 * (t0 * d0[i0, j0] + t1 * d0[i0, j1])
                     + s1 * (t0 * d0[i1, j0] + t1 * d0[i1, j1]))
    set_boundary(kind, d)


def project(np, u, v, p, div, n):
    """Remove the divergent part of (u, v) by solving a Poisson equation for the pressure."""
    h = 1.0 / n
    div[1:-1, 1:-1] = -0.5 * h * (u[2:, 1:-1] - u[:-2, 1:-1] + v[1:-1, 2:] - v[1:-1, :-2])
    p[...] = 0.0
    set_boundary(0, div)
    set_boundary(0, p)
    relax(0, p, div, 1, 4)
    u[1:-1, 1:-1] -= 0.5 * (p[2:, 1:-1] - p[:-2, 1:-1]) / h
    v[1:-1, 1:-1] -= 0.5 * (p[1:-1, 2:] - p[1:-1, :-2]) / h
    set_boundary(1, u)
    set_boundary(2, v)


def step(np, u, v, u0, v0, density, d0, n, i, j):
    """One time step, in place."""
    # Velocity step: diffuse, project, advect (the fields swap roles as scratch space).
    diffuse(1, u0, u, VISCOSITY, n)
    diffuse(2, v0, v, VISCOSITY, n)
    project(np, u0, v0, u, v, n)
    advect(np, 1, u, u0, u0, v0, n, i, j)
    advect(np, 2, v, v0, u0, v0, n, i, j)
    project(np, u, v, u0, v0, n)
    # Density step: diffuse, then carry along the new velocity.
    diffuse(0, d0, density, DIFFUSION, n)
    advect(np, 0, density, d0, u, v, n, i, j)


def run(np, size="small", jit=False):
    """jit=True (oxnp): each time step is compiled by oxnp.jit as a whole (relaxation
    sweeps, boundaries, the gathers d0[i0, j0] of the advection): traced once, then
    replayed as one native plan per step."""
    step_fn = jitter(np, jit)(step)
    n, steps = SIZES[size]["n"], SIZES[size]["steps"]
    np.random.seed(7)
    u = np.random.uniform(-1.0, 1.0, (n + 2, n + 2))
    v = np.random.uniform(-1.0, 1.0, (n + 2, n + 2))
    # A ring of smoke around the centre.
    coords = (np.arange(n + 2) - 0.5) / n
    X, Y = np.meshgrid(coords, coords, indexing="ij")
    radius = np.sqrt((X - 0.5) ** 2 + (Y - 0.5) ** 2)
    density = ((radius > 0.2) & (radius < 0.3)).astype(float)
    initial = density.copy()

    i, j = np.meshgrid(np.arange(1, n + 1), np.arange(1, n + 1), indexing="ij")
    u0, v0, d0 = np.zeros_like(u), np.zeros_like(v), np.zeros_like(density)
    for _ in range(steps):
        step_fn(np, u, v, u0, v0, density, d0, n, i, j)
    print(f"smoke {n}x{n}, {steps} steps: total density {density.sum():.4f} "
          f"(initially {initial.sum():.4f}), max {density.max():.4f}")
    return dict(density=density, u=u, v=v, initial_density=initial)


def plot(np, results, path):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4.5))
    ax1.imshow(results["initial_density"][1:-1, 1:-1].T, origin="lower", cmap="magma")
    ax1.set_title("initial density")
    ax2.imshow(results["density"][1:-1, 1:-1].T, origin="lower", cmap="magma")
    ax2.set_title("density after the simulation")
    for ax in (ax1, ax2):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    from examples._common import main

    raise SystemExit(main("smoke"))
