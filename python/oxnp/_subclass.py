"""Functions that NumPy runs as methods of an ndarray subclass instance return the instance's
class; `keeps_class` gives oxnp's Python composites that rule."""

import functools

from ._oxnp import _keep_class, ndarray


def keeps_class(source=0, out=None, zero_d=False):
    """Decorates a function whose positional argument `source` is the array: a result made
    for an ndarray subclass instance gets its class (0-d arrays of it for scalars when
    `zero_d`, as NumPy's statistics give). An `out=` array (keyword, or positional `out`)
    comes back as given; plain arrays pass through untouched."""
    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            result = func(*args, **kwargs)
            src = args[source] if len(args) > source else None
            if type(src) is ndarray or not isinstance(src, ndarray):
                return result
            given = kwargs.get("out") if out is None or len(args) <= out else args[out]
            if given is not None:
                return result
            return _keep_class(src, result, zero_d)
        return run
    return decorate
