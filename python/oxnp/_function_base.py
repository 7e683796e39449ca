"""NumPy's function-base composites: gradient, unwrap, sinc, i0, the window functions
(bartlett, blackman, hamming, hanning, kaiser), apply_along_axis, apply_over_axes, vectorize and
frompyfunc. Each follows NumPy's formula operation by operation, so float results carry NumPy's
bits; vectorize and frompyfunc call the Python function per element."""

import builtins
import operator
import re

from ._dtypes import finfo, typecodes
from ._manip import _normalize_axis, diff, ndindex, piecewise, where
from ._oxnp import (
    arange, array, asanyarray, asarray, broadcast_shapes, broadcast_to, copyto, cos, dtype,
    empty, empty_like, exp, expand_dims, less_equal, mod, ndarray, ones, sin, sqrt, transpose,
    zeros, zeros_like,
)
from ._oxnp import ndim as _ndim
from ._oxnp import result_type as _result_type

_PI = 3.141592653589793
_NoValue = object()


def _axes_tuple(axis, ndim):
    """NumPy's normalize_axis_tuple: an int or a sequence of ints, each in range, no repeats."""
    if type(axis) not in (tuple, list):
        try:
            axis = [operator.index(axis)]
        except TypeError:
            pass
    out = builtins.tuple(_normalize_axis(ax, ndim) for ax in axis)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis")
    return out


# ---------------------------------------------------------------- gradient / unwrap

def _spacing(distances, n_axis):
    distances = asanyarray(distances)
    if distances.ndim == 0:
        return distances
    if distances.ndim != 1:
        raise ValueError("distances must be either scalars or 1d")
    if len(distances) != n_axis:
        raise ValueError("when 1d, distances must match the length of the corresponding "
                         "dimension")
    if distances.dtype.kind in "iu":
        distances = distances.astype("float64")
    d = diff(distances)
    if (d == d[0]).all():
        d = d[0]
    return d


def gradient(f, *varargs, axis=None, edge_order=1):
    f = asanyarray(f)
    N = f.ndim
    axes = builtins.tuple(range(N)) if axis is None else _axes_tuple(axis, N)
    n = len(varargs)
    if n == 0:
        dx = [1.0] * len(axes)
    elif n == 1 and _ndim(varargs[0]) == 0:
        dx = list(varargs) * len(axes)
    elif n == len(axes):
        dx = list(varargs)
        for i, distances in enumerate(dx):
            if asanyarray(distances).ndim != 0:
                dx[i] = _spacing(distances, f.shape[axes[i]])
    else:
        raise TypeError("invalid number of arguments")
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")

    otype = f.dtype
    if otype.kind not in "fc":
        if otype.kind in "iu":
            f = f.astype("float64")
        otype = dtype("float64")

    def at(ax, s):
        key = [slice(None)] * N
        key[ax] = s
        return builtins.tuple(key)

    outvals = []
    for ax, ax_dx in zip(axes, dx):
        if f.shape[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, at "
                             "least (edge_order + 1) elements are required.")
        out = empty_like(f, dtype=otype)
        uniform = _ndim(ax_dx) == 0
        lo, mid, hi = f[at(ax, slice(None, -2))], f[at(ax, slice(1, -1))], f[at(ax, slice(2, None))]
        if uniform:
            out[at(ax, slice(1, -1))] = (hi - lo) / (2.0 * ax_dx)
        else:
            dx1, dx2 = ax_dx[0:-1], ax_dx[1:]
            a = -dx2 / (dx1 * (dx1 + dx2))
            b = (dx2 - dx1) / (dx1 * dx2)
            c = dx1 / (dx2 * (dx1 + dx2))
            shape = [1] * N
            shape[ax] = -1
            a, b, c = a.reshape(shape), b.reshape(shape), c.reshape(shape)
            out[at(ax, slice(1, -1))] = a * lo + b * mid + c * hi
        if edge_order == 1:
            d0 = ax_dx if uniform else ax_dx[0]
            out[at(ax, 0)] = (f[at(ax, 1)] - f[at(ax, 0)]) / d0
            dn = ax_dx if uniform else ax_dx[-1]
            out[at(ax, -1)] = (f[at(ax, -1)] - f[at(ax, -2)]) / dn
        else:
            if uniform:
                a, b, c = -1.5 / ax_dx, 2.0 / ax_dx, -0.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[0], ax_dx[1]
                a = -(2.0 * dx1 + dx2) / (dx1 * (dx1 + dx2))
                b = (dx1 + dx2) / (dx1 * dx2)
                c = -dx1 / (dx2 * (dx1 + dx2))
            out[at(ax, 0)] = a * f[at(ax, 0)] + b * f[at(ax, 1)] + c * f[at(ax, 2)]
            if uniform:
                a, b, c = 0.5 / ax_dx, -2.0 / ax_dx, 1.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[-2], ax_dx[-1]
                a = dx2 / (dx1 * (dx1 + dx2))
                b = -(dx2 + dx1) / (dx1 * dx2)
                c = (2.0 * dx2 + dx1) / (dx2 * (dx1 + dx2))
            out[at(ax, -1)] = a * f[at(ax, -3)] + b * f[at(ax, -2)] + c * f[at(ax, -1)]
        outvals.append(out)
    if len(axes) == 1:
        return outvals[0]
    return builtins.tuple(outvals)


def unwrap(p, discont=None, axis=-1, *, period=2 * _PI):
    p = asarray(p)
    nd = p.ndim
    dd = diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    key = [slice(None)] * nd
    key[axis] = slice(1, None)
    key = builtins.tuple(key)
    dt = _result_type(dd, period)
    if dt.kind in "iu":
        interval_high, rem = divmod(period, 2)
        boundary_ambiguous = rem == 0
    else:
        interval_high = period / 2
        boundary_ambiguous = True
    interval_low = -interval_high
    ddmod = mod(dd - interval_low, period) + interval_low
    if boundary_ambiguous:
        copyto(ddmod, interval_high, where=(ddmod == interval_low) & (dd > 0))
    ph_correct = ddmod - dd
    copyto(ph_correct, 0, where=abs(dd) < discont)
    up = array(p, copy=True, dtype=dt)
    up[key] = p[key] + ph_correct.cumsum(axis)
    return up


# ---------------------------------------------------------------- sinc, i0, windows

def sinc(x):
    x = asanyarray(x)
    x = _PI * x
    eps = finfo(x.dtype).eps if x.dtype.kind == "f" else 1e-20
    y = where(x, x, eps)
    return sin(y) / y


# Chebyshev coefficients of exp(-x) I0(x) on [0, 8] (A) and of exp(-x) sqrt(x) I0(x) on
# (8, inf) in the variable 32/x (B): Cephes' i0.c, the tables NumPy uses.
_I0_A = (
    -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
    1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
    9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
    1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
    -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
    1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
    -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
    1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1,
)
_I0_B = (
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
    7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
    3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
    2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
    8.04490411014108831608E-1,
)


def _clenshaw(t, coeffs):
    """Clenshaw's recurrence for sum' c_k T_k(t/2), in Cephes' chbevl order of operations."""
    b_prev2, b_prev, b = 0.0, 0.0, coeffs[0]
    for c in coeffs[1:]:
        b_prev2, b_prev = b_prev, b
        b = t * b_prev - b_prev2 + c
    return 0.5 * (b - b_prev2)


def _i0_small(x):
    return exp(x) * _clenshaw(x / 2.0 - 2, _I0_A)


def _i0_large(x):
    return exp(x) * _clenshaw(32.0 / x - 2.0, _I0_B) / sqrt(x)


def i0(x):
    x = asanyarray(x)
    if x.dtype.kind == "c":
        raise TypeError("i0 not supported for complex values")
    if x.dtype.kind != "f":
        x = x.astype(float)
    x = abs(x)
    if x.ndim == 0:  # a 0-d input gives a 0-d array, as NumPy's piecewise does
        x1 = x.reshape(1)
        return piecewise(x1, [x1 <= 8.0], [_i0_small, _i0_large]).reshape(())
    return piecewise(x, [x <= 8.0], [_i0_small, _i0_large])


def _window_length(M):
    values = array([0.0, M])
    return values, values[1]


def _cosine_window(M, terms):
    values, M = _window_length(M)
    if M < 1:
        return array([], dtype=values.dtype)
    if M == 1:
        return ones(1, dtype=values.dtype)
    n = arange(1 - M, M, 2)
    return terms(n, M)


def bartlett(M):
    return _cosine_window(M, lambda n, M: where(less_equal(n, 0), 1 + n / (M - 1),
                                                1 - n / (M - 1)))


def blackman(M):
    return _cosine_window(M, lambda n, M: 0.42 + 0.5 * cos(_PI * n / (M - 1))
                          + 0.08 * cos(2.0 * _PI * n / (M - 1)))


def hamming(M):
    return _cosine_window(M, lambda n, M: 0.54 + 0.46 * cos(_PI * n / (M - 1)))


def hanning(M):
    return _cosine_window(M, lambda n, M: 0.5 + 0.5 * cos(_PI * n / (M - 1)))


def kaiser(M, beta):
    values = array([0.0, M, beta])
    M, beta = values[1], values[2]
    if M == 1:
        return ones(1, dtype=values.dtype)
    n = arange(0, M)
    alpha = (M - 1) / 2.0
    return i0(beta * sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / i0(beta)


# ---------------------------------------------------------------- apply_along_axis / over_axes

def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    arr = asanyarray(arr)
    nd = arr.ndim
    axis = _normalize_axis(axis, nd)
    dims = list(range(nd))
    view = transpose(arr, dims[:axis] + dims[axis + 1:] + [axis])
    inds = (ind + (Ellipsis,) for ind in ndindex(view.shape[:-1]))
    try:
        ind0 = next(inds)
    except StopIteration:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0") from None
    res = asanyarray(func1d(view[ind0], *args, **kwargs))
    buff = zeros_like(res, shape=view.shape[:-1] + res.shape)
    bd = list(range(buff.ndim))
    permute = bd[0:axis] + bd[buff.ndim - res.ndim:buff.ndim] + bd[axis:buff.ndim - res.ndim]
    buff[ind0] = res
    for ind in inds:
        buff[ind] = asanyarray(func1d(view[ind], *args, **kwargs))
    return transpose(buff, permute)


def apply_over_axes(func, a, axes):
    val = asarray(a)
    N = a.ndim
    if array(axes).ndim == 0:
        axes = (axes,)
    for axis in axes:
        if axis < 0:
            axis = N + axis
        res = func(val, axis)
        if res.ndim == val.ndim:
            val = res
        else:
            res = expand_dims(res, axis)
            if res.ndim == val.ndim:
                val = res
            else:
                raise ValueError("function is not returning an array of the correct shape")
    return val


# ---------------------------------------------------------------- frompyfunc / vectorize
#
# oxnp has no object dtype. NumPy's frompyfunc ufunc returns object arrays; oxnp's returns
# the array NumPy's type discovery makes from the same Python results (np.array(results)),
# so [1, 2] -> int64, [1.5, 2] -> float64, [True] -> bool. Results that do not form a numeric
# array (None, strings, mixed shapes) raise TypeError. vectorize converts its results with
# `otypes` exactly as NumPy does (array(results, dtype=otype)), so it is unaffected.

def _flat_inputs(args):
    """The broadcast shape of `args` and, per argument, its elements as Python scalars in C
    order (what NumPy's object-dtype conversion hands to the function)."""
    arrs = [asarray(a) for a in args]
    shape = broadcast_shapes(*[a.shape for a in arrs])
    cols = [broadcast_to(a, shape).ravel().tolist() if a.shape != shape else a.ravel().tolist()
            for a in arrs]
    return shape, cols


def _stack_results(values, shape, dt=None):
    if dt is None:
        try:
            out = array(values)
        except (TypeError, ValueError) as e:
            raise TypeError("oxnp has no object dtype: these results cannot be stored in a "
                            "numeric array") from e
        if values == []:
            out = array(values, dtype="float64")
    else:
        out = array(values, dtype=dt)
    if out.ndim != 1:
        raise ValueError("setting an array element with a sequence.")
    return out.reshape(shape)


class _PyFuncUfunc:
    """What ``frompyfunc`` returns: a ufunc-like callable over a Python function."""

    def __init__(self, func, nin, nout, identity):
        self._func = func
        self.nin, self.nout = nin, nout
        self.nargs = nin + nout
        self.identity = identity
        self.ntypes = 1
        self.types = ["O" * nin + "->" + "O" * nout]
        self.signature = None
        self.__name__ = f"{getattr(func, '__name__', 'function')} (vectorized)"
        self.__doc__ = f"dynamic ufunc based on a python function"

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"

    def __call__(self, *args, out=None, **kwargs):
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes from {self.nin} to {self.nargs} "
                            f"positional arguments but {len(args)} were given")
        if out is not None and out is not Ellipsis:
            raise NotImplementedError("oxnp's frompyfunc ufuncs do not take out=")
        scalar_inputs = builtins.all(not isinstance(a, ndarray) and asarray(a).ndim == 0
                                     for a in args)
        shape, cols = _flat_inputs(args)
        results = [self._func(*vals) for vals in zip(*cols)]
        if self.nout == 1:
            if scalar_inputs and out is None:
                return results[0]
            return _stack_results(results, shape)
        for r in results:
            if not isinstance(r, builtins.tuple) or len(r) != self.nout:
                raise TypeError("invalid return tuple")
        if scalar_inputs and out is None:
            return results[0]
        return builtins.tuple(_stack_results([r[k] for r in results], shape)
                              for k in range(self.nout))


    # ---- the binary-ufunc methods, over Python objects like NumPy's object loops

    def _binary(self, method):
        if self.nin != 2 or self.nout != 1:
            raise ValueError(f"{method} only supported for binary functions")

    def _lanes(self, array, axis):
        """The elements of `array` along `axis` as Python lists (one per lane), and the shape
        of the remaining axes."""
        a = asarray(array)
        if a.ndim == 0:
            raise TypeError("cannot reduce or accumulate a 0-d array")
        axis = _normalize_axis(axis, a.ndim)
        moved = a if axis == 0 else transpose(a, [axis] + [d for d in range(a.ndim) if d != axis])
        rest = moved.shape[1:]
        n_lanes = _prod(rest)
        flat = moved.reshape((moved.shape[0], n_lanes)).tolist()
        return [[row[k] for row in flat] for k in range(n_lanes)], rest, axis

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=_NoValue,
               where=True):
        self._binary("reduce")
        lanes, rest, axis = self._lanes(array, axis)
        if initial is _NoValue:
            initial = self.identity
        results = []
        for lane in lanes:
            if initial is not None:
                acc, items = initial, lane
            elif lane:
                acc, items = lane[0], lane[1:]
            else:
                raise ValueError(f"zero-size array to reduction operation {self.__name__} "
                                 "which has no identity")
            for item in items:
                acc = self._func(acc, item)
            results.append(acc)
        if not rest:
            return results[0]
        res = _stack_results(results, rest)
        return expand_dims(res, axis) if keepdims else res

    def accumulate(self, array, axis=0, dtype=None, out=None):
        self._binary("accumulate")
        lanes, rest, axis = self._lanes(array, axis)
        cols = []
        for lane in lanes:
            acc, col = None, []
            for i, item in enumerate(lane):
                acc = item if i == 0 else self._func(acc, item)
                col.append(acc)
            cols.append(col)
        n = asarray(array).shape[axis]
        flat = [cols[k][i] for i in range(n) for k in range(len(cols))]
        res = _stack_results(flat, (n,) + rest)
        if axis == 0:
            return res
        order = list(range(1, axis + 1)) + [0] + list(range(axis + 1, res.ndim))
        return transpose(res, order)

    def outer(self, A, B, /, **kwargs):
        self._binary("outer")
        A, B = asarray(A), asarray(B)
        return self(A.reshape(A.shape + (1,) * B.ndim), B, **kwargs)


def _prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def frompyfunc(func, /, nin, nout, *, identity=None):
    if not callable(func):
        raise TypeError("function must be callable")
    nin, nout = operator.index(nin), operator.index(nout)
    return _PyFuncUfunc(func, nin, nout, identity)


_DIMENSION_NAME = r"\w+"
_CORE_DIMENSION_LIST = f"(?:{_DIMENSION_NAME}(?:,{_DIMENSION_NAME})*)?"
_ARGUMENT = rf"\({_CORE_DIMENSION_LIST}\)"
_ARGUMENT_LIST = f"{_ARGUMENT}(?:,{_ARGUMENT})*"
_SIGNATURE = f"^{_ARGUMENT_LIST}->{_ARGUMENT_LIST}$"


def _parse_signature(signature):
    signature = re.sub(r"\s+", "", signature)
    if not re.match(_SIGNATURE, signature):
        raise ValueError(f"not a valid gufunc signature: {signature}")
    return builtins.tuple([builtins.tuple(re.findall(_DIMENSION_NAME, arg))
                           for arg in re.findall(_ARGUMENT, part)]
                          for part in signature.split("->"))


def _update_dim_sizes(dim_sizes, arg, core_dims):
    if not core_dims:
        return
    if arg.ndim < len(core_dims):
        raise ValueError("%d-dimensional argument does not have enough dimensions for all core "
                         "dimensions %r" % (arg.ndim, core_dims))
    for dim, size in zip(core_dims, arg.shape[-len(core_dims):]):
        if dim in dim_sizes:
            if size != dim_sizes[dim]:
                raise ValueError("inconsistent size for core dimension %r: %r vs %r"
                                 % (dim, size, dim_sizes[dim]))
        else:
            dim_sizes[dim] = size


def _core_shapes(loop_shape, dim_sizes, list_of_core_dims):
    return [loop_shape + builtins.tuple(dim_sizes[d] for d in core)
            for core in list_of_core_dims]


class vectorize:
    """NumPy's ``vectorize``: calls `pyfunc` per element (or per core-dimension block with a
    `signature`) of the broadcast inputs and collects the results."""

    def __init__(self, pyfunc=_NoValue, otypes=None, doc=None, excluded=None, cache=False,
                 signature=None):
        if pyfunc is not _NoValue and not callable(pyfunc):
            raise TypeError("When used as a decorator, only accepts keyword arguments.")
        self.pyfunc = pyfunc
        self.cache = cache
        self.signature = signature
        if pyfunc is not _NoValue and hasattr(pyfunc, "__name__"):
            self.__name__ = pyfunc.__name__
        self._doc = None
        self.__doc__ = doc
        if doc is None and hasattr(pyfunc, "__doc__"):
            self.__doc__ = pyfunc.__doc__
        else:
            self._doc = doc
        if isinstance(otypes, str):
            for char in otypes:
                if char not in typecodes["All"]:
                    raise ValueError(f"Invalid otype specified: {char}")
        elif otypes is not None and _iterable(otypes):
            otypes = [dtype(t) for t in otypes]
        elif otypes is not None:
            raise ValueError("Invalid otype specification")
        self.otypes = otypes
        self.excluded = set() if excluded is None else set(excluded)
        self._core_dims = None if signature is None else _parse_signature(signature)

    def __call__(self, *args, **kwargs):
        if self.pyfunc is _NoValue:  # decorator form: @vectorize(otypes=...)
            pyfunc = args[0]
            self.__name__ = pyfunc.__name__
            self.pyfunc = pyfunc
            self.__doc__ = pyfunc.__doc__ if self._doc is None else self._doc
            return self
        excluded = self.excluded
        if not kwargs and not excluded:
            func, vargs = self.pyfunc, args
        else:
            names = [k for k in kwargs if k not in excluded]
            inds = [i for i in range(len(args)) if i not in excluded]
            the_args = list(args)

            def func(*vals):
                for n, i in enumerate(inds):
                    the_args[i] = vals[n]
                kwargs.update(zip(names, vals[len(inds):]))
                return self.pyfunc(*the_args, **kwargs)

            vargs = [args[i] for i in inds] + [kwargs[k] for k in names]
        if self._core_dims is not None:
            return self._call_with_signature(func, vargs)
        if not vargs:
            return func()
        return self._call_elementwise(func, vargs)

    def _call_elementwise(self, func, args):
        otypes = self.otypes
        first = None
        if otypes is None:
            arrs = [asarray(a) for a in args]
            if builtins.any(a.size == 0 for a in arrs):
                raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set")
            outputs = func(*[a.flat[0] for a in arrs])
            if self.cache:
                first = [outputs]
            nout = len(outputs) if isinstance(outputs, builtins.tuple) else 1
            if nout == 1:
                outputs = (outputs,)
            otypes = [asarray(outputs[k]).dtype for k in range(nout)]
        else:
            nout = len(otypes)
        shape, cols = _flat_inputs(args)
        results = []
        rows = zip(*cols)
        if first:
            next(rows, None)
            results.append(first.pop())
        results.extend(func(*vals) for vals in rows)
        if nout == 1:
            return _stack_results(results, shape, dtype(otypes[0]))
        for r in results:
            if not isinstance(r, builtins.tuple) or len(r) != nout:
                raise ValueError("invalid number of returned values")
        return builtins.tuple(_stack_results([r[k] for r in results], shape, dtype(otypes[k]))
                              for k in range(nout))

    def _call_with_signature(self, func, args):
        in_dims, out_dims = self._core_dims
        if len(args) != len(in_dims):
            raise TypeError("wrong number of positional arguments: expected %r, got %r"
                            % (len(in_dims), len(args)))
        args = builtins.tuple(asanyarray(a) for a in args)
        dim_sizes = {}
        loop_shapes = []
        for arg, core in zip(args, in_dims):
            _update_dim_sizes(dim_sizes, arg, core)
            loop_shapes.append(arg.shape[:arg.ndim - len(core)])
        loop_shape = broadcast_shapes(*loop_shapes)
        in_shapes = _core_shapes(loop_shape, dim_sizes, in_dims)
        args = [broadcast_to(a, s) for a, s in zip(args, in_shapes)]
        outputs = None
        otypes = self.otypes
        nout = len(out_dims)
        for index in ndindex(*loop_shape):
            results = func(*(a[index] for a in args))
            n_results = len(results) if isinstance(results, builtins.tuple) else 1
            if nout != n_results:
                raise ValueError("wrong number of outputs from pyfunc: expected %r, got %r"
                                 % (nout, n_results))
            if nout == 1:
                results = (results,)
            if outputs is None:
                results = [asanyarray(r) for r in results]
                for r, core in zip(results, out_dims):
                    _update_dim_sizes(dim_sizes, r, core)
                shapes = _core_shapes(loop_shape, dim_sizes, out_dims)
                dts = otypes if otypes is not None else [r.dtype for r in results]
                outputs = builtins.tuple(empty(s, dtype=dtype(t)) for s, t in zip(shapes, dts))
            for o, r in zip(outputs, results):
                o[index] = r
        if outputs is None:
            if otypes is None:
                raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set")
            if builtins.any(d not in dim_sizes for dims in out_dims for d in dims):
                raise ValueError("cannot call `vectorize` with a signature including new output "
                                 "dimensions on size 0 inputs")
            shapes = _core_shapes(loop_shape, dim_sizes, out_dims)
            outputs = builtins.tuple(empty(s, dtype=dtype(t)) for s, t in zip(shapes, otypes))
        return outputs[0] if nout == 1 else outputs


def _iterable(y):
    try:
        iter(y)
    except TypeError:
        return False
    return True


__all__ = [
    "apply_along_axis", "apply_over_axes", "bartlett", "blackman", "frompyfunc", "gradient",
    "hamming", "hanning", "i0", "kaiser", "sinc", "unwrap", "vectorize",
]
