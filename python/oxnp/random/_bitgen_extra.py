"""Bit-generator methods written over the ``state`` dict: PCG64/PCG64DXSM/Philox ``advance`` and
``jumped``, and ``_benchmark``. The extension's classes forward to these functions."""

from math import isqrt

_PCG_MULT = (2549297995355413924 << 64) | 4865540595714422341
_CHEAP_MULT = 0xDA942042E4DD58B5
_M128 = (1 << 128) - 1
_M64 = (1 << 64) - 1
# (sqrt(5) - 1) / 2 * 2**128, made odd: the golden-ratio step NumPy jumps PCG generators by.
_PCG_JUMP = ((isqrt(5 << 256) - (1 << 128)) >> 1) | 1


def _lcg_advance(state, delta, mult, inc):
    """The state of the 128-bit LCG x -> mult * x + inc after `delta` steps (square and multiply)."""
    acc_mult, acc_plus = 1, 0
    while delta:
        if delta & 1:
            acc_mult = (acc_mult * mult) & _M128
            acc_plus = (acc_plus * mult + inc) & _M128
        inc = ((mult + 1) * inc) & _M128
        mult = (mult * mult) & _M128
        delta >>= 1
    return (acc_mult * state + acc_plus) & _M128


def _u64(words):
    from .. import array

    return array(words, dtype="uint64")


def _as_int(delta, bits):
    d = int(delta) if not isinstance(delta, int) else delta
    return d % (1 << bits)


def advance(bg, delta):
    """Advance the generator by `delta` steps (negative values wrap), as NumPy's ``advance``."""
    name = type(bg).__name__
    st = bg.state
    kind = st["bit_generator"]
    if kind in ("PCG64", "PCG64DXSM"):
        d = _as_int(delta, 128)
        mult = _PCG_MULT if kind == "PCG64" else _CHEAP_MULT
        s = st["state"]
        s["state"] = _lcg_advance(s["state"], d, mult, s["inc"])
        st["has_uint32"] = 0
        st["uinteger"] = 0
    elif kind == "Philox":
        d = _as_int(delta, 256)
        ctr = st["state"]["counter"]
        c = sum(int(ctr[i]) << (64 * i) for i in range(4))
        c = (c + d) % (1 << 256)
        words = [(c >> (64 * i)) & _M64 for i in range(4)]
        st["state"]["counter"] = _u64(words)
        st["buffer"] = _u64([0, 0, 0, 0])
        st["buffer_pos"] = 4
        st["has_uint32"] = 0
        st["uinteger"] = 0
    else:
        raise AttributeError(f"'{name}' object has no attribute 'advance'")
    bg.state = st
    return bg


def jumped(bg, jumps=1):
    """A new generator of the same class, state advanced by ``jumps`` jumps (2**128 draws for
    Philox, the golden-ratio step for the PCG generators); it gets a fresh SeedSequence."""
    kind = bg.state["bit_generator"]
    step = (1 << 128) if kind == "Philox" else _PCG_JUMP
    new = type(bg)()
    new.state = bg.state
    advance(new, step * int(jumps))
    return new


def benchmark(bg, cnt, method="uint64"):
    """Draw ``cnt`` values of the given kind (NumPy's timing helper; the draws are discarded)."""
    from . import Generator

    if method == "uint64":
        bg.random_raw(cnt, output=False)
    elif method == "double":
        Generator(bg).random(cnt)
    else:
        raise ValueError("Unknown method")


def philox_words(value, n, what):
    """Philox's ``counter`` (n=4) or ``key`` (n=2): an int below 2**(64 n) or n uint64 words."""
    if isinstance(value, int) or hasattr(value, "__index__") and not hasattr(value, "__len__"):
        v = int(value)
        if v < 0 or v >= 1 << (64 * n):
            raise ValueError(f"{what} must be a non-negative integer less than 2**{64 * n}")
        return [(v >> (64 * i)) & _M64 for i in range(n)]
    words = [int(w) for w in value]
    if len(words) != n:
        raise ValueError(f"{what} must be an integer or an array of {n} uint64 values")
    if any(w < 0 or w > _M64 for w in words):
        raise ValueError(f"{what} values must be uint64")
    return words
