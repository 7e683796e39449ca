"""Floating-point error handling (``seterr``, ``geterr``, ``errstate``, ``seterrcall``) over
the Rust error-mode state that the ufunc kernels consult."""

import contextlib
import functools

from . import _oxnp

_CONDITIONS = ("divide", "over", "under", "invalid")
_MODES = ("ignore", "warn", "raise", "call", "print", "log")
_FLAG_CONDITION = {1: "divide", 2: "over", 4: "under", 8: "invalid"}
_errcall = None


def geterr():
    """The current handling of floating-point errors, as a dict."""
    mode = _oxnp._geterrmode()
    return {c: _MODES[(mode >> (4 * i)) & 0xF] for i, c in enumerate(_CONDITIONS)}


def seterr(all=None, divide=None, over=None, under=None, invalid=None):
    """Set how floating-point errors are handled; returns the previous settings."""
    old = geterr()
    new = dict(old)
    if all is not None:
        new = dict.fromkeys(_CONDITIONS, all)
    for name, value in zip(_CONDITIONS, (divide, over, under, invalid)):
        if value is not None:
            new[name] = value
    mode = 0
    for i, c in enumerate(_CONDITIONS):
        if new[c] not in _MODES:
            raise ValueError(f"invalid mode {new[c]!r} for {c}")
        mode |= _MODES.index(new[c]) << (4 * i)
    _oxnp._seterrmode(mode)
    return old


def seterrcall(func):
    """Set the callable (or object with ``write``) used by the 'call' and 'log' modes."""
    global _errcall
    if func is not None and not callable(func) and not callable(getattr(func, "write", None)):
        raise ValueError("Only callable can be used as callback")
    old, _errcall = _errcall, func
    return old


def geterrcall():
    return _errcall


def _report(message, flag):
    """Called by the kernels for the 'call', 'print' and 'log' modes."""
    mode = geterr()[_FLAG_CONDITION[flag]]
    if mode == "print":
        print(f"Warning: {message}")
    elif mode == "call":
        if _errcall is None:
            raise ValueError("Callback function must be set when using 'call' mode")
        _errcall(message.split(" encountered")[0], flag)
    elif mode == "log":
        if _errcall is None:
            raise ValueError("Callback function must be set when using 'log' mode")
        _errcall.write(f"Warning: {message}\n")


class errstate(contextlib.ContextDecorator):
    """Context manager (and decorator) setting floating-point error handling."""

    def __init__(self, *, call=None, all=None, divide=None, over=None, under=None, invalid=None):
        self._call = call
        self._kwargs = dict(all=all, divide=divide, over=over, under=under, invalid=invalid)

    def __enter__(self):
        self._old = seterr(**self._kwargs)
        if self._call is not None:
            self._old_call = seterrcall(self._call)

    def __exit__(self, *exc):
        seterr(**self._old)
        if self._call is not None:
            seterrcall(self._old_call)

    def __call__(self, func):
        @functools.wraps(func)
        def inner(*args, **kwargs):
            with self.__class__(call=self._call, **self._kwargs):
                return func(*args, **kwargs)

        return inner
