"""ndarray subclasses and the ndarray constructor, against NumPy."""

import numpy
import pytest

import oxnp
from helpers import assert_same, outcome, to_ox


def _subclass(module):
    class Tagged(module.ndarray):
        def __array_finalize__(self, obj):
            self.tag = getattr(obj, "tag", "new")

    return Tagged


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_view_as_subclass_finalizes_from_the_source(module):
    tagged = _subclass(module)
    a = module.arange(6.0).reshape(2, 3)
    s = a.view(tagged)
    assert type(s) is tagged and s.tag == "new"
    assert module.shares_memory(s, a)
    s.tag = "kept"
    t = s.view(type=tagged)
    assert t.tag == "kept"
    s[0, 0] = 7.0
    assert a[0, 0] == 7.0
    assert isinstance(s, module.ndarray)


def test_view_with_dtype_and_type():
    ref = numpy.arange(4, dtype="<i4")
    got = to_ox(ref).view("u1", _subclass(oxnp))
    want = ref.view("u1", _subclass(numpy))
    assert type(got).__name__ == type(want).__name__
    assert_same(got.view(oxnp.ndarray).copy(), want.view(numpy.ndarray).copy())


@pytest.mark.parametrize("bad", [int, "f8x", object])
def test_view_type_must_be_an_ndarray_subtype(bad):
    _, e1 = outcome(lambda: oxnp.zeros(3).view(type=bad))
    _, e2 = outcome(lambda: numpy.zeros(3).view(type=bad))
    assert type(e1) is type(e2)


@pytest.mark.parametrize("kwargs", [
    {"shape": (2, 3)},
    {"shape": 4, "dtype": "i4"},
    {"shape": (2, 3), "order": "F"},
    {"shape": (0, 3)},
    {"shape": (2, 2), "strides": (8, 16)},
])
def test_constructor_without_buffer(kwargs):
    got, ref = oxnp.ndarray(**kwargs), numpy.ndarray(**kwargs)
    assert got.shape == ref.shape and got.strides == ref.strides and got.dtype.name == ref.dtype.name
    assert got.flags.writeable and got.base is None


@pytest.mark.parametrize("kwargs", [
    {"shape": (2,), "offset": 8},
    {"shape": (2, 2), "strides": (8, 16)},
    {"shape": (3,), "dtype": "i4", "offset": 4},
    {"shape": (2, 2), "order": "F"},
    {"shape": (3,), "offset": 8},
    {"shape": (5,)},
])
def test_constructor_over_a_buffer(kwargs):
    ref_buf = numpy.arange(4.0)
    got, e1 = outcome(lambda: oxnp.ndarray(buffer=to_ox(ref_buf), **kwargs))
    want, e2 = outcome(lambda: numpy.ndarray(buffer=ref_buf, **kwargs))
    assert type(e1) is type(e2), (e1, e2)
    if e2 is None:
        assert got.strides == want.strides
        assert_same(got.copy(), want.copy())


def test_constructor_refuses_negative_dimensions():
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        oxnp.ndarray((2, -1))


def test_constructor_over_bytes_is_read_only():
    raw = numpy.arange(3, dtype="<i2").tobytes()
    got = oxnp.ndarray((3,), dtype="<i2", buffer=raw)
    assert_same(got.copy(), numpy.ndarray((3,), dtype="<i2", buffer=raw).copy())
    assert not got.flags.writeable


def test_subclass_new_calls_ndarray_new():
    class Grid(oxnp.ndarray):
        def __new__(cls, shape, spacing=1.0):
            obj = super().__new__(cls, shape)
            obj.spacing = spacing
            return obj

    g = Grid((2, 3), spacing=0.5)
    assert type(g) is Grid and g.shape == (2, 3) and g.spacing == 0.5
    g[...] = 1.0
    assert float(g.sum()) == 6.0


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_array_wrap(module):
    tagged = _subclass(module)
    a = module.arange(3.0)
    s = a.view(tagged)
    assert type(s.__array_wrap__(module.arange(2.0))) is tagged
    assert type(a.__array_wrap__(module.arange(2.0))) is module.ndarray
    assert float(a.__array_wrap__(module.asarray(2.5), None, True)) == 2.5
    assert not isinstance(a.__array_wrap__(module.asarray(2.5), None, True), module.ndarray)
    assert isinstance(a.__array_wrap__(module.asarray(2.5)), module.ndarray)


def test_empty_linalg_on_a_subclass():
    tagged = _subclass(oxnp)
    a = oxnp.zeros((0, 2, 2)).view(tagged)
    assert oxnp.linalg.inv(a).shape == (0, 2, 2)
    assert oxnp.linalg.det(a).shape == (0,)


# --- results of operations on subclass instances -------------------------------------------

def _recording(module):
    """A subclass whose `__array_finalize__` records the source's tag (and 'new')."""
    class Tagged(module.ndarray):
        def __array_finalize__(self, obj):
            self.tag = getattr(obj, "tag", "new")

    return Tagged


def _tagged(module, values):
    s = module.asarray(values).view(_recording(module))
    s.tag = "src"
    return s


def _ref_values(x):
    """Values of an oxnp or NumPy result as a plain NumPy array (or a Python value)."""
    if isinstance(x, oxnp.ndarray):
        return numpy.asarray(x.view(oxnp.ndarray).tolist(), dtype=x.dtype.name) if x.ndim else x.view(oxnp.ndarray)[()]
    if isinstance(x, numpy.ndarray):
        return x.view(numpy.ndarray) if x.ndim else x.view(numpy.ndarray)[()]
    return x


def _same_result(got, want):
    assert type(got).__name__ == type(want).__name__, (type(got), type(want))
    assert getattr(got, "tag", None) == getattr(want, "tag", None)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            _same_result(g, w)
        return
    if isinstance(want, numpy.ndarray) and want.ndim:
        assert_same(to_ox(_ref_values(got)) if isinstance(got, oxnp.ndarray) else got, want.view(numpy.ndarray))
    else:
        assert numpy.asarray(_ref_values(got)).tolist() == numpy.asarray(_ref_values(want)).tolist()


MATRIX = numpy.arange(1.0, 7.0).reshape(2, 3)

OPERATIONS = {
    # views and copies made by methods
    "slice": lambda np, s: s[1:],
    "slice 2-d": lambda np, s: s[:, ::2],
    "int row": lambda np, s: s[0],
    "element": lambda np, s: s[0, 1],
    "ellipsis": lambda np, s: s[...],
    "newaxis": lambda np, s: s[None],
    "fancy": lambda np, s: s[[0, 1, 0]],
    "mask": lambda np, s: s[s > 2],
    "plain mask": lambda np, s: s[np.asarray(s) > 2],
    "reshape": lambda np, s: s.reshape(3, 2),
    "reshape copy": lambda np, s: s.T.reshape(6),
    "reshape F": lambda np, s: s.reshape((3, 2), order="F"),
    "transpose": lambda np, s: s.transpose(),
    "T": lambda np, s: s.T,
    "mT": lambda np, s: s.mT,
    "swapaxes": lambda np, s: s.swapaxes(0, 1),
    "ravel": lambda np, s: s.ravel(),
    "ravel copy": lambda np, s: s.T.ravel(),
    "flatten": lambda np, s: s.flatten(),
    "squeeze": lambda np, s: s[None].squeeze(),
    "diagonal": lambda np, s: s.diagonal(),
    "real": lambda np, s: (s + 1j).real,
    "imag": lambda np, s: (s + 1j).imag,
    "imag of real": lambda np, s: s.imag,
    "view": lambda np, s: s.view(),
    "view dtype": lambda np, s: s.view("i8"),
    "view ndarray": lambda np, s: s.view(np.ndarray),
    "copy": lambda np, s: s.copy(),
    "astype": lambda np, s: s.astype("i4"),
    "astype subok=False": lambda np, s: s.astype("i4", subok=False),
    "astype no copy": lambda np, s: s.astype("f8", copy=False),
    "iter row": lambda np, s: next(iter(s)),
    "flat slice": lambda np, s: s.flat[1:4],
    "flat copy": lambda np, s: s.flat.copy(),
    "repeat": lambda np, s: s.repeat(2),
    "take": lambda np, s: s.take([0, 2]),
    "take scalar": lambda np, s: s.take(1),
    "compress": lambda np, s: s.compress([True, False], axis=0),
    "clip": lambda np, s: s.clip(2, 4),
    "round": lambda np, s: s.round(),
    "cumsum": lambda np, s: s.cumsum(),
    "trace": lambda np, s: s.trace(),
    # ufuncs and reductions
    "add": lambda np, s: s + 1,
    "radd": lambda np, s: 1.5 + s,
    "add arrays": lambda np, s: s + np.ones(3),
    "compare": lambda np, s: s > 3,
    "negative": lambda np, s: -s,
    "sin": lambda np, s: np.sin(s),
    "divmod": lambda np, s: divmod(s, 4),
    "modf": lambda np, s: np.modf(s),
    "0-d add": lambda np, s: s[0].sum() + 1,
    "scalars": lambda np, s: s[0, 0] + s[0, 1],
    "sum": lambda np, s: s.sum(),
    "sum axis": lambda np, s: s.sum(axis=0),
    "sum keepdims": lambda np, s: s.sum(keepdims=True),
    "max": lambda np, s: s.max(axis=1),
    "any": lambda np, s: s.any(),
    "argmax": lambda np, s: s.argmax(),
    "argmax axis": lambda np, s: s.argmax(axis=0),
    "mean": lambda np, s: s.mean(),
    "std axis": lambda np, s: s.std(axis=0),
    "add.reduce": lambda np, s: np.add.reduce(s, axis=None),
    "add.accumulate": lambda np, s: np.add.accumulate(s),
    "add.outer": lambda np, s: np.add.outer(s[0], s[1]),
    "subok=False": lambda np, s: np.add(s, 1, subok=False),
    "out=": lambda np, s: np.add(s, 1, out=np.empty((2, 3))),
    # functions
    "np.sum": lambda np, s: np.sum(s),
    "np.mean": lambda np, s: np.mean(s, axis=1),
    "np.squeeze": lambda np, s: np.squeeze(s[None]),
    "np.transpose": lambda np, s: np.transpose(s),
    "np.reshape": lambda np, s: np.reshape(s, 6),
    "np.ravel": lambda np, s: np.ravel(s),
    "np.expand_dims": lambda np, s: np.expand_dims(s, 0),
    "np.moveaxis": lambda np, s: np.moveaxis(s, 0, 1),
    "np.atleast_3d": lambda np, s: np.atleast_3d(s),
    "np.take": lambda np, s: np.take(s, [1, 2]),
    "np.repeat": lambda np, s: np.repeat(s, 2, axis=0),
    "np.concatenate": lambda np, s: np.concatenate([s, s]),
    "np.broadcast_to": lambda np, s: np.broadcast_to(s, (2, 2, 3)),
    "np.broadcast_to subok": lambda np, s: np.broadcast_to(s, (2, 2, 3), subok=True),
    "np.zeros_like": lambda np, s: np.zeros_like(s),
    "np.empty_like subok=False": lambda np, s: np.empty_like(s, subok=False).shape,
    "np.full_like": lambda np, s: np.full_like(s, 7),
    "np.copy": lambda np, s: np.copy(s),
    "np.copy subok": lambda np, s: np.copy(s, subok=True),
    "np.array": lambda np, s: np.array(s),
    "np.array subok": lambda np, s: np.array(s, subok=True),
    "np.array subok dtype": lambda np, s: np.array(s, dtype="i4", subok=True),
    "np.asarray": lambda np, s: np.asarray(s),
    "scalar times": lambda np, s: np.float64(2.0) * s,
    "partial out": lambda np, s: np.frexp(s, np.empty((2, 3)))[1],
    "out=(None,)": lambda np, s: np.add(s, 2, out=(None,)),
    "fancy base": lambda np, s: type(s[[0, 1]].base).__name__,
    "np.nansum": lambda np, s: np.nansum(s),
    "np.nanmax axis": lambda np, s: np.nanmax(s, axis=0),
    "np.nanargmin": lambda np, s: np.nanargmin(s),
    "np.nanmean axis": lambda np, s: np.nanmean(s, axis=1),
    "np.median": lambda np, s: np.median(s),
    "sliding_window_view subok": lambda np, s: np.lib.stride_tricks.sliding_window_view(s, 2, axis=1, subok=True),
    "np.ascontiguousarray": lambda np, s: np.ascontiguousarray(s),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_results_keep_the_subclass_as_numpy_does(name):
    op = OPERATIONS[name]
    with numpy.errstate(all="ignore"):
        want = op(numpy, _tagged(numpy, MATRIX))
    got = op(oxnp, _tagged(oxnp, to_ox(MATRIX)))
    _same_result(got, want)


def test_plain_arrays_give_plain_results():
    a = to_ox(MATRIX)
    for name, op in OPERATIONS.items():
        r = op(oxnp, a)
        for x in r if isinstance(r, tuple) else (r,):
            assert not isinstance(x, oxnp.ndarray) or type(x) is oxnp.ndarray, name


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_asanyarray_returns_the_instance_and_asarray_a_plain_view(module):
    s = module.arange(3.0).view(_recording(module))
    assert module.asanyarray(s) is s
    plain = module.asarray(s)
    assert type(plain) is module.ndarray and module.shares_memory(plain, s)
    assert module.array(s, copy=None, subok=True) is s


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_finalize_sees_the_source(module):
    seen = []

    class Seen(module.ndarray):
        def __array_finalize__(self, obj):
            seen.append(obj)

    s = module.arange(6.0).view(Seen)
    seen.clear()
    s[1:]
    assert len(seen) == 1 and seen[0] is s
    seen.clear()
    s + 1
    assert len(seen) == 1 and seen[0] is s


def _priority_classes(module, low, high):
    class Low(module.ndarray):
        __array_priority__ = low

    class High(module.ndarray):
        __array_priority__ = high

    return Low, High


@pytest.mark.parametrize(("low", "high"), [(1.0, 2.0), (0.0, 0.0), (-5.0, 3.0), (2.0, 2.0)])
def test_array_priority_picks_the_wrapping_subclass(low, high):
    names = []
    for module in (oxnp, numpy):
        lo_cls, hi_cls = _priority_classes(module, low, high)
        a = module.arange(3.0)
        lo, hi = a.view(lo_cls), a.view(hi_cls)
        names.append([type(r).__name__ for r in (lo + hi, hi + lo, a + lo, lo + a, module.add(a, hi), module.maximum(hi, lo))])
    assert names[0] == names[1]


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_custom_array_wrap_gets_context_and_return_scalar(module):
    calls = []

    class Wrapping(module.ndarray):
        def __array_wrap__(self, arr, context=None, return_scalar=False):
            calls.append((context is None or context[0].__name__, context and context[2], return_scalar))
            return "wrapped" if return_scalar else super().__array_wrap__(arr, context, return_scalar)

    s = module.arange(3.0).view(Wrapping)
    assert type(module.multiply(s, 2)) is Wrapping
    assert module.add(s[:1].reshape(()), 1) == "wrapped"
    assert s.sum() == "wrapped"
    assert calls == [("multiply", 0, False), ("add", 0, True), (True, None, True)]


@pytest.mark.parametrize("module", [oxnp, numpy])
def test_old_style_array_wrap_warns(module):
    class Old(module.ndarray):
        def __array_wrap__(self, arr):
            return "old"

    s = module.arange(3.0).view(Old)
    with pytest.warns(Warning, match="__array_wrap__ must accept context"):
        assert module.add(s, 1) == "old"


LINALG = {
    "inv": lambda np, a, b: np.linalg.inv(a),
    "solve": lambda np, a, b: np.linalg.solve(a, b),
    "solve vector": lambda np, a, b: np.linalg.solve(a, b[:, 0]),
    "solve plain a": lambda np, a, b: np.linalg.solve(a.view(np.ndarray), b),
    "cholesky": lambda np, a, b: np.linalg.cholesky(a),
    "qr": lambda np, a, b: np.linalg.qr(a),
    "qr r": lambda np, a, b: np.linalg.qr(a, mode="r"),
    "eigh": lambda np, a, b: np.linalg.eigh(a),
    "eigvalsh": lambda np, a, b: np.linalg.eigvalsh(a),
    "svd": lambda np, a, b: np.linalg.svd(a),
    "pinv": lambda np, a, b: np.linalg.pinv(a),
    "lstsq": lambda np, a, b: np.linalg.lstsq(a, b)[:2],
    "det": lambda np, a, b: np.linalg.det(a),
    "pinv empty": lambda np, a, b: np.linalg.pinv(a[:0]),
}


@pytest.mark.parametrize("name", list(LINALG))
def test_linalg_wraps_with_the_input_class(name):
    spd = numpy.array([[4.0, 1.0], [1.0, 3.0]])
    rhs = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    want = LINALG[name](numpy, _tagged(numpy, spd), _tagged(numpy, rhs))
    got = LINALG[name](oxnp, _tagged(oxnp, to_ox(spd)), _tagged(oxnp, to_ox(rhs)))
    for g, w in zip(got if isinstance(want, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
        assert type(g).__name__ == type(w).__name__, name
        assert getattr(g, "tag", None) == getattr(w, "tag", None)
        numpy.testing.assert_allclose(numpy.asarray(_ref_values(g)), numpy.asarray(_ref_values(w)), atol=1e-12)
