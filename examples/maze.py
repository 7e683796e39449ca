"""Random maze, solved by Bellman-Ford value propagation.

Walls grow as "islands" from random wall points of the even lattice until the lattice is
full.  An island only ever extends into free space, so the walls form one tree and the
free cells form a perfect maze: one path between any two cells.
The solver spreads a value from the goal with one vectorised sweep per step (each free
cell takes the best of its four neighbours times a decay) until the wave reaches the
start; the path then climbs the value field from the start back to the goal.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from examples._common import jitter  # noqa: E402

# What run(..., jit=True) compiles with oxnp.jit (shown by examples.demo).
JITTED = "the wave `sweep` (its while loop stays in Python); building the maze stays eager"
SIZES = {"small": (21, 31), "full": (101, 151)}
STEPS = [(-2, 0), (2, 0), (0, -2), (0, 2)]
DECAY = 0.99


def build_maze(np, height, width, mean_length=6.0):
    walls = np.zeros((height, width), dtype=bool)
    walls[0, :] = walls[-1, :] = True
    walls[:, 0] = walls[:, -1] = True
    while True:
        # Grow from a random wall point of the even lattice that still has a free lattice
        # neighbour; the walls stay one tree rooted in the border, so every free cell is
        # reachable and the corridors twist.  Stop when the lattice is full.
        lattice = walls[::2, ::2]
        free_nearby = np.zeros_like(lattice)
        free_nearby[1:] |= ~lattice[:-1]
        free_nearby[:-1] |= ~lattice[1:]
        free_nearby[:, 1:] |= ~lattice[:, :-1]
        free_nearby[:, :-1] |= ~lattice[:, 1:]
        ys, xs = np.nonzero(lattice & free_nearby)
        if len(ys) == 0:
            return walls
        k = np.random.randint(0, len(ys))
        y, x = 2 * ys[k], 2 * xs[k]
        # Island length is random around a mean so that corridors vary in length.
        for _ in range(max(1, int(np.random.normal(mean_length, mean_length / 2)))):
            dy, dx = STEPS[np.random.randint(0, 4)]
            ny, nx = y + dy, x + dx
            if 0 <= ny < height and 0 <= nx < width and not walls[ny, nx]:
                walls[ny, nx] = True
                walls[y + dy // 2, x + dx // 2] = True
                y, x = ny, nx


def sweep(np, value, open_inner):
    """One step of the wave: each free inner cell takes the best decayed neighbour."""
    best = np.maximum(np.maximum(value[:-2, 1:-1], value[2:, 1:-1]),
                      np.maximum(value[1:-1, :-2], value[1:-1, 2:]))
    value[1:-1, 1:-1] = np.where(open_inner,
                                 np.maximum(value[1:-1, 1:-1], DECAY * best), 0.0)


def run(np, size="small", jit=False):
    """jit=True (oxnp): the sweep is compiled by oxnp.jit (the wave loop stays in Python:
    its condition depends on the data)."""
    sweep_fn = jitter(np, jit)(sweep)
    height, width = SIZES[size]
    np.random.seed(2024)
    walls = build_maze(np, height, width)
    start, goal = (1, 1), (height - 2, width - 2)

    value = np.zeros((height, width))
    value[goal] = 1.0
    open_inner = ~walls[1:-1, 1:-1]
    iterations = 0
    # Data-dependent loop: one sweep per step of the wave, until it reaches the start.
    while value[start] == 0.0 and iterations < height * width:
        sweep_fn(np, value, open_inner)
        iterations += 1

    # value = DECAY**distance, so climbing it walks down the distance to the goal.
    moves = np.array([[-1, 0], [1, 0], [0, -1], [0, 1]])
    position = np.array(start)
    path = [position]
    while value[tuple(position)] < 1.0 and len(path) <= height * width:
        neighbours = position + moves
        position = neighbours[np.argmax(value[neighbours[:, 0], neighbours[:, 1]])]
        path.append(position)
    path = np.array(path)
    print(f"maze {height}x{width}: {int(walls.sum())} wall cells, wave reached the start "
          f"after {iterations} sweeps, path of {len(path)} cells")
    return dict(walls=walls, value=value, path=path, iterations=iterations)


def plot(np, results, path):
    walls, value, route = results["walls"], results["value"], results["path"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    ax1.imshow(walls, cmap="gray_r", interpolation="nearest")
    ax1.plot(route[:, 1], route[:, 0], color="red", linewidth=1.5)
    ax1.set_title(f"maze and shortest path ({len(route)} cells)")
    with np.errstate(divide="ignore"):
        distance = np.where(value > 0, np.log(value) / np.log(DECAY), np.nan)
    image = ax2.imshow(distance, cmap="viridis", interpolation="nearest")
    ax2.plot(route[:, 1], route[:, 0], color="white", linewidth=1)
    ax2.set_title(f"distance to goal after {results['iterations']} sweeps")
    fig.colorbar(image, ax=ax2, shrink=0.8)
    for ax in (ax1, ax2):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    from examples._common import main

    raise SystemExit(main("maze"))
