"""Differential tests of the Generator / bit-generator API (oxnp against numpy, same seeds):
integers bounds beyond int64/uint64, Python-typed scalars, empty sizes, advance/jumped,
Philox keys, SeedSequence.state, F-ordered out=, permuted out= checks, tiny-p binomial."""

import pickle

import numpy
import pytest

import oxnp
from helpers import assert_same, to_np

INT_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def gens(seed=1234):
    return oxnp.random.Generator(oxnp.random.PCG64(seed)), numpy.random.Generator(numpy.random.PCG64(seed))


def outcome(f):
    try:
        return ("ok", f())
    except Exception as e:  # noqa: BLE001 - compared with NumPy's outcome
        return (type(e).__name__, str(e))


def same(ours, ref):
    if isinstance(ref, numpy.ndarray):
        assert isinstance(ours, oxnp.ndarray)
        assert_same(ours, ref)
    else:
        assert type(ours).__name__ == type(ref).__name__, (type(ours), type(ref))
        assert ours == ref


def same_outcome(f_ox, f_np):
    a, b = outcome(f_ox), outcome(f_np)
    assert a[0] == b[0], (a, b)
    if a[0] == "ok":
        same(a[1], b[1])
    else:
        assert a[1] == b[1]


@pytest.mark.parametrize("dt", INT_DTYPES)
@pytest.mark.parametrize("endpoint", [False, True])
def test_integers_bounds_beyond_int64(dt, endpoint):
    if dt == "bool":
        lo, hi = 0, 1 if endpoint else 2
    else:
        info = numpy.iinfo(dt)
        lo, hi = int(info.min), int(info.max) + (0 if endpoint else 1)
    cases = [
        (lo - 1, hi), (lo, hi + 1), ([lo - 1], hi), ([lo], [hi + 1]), ([hi], [lo]),
        ([lo] * 3, [hi] * 3), ([lo], [hi]), (lo, [hi]), ([[lo], [lo]], [hi, hi]),
        (-(2**70), hi), (lo, 2**70), ([2**70], [2**71]),
    ]
    for low, high in cases:
        go, gn = gens()
        same_outcome(lambda: go.integers(low, high, size=None, dtype=dt, endpoint=endpoint),
                     lambda: gn.integers(low, high, size=None, dtype=dt, endpoint=endpoint))
        same(go.bit_generator.state["state"]["state"], gn.bit_generator.state["state"]["state"])


def test_integers_broadcast_python_ints_bitwise():
    go, gn = gens(7)
    for low, high in [([-1, 0, 1], [2**32 - 1, 2**32, 2**32 + 1]), ([0] * 5, [2**64] * 5)]:
        dt = "uint64" if high[0] == 2**64 else "int64"
        same(go.integers(low, high, dtype=dt), gn.integers(low, high, dtype=dt))
        same(go.integers(low, high, size=(2, len(low)), dtype=dt), gn.integers(low, high, size=(2, len(low)), dtype=dt))


@pytest.mark.parametrize("endpoint", [False, True])
def test_integers_python_type_dtype(endpoint):
    go, gn = gens()
    for dt, lo, hi in [(bool, 0, 2), (int, -(2**63), 2**63)]:
        hi = hi - 1 if endpoint else hi
        a = go.integers(lo, hi, endpoint=endpoint, dtype=dt)
        b = gn.integers(lo, hi, endpoint=endpoint, dtype=dt)
        assert type(a) is dt and type(b) is dt and a == b
        same(go.integers(lo, hi, size=3, endpoint=endpoint, dtype=dt), gn.integers(lo, hi, size=3, endpoint=endpoint, dtype=dt))


@pytest.mark.parametrize("dt", INT_DTYPES)
def test_integers_empty_size_skips_checks(dt):
    go, gn = gens()
    for low, high, size in [(0, 0, (3, 0, 4)), (0, -10, 0), (10, 10, 0), ([5, 6], [1, 2], (0, 2))]:
        same(go.integers(low, high, size, dtype=dt), gn.integers(low, high, size, dtype=dt))


def test_integers_byteorder():
    go, gn = gens()
    same_outcome(lambda: go.integers(0, 200, size=10, dtype=">i4"), lambda: gn.integers(0, 200, size=10, dtype=">i4"))


@pytest.mark.parametrize("name", ["PCG64", "PCG64DXSM", "Philox"])
def test_advance_and_jumped(name):
    for delta in [0, 1, 12345, 2**64 - 1, 2**100 + 7, -0x9E3779B97F4A7C150000000000000000, 10 * 2**128 + 3]:
        bo, bn = getattr(oxnp.random, name)(99), getattr(numpy.random, name)(99)
        oxnp.random.Generator(bo).integers(0, 2**32, size=3, dtype="uint32")
        numpy.random.Generator(bn).integers(0, 2**32, size=3, dtype="uint32")
        assert bo.advance(delta) is bo
        bn.advance(delta)
        _same_state(bo.state, bn.state)
        same(bo.random_raw(4), bn.random_raw(4))
    for jumps in [1, 2, 5]:
        bo, bn = getattr(oxnp.random, name)(5), getattr(numpy.random, name)(5)
        jo, jn = bo.jumped(jumps), bn.jumped(jumps)
        assert type(jo) is type(bo) and jo is not bo
        _same_state(jo.state, jn.state)
        _same_state(bo.state, bn.state)
        same(jo.random_raw(3), jn.random_raw(3))


def test_sfc64_has_no_jump():
    for attr in ["jumped", "advance"]:
        assert hasattr(oxnp.random.SFC64(1), attr) == hasattr(numpy.random.SFC64(1), attr)
    assert hasattr(oxnp.random.MT19937(1), "advance") == hasattr(numpy.random.MT19937(1), "advance")


def _same_state(a, b):
    assert a.keys() == b.keys()
    for k in b:
        if isinstance(b[k], dict):
            _same_state(a[k], b[k])
        elif isinstance(b[k], numpy.ndarray):
            assert_same(a[k], b[k])
        else:
            assert a[k] == b[k], (k, a[k], b[k])


def test_philox_key_counter():
    for kw in [dict(key=12345), dict(key=2**128 - 1, counter=2**256 - 1), dict(key=[1, 2], counter=[3, 4, 5, 6]), dict(seed=3, counter=7)]:
        bo, bn = oxnp.random.Philox(**kw), numpy.random.Philox(**kw)
        _same_state(bo.state, bn.state)
        same(bo.random_raw(6), bn.random_raw(6))
    for args, kw in [((1,), dict(key=1)), ((), dict(key=2**128)), ((), dict(counter=2**257 + 1)), ((-1,), {})]:
        with pytest.raises((ValueError, OverflowError)):
            numpy.random.Philox(*args, **kw)
        with pytest.raises((ValueError, OverflowError)):
            oxnp.random.Philox(*args, **kw)


def test_seed_sequence_state_and_pickle():
    for entropy, kw in [(100, {}), ([1, 2, 3], dict(spawn_key=(4, 5))), (2**100, dict(n_children_spawned=3))]:
        so, sn = oxnp.random.SeedSequence(entropy, **kw), numpy.random.SeedSequence(entropy, **kw)
        assert so.state == sn.state
        assert pickle.loads(pickle.dumps(so)).state == so.state
    bo = oxnp.random.PCG64(3)
    bo.seed_seq.spawn(4)
    back = pickle.loads(pickle.dumps(bo))
    assert back.seed_seq.state == bo.seed_seq.state


@pytest.mark.parametrize("method", ["uint64", "double"])
def test_benchmark(method):
    for name in ["MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"]:
        assert getattr(oxnp.random, name)(1)._benchmark(10, method) is None
    with pytest.raises(ValueError):
        oxnp.random.PCG64(1)._benchmark(10, "int32")


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", ["f4", "f8"])
@pytest.mark.parametrize("dist", ["random", "standard_normal", "standard_exponential"])
def test_out_f_order(order, dtype, dist):
    go, gn = gens(11)
    oo, on = oxnp.empty((2, 3), dtype=dtype, order=order), numpy.empty((2, 3), dtype=dtype, order=order)
    assert getattr(go, dist)(out=oo, dtype=dtype) is oo
    getattr(gn, dist)(out=on, dtype=dtype)
    assert_same(oo, on)


def test_array_param_out_needs_c_order():
    go, gn = gens()
    for f in ("F", "C"):
        oo, on = oxnp.empty((2, 3), order=f), numpy.empty((2, 3), order=f)
        same_outcome(lambda: go.standard_gamma([1, 2, 3], out=oo) is oo, lambda: gn.standard_gamma([1, 2, 3], out=on) is on)


def test_permuted_out_checks():
    go, gn = gens()
    x = numpy.ones((3, 5))
    same_outcome(lambda: go.permuted(oxnp.asarray(x), axis=1, out=oxnp.zeros((3, 5), dtype="int32")),
                 lambda: gn.permuted(x, axis=1, out=numpy.zeros((3, 5), dtype="int32")))
    _same_state(go.bit_generator.state, gn.bit_generator.state)
    oo, on = oxnp.zeros((3, 5)), numpy.zeros((3, 5))
    go.permuted(oxnp.arange(15.0).reshape(3, 5), axis=1, out=oo)
    gn.permuted(numpy.arange(15.0).reshape(3, 5), axis=1, out=on)
    assert_same(oo, on)


def test_binomial_tiny_p_generator_and_legacy():
    n, p = 50_000_000_000, 5e-17
    go, gn = gens(3)
    same(go.binomial(n, p, size=300_000), gn.binomial(n, p, size=300_000))
    assert int(to_np(go.binomial(n, p, size=300_000)).sum()) >= 0
    ro, rn = oxnp.random.RandomState(3), numpy.random.RandomState(3)
    same(ro.binomial(n, p, size=1000), rn.binomial(n, p, size=1000))
    for nn, pp in [(10, 0.3), (1000, 0.01), (7, 0.9), (50, 1e-3)]:
        go, gn = gens(4)
        same(go.binomial(nn, pp, size=500), gn.binomial(nn, pp, size=500))


def test_multinomial_float32_pvals_message():
    x = numpy.array([9.9e-01, 9.9e-01] + [1.0e-09] * 8, dtype=numpy.float32)
    pv = x / x.sum()
    go, gn = gens()
    same_outcome(lambda: go.multinomial(1, oxnp.asarray(pv)), lambda: gn.multinomial(1, pv))
    pv2 = numpy.array([0.7, 0.7, 0.1], dtype=numpy.float32)
    same_outcome(lambda: go.multinomial(1, oxnp.asarray(pv2)), lambda: gn.multinomial(1, pv2))


def test_generator_misc():
    with pytest.raises(ValueError):
        oxnp.random.Generator(oxnp.random.MT19937)
    go, gn = gens()
    assert go._poisson_lam_max == gn._poisson_lam_max
    rs = oxnp.random.RandomState(1234)
    rg = oxnp.random.default_rng(rs)
    assert isinstance(rg, oxnp.random.Generator) and rg.bit_generator is rs._bit_generator


@pytest.mark.parametrize("make", ["seeded", "legacy"])
def test_mt19937_jumped(make):
    for draws in [0, 5, 700]:
        if make == "seeded":
            bn, bo = numpy.random.MT19937(12345), oxnp.random.MT19937(12345)
        else:
            bn, bo = numpy.random.RandomState(5)._bit_generator, oxnp.random.RandomState(5)._bit_generator
        bn.random_raw(draws)
        bo.random_raw(draws)
        for jumps in [1, 2]:
            jn, jo = bn.jumped(jumps), bo.jumped(jumps)
            assert type(jo) is oxnp.random.MT19937 and jo is not bo
            _same_state(jo.state, jn.state)
            same(jo.random_raw(5), jn.random_raw(5))
        _same_state(bo.state, bn.state)


def test_seed_sequence_pool_size():
    for kw in [dict(pool_size=6, spawn_key=(1, 2)), dict(pool_size=8), dict(pool_size=5, n_children_spawned=2)]:
        so, sn = oxnp.random.SeedSequence(list(range(10)), **kw), numpy.random.SeedSequence(list(range(10)), **kw)
        assert_same(so.pool, sn.pool)
        assert_same(so.generate_state(7), sn.generate_state(7))
        assert so.state == sn.state
        assert repr(so) == repr(sn)
        ko, kn = so.spawn(2)[1], sn.spawn(2)[1]
        assert_same(ko.pool, kn.pool)
        assert oxnp.random.SeedSequence(**so.state).state == so.state
    with pytest.raises(ValueError, match="at least 4"):
        oxnp.random.SeedSequence(1, pool_size=3)


def test_shuffle_0d():
    go, gn = gens()
    same_outcome(lambda: go.shuffle(oxnp.array(3)), lambda: gn.shuffle(numpy.array(3)))


def _foreign(mod):
    """A seed sequence of another library (NumPy's ISeedSequence protocol), over `mod`'s own."""

    class Foreign:
        def __init__(self, entropy):
            self.inner = mod.random.SeedSequence(entropy)

        def generate_state(self, n_words, dtype=mod.uint32):
            return self.inner.generate_state(n_words, dtype)

    if mod is numpy:
        from numpy.random.bit_generator import ISeedSequence

        ISeedSequence.register(Foreign)
    return Foreign


@pytest.mark.parametrize("name", ["MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"])
def test_foreign_seed_sequence(name):
    fo, fn = _foreign(oxnp)(77), _foreign(numpy)(77)
    bo, bn = getattr(oxnp.random, name)(fo), getattr(numpy.random, name)(fn)
    _same_state(bo.state, bn.state)
    assert bo.seed_seq is fo
    with pytest.raises(TypeError, match="The underlying SeedSequence"):
        bo.spawn(2)
    go = oxnp.random.default_rng(_foreign(oxnp)(5))
    gn = numpy.random.default_rng(_foreign(numpy)(5))
    same(go.random(4), gn.random(4))
    with pytest.raises(TypeError, match="The underlying SeedSequence"):
        go.spawn(2)


@pytest.mark.parametrize("name", ["SFC64", "PCG64", "MT19937", "Philox"])
@pytest.mark.parametrize("dtype", ["uint32", "uint64", "int64"])
def test_seed_arrays_of_every_int_dtype(name, dtype):
    """Array seeds: each element an int of its own, unsigned values beyond int64 included."""
    for values in ([1], [0, 2**31, 5], [2**63 + 5, 1] if dtype == "uint64" else [7, 2**30]):
        ours = getattr(oxnp.random, name)(oxnp.array(values, dtype=dtype)).state
        ref = getattr(numpy.random, name)(numpy.array(values, dtype=dtype)).state
        assert repr(ours["state"]) == repr(ref["state"])


def test_shuffle_memoryview():
    """A memoryview (ndarray.data) is shuffled in place as the array it views."""
    for make in (lambda lib: lib.random.RandomState(1234), lambda lib: lib.random.default_rng(1234)):
        a, b = oxnp.arange(7).data, numpy.arange(7).data
        make(oxnp).shuffle(a)
        make(numpy).shuffle(b)
        assert a.tolist() == b.tolist()


def test_uniform_checks_the_broadcast_range():
    """Generator.uniform refuses high < low anywhere in the broadcast of the two parameters."""
    low, high = numpy.array([[0.2], [0.7]]), numpy.array([0.5, 1.5, 3.0])
    for lo, hi in ((low, high), (high, low), (low, 0.6), (0.1, high)):
        ours = outcome(lambda: gens()[0].uniform(oxnp.asarray(lo), oxnp.asarray(hi)))
        ref = outcome(lambda: gens()[1].uniform(lo, hi))
        assert ours[0] == ref[0]
        if ref[0] == "ok":
            same(ours[1], ref[1])
        else:
            assert ours[1] == ref[1]


def test_permuted_axis_is_keyword_only():
    x = numpy.arange(12).reshape(3, 4)
    assert outcome(lambda: gens()[0].permuted(oxnp.asarray(x), 1))[0] == outcome(lambda: gens()[1].permuted(x, 1))[0] == "TypeError"
    same(gens()[0].permuted(oxnp.asarray(x), axis=1), gens()[1].permuted(x, axis=1))


def test_ranf_and_sample_are_module_functions_only():
    for name in ("ranf", "sample"):
        assert hasattr(oxnp.random.RandomState(), name) == hasattr(numpy.random.RandomState(), name)
        oxnp.random.seed(5)
        numpy.random.seed(5)
        same(getattr(oxnp.random, name)(4), getattr(numpy.random, name)(4))


@pytest.mark.parametrize("method", ["zig", "inv", None, "other"])
@pytest.mark.parametrize("dtype", ["f4", "f8"])
def test_standard_exponential_method(method, dtype):
    # NumPy compares method with 'zig' and takes anything else, None included, as 'inv'
    go, gn = gens(5)
    assert_same(go.standard_exponential(2000, dtype=dtype, method=method), gn.standard_exponential(2000, dtype=dtype, method=method))
    assert_same(go.random(3), gn.random(3))
