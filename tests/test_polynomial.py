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
