"""Sweep of every oxnp.random method against numpy.random: NumPy ms, oxnp ms, ratio (same run).

Each case runs on a RandomState(0) / Generator(PCG64(0)) of each library, interleaved, best of
`--repeat` rounds (a round times enough calls to last ~20 ms). Both libraries draw the same
streams, so each does the same work. Run on a release build.

    python benches/bench_random_all.py [--repeat 5] [--filter SUBSTR] [--slow]

--slow prints only the rows with ratio > 1.0.
"""

import argparse
import time
import warnings

import numpy

import oxnp

N = 10**6


def _quiet(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return f(*args)


def _cases():
    a = numpy.linspace(0.5, 5.0, N)  # a positive parameter array (copied to each library below)
    p = numpy.linspace(0.05, 0.95, N)
    n_int = numpy.arange(N) % 100 + 1
    mat = numpy.arange(1000 * 100, dtype=float).reshape(1000, 100)
    small = 10
    L = []  # (name, kind, lambda r, arrs) with kind "rs" (RandomState) or "g" (Generator)

    def rs(name, f):
        L.append((name, "rs", f))

    def g(name, f):
        L.append((name, "g", f))

    # ---- legacy RandomState -------------------------------------------------------------
    rs("rand(N)", lambda r, x: r.rand(N))
    rs("randn(N)", lambda r, x: r.randn(N))
    rs("random(N)", lambda r, x: r.random(N))
    rs("random_sample(N)", lambda r, x: r.random_sample(N))
    rs("ranf(N) module", lambda r, x: x["m"].random.ranf(N))
    rs("sample(N) module", lambda r, x: x["m"].random.sample(N))
    rs("uniform(0,1,N)", lambda r, x: r.uniform(0.0, 1.0, N))
    rs("uniform(a,10)", lambda r, x: r.uniform(x["a"], 10.0))
    rs("normal(0,1,N)", lambda r, x: r.normal(0.0, 1.0, N))
    rs("normal(a,1.0)", lambda r, x: r.normal(x["a"], 1.0))
    rs("standard_normal(N)", lambda r, x: r.standard_normal(N))
    rs("randint(0,10,N)", lambda r, x: r.randint(0, 10, N))
    rs("randint(0,2**40,N)", lambda r, x: r.randint(0, 2**40, N))
    rs("randint(0,100,N,u1)", lambda r, x: r.randint(0, 100, N, dtype="u1"))
    rs("randint(0,n_int)", lambda r, x: r.randint(0, x["n"]))
    rs("random_integers(1,10,N)", lambda r, x: _quiet(r.random_integers, 1, 10, N))
    rs("choice(1000,N)", lambda r, x: r.choice(1000, N))
    rs("choice(N,1000,replace=F)", lambda r, x: r.choice(N, 1000, replace=False))
    rs("choice(100,N,p=p)", lambda r, x: r.choice(100, N, p=x["p100"]))
    rs("choice(100,50,F,p=p)", lambda r, x: r.choice(100, 50, replace=False, p=x["p100"]))
    rs("shuffle(arange(N))", lambda r, x: r.shuffle(x["ar"]))
    rs("shuffle(mat)", lambda r, x: r.shuffle(x["mat"]))
    rs("permutation(N)", lambda r, x: r.permutation(N))
    rs("permutation(mat)", lambda r, x: r.permutation(x["mat"]))
    rs("bytes(8N)", lambda r, x: r.bytes(8 * N))
    rs("standard_exponential(N)", lambda r, x: r.standard_exponential(N))
    rs("exponential(2,N)", lambda r, x: r.exponential(2.0, N))
    rs("exponential(a)", lambda r, x: r.exponential(x["a"]))
    rs("standard_gamma(2.5,N)", lambda r, x: r.standard_gamma(2.5, N))
    rs("standard_gamma(0.5,N)", lambda r, x: r.standard_gamma(0.5, N))
    rs("standard_gamma(a)", lambda r, x: r.standard_gamma(x["a"]))
    rs("gamma(2.5,2,N)", lambda r, x: r.gamma(2.5, 2.0, N))
    rs("beta(2,3,N)", lambda r, x: r.beta(2.0, 3.0, N))
    rs("beta(0.5,0.5,N)", lambda r, x: r.beta(0.5, 0.5, N))
    rs("binomial(100,0.3,N)", lambda r, x: r.binomial(100, 0.3, N))
    rs("binomial(10,0.3,N)", lambda r, x: r.binomial(10, 0.3, N))
    rs("binomial(n_int,0.3)", lambda r, x: r.binomial(x["n"], 0.3))
    rs("poisson(5,N)", lambda r, x: r.poisson(5.0, N))
    rs("poisson(100,N)", lambda r, x: r.poisson(100.0, N))
    rs("poisson(a)", lambda r, x: r.poisson(x["a"]))
    rs("geometric(0.3,N)", lambda r, x: r.geometric(0.3, N))
    rs("geometric(0.01,N)", lambda r, x: r.geometric(0.01, N))
    rs("lognormal(0,1,N)", lambda r, x: r.lognormal(0.0, 1.0, N))
    rs("laplace(0,1,N)", lambda r, x: r.laplace(0.0, 1.0, N))
    rs("logistic(0,1,N)", lambda r, x: r.logistic(0.0, 1.0, N))
    rs("gumbel(0,1,N)", lambda r, x: r.gumbel(0.0, 1.0, N))
    rs("multinomial(20,[.2]*5,N/10)", lambda r, x: r.multinomial(20, [0.2] * 5, N // 10))
    rs("multivariate_normal(3d,N/10)", lambda r, x: r.multivariate_normal(x["mu3"], x["cov3"], N // 10))
    rs("dirichlet([1,2,3],N/10)", lambda r, x: r.dirichlet([1.0, 2.0, 3.0], N // 10))
    rs("chisquare(3,N)", lambda r, x: r.chisquare(3.0, N))
    rs("noncentral_chisquare(3,2,N)", lambda r, x: r.noncentral_chisquare(3.0, 2.0, N))
    rs("f(5,10,N)", lambda r, x: r.f(5.0, 10.0, N))
    rs("noncentral_f(5,10,2,N)", lambda r, x: r.noncentral_f(5.0, 10.0, 2.0, N))
    rs("standard_t(3,N)", lambda r, x: r.standard_t(3.0, N))
    rs("standard_cauchy(N)", lambda r, x: r.standard_cauchy(N))
    rs("triangular(0,1,2,N)", lambda r, x: r.triangular(0.0, 1.0, 2.0, N))
    rs("weibull(1.5,N)", lambda r, x: r.weibull(1.5, N))
    rs("pareto(3,N)", lambda r, x: r.pareto(3.0, N))
    rs("power(3,N)", lambda r, x: r.power(3.0, N))
    rs("rayleigh(2,N)", lambda r, x: r.rayleigh(2.0, N))
    rs("vonmises(0,4,N)", lambda r, x: r.vonmises(0.0, 4.0, N))
    rs("wald(1,2,N)", lambda r, x: r.wald(1.0, 2.0, N))
    rs("zipf(2,N)", lambda r, x: r.zipf(2.0, N))
    rs("hypergeometric(50,70,30,N)", lambda r, x: r.hypergeometric(50, 70, 30, N))
    rs("hypergeometric(500,700,300,N)", lambda r, x: r.hypergeometric(500, 700, 300, N))
    rs("negative_binomial(5,0.3,N)", lambda r, x: r.negative_binomial(5, 0.3, N))
    rs("logseries(0.9,N)", lambda r, x: r.logseries(0.9, N))
    # per-call overhead
    rs("rand(10)", lambda r, x: r.rand(small))
    rs("randn(10)", lambda r, x: r.randn(small))
    rs("uniform(0,1,10)", lambda r, x: r.uniform(0.0, 1.0, small))
    rs("normal(0,1,10)", lambda r, x: r.normal(0.0, 1.0, small))
    rs("normal() scalar", lambda r, x: r.normal())
    rs("randint(0,10,10)", lambda r, x: r.randint(0, 10, small))
    rs("randint(0,10) scalar", lambda r, x: r.randint(0, 10))
    rs("exponential(2,10)", lambda r, x: r.exponential(2.0, small))
    rs("gamma(2.5,2,10)", lambda r, x: r.gamma(2.5, 2.0, small))
    rs("binomial(100,0.3,10)", lambda r, x: r.binomial(100, 0.3, small))
    rs("poisson(5,10)", lambda r, x: r.poisson(5.0, small))
    rs("choice(1000,10)", lambda r, x: r.choice(1000, small))
    rs("choice(10,3,replace=F)", lambda r, x: r.choice(10, 3, replace=False))
    rs("permutation(10)", lambda r, x: r.permutation(small))
    rs("beta(2,3,10)", lambda r, x: r.beta(2.0, 3.0, small))
    rs("hypergeometric(50,70,30,10)", lambda r, x: r.hypergeometric(50, 70, 30, small))
    rs("multinomial(20,[.2]*5,10)", lambda r, x: r.multinomial(20, [0.2] * 5, small))
    rs("multivariate_normal(3d,10)", lambda r, x: r.multivariate_normal(x["mu3"], x["cov3"], small))
    rs("dirichlet([1,2,3],10)", lambda r, x: r.dirichlet([1.0, 2.0, 3.0], small))

    # ---- Generator (PCG64) ----------------------------------------------------------------
    g("random(N)", lambda r, x: r.random(N))
    g("random(N,f4)", lambda r, x: r.random(N, dtype=numpy.float32))
    g("integers(0,10,N)", lambda r, x: r.integers(0, 10, N))
    g("integers(0,2**40,N)", lambda r, x: r.integers(0, 2**40, N))
    g("integers(0,100,N,u1)", lambda r, x: r.integers(0, 100, N, dtype=numpy.uint8))
    g("integers(0,n_int)", lambda r, x: r.integers(0, x["n"]))
    g("standard_normal(N)", lambda r, x: r.standard_normal(N))
    g("standard_normal(N,f4)", lambda r, x: r.standard_normal(N, dtype=numpy.float32))
    g("normal(0,1,N)", lambda r, x: r.normal(0.0, 1.0, N))
    g("normal(a,1.0)", lambda r, x: r.normal(x["a"], 1.0))
    g("uniform(0,1,N)", lambda r, x: r.uniform(0.0, 1.0, N))
    g("uniform(a,10)", lambda r, x: r.uniform(x["a"], 10.0))
    g("exponential(2,N)", lambda r, x: r.exponential(2.0, N))
    g("exponential(a)", lambda r, x: r.exponential(x["a"]))
    g("standard_exponential(N)", lambda r, x: r.standard_exponential(N))
    g("standard_exponential(N,f4)", lambda r, x: r.standard_exponential(N, dtype=numpy.float32))
    g("standard_exponential(N,inv)", lambda r, x: r.standard_exponential(N, method="inv"))
    g("standard_gamma(2.5,N)", lambda r, x: r.standard_gamma(2.5, N))
    g("standard_gamma(0.5,N)", lambda r, x: r.standard_gamma(0.5, N))
    g("standard_gamma(2.5,N,f4)", lambda r, x: r.standard_gamma(2.5, N, dtype=numpy.float32))
    g("standard_gamma(a)", lambda r, x: r.standard_gamma(x["a"]))
    g("gamma(2.5,2,N)", lambda r, x: r.gamma(2.5, 2.0, N))
    g("choice(1000,N)", lambda r, x: r.choice(1000, N))
    g("choice(N,1000,replace=F)", lambda r, x: r.choice(N, 1000, replace=False))
    g("choice(100,N,p=p)", lambda r, x: r.choice(100, N, p=x["p100"]))
    g("choice(100,50,F,p=p)", lambda r, x: r.choice(100, 50, replace=False, p=x["p100"]))
    g("permutation(N)", lambda r, x: r.permutation(N))
    g("permutation(mat)", lambda r, x: r.permutation(x["mat"]))
    g("shuffle(arange(N))", lambda r, x: r.shuffle(x["ar"]))
    g("shuffle(mat)", lambda r, x: r.shuffle(x["mat"]))
    g("permuted(mat,axis=1)", lambda r, x: r.permuted(x["mat"], axis=1))
    g("permuted(arange(N))", lambda r, x: r.permuted(x["ar"]))
    g("bytes(8N)", lambda r, x: r.bytes(8 * N))
    g("beta(2,3,N)", lambda r, x: r.beta(2.0, 3.0, N))
    g("beta(0.5,0.5,N)", lambda r, x: r.beta(0.5, 0.5, N))
    g("binomial(100,0.3,N)", lambda r, x: r.binomial(100, 0.3, N))
    g("binomial(10,0.3,N)", lambda r, x: r.binomial(10, 0.3, N))
    g("binomial(n_int,0.3)", lambda r, x: r.binomial(x["n"], 0.3))
    g("poisson(5,N)", lambda r, x: r.poisson(5.0, N))
    g("poisson(100,N)", lambda r, x: r.poisson(100.0, N))
    g("poisson(a)", lambda r, x: r.poisson(x["a"]))
    g("geometric(0.3,N)", lambda r, x: r.geometric(0.3, N))
    g("geometric(0.01,N)", lambda r, x: r.geometric(0.01, N))
    g("lognormal(0,1,N)", lambda r, x: r.lognormal(0.0, 1.0, N))
    g("laplace(0,1,N)", lambda r, x: r.laplace(0.0, 1.0, N))
    g("logistic(0,1,N)", lambda r, x: r.logistic(0.0, 1.0, N))
    g("gumbel(0,1,N)", lambda r, x: r.gumbel(0.0, 1.0, N))
    g("multinomial(20,[.2]*5,N/10)", lambda r, x: r.multinomial(20, [0.2] * 5, N // 10))
    g("multivariate_normal(3d,N/10)", lambda r, x: r.multivariate_normal(x["mu3"], x["cov3"], N // 10))
    g("multivariate_hypergeometric", lambda r, x: r.multivariate_hypergeometric([10, 20, 30], 15, N // 10))
    g("dirichlet([1,2,3],N/10)", lambda r, x: r.dirichlet([1.0, 2.0, 3.0], N // 10))
    g("dirichlet([.1,.2,.3],N/10)", lambda r, x: r.dirichlet([0.1, 0.2, 0.3], N // 10))
    g("chisquare(3,N)", lambda r, x: r.chisquare(3.0, N))
    g("noncentral_chisquare(3,2,N)", lambda r, x: r.noncentral_chisquare(3.0, 2.0, N))
    g("f(5,10,N)", lambda r, x: r.f(5.0, 10.0, N))
    g("noncentral_f(5,10,2,N)", lambda r, x: r.noncentral_f(5.0, 10.0, 2.0, N))
    g("standard_t(3,N)", lambda r, x: r.standard_t(3.0, N))
    g("standard_cauchy(N)", lambda r, x: r.standard_cauchy(N))
    g("triangular(0,1,2,N)", lambda r, x: r.triangular(0.0, 1.0, 2.0, N))
    g("weibull(1.5,N)", lambda r, x: r.weibull(1.5, N))
    g("pareto(3,N)", lambda r, x: r.pareto(3.0, N))
    g("power(3,N)", lambda r, x: r.power(3.0, N))
    g("rayleigh(2,N)", lambda r, x: r.rayleigh(2.0, N))
    g("vonmises(0,4,N)", lambda r, x: r.vonmises(0.0, 4.0, N))
    g("wald(1,2,N)", lambda r, x: r.wald(1.0, 2.0, N))
    g("zipf(2,N)", lambda r, x: r.zipf(2.0, N))
    g("hypergeometric(50,70,30,N)", lambda r, x: r.hypergeometric(50, 70, 30, N))
    g("hypergeometric(500,700,300,N)", lambda r, x: r.hypergeometric(500, 700, 300, N))
    g("negative_binomial(5,0.3,N)", lambda r, x: r.negative_binomial(5, 0.3, N))
    g("logseries(0.9,N)", lambda r, x: r.logseries(0.9, N))
    # per-call overhead
    g("random(10)", lambda r, x: r.random(small))
    g("random() scalar", lambda r, x: r.random())
    g("standard_normal(10)", lambda r, x: r.standard_normal(small))
    g("normal(0,1,10)", lambda r, x: r.normal(0.0, 1.0, small))
    g("normal() scalar", lambda r, x: r.normal())
    g("uniform(0,1,10)", lambda r, x: r.uniform(0.0, 1.0, small))
    g("integers(0,10,10)", lambda r, x: r.integers(0, 10, small))
    g("integers(0,10) scalar", lambda r, x: r.integers(0, 10))
    g("exponential(2,10)", lambda r, x: r.exponential(2.0, small))
    g("gamma(2.5,2,10)", lambda r, x: r.gamma(2.5, 2.0, small))
    g("binomial(100,0.3,10)", lambda r, x: r.binomial(100, 0.3, small))
    g("poisson(5,10)", lambda r, x: r.poisson(5.0, small))
    g("choice(1000,10)", lambda r, x: r.choice(1000, small))
    g("choice(10,3,replace=F)", lambda r, x: r.choice(10, 3, replace=False))
    g("permutation(10)", lambda r, x: r.permutation(small))
    g("beta(2,3,10)", lambda r, x: r.beta(2.0, 3.0, small))
    g("hypergeometric(50,70,30,10)", lambda r, x: r.hypergeometric(50, 70, 30, small))
    g("multinomial(20,[.2]*5,10)", lambda r, x: r.multinomial(20, [0.2] * 5, small))
    g("multivariate_normal(3d,10)", lambda r, x: r.multivariate_normal(x["mu3"], x["cov3"], small))
    g("dirichlet([1,2,3],10)", lambda r, x: r.dirichlet([1.0, 2.0, 3.0], small))
    g("default_rng(0)", lambda r, x: x["m"].random.default_rng(0))

    def inputs(m):
        return {
            "m": m,
            "a": m.asarray(a),
            "p": m.asarray(p),
            "n": m.asarray(n_int),
            "ar": m.arange(N),
            "mat": m.asarray(mat),
            "p100": m.asarray(numpy.arange(1, 101) / 5050.0),
            "mu3": m.asarray([0.0, 1.0, 2.0]),
            "cov3": m.asarray([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.5]]),
        }

    return L, inputs


def _round(f, number):
    t0 = time.perf_counter()
    for _ in range(number):
        f()
    return (time.perf_counter() - t0) / number


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--filter", default="")
    ap.add_argument("--slow", action="store_true")
    args = ap.parse_args()
    cases, inputs = _cases()
    xn, xo = inputs(numpy), inputs(oxnp)
    print(f"{'api':3s} {'case':34s} {'numpy ms':>10s} {'oxnp ms':>10s} {'ratio':>7s}")
    for name, kind, f in cases:
        label = f"{kind}.{name}"
        if args.filter and args.filter not in label:
            continue
        if kind == "rs":
            rn, ro = numpy.random.RandomState(0), oxnp.random.RandomState(0)
        else:
            rn, ro = numpy.random.Generator(numpy.random.PCG64(0)), oxnp.random.Generator(oxnp.random.PCG64(0))
        fn = lambda: f(rn, xn)  # noqa: E731
        fo = lambda: f(ro, xo)  # noqa: E731
        try:
            t1 = _round(fn, 1)
            number = max(1, min(20000, int(0.02 / max(t1, 1e-7))))
            tn = to = float("inf")
            for _ in range(args.repeat):
                tn = min(tn, _round(fn, number))
                to = min(to, _round(fo, number))
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"{kind:3s} {name:34s} error: {type(exc).__name__}: {exc}")
            continue
        ratio = to / tn
        if args.slow and ratio <= 1.0:
            continue
        print(f"{kind:3s} {name:34s} {tn * 1e3:10.4f} {to * 1e3:10.4f} {ratio:7.2f}", flush=True)


if __name__ == "__main__":
    main()
