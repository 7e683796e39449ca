"""Large-sample differential tests of oxnp.random against NumPy 2.4: tens of thousands of draws
per call, so that last-ulp differences on a few percent of draws and rarely taken branches
(beta's log-space path, float32 inverse exponentials, rejection tails) show up. Same seed ->
same bits, and the same bit-generator state afterwards."""

import numpy
import pytest

import oxnp
from helpers import to_np, to_ox
from test_random import same_bitgen_state, same_legacy_state

N = 20000
SEEDS = [0, 987654321]
BITGENS = ["PCG64", "MT19937", "Philox"]

S7 = numpy.linspace(0.1, 5.0, 7)
L7 = numpy.linspace(-3.0, 3.0, 7)


def same_bits(ours, ref):
    """Same dtype, shape and bits; on failure, how many draws differ and the first one."""
    ref = numpy.asarray(ref)
    got = to_np(ours) if isinstance(ours, oxnp.ndarray) else numpy.asarray(ours)
    assert (got.dtype, got.shape) == (ref.dtype, ref.shape)
    if got.tobytes() != ref.tobytes():
        g = got.reshape(-1).view(numpy.uint8).reshape(got.size, -1)
        r = ref.reshape(-1).view(numpy.uint8).reshape(ref.size, -1)
        bad = numpy.nonzero((g != r).any(axis=1))[0]
        i = bad[0]
        pytest.fail(f"{bad.size}/{ref.size} draws differ; first at {i}: "
                    f"ours {got.reshape(-1)[i]!r}, NumPy's {ref.reshape(-1)[i]!r}")


def conv(args, kwargs):
    return ([to_ox(a) if isinstance(a, numpy.ndarray) else a for a in args],
            {k: to_ox(v) if isinstance(v, numpy.ndarray) else v for k, v in kwargs.items()})


def c(*args, **kwargs):
    return args, kwargs


# Generator method -> calls; each regime is one NumPy branch (or an edge of one).
GEN = {
    "random": [c(N), c(N, dtype=numpy.float32)],
    "standard_normal": [c(N), c(N, dtype=numpy.float32)],
    "normal": [c(L7, S7, (N // 7, 7))],
    "uniform": [c(-2.5, 7.0, N)],
    "standard_exponential": [c(N, method=m, dtype=d) for m in ("zig", "inv")
                             for d in (numpy.float64, numpy.float32)],
    "exponential": [c(S7, (N // 7, 7))],
    "standard_gamma": [c(s, N, dtype=d) for s in (1e-3, 0.5, 1.0, 3.0)
                       for d in (numpy.float64, numpy.float32)],
    "gamma": [c(S7, S7[::-1], (N // 7, 7))],
    # a, b <= 1: Johnk's method; tiny a, b reach its log-space branch (U**(1/a) underflows)
    "beta": [c(1e-3, 1e-3, N), c(1e-5, 1e-5, N), c(0.002, 0.5, N), c(0.5, 0.5, N), c(2.0, 3.0, N)],
    # max(alpha) < 0.1 breaks sticks with beta draws (its log-space branch too)
    "dirichlet": [c([1e-3, 1e-3, 1e-3], N // 3), c([0.05, 0.01], N // 2), c([0.5, 2.0, 3.0], N // 3)],
    "binomial": [c(100, 0.1, N), c(1000, 0.5, N), c(10**6, 0.7, N), c(40, 0.75, N)],
    "poisson": [c(3.0, N), c(10.0, N), c(1e4, N), c(1e12, N)],
    "geometric": [c(0.01, N), c(0.5, N)],
    "negative_binomial": [c(0.5, 0.9, N), c(1000, 0.3, N)],
    "hypergeometric": [c(10, 5, 7, N), c(10**6, 10**6, 5000, N), c(600, 400, 900, N)],
    "multivariate_hypergeometric": [c([1000, 2000, 50], 300, N // 12, method=m) for m in ("marginals", "count")],
    "logseries": [c(0.01, N), c(0.999999, N)],
    "zipf": [c(1.0001, N), c(50.0, N)],
    "vonmises": [c(0.5, 1e-9, N), c(-1.0, 4.0, N), c(0.1, 1e6, N)],
    "wald": [c(3.0, 0.01, N)],
    "noncentral_chisquare": [c(0.5, 5.0, N), c(3.0, 0.5, N)],
    "noncentral_f": [c(3.0, 7.0, 2.0, N)],
    "standard_t": [c(0.5, N)],
    "triangular": [c(-1.0, 0.3, 2.0, N)],
    "weibull": [c(0.3, N)],
    "pareto": [c(0.3, N)],
    "power": [c(5.0, N)],
    "laplace": [c(L7, S7, (N // 7, 7))],
    "logistic": [c(L7, S7, (N // 7, 7))],
    "gumbel": [c(L7, S7, (N // 7, 7))],
    "lognormal": [c(L7, S7, (N // 7, 7))],
    "rayleigh": [c(S7, (N // 7, 7))],
    "multinomial": [c(1000, [0.01] * 50 + [0.5], N // 51)],
    "multivariate_normal": [c([1.0, 2.0], [[2.0, 0.3], [0.3, 1.0]], N // 2)],
    "integers": [c(0, 2**k + d, N, dtype=t) for k, t in ((7, "uint8"), (31, "int64"), (40, "uint64"))
                 for d in (0, 1)]
                + [c(-2**63, 2**63 - 1, N, endpoint=True), c(0, 2, N, dtype=bool)],
    "choice": [c(100, N, p=numpy.arange(1.0, 101.0) / 5050.0), c(10**5, 5000, replace=False),
               c(300, 200, replace=False, shuffle=False)],
    "permutation": [c(N)],
    "permuted": [c(numpy.arange(N).reshape(-1, 40), axis=1)],
}

LEGACY = {
    "rand": [c(4, N // 4)],
    "randn": [c(4, N // 4)],
    "standard_exponential": [c(N)],
    "standard_gamma": [c(s, N) for s in (1e-3, 0.5, 3.0)],
    "beta": [c(1e-3, 1e-3, N), c(2.0, 3.0, N)],
    "dirichlet": [c([1e-3, 1e-3, 1e-3], N // 3)],
    "binomial": [c(100, 0.1, N), c(1000, 0.5, N)],
    "poisson": [c(3.0, N), c(1e4, N)],
    "geometric": [c(0.01, N), c(0.5, N)],
    "hypergeometric": [c(10, 5, 7, N), c(10**6, 10**6, 5000, N)],
    "logseries": [c(0.999999, N)],
    "zipf": [c(1.0001, N)],
    "vonmises": [c(0.1, 1e6, N)],
    "noncentral_chisquare": [c(0.5, 5.0, N)],
    "randint": [c(0, 2**k + d, N, dtype=t) for k, t in ((7, "uint8"), (40, "int64")) for d in (0, 1)],
    "choice": [c(100, N, p=numpy.arange(1.0, 101.0) / 5050.0), c(10**5, 5000, replace=False)],
    "permutation": [c(N)],
}


def cases(table):
    return [pytest.param(name, a, k, id=f"{name}-{i}") for name, calls in table.items()
            for i, (a, k) in enumerate(calls)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bitgen", BITGENS)
@pytest.mark.parametrize("name,args,kwargs", cases(GEN))
def test_generator_bulk(name, args, kwargs, bitgen, seed):
    gn = numpy.random.Generator(getattr(numpy.random, bitgen)(seed))
    go = oxnp.random.Generator(getattr(oxnp.random, bitgen)(seed))
    oa, ok = conv(args, kwargs)
    same_bits(getattr(go, name)(*oa, **ok), getattr(gn, name)(*args, **kwargs))
    same_bitgen_state(go.bit_generator, gn.bit_generator)
    same_bits(go.random(10), gn.random(10))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,args,kwargs", cases(LEGACY))
def test_legacy_bulk(name, args, kwargs, seed):
    rn = numpy.random.RandomState(seed)
    ro = oxnp.random.RandomState(seed)
    oa, ok = conv(args, kwargs)
    same_bits(getattr(ro, name)(*oa, **ok), getattr(rn, name)(*args, **kwargs))
    same_legacy_state(ro, rn)
    same_bits(ro.random_sample(10), rn.random_sample(10))


@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32])
@pytest.mark.parametrize("method", ["zig", "inv"])
def test_standard_exponential_out_bulk(method, dtype):
    gn = numpy.random.default_rng(3)
    go = oxnp.random.default_rng(3)
    outn = numpy.empty((N // 10, 10), dtype)
    outo = oxnp.empty((N // 10, 10), dtype)
    gn.standard_exponential(method=method, dtype=dtype, out=outn)
    go.standard_exponential(method=method, dtype=dtype, out=outo)
    same_bits(outo, outn)
    same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_out_not_contiguous_message():
    outn = numpy.empty((10, 20))[:, ::2]
    outo = oxnp.empty((10, 20))[:, ::2]
    with pytest.raises(ValueError) as en:
        numpy.random.default_rng(0).random(out=outn)
    with pytest.raises(ValueError) as eo:
        oxnp.random.default_rng(0).random(out=outo)
    assert str(eo.value) == str(en.value)
