"""NumPy's bundled OpenBLAS through ctypes, for the tests that hold oxnp's LAPACK and BLAS
models to it bit for bit: the library (every BLAS and LAPACK routine is exported with the ILP64
Fortran ABI as ``scipy_<name>_64_``), the core it runs, its thread count, and a pointer
helper."""

import ctypes
import glob
import os
from contextlib import contextmanager

import numpy


def _find():
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas*.so*"))):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


LIB = _find()


def exports(*names):
    """The library when it exports every one of ``names``, else None."""
    if LIB is not None and all(hasattr(LIB, name) for name in names):
        return LIB
    return None


def core():
    """The kernel family OpenBLAS picked for this CPU (e.g. "SkylakeX"), or None."""
    for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
        f = getattr(LIB, name, None) if LIB is not None else None
        if f is not None:
            f.restype = ctypes.c_char_p
            return f().decode()
    return None


def ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


@contextmanager
def threads(count):
    """NumPy's OpenBLAS and oxnp's models of it both on `count` threads for the block."""
    from oxnp import _oxnp

    LIB.scipy_openblas_get_num_threads64_.restype = ctypes.c_int
    LIB.scipy_openblas_set_num_threads64_.argtypes = [ctypes.c_int]
    before = int(LIB.scipy_openblas_get_num_threads64_())
    LIB.scipy_openblas_set_num_threads64_(count)
    _oxnp._linalg_blas_threads(count)
    try:
        yield
    finally:
        LIB.scipy_openblas_set_num_threads64_(before)
        _oxnp._linalg_blas_threads(before)
