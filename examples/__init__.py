"""The five seed programs: real NumPy programs that must give identical results on oxnp.

Each module has ``run(np, size="small") -> dict`` and ``plot(np, results, path)``;
``python -m examples.<name> --backend numpy|oxnp`` runs one, ``python -m examples.demo``
runs all five on both backends and compares them bit for bit.
"""

EXAMPLES = ("nn", "maze", "smoke", "mandelbrot", "kmeans")
