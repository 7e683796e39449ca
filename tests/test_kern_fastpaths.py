"""Differential tests of the one-pass fast paths: clip's kernel (scalar-bound and
varying-bound rules), where with scalar operands, float->int casts, zeros_like from zeroed
memory and the contiguous exp/log loops. Every result is compared bit for bit with NumPy."""

import itertools
import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_ox

RNG = numpy.random.default_rng(20261124)

NANS = numpy.array([0x7FF8000000000001, 0x7FF8000000000002, 0xFFF8000000000003],
                   dtype=numpy.uint64).view(numpy.float64)
SPECIAL = numpy.concatenate([[-0.0, 0.0, 1.0, -1.0, 0.5, 10.0, numpy.inf, -numpy.inf], NANS])


VIEWS = [(), (Ellipsis, slice(None, None, 2)), (Ellipsis, slice(None, None, -1)),
         (Ellipsis, slice(1, None)), (slice(None, None, -1), slice(None, None, -3))]


def check(name, *args, **kwargs):
    def run(mod, conv):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return getattr(mod, name)(*[conv(x) for x in args], **kwargs), None
            except Exception as e:  # noqa: BLE001 - outcomes are compared
                return None, type(e)
    ref, ref_err = run(numpy, lambda x: x)
    ours, our_err = run(oxnp, lambda x: to_ox(x) if isinstance(x, numpy.ndarray) else x)
    assert our_err == ref_err, (our_err, ref_err)
    if ref_err is None:
        assert_same(ours, ref)


# ---- clip --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_clip_special_values_scalar_bounds(dtype):
    x = numpy.tile(SPECIAL, 3).astype(dtype)
    for lo, hi in itertools.product(SPECIAL, SPECIAL):
        lo_, hi_ = float(lo), float(hi)
        x2, o2 = x.reshape(3, -1), to_ox(x.reshape(3, -1))
        for ix in VIEWS:
            assert_same(oxnp.clip(o2[ix], lo_, hi_), numpy.clip(x2[ix], lo_, hi_))
        assert_same(oxnp.clip(o2.T, lo_, hi_), numpy.clip(x2.T, lo_, hi_))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_clip_special_values_array_bounds(dtype):
    x = numpy.tile(SPECIAL, len(SPECIAL)).astype(dtype)
    lo = numpy.repeat(SPECIAL, len(SPECIAL)).astype(dtype)
    hi = numpy.roll(lo, 5)
    check("clip", x, lo, hi)
    check("clip", x, lo, dtype == "float64" and 2.0 or numpy.float32(2.0))
    check("clip", x, numpy.array(0.0, dtype), hi)
    # 0-d bounds of the array's dtype are read with step 0.
    for lo0, hi0 in itertools.product(SPECIAL, SPECIAL[[0, 1, 5, 8]]):
        check("clip", x, numpy.array(lo0, dtype), numpy.array(hi0, dtype))


def test_clip_layouts_and_broadcast():
    base = RNG.standard_normal((6, 10)) * 4
    base[1, 3] = numpy.nan
    base[2, 2] = -0.0
    ours = to_ox(base)
    for ix in VIEWS:
        ref = numpy.clip(base[ix], -1.5, 2.0)
        assert_same(oxnp.clip(ours[ix], -1.5, 2.0), ref)
        assert_same(ours[ix].clip(-1.5, 2.0), ref)
    assert_same(oxnp.clip(ours.T, 0.0, 1.0), numpy.clip(base.T, 0.0, 1.0))
    check("clip", base, numpy.zeros(10), 1.0)
    check("clip", base, numpy.zeros((6, 1)), numpy.ones(10))
    check("clip", base[:1], numpy.zeros((4, 1)), 3.0)
    check("clip", numpy.zeros((0, 3)), 0.0, 1.0)
    check("clip", numpy.zeros(0), 0.0, 1.0)
    check("clip", numpy.array(3.5), 0.0, 1.0)
    check("clip", numpy.array(3, "int16"), 0, 1)
    check("clip", numpy.array(numpy.nan), 0.0, 1.0)
    check("clip", base, 3, 1)
    check("clip", base, -numpy.inf, numpy.inf)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32",
                                   "int64", "uint64"])
def test_clip_ints(dtype):
    info = numpy.iinfo(dtype)
    x = RNG.integers(info.min, info.max, size=(7, 9), dtype=dtype, endpoint=True)
    check("clip", x, 3, 100)
    check("clip", x, 100, 3)
    check("clip", x, int(info.min), int(info.max))
    check("clip", x[::-1, ::2], 0, 50)
    check("clip", x, numpy.zeros(9, dtype), numpy.full((7, 1), 90, dtype))
    # Bounds out of the dtype's range, float bounds: the composite's rules.
    check("clip", x, -1000, 1000)
    check("clip", x, 0.5, 10.0)
    check("clip", x, 2**70, 2**71)
    check("clip", x, -(2**40), 2**40)
    for lo, hi in [(int(info.max) + 1, int(info.max) + 9), (int(info.min) - 5, int(info.min) - 1),
                   (int(info.max) + 1, 3), (int(info.min) - 1, int(info.max) + 1)]:
        if all(-2**63 <= b < 2**63 for b in (lo, hi)):  # beyond int64: the composite's rules
            check("clip", x, lo, hi)


def test_clip_fallbacks_match():
    x = RNG.standard_normal(20).astype("float32")
    check("clip", x, 1e300, 1e301)
    check("clip", x, -1e300, 0.0)
    check("clip", x, 2**30 + 1, 2**31)
    check("clip", x, numpy.float64(0.1), 0.5)
    check("clip", x.astype("float16"), 0.1, 0.5)
    check("clip", x.astype("complex128"), 0.1, 0.5)
    check("clip", x > 0, False, True)
    check("clip", x, None, 0.5)
    check("clip", x, 0.5, None)
    ours, ref = oxnp.zeros(20, "float32"), numpy.zeros(20, "float32")
    oxnp.clip(to_ox(x), 0.0, 0.5, out=ours)
    numpy.clip(x, 0.0, 0.5, out=ref)
    assert_same(ours, ref)


# ---- where -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "uint16",
                                   "complex128", "complex64", "bool", "float16"])
def test_where_arrays(dtype):
    c = RNG.random((9, 11)) > 0.4
    x = (RNG.standard_normal((9, 11)) * 50).astype(dtype)
    y = (RNG.standard_normal((9, 11)) * 50).astype(dtype)
    check("where", c, x, y)
    check("where", c[::2, ::-1], x[::2, ::-1], y[1::2, ::-1])
    check("where", c.T, x.T, y)
    check("where", c, x[0], y[:, :1])
    check("where", c[0], x, numpy.array(y[0, 0]))
    check("where", c[:0], x[:0], y[:0])


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32", "uint8", "int8"])
@pytest.mark.parametrize("scalar", [0.0, -0.0, 2.5, numpy.nan, 7, -3, 300, 2**40, True, 1e300])
def test_where_scalar_operand(dtype, scalar):
    if type(scalar) is int and dtype[0] in "iu" and not (
            numpy.iinfo(dtype).min <= scalar <= numpy.iinfo(dtype).max):
        pytest.skip("out-of-range Python ints: the composite's known difference")
    c = RNG.random((5, 13)) > 0.5
    x = (RNG.standard_normal((5, 13)) * 20).astype(dtype)
    check("where", c, x, scalar)
    check("where", c, scalar, x)
    check("where", c[:, ::-2], x[:, ::-2], scalar)
    check("where", c[0], x, scalar)
    check("where", c, x[0], scalar)


def test_where_other_inputs():
    c = RNG.random(12) > 0.5
    x = RNG.standard_normal(12)
    check("where", c, 1.0, 0.0)
    check("where", numpy.array(True), numpy.array(1.5), 0.0)
    check("where", c, x, numpy.float32(2.0))
    check("where", c, x.astype("float32"), numpy.float64(2.0))
    check("where", c, x.astype("float32"), x)
    check("where", c)


# ---- float -> int casts ------------------------------------------------------------------

CAST_VALUES = numpy.array([0.0, -0.0, 0.4, -0.6, 1.5, -1.5, 127.9, 128.0, -129.0, 255.5, 256.0,
                           32767.9, 65536.0, -32769.0, 2.0**31 - 1, 2.0**31, -2.0**31,
                           -2.0**31 - 1, 2.0**32, 2.0**63, -2.0**63, 2.0**64, 1e300, -1e300,
                           numpy.inf, -numpy.inf, numpy.nan, 5e-324, 123456.789, -98765.4321])


@pytest.mark.parametrize("src", ["float64", "float32"])
@pytest.mark.parametrize("dst", ["int64", "int32", "int16", "int8", "uint8", "uint16", "uint32",
                                 "uint64"])
def test_float_to_int(src, dst):
    with numpy.errstate(all="ignore"):
        vals = CAST_VALUES.astype(src)
    for n in list(range(0, 20)) + [31, 64, 65]:
        a = numpy.resize(vals, n) if n else vals[:0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = a.astype(dst)
            assert_same(to_ox(a).astype(dst), ref)
    big = numpy.resize(vals, 1000)
    o = to_ox(big)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ix in [slice(None, None, 2), slice(None, None, -1), slice(3, None), slice(1, -1)]:
            assert_same(o[ix].astype(dst), big[ix].astype(dst))
        assert_same(o.reshape(40, 25).T.astype(dst), big.reshape(40, 25).T.astype(dst))
        assert_same(o.reshape(40, 25).astype(dst, order="F"), big.reshape(40, 25).astype(dst, order="F"))


def test_float_to_int_random():
    x = RNG.standard_normal(10_007) * 1e5
    o = to_ox(x)
    for dst in ["int64", "int32", "int16", "uint8"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert_same(o.astype(dst), x.astype(dst))
            assert_same(o.astype("float32").astype(dst), x.astype("float32").astype(dst))


# ---- zeros_like / empty_like / ones_like --------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "int8", "bool", "complex128", "float16"])
@pytest.mark.parametrize("order", ["K", "C", "F", "A"])
def test_zeros_like(dtype, order):
    a = numpy.arange(24).reshape(2, 3, 4).astype(dtype)
    o = to_ox(a)
    for ix in [(), (slice(None, None, -1),), (Ellipsis, slice(None, None, 2))]:
        ref = numpy.zeros_like(a[ix], order=order)
        ours = oxnp.zeros_like(o[ix], order=order)
        assert_same(ours, ref)
        assert ours.strides == ref.strides
    ref, ours = numpy.zeros_like(a.transpose(2, 0, 1), order=order), oxnp.zeros_like(o.transpose(2, 0, 1), order=order)
    assert_same(ours, ref)
    assert ours.strides == ref.strides
    assert_same(oxnp.zeros_like(o, dtype="float32", order=order), numpy.zeros_like(a, dtype="float32", order=order))
    assert_same(oxnp.zeros_like(o, shape=(5, 2), order=order), numpy.zeros_like(a, shape=(5, 2), order=order))
    assert_same(oxnp.ones_like(o.T, order=order), numpy.ones_like(a.T, order=order))
    assert_same(oxnp.full_like(o[:, ::2], 3, order=order), numpy.full_like(a[:, ::2], 3, order=order))
    assert_same(oxnp.zeros_like(o[:0]), numpy.zeros_like(a[:0]))
    assert_same(oxnp.zeros_like(3.5), numpy.zeros_like(3.5))
    assert_same(oxnp.zeros_like([[1, 2]]), numpy.zeros_like([[1, 2]]))
    e = oxnp.empty_like(o.T)
    assert e.shape == a.T.shape and e.dtype == a.dtype


def test_zeros_like_reuses_memory_zeroed():
    # Freed buffers are reused by the allocator: a zeroed result must not show old bytes.
    for _ in range(20):
        junk = oxnp.full((130, 130), numpy.nan)
        del junk
        z = oxnp.zeros_like(oxnp.ones((130, 130)))
        assert not bool(oxnp.any(z))
        assert_same(z, numpy.zeros((130, 130)))


# ---- exp / log on contiguous memory ------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("func", ["exp", "log"])
def test_vecmath_lengths_offsets(func, dtype):
    base = numpy.concatenate([numpy.abs(RNG.standard_normal(300)) * 30, [0.0, -0.0, numpy.inf,
                              -numpy.inf, numpy.nan, -1.0, 5e-324, 800.0, -800.0, 709.9, -745.5]])
    base = RNG.permutation(base).astype(dtype)
    ob = to_ox(base)
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        for start in range(0, 9):
            for n in [0, 1, 7, 8, 9, 15, 16, 17, 33, 100]:
                ix = slice(start, start + n)
                assert_same(getattr(oxnp, func)(ob[ix]), getattr(numpy, func)(base[ix]))
        # Negative strides are left out: NumPy's float64 loops then use the C library or
        # SVML depending on its iterator's layout (a known, separate difference).
        for ix in [slice(None, None, 3), slice(1, None, 2)]:
            assert_same(getattr(oxnp, func)(ob[ix]), getattr(numpy, func)(base[ix]))
        # In place on an offset view.
        b = base.copy()
        o = to_ox(b)
        getattr(numpy, func)(b[3:], out=b[3:])
        getattr(oxnp, func)(o[3:], out=o[3:])
        assert_same(o, b)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("func", ["exp", "log"])
def test_vecmath_large_parallel(func, dtype):
    x = (RNG.standard_normal(1_000_003) * 40).astype(dtype)
    if func == "log":
        x = numpy.abs(x)
    x[::9973] = numpy.nan
    o = to_ox(x)
    with numpy.errstate(all="ignore"), oxnp.errstate(all="ignore"):
        assert_same(getattr(oxnp, func)(o), getattr(numpy, func)(x))
        assert_same(getattr(oxnp, func)(o[1:]), getattr(numpy, func)(x[1:]))
        assert_same(getattr(oxnp, func)(o[::2]), getattr(numpy, func)(x[::2]))
