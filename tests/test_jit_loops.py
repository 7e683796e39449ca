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


def test_while_loop_other_data_replays_as_a_loop():
    f = jit(wave)
    jit.reset_stats()
    for seed in (2, 7, 2, 4, 4):
        w = oxnp.asarray(_walls(seed))
        _eq(f(oxnp, w), wave(oxnp, w))
    s = jit.stats()
    # (22, 26, 22, 20, 20 sweeps) same shape, same guard: the plan is a loop; Python counts
    # its iterations (`it`), so it replays up to the most iterations traced (22, then 26
    # after the second maze is traced) and the returned count follows the iterations run
    assert s["diverged"] == 1 and s["replays"] == 3 and s["traces"] == 2


def wave_uncounted(xp, walls, decay=0.99):
    """The wave loop with no Python counter: its plan replays any number of sweeps."""
    value = xp.zeros(walls.shape)
    value[-2, -2] = 1.0
    open_inner = ~walls[1:-1, 1:-1]
    while value[1, 1] == 0.0:
        best = xp.maximum(xp.maximum(value[:-2, 1:-1], value[2:, 1:-1]),
                          xp.maximum(value[1:-1, :-2], value[1:-1, 2:]))
        value[1:-1, 1:-1] = xp.where(open_inner, xp.maximum(value[1:-1, 1:-1], decay * best), 0.0)
    return value


_SOLVABLE = (2, 7, 4, 6, 8, 10, 11)   # seeds of _walls whose start the wave reaches


def test_mazes_of_one_shape_all_replay():
    f = jit(wave_uncounted)
    jit.reset_stats()
    sweeps = set()
    for seed in _SOLVABLE + _SOLVABLE[::-1]:
        w = _walls(seed)
        sweeps.add(wave(numpy, w)[1])
        assert_same(f(oxnp, oxnp.asarray(w)), wave_uncounted(numpy, w))
    s = jit.stats()
    assert len(sweeps) >= 3
    assert s["traces"] == 1 and s["replays"] == 2 * len(_SOLVABLE) - 1 and s["diverged"] == 0


def test_counted_mazes_replay_once_the_longest_is_traced():
    f = jit(wave)
    ws = sorted((_walls(s) for s in _SOLVABLE), key=lambda w: -wave(numpy, w)[1])
    jit.reset_stats()
    for w in ws + ws:
        r = f(oxnp, oxnp.asarray(w))
        ref = wave(numpy, w)
        assert_same(r[0], ref[0])
        assert type(r[1]) is int and r[1] == ref[1]
    s = jit.stats()
    assert s["traces"] == 1 and s["replays"] == 2 * len(ws) - 1


def grow(x, lim):
    """A loop whose trip count depends on the data (0 to many iterations), then a suffix."""
    while x[0] < lim[0]:
        x = x * 2.0 + lim[1]
    y = x * 3.0 - lim
    return y, x[1:]


@pytest.mark.parametrize("first", [3.0, 40.0])
def test_loop_of_any_trip_count_with_a_suffix(first):
    f = jit(grow)
    x = numpy.asarray([1.0, 5.0, -2.0])
    jit.reset_stats()
    # trip counts 3 or 5 (traced), then 0, 1, 2, 3, 5, 8, 0
    for lim0 in (first, 0.5, 2.0, 5.0, 9.0, 40.0, 300.0, -1.0):
        lim = numpy.asarray([lim0, 0.25, 4.0])
        r = f(oxnp.asarray(x), oxnp.asarray(lim))
        ref = grow(x, lim)
        assert_same(r[0], ref[0])
        assert_same(r[1], ref[1])
    s = jit.stats()
    assert s["traces"] == 1 and s["replays"] == 7 and s["diverged"] == 0


def test_loop_diverging_inside_the_body_retraces():
    # An ordinary check inside the body (a Python `if` on the data) that gave the same value
    # in every traced iteration: a replay where it differs stops and the call is traced.
    def f(x, lim):
        while x[0] < lim[0]:
            if x[1] > lim[1]:
                x = x - 0.5
            x = x * 2.0 + 1.0
        return x
    jf = jit(f)
    jit.reset_stats()
    for a in ([1.0, 0.0], [0.5, 0.0], [1.0, 50.0], [2.0, 0.0], [1.0, 0.0]):
        x, lim = numpy.asarray(a), numpy.asarray([60.0, 3.0])
        assert_same(jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x, lim))
    s = jit.stats()
    assert s["diverged"] >= 1 and s["replays"] >= 2


def test_loop_with_python_state_is_not_folded():
    # A list growing with the iterations is Python state the plan cannot replay: the call
    # replays only with the traced trip count (checked steps), else it is traced.
    def f(x, lim):
        hist = []
        while x[0] < lim[0]:
            x = x * 2.0
            hist.append(1)
        return x, len(hist)
    jf = jit(f)
    jit.reset_stats()
    for l0 in (10.0, 10.0, 100.0, 3.0):
        x, lim = numpy.asarray([1.0, 2.0]), numpy.asarray([l0])
        r, ref = jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x, lim)
        assert_same(r[0], ref[0])
        assert r[1] == ref[1]
    s = jit.stats()
    assert s["replays"] == 1 and s["traces"] == 3


def test_counter_returned_after_a_loop_in_another_form_is_not_folded():
    # `2 * it` is not a counter's value: the plan is not folded (replays need the traced
    # trip count).
    def f(x, lim):
        it = 0
        while x[0] < lim[0]:
            x = x * 2.0
            it += 1
        return x, 2 * it + 1
    jf = jit(f)
    for l0 in (10.0, 10.0, 100.0, 3.0, 100.0):
        x, lim = numpy.asarray([1.0, 2.0]), numpy.asarray([l0])
        r, ref = jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x, lim)
        assert_same(r[0], ref[0])
        assert r[1] == ref[1]


def test_counted_loop_stops_at_the_traced_count():
    # A Python bound on the counter (`it < 6`) is not seen by the plan: a replay runs at most
    # as many iterations as traced, so it never goes past the bound.
    def f(x, lim):
        it = 0
        while x[0] < lim[0] and it < 6:
            x = x * 2.0
            it += 1
        return x, it
    jf = jit(f)
    jit.reset_stats()
    for l0 in (10.0, 1000.0, 3.0, 20.0, 1e6):
        x, lim = numpy.asarray([1.0, 2.0]), numpy.asarray([l0])
        r, ref = jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x, lim)
        assert_same(r[0], ref[0])
        assert r[1] == ref[1]


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


def test_loop_reading_a_view_made_before_it():
    # `head` views x's first version; the loop rebinds x: every iteration reads the old one.
    def f(x, lim):
        head = x[:2]
        while x[0] < lim[0]:
            x = x * 2.0 + head[1]
        return x, head * 1.0
    jf = jit(f)
    for l0 in (50.0, 50.0, 7.0, 400.0, 0.0):
        x, lim = numpy.asarray([1.0, 0.5, 3.0]), numpy.asarray([l0])
        r, ref = jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x, lim)
        assert_same(r[0], ref[0])
        assert_same(r[1], ref[1])


def test_loop_with_inplace_updates_of_a_private_array():
    def f(x, lim):
        y = x * 1.0
        while y[0] < lim[0]:
            y[1:] = y[:-1] + y[1:]
            y[0] = y[0] + y[-1]
        return y
    jf = jit(f)
    jit.reset_stats()
    # (the first iteration copies x's values, later ones assign in place: the loop starts
    # after it, so a call running no iteration is traced)
    for l0 in (100.0, 100.0, 1e4, 3.0, 1e6, 0.5):
        x, lim = numpy.asarray([1.0, 0.5, 3.0, 2.0]), numpy.asarray([l0])
        assert_same(jf(oxnp.asarray(x), oxnp.asarray(lim)), f(x.copy(), lim))
    assert jit.stats()["replays"] == 4 and jit.stats()["traces"] == 2
