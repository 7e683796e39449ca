"""Differential tests of the legacy polynomial API (poly, roots, poly1d, polyfit, ...) against
NumPy."""

import warnings

import numpy
import pytest

import oxnp
from helpers import to_np, to_ox


def N(x):
    if isinstance(x, oxnp.ndarray):
        return to_np(x)
    if isinstance(x, oxnp.poly1d):
        return to_np(x.coeffs)
    return numpy.asarray(x)


def check(ours, ref, rtol=1e-10, atol=1e-12):
    got = N(ours)
    ref = numpy.asarray(ref.coeffs if isinstance(ref, numpy.poly1d) else ref)
    assert got.dtype == ref.dtype, f"{got.dtype} != {ref.dtype}"
    assert got.shape == ref.shape, f"{got.shape} != {ref.shape}"
    numpy.testing.assert_allclose(got, ref, rtol=rtol, atol=atol)


def sorted_c(x):
    return numpy.sort_complex(numpy.asarray(x).astype(complex))


COEFFS = [[1.0], [1.0, -3.0, 2.0], [2, 0, -1, 5], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0],
          [1 + 1j, 2, 3j], [3, 1], [1.0, 0.0, 1.0]]


@pytest.mark.parametrize("p", COEFFS, ids=str)
def test_roots(p):
    got, ref = oxnp.roots(p), numpy.roots(p)
    assert N(got).dtype == ref.dtype and N(got).shape == ref.shape
    numpy.testing.assert_allclose(sorted_c(N(got)), sorted_c(ref), atol=1e-10)


def test_roots_edge():
    check(oxnp.roots([0, 0]), numpy.roots([0, 0]))
    check(oxnp.roots([5]), numpy.roots([5]))
    with pytest.raises(ValueError, match="rank-1"):
        oxnp.roots([[1, 2]])


@pytest.mark.parametrize("zeros", [[1, 2, 3], [1.0, -1.0], [1j, -1j], [1 + 1j, 2], [], [0.5]], ids=str)
def test_poly(zeros):
    got, ref = oxnp.poly(zeros), numpy.poly(zeros)
    if isinstance(ref, float):
        assert got == ref
        return
    check(got, ref)


def test_poly_matrix():
    a = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    check(oxnp.poly(to_ox(a)), numpy.poly(a))


PAIRS = [([1, 2, 3], [4, 5]), ([1.0], [2.0, 3.0, 4.0]), ([1 + 2j, 3], [1.5, 0, 2]), ([2.0, 1.0], [2.0, 1.0])]


@pytest.mark.parametrize("a,b", PAIRS, ids=str)
def test_arithmetic(a, b):
    for f in ("polyadd", "polysub", "polymul"):
        check(getattr(oxnp, f)(a, b), getattr(numpy, f)(a, b))
    q, r = oxnp.polydiv(a, b)
    rq, rr = numpy.polydiv(a, b)
    check(q, rq)
    check(r, rr)


@pytest.mark.parametrize("p", COEFFS[:5], ids=str)
def test_der_int_val(p):
    for m in (0, 1, 2):
        check(oxnp.polyder(p, m), numpy.polyder(p, m))
        check(oxnp.polyint(p, m), numpy.polyint(p, m))
    check(oxnp.polyint(p, 2, k=[1, 2]), numpy.polyint(p, 2, k=[1, 2]))
    x = numpy.linspace(-2, 2, 7)
    check(oxnp.polyval(p, to_ox(x)), numpy.polyval(p, x))
    assert float(oxnp.polyval(p, 1.5)) == pytest.approx(float(numpy.polyval(p, 1.5)))


def test_polyfit():
    x = numpy.linspace(0, 3, 20)
    y = 1 - 2 * x + 0.5 * x**2 + 0.01 * numpy.sin(7 * x)
    for deg in (0, 1, 2, 4):
        check(oxnp.polyfit(to_ox(x), to_ox(y), deg), numpy.polyfit(x, y, deg), rtol=1e-8, atol=1e-10)
    w = numpy.linspace(1, 2, 20)
    check(oxnp.polyfit(to_ox(x), to_ox(y), 2, w=to_ox(w)), numpy.polyfit(x, y, 2, w=w), rtol=1e-8)
    y2 = numpy.stack([y, 2 * y + 1], axis=1)
    check(oxnp.polyfit(to_ox(x), to_ox(y2), 2), numpy.polyfit(x, y2, 2), rtol=1e-8)
    c, res, rank, s, rcond = oxnp.polyfit(to_ox(x), to_ox(y), 2, full=True)
    rc, rres, rrank, rs, rrcond = numpy.polyfit(x, y, 2, full=True)
    check(c, rc, rtol=1e-8)
    check(res, rres, rtol=1e-6)
    assert rank == rrank and rcond == rrcond
    check(s, rs, rtol=1e-8)
    c, cov = oxnp.polyfit(to_ox(x), to_ox(y), 2, cov=True)
    rc, rcov = numpy.polyfit(x, y, 2, cov=True)
    check(cov, rcov, rtol=1e-6, atol=1e-14)
    c, cov = oxnp.polyfit(to_ox(x), to_ox(y), 2, cov="unscaled")
    rc, rcov = numpy.polyfit(x, y, 2, cov="unscaled")
    check(cov, rcov, rtol=1e-6)


def test_polyfit_rank_warning_and_errors():
    x = numpy.ones(5)
    with pytest.warns(oxnp.exceptions.RankWarning):
        oxnp.polyfit(to_ox(x), to_ox(numpy.ones(5)), 2)
    with pytest.raises(ValueError):
        oxnp.polyfit([1.0, 2.0], [1.0, 2.0], -1)
    with pytest.raises(TypeError):
        oxnp.polyfit([1.0, 2.0], [1.0, 2.0, 3.0], 1)


def test_poly1d():
    p, rp = oxnp.poly1d([1, -3, 2]), numpy.poly1d([1, -3, 2])
    q, rq = oxnp.poly1d([2.0, 1.0]), numpy.poly1d([2.0, 1.0])
    assert repr(p) == repr(rp)
    assert str(p) == str(rp)
    assert str(q) == str(rq)
    assert str(oxnp.poly1d([1.5, 0, -2.25, 1])) == str(numpy.poly1d([1.5, 0, -2.25, 1]))
    assert str(oxnp.poly1d([1j, 2])) == str(numpy.poly1d([1j, 2]))
    assert str(oxnp.poly1d([0])) == str(numpy.poly1d([0]))
    assert p.order == rp.order and len(p) == len(rp)
    check(p.coeffs, rp.coeffs)
    for ours, ref in ((p + q, rp + rq), (p - q, rp - rq), (p * q, rp * rq), (p * 2, rp * 2),
                      (3 * p, 3 * rp), (p ** 3, rp ** 3), (-p, -rp), (p / 2, rp / 2),
                      (p.deriv(), rp.deriv()), (p.integ(), rp.integ()), (p.integ(2, k=1), rp.integ(2, k=1)),
                      (1 + p, 1 + rp), (5 - p, 5 - rp)):
        check(ours, ref)
    qd, rd = p / q, rp / rq
    check(qd[0], rd[0])
    check(qd[1], rd[1])
    numpy.testing.assert_allclose(sorted(N(p.roots)), sorted(rp.roots))
    assert float(p(3)) == rp(3)
    check(p(to_ox(numpy.array([0.0, 1.0, 2.5]))), rp(numpy.array([0.0, 1.0, 2.5])))
    assert p[0] == rp[0] and p[2] == rp[2] and p[5] == rp[5]
    assert p == oxnp.poly1d([1, -3, 2]) and p != q
    r = oxnp.poly1d([1, 2], r=True)
    check(r, numpy.poly1d([1, 2], r=True))
    assert oxnp.poly1d([1, 2], variable="z").variable == "z"
    assert str(oxnp.poly1d([1, 2, 3], variable="z")) == str(numpy.poly1d([1, 2, 3], variable="z"))
    check(oxnp.asarray(p), numpy.asarray(rp))
    pp = oxnp.poly1d([1.0, 2.0])
    pp[3] = 4.0
    rpp = numpy.poly1d([1.0, 2.0])
    rpp[3] = 4.0
    check(pp, rpp)
    assert list(p) == list(rp)
    with pytest.raises(ValueError):
        p ** -1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(oxnp.poly1d([0, 0, 1, 2]), numpy.poly1d([0, 0, 1, 2]))


# --- more differential cases -------------------------------------------------------------------

STR_CASES = [
    [1, 2], [1, -1, 1], [-1, 2, -3], [1.5, 0, -2.25, 1], [1j, 2], [0], [0, 0], [5], [-5],
    [1e-5, 3e10, 2], [2 + 3j, -1 - 1j, 1.5j], [0, 0, 1, 2], list(range(1, 35)), list(range(-20, 0)),
    [1.23456789, -9.87654e10, 1e-7, 0, -2.5], [2j, 0, -1j], [1e-300, 1], [float("nan"), 1],
    [1, float("inf"), 2], [-0.0, 1.0], [0.0, -0.0, 2.0], [1, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3],
    [True, False, True], [123456, 0.5, -7], [-1 + 0j, 2 - 0j], [1e100, -1e-100],
    [0.1] * 12,
]
STR_DTYPES = [None, "f", "i1", "u2", "F"]


def _str_params():
    out = []
    for c in STR_CASES:
        for dtype in STR_DTYPES:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    arr = numpy.asarray(c, dtype=dtype)
                except (OverflowError, ValueError, TypeError):
                    continue
                if dtype and not numpy.array_equal(arr, numpy.asarray(c), equal_nan=True):
                    continue  # not representable in this dtype
            out.append(pytest.param(arr, id=f"{c}-{dtype}"))
    return out


@pytest.mark.parametrize("ref_c", _str_params())
def test_poly1d_str_repr(ref_c):
    ours, ref = oxnp.poly1d(to_ox(ref_c)), numpy.poly1d(ref_c)
    assert str(ours) == str(ref)
    assert repr(ours) == repr(ref)
    for var in ("t", "lambda", "zz**2"):
        assert str(oxnp.poly1d(to_ox(ref_c), variable=var)) == str(numpy.poly1d(ref_c, variable=var))


def test_poly1d_str_after_edits():
    p, rp = oxnp.poly1d([1.0, 2.0, 3.0]), numpy.poly1d([1.0, 2.0, 3.0])
    p[2] = 0
    rp[2] = 0
    assert str(p) == str(rp) and repr(p) == repr(rp) and p.order == rp.order
    p[7] = -1.5
    rp[7] = -1.5
    assert str(p) == str(rp)
    check(p, rp)


def test_poly1d_operations_more():
    a, ra = oxnp.poly1d([1, 2], variable="t"), numpy.poly1d([1, 2], variable="t")
    b, rb = oxnp.poly1d([3.0, 0, -1]), numpy.poly1d([3.0, 0, -1])
    for ours, ref in ((a + b, ra + rb), (a * [1, 1], ra * [1, 1]), ([1, 1] * a, [1, 1] * ra),
                      (a - [1, 2, 3], ra - [1, 2, 3]), ([1, 2, 3] - a, [1, 2, 3] - ra),
                      (a * 2.5, ra * 2.5), (1j * a, 1j * ra), (a ** 0, ra ** 0), (b ** 4, rb ** 4),
                      (a / 4, ra / 4), (oxnp.poly1d(a), numpy.poly1d(ra)), (b.integ(3, k=[1, 2, 3]), rb.integ(3, k=[1, 2, 3])),
                      (b.deriv(0), rb.deriv(0)), (b.deriv(5), rb.deriv(5))):
        check(ours, ref)
        assert ours.variable == ref.variable
    assert (a + b).variable == (ra + rb).variable == "x"
    assert oxnp.poly1d(a).variable == "t"
    assert oxnp.poly1d(a, variable="s").variable == "s"
    for ours, ref in ((b / a, rb / ra), ([1, 0, 0, 1] / a, [1, 0, 0, 1] / ra), (b / [0, 0, 2, 1], rb / [0, 0, 2, 1])):
        check(ours[0], ref[0])
        check(ours[1], ref[1])
    assert (a == [1, 2]) == (ra == [1, 2])
    assert (a == oxnp.poly1d([1.0, 2.0])) == (ra == numpy.poly1d([1.0, 2.0]))
    assert (a == oxnp.poly1d([1, 2, 3])) is False
    assert (a != oxnp.poly1d([1, 2, 3])) is True
    with pytest.raises(TypeError):
        hash(a)
    for bad in (-1, 1.5, [2]):
        with pytest.raises(ValueError, match="Power to non-negative integers only."):
            a ** bad
    for m in (oxnp, numpy):  # a float exponent passes the check, then range() refuses it
        with pytest.raises(TypeError):
            m.poly1d([1, 2]) ** 2.0
    check(a(a), ra(ra))
    check(b(to_ox(numpy.array([[1.0, 2.0], [3.0, 4.0]]))), rb(numpy.array([[1.0, 2.0], [3.0, 4.0]])))
    assert a.c is a.coeffs and a.coef is a.coeffs and a.coefficients is a.coeffs and a.o == a.order
    numpy.testing.assert_allclose(sorted_c(N(b.r)), sorted_c(rb.r))  # eigvals' order may differ
    assert b[1] == rb[1] and type(N(b[1])) is type(numpy.asarray(rb[1]))
    check(oxnp.asarray(b, dtype="f"), numpy.asarray(rb, dtype="f"))


def test_poly1d_construction_errors_and_attributes():
    with pytest.raises(ValueError, match="Polynomial must be 1d only."):
        oxnp.poly1d([[1, 2], [3, 4]])
    check(oxnp.poly1d(3), numpy.poly1d(3))
    check(oxnp.poly1d([]), numpy.poly1d([]))
    check(oxnp.poly1d([0, 0, 0], r=True), numpy.poly1d([0, 0, 0], r=True))
    check(oxnp.poly1d([1j, -1j], r=True), numpy.poly1d([1j, -1j], r=True))
    p = oxnp.poly1d([1.0, 2.0])
    p.coeffs += 1  # in-place updates are allowed
    check(p, numpy.poly1d([2.0, 3.0]))
    with pytest.raises(AttributeError):
        p.coeffs = oxnp.asarray([1.0, 2.0])
    with pytest.raises(AttributeError):
        p.variable = "y"
    with pytest.raises(AttributeError):
        p.order = 3
    with pytest.raises(ValueError, match="Does not support negative powers."):
        p[-1] = 5
    assert p[-1] == 0 and p[10] == 0
    p.extra = 1
    with pytest.warns(FutureWarning, match="extra properties"):
        q = oxnp.poly1d(p)
    assert q.extra == 1


ZEROS_MORE = [[[1.0, 2.0], [3.0, 4.0]], [[0.0, -1.0], [1.0, 0.0]], [[1j, 2], [3, 4]], [[1, 2], [3, 4]],
              [1, 2, 3], [1 + 1j, 1 - 1j, 2], [2 + 1j, 2 + 1j, 2 - 1j], [True, False], [float("nan"), 1]]


@pytest.mark.parametrize("z", ZEROS_MORE, ids=str)
def test_poly_more(z):
    check(oxnp.poly(to_ox(numpy.asarray(z))), numpy.poly(numpy.asarray(z)))


@pytest.mark.parametrize("dtype", ["f", "F", "i2", "d"])
def test_poly_roots_dtypes(dtype):
    z = numpy.array([1, 2, 3], dtype=dtype)
    check(oxnp.poly(to_ox(z)), numpy.poly(z), rtol=1e-5)
    c = numpy.array([1, -6, 11, -6], dtype=dtype)
    got, ref = N(oxnp.roots(to_ox(c))), numpy.roots(c)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    numpy.testing.assert_allclose(sorted_c(got), sorted_c(ref), rtol=1e-4)


def test_poly_roots_errors():
    for bad in ([[1.0, 2.0, 3.0]], [[[1.0]]], numpy.zeros((0, 0))):
        with pytest.raises(ValueError, match="input must be 1d or non-empty square 2d array."):
            oxnp.poly(to_ox(numpy.asarray(bad)))
    for f in (oxnp.poly, oxnp.roots):
        with pytest.raises(TypeError):
            f(3)
    assert oxnp.poly([]) == numpy.poly([]) == 1.0
    check(oxnp.roots([0, 1, -1, 0, 0]), numpy.roots([0, 1, -1, 0, 0]))
    check(oxnp.roots([2.0, 4.0]), numpy.roots([2.0, 4.0]))
    got = N(oxnp.roots([2j, 0, -1j]))
    numpy.testing.assert_allclose(sorted_c(got), sorted_c(numpy.roots([2j, 0, -1j])))


def test_calculus_and_arithmetic_more():
    with pytest.raises(ValueError, match="Order of integral must be positive"):
        oxnp.polyint([1, 2], -1)
    with pytest.raises(ValueError, match="k must be a scalar or a rank-1 array of length 1 or >m."):
        oxnp.polyint([1, 2], 3, k=[1, 2])
    with pytest.raises(ValueError, match="Order of derivative must be positive"):
        oxnp.polyder([1, 2], -1)
    for ours, ref in ((oxnp.polyint([1, 2], 3, k=5), numpy.polyint([1, 2], 3, k=5)),
                      (oxnp.polyint([1, 2], 2, k=[1j, 2]), numpy.polyint([1, 2], 2, k=[1j, 2])),
                      (oxnp.polyint([1, 2], 0), numpy.polyint([1, 2], 0)),
                      (oxnp.polyint(oxnp.poly1d([1, 2]), 2, k=[1, 2, 3]), numpy.polyint(numpy.poly1d([1, 2]), 2, k=[1, 2, 3])),
                      (oxnp.polyder(oxnp.poly1d([1, 2, 3])), numpy.polyder(numpy.poly1d([1, 2, 3]))),
                      (oxnp.polyder([1, 2, 3], 5), numpy.polyder([1, 2, 3], 5)),
                      (oxnp.polyadd(1, 2), numpy.polyadd(1, 2)), (oxnp.polyadd([1, 2], [1j]), numpy.polyadd([1, 2], [1j])),
                      (oxnp.polysub([1.0], [1, 2, 3]), numpy.polysub([1.0], [1, 2, 3])),
                      (oxnp.polymul([0, 0], [1, 2]), numpy.polymul([0, 0], [1, 2])),
                      (oxnp.polymul(2, [0, 1, 2]), numpy.polymul(2, [0, 1, 2])),
                      (oxnp.polyval([1, 2, 3], [[1, 2], [3, 4]]), numpy.polyval([1, 2, 3], [[1, 2], [3, 4]])),
                      (oxnp.polyval([], [1.0, 2.0]), numpy.polyval([], [1.0, 2.0])),
                      (oxnp.polyval([1, 2], oxnp.poly1d([1, 0, 0])), numpy.polyval([1, 2], numpy.poly1d([1, 0, 0])))):
        if isinstance(ref, numpy.poly1d):
            assert isinstance(ours, oxnp.poly1d)
        check(ours, ref)
    assert isinstance(oxnp.polyadd(oxnp.poly1d([1]), [1, 2]), oxnp.poly1d)
    for u, v in (([1.0, -3, 2], [1.0, -1]), ([1.0, 2], [1.0, 2, 3]), ([4, 2], [2]), ([0.0, 1, 2], [1.0, 1]),
                 (numpy.array([1, 2, 3], "f"), numpy.array([1, 1], "f")), ([1j, 2, 3], [2, 1j])):
        q, r = oxnp.polydiv(to_ox(numpy.asarray(u)), to_ox(numpy.asarray(v)))
        rq, rr = numpy.polydiv(u, v)
        check(q, rq, rtol=1e-6)
        check(r, rr, rtol=1e-6, atol=1e-6)


FIT_X = numpy.linspace(0, 3, 20)
FIT_Y = 1 - 2 * FIT_X + 0.5 * FIT_X**2 + 0.01 * numpy.sin(7 * FIT_X)
FIT_Y2 = numpy.stack([FIT_Y, 2 * FIT_Y + 1], axis=1)
FIT_W = numpy.linspace(1, 2, 20)


@pytest.mark.parametrize("deg", [0, 1, 3])
@pytest.mark.parametrize("two_d", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("mode", ["plain", "full", "cov", "unscaled", "rcond", "full+cov"])
def test_polyfit_modes(deg, two_d, weighted, mode):
    y = FIT_Y2 if two_d else FIT_Y
    kw = {"full": {"full": True}, "cov": {"cov": True}, "unscaled": {"cov": "unscaled"},
          "rcond": {"rcond": 1e-3}, "full+cov": {"full": True, "cov": True}}.get(mode, {})
    ours = oxnp.polyfit(to_ox(FIT_X), to_ox(y), deg, w=to_ox(FIT_W) if weighted else None, **kw)
    ref = numpy.polyfit(FIT_X, y, deg, w=FIT_W if weighted else None, **kw)
    if not isinstance(ref, tuple):
        check(ours, ref, rtol=1e-8, atol=1e-10)
        return
    assert isinstance(ours, tuple) and len(ours) == len(ref)
    check(ours[0], ref[0], rtol=1e-8, atol=1e-10)
    if len(ref) == 2:
        check(ours[1], ref[1], rtol=1e-6, atol=1e-14)
        return
    check(ours[1], ref[1], rtol=1e-6, atol=1e-14)
    assert ours[2] == ref[2] and type(N(ours[2]).item()) is type(ref[2].item())
    check(ours[3], ref[3], rtol=1e-8)
    assert ours[4] == ref[4]


def test_polyfit_inputs_and_errors():
    xi, yi = numpy.arange(6), numpy.array([1, 3, 2, 5, 4, 7])
    check(oxnp.polyfit(to_ox(xi), to_ox(yi), 2), numpy.polyfit(xi, yi, 2))
    check(oxnp.polyfit(to_ox(xi), to_ox(yi), 1, w=to_ox(numpy.arange(1, 7))),
          numpy.polyfit(xi, yi, 1, w=numpy.arange(1, 7)))
    check(oxnp.polyfit([1, 2, 3], [2, 4, 7], 1), numpy.polyfit([1, 2, 3], [2, 4, 7], 1))
    check(oxnp.polyfit([1.0, 2, 3], [1.0, 2, 3], 1.7), numpy.polyfit([1.0, 2, 3], [1.0, 2, 3], 1.7))
    xf, yf = FIT_X.astype("f"), FIT_Y.astype("f")
    ours, ref = oxnp.polyfit(to_ox(xf), to_ox(yf), 2, full=True), numpy.polyfit(xf, yf, 2, full=True)
    check(ours[0], ref[0], rtol=1e-4, atol=1e-5)
    assert ours[4] == ref[4]
    yc = FIT_Y + 1j * FIT_X
    check(oxnp.polyfit(to_ox(FIT_X), to_ox(yc), 2), numpy.polyfit(FIT_X, yc, 2))
    ours, ref = oxnp.polyfit(to_ox(FIT_X), to_ox(yc), 2, cov=True), numpy.polyfit(FIT_X, yc, 2, cov=True)
    check(ours[1], ref[1], rtol=1e-6)
    check(oxnp.polyfit([1.0, 2, 3, 4], [1.0, 2, 4, 3], 3, cov="unscaled")[1],
          numpy.polyfit([1.0, 2, 3, 4], [1.0, 2, 4, 3], 3, cov="unscaled")[1], rtol=1e-6)
    # rank deficiency: warned unless full=True
    with pytest.warns(oxnp.exceptions.RankWarning, match="Polyfit may be poorly conditioned"):
        c = oxnp.polyfit(to_ox(numpy.ones(5)), to_ox(numpy.arange(5.0)), 2)
    with pytest.warns(numpy.exceptions.RankWarning):
        rc = numpy.polyfit(numpy.ones(5), numpy.arange(5.0), 2)
    check(c, rc)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = oxnp.polyfit(to_ox(numpy.ones(5)), to_ox(numpy.arange(5.0)), 2, full=True)
    ref = numpy.polyfit(numpy.ones(5), numpy.arange(5.0), 2, full=True)
    assert ours[2] == ref[2]
    check(ours[1], ref[1])
    for args, kw, exc, msg in (
            (([1.0, 2], [1.0, 2], -1), {}, ValueError, "expected deg >= 0"),
            (([[1.0, 2]], [1.0, 2], 1), {}, TypeError, "expected 1D vector for x"),
            (([], [], 1), {}, TypeError, "expected non-empty vector for x"),
            (([1.0, 2], [[[1.0], [2.0]]], 1), {}, TypeError, "expected 1D or 2D array for y"),
            (([1.0, 2], [1.0, 2, 3], 1), {}, TypeError, "expected x and y to have same length"),
            (([1.0, 2, 3], [1.0, 2, 3], 1), {"w": [[1, 1, 1]]}, TypeError, "expected a 1-d array for weights"),
            (([1.0, 2, 3], [1.0, 2, 3], 1), {"w": [1, 1]}, TypeError, "expected w and y to have the same length"),
            (([1.0, 2, 3], [1.0, 2, 4], 2), {"cov": True}, ValueError, "the number of data points must exceed order"),
    ):
        with pytest.raises(exc, match=msg):
            oxnp.polyfit(*args, **kw)
        with pytest.raises(exc, match=msg):
            numpy.polyfit(*args, **kw)
