"""k-means (Lloyd's algorithm) on two Gaussian blobs of N points each.

Each iteration labels every point with its nearest centroid (one broadcast distance
computation for all points and centroids at once), then moves each centroid to the mean
of its points, until no label changes.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from examples._common import jitter  # noqa: E402

# What run(..., jit=True) compiles with oxnp.jit (shown by examples.demo).
JITTED = "the label step `assign`; the centroid means stay eager"
SIZES = {"small": 2000, "full": 1_000_000}
K = 2
MAX_ITERATIONS = 100  # Lloyd always converges; this only guards against a bug
PLOT_POINTS = 4000


def plot_stride(total):
    return max(1, total // PLOT_POINTS)


def assign(np, X, centroids):
    # (K, 1, 2) against (2N, 2) broadcasts to (K, 2N, 2): all distances in one go.
    return np.argmin(np.linalg.norm(X - centroids[:, None], axis=2), axis=0)


def run(np, size="small", jit=False):
    """jit=True (oxnp): the label step `assign` is compiled by oxnp.jit (one fused kernel:
    distances, short-axis norm and argmin); the centroid update stays eager."""
    label = jitter(np, jit)(assign)
    n = SIZES[size]
    np.random.seed(42)
    blob_a = np.random.randn(n, 2) * 0.8 + np.array([-1.0, -0.5])
    blob_b = np.random.normal(loc=[1.5, 1.0], scale=[0.6, 1.0], size=(n, 2))
    X = np.concatenate([blob_a, blob_b])

    # Start from two random data points: a poor start, so Lloyd has to work.
    centroids = X[np.random.randint(0, 2 * n, size=K)].copy()
    initial_centroids = centroids.copy()
    labels = label(np, X, centroids)
    iterations = 0
    while iterations < MAX_ITERATIONS:
        for k in range(K):
            centroids[k] = X[labels == k].mean(axis=0)
        new_labels = label(np, X, centroids)
        iterations += 1
        changed = int(np.count_nonzero(new_labels != labels))
        labels = new_labels
        if changed == 0:
            break
    sizes = np.bincount(labels, minlength=K)
    print(f"k-means on {2 * n} points: converged after {iterations} iterations; "
          f"cluster sizes {sizes}, centroids {centroids.round(4).tolist()}")
    return dict(labels=labels, centroids=centroids, initial_centroids=initial_centroids,
                iterations=iterations, sizes=sizes, sample=X[::plot_stride(len(X))])


def plot(np, results, path):
    labels, centroids = results["labels"], results["centroids"]
    sample, every = results["sample"], plot_stride(len(labels))
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(sample[:, 0], sample[:, 1], c=labels[::every], s=3, cmap="coolwarm")
    ax.scatter(results["initial_centroids"][:, 0], results["initial_centroids"][:, 1],
               marker="x", s=80, color="black", label="start")
    ax.scatter(centroids[:, 0], centroids[:, 1], marker="*", s=250, color="gold",
               edgecolor="black", label="converged")
    ax.set_title(f"k-means: {results['iterations']} Lloyd iterations")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    from examples._common import main

    raise SystemExit(main("kmeans"))
