"""Print options and the printing functions (NumPy's ``arrayprint``).

The options are a dict held in a ContextVar, as in NumPy 2; the Rust side
(``_oxnp``) reads it for ``repr``/``str`` and does all the formatting.
"""

import contextlib
import contextvars
import math
import numbers
import operator
import sys
import warnings

from . import _oxnp

__all__ = [
    "array2string", "array_repr", "array_str", "format_float_positional",
    "format_float_scientific", "get_printoptions", "printoptions",
    "set_printoptions",
]

_LEGACY_CODES = {"1.13": 113, "1.21": 121, "1.25": 125, "2.1": 201, "2.2": 202}
_LEGACY_NAMES = {v: k for k, v in _LEGACY_CODES.items()}
_LEGACY_NAMES[sys.maxsize] = False
_FLOATMODES = ("fixed", "unique", "maxprec", "maxprec_equal")

_DEFAULTS = {
    "edgeitems": 3, "threshold": 1000, "floatmode": "maxprec", "precision": 8,
    "suppress": False, "linewidth": 75, "nanstr": "nan", "infstr": "inf",
    "sign": "-", "formatter": None, "legacy": sys.maxsize, "override_repr": None,
}

format_options = contextvars.ContextVar("oxnp.format_options", default=_DEFAULTS)


def _make_options_dict(precision=None, threshold=None, edgeitems=None,
                       linewidth=None, suppress=None, nanstr=None, infstr=None,
                       sign=None, formatter=None, floatmode=None, legacy=None,
                       override_repr=None):
    """The given (non-None) options, checked, with `legacy` as its internal code."""
    options = {k: v for k, v in locals().items() if v is not None}
    if suppress is not None:
        options["suppress"] = bool(suppress)
    if floatmode not in _FLOATMODES + (None,):
        raise ValueError("floatmode option must be one of "
                         + ", ".join(f'"{m}"' for m in _FLOATMODES))
    if sign not in (None, "-", "+", " "):
        raise ValueError("sign option must be one of ' ', '+', or '-'")
    if legacy is False:
        options["legacy"] = sys.maxsize
    elif legacy is None:
        pass
    elif legacy == False:  # noqa: E712 (0, 0.0 and friends, as NumPy warns)
        warnings.warn(f"Passing `legacy={legacy!r}` is deprecated.",
                      FutureWarning, stacklevel=3)
        options["legacy"] = sys.maxsize
    elif isinstance(legacy, str) and legacy in _LEGACY_CODES:
        options["legacy"] = _LEGACY_CODES[legacy]
    else:
        del options["legacy"]
        warnings.warn("legacy printing option can currently only be '1.13', "
                      "'1.21', '1.25', '2.1', '2.2' or `False`", stacklevel=3)
    if threshold is not None:
        if not isinstance(threshold, numbers.Number):
            raise TypeError("threshold must be numeric")
        if math.isnan(threshold):
            raise ValueError("threshold must be non-NAN, try sys.maxsize "
                             "for untruncated representation")
    if precision is not None:
        try:
            options["precision"] = operator.index(precision)
        except TypeError as e:
            raise TypeError("precision must be an integer") from e
    return options


def _set_printoptions(precision=None, threshold=None, edgeitems=None,
                      linewidth=None, suppress=None, nanstr=None, infstr=None,
                      formatter=None, sign=None, floatmode=None, *,
                      legacy=None, override_repr=None):
    new = _make_options_dict(precision, threshold, edgeitems, linewidth,
                             suppress, nanstr, infstr, sign, formatter,
                             floatmode, legacy)
    # formatter and override_repr are reset by every call.
    new["formatter"] = formatter
    new["override_repr"] = override_repr
    updated = {**format_options.get(), **new}
    if updated["legacy"] == 113:
        updated["sign"] = "-"
    return format_options.set(updated)


def set_printoptions(precision=None, threshold=None, edgeitems=None,
                     linewidth=None, suppress=None, nanstr=None, infstr=None,
                     formatter=None, sign=None, floatmode=None, *, legacy=None,
                     override_repr=None):
    """Set printing options (see ``numpy.set_printoptions``)."""
    _set_printoptions(precision, threshold, edgeitems, linewidth, suppress,
                      nanstr, infstr, formatter, sign, floatmode,
                      legacy=legacy, override_repr=override_repr)


def get_printoptions():
    """The current print options as a new dict."""
    opts = dict(format_options.get())
    opts["legacy"] = _LEGACY_NAMES[opts["legacy"]]
    return opts


@contextlib.contextmanager
def printoptions(*args, **kwargs):
    """Context manager that sets print options for the ``with`` block."""
    token = _set_printoptions(*args, **kwargs)
    try:
        yield get_printoptions()
    finally:
        format_options.reset(token)


def _with_overrides(**overrides):
    return {**format_options.get(), **_make_options_dict(**overrides)}


def array2string(a, max_line_width=None, precision=None, suppress_small=None,
                 separator=" ", prefix="", *, formatter=None, threshold=None,
                 edgeitems=None, sign=None, floatmode=None, suffix="",
                 legacy=None):
    """Text of an array (see ``numpy.array2string``)."""
    options = _with_overrides(
        precision=precision, threshold=threshold, edgeitems=edgeitems,
        linewidth=max_line_width, suppress=suppress_small, sign=sign,
        formatter=formatter, floatmode=floatmode, legacy=legacy)
    return _oxnp._array2string(a, options, separator, prefix, suffix)


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    """``repr`` of an array with optional overrides."""
    options = _with_overrides(linewidth=max_line_width, precision=precision,
                              suppress=suppress_small)
    return _oxnp._array_repr(arr, options)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """``str`` of an array with optional overrides."""
    options = _with_overrides(linewidth=max_line_width, precision=precision,
                              suppress=suppress_small)
    return _oxnp._array_str(a, options)


def _none_or_positive_arg(x, name):
    if x is None:
        return -1
    if x < 0:
        raise ValueError(f"{name} must be >= 0")
    return x


_FLOAT_NAMES = ("float16", "float32", "float64")


def _float_value(x):
    """(value as a Python float, float dtype name) of a float scalar."""
    name = getattr(getattr(x, "dtype", None), "name", None)
    if name in _FLOAT_NAMES:
        return float(x), name
    return float(x), "float64"


def format_float_positional(x, precision=None, unique=True, fractional=True,
                            trim="k", sign=False, pad_left=None,
                            pad_right=None, min_digits=None):
    """Positional text of a float scalar (Dragon4), as NumPy's."""
    precision = _none_or_positive_arg(precision, "precision")
    pad_left = _none_or_positive_arg(pad_left, "pad_left")
    pad_right = _none_or_positive_arg(pad_right, "pad_right")
    min_digits = _none_or_positive_arg(min_digits, "min_digits")
    if not fractional and precision == 0:
        raise ValueError("precision must be greater than 0 if fractional=False")
    if min_digits > 0 and precision > 0 and min_digits > precision:
        raise ValueError("min_digits must be less than or equal to precision")
    value, dtype = _float_value(x)
    return _oxnp._dragon4_positional(value, dtype, precision, unique,
                                     fractional, trim, sign, pad_left,
                                     pad_right, min_digits)


def format_float_scientific(x, precision=None, unique=True, trim="k",
                            sign=False, pad_left=None, exp_digits=None,
                            min_digits=None):
    """Scientific text of a float scalar (Dragon4), as NumPy's."""
    precision = _none_or_positive_arg(precision, "precision")
    pad_left = _none_or_positive_arg(pad_left, "pad_left")
    exp_digits = _none_or_positive_arg(exp_digits, "exp_digits")
    min_digits = _none_or_positive_arg(min_digits, "min_digits")
    if min_digits > 0 and precision > 0 and min_digits > precision:
        raise ValueError("min_digits must be less than or equal to precision")
    value, dtype = _float_value(x)
    return _oxnp._dragon4_scientific(value, dtype, precision, unique, trim,
                                     sign, pad_left, exp_digits, min_digits)
