"""The fake ``numpy`` package that NumPy's test files import after extraction.

``prepare.py`` rewrites every ``import numpy...`` / ``from numpy... import`` statement of an
extracted test file to use the package ``_oxnp_conf_numpy`` instead. This module makes that
package exist: every module path ``_oxnp_conf_numpy.<p>`` is a proxy module (``Overlay``) over
the *real* module ``numpy.<p>``. Attribute lookups on a proxy are resolved like this:

1. Dunder names and anything under ``numpy.testing`` come from real NumPy.
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
REAL_PREFIXES = ("numpy.testing",)

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


def resolve(real_module, name):
    real_path = real_module.__name__
    try:
        value = getattr(real_module, name)
    except AttributeError:
        raise AttributeError(f"module {real_path!r} has no attribute {name!r}") from None
    if name.startswith("__") and name.endswith("__"):
        return value
    if real_path.startswith(REAL_PREFIXES):
        return value
    if isinstance(value, types.ModuleType):
        mname = getattr(value, "__name__", "")
        if mname == "numpy" or (mname.startswith("numpy.") and not mname.startswith(REAL_PREFIXES)):
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
