"""The fake ``numpy`` package that NumPy's test files import after extraction.

``prepare.py`` rewrites every ``import numpy...`` / ``from numpy... import`` statement of an
extracted test file to use the package ``_oxnp_conf_numpy`` instead. This module makes that
package exist: every module path ``_oxnp_conf_numpy.<p>`` is a proxy module (``Overlay``) over
the *real* module ``numpy.<p>``. Attribute lookups on a proxy are resolved like this:

1. Dunder names and anything under ``numpy.testing`` (and ``numpy.ma.testutils``, whose
   ``assert_equal`` some I/O tests use) come from real NumPy; the comparing
   assertions (``assert_equal`` & co.) receive the subject's arrays and scalars as NumPy
   arrays and scalars of the same dtype, shape and values, since NumPy's own assertions
   recognise only NumPy's types (``isinstance(x, numpy.ndarray)``).
2. If the real attribute is a submodule of numpy, the answer is the proxy of that submodule
   (so ``np.linalg``, ``np._core.umath``, ``np.lib.stride_tricks`` are proxies too).
3. If the real attribute is one of NumPy's *public API objects* -- the very same object is
   reachable under a public name: ``numpy.X``, ``numpy.linalg.X``, ``numpy.fft.X``,
   ``numpy.random.X``, ``numpy.lib.stride_tricks.X``, ... (see ``PUBLIC_NAMESPACES``) -- the
   answer is the subject module's object under that public name, e.g.
   ``numpy._core.multiarray.dot`` -> ``oxnp.dot``, ``numpy._core.umath.sqrt`` -> ``oxnp.sqrt``,
   ``numpy.random.mtrand.RandomState`` -> ``oxnp.random.RandomState``. If the subject lacks it,
   the answer is a ``Missing`` placeholder that raises
   ``AttributeError: module 'oxnp' has no attribute 'X'`` as soon as it is used (called,
   indexed, attribute-accessed, ...), so that only the tests that use it fail. There is no
   fallback to NumPy for public names.
4. Anything else (private helpers such as ``numpy._core.numeric.normalize_axis_tuple``,
   the C test modules ``numpy._core._umath_tests``, ``numpy.testing``) is real NumPy.

Exception: ``numpy.exceptions`` maps to ``<subject>.exceptions`` when the subject has that
attribute, else to real ``numpy.exceptions`` (so tests can still catch AxisError & co. if
the subject raises NumPy's own exception classes).

The subject is ``$OXNP_CONFORMANCE_MODULE`` (default ``oxnp``); the special value ``null``
selects a module on which every attribute access fails (all public names are ``Missing``).
"""

import ast
import functools
import importlib
import inspect
import importlib.abc
import importlib.machinery
import os
import sys
import types

import numpy as _real_numpy

FAKE = "_oxnp_conf_numpy"

# (real module path, attribute chain on the subject), in priority order.
PUBLIC_NAMESPACES = [
    ("numpy", ()),
    ("numpy.linalg", ("linalg",)),
    ("numpy.fft", ("fft",)),
    ("numpy.random", ("random",)),
    ("numpy.dtypes", ("dtypes",)),
    ("numpy.exceptions", ("exceptions",)),
    ("numpy.lib.scimath", ("emath",)),
    ("numpy.lib.stride_tricks", ("lib", "stride_tricks")),
    ("numpy.lib.array_utils", ("lib", "array_utils")),
    ("numpy.lib.format", ("lib", "format")),
    ("numpy.lib.npyio", ("lib", "npyio")),
    ("numpy.lib.introspect", ("lib", "introspect")),
    ("numpy.lib.mixins", ("lib", "mixins")),
    ("numpy.lib.recfunctions", ("lib", "recfunctions")),
    ("numpy.ma", ("ma",)),
    ("numpy.char", ("char",)),
    ("numpy.strings", ("strings",)),
    ("numpy.rec", ("rec",)),
    ("numpy.ctypeslib", ("ctypeslib",)),
    ("numpy.polynomial", ("polynomial",)),
    ("numpy.polynomial.polynomial", ("polynomial", "polynomial")),
    ("numpy.polynomial.chebyshev", ("polynomial", "chebyshev")),
    ("numpy.polynomial.legendre", ("polynomial", "legendre")),
    ("numpy.polynomial.hermite", ("polynomial", "hermite")),
    ("numpy.polynomial.hermite_e", ("polynomial", "hermite_e")),
    ("numpy.polynomial.laguerre", ("polynomial", "laguerre")),
    ("numpy.polynomial.polyutils", ("polynomial", "polyutils")),
]

# Always real NumPy: the assertions, and test-only helpers.
REAL_PREFIXES = ("numpy.testing", "numpy.ma.testutils")

SUBJECT_NAME = os.environ.get("OXNP_CONFORMANCE_MODULE", "oxnp") or "oxnp"


class _NullModule(types.ModuleType):
    """A module on which every attribute access fails."""

    def __getattr__(self, name):
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")


SUBJECT_IMPORT_ERROR = None


def _load_subject():
    global SUBJECT_IMPORT_ERROR
    if SUBJECT_NAME == "null":
        return _NullModule("null")
    try:
        return importlib.import_module(SUBJECT_NAME)
    except Exception as exc:  # the subject is broken: every public name is Missing
        SUBJECT_IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
        return _NullModule(SUBJECT_NAME)


SUBJECT = _load_subject()


# True while pytest collects (imports test modules, evaluates decorators and class bodies);
# the plugin sets it to False when collection is finished.
COLLECTING = [True]


class Missing:
    """Stands for a public name the subject does not have; any use raises AttributeError.

    While tests are being collected, calling, indexing or attribute access on a Missing
    gives the same Missing back instead of raising, so that module-level code such as
    ``np.typecodes['AllInteger']`` in a parametrize list does not abort collection of the
    whole file; the tests that use the value then fail when they run.
    """

    __slots__ = ("_oxconf_owner", "_oxconf_name")

    def __init__(self, owner, name):
        object.__setattr__(self, "_oxconf_owner", owner)
        object.__setattr__(self, "_oxconf_name", name)

    def _oxconf_error(self):
        owner = object.__getattribute__(self, "_oxconf_owner")
        name = object.__getattribute__(self, "_oxconf_name")
        msg = f"module {owner!r} has no attribute {name!r}"
        if SUBJECT_IMPORT_ERROR:
            msg += f" (subject failed to import: {SUBJECT_IMPORT_ERROR})"
        return AttributeError(msg)

    def _oxconf_raise(self, *args, **kwargs):
        raise self._oxconf_error()

    def _oxconf_lenient(self, *args, **kwargs):
        if COLLECTING[0]:
            return self
        raise self._oxconf_error()

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            if COLLECTING[0]:
                if name in ("__name__", "__qualname__"):
                    return object.__getattribute__(self, "_oxconf_name")
                if name == "__module__":
                    return object.__getattribute__(self, "_oxconf_owner")
                if name in ("__subclasses__", "__mro__"):
                    return self
            raise AttributeError(name)  # keep hasattr()/introspection quiet
        return self._oxconf_lenient()

    def __repr__(self):
        return (f"<missing {object.__getattribute__(self, '_oxconf_owner')}."
                f"{object.__getattribute__(self, '_oxconf_name')}>")

    def __mro_entries__(self, bases):
        # ``class Sub(np.ndarray)`` at module level must not abort collection of the file.
        return (object,)

    def _oxconf_collect_value(value):
        def method(self, *args, **kwargs):
            if COLLECTING[0]:
                return value
            raise self._oxconf_error()
        return method

    def __iter__(self):
        # during collection a Missing iterates as one Missing (e.g. a parametrize list)
        if COLLECTING[0]:
            return iter((self,))
        raise self._oxconf_error()

    def __call__(self, *args, **kwargs):
        if not COLLECTING[0]:
            raise self._oxconf_error()
        if len(args) == 1 and not kwargs and inspect.isfunction(args[0]):
            # used as a decorator (``@np.errstate(all="ignore")``, ``@np.vectorize``) at
            # collection: keep the test function, make it fail with the missing name
            missing = self

            @functools.wraps(args[0])
            def fails(*a, **k):
                raise missing._oxconf_error()
            return fails
        return self

    def __setattr__(self, name, value):
        if not COLLECTING[0]:
            raise self._oxconf_error()

    def __array__(self, *args, **kwargs):
        if COLLECTING[0]:  # e.g. assert_array_equal(np.foo(...), ...) in a class body
            return _real_numpy.asarray(0)
        raise self._oxconf_error()

    __getitem__ = _oxconf_lenient
    __neg__ = __pos__ = __abs__ = __invert__ = _oxconf_lenient
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _oxconf_lenient
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __or__ = __ror__ = _oxconf_lenient
    __and__ = __rand__ = __matmul__ = __rmatmul__ = __floordiv__ = __mod__ = _oxconf_lenient
    __setitem__ = _oxconf_raise
    __len__ = _oxconf_collect_value(1)
    __contains__ = _oxconf_collect_value(False)
    __instancecheck__ = _oxconf_collect_value(False)
    __subclasscheck__ = _oxconf_collect_value(False)
    __float__ = _oxconf_collect_value(1.0)
    __int__ = _oxconf_collect_value(1)
    __index__ = _oxconf_collect_value(1)
    __lt__ = __le__ = __gt__ = __ge__ = _oxconf_collect_value(False)
    del _oxconf_collect_value


class Failed(Missing):
    """What a subject call that raised during collection returns (see ``Guard``).

    Lenient like ``Missing`` while collecting; once tests run, any use raises the exception
    the call raised, so only the tests that use the value fail, with the subject's own error.
    """

    __slots__ = ("_oxconf_exc",)

    def __init__(self, exc, what):
        super().__init__(SUBJECT_NAME, what)
        exc.add_note(f"(raised by {SUBJECT_NAME} while collecting the test module: {what})")
        object.__setattr__(self, "_oxconf_exc", exc)

    def _oxconf_error(self):
        exc = object.__getattribute__(self, "_oxconf_exc")
        exc.__traceback__ = None  # each test gets a fresh traceback
        return exc

    def __repr__(self):
        exc = object.__getattribute__(self, "_oxconf_exc")
        return f"<failed {object.__getattribute__(self, '_oxconf_name')}: {type(exc).__name__}>"


class Guard:
    """A subject callable handed out by a proxy while pytest collects the test modules.

    Calling it calls the subject; an exception becomes a ``Failed`` placeholder instead of
    aborting the import of the whole test file. Results of successful calls are the
    subject's own objects. Guards must not outlive collection: ``unwrap_collected`` swaps
    them for their targets wherever collection stored them (module and class namespaces,
    function defaults, parametrize values); left-over ones just delegate.
    """

    __slots__ = ("_oxconf_target", "_oxconf_what")

    def __init__(self, target, what):
        object.__setattr__(self, "_oxconf_target", target)
        object.__setattr__(self, "_oxconf_what", what)

    def __call__(self, *args, **kwargs):
        target = object.__getattribute__(self, "_oxconf_target")
        if not COLLECTING[0]:
            return target(*args, **kwargs)
        seen = set()  # arguments may hold Guards (``np.array(x, dtype=np.uint32)``)
        args = _unwrap_deep(args, seen)
        kwargs = {k: _unwrap_deep(v, seen) for k, v in kwargs.items()}
        try:
            return target(*args, **kwargs)
        except Exception as exc:
            return Failed(exc, object.__getattribute__(self, "_oxconf_what") + "(...)")

    def __getattr__(self, name):
        value = getattr(object.__getattribute__(self, "_oxconf_target"), name)
        return guard(value, f"{object.__getattribute__(self, '_oxconf_what')}.{name}")

    def __setattr__(self, name, value):
        setattr(object.__getattribute__(self, "_oxconf_target"), name, value)

    def __repr__(self):
        return repr(object.__getattribute__(self, "_oxconf_target"))

    def __eq__(self, other):
        return unwrap(self) == unwrap(other)

    def __hash__(self):
        return hash(object.__getattribute__(self, "_oxconf_target"))

    @property
    def __class__(self):  # ``isinstance(np.add, np.ufunc)`` holds for the guarded ufunc
        return type(object.__getattribute__(self, "_oxconf_target"))

    def __instancecheck__(self, obj):
        return isinstance(obj, object.__getattribute__(self, "_oxconf_target"))

    def __subclasscheck__(self, cls):
        return issubclass(unwrap(cls), object.__getattribute__(self, "_oxconf_target"))

    def __mro_entries__(self, bases):
        return (object.__getattribute__(self, "_oxconf_target"),)

    def __getitem__(self, key):
        return object.__getattribute__(self, "_oxconf_target")[key]

    def __or__(self, other):  # typing unions: ``np.float64 | np.int8``
        return unwrap(self) | unwrap(other)

    def __ror__(self, other):
        return unwrap(other) | unwrap(self)


def guard(value, what):
    """``value`` behind a Guard while collecting, if it is a callable of the subject.

    Classes other than ``dtype`` stay unguarded: scalar types are mostly passed around as
    values (``dtype=np.uint32``), and a Guard handed to a call that is not guarded (a method
    of an array) would make that call fail where it should not.
    """
    if (not COLLECTING[0] or not callable(value) or isinstance(value, (Missing, Guard))
            or isinstance(value, types.ModuleType)):
        return value
    if isinstance(value, type) and value is not getattr(SUBJECT, "dtype", None):
        return value
    return Guard(value, what)


def unwrap(obj):
    return object.__getattribute__(obj, "_oxconf_target") if type(obj) is Guard else obj


def _unwrap_deep(obj, seen):
    """``obj`` with the Guards inside plain containers replaced (lists/dicts in place)."""
    if type(obj) is Guard:
        return unwrap(obj)
    if id(obj) in seen:
        return obj
    if type(obj) is list:
        seen.add(id(obj))
        obj[:] = [_unwrap_deep(v, seen) for v in obj]
    elif type(obj) is dict:
        seen.add(id(obj))
        for k, v in list(obj.items()):
            nk = _unwrap_deep(k, seen)
            nv = _unwrap_deep(v, seen)
            if nk is not k:
                del obj[k]
            obj[nk] = nv
    elif type(obj) in (tuple, set, frozenset):
        seen.add(id(obj))
        old = list(obj)
        new = [_unwrap_deep(v, seen) for v in old]
        if any(a is not b for a, b in zip(new, old)):
            return type(obj)(new)
    return obj


def _unwrap_namespace(ns, setter, modname, seen):
    for name, value in list(ns.items()):
        if name.startswith("__") and name.endswith("__"):
            continue
        if isinstance(value, (staticmethod, classmethod, property)):
            value = getattr(value, "__func__", None) or value.fget
        if isinstance(value, types.FunctionType):
            _unwrap_function(value, seen)
            continue
        if isinstance(value, type):
            if id(value) not in seen and getattr(value, "__module__", None) == modname:
                seen.add(id(value))
                _unwrap_namespace(dict(vars(value)), lambda k, v, c=value: setattr(c, k, v),
                                  modname, seen)
            continue
        new = _unwrap_deep(value, seen)
        if new is not value:
            setter(name, new)


def _unwrap_function(func, seen):
    if id(func) in seen:
        return
    seen.add(id(func))
    if func.__defaults__:
        func.__defaults__ = _unwrap_deep(func.__defaults__, seen)
    if func.__kwdefaults__:
        _unwrap_deep(func.__kwdefaults__, seen)
    for cell in func.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:  # empty cell
            continue
        new = _unwrap_deep(value, seen)
        if new is not value:
            cell.cell_contents = new
    inner = getattr(func, "__wrapped__", None)
    if isinstance(inner, types.FunctionType):
        _unwrap_function(inner, seen)


def unwrap_collected(modules, items):
    """Swap the Guards handed out during collection for their targets (see ``Guard``)."""
    seen = set()
    for mod in modules:
        ns = vars(mod)
        _unwrap_namespace(ns, ns.__setitem__, mod.__name__, seen)
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            for k, v in list(callspec.params.items()):
                new = _unwrap_deep(v, seen)
                if new is not v:
                    callspec.params[k] = new


def _build_index():
    """id(obj) -> (obj, [(subject chain, public name), ...]) for NumPy's public objects."""
    index = {}
    for path, chain in PUBLIC_NAMESPACES:
        try:
            mod = importlib.import_module(path)
        except Exception:
            continue
        names = getattr(mod, "__all__", None) or dir(mod)
        for name in list(names) + [n for n in dir(mod) if n not in names]:
            if name.startswith("_"):
                continue
            try:
                obj = getattr(mod, name)
            except Exception:
                continue
            if isinstance(obj, types.ModuleType):
                continue
            entry = index.setdefault(id(obj), (obj, []))
            entry[1].append((chain, name))
    return index


INDEX = _build_index()
# Real numpy module name -> subject attribute chain, for the namespace modules themselves.
NAMESPACE_CHAINS = dict(PUBLIC_NAMESPACES)

_subject_cache = {}


def subject_namespace(chain):
    """The subject's namespace object for an attribute chain, or a Missing."""
    if chain in _subject_cache:
        return _subject_cache[chain]
    obj = SUBJECT
    owner = SUBJECT.__name__ if hasattr(SUBJECT, "__name__") else SUBJECT_NAME
    for i, part in enumerate(chain):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(SUBJECT_NAME + "." + ".".join(chain[: i + 1]))
            except Exception:
                obj = None
        if obj is None or isinstance(obj, Missing):
            if chain == ("exceptions",):
                obj = importlib.import_module("numpy.exceptions")
            else:
                obj = Missing(owner, part)
            break
        owner = owner + "." + part
    _subject_cache[chain] = obj
    return obj


def subject_attr(chain, name):
    ns = subject_namespace(chain)
    if isinstance(ns, Missing):
        return ns
    try:
        return getattr(ns, name)
    except AttributeError:
        owner = SUBJECT_NAME + "".join("." + p for p in chain)
        return Missing(owner, name)


def map_public(obj, name):
    """The subject's counterpart of a real NumPy object, or _NOT_PUBLIC."""
    entry = INDEX.get(id(obj))
    if entry is None or entry[0] is not obj:
        return _NOT_PUBLIC
    cands = entry[1]
    same_name = [c for c in cands if c[1] == name]
    if not (callable(obj) or isinstance(obj, type)):
        # Plain values (pi, newaxis=None, True_, sctypeDict...) only map by their own name.
        cands = same_name
    elif same_name:
        cands = same_name
    if not cands:
        return _NOT_PUBLIC
    chain, pub = cands[0]
    return subject_attr(chain, pub)


_NOT_PUBLIC = object()
_proxies = {}


def _fake_name(real_path):
    return FAKE + real_path[len("numpy"):]


_MODULE_DICT = types.ModuleType.__dict__["__dict__"]


def _is_numpy_module(obj):
    return isinstance(obj, types.ModuleType) and (
        getattr(obj, "__name__", "") in ("numpy", FAKE)
        or getattr(obj, "__name__", "").startswith(("numpy.", FAKE + ".")))


class Overlay(types.ModuleType):
    """Proxy module over real ``numpy.<path>``; see the module docstring for the rules."""

    def __init__(self, real_module):
        super().__init__(_fake_name(real_module.__name__), getattr(real_module, "__doc__", None))
        object.__setattr__(self, "_oxconf_real", real_module)
        if hasattr(real_module, "__path__"):
            self.__path__ = []

    def __getattr__(self, name):
        real = object.__getattribute__(self, "_oxconf_real")
        value = resolve(real, name)
        if COLLECTING[0] and _is_subject_value(real, name, value):
            # not cached, so that the tests themselves get the unguarded object
            return guard(value, f"{SUBJECT_NAME}.{name}")
        if not (name.startswith("__") and name.endswith("__")):
            _MODULE_DICT.__get__(self)[name] = value  # cache: later lookups skip __getattr__
        return value

    @property
    def __dict__(self):
        """The mapped namespace (``vars(np._core.umath)`` lists the subject's ufuncs)."""
        own = _MODULE_DICT.__get__(self)
        if not own.get("_oxconf_complete"):
            real = own["_oxconf_real"]
            for name in list(vars(real)):
                if name not in own and not (name.startswith("__") and name.endswith("__")):
                    try:
                        own[name] = resolve(real, name)
                    except Exception:
                        pass
            own["_oxconf_complete"] = True
        return {k: v for k, v in own.items() if not k.startswith("_oxconf")}

    def __dir__(self):
        return dir(object.__getattribute__(self, "_oxconf_real"))

    def __setattr__(self, name, value):
        # A test that patches a NumPy internal through the proxy (``_internal.ctypes = None``,
        # monkeypatch.setattr) must patch the real module; public names and import-system
        # bookkeeping (dunders, submodules) stay on the proxy.
        own = _MODULE_DICT.__get__(self)
        real = own.get("_oxconf_real")
        if real is not None and not (name.startswith("__") and name.endswith("__")) \
                and not _is_numpy_module(value) and hasattr(real, name):
            current = getattr(real, name)
            if not _is_numpy_module(current) and (
                    real.__name__.startswith(REAL_PREFIXES)
                    or map_public(current, name) is _NOT_PUBLIC):
                setattr(real, name, value)
                own.pop(name, None)
                return
        super().__setattr__(name, value)


def _is_subject_value(real_module, name, value):
    """Whether ``resolve(real_module, name)`` gave the subject's object for a public name."""
    if (name.startswith("__") and name.endswith("__")) or isinstance(value, types.ModuleType) \
            or real_module.__name__.startswith(REAL_PREFIXES):
        return False
    return map_public(getattr(real_module, name), name) is not _NOT_PUBLIC


# NumPy's assertions that compare values: they see the subject's arrays as NumPy arrays.
COMPARING_ASSERTIONS = frozenset({
    "assert_equal", "assert_almost_equal", "assert_approx_equal", "assert_array_equal",
    "assert_array_almost_equal", "assert_allclose", "assert_array_less",
    "assert_array_almost_equal_nulp", "assert_array_max_ulp", "assert_array_compare",
})
_comparing_wrappers = {}


def _as_numpy(value):
    """A subject array or scalar as the NumPy array or scalar with its dtype, shape and
    bytes; containers converted item by item; anything else unchanged."""
    import numpy
    if SUBJECT_NAME == "numpy":
        return value
    ndarray = getattr(SUBJECT, "ndarray", None)
    generic = getattr(SUBJECT, "generic", None)
    if ndarray is not None and isinstance(value, ndarray):
        return numpy.asarray(value)
    if generic is not None and isinstance(value, generic):
        return numpy.asarray(value)[()]
    if type(value) in (list, tuple):
        return type(value)(_as_numpy(v) for v in value)
    if type(value) is dict:
        return {k: _as_numpy(v) for k, v in value.items()}
    return value


def _comparing(assertion):
    wrapper = _comparing_wrappers.get(assertion)
    if wrapper is None:
        @functools.wraps(assertion)
        def wrapper(*args, **kwargs):
            __tracebackhide__ = True
            return assertion(*(_as_numpy(a) for a in args), **{k: _as_numpy(v) for k, v in kwargs.items()})
        _comparing_wrappers[assertion] = wrapper
    return wrapper


def resolve(real_module, name):
    real_path = real_module.__name__
    try:
        value = getattr(real_module, name)
    except AttributeError:
        raise AttributeError(f"module {real_path!r} has no attribute {name!r}") from None
    if name.startswith("__") and name.endswith("__"):
        return value
    if real_path.startswith(REAL_PREFIXES):
        return _comparing(value) if name in COMPARING_ASSERTIONS and callable(value) else value
    if isinstance(value, types.ModuleType):
        mname = getattr(value, "__name__", "")
        if mname == "numpy" or mname.startswith("numpy."):
            return get_proxy(value)
        return value
    mapped = map_public(value, name)
    if mapped is _NOT_PUBLIC:
        return value
    return mapped


def get_proxy(real_module):
    path = real_module.__name__
    proxy = _proxies.get(path)
    if proxy is None:
        proxy = Overlay(real_module)
        _proxies[path] = proxy
        sys.modules.setdefault(_fake_name(path), proxy)
    return proxy


class _Loader(importlib.abc.Loader):
    def __init__(self, real_module):
        self.real_module = real_module

    def create_module(self, spec):
        return get_proxy(self.real_module)

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != FAKE and not fullname.startswith(FAKE + "."):
            return None
        real_path = "numpy" + fullname[len(FAKE):]
        real_module = importlib.import_module(real_path)  # ImportError propagates as is
        return importlib.machinery.ModuleSpec(
            fullname, _Loader(real_module), is_package=hasattr(real_module, "__path__"))


def install():
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return get_proxy(_real_numpy)


def _assigned_names(stmt):
    """Global names a top-level statement binds."""
    names = set()
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(stmt.name)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        names.update((a.asname or a.name).split(".")[0] for a in stmt.names if a.name != "*")
    else:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)
    return names


def exec_tolerant(module, tree, filename):
    """Run a module's top-level statements one by one; return the failures.

    The fallback when importing a test module raised outside any subject call (e.g. test
    code acting on a subject result at module level). A failing statement is skipped; the
    names it binds, and the module-level variables it uses, become ``Failed`` placeholders
    carrying its exception, so every test that depends on it fails with that exception.
    """
    ns = module.__dict__
    variables = set()  # names bound by plain assignments so far
    failures = []
    for stmt in tree.body:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), filename, "exec")
        try:
            exec(code, ns)
        except Exception as exc:
            used = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)} & variables
            poisoned = sorted(_assigned_names(stmt) | used)
            for name in poisoned:
                if name.startswith(("test", "Test")):
                    ns.pop(name, None)  # left out of the collection: its tests count as absent
                else:
                    ns[name] = Failed(exc, f"{name} (module line {stmt.lineno})")
            failures.append((stmt.lineno, exc, poisoned))
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            variables |= _assigned_names(stmt)
    return failures
