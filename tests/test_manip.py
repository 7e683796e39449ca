"""Differential tests of the manipulation and selection functions against NumPy."""

import numpy
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import oxnp
from helpers import assert_same, outcome, ox_call, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def conv(v):
    if isinstance(v, numpy.ndarray):
        return to_ox(v)
    if isinstance(v, list):
        return [conv(x) for x in v]
    if isinstance(v, tuple):
        return tuple(conv(x) for x in v)
    return v


def compare(ours, ref):
    if isinstance(ref, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(ref)
        for o, r in zip(ours, ref):
            compare(o, r)
    elif isinstance(ref, numpy.ndarray):
        assert_same(ours, ref)
    else:
        assert type(ours).__name__ == type(ref).__name__, (type(ours), type(ref))
        assert_same(oxnp.asarray(ours), numpy.asarray(ref))


def expected_class(e):
    """oxnp's class for a NumPy exception: its own AxisError/UFuncTypeError, else the builtin."""
    if isinstance(e, numpy.exceptions.AxisError):
        return oxnp.exceptions.AxisError
    if type(e).__name__.startswith("_UFunc") or type(e).__name__ == "UFuncTypeError":
        return oxnp.exceptions.UFuncTypeError
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def check(name, *args, **kw):
    """Calls numpy.<name> and oxnp.<name> with the same inputs; same result or error class."""
    try:
        ref = getattr(numpy, name)(*args, **kw)
    except Exception as e:  # noqa: BLE001 - the class is what we compare
        with pytest.raises(expected_class(e)):
            ox_call(getattr(oxnp, name), *conv(args), **conv(kw))
        return None
    ours = ox_call(getattr(oxnp, name), *conv(args), **conv(kw))
    compare(ours, ref)
    return ours


def check_message(name, *args, **kw):
    """Like `check`, and an error must carry NumPy's message too."""
    try:
        getattr(numpy, name)(*args, **kw)
    except Exception as e:  # noqa: BLE001 - class and message are compared
        with pytest.raises(expected_class(e)) as info:
            getattr(oxnp, name)(*conv(args), **conv(kw))
        assert str(info.value) == str(e)
        return
    check(name, *args, **kw)


def sample(dtype, shape, seed=0):
    rng = numpy.random.default_rng(seed)
    n = int(numpy.prod(shape))
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    kind = numpy.dtype(dtype).kind
    if kind in "iu":
        return rng.integers(0, 5, n).astype(dtype).reshape(shape)
    v = rng.standard_normal(n) * 3
    if kind == "c":
        v = v + 1j * rng.standard_normal(n)
    return v.astype(dtype).reshape(shape)


@pytest.mark.parametrize("dtype", DTYPES)
def test_concatenate_dtypes(dtype):
    a = sample(dtype, (2, 3))
    b = sample("int8", (1, 3), 1)
    check("concatenate", [a, b])
    check("concatenate", [a, a], axis=1)
    check("concatenate", [a, b], axis=None)
    check("concatenate", (a, a), axis=-1, dtype="float64", casting="unsafe")


def test_concatenate_errors_and_out():
    a = numpy.arange(6).reshape(2, 3)
    check("concatenate", [])
    check("concatenate", [numpy.array(1), numpy.array(2)])
    check("concatenate", [a, numpy.arange(3)])
    check("concatenate", [a, numpy.arange(4).reshape(2, 2)], axis=0)
    check("concatenate", [a, a], axis=2)
    check("concatenate", [a, a.astype(float)], dtype="int64")
    with pytest.raises(ValueError, match="along dimension 1, the array at index 0 has size 3"):
        oxnp.concatenate([to_ox(a), to_ox(numpy.arange(4).reshape(2, 2))], axis=0)
    out = oxnp.zeros((4, 3))
    r = oxnp.concatenate([to_ox(a), to_ox(a)], out=out)
    assert r is out
    assert_same(out, numpy.concatenate([a, a], out=numpy.zeros((4, 3))))
    with pytest.raises(ValueError):
        oxnp.concatenate([to_ox(a)], out=oxnp.zeros((3, 3)))
    with pytest.raises(TypeError):
        oxnp.concatenate([to_ox(a)], out=oxnp.zeros((2, 3)), dtype="float64")


@given(hnp.arrays(numpy.int16, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)),
       st.integers(-3, 2), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_concatenate_stack_hypothesis(a, axis, k):
    parts = [a[..., ::-1] if i % 2 else a for i in range(k)]
    check("concatenate", parts, axis=axis)
    check("stack", parts, axis=axis)
    check("vstack", parts)
    check("hstack", parts)
    check("dstack", parts) if parts else None
    check("column_stack", parts) if parts else None


def test_stack_family():
    a, b = numpy.arange(3), numpy.arange(3, 6)
    for name in ["stack", "vstack", "hstack", "dstack", "column_stack"]:
        check(name, [a, b])
        check(name, [a.reshape(3, 1), b.reshape(3, 1)])
    check("stack", [a, b], axis=1)
    check("stack", [a, b], axis=-1, dtype="float32")
    check("stack", [a, numpy.arange(4)])
    check("stack", [])
    check("stack", [numpy.array(1.5), numpy.array(2)])
    check("hstack", [numpy.array(1), numpy.array(2)])


@pytest.mark.parametrize("dtype", DTYPES)
def test_where(dtype):
    x = sample(dtype, (3, 4))
    y = sample(dtype, (4,), 2)
    c = sample("bool", (3, 1), 3)
    check("where", c, x, y)
    check("where", c, x, 0)
    check("where", c, 1.5, x)
    check("where", x, x, y)
    check("where", x)
    check("where", c, x)
    check("where", numpy.array(True), numpy.array(1, "int8"), 2)
    check("where", c, x, numpy.zeros((2, 4)))
    # Lists and tuples are arrays; Python numbers are weak, converted on their own then cast.
    check("where", c, x, [[1, 2, 3, 4]])
    check("where", [[True], [False], [True]], (0.5, 1, 2, 3), x)
    check("where", c, x, -3)
    check("where", c, x, 1000)
    check("where", [1, 0, 2], [1, 2, 3], [4, 5, 6])


def test_list_operands_of_select_and_clip():
    c = numpy.array([True, False, True])
    check("select", [c], [[1, 2, 3]], 0.5)
    check("select", [c, ~c], [[1, 2, 3], (4.5, 5, 6)])
    check("select", [c], [numpy.arange(3, dtype="uint8")], 7)
    check("clip", [1, 2, 30], 0, 5)
    check("clip", numpy.arange(3, dtype="uint8"), [0, 1, 1], 2)
    check("clip", numpy.arange(4.0), (1, 1, 2, 2), [2, 3.5, 3, 3])


@given(hnp.arrays(numpy.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                  elements=st.sampled_from([0.0, -0.0, 1.0, numpy.nan, numpy.inf])))
@settings(max_examples=60, deadline=None)
def test_nonzero_family(a):
    if a.ndim:
        check("nonzero", a)
        ours = to_ox(a).nonzero()
        for o, r in zip(ours, a.nonzero()):
            assert_same(o, r)
    else:
        check("nonzero", a)
    check("argwhere", a)
    check("flatnonzero", a)
    check("where", a > 0.5, a, -a)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint8", "int64", "bool",
                                   "complex128"])
def test_clip(dtype):
    a = sample(dtype, (3, 4))
    check("clip", a, 1, 3)
    check("clip", a, None, 2)
    check("clip", a, 1, None)
    check("clip", a, numpy.zeros(4, dtype), 2) if dtype != "bool" else None
    check("clip", a, min=0.5, max=2.5)
    check("clip", a, 3, 1)
    check("clip", numpy.array([numpy.nan, 1.0, 5.0]), 0, numpy.nan)
    ours = to_ox(a).clip(1, 3)
    assert_same(ours, a.clip(1, 3))
    check("clip", a[0, 0], 0, 1)  # 0-d: the lower clip gives a scalar
    check("clip", numpy.asarray(a[0, 0]), 0, 1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 3])
def test_round(dtype, decimals):
    a = sample(dtype, (7,)) * (1 if dtype == "bool" else 37)
    if dtype == "bool":
        a = a.astype(bool)
    check("round", a, decimals)
    check("around", a, decimals)
    if dtype == "bool" and decimals:
        with pytest.raises(TypeError):
            to_ox(a).round(decimals)
    else:
        assert_same(to_ox(a).round(decimals), a.round(decimals))


def test_round_halves_and_scalars():
    a = numpy.array([0.5, 1.5, 2.5, -0.5, 1.005, 2.675, 12345.5, -0.0, numpy.nan, numpy.inf])
    for d in range(-2, 4):
        check("round", a, d)
        check("round", a.astype("float32"), d)
    check("round", numpy.array([15, 25, -15, 35], "int32"), -1)
    check("round", 2.5)
    check("round", 1.2345, 2)


def test_nan_to_num():
    a = numpy.array([numpy.nan, numpy.inf, -numpy.inf, 1.0, -0.0])
    for dt in ["float16", "float32", "float64"]:
        check("nan_to_num", a.astype(dt))
        check("nan_to_num", a.astype(dt), nan=5.0, posinf=9.0, neginf=-9.0)
    c = numpy.array([complex(numpy.nan, numpy.inf), complex(1, -numpy.inf)])
    check("nan_to_num", c)
    check("nan_to_num", numpy.arange(3))
    check("nan_to_num", numpy.nan)
    x = to_ox(a)
    r = oxnp.nan_to_num(x, copy=False)
    assert r is x
    # a replacement value is not replaced again by a later keyword
    check("nan_to_num", a, nan=numpy.inf, posinf=999.0)
    check("nan_to_num", a, nan=-numpy.inf, neginf=5.0, posinf=numpy.nan)
    check("nan_to_num", c, nan=numpy.inf, posinf=999.0)


def test_outer_bincount_meshgrid():
    check("outer", numpy.arange(3), numpy.arange(4.0))
    check("outer", numpy.arange(6).reshape(2, 3), numpy.arange(2, dtype="int8"))
    x = numpy.array([0, 1, 1, 3, 2, 1, 7])
    check("bincount", x)
    check("bincount", x, minlength=10)
    check("bincount", x, weights=numpy.linspace(0, 1, 7))
    check("bincount", numpy.array([], dtype="int64"))
    check("bincount", numpy.array([-1, 2]))
    check("bincount", numpy.array([1.0, 2.0]))
    a, b, c = numpy.arange(3), numpy.arange(4.0), numpy.arange(2)
    for indexing in ["xy", "ij"]:
        for sparse in [False, True]:
            check("meshgrid", a, b, c, indexing=indexing, sparse=sparse)
            check("meshgrid", a, b, indexing=indexing, sparse=sparse)
    check("meshgrid", a)
    check("meshgrid")


@given(hnp.arrays(numpy.int32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)),
       st.integers(-3, 2), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_diff_roll_flip_repeat(a, axis, n):
    check("diff", a, n=n, axis=axis)
    check("diff", a.astype(bool), axis=axis)
    check("diff", a, axis=axis, prepend=0, append=a)
    check("roll", a, n - 1)
    check("roll", a, n - 5, axis=axis)
    check("roll", a, (1, 2), axis=(0, -1))
    check("flip", a)
    check("flip", a, axis)
    check("repeat", a, n)
    check("repeat", a, n, axis=axis)
    check("tile", a, n)
    check("tile", a, (2, n))
    check("rot90", a, n) if a.ndim >= 2 else None


def test_repeat_tile_errors():
    a = numpy.arange(6).reshape(2, 3)
    check("repeat", a, [1, 2], axis=0)
    check("repeat", a, [1, 2, 3], axis=0)
    check("repeat", a, -1)
    check("repeat", a, 1.5)
    check("fliplr", a)
    check("flipud", a)
    check("fliplr", numpy.arange(3))
    for k in range(-1, 5):
        check("rot90", a, k)
        check("rot90", a.reshape(1, 2, 3), k, axes=(2, 0))
    check("rot90", a, axes=(0, 0))


@given(hnp.arrays(numpy.float32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6)),
       st.integers(1, 4), st.integers(-3, 2))
@settings(max_examples=60, deadline=None)
def test_split_family(a, n, axis):
    check("array_split", a, n, axis=axis)
    check("split", a, n, axis=axis)
    check("split", a, [1, 3], axis=axis)
    check("hsplit", a, n)
    check("vsplit", a, n)
    check("dsplit", a, n)


def test_append_insert_delete_resize_trim():
    a = numpy.arange(12).reshape(3, 4)
    check("append", a, [1, 2])
    check("append", a, a, axis=0)
    check("append", a, [[1, 2, 3]], axis=0)
    check("delete", a, 1)
    check("delete", a, [0, 2], axis=1)
    check("delete", a, slice(0, 3, 2), axis=0)
    check("delete", a, -1, axis=1)
    check("delete", a, 5, axis=1)
    check("delete", numpy.arange(4), numpy.array([True, False, True, False]))
    check("insert", numpy.arange(5), 2, 99)
    check("insert", numpy.arange(5), [1, 3, 3], [7, 8, 9])
    check("insert", a, 1, 5, axis=1)
    check("insert", a, 1, [5, 6, 7], axis=1)
    check("insert", a, [1], [[5], [6], [7]], axis=1)
    check("insert", a, 0, 1.7)
    check("insert", numpy.arange(5), 9, 1)
    # NumPy's rules: a one-element sequence inserts `values` as one slice, a bool mask marks
    # the positions, float positions raise, and Fortran order is kept
    for obj, values, axis in [([1], [[10], [20]], 0), (1, [[7], [8], [9]], 1), ((1,), [[5, 6, 7, 8]], 0),
                              (numpy.array([True, False, True]), 9, 0), (1.0, 9, None),
                              ([1.0], 9, None), (numpy.array([1.0, 2.0]), [10, 20], None),
                              (numpy.array([], dtype=float), [], None), ([], [], None),
                              ([5], [3, 4], None), ([-5], [3, 4], None), ([1, 1, -1], [1, 2, 3], None),
                              (slice(-1, None, -1), 9, None), ([[1]], 0, None), ([1, 30], 0, None)]:
        check_message("insert", a if axis is not None else numpy.arange(3), obj, values, axis=axis)
    for obj in [1.0, [1.0], numpy.array([1.0, 2.0]), numpy.array([], dtype=float), [],
                slice(60, None), slice(1, 8, 3), slice(8, 1, -3), [1, 30], 30, True,
                [True, False], numpy.arange(10) > 5, numpy.int8(1), numpy.array([1]), [[1]]]:
        check_message("delete", numpy.arange(10), obj)
    f = oxnp.asfortranarray(oxnp.arange(12).reshape(3, 4))
    for fn, args in [("delete", (1,)), ("delete", (slice(0, 1),)), ("delete", (slice(60, None),)),
                     ("insert", (1, 0)), ("insert", ([1, 2], 0))]:
        ref = getattr(numpy, fn)(numpy.asfortranarray(numpy.arange(12).reshape(3, 4)), *args, axis=0)
        ours = getattr(oxnp, fn)(f, *args, axis=0)
        assert_same(ours, ref)
        assert ours.flags.f_contiguous == ref.flags.f_contiguous
    check("resize", a, (2, 7))
    check("resize", numpy.arange(3), 7)
    check("resize", numpy.arange(3), (0,))
    z = numpy.array([0, 0, 1, 2, 0, 3, 0, 0])
    for trim in ["f", "b", "fb"]:
        check("trim_zeros", z, trim)
    check("trim_zeros", numpy.zeros(3))


def test_block():
    a = numpy.ones((2, 2))
    b = numpy.zeros((2, 3), "int32")
    check("block", [a, b])
    check("block", [[a, b], [numpy.ones((1, 5))]])
    check("block", [1, 2, 3])
    check("block", [[1, 2], [3, 4]])
    check("block", 5)
    check("block", [])
    check("block", [[a], a])
    check("block", (a, b))
    for nested in ([1, [2]], [1, []], [[1], 2], [[], 2], [[[1], [2]], [[3, 4]], [5]], [[]],
                   [[1], []], [[], [1]], [[[]], [[]]], ([1, 2], [3, 4]), [(1, 2), (3, 4)],
                   [[1, 2], [(3, 4)]]):
        check_message("block", nested)


def test_block_memory_order():
    for shape in [(3, 3), (3, 3, 3), (2, 1)]:
        f = oxnp.zeros(shape, order="F")
        c = oxnp.zeros(shape)
        for blocks, order in [([f, f], "F"), ([c, c], "C"), ([f, c], "C")]:
            nested = blocks
            for _ in range(len(shape) - 1):
                nested = [nested, nested]
            ref = numpy.block(oxnp_to_numpy(nested))
            res = oxnp.block(nested)
            assert res.flags.f_contiguous == ref.flags.f_contiguous
            assert res.flags.c_contiguous == ref.flags.c_contiguous


def oxnp_to_numpy(nested):
    if isinstance(nested, list):
        return [oxnp_to_numpy(x) for x in nested]
    return numpy.asarray(nested).copy(order="F" if nested.flags.f_contiguous
                                      and not nested.flags.c_contiguous else "C")


@pytest.mark.parametrize("dtype", ["int8", "float64", "bool", "complex64"])
def test_triangles_and_diagonals(dtype):
    m = sample(dtype, (4, 5))
    for k in [-5, -1, 0, 2, 7]:
        check("tril", m, k)
        check("triu", m, k)
        check("tri", 3, 4, k)
        check("diag", m, k)
        check("diag", m[0], k)
        check("diagonal", m, k)
        check("trace", m, k) if dtype != "bool" else None
        check("tril_indices", 4, k, 5)
        check("triu_indices", 4, k)
    check("tril", sample(dtype, (2, 3, 4)))
    check("diagonal", sample(dtype, (2, 3, 4)), 1, 2, 0)
    check("diagonal", m, 0, 1, 1)
    check("diagonal", m[0])
    check("diag", sample(dtype, (2, 2, 2)))
    check("tri", 3, dtype=dtype)


def test_diagonal_view_semantics():
    a = to_ox(numpy.arange(12.0).reshape(3, 4))
    d = a.diagonal()
    assert not d.flags.writeable
    assert d.base is a
    with pytest.raises(ValueError):
        d[0] = 1
    a[0, 0] = 100.0
    assert float(d[0]) == 100.0
    assert_same(oxnp.diag(a), numpy.diag(numpy.arange(12.0).reshape(3, 4)) * 0 + [100, 5, 10])


def test_fill_diagonal_and_indices():
    for shape, wrap in [((3, 3), False), ((5, 3), True), ((5, 3), False), ((3, 5), False), ((3, 3, 3), False)]:
        a = numpy.zeros(shape)
        o = to_ox(a)
        numpy.fill_diagonal(a, [1, 2], wrap=wrap)
        oxnp.fill_diagonal(o, [1, 2], wrap=wrap)
        assert_same(o, a)
    check("fill_diagonal", numpy.zeros(3), 1)
    check("diag_indices", 4)
    check("diag_indices", 3, 3)


def test_index_helpers():
    check("ix_", [0, 1], [2, 4], numpy.array([True, False, True]))
    check("ravel_multi_index", (numpy.array([3, 6, 6]), numpy.array([4, 5, 1])), (7, 6))
    check("ravel_multi_index", (numpy.array([3, 6, 6]), numpy.array([4, 5, 1])), (7, 6), order="F")
    check("ravel_multi_index", (numpy.array([3, 9]), numpy.array([4, 5])), (7, 6), mode="clip")
    check("ravel_multi_index", (numpy.array([3, 9]), numpy.array([4, 5])), (7, 6), mode="wrap")
    check("ravel_multi_index", (numpy.array([3, 9]), numpy.array([4, 5])), (7, 6))
    check("ravel_multi_index", (3, 1, 4, 1), (6, 7, 8, 9))
    check("unravel_index", numpy.array([22, 41, 37]), (7, 6))
    check("unravel_index", numpy.array([22, 41, 37]), (7, 6), order="F")
    check("unravel_index", 1621, (6, 7, 8, 9))
    check("unravel_index", 100, (6, 7))
    assert list(oxnp.ndindex(2, 3)) == list(numpy.ndindex(2, 3))
    assert list(oxnp.ndindex((2, 1, 2))) == list(numpy.ndindex((2, 1, 2)))
    a = numpy.arange(6).reshape(2, 3)
    assert [(i, int(v)) for i, v in oxnp.ndenumerate(to_ox(a))] == \
        [(i, int(v)) for i, v in numpy.ndenumerate(a)]


def test_index_conversion_errors():
    int_empty = numpy.array([], dtype=int)
    for args, kw in [
        (([], (10, 3, 5)), {}), (((), (10, 3)), {}), ((numpy.array([]), (10, 3)), {}),
        ((int_empty, (10, 3, 5)), {}), (([1.0], (3,)), {}), ((True, (4,)), {}),
        ((numpy.array([True, False]), (4,)), {}), (([2**64], (4,)), {}),
        ((1, (2**32 - 1, 2**31 + 1)), {}), ((1, (2**62, 2, 0)), {}), ((1, (2**63,)), {}),
        ((0, ()), {}), (([0], ()), {}), (([1], ()), {}), ((numpy.array([0]), ()), {}),
        (([1], (2, 1, 0)), {}), ((numpy.zeros(0, dtype=numpy.intp), (2, 1, 0)), {}),
        ((5, (3, 4)), {"order": None}), ((5, (3, 4)), {"order": "f"}),
        ((5, (3, 4)), {"order": "A"}), ((5, (3, 4)), {"order": "X"}), ((5, (3, 4)), {"order": 1}),
    ]:
        check_message("unravel_index", *args, **kw)
    for args, kw in [
        ((([], []), (10, 3)), {}), (((numpy.array([]), numpy.array([])), (5, 3)), {}),
        (((int_empty, int_empty), (5, 3)), {}), ((numpy.array([[], []], dtype=int), (5, 3)), {}),
        ((([1, 29], [3, 5], [3, 117], [19, 2], [2379, 1284], [2, 2], [0, 1]),
          (41, 7, 120, 36, 2706, 8, 6)), {}),
        ((([0], [0]), (2**62 - 1, 2)), {}), ((([0], [0]), (2**62, 2)), {}),
        ((([0], [0]), (2**62, 2)), {"order": "F"}), ((([0], [0]), (2**62, 2, 0)), {}),
        ((([True], [0]), (1, 5)), {}), ((([1.0], [0]), (2, 5)), {}),
        ((([1], [0]), (2, 5)), {"order": "A"}), ((([3], [0]), (2, 5)), {"mode": ("raise",)}),
        ((([0], [0]), (2, 5)), {"mode": "bad"}), ((([0],), (2, 3)), {}),
        ((([1, 2], [3, 0]), (3, 4)), {"order": "F"}),
    ] + [((numpy.zeros((3, n), dtype=numpy.intp), (2, 1, 0)), {"mode": mode})
         for n in (0, 1) for mode in ("raise", "wrap", "clip")]:
        check_message("ravel_multi_index", *args, **kw)


def test_ndindex_negative_dimensions():
    for shape in [(-1,), ((2, -3, 4),), (5, 0, -2)]:
        with pytest.raises(ValueError, match="negative dimensions are not allowed"):
            numpy.ndindex(*shape)
        with pytest.raises(ValueError, match="negative dimensions are not allowed"):
            oxnp.ndindex(*shape)


@pytest.mark.parametrize("key", [
    "np.float32(0.1):np.float32(0.33):np.float32(0.1),", "np.float32(0.1):np.float32(0.33):0.1",
    "0.1:0.3:np.complex64(3j),", "0.1:0.3:np.complex64(3j)", "0.1:0.3:3.3j", "0.1:0.3:3.3j,",
    "np.int8(1):np.int8(9):np.int8(2), 0:2", "np.float32(0.1):0.4:0.1, 1:3", "1:2:1j, 0:1:1j",
    "5:0:-1, 1.5:0:-0.5", "3:1,", "3:1, 0:2", ":3, 1:5.5:3j", "0:1:np.float32(0.25),",
])
@pytest.mark.parametrize("grid", ["mgrid", "ogrid", "r_"])
def test_grid_scalar_types(key, grid):
    def run(np):
        return eval(f"np.{grid}[{key}]", {"np": np})
    ref, err = outcome(lambda: run(numpy))
    if err is not None:
        with pytest.raises(expected_class(err)):
            run(oxnp)
        return
    compare(run(oxnp), ref)


def test_grids_and_concat_helpers():
    for ours, ref in [
        (oxnp.mgrid[0:3, 0:4], numpy.mgrid[0:3, 0:4]),
        (oxnp.mgrid[-1:1:5j], numpy.mgrid[-1:1:5j]),
        (oxnp.mgrid[0:2:0.5, 1:3], numpy.mgrid[0:2:0.5, 1:3]),
        (oxnp.ogrid[0:3, 0:4], numpy.ogrid[0:3, 0:4]),
        (oxnp.r_[1:4, 0, 7, 8], numpy.r_[1:4, 0, 7, 8]),
        (oxnp.r_[to_ox(numpy.array([1, 2])), 3.5], numpy.r_[numpy.array([1, 2]), 3.5]),
        (oxnp.r_["0,2", [1, 2], [3, 4]], numpy.r_["0,2", [1, 2], [3, 4]]),
        (oxnp.r_[-1:1:5j], numpy.r_[-1:1:5j]),
        (oxnp.c_[to_ox(numpy.arange(3)), to_ox(numpy.arange(3, 6))],
         numpy.c_[numpy.arange(3), numpy.arange(3, 6)]),
    ]:
        compare(ours, ref)
    assert oxnp.s_[1:2, ::3] == numpy.s_[1:2, ::3]
    assert oxnp.index_exp[1:2] == numpy.index_exp[1:2]
    assert oxnp.s_[3] == numpy.s_[3]


@pytest.mark.parametrize("dtype", DTYPES)
def test_take_put(dtype):
    a = sample(dtype, (3, 4))
    for axis in [None, 0, 1, -1]:
        check("take", a, [0, 2, -1], axis=axis)
        check("take", a, numpy.array([[1, 0], [2, 2]]), axis=axis)
        check("take", a, 2, axis=axis)
    for mode in ["wrap", "clip"]:
        check("take", a, [-7, 5, 13], axis=1, mode=mode)
    check("take", a, [5], axis=0)
    check("take", a, [1.0])
    check("take", a, [0], axis=2)
    check("take", numpy.zeros((0, 3)), [1], axis=0, mode="clip")
    assert_same(to_ox(a).take([1, 2], axis=1), a.take([1, 2], axis=1))
    for mode in ["raise", "wrap", "clip"]:
        b = a.copy()
        o = to_ox(b)
        try:
            numpy.put(b, [0, -1, 7, 13], numpy.array([1, 0], dtype=dtype), mode=mode)
        except IndexError:
            with pytest.raises(IndexError):
                oxnp.put(o, [0, -1, 7, 13], to_ox(numpy.array([1, 0], dtype=dtype)), mode=mode)
            continue
        oxnp.put(o, [0, -1, 7, 13], to_ox(numpy.array([1, 0], dtype=dtype)), mode=mode)
        assert_same(o, b)


@given(hnp.arrays(numpy.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)),
       st.integers(-3, 2), st.data())
@settings(max_examples=60, deadline=None)
def test_along_axis(a, axis, data):
    axis = axis % a.ndim
    shape = list(a.shape)
    shape[axis] = data.draw(st.integers(0, 4))
    idx = numpy.asarray(data.draw(hnp.arrays(numpy.int64, tuple(shape),
                                             elements=st.integers(-a.shape[axis], a.shape[axis] - 1))))
    check("take_along_axis", a, idx, axis=axis)
    b = a.copy()
    o = to_ox(a)
    numpy.put_along_axis(b, idx, -1.5, axis=axis)
    oxnp.put_along_axis(o, to_ox(idx), -1.5, axis=axis)
    assert_same(o, b)


def test_along_axis_errors():
    a = numpy.arange(6.0).reshape(2, 3)
    check("take_along_axis", a, numpy.array([[5]]), axis=1)
    check("take_along_axis", a, numpy.array([1]), axis=1)
    check("take_along_axis", a, numpy.array([[1.0]]), axis=1)
    check("take_along_axis", a, numpy.array([4, 0]), axis=None)


def test_along_axis_broadcast():
    # the non-indexed axes broadcast in both directions (arr's and indices' length-1 axes)
    a = numpy.arange(12.0).reshape(3, 4, 1)
    idx = numpy.arange(10).reshape(1, 2, 5) % 4
    check("take_along_axis", a, idx, axis=1)
    check("take_along_axis", a, numpy.ones((2, 2, 5), dtype=numpy.intp), axis=1)
    b = a.copy()
    o = to_ox(a)
    numpy.put_along_axis(b, idx, 20, axis=1)
    oxnp.put_along_axis(o, to_ox(idx), 20, axis=1)
    assert_same(o, b)
    # axis=None writes through to the array
    b = numpy.arange(12).reshape(3, 4)
    o = to_ox(b)
    numpy.put_along_axis(b, numpy.array([0, -1, 5]), [7.5, 8, 9], axis=None)
    oxnp.put_along_axis(o, oxnp.array([0, -1, 5]), [7.5, 8, 9], axis=None)
    assert_same(o, b)


@pytest.mark.parametrize("name", ["stack", "hstack", "vstack", "dstack", "column_stack"])
def test_stack_rejects_generators(name):
    with pytest.raises(TypeError, match="arrays to stack must be"):
        getattr(numpy, name)(numpy.arange(3) for _ in range(2))
    with pytest.raises(TypeError, match="arrays to stack must be"):
        getattr(oxnp, name)(oxnp.arange(3) for _ in range(2))


def test_choose_compress_extract_place_putmask():
    a = numpy.array([[0, 1, 2], [2, 1, 0]])
    choices = [numpy.arange(3), numpy.full(3, 10.5), numpy.array([[-1], [-2]])]
    check("choose", a, choices)
    check("choose", a + 2, choices, mode="wrap")
    check("choose", a + 2, choices, mode="clip")
    check("choose", a + 2, choices)
    x = numpy.arange(12).reshape(3, 4)
    check("compress", [True, False, True], x, axis=0)
    check("compress", [False, True], x, axis=1)
    check("compress", [False, True, True], x)
    check("compress", [True] * 5, x, axis=0)
    check("extract", x % 3 == 0, x)
    for fn, args in [("place", (x % 2 == 0, [7, 8])), ("putmask", (x > 5, [-1, -2, -3]))]:
        b = x.copy()
        o = to_ox(b)
        getattr(numpy, fn)(b, *args)
        getattr(oxnp, fn)(o, *conv(args))
        assert_same(o, b)


def test_select_piecewise():
    x = numpy.arange(10)
    condlist = [x < 3, x > 5]
    choicelist = [x, x ** 2]
    check("select", condlist, choicelist, 42)
    check("select", condlist, [x, x * 1.5])
    check("select", [], [])
    check("select", [x], [x])
    xf = numpy.linspace(-2.5, 2.5, 6)
    ref = numpy.piecewise(xf, [xf < 0, xf >= 0], [-1, 1])
    assert_same(oxnp.piecewise(to_ox(xf), [to_ox(xf < 0), to_ox(xf >= 0)], [-1, 1]), ref)
    ref = numpy.piecewise(xf, [xf < 0], [lambda v: -v, lambda v: v * 2])
    assert_same(oxnp.piecewise(to_ox(xf), [to_ox(xf < 0)], [lambda v: -v, lambda v: v * 2]), ref)
    # a 0-d x takes a flat list as one condition per function
    for x, conds, funcs in [(3, [True], [4]), (3, [False, True], [1, 2]), (3.5, [True, False, False], [4, 2, 0]),
                            (3, True, [4, 5]), ([0, 0], [True, False], [1]), ([1, 2], [True, False], [2, 3]),
                            ([0, 0], numpy.array([1, 0]), [1]), ([1, 2], [[True, False], [False, True]], [3, 4]),
                            ([1, 2, 3], [[True, False, True], [False, True]], [1, 2])]:
        check_message("piecewise", x, conds, funcs)


PAD_MODES = ["constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp", "maximum",
             "minimum", "mean"]


@pytest.mark.parametrize("mode", PAD_MODES)
@pytest.mark.parametrize("dtype", ["int16", "float64", "float32"])
def test_pad(mode, dtype):
    a = sample(dtype, (3, 4))
    for width in [1, (1, 2), ((0, 2), (3, 1)), 5]:
        check("pad", a, width, mode=mode)
    check("pad", a[0], 3, mode=mode)
    if mode == "constant":
        check("pad", a, 2, mode=mode, constant_values=(4, 6))
    if mode in ("reflect", "symmetric"):
        check("pad", a, 3, mode=mode, reflect_type="odd")
    if mode in ("maximum", "minimum", "mean"):
        check("pad", a, 2, mode=mode, stat_length=2)
    if mode == "linear_ramp":
        check("pad", a, 2, mode=mode, end_values=(5, -3))
    check("pad", a, -1, mode=mode)
    check("pad", a, 1, mode=mode, bogus=1)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_pad_arguments():
    a = numpy.arange(12).reshape(3, 4)
    for width in [{0: (1, 2), -1: 3}, {1: 2}, {}, {0: 1.5}, {0: (1, 2, 3)}, {2: 1}]:
        check_message("pad", a, width)
    for width in ["3", "word", None, object(), 3.4, 1 - 1j, ((-2.1, 3), (3, 2)),
                  numpy.array([1], dtype=numpy.uint8), True]:
        check_message("pad", a, width, mode="edge")
    check_message("pad", a, (((3,), (4,), (5,)), ((0,), (1,), (2,))))
    check_message("pad", a, ((1, 2), (3, 4), (5, 6)))
    check_message("pad", a, [[1], [2]])
    # stat_length: rounded half to even; 0 gives NaN for mean/median, an error for max/min
    # even on an axis that is not padded
    for mode in ["mean", "median", "maximum", "minimum"]:
        for width, length in [((1, 2), 0), (0, 0), (1, (1, 0)), (2, 1.6), (2, (1.4, 2.5))]:
            check_message("pad", numpy.array([1.0, 2.0, 5.0]), width, mode, stat_length=length)
        check_message("pad", numpy.zeros((0, 3)), ((0,), (1,)), mode, stat_length=0)
    check_message("pad", numpy.arange(10) ** 3, (3, 4), "mean", stat_length=(3, 2))


def test_pad_with_function():
    def edges(vector, pad_width, iaxis, kwargs):
        vector[:pad_width[0]] = kwargs.get("v", 10) + iaxis
        if pad_width[1]:
            vector[-pad_width[1]:] = 10 - iaxis

    a = numpy.arange(6).reshape(2, 3)
    for width, kw in [(2, {}), (((1, 0), (0, 2)), {"v": 3}), (0, {})]:
        assert_same(oxnp.pad(to_ox(a), width, edges, **kw), numpy.pad(a, width, edges, **kw))


@pytest.mark.parametrize("mode", PAD_MODES + ["median", "empty"])
def test_pad_keeps_fortran_order(mode):
    assert oxnp.pad(oxnp.ones((5, 10), order="F"), 2, mode).flags.f_contiguous
    assert oxnp.pad(oxnp.ones((5, 10)), 2, mode).flags.c_contiguous


def test_pad_empty_mode_shape():
    r = oxnp.pad(to_ox(numpy.arange(4)), 2, mode="empty")
    assert r.shape == (8,)
    assert_same(r[2:6], numpy.arange(4))
    check("pad", numpy.zeros((0, 3)), 1, mode="edge")
    check("pad", numpy.arange(3), 1, mode="nonsense")
