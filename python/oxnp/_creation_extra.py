"""Creation functions written in Python over the Rust primitives."""

from ._oxnp import _indices_planes


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """Call ``function(*indices(shape, dtype), **kwargs)`` and return its result unchanged."""
    return function(*_indices_planes(shape, dtype), **kwargs)


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``base ** linspace(start, stop)``, with array bases broadcast along the new axis."""
    import oxnp as ox

    if not isinstance(base, (float, int)) and ox.ndim(base):
        ndim = len(ox.broadcast_shapes(ox.shape(start), ox.shape(stop), ox.shape(base)))
        start, stop, base = (ox.array(v, copy=None, ndmin=ndim) for v in (start, stop, base))
        base = ox.expand_dims(base, axis=axis)
    powers = ox.power(base, ox.linspace(start, stop, num=num, endpoint=endpoint, axis=axis))
    return powers if dtype is None else powers.astype(dtype, copy=False)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """A geometric sequence; negative and complex endpoints are rotated onto the positive
    reals and back, and the endpoints are set exactly (exp(log(x)) need not equal x)."""
    import oxnp as ox

    start, stop = ox.asanyarray(start), ox.asanyarray(stop)
    if ox.any(start == 0) or ox.any(stop == 0):
        raise ValueError("Geometric sequence cannot include zero")
    work_dtype = ox.result_type(start, stop, float(num), ox.zeros((), dtype))
    dtype = work_dtype if dtype is None else ox.dtype(dtype)
    start, stop = start.astype(work_dtype, copy=True), stop.astype(work_dtype, copy=True)
    sign = ox.sign(start)
    start /= sign
    stop = stop / sign
    result = logspace(ox.log10(start), ox.log10(stop), num=num, endpoint=endpoint,
                      base=10.0, dtype=work_dtype)
    if num > 0:
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result *= sign
    if axis != 0:
        result = ox.moveaxis(result, 0, axis)
    return result.astype(dtype, copy=False)
