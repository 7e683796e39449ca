"""Moving arrays between NumPy and oxnp for differential tests, and comparing them."""

import warnings

import numpy

import oxnp
from oxnp import _oxnp


def to_ox(a):
    """An oxnp array with the same dtype, shape and values as the NumPy array `a`."""
    a = numpy.asarray(a)
    return _oxnp._from_bytes(numpy.ascontiguousarray(a).tobytes(), a.shape, a.dtype.name)


def to_np(x):
    """A NumPy copy of the oxnp array `x` (values, dtype, shape)."""
    return numpy.frombuffer(x.tobytes(), dtype=x.dtype.name).reshape(x.shape)


def assert_same(ours, ref):
    """Same dtype, shape and bits (NaNs with equal payloads compare equal)."""
    if isinstance(ours, oxnp.ndarray):
        assert isinstance(ref, numpy.ndarray), f"oxnp gave an array, NumPy gave {type(ref)}"
        got = to_np(ours)
    else:
        got = numpy.asarray(ours)
        ref = numpy.asarray(ref)
    assert got.dtype == ref.dtype, f"dtype {got.dtype} != {ref.dtype}"
    assert got.shape == ref.shape, f"shape {got.shape} != {ref.shape}"
    assert got.tobytes() == numpy.ascontiguousarray(ref).tobytes(), f"values differ:\n{got}\n{ref}"


# Set by conftest.py under `pytest --jit`: the differential suites then run each tested
# oxnp expression through oxnp.jit (`ox_call`).
JIT = False


def ox_call(fn, *args, **kwargs):
    """fn(*args, **kwargs); under --jit, oxnp.jit(fn)(*args, **kwargs). The arrays must be
    arguments, not closed over: the jit traces its arguments and treats arrays a function
    reads from outside as constants (nothing of them would be traced)."""
    if JIT:
        return oxnp.jit(fn)(*args, **kwargs)
    return fn(*args, **kwargs)


def sample(shape, dtype="float64"):
    """NumPy array with distinct, exactly representable values."""
    n = int(numpy.prod(shape))
    return (numpy.arange(n) % 97 + 1).reshape(shape).astype(dtype)


def outcome(f):
    """(result, None) or (None, exception) of `f()`, warnings silenced: the differential
    tests compare NumPy's and oxnp's outcomes, errors included."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return f(), None
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return None, e
