"""oxnp.random: NumPy's ``numpy.random`` namespace with NumPy's exact streams.

The module-level legacy functions draw from a hidden global ``RandomState``, as NumPy's do.
"""

from .._oxnp import (
    PCG64,
    PCG64DXSM,
    SFC64,
    BitGenerator,
    Generator,
    MT19937,
    Philox,
    RandomState,
    SeedSequence,
    default_rng,
)

_rand = RandomState()

_LEGACY = [
    "beta", "binomial", "bytes", "chisquare", "choice", "dirichlet", "exponential", "f",
    "gamma", "geometric", "get_state", "gumbel", "hypergeometric", "laplace", "logistic",
    "lognormal", "logseries", "multinomial", "multivariate_normal", "negative_binomial", "noncentral_chisquare",
    "noncentral_f", "normal", "pareto", "permutation", "poisson", "power", "rand", "randint",
    "randn", "random", "random_integers", "random_sample", "ranf", "rayleigh", "sample", "seed",
    "set_state", "shuffle", "standard_cauchy", "standard_exponential", "standard_gamma",
    "standard_normal", "standard_t", "triangular", "uniform", "vonmises", "wald", "weibull",
    "zipf",
]

for _name in _LEGACY:
    if _name not in ("seed", "ranf", "sample"):
        globals()[_name] = getattr(_rand, _name)
del _name


def ranf(size=None):
    """An alias of ``random_sample`` (a module function only, as in NumPy)."""
    return _rand.random_sample(size)


def sample(size=None):
    """An alias of ``random_sample`` (a module function only, as in NumPy)."""
    return _rand.random_sample(size)


def seed(seed=None):
    """Re-seed the global RandomState: legacy seeding for an MT19937; any other bit generator
    (after ``set_bit_generator``) takes the state of a new one of its kind built from ``seed``."""
    bg = _rand._bit_generator
    if isinstance(bg, MT19937):
        return _rand.seed(seed)
    bg.state = type(bg)(seed).state


def get_bit_generator():
    """The bit generator under the module-level legacy functions."""
    return _rand._bit_generator


def set_bit_generator(bitgen):
    """Make the module-level legacy functions draw from ``bitgen``."""
    _rand._bit_generator = bitgen


__all__ = _LEGACY + [
    "BitGenerator", "Generator", "MT19937", "PCG64", "PCG64DXSM", "Philox", "RandomState",
    "SFC64", "SeedSequence", "default_rng", "get_bit_generator", "set_bit_generator",
]
