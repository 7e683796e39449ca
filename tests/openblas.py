"""NumPy's bundled OpenBLAS through ctypes, for the tests that hold oxnp's LAPACK and BLAS
models to it bit for bit: the library (every BLAS and LAPACK routine is exported with the ILP64
Fortran ABI as ``scipy_<name>_64_``), the core it runs, and a pointer helper."""

import ctypes
import glob
import os

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
