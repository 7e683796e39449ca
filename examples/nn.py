"""Toy neural network from scratch: a 30-5-3 sigmoid net learns the letters A, B and C.

Each 5x6 bitmap (plus copies with one pixel flipped) is fed one sample at a time and the
weights are updated by backpropagation of the mean-squared error.  Every update is a
handful of operations on arrays of 3 to 150 elements, so this program measures the
per-call overhead of the array library rather than its throughput.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from examples._common import jitter  # noqa: E402

# 5 pixels wide, 6 tall, row by row.
A = [0, 1, 1, 1, 0,
     1, 0, 0, 0, 1,
     1, 0, 0, 0, 1,
     1, 1, 1, 1, 1,
     1, 0, 0, 0, 1,
     1, 0, 0, 0, 1]
B = [1, 1, 1, 1, 0,
     1, 0, 0, 0, 1,
     1, 1, 1, 1, 0,
     1, 0, 0, 0, 1,
     1, 0, 0, 0, 1,
     1, 1, 1, 1, 0]
C = [0, 1, 1, 1, 1,
     1, 0, 0, 0, 0,
     1, 0, 0, 0, 0,
     1, 0, 0, 0, 0,
     1, 0, 0, 0, 0,
     0, 1, 1, 1, 1]
LETTERS = "ABC"

# What run(..., jit=True) compiles with oxnp.jit (shown by examples.demo).
JITTED = "the whole training step `train_step` (forward, backprop, both weight updates)"
SIZES = {"small": dict(epochs=30, noisy_copies=4), "full": dict(epochs=100, noisy_copies=9)}
LEARNING_RATE = 0.1


def sigmoid(np, z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(np, W1, W2, x):
    """Hidden and output activations for one sample (30,) or a batch (n, 30).

    A sum of broadcast products rather than np.dot: BLAS may add in a CPU-dependent
    order, and the result must be bit-for-bit reproducible.
    """
    hidden = sigmoid(np, (x[..., :, None] * W1).sum(axis=-2))
    output = sigmoid(np, (hidden[..., :, None] * W2).sum(axis=-2))
    return hidden, output


def backprop(np, W2, hidden, out, y):
    """Output error and the gradients of mean((out - y)**2) through the two sigmoid layers."""
    err = out - y
    d_out = (2.0 / 3.0) * err * out * (1.0 - out)
    d_hidden = (W2 * d_out).sum(axis=1) * hidden * (1.0 - hidden)
    return err, d_out, d_hidden


def train_step(np, W1, W2, x, y):
    """One sample's gradient step: forward, backprop, both weight updates (in place).
    Returns the sample's squared error."""
    hidden, out = forward(np, W1, W2, x)
    err, d_out, d_hidden = backprop(np, W2, hidden, out, y)
    W2 -= LEARNING_RATE * np.outer(hidden, d_out)
    W1 -= LEARNING_RATE * np.outer(x, d_hidden)
    return np.mean(err**2)


def run(np, size="small", jit=False):
    """jit=True (oxnp): the whole training step `train_step` is compiled by oxnp.jit (traced
    once, then replayed: its 30-long sums are unrolled, `outer` is a broadcast product and
    the weight updates are done in place into W1 and W2)."""
    step_fn = jitter(np, jit)(train_step) if jit else None
    cfg = SIZES[size]
    epochs = cfg["epochs"]

    np.random.seed(1234)
    W1 = np.random.randn(30, 5)
    W2 = np.random.randn(5, 3)

    # Training set: each clean letter plus copies with one random pixel flipped, with the
    # letters interleaved so that consecutive updates do not all pull the same way.
    clean = np.array([A, B, C], dtype=float)
    flips = np.random.randint(0, 30, size=(cfg["noisy_copies"], 3))
    samples, labels = list(clean), [0, 1, 2]
    for copy in range(cfg["noisy_copies"]):
        for k in range(3):
            x = clean[k].copy()
            x[flips[copy, k]] = 1.0 - x[flips[copy, k]]
            samples.append(x)
            labels.append(k)
    X = np.array(samples)
    labels = np.array(labels)
    Y = np.eye(3)[labels]
    n = len(labels)

    loss = np.zeros(epochs)
    accuracy = np.zeros(epochs)
    report_every = max(1, epochs // 10)
    for epoch in range(epochs):
        total = 0.0
        for i in range(n):
            x, y = X[i], Y[i]
            total = total + (step_fn or train_step)(np, W1, W2, x, y)
        loss[epoch] = total / n
        _, out = forward(np, W1, W2, X)
        accuracy[epoch] = np.mean(np.argmax(out, axis=1) == labels)
        if (epoch + 1) % report_every == 0 or epoch == 0:
            print(f"epoch {epoch + 1:4d}  loss {loss[epoch]:.5f}  accuracy {accuracy[epoch]:.3f}")

    _, outputs = forward(np, W1, W2, clean)
    predictions = np.argmax(outputs, axis=1)
    for k, letter in enumerate(LETTERS):
        print(f"{letter} -> predicted {LETTERS[predictions[k]]}  outputs {np.round(outputs[k], 3)}")

    return dict(W1=W1, W2=W2, loss=loss, accuracy=accuracy, outputs=outputs,
                predictions=predictions)


def plot(np, results, path):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = np.arange(1, len(results["loss"]) + 1)
    ax1.plot(epochs, results["loss"])
    ax1.set(title="mean-squared loss", xlabel="epoch", yscale="log")
    ax2.plot(epochs, results["accuracy"], color="tab:green")
    ax2.set(title="training accuracy", xlabel="epoch", ylim=(0, 1.05))
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


if __name__ == "__main__":
    from examples._common import main

    raise SystemExit(main("nn"))
