"""ndarray operators against NumPy: binary, reflected, in-place, unary and comparisons."""

import operator

import numpy
import pytest

import oxnp
from helpers import assert_same, ox_call, to_ox

DTYPES = ["bool", "int8", "uint8", "int32", "int64", "uint64", "float16", "float32", "float64",
          "complex128"]
BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
          operator.mod, operator.pow, operator.and_, operator.or_, operator.xor, operator.lshift,
          operator.rshift, operator.eq, operator.ne, operator.lt, operator.le, operator.gt,
          operator.ge, divmod]
INPLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv,
           operator.imod, operator.iand, operator.ior, operator.ixor]


def arr(dtype):
    return (numpy.arange(1, 7) % 4 + 1).astype(dtype)


def outcome(f, *args):
    try:
        return f(*args)
    except Exception as e:  # noqa: BLE001 - compared by class
        return e


def check(ref, ours):
    if isinstance(ref, Exception):
        assert isinstance(ours, Exception), f"NumPy raised {ref!r}, oxnp gave {ours!r}"
        for cls in (OverflowError, TypeError, ValueError):
            if isinstance(ref, cls):
                assert isinstance(ours, cls), (ref, ours)
        return
    assert not isinstance(ours, Exception), f"oxnp raised {ours!r}"
    if isinstance(ref, tuple):
        for r, o in zip(ref, ours):
            assert_same(o, r)
    else:
        assert_same(ours, ref)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
def test_binary_operators(op, dtype):
    a, b = arr(dtype), arr(dtype)[::-1].copy()
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        check(outcome(op, a, b), outcome(ox_call, op, to_ox(a), to_ox(b)))
        for s in (2, 1.5, 3j, True):
            check(outcome(op, a, s), outcome(ox_call, op, to_ox(a), s))
            check(outcome(op, s, a), outcome(ox_call, op, s, to_ox(a)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", INPLACE, ids=lambda f: f.__name__)
def test_inplace_operators(op, dtype):
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        for other in (arr(dtype), 2, 1.5):
            a = arr(dtype)
            x = to_ox(a)
            ref = outcome(op, a, other)
            ours = outcome(ox_call, op, x, to_ox(other) if isinstance(other, numpy.ndarray) else other)
            if isinstance(ref, Exception):
                check(ref, ours)
                if isinstance(ref, TypeError):
                    assert isinstance(ours, oxnp.exceptions.UFuncTypeError) or "boolean" in str(ours)
            else:
                assert ours is x
                assert_same(x, a)


def test_inplace_cast_error_message():
    x = to_ox(numpy.arange(3))
    with pytest.raises(oxnp.exceptions.UFuncTypeError, match=r"Cannot cast ufunc 'add' output from "
                       r"dtype\('float64'\) to dtype\('int64'\) with casting rule 'same_kind'"):
        x += 1.5


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", [operator.neg, operator.pos, operator.invert, abs],
                         ids=lambda f: f.__name__)
def test_unary_operators(op, dtype):
    a = arr(dtype)
    check(outcome(op, a), outcome(ox_call, op, to_ox(a)))


def test_not_implemented_and_reflection():
    class Other:
        __array_ufunc__ = None

        def __radd__(self, other):
            return "radd"

        def __eq__(self, other):
            return "eq"

    x = to_ox(numpy.arange(3))
    assert x + Other() == "radd"
    assert (x == Other()) == "eq"
    with pytest.raises(TypeError):
        x + object()
    assert (x == object()) is False or not isinstance(x == object(), bool)


def test_weak_scalar_operators():
    u8 = to_ox(numpy.array([200, 100], numpy.uint8))
    assert_same(u8 + 1, numpy.array([200, 100], numpy.uint8) + 1)
    with pytest.raises(OverflowError, match="Python integer 300 out of bounds for uint8"):
        u8 + 300
    assert_same(u8 == 300, numpy.array([200, 100], numpy.uint8) == 300)
    assert_same(u8 < -1, numpy.array([200, 100], numpy.uint8) < -1)
    f32 = numpy.array([1.5, 2.5], numpy.float32)
    assert_same(to_ox(f32) * 2.0, f32 * 2.0)
    with pytest.raises(ValueError, match="Integers to negative integer powers"):
        to_ox(numpy.arange(3)) ** -1
