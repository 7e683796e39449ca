"""Differential tests of einsum_path (and the einsum subscript parser) against NumPy.

The contract: for the same subscripts and operand shapes, `oxnp.einsum_path` returns NumPy's
path list and NumPy's report string exactly, for 'greedy', 'optimal', True, False, explicit
paths and ('greedy' | 'optimal', memory_limit); bad subscripts raise NumPy's error class with
NumPy's message. The letters that stand for '...' come from a hash-seeded set iteration in
NumPy and in oxnp alike, so they agree within one process (where these tests compare).
"""

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import oxnp
from helpers import to_ox


def outcome(f, *args, **kw):
    try:
        return f(*args, **kw)
    except Exception as e:  # noqa: BLE001 - class and message are compared
        return type(e).__name__, str(e)


def same_path(subscripts, shapes, optimize):
    ops = [numpy.ones(s) for s in shapes]
    ref = outcome(numpy.einsum_path, subscripts, *ops, optimize=optimize)
    ours = outcome(oxnp.einsum_path, subscripts, *[to_ox(o) for o in ops], optimize=optimize)
    assert ours[0] == ref[0], (subscripts, shapes, optimize)
    assert ours[1] == ref[1], (subscripts, shapes, optimize)


SIZES = [1, 2, 3, 4, 5, 7, 10, 16]


@st.composite
def expressions(draw, max_ops=5, ellipsis=False):
    letters = draw(st.sampled_from(["abc", "abcde", "abcdefgh", "abcdeABCDE"]))
    sizes = {c: draw(st.sampled_from(SIZES)) for c in letters}
    nops = draw(st.integers(2, max_ops))
    terms, shapes = [], []
    ell_dims = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=2, max_size=2))
    for _ in range(nops):
        term = draw(st.text(letters, min_size=0, max_size=4))
        shape = [sizes[c] if not draw(st.booleans()) or draw(st.integers(0, 7)) else 1
                 for c in term]
        if ellipsis and draw(st.booleans()):
            nd = draw(st.integers(0, 2))
            at = draw(st.integers(0, len(term)))
            term = term[:at] + "..." + term[at:]
            shape = shape[:at] + ell_dims[2 - nd:] + shape[at:]
        terms.append(term)
        shapes.append(tuple(shape))
    subscripts = ",".join(terms)
    if draw(st.booleans()):
        used = sorted(set(subscripts) - set(".,"))
        out = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
        if "..." in subscripts and draw(st.booleans()):
            out = "..." + out
        subscripts += "->" + out
    return subscripts, shapes


OPTIMIZE = st.one_of(
    st.sampled_from(["greedy", "optimal", True, False]),
    st.tuples(st.sampled_from(["greedy", "optimal"]), st.integers(1, 2000)),
)


@settings(max_examples=800, deadline=None)
@given(expressions(), st.sampled_from(["greedy", "optimal"]))
def test_path_and_report_match_numpy(expr, optimize):
    same_path(*expr, optimize)


@settings(max_examples=400, deadline=None)
@given(expressions(max_ops=6, ellipsis=True), OPTIMIZE)
def test_path_options_ellipsis_broadcasting(expr, optimize):
    same_path(*expr, optimize)


@settings(max_examples=200, deadline=None)
@given(expressions(max_ops=4), st.data())
def test_explicit_paths(expr, data):
    """Explicit paths (complete ones and incomplete ones, which raise) give NumPy's report."""
    subscripts, shapes = expr
    n = len(shapes)
    path = ["einsum_path"]
    while n > 1 and data.draw(st.integers(0, 5)):
        k = data.draw(st.integers(1, n))
        path.append(tuple(sorted(data.draw(st.permutations(range(n)))[:k])))
        n -= k - 1
    same_path(subscripts, shapes, path)


def test_known_paths():
    ten = [(10, 10)] * 2 + [(10, 10, 10, 10)] + [(10, 10)] * 2
    for optimize in ["greedy", "optimal", True, False, ("greedy", 100), ("optimal", 1000)]:
        same_path("ea,fb,abcd,gc,hd->efgh", ten, optimize)
        same_path("ij,jk,kl->il", [(2, 30), (30, 4), (4, 50)], optimize)
        same_path("i,j,k->ijk", [(2,), (3,), (4,)], optimize)
        same_path("ab,cd,ef->", [(2, 2)] * 3, optimize)
        same_path("i,i,i,i", [(2,)] * 4, optimize)
        same_path("...ij,...jk", [(2, 3, 4), (4, 5)], optimize)
        same_path("...i,...i", [(1, 3), (4, 5, 3)], optimize)
        same_path("ij,jk,kl", [(2, 3), (3, 4), (4, 5)], ["einsum_path", (1, 2), (0, 1)])


BAD_SUBSCRIPTS = [
    ("i$", [(3,)]), ("i->->i", [(3,)]), ("i-i", [(3,)]), ("i>i", [(3,)]), ("i->i->", [(3,)]),
    ("i-->i", [(3,)]), ("ij-", [(3,)]), ("i$->->", [(3,)]), ("ij->ik", [(3, 4)]),
    ("ij->ii", [(3, 4)]), ("ij->kk", [(3, 4)]), ("ij->ki", [(3, 4)]), ("i->i,", [(3,)]),
    ("ij", [(3,)]), ("ij", [(3, 4, 5)]), ("ab,cd", [(2, 3), (4,)]), ("ab,cd,ef", [(2, 3), (4, 5), (3,)]),
    ("ij,jk", [(3, 4)]), ("i", [(3,), (3,)]), ("...i,jk", [(3,)]), ("->", []), ("", [(3,)]),
    ("", []), ("ij,jk", [(3, 4), (5, 2)]), ("ii", [(3, 4)]), ("..i", [(3,)]), ("....i", [(3,)]),
    (".i..", [(3,)]), ("i...j...", [(3, 2)]), ("i.j", [(2, 3)]), ("...ij", [(3,)]),
    ("i...->..", [(2, 3)]), ("i...->....", [(2, 3)]), ("...,...", [(2, 3), (4, 3)]),
    ("...i,...j", [(2, 3), (4, 5, 2)]), ("ij,jk->ix", [(2, 3)]),
    # accepted forms
    ("...->", [(3,)]), ("i->...", [(3,)]), ("...i->i...", [(3,)]), ("i,...->...", [(3,), (2, 2)]),
    ("i j -> j i", [(2, 3)]), (",->", [(), ()]), ("i,->i", [(3,), ()]), ("->", [()]),
    ("...i->i", [(2, 3)]), ("ij->...", [(2, 3)]), ("a...b,b...->...", [(2, 3, 4), (4, 3)]),
    ("...a,...a->...", [(5, 2, 3), (4, 1, 3)]), ("iij", [(3, 3, 4)]), ("i", [(0,)]),
]


@pytest.mark.parametrize("subscripts,shapes", BAD_SUBSCRIPTS)
@pytest.mark.parametrize("optimize", ["greedy", "optimal", False])
def test_subscript_errors(subscripts, shapes, optimize):
    same_path(subscripts, shapes, optimize)


def test_sublist_form():
    a, b, c = numpy.ones((3, 4)), numpy.ones((4, 2)), numpy.ones((2, 3, 4))
    cases = [
        (a, [0, 1], b, [1, 2], [0, 2]), (a, [0, 1], b, [1, 2]), (c, [Ellipsis, 1], [Ellipsis]),
        (a, [0, "a"]), (a, [0, 52]), (a, [0, -1]), (a, [0, 1.0]), (a, [0, 51]), (a, (0, 1)),
        (a, [0, 1], [0, 0]), (a, [0, 1], [Ellipsis]), (a, [0, numpy.int64(1)]), (a, [0, True]),
        (a, "ab"), (a, [Ellipsis, Ellipsis]), (a, [0, 1], numpy.ones(4)), (), (a, [0, 1], [2]),
        (numpy.ones(3), [0], numpy.ones(3), [0], numpy.ones(3), [0]), (numpy.ones(3), [0], []),
    ]
    for args in cases:
        ref = outcome(numpy.einsum_path, *args)
        ours = outcome(oxnp.einsum_path, *[to_ox(x) if isinstance(x, numpy.ndarray) else x
                                            for x in args])
        assert ours[0] == ref[0] and ours[1] == ref[1], args


@pytest.mark.parametrize("optimize", [
    5, "foo", ("greedy",), ("foo", 3), ["foo"], [], ("greedy", 3.5), ("optimal", 2),
    ["einsum_path"], ["einsum_path", (0, 1)], ["einsum_path", (0, 1, 2)],
    ["einsum_path", [0, 1], [0, 1]], ["einsum_path", (0, 5)], ["einsum_path", (2,), (0, 1), (0, 1)],
    None, 0, 1, ("greedy", None),
])
def test_optimize_argument(optimize):
    same_path("ij,jk,kl", [(2, 3), (3, 4), (4, 5)], optimize)


@settings(max_examples=150, deadline=None)
@given(expressions(max_ops=4, ellipsis=True), st.sampled_from([True, "greedy", "optimal"]))
def test_einsum_follows_the_path(expr, optimize):
    """einsum with an optimized path gives NumPy's values (small integers: exact)."""
    subscripts, shapes = expr
    rng = numpy.random.default_rng(0)
    ops = [rng.integers(-3, 4, s).astype("float64") for s in shapes]
    ref = outcome(numpy.einsum, subscripts, *ops, optimize=optimize)
    ours = outcome(oxnp.einsum, subscripts, *[to_ox(o) for o in ops], optimize=optimize)
    if isinstance(ref, tuple):
        assert isinstance(ours, tuple) and ours[0] == ref[0]
    else:
        assert not isinstance(ours, tuple), ours
        numpy.testing.assert_array_equal(numpy.asarray(ours), ref)
