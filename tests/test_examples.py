"""The five seed programs (examples/) give bit-for-bit the same results on oxnp as on NumPy.

Each program runs at its small size on both modules; every result must have the same
dtype, shape and bytes (NaNs compare equal). Each program's jit mode (its hot functions
wrapped with oxnp.jit) must give the same results too (issue 7).

"""

import contextlib
import io
import sys
from pathlib import Path

import numpy
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, for `examples`

from examples import EXAMPLES  # noqa: E402
from examples._common import compare_results, compare_value, load_example  # noqa: E402


def _run_quietly(module, np, jit=False):
    with contextlib.redirect_stdout(io.StringIO()):
        return module.run(np, size="small", jit=jit)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_identical_to_numpy(name):
    import oxnp

    module = load_example(name)
    expected = _run_quietly(module, numpy)
    actual = _run_quietly(module, oxnp)
    assert compare_results(expected, actual) == []


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_jit_identical_to_numpy(name):
    import oxnp

    module = load_example(name)
    expected = _run_quietly(module, numpy)
    oxnp.jit.reset_stats()
    actual = _run_quietly(module, oxnp, jit=True)
    stats = oxnp.jit.stats()
    assert compare_results(expected, actual) == []
    # The jit mode really ran jitted code: traced, and replayed the recorded plans.
    assert stats["traces"] >= 1 and stats["replays"] >= 1, stats


def test_jit_mode_needs_oxnp():
    with pytest.raises(ValueError, match="jit"):
        load_example("maze").run(numpy, size="small", jit=True)


# The comparison helper itself, so that a passing example test means what it says.

def test_compare_accepts_identical_results_and_equal_nans():
    a = numpy.array([1.0, numpy.nan, -2.5])
    assert compare_results({"a": a, "n": 3}, {"a": a.copy(), "n": 3}) == []
    assert compare_value(a, numpy.array([1.0, -numpy.nan, -2.5])) is None
    c = numpy.array([complex(1, numpy.nan)], dtype=numpy.complex64)
    assert compare_value(c, c.copy()) is None


@pytest.mark.parametrize(
    "other, reason",
    [
        (numpy.array([1.0, 2.0], dtype=numpy.float32), "dtype"),
        (numpy.array([[1.0, 2.0]]), "shape"),
        (numpy.array([1.0, numpy.nextafter(2.0, 3.0)]), "values differ"),
        (numpy.array([1.0, numpy.nan]), "values differ"),
    ],
)
def test_compare_reports_differences(other, reason):
    assert reason in compare_value(numpy.array([1.0, 2.0]), other)


def test_compare_distinguishes_signed_zeros_and_missing_results():
    assert compare_value(numpy.array([0.0]), numpy.array([-0.0])) is not None
    assert compare_value(numpy.array([1, 2]), numpy.array([1, 3])) is not None
    assert compare_value(7, 8) is not None
    assert compare_results({"a": 1}, {}) == ["a: missing"]
    assert compare_results({}, {"b": 1}) == ["b: unexpected result"]
