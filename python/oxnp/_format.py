"""Reading and writing NumPy's ``.npy`` files (the API of ``numpy.lib.format``).

A file is: the six bytes ``\\x93NUMPY``; one byte each for the format's major and minor
version; the header's length, a little-endian uint16 (format 1.0) or uint32 (2.0, 3.0); the
header, a Python dict literal with the keys 'descr', 'fortran_order' and 'shape', encoded as
latin-1 (1.0, 2.0) or UTF-8 (3.0), space-padded and ended by a newline so that the data begins
at a multiple of 64 bytes; then the elements, in C order, or in the memory order of ``arr.T``
when 'fortran_order' is True. Object arrays are stored as a pickle instead of raw elements.

This module is written from that description and from NumPy's observed behaviour (output
bytes, warnings and error messages), not from NumPy's implementation.
"""

import ast
import functools
import io
import mmap
import os
import pickle
import re
import struct
import sys
import warnings

__all__ = [
    "MAGIC_PREFIX", "MAGIC_LEN", "ARRAY_ALIGN", "BUFFER_SIZE", "GROWTH_AXIS_MAX_DIGITS",
    "EXPECTED_KEYS", "magic", "read_magic", "dtype_to_descr", "descr_to_dtype",
    "header_data_from_array_1_0", "write_array_header_1_0", "write_array_header_2_0",
    "read_array_header_1_0", "read_array_header_2_0", "write_array", "read_array",
    "open_memmap", "isfileobj",
]

MAGIC_PREFIX = b"\x93NUMPY"
MAGIC_LEN = len(MAGIC_PREFIX) + 2  # the prefix, then the major and minor version bytes
ARRAY_ALIGN = 64  # the data offset is a multiple of this
BUFFER_SIZE = 2**18
GROWTH_AXIS_MAX_DIGITS = 21  # room left in the header for the growth axis to get longer
MAX_HEADER_SIZE = 10000  # longer headers are refused unless the caller raises the limit
EXPECTED_KEYS = {"descr", "fortran_order", "shape"}

# Arrays at least this large are written straight from their memory (no bytes copy).
_DIRECT_WRITE_MIN = 1 << 16


def _ox():
    import oxnp

    return oxnp


# ---- format versions ----------------------------------------------------------------------


class _Spec:
    """What distinguishes one version of the format: how the header length is stored, how
    the header text is encoded, and the NumPy release that first reads it."""

    __slots__ = ("version", "length_field", "encoding", "notice")

    def __init__(self, version, length_code, encoding, notice):
        self.version = version
        self.length_field = struct.Struct(length_code)
        self.encoding = encoding
        self.notice = notice

    @property
    def max_header_len(self):
        return (1 << (8 * self.length_field.size)) - 1


_SPECS = {
    spec.version: spec
    for spec in (
        _Spec((1, 0), "<H", "latin1", None),
        # NumPy's wording, missing space included.
        _Spec((2, 0), "<I", "latin1", "Stored array in format 2.0. It can only beread by NumPy >= 1.9"),
        _Spec((3, 0), "<I", "utf8", "Stored array in format 3.0. It can only be read by NumPy >= 1.17"),
    )
}


def _spec_for(version):
    """The _Spec of a version tuple; ValueError for anything else (lists included)."""
    spec = _SPECS.get(version) if isinstance(version, tuple) else None
    if spec is None:
        raise ValueError(f"we only support format version (1,0), (2,0), and (3,0), not {version}")
    return spec


def _warn_user(message):
    """A UserWarning attributed to the first caller outside the oxnp package."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    level = 2
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package_dir + os.sep):
        frame = frame.f_back
        level += 1
    warnings.warn(message, UserWarning, stacklevel=level)


def magic(major, minor):
    """The eight leading bytes of a file in format version (major, minor)."""
    if major < 0 or major > 255:
        raise ValueError("major version must be 0 <= major < 256")
    if minor < 0 or minor > 255:
        raise ValueError("minor version must be 0 <= minor < 256")
    return MAGIC_PREFIX + bytes((major, minor))


def isfileobj(f):
    """Whether `f` is a plain binary file of the OS (its data can be read and written through
    its descriptor)."""
    return isinstance(f, (io.FileIO, io.BufferedReader, io.BufferedWriter))


# ---- reading raw bytes --------------------------------------------------------------------


def _eof(what, wanted, got):
    return ValueError(f"EOF: reading {what}, expected {wanted} bytes got {got}")


def _take(fp, n, what):
    """Exactly `n` bytes from `fp`; streams such as zip members may hand them out in pieces."""
    data = fp.read(n)
    if len(data) == n:
        return data
    pieces = [data]
    have = len(data)
    while have < n:
        more = fp.read(n - have)
        if not more:
            raise _eof(what, n, have)
        pieces.append(more)
        have += len(more)
    return b"".join(pieces)


def _fill(fp, view):
    """Reads into the writable byte memoryview `view` from `fp` until it is full or the
    data ends; the number of bytes read."""
    wanted = len(view)
    readinto = getattr(fp, "readinto", None)
    if readinto is None:
        data = fp.read(wanted)
        while data and len(data) < wanted:
            more = fp.read(wanted - len(data))
            if not more:
                break
            data += more
        view[: len(data)] = data
        return len(data)
    done = 0
    while done < wanted:
        n = readinto(view[done:])
        if not n:
            break
        done += n
    return done


def read_magic(fp):
    """(major, minor) of the format version, from the file's first eight bytes."""
    head = _take(fp, MAGIC_LEN, "magic string")
    prefix = head[: len(MAGIC_PREFIX)]
    if prefix != MAGIC_PREFIX:
        raise ValueError(f"the magic string is not correct; expected {MAGIC_PREFIX!r}, got {prefix!r}")
    return head[-2], head[-1]


# ---- dtype descriptors --------------------------------------------------------------------


def dtype_to_descr(dtype):
    """The header's 'descr' for `dtype`: ``dtype.str``, or the field list of a structured
    dtype. Metadata is not stored (with a warning)."""
    if getattr(dtype, "metadata", None) is not None:
        _warn_user("metadata on a dtype is not saved to an npy/npz. Use another format (such as "
                   "pickle) to store it.")
    if getattr(dtype, "names", None) is not None:
        return dtype.descr
    return dtype.str


# A valid NumPy descriptor of a dtype oxnp has no counterpart of (strings, datetimes, void,
# long double, ...): its kind letters.
_FOREIGN_KINDS = re.compile(r"[<>|=]?(?:[SUVaMm]\d*(?:\[\w+\])?|[gG]|f(?:10|12|16)|c(?:20|24|32))")


def _parse_descr(descr):
    """(oxnp dtype, byteswap needed) for a header's 'descr'. TypeError when it is no dtype
    descriptor at all; _Unsupported when NumPy knows it but oxnp has no such dtype."""
    ox = _ox()
    if isinstance(descr, str):
        # oxnp reads '<', '=' and '|' itself; the other byte order is read as native + swap.
        foreign_order = descr[:1] in ("<", ">") and descr[0] != _NATIVE
        code = descr[1:] if foreign_order else descr
        try:
            if foreign_order and code.startswith(("<", ">", "|", "=")):
                raise TypeError
            dtype = ox.dtype(code)
        except TypeError:
            if _FOREIGN_KINDS.fullmatch(descr):
                raise _Unsupported(descr) from None
            raise TypeError(f"data type {descr!r} not understood") from None
        return dtype, foreign_order and dtype.itemsize > 1
    if _is_field_list(descr) or (isinstance(descr, tuple) and len(descr) == 2):
        # Structured or subarray descriptors (NumPy reads them; oxnp has no such dtypes).
        raise _Unsupported(descr)
    raise TypeError(f"{type(descr).__name__!r} object is not iterable")


def _is_field_list(descr):
    return isinstance(descr, list) and all(
        isinstance(f, tuple) and len(f) in (2, 3) and isinstance(f[0], (str, tuple)) for f in descr
    )


_NATIVE = "<" if sys.byteorder == "little" else ">"


class _Unsupported(Exception):
    """A descriptor NumPy reads but oxnp cannot hold."""

    def __init__(self, descr):
        super().__init__(descr)
        self.descr = descr

    def to_error(self):
        return TypeError(f"oxnp cannot load an array of dtype {self.descr!r}: its dtypes are bool, "
                         "the integers, the floats and the complex types")


def descr_to_dtype(descr):
    """The oxnp dtype of a header's 'descr'. TypeError when oxnp cannot hold it."""
    try:
        dtype, swap = _parse_descr(descr)
    except _Unsupported as e:
        raise e.to_error() from None
    if swap:
        raise TypeError(f"data type {descr!r}: non-native byte order is not supported by oxnp")
    return dtype


# ---- header text --------------------------------------------------------------------------


def header_data_from_array_1_0(array):
    """The header dict describing `array`."""
    flags = array.flags
    return {
        "shape": tuple(array.shape),
        "fortran_order": bool(flags.f_contiguous and not flags.c_contiguous),
        "descr": dtype_to_descr(array.dtype),
    }


def _header_literal(d):
    """The dict literal of a header (sorted keys, each followed by ', '), plus the spaces
    reserved for the growth axis to get longer in place."""
    items = "".join(f"{key!r}: {d[key]!r}, " for key in sorted(d))
    text = "{" + items + "}"
    shape = d["shape"]
    if len(shape):
        growth = shape[-1] if d["fortran_order"] else shape[0]
        text += " " * (GROWTH_AXIS_MAX_DIGITS - len(repr(growth)))
    return text


def _framed(text, spec):
    """(header length, magic + length field + padded header) of `text` under `spec`; the
    bytes are None when the length does not fit the version's field. UnicodeEncodeError when
    the text does not fit the version's encoding."""
    body = text.encode(spec.encoding)
    fixed = MAGIC_LEN + spec.length_field.size
    # The unpadded size counts the closing newline; an already aligned size still gets a
    # full ARRAY_ALIGN of spaces (observed in NumPy's output).
    unpadded = fixed + len(body) + 1
    spaces = ARRAY_ALIGN - unpadded % ARRAY_ALIGN
    length = len(body) + spaces + 1
    if length > spec.max_header_len:
        return length, None
    return length, b"".join((magic(*spec.version), spec.length_field.pack(length), body, b" " * spaces, b"\n"))


def _header_bytes(d, version):
    text = _header_literal(d)
    if version is not None:
        spec = _spec_for(version)
        _, framed = _framed(text, spec)
        if framed is None:
            unpadded = len(text.encode(spec.encoding)) + 1
            raise ValueError(f"Header length {unpadded} too big for version={version}")
        return framed
    # Oldest version that can hold the header.
    try:
        text.encode("latin1")
    except UnicodeEncodeError:
        chosen = _SPECS[(3, 0)]
        _, framed = _framed(text, chosen)
    else:
        chosen = _SPECS[(1, 0)]
        _, framed = _framed(text, chosen)
        if framed is None:
            chosen = _SPECS[(2, 0)]
            _, framed = _framed(text, chosen)
    if chosen.notice:
        _warn_user(chosen.notice)
    return framed


def write_array_header_1_0(fp, d):
    """Writes the header dict `d` in format 1.0."""
    fp.write(_header_bytes(d, (1, 0)))


def write_array_header_2_0(fp, d):
    """Writes the header dict `d` in format 2.0."""
    fp.write(_header_bytes(d, (2, 0)))


# Files written by Python 2 may spell integers with a long suffix ('3L'). Strings are
# matched first so that their contents are left alone; the suffix of a number (possibly
# after blanks) is replaced by a space, which keeps the other characters where they were.
_LONG_SUFFIX = re.compile(
    r"""(?P<text>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"|(?<![\w.])(?P<num>0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)"
    r"(?P<gap>[ \t\f]*)L(?!\w)"
)


def _without_long_suffixes(text):
    def repl(m):
        if m.group("text") is not None:
            return m.group("text")
        return m.group("num") + m.group("gap") + " "

    return _LONG_SUFFIX.sub(repl, text)


@functools.lru_cache(maxsize=128)
def _evaluated(text):
    """ast.literal_eval of a short header; files saved together tend to share headers, and
    the value is only read, never changed."""
    return ast.literal_eval(text)


def _literal(text, version):
    """The Python value written in a header; Python 2 spellings are accepted (with a warning)
    in formats 1.0 and 2.0."""
    try:
        return _evaluated(text) if len(text) <= 512 else ast.literal_eval(text)
    except SyntaxError as e:
        if version > (2, 0):
            raise ValueError(f"Cannot parse header: {text!r}") from e
    repaired = _without_long_suffixes(text)
    try:
        value = ast.literal_eval(repaired)
    except SyntaxError as e:
        raise ValueError(f"Cannot parse header: {repaired!r}") from e
    _warn_user("Reading `.npy` or `.npz` file required additional header parsing as it was "
               "created on Python 2. Save the file again to speed up loading and avoid this warning.")
    return value


class _Header:
    """A parsed, validated header: shape, fortran_order, the raw descr, and the oxnp dtype
    with whether the stored bytes are in the other byte order (dtype None: object data)."""

    __slots__ = ("shape", "fortran_order", "descr", "dtype", "swap", "unsupported")

    @property
    def count(self):
        n = 1
        for dim in self.shape:
            n *= dim
        return n


def _holds_objects(descr):
    """Whether a descriptor (plain, subarray or structured) has Python objects in it."""
    if isinstance(descr, str):
        return descr.lstrip("<>|=")[:1] == "O"
    if isinstance(descr, list):
        return any(isinstance(f, tuple) and len(f) >= 2 and _holds_objects(f[1]) for f in descr)
    if isinstance(descr, tuple) and descr:
        return _holds_objects(descr[0])
    return False


def _read_header(fp, version, max_header_size):
    spec = _spec_for(version)
    (length,) = spec.length_field.unpack(_take(fp, spec.length_field.size, "array header length"))
    text = _take(fp, length, "array header").decode(spec.encoding)
    if len(text) > max_header_size:
        raise ValueError(
            f"Header info length ({len(text)}) is large and may not be safe to load securely.\n"
            "To allow loading, adjust `max_header_size` or fully trust the `.npy` file using "
            "`allow_pickle=True`.\nFor safety against large resource use or crashes, sandboxing "
            "may be necessary."
        )
    d = _literal(text, version)
    if not isinstance(d, dict):
        raise ValueError(f"Header is not a dictionary: {d!r}")
    if d.keys() != EXPECTED_KEYS:
        raise ValueError(f"Header does not contain the correct keys: {sorted(d)!r}")
    shape = d["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(n, int) for n in shape):
        raise ValueError(f"shape is not valid: {shape!r}")
    fortran_order = d["fortran_order"]
    if not isinstance(fortran_order, bool):
        raise ValueError(f"fortran_order is not a valid bool: {fortran_order!r}")
    descr = d["descr"]
    h = _Header()
    h.shape, h.fortran_order, h.descr = shape, fortran_order, descr
    h.dtype, h.swap, h.unsupported = None, False, None
    if _holds_objects(descr):
        return h
    try:
        h.dtype, h.swap = _parse_descr(descr)
    except _Unsupported as e:
        h.unsupported = e
    except TypeError as e:
        raise ValueError(f"descr is not a valid dtype descriptor: {descr!r}") from e
    return h


def _public_header(fp, version, max_header_size):
    h = _read_header(fp, version, max_header_size)
    if h.dtype is None:  # object data, or a dtype oxnp does not have
        raise (h.unsupported or _Unsupported(h.descr)).to_error()
    return h.shape, h.fortran_order, h.dtype


def read_array_header_1_0(fp, max_header_size=MAX_HEADER_SIZE):
    """(shape, fortran_order, dtype) from a format 1.0 header; `fp` is left at the data."""
    return _public_header(fp, (1, 0), max_header_size)


def read_array_header_2_0(fp, max_header_size=MAX_HEADER_SIZE):
    """(shape, fortran_order, dtype) from a format 2.0 header; `fp` is left at the data."""
    return _public_header(fp, (2, 0), max_header_size)


# ---- arrays -------------------------------------------------------------------------------


def _write_elements(fp, array, fortran_order):
    source = array.T if fortran_order else array
    if source.flags.c_contiguous and source.nbytes >= _DIRECT_WRITE_MIN:
        fp.write(memoryview(source.reshape(-1)).cast("B"))
    else:
        fp.write(source.tobytes())


def write_array(fp, array, version=None, allow_pickle=True, pickle_kwargs=None):
    """Writes `array` to the binary file-like `fp` in .npy format. `version` None picks the
    oldest format that holds the header (with a warning past 1.0)."""
    if version is not None:
        _spec_for(version)
    header = header_data_from_array_1_0(array)
    fp.write(_header_bytes(header, version))
    if getattr(array.dtype, "hasobject", False):
        if not allow_pickle:
            raise ValueError("Object arrays cannot be saved when allow_pickle=False")
        pickle.dump(array, fp, protocol=4, **(pickle_kwargs or {}))
        return
    _write_elements(fp, array, header["fortran_order"])


def _unpickle(fp, allow_pickle, pickle_kwargs):
    if not allow_pickle:
        raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
    try:
        return pickle.load(fp, **(pickle_kwargs or {}))
    except UnicodeError as e:
        raise UnicodeError(
            f"Unpickling a python object failed: {e!r}\n"
            "You may need to pass the encoding= option to numpy.load"
        ) from e


def _shaped(flat, h):
    """The flat element array `flat` given the header's shape and order (reshape's errors
    for odd shapes, as NumPy gives them)."""
    if any(type(n) is bool for n in h.shape):
        raise TypeError("an integer is required")
    if h.fortran_order:
        return flat.reshape(h.shape[::-1]).T
    return flat.reshape(h.shape)


def read_array(fp, allow_pickle=False, pickle_kwargs=None, *, max_header_size=MAX_HEADER_SIZE):
    """Reads an array from the .npy file-like `fp`. Object arrays need `allow_pickle`; with
    it, the header size limit is lifted (the file is trusted)."""
    if allow_pickle:
        max_header_size = 2**64
    version = read_magic(fp)
    h = _read_header(fp, version, max_header_size)
    if h.dtype is None and h.unsupported is None:
        return _unpickle(fp, allow_pickle, pickle_kwargs)
    if h.unsupported is not None:
        raise h.unsupported.to_error()
    ox = _ox()
    count = h.count
    flat = ox.empty(count, dtype=h.dtype)
    if count > 0:
        wanted = count * h.dtype.itemsize
        got = _fill(fp, memoryview(flat).cast("B"))
        if got < wanted:
            if isfileobj(fp):
                raise ValueError(
                    f"Failed to read all data for array. Expected {h.shape} = {count} elements, "
                    f"could only read {got // h.dtype.itemsize} elements. (file seems not fully written?)"
                )
            raise _eof("array data", wanted, got)
        if h.swap:
            flat.byteswap(True)
    return _shaped(flat, h)


_MEMMAP_MODES = {"r": "r", "c": "c", "r+": "r+", "w+": "w+",
                 "readonly": "r", "copyonwrite": "c", "readwrite": "r+", "write": "w+"}
_MMAP_ACCESS = {"r": mmap.ACCESS_READ, "c": mmap.ACCESS_COPY, "r+": mmap.ACCESS_WRITE,
                "w+": mmap.ACCESS_WRITE}


def open_memmap(filename, mode="r+", dtype=None, shape=None, fortran_order=False, version=None, *,
                max_header_size=MAX_HEADER_SIZE):
    """An array over a memory map of the .npy file `filename` (a path, not a file object).
    The 'w' modes create the file from `dtype` (default float64), `shape`, `fortran_order`
    and `version`; the others read the header from the file."""
    if isfileobj(filename):
        raise ValueError("Memmap cannot use existing file handles.")
    ox = _ox()
    if "w" in mode:
        if version is not None:
            _spec_for(version)
        dtype = ox.dtype("float64" if dtype is None else dtype)
        if dtype.hasobject:
            raise ValueError("Array can't be memory-mapped: Python objects in dtype.")
        header = {"descr": dtype_to_descr(dtype), "fortran_order": bool(fortran_order), "shape": shape}
        with open(filename, mode + "b") as f:
            f.write(_header_bytes(header, version))
            offset = f.tell()
        h = _Header()
        h.shape, h.fortran_order, h.dtype, h.swap = tuple(shape), header["fortran_order"], dtype, False
    else:
        with open(filename, "rb") as f:
            version = read_magic(f)
            h = _read_header(f, version, max_header_size)
            offset = f.tell()
        if h.dtype is None and h.unsupported is None:
            raise ValueError("Array can't be memory-mapped: Python objects in dtype.")
        if h.unsupported is not None:
            raise h.unsupported.to_error()
    return _mapped(filename, mode, h, offset)


def _mapped(filename, mode, h, offset):
    kind = _MEMMAP_MODES.get(mode)
    if kind is None:
        raise ValueError(f"mode must be one of {list(_MEMMAP_MODES)} (got {mode!r})")
    ox = _ox()
    count = h.count
    if count < 0:
        raise ValueError("negative dimensions are not allowed")
    end = offset + count * h.dtype.itemsize
    writing = kind in ("r+", "w+")
    with open(filename, "r+b" if writing else "rb") as f:
        if writing and os.fstat(f.fileno()).st_size < end:
            f.truncate(end)  # grows the file (zeros); a short file read-only fails in mmap
        mem = mmap.mmap(f.fileno(), end, access=_MMAP_ACCESS[kind])
    flat = ox.frombuffer(mem, dtype=h.dtype, count=count, offset=offset)
    if h.swap:
        # oxnp holds native byte order only: the mapped bytes are converted into memory.
        if writing:
            raise TypeError("oxnp cannot memory-map a non-native byte order file for writing")
        flat = flat.byteswap()
        if kind == "r":
            flat.flags.writeable = False
    return _shaped(flat, h)
