"""Differential tests of the products (matmul, @, dot, vdot, inner, tensordot, einsum,
einsum_path, kron, cross, vecdot, matvec, vecmat, cov, corrcoef, trapezoid, linalg.*)
against NumPy.

Exactness: integer and bool products are compared bit for bit (integers wrap as NumPy's do),
and so is float16 (computed as NumPy's loop: float32 sums rounded once). float32/64 and
complex products go through faer's GEMM, whose summation order differs from OpenBLAS's, so
random float inputs are compared with a tight relative tolerance; inputs of small integers
make every partial sum exact, and those are compared bit for bit.
"""

import warnings

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import oxnp
from helpers import assert_same, to_ox, to_np

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
INEXACT = {"float32", "float64", "complex64", "complex128"}
RTOL = {"float32": 2e-5, "complex64": 2e-5, "float64": 1e-13, "complex128": 1e-13, "float16": 0}


def conv(v):
    if isinstance(v, numpy.ndarray):
        return to_ox(v)
    if isinstance(v, list):
        return [conv(x) for x in v]
    if isinstance(v, tuple):
        return tuple(conv(x) for x in v)
    if isinstance(v, dict):
        return {k: conv(x) for k, x in v.items()}
    return v


def expected_class(e):
    if isinstance(e, numpy.exceptions.AxisError):
        return oxnp.exceptions.AxisError
    if type(e).__name__.startswith("_UFunc") or type(e).__name__ == "UFuncTypeError":
        return oxnp.exceptions.UFuncTypeError
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def close(ours, ref, exact):
    """Exact (assert_same) or, for inexact dtypes, same dtype/shape/type and allclose."""
    if isinstance(ref, numpy.ndarray):
        assert isinstance(ours, oxnp.ndarray), f"oxnp gave {type(ours)}, NumPy an array"
        got = to_np(ours)
    else:
        assert type(ours).__name__ == type(ref).__name__, (type(ours), type(ref))
        got = numpy.asarray(ours)
        ref = numpy.asarray(ref)
    if ref.dtype.name not in INEXACT:
        assert_same(oxnp.asarray(got) if not isinstance(ours, oxnp.ndarray) else ours, ref)
        return
    if exact:  # exact values; the sign of a zero may differ (BLAS vs faer accumulation)
        assert got.dtype == ref.dtype and got.shape == ref.shape, (got.dtype, ref.dtype, got.shape, ref.shape)
        numpy.testing.assert_array_equal(got, ref)
        return
    assert got.dtype == ref.dtype and got.shape == ref.shape, (got.dtype, ref.dtype, got.shape, ref.shape)
    scale = numpy.max(numpy.abs(ref)) if ref.size else 0
    numpy.testing.assert_allclose(got, ref, rtol=RTOL[ref.dtype.name], atol=RTOL[ref.dtype.name] * scale)


def check(fn, *args, exact=True, **kw):
    """Calls numpy.<fn> and oxnp.<fn> (fn a dotted name) alike: same result or error class."""
    def get(mod):
        f = mod
        for part in fn.split("."):
            f = getattr(f, part)
        return f
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = get(numpy)(*args, **kw)
    except Exception as e:  # noqa: BLE001 - the class is what we compare
        with pytest.raises(expected_class(e)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                get(oxnp)(*conv(args), **conv(kw))
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = get(oxnp)(*conv(args), **conv(kw))
    if isinstance(ref, tuple):
        for o, r in zip(ours, ref):
            close(o, r, exact)
    else:
        close(ours, ref, exact)
    return ours


def ints(dtype, shape, seed=0):
    """Small integers in `dtype`: every product and partial sum is exact in every dtype."""
    rng = numpy.random.default_rng(seed)
    n = int(numpy.prod(shape))
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    v = rng.integers(-3 if numpy.dtype(dtype).kind in "ifc" else 0, 4, n)
    if numpy.dtype(dtype).kind == "c":
        return (v + 1j * rng.integers(-3, 4, n)).astype(dtype).reshape(shape)
    return v.astype(dtype).reshape(shape)


def randn(dtype, shape, seed=0):
    rng = numpy.random.default_rng(seed)
    v = rng.standard_normal(shape)
    if numpy.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(shape)
    return v.astype(dtype)


# --- matmul -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_dtypes_exact(dtype):
    a, b = ints(dtype, (4, 5)), ints(dtype, (5, 3), 1)
    check("matmul", a, b)
    check("matmul", a[0], b)
    check("matmul", a, b[:, 0])
    check("matmul", a[0], b[:, 0])
    check("matmul", ints(dtype, (2, 1, 4, 5)), ints(dtype, (3, 5, 2), 2))


@pytest.mark.parametrize("dtype", sorted(INEXACT))
def test_matmul_random_floats(dtype):
    for n, k, m in [(7, 13, 5), (70, 130, 50), (1, 300, 1), (200, 3, 1)]:
        check("matmul", randn(dtype, (n, k)), randn(dtype, (k, m), 1), exact=False)
    check("matmul", randn(dtype, (3, 8, 9)), randn(dtype, (9, 4), 1), exact=False)


def test_matmul_float16_matches_numpy_loop():
    a, b = randn("float16", (6, 300)), randn("float16", (300, 5), 1)
    check("matmul", a, b)
    check("dot", a, b)


def test_matmul_wraps_integers():
    a = numpy.full((2, 40), 100, numpy.int8)
    check("matmul", a, a.T)
    big = numpy.full((3, 3), 2**62, numpy.int64)
    check("matmul", big, big)
    check("matmul", numpy.full((2, 2), 255, numpy.uint8), numpy.full((2, 2), 255, numpy.uint8))


def test_matmul_mixed_dtypes():
    check("matmul", ints("int8", (3, 4)), ints("uint8", (4, 2)))
    check("matmul", ints("int32", (3, 4)), ints("float32", (4, 2)))
    check("matmul", ints("bool", (3, 4)), ints("int16", (4, 2)))
    check("matmul", ints("float16", (3, 4)), ints("complex64", (4, 2)))
    check("matmul", [[1, 2], [3, 4]], [[1.5], [2]])


@pytest.mark.parametrize("shapes", [
    ((0, 3), (3, 4)), ((3, 0), (0, 4)), ((3, 4), (4, 0)), ((0,), (0,)), ((2, 0, 3), (3, 5)),
    ((0, 2, 3), (1, 3, 2)), ((5, 0), (0,)), ((4,), (4, 0)),
])
def test_matmul_empty(shapes):
    for dtype in ["float64", "int64", "bool", "float16", "complex64"]:
        check("matmul", ints(dtype, shapes[0]), ints(dtype, shapes[1], 1))


def test_matmul_strides():
    for dtype in ["float64", "float32", "complex128", "int32", "bool", "float16"]:
        a = ints(dtype, (6, 8))
        b = ints(dtype, (8, 10), 1)
        check("matmul", a[::2, ::-1], b[::-1, 1::3])
        check("matmul", a.T, b[:6].T.T[:, :5].T[:6].T)  # transposed (F-order) operands
        check("matmul", a[::-1, ::-2], b[::-2])
        check("matmul", numpy.broadcast_to(a[0], (4, 8)), b)
        check("matmul", a[:, 3], b[3::-1].T)


def test_matmul_unaligned():
    buf = numpy.zeros(8 * 13 + 1, numpy.uint8)
    a = numpy.frombuffer(buf[1:].tobytes(), numpy.float64).reshape(13, 1)[:, 0]
    x = to_ox(numpy.arange(26.0).reshape(13, 2))
    ours = oxnp.matmul(x[:, 0], x)
    numpy.testing.assert_array_equal(to_np(ours), numpy.arange(26.0).reshape(13, 2)[:, 0] @ numpy.arange(26.0).reshape(13, 2))
    assert a.shape == (13,)


def test_matmul_errors():
    check("matmul", numpy.ones(3), numpy.ones(2))
    check("matmul", numpy.ones((2, 3)), numpy.ones((2, 3)))
    check("matmul", numpy.ones((2, 2, 2)), numpy.ones((3, 2, 2)))
    check("matmul", numpy.ones((2, 2)), numpy.ones((2, 2)), out=numpy.ones((2, 2), int))
    check("matmul", numpy.ones((2, 2)), numpy.ones((2, 2)), dtype=int)
    check("matmul", numpy.ones((2, 2)), numpy.ones((2, 2)), out=numpy.ones((3, 2)))
    check("matmul", numpy.ones((2, 2)), numpy.ones((2, 2)), axis=0)
    for a, b in [(numpy.float64(2), numpy.ones(2)), (numpy.ones(2), 3), (numpy.ones((2, 2)), 2.0)]:
        check("matmul", a, b)
    msg = "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature " \
          "(n?,k),(k,m?)->(n?,m?) (size 3 is different from 2)"
    with pytest.raises(ValueError) as info:
        oxnp.matmul(oxnp.ones((4, 2)), oxnp.ones((3, 5)))
    assert str(info.value) == msg


def test_matmul_out_dtype_casting_axes():
    a, b = ints("float64", (3, 4)), ints("float64", (4, 2), 1)
    out = numpy.zeros((3, 2), numpy.float32)
    ours_out = to_ox(out)
    r = oxnp.matmul(to_ox(a), to_ox(b), out=ours_out)
    assert r is ours_out
    assert_same(ours_out, numpy.matmul(a, b, out=out))
    check("matmul", a, b, dtype="float32")
    check("matmul", ints("int64", (3, 4)), ints("int64", (4, 2)), dtype="float64")
    check("matmul", a, b, dtype="int64", casting="unsafe")
    check("matmul", a, b, out=numpy.zeros((2, 3, 2)))  # out broadcasts the batch
    check("matmul", a, b, out=(numpy.zeros((3, 2)),))
    x, y = ints("int64", (2, 3, 4)), ints("int64", (4, 3, 5), 1)
    check("matmul", x, y, axes=[(-2, -1), (0, 2), (0, 1)])
    check("matmul", x, y.transpose(1, 0, 2), axes=[(1, 2), (1, 2), (1, 2)])
    assert oxnp.matmul.__name__ == "matmul"


def test_matmul_out_overlaps_input():
    a = ints("float64", (3, 3))
    oa = to_ox(a)
    oxnp.matmul(oa, oa, out=oa)
    assert_same(oa, a @ a)


def test_matmul_operators():
    a, b = ints("int32", (3, 3)), ints("int32", (3, 3), 1)
    oa, ob = to_ox(a), to_ox(b)
    assert_same(oa @ ob, a @ b)
    assert_same(oa @ [1, 2, 3], a @ [1, 2, 3])
    assert_same([1, 2, 3] @ oa, [1, 2, 3] @ a)
    assert_same(oa @ b, a @ b)  # a NumPy operand converts
    x = a.copy()
    ox = to_ox(a)
    x @= b
    ox @= ob
    assert_same(ox, x)
    ox1, x1 = to_ox(a[0]), a[0].copy()
    x1 @= b
    ox1 @= ob
    assert_same(ox1, x1)
    for lhs, rhs in [(numpy.ones((2, 3)), numpy.ones((3, 4))), (numpy.ones((2, 3)), numpy.ones(3)),
                     (numpy.ones((3, 3), int), numpy.ones((3, 3)))]:
        with pytest.raises(Exception) as ref:
            lhs2 = lhs.copy()
            lhs2 @= rhs
        ol = to_ox(lhs)
        with pytest.raises(expected_class(ref.value)):
            ol @= to_ox(rhs)
    with pytest.raises(ValueError):
        oa @ 2


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_matmul_hypothesis(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    n, k, m = (data.draw(st.integers(0, 5)) for _ in range(3))
    batch_a = data.draw(st.lists(st.sampled_from([1, 2, 3]), max_size=2))
    batch_b = data.draw(st.lists(st.sampled_from([1, 2, 3]), max_size=2))
    a1 = data.draw(st.booleans())
    b1 = data.draw(st.booleans())
    sa = (k,) if a1 else tuple(batch_a) + (n, k)
    sb = (k,) if b1 else tuple(batch_b) + (k, m)
    a, b = ints(dtype, sa, 1), ints(dtype, sb, 2)
    if data.draw(st.booleans()) and a.ndim >= 2:
        a = numpy.swapaxes(numpy.swapaxes(a, -1, -2).copy(), -1, -2)  # F-order core
    if data.draw(st.booleans()) and b.ndim >= 1:
        b = b[..., ::-1, :] if b.ndim >= 2 else b[::-1]
    check("matmul", a, b)


# --- dot, vdot, inner ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_dot_dtypes(dtype):
    check("dot", ints(dtype, (3, 4)), ints(dtype, (4, 2), 1))
    check("dot", ints(dtype, (4,)), ints(dtype, (4,), 1))
    check("dot", ints(dtype, (2, 3, 4)), ints(dtype, (5, 4, 2), 1))
    check("dot", ints(dtype, (2, 3, 4)), ints(dtype, (4,), 1))
    check("dot", ints(dtype, (4,)), ints(dtype, (3, 4, 2), 1))
    check("vdot", ints(dtype, (2, 3)), ints(dtype, (3, 2), 1))
    check("inner", ints(dtype, (2, 3)), ints(dtype, (4, 3), 1))
    check("inner", ints(dtype, (3,)), ints(dtype, (2, 2, 3), 1))


def test_dot_scalars_and_errors():
    a = ints("float32", (2, 3))
    check("dot", 2.0, a)
    check("dot", a, numpy.int64(3))
    check("dot", numpy.float64(2), numpy.float64(3))
    check("inner", 2, ints("int8", (3,)))
    check("dot", numpy.ones((2, 3)), numpy.ones((2, 3)))
    check("dot", numpy.ones(3), numpy.ones(2))
    check("inner", numpy.ones(3), numpy.ones(2))
    check("vdot", numpy.ones(3), numpy.ones(2))
    check("dot", randn("float64", (30, 40)), randn("float64", (40,)), exact=False)
    check("vdot", randn("complex128", (50,)), randn("complex128", (50,), 1), exact=False)
    check("dot", randn("float64", (1000,)), randn("float64", (1000,), 1), exact=False)


def test_dot_out():
    a, b = ints("float64", (3, 4)), ints("float64", (4, 2), 1)
    out = numpy.zeros((3, 2))
    oo = to_ox(out)
    assert oxnp.dot(to_ox(a), to_ox(b), out=oo) is oo
    numpy.dot(a, b, out=out)
    assert_same(oo, out)
    check("dot", a, b, out=numpy.zeros((3, 2), numpy.float32))
    with pytest.raises(ValueError):
        oxnp.dot(to_ox(a), to_ox(b), out=oxnp.zeros((2, 3)).T)
    check("dot", a, b, out=numpy.zeros((3, 3)))
    oa = to_ox(a)
    assert_same(oa.dot(to_ox(b)), a.dot(b))


def test_vdot_conjugates_and_flattens():
    a, b = ints("complex128", (2, 3)), ints("complex128", (3, 2), 1)
    check("vdot", a, b)
    check("vdot", a.T, b)
    check("vdot", ints("bool", (5,)), ints("bool", (5,), 1))
    check("vdot", numpy.complex64(1 + 2j), numpy.complex64(3 - 1j))


# --- tensordot, einsum, einsum_path ------------------------------------------------------

@pytest.mark.parametrize("dtype", ["int64", "float64", "complex64", "bool", "int8", "float16"])
def test_tensordot(dtype):
    a, b = ints(dtype, (3, 4, 5)), ints(dtype, (4, 3, 2), 1)
    check("tensordot", a, b, axes=([1, 0], [0, 1]))
    check("tensordot", a, ints(dtype, (4, 5, 2)), axes=2)
    check("tensordot", a, ints(dtype, (5, 2)), axes=1)
    check("tensordot", a, ints(dtype, (2, 2)), axes=0)
    check("tensordot", a, b, axes=(1, 0))
    check("tensordot", a, b, axes=([0, 0], [1, 1]))
    check("tensordot", a, b, axes=([0], [0]))


EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ij,kj->ik", [(3, 4), (5, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("i,i", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("...i,...i", [(2, 3), (3,)]),
    ("i...->...", [(3, 2, 2)]),
    ("ijk,ilm,njm,nlk->", [(2, 3, 4), (2, 3, 3), (2, 4, 3), (2, 3, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("iij,jk->ik", [(3, 3, 4), (4, 2)]),
    ("ijj->i", [(2, 3, 3)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("ij,ij->", [(3, 4), (3, 4)]),
    ("i,i,i->", [(4,), (4,), (4,)]),
    ("ab,cd->", [(2, 3), (4, 5)]),
    ("ij,j->i", [(0, 3), (3,)]),
    ("ij,jk->ik", [(3, 0), (0, 2)]),
    (",i->i", [(), (3,)]),
    ("ij,jk->ik", [(1, 4), (4, 1)]),
    ("ij,ij->i", [(3, 4), (1, 4)]),
]


@pytest.mark.parametrize("optimize", [False, True, "greedy", "optimal"])
@pytest.mark.parametrize("subscripts,shapes", EINSUM_CASES)
def test_einsum(subscripts, shapes, optimize):
    for dtype in ["int64", "int8", "bool", "float64", "complex128"]:
        ops = [ints(dtype, s, i) for i, s in enumerate(shapes)]
        check("einsum", subscripts, *ops, optimize=optimize)


def test_einsum_floats_and_options():
    a, b = randn("float64", (30, 40)), randn("float64", (40, 20), 1)
    check("einsum", "ij,jk->ik", a, b, exact=False)
    check("einsum", "ij,jk->ik", a, b, optimize=True, exact=False)
    check("einsum", "ij,jk->ik", a.astype("float32"), b.astype("float32"), exact=False)
    check("einsum", "ij,jk->ik", ints("int32", (3, 4)), ints("int32", (4, 2)), dtype="float64")
    check("einsum", "ij,jk->ik", ints("float64", (3, 4)), ints("float64", (4, 2)), dtype="int64")
    check("einsum", "ij,jk->ik", ints("float64", (3, 4)), ints("float64", (4, 2)), dtype="int64",
          casting="unsafe")
    check("einsum", "ij,jk->ik", ints("int8", (3, 4)), ints("uint8", (4, 2)))
    check("einsum", ints("int64", (3, 4)), [0, 1], ints("int64", (4, 2)), [1, 2], [0, 2])
    check("einsum", ints("int64", (2, 3, 4)), [Ellipsis, 1], [Ellipsis])
    out = numpy.zeros((3, 2))
    oo = to_ox(out)
    oxnp.einsum("ij,jk->ik", to_ox(ints("float64", (3, 4))), to_ox(ints("float64", (4, 2))), out=oo)
    numpy.einsum("ij,jk->ik", ints("float64", (3, 4)), ints("float64", (4, 2)), out=out)
    assert_same(oo, out)


def test_einsum_errors():
    check("einsum", "ij,jk->ik", numpy.ones((3, 4)), numpy.ones((5, 2)))
    check("einsum", "ij->ik", numpy.ones((3, 4)))
    check("einsum", "ij->ii", numpy.ones((3, 4)))
    check("einsum", "ij", numpy.ones(3))
    check("einsum", "ij,jk", numpy.ones((3, 4)))
    check("einsum", "i$", numpy.ones((3, 4)))
    check("einsum", "ii", numpy.ones((3, 4)))
    check("einsum", "i->->i", numpy.ones(3))


@pytest.mark.parametrize("optimize", ["greedy", "optimal", True, False])
def test_einsum_path(optimize):
    for subscripts, shapes in [("ijk,ilm,njm,nlk,abc->", [(2, 3, 4), (2, 3, 3), (2, 3, 3), (2, 3, 4), (2, 2, 2)]),
                               ("ij,jk,kl->il", [(2, 30), (30, 4), (4, 50)]),
                               ("ea,fb,abcd,gc,hd->efgh", [(10, 10)] * 2 + [(10, 10, 10, 10)] + [(10, 10)] * 2)]:
        ops = [ints("float64", s) for s in shapes]
        ref = numpy.einsum_path(subscripts, *ops, optimize=optimize)
        ours = oxnp.einsum_path(subscripts, *[to_ox(o) for o in ops], optimize=optimize)
        assert ours[0] == ref[0]
        assert ours[1] == ref[1]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_einsum_hypothesis(data):
    letters = "abcd"
    nops = data.draw(st.integers(1, 3))
    sizes = {c: data.draw(st.integers(0, 3)) for c in letters}
    terms = [data.draw(st.text(letters, min_size=0, max_size=3)) for _ in range(nops)]
    used = sorted(set("".join(terms)))
    output = "".join(data.draw(st.permutations(used))[: data.draw(st.integers(0, len(used)))])
    explicit = data.draw(st.booleans())
    sub = ",".join(terms) + ("->" + output if explicit else "")
    dtype = data.draw(st.sampled_from(["int64", "int16", "bool", "float64", "complex64"]))
    ops = [ints(dtype, tuple(sizes[c] for c in t), i) for i, t in enumerate(terms)]
    optimize = data.draw(st.sampled_from([False, "greedy", "optimal"]))
    check("einsum", sub, *ops, optimize=optimize)


def test_einsum_greedy_path_with_zero_size_label():
    # A zero-size label makes the naive FLOP count 0; NumPy's greedy search then takes only
    # merges that cost nothing, which decides the path and whether the result is 0-d.
    a, d = numpy.zeros(0, "int64"), numpy.arange(2, dtype="int64")
    for sub, ops in [("a,d,d->", (a, d, d)), ("d,a,d->d", (d, a, d)), ("ab,b,a->", (numpy.ones((0, 2)), d, a))]:
        ref = numpy.einsum_path(sub, *ops, optimize="greedy")[0]
        assert oxnp.einsum_path(sub, *map(to_ox, ops), optimize="greedy")[0] == ref, sub
        check("einsum", sub, *ops, optimize="greedy")


# --- kron, cross, vecdot/matvec/vecmat ----------------------------------------------------

def test_kron():
    for dtype in ["int64", "float64", "bool", "complex64", "int8"]:
        check("kron", ints(dtype, (2, 3)), ints(dtype, (3, 2), 1))
        check("kron", ints(dtype, (2,)), ints(dtype, (3, 2), 1))
        check("kron", ints(dtype, (2, 2, 2)), ints(dtype, (3,), 1))
        check("kron", ints(dtype, ()), ints(dtype, (3,), 1))
        check("kron", ints(dtype, (0, 2)), ints(dtype, (3,), 1))
    check("kron", [1, 2], [[1.5, 2]])


def test_cross():
    for dtype in ["int64", "float64", "int8", "complex128", "uint8"]:
        a, b = ints(dtype, (4, 3)), ints(dtype, (4, 3), 1)
        check("cross", a, b)
        check("cross", a[0], b[0])
        check("cross", a.T, b.T, axisa=0, axisb=0, axisc=0)
        check("cross", a, b[:, :2])
        check("cross", a[:, :2], b)
        check("cross", a[:, :2], b[:, :2])
        check("cross", a[:, None, :], b)
        check("cross", a.T, b.T, axis=0)
    check("cross", numpy.ones((3, 4)), numpy.ones((3, 4)))
    check("cross", numpy.ones(3), numpy.ones(3), axisa=2)
    check("cross", numpy.ones(3), numpy.ones(3), axisc=3)
    check("cross", 1.0, numpy.ones(3))
    with pytest.warns(DeprecationWarning):
        oxnp.cross(oxnp.ones(2), oxnp.ones(2))


@pytest.mark.parametrize("dtype", ["int64", "float64", "complex128", "bool", "int16", "float32"])
def test_vecdot_matvec_vecmat(dtype):
    a, b = ints(dtype, (2, 4, 3)), ints(dtype, (4, 3), 1)
    check("vecdot", a, b)
    check("vecdot", a, b[0])
    check("vecdot", a, b.T, axis=0) if False else None
    check("vecdot", ints(dtype, (3, 4)), ints(dtype, (3, 5)), axis=0)
    check("matvec", a, b)
    check("matvec", ints(dtype, (3, 4)), ints(dtype, (4,)))
    check("vecmat", ints(dtype, (4,)), ints(dtype, (2, 4, 3)))
    check("vecdot", ints(dtype, (3,)), ints(dtype, (2,)))
    check("matvec", ints(dtype, (3,)), ints(dtype, (3,)))
    check("vecmat", ints(dtype, (2, 3)), ints(dtype, (2, 3)))


# --- cov, corrcoef, trapezoid ---------------------------------------------------------------

def test_cov_corrcoef():
    x = randn("float64", (3, 10))
    y = randn("float64", (2, 10), 1)
    for kw in [{}, {"rowvar": False}, {"bias": True}, {"ddof": 3}, {"fweights": numpy.arange(10) % 3 + 1},
               {"aweights": numpy.linspace(0.1, 1, 10)},
               {"fweights": numpy.arange(10) % 3 + 1, "aweights": numpy.linspace(0.1, 1, 10), "ddof": 2},
               {"dtype": "float32"}]:
        check("cov", x, exact=False, **kw)
    check("cov", x, y, exact=False)
    check("cov", x[0], exact=False)
    check("cov", ints("int64", (3, 6)), exact=False)
    check("cov", randn("complex128", (2, 5)), exact=False)
    check("cov", x.T, y.T, rowvar=False, exact=False)
    check("corrcoef", x, exact=False)
    check("corrcoef", x, y, exact=False)
    check("corrcoef", x[0], exact=False)
    check("corrcoef", randn("complex128", (2, 5)), exact=False)
    check("cov", numpy.ones((2, 2, 2)))
    check("cov", x, ddof=1.5)
    check("cov", x, fweights=numpy.ones(10) * 1.5)
    check("cov", x, fweights=-numpy.ones(10))
    check("cov", numpy.ones((0, 3)))


def test_trapezoid():
    y = ints("float64", (3, 5))
    check("trapezoid", y)
    check("trapezoid", y, axis=0)
    check("trapezoid", y, dx=0.5)
    check("trapezoid", y, x=numpy.array([0.0, 1, 3, 4, 8]))
    check("trapezoid", y, x=ints("float64", (3, 5), 1))
    check("trapezoid", [1, 2, 3])
    check("trapezoid", ints("int64", (4,)), x=[1, 2, 4, 8])


# --- linalg ---------------------------------------------------------------------------------

def test_linalg_products():
    a, b = ints("int64", (3, 3)), ints("int64", (3, 3), 1)
    check("linalg.matmul", a, b)
    check("linalg.vecdot", a, b)
    check("linalg.vecdot", a, b, axis=0)
    check("linalg.outer", a[0], b[0])
    check("linalg.outer", a, b)
    check("linalg.cross", a, b)
    check("linalg.cross", a[:, :2], b[:, :2])
    check("linalg.tensordot", a, b, axes=1)
    check("linalg.trace", ints("int64", (2, 3, 3)))
    check("linalg.trace", ints("int64", (2, 3, 3)), offset=1)
    check("linalg.diagonal", ints("int64", (2, 3, 3)))
    check("linalg.matrix_transpose", ints("int64", (2, 3, 4)))
    for n in [0, 1, 2, 3, 5, 8, 13]:
        check("linalg.matrix_power", ints("int64", (3, 3)), n)
        check("linalg.matrix_power", ints("int64", (2, 3, 3)), n)
    check("linalg.matrix_power", ints("int64", (3, 4)), 2)
    check("linalg.matrix_power", ints("int64", (3, 3)), 2.0)
    check("linalg.matrix_power", ints("int64", (3,)), 2)


def test_multi_dot():
    shapes = [(10, 30), (30, 5), (5, 60), (60, 2), (2, 7)]
    arrs = [ints("int64", s, i) for i, s in enumerate(shapes)]
    for k in range(2, 6):
        check("linalg.multi_dot", arrs[:k])
    check("linalg.multi_dot", [arrs[0][0], arrs[1], arrs[2]])
    check("linalg.multi_dot", [arrs[0][0], arrs[1], arrs[2], arrs[3][:, 0]])
    check("linalg.multi_dot", [arrs[0], arrs[1], arrs[2][:, 0]])
    check("linalg.multi_dot", [arrs[0]])
    check("linalg.multi_dot", [ints("int64", (2, 2, 2)), arrs[0], arrs[1]])
    check("linalg.multi_dot", [randn("float64", s, i) for i, s in enumerate(shapes)], exact=False)


def test_fp_warnings():
    inf = float("inf")
    cases = [("matmul", [[inf, 0.0]], [[0.0], [1.0]]), ("dot", [[inf, 0.0]], [[0.0], [1.0]]),
             ("inner", [inf, 0.0], [0.0, 1.0]), ("matmul", [[1e200]], [[1e200]]),
             ("matmul", [[numpy.nan, 1.0]], [[1.0], [1.0]])]
    for name, a, b in cases:
        a, b = numpy.array(a), numpy.array(b)
        with numpy.errstate(all="raise"):
            try:
                getattr(numpy, name)(a, b)
                raised = None
            except FloatingPointError as e:
                raised = str(e)
        with oxnp.errstate(all="raise"):
            if raised is None:
                getattr(oxnp, name)(to_ox(a), to_ox(b))
            else:
                with pytest.raises(FloatingPointError) as info:
                    getattr(oxnp, name)(to_ox(a), to_ox(b))
                assert str(info.value) == raised
