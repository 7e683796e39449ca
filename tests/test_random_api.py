"""Differential tests of the oxnp.random API around the streams: RandomState over any bit
generator, the global bit generator swap, pickling, legacy seeding errors, and the legacy
multinomial/dirichlet/randint/shuffle edge behaviour (oxnp against numpy, same seeds)."""

import pickle
import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_np, to_ox

BITGENS = ["MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"]


def same(ours, ref):
    if isinstance(ref, numpy.ndarray):
        assert isinstance(ours, oxnp.ndarray)
        assert_same(ours, ref)
    else:
        assert type(ours) is type(ref), f"{type(ours)} != {type(ref)}"
        if isinstance(ref, float):
            assert numpy.float64(ours).tobytes() == numpy.float64(ref).tobytes()
        else:
            assert ours == ref


def same_ox(a, b):
    """Two oxnp results with the same dtype, shape and bits."""
    assert_same(a, to_np(b))


def both_raise(exc, f_ox, f_np, match=None):
    with pytest.raises(exc) as e_np:
        f_np()
    with pytest.raises(exc) as e_ox:
        f_ox()
    assert str(e_ox.value) == str(e_np.value)
    if match is not None:
        assert match in str(e_ox.value)


def rs_pair(bg, seed=123):
    return (oxnp.random.RandomState(getattr(oxnp.random, bg)(seed)),
            numpy.random.RandomState(getattr(numpy.random, bg)(seed)))


LEGACY_CALLS = [
    ("random_sample", (), {"size": 7}),
    ("random_sample", (), {}),
    ("standard_normal", (), {"size": 5}),
    ("standard_normal", (), {}),
    ("normal", (1.0, 2.0), {"size": 3}),
    ("randn", (2, 2), {}),
    ("randint", (0, 1000), {"size": 9}),
    ("randint", (-5, 5), {"size": 6, "dtype": "int8"}),
    ("randint", (0, 2**40), {"size": 4, "dtype": "uint64"}),
    ("tomaxint", (), {"size": 4}),
    ("standard_exponential", (), {"size": 4}),
    ("exponential", (2.0,), {"size": 3}),
    ("uniform", (-1.0, 3.0), {"size": 5}),
    ("standard_gamma", (0.5,), {"size": 5}),
    ("gamma", (3.0, 2.0), {"size": 5}),
    ("beta", (0.5, 0.7), {"size": 4}),
    ("binomial", (20, 0.3), {"size": 6}),
    ("binomial", (2000, 0.6), {"size": 3}),
    ("poisson", (4.0,), {"size": 6}),
    ("poisson", (40.0,), {"size": 4}),
    ("negative_binomial", (3.5, 0.4), {"size": 4}),
    ("geometric", (0.2,), {"size": 4}),
    ("hypergeometric", (10, 5, 7), {"size": 4}),
    ("logseries", (0.7,), {"size": 4}),
    ("zipf", (2.5,), {"size": 4}),
    ("vonmises", (0.5, 2.0), {"size": 4}),
    ("standard_t", (5.0,), {"size": 4}),
    ("chisquare", (3.0,), {"size": 3}),
    ("noncentral_chisquare", (3.0, 1.5), {"size": 3}),
    ("wald", (1.0, 2.0), {"size": 3}),
    ("triangular", (0.0, 1.0, 3.0), {"size": 3}),
    ("laplace", (0.0, 2.0), {"size": 3}),
    ("multinomial", (20, [0.2, 0.3, 0.5]), {"size": 3}),
    ("dirichlet", ([0.5, 2.0, 3.0],), {"size": 2}),
    ("choice", (10,), {"size": 5}),
    ("choice", (10,), {"size": 4, "replace": False}),
    ("choice", (4,), {"size": 6, "p": [0.1, 0.2, 0.3, 0.4]}),
    ("permutation", (8,), {}),
    ("bytes", (11,), {}),
]


@pytest.mark.parametrize("bg", BITGENS)
@pytest.mark.parametrize("name,args,kw", LEGACY_CALLS, ids=[f"{c[0]}{i}" for i, c in enumerate(LEGACY_CALLS)])
def test_randomstate_over_bitgen_streams(bg, name, args, kw):
    o, n = rs_pair(bg)
    for _ in range(2):  # twice: cached Gaussian / half words carry over
        same(getattr(o, name)(*args, **kw), getattr(n, name)(*args, **kw))
    same(o.random_sample(3), n.random_sample(3))
    so, sn = o.get_state(legacy=False), n.get_state(legacy=False)
    assert so["bit_generator"] == sn["bit_generator"] == bg
    assert so["has_gauss"] == sn["has_gauss"] and so["gauss"] == sn["gauss"]


@pytest.mark.parametrize("bg", BITGENS)
def test_randomstate_shares_its_bitgen(bg):
    b_ox, b_np = getattr(oxnp.random, bg)(7), getattr(numpy.random, bg)(7)
    o, n = oxnp.random.RandomState(b_ox), numpy.random.RandomState(b_np)
    assert o._bit_generator is b_ox
    same(o.randint(0, 100, size=3), n.randint(0, 100, size=3))
    # draws through the RandomState advance the bit generator object itself
    same(oxnp.random.Generator(b_ox).random(4), numpy.random.Generator(b_np).random(4))
    same(o.standard_normal(3), n.standard_normal(3))


def test_get_state_warning_and_shape():
    o, n = rs_pair("PCG64")
    o.standard_normal()
    n.standard_normal()
    with pytest.warns(RuntimeWarning, match="get_state and legacy can only be used"):
        so = o.get_state()
    with pytest.warns(RuntimeWarning):
        sn = n.get_state()
    assert isinstance(so, dict) and list(so) == list(sn)
    assert so["state"] == sn["state"] and so["gauss"] == sn["gauss"] and so["has_gauss"] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(o.get_state(legacy=False)) == list(sn)
    t_ox, t_np = oxnp.random.RandomState(3).get_state(), numpy.random.RandomState(3).get_state()
    assert t_ox[0] == "MT19937" and t_ox[2:] == t_np[2:]
    assert_same(t_ox[1], t_np[1])


def test_set_state_roundtrip_other_bitgen():
    o, n = rs_pair("Philox", 5)
    o.standard_normal()
    n.standard_normal()
    st = o.get_state(legacy=False)
    a = o.standard_normal(5)
    o.set_state(st)
    same_ox(o.standard_normal(5), a)
    n.standard_normal(5)
    same(o.random_sample(2), n.random_sample(2))


def test_set_state_errors():
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    st_o, st_n = o.get_state(), n.get_state()
    both_raise(ValueError, lambda: o.set_state(("Unknown",) + st_o[1:]), lambda: n.set_state(("Unknown",) + st_n[1:]))
    d_o, d_n = o.get_state(legacy=False), n.get_state(legacy=False)
    del d_o["bit_generator"], d_n["bit_generator"]
    both_raise(ValueError, lambda: o.set_state(d_o), lambda: n.set_state(d_n))
    both_raise(TypeError, lambda: o.set_state(5), lambda: n.set_state(5))
    # an MT19937 state into a PCG64-backed RandomState: the bit generator's message
    p_o, p_n = rs_pair("PCG64")
    both_raise(ValueError, lambda: p_o.set_state(st_o), lambda: p_n.set_state(st_n))
    # old 3-tuples without the Gaussian
    o.set_state(st_o[:3])
    n.set_state(st_n[:3])
    same(o.standard_normal(3), n.standard_normal(3))


@pytest.mark.parametrize("bg", BITGENS)
def test_bitgen_state_wrong_name(bg):
    b_ox, b_np = getattr(oxnp.random, bg)(1), getattr(numpy.random, bg)(1)

    def put(b):
        b.state = {"bit_generator": "X", "state": {}}

    both_raise(ValueError, lambda: put(b_ox), lambda: put(b_np))


def test_seed_errors():
    R_ox, R_np = oxnp.random.RandomState, numpy.random.RandomState
    for bad in ([[1, 2, 3]], [[1, 2], [3, 4]], [], [-1], [2**32], -1, 2**32, -0.5, [1.5], 2.5):
        ox_bad = to_ox(numpy.asarray(bad)) if isinstance(bad, numpy.ndarray) else bad
        with pytest.raises(Exception) as e_np:
            R_np(bad)
        with pytest.raises(type(e_np.value)):
            R_ox(ox_bad)
    both_raise(ValueError, lambda: R_ox(oxnp.array([], dtype=oxnp.int64)), lambda: R_np(numpy.array([], dtype=numpy.int64)))
    both_raise(ValueError, lambda: R_ox([[1, 2]]), lambda: R_np([[1, 2]]))
    both_raise(ValueError, lambda: R_ox(oxnp.random.MT19937), lambda: R_np(numpy.random.MT19937))
    both_raise(ValueError, lambda: R_ox(oxnp.random.PCG64), lambda: R_np(numpy.random.PCG64))
    both_raise(TypeError, lambda: R_ox(oxnp.random.PCG64(0)).seed(1), lambda: R_np(numpy.random.PCG64(0)).seed(1))


SEED_FORMS = [
    lambda m: 5, lambda m: True, lambda m: m.uint64(7), lambda m: [5], lambda m: [1, 2], lambda m: range(10),
    # ndarrays are squeezed first: array([5]) and array([[7]]) seed like the integers
    lambda m: m.array([5]), lambda m: m.array([[7]]), lambda m: m.array([[1, 2]]), lambda m: m.arange(10),
]


@pytest.mark.parametrize("form", SEED_FORMS)
def test_seed_forms(form):
    o, n = oxnp.random.RandomState(form(oxnp)), numpy.random.RandomState(form(numpy))
    same(o.randint(1000, size=3), n.randint(1000, size=3))
    o.standard_normal()
    n.standard_normal()
    o.seed(form(oxnp))
    n.seed(form(numpy))
    same(o.standard_normal(3), n.standard_normal(3))


def test_repr_str():
    r = oxnp.random.RandomState(1)
    assert str(r) == "RandomState(MT19937)"
    assert repr(r) == f"RandomState(MT19937) at 0x{id(r):X}"
    assert str(oxnp.random.RandomState(oxnp.random.PCG64(1))) == "RandomState(PCG64)"
    g = oxnp.random.default_rng(1)
    assert str(g) == str(numpy.random.default_rng(1)) == "Generator(PCG64)"
    assert repr(g) == f"Generator(PCG64) at 0x{id(g):X}"
    assert repr(oxnp.random.SeedSequence(5, spawn_key=(1, 2))) == repr(numpy.random.SeedSequence(5, spawn_key=(1, 2)))


def test_tomaxint_poisson_lam_max():
    o, n = oxnp.random.RandomState(1234567890), numpy.random.RandomState(1234567890)
    same(o.tomaxint(), n.tomaxint())
    same(o.tomaxint(size=(3, 2)), n.tomaxint(size=(3, 2)))
    assert o._poisson_lam_max == n._poisson_lam_max


def _global_state_ox():
    return oxnp.random.get_state(legacy=False)


@pytest.fixture
def restore_global():
    orig = oxnp.random.get_bit_generator()
    st = orig.state
    yield
    oxnp.random.set_bit_generator(orig)
    orig.state = st


def test_get_set_bit_generator(restore_global):
    bg = oxnp.random.PCG64(98765)
    oxnp.random.set_bit_generator(bg)
    assert oxnp.random.get_bit_generator() is bg
    vals = oxnp.random.randint(0, 2**30, 10)
    same(vals, numpy.random.RandomState(numpy.random.PCG64(98765)).randint(0, 2**30, 10))
    assert _global_state_ox()["bit_generator"] == "PCG64"
    # module seed() on a non-MT19937 bit generator: the state of a new one from that seed
    oxnp.random.seed(1)
    assert bg.state == numpy.random.PCG64(1).state
    same(oxnp.random.random_sample(3), numpy.random.RandomState(numpy.random.PCG64(1)).random_sample(3))
    with pytest.raises(ValueError, match="state must be for a PCG64"):
        oxnp.random.set_state(oxnp.random.RandomState(1).get_state())


def test_global_seed_mt(restore_global):
    oxnp.random.seed(42)
    numpy_rs = numpy.random.RandomState(42)
    same(oxnp.random.standard_normal(3), numpy_rs.standard_normal(3))
    assert oxnp.random.get_bit_generator().seed_seq is None


@pytest.mark.parametrize("bg", [None] + BITGENS)
def test_pickle_randomstate(bg):
    r = oxnp.random.RandomState(3) if bg is None else oxnp.random.RandomState(getattr(oxnp.random, bg)(3))
    r.random_sample(10)
    r.standard_normal()
    r2 = pickle.loads(pickle.dumps(r))
    assert type(r2) is oxnp.random.RandomState
    assert type(r2._bit_generator) is type(r._bit_generator)
    same_ox(r2.standard_normal(5), r.standard_normal(5))
    same_ox(r2.randint(0, 1000, 5), r.randint(0, 1000, 5))


def test_randomstate_getstate_setstate():
    r = oxnp.random.RandomState(1234567890)
    st = r.__getstate__()
    a = r.standard_normal(3)
    r.__setstate__(st)
    same_ox(r.standard_normal(3), a)
    ctor, args, state = r.__reduce__()
    assert args[0] is r._bit_generator
    b = ctor("MT19937")
    b.set_state(state)
    same_ox(b.standard_normal(3), r.standard_normal(3))


@pytest.mark.parametrize("bg", BITGENS)
def test_pickle_bitgen_and_generator(bg):
    b = getattr(oxnp.random, bg)(11)
    b.random_raw(3)
    b2 = pickle.loads(pickle.dumps(b))
    assert type(b2) is type(b)
    same_ox(b2.random_raw(4), b.random_raw(4))
    assert b2.seed_seq.entropy == b.seed_seq.entropy == 11
    g = oxnp.random.Generator(getattr(oxnp.random, bg)(12))
    g.standard_normal(3)
    g2 = pickle.loads(pickle.dumps(g))
    assert type(g2.bit_generator) is type(g.bit_generator)
    same_ox(g2.standard_normal(5), g.standard_normal(5))


def test_pickle_seed_sequence():
    ss = oxnp.random.SeedSequence(5, spawn_key=(1, 2))
    ss.spawn(3)
    s2 = pickle.loads(pickle.dumps(ss))
    assert s2.entropy == 5 and s2.spawn_key == (1, 2) and s2.n_children_spawned == 3
    same_ox(s2.generate_state(4), ss.generate_state(4))
    assert_same(s2.spawn(1)[0].generate_state(2), numpy.random.SeedSequence(5, spawn_key=(1, 2, 3)).generate_state(2))


def test_legacy_seeded_bitgen_cannot_spawn():
    with pytest.raises(TypeError, match="does not implement spawning"):
        oxnp.random.RandomState(5)._bit_generator.spawn(1)


SIZES = [lambda m: m.uint32(1), lambda m: [2, 2], lambda m: (2, 2), lambda m: m.array((2, 2)), lambda m: m.array(3)]


@pytest.mark.parametrize("size", SIZES)
def test_multinomial_dirichlet_size(size):
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    same(o.multinomial(10, [0.5, 0.5], size(oxnp)), n.multinomial(10, [0.5, 0.5], size(numpy)))
    same(o.dirichlet([1.0, 2.0], size(oxnp)), n.dirichlet([1.0, 2.0], size(numpy)))
    same(o.normal(size=size(oxnp)), n.normal(size=size(numpy)))
    both_raise(TypeError, lambda: o.multinomial(1, [0.5, 0.5], 1.0), lambda: n.multinomial(1, [0.5, 0.5], 1.0))
    both_raise(TypeError, lambda: o.dirichlet([0.5, 0.5], 1.0), lambda: n.dirichlet([0.5, 0.5], 1.0))


def test_multinomial_n_and_pvals_errors():
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    for nn in (100.5, 2.7, oxnp.array(5)):
        nn_np = numpy.array(5) if isinstance(nn, oxnp.ndarray) else nn
        same(o.multinomial(nn, [0.2, 0.8]), n.multinomial(nn_np, [0.2, 0.8]))
    for nn in ("3", None):
        both_raise(TypeError, lambda: o.multinomial(nn, [0.2, 0.8]), lambda: n.multinomial(nn, [0.2, 0.8]))
    both_raise(ValueError, lambda: o.multinomial(-1.5, [0.2, 0.8]), lambda: n.multinomial(-1.5, [0.2, 0.8]))
    both_raise(ValueError, lambda: o.multinomial(5, [1.1, 0.2]), lambda: n.multinomial(5, [1.1, 0.2]))
    both_raise(ValueError, lambda: o.multinomial(5, [0.7, 0.7, 0.1]), lambda: n.multinomial(5, [0.7, 0.7, 0.1]))
    x = numpy.array([9.9e-01, 9.9e-01, 1.0e-09, 1.0e-09, 1.0e-09, 1.0e-09, 1.0e-09, 1.0e-09, 1.0e-09, 1.0e-09], dtype=numpy.float32)
    xo = to_ox(x)
    both_raise(ValueError, lambda: o.multinomial(1, xo / xo.sum()), lambda: n.multinomial(1, x / x.sum()),
               match="pvals array is cast to 64-bit floating")


def test_dirichlet_alpha_checks():
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    both_raise(ValueError, lambda: o.dirichlet(oxnp.array([5.4e-01, -1.0e-16])), lambda: n.dirichlet(numpy.array([5.4e-01, -1.0e-16])))
    both_raise(ValueError, lambda: o.dirichlet([0.0, 1.0]), lambda: n.dirichlet([0.0, 1.0]))
    both_raise(ValueError, lambda: o.dirichlet(oxnp.array([[5.0, 1.0], [1.0, 5.0]])), lambda: n.dirichlet(numpy.array([[5.0, 1.0], [1.0, 5.0]])))
    both_raise(ValueError, lambda: o.dirichlet([[5.0, 1.0]]), lambda: n.dirichlet([[5.0, 1.0]]))
    both_raise(TypeError, lambda: o.dirichlet(3.0), lambda: n.dirichlet(3.0))
    # NaN passes NumPy's `alpha <= 0` check
    same(o.dirichlet([1.0, float("nan")]), n.dirichlet([1.0, float("nan")]))
    same(o.random_sample(2), n.random_sample(2))


def test_multinomial_result_buffer_hashes():
    import hashlib

    o, n = oxnp.random.RandomState(123456789), numpy.random.RandomState(123456789)
    vo, vn = o.multinomial(20, numpy.ones(6) / 6.0, size=1000), n.multinomial(20, numpy.ones(6) / 6.0, size=1000)
    assert hashlib.sha256(vo.view(oxnp.int8)).hexdigest() == hashlib.sha256(vn.view(numpy.int8)).hexdigest()


def test_randint_singleton_types():
    o = oxnp.random.RandomState(1)
    for dt in ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"):
        s = o.randint(0, 2, dtype=dt)
        assert type(s) is getattr(oxnp, dt) and s.dtype == oxnp.dtype(dt)
    assert type(o.randint(0, 2, dtype=bool)) is bool
    assert type(o.randint(0, 2, dtype=int)) is int


def test_random_integers_max_int():
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    m = 2**63 - 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(DeprecationWarning, match=rf"randint\({m}, {m} \+ 1\)"):
            a = o.random_integers(oxnp.int64(m), oxnp.int64(m))
        with pytest.warns(DeprecationWarning, match=r"randint\(1, 7 \+ 1\)"):
            b = o.random_integers(7, size=3)
    with pytest.warns(DeprecationWarning):
        r = n.random_integers(numpy.int64(m), numpy.int64(m))
    assert type(a) is oxnp.int64 and type(r) is numpy.int64 and int(a) == int(r) == m
    with pytest.warns(DeprecationWarning):
        same(b, n.random_integers(7, size=3))


@pytest.mark.parametrize("kind", ["module", "legacy", "generator"])
def test_shuffle_untyped_warning(kind):
    rng = {"module": oxnp.random, "legacy": oxnp.random.RandomState(1), "generator": oxnp.random.default_rng(1)}[kind]
    values = {0: 0, 1: 1, 2: 2, 3: 3}
    with pytest.warns(UserWarning, match="you are shuffling a 'dict' object") as rec:
        rng.shuffle(values)
    assert rec[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rng.shuffle([1, 2, 3])


def test_choice_p_none_and_permutation_str():
    o, n = oxnp.random.RandomState(1), numpy.random.RandomState(1)
    both_raise(ValueError, lambda: o.choice(oxnp.array([42, 1, 2]), p=[None, None, None]),
               lambda: n.choice(numpy.array([42, 1, 2]), p=[None, None, None]))
    both_raise(IndexError, lambda: o.permutation("abcd"), lambda: n.permutation("abcd"))
    both_raise(IndexError, lambda: o.permutation(1.2), lambda: n.permutation(1.2))


@pytest.mark.parametrize("m", [oxnp, numpy])
def test_scalar_exception_propagation(m):
    class ThrowingFloat(m.ndarray):
        def __float__(self):
            raise TypeError

    class ThrowingInteger(m.ndarray):
        def __int__(self):
            raise TypeError

    tf = m.array(1.0).view(ThrowingFloat)
    with pytest.raises(TypeError):
        m.random.uniform(tf, tf)
    ti = m.array(1).view(ThrowingInteger)
    with pytest.raises(TypeError):
        m.random.hypergeometric(ti, 1, 1)
    # plain 0-d arrays still work as scalars
    r = m.random.RandomState(3)
    v = r.uniform(m.array(1.0), m.array(2.0))
    assert type(v) is float and 1.0 <= v < 2.0
