"""Differential tests of oxnp.fft against numpy.fft (NumPy 2.4).

The transforms are not bit-identical to NumPy's pocketfft (oxnp runs rustfft/realfft), so
values are compared within a rounding bound: 1e-12 (float64) or 1e-5 (float32) relative to
the largest magnitude of the result, times log2 of the transform length. dtypes, shapes,
errors (class) and warnings must match exactly; fftfreq/rfftfreq and the shifts are bitwise.
"""

import math
import warnings

import numpy
import pytest
from hypothesis import given, settings, strategies as st

import oxnp
from helpers import assert_same, to_np, to_ox

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
FUNCS_1D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
FUNCS_ND = ["fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"]
NORMS = [None, "backward", "ortho", "forward"]


def data(shape, dtype="float64", seed=0):
    """Random values of `dtype` (standard normal for inexact types)."""
    rng = numpy.random.default_rng(seed)
    dt = numpy.dtype(dtype)
    if dt.kind == "c":
        x = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    elif dt.kind == "f":
        x = rng.standard_normal(shape)
    elif dt.kind == "b":
        x = rng.integers(0, 2, shape)
    else:
        x = rng.integers(0, 100 if dt.itemsize > 1 else 50, shape)
    return numpy.asarray(x).astype(dt)


def rtol_for(dtype):
    return 1e-5 if numpy.dtype(dtype) in (numpy.float32, numpy.complex64, numpy.float16) else 1e-12


def assert_close(ours, ref, length=None):
    """Same dtype and shape; values within the rounding bound of an FFT of `length`."""
    assert isinstance(ours, oxnp.ndarray), type(ours)
    got = to_np(ours)
    assert got.dtype == ref.dtype, f"dtype {got.dtype} != {ref.dtype}"
    assert got.shape == ref.shape, f"shape {got.shape} != {ref.shape}"
    if ref.size == 0:
        return
    if ref.dtype == numpy.float16:
        # Computed in float32 and rounded once: allow one float16 ulp of the largest value.
        scale = float(numpy.abs(ref.astype("float32")).max())
        assert numpy.abs(got.astype("float32") - ref.astype("float32")).max() <= scale * 2e-3
        return
    length = length or max(ref.shape)
    scale = float(numpy.abs(ref).max())
    tol = rtol_for(ref.dtype) * max(1.0, math.log2(max(length, 2))) * max(scale, 1e-300)
    err = float(numpy.abs(got.astype(ref.dtype) - ref).max())
    assert err <= tol, f"max error {err:.3g} > {tol:.3g}"


def expected_class(e):
    if isinstance(e, numpy.exceptions.AxisError):
        return oxnp.exceptions.AxisError
    if type(e).__name__.startswith("_UFunc") or type(e).__name__ == "UFuncTypeError":
        return oxnp.exceptions.UFuncTypeError
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def conv(v):
    if isinstance(v, numpy.ndarray):
        return to_ox(v)
    return v


def check(name, x, *args, view=None, length=None, **kw):
    """numpy.fft.<name>(view(x), ...) against oxnp.fft.<name>(view(to_ox(x)), ...): same
    result (within rounding) or same error class. Returns oxnp's result."""
    view = view or (lambda a: a)
    kw_ox = {k: conv(v) for k, v in kw.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = getattr(numpy.fft, name)(view(x), *args, **kw)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(expected_class(e)) as info:
                getattr(oxnp.fft, name)(view(to_ox(x)), *args, **kw_ox)
        return info.value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = getattr(oxnp.fft, name)(view(to_ox(x)), *args, **kw_ox)
    assert_close(ours, ref, length)
    return ours


# ---------------------------------------------------------------------------------------- 1-D

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", FUNCS_1D)
def test_dtypes(name, dtype):
    check(name, data((3, 8), dtype))
    check(name, data((7,), dtype))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 32, 97, 100, 128,
                               243, 1000, 1009, 1024, 4096, 10007, 16385, 65537])
@pytest.mark.parametrize("name", FUNCS_1D)
def test_lengths(name, n):
    """Powers of two, smooth, odd, prime and large prime (Bluestein) lengths."""
    dt = "float64" if name in ("rfft", "ihfft") else "complex128"
    x = data((n,), dt)
    check(name, x)
    if name in ("irfft", "hfft"):
        check(name, x, n=2 * n - 1)


@pytest.mark.parametrize("n", [5, 16, 1009])
@pytest.mark.parametrize("name", FUNCS_1D)
def test_float32(name, n):
    dt = "float32" if name in ("rfft", "ihfft") else "complex64"
    for norm in NORMS:
        check(name, data((4, n), dt), norm=norm)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", FUNCS_1D)
def test_norms(name, norm):
    x = data((3, 12), "complex128" if name not in ("rfft", "ihfft") else "float64")
    check(name, x, norm=norm)
    check(name, x, n=7, norm=norm)
    check(name, x.astype("complex64" if x.dtype.kind == "c" else "float32"), norm=norm)
    check(name, data((3, 12), "float16"), norm=norm)


@pytest.mark.parametrize("norm", ["bad", "Ortho", "", 1, "backwards"])
@pytest.mark.parametrize("name", FUNCS_1D + FUNCS_ND)
def test_bad_norm(name, norm):
    e = check(name, data((4, 4)), norm=norm)
    assert isinstance(e, ValueError)
    ref = None
    try:
        getattr(numpy.fft, name)(data((4, 4)), norm=norm)
    except ValueError as err:
        ref = str(err)
    assert str(e) == ref


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 9, 10, 11, 16, 20, 33])
@pytest.mark.parametrize("name", FUNCS_1D)
def test_n_crop_and_pad(name, n):
    x = data((2, 10), "complex128" if name not in ("rfft", "ihfft") else "float64")
    check(name, x, n=n)
    check(name, x, n=n, axis=0)


@pytest.mark.parametrize("name", FUNCS_1D)
def test_errors(name):
    x = data((4, 6))
    for kw in [dict(n=0), dict(n=-1), dict(axis=2), dict(axis=-3), dict(n=4, axis=2),
               dict(n=4, axis=-3), dict(n=2.5), dict(axis=1.0), dict(n=0, norm="bad")]:
        check(name, x, **kw)
    check(name, numpy.zeros(0))
    check(name, numpy.zeros((3, 0)))
    check(name, numpy.zeros((0, 4)))
    check(name, numpy.zeros((0, 4)), n=3)
    # A zero-length axis padded to n: NumPy's c2r/r2c loops leave some outputs uninitialised
    # here (garbage); oxnp gives the transform of zeros.
    ref = getattr(numpy.fft, name)(numpy.zeros((3, 0)), n=4)
    ours = getattr(oxnp.fft, name)(oxnp.zeros((3, 0)), n=4)
    assert ours.dtype.name == ref.dtype.name and ours.shape == ref.shape
    assert not to_np(ours).any()
    check(name, numpy.zeros(1))
    check(name, numpy.float64(3.0))
    check(name, numpy.float64(3.0), n=2)
    check(name, data(5, "complex128"))


def test_error_messages():
    x = oxnp.ones(4)
    with pytest.raises(ValueError, match=r"^Invalid number of FFT data points \(0\) specified\.$"):
        oxnp.fft.fft(oxnp.ones(0))
    with pytest.raises(ValueError, match=r"^Invalid number of FFT data points \(-2\) specified\.$"):
        oxnp.fft.irfft(oxnp.ones(0))
    with pytest.raises(oxnp.exceptions.AxisError, match="axis 3 is out of bounds for array of dimension 1"):
        oxnp.fft.fft(x, n=4, axis=3)
    with pytest.raises(IndexError, match="tuple index out of range"):
        oxnp.fft.fft(x, axis=3)
    with pytest.raises(TypeError, match="rfft_n_even"):
        oxnp.fft.rfft(x + 1j)
    with pytest.raises(TypeError, match="rfft_n_odd"):
        oxnp.fft.rfft(oxnp.ones(3) + 1j)
    with pytest.raises(ValueError, match="output array has wrong shape"):
        oxnp.fft.fft(x, out=oxnp.zeros(3, complex))


@pytest.mark.parametrize("shape", [(6,), (4, 5), (3, 4, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("name", FUNCS_1D)
def test_axes(name, shape):
    x = data(shape, "complex128" if name not in ("rfft", "ihfft") else "float64", seed=len(shape))
    for axis in range(-len(shape), len(shape)):
        check(name, x, axis=axis)
        check(name, x, n=7, axis=axis)


VIEWS = {
    "reversed": lambda a: a[::-1],
    "step2": lambda a: a[::2],
    "neg_step3": lambda a: a[::-3],
    "transpose": lambda a: a.T,
    "cols_rev": lambda a: a[..., ::-2],
    "swap": lambda a: a.swapaxes(0, -1),
    "offset": lambda a: a[1:, 2:],
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("name", FUNCS_1D)
def test_noncontiguous(name, view):
    v = VIEWS[view]
    dt = "complex128" if name not in ("rfft", "ihfft") else "float64"
    for shape in [(17,), (9, 12), (5, 6, 7)]:
        x = data(shape, dt)
        for axis in range(-len(shape), 0):
            check(name, x, view=v, axis=axis)
            check(name, x, view=v, axis=axis, n=11)
    check(name, data((9, 12), "float32"), view=v, axis=0)


@pytest.mark.parametrize("name", FUNCS_1D)
def test_many_lines_parallel(name):
    """Enough lines for the rayon path, along contiguous and strided axes."""
    dt = "complex128" if name not in ("rfft", "ihfft") else "float64"
    x = data((300, 256), dt)
    check(name, x, axis=1)
    check(name, x, axis=0)
    check(name, x, view=lambda a: a[::-1, ::2], axis=0)
    check(name, data((4000, 16), dt), axis=1)
    check(name, data((16, 4000), dt), axis=0)
    check(name, data((64, 3, 500), dt), axis=1, n=700)


def test_layout_follows_input():
    """As NumPy's empty_like(a, shape=...): an F-ordered input gives an F-ordered result."""
    x = numpy.asfortranarray(data((6, 8), "complex128"))
    ours = oxnp.fft.fft(oxnp.asfortranarray(to_ox(x)), axis=0)
    ref = numpy.fft.fft(x, axis=0)
    assert ours.strides == ref.strides
    assert_close(ours, ref)
    ours = oxnp.fft.rfft(to_ox(data((6, 8))).T, axis=0)
    ref = numpy.fft.rfft(data((6, 8)).T, axis=0)
    assert ours.strides == ref.strides


# --------------------------------------------------------------------------------------- out=

def test_out():
    x = data((3, 8), "complex128")
    out = oxnp.zeros((3, 8), complex)
    res = oxnp.fft.fft(to_ox(x), out=out)
    assert res is out
    assert_close(out, numpy.fft.fft(x))
    # same_kind cast of the loop's complex128 into complex64
    out32 = oxnp.zeros((3, 8), "complex64")
    assert oxnp.fft.fft(to_ox(x), out=out32) is out32
    ref32 = numpy.zeros((3, 8), "complex64")
    numpy.fft.fft(x, out=ref32)
    assert_close(out32, ref32)
    # irfft into float64, ihfft conjugates in out
    y = data((3, 5), "complex128")
    out = oxnp.zeros((3, 8))
    oxnp.fft.irfft(to_ox(y), 8, out=out)
    assert_close(out, numpy.fft.irfft(y, 8))
    r = data((3, 8))
    out = oxnp.zeros((3, 5), complex)
    assert oxnp.fft.ihfft(to_ox(r), out=out) is out
    assert_close(out, numpy.fft.ihfft(r))
    # in place: out is the input
    z = to_ox(x)
    oxnp.fft.fft(z, out=z)
    assert_close(z, numpy.fft.fft(x))
    # a strided out
    big = oxnp.zeros((3, 16), complex)
    oxnp.fft.fft(to_ox(x), out=big[:, ::2])
    assert_close(big[:, ::2].copy(), numpy.fft.fft(x))


def test_out_errors():
    x = data((3, 8), "complex128")
    for out in [numpy.zeros((3, 7), complex), numpy.zeros((8,), complex),
                numpy.zeros((3, 8)), numpy.zeros((2, 8), complex), numpy.zeros((3, 8), "int64")]:
        check("fft", x, out=out)
    with pytest.raises(TypeError):
        oxnp.fft.fft(to_ox(x), out=[0] * 8)
    # the gufunc broadcasts the input's loop dimensions to out's
    x1 = data((1, 8), "complex128")
    out = numpy.zeros((3, 8), complex)
    numpy.fft.fft(x1, out=out)
    ours = oxnp.zeros((3, 8), complex)
    oxnp.fft.fft(to_ox(x1), out=ours)
    assert_close(ours, out)
    ro = oxnp.zeros((3, 8), complex)
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        oxnp.fft.fft(to_ox(x), out=ro)


def test_out_ignored_like_numpy():
    """NumPy's hfft, ifft2 and irfft2 never write `out` (they pass out=None on)."""
    y = data((4, 5), "complex128")
    for name, shape in [("hfft", (4, 8)), ("ifft2", (4, 5)), ("irfft2", (4, 8))]:
        out = oxnp.zeros(shape, "complex128" if name == "ifft2" else "float64")
        res = getattr(oxnp.fft, name)(to_ox(y), out=out)
        assert res is not out
        assert not to_np(out).any()
        assert_close(res, getattr(numpy.fft, name)(y))


@pytest.mark.parametrize("name", ["fftn", "rfftn", "fft2", "rfft2", "ifftn"])
def test_nd_out(name):
    x = data((4, 6), "complex128" if not name.startswith("r") else "float64")
    ref = getattr(numpy.fft, name)(x)
    out = oxnp.zeros(ref.shape, ref.dtype.name)
    res = getattr(oxnp.fft, name)(to_ox(x), out=out)
    assert res is out
    assert_close(out, ref)


# ---------------------------------------------------------------------------------------- N-D

ND_CASES = [
    dict(),
    dict(axes=(0,)),
    dict(axes=(-1, 0)),
    dict(axes=(1, 0, 2)),
    dict(axes=(0, 0)),
    dict(axes=()),
    dict(s=(4, 5), axes=(0, 2)),
    dict(s=(3, 8, 2), axes=(0, 1, 2)),
    dict(s=(-1, 6), axes=(1, 2)),
    dict(s=(4,), axes=(1,)),
    dict(s=(4, 6)),
    dict(s=(4, None), axes=(0, 1)),
    dict(s=(4,), axes=(0, 1)),
    dict(axes=(0, 5)),
    dict(axes=(0, -4)),
    dict(s=(0, 4), axes=(0, 1)),
    dict(s=()),
    dict(s=(), axes=()),
    dict(norm="ortho", axes=(0, 2)),
    dict(norm="forward"),
]


@pytest.mark.parametrize("case", range(len(ND_CASES)))
@pytest.mark.parametrize("name", FUNCS_ND)
def test_nd(name, case):
    kw = ND_CASES[case]
    if name.endswith("2") and "axes" not in kw and "s" in kw and len(kw["s"]) != 2:
        kw = dict(kw, axes=tuple(range(-len(kw["s"]), 0)))
    dt = "float64" if name.startswith("r") else "complex128"
    x = data((3, 4, 5), dt)
    check(name, x, **kw)
    check(name, x, view=lambda a: a[::-1, :, ::2], **kw)


@pytest.mark.parametrize("name", FUNCS_ND)
def test_nd_dims(name):
    dt = "float64" if name.startswith("r") else "complex128"
    for shape in [(8,), (6, 7), (2, 3, 4, 5)]:
        x = data(shape, dt)
        if name.endswith("2") and len(shape) < 2:
            check(name, x)
            continue
        check(name, x)
        check(name, x.astype("float32" if dt == "float64" else "complex64"))
        check(name, data(shape, "int16"))
        check(name, numpy.asfortranarray(x))


@pytest.mark.parametrize("name", FUNCS_ND)
def test_nd_deprecations(name):
    """NumPy 2.0's DeprecationWarnings: `s` without `axes`, and None inside `s`."""
    dt = "float64" if name.startswith("r") else "complex128"
    x = to_ox(data((4, 6), dt))
    f = getattr(oxnp.fft, name)
    if not name.endswith("2"):
        with pytest.warns(DeprecationWarning, match="`axes` should not be `None`"):
            f(x, s=(4, 6))
    with pytest.warns(DeprecationWarning, match="containing `None` values to `s`"):
        f(x, s=(4, None), axes=(0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(x, s=(4, 6), axes=(0, 1))
        f(x)


def test_nd_passthrough():
    """An empty axes list returns the input as an array, untransformed (NumPy's quirk)."""
    x = data((3, 4))
    res = oxnp.fft.fftn(to_ox(x), axes=())
    assert_same(res, numpy.fft.fftn(x, axes=()))
    assert_same(oxnp.fft.fftn(oxnp.float64(2.0)), numpy.fft.fftn(numpy.float64(2.0)))


# -------------------------------------------------------------------------------- round trips

@pytest.mark.parametrize("n", [1, 2, 7, 16, 101, 1000, 4099])
def test_round_trips(n):
    x = to_np(to_ox(data((3, n), "complex128")))
    ox_x = to_ox(x)
    back = to_np(oxnp.fft.ifft(oxnp.fft.fft(ox_x)))
    assert numpy.abs(back - x).max() <= 1e-12 * max(1, math.log2(n)) * numpy.abs(x).max()
    r = data((3, n))
    back = to_np(oxnp.fft.irfft(oxnp.fft.rfft(to_ox(r)), n))
    assert back.dtype == numpy.float64 and back.shape == r.shape
    assert numpy.abs(back - r).max() <= 1e-12 * max(1, math.log2(n)) * numpy.abs(r).max()
    back = to_np(oxnp.fft.hfft(oxnp.fft.ihfft(to_ox(r)), n))
    assert numpy.abs(back - r).max() <= 1e-12 * max(1, math.log2(n)) * numpy.abs(r).max()
    for norm in NORMS:
        back = to_np(oxnp.fft.ifftn(oxnp.fft.fftn(ox_x, norm=norm), norm=norm))
        assert numpy.abs(back - x).max() <= 1e-12 * max(1, math.log2(n)) * numpy.abs(x).max()
    back32 = to_np(oxnp.fft.irfft(oxnp.fft.rfft(to_ox(r.astype("float32"))), n))
    assert back32.dtype == numpy.float32
    assert numpy.abs(back32 - r).max() <= 1e-5 * max(1, math.log2(n)) * numpy.abs(r).max()


def test_hermitian():
    """hfft of a Hermitian spectrum's half is real and matches the full complex FFT."""
    rng = numpy.random.default_rng(3)
    for n in [6, 7, 64, 99]:
        sig = rng.standard_normal(n)
        spec_half = numpy.fft.ifft(sig)[: n // 2 + 1]
        ours = oxnp.fft.hfft(to_ox(spec_half), n)
        assert_close(ours, numpy.fft.hfft(spec_half, n))
        assert numpy.abs(to_np(ours) - sig).max() < 1e-12 * n
        ih = oxnp.fft.ihfft(to_ox(sig))
        assert_close(ih, numpy.fft.ihfft(sig))
        assert numpy.abs(to_np(ih) - numpy.conj(numpy.fft.rfft(sig)) / n).max() < 1e-13 * n


def test_known_values():
    assert_same(oxnp.fft.fft(oxnp.ones(4)), numpy.fft.fft(numpy.ones(4)))
    assert_same(oxnp.fft.rfft(oxnp.arange(4.0)), numpy.fft.rfft(numpy.arange(4.0)))
    assert_same(oxnp.fft.fft([1, 2]), numpy.fft.fft([1, 2]))
    assert_same(oxnp.fft.ifft([[1, 2], [3, 4]], axis=0), numpy.fft.ifft([[1, 2], [3, 4]], axis=0))
    assert isinstance(oxnp.fft.fft([1.0, 2.0, 3.0]), oxnp.ndarray)


# ---------------------------------------------------------------------------- helpers (exact)

@pytest.mark.parametrize("d", [1.0, 0.1, 3, 1e-3, 0.7, 2.5])
def test_fftfreq_bitwise(d):
    for n in list(range(1, 40)) + [100, 101, 1000, 4097]:
        assert_same(oxnp.fft.fftfreq(n, d), numpy.fft.fftfreq(n, d))
        assert_same(oxnp.fft.rfftfreq(n, d), numpy.fft.rfftfreq(n, d))
    assert_same(oxnp.fft.fftfreq(8), numpy.fft.fftfreq(8))
    assert_same(oxnp.fft.rfftfreq(9, d=d), numpy.fft.rfftfreq(9, d=d))
    assert_same(oxnp.fft.fftfreq(8, oxnp.float32(0.1)), numpy.fft.fftfreq(8, numpy.float32(0.1)))


def test_fftfreq_errors():
    for f in ("fftfreq", "rfftfreq"):
        for n in (2.0, "3", None):
            with pytest.raises(ValueError, match="n should be an integer"):
                getattr(oxnp.fft, f)(n)
        with pytest.raises(ValueError):
            getattr(oxnp.fft, f)(4, device="gpu")
        assert_same(getattr(oxnp.fft, f)(4, device="cpu"), getattr(numpy.fft, f)(4, device="cpu"))
        assert_same(getattr(oxnp.fft, f)(numpy.int64(6)), getattr(numpy.fft, f)(numpy.int64(6)))
        assert_same(getattr(oxnp.fft, f)(oxnp.int32(6)), getattr(numpy.fft, f)(numpy.int32(6)))


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_shifts(name):
    for shape in [(0,), (1,), (5,), (6,), (3, 4), (5, 7), (2, 3, 5)]:
        x = numpy.arange(numpy.prod(shape), dtype="float64").reshape(shape)
        cases = [dict(), dict(axes=0), dict(axes=-1), dict(axes=(0,)), dict(axes=[-1, 0])]
        if len(shape) > 1:
            cases.append(dict(axes=(1,)))
        for kw in cases:
            assert_same(getattr(oxnp.fft, name)(to_ox(x), **kw), getattr(numpy.fft, name)(x, **kw))
    assert_same(oxnp.fft.fftshift(oxnp.fft.fftfreq(10, 0.1)),
                numpy.fft.fftshift(numpy.fft.fftfreq(10, 0.1)))
    assert_same(getattr(oxnp.fft, name)([1, 2, 3]), getattr(numpy.fft, name)([1, 2, 3]))


def test_namespace():
    assert sorted(oxnp.fft.__all__) == sorted(numpy.fft.__all__)
    for name in numpy.fft.__all__:
        assert callable(getattr(oxnp.fft, name))
    assert oxnp.fft is __import__("oxnp.fft").fft


# --------------------------------------------------------------------------------- hypothesis

@settings(max_examples=150, deadline=None)
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=4),
    name=st.sampled_from(FUNCS_1D),
    data_=st.data(),
)
def test_hypothesis_1d(shape, name, data_):
    nd = len(shape)
    axis = data_.draw(st.integers(-nd, nd - 1))
    n = data_.draw(st.one_of(st.none(), st.integers(1, 12)))
    norm = data_.draw(st.sampled_from(NORMS))
    dtype = data_.draw(st.sampled_from(["float64", "complex128", "float32", "complex64", "int32"]))
    flip = data_.draw(st.booleans())
    view = (lambda a: a[..., ::-1]) if flip else None
    check(name, data(tuple(shape), dtype, seed=sum(shape)), n=n, axis=axis, norm=norm, view=view)


@settings(max_examples=100, deadline=None)
@given(
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=4),
    name=st.sampled_from(FUNCS_ND),
    data_=st.data(),
)
def test_hypothesis_nd(shape, name, data_):
    nd = len(shape)
    axes = data_.draw(st.one_of(
        st.none(), st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=nd, unique=True)))
    if name.endswith("2") and axes is None:
        axes = (-2, -1) if nd >= 2 else (-1,)
    s = None
    if axes is not None and data_.draw(st.booleans()):
        s = [data_.draw(st.integers(1, 9)) for _ in axes]
    dtype = "float64" if name.startswith("r") else data_.draw(st.sampled_from(["complex128", "float32"]))
    kw = {"axes": axes} if axes is not None else {}
    if s is not None:
        kw["s"] = s
    check(name, data(tuple(shape), dtype), **kw)
