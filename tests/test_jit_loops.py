"""oxnp.jit: calls with scalar graph breaks (a data-dependent `while` loop inside the jitted
function) are recorded as replay plans with checked steps; a replay goes on only while every
checked scalar has the bits it had when traced, otherwise the call is traced again. The
results, iteration counts and in-place effects are always eager's."""

import numpy
import pytest

import oxnp
from helpers import assert_same, to_np

jit = oxnp.jit


def _eq(ours, ref):
    if isinstance(ref, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(ref)
        for a, b in zip(ours, ref):
            _eq(a, b)
    elif isinstance(ref, oxnp.ndarray):
        assert_same(ours, to_np(ref))
    else:
        assert type(ours) is type(ref) and ours == ref


def wave(xp, walls, decay=0.99):
    """examples/maze.py's solve: a while loop on a value of the array."""
    value = xp.zeros(walls.shape)
    value[-2, -2] = 1.0
    open_inner = ~walls[1:-1, 1:-1]
    it = 0
    while value[1, 1] == 0.0 and it < walls.size:
        best = xp.maximum(xp.maximum(value[:-2, 1:-1], value[2:, 1:-1]),
                          xp.maximum(value[1:-1, :-2], value[1:-1, 2:]))
        value[1:-1, 1:-1] = xp.where(open_inner, xp.maximum(value[1:-1, 1:-1], decay * best), 0.0)
        it += 1
    return value, it


def _walls(seed, shape=(11, 15)):
    rng = numpy.random.default_rng(seed)
    w = rng.random(shape) < 0.3
    w[0, :] = w[-1, :] = w[:, 0] = w[:, -1] = True
    w[1, 1] = w[-2, -2] = False
    return w


def test_while_loop_replays_and_stops_where_eager_stops():
    f = jit(wave)
    w = oxnp.asarray(_walls(2))
    ref = wave(oxnp, w)
    jit.reset_stats()
    for _ in range(3):
        _eq(f(oxnp, w), ref)
    s = jit.stats()
    assert s["traces"] == 1 and s["replays"] == 2 and s["diverged"] == 0
    assert ref[1] > 3


def test_while_loop_other_data_retraces():
    f = jit(wave)
    jit.reset_stats()
    for seed in (2, 7, 2, 4, 4):
        w = oxnp.asarray(_walls(seed))
        _eq(f(oxnp, w), wave(oxnp, w))
    s = jit.stats()
    # (22, 26, 22, 20, 20 sweeps) same shape, same guard: a maze needing another number of
    # sweeps diverges from the plan of the previous one
    assert s["diverged"] == 3 and s["replays"] == 1 and s["traces"] == 4


def test_while_loop_with_a_numpy_argument_changed_in_place():
    f = jit(wave)
    wn = _walls(4)
    ref = wave(oxnp, oxnp.asarray(wn))
    _eq(f(oxnp, wn), ref)
    wn[1, 2] = wn[2, 1] = True   # the start is walled in: the wave never reaches it
    ref2 = wave(oxnp, oxnp.asarray(wn))
    _eq(f(oxnp, wn), ref2)
    assert ref2[1] == wn.size and ref[1] < wn.size


def test_loop_body_changes_shape_and_dtype():
    def f(x):
        n = 0
        while x.sum() > 1.0:     # the shape changes every iteration
            x = x[1:] * 0.5
            n += 1
            if n == 2:
                x = x.astype("float32")
        return x, n
    jf = jit(f)
    x = oxnp.linspace(1.0, 3.0, 7)
    ref = f(x)
    jit.reset_stats()
    for _ in range(3):
        _eq(jf(x), ref)
    assert jit.stats()["replays"] == 2
    y = oxnp.linspace(0.1, 0.3, 7)
    _eq(jf(y), f(y))
    assert jit.stats()["diverged"] == 1


def test_python_control_flow_differs_in_one_iteration():
    def f(x, k):
        i = 0
        while float(x.max()) < 100.0:
            if i == k:
                x = x + 7.0     # a different segment in one iteration
            else:
                x = x * 2.0
            i += 1
        return x, i
    jf = jit(f)
    x = oxnp.asarray([1.0, 2.0, 3.0])
    for k in (2, 2, 3, 3, 2):
        _eq(jf(x, k), f(x, k))
    assert jit.stats()["replays"] >= 2


@pytest.mark.parametrize("conv", ["bool", "int", "float", "item", "index"])
def test_checked_conversions(conv):
    def f(x):
        s = x[0] * 3 + 0.5
        v = {"bool": lambda: bool(s > 2), "int": lambda: int(s), "float": lambda: float(s),
             "item": lambda: s.item(), "index": lambda: list(range(5))[(x[0] > 1).astype(int)]
             }[conv]()
        return x * 2 + (1 if v else 0), v
    jf = jit(f)
    jit.reset_stats()
    for x in ([1.0, 2.0], [1.0, 5.0], [0.0, 1.0], [0.0, 1.0], [1.0, 2.0], [-0.0, 1.0]):
        xa = oxnp.asarray(x)
        _eq(jf(xa), f(xa))
    assert jit.stats()["replays"] >= 1


def test_checked_plan_never_writes_arguments():
    # A replay that could stop half-way must not have written into an argument: calls with
    # checked breaks that write an argument trace every time.
    def f(v, n):
        it = 0
        while v[0] < n:
            v[1:] = v[:-1] + 1.0
            v[0] += 1.0
            it += 1
        return it
    jf = jit(f)
    jit.reset_stats()
    for n in (3.0, 3.0, 5.0):
        a, b = oxnp.zeros(6), oxnp.zeros(6)
        assert jf(a, n) == f(b, n)
        _eq(a, b)
    assert jit.stats()["replays"] == 0


def test_inplace_write_into_private_version_keeps_copies_apart():
    # After a flush, a buffer's private version is written in place by the next slice
    # assignment only if no other array shares it (x.copy() shares it in the graph).
    def f(v):
        w = v * 1.0
        w[0] = 5.0           # private version of w
        if bool(w[0] > 1):   # flush: w becomes a leaf of its own array
            c = w.copy()     # c shares w's array in the graph
            w[1] = 7.0       # must not write into c
            return w, c
        return w, w
    jf = jit(f)
    for _ in range(3):
        _eq(jf(oxnp.arange(4.0)), f(oxnp.arange(4.0)))


def test_inplace_private_version_and_a_view_of_it():
    def f(v):
        w = v + 0.0
        w[0] = 1.0
        while float(w.sum()) < 50.0:
            t = w[1:]             # a view: sees the writes, as eager
            w[:-1] = w[1:] + 1.0
            w[-1] = t[0] * 2.0
        return w
    jf = jit(f)
    for _ in range(3):
        _eq(jf(oxnp.arange(5.0)), f(oxnp.arange(5.0)))


def test_ping_pong_sweeps_with_boundary_writes_between():
    # A private array swept in place (replayed as ping-pong between two arrays), with
    # other in-place writes between the sweeps (mirrored into the spare array) and a
    # sweep of another region (the spare is dropped).
    def f(src, n):
        x = src * 1.0
        x[0, 0] = 3.0
        k = 0
        while float(x[2, 2]) < n:
            x[1:-1, 1:-1] = (x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:]) * 0.3
            x[0, 1:-1] = x[1, 1:-1] + 1.0
            x[1:-1, -1] = x[1:-1, -2] * 0.5
            if k % 3 == 2:
                x[2:, 2:] = x[:-2, :-2] + 0.25
            k += 1
        return x, k
    jf = jit(f)
    src = oxnp.asarray(numpy.random.default_rng(3).random((9, 12)))
    ref = f(src, 40.0)
    jit.reset_stats()
    for _ in range(3):
        _eq(jf(src, 40.0), ref)
    assert jit.stats()["replays"] == 2 and ref[1] > 3


def test_long_loop_plan_is_capped(monkeypatch):
    from oxnp import _jit as J
    monkeypatch.setattr(J, "_MAX_CHECKED_STEPS", 50)

    def f(x):
        n = 0
        while float(x[0]) < 100.0:
            x = x + 1.0
            n += 1
        return x, n
    jf = jit(f)
    jit.reset_stats()
    for _ in range(2):
        _eq(jf(oxnp.zeros(3)), f(oxnp.zeros(3)))
    assert jit.stats()["replays"] == 0 and jit.stats()["traces"] == 2
