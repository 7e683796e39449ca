"""oxnp.random's fast paths against numpy.random, bit for bit and state after: broadcast fills
walked in runs, bounded-integer fills set up once, per-fill setups (Poisson, legacy HRUA
hypergeometric, geometric), typed shuffles, permutations of n-d arrays by a shuffled index."""

import numpy
import pytest

import oxnp
from helpers import assert_same, to_ox


def pairs(kind, seed):
    if kind == "legacy":
        return oxnp.random.RandomState(seed), numpy.random.RandomState(seed)
    return oxnp.random.Generator(oxnp.random.PCG64(seed)), numpy.random.Generator(numpy.random.PCG64(seed))


def same_state(o, n):
    if isinstance(n, numpy.random.RandomState):
        a, b = o.get_state(), n.get_state()
        assert_same(a[1], b[1])
        assert a[2:] == b[2:]
    else:
        assert o.bit_generator.state == n.bit_generator.state


def check(o, n, f):
    conv = lambda v: to_ox(v) if isinstance(v, numpy.ndarray) else v  # noqa: E731
    ref = f(n, lambda v: v)
    ours = f(o, conv)
    if isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        assert numpy.asarray(ours).tobytes() == numpy.asarray(ref).tobytes()
    same_state(o, n)


COL = numpy.array([[0.5], [2.0], [7.5]])
ROW = numpy.array([1.0, 2.0, 3.0, 4.0])

BROADCAST = [
    lambda r, c: r.normal(c(COL), c(ROW)),
    lambda r, c: r.normal(c(COL), 1.0, size=(2, 3, 4)),
    lambda r, c: r.normal(c(ROW), 2.0),
    lambda r, c: r.uniform(c(COL), 10.0),
    lambda r, c: r.uniform(c(ROW), c(COL) + 10.0),
    lambda r, c: r.exponential(c(COL), size=(3, 5)),
    lambda r, c: r.gamma(c(ROW), c(COL)),
    lambda r, c: r.poisson(c(COL * 5.0), size=(2, 3, 6)),
    lambda r, c: r.binomial(c(numpy.array([[3], [40]])), c(numpy.array([0.2, 0.7, 0.9]))),
    lambda r, c: r.triangular(c(COL), c(COL) + 1.0, c(ROW) + 9.0),
    lambda r, c: r.standard_t(c(ROW[::-2])),
    lambda r, c: r.hypergeometric(c(numpy.array([[20], [60]])), 30, c(numpy.array([5, 12, 40]))),
    lambda r, c: r.normal(c(numpy.ones((0, 3))), 1.0),
]


@pytest.mark.parametrize("kind", ["legacy", "generator"])
@pytest.mark.parametrize("k", range(len(BROADCAST)))
def test_broadcast_runs(kind, k):
    check(*pairs(kind, 3), BROADCAST[k])


@pytest.mark.parametrize("kind", ["legacy", "generator"])
def test_parameter_arrays_checked_for_empty_outputs(kind):
    o, n = pairs(kind, 7)
    bad = numpy.array([1.0, -1.0, 2.0])
    for f in [lambda r, c: r.exponential(c(bad), size=(0, 3)), lambda r, c: r.poisson(c(bad), size=(2, 0, 3)),
              lambda r, c: r.standard_gamma(c(bad), size=(0, 3)),
              lambda r, c: r.normal(c(numpy.ones((0, 3))), c(bad)),
              # the scale is checked before the shapes are broadcast
              lambda r, c: r.normal(c(numpy.ones(2)), c(bad)), lambda r, c: r.normal(0.0, -1.0, size=0)]:
        with pytest.raises(ValueError) as en:
            f(n, lambda v: v)
        with pytest.raises(ValueError) as eo:
            f(o, to_ox)
        assert str(eo.value) == str(en.value)
        same_state(o, n)


@pytest.mark.parametrize("kind", ["legacy", "generator"])
def test_broadcast_errors_before_drawing(kind):
    o, n = pairs(kind, 5)
    for f in [lambda r, c: r.normal(c(COL), c(numpy.array([1.0, -1.0, 2.0, 3.0]))),
              lambda r, c: r.uniform(c(ROW), c(numpy.array([[numpy.inf], [1.0]]))),
              # the range overflows only for the broadcast pair (-1e308, 1e308)
              lambda r, c: r.uniform(c(numpy.array([[-1e308], [0.0]])), c(numpy.array([0.0, 1e308])))]:
        with pytest.raises(Exception) as en, numpy.errstate(over="ignore"):
            f(n, lambda v: v)
        with pytest.raises(Exception) as eo:
            f(o, to_ox)
        assert type(eo.value) is type(en.value) and str(eo.value) == str(en.value)
        same_state(o, n)


INT_CASES = [
    ("int64", 0, 10), ("int64", -5, 2**40), ("int64", 0, 2**32 - 1), ("int64", 0, 2**32),
    ("uint64", 0, 2**64 - 1), ("uint64", 3, 2**63 + 5), ("int32", -7, 2**31 - 1),
    ("uint32", 0, 2**32 - 1), ("uint8", 0, 100), ("uint8", 0, 256), ("int8", -100, 3),
    ("uint16", 1, 1000), ("int16", -(2**15), 2**15 - 1), ("bool", 0, 2), ("uint8", 5, 6),
]


@pytest.mark.parametrize("kind", ["legacy", "generator"])
@pytest.mark.parametrize("dt,lo,hi", INT_CASES)
def test_bounded_fills(kind, dt, lo, hi):
    o, n = pairs(kind, 11)
    draw = (lambda r, c: r.randint(lo, hi, 2001, dtype=dt)) if kind == "legacy" else \
        (lambda r, c: r.integers(lo, hi, 2001, dtype=dt))
    check(o, n, draw)
    check(o, n, draw)  # the sub-word buffer starts afresh on the next call


@pytest.mark.parametrize("kind", ["legacy", "generator"])
@pytest.mark.parametrize("dt", ["uint8", "int16", "int64", "uint64"])
def test_bounded_array_bounds(kind, dt):
    o, n = pairs(kind, 13)
    hi = numpy.array([[10], [50], [120]])
    lo = numpy.array([0, 1, 2, 3])
    f = (lambda r, c: r.randint(c(lo), c(hi), dtype=dt)) if kind == "legacy" else \
        (lambda r, c: r.integers(c(lo), c(hi), dtype=dt))
    check(o, n, f)
    g = (lambda r, c: r.randint(c(hi.ravel()), 200, size=(4, 3), dtype=dt)) if kind == "legacy" else \
        (lambda r, c: r.integers(c(hi.ravel()), 200, size=(4, 3), dtype=dt))
    check(o, n, g)


@pytest.mark.parametrize("kind", ["legacy", "generator"])
def test_per_fill_setups(kind):
    o, n = pairs(kind, 17)
    for f in [lambda r, c: r.poisson(3.5, 3000), lambda r, c: r.poisson(60.0, 3000),
              lambda r, c: r.poisson(0.0, 5), lambda r, c: r.hypergeometric(50, 70, 30, 3000),
              lambda r, c: r.hypergeometric(5, 7, 3, 500), lambda r, c: r.hypergeometric(500, 700, 300, 2000),
              lambda r, c: r.geometric(0.3, 3000), lambda r, c: r.geometric(0.5, 3000),
              lambda r, c: r.negative_binomial(5, 0.3, 1000)]:
        check(o, n, f)


@pytest.mark.parametrize("kind", ["legacy", "generator"])
@pytest.mark.parametrize("dt", ["uint8", "int16", "float32", "int64", "complex128", "bool"])
def test_shuffle_and_permutation_paths(kind, dt):
    o, n = pairs(kind, 19)
    x = (numpy.arange(37) % 5).astype(dt)
    xo = to_ox(x)
    o.shuffle(xo)
    n.shuffle(x)
    assert_same(xo, x)
    same_state(o, n)
    strided = numpy.arange(40).astype(dt)
    so = to_ox(strided)
    o.shuffle(so[::3])
    n.shuffle(strided[::3])
    assert_same(so, strided)
    same_state(o, n)
    for shape in [(7, 3), (4, 2, 3), (5, 0)]:
        m = numpy.arange(numpy.prod(shape)).astype(dt).reshape(shape)
        check(o, n, lambda r, c: r.permutation(c(m)))
    check(o, n, lambda r, c: r.permutation(1000))


@pytest.mark.parametrize("kind", ["legacy", "generator"])
def test_choice_and_bytes(kind):
    o, n = pairs(kind, 23)
    for f in [lambda r, c: r.choice(1000, (20, 3)), lambda r, c: r.choice(50, 7, replace=False),
              lambda r, c: r.choice(c(numpy.arange(6.0)), (2, 2)), lambda r, c: r.choice(9)]:
        check(o, n, f)
    for k in [0, 1, 5, 8, 13]:
        assert o.bytes(k) == n.bytes(k)
        same_state(o, n)
