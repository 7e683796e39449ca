"""Differential tests of oxnp.linalg.norm / vector_norm / matrix_norm against NumPy."""

import warnings

import numpy
import pytest

import oxnp
from helpers import assert_same, to_ox, to_np

inf = float("inf")
DTYPES = ["bool", "int8", "uint8", "int32", "uint64", "float16", "float32", "float64",
          "complex64", "complex128"]
VECTOR_ORDS = [None, 2, 1, 0, inf, -inf, 3, -1, -2, 0.5, 2.5, "fro", "nuc"]
MATRIX_ORDS = [None, "fro", "f", 1, -1, inf, -inf, 3, 0, "bad"]
SVD_ORDS = [2, -2, "nuc"]


def sample(shape, dtype, seed=0):
    """Values with zeros, negatives and (for complex) imaginary parts, in `dtype`."""
    rng = numpy.random.default_rng(seed)
    n = int(numpy.prod(shape))
    if dtype == "bool":
        return (rng.integers(0, 2, n) == 1).reshape(shape)
    if dtype.startswith(("int", "uint")):
        lo = 0 if dtype.startswith("u") else -9
        return rng.integers(lo, 10, n).astype(dtype).reshape(shape)
    a = rng.standard_normal(n) * 3
    a[::4] = 0
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(n)
    return a.astype(dtype).reshape(shape)


def run(fn, x, *args, **kw):
    """(result, None) or (None, exception) of fn(x, ...), warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(x, *args, **kw), None
        except Exception as e:  # noqa: BLE001
            return None, e


def check(name, a, ox=None, *args, **kw):
    """numpy.linalg.<name>(a) and oxnp.linalg.<name>(ox) agree bit for bit (or raise alike).
    A general p-norm agrees within 4 ulps only: NumPy 2.4 takes `power` from SVML on AVX-512
    machines, which oxnp's libm-based power does not reproduce (test_p_norm_formula checks
    the rest of the p-norm bitwise)."""
    ox = to_ox(a) if ox is None else ox
    ord = kw.get("ord")
    exact = not (isinstance(ord, (int, float)) and ord not in (0, 1, 2, -1, 0.5, inf, -inf))
    ref, ref_exc = run(getattr(numpy.linalg, name), a, *args, **kw)
    ours, ours_exc = run(getattr(oxnp.linalg, name), ox, *args, **kw)
    if ref_exc is not None:
        assert ours_exc is not None, f"NumPy raised {ref_exc!r}, oxnp returned {ours!r}"
        assert type(ours_exc).__name__ == type(ref_exc).__name__, (ours_exc, ref_exc)
        assert str(ours_exc) == str(ref_exc)
        return None, None
    assert ours_exc is None, f"oxnp raised {ours_exc!r}, NumPy returned {ref!r}"
    assert isinstance(ours, oxnp.ndarray) == isinstance(ref, numpy.ndarray), (ours, ref)
    if exact:
        assert_same(ours, ref)
    else:
        assert_close(ours, ref, 4)
    return ours, ref


def assert_close(ours, ref, ulps):
    """Same dtype and shape, values within `ulps` units of NumPy's (see _sum_of_squares)."""
    got = to_np(ours) if isinstance(ours, oxnp.ndarray) else numpy.asarray(ours)
    ref = numpy.asarray(ref)
    assert got.dtype == ref.dtype and got.shape == ref.shape
    numpy.testing.assert_array_max_ulp(got, ref, maxulp=ulps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 4), (0,), (3, 0)])
@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_axis(dtype, shape, ord):
    a = sample(shape, dtype)
    for axis in range(-len(shape), len(shape)):
        for keepdims in (False, True):
            check("norm", a, None, ord=ord, axis=axis, keepdims=keepdims)
            check("norm", a, None, ord=ord, axis=(axis,), keepdims=keepdims)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ord", [3, 2.5, -2, -3.5])
def test_p_norm_formula(dtype, ord):
    """A general p-norm is NumPy's (sum |x|**p) ** (1/p) bit for bit, given the same power:
    the reference runs NumPy's steps with oxnp.power standing in for numpy.power."""
    a = sample((3, 5), dtype)
    x = a.astype(float) if a.dtype.kind in "biu" else a
    for axis in (0, 1, -1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            absx = to_np(oxnp.power(to_ox(numpy.abs(x)), ord))
            ret = numpy.add.reduce(absx, axis=axis)
            ref = to_np(oxnp.power(to_ox(ret), to_ox(numpy.reciprocal(ord, dtype=ret.dtype))))
            ours = oxnp.linalg.norm(to_ox(a), ord=ord, axis=axis)
        assert_same(ours, ref)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (0, 3), (4, 1)])
@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_axes(dtype, shape, ord):
    a = sample(shape, dtype)
    nd = len(shape)
    for axis in [(0, 1), (1, 0), (-1, -2), (nd - 1, 0)]:
        for keepdims in (False, True):
            check("norm", a, None, ord=ord, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("ord", [None, "fro", "f", 1, -1, inf, -inf])
@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_axis_none(dtype, ord):
    a = sample((4, 5), dtype)
    for keepdims in (False, True):
        if ord in (None, "fro", "f"):
            ours, ref = run(oxnp.linalg.norm, to_ox(a), ord=ord, keepdims=keepdims)[0], \
                numpy.linalg.norm(a, ord=ord, keepdims=keepdims)
            assert_close(ours, ref, 4)
        else:
            check("norm", a, None, ord=ord, keepdims=keepdims)


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_vector_axis_none(dtype, ord):
    """1-D with axis=None: the 2-norm differs from NumPy's BLAS dot by a few ulps at most;
    every other order goes through the per-axis formulas and must match bitwise."""
    for n in (1, 2, 9, 100, 1000):
        a = sample((n,), dtype, seed=n)
        for keepdims in (False, True):
            if ord in (None, 2):
                ours = oxnp.linalg.norm(to_ox(a), ord=ord, keepdims=keepdims)
                ref = numpy.linalg.norm(a, ord=ord, keepdims=keepdims)
                assert isinstance(ours, oxnp.ndarray) == isinstance(ref, numpy.ndarray)
                assert_close(ours, ref, 4)
            else:
                check("norm", a, None, ord=ord, keepdims=keepdims)


@pytest.mark.parametrize("dtype", ["float64", "complex128", "int16"])
def test_ravel_none_nd_and_0d(dtype):
    for shape in [(), (2, 3, 4), (0,), (0, 3)]:
        a = sample(shape, dtype)
        ref = numpy.linalg.norm(a)
        assert_close(oxnp.linalg.norm(to_ox(a)), ref, 4)
        assert_close(oxnp.linalg.norm(to_ox(a), keepdims=True),
                     numpy.linalg.norm(a, keepdims=True), 4)
        for ord in (1, inf, "fro", 3):
            check("norm", a, None, ord=ord)


def test_noncontiguous_views():
    base = sample((6, 8), "float64")
    ox = to_ox(base)
    for sl in [(slice(None, None, -1), slice(None, None, 2)), (slice(1, 5), slice(None, None, -3))]:
        for axis in (0, 1, (0, 1), (1, 0)):
            for ord in (None, 1, inf, -inf, 0, 3):
                check("norm", base[sl], ox[sl], ord=ord, axis=axis)
    assert_close(oxnp.linalg.norm(ox.T[::2]), numpy.linalg.norm(base.T[::2]), 4)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128", "int64"])
@pytest.mark.parametrize("axis", [None, (0, 1), (1, 0), (-1, 0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_svd_orders(dtype, axis, keepdims):
    """ord 2, -2 and 'nuc' come from the singular values (faer's SVD, not LAPACK's): equal to
    NumPy's within a few units of rounding, same dtype and shape."""
    rng = numpy.random.default_rng(3)
    a = rng.standard_normal((3, 4)) * 5
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal((3, 4))
    a = a.astype(dtype)
    for ord in SVD_ORDS:
        ref = numpy.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims)
        ours = oxnp.linalg.norm(to_ox(a), ord=ord, axis=axis, keepdims=keepdims)
        got = to_np(ours) if isinstance(ours, oxnp.ndarray) else numpy.asarray(ours)
        assert got.dtype == numpy.asarray(ref).dtype and got.shape == numpy.shape(ref)
        tol = 1e-5 if dtype in ("float32", "complex64") else 1e-12
        numpy.testing.assert_allclose(got, ref, rtol=tol)
    stack = rng.standard_normal((2, 3, 4))
    for ord in SVD_ORDS:
        numpy.testing.assert_allclose(
            to_np(oxnp.linalg.matrix_norm(to_ox(stack), ord=ord)),
            numpy.linalg.matrix_norm(stack, ord=ord), rtol=1e-12)
    # A vector 2-norm needs no SVD; -2 is a plain p-norm for vectors.
    check("norm", a.real if dtype.startswith("complex") else a, None, ord=-2, axis=1)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0)])
def test_svd_orders_empty(shape):
    for ord in SVD_ORDS:
        check("norm", numpy.zeros(shape), None, ord=ord)


def test_argument_errors():
    a = sample((2, 3, 4), "float64")
    check("norm", a, None, ord=1)  # 3-D without axis: improper dimensions
    check("norm", a, None, axis=(0, 1, 2))
    check("norm", a, None, axis=(1, 1))
    check("norm", a, None, axis=(1, -2))
    check("norm", a, None, axis=(0, 5))
    check("norm", a, None, axis=3)
    check("norm", a, None, axis="x")
    check("norm", a, None, axis=1, ord="fro")
    check("norm", a, None, axis=(0, 1), ord="bad")
    check("norm", a, None, axis=(0, 1), ord=3)
    check("norm", numpy.float64(3.0), oxnp.asarray(3.0), ord=1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ord", [2, 1, 0, inf, -inf, 3, -1, 0.5])
def test_vector_norm(dtype, ord):
    a = sample((2, 3, 4), dtype)
    for axis in [0, -1, (0,), (2, 0), (-1, 1), (0, 1, 2)]:
        for keepdims in (False, True):
            check("vector_norm", a, None, axis=axis, keepdims=keepdims, ord=ord)
    for keepdims in (False, True):
        if ord == 2:
            assert_close(oxnp.linalg.vector_norm(to_ox(a), keepdims=keepdims, ord=ord),
                         numpy.linalg.vector_norm(a, keepdims=keepdims, ord=ord), 4)
        else:
            check("vector_norm", a, None, keepdims=keepdims, ord=ord)


def test_vector_norm_errors():
    a = sample((2, 3), "float64")
    check("vector_norm", a, None, axis=(0, 0))
    check("vector_norm", a, None, axis=(0, 2))
    check("vector_norm", a, None, axis=1, ord="fro")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ord", ["fro", 1, -1, inf, -inf, "bad"])
def test_matrix_norm(dtype, ord):
    for shape in [(3, 4), (2, 3, 4), (2, 0, 3)]:
        a = sample(shape, dtype)
        for keepdims in (False, True):
            check("matrix_norm", a, None, keepdims=keepdims, ord=ord)
    check("matrix_norm", sample((4,), dtype), None, ord=ord)


def test_linalg_error_reexported():
    assert oxnp.linalg.LinAlgError is oxnp.exceptions.LinAlgError
    assert issubclass(oxnp.linalg.LinAlgError, ValueError)


@pytest.mark.parametrize("n", [1, 5, 300])
def test_kmeans_distance_form(n):
    """The seed program's `norm(X - centroids[:, None], axis=2)`, bit for bit."""
    rng = numpy.random.default_rng(n)
    X = rng.standard_normal((n, 2))
    c = rng.standard_normal((2, 2))
    ours = oxnp.linalg.norm(to_ox(X) - to_ox(c)[:, None], axis=2)
    ref = numpy.linalg.norm(X - c[:, None], axis=2)
    assert_same(ours, ref)
    assert_same(ours.argmin(axis=0), ref.argmin(axis=0))
