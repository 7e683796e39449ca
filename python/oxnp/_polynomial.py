"""NumPy's legacy one-variable polynomial API (``numpy.poly1d`` and the ``poly*`` functions).

Coefficient vectors run from the highest power down to the constant term. Behaviour (results,
dtypes, the two-line text of ``str(poly1d)``, messages, warnings) follows NumPy 2.4 as its
documentation and differential observation describe it; the code is our own and is built on
oxnp's pieces: ``linalg.eigvals`` (companion matrices), ``linalg.lstsq`` (least squares),
``convolve`` (products) and ``vander`` (design matrices).
"""

import re
import warnings

from . import _oxnp
from ._dtypes import finfo, mintypecode
from ._manip import diag, flatnonzero, hstack, outer
from ._numeric import allclose, convolve, imag, isscalar, real, vander
from ._oxnp import (arange, array, asanyarray, asarray, atleast_1d, concatenate, ones, sqrt, zeros,
                    zeros_like)
from ._scalars import complexfloating, floating
from ._ufuncs import errstate
from .exceptions import RankWarning
from .linalg import eigvals, inv, lstsq

__all__ = ["poly", "roots", "polyint", "polyder", "polyadd", "polysub", "polymul", "polydiv",
           "polyval", "poly1d", "polyfit"]


# --- small helpers ------------------------------------------------------------------------------

def _gram(m):
    """``m.T @ m`` for a 2-d array (the normal-equations matrix of polyfit's covariance)."""
    mult = getattr(_oxnp, "dot", None)
    mt = m.T
    if mult is not None:
        return mult(mt, m)
    # No matrix product in this build: broadcast the outer products and sum the shared axis.
    return (mt[:, :, None] * m[None, :, :]).sum(axis=1)


def _complex_key(z):
    return (z.real, z.imag)


def _rows_closed_under_conjugation(values):
    """True when every last-axis row of ``values`` (complex) equals its own conjugate as a
    multiset, compared after ordering both by (real, imag) as NumPy's complex sort orders."""
    arr = asarray(values, dtype=complex)
    rows = [arr.tolist()] if arr.ndim <= 1 else arr.reshape(-1, arr.shape[-1]).tolist()
    for row in rows:
        if not isinstance(row, list):
            row = [row]
        plain = sorted(row, key=_complex_key)
        mirrored = sorted((z.conjugate() for z in row), key=_complex_key)
        if any(not (u == v) for u, v in zip(plain, mirrored)):
            return False
    return True


def _require_iterable(obj):
    # NumPy's array-function dispatch for poly/roots needs an iterable argument.
    try:
        iter(obj)
    except TypeError:
        raise TypeError("dispatcher for __array_function__ did not return an iterable") from None


def _as_result(values, as_poly):
    return poly1d(values) if as_poly else values


def _either_poly(*objs):
    return any(isinstance(o, poly1d) for o in objs)


# --- building and solving -----------------------------------------------------------------------

def poly(seq_of_zeros):
    """Coefficients of the monic polynomial whose roots are ``seq_of_zeros`` (or, for a square
    matrix, the characteristic polynomial from its eigenvalues)."""
    _require_iterable(seq_of_zeros)
    zs = atleast_1d(seq_of_zeros)
    shape = zs.shape
    if len(shape) == 2 and shape[0] == shape[1] and shape[0] != 0:
        zs = eigvals(zs)
    elif len(shape) == 1:
        if zs.dtype != object:
            zs = zs.astype(mintypecode(zs.dtype.char))
    else:
        raise ValueError("input must be 1d or non-empty square 2d array.")

    if zs.shape[0] == 0:
        return 1.0
    kind = zs.dtype
    product = ones((1,), dtype=kind)
    for z in zs:
        product = convolve(product, array([1, -z], dtype=kind), mode="full")

    if issubclass(product.dtype.type, complexfloating):
        # Zeros that pair up with their conjugates give a real polynomial.
        if _rows_closed_under_conjugation(seq_of_zeros):
            product = product.real.copy()
    return product


def roots(p):
    """Zeros of the polynomial ``p``: eigenvalues of its companion matrix, with one zero added
    per trailing zero coefficient."""
    _require_iterable(p)
    cs = atleast_1d(p)
    if cs.ndim != 1:
        raise ValueError("Input must be a rank-1 array.")
    where_nonzero = flatnonzero(cs)
    if len(where_nonzero) == 0:
        return array([])
    first, last = int(where_nonzero[0]), int(where_nonzero[-1])
    zeros_at_origin = cs.shape[0] - 1 - last
    cs = cs[first:last + 1]
    if not issubclass(cs.dtype.type, (floating, complexfloating)):
        cs = cs.astype(float)

    degree = cs.shape[0] - 1
    if degree >= 1:
        companion = diag(ones((degree - 1,), cs.dtype), -1)
        # cs[0] is non-zero here; errstate only hides the engine's spurious divide-by-zero flag
        # for complex divisors with a zero real part.
        with errstate(divide="ignore"):
            companion[0, :] = -cs[1:] / cs[0]
        found = eigvals(companion)
    else:
        found = array([])
    return hstack((found, zeros(zeros_at_origin, found.dtype)))


# --- calculus -----------------------------------------------------------------------------------

def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative of ``p``; ``k`` holds the integration constants, the first
    one for the first integration (a scalar serves every step)."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    consts = zeros(m, float) if k is None else k
    consts = atleast_1d(consts)
    if m > 1 and len(consts) == 1:
        consts = consts[0] * ones(m, float)
    if len(consts) < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")

    wrap = isinstance(p, poly1d)
    cs = asarray(p)
    for step in range(m):
        divisors = arange(len(cs), 0, -1)
        cs = concatenate((cs / divisors, consts[step:step + 1]))
    return _as_result(cs, wrap)


def polyder(p, m=1):
    """The ``m``-th derivative of ``p``."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    wrap = isinstance(p, poly1d)
    cs = asarray(p)
    for _ in range(m):
        top = len(cs) - 1
        cs = cs[:-1] * arange(top, 0, -1)
    return _as_result(cs, wrap)


# --- fitting and evaluation ---------------------------------------------------------------------

def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit of degree ``deg`` to the points (x, y), optionally weighted
    by ``w``. Returns the coefficients, or (coefficients, residuals, rank, singular values,
    rcond) with ``full``, or (coefficients, covariance) with ``cov``."""
    ncoef = int(deg) + 1
    xs = asarray(x) + 0.0
    ys = asarray(y) + 0.0

    if deg < 0:
        raise ValueError("expected deg >= 0")
    if xs.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if xs.size == 0:
        raise TypeError("expected non-empty vector for x")
    if ys.ndim < 1 or ys.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if xs.shape[0] != ys.shape[0]:
        raise TypeError("expected x and y to have same length")

    npts = len(xs)
    if rcond is None:
        rcond = npts * finfo(xs.dtype).eps

    design = vander(xs, ncoef)
    target = ys
    if w is not None:
        weights = asarray(w) + 0.0
        if weights.ndim != 1:
            raise TypeError("expected a 1-d array for weights")
        if weights.shape[0] != ys.shape[0]:
            raise TypeError("expected w and y to have the same length")
        column = weights[:, None]
        design *= column
        target *= column if target.ndim == 2 else weights

    # Equilibrate the columns before solving; undo it on the solution.
    col_norm = sqrt((design * design).sum(axis=0))
    design /= col_norm
    sol, resids, rank, sing = lstsq(design, target, rcond)
    sol = (sol.T / col_norm).T

    if rank != ncoef and not full:
        warnings.warn("Polyfit may be poorly conditioned", RankWarning, stacklevel=2)

    if full:
        return sol, resids, rank, sing, rcond
    if not cov:
        return sol

    base = inv(_gram(design))
    base /= outer(col_norm, col_norm)
    if cov == "unscaled":
        factor = 1
    else:
        if npts <= ncoef:
            raise ValueError("the number of data points must exceed order to scale the "
                             "covariance matrix")
        factor = resids / (npts - ncoef)
    if ys.ndim == 1:
        return sol, base * factor
    return sol, base[:, :, None] * factor


def polyval(p, x):
    """Evaluate ``p`` at ``x`` by Horner's rule (``x`` may be an array or a poly1d)."""
    cs = asarray(p)
    if isinstance(x, poly1d):
        acc = 0
    else:
        x = asanyarray(x)
        acc = zeros_like(x)
    for c in cs:
        acc = acc * x + c
    return acc


# --- arithmetic ---------------------------------------------------------------------------------

def _left_pad(cs, length):
    missing = length - len(cs)
    if missing <= 0:
        return cs
    return concatenate((zeros(missing, cs.dtype), cs))


def _combine(a1, a2, subtract):
    wrap = _either_poly(a1, a2)
    u, v = atleast_1d(a1), atleast_1d(a2)
    if len(u) != len(v):
        size = max(len(u), len(v))
        u, v = _left_pad(u, size), _left_pad(v, size)
    return _as_result(u - v if subtract else u + v, wrap)


def polyadd(a1, a2):
    """Sum of two polynomials (the shorter one is aligned at the constant term)."""
    return _combine(a1, a2, subtract=False)


def polysub(a1, a2):
    """Difference ``a1 - a2`` of two polynomials."""
    return _combine(a1, a2, subtract=True)


def polymul(a1, a2):
    """Product of two polynomials (leading zeros are dropped first)."""
    wrap = _either_poly(a1, a2)
    product = convolve(poly1d(a1).coeffs, poly1d(a2).coeffs)
    return _as_result(product, wrap)


def polydiv(u, v):
    """Quotient and remainder of ``u / v`` by long division."""
    wrap = _either_poly(u, v)
    num = atleast_1d(u) + 0.0
    den = atleast_1d(v) + 0.0
    kind = (num[0] + den[0]).dtype
    deg_num, deg_den = len(num) - 1, len(den) - 1
    inv_lead = 1. / den[0]
    steps = deg_num - deg_den + 1
    quot = zeros((max(steps, 1),), kind)
    rem = num.astype(kind)
    for i in range(steps):
        factor = inv_lead * rem[i]
        quot[i] = factor
        rem[i:i + deg_den + 1] -= factor * den
    # Leading remainder terms that vanish (to within 1e-14 relative) are dropped.
    while rem.shape[-1] > 1 and allclose(rem[0], 0, rtol=1e-14):
        rem = rem[1:]
    if wrap:
        return poly1d(quot), poly1d(rem)
    return quot, rem


# --- printing -----------------------------------------------------------------------------------

_POWER = re.compile(r"\*\*([0-9]*)")


def _lift_powers(text, width=70):
    """Move every ``**n`` of ``text`` onto a line of its own above the base, wrapping the pair
    of lines into further pairs when either would pass ``width`` characters."""
    pairs = []
    upper = lower = ""
    used = 0
    for hit in _POWER.finditer(text):
        base, digits = text[used:hit.start()], hit.group(1)
        used = hit.end()
        up = " " * (len(base) - 1) + digits
        down = base + " " * (len(digits) - 1)
        if len(lower) + len(down) > width or len(upper) + len(up) > width:
            pairs.append((upper, lower))
            upper, lower = up, down
        else:
            upper, lower = upper + up, lower + down
    pairs.append((upper, lower + text[used:]))
    return "\n".join(" " + up + "\n" + down for up, down in pairs)


def _number_text(v):
    return "%.4g" % v


def _coefficient_text(c):
    re_part, im_part = real(c), imag(c)
    if not im_part != 0:
        return _number_text(re_part)
    if re_part == 0:
        return _number_text(im_part) + "j"
    return "(%s + %sj)" % (_number_text(re_part), _number_text(im_part))


def _term_text(coef, power, var, leading):
    if power == 0:
        if coef != "0":
            return coef
        return "0" if leading else ""
    if coef == "0":
        return ""
    monomial = var if power == 1 else "%s**%d" % (var, power)
    return coef + " " + monomial


def _polynomial_text(cs, var):
    values = list(cs)
    start = 0
    while start < len(values) and not values[start] != 0:
        start += 1
    values = values[start:]
    if not values:
        return "0"
    top = len(values) - 1
    out = ""
    for i, c in enumerate(values):
        term = _term_text(_coefficient_text(c), top - i, var, i == 0)
        if i == 0:
            out = term
        elif term.startswith("-"):
            out += " - " + term[1:]
        elif term:
            out += " + " + term
    return out


# --- the class ----------------------------------------------------------------------------------

class poly1d:
    """A one-variable polynomial: ``poly1d([1, 2, 3])`` is x**2 + 2x + 3; ``poly1d(zs, r=True)``
    the monic polynomial with zeros ``zs``. Supports arithmetic, calls, indexing by power."""

    __hash__ = None

    def __init__(self, c_or_r, r=False, variable=None):
        if isinstance(c_or_r, poly1d):
            self._variable = c_or_r._variable
            self._coeffs = c_or_r._coeffs
            extra = set(vars(c_or_r)) - set(vars(self))
            if extra:
                warnings.warn("In the future extra properties will not be copied across when "
                              "constructing one poly1d from another", FutureWarning, stacklevel=2)
                vars(self).update(vars(c_or_r))
            if variable is not None:
                self._variable = variable
            return
        if r:
            c_or_r = poly(c_or_r)
        cs = atleast_1d(c_or_r)
        if cs.ndim > 1:
            raise ValueError("Polynomial must be 1d only.")
        lead = flatnonzero(cs)
        cs = cs[int(lead[0]):] if len(lead) else cs[:0]
        if len(cs) == 0:
            cs = array([0], dtype=cs.dtype)
        self._coeffs = cs
        self._variable = "x" if variable is None else variable

    # --- attributes
    @property
    def coeffs(self):
        """The coefficients, highest power first."""
        return self._coeffs

    @coeffs.setter
    def coeffs(self, value):
        # Only in-place updates (``p.coeffs += 1``) hand the same array back.
        if value is not self._coeffs:
            raise AttributeError("Cannot set attribute")

    @property
    def variable(self):
        """The name used for the variable when printing."""
        return self._variable

    @property
    def order(self):
        """The degree."""
        return len(self._coeffs) - 1

    @property
    def roots(self):
        """The zeros, as ``roots(self)``."""
        return roots(self._coeffs)

    r = roots
    c = coef = coefficients = coeffs
    o = order

    # --- conversions and text
    def __array__(self, t=None, copy=None):
        if t:
            return asarray(self.coeffs, t, copy=copy)
        return asarray(self.coeffs, copy=copy)

    def __repr__(self):
        body = repr(self.coeffs)[len("array("):-1]
        return f"poly1d({body})"

    def __str__(self):
        return _lift_powers(_polynomial_text(self.coeffs, self.variable))

    def __len__(self):
        return self.order

    # --- evaluation and arithmetic
    def __call__(self, val):
        return polyval(self.coeffs, val)

    def __neg__(self):
        return poly1d(-self.coeffs)

    def __pos__(self):
        return self

    def __mul__(self, other):
        if isscalar(other):
            return poly1d(self.coeffs * other)
        return poly1d(polymul(self.coeffs, poly1d(other).coeffs))

    def __rmul__(self, other):
        if isscalar(other):
            return poly1d(other * self.coeffs)
        return poly1d(polymul(poly1d(other).coeffs, self.coeffs))

    def __add__(self, other):
        return poly1d(polyadd(self.coeffs, poly1d(other).coeffs))

    def __radd__(self, other):
        return poly1d(polyadd(poly1d(other).coeffs, self.coeffs))

    def __sub__(self, other):
        return poly1d(polysub(self.coeffs, poly1d(other).coeffs))

    def __rsub__(self, other):
        return poly1d(polysub(poly1d(other).coeffs, self.coeffs))

    def __pow__(self, val):
        if not isscalar(val) or int(val) != val or val < 0:
            raise ValueError("Power to non-negative integers only.")
        acc = [1]
        for _ in range(val):
            acc = polymul(self.coeffs, acc)
        return poly1d(acc)

    def __truediv__(self, other):
        if isscalar(other):
            return poly1d(self.coeffs / other)
        return polydiv(self, poly1d(other))

    def __rtruediv__(self, other):
        if isscalar(other):
            return poly1d(other / self.coeffs)
        return polydiv(poly1d(other), self)

    def __eq__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        if self.coeffs.shape != other.coeffs.shape:
            return False
        return (self.coeffs == other.coeffs).all()

    def __ne__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        return not self.__eq__(other)

    # --- access by power
    def __getitem__(self, val):
        if val < 0 or val > self.order:
            return self.coeffs.dtype.type(0)
        return self.coeffs[self.order - val]

    def __setitem__(self, key, val):
        if key < 0:
            raise ValueError("Does not support negative powers.")
        if key > self.order:
            self._coeffs = _left_pad(self.coeffs, key + 1)
        self._coeffs[self.order - key] = val

    def __iter__(self):
        return iter(self.coeffs)

    # --- calculus
    def integ(self, m=1, k=0):
        """The ``m``-th antiderivative, with integration constant(s) ``k``."""
        return poly1d(polyint(self.coeffs, m=m, k=k))

    def deriv(self, m=1):
        """The ``m``-th derivative."""
        return poly1d(polyder(self.coeffs, m=m))


poly1d.__module__ = "oxnp"
