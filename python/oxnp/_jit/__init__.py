"""oxnp.jit: trace a NumPy function into a graph, fuse its elementwise parts, compile them
with Cranelift (crates/oxnp-jit) and run them; everything else runs eagerly.

Pipeline (docs/jit.md): arguments become `Tracer`s; operations on tracers record `Node`s
(ufuncs via operators, `__array_ufunc__`, `__array_function__`); anything that needs a value
(`bool()`, `float()`, printing, unsupported ops) *materializes*: every pending node that a
live tracer can still reach is computed (fused groups compiled and run), then the op runs
eagerly on concrete arrays. Writes (in-place operators, slice assignment) are versioned: a
buffer's current value is a node, and a write makes a new node, so every read sees exactly
the version eager execution would. Argument arrays written in the trace are updated at the
end of the call.
"""

import functools
import itertools
import math
import os
import struct
import sys
import time
import types
import warnings
import weakref

from .. import _oxnp
from .._ufuncs import errstate

_LOG = os.environ.get("OXNP_JIT_LOG", "") not in ("", "0")

_DTYPES = ("float64", "float32", "int64", "int32", "bool")
# Complex values are computed on their real and imaginary parts (`_lower_complex`), for the
# ops of _COMPLEX_OPS only.
_ALL_DTYPES = _DTYPES + ("complex64", "complex128")
_COMPLEX_OPS = {"add", "subtract", "multiply", "negative", "positive", "square"}
_ARITH = {"add", "subtract", "multiply", "maximum", "minimum"}
_UNARY = {"negative", "positive", "absolute", "square"}
_FLOAT_UNARY = {"sqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos",
                "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
                "arccosh", "arctanh", "cbrt"}
_CMP = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}
_LOGIC = {"logical_and", "logical_or", "logical_xor", "logical_not"}
_FUSABLE_UFUNCS = _ARITH | _UNARY | _FLOAT_UNARY | _CMP | _LOGIC | {"divide"}

_stats = {"compiles": 0, "cache_hits": 0, "compile_ms": 0.0, "graph_breaks": 0, "fused_groups": 0,
          "eager_ops": 0, "traces": 0, "replays": 0, "eager_calls": 0, "diverged": 0}
_kernel_cache = {}


def stats():
    """Counters since the last reset: compiles, cache_hits, compile_ms, graph_breaks,
    fused_groups (kernel runs, replayed ones included), eager_ops (ops run eagerly inside
    traces), traces (calls that ran the Python function), replays (calls that ran a
    recorded plan instead), eager_calls (calls run untraced because they write into an
    argument that overlaps another), diverged (replays abandoned because a scalar graph
    break gave another value than when the plan was traced: the call was traced instead)."""
    return dict(_stats)


def reset_stats():
    for k in _stats:
        _stats[k] = 0.0 if k == "compile_ms" else 0


def _log(*a):
    if _LOG:
        print("[oxnp.jit]", *a, file=sys.stderr)


def _user_site():
    """file:line of the innermost frame outside oxnp."""
    f = sys._getframe(1)
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(pkg):
        f = f.f_back
    return f"{f.f_code.co_filename}:{f.f_lineno}" if f is not None else "?"


# ---------------------------------------------------------------- graph IR

_node_seq = itertools.count()


class Node:
    """One value of the graph. kind: leaf (concrete array), const (Python scalar), ufunc,
    cast, where (fusable) or view, setitem, reshape (computed on concrete arrays)."""

    __slots__ = ("kind", "dtype", "shape", "args", "static", "value", "slot", "seq", "priv",
                 "__weakref__")

    def __init__(self, kind, dtype, shape, args=(), static=None, value=None, slot=None):
        self.seq = next(_node_seq)   # creation order: a topological order, the trace's own
        # (leaves) the array is a version made by the trace's own slice assignment: private
        # to it, so a later assignment may write into it when nothing else reads it
        self.priv = False
        self.kind, self.dtype, self.shape = kind, dtype, tuple(shape)
        self.args, self.static, self.value = tuple(args), static, value
        self.slot = slot  # where a replay plan keeps this value (recording traces only)

    def __repr__(self):
        return f"{self.kind}{'' if self.static is None else '[' + _short(self.static) + ']'}" \
               f"<{self.dtype},{self.shape}>"

    @property
    def fusable(self):
        return self.kind in ("ufunc", "cast", "where", "const", "gather")


def _short(s):
    r = repr(s)
    return r if len(r) < 40 else r[:37] + "..."


def _leaf(arr, slot=None):
    return Node("leaf", arr.dtype.name, arr.shape, value=arr, slot=slot)


def _dummy(shape, dtype):
    """A zero-copy array of `shape`/`dtype` (stride 0), to ask oxnp for shapes of views."""
    return _oxnp.broadcast_to(_oxnp.zeros((), dtype), shape)


class _Buf:
    """A buffer: its current value is a node; writes replace it with a new version."""
    __slots__ = ("node", "__weakref__")

    def __init__(self, node):
        self.node = node


class _Trace:
    def __init__(self):
        self.tracers = weakref.WeakValueDictionary()
        self.args = []   # (buf, original oxnp array)
        self.dirty = False  # nodes recorded since the last flush
        self.overlap = False  # distinct array arguments share memory
        self.src = {}  # id(arg buffer) -> the object passed
        # The replay plan being recorded (None once a graph break makes replay impossible):
        # steps over numbered slots; slots 0..k-1 are the array arguments.
        self.rec = []
        self.nslots = 0
        self.init = {}  # slot -> concrete value fixed at trace time (constants, globals)
        self.checks = 0  # scalar graph breaks recorded as checked steps
        self.snaps = {}  # step index of a check -> the Python state there (_py_state)

    def new_slot(self):
        self.nslots += 1
        return self.nslots - 1

    def slot_of(self, n):
        """The slot of a computed node (a constant slot for arrays made outside the graph)."""
        if n.slot is None:
            n.slot = self.new_slot()
            self.init[n.slot] = n.value
        return n.slot

    def record(self, n, step):
        """Gives computed node `n` a slot and records `step` (its inputs as slots)."""
        if self.rec is not None:
            n.slot = self.new_slot()
            self.rec.append(step + (n.slot,))


_current = []


def _trace():
    return _current[-1] if _current else None


# ---------------------------------------------------------------- the tracer

_VIEW_OPS = ("getitem", "T", "transpose")


def _is_basic_key(key):
    ks = key if isinstance(key, tuple) else (key,)
    for k in ks:
        if k is None or k is Ellipsis or isinstance(k, slice):
            if isinstance(k, slice) and not all(
                    v is None or type(v) is int for v in (k.start, k.stop, k.step)):
                return False
            continue
        if type(k) is int:
            continue
        return False
    return True


def _apply_view(arr, op):
    kind, arg = op
    if kind == "getitem":
        return arr[arg]
    if kind == "T":
        return arr.T
    return arr.transpose(arg)


class Tracer:
    """An array inside a traced call: a buffer plus the view of it this object shows."""

    # _array0d: the result of an eager op, returned as eager code got it (0-d arrays stay
    # arrays, arguments returned by the op stay themselves)
    __slots__ = ("_buf", "_view", "_array0d", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, buf, view=()):
        self._buf, self._view, self._array0d = buf, view, False
        t = _trace()
        if t is not None:
            t.tracers[id(self)] = self

    def _node(self):
        n = self._buf.node
        for op in self._view:
            d = _apply_view(_dummy(n.shape, n.dtype), op)
            n = Node("view", d.dtype.name, d.shape, (n,), op)
        return n

    # -- static attributes
    @property
    def shape(self):
        return self._node().shape

    @property
    def dtype(self):
        return _oxnp.dtype(self._node().dtype)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        s = 1
        for d in self.shape:
            s *= d
        return s

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    # -- views
    @property
    def T(self):
        return Tracer(self._buf, self._view + (("T", None),))

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        if not axes:
            return self.T
        return Tracer(self._buf, self._view + (("transpose", tuple(axes)),))

    def __getitem__(self, key):
        if _is_basic_key(key):
            try:
                _apply_view(_dummy(self.shape, self.dtype), ("getitem", key))
            except Exception:
                return _eager(lambda a: a[key], (self,), {}, "indexing error")
            return Tracer(self._buf, self._view + (("getitem", key),))
        m = _mask_of(self, key)
        if m is not None:
            # Snapshots of both versions: later writes to either do not change this value.
            return _Masked(_new(self._node()), _new(m))
        g = _gather(self, key)
        if g is not None:
            return g
        return _eager(lambda a, k: a[k], (self, key), {}, "advanced indexing")

    def __setitem__(self, key, value):
        m = _mask_of(self, key)
        if m is not None:
            v = _masked_value(value, m, self._node().dtype)
            if v is None:
                return _eager_write(self, key, value, "boolean mask assignment")
            n = self._node()
            w = Node("where", n.dtype, n.shape, (m, v, n))
            if self._view:
                self._write(self._view, w)
            else:
                # The whole buffer: the new version is the where node itself, so a loop of
                # masked updates stays one fused graph.
                _check_write(self._buf)
                _mark()
                self._buf.node = w
            return
        if _is_basic_key(key) and type(value) in (int, float, bool) and self.dtype.kind == "f":
            # Assignment converts a Python number to the array's dtype, as NumPy does; a
            # constant of that dtype keeps the write same-typed, so it replays natively.
            const = Node("const", self.dtype.name, (), static=float(self.dtype.type(value)))
            try:
                _apply_view(_dummy(self.shape, self.dtype), ("getitem", key))
            except Exception:
                return _eager_write(self, key, value, "setitem error")
            self._write(self._view + (("getitem", key),), const)
            return
        if _is_basic_key(key) and _operand(value) is not None:
            try:
                tgt = _apply_view(_dummy(self.shape, self.dtype), ("getitem", key))
                _oxnp.broadcast_shapes(tgt.shape, _operand(value).shape)
            except Exception:
                return _eager_write(self, key, value, "setitem error")
            self._write(self._view + (("getitem", key),), _operand(value))
            return
        _eager_write(self, key, value, "advanced index assignment")

    def _write(self, view, value_node):
        _check_write(self._buf)
        _mark()
        base = self._buf.node
        self._buf.node = Node("setitem", base.dtype, base.shape, (base, value_node), view)

    # -- value-producing methods
    def astype(self, dtype, copy=True, **kw):
        if kw:
            return _eager(lambda a: a.astype(dtype, copy=copy, **kw), (self,), {}, "astype options")
        dt = _oxnp.dtype(dtype).name
        n = self._node()
        if dt not in _ALL_DTYPES or n.dtype not in (_DTYPES if dt in _DTYPES else _ALL_DTYPES):
            return _eager(lambda a: a.astype(dtype), (self,), {}, f"astype to {dt}")
        return _new(Node("cast", dt, n.shape, (n,)) if dt != n.dtype else n)

    def copy(self, order="C"):
        return _new(self._node())

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if order != "C" or not all(type(s) is int for s in shape):
            return _eager(lambda a: a.reshape(shape, order=order), (self,), {}, "reshape")
        n = self._node()
        size = self.size
        if shape.count(-1) == 1:
            known = 1
            for s in shape:
                if s != -1:
                    known *= s
            if known == 0 or size % known:
                return _eager(lambda a: a.reshape(shape), (self,), {}, "reshape error")
            shape = tuple(size // known if s == -1 else s for s in shape)
        p = 1
        for s in shape:
            p *= s
        if p != size or any(s < 0 for s in shape):
            return _eager(lambda a: a.reshape(shape), (self,), {}, "reshape error")
        return _new(Node("reshape", n.dtype, shape, (n,), shape))

    def ravel(self, order="C"):
        return self.reshape(-1) if order == "C" else _eager(lambda a: a.ravel(order), (self,), {}, "ravel")

    def flatten(self, order="C"):
        return self.ravel(order)

    def _method(name):
        def m(self, *args, **kwargs):
            if name in _REDUCTIONS:
                r = _reduce(name, self, args, kwargs)
                if r is not None:
                    return r
            return _eager(lambda a, *r, **k: getattr(a, name)(*r, **k), (self,) + args, kwargs,
                          f".{name}()")
        m.__name__ = name
        return m

    def clip(self, *args, **kwargs):
        r = _traced_clip(self, *args, **kwargs)
        if r is not None:
            return r
        return _eager(lambda a, *r, **k: a.clip(*r, **k), (self,) + args, kwargs, ".clip()")

    for _n in ("sum", "prod", "mean", "min", "max", "argmin", "argmax", "any", "all", "std", "var",
               "cumsum", "cumprod", "round", "dot", "nonzero", "sort", "argsort", "fill",
               "squeeze", "swapaxes", "take", "repeat", "diagonal", "trace", "__matmul__",
               "__rmatmul__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__divmod__",
               "__lshift__", "__rshift__", "__rpow__", "__invert__", "__rlshift__",
               "__rrshift__", "__rdivmod__"):
        locals()[_n] = _method(_n)
    del _n

    # -- graph breaks: Python needs a value
    def _concrete(self):
        return _materialize(self, "value needed")

    def __bool__(self):
        return bool(_materialize(self, "bool()", scalar=True))

    def __float__(self):
        return float(_materialize(self, "float()", scalar=True))

    def __int__(self):
        return int(_materialize(self, "int()", scalar=True))

    def __index__(self):
        return _materialize(self, "index", scalar=True).__index__()

    def __complex__(self):
        return complex(_materialize(self, "complex()", scalar=True))

    def item(self, *a):
        return _materialize(self, ".item()", scalar=not a).item(*a)

    def tolist(self):
        return _materialize(self, ".tolist()").tolist()

    def __iter__(self):
        return iter(_materialize(self, "iteration"))

    def __repr__(self):
        return repr(_materialize(self, "repr()"))

    def __str__(self):
        return str(_materialize(self, "str()"))

    def __format__(self, spec):
        return format(_materialize(self, "format()"), spec)

    def __array__(self, dtype=None, copy=None):
        import numpy
        return numpy.asarray(_materialize(self, "__array__"), dtype=dtype)

    # -- NumPy protocols
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if method == "__call__" and not kwargs and name in _FUSABLE_UFUNCS:
            r = _ufunc(name, inputs)
            if r is not None:
                return r
        if method == "__call__" and set(kwargs) == {"out"} and name in _FUSABLE_UFUNCS \
                and len(kwargs["out"]) == 1 and isinstance(kwargs["out"][0], Tracer):
            r = _ufunc(name, inputs)
            if isinstance(r, Tracer):
                out = kwargs["out"][0]
                out._write(out._view, r._node())
                return out
        return _eager(lambda *a, **k: getattr(ufunc, method)(*a, **k), inputs, kwargs,
                      f"ufunc {name}.{method}")

    def __array_function__(self, func, types, args, kwargs):
        name = func.__name__
        if name == "where" and len(args) == 3 and not kwargs:
            r = _where(*args)
            if r is not None:
                return r
        mod = getattr(func, "__module__", "") or ""
        if name in _REDUCTIONS and mod.startswith("oxnp") and args:
            r = _reduce(name, args[0], args[1:], kwargs)
            if r is not None:
                return r
        if name == "norm" and mod.startswith("oxnp.linalg") and args:
            r = _norm(args[0], args[1:], kwargs)
            if r is not None:
                return r
        return _eager(func, args, kwargs, f"function {name}")


def _binop(name, reflected=False):
    def op(self, other):
        if isinstance(other, _NOT_OPERANDS):
            return NotImplemented
        r = _ufunc(name, (other, self) if reflected else (self, other))
        if r is None:
            ufunc = getattr(_oxnp, name)
            args = (other, self) if reflected else (self, other)
            return _eager(ufunc, args, {}, f"operator {name}")
        return r
    return op


def _is_bool(x):
    return type(x) is bool or (isinstance(x, Tracer) and x._node().dtype == "bool") or (
        isinstance(x, _oxnp.ndarray) and x.dtype.name == "bool")


def _inplace(name):
    def op(self, other):
        if name in _LOGIC and not (_is_bool(self) and _is_bool(other)):
            ufunc = getattr(_oxnp, name.replace("logical", "bitwise"))
            return _eager_write(self, None, None, f"in-place {name}", ufunc=ufunc, other=other)
        r = _ufunc(name, (self, other) if name != "square" else (self,))
        n = r._node() if r is not None else None
        if n is None or n.shape != self.shape or (
                n.dtype != self._node().dtype and not _oxnp.can_cast(n.dtype, self._node().dtype,
                                                                     "same_kind")):
            ufunc = getattr(_oxnp, name)
            return _eager_write(self, None, None, f"in-place {name}", ufunc=ufunc, other=other)
        if n.dtype != self._node().dtype:
            n = Node("cast", self._node().dtype, n.shape, (n,))
        self._write(self._view, n)
        return self
    return op


_NOT_OPERANDS = (str, bytes, dict, set)

for _name, _uf in (("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                   ("truediv", "divide"), ("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
                   ("ge", "greater_equal"), ("and", "logical_and"), ("or", "logical_or"),
                   ("xor", "logical_xor")):
    setattr(Tracer, f"__{_name}__", _binop(_uf))
    if _name not in ("lt", "le", "gt", "ge"):
        setattr(Tracer, f"__r{_name}__", _binop(_uf, True))
        setattr(Tracer, f"__i{_name}__", _inplace(_uf))
Tracer.__eq__ = _binop("equal")
Tracer.__ne__ = _binop("not_equal")
Tracer.__hash__ = None


def _bitop(name, logical):
    def op(self, other, reflected=False):
        a, b = (other, self) if reflected else (self, other)
        # &, |, ^ are logical only on bools.
        if all(isinstance(x, bool) or (isinstance(x, Tracer) and x._node().dtype == "bool")
               for x in (a, b)):
            r = _ufunc(logical, (a, b))
            if r is not None:
                return r
        return _eager(getattr(_oxnp, name), (a, b), {}, f"operator {name}")
    return op


for _name, _bit, _lg in (("and", "bitwise_and", "logical_and"), ("or", "bitwise_or", "logical_or"),
                         ("xor", "bitwise_xor", "logical_xor")):
    _f = _bitop(_bit, _lg)
    setattr(Tracer, f"__{_name}__", _f)
    setattr(Tracer, f"__r{_name}__", functools.partialmethod(_f, reflected=True))


def _pow(self, other, mod=None):
    if type(other) is int and other == 2:
        r = _ufunc("square", (self,))
        return r if r is not None else _eager(_oxnp.square, (self,), {}, "square")
    return _eager(lambda a, b: a ** b, (self, other), {}, "power")


def _ipow(self, other):
    if type(other) is int and other == 2:
        return _inplace("square")(self, None)
    return _eager_write(self, None, None, "in-place power", ufunc=_oxnp.power, other=other)


def _unary(name):
    def op(self):
        r = _ufunc(name, (self,))
        return r if r is not None else _eager(getattr(_oxnp, name), (self,), {}, f"operator {name}")
    return op


Tracer.__pow__ = _pow
Tracer.__ipow__ = _ipow
Tracer.__neg__ = _unary("negative")
Tracer.__pos__ = _unary("positive")
Tracer.__abs__ = _unary("absolute")


def _invert(self):
    if self._node().dtype == "bool":
        return _ufunc("logical_not", (self,))
    return _eager(_oxnp.invert, (self,), {}, "operator ~")


Tracer.__invert__ = _invert


def _eager_inplace(ufunc_name):
    def op(self, other):
        return _eager_write(self, None, None, f"in-place {ufunc_name}",
                            ufunc=getattr(_oxnp, ufunc_name), other=other)
    return op


for _name, _uf in (("floordiv", "floor_divide"), ("mod", "remainder"), ("lshift", "left_shift"),
                   ("rshift", "right_shift"), ("matmul", "matmul")):
    setattr(Tracer, f"__i{_name}__", _eager_inplace(_uf))


def _new(node):
    _mark()
    return Tracer(_Buf(node))


def _mark():
    t = _trace()
    if t is not None:
        t.dirty = True


# ---------------------------------------------------------------- recording ops

_dtype_cache = {}


def _operand(x):
    """The node for an operand: tracer, Python scalar (const), or array (leaf); None if
    it is none of these."""
    if isinstance(x, Tracer):
        return x._node()
    if type(x) in (int, float, bool, complex):
        dt = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}[type(x)]
        return Node("const", dt, (), static=x)
    if isinstance(x, _Masked):
        return x._escape()._node()
    if isinstance(x, _oxnp.ndarray):
        return _leaf(x)
    if type(x).__module__ == "numpy" or hasattr(x, "__array_interface__") or hasattr(x, "dtype"):
        try:
            return _leaf(_oxnp.asarray(x))
        except Exception:
            return None
    return None


def _probe(n):
    """What oxnp's type resolution sees for an operand: the Python scalar or a strong array."""
    if n.kind == "const":
        return n.static
    return _oxnp.zeros((1,) * min(len(n.shape), 1), n.dtype)


def _key(n):
    if n.kind == "const":
        return (type(n.static), n.static if type(n.static) is int else None)
    return n.dtype


def _resolve(name, nodes):
    """(output dtype, compute dtype) of ufunc `name` on these operands, by asking oxnp."""
    key = (name,) + tuple(_key(n) for n in nodes)
    r = _dtype_cache.get(key)
    if r is None:
        try:
            probes = [_probe(n) for n in nodes]
            # The probe values are arbitrary: their FP conditions are not the user's.
            with errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = getattr(_oxnp, name)(*probes)
            out_dt = _oxnp.asarray(out).dtype.name
            if name in _CMP:
                comp = _oxnp.result_type(*probes).name
                if comp in ("int64", "int32") and any(
                        n.kind == "const" and type(n.static) is int for n in nodes):
                    info = sys.modules[__name__.rpartition(".")[0]].iinfo(comp)
                    if not all(info.min <= n.static <= info.max
                               for n in nodes if n.kind == "const" and type(n.static) is int):
                        comp = None
            elif name in _LOGIC:
                comp = "bool"
            else:
                comp = out_dt
            r = (out_dt, comp)
        except Exception:
            r = (None, None)
        _dtype_cache[key] = r
    return r


def _supported(name, comp, out):
    if comp in _CDTYPES:
        return (name in _COMPLEX_OPS and out == comp) or (name == "absolute" and out == _PART[comp])
    if comp not in _DTYPES or out not in _DTYPES:
        return False
    if name in _ARITH:
        return comp != "bool" and out == comp
    if name in _UNARY:
        return comp != "bool" and out == comp
    if name == "divide" or name in _FLOAT_UNARY:
        return comp in ("float64", "float32") and out == comp
    if name in _CMP or name in _LOGIC:
        return out == "bool"
    return False


def _as(n, dt):
    if n.dtype == dt:
        return n
    if n.kind == "const":
        v = n.static
        v = bool(v) if dt == "bool" else (float(v) if dt.startswith("float") else
                                          complex(v) if dt in _CDTYPES else int(v))
        return Node("const", dt, (), static=v)
    return Node("cast", dt, n.shape, (n,))


_bshape_cache = {}


def _bshape(*shapes):
    r = _bshape_cache.get(shapes)
    if r is None:
        r = _bshape_cache[shapes] = tuple(_oxnp.broadcast_shapes(*shapes))
    return r


def _ufunc(name, inputs):
    """Records ufunc `name` on `inputs`; returns a Tracer, or None if it cannot be fused."""
    if _trace() is None:
        return None
    if any(isinstance(x, _Masked) for x in inputs):
        return _masked_op(_ufunc, name, inputs)
    nodes = [_operand(x) for x in inputs]
    if any(n is None for n in nodes) or any(n.dtype not in _ALL_DTYPES for n in nodes):
        return None
    out, comp = _resolve(name, nodes)
    if any(n.dtype in _CDTYPES for n in nodes):
        if name == "absolute":
            comp = nodes[0].dtype   # complex in, its real part type out
        elif name not in _COMPLEX_OPS:
            return None
    if not _supported(name, comp, out):
        return None
    try:
        shape = _bshape(*[n.shape for n in nodes])
    except Exception:
        return None
    args = [_as(n, comp) for n in nodes]
    return _new(Node("ufunc", out, shape, args, name))


def _where(c, x, y):
    if _trace() is None:
        return None
    if any(isinstance(v, _Masked) for v in (c, x, y)):
        return _masked_op(lambda _, a: _where(*a), "where", (c, x, y))
    cn, xn, yn = _operand(c), _operand(x), _operand(y)
    if cn is None or xn is None or yn is None:
        return None
    if cn.dtype not in _DTYPES or any(n.dtype not in _ALL_DTYPES for n in (xn, yn)):
        return None
    try:
        key = ("where", _key(xn), _key(yn))
        dt = _dtype_cache.get(key)
        if dt is None:
            dt = _dtype_cache[key] = _oxnp.result_type(_probe(xn), _probe(yn)).name
        shape = _bshape(cn.shape, xn.shape, yn.shape)
    except Exception:
        return None
    if dt not in _ALL_DTYPES:
        return None
    return _new(Node("where", dt, shape, (_as(cn, "bool"), _as(xn, dt), _as(yn, dt))))


# ---------------------------------------------------------------- integer-array gathers
#
# `x[i0, i1, ...]` with one integer index array (or Python int) per dimension of x, at least
# one array: a `gather` node of the indices' broadcast shape, fused like an elementwise op
# (x itself is an input the kernel reads at computed offsets, never a group member). Negative
# indices wrap; an index out of range raises NumPy's IndexError (the first bad index of the
# first index array, see oxnp_jit::Op::Gather).

_GATHER_DTYPES = ("float64", "float32", "int64", "int32")
_gather_seq = [0]


def _gather(t, key):
    if _trace() is None:
        return None
    ks = key if type(key) is tuple else (key,)
    n = t._node()
    if n.dtype not in _GATHER_DTYPES or not ks or len(ks) != len(n.shape):
        return None
    idx, arrays = [], False
    for axis, k in enumerate(ks):
        if type(k) is int:
            if not -n.shape[axis] <= k < n.shape[axis]:
                return None   # (eager raises NumPy's IndexError, even for an empty result)
            idx.append(Node("const", "int64", (), static=k))
        elif isinstance(k, (Tracer, _oxnp.ndarray)):
            m = _operand(k)
            if m.dtype not in ("int64", "int32"):
                return None
            idx.append(m)
            arrays = True
        else:
            return None
    if not arrays:
        return None
    try:
        shape = _bshape(*[m.shape for m in idx])
    except Exception:
        return None
    if 0 in shape:
        return None   # (an empty result: eager checks the indices as NumPy does)
    _gather_seq[0] += 1
    return _new(Node("gather", n.dtype, shape, (n,) + tuple(idx), _gather_seq[0]))


def _traced_clip(a, a_min=None, a_max=None, out=None, **kwargs):
    """clip of a float tracer between two bounds (Python numbers or tracers): eager's
    maximum then minimum, in the dtype promotion gives; None (eager) otherwise."""
    if not isinstance(a, Tracer) or out is not None or kwargs or a_min is None or a_max is None:
        return None
    if a.dtype.name not in ("float64", "float32"):
        return None
    for b in (a_min, a_max):
        if not (type(b) in (int, float) or isinstance(b, Tracer)):
            return None
    try:
        probes = [b if type(b) in (int, float) else _oxnp.zeros((1,), b.dtype.name)
                  for b in (a_min, a_max)]
        dt = _oxnp.result_type(_oxnp.zeros((1,), a.dtype.name), *probes).name
    except Exception:
        return None
    if dt not in ("float64", "float32"):
        return None
    x = a.astype(dt) if dt != a.dtype.name else a
    r = _ufunc("maximum", (x, a_min))
    if r is None:
        return None
    return _ufunc("minimum", (r, a_max))


# ---------------------------------------------------------------- boolean-mask updates
#
# `x[m]` with a boolean mask `m` of x's whole shape has a data-dependent length, so it
# cannot be a node. It is kept as a `_Masked` (x and m, unmaterialized): elementwise fused
# ops whose array operands are gathers with the same mask (or 0-d) are recorded on the full
# arrays, and `y[m] = value` stores back `where(m, value, y)`. Elementwise ops give each
# element the same bits whichever other elements are computed, so the selected elements are
# eager's; the other lanes are computed and discarded (compiled kernels raise no FP warnings,
# see docs/jit.md). Any other use (shape, a reduction, a different mask, the result) gathers
# `x[m]` eagerly first (a graph break), from snapshots of the versions read, and goes on
# exactly as eager code would.

def _mask_of(t, key):
    """The node of `key` if it is a boolean mask of tracer `t`'s whole shape, else None."""
    if isinstance(key, Tracer):
        n = key._node()
    elif isinstance(key, _oxnp.ndarray):
        n = _leaf(key)
    else:
        return None
    if n.dtype != "bool" or not n.shape or n.shape != t.shape or t._node().dtype not in _ALL_DTYPES:
        return None
    return n


def _same_node(a, b):
    """Whether two mask nodes are the same value (the same node, or equal views of it)."""
    while a is not b:
        if a.kind != b.kind:
            return False
        if a.kind == "leaf":
            return a.value is b.value
        if a.kind != "view" or a.static != b.static:
            return False
        a, b = a.args[0], b.args[0]
    return True


def _masked_value(value, m, dt):
    """The node to store through mask `m` into an array of dtype `dt` (cast to it), or None
    when the value is not a gather with the same mask, a 0-d tracer or a Python number
    (eager assignment then runs)."""
    if isinstance(value, _Masked):
        if value._esc is not None or not _same_node(value._mask._node(), m):
            return None
        v = value._full._node()
    elif isinstance(value, Tracer) and value.shape == ():
        v = value._node()
    elif type(value) in (int, float, bool, complex):
        kind = _oxnp.dtype(dt).kind
        ok = {"b": (bool,), "i": (bool, int), "f": (bool, int, float),
              "c": (bool, int, float, complex)}.get(kind, ())
        if type(value) not in ok:
            return None
        try:
            c = _oxnp.dtype(dt).type(value)   # (out-of-range ints raise: eager reports it)
        except Exception:
            return None
        py = {"b": bool, "i": int, "f": float, "c": complex}[kind]
        return Node("const", dt, (), static=py(c))
    else:
        return None
    if v.dtype != dt:
        if v.dtype in _CDTYPES and dt not in _CDTYPES:
            return None
        v = _as(v, dt)
    return v


def _unmask(x):
    if isinstance(x, _Masked):
        return x._escape()
    if isinstance(x, tuple):
        return tuple(_unmask(v) for v in x)
    if isinstance(x, list):
        return [_unmask(v) for v in x]
    if isinstance(x, dict):
        return {k: _unmask(v) for k, v in x.items()}
    return x


def _masked_op(fn, name, inputs):
    """fn(name, full operands) as a `_Masked` when every array operand is an unescaped
    gather with one mask or is 0-d; None otherwise (or if fn does not fuse)."""
    mask, fulls = None, []
    for x in inputs:
        if isinstance(x, _Masked):
            if x._esc is not None:
                return None
            if mask is None:
                mask = x._mask
            elif not _same_node(mask._node(), x._mask._node()):
                return None
            fulls.append(x._full)
        elif type(x) in (int, float, bool, complex):
            fulls.append(x)
        elif isinstance(x, Tracer) or hasattr(x, "dtype"):   # arrays, NumPy/oxnp scalars
            if getattr(x, "shape", None) != ():
                return None
            fulls.append(x)
        else:
            return None
    r = fn(name, fulls)
    return _Masked(r, mask) if isinstance(r, Tracer) else None


class _Masked:
    """`x[mask]` kept as (x, mask) while only elementwise ops use it (see above)."""

    __slots__ = ("_full", "_mask", "_esc", "__weakref__")
    __array_priority__ = 1001
    ndim = 1

    def __init__(self, full, mask):
        self._full, self._mask, self._esc = full, mask, None

    def _escape(self):
        """The gathered array (computed once, eagerly: a graph break)."""
        if self._esc is None:
            self._esc = _eager(lambda a, m: a[m], (self._full, self._mask), {},
                               "boolean-mask result used")
        return self._esc

    def _node(self):
        return self._escape()._node()

    @property
    def dtype(self):
        return (self._full if self._esc is None else self._esc).dtype

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._escape(), name)

    def astype(self, dtype, *a, **kw):
        if not a and not kw and self._esc is None:
            dt = _oxnp.dtype(dtype).name
            src = self._full._node().dtype
            if dt in _ALL_DTYPES and src in (_DTYPES if dt in _DTYPES else _ALL_DTYPES):
                return _Masked(self._full.astype(dt), self._mask)
        return self._escape().astype(dtype, *a, **kw)

    def copy(self, *a, **kw):
        if not a and not kw and self._esc is None:
            return _Masked(self._full, self._mask)
        return self._escape().copy(*a, **kw)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs and ufunc.__name__ in _FUSABLE_UFUNCS:
            r = _masked_op(_ufunc, ufunc.__name__, inputs)
            if r is not None:
                return r
        return getattr(ufunc, method)(*_unmask(inputs), **_unmask(kwargs))

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ == "where" and len(args) == 3 and not kwargs:
            r = _where(*args)
            if r is not None:
                return r
        return func(*_unmask(args), **_unmask(kwargs))

    def __array__(self, dtype=None, copy=None):
        return self._escape().__array__(dtype=dtype, copy=copy)


def _masked_binop(name, dunder, reflected=False, bitwise=False):
    def op(self, other):
        args = (other, self) if reflected else (self, other)
        if bitwise:   # &, |, ^ are logical only on bools
            name_ = name if all(type(a) is bool or (isinstance(a, _Masked) and a.dtype.name == "bool")
                                for a in args) else None
        else:
            name_ = name
        if name_ == "square" and not (type(other) is int and other == 2):
            name_ = None
        if name_ is not None:
            r = _masked_op(_ufunc, name_, (self,) if name_ == "square" else args)
            if r is not None:
                return r
        return getattr(self._escape(), dunder)(_unmask(other))
    return op


def _masked_inplace(name, dunder, bitwise=False):
    def op(self, other):
        if self._esc is None:
            r = _masked_binop(name, "__" + dunder[3:], bitwise=bitwise)(self, other)
            if isinstance(r, _Masked) and r._esc is None:
                # In place on the gathered copy: same_kind cast back to its dtype.
                dt, rdt = self.dtype, r.dtype
                if rdt == dt:
                    self._full = r._full
                    return self
                if _oxnp.can_cast(rdt, dt, "same_kind") and dt.name in _ALL_DTYPES:
                    self._full = r._full.astype(dt.name)
                    return self
        return getattr(self._escape(), dunder)(_unmask(other))
    return op


def _masked_unary(name, dunder):
    def op(self):
        if name != "logical_not" or self.dtype.name == "bool":
            r = _masked_op(_ufunc, name, (self,))
            if r is not None:
                return r
        return getattr(self._escape(), dunder)()
    return op


def _masked_escaping(dunder):
    def op(self, *a, **k):
        return getattr(self._escape(), dunder)(*_unmask(a), **_unmask(k))
    return op


for _name, _uf in (("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                   ("truediv", "divide"), ("and", "logical_and"), ("or", "logical_or"),
                   ("xor", "logical_xor"), ("pow", "square")):
    _bw = _name in ("and", "or", "xor")
    setattr(_Masked, f"__{_name}__", _masked_binop(_uf, f"__{_name}__", bitwise=_bw))
    setattr(_Masked, f"__r{_name}__", _masked_binop(_uf, f"__r{_name}__", True, bitwise=_bw)
            if _name != "pow" else _masked_escaping("__rpow__"))
    setattr(_Masked, f"__i{_name}__", _masked_inplace(_uf, f"__i{_name}__", bitwise=_bw))
for _name, _uf in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal"),
                   ("eq", "equal"), ("ne", "not_equal")):
    setattr(_Masked, f"__{_name}__", _masked_binop(_uf, f"__{_name}__"))
for _name, _uf in (("neg", "negative"), ("pos", "positive"), ("abs", "absolute"),
                   ("invert", "logical_not")):
    setattr(_Masked, f"__{_name}__", _masked_unary(_uf, f"__{_name}__"))
for _name in ("bool", "float", "int", "complex", "index", "len", "iter", "repr", "str", "format",
              "getitem", "setitem", "floordiv", "rfloordiv", "mod", "rmod", "divmod",
              "lshift", "rshift", "matmul", "rmatmul", "contains"):
    setattr(_Masked, f"__{_name}__", _masked_escaping(f"__{_name}__"))
_Masked.__hash__ = None
del _name, _uf, _bw


# ---------------------------------------------------------------- short-axis reductions
#
# A reduction along one axis whose length is known and small is unrolled into elementwise
# nodes over the slices `x[..., i, ...]`, taken through the pending elementwise graph down to
# its inputs (views of concrete arrays), so it fuses with what produces and consumes it.
# The order of operations is eager's: `add.reduce` of fewer than 8 elements is the plain
# sequence `((0 + x0) + x1) + ...` whichever axis is innermost (NumPy's pairwise sum starts
# each block with a left-to-right loop below 8 elements; adding the identity first or last
# gives the same bits); min/max fold `minimum(acc, x_i)` from x0; argmin/argmax keep the first
# extremum and the first NaN.

_REDUCTIONS = {"sum", "min", "max", "amin", "amax", "argmin", "argmax", "mean"}
_MAX_UNROLL = {"sum": 7, "mean": 7}   # pairwise summation reorders from 8 elements on
_MAX_UNROLL_DEFAULT = 16
_MAX_SEQUENTIAL_SUM = 64


def _sums_sequentially(n, axis):
    """Whether eager mode sums computed value `n` along `axis` strictly left to right, at any
    length: it materializes `n` C-ordered, and a later axis longer than 1 keeps the reduced
    axis out of the inner loop, so each step is the elementwise `out + x[i]` (no pairwise
    blocks)."""
    return n.fusable and n.value is None and any(d > 1 for d in n.shape[axis + 1:])


def _take(n, axis, i, memo):
    """The node of `n[(:,) * axis + (i,)]`, pushed through pending elementwise nodes."""
    key = (id(n), axis, i)
    r = memo.get(key)
    if r is not None:
        return r
    shape = n.shape[:axis] + n.shape[axis + 1:]
    if n.kind == "const":
        r = n
    elif n.fusable and n.value is None:
        args = []
        for j, a in enumerate(n.args):
            if n.kind == "gather" and j == 0:
                args.append(a)   # (the source: indexed, not sliced)
                continue
            ax = axis - (len(n.shape) - len(a.shape))
            args.append(a if ax < 0 or a.kind == "const" else
                        _take(a, ax, 0 if a.shape[ax] == 1 else i, memo))
        r = Node(n.kind, n.dtype, shape, args, n.static)
    else:
        r = Node("view", n.dtype, shape, (n,), ("getitem", (slice(None),) * axis + (i,)))
    memo[key] = r
    return r


def _reduce_args(name, args, kwargs):
    """(axis, keepdims) of a reduction call the unroller handles, else None."""
    kw = dict(kwargs)
    if len(args) > 1:
        return None
    if args:
        if "axis" in kw:
            return None
        kw["axis"] = args[0]
    axis = kw.pop("axis", None)
    keepdims = kw.pop("keepdims", False)
    for k, v in kw.items():
        if not ((k in ("out", "dtype") and v is None) or (k == "where" and v is True)):
            return None
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    if (axis is not None and type(axis) is not int) or type(keepdims) is not bool:
        return None
    return axis, keepdims


def _reduce(name, x, args, kwargs):
    """Records reduction `name` of tracer `x` over a short axis; None if not handled."""
    if _trace() is None or not isinstance(x, Tracer):
        return None
    ak = _reduce_args(name, args, kwargs)
    if ak is None:
        return None
    axis, keepdims = ak
    n = x._node()
    nd = len(n.shape)
    if axis is None:
        # All axes of a 1-d array: the same reduction (and result shape) as axis 0.
        if nd != 1:
            return None
        axis = 0
    if not -nd <= axis < nd or n.dtype not in _DTYPES:
        return None
    axis %= nd
    length = n.shape[axis]
    sequential = (name in ("sum", "mean") and length <= _MAX_SEQUENTIAL_SUM
                  and _sums_sequentially(n, axis))
    if not (1 <= length <= _MAX_UNROLL.get(name, _MAX_UNROLL_DEFAULT) or sequential):
        return None
    memo = {}
    parts = [_new(_take(n, axis, i, memo)) for i in range(length)]
    r = _unrolled(name.lstrip("a") if name in ("amin", "amax") else name, n.dtype, parts, length)
    if r is None:
        return None
    if keepdims:
        r = Tracer(r._buf, (("getitem", (slice(None),) * axis + (None,)),))
    return r


def _unrolled(name, dt, xs, length):
    if name in ("sum", "mean"):
        if dt == "bool" or dt in ("int32", "int64"):
            if name == "mean":
                xs = [x.astype("float64") for x in xs]
                dt = "float64"
            else:
                xs = [x.astype("int64") for x in xs]
                acc = xs[0]
                for x in xs[1:]:
                    acc = _ufunc("add", (acc, x))
                return acc
        acc = _ufunc("add", (0.0, xs[0]))
        for x in xs[1:]:
            acc = _ufunc("add", (acc, x))
        if name == "mean":
            # true_divide(sum, intp count, out=sum, casting='unsafe'): computed in float64.
            q = _ufunc("divide", (acc.astype("float64") if dt != "float64" else acc, float(length)))
            return q.astype(dt) if dt != "float64" else q
        return acc
    if dt == "bool":
        return None
    if name in ("min", "max"):
        f = "minimum" if name == "min" else "maximum"
        acc = xs[0]
        for x in xs[1:]:
            acc = _ufunc(f, (acc, x))
        return acc
    if name in ("argmin", "argmax"):
        cmp = "less" if name == "argmin" else "greater"
        flt = dt.startswith("float")
        best, idx = xs[0], 0
        for i, x in enumerate(xs[1:], 1):
            take = _ufunc(cmp, (x, best))
            if flt:
                # the first NaN wins: take a NaN unless the best so far is one
                take = _ufunc("logical_or", (take, _ufunc("logical_and", (
                    _ufunc("not_equal", (x, x)), _ufunc("equal", (best, best))))))
            best = _where(take, x, best)
            idx = _where(take, i, idx)
        if isinstance(idx, int):
            return None
        return idx
    return None


def _norm(x, args, kwargs):
    """linalg.norm(x, ord=None/2, axis=k) of a real tracer: sqrt(add.reduce(x * x, axis))."""
    if _trace() is None or not isinstance(x, Tracer):
        return None
    names = ("ord", "axis", "keepdims")
    kw = dict(zip(names, args))
    if len(args) > 3 or any(k not in names or k in kw for k in kwargs):
        return None
    kw.update(kwargs)
    if kw.get("ord") not in (None, 2):
        return None
    axis = kw.get("axis")
    if axis is None:
        return None
    dt = x._node().dtype
    if dt not in ("float64", "float32"):
        if dt not in _DTYPES:
            return None
        x = x.astype("float64")
    s = _ufunc("multiply", (x, x))
    if s is None:
        return None
    r = _reduce("sum", s, (), {"axis": axis, "keepdims": kw.get("keepdims", False)})
    if r is None:
        return None
    return _ufunc("sqrt", (r,))


# ---------------------------------------------------------------- eager fallback

def _concretize(x, cause):
    if isinstance(x, _Masked):
        x = x._escape()
    if isinstance(x, Tracer):
        return _materialize(x, cause, count=False)
    if isinstance(x, tuple):
        return tuple(_concretize(v, cause) for v in x)
    if isinstance(x, list):
        return [_concretize(v, cause) for v in x]
    if isinstance(x, dict):
        return {k: _concretize(v, cause) for k, v in x.items()}
    return x


def _wrap_result(r):
    if isinstance(r, _oxnp.ndarray):
        t = _new(_leaf(r))
        t._array0d = True
        return t
    if isinstance(r, tuple):
        return tuple(_wrap_result(v) for v in r)
    if isinstance(r, list):
        return [_wrap_result(v) for v in r]
    return r


def _break(cause, keep=False):
    """Counts (and logs) a graph break; the replay plan being recorded is dropped, unless
    `keep`: a scalar conversion, recorded as a checked step by _materialize."""
    _stats["graph_breaks"] += 1
    t = _trace()
    if t is not None and not keep:
        t.rec = None
    if _LOG:
        _log(f"graph break: {cause} at {_user_site()}")


def _eager(fn, args, kwargs, cause):
    """Runs an op the tracer does not fuse on concrete values (a graph break)."""
    _break(cause)
    _stats["eager_ops"] += 1
    _flush()
    outs = kwargs.get("out") if isinstance(kwargs, dict) else None
    if outs is not None:
        outs_t = outs if isinstance(outs, tuple) else (outs,)
        for o in outs_t:
            if isinstance(o, Tracer):
                _privatize(o)
    r = fn(*_concretize(tuple(args), cause), **_concretize(dict(kwargs), cause))
    if outs is not None:
        # Results written into tracers are those tracers.
        outs_t = outs if isinstance(outs, tuple) else (outs,)
        if isinstance(r, tuple):
            return tuple(o if isinstance(o, Tracer) else _wrap_result(v) for o, v in zip(outs_t, r))
        if isinstance(outs_t[0], Tracer):
            return outs_t[0]
    return _wrap_result(r)


def _privatize(t):
    """Gives the tracer's buffer a private concrete copy, so an eager write into it changes
    no other version."""
    _check_write(t._buf)
    _flush()
    base = t._buf.node
    t._buf.node = _leaf(base.value.copy())


def _eager_write(t, key, value, cause, ufunc=None, other=None):
    _break(cause)
    _stats["eager_ops"] += 1
    _privatize(t)
    arr = t._buf.node.value
    for op in t._view:
        arr = _apply_view(arr, op)
    if ufunc is not None:
        if other is None:
            ufunc(arr, out=arr)
        else:
            ufunc(arr, _concretize(other, cause), out=arr)
        return t
    arr[_concretize(key, cause)] = _concretize(value, cause)
    return None


# ---------------------------------------------------------------- materialization

def _materialize(t, cause, count=True, scalar=False):
    if count:
        _break(cause, keep=scalar)
    _flush()
    arr = t._buf.node.value
    for op in t._view:
        arr = _apply_view(arr, op)
    if scalar and count:
        _record_check(t, arr)
    return arr


_MAX_CHECKED_STEPS = 200_000


def _record_check(t, arr):
    """Records a scalar graph break (bool(), float(), int(), index, .item() of one element)
    in the replay plan as a checked step: the element's bytes as traced. A replay computes
    the element again and goes on only if its bytes are the same (then Python, which saw
    this value, would have done what the trace recorded); otherwise the call is traced."""
    tr = _trace()
    if tr is None or tr.rec is None:
        return
    if len(tr.rec) > _MAX_CHECKED_STEPS:
        tr.rec = None   # (a long loop: a plan this size would cost more memory than it saves)
        return
    if not isinstance(arr, _oxnp.ndarray):
        # (an integer index gives a scalar: its bytes, as a 0-d array of its dtype)
        try:
            a = _oxnp.asarray(arr)
        except Exception:
            a = None
        if a is None or a.dtype != t.dtype:
            tr.rec = None
            return
        arr = a
    if arr.size != 1:
        tr.rec = None
        return
    slot = tr.slot_of(t._buf.node)
    shape = getattr(t._buf.node.value, "shape", None)
    for op in t._view:
        rc = _recipe(shape, op)
        if rc is None:
            tr.rec = None
            return
        new = tr.new_slot()
        tr.rec.append((_VIEW, slot, op, rc, new))
        shape = tuple(d[3] for d in rc[1])
        slot = new
    tr.rec.append((_CHECK, slot, arr.tobytes(), None))
    tr.checks += 1
    tr.snaps[len(tr.rec) - 1] = _py_state()


_TR = ("tracer",)


def _pv(v, depth=0):
    """A Python value as part of a state snapshot: tracers as one marker (their values are
    the plan's business), plain ints as themselves (loop counters: see _fold), other
    scalars by type and bits, small tuples and lists by content, other objects by
    identity (containers with their length)."""
    t = type(v)
    if t is Tracer or t is _Masked:
        return _TR
    if t is int:
        return v
    if t is bool or t is str or t is bytes or v is None:
        return (t, v)
    if t is float:
        return (t, struct.pack("<d", v))
    if t is complex:
        return (t, struct.pack("<dd", v.real, v.imag))
    if (t is tuple or t is list) and depth < 3 and len(v) <= 32:
        return (t, id(v) if t is list else 0) + tuple(
            ("i", x) if type(x) is int else _pv(x, depth + 1) for x in v)
    if t in (list, dict, set, bytearray):
        return ("m", id(v), len(v))
    return ("o", id(v))


def _py_state():
    """The Python state at a scalar graph break: for each frame of user code between the
    break and the jitted call, its code, position and local variables (_pv)."""
    out = []
    f = sys._getframe(2)
    stop = _trace_call.__code__
    while f is not None and f.f_code is not stop:
        mod = f.f_globals.get("__name__") or ""
        if mod != "oxnp" and not mod.startswith("oxnp."):
            try:
                loc = tuple(sorted((k, _pv(v)) for k, v in f.f_locals.items()))
            except Exception:
                return None
            out.append((id(f.f_code), _position(f.f_code, f.f_lasti), loc))
        f = f.f_back
    return tuple(out)


_positions = {}


def _position(code, lasti):
    """The source position (lines, columns) of a frame's current instruction: the same for
    both copies of a `while` condition (CPython compiles it before the loop and again at its
    end)."""
    ps = _positions.get(code)
    if ps is None:
        try:
            ps = _positions[code] = list(code.co_positions())
        except Exception:
            return lasti
    i = lasti // 2
    return ps[i] if 0 <= i < len(ps) else lasti


def _flush():
    """Computes every pending node a live tracer can reach, then rebases buffers on leaves."""
    tr = _trace()
    if tr is None or not tr.dirty:
        return
    tr.dirty = False
    bufs = {}
    for t in list(tr.tracers.values()):
        bufs[id(t._buf)] = t._buf
    for b, _ in tr.args:
        bufs[id(b)] = b
    targets = [b.node for b in bufs.values() if b.node.value is None]
    if targets:
        _compute(targets)
    for b in bufs.values():
        if b.node.kind != "leaf":
            priv = b.node.kind == "setitem"
            b.node = _leaf(b.node.value, b.node.slot)
            b.node.priv = priv


def _topo(targets):
    order, seen = [], set()
    stack = [(n, False) for n in targets]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(n)
            continue
        if id(n) in seen or n.value is not None:
            continue
        seen.add(id(n))
        stack.append((n, True))
        for a in n.args:
            if id(a) not in seen and a.value is None:
                stack.append((a, False))
    return order


def _compute(targets):
    order = _topo(targets)
    if _LOG:
        _log("traced graph:")
        ids = {id(n): i for i, n in enumerate(order)}
        for i, n in enumerate(order):
            args = ", ".join(f"%{ids[id(a)]}" if id(a) in ids else repr(a) for a in n.args)
            _log(f"  %{i} = {n!r}({args})")
    consumers = {}
    for n in order:
        _byid[id(n)] = n
        for a in n.args:
            consumers.setdefault(id(a), set()).add(id(n))
    target_ids = {id(n) for n in targets}
    # Same-shape fusable targets share one group (one loop nest, several outputs).
    classes = {}
    for n in targets:
        if n.fusable and n.kind != "const":
            classes.setdefault(n.shape, []).append(n)
    for roots in classes.values():
        if any(r.value is None for r in roots):
            _run_group([r for r in roots if r.value is None], consumers, target_ids)
    for n in targets:
        _eval(n, consumers, target_ids)


def _eval(n, consumers, target_ids):
    if n.value is not None:
        return n.value
    if n.kind in _CHAIN and n.args[0].value is None and n.args[0].kind in _CHAIN:
        # A long chain of versions (many writes between two flushes): bottom-up, not by
        # recursion.
        chain, m = [], n.args[0]
        while m.kind in _CHAIN and m.value is None:
            chain.append(m)
            m = m.args[0]
        for m in reversed(chain):
            _eval(m, consumers, target_ids)
    tr = _trace()
    if n.kind == "const":
        n.value = _oxnp.asarray(n.static, dtype=n.dtype)
        if tr is not None and tr.rec is not None:
            tr.slot_of(n)
    elif n.kind == "view":
        src = _eval(n.args[0], consumers, target_ids)
        n.value = _apply_view(src, n.static)
        if tr is not None and tr.rec is not None:
            tr.record(n, (_VIEW, tr.slot_of(n.args[0]), n.static,
                          _recipe(getattr(src, "shape", None), n.static)))
    elif n.kind == "reshape":
        n.value = _eval(n.args[0], consumers, target_ids).reshape(n.static)
        if tr is not None and tr.rec is not None:
            tr.record(n, (_RESHAPE, tr.slot_of(n.args[0]), n.static))
    elif n.kind == "setitem":
        base = _eval(n.args[0], consumers, target_ids)
        val = _eval(n.args[1], consumers, target_ids)
        inplace = _inplace_ok(n, n.args[0], consumers, target_ids)
        n.value = (_setitem_into if inplace else _setitem_copy)(base, n.static, val)
        if tr is not None and tr.rec is not None:
            rs, shape = [], base.shape
            for op in n.static:
                r = _recipe(shape, op)
                if r is None or n.args[0].dtype != n.args[1].dtype:
                    rs = None
                    break
                rs.append(r)
                shape = tuple(d[3] for d in r[1])
            tr.record(n, (_SETITEM, tr.slot_of(n.args[0]), n.static, tr.slot_of(n.args[1]),
                          inplace, rs))
    elif n.kind == "leaf":
        pass
    else:
        _run_group([n], consumers, target_ids)
    return n.value


_CHAIN = ("setitem", "view", "reshape")


def _group(roots):
    """The fusable, uncomputed nodes reachable from `roots` through same-shape fusable
    nodes, and the boundary nodes they read (gather sources last, as inputs of their own
    even when also read elementwise)."""
    members, boundary, seen, gsrcs, gseen = [], [], set(), [], set()
    root = roots[0]
    stack = list(roots)
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        members.append(n)
        for j, a in enumerate(n.args):
            if j == 0 and n.kind == "gather":
                if id(a) not in gseen:
                    gseen.add(id(a))
                    gsrcs.append(a)
                continue
            if a.kind == "const":
                if id(a) not in seen:
                    seen.add(id(a))
                    members.append(a)
            elif a.value is None and a.fusable and a.shape == root.shape and not (
                    n.kind == "cast" and _WIDTH.get(n.dtype, 0) * _WIDTH.get(a.dtype, 0) > 0
                    and _WIDTH[n.dtype] != _WIDTH[a.dtype]):
                stack.append(a)
            elif id(a) not in seen:
                seen.add(id(a))
                boundary.append(a)
    return members, boundary, gsrcs


# Lane widths: a cast between widths ends a group (its input is computed by a group of its
# own), so that each group can have a SIMD variant (one lane width per kernel).
_WIDTH = {"float64": 8, "int64": 8, "complex128": 8, "float32": 4, "int32": 4, "complex64": 4}


def _run_group(roots, consumers, target_ids):
    while True:
        roots = [r for r in roots if r.value is None]
        if not roots:
            return
        members, boundary, gsrcs = _group(roots)
        pending = [b for b in boundary if b.value is None]
        pending += [b for b in gsrcs if b.value is None and all(b is not c for c in pending)]
        if not pending:
            break
        # The narrower side of width-changing casts: one group together.
        narrow = [b for b in pending if b.fusable and b.kind != "const" and b.shape == roots[0].shape]
        if narrow:
            _run_group(narrow, consumers, target_ids)
        else:
            # Pending inputs of one shape (e.g. the elements of an unrolled reduction's
            # operand, each a 0-d expression) are computed together: one kernel launch
            # with several outputs instead of one each.
            same = {}
            for b in pending:
                if b.fusable and b.kind != "const":
                    same.setdefault(b.shape, []).append(b)
            for bs in same.values():
                if len(bs) > 1:
                    _run_group(bs, consumers, target_ids)
        for b in pending:
            _eval(b, consumers, target_ids)
    root = roots[0]
    mids = {id(m) for m in members}
    root_ids = {id(r) for r in roots}
    # Topological order of members: the order they were traced in (a loop's iterations one
    # after the other, which the compiler turns back into a loop, see oxnp_jit::find_loop).
    order = sorted(_topo_members(roots, mids), key=lambda m: m.seq)
    outputs = [m for m in order if m.kind != "const" and (
        id(m) in root_ids or id(m) in target_ids
        or any(c not in mids for c in consumers.get(id(m), ())))]
    inputs = boundary + gsrcs
    # Program: inputs first as nodes, then members.
    idx, gidx = {}, {}
    prog = []
    for k, b in enumerate(inputs):
        (idx if k < len(boundary) else gidx)[id(b)] = len(prog)
        prog.append(("input", b.dtype, (), k))
    ranks = {s: r for r, s in enumerate(sorted(m.static for m in order if m.kind == "gather"))}
    for m in order:
        idx[id(m)] = len(prog)
        if m.kind == "const":
            prog.append(("const", m.dtype, (), m.static))
        elif m.kind == "gather":
            prog.append(("gather", m.dtype, (gidx[id(m.args[0])],) + tuple(
                idx[id(a)] for a in m.args[1:]), ranks[m.static]))
        elif m.kind == "ufunc":
            prog.append((m.static, m.dtype, tuple(idx[id(a)] for a in m.args), None))
        else:
            prog.append((m.kind, m.dtype, tuple(idx[id(a)] for a in m.args), None))
    out_idx = [idx[id(o)] for o in outputs]
    in_dts = [b.dtype for b in inputs]
    io = None
    if any(d in _CDTYPES for d in in_dts) or any(o.dtype in _CDTYPES for o in outputs):
        prog, out_idx, io = _lower_complex(prog, in_dts, out_idx, [o.dtype for o in outputs])
    key = (tuple(_static_bits(p) for p in prog), tuple(in_dts), tuple(out_idx),
           io and (tuple(io[1]), tuple(io[3])))
    kid = _kernel_cache.get(key)
    if kid is None:
        kid, ms = (_oxnp._jit_compile(prog, in_dts, out_idx) if io is None else
                   _oxnp._jit_compile(prog, io[4], out_idx, io[:4]))
        _kernel_cache[key] = kid
        _stats["compiles"] += 1
        _stats["compile_ms"] += ms
        if _LOG:
            _log(f"fused group -> kernel {kid}: {len(order)} nodes, {len(inputs)} inputs, "
                 f"{len(outputs)} outputs, shape {root.shape}")
            for i, p in enumerate(prog):
                _log(f"    %{i} = {p[0]}<{p[1]}>{p[2] if p[2] else ''}"
                     f"{'' if p[3] is None else ' ' + repr(p[3])}")
    else:
        _stats["cache_hits"] += 1
    _stats["fused_groups"] += 1
    arrays = [_as_array(b.value) for b in inputs]
    shape = list(root.shape)
    res = _oxnp._jit_run(kid, arrays, shape)
    tr = _trace()
    if tr is not None and tr.rec is not None:
        ins = [tr.slot_of(b) for b in inputs]
        outs = []
        for o in outputs:
            o.slot = tr.new_slot()
            outs.append(o.slot)
        tr.rec.append((_KERNEL, kid, ins, shape, outs))
    if _LOG and kid not in _logged_ir:
        _logged_ir.add(kid)
        _log("cranelift IR:\n" + _oxnp._jit_info(kid)[0])
    for o, r in zip(outputs, res):
        o.value = r
    _ran.update(order)


_logged_ir = set()

_CDTYPES = ("complex64", "complex128")
_PART = {"complex64": "float32", "complex128": "float64"}
_NAN, _INF = float("nan"), float("inf")   # one object each: cache keys compare by identity


def _static_bits(p):
    """A program entry as a cache key: float constants by their bits (0.0 == -0.0)."""
    v = p[3]
    if type(v) is float:
        return p[:3] + (struct.pack("<d", v),)
    return p


def _lower_complex(prog, in_dts, out_idx, out_dts):
    """Rewrites a program with complex values into one on their real and imaginary parts,
    with the eager kernels' formulas (fused multiply-adds in products, squares and moduli).
    Returns (program, output indices, io) where io = (array input dtypes, (array, byte
    offset) per input, array output dtypes, (array, byte offset) per output, input dtypes)."""
    new, at = [], {}   # old index -> new index, or (re, im) for complex values

    def emit(op, dt, args=(), v=None):
        new.append((op, dt, tuple(args), v))
        return len(new) - 1

    cabs_cmp = _cabs_comparisons(prog, out_idx)
    fast_abs = {}   # modulus node -> its (re, im, fast, amb) for the comparison using it
    in_parts, in_tys, in_map = [], [], {}
    for k, d in enumerate(in_dts):
        if d in _CDTYPES:
            in_map[k] = (len(in_tys), len(in_tys) + 1)
            size = 4 if d == "complex64" else 8
            in_parts += [(k, 0), (k, size)]
            in_tys += [_PART[d], _PART[d]]
        else:
            in_map[k] = len(in_tys)
            in_parts.append((k, 0))
            in_tys.append(d)
    for i, (op, dt, args, v) in enumerate(prog):
        if i in cabs_cmp:
            if op == "absolute":
                fast_abs[i] = _lower_cabs_fast(emit, _PART[prog[args[0]][1]], at[args[0]], *cabs_cmp[i])
            else:
                k, name, c = cabs_cmp[i]
                at[i] = emit("cabs_" + name, "bool", fast_abs[k], c)
            continue
        a = [at[j] for j in args]
        if op == "input":
            m = in_map[v]
            at[i] = (emit("input", _PART[dt], (), m[0]), emit("input", _PART[dt], (), m[1])) \
                if dt in _CDTYPES else emit("input", dt, (), m)
            continue
        if dt not in _CDTYPES and not any(isinstance(x, tuple) for x in a):
            at[i] = emit(op, dt, a, v)
            continue
        f = _PART.get(dt, dt)
        if op == "const":
            c = complex(v)
            at[i] = (emit("const", f, (), c.real), emit("const", f, (), c.imag))
        elif op == "cast":
            x = a[0]
            if isinstance(x, tuple):
                at[i] = (emit("cast", f, (x[0],)), emit("cast", f, (x[1],)))
            else:
                at[i] = (emit("cast", f, (x,)), emit("const", f, (), 0.0))
        elif op == "where":
            c, x, y = a
            at[i] = (emit("where", f, (c, x[0], y[0])), emit("where", f, (c, x[1], y[1])))
        elif op in ("add", "subtract"):
            (xr, xi), (yr, yi) = a
            at[i] = (emit(op, f, (xr, yr)), emit(op, f, (xi, yi)))
        elif op == "negative":
            xr, xi = a[0]
            at[i] = (emit(op, f, (xr,)), emit(op, f, (xi,)))
        elif op == "positive":
            at[i] = a[0]
        elif op == "multiply":
            # (fma(ar, br, -(ai * bi)), fma(ar, bi, ai * br))
            (ar, ai), (br, bi) = a
            nib = emit("negative", f, (emit("multiply", f, (ai, bi)),))
            at[i] = (emit("fma", f, (ar, br, nib)),
                     emit("fma", f, (ar, bi, emit("multiply", f, (ai, br)))))
        elif op == "square":
            # (fma(x, x, -(y * y)), 2 * (x * y))
            x, y = a[0]
            nyy = emit("negative", f, (emit("multiply", f, (y, y)),))
            at[i] = (emit("fma", f, (x, x, nyy)),
                     emit("multiply", f, (emit("const", f, (), 2.0), emit("multiply", f, (x, y)))))
        elif op == "absolute":
            at[i] = _lower_cabs(emit, dt, a[0])
        else:
            raise AssertionError(f"no complex lowering of {op}")
    outs, out_parts, out_tys = [], [], []
    for j, o in enumerate(out_idx):
        if isinstance(at[o], tuple):
            size = 4 if out_dts[j] == "complex64" else 8
            outs += list(at[o])
            out_parts += [(j, 0), (j, size)]
        else:
            outs.append(at[o])
            out_parts.append((j, 0))
    return new, outs, (list(in_dts), in_parts, list(out_dts), out_parts, in_tys)


_FLIP = {"less": "greater", "less_equal": "greater_equal",
         "greater": "less", "greater_equal": "less_equal"}
# Relative margin around c**2 outside which re**2 + im**2 (in the parts' type) decides
# |z| <op> c: both that sum and the eager modulus are within a few ulps (2**-21 relative)
# of the exact values, so beyond 2**-16 they cannot disagree.
_CABS_MARGIN = 2.0 ** -16


def _cabs_comparisons(prog, out_idx):
    """The complex moduli compared with a constant and used for nothing else (`abs(z) <= c`,
    the escape test): {modulus node: (comparison node, op with the modulus on the left, c),
    comparison node: (modulus node, op, c)}. c: finite, in [2**-40, 2**40], so that the
    squares neither overflow nor lose precision near c**2."""
    uses = {}
    for _, _, args, _ in prog:
        for j in args:
            uses[j] = uses.get(j, 0) + 1
    for o in out_idx:
        uses[o] = uses.get(o, 0) + 1
    found = {}
    for i, (op, dt, args, v) in enumerate(prog):
        if op not in _FLIP or len(args) != 2:
            continue
        for side in (0, 1):
            k, other = args[side], args[1 - side]
            m, o = prog[k], prog[other]
            if (m[0] != "absolute" or prog[m[2][0]][1] not in _CDTYPES or uses.get(k) != 1
                    or o[0] != "const" or o[1] != m[1] or k in found):
                continue
            c = float(o[3])
            if not 2.0 ** -40 <= c <= 2.0 ** 40:
                continue
            name = op if side == 0 else _FLIP[op]
            found[k] = (i, name, c)
            found[i] = (k, name, c)
            break
    return found


def _outward(x, dt, up):
    """Positive `x` in `dt` (float32: rounded to nearest), then one ulp further up or down."""
    if dt == "float32":
        b = struct.unpack("<I", struct.pack("<f", x))[0] + (1 if up else -1)
        return struct.unpack("<f", struct.pack("<I", b))[0]
    return math.nextafter(x, _INF if up else 0.0)


def _lower_cabs_fast(emit, dt, z, cmp_node, name, c):
    """The cheap part of `|z| <name> c`: s = re*re + im*im decides it when s <= c*c*(1 -
    margin) (|z| < c) or s >= c*c*(1 + margin) (|z| > c, inf included); anything else
    (near the boundary, NaN) is ambiguous and takes the exact modulus (Op::CabsCmp)."""
    re, im = z
    if dt == "float32":   # the constant as the comparison sees it
        c = struct.unpack("<f", struct.pack("<f", c))[0]
    s = emit("add", dt, (emit("multiply", dt, (re, re)), emit("multiply", dt, (im, im))))
    lo = _outward(c * c * (1 - _CABS_MARGIN), dt, False)
    hi = _outward(c * c * (1 + _CABS_MARGIN), dt, True)
    below = emit("less_equal", "bool", (s, emit("const", dt, (), lo)))
    above = emit("greater_equal", "bool", (s, emit("const", dt, (), hi)))
    amb = emit("logical_not", "bool", (emit("logical_or", "bool", (below, above)),))
    fast = below if name in ("less", "less_equal") else above
    return (re, im, fast, amb)


def _lower_cabs(emit, dt, z):
    """|z| as the eager kernel computes it: big * sqrt(fma(q, q, 1)) with q = small / big,
    inf if a part is inf, else NaN if a part is NaN, 0 if both parts are 0."""
    x = emit("absolute", dt, (z[0],))
    y = emit("absolute", dt, (z[1],))
    gt = emit("greater", "bool", (x, y))
    big = emit("where", dt, (gt, x, y))
    small = emit("where", dt, (gt, y, x))
    zero, one = emit("const", dt, (), 0.0), emit("const", dt, (), 1.0)
    inf, nan = emit("const", dt, (), _INF), emit("const", dt, (), _NAN)
    bzero = emit("equal", "bool", (big, zero))
    degenerate = emit("logical_or", "bool", (bzero, emit("equal", "bool", (big, inf))))
    q = emit("divide", dt, (small, emit("where", dt, (degenerate, one, big))))
    r = emit("multiply", dt, (big, emit("sqrt", dt, (emit("fma", dt, (q, q, one)),))))
    isinf = emit("logical_or", "bool", (emit("equal", "bool", (x, inf)), emit("equal", "bool", (y, inf))))
    isnan = emit("logical_or", "bool", (emit("not_equal", "bool", (x, x)),
                                         emit("not_equal", "bool", (y, y))))
    r = emit("where", dt, (bzero, zero, r))
    r = emit("where", dt, (isnan, nan, r))
    return emit("where", dt, (isinf, inf, r))


_byid = weakref.WeakValueDictionary()   # id -> pending node of the graph being computed
_ran = weakref.WeakSet()   # fused-group members computed inside a kernel (no value kept)


def _inplace_ok(n, base, consumers, target_ids):
    """Whether setitem `n` may write into its base version's array instead of a copy: the
    array is private to the trace (made by an earlier copy-on-write) or is an argument
    (eager writes into it too), no live buffer holds that version, and every other reader
    of it is computed with nothing that aliases it still needed."""
    tr = _trace()
    if tr is None:
        return False
    if base.kind != "setitem" and not (
            base.kind == "leaf" and (base.priv or any(base.value is arr for _, arr in tr.args))):
        return False
    # (a private leaf: buffers that shared its version before a flush got leaves of their
    # own on the same array)
    bv = base.value if base.kind == "leaf" and base.priv else _NOVALUE
    for t in list(tr.tracers.values()):
        if t._buf.node is base or t._buf.node.value is bv:
            return False
    for b, _ in tr.args:
        if b.node is base or b.node.value is bv:
            return False
    return _dead(base, n, consumers, target_ids)


_NOVALUE = object()


def _dead(m, n, consumers, target_ids):
    for cid in consumers.get(id(m), ()):
        if cid == id(n):
            continue
        c = _byid.get(cid)
        if c is None or (c.value is None and c not in _ran):
            return False
        if c.kind in _CHAIN and (cid in target_ids or not _dead(c, n, consumers, target_ids)):
            return False
    return True


def _recipe(shape, op):
    """The view `op` of an array of `shape` as a native recipe (see jit.rs `Recipe`):
    ([(dim, index)], [(dim or -1, start, step, length)]); None where not expressible."""
    if shape is None:
        return None
    kind, arg = op
    nd = len(shape)
    if kind == "T":
        return ([], [(d, 0, 1, shape[d]) for d in reversed(range(nd))])
    if kind == "transpose":
        axes = [a + nd if a < 0 else a for a in arg]
        if sorted(axes) != list(range(nd)):
            return None
        return ([], [(a, 0, 1, shape[a]) for a in axes])
    key = arg if isinstance(arg, tuple) else (arg,)
    if key.count(Ellipsis) > 1:
        return None
    nreal = sum(1 for k in key if k is not None and k is not Ellipsis)
    if nreal > nd:
        return None
    fill = (slice(None),) * (nd - nreal)
    if Ellipsis in key:
        i = key.index(Ellipsis)
        key = key[:i] + fill + key[i + 1:]
    else:
        key = key + fill
    fixed, dims, d = [], [], 0
    for k in key:
        if k is None:
            dims.append((-1, 0, 0, 1))
            continue
        if type(k) is int:
            kk = k + shape[d] if k < 0 else k
            if not 0 <= kk < shape[d]:
                return None
            fixed.append((d, kk))
        else:
            start, stop, step = k.indices(shape[d])
            length = len(range(start, stop, step))
            if length == 0:
                return None
            dims.append((d, start, step, length))
        d += 1
    return (fixed, dims)


def _setitem_into(new, view, val):
    tgt = new
    for op in view[:-1]:
        tgt = _apply_view(tgt, op)
    if view and view[-1][0] == "getitem":
        tgt[view[-1][1]] = val
    else:
        if view:
            tgt = _apply_view(tgt, view[-1])
        tgt[...] = val
    return new


def _setitem_copy(base, view, val):
    new = base.copy()
    tgt = new
    for op in view[:-1]:
        tgt = _apply_view(tgt, op)
    if view and view[-1][0] == "getitem":
        tgt[view[-1][1]] = val     # (an integer index selects an element, not a view)
    else:
        if view:
            tgt = _apply_view(tgt, view[-1])
        tgt[...] = val
    return new


def _as_array(v):
    return v if isinstance(v, _oxnp.ndarray) else _oxnp.asarray(v)


def _topo_members(roots, mids):
    order, seen = [], set()
    stack = [(r, False) for r in roots]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(n)
            continue
        if id(n) in seen:
            continue
        seen.add(id(n))
        stack.append((n, True))
        for a in n.args:
            if id(a) in mids and id(a) not in seen:
                stack.append((a, False))
    return order


# ---------------------------------------------------------------- replay plans

# Step kinds of a replay plan (tuples; the last element is the destination slot(s)).
_KERNEL, _VIEW, _RESHAPE, _SETITEM, _CHECK = 0, 1, 2, 3, 4
# A folded loop's test (slot, continue bytes, exit bytes, step index of the suffix) and
# back edge (carried (dst, src) moves, step index of the body's start): see _fold.
_LOOPTEST, _BACKEDGE = 5, 6


def _dsts(st):
    if st[0] == _KERNEL:
        return st[4]
    if st[0] == _CHECK:
        return ()
    return (st[-1],)


def _refs(st):
    """The slots step `st` reads."""
    k = st[0]
    if k == _KERNEL:
        return list(st[2])
    if k == _SETITEM:
        return [st[1], st[3]]
    return [st[1]]


def _with_refs(st, refs):
    k = st[0]
    if k == _KERNEL:
        return (k, st[1], list(refs), st[3], st[4])
    if k == _SETITEM:
        return (k, refs[0], st[2], refs[1], st[4], st[5], st[6])
    return (k, refs[0]) + st[2:]


def _same_shape_step(x, y, delta):
    """Whether step y is step x one loop iteration later, ignoring the slots read (and the
    bytes of a check): same kind and static data, destinations shifted by `delta`."""
    if x[0] != y[0]:
        return False
    k = x[0]
    if k == _KERNEL:
        return (x[1] == y[1] and x[3] == y[3] and len(x[2]) == len(y[2])
                and [o + delta for o in x[4]] == list(y[4]))
    if k == _CHECK:
        return True
    if k == _SETITEM:
        return x[2] == y[2] and x[4] == y[4] and x[5] == y[5] and x[6] + delta == y[6]
    return x[2:-1] == y[2:-1] and x[-1] + delta == y[-1]


def _fold(rec, snaps, init, template, nargs, nslots, argshapes):
    """Folds the loop of a recorded plan that ends at its last check: the steps before it
    repeat with period p (an iteration; slots shifted by the slots one iteration makes),
    each iteration's loop test having the same bytes ("continue") but the last one's
    ("exit"). Returns (steps, template, cap, signature) of the looped plan or None."""
    checks = [i for i, st in enumerate(rec) if st[0] == _CHECK]
    if len(checks) < 3:
        return None
    for j in range(1, min(4, len(checks) - 1) + 1):
        r = _fold_period(rec, snaps, init, template, nargs, checks[-1], checks[-1] - checks[-1 - j],
                         nslots, argshapes)
        if r is not None:
            return r
    return None


def _init_equal(init, a, b):
    x, y = init.get(a), init.get(b)
    if x is None or y is None:
        return False
    return x is y or (x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes())


def _fold_period(rec, snaps, init, template, nargs, cn, p, nslots, argshapes):
    defd = {}   # slot -> index of the step that makes it
    for i, st in enumerate(rec):
        for d in _dsts(st):
            defd[d] = i
    # The slot shift of one iteration.
    delta = None
    for k in range(cn - p, -1, -1):
        if _dsts(rec[k]):
            if not _dsts(rec[k + p]):
                return None
            delta = _dsts(rec[k + p])[0] - _dsts(rec[k])[0]
            break
    if not delta or delta <= 0:
        return None

    def pair(i):
        x, y = rec[i], rec[i + p]
        if not _same_shape_step(x, y, delta):
            return None
        if x[0] == _CHECK and i + p != cn and x[2] != y[2]:
            return None
        out = []
        for r, r2 in zip(_refs(x), _refs(y)):
            if r2 == r or (r in init and r2 in init and _init_equal(init, r, r2)):
                out.append(("same", r, r2))
            elif r2 == r + delta:
                out.append(("shift", r, r2))
            elif r2 in defd and i <= defd[r2] < i + p:
                # (the first iteration reads a value made before the loop where the next
                # one reads what the first made: valid only in the loop's first iteration)
                out.append(("irr", r, r2))
            else:
                return None
        return out

    kinds = {}
    a = cn - p + 1
    while a - 1 >= 0:
        c = pair(a - 1)
        if c is None:
            break
        a -= 1
        kinds[a] = c
    irr = [i for i, c in kinds.items() if any(k[0] == "irr" for k in c)]
    if irr:
        a = max(a, max(irr) - p + 1)
    if a > cn - p:
        return None
    m, q = divmod(cn - a, p)
    if a + p - 1 > cn - p:
        return None   # (every step of an iteration must be seen twice)
    if rec[cn - p][2] == rec[cn][2]:
        return None   # (the loop ended with the test unchanged: Python state decided)
    s0 = min((d for i in range(a, a + p) for d in _dsts(rec[i])), default=None)
    if s0 is None:
        return None
    body = set()
    for i in range(a, a + p):
        for d in _dsts(rec[i]):
            if not s0 <= d < s0 + delta:
                return None
            body.add(d)
    carried = {}   # pre-loop slot -> the slot of iteration 0 that replaces it
    same = set()
    steps0 = []
    for i in range(a, a + p):
        refs = []
        for kind, r, r2 in kinds[i]:
            if kind == "same":
                if r in body:
                    return None
                same.add(r)
            elif kind == "shift" and r in body:
                if defd.get(r, i) >= i:
                    return None   # (a value of the previous iteration's later step)
            else:
                if r2 not in body or defd.get(r, -1) >= a or carried.get(r, r2) != r2:
                    return None
                carried[r] = r2
            refs.append(r)
        steps0.append(_with_refs(rec[i], refs))
    if same & set(carried):
        return None
    # (a view made before the loop of a carried value may be kept virtual by the native
    # plan, i.e. read through its source slot, which the back edge overwrites)
    if any(st[0] == _VIEW and st[1] in carried for st in rec[:a]):
        return None
    # An argument or trace-time array carried into the loop: copied to a slot of its own
    # first (an identity view), which the back edge then overwrites.
    moves = []
    for r in sorted(carried):
        if r in defd:
            continue
        arr = init.get(r) if r >= nargs else argshapes[r]
        shape = getattr(arr, "shape", arr)
        if shape is None:
            return None
        nslots += 1
        moves.append((_VIEW, r, ("getitem", ()), ([], [(d, 0, 1, n) for d, n in enumerate(shape)]),
                      nslots - 1))
        carried[nslots - 1] = carried.pop(r)
        steps0 = [_with_refs(st, [nslots - 1 if x == r else x for x in _refs(st)]) for st in steps0]
    # Python state at the loop tests: equal but for counters (ints advancing by a constant).
    tests = [a + q + j * p for j in range(m + 1)]
    ss = [snaps.get(t) for t in tests]
    if any(x is None for x in ss) or any(len(x) != len(ss[0]) for x in ss):
        return None
    counters = []   # (final value, step per iteration)
    for fi in range(len(ss[0])):
        frs = [x[fi] for x in ss]
        if any(f[0] != frs[0][0] or f[1] != frs[0][1] for f in frs):
            return None
        locs = [dict(f[2]) for f in frs]
        for name in set().union(*locs):
            vs = [lc.get(name, _TR) for lc in locs]
            if all(v == vs[0] for v in vs):
                continue   # (a tracer not yet bound at the first test is array state too)
            if not all(type(v) is int for v in vs):
                return None
            d = vs[1] - vs[0]
            if any(vs[t + 1] - vs[t] != d for t in range(len(vs) - 1)):
                return None
            counters.append((vs[-1], d))
    # The slots read after the loop, as slots of the looped plan.
    last = a + m * p

    def slot_after(s):
        i = defd.get(s)
        if i is None or i < a:
            return None if s in carried else s
        if i > cn:
            return s
        if last <= i <= cn:
            return s - m * delta
        if last - p <= i < last:
            t = s - (m - 1) * delta
            for r, nxt in carried.items():
                if nxt == t:
                    return r
        return None

    suffix = []
    for st in rec[cn + 1:]:
        if counters and st[0] != _VIEW:
            return None   # (Python code after a counted loop may depend on the count)
        refs = [slot_after(r) for r in _refs(st)]
        if any(r is None for r in refs):
            return None
        suffix.append(_with_refs(st, refs))

    def tpl(t):
        kind = t[0]
        if kind == "a":
            r = slot_after(t[1])
            if r is None:
                raise _NoGuard
            return ("a", r) + t[2:]
        if kind in ("t", "l"):
            return (kind, [tpl(x) for x in t[1]])
        if kind == "d":
            return ("d", t[1], [tpl(x) for x in t[2]])
        if kind == "s" and counters and type(t[1]) is not bool and isinstance(t[1], (int, float, complex)):
            ds = {d for v, d in counters if v == t[1] and type(t[1]) is int}
            if len(ds) != 1:
                raise _NoGuard   # (a number that may depend on the iteration count)
            return ("n", t[1], ds.pop(), m)
        return t
    try:
        template = tpl(template)
    except _NoGuard:
        return None
    a2 = a + len(moves)
    top = a2 + p + 1
    qs = steps0[q]
    steps0[q] = (_LOOPTEST, qs[1], rec[cn - p][2], rec[cn][2], top)
    steps = list(rec[:a]) + moves + steps0 + [(_BACKEDGE, sorted(carried.items()), a2)] + suffix
    # At most as many iterations as traced when Python counts them (its decisions on the
    # count are not seen), else as many as a recorded plan could hold.
    cap = m if counters else max(m, _MAX_CHECKED_STEPS // p)
    sig = (tuple(map(repr, rec[:a])), tuple(map(repr, steps0)), tuple(map(repr, suffix)))
    return steps, template, cap, bool(counters), sig, nslots


class _NoGuard(Exception):
    pass


class _Abort(Exception):
    """A write into an argument that overlaps another argument: the call runs eagerly."""


def _check_write(buf):
    t = _trace()
    if t is not None and t.overlap and any(buf is b for b, _ in t.args):
        raise _Abort


_STATIC_TYPES = frozenset((int, bool, str, bytes, type(None)))
_IDENT_TYPES = frozenset((types.ModuleType, types.FunctionType, types.BuiltinFunctionType))


def _static_key(v):
    """A hashable key that equals for equal static (non-array) arguments; _NoGuard for
    values whose equality cannot be cheaply relied on (mutable objects, arrays)."""
    t = type(v)
    if t in _STATIC_TYPES or t in _IDENT_TYPES:
        return (t, v)
    if t is float:
        return (t, v, math.copysign(1.0, v))  # -0.0 != 0.0; NaN never matches (retrace)
    if t is complex:
        return (t, v.real, v.imag, math.copysign(1.0, v.real), math.copysign(1.0, v.imag))
    if t is tuple:
        return (t,) + tuple(_static_key(x) for x in v)
    if isinstance(v, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type,
                      _oxnp.dtype)):
        return (t, v)
    if hasattr(v, "dtype") and hasattr(v, "tobytes") and getattr(v, "ndim", 1) == 0 \
            and not isinstance(v, _oxnp.ndarray) and type(v).__module__ in ("numpy", "oxnp"):
        return (t, str(v.dtype), v.tobytes())
    raise _NoGuard


_atypes = []


def _array_types():
    if _atypes:
        return _atypes[0]
    np = sys.modules.get("numpy")
    if np is None:
        return (_oxnp.ndarray,)
    _atypes.append((_oxnp.ndarray, np.ndarray))   # (cached once NumPy is imported)
    return _atypes[0]


def _guard_objs(args, kwargs):
    """(the replay cache key of a call, the array arguments in order, as the plan's slots
    expect them before deduplication); (None, None) if some argument cannot be guarded.
    Array arguments are keyed by (type, dtype, shape, and which earlier argument is the same
    object), everything else by value (`_static_key`); computed in Rust (`_jit_guard`)."""
    nd = _array_types()
    return _oxnp._jit_guard(args, kwargs, nd[1] if len(nd) > 1 else None, _static_key,
                            (_NoGuard, TypeError))


class _Plan:
    """What a traced call without graph breaks did, to run again without tracing."""
    __slots__ = ("nslots", "init", "steps", "copyback", "template", "nkernels", "dedupe",
                 "native", "want", "writes", "checked", "single", "cap", "sig", "counted")

    def __init__(self, nslots, init, steps, copyback, template, dedupe, nargs, loop=None):
        self.nslots, self.init, self.steps = nslots, list(init.items()), steps
        # a folded loop (see _fold): its iteration cap, whether Python counted its
        # iterations, and its structure (plans traced again keep the larger cap)
        self.cap, self.counted, self.sig = loop if loop else (None, False, None)
        self.copyback, self.template, self.dedupe = copyback, template, dedupe
        # arguments the plan writes: written back, or assigned into in place
        self.writes = sorted({i for i, _ in copyback} | {
            st[1] for st in steps if st[0] == _SETITEM and st[4] and st[1] < nargs})
        self.nkernels = sum(1 for st in steps if st[0] == _KERNEL)
        self.single = None   # (index in want, copy, keep 0-d): the result is one want slot
        self.checked = any(st[0] == _CHECK for st in steps)
        # A plan of kernel launches, views and same-dtype slice assignments runs in one
        # call into Rust.
        self.native = None
        if hasattr(_oxnp, "_jit_replay") and all(
                isinstance(v, _oxnp.ndarray) for _, v in self.init) and all(
                st[0] == _KERNEL or (st[0] == _VIEW and st[3] is not None)
                or (st[0] == _SETITEM and st[5] is not None) or st[0] in (_CHECK, _LOOPTEST, _BACKEDGE)
                for st in steps):
            want = set(_template_slots(template)) | {slot for _, slot in copyback}
            self.want = sorted(w for w in want if w >= nargs)
            if template[0] == "a" and template[1] >= nargs and not copyback:
                self.single = (self.want.index(template[1]), template[2], template[3])
            kernels, views, sets, checks, order, tests, edges = [], [], [], [], [], [], []
            for st in steps:
                if st[0] == _KERNEL:
                    order.append((0, len(kernels)))
                    kernels.append(st[1:])
                elif st[0] == _VIEW:
                    order.append((1, len(views)))
                    views.append((st[1], st[3], st[4]))
                elif st[0] == _CHECK:
                    order.append((3, len(checks)))
                    checks.append((st[1], st[2]))
                elif st[0] == _LOOPTEST:
                    order.append((4, len(tests)))
                    tests.append(st[1:])
                elif st[0] == _BACKEDGE:
                    order.append((5, len(edges)))
                    edges.append(st[1:])
                else:
                    order.append((2, len(sets)))
                    sets.append((st[1], st[5], st[3], st[4], st[6]))
            try:
                self.native = _oxnp._jit_plan(nslots, self.init, kernels, views, sets, order,
                                              self.want, checks, tests, edges)
            except Exception:
                if _LOG:
                    _log("native plan refused; replaying in Python")
                self.native = None


def _template_slots(tpl):
    kind = tpl[0]
    if kind == "a":
        yield tpl[1]
    elif kind in ("t", "l"):
        for x in tpl[1]:
            yield from _template_slots(x)
    elif kind == "d":
        for x in tpl[2]:
            yield from _template_slots(x)


def _template(r, tr):
    """The result structure of a recorded call, with slots for the arrays."""
    if isinstance(r, Tracer):
        for i, (buf, arr) in enumerate(tr.args):
            if r._buf is buf and not r._view:
                if tr.src[id(buf)] is not arr:
                    raise _NoGuard   # (a NumPy argument: returned as itself by traces only)
                return ("a", i, False, True)
        slot = tr.slot_of(r._buf.node)
        shape = getattr(r._buf.node.value, "shape", None)
        for op in r._view:
            new = tr.new_slot()
            rc = _recipe(shape, op)
            tr.rec.append((_VIEW, slot, op, rc, new))
            shape = None if rc is None else tuple(d[3] for d in rc[1])
            slot = new
        base = r._buf.node.value
        copy = slot in tr.init or any(base is arr and r._buf is not buf for buf, arr in tr.args)
        return ("a", slot, copy, r._array0d)
    if isinstance(r, (tuple, list)):
        return ("t" if isinstance(r, tuple) else "l", [_template(v, tr) for v in r])
    if isinstance(r, dict):
        return ("d", list(r), [_template(v, tr) for v in r.values()])
    if isinstance(r, _oxnp.ndarray):
        return ("c", r)
    if type(r) in _STATIC_TYPES or type(r) in (float, complex) or (
            hasattr(r, "dtype") and not hasattr(r, "shape") or getattr(r, "ndim", 1) == 0):
        return ("s", r)
    raise _NoGuard


def _build(tpl, s, n=0):
    """The result from template `tpl`, slots `s` and `n` iterations of a folded loop."""
    kind = tpl[0]
    if kind == "a":
        v = s[tpl[1]]
        if tpl[2]:
            v = v.copy()
        return v[()] if v.ndim == 0 and not tpl[3] else v
    if kind == "t":
        return tuple([_build(x, s, n) for x in tpl[1]])
    if kind == "l":
        return [_build(x, s, n) for x in tpl[1]]
    if kind == "d":
        return dict(zip(tpl[1], [_build(x, s, n) for x in tpl[2]]))
    if kind == "c":
        return tpl[1].copy()
    if kind == "n":   # a loop counter: its traced value moved by the iterations' difference
        return tpl[1] + tpl[2] * (n - tpl[3])
    return tpl[1]


def _aliased(arrays, written):
    """Whether an argument written by the call may share memory with another argument."""
    for i in written:
        for j, b in enumerate(arrays):
            if j != i and _oxnp.may_share_memory(arrays[i], b):
                return True
    return False


def _replay(plan, arrays):
    if plan.native is not None:
        n = 0
        if plan.cap is None:
            got = _oxnp._jit_replay(plan.native, arrays, plan.writes)
        else:
            got = _oxnp._jit_replay(plan.native, arrays, plan.writes, plan.cap)
            if type(got) is tuple:
                got, n = got
        if got is None:
            return _NO_REPLAY   # a written argument overlaps another one
        if got is False:
            _stats["diverged"] += 1
            return _NO_REPLAY   # a checked scalar differs: trace the call
        if plan.single is not None:
            i, copy, keep = plan.single
            v = got[i]
            if copy:
                v = v.copy()
            _stats["replays"] += 1
            _stats["fused_groups"] += plan.nkernels
            return v[()] if not keep and v.ndim == 0 else v
        s = dict(enumerate(arrays))
        s.update(zip(plan.want, got))
        return _replay_result(plan, s, arrays, n)
    s = [None] * plan.nslots
    s[:len(arrays)] = arrays
    for slot, v in plan.init:
        s[slot] = v
    run = _oxnp._jit_run
    for st in plan.steps:
        op = st[0]
        if op == _KERNEL:
            res = run(st[1], [s[i] for i in st[2]], st[3])
            for o, r in zip(st[4], res):
                s[o] = r
        elif op == _VIEW:
            v = _apply_view(s[st[1]], st[2])
            s[st[4]] = v if type(v) is _oxnp.ndarray else _as_array(v)
        elif op == _RESHAPE:
            s[st[3]] = s[st[1]].reshape(st[2])
        elif op == _CHECK:
            if _oxnp.asarray(s[st[1]]).tobytes() != st[2]:
                _stats["diverged"] += 1
                return _NO_REPLAY
        else:
            s[st[6]] = (_setitem_into if st[4] else _setitem_copy)(s[st[1]], st[2], s[st[3]])
    return _replay_result(plan, s, arrays)


_NO_REPLAY = object()


def _replay_result(plan, s, arrays, n=0):
    """The replayed call's result from the slots `s`, after writing arguments back."""
    out = _build(plan.template, s, n)   # before the write-back, as _finish
    for i, slot in plan.copyback:
        _oxnp.copyto(arrays[i], s[slot])
    _stats["replays"] += 1
    _stats["fused_groups"] += plan.nkernels
    return out


# ---------------------------------------------------------------- array creation in a trace
#
# While a call is traced, the oxnp module's zeros/ones/empty/full (and their *_like forms on
# tracers) and nan_to_num of a float tracer, called from user code, record nodes instead of
# making concrete arrays: an array made inside the function and then updated (e.g. through
# a mask) stays in the graph. Other callers (oxnp's own code, other arguments) get the
# original functions. Names imported before the call (`from oxnp import zeros`) are not
# replaced.

_FILL = {"zeros": 0, "ones": 1, "empty": 0, "full": None}


def _fill_node(shape, dtype, value):
    if type(shape) is int:
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape or \
            not all(type(d) is int and d >= 0 for d in shape):
        return None
    if dtype is None:
        if type(value) not in (bool, int, float, complex):
            return None
        dtype = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}[type(value)]
    try:
        dt = _oxnp.dtype(dtype)
    except Exception:
        return None
    if dt.name not in _ALL_DTYPES or type(value) not in (bool, int, float, complex):
        return None
    kind = dt.kind
    if (kind in "bi" and type(value) not in (bool, int)) or (kind == "f" and type(value) is complex):
        return None   # (NaN or complex into ints, complex into floats: eager's casts)
    try:
        c = dt.type(value)
    except Exception:
        return None
    py = {"b": bool, "i": int, "f": float, "c": complex}[kind]
    const = Node("const", dt.name, (), static=py(c))
    return _new(Node("cast", dt.name, tuple(shape), (const,)))


def _traced_creation(name, *args, **kwargs):
    kw = dict(kwargs)
    like = name.endswith("_like")
    base = name[:-5] if like else name
    names = (("a",) if like else ("shape",)) + (("fill_value",) if base == "full" else ()) + (
        "dtype", "order")
    if len(args) > len(names) or any(k in kw for k in names[:len(args)]):
        return None
    kw.update(zip(names, args))
    value = kw.pop("fill_value", _FILL[base])
    dtype = kw.pop("dtype", None)
    order = kw.pop("order", "K" if like else "C")
    if like:
        a = kw.pop("a", None)
        if not isinstance(a, Tracer) or kw.pop("subok", True) is not True:
            return None
        shape = kw.pop("shape", None)
        shape = a.shape if shape is None else shape
        dtype = a.dtype if dtype is None else dtype
    else:
        shape = kw.pop("shape", None)
        if dtype is None and base != "full":
            dtype = "float64"
    if kw or order not in ("C", "K", "A"):
        return None
    return _fill_node(shape, dtype, value)


def _traced_nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not isinstance(x, Tracer) or copy is not True or x.dtype.name not in ("float64", "float32"):
        return None
    if not all(v is None or type(v) in (int, float) for v in (nan, posinf, neginf)):
        return None
    dt = x.dtype.name
    info = sys.modules[__name__.rpartition(".")[0]].finfo(dt)
    big = float(info.max) if posinf is None else float(_oxnp.dtype(dt).type(posinf))
    small = float(info.min) if neginf is None else float(_oxnp.dtype(dt).type(neginf))
    nan = float(_oxnp.dtype(dt).type(nan))
    r = _where(x == _INF, big, x)
    r = _where(x == -_INF, small, r)
    return _where(x != x, nan, r)


def _overriding(name, orig):
    traced = {"nan_to_num": _traced_nan_to_num, "copyto": _traced_copyto,
              "outer": _traced_outer, "clip": _traced_clip}.get(name) or (
        _traced_eager(name) if name.startswith("broadcast_") else
        functools.partial(_traced_creation, name))

    def direct(*args, **kwargs):
        r = traced(*args, **kwargs)
        if r is not None:
            return None if r is _DONE else r
        return orig(*args, **kwargs)

    @functools.wraps(orig)
    def f(*args, **kwargs):
        if _current:
            caller = sys._getframe(1).f_globals.get("__name__") or ""
            if caller != "oxnp" and not caller.startswith("oxnp."):
                return direct(*args, **kwargs)
        return orig(*args, **kwargs)
    f._direct = direct   # for oxnp.jit(<this function>) itself
    return f


def _traced_outer(a, b, out=None):
    """outer of tracers: the broadcast product a.ravel()[:, None] * b.ravel()[None, :], as
    eager computes it (one multiply, a's elements by b's)."""
    if out is not None or not (isinstance(a, Tracer) or isinstance(b, Tracer)):
        return None

    def flat(v):
        if isinstance(v, Tracer):
            return v if v.ndim == 1 else v.ravel()
        return _oxnp.asarray(v).ravel()
    return _oxnp.multiply(flat(a)[:, None], flat(b)[None, :])


def _traced_copyto(dst, src, casting="same_kind", where=True):
    """copyto into a tracer: eager (a graph break) into a private copy of its buffer."""
    if not isinstance(dst, Tracer):
        return None
    _break("copyto")
    _stats["eager_ops"] += 1
    _privatize(dst)
    arr = dst._buf.node.value
    for op in dst._view:
        arr = _apply_view(arr, op)
    _overrides["copyto"][0](arr, _concretize(src, "copyto"), casting=casting,
                            where=_concretize(where, "copyto"))
    return _DONE


_DONE = object()   # "handled, returns None"

def _traced_eager(name):
    """An oxnp function that returns views of its arguments: run eagerly on the concrete
    arrays (not through __array__, which would copy a tracer's value into a new array)."""
    def f(*args, **kwargs):
        if not any(isinstance(a, Tracer) for a in list(args) + list(kwargs.values())):
            return None
        return _eager(_overrides[name][0], args, kwargs, f"function {name}")
    return f


_OVERRIDES = ("zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
              "full_like", "nan_to_num", "copyto", "broadcast_to", "broadcast_arrays", "outer",
              "clip")
_overrides = {}
_installed = [0]


def _install_overrides():
    """Puts the traced creation functions on the oxnp module (outermost trace only)."""
    _installed[0] += 1
    if _installed[0] > 1:
        return
    pkg = sys.modules[__name__.rpartition(".")[0]]
    if not _overrides:
        for name in _OVERRIDES:
            orig = getattr(pkg, name, None)
            if orig is not None:
                _overrides[name] = (orig, _overriding(name, orig))
    for name, (_, f) in _overrides.items():
        setattr(pkg, name, f)


def _remove_overrides():
    _installed[0] -= 1
    if _installed[0] == 0:
        pkg = sys.modules[__name__.rpartition(".")[0]]
        for name, (orig, _) in _overrides.items():
            setattr(pkg, name, orig)


# ---------------------------------------------------------------- the decorator

def _to_arg(x, tr):
    np = sys.modules.get("numpy")
    if isinstance(x, _oxnp.ndarray) or (np is not None and isinstance(x, np.ndarray)):
        for buf, arr in tr.args:
            if arr is x or tr.src[id(buf)] is x:
                return Tracer(buf)   # the same array twice: one buffer
        arr = x if isinstance(x, _oxnp.ndarray) else _oxnp.asarray(x)
        buf = _Buf(_leaf(arr, tr.new_slot()))
        if any(_oxnp.may_share_memory(arr, a) for _, a in tr.args):
            tr.overlap = True
        tr.args.append((buf, arr))
        tr.src[id(buf)] = x
        return Tracer(buf)
    return x


def _finish(r, tr):
    if isinstance(r, Tracer):
        v = _materialize(r, "result", count=False)
        if not r._view and any(r._buf is buf for buf, _ in tr.args):
            return tr.src[id(r._buf)]   # an argument (written back below), as eager
        if not isinstance(v, _oxnp.ndarray):
            return v
        if r._array0d and not r._view:
            return v
        base = r._buf.node.value
        # A copy of an argument that shares the argument's storage in the graph (SSA) must
        # not see the write-back.
        if any(base is arr and r._buf is not buf for buf, arr in tr.args):
            v = v.copy()
        return v[()] if v.ndim == 0 else v
    if isinstance(r, tuple):
        return tuple(_finish(v, tr) for v in r)
    if isinstance(r, list):
        return [_finish(v, tr) for v in r]
    if isinstance(r, dict):
        return {k: _finish(v, tr) for k, v in r.items()}
    return r


def _trace_call(fn, args, kwargs):
    """Runs `fn` under a new trace; returns (result, plan or None)."""
    tr = _Trace()
    _current.append(tr)
    _install_overrides()
    for orig, f in _overrides.values():
        if fn is orig:
            fn = f._direct
    try:
        targs = [_to_arg(a, tr) for a in args]
        tkw = {k: _to_arg(v, tr) for k, v in kwargs.items()}
        try:
            r = fn(*targs, **tkw)
        except _Abort:
            _current.pop()
            tr = None
            _stats["eager_calls"] += 1
            if _LOG:
                _log("write into an argument that overlaps another one: running eagerly")
            return fn(*args, **kwargs), None
        _flush()
        plan = None
        if tr.rec is not None:
            try:
                template = _template(r, tr)
            except _NoGuard:
                template = None
        out = _finish(r, tr)
        # In-place effects on argument arrays.
        copyback = []
        for i, (buf, arr) in enumerate(tr.args):
            if buf.node.value is not arr:
                if tr.rec is not None:
                    copyback.append((i, tr.slot_of(buf.node)))
                _oxnp.copyto(arr, buf.node.value)
        if tr.rec is not None and tr.checks and copyback or tr.rec is not None and tr.checks and any(
                st[0] == _SETITEM and st[4] and st[1] < len(tr.args) for st in tr.rec):
            # A replay with checked steps may stop half-way (a check fails, the call is
            # traced instead): only plans that write no argument may do that.
            template = None
        if tr.rec is not None and template is not None:
            nobj = sum(1 for a in list(args) + list(kwargs.values())
                       if isinstance(a, _array_types()))
            plan = None
            loop = _fold(tr.rec, tr.snaps, tr.init, template, len(tr.args), tr.nslots,
                         [arr.shape for _, arr in tr.args]) if (
                tr.checks > 2 and not copyback and _FOLD) else None
            if loop is not None:
                steps, ltpl, cap, counted, sig, nslots = loop
                plan = _Plan(nslots, tr.init, steps, copyback, ltpl, nobj != len(tr.args),
                             len(tr.args), (cap, counted, sig))
                if plan.native is None:
                    plan = None
                elif _LOG:
                    _log(f"folded loop: {len(tr.rec)} steps -> {len(steps)}, cap {cap}")
            if plan is None:
                plan = _Plan(tr.nslots, tr.init, tr.rec, copyback, template, nobj != len(tr.args),
                             len(tr.args))
        return out, plan
    finally:
        _remove_overrides()
        if tr is not None:
            _current.pop()


_MAX_PLANS = 64
_FOLD = os.environ.get("OXNP_JIT_FOLD", "1") != "0"
_malloc_tuned = False


def jit(fn=None, **options):
    """Compiles `fn`: array arguments are traced, elementwise chains are fused and compiled;
    results equal eager execution. A call that traced without a graph break is recorded as a
    plan, replayed (without running `fn`) by later calls with the same argument dtypes,
    shapes and static values. Usable as `@jit` or `jit(fn)`."""
    if fn is None:
        return lambda f: jit(f, **options)
    global _malloc_tuned
    if not _malloc_tuned and hasattr(_oxnp, "_jit_tune_malloc") and \
            os.environ.get("OXNP_JIT_MALLOC", "1") != "0":
        _malloc_tuned = True
        _oxnp._jit_tune_malloc()
    plans = {}

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key, objs = _guard_objs(args, kwargs) if not _current else (None, None)
        if key is not None:
            plan = plans.get(key)
            if plan is not None:
                if plan.dedupe:
                    objs = list({id(a): a for a in objs}.values())
                arrays = [a if type(a) is _oxnp.ndarray else _oxnp.asarray(a) for a in objs]
                if plan.native is not None:
                    # (the native replay checks the written arguments' overlap itself)
                    r = _replay(plan, arrays)
                    if r is not _NO_REPLAY:
                        return r
                elif not (plan.writes and _aliased(arrays, plan.writes)):
                    r = _replay(plan, arrays)
                    if r is not _NO_REPLAY:
                        return r
        out, plan = _trace_call(fn, args, kwargs)
        _stats["traces"] += 1
        if plan is not None and key is not None:
            if len(plans) >= _MAX_PLANS:
                plans.clear()
            old = plans.get(key)
            if old is not None and plan.counted and old.sig == plan.sig:
                # (the same counted loop traced again, for more iterations: both traces'
                # counts were seen, so the cap is the larger one)
                plan.cap = max(plan.cap, old.cap)
            plans[key] = plan
            if _LOG:
                _log(f"recorded replay plan: {len(plan.steps)} steps, {plan.nkernels} kernels")
        return out

    wrapper.__wrapped_jit__ = True
    wrapper._plans = plans
    return wrapper


jit.stats = stats
jit.reset_stats = reset_stats
jit.Tracer = Tracer
