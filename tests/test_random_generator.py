"""Differential tests of oxnp.random.Generator's distributions against NumPy 2.4's Generator:
same seed -> same bits, and the same bit-generator state afterwards; the same errors."""

import warnings

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oxnp
from helpers import assert_same, to_ox
from test_random import raises_same, same_bitgen_state, same_result, size_fits

SEEDS = [0, 1, 42, 2**32 - 1, 2**100 + 7]
SIZES = [None, 0, 1, 7, (2, 3)]

A1 = numpy.array([0.5, 1.5, 3.0])
A2 = numpy.array([[1.0], [2.0]])
P1 = numpy.array([0.1, 0.5, 0.9])
N1 = numpy.array([0, 5, 100])
N2 = numpy.array([[7], [2000]])

# name -> list of argument tuples (NumPy arrays are converted with to_ox for oxnp)
DISTS = {
    "lognormal": [(), (0.5, 0.3), (A1, A2)],
    "laplace": [(), (1.0, 2.0), (A1, A2)],
    "logistic": [(), (1.0, 2.0), (A1, A2)],
    "gumbel": [(), (1.0, 2.0), (A1, A2)],
    "chisquare": [(3.0,), (0.4,), (A1,)],
    "noncentral_chisquare": [(3.0, 1.5), (0.5, 2.0), (3.0, 0.0), (A1, 0.5), (A1, A2)],
    "f": [(3.0, 5.0), (A1, A2)],
    "noncentral_f": [(3.0, 5.0, 1.0), (0.7, 4.0, 2.0), (A1, 4.0, A2)],
    "standard_t": [(3.0,), (0.3,), (50.0,), (A1,)],
    "standard_cauchy": [()],
    "triangular": [(0.0, 0.5, 1.0), (-3.0, -3.0, 2.0), (A1 - 1, A1, A2 + 3)],
    "weibull": [(2.0,), (0.0,), (A1,)],
    "pareto": [(2.0,), (0.2,), (A1,)],
    "power": [(2.0,), (0.3,), (A1,)],
    "rayleigh": [(), (2.0,), (A1,)],
    "vonmises": [(0.0, 1.0), (1.0, 1e-9), (1.0, 1e-6), (-2.0, 4.0), (1.0, 2e6), (A1, A2), (0.0, 0.0)],
    "wald": [(1.0, 2.0), (3.0, 0.5), (A1, A2)],
    "binomial": [(10, 0.3), (100, 0.4), (1000, 0.7), (20, 0.95), (0, 0.5), (10, 0.0), (10, 1.0),
                 (N1, P1), (N2, P1), (10.7, 0.5)],
    "negative_binomial": [(5.0, 0.5), (0.5, 0.1), (100.0, 0.9), (A1, P1)],
    "geometric": [(0.5,), (0.1,), (1e-3,), (1.0,), (P1,)],
    "logseries": [(0.5,), (0.0,), (0.99,), (0.9999,), (P1,)],
    "zipf": [(2.0,), (1.1,), (5.0,), (1500.0,), (A1 + 1.5,)],
    "hypergeometric": [(10, 5, 3), (100, 200, 50), (5, 5, 10), (15, 15, 25), (1000, 5, 990),
                       (0, 5, 3), (N1 + 1, 50, 3), (N2, numpy.array([10, 40, 300]), 5)],
    "poisson": [(), (50.0,), (A1,)],
    "beta": [(1e-3, 1e-3), (0.5, 0.5), (5.0, 0.2), (1e-200, 1e-200), (1e-104, 3e-104), (3e-103, 1e-110),
             (1e-310, 0.5), (2.0, 1e-150)],
}


def conv(v):
    return to_ox(v) if isinstance(v, numpy.ndarray) else v


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(DISTS))
def test_distribution_streams(name, seed):
    for args in DISTS[name]:
        ours_args = tuple(conv(a) for a in args)
        for size in SIZES:
            if not size_fits(args, size):
                continue
            go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
            same_result(getattr(go, name)(*ours_args, size=size), getattr(gn, name)(*args, size=size))
            same_bitgen_state(go.bit_generator, gn.bit_generator)
            # a second call continues the same stream
            size2 = size if size is not None else (None if any(numpy.ndim(a) for a in args) else 3)
            same_result(getattr(go, name)(*ours_args, size=size2), getattr(gn, name)(*args, size=size2))
            same_bitgen_state(go.bit_generator, gn.bit_generator)


@pytest.mark.parametrize("bg", ["MT19937", "PCG64DXSM", "Philox", "SFC64"])
@pytest.mark.parametrize("name", ["binomial", "standard_t", "hypergeometric", "vonmises", "geometric",
                                  "multinomial", "dirichlet", "standard_cauchy"])
def test_other_bit_generators(bg, name):
    args = {"binomial": (50, 0.3), "standard_t": (2.5,), "hypergeometric": (40, 30, 20),
            "vonmises": (0.5, 3.0), "geometric": (0.2,), "multinomial": (20, [0.2, 0.3, 0.5]),
            "dirichlet": ([0.5, 2.0],), "standard_cauchy": ()}[name]
    go = oxnp.random.Generator(getattr(oxnp.random, bg)(99))
    gn = numpy.random.Generator(getattr(numpy.random, bg)(99))
    same_result(getattr(go, name)(*args, size=50), getattr(gn, name)(*args, size=50))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@pytest.mark.parametrize("seed", SEEDS)
def test_multinomial(seed):
    pv = numpy.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    cases = [
        ((20, [0.2, 0.3, 0.5]), None), ((20, [0.2, 0.3, 0.5]), 4), ((20, [0.2, 0.3, 0.5]), (2, 3)),
        ((1000, [0.1] * 10), 3), ((0, [0.5, 0.5]), 2), ((5, [1.0, 0.0, 0.0]), 2), ((5, [0.0, 0.0, 1.0]), 2),
        ((numpy.array([3, 30]), [0.5, 0.5]), None), ((numpy.array([[3], [30]]), pv), None),
        ((10, pv), None), ((10, pv), (4, 2)), ((numpy.array([[3], [30]]), [0.4, 0.6]), (2, 5)),
        ((7.9, [0.4, 0.6]), 2), ((numpy.int64(8), [0.4, 0.6]), None),
    ]
    for args, size in cases:
        go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
        same_result(go.multinomial(*(conv(a) for a in args), size=size), gn.multinomial(*args, size=size))
        same_bitgen_state(go.bit_generator, gn.bit_generator)


@pytest.mark.parametrize("seed", SEEDS)
def test_dirichlet(seed):
    for alpha in [[1.0, 2.0, 3.0], [0.5], [0.05, 0.02, 0.01], [0.01, 0.0, 0.03], [0.0, 0.0], [],
                  [0.2, 0.05], numpy.array([10.0, 0.3])]:
        for size in [None, 3, (2, 2)]:
            go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                same_result(go.dirichlet(conv(alpha), size=size), gn.dirichlet(alpha, size=size))
            same_bitgen_state(go.bit_generator, gn.bit_generator)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["marginals", "count"])
def test_multivariate_hypergeometric(seed, method):
    for colors, nsample in [([16, 8, 4], 6), ([16, 8, 4], 20), ([5, 0, 3], 8), ([100, 200, 50, 7], 90),
                            ([3], 2), ([10, 10], 0), ([], 0), (numpy.array([40, 25, 60]), 100)]:
        for size in [None, 4, (2, 3)]:
            go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
            same_result(go.multivariate_hypergeometric(conv(colors), nsample, size=size, method=method),
                        gn.multivariate_hypergeometric(colors, nsample, size=size, method=method))
            same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_binomial_long_streams():
    # BTPE's setup cache, the inversion bound restarts and rare tail paths over many draws
    for n, p in [(200, 0.3), (5000, 0.49), (60, 0.6), (25, 0.9), (2**40, 0.25)]:
        go, gn = oxnp.random.default_rng(2024), numpy.random.default_rng(2024)
        same_result(go.binomial(n, p, size=20000), gn.binomial(n, p, size=20000))
        same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_hypergeometric_long_streams():
    for args in [(500, 700, 300), (20, 30, 15), (1000, 1000, 1990), (10**8, 10**8, 10**6)]:
        go, gn = oxnp.random.default_rng(77), numpy.random.default_rng(77)
        same_result(go.hypergeometric(*args, size=5000), gn.hypergeometric(*args, size=5000))
        same_bitgen_state(go.bit_generator, gn.bit_generator)


ERRORS = [
    lambda g, c: g.lognormal(0, -1.0),
    lambda g, c: g.laplace(0, -1.0),
    lambda g, c: g.logistic(0, c(numpy.array([1.0, -1.0]))),
    lambda g, c: g.gumbel(0, -0.0),
    lambda g, c: g.chisquare(0.0),
    lambda g, c: g.chisquare(c(numpy.array([1.0, 0.0]))),
    lambda g, c: g.noncentral_chisquare(1.0, -1.0),
    lambda g, c: g.f(1.0, 0.0),
    lambda g, c: g.noncentral_f(1.0, 1.0, -2.0),
    lambda g, c: g.standard_t(-1.0),
    lambda g, c: g.triangular(1.0, 0.0, 2.0),
    lambda g, c: g.triangular(0.0, 3.0, 2.0),
    lambda g, c: g.triangular(1.0, 1.0, 1.0),
    lambda g, c: g.triangular(c(numpy.array([0.0, 2.0])), 1.0, 3.0),
    lambda g, c: g.weibull(-1.0),
    lambda g, c: g.pareto(0.0),
    lambda g, c: g.power(-1.0),
    lambda g, c: g.rayleigh(-1.0),
    lambda g, c: g.vonmises(0.0, -1.0),
    lambda g, c: g.wald(0.0, 1.0),
    lambda g, c: g.wald(1.0, -1.0),
    lambda g, c: g.binomial(-1, 0.5),
    lambda g, c: g.binomial(5, 1.5),
    lambda g, c: g.binomial(5, float("nan")),
    lambda g, c: g.binomial(c(numpy.array([5, 6])), c(numpy.array([0.5, numpy.nan]))),
    lambda g, c: g.binomial(c(numpy.array([5.0, 6.0])), 0.5),
    lambda g, c: g.negative_binomial(0.0, 0.5),
    lambda g, c: g.negative_binomial(float("nan"), 0.5),
    lambda g, c: g.negative_binomial(5.0, 0.0),
    lambda g, c: g.negative_binomial(1e20, 1e-5),
    lambda g, c: g.geometric(0.0),
    lambda g, c: g.geometric(1.5),
    lambda g, c: g.geometric(c(numpy.array([0.5, -0.5]))),
    lambda g, c: g.logseries(1.0),
    lambda g, c: g.logseries(float("nan")),
    lambda g, c: g.logseries(c(numpy.array([numpy.nan]))),
    lambda g, c: g.zipf(1.0),
    lambda g, c: g.zipf(float("nan")),
    lambda g, c: g.hypergeometric(-1, 5, 2),
    lambda g, c: g.hypergeometric(1, -5, 0),
    lambda g, c: g.hypergeometric(1, 5, 10),
    lambda g, c: g.hypergeometric(10**9, 5, 10),
    lambda g, c: g.hypergeometric(5, 5, -1),
    lambda g, c: g.hypergeometric(c(numpy.array([5, 1])), 5, 8),
    lambda g, c: g.multinomial(-1, [0.5, 0.5]),
    lambda g, c: g.multinomial(2, [0.5, 0.6, 0.1]),
    lambda g, c: g.multinomial(2, [[0.5, 0.6, 0.1]]),
    lambda g, c: g.multinomial(2, []),
    lambda g, c: g.multinomial(2, [numpy.nan, 0.5]),
    lambda g, c: g.multinomial(2, [-0.5, 0.5]),
    lambda g, c: g.multinomial(c(numpy.array([2, -1])), [0.5, 0.5]),
    lambda g, c: g.multinomial(3, [[0.2, 0.8], [0.5, 0.5]], size=3),
    lambda g, c: g.dirichlet([1.0, -1.0]),
    lambda g, c: g.multivariate_hypergeometric([1, 2], 4),
    lambda g, c: g.multivariate_hypergeometric([1, -2], 1),
    lambda g, c: g.multivariate_hypergeometric([[1, 2]], 1),
    lambda g, c: g.multivariate_hypergeometric([1.0, 2.0], 1),
    lambda g, c: g.multivariate_hypergeometric([1, 2], -1),
    lambda g, c: g.multivariate_hypergeometric([1, 2], 1.5),
    lambda g, c: g.multivariate_hypergeometric([1, 2], 1, method="x"),
    lambda g, c: g.multivariate_hypergeometric([10**9, 2], 1),
    lambda g, c: g.normal(c(numpy.zeros(3)), 1.0, size=(2, 2)),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors(call):
    go, gn = oxnp.random.default_rng(1), numpy.random.default_rng(1)
    raises_same(lambda: call(go, to_ox), lambda: call(gn, lambda a: a))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**64), n=st.integers(0, 10**6), p=st.floats(0.0, 1.0))
def test_binomial_hypothesis(seed, n, p):
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    same_result(go.binomial(n, p, size=40), gn.binomial(n, p, size=40))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**64), good=st.integers(0, 5000), bad=st.integers(0, 5000), frac=st.floats(0.0, 1.0))
def test_hypergeometric_hypothesis(seed, good, bad, frac):
    nsample = int((good + bad) * frac)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    same_result(go.hypergeometric(good, bad, nsample, size=30), gn.hypergeometric(good, bad, nsample, size=30))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**64), df=st.floats(1e-3, 1e3), a=st.floats(1.0001, 20.0),
       p=st.floats(1e-6, 1.0, exclude_max=True), kappa=st.floats(0.0, 1e7))
def test_continuous_hypothesis(seed, df, a, p, kappa):
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    for name, args in [("standard_t", (df,)), ("chisquare", (df,)), ("noncentral_chisquare", (df, a)),
                       ("f", (df, a)), ("zipf", (a,)), ("logseries", (p,)), ("geometric", (p,)),
                       ("vonmises", (a, kappa)), ("wald", (a, df)), ("negative_binomial", (df, max(p, 0.01))),
                       ("dirichlet", ([df, a, p],))]:
        same_result(getattr(go, name)(*args, size=6), getattr(gn, name)(*args, size=6))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


needs_linalg = pytest.mark.skipif(not all(hasattr(oxnp.linalg, f) for f in ("svd", "eigh", "cholesky")),
                                  reason="oxnp.linalg.svd/eigh/cholesky not merged yet")


def _mvn_expected(z, mean, method, dec):
    """NumPy's transform of the standard normals `z` with oxnp.linalg's factorisation `dec`
    (singular/eigenvector signs may legitimately differ from LAPACK's)."""
    if method == "svd":
        u, s, _ = dec
        return mean + z @ (u * numpy.sqrt(s)).T
    if method == "eigh":
        s, u = dec
        return mean + z @ (u * numpy.sqrt(abs(s))).T
    if method == "legacy":
        _, s, v = dec
        return z @ (numpy.sqrt(s)[:, None] * v) + mean
    return mean + z @ dec.T


@needs_linalg
@pytest.mark.parametrize("seed", SEEDS)
def test_multivariate_normal(seed):
    from helpers import to_np

    mean = numpy.array([1.0, -2.0, 0.5])
    cov = numpy.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.7]])
    decs = {"svd": oxnp.linalg.svd(to_ox(cov)), "eigh": oxnp.linalg.eigh(to_ox(cov)),
            "cholesky": oxnp.linalg.cholesky(to_ox(cov))}
    decs = {k: tuple(to_np(x) for x in v) if isinstance(v, tuple) else to_np(v) for k, v in decs.items()}
    decs["legacy"] = decs["svd"]
    ref_decs = {"svd": numpy.linalg.svd(cov), "eigh": numpy.linalg.eigh(cov), "cholesky": numpy.linalg.cholesky(cov)}
    ref_decs["legacy"] = ref_decs["svd"]
    for size in [None, 4, (2, 3)]:
        shape = (() if size is None else (size,) if isinstance(size, int) else size) + (3,)
        for method in ["svd", "eigh", "cholesky", "legacy"]:
            if method == "legacy":
                if seed >= 2**32:
                    continue
                go, gn = oxnp.random.RandomState(seed), numpy.random.RandomState(seed)
                a, b = go.multivariate_normal(mean, to_ox(cov), size=size), gn.multivariate_normal(mean, cov, size=size)
                z = numpy.random.RandomState(seed).standard_normal(shape).reshape(-1, 3)
            else:
                go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
                a = go.multivariate_normal(mean, to_ox(cov), size=size, method=method)
                b = gn.multivariate_normal(mean, cov, size=size, method=method)
                z = numpy.random.default_rng(seed).standard_normal(shape).reshape(-1, 3)
                same_bitgen_state(go.bit_generator, gn.bit_generator)
            assert a.shape == b.shape
            # NumPy's standard normals through oxnp.linalg's factor ...
            want = _mvn_expected(z, mean, method, decs[method]).reshape(b.shape)
            numpy.testing.assert_allclose(to_np(a), want, rtol=1e-10, atol=1e-12)
            # ... which is NumPy's answer wherever the factors agree (always for cholesky)
            ours_t, ref_t = _mvn_expected(z, mean, method, decs[method]), _mvn_expected(z, mean, method, ref_decs[method])
            if numpy.allclose(ours_t, ref_t, rtol=1e-10, atol=1e-12):
                numpy.testing.assert_allclose(to_np(a), b, rtol=1e-10, atol=1e-12)


@needs_linalg
def test_multivariate_normal_check_valid():
    bad = [[1.0, 2.0], [2.0, 1.0]]
    for g in [oxnp.random.default_rng(1), oxnp.random.RandomState(1)]:
        with pytest.warns(RuntimeWarning, match="covariance is not symmetric positive-semidefinite."):
            g.multivariate_normal([0.0, 0.0], bad)
        with pytest.raises(ValueError, match="covariance is not symmetric positive-semidefinite."):
            g.multivariate_normal([0.0, 0.0], bad, check_valid="raise")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            g.multivariate_normal([0.0, 0.0], bad, check_valid="ignore")


@pytest.mark.parametrize("call", [
    lambda g: g.multivariate_normal([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], method="qr"),
    lambda g: g.multivariate_normal([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]),
    lambda g: g.multivariate_normal([0.0, 0.0], [1.0, 0.0]),
    lambda g: g.multivariate_normal([0.0, 0.0, 1.0], [[1.0, 0.0], [0.0, 1.0]]),
    lambda g: g.multivariate_normal([0.0, 1j], [[1.0, 0.0], [0.0, 1.0]]),
])
def test_multivariate_normal_errors(call):
    raises_same(lambda: call(oxnp.random.default_rng(1)), lambda: call(numpy.random.default_rng(1)))


@pytest.mark.parametrize("seed", SEEDS)
def test_standard_gamma_dtype_out(seed):
    for shape in [0.5, 1.0, 3.7, 0.0, A1]:
        for dt in ["float32", "float64"]:
            for size in [None, 5, (2, 3)]:
                if not size_fits((shape,), size):
                    continue
                go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
                same_result(go.standard_gamma(conv(shape), size=size, dtype=dt),
                            gn.standard_gamma(shape, size=size, dtype=dt))
                same_bitgen_state(go.bit_generator, gn.bit_generator)
            for oshape in [(3,), (2, 3)]:
                oo, on = oxnp.zeros(oshape, dtype=dt), numpy.zeros(oshape, dtype=dt)
                go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
                assert go.standard_gamma(conv(shape), dtype=dt, out=oo) is oo
                gn.standard_gamma(shape, dtype=dt, out=on)
                assert_same(oo, on)
                same_bitgen_state(go.bit_generator, gn.bit_generator)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    raises_same(lambda: go.standard_gamma(-1.0, dtype="float32"), lambda: gn.standard_gamma(-1.0, dtype="float32"))
    raises_same(lambda: go.standard_gamma(1.0, dtype="int64"), lambda: gn.standard_gamma(1.0, dtype="int64"))


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**64), n=st.integers(0, 10**5),
       w=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_multinomial_hypothesis(seed, n, w):
    total = sum(w)
    p = [x / total for x in w] if total > 0 else [1.0 / len(w)] * len(w)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    try:
        ref = gn.multinomial(n, p, size=4)
    except ValueError:  # rounding can push sum(p[:-1]) past 1 + 1e-12
        raises_same(lambda: go.multinomial(n, p, size=4), lambda: numpy.random.default_rng(seed).multinomial(n, p, size=4))
        return
    same_result(go.multinomial(n, p, size=4), ref)
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**64), colors=st.lists(st.integers(0, 300), min_size=1, max_size=5),
       frac=st.floats(0.0, 1.0), method=st.sampled_from(["count", "marginals"]))
def test_multivariate_hypergeometric_hypothesis(seed, colors, frac, method):
    nsample = int(sum(colors) * frac)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    same_result(go.multivariate_hypergeometric(colors, nsample, size=3, method=method),
                gn.multivariate_hypergeometric(colors, nsample, size=3, method=method))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_nan_shape_parameters_terminate():
    # NumPy's Marsaglia-Tsang loop exits on a NaN shape and returns NaN; so must ours
    for name, args, kw in [("standard_gamma", (numpy.nan,), {}), ("standard_gamma", (numpy.nan,), {"dtype": "float32"}),
                           ("beta", (numpy.nan, 2.0), {}), ("standard_t", (numpy.nan,), {}),
                           ("chisquare", (numpy.nan,), {}), ("dirichlet", ([numpy.nan, 2.0],), {}),
                           ("gamma", (numpy.nan, 1.0), {}), ("wald", (numpy.nan, 1.0), {})]:
        go, gn = oxnp.random.default_rng(3), numpy.random.default_rng(3)
        same_result(getattr(go, name)(*args, size=3, **kw), getattr(gn, name)(*args, size=3, **kw))
        same_bitgen_state(go.bit_generator, gn.bit_generator)
    ro, rn = oxnp.random.RandomState(3), numpy.random.RandomState(3)
    same_result(ro.standard_gamma(numpy.nan, 3), rn.standard_gamma(numpy.nan, 3))
    assert ro.get_state()[2:] == rn.get_state()[2:]


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffle_permutation_axis(seed):
    x = numpy.arange(60.0).reshape(3, 4, 5)
    for axis in [0, 1, 2, -1, -2]:
        go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
        xo, xn = to_ox(x), x.copy()
        go.shuffle(xo, axis=axis)
        gn.shuffle(xn, axis=axis)
        assert_same(xo, xn)
        same_result(go.permutation(to_ox(x), axis=axis), gn.permutation(x, axis=axis))
        same_bitgen_state(go.bit_generator, gn.bit_generator)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    same_result(go.permutation(7, axis=1), gn.permutation(7, axis=1))
    raises_same(lambda: go.shuffle([1, 2, 3], axis=1), lambda: gn.shuffle([1, 2, 3], axis=1))
    for fo, fn in [(lambda: go.shuffle(to_ox(x), axis=3), lambda: gn.shuffle(x.copy(), axis=3)),
                   (lambda: go.permutation(to_ox(x), axis=-4), lambda: gn.permutation(x, axis=-4))]:
        with pytest.raises(oxnp.exceptions.AxisError) as eo:
            fo()
        with pytest.raises(numpy.exceptions.AxisError) as en:
            fn()
        assert str(eo.value) == str(en.value)
    same_bitgen_state(go.bit_generator, gn.bit_generator)


@pytest.mark.parametrize("seed", SEEDS)
def test_choice_axis(seed):
    x = numpy.arange(60).reshape(3, 4, 5)
    p4 = numpy.array([0.1, 0.2, 0.3, 0.4])
    for axis, size, kw in [(1, None, {}), (1, 2, {}), (2, (2, 3), {}), (-1, 3, {"replace": False}),
                           (1, (2, 2), {"replace": False}), (1, 3, {"p": p4}), (-2, (2,), {"p": p4, "replace": False}),
                           (0, 2, {})]:
        go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
        okw = {k: conv(v) for k, v in kw.items()}
        same_result(go.choice(to_ox(x), size, axis=axis, **okw), gn.choice(x, size, axis=axis, **kw))
        same_bitgen_state(go.bit_generator, gn.bit_generator)
    go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
    same_result(go.choice(5, 2, axis=3), gn.choice(5, 2, axis=3))
    raises_same(lambda: go.choice(to_ox(x), 2, axis=3), lambda: gn.choice(x, 2, axis=3))
