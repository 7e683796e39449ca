"""Arithmetic, bitwise and comparison operators on oxnp scalars against NumPy's scalars:
every dtype pair, Python numbers on either side, overflow warnings, and 0-d ufunc results."""

import operator
import warnings

import numpy
import pytest

import oxnp

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
          operator.mod, operator.pow, operator.and_, operator.or_, operator.xor, operator.lshift,
          operator.rshift, operator.lt, operator.le, operator.gt, operator.ge, operator.eq,
          operator.ne, divmod]
UNARY = [operator.neg, operator.pos, operator.abs, operator.invert]


def samples(dtype):
    # Ordinary values: NumPy's scalar fast paths (scalarmath) differ from its ufuncs on
    # division by zero, overflow to inf and complex special values; those are not covered.
    dt = numpy.dtype(dtype)
    if dt.kind == "b":
        return [True]
    if dt.kind in "iu":
        return [3, 1] + ([-2] if dt.kind == "i" else [])
    if dt.kind == "f":
        return [2.5, -0.5]
    return [1.5 - 2j]


def outcome(f, *args):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(*args)
        except Exception as e:  # noqa: BLE001 - the class is compared
            r = e
    return r, sorted({str(x.message) for x in w if issubclass(x.category, RuntimeWarning)})


def same(ours, ref):
    if isinstance(ref, Exception) or isinstance(ours, Exception):
        assert isinstance(ref, Exception), f"oxnp raised {ours!r}, NumPy gave {ref!r}"
        assert isinstance(ours, Exception), f"NumPy raised {ref!r}, oxnp gave {ours!r}"
        for cls in (OverflowError, ZeroDivisionError, TypeError, ValueError):
            if isinstance(ref, cls):
                assert isinstance(ours, cls), (ours, ref)
        return
    if isinstance(ref, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(ref)
        for o, r in zip(ours, ref):
            same(o, r)
        return
    if not isinstance(ref, numpy.generic):
        # Python's own operator ran (e.g. complex + float64, a float subclass).
        assert type(ours) is type(ref) and ours == ref, (ours, ref)
        return
    assert isinstance(ours, oxnp.generic), f"oxnp gave {type(ours)}, NumPy {type(ref)}"
    assert type(ours).__name__ == type(ref).__name__, (ours, ref)
    got = numpy.asarray(ours)
    assert got.dtype == ref.dtype
    assert got.tobytes() == numpy.asarray(ref).tobytes(), (ours, ref)


def check(op, a, b):
    """op on NumPy scalars/numbers vs the same on oxnp scalars/numbers (values and warnings)."""
    conv = [getattr(oxnp, type(x).__name__)(x.item()) if isinstance(x, numpy.generic) else x
            for x in (a, b)]
    (ref, wref), (ours, wours) = outcome(op, a, b), outcome(op, *conv)
    same(ours, ref)
    assert wours == wref, (op.__name__, a, b)


@pytest.mark.parametrize("d2", DTYPES)
@pytest.mark.parametrize("d1", DTYPES)
def test_binary_scalar_pairs(d1, d2):
    t1, t2 = numpy.dtype(d1).type, numpy.dtype(d2).type
    for x in samples(d1):
        for y in samples(d2):
            for op in BINARY:
                check(op, t1(x), t2(y))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("py", [1, 2, 7, 300, -1, 1.5, 2j, True],
                         ids=repr)
def test_scalar_with_python_number(dtype, py):
    t = numpy.dtype(dtype).type
    for x in samples(dtype):
        for op in BINARY:
            check(op, t(x), py)
            check(op, py, t(x))


@pytest.mark.parametrize("dtype", DTYPES)
def test_unary_scalar(dtype):
    t = numpy.dtype(dtype).type
    for x in samples(dtype):
        for op in UNARY:
            (ref, wref) = outcome(op, t(x))
            (ours, wours) = outcome(op, getattr(oxnp, dtype)(x))
            same(ours, ref)
            assert wours == wref


def test_examples():
    r = oxnp.float32(1) + 1
    assert type(r) is oxnp.float32 and r == 2.0
    with pytest.warns(RuntimeWarning, match="overflow encountered in scalar add"):
        r = oxnp.uint8(200) + oxnp.uint8(100)
    assert type(r) is oxnp.uint8 and int(r) == 44
    with pytest.raises(OverflowError, match="Python integer 300 out of bounds for uint8"):
        oxnp.uint8(1) + 300
    # float64 is a float subclass but a strong float64, not a weak Python float.
    assert type(oxnp.float64(1.5) + oxnp.float32(1)) is oxnp.float64
    assert type(1.5 + oxnp.float64(1)) is oxnp.float64
    assert type(oxnp.float64(2) < 3) is oxnp.bool
    assert hash(oxnp.float64(1.5)) == hash(1.5) and hash(oxnp.complex128(2j)) == hash(2j)


def test_full_ufunc_on_0d_returns_scalar():
    for name, args, ref in [("add", (1, 2), numpy.add(1, 2)), ("sqrt", (4.0,), numpy.sqrt(4.0)),
                            ("multiply", (oxnp.int8(3), 2), numpy.multiply(numpy.int8(3), 2)),
                            ("less", (1.0, 2), numpy.less(1.0, 2))]:
        ours = getattr(oxnp, name)(*args)
        same(ours, ref)
    z = oxnp.asarray(numpy.array(2.5, numpy.float32))
    same(oxnp.negative(z), numpy.negative(numpy.array(2.5, numpy.float32)))
    out = oxnp.zeros(())
    assert oxnp.add(z, z, out=out) is out


def test_scalar_with_array_gives_array():
    a = numpy.arange(3, dtype=numpy.int16)
    r = oxnp.int8(2) * oxnp.asarray(a)
    assert isinstance(r, oxnp.ndarray) and r.dtype == oxnp.dtype("int16")
    assert numpy.asarray(r).tolist() == (numpy.int8(2) * a).tolist()
    assert (oxnp.float32(1) == None) is False  # noqa: E711 - the comparison is the test
    assert oxnp.float32(1).__add__("x") is NotImplemented


FAST_OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.lt, operator.le,
            operator.gt, operator.ge, operator.eq, operator.ne]
SPECIAL_FLOATS = [0.0, -0.0, 1.5, -2.0, 1e308, -1e308, 5e-324, 1e-300, float("inf"),
                  float("-inf"), float("nan")]
SPECIAL_INTS = [0, 1, -1, 7, 2**62, -2**63, 2**63 - 1, 2**53 + 1, -(2**53) - 1]


@pytest.mark.parametrize("op", FAST_OPS, ids=lambda f: f.__name__)
def test_float64_int64_special_values(op):
    # float64 and int64 with each other and with Python numbers take oxnp's scalar fast path:
    # its flags (overflow, divide by zero, invalid) must be NumPy's, for every special value.
    f64, i64 = numpy.float64, numpy.int64
    operands = ([f64(x) for x in SPECIAL_FLOATS] + [i64(x) for x in SPECIAL_INTS]
                + SPECIAL_FLOATS + SPECIAL_INTS + [2**64, -(2**70)])
    for a in operands:
        for b in operands:
            if isinstance(a, numpy.generic) or isinstance(b, numpy.generic):
                check(op, a, b)


@pytest.mark.parametrize("mode", ["raise", "ignore", "warn"])
def test_float64_fast_path_follows_errstate(mode):
    cases = [(operator.mul, 1e308, 10.0), (operator.truediv, 1.0, 0.0),
             (operator.sub, float("inf"), float("inf")), (operator.mul, 1e-300, 1e-300),
             (operator.add, 2**62, 2**62)]
    for op, x, y in cases:
        t = numpy.int64 if isinstance(x, int) else numpy.float64
        with numpy.errstate(all=mode):
            ref = outcome(op, t(x), y)
        with oxnp.errstate(all=mode):
            ours = outcome(op, getattr(oxnp, t.__name__)(x), y)
        same(ours[0], ref[0])
        assert ours[1] == ref[1], (op.__name__, x, y, mode)


@pytest.mark.parametrize("op", UNARY[:3], ids=lambda f: f.__name__)
def test_float64_int64_unary_special_values(op):
    for x in [numpy.float64(v) for v in SPECIAL_FLOATS] + [numpy.int64(v) for v in SPECIAL_INTS]:
        ref, wref = outcome(op, x)
        ours, wours = outcome(op, getattr(oxnp, type(x).__name__)(x.item()))
        same(ours, ref)
        assert wours == wref, (op.__name__, x)
