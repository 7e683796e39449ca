"""The legacy polynomial API (``numpy/lib/_polynomial_impl.py``): poly, roots, polyadd,
polysub, polymul, polydiv, polyder, polyint, polyval, polyfit and the ``poly1d`` class,
ported line by line on oxnp's arrays and ``oxnp.linalg`` (eigvals, inv, lstsq)."""

import re
import warnings

from . import _oxnp
from ._dtypes import finfo, mintypecode
from ._manip import diag, hstack, outer, trim_zeros
from ._numeric import allclose, convolve, isscalar, vander
from ._oxnp import arange, array, asanyarray, asarray, atleast_1d, concatenate, ones, zeros, zeros_like
from ._scalars import complexfloating, floating
from .exceptions import RankWarning
from .linalg import eigvals, inv, lstsq

__all__ = ["poly", "roots", "polyint", "polyder", "polyadd", "polysub", "polymul", "polydiv",
           "polyval", "poly1d", "polyfit"]


def _dot_t(lhs):
    """``lhs.T @ lhs`` for a 2-d array."""
    mm = getattr(_oxnp, "matmul", None)
    if mm is not None:
        return mm(lhs.T, lhs)
    return (lhs[:, :, None] * lhs[:, None, :]).sum(axis=0)


def _sort_complex_key(z):
    z = complex(z)
    return (z.real, z.imag)


def poly(seq_of_zeros):
    """Coefficients of the monic polynomial with the given roots (or of a matrix's
    characteristic polynomial)."""
    seq_of_zeros = atleast_1d(seq_of_zeros)
    sh = seq_of_zeros.shape
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        seq_of_zeros = eigvals(seq_of_zeros)
    elif len(sh) == 1:
        dt = seq_of_zeros.dtype
        seq_of_zeros = seq_of_zeros.astype(mintypecode(dt.char))
    else:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if len(seq_of_zeros) == 0:
        return 1.0
    dt = seq_of_zeros.dtype
    a = ones((1,), dtype=dt)
    for zero in seq_of_zeros:
        a = convolve(a, array([1, -zero], dtype=dt), mode="full")
    if issubclass(a.dtype.type, complexfloating):
        rts = [complex(z) for z in asarray(seq_of_zeros, complex)]
        srt = sorted(rts, key=_sort_complex_key)
        srt_c = sorted((z.conjugate() for z in rts), key=_sort_complex_key)
        if all(x == y for x, y in zip(srt, srt_c)):
            a = a.real.copy()
    return a


def roots(p):
    """Roots of the polynomial with coefficients ``p``: eigenvalues of the companion matrix."""
    p = atleast_1d(p)
    if p.ndim != 1:
        raise ValueError("Input must be a rank-1 array.")
    non_zero = _oxnp.nonzero(p.ravel())[0]
    if len(non_zero) == 0:
        return array([])
    trailing_zeros = len(p) - int(non_zero[-1]) - 1
    p = p[int(non_zero[0]):int(non_zero[-1]) + 1]
    if not issubclass(p.dtype.type, (floating, complexfloating)):
        p = p.astype(float)
    N = len(p)
    if N > 1:
        A = diag(ones((N - 2,), p.dtype), -1)
        A[0, :] = -p[1:] / p[0]
        rts = eigvals(A)
    else:
        rts = array([])
    return hstack((rts, zeros(trailing_zeros, rts.dtype)))


def polyint(p, m=1, k=None):
    """Antiderivative of order ``m`` with integration constants ``k``."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = zeros(m, float)
    k = atleast_1d(k)
    if len(k) == 1 and m > 1:
        k = k[0] * ones(m, float)
    if len(k) < m:
        raise ValueError(
            "k must be a scalar or a rank-1 array of length 1 or >m.")
    truepoly = isinstance(p, poly1d)
    p = asarray(p)
    if m == 0:
        if truepoly:
            return poly1d(p)
        return p
    y = concatenate((p.__truediv__(arange(len(p), 0, -1)), [k[0]]))
    val = polyint(y, m - 1, k=k[1:])
    if truepoly:
        return poly1d(val)
    return val


def polyder(p, m=1):
    """Derivative of order ``m``."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    truepoly = isinstance(p, poly1d)
    p = asarray(p)
    n = len(p) - 1
    y = p[:-1] * arange(n, 0, -1)
    if m == 0:
        val = p
    else:
        val = polyder(y, m - 1)
    if truepoly:
        val = poly1d(val)
    return val


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit (through ``oxnp.linalg.lstsq``)."""
    order = int(deg) + 1
    x = asarray(x) + 0.0
    y = asarray(y) + 0.0
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    if rcond is None:
        rcond = len(x) * finfo(x.dtype).eps
    lhs = vander(x, order)
    rhs = y
    if w is not None:
        w = asarray(w) + 0.0
        if w.ndim != 1:
            raise TypeError("expected a 1-d array for weights")
        if w.shape[0] != y.shape[0]:
            raise TypeError("expected w and y to have the same length")
        lhs *= w[:, None]
        if rhs.ndim == 2:
            rhs *= w[:, None]
        else:
            rhs *= w
    scale = ((lhs * lhs).sum(axis=0)) ** 0.5
    lhs /= scale
    c, resids, rank, s = lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T
    if rank != order and not full:
        warnings.warn("Polyfit may be poorly conditioned", RankWarning, stacklevel=2)
    if full:
        return c, resids, rank, s, rcond
    if cov:
        Vbase = inv(_dot_t(lhs))
        Vbase /= outer(scale, scale)
        if cov == "unscaled":
            fac = 1
        else:
            if len(x) <= order:
                raise ValueError("the number of data points must exceed order "
                                 "to scale the covariance matrix")
            fac = resids / (len(x) - order)
        if y.ndim == 1:
            return c, Vbase * fac
        return c, Vbase[:, :, None] * fac
    return c


def polyval(p, x):
    """Evaluate the polynomial at ``x`` by Horner's scheme."""
    p = asarray(p)
    if isinstance(x, poly1d):
        y = 0
    else:
        x = asanyarray(x)
        y = zeros_like(x)
    for pv in p:
        y = y * x + pv
    return y


def _polyaddsub(a1, a2, op):
    truepoly = isinstance(a1, poly1d) or isinstance(a2, poly1d)
    a1 = atleast_1d(asarray(a1))
    a2 = atleast_1d(asarray(a2))
    diff = len(a2) - len(a1)
    if diff == 0:
        val = op(a1, a2)
    elif diff > 0:
        zr = zeros(diff, a1.dtype)
        val = op(concatenate((zr, a1)), a2)
    else:
        zr = zeros(-diff, a2.dtype)
        val = op(a1, concatenate((zr, a2)))
    if truepoly:
        val = poly1d(val)
    return val


def polyadd(a1, a2):
    """Sum of two polynomials."""
    return _polyaddsub(a1, a2, lambda u, v: u + v)


def polysub(a1, a2):
    """Difference of two polynomials."""
    return _polyaddsub(a1, a2, lambda u, v: u - v)


def polymul(a1, a2):
    """Product of two polynomials."""
    truepoly = isinstance(a1, poly1d) or isinstance(a2, poly1d)
    a1, a2 = poly1d(a1), poly1d(a2)
    val = convolve(a1.coeffs, a2.coeffs)
    if truepoly:
        val = poly1d(val)
    return val


def polydiv(u, v):
    """Quotient and remainder of polynomial division."""
    truepoly = isinstance(u, poly1d) or isinstance(v, poly1d)
    u = atleast_1d(asarray(u)) + 0.0
    v = atleast_1d(asarray(v)) + 0.0
    w = u[0] + v[0]
    m = len(u) - 1
    n = len(v) - 1
    scale = 1. / v[0]
    q = zeros((max(m - n + 1, 1),), w.dtype)
    r = u.astype(w.dtype)
    for k in range(m - n + 1):
        d = scale * r[k]
        q[k] = d
        r[k:k + n + 1] -= d * v
    while allclose(r[0], 0, rtol=1e-14) and (r.shape[-1] > 1):
        r = r[1:]
    if truepoly:
        return poly1d(q), poly1d(r)
    return q, r


_poly_mat = re.compile(r"\*\*([0-9]*)")


def _raise_power(astr, wrap=70):
    n = 0
    line1 = ''
    line2 = ''
    output = ' '
    while True:
        mat = _poly_mat.search(astr, n)
        if mat is None:
            break
        span = mat.span()
        power = mat.groups()[0]
        partstr = astr[n:span[0]]
        n = span[1]
        toadd2 = partstr + ' ' * (len(power) - 1)
        toadd1 = ' ' * (len(partstr) - 1) + power
        if ((len(line2) + len(toadd2) > wrap) or
                (len(line1) + len(toadd1) > wrap)):
            output += line1 + "\n" + line2 + "\n "
            line1 = toadd1
            line2 = toadd2
        else:
            line2 += partstr + ' ' * (len(power) - 1)
            line1 += ' ' * (len(partstr) - 1) + power
    output += line1 + "\n" + line2
    return output + astr[n:]


class poly1d:
    """A one-dimensional polynomial class (``numpy.poly1d``)."""

    __module__ = "oxnp"
    __hash__ = None

    @property
    def coeffs(self):
        return self._coeffs

    @coeffs.setter
    def coeffs(self, value):
        if value is not self._coeffs:
            raise AttributeError("Cannot set attribute")

    @property
    def variable(self):
        return self._variable

    @property
    def order(self):
        return len(self._coeffs) - 1

    @property
    def roots(self):
        return roots(self._coeffs)

    @property
    def _coeffs(self):
        return self.__dict__['coeffs']

    @_coeffs.setter
    def _coeffs(self, coeffs):
        self.__dict__['coeffs'] = coeffs

    r = roots
    c = coef = coefficients = coeffs
    o = order

    def __init__(self, c_or_r, r=False, variable=None):
        if isinstance(c_or_r, poly1d):
            self._variable = c_or_r._variable
            self._coeffs = c_or_r._coeffs
            if set(c_or_r.__dict__) - set(self.__dict__):
                msg = ("In the future extra properties will not be copied "
                       "across when constructing one poly1d from another")
                warnings.warn(msg, FutureWarning, stacklevel=2)
                self.__dict__.update(c_or_r.__dict__)
            if variable is not None:
                self._variable = variable
            return
        if r:
            c_or_r = poly(c_or_r)
        c_or_r = atleast_1d(asarray(c_or_r))
        if c_or_r.ndim > 1:
            raise ValueError("Polynomial must be 1d only.")
        c_or_r = trim_zeros(c_or_r, trim='f')
        if len(c_or_r) == 0:
            c_or_r = array([0], dtype=c_or_r.dtype)
        self._coeffs = c_or_r
        if variable is None:
            variable = 'x'
        self._variable = variable

    def __array__(self, t=None, copy=None):
        if t:
            return asarray(self.coeffs, t).copy() if copy else asarray(self.coeffs, t)
        return self.coeffs.copy() if copy else self.coeffs

    def __repr__(self):
        vals = repr(self.coeffs)
        vals = vals[6:-1]
        return f"poly1d({vals})"

    def __len__(self):
        return self.order

    def __str__(self):
        thestr = "0"
        var = self.variable
        nz = [bool(c != 0) for c in self.coeffs]
        seen = False
        keep = []
        for flag in nz:
            seen = seen or flag
            keep.append(seen)
        coeffs = [c for c, k in zip(self.coeffs, keep) if k]
        N = len(coeffs) - 1

        def fmt_float(q):
            q = q.item() if hasattr(q, "item") else q
            s = f'{q:.4g}'
            s = s.removesuffix('.0000')
            return s

        for k, coeff in enumerate(coeffs):
            cplx = isinstance(coeff, complexfloating) or isinstance(coeff, complex)
            re_, im_ = (coeff.real, coeff.imag) if cplx else (coeff, 0)
            if not (cplx and im_ != 0):
                coefstr = fmt_float(re_)
            elif re_ == 0:
                coefstr = f'{fmt_float(im_)}j'
            else:
                coefstr = f'({fmt_float(re_)} + {fmt_float(im_)}j)'
            power = (N - k)
            if power == 0:
                if coefstr != '0':
                    newstr = f'{coefstr}'
                elif k == 0:
                    newstr = '0'
                else:
                    newstr = ''
            elif power == 1:
                if coefstr == '0':
                    newstr = ''
                elif coefstr == 'b':
                    newstr = var
                else:
                    newstr = f'{coefstr} {var}'
            elif coefstr == '0':
                newstr = ''
            elif coefstr == 'b':
                newstr = '%s**%d' % (var, power,)
            else:
                newstr = '%s %s**%d' % (coefstr, var, power)
            if k > 0:
                if newstr != '':
                    if newstr.startswith('-'):
                        thestr = f"{thestr} - {newstr[1:]}"
                    else:
                        thestr = f"{thestr} + {newstr}"
            else:
                thestr = newstr
        return _raise_power(thestr)

    def __call__(self, val):
        return polyval(self.coeffs, val)

    def __neg__(self):
        return poly1d(-self.coeffs)

    def __pos__(self):
        return self

    def __mul__(self, other):
        if isscalar(other):
            return poly1d(self.coeffs * other)
        other = poly1d(other)
        return poly1d(polymul(self.coeffs, other.coeffs))

    def __rmul__(self, other):
        if isscalar(other):
            return poly1d(other * self.coeffs)
        other = poly1d(other)
        return poly1d(polymul(self.coeffs, other.coeffs))

    def __add__(self, other):
        other = poly1d(other)
        return poly1d(polyadd(self.coeffs, other.coeffs))

    def __radd__(self, other):
        other = poly1d(other)
        return poly1d(polyadd(self.coeffs, other.coeffs))

    def __pow__(self, val):
        if not isscalar(val) or int(val) != val or val < 0:
            raise ValueError("Power to non-negative integers only.")
        res = [1]
        for _ in range(val):
            res = polymul(self.coeffs, res)
        return poly1d(res)

    def __sub__(self, other):
        other = poly1d(other)
        return poly1d(polysub(self.coeffs, other.coeffs))

    def __rsub__(self, other):
        other = poly1d(other)
        return poly1d(polysub(other.coeffs, self.coeffs))

    def __truediv__(self, other):
        if isscalar(other):
            return poly1d(self.coeffs / other)
        other = poly1d(other)
        return polydiv(self, other)

    def __rtruediv__(self, other):
        if isscalar(other):
            return poly1d(other / self.coeffs)
        other = poly1d(other)
        return polydiv(other, self)

    def __eq__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        if self.coeffs.shape != other.coeffs.shape:
            return False
        return bool((self.coeffs == other.coeffs).all())

    def __ne__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        return not self.__eq__(other)

    def __getitem__(self, val):
        ind = self.order - val
        if val > self.order:
            return self.coeffs.dtype.type(0)
        if val < 0:
            return self.coeffs.dtype.type(0)
        return self.coeffs[ind]

    def __setitem__(self, key, val):
        ind = self.order - key
        if key < 0:
            raise ValueError("Does not support negative powers.")
        if key > self.order:
            zr = zeros(key - self.order, self.coeffs.dtype)
            self._coeffs = concatenate((zr, self.coeffs))
            ind = 0
        self._coeffs[ind] = val

    def __iter__(self):
        return iter(self.coeffs)

    def integ(self, m=1, k=0):
        return poly1d(polyint(self.coeffs, m=m, k=k))

    def deriv(self, m=1):
        return poly1d(polyder(self.coeffs, m=m))
