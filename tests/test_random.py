"""Differential tests of oxnp.random against numpy.random: same seed, same bits, same state."""

import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_np, to_ox

SEEDS = [0, 1, 12345, 2**32 - 1]
SIZES = [None, 0, 1, 5, (2, 3)]


def same_result(ours, ref):
    """Same type (Python number / array / scalar) and the same bits."""
    if isinstance(ref, numpy.ndarray):
        assert isinstance(ours, oxnp.ndarray), f"expected an array, got {type(ours)}"
        assert_same(ours, ref)
    elif type(ref) in (bytes, float, int):
        assert type(ours) is type(ref), f"{type(ours)} != {type(ref)}"
        if isinstance(ref, float):
            assert numpy.float64(ours).tobytes() == numpy.float64(ref).tobytes()
        else:
            assert ours == ref
    else:  # a NumPy scalar: oxnp's scalar types arrive with the merge; compare the value
        assert numpy.asarray(ours).item() == ref.item()


def same_legacy_state(ox_rs, np_rs):
    o, n = ox_rs.get_state(), np_rs.get_state()
    assert o[0] == n[0] == "MT19937"
    assert_same(o[1], n[1])
    assert o[2:] == n[2:]


def size_fits(args, size):
    """Whether `size` is a valid output shape for parameters `args` (else both raise)."""
    bshape = numpy.broadcast_shapes(*(numpy.shape(a) for a in args))
    if size is None or bshape == ():
        return True
    want = (size,) if isinstance(size, int) else size
    try:
        return numpy.broadcast_shapes(bshape, want) == want
    except ValueError:
        return False


def legacy_pair(seed):
    return oxnp.random.RandomState(seed), numpy.random.RandomState(seed)


def conv(v):
    return to_ox(v) if isinstance(v, numpy.ndarray) else v


# name -> list of argument tuples (NumPy arrays are converted with to_ox for oxnp)
A1 = numpy.array([0.5, 1.5, 3.0])
A2 = numpy.array([[1.0], [2.0]])
LEGACY = {
    "random_sample": [()],
    "random": [()],
    "standard_normal": [()],
    "standard_exponential": [()],
    "standard_cauchy": [()],
    "uniform": [(), (-2.0, 3.0), (A1, 5.0), (A2, A1)],
    "normal": [(), (1.0, 2.0), (A1, 2.0), (A2, A1)],
    "lognormal": [(0.5, 0.3), (A1, A2)],
    "exponential": [(), (2.0,), (A1,)],
    "standard_gamma": [(0.5,), (3.0,), (A1,)],
    "gamma": [(0.5, 2.0), (A1, A2)],
    "beta": [(0.5, 0.7), (2.0, 3.0), (A1, A2)],
    "chisquare": [(3.0,), (A1,)],
    "noncentral_chisquare": [(3.0, 1.5), (A1, 0.5)],
    "f": [(3.0, 5.0), (A1, A2)],
    "noncentral_f": [(3.0, 5.0, 1.0), (A1, 4.0, A2)],
    "standard_t": [(3.0,), (A1,)],
    "pareto": [(2.0,), (A1,)],
    "weibull": [(2.0,), (A1,)],
    "power": [(2.0,), (A1,)],
    "laplace": [(), (1.0, 2.0), (A1, A2)],
    "gumbel": [(), (A1, 2.0)],
    "logistic": [(), (A2, A1)],
    "rayleigh": [(), (A1,)],
    "wald": [(1.0, 2.0), (A1, A2)],
    "triangular": [(0.0, 0.5, 1.0), (A1 - 1, A1, A1 + 1)],
    "vonmises": [(0.0, 1.0), (1.0, 1e-9), (A1, A2)],
    "binomial": [(10, 0.3), (1000, 0.6), (numpy.array([3, 50, 500]), 0.4)],
    "poisson": [(), (3.0,), (50.0,), (A1,)],
    "negative_binomial": [(5, 0.5), (A1, 0.3)],
    "geometric": [(0.3,), (numpy.array([0.1, 0.9]),)],
    "logseries": [(0.5,), (numpy.array([0.1, 0.99]),)],
    "zipf": [(2.0,), (A1 + 1,)],
    "hypergeometric": [(5, 6, 4), (100, 200, 150), (numpy.array([5, 50]), 10, 8)],
    "randint": [(5,), (-3, 7), (0, 2**40), (numpy.array([3, 10, 100]),)],
}


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_distributions(name, seed):
    for args in LEGACY[name]:
        ours_args = tuple(conv(a) for a in args)
        for size in SIZES:
            if not size_fits(args, size):
                continue
            o, n = legacy_pair(seed)
            same_result(getattr(o, name)(*ours_args, size=size), getattr(n, name)(*args, size=size))
            same_legacy_state(o, n)


@pytest.mark.parametrize("seed", SEEDS)
def test_module_functions_and_cached_gaussian(seed):
    for name in ["ranf", "sample", "random_sample", "random"]:
        oxnp.random.seed(seed)
        numpy.random.seed(seed)
        same_result(getattr(oxnp.random, name)((2, 2)), getattr(numpy.random, name)((2, 2)))
    oxnp.random.seed(seed)
    numpy.random.seed(seed)
    for call in [("randn", (3,)), ("randn", (1,)), ("rand", ()), ("randint", (5,)),
                 ("normal", ()), ("rand", (2, 3)), ("randn", ())]:
        name, args = call
        same_result(getattr(oxnp.random, name)(*args), getattr(numpy.random, name)(*args))
        o, n = oxnp.random.get_state(), numpy.random.get_state()
        assert_same(o[1], n[1])
        assert o[2:] == n[2:]
    same_result(oxnp.random.normal(size=3), numpy.random.normal(size=3))


def test_state_round_trip():
    o, n = legacy_pair(7)
    o.randn()  # leaves a cached gaussian
    n.randn()
    st = o.get_state()
    a = o.randn(4)
    o.set_state(st)
    assert_same(o.randn(4), to_np(a))
    # a NumPy state tuple is accepted as is, dict form too
    o.set_state(n.get_state())
    same_result(o.randn(3), n.randn(3))
    d_o, d_n = o.get_state(legacy=False), n.get_state(legacy=False)
    assert set(d_o) == set(d_n)
    assert d_o["state"]["pos"] == d_n["state"]["pos"] and d_o["gauss"] == d_n["gauss"]
    o.set_state(d_n)
    same_result(o.rand(2), n.rand(2))


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32",
                                   "int64", "uint64", "bool"])
def test_randint_dtypes(dtype):
    hi = 2 if dtype == "bool" else 100
    for size in [None, 7, (2, 3)]:
        o, n = legacy_pair(3)
        same_result(o.randint(0, hi, size=size, dtype=dtype), n.randint(0, hi, size=size, dtype=dtype))
        same_legacy_state(o, n)


def test_random_integers_and_bytes():
    o, n = legacy_pair(11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        same_result(o.random_integers(5, size=6), n.random_integers(5, size=6))
        same_result(o.random_integers(-2, 2, size=3), n.random_integers(-2, 2, size=3))
    for k in [0, 1, 3, 4, 9]:
        same_result(o.bytes(k), n.bytes(k))
    same_legacy_state(o, n)


def test_legacy_choice_shuffle_permutation():
    pop = numpy.arange(10.0) * 1.5
    p = numpy.array([0.1, 0.0, 0.2, 0.05, 0.05, 0.1, 0.1, 0.2, 0.1, 0.1])
    for args, kw in [((10,), {}), ((10, 4), {}), ((10, 4), {"replace": False}),
                     ((10, (2, 2)), {"p": p}), ((10, 5), {"replace": False, "p": p}),
                     ((pop, 3), {}), ((pop,), {})]:
        o, n = legacy_pair(2)
        oargs = tuple(to_ox(a) if isinstance(a, numpy.ndarray) else a for a in args)
        okw = {k: to_ox(v) if isinstance(v, numpy.ndarray) else v for k, v in kw.items()}
        same_result(o.choice(*oargs, **okw), n.choice(*args, **kw))
        same_legacy_state(o, n)
    o, n = legacy_pair(4)
    same_result(o.permutation(9), n.permutation(9))
    x = numpy.arange(12.0).reshape(4, 3)
    same_result(o.permutation(to_ox(x)), n.permutation(x))
    ox_x = to_ox(x)
    o.shuffle(ox_x)
    n.shuffle(x)
    assert_same(ox_x, x)
    lo, ln = list(range(8)), list(range(8))
    o.shuffle(lo)
    n.shuffle(ln)
    assert lo == ln
    same_legacy_state(o, n)


def test_multinomial_dirichlet():
    for size in [None, 3, (2, 2)]:
        o, n = legacy_pair(9)
        pv = numpy.array([0.2, 0.3, 0.5])
        same_result(o.multinomial(20, to_ox(pv), size=size), n.multinomial(20, pv, size=size))
        same_result(o.dirichlet(to_ox(pv * 4), size=size), n.dirichlet(pv * 4, size=size))
        same_legacy_state(o, n)


def test_list_parameters():
    """1-D list parameters (nested lists and lists elsewhere need `array_from_py` from the merge)."""
    o, n = legacy_pair(5)
    same_result(o.normal([0.0, 1.0], 2.0), n.normal([0.0, 1.0], 2.0))
    same_result(o.multinomial(10, [0.5, 0.5]), n.multinomial(10, [0.5, 0.5]))
    same_result(o.choice(5, 3, p=[0.2] * 5), n.choice(5, 3, p=[0.2] * 5))


def raises_same(fo, fn):
    with pytest.raises(Exception) as eo:
        fo()
    with pytest.raises(Exception) as en:
        fn()
    assert type(eo.value) is type(en.value)
    assert str(eo.value) == str(en.value)


@pytest.mark.parametrize("call", [
    lambda r, c: r.normal(0, -1.0),
    lambda r, c: r.normal(0, c(numpy.array([1.0, -1.0]))),
    lambda r, c: r.exponential(-1.0),
    lambda r, c: r.randint(0),
    lambda r, c: r.randint(5, 3),
    lambda r, c: r.randint(-1, 5, dtype="uint8"),
    lambda r, c: r.uniform(0, numpy.inf),
    lambda r, c: r.beta(0.0, 1.0),
    lambda r, c: r.binomial(10, 1.5),
    lambda r, c: r.poisson(-1.0),
    lambda r, c: r.geometric(0.0),
    lambda r, c: r.zipf(1.0),
    lambda r, c: r.hypergeometric(2, 2, 5),
    lambda r, c: r.triangular(1.0, 0.0, 2.0),
    lambda r, c: r.choice(5, 6, replace=False),
    lambda r, c: r.choice(c(numpy.ones((2, 2)))),
    lambda r, c: r.choice(5, p=c(numpy.array([0.5, 0.5, 0.5, 0.0, 0.0]))),
    lambda r, c: r.choice(0),
    lambda r, c: r.normal(c(numpy.zeros(2)), c(numpy.ones(3))),
    lambda r, c: r.normal(0, c(numpy.ones(2)), size=3),
    lambda r, c: r.seed(-1),
    lambda r, c: r.seed(2**32),
    lambda r, c: r.seed(1.5),
])
def test_legacy_errors(call):
    o, n = legacy_pair(0)
    raises_same(lambda: call(o, to_ox), lambda: call(n, lambda a: a))
    same_legacy_state(o, n)


def test_seed_forms():
    for seed in [[1, 2, 3], [0], to_ox(numpy.array([5, 6], dtype=numpy.uint32))]:
        nseed = to_np(seed) if isinstance(seed, oxnp.ndarray) else seed
        o, n = oxnp.random.RandomState(seed), numpy.random.RandomState(nseed)
        same_result(o.rand(3), n.rand(3))
    a, b = oxnp.random.RandomState(), oxnp.random.RandomState()
    assert to_np(a.rand(4)).tolist() != to_np(b.rand(4)).tolist()


# ---- new API ------------------------------------------------------------------------------

BITGENS = ["PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"]


def same_bitgen_state(o, n):
    so, sn = o.state, n.state
    assert set(so) == set(sn)
    for k, v in sn.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                if isinstance(vv, numpy.ndarray):
                    assert_same(so[k][kk], vv)
                else:
                    assert so[k][kk] == vv
        elif isinstance(v, numpy.ndarray):
            assert_same(so[k], v)
        else:
            assert so[k] == v, k


@pytest.mark.parametrize("bg", BITGENS)
@pytest.mark.parametrize("seed", [0, 42, [1, 2], 2**100])
def test_bit_generators(bg, seed):
    o, n = getattr(oxnp.random, bg)(seed), getattr(numpy.random, bg)(seed)
    same_bitgen_state(o, n)
    same_result(o.random_raw(), n.random_raw())
    same_result(o.random_raw(5), n.random_raw(5))
    go, gn = oxnp.random.Generator(o), numpy.random.Generator(n)
    same_result(go.integers(0, 1000, size=3, dtype="uint32"), gn.integers(0, 1000, size=3, dtype="uint32"))
    same_bitgen_state(o, n)
    assert go.bit_generator is o
    st = n.state
    n.random_raw(3)
    o.state = st
    n.state = st
    same_result(o.random_raw(4), n.random_raw(4))
    for co, cn in zip(o.spawn(2), n.spawn(2)):
        assert type(co).__name__ == type(cn).__name__
        same_result(co.random_raw(2), cn.random_raw(2))


GEN = {
    "random": [()],
    "standard_normal": [()],
    "standard_exponential": [()],
    "normal": [(), (1.0, 2.0), (A1, A2)],
    "uniform": [(), (-1.0, 4.0), (A2 - 1, A1 + 2)],
    "exponential": [(), (A1,)],
    "standard_gamma": [(0.5,), (4.0,), (A1,)],
    "gamma": [(2.0, 3.0), (A1, A2)],
    "beta": [(0.3, 0.4), (A1, A2)],
    "poisson": [(), (7.0,), (A1,)],
    "integers": [(10,), (-5, 5), (0, 2**40), (numpy.array([3, 10, 100]),)],
}


@pytest.mark.parametrize("seed", [0, 7, 2**70])
@pytest.mark.parametrize("name", sorted(GEN))
def test_generator_methods(name, seed):
    for args in GEN[name]:
        ours_args = tuple(conv(a) for a in args)
        for size in SIZES:
            if not size_fits(args, size):
                continue
            go, gn = oxnp.random.default_rng(seed), numpy.random.default_rng(seed)
            same_result(getattr(go, name)(*ours_args, size=size), getattr(gn, name)(*args, size=size))
            same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_generator_dtypes_out_and_methods():
    go, gn = oxnp.random.default_rng(3), numpy.random.default_rng(3)
    for dt in ["float32", "float64"]:
        same_result(go.random(5, dtype=dt), gn.random(5, dtype=dt))
        same_result(go.standard_normal(5, dtype=dt), gn.standard_normal(5, dtype=dt))
        same_result(go.standard_exponential(5, dtype=dt), gn.standard_exponential(5, dtype=dt))
    for dt in ["float32", "float64"]:
        same_result(go.standard_exponential(4, dtype=dt, method="inv"), gn.standard_exponential(4, dtype=dt, method="inv"))
    for dt in ["int8", "uint16", "int32", "uint64", "bool"]:
        hi = 1 if dt == "bool" else 50
        same_result(go.integers(0, hi, 6, dtype=dt, endpoint=True), gn.integers(0, hi, 6, dtype=dt, endpoint=True))
    out_o, out_n = oxnp.zeros((2, 3)), numpy.zeros((2, 3))
    assert go.standard_normal(out=out_o) is out_o
    gn.standard_normal(out=out_n)
    assert_same(out_o, out_n)
    same_result(go.bytes(0), gn.bytes(0))
    same_result(go.bytes(7), gn.bytes(7))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_generator_choice_permutation_shuffle_permuted():
    x = numpy.arange(24.0).reshape(6, 4)
    p = numpy.array([0.1, 0.2, 0.3, 0.1, 0.2, 0.1])
    go, gn = oxnp.random.default_rng(5), numpy.random.default_rng(5)
    for args, kw in [((10,), {}), ((10, 4), {}), ((10, 4), {"replace": False}),
                     ((20000, 3000), {"replace": False}), ((10, 5), {"replace": False, "shuffle": False}),
                     ((6, (2, 2)), {"p": p}), ((6, 3), {"replace": False, "p": p}), ((x, 2), {}), ((x,), {})]:
        oargs = tuple(to_ox(a) if isinstance(a, numpy.ndarray) else a for a in args)
        okw = {k: to_ox(v) if isinstance(v, numpy.ndarray) else v for k, v in kw.items()}
        same_result(go.choice(*oargs, **okw), gn.choice(*args, **kw))
    same_result(go.permutation(8), gn.permutation(8))
    same_result(go.permutation(to_ox(x)), gn.permutation(x))
    xo, xn = to_ox(x), x.copy()
    go.shuffle(xo)
    gn.shuffle(xn)
    assert_same(xo, xn)
    for axis in [None, 0, 1, -1]:
        same_result(go.permuted(to_ox(x), axis=axis), gn.permuted(x, axis=axis))
    same_bitgen_state(go.bit_generator, gn.bit_generator)


def test_generator_errors():
    go, gn = oxnp.random.default_rng(1), numpy.random.default_rng(1)
    for f in [lambda g: g.normal(0, -1.0), lambda g: g.integers(5, 5), lambda g: g.choice(3, 4, replace=False),
              lambda g: g.random(dtype="int64"), lambda g: g.poisson(-1.0), lambda g: g.beta(-1.0, 1.0),
              lambda g: g.uniform(1.0, 0.0),
              lambda g: g.uniform(0.0, numpy.inf)]:
        raises_same(lambda: f(go), lambda: f(gn))


def test_default_rng_and_seed_sequence():
    g = oxnp.random.default_rng(9)
    assert oxnp.random.default_rng(g) is g
    bg = oxnp.random.PCG64(9)
    assert oxnp.random.default_rng(bg).bit_generator is bg
    for ent in [0, 123, 2**128 + 5, [1, 2, 3]]:
        so, sn = oxnp.random.SeedSequence(ent), numpy.random.SeedSequence(ent)
        assert so.entropy == sn.entropy and so.spawn_key == sn.spawn_key == ()
        assert so.pool_size == sn.pool_size
        for dt in ["uint32", "uint64"]:
            assert_same(so.generate_state(5, dt), sn.generate_state(5, dt))
        ko, kn = so.spawn(3), sn.spawn(3)
        assert so.n_children_spawned == sn.n_children_spawned == 3
        for a, b in zip(ko, kn):
            assert a.spawn_key == b.spawn_key
            assert_same(a.generate_state(4), b.generate_state(4))
    ss = numpy.random.SeedSequence(77, spawn_key=(1, 2))
    so = oxnp.random.SeedSequence(77, spawn_key=(1, 2))
    assert_same(so.generate_state(3), ss.generate_state(3))
    same_result(oxnp.random.default_rng(so).random(), numpy.random.default_rng(ss).random())
    for co, cn in zip(oxnp.random.default_rng(4).spawn(2), numpy.random.default_rng(4).spawn(2)):
        same_result(co.random(3), cn.random(3))
    a, b = oxnp.random.default_rng(), oxnp.random.default_rng()
    assert a.random() != b.random()
    assert isinstance(oxnp.random.default_rng().bit_generator.seed_seq.entropy, int)


# --- long fills: the bit generators' block boundaries -----------------------------------------------

@pytest.mark.parametrize("seed", [0, 99])
@pytest.mark.parametrize("n", [623, 624, 625, 1249, 5001])
def test_legacy_long_fills_and_state(seed, n):
    """Fills spanning several MT19937 regenerations (624 words each), with the Gaussian cache
    and the word position carried from one call to the next."""
    ox, ref = oxnp.random.RandomState(seed), numpy.random.RandomState(seed)
    for call in (lambda m: m.randn(n), lambda m: m.rand(n), lambda m: m.uniform(-2, 3, n),
                 lambda m: m.standard_normal(n + 1), lambda m: m.random_sample(3), lambda m: m.normal(1, 2, n)):
        same_result(call(ox), call(ref))
        same_legacy_state(ox, ref)


@pytest.mark.parametrize("bg", ["PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"])
def test_generator_long_fills_every_bit_generator(bg):
    ox = oxnp.random.Generator(getattr(oxnp.random, bg)(5))
    ref = numpy.random.Generator(getattr(numpy.random, bg)(5))
    for call in (lambda g: g.standard_normal(3001), lambda g: g.random(2001), lambda g: g.uniform(-1, 4, 1001),
                 lambda g: g.normal(2.0, 0.5, 999), lambda g: g.standard_normal(777, dtype='float32'),
                 lambda g: g.random(555, dtype='float32'), lambda g: g.standard_normal(),
                 lambda g: g.normal([1.0, 2.0], 3.0)):
        same_result(call(ox), call(ref))
    same_bitgen_state(ox.bit_generator, ref.bit_generator)
