"""Constructors that pickles of oxnp.random objects name (the roles of NumPy's
``numpy.random._pickle`` helpers: a pickle holds the class or its name, plus the state)."""


def _known():
    from . import MT19937, PCG64, PCG64DXSM, SFC64, Philox

    return {"MT19937": MT19937, "PCG64": PCG64, "PCG64DXSM": PCG64DXSM, "Philox": Philox, "SFC64": SFC64}


def __bit_generator_ctor(bit_generator="MT19937"):
    """A fresh bit generator of the given class, or of the class with that name."""
    from . import BitGenerator

    if isinstance(bit_generator, type) and issubclass(bit_generator, BitGenerator):
        return bit_generator()
    known = _known()
    if bit_generator in known:
        return known[bit_generator]()
    raise ValueError(str(bit_generator) + " is not a known BitGenerator module.")


def _from(bit_generator, make):
    from . import BitGenerator

    if isinstance(bit_generator, BitGenerator):
        return bit_generator
    return make(bit_generator)


def __generator_ctor(bit_generator_name="MT19937", bit_generator_ctor=__bit_generator_ctor):
    """A Generator over the pickled bit generator (or a new one named by an old pickle)."""
    from . import Generator

    return Generator(_from(bit_generator_name, bit_generator_ctor))


def __randomstate_ctor(bit_generator_name="MT19937", bit_generator_ctor=__bit_generator_ctor):
    """A RandomState over the pickled bit generator; the pickle's state is set afterwards."""
    from . import RandomState

    return RandomState(_from(bit_generator_name, bit_generator_ctor))


def _seed_sequence_ctor(cls, entropy, spawn_key, pool_size, n_children_spawned):
    return cls(entropy, spawn_key=spawn_key, pool_size=pool_size, n_children_spawned=n_children_spawned)
