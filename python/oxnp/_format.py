"""The ``.npy`` binary format (NumPy's ``numpy.lib.format``), written from its specification.

Layout: magic ``\\x93NUMPY``, major and minor version bytes, the header length (uint16 for 1.0,
uint32 for 2.0 and 3.0), the header (a Python dict literal padded with spaces and a newline so
the data starts at a multiple of 64), then the raw data in C order, or in the memory order of
``arr.T`` when ``fortran_order`` is set.
"""

import ast
import io
import os
import pickle
import struct
import sys
import warnings

MAGIC_PREFIX = b"\x93NUMPY"
MAGIC_LEN = len(MAGIC_PREFIX) + 2
ARRAY_ALIGN = 64
GROWTH_AXIS_MAX_DIGITS = 21
MAX_HEADER_SIZE = 10000
BUFFER_SIZE = 2**18
EXPECTED_KEYS = {"descr", "fortran_order", "shape"}

# version -> (struct format of the header length, header text encoding)
_HEADER_INFO = {(1, 0): ("<H", "latin1"), (2, 0): ("<I", "latin1"), (3, 0): ("<I", "utf8")}

# Below this size the data is written with one `tobytes` (a copy is cheaper than a view's setup).
_DIRECT_WRITE_MIN = 1 << 16


def _np():
    import oxnp

    return oxnp


def _check_version(version):
    if version not in [(1, 0), (2, 0), (3, 0), None]:
        raise ValueError(
            "we only support format version (1,0), (2,0), and (3,0), not %s" % (version,)
        )


def magic(major, minor):
    if major < 0 or major > 255:
        raise ValueError("major version must be 0 <= major < 256")
    if minor < 0 or minor > 255:
        raise ValueError("minor version must be 0 <= minor < 256")
    return MAGIC_PREFIX + bytes([major, minor])


def read_magic(fp):
    magic_str = _read_bytes(fp, MAGIC_LEN, "magic string")
    if magic_str[:-2] != MAGIC_PREFIX:
        raise ValueError(
            "the magic string is not correct; expected %r, got %r" % (MAGIC_PREFIX, magic_str[:-2])
        )
    return magic_str[-2], magic_str[-1]


def dtype_to_descr(dtype):
    return dtype.str


def descr_to_dtype(descr):
    """(oxnp dtype, needs byteswap) for a header's ``descr``; TypeError if oxnp cannot hold it."""
    np = _np()
    if not isinstance(descr, str):
        raise TypeError(f"oxnp cannot represent the dtype {descr!r}")
    order = descr[:1]
    swap = False
    if order in ("<", ">", "=", "|"):
        body = descr[1:]
        swap = order == (">" if sys.byteorder == "little" else "<")
    else:
        body = descr
    try:
        dt = np.dtype(body)
    except Exception as e:  # an unknown or unsupported descriptor
        raise TypeError(str(e)) from None
    if dt.itemsize == 1 or dt.kind == "b":
        swap = False
    return dt, swap


def header_data_from_array_1_0(array):
    fortran = bool(array.flags.f_contiguous and not array.flags.c_contiguous)
    return {"shape": tuple(array.shape), "fortran_order": fortran, "descr": dtype_to_descr(array.dtype)}


def _header_text(d):
    header = ["{"]
    for key, value in sorted(d.items()):
        header.append(f"'{key}': {value!r}, ")
    header.append("}")
    shape = d["shape"]
    if len(shape) > 0:
        axis = shape[-1] if d["fortran_order"] else shape[0]
        header.append(" " * (GROWTH_AXIS_MAX_DIGITS - len(repr(axis))))
    return "".join(header)


def _wrap_header(header, version):
    fmt, encoding = _HEADER_INFO[version]
    hbytes = header.encode(encoding)
    hlen = len(hbytes) + 1
    padlen = ARRAY_ALIGN - ((MAGIC_LEN + struct.calcsize(fmt) + hlen) % ARRAY_ALIGN)
    try:
        prefix = magic(*version) + struct.pack(fmt, hlen + padlen)
    except struct.error:
        raise ValueError(f"Header length {hlen} too big for version={version}") from None
    return prefix + hbytes + b" " * padlen + b"\n"


def _wrap_header_guess_version(header):
    try:
        return _wrap_header(header, (1, 0))
    except ValueError:
        pass
    try:
        ret = _wrap_header(header, (2, 0))
    except UnicodeEncodeError:
        pass
    else:
        warnings.warn(
            "Stored array in format 2.0. It can only beread by NumPy >= 1.9", UserWarning,
            stacklevel=2,
        )
        return ret
    ret = _wrap_header(header, (3, 0))
    warnings.warn(
        "Stored array in format 3.0. It can only be read by NumPy >= 1.17", UserWarning,
        stacklevel=2,
    )
    return ret


def header_bytes(d, version=None):
    header = _header_text(d)
    if version is None:
        return _wrap_header_guess_version(header)
    return _wrap_header(header, version)


def _read_bytes(fp, size, error_template="ran out of data"):
    data = b""
    while True:
        try:
            r = fp.read(size - len(data))
        except BlockingIOError:
            continue
        if r is None:
            continue
        data += r
        if len(r) == 0 or len(data) == size:
            break
    if len(data) != size:
        raise ValueError(
            "EOF: reading %s, expected %d bytes got %d" % (error_template, size, len(data))
        )
    return data


def isfileobj(f):
    if not isinstance(f, (io.FileIO, io.BufferedReader, io.BufferedWriter, io.BufferedRandom)):
        return False
    try:
        f.fileno()
        return True
    except OSError:
        return False


def _data_view(array, fortran):
    """A C-contiguous byte view of the data to write (array.T when Fortran order), or None."""
    a = array.T if fortran else array
    if not a.flags.c_contiguous or a.ndim == 0:
        return None
    try:
        return memoryview(a).cast("B")
    except (TypeError, ValueError, BufferError):
        return None


def write_array(fp, array, version=None, allow_pickle=True, pickle_kwargs=None):
    """Writes `array` (an oxnp array) to the binary file `fp` in .npy format."""
    _check_version(version)
    d = header_data_from_array_1_0(array)
    fp.write(header_bytes(d, version))
    fortran = d["fortran_order"]
    if array.nbytes >= _DIRECT_WRITE_MIN:
        view = _data_view(array, fortran)
        if view is not None:
            fp.write(view)
            return
    fp.write(array.tobytes(order="F" if fortran else "C"))


def _read_array_header(fp, version, max_header_size=MAX_HEADER_SIZE):
    hinfo = _HEADER_INFO.get(version)
    if hinfo is None:
        raise ValueError(f"Invalid version {version!r}")
    hlength_type, encoding = hinfo
    hlength_str = _read_bytes(fp, struct.calcsize(hlength_type), "array header length")
    header_length = struct.unpack(hlength_type, hlength_str)[0]
    header = _read_bytes(fp, header_length, "array header")
    try:
        header = header.decode(encoding)
    except UnicodeDecodeError as e:
        raise ValueError(f"Cannot parse header: {header!r}") from e
    if len(header) > max_header_size:
        raise ValueError(
            f"Header info length ({len(header)}) is large and may not be safe "
            "to load securely.\n"
            "To allow loading, adjust `max_header_size` or fully trust "
            "the `.npy` file using `allow_pickle=True`.\n"
            "For safety against large resource use or crashes, sandboxing "
            "may be necessary."
        )
    try:
        d = ast.literal_eval(header)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError) as e:
        if version <= (2, 0):
            header = _filter_header(header)
            try:
                d = ast.literal_eval(header)
            except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError) as e2:
                raise ValueError(f"Cannot parse header: {header!r}") from e2
            warnings.warn(
                "Reading `.npy` or `.npz` file required additional header parsing as it was "
                "created on Python 2. Save the file again to speed up loading and avoid this "
                "warning.", UserWarning, stacklevel=4,
            )
        else:
            raise ValueError(f"Cannot parse header: {header!r}") from e
    if not isinstance(d, dict):
        raise ValueError(f"Header is not a dictionary: {d!r}")
    if EXPECTED_KEYS != d.keys():
        raise ValueError(f"Header does not contain the correct keys: {sorted(d.keys())!r}")
    shape = d["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(x, int) for x in shape):
        raise ValueError(f"shape is not valid: {shape!r}")
    if not isinstance(d["fortran_order"], bool):
        raise ValueError(f"fortran_order is not a valid bool: {d['fortran_order']!r}")
    descr = d["descr"]
    if descr in ("|O", "O") or (isinstance(descr, str) and descr.lstrip("<>|=") == "O"):
        return shape, d["fortran_order"], None, False
    try:
        dtype, swap = descr_to_dtype(descr)
    except TypeError as e:
        if _numpy_only_descr(descr):
            raise TypeError(
                f"oxnp cannot load an array of dtype {descr!r}: only the 14 numeric dtypes "
                "(bool, int8..uint64, float16..complex128) are supported"
            ) from None
        raise ValueError(f"descr is not a valid dtype descriptor: {descr!r}") from e
    if any(x < 0 for x in shape):
        raise ValueError(f"shape is not valid: {shape!r}")
    return shape, d["fortran_order"], dtype, swap


def _numpy_only_descr(descr):
    """Whether `descr` is a valid NumPy descriptor of a dtype oxnp does not have (strings,
    datetimes, structured, long double, ...)."""
    import re

    if isinstance(descr, list):
        return bool(descr) and all(isinstance(t, tuple) and len(t) in (2, 3) for t in descr)
    return isinstance(descr, str) and re.fullmatch(
        r"[<>|=]?(?:[USaV]\d+|[Mm]8(?:\[\w+\])?|f(?:10|12|16)|c(?:20|24|32)|[gG])", descr
    ) is not None


def _filter_header(s):
    """Drops the Python 2 'L' suffix of integers in a header."""
    import tokenize

    tokens = []
    last_was_number = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(s).readline):
            if last_was_number and token[0] == tokenize.NAME and token[1] == "L":
                continue
            tokens.append(token)
            last_was_number = token[0] == tokenize.NUMBER
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return s


def read_array_header_1_0(fp, max_header_size=MAX_HEADER_SIZE):
    shape, fortran, dtype, _ = _read_array_header(fp, (1, 0), max_header_size)
    return shape, fortran, dtype


def read_array_header_2_0(fp, max_header_size=MAX_HEADER_SIZE):
    shape, fortran, dtype, _ = _read_array_header(fp, (2, 0), max_header_size)
    return shape, fortran, dtype


def _count(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _finish(np, flat, shape, fortran, swap):
    if swap:
        flat = flat.byteswap()
    if fortran:
        return flat.reshape(shape[::-1]).transpose()
    return flat.reshape(shape)


def read_array(fp, allow_pickle=False, pickle_kwargs=None, *, max_header_size=MAX_HEADER_SIZE):
    np = _np()
    if allow_pickle:
        max_header_size = 2**64
    version = read_magic(fp)
    _check_version(version)
    shape, fortran, dtype, swap = _read_array_header(fp, version, max_header_size)
    if dtype is None:
        if not allow_pickle:
            raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
        try:
            return pickle.load(fp, **(pickle_kwargs or {}))
        except UnicodeError as err:
            raise UnicodeError(
                "Unpickling a python object failed: %r\n"
                "You may need to pass the encoding= option to numpy.load" % (err,)
            ) from err
    count = _count(shape)
    nbytes = count * dtype.itemsize
    flat = np.empty(count, dtype=dtype)
    if nbytes:
        view = memoryview(flat).cast("B")
        got = 0
        if hasattr(fp, "readinto"):
            while got < nbytes:
                try:
                    n = fp.readinto(view[got:])
                except BlockingIOError:
                    continue
                if not n:
                    break
                got += n
        else:
            while got < nbytes:
                chunk = fp.read(min(BUFFER_SIZE * 64, nbytes - got))
                if not chunk:
                    break
                view[got:got + len(chunk)] = chunk
                got += len(chunk)
        if got != nbytes and not isfileobj(fp):
            # NumPy reads other streams in chunks of BUFFER_SIZE bytes and reports the chunk
            chunk = (BUFFER_SIZE // min(BUFFER_SIZE, dtype.itemsize)) * dtype.itemsize
            start = (got // chunk) * chunk
            expected = min(chunk, nbytes - start)
            raise ValueError(
                "EOF: reading %s, expected %d bytes got %d" % ("array data", expected, got - start)
            )
        if got != nbytes:
            raise ValueError(
                "Failed to read all data for array. "
                f"Expected {shape} = {count} elements, "
                f"could only read {got // dtype.itemsize} elements. "
                "(file seems not fully written?)"
            )
    return _finish(np, flat, shape, fortran, swap)


def open_memmap(filename, mode="r+", dtype=None, shape=None, fortran_order=False, version=None,
                *, max_header_size=MAX_HEADER_SIZE):
    """An oxnp array over a memory map of the .npy file (the map is kept alive by the array)."""
    import mmap

    np = _np()
    if hasattr(filename, "read") or hasattr(filename, "write"):
        raise ValueError(
            "Filename must be a string or a path-like object.  Memmap cannot use existing file "
            "handles."
        )
    filename = os.fspath(filename)
    if "w" in mode:
        _check_version(version)
        dtype = np.dtype(dtype if dtype is not None else "float64")
        if shape is None:  # NumPy fails the same way (load(..., mmap_mode='w+'))
            raise TypeError("object of type 'NoneType' has no len()")
        shape = tuple(shape)
        d = {"descr": dtype_to_descr(dtype), "fortran_order": bool(fortran_order), "shape": shape}
        with open(filename, mode + "b") as fp:
            fp.write(header_bytes(d, version))
            offset = fp.tell()
        swap = False
        fortran = bool(fortran_order)
        nbytes = _count(shape) * dtype.itemsize
        with open(filename, "r+b") as fp:
            fp.truncate(offset + nbytes)
        mode = "r+"
    else:
        with open(filename, "rb") as fp:
            version = read_magic(fp)
            _check_version(version)
            shape, fortran, dtype, swap = _read_array_header(fp, version, max_header_size)
            if dtype is None:
                raise ValueError("Array can't be memory-mapped: Python objects in dtype.")
            offset = fp.tell()
    count = _count(shape)
    nbytes = count * dtype.itemsize
    access = {"r": mmap.ACCESS_READ, "r+": mmap.ACCESS_WRITE, "c": mmap.ACCESS_COPY}.get(mode)
    if access is None:
        raise ValueError(f"mode must be one of ['r', 'c', 'r+', 'w+'] (got {mode!r})")
    with open(filename, "rb" if mode == "r" else "r+b") as fp:
        fp.seek(0, 2)
        size = fp.tell()
        if size < offset + nbytes:
            if mode == "r":
                raise ValueError("mmap length is greater than file size")
            fp.truncate(offset + nbytes)
        if nbytes == 0:
            flat = np.empty(0, dtype=dtype)
        else:
            mm = mmap.mmap(fp.fileno(), 0, access=access)
            flat = np.frombuffer(mm, dtype=dtype, count=count, offset=offset)
    if swap:
        if mode == "r+":
            raise ValueError("oxnp cannot memory-map non-native byte order data for writing")
        flat = flat.byteswap()
    return _finish(np, flat, shape, fortran, False)
