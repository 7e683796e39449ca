"""File input and output: ``save``/``load``/``savez`` (.npy/.npz), ``loadtxt``/``savetxt``/
``genfromtxt`` (text), ``fromfile``/``fromstring``/``fromregex`` and the ``tofile``/``dump``/
``dumps`` methods of ``ndarray``, with NumPy 2.4's behaviour and messages."""

import contextlib
import functools
import io
import math
import operator
import os
import pickle
import re
import sys
import warnings
import weakref
import zipfile
from collections.abc import Mapping

from . import _format

__all__ = [
    "save", "load", "savez", "savez_compressed", "NpzFile", "loadtxt", "savetxt", "genfromtxt",
    "fromfile", "fromstring", "fromregex",
]


def _np():
    import oxnp

    return oxnp


class ConversionWarning(UserWarning):
    """Issued by genfromtxt when rows are dropped (NumPy's numpy.lib._iotools.ConversionWarning)."""


def _open_text(fname, mode, encoding):
    """Opens a path for text, through gzip/bz2/lzma for .gz/.bz2/.xz names (NumPy's
    DataSource does the same)."""
    if fname.endswith(".gz"):
        import gzip

        return gzip.open(fname, mode, encoding=encoding)
    if fname.endswith(".bz2"):
        import bz2

        return bz2.open(fname, mode, encoding=encoding)
    if fname.endswith(".xz") or fname.endswith(".lzma"):
        import lzma

        return lzma.open(fname, mode, encoding=encoding)
    return open(fname, mode, encoding=encoding)


# ---- .npy / .npz -----------------------------------------------------------------------------


def save(file, arr, allow_pickle=True, fix_imports=None):
    """Save an array to a binary file in NumPy ``.npy`` format."""
    np = _np()
    if hasattr(file, "write"):
        ctx = contextlib.nullcontext(file)
    else:
        file = os.fspath(file)
        if not file.endswith(".npy"):
            file = file + ".npy"
        ctx = open(file, "wb")
    with ctx as fid:
        arr = np.asanyarray(arr)
        _format.write_array(fid, arr, allow_pickle=allow_pickle)


def savez(file, *args, allow_pickle=True, **kwds):
    """Save several arrays into a single file in uncompressed ``.npz`` format."""
    _savez(file, args, kwds, False, allow_pickle=allow_pickle)


def savez_compressed(file, *args, allow_pickle=True, **kwds):
    """Save several arrays into a single file in compressed ``.npz`` format."""
    _savez(file, args, kwds, True, allow_pickle=allow_pickle)


def _savez(file, args, kwds, compress, allow_pickle=True):
    np = _np()
    if not hasattr(file, "write"):
        file = os.fspath(file)
        if not file.endswith(".npz"):
            file = file + ".npz"
    namedict = kwds
    for i, val in enumerate(args):
        key = "arr_%d" % i
        if key in namedict.keys():
            raise ValueError(f"Cannot use un-named variables and keyword {key}")
        namedict[key] = val
    compression = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    zipf = zipfile.ZipFile(file, mode="w", compression=compression, allowZip64=True)
    try:
        for key, val in namedict.items():
            val = np.asanyarray(val)
            with zipf.open(key + ".npy", "w", force_zip64=True) as fid:
                _format.write_array(fid, val, allow_pickle=allow_pickle)
    finally:
        zipf.close()


class BadNpzFile(zipfile.BadZipFile, ValueError):
    """A malformed .npz archive: NumPy lets zipfile.BadZipFile through; this is also a
    ValueError, as every malformed-file error of oxnp is."""


class BagObj:
    """Attribute access to the members of an NpzFile (``npz.f.x``)."""

    def __init__(self, obj):
        self._obj = weakref.proxy(obj)

    def __getattribute__(self, key):
        try:
            return object.__getattribute__(self, "_obj")[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(object.__getattribute__(self, "_obj").keys())


class NpzFile(Mapping):
    """A lazily loaded ``.npz`` archive: a mapping of names to arrays."""

    zip = None
    fid = None
    _MAX_REPR_ARRAY_COUNT = 5

    def __init__(self, fid, own_fid=False, allow_pickle=False, pickle_kwargs=None, *,
                 max_header_size=_format.MAX_HEADER_SIZE):
        if not hasattr(fid, "read"):
            fid = os.fspath(fid)
        try:
            _zip = zipfile.ZipFile(fid, allowZip64=True)
        except zipfile.BadZipFile as e:
            raise BadNpzFile(f"the file is not a valid .npz archive: {e}") from e
        names = _zip.namelist()
        self.files = [name.removesuffix(".npy") for name in names]
        self._files = dict(zip(self.files, names))
        self._files.update(zip(names, names))
        self.allow_pickle = allow_pickle
        self.max_header_size = max_header_size
        self.pickle_kwargs = pickle_kwargs
        self.zip = _zip
        self.f = BagObj(self)
        if own_fid:
            self.fid = fid

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def close(self):
        if self.zip is not None:
            self.zip.close()
            self.zip = None
        if self.fid is not None:
            self.fid.close()
            self.fid = None
        self.f = None

    def __del__(self):
        self.close()

    def __iter__(self):
        return iter(self.files)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, key):
        try:
            key = self._files[key]
        except KeyError:
            raise KeyError(f"{key} is not a file in the archive") from None
        if self.zip is None:
            raise ValueError("I/O operation on closed file.")
        try:
            member = self.zip.open(key)
        except (zipfile.BadZipFile, OSError) as e:
            raise ValueError(f"cannot read {key!r} from the archive: {e}") from e
        with member as data:
            try:
                magic = data.read(len(_format.MAGIC_PREFIX))
                data.seek(0)
                if magic == _format.MAGIC_PREFIX:
                    return _format.read_array(
                        data, allow_pickle=self.allow_pickle, pickle_kwargs=self.pickle_kwargs,
                        max_header_size=self.max_header_size,
                    )
                return data.read()
            except (zipfile.BadZipFile, EOFError, __import__("zlib").error) as e:
                raise ValueError(f"cannot read {key!r} from the archive: {e}") from e

    def __contains__(self, key):
        return key in self._files

    def __repr__(self):
        if isinstance(self.fid, str):
            filename = self.fid
        else:
            filename = getattr(self.fid, "name", "object")
        names = ", ".join(self.files[: self._MAX_REPR_ARRAY_COUNT])
        if len(self.files) > self._MAX_REPR_ARRAY_COUNT:
            names += "..."
        return f"NpzFile {filename!r} with keys: {names}"

    def get(self, key, default=None, /):
        return Mapping.get(self, key, default)

    def items(self):
        return Mapping.items(self)

    def keys(self):
        return Mapping.keys(self)

    def values(self):
        return Mapping.values(self)


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", *,
         max_header_size=_format.MAX_HEADER_SIZE):
    """Load arrays or pickled objects from ``.npy``, ``.npz`` or pickled files."""
    if encoding not in ("ASCII", "latin1", "bytes"):
        raise ValueError("encoding must be 'ASCII', 'latin1', or 'bytes'")
    pickle_kwargs = {"encoding": encoding, "fix_imports": fix_imports}
    with contextlib.ExitStack() as stack:
        if hasattr(file, "read"):
            fid = file
            own_fid = False
        else:
            fid = stack.enter_context(open(os.fspath(file), "rb"))
            own_fid = True
        n = len(_format.MAGIC_PREFIX)
        magic = fid.read(n)
        if not magic:
            raise EOFError("No data left in file")
        fid.seek(-min(n, len(magic)), 1)
        if magic.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            ret = NpzFile(fid, own_fid=own_fid, allow_pickle=allow_pickle,
                          pickle_kwargs=pickle_kwargs, max_header_size=max_header_size)
            stack.pop_all()
            return ret
        if magic == _format.MAGIC_PREFIX:
            if mmap_mode:
                if allow_pickle:
                    max_header_size = 2**64
                return _format.open_memmap(file, mode=mmap_mode, max_header_size=max_header_size)
            return _format.read_array(fid, allow_pickle=allow_pickle, pickle_kwargs=pickle_kwargs,
                                     max_header_size=max_header_size)
        if not allow_pickle:
            raise ValueError(
                "This file contains pickled (object) data. If you trust the file you can load "
                "it unsafely using the `allow_pickle=` keyword argument or `pickle.load()`."
            )
        try:
            return pickle.load(fid, **pickle_kwargs)
        except Exception as e:
            raise pickle.UnpicklingError(f"Failed to interpret file {file!r} as a pickle") from e


# ---- ndarray methods --------------------------------------------------------------------------


def _method_dumps(self):
    return pickle.dumps(self, protocol=2)


def _method_dump(self, file):
    if hasattr(file, "write"):
        pickle.dump(self, file, protocol=2)
    else:
        with open(os.fspath(file), "wb") as f:
            pickle.dump(self, f, protocol=2)


def _method_tofile(self, fid, sep="", format="%s"):
    if hasattr(fid, "write"):
        fid.fileno()  # NumPy needs a real file: io.UnsupportedOperation otherwise
        if not sep and isinstance(fid, io.TextIOBase):
            fid.flush()
            fid = fid.buffer
        ctx = contextlib.nullcontext(fid)
    else:
        ctx = open(os.fspath(fid), "wb")
    with ctx as f:
        if not sep:
            if self.flags.c_contiguous and self.nbytes >= _format._DIRECT_WRITE_MIN:
                f.write(memoryview(self.reshape(-1)).cast("B"))
            else:
                f.write(self.tobytes())
            return
        items = self.reshape(-1).tolist()
        text = sep.join(format % (v,) for v in items)
        f.write(text.encode("latin1") if _is_binary(f) else text)


def _is_binary(f):
    if isinstance(f, io.TextIOBase):
        return False
    mode = getattr(f, "mode", "b")
    return "b" in mode if isinstance(mode, str) else True


# ---- number parsing shared by the text readers --------------------------------------------


_NAN = float("nan")
_F32_ROUNDS_TO_INF = float.fromhex("0x1.ffffffp127")  # halfway from float32's max to 2**128


def _int_bounds(dtype):
    if dtype.kind == "b":
        return None
    bits = dtype.itemsize * 8
    if dtype.kind == "u":
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


_REAL = r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|(?i:inf(?:inity)?|nan))"
# NumPy's complex field: a real part, then either "j" (it was the imaginary part) or a sign
# and an imaginary part ("7+-5j" too, not "7--5j"), optionally in parentheses.
_COMPLEX = re.compile(rf"({_REAL})(?:(j)|([+-])({_REAL})j)?")


def _parse_complex(s):
    text = s.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    m = _COMPLEX.fullmatch(text)
    if m is None:
        raise ValueError(s)
    first, pure_imag, sign, second = m.groups()
    if pure_imag:
        return complex(0.0, float(first))
    if sign is None:
        return complex(float(first), 0.0)
    if sign == "-":
        # the minus belongs to the imaginary number, which then takes no sign of its own
        if second[0] in "+-":
            raise ValueError(s)
        return complex(float(first), -float(second))
    return complex(float(first), float(second))


def _make_parser(dtype):
    """A function str -> Python value for one field of `dtype`, raising ValueError.

    Python's float/int/complex accept what NumPy's parser does, plus underscores and non-ASCII
    digits, which are rejected first."""
    kind = dtype.kind
    if kind == "f" and dtype.itemsize == 2:
        # NumPy reads float16 fields through Python's float ("1_0", " 1 ", non-ASCII digits)
        return float
    if kind == "f":
        def parse_float(s):
            s = s.strip()
            if "_" in s or not s.isascii():
                raise ValueError(s)
            return float(s)

        return parse_float
    if kind == "c":
        return _parse_complex
    # a bool field is an integer, which must fit int64
    lo, hi = _int_bounds(dtype) or (-(1 << 63), (1 << 63) - 1)

    unsigned = kind == "u"

    def parse_int(s):
        s = s.strip()
        if "_" in s or not s.isascii() or (unsigned and s.startswith("-")):
            raise ValueError(s)
        v = int(s)
        if not lo <= v <= hi:
            raise ValueError(s)
        return v != 0 if kind == "b" else v

    return parse_int


def _make_packer(dtype):
    """What storing a converter's result into a `dtype` array does (NumPy packs it as setitem
    does: strings through Python's float/int/complex, floats truncated into integers, truth
    values into bool): the Python value for the row, or the exception setitem raises."""
    kind = dtype.kind
    if kind == "b":
        return bool
    if kind == "f" and dtype.itemsize == 4:
        def pack_float32(v):
            v = _NAN if v is None else float(v)
            if _F32_ROUNDS_TO_INF <= abs(v) < math.inf:
                # NumPy's setitem casts with the overflow check; its parser does not
                warnings.warn("overflow encountered in cast", RuntimeWarning, stacklevel=4)
            return v

        return pack_float32
    if kind == "f":
        return lambda v: _NAN if v is None else float(v)
    if kind == "c":
        return lambda v: complex(_NAN, _NAN) if v is None else complex(v)
    lo, hi = _int_bounds(dtype)
    wide_unsigned = kind == "u" and dtype.itemsize >= 4

    def pack_int(v):
        v = int(v)
        if not (-(1 << 63) <= v < (1 << 63) or (wide_unsigned and 0 <= v < (1 << 64))):
            raise OverflowError("Python int too large to convert to C long")
        if not lo <= v <= hi:
            raise OverflowError(f"Python integer {v} out of bounds for {dtype.name}")
        return v

    return pack_int


# ---- loadtxt ---------------------------------------------------------------------------------


def _check_nonneg_int(value, name="argument"):
    try:
        operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer") from None
    if value < 0:
        raise ValueError(f"{name} must be nonnegative")


def _check_ndmin(ndmin):
    if ndmin not in [0, 1, 2]:
        raise ValueError(f"Illegal value of ndmin keyword: {ndmin}")


def _ensure_ndmin(a, ndmin):
    np = _np()
    if a.ndim > ndmin:
        a = np.squeeze(a)
    if a.ndim < ndmin:
        if ndmin == 1:
            a = np.atleast_1d(a)
        elif ndmin == 2:
            a = np.atleast_2d(a).T
    return a


def _control_char(c):
    if c is None:
        return None
    if isinstance(c, bytes):
        c = c.decode("latin1")
    if not isinstance(c, str) or len(c) != 1:
        raise TypeError(
            "Text reading control character must be a single unicode character or None; "
            f"but got: {c!r}"
        )
    return c


def _line_source(fname, encoding):
    """(iterator of str lines, closer or None)."""
    if isinstance(fname, os.PathLike):
        fname = os.fspath(fname)
    if isinstance(fname, bytes):
        raise TypeError("non-string returned while reading data")
    if isinstance(fname, str):
        fh = _open_text(fname, "rt", None if encoding == "bytes" else encoding)
        return iter(fh), fh
    enc = encoding if encoding not in (None, "bytes") else getattr(fname, "encoding", None) or "latin1"
    try:
        it = iter(fname)
    except TypeError as e:
        raise ValueError(
            "fname must be a string, filehandle, list of strings,\n"
            f"or generator. Got {type(fname)} instead."
        ) from e
    if isinstance(fname, io.TextIOBase):
        return it, None  # its lines are str
    return _decoded(it, enc), None


def _decoded(it, encoding, strict=True):
    """The lines of `it` as str: bytes decoded, str as they are. Anything else is NumPy's
    TypeError for loadtxt; genfromtxt (`strict=False`) passes it on to its splitter, which then
    fails on it as NumPy's does."""
    for line in it:
        if isinstance(line, str):
            yield line
        elif isinstance(line, bytes):
            yield line.decode(encoding)
        elif strict:
            raise TypeError("non-string returned while reading data")
        else:
            yield line


def _tokenize_quoted(line, delimiter, quote, comment):
    """The fields of one line as NumPy's text reader splits it when a quote character is set.

    A field is quoted only when its first character (after leading whitespace, in whitespace
    mode) is the quote; inside, delimiters and the comment character are data and a doubled
    quote is one quote; after the closing quote the field goes on unquoted. An unquoted comment
    character ends the line. A last empty field is dropped when the line is empty, or always in
    whitespace mode -- except, as in NumPy, when the line's first field was quoted.

    Returns (fields, open): `open` when the line ended inside a quoted field (the field then
    goes on on the next line)."""
    ws = delimiter is None
    still_quoted = False
    fields = []
    first_quoted = False
    i, n = 0, len(line)
    while True:
        cur = []
        fields.append(cur)
        if ws:
            while i < n and line[i].isspace():
                i += 1
        if i >= n:
            break
        quoted = line[i] == quote
        if quoted:
            if len(fields) == 1:
                first_quoted = True
            i += 1
        ended = False
        while True:
            if quoted:
                j = line.find(quote, i)
                if j < 0:
                    cur.append(line[i:])
                    i = n
                    ended = still_quoted = True
                    break
                cur.append(line[i:j])
                i = j + 1
                if i < n and line[i] == quote:
                    cur.append(quote)
                    i += 1
                    continue
                quoted = False
                continue
            j = i
            while j < n:
                c = line[j]
                if (c.isspace() if ws else c == delimiter) or c == comment:
                    break
                j += 1
            cur.append(line[i:j])
            if j >= n:
                i = n
                ended = True
            elif line[j] == comment:
                i = n
                ended = True
            else:
                i = j + 1
            break
        if ended:
            break
    out = ["".join(f) for f in fields]
    if (len(out) == 1 or (out and ws)) and out[-1] == "" and not first_quoted:
        out.pop()
    return out, still_quoted


def loadtxt(fname, dtype=float, comments="#", delimiter=None, converters=None, skiprows=0,
            usecols=None, unpack=False, ndmin=0, encoding=None, max_rows=None, *,
            quotechar=None, like=None):
    """Load data from a text file (NumPy's ``loadtxt``; numeric dtypes)."""
    np = _np()
    if dtype is None:
        dtype = np.float64
    dtype = np.dtype(dtype)
    if usecols is not None:
        try:
            usecols = list(usecols)
        except TypeError:
            usecols = [usecols]
        for c in usecols:
            try:
                operator.index(c)
            except TypeError:
                raise TypeError(
                    "usecols must be an int or a sequence of ints but it contains at least one "
                    f"element of type '{type(c).__name__}'"
                ) from None
        usecols = [operator.index(c) for c in usecols]
        for c in usecols:
            if not -(1 << 63) <= c < (1 << 63):
                raise OverflowError("cannot fit 'int' into an index-sized integer")
    _check_ndmin(ndmin)
    # comments: None, one string, or a sequence of strings
    if comments is not None:
        if isinstance(comments, (str, bytes)):
            comments = [comments]
        comments = [c.decode("latin1") if isinstance(c, bytes) else c for c in comments]
        if "" in comments:
            raise ValueError(
                "comments cannot be an empty string. Use comments=None to disable comments."
            )
    delimiter = _control_char(delimiter)
    quotechar = _control_char(quotechar)
    comment_char = None
    if comments is not None:
        if len(comments) == 0:
            comments = None
        elif len(comments) == 1 and len(comments[0]) == 1:
            comment_char = comments[0]
            comments = None
        elif delimiter in comments:
            raise TypeError(
                f"Comment characters '{tuple(comments)}' cannot include the delimiter "
                f"'{delimiter}'"
            )
    if comments is not None and quotechar is not None:
        raise ValueError(
            "when multiple comments or a multi-character comment is given, quotes are not "
            "supported.  In this case quotechar must be set to None."
        )
    for name, c in (("delimiter", delimiter), ("comment", comment_char), ("quotechar", quotechar)):
        if c in ("\n", "\r"):
            raise TypeError(f"control character '{name}' cannot be a newline (`\\r` or `\\n`).")

    def _incompatible(a, b):
        raise TypeError(f"The values for control characters '{a}' and '{b}' are incompatible")

    if delimiter is None:
        if comment_char is not None and comment_char.isspace():
            _incompatible("delimiter", "comment")
        if quotechar is not None and quotechar.isspace():
            _incompatible("delimiter", "quotechar")
    else:
        if comment_char is not None and comment_char == delimiter:
            _incompatible("comment", "delimiter")
        if quotechar is not None and quotechar == delimiter:
            _incompatible("quotechar", "delimiter")
    if comment_char is not None and comment_char == quotechar:
        _incompatible("comment", "quotechar")
    _check_nonneg_int(skiprows)
    if max_rows is not None:
        _check_nonneg_int(max_rows)
    else:
        max_rows = -1
    byte_converters = encoding == "bytes"

    # converters: one callable for all columns, or {column: callable}
    if converters is not None and not callable(converters) and not isinstance(converters, dict):
        raise TypeError(
            "converters must be a dictionary mapping columns to converter functions or a single "
            f"callable; got {converters!r}"
        )
    if isinstance(converters, dict):
        for k, v in converters.items():
            try:
                operator.index(k)
            except TypeError:
                raise TypeError(
                    f"keys of the converters dictionary must be integers; got {k!r}"
                ) from None
            if not callable(v):
                raise TypeError("values of the converters dictionary must be callable, "
                                f"but the value associated with the key {k!r} is not")
    parse = _make_parser(dtype)
    pack = _make_packer(dtype)
    type_name = dtype.name

    lines, closer = _line_source(fname, encoding)
    bulk_ok = (converters is None and usecols is None and quotechar is None and comments is None
               and max_rows < 0 and dtype.kind in "fiu")
    whole_file = closer is not None or hasattr(fname, "read")
    data = None
    if bulk_ok and whole_file:
        try:
            data = "".join(lines)
        finally:
            if closer is not None:
                closer.close()
                closer = None
    elif bulk_ok:
        # a list of str lines, each ending in its only newline, reads as one text too
        data = _joined_lines(fname)
    if data is not None:
        arr = _loadtxt_bulk(np, data, dtype, delimiter, comment_char, skiprows)
        if arr is not None:
            arr = _ensure_ndmin(arr, ndmin)
            if arr.shape and arr.shape[0] == 0:
                warnings.warn(f'loadtxt: input contained no data: "{fname}"', UserWarning,
                              stacklevel=2)
            return arr.T if unpack else arr
        if whole_file:
            lines = iter(data.splitlines(True))
    rows = []
    row = None
    ncols = None
    conv_for = None
    # the fast row parser: Python's own float/int over a whole row (checked once per line)
    kind = dtype.kind
    fast = None
    if converters is None and usecols is None:
        if kind == "f":
            fast = float
        elif kind in "iub":
            fast = int
    lo, hi = (None, None)
    if kind in "iu":
        lo, hi = _int_bounds(dtype)
    elif kind == "b":
        lo, hi = -(1 << 63), (1 << 63) - 1  # bool fields are int64 text
    try:
        for _ in range(skiprows):
            if next(lines, None) is None:
                break
        lineno = skiprows
        warned_empty = max_rows < 0
        # stop right after the last row wanted: a file read on later goes on from there
        for line in lines if max_rows != 0 else ():
            lineno += 1
            if line[-1:] == "\n":
                line = line[:-1]
            if line[-1:] == "\r":
                line = line[:-1]
            if "\n" in line or "\r" in line:
                if quotechar is None or quotechar not in line:
                    raise ValueError(
                        "Found an unquoted embedded newline within a single line of input.  "
                        "This is currently not supported."
                    )
            if comments is not None:
                for c in comments:
                    line = line.split(c, 1)[0]
            if quotechar is not None and quotechar in line:
                fields, still_quoted = _tokenize_quoted(line, delimiter, quotechar, comment_char)
                while still_quoted:
                    # a quoted field holds the line break: it goes on on the next line
                    more = next(lines, None)
                    if more is None:
                        break
                    line += "\n" + more.rstrip("\r\n")
                    fields, still_quoted = _tokenize_quoted(line, delimiter, quotechar, comment_char)
            elif comment_char is not None and comment_char in line:
                line = line.partition(comment_char)[0]
                fields = line.split(delimiter) if line or delimiter is None else []
            elif delimiter is None:
                fields = line.split()
            else:
                fields = line.split(delimiter) if line else []
            if not fields:
                if not warned_empty:
                    warned_empty = True
                    warnings.warn(
                        f"Input line {lineno} contained no data and will not be counted "
                        f"towards `max_rows={max_rows}`.  This differs from the behaviour in "
                        "NumPy <=1.22 which counted lines rather than rows.  If desired, the "
                        "previous behaviour can be achieved by using `itertools.islice`.\n"
                        "Please see the 1.23 release notes for an example on how to do this.  "
                        "If you wish to ignore this warning, use `warnings.filterwarnings`.  "
                        "This warning is expected to be removed in the future and is given only "
                        "once per `loadtxt` call.", UserWarning, stacklevel=2,
                    )
                continue
            nf = len(fields)
            rowno = len(rows)
            if ncols is None or nf != ncols:
                if usecols is None:
                    if ncols is None:
                        ncols = nf
                    else:
                        raise ValueError(
                            f"the number of columns changed from {ncols} to {nf} at row "
                            f"{rowno + 1}; use `usecols` to select a subset and avoid this error"
                        )
            if fast is not None and line.isascii() and "_" not in line:
                try:
                    row = list(map(fast, fields))
                    if lo is not None and (min(row) < lo or max(row) > hi):
                        row = None
                    elif kind == "u" and "-" in line:
                        row = None
                    elif kind == "b":
                        row = [v != 0 for v in row]
                except ValueError:
                    row = None
                if row is not None:
                    rows.append(row)
                    if len(rows) == max_rows:
                        break
                    continue
            if usecols is not None:
                # with usecols, a converter's key must equal the usecols entry as written
                if conv_for is None:
                    conv_for = [converters if callable(converters) else
                                converters.get(c) if converters else None for c in usecols]
            elif conv_for is None or len(conv_for) != nf:
                conv_for = _converters_for(converters, nf)
            row = []
            for j, c in enumerate(usecols if usecols is not None else range(nf)):
                if not -nf <= c < nf:
                    raise ValueError(
                        f"invalid column index {c} at row {rowno + 1} with {nf} columns"
                    )
                if c < 0:
                    c += nf
                s = fields[c]
                conv = conv_for[j]
                try:
                    if conv is not None:
                        v = pack(conv(s.encode("latin1") if byte_converters else s))
                    else:
                        v = parse(s)
                except Exception as e:  # noqa: BLE001 - NumPy reports any failure so
                    raise ValueError(
                        f"could not convert string {repr(s)[:100]} to {type_name} at row "
                        f"{rowno}, column {c + 1}."
                    ) from (e if conv is not None else None)
                row.append(v)
            rows.append(row)
            if len(rows) == max_rows:
                break
    except ValueError:
        if dtype.kind == "f" and dtype.itemsize == 2:
            # NumPy converts field by field: the fields read before the error have warned
            done = rows if not row or (rows and row is rows[-1]) else rows + [row]
            for _ in range(sum(1 for r in done for v in r if 65520.0 <= abs(v) < math.inf)):
                warnings.warn("overflow encountered in cast", RuntimeWarning, stacklevel=2)
        raise
    finally:
        if closer is not None:
            closer.close()

    if rows:
        arr = _rows_to_array(np, rows, dtype)
    else:
        n = len(usecols) if usecols is not None else 1
        arr = np.empty((0, n), dtype=dtype)
    arr = _ensure_ndmin(arr, ndmin)
    if arr.shape and arr.shape[0] == 0:
        warnings.warn(f'loadtxt: input contained no data: "{fname}"', UserWarning, stacklevel=2)
    if unpack:
        return arr.T
    return arr


def _joined_lines(items):
    """The text of `items` when it is a list or tuple of str lines that each end in their only
    newline (the last may have none), so that the joined text keeps the lines; else None."""
    if not isinstance(items, (list, tuple)) or not items:
        return None
    if not all(type(line) is str and line[-1:] == "\n" for line in items[:-1]):
        return None
    last = items[-1]
    if type(last) is not str:
        return None
    text = "".join(items)
    return text if text.count("\n") == len(items) - (last[-1:] != "\n") else None


def _loadtxt_bulk(np, data, dtype, delimiter, comment, skiprows):
    """loadtxt of plain numeric text in a few whole-text passes, or None when the text needs
    the line-by-line reader (an error to report with NumPy's message, '\\r' line ends, ...)."""
    import itertools

    if "\r" in data or not data.isascii() or "_" in data:
        return None
    if dtype.kind == "f" and not any(c in data for c in "\x0b\x0c\x1c\x1d\x1e\x1f"):
        from . import _oxnp

        table = getattr(_oxnp, "_loadtxt_floats", None)
        if table is not None:
            arr = table(data, delimiter, comment, skiprows)
            if arr is not None:
                return arr if dtype == np.float64 else _narrow(np, arr, dtype)
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if skiprows:
        lines = lines[skiprows:]
    if comment is not None and comment in data:
        lines = [line.partition(comment)[0] for line in lines]
    if delimiter is None:
        rows = [r for r in map(str.split, lines) if r]
    else:
        rows = [line.split(delimiter) for line in lines if line]
    if not rows:
        return None
    ncols = len(rows[0])
    if any(len(r) != ncols for r in rows):
        return None
    flat = itertools.chain.from_iterable(rows)
    try:
        values = list(map(float if dtype.kind == "f" else int, flat))
    except ValueError:
        return None
    if dtype.kind in "iu":
        lo, hi = _int_bounds(dtype)
        if values and (min(values) < lo or max(values) > hi):
            return None
        if dtype.kind == "u" and "-" in data:
            return None
    return _rows_to_array(np, values, dtype).reshape(len(rows), ncols)


def _narrow(np, arr, dtype):
    """float64 values cast to a smaller float dtype, warning on overflow as NumPy's cast does."""
    with np.errstate(over="ignore"):
        out = arr.astype(dtype)
    if dtype.kind == "f" and dtype.itemsize == 2:
        # NumPy's reader converts field by field, and its double->half conversion (not the
        # plain C cast to float32) raises the overflow flag: one warning per overflowing field
        for _ in range(int(np.count_nonzero(np.isinf(out) & np.isfinite(arr)))):
            warnings.warn("overflow encountered in cast", RuntimeWarning, stacklevel=3)
    return out


def _rows_to_array(np, rows, dtype):
    if dtype.kind == "f" and dtype.itemsize < 8:
        return _narrow(np, np.array(rows, dtype=np.float64), dtype)
    try:
        return np.array(rows, dtype=dtype)
    except OverflowError as e:
        raise ValueError(str(e)) from None


def _converters_for(converters, nf):
    out = [None] * nf
    if converters is None:
        return out
    if callable(converters):
        return [converters] * nf
    for k, v in converters.items():
        k = operator.index(k)  # loadtxt checked that every key is an integer
        if -nf <= k < nf:
            out[k] = v
        else:
            raise ValueError(
                f"converter specified for column {k}, which is invalid for the number of "
                f"fields {nf}."
            )
    return out


# ---- savetxt ---------------------------------------------------------------------------------


def savetxt(fname, X, fmt="%.18e", delimiter=" ", newline="\n", header="", footer="",
            comments="# ", encoding=None):
    """Save an array to a text file (NumPy's ``savetxt``)."""
    np = _np()

    class WriteWrap:
        def __init__(self, fh, enc):
            self.fh = fh
            self.encoding = enc
            self.do_write = self.first_write

        def close(self):
            self.fh.close()

        def write(self, v):
            self.do_write(v)

        def write_bytes(self, v):
            self.fh.write(v if isinstance(v, bytes) else v.encode(self.encoding))

        def write_normal(self, v):
            self.fh.write(v)

        def first_write(self, v):
            try:
                self.write_normal(v)
                self.do_write = self.write_normal
            except TypeError:
                self.write_bytes(v)
                self.do_write = self.write_bytes

    own_fh = False
    if isinstance(fname, os.PathLike):
        fname = os.fspath(fname)
    if isinstance(fname, str):
        open(fname, "wt").close()
        fh = _open_text(fname, "wt", encoding)
        own_fh = True
    elif hasattr(fname, "write"):
        fh = WriteWrap(fname, encoding or "latin1")
    else:
        raise ValueError("fname must be a string or file handle")

    try:
        X = np.asarray(X)
        if X.ndim == 0 or X.ndim > 2:
            raise ValueError("Expected 1D or 2D array, got %dD array instead" % X.ndim)
        if X.ndim == 1:
            X = np.atleast_2d(X).T
        ncol = X.shape[1]
        iscomplex_X = X.dtype.kind == "c"
        if type(fmt) in (list, tuple):
            if len(fmt) != ncol:
                raise AttributeError(f"fmt has wrong shape.  {str(fmt)}")
            fmt_str = delimiter.join(fmt)
        elif isinstance(fmt, str):
            n_fmt_chars = fmt.count("%")
            error = ValueError(f"fmt has wrong number of % formats:  {fmt}")
            if n_fmt_chars == 1:
                if iscomplex_X:
                    fmts = [f" ({fmt}+{fmt}j)"] * ncol
                else:
                    fmts = [fmt] * ncol
                fmt_str = delimiter.join(fmts)
            elif iscomplex_X and n_fmt_chars != (2 * ncol):
                raise error
            elif (not iscomplex_X) and n_fmt_chars != ncol:
                raise error
            else:
                fmt_str = fmt
        else:
            raise ValueError(f"invalid fmt: {fmt!r}")

        if len(header) > 0:
            header = header.replace("\n", "\n" + comments)
            fh.write(comments + header + newline)
        rows = _scalar_rows(X, fmt_str)
        if iscomplex_X:
            for row in rows:
                row2 = []
                for number in row:
                    row2.extend((number.real, number.imag))
                s = fmt_str % tuple(row2) + newline
                fh.write(s.replace("+-", "-"))
        else:
            for row in rows:
                try:
                    v = fmt_str % tuple(row) + newline
                except TypeError as e:
                    raise TypeError(
                        "Mismatch between array dtype ('%s') and format specifier ('%s')"
                        % (str(X.dtype), fmt_str)
                    ) from e
                fh.write(v)
        if len(footer) > 0:
            footer = footer.replace("\n", "\n" + comments)
            fh.write(comments + footer + newline)
    finally:
        if own_fh:
            fh.close()


def _scalar_rows(X, fmt_str):
    """Rows of X as lists of NumPy-like scalars (formatting '%s' must see the scalar's str)."""
    np = _np()
    kind = X.dtype.kind
    plain = "%r" not in fmt_str and "%a" not in fmt_str
    if plain and X.dtype.itemsize == 8 and (kind == "f" or kind in "iu"):
        # Python floats and ints format exactly as float64/int64 scalars do under % (their
        # str/repr is the same), and come out of tolist() much faster.
        return X.tolist()
    if kind == "b":
        t = np.bool_
        return [[t(v) for v in row] for row in X.tolist()]
    return [list(row) for row in X]


# ---- genfromtxt ------------------------------------------------------------------------------


class ConverterError(Exception):
    """A genfromtxt column could not convert a value (NumPy's numpy.lib._iotools.ConverterError)."""


class ConverterLockError(ConverterError):
    """A column with a user converter met a value it cannot convert (user converters, unlike
    the dtype=None guesses, are never replaced by a wider type)."""


_TWINS = {}


def _twin(cls):
    """`cls`, or -- when NumPy's numpy.lib._iotools is loaded in the same process -- a subclass of
    both `cls` and NumPy's class of the same name, so that code catching or filtering NumPy's
    genfromtxt warnings and errors also sees oxnp's."""
    theirs = getattr(sys.modules.get("numpy.lib._iotools"), cls.__name__, None)
    if not isinstance(theirs, type) or issubclass(cls, theirs):
        return cls
    both = _TWINS.get(cls)
    if both is None or not issubclass(both, theirs):
        both = _TWINS[cls] = type(cls.__name__, (cls, theirs), {"__module__": cls.__module__})
    return both


def _str2bool(value):
    value = value.upper()
    if value == "TRUE":
        return True
    if value == "FALSE":
        return False
    raise ValueError("Invalid boolean")


_I64 = (-(1 << 63), (1 << 63) - 1)


def _int64_field(s):
    v = int(s)
    if not _I64[0] <= v <= _I64[1]:
        raise OverflowError("Python int too large to convert to C long")
    return v


def _uint64_field(s):
    v = int(s)
    if not _I64[0] <= v < (1 << 64):
        raise OverflowError("Python int too large to convert to C long")
    if v < 0:
        raise OverflowError(f"Python integer {v} out of bounds for uint64")
    return v


def _narrow_int_field(s):
    # the other integer dtypes go through float: "2.5" reads as 2, "1e3" as 1000
    return int(float(s))


_NAN_PAYLOAD = re.compile(r"[+-]?nan\([0-9a-zA-Z_]*\)", re.IGNORECASE)


def _longdouble_field(s):
    """Accepts what NumPy's longdouble parser (C strtold, whole string) does -- hexadecimal
    floats included -- for the dtype=None guesses; oxnp has no longdouble to return."""
    if not s.isascii() or "_" in s or s != s.strip() or not s:
        raise ValueError(s)
    try:
        return float(s)
    except ValueError:
        pass
    if s.lstrip("+-")[:2] in ("0x", "0X"):
        return float.fromhex(s)
    if _NAN_PAYLOAD.fullmatch(s):
        return _NAN
    raise ValueError(s)


def _abstract_integer(s):
    # NumPy's guess after longdouble is the abstract np.integer, and making an array of that
    # type raises once a value reads as an int
    int(s)
    raise TypeError("Converting 'np.integer' or 'np.signedinteger' to a dtype is not allowed")


# dtype=None: the types a column tries, in order, until all its values convert (NumPy's
# StringConverter order; its floating/complexfloating steps after np.integer repeat float64's
# and complex128's). The last, text, takes anything: NumPy makes a string field of it.
_LADDER = [("bool", _str2bool, False), ("int64", int, -1), ("float64", float, _NAN),
           ("complex128", complex, complex(_NAN, 0.0)), ("longdouble", _longdouble_field, _NAN),
           ("integer", _abstract_integer, -1), ("text", str, "???")]


def _dtype_conversion(dtype):
    """(function, value for a missing field) of a column read as `dtype`."""
    kind, name = dtype.kind, dtype.name
    if kind == "b":
        return _str2bool, False
    if kind in "iu":
        if name == "int64":
            return _int64_field, -1
        if name == "uint64":
            return _uint64_field, -1
        return _narrow_int_field, -1
    if kind == "c":
        return complex, complex(_NAN, 0.0)
    return float, _NAN


def _type_of(value):
    """The dtype NumPy gives `value` (`np.array(value).dtype`), or "text"/"object" where oxnp has
    no such dtype."""
    if isinstance(value, (str, bytes)):
        return "text"
    try:
        return _np().asarray(value).dtype
    except Exception:
        return "object"


class _Column:
    """How the strings of one column become values (the behaviour of NumPy's StringConverter):
    a conversion function, the value of a missing or (loose mode) bad field, and the type the
    values take. With dtype=None the column starts as bool and climbs _LADDER."""

    def __init__(self, dtype, missing, fill):
        self.missing = set(missing)
        self.fill = fill
        self.checked = False
        self.user = False
        self.locked = dtype is not None
        if dtype is None:
            self.level = 0
            self.type, self.func, _ = _LADDER[0]
            self.default = fill or False
        else:
            self.level = 0 if dtype.kind == "b" else 1
            self.type = dtype
            self.func, default = _dtype_conversion(dtype)
            self.default = default if fill is None else fill

    def use(self, func, testing_value):
        """Switches to a user converter; its type is that of its result on `testing_value` (or
        of the filling value when one is given)."""
        self.func = func
        self.user = True
        self.locked = True
        if self.fill is not None:
            self.default = self.fill
            self.type = _type_of(self.fill)
            return
        try:
            probe = func(testing_value or "1")
        except (TypeError, ValueError):
            probe = None
        self.type = _type_of(probe)

    def strict(self, s):
        try:
            v = self.func(s)
            if self.func is int and str(self.type) == "int64" and not _I64[0] <= v <= _I64[1]:
                raise ValueError(s)  # NumPy checks that the text fits the column's type
            return v
        except ValueError:
            if s.strip() in self.missing:
                if self.level == 0:
                    # a bool column with missing fields does not decide the output type
                    self.checked = False
                return self.default
            raise ValueError(f"Cannot convert string '{s}'") from None

    def loose(self, s):
        try:
            return self.func(s)
        except ValueError:
            return self.default

    def convert(self, values, loose):
        """The column's values (loose: a field that does not convert takes the default)."""
        if loose and not self.user:
            # oxnp's own conversions have no side effects: try the whole column at C speed
            try:
                return list(map(self.func, values))
            except ValueError:
                return [self.loose(s) for s in values]
        return [self.loose(s) if loose else self.strict(s) for s in values]

    def climb(self, values):
        """dtype=None: moves up _LADDER until every value converts (raises ConverterLockError
        when a user converter fails)."""
        while True:
            self.checked = True
            try:
                for s in values:
                    self.strict(s)
                return
            except ValueError:
                if self.locked:
                    raise _twin(ConverterLockError)(
                        "Converter is locked and cannot be upgraded") from None
                self.level += 1
                self.type, self.func, default = _LADDER[self.level]
                self.default = default if self.fill is None else self.fill


def _by_name(key):
    raise NotImplementedError(
        f"oxnp.genfromtxt: column {key!r} given by name needs names=, which makes a structured "
        "array (oxnp has no structured dtypes)"
    )


def _missing_strings(user, nbcols, usecols):
    """The strings that mark a missing field, one list per column (NumPy's rules: a dict maps
    columns -- None for all -- to one string or a sequence; a sequence gives one string per
    column; a string is split at commas and applies to all)."""
    cols = [[""] for _ in range(nbcols)]
    user = user or ()
    if isinstance(user, bytes):
        user = user.decode("latin1")
    if isinstance(user, dict):
        for key, val in user.items():
            if isinstance(key, str):
                _by_name(key)
            if usecols and key in usecols:
                key = usecols.index(key)
            vals = [str(v) for v in val] if isinstance(val, (list, tuple)) else [str(val)]
            for col in (cols if key is None else [cols[key]]):
                col.extend(vals)
    elif isinstance(user, (list, tuple)):
        for val, col in zip(user, cols):
            if str(val) not in col:
                col.append(str(val))
    else:
        vals = user.split(",") if isinstance(user, str) else [str(user)]
        for col in cols:
            col.extend(vals)
    return cols


def _filling_values(user, nbcols, usecols):
    """The value of a missing field per column, None where the column's type decides."""
    if user is None:
        return [None] * nbcols
    if isinstance(user, dict):
        fills = [None] * nbcols
        for key, val in user.items():
            if isinstance(key, str):
                _by_name(key)
            if usecols and key in usecols:
                key = usecols.index(key)
            fills[key] = val
        return fills
    if isinstance(user, (list, tuple)):
        return (list(user) + [None] * nbcols)[:nbcols]
    return [user] * nbcols


class _Splitter:
    def __init__(self, delimiter, comments, autostrip):
        if isinstance(delimiter, bytes):
            delimiter = delimiter.decode("latin1")
        if isinstance(comments, bytes):
            comments = comments.decode("latin1")
        self.comments = comments
        if delimiter is None or isinstance(delimiter, str):
            self.delimiter = delimiter or None
            fn = self._delimited
        elif hasattr(delimiter, "__iter__"):
            idx = [0]
            for w in delimiter:
                idx.append(idx[-1] + int(w))
            self.delimiter = [slice(i, j) for i, j in zip(idx[:-1], idx[1:])]
            fn = self._variable
        elif int(delimiter):
            self.delimiter = int(delimiter)
            fn = self._fixed
        else:
            self.delimiter = None
            fn = self._delimited
        self.fn = (lambda line: [f.strip() for f in fn(line)]) if autostrip else fn

    def _delimited(self, line):
        if self.comments is not None:
            line = line.split(self.comments)[0]
        line = line.strip(" \r\n")
        if not line:
            return []
        return line.split(self.delimiter)

    def _fixed(self, line):
        if self.comments is not None:
            line = line.split(self.comments)[0]
        line = line.strip("\r\n")
        if not line:
            return []
        w = self.delimiter
        return [line[i:i + w] for i in range(0, len(line), w)]

    def _variable(self, line):
        if self.comments is not None:
            line = line.split(self.comments)[0]
        if not line:
            return []
        return [line[s] for s in self.delimiter]

    def __call__(self, line):
        return self.fn(line)


def genfromtxt(fname, dtype=float, comments="#", delimiter=None, skip_header=0, skip_footer=0,
               converters=None, missing_values=None, filling_values=None, usecols=None,
               names=None, excludelist=None, deletechars="".join(sorted(set(
                   """~!@#$%^&*()-=+~\\|]}[{';: /?.>,<"""))), replace_space="_",
               autostrip=False, case_sensitive=True, defaultfmt="f%i", unpack=None,
               usemask=False, loose=True, invalid_raise=True, max_rows=None, encoding=None, *,
               ndmin=0, like=None):
    """Load data from a text file with missing values handled (NumPy's ``genfromtxt``;
    ``names=None`` and numeric dtypes only; ``dtype=None`` and user converters where the
    columns end on one type, since oxnp has no structured dtypes)."""
    import itertools

    np = _np()
    if names not in (None, False):
        raise NotImplementedError("oxnp.genfromtxt supports names=None only (no structured dtypes)")
    if usemask:
        raise NotImplementedError("oxnp.genfromtxt does not support usemask=True (no masked arrays)")
    if max_rows is not None:
        if skip_footer:
            raise ValueError(
                "The keywords 'skip_footer' and 'max_rows' can not be specified at the same time."
            )
        if max_rows < 1:
            raise ValueError("'max_rows' must be at least 1.")
    _check_ndmin(ndmin)
    user_converters = converters or {}
    if not isinstance(user_converters, dict):
        raise TypeError(
            "The input argument 'converter' should be a valid dictionary (got '%s' instead)"
            % type(user_converters)
        )
    byte_converters = encoding == "bytes"
    if isinstance(fname, os.PathLike):
        fname = os.fspath(fname)
    if isinstance(fname, str):
        fid = _open_text(fname, "rt", None if byte_converters else encoding)
        ctx = contextlib.closing(fid)
    else:
        fid = fname
        ctx = contextlib.nullcontext(fid)
    try:
        fhd = iter(fid)
    except TypeError as e:
        raise TypeError(
            "fname must be a string, a filehandle, a sequence of strings,\n"
            f"or an iterator of strings. Got {type(fname)} instead."
        ) from e
    with ctx:
        if not isinstance(fid, io.TextIOBase):  # a text file's lines are str already
            fhd = _decoded(fhd, encoding if encoding not in (None, "bytes") else "latin1", False)
        split_line = _Splitter(delimiter, comments, autostrip)
        try:
            for _ in range(skip_header):
                next(fhd)
            first_values = None
            while not first_values:
                first_line = next(fhd)
                first_values = split_line(first_line)
        except StopIteration:
            first_line = ""
            first_values = []
            warnings.warn(f'genfromtxt: Empty input file: "{fname}"', stacklevel=2)
        if usecols is not None:
            try:
                usecols = [_.strip() for _ in usecols.split(",")]
            except AttributeError:
                try:
                    usecols = list(usecols)
                except TypeError:
                    usecols = [usecols]
        nbcols = len(usecols or first_values)
        if dtype is not None:
            dtype = np.dtype(dtype)
        if usecols:
            for i, c in enumerate(usecols):
                if isinstance(c, str):
                    _by_name(c)
                if c < 0:
                    usecols[i] = c + len(first_values)

        missing = _missing_strings(missing_values, nbcols, usecols)
        fills = _filling_values(filling_values, nbcols, usecols)
        columns = [_Column(dtype, m, f) for m, f in zip(missing, fills)]
        # the output-type check looks at the converter keys as given and as column positions
        user_keys = set(user_converters)
        for j, conv in user_converters.items():
            if isinstance(j, str):
                _by_name(j)
            if usecols:
                if j not in usecols:
                    continue  # a converter for a column that is not read
                i = usecols.index(j)
            else:
                i = j
            if conv is bytes:
                conv = _latin1_bytes
            elif byte_converters:
                conv = functools.partial(_bytes_first, conv)
            columns[i].use(conv, first_values[j] if first_line else None)
            user_keys.add(i)

        rows = []
        invalid = []
        for i, line in enumerate(itertools.chain([first_line], fhd)):
            values = split_line(line)
            nbvalues = len(values)
            if nbvalues == 0:
                continue
            if usecols:
                try:
                    values = [values[_] for _ in usecols]
                except IndexError:
                    invalid.append((i + skip_header + 1, nbvalues))
                    continue
            elif nbvalues != nbcols:
                invalid.append((i + skip_header + 1, nbvalues))
                continue
            rows.append(values)
            if len(rows) == max_rows:
                break

    if dtype is None:
        # every row takes part, the footer's too
        for k, col in enumerate(columns):
            values = [row[k] for row in rows]
            try:
                col.climb(values)
            except ConverterLockError:
                msg = f"Converter #{k} is locked and cannot be upgraded: "
                for n, s in enumerate(values):
                    try:
                        col.strict(s)
                    except ValueError:
                        msg += f"(occurred line #{n + 1 + skip_header} for value '{s}')"
                        raise _twin(ConverterError)(msg) from None
                raise

    nbinvalid = len(invalid)
    if nbinvalid > 0:
        nbrows = len(rows) + nbinvalid - skip_footer
        template = f"    Line #%i (got %i columns instead of {nbcols})"
        if skip_footer > 0:
            skipped = len([_ for _ in invalid if _[0] > nbrows + skip_header])
            invalid = invalid[: nbinvalid - skipped]
            skip_footer -= skipped
        errmsg = [template % (i, nb) for (i, nb) in invalid]
        if errmsg:
            errmsg.insert(0, "Some errors were detected !")
            errmsg = "\n".join(errmsg)
            if invalid_raise:
                raise ValueError(errmsg)
            warnings.warn(errmsg, _twin(ConversionWarning), stacklevel=2)
    if skip_footer > 0:
        rows = rows[:-skip_footer]

    # column by column, as NumPy converts (the first bad value reported is the first column's)
    data = list(zip(*[col.convert([row[k] for row in rows], loose)
                      for k, col in enumerate(columns)]))

    if dtype is None:
        types = [str(col.type) for col in columns if col.checked]
        if "text" in types:
            raise NotImplementedError(
                "oxnp.genfromtxt(dtype=None): a column of text needs a structured or string "
                "dtype, which oxnp does not have"
            )
        if "longdouble" in types:
            raise NotImplementedError(
                "oxnp.genfromtxt(dtype=None): the values make a longdouble array, which oxnp "
                "does not have"
            )
        if not types or any(t != types[0] for t in types):
            raise NotImplementedError(
                "oxnp.genfromtxt(dtype=None): columns of different types make a structured "
                "array, which oxnp does not have"
            )
        out_dtype = types[0]
    else:
        out_dtype = dtype
        used = [columns[k].type for k in range(nbcols) if k in user_keys]
        if any(str(t) != str(dtype) for t in used):
            # a user converter's type replaces the dtype (several columns: a structured one)
            if nbcols > 1:
                raise NotImplementedError(
                    "oxnp.genfromtxt: converters whose results differ from the dtype make a "
                    "structured array, which oxnp does not have"
                )
            out_dtype = columns[0].type
    if isinstance(out_dtype, str):
        if out_dtype in ("text", "object"):
            raise NotImplementedError(
                f"oxnp.genfromtxt: the values make an array of {out_dtype}, which oxnp does not "
                "have"
            )
        out_dtype = np.dtype(out_dtype)
    output = np.array(data, dtype=out_dtype) if data else np.empty((0,), dtype=out_dtype)
    output = _ensure_ndmin(output, ndmin)
    if unpack:
        return output.T
    return output


def _latin1_bytes(s):
    return s.encode("latin1")


def _bytes_first(conv, s):
    # encoding="bytes": user converters see bytes, as NumPy's did before it decoded lines
    return conv(s if type(s) is bytes else s.encode("latin1"))


# ---- fromfile / fromstring / fromregex -----------------------------------------------------


# fromstring's text scanners: NumPy reads with C-library-like number scanners, which take the
# longest number at the front (after whitespace) and say how far they read

_C_SPACE = " \t\n\v\f\r"
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DIGITS = re.compile(r"0*(\d*)", re.ASCII)


def _skip_space(text, i):
    n = len(text)
    while i < n and text[i] in _C_SPACE:
        i += 1
    return i


def _scan_double(text, pos):
    """(end, value) as NumPy's string-to-double: nan/inf words, else a decimal number; with no
    number it still moves past the whitespace and gives -1.0."""
    i = _skip_space(text, pos)
    j = i + 1 if text[i:i + 1] in ("+", "-") else i
    word = text[j:j + 3].lower()
    if word == "nan":
        j += 3
        if text[j:j + 1] == "(":
            j += 1
            while j < len(text) and (text[j].isascii() and text[j].isalnum() or text[j] == "_"):
                j += 1
            if text[j:j + 1] == ")":
                j += 1
        return j, _NAN
    if word == "inf":
        j += 3
        if text[j:j + 5].lower() == "inity":
            j += 5
        return j, -math.inf if text[i] == "-" else math.inf
    m = _DECIMAL.match(text, i)
    if m is None:
        return i, -1.0
    return m.end(), float(m.group())


def _scan_complex(text, pos):
    """(end, value): a real part, then "j" (it was imaginary) or a signed imaginary part ending
    in "j"; an imaginary part without its "j" is read and dropped, as NumPy does."""
    end, real = _scan_double(text, pos)
    c = text[end:end + 1]
    if c == "j":
        return end + 1, complex(0.0, real)
    if c in ("+", "-"):
        end2, imag = _scan_double(text, end)
        if text[end2:end2 + 1] == "j":
            return end2 + 1, complex(real, imag)
        return end2, complex(real, 0.0)
    return end, complex(real, 0.0)


def _scan_ulong(text, i):
    """(end, value) as C's unsigned long parser: whitespace, zeros, digits; saturating."""
    i = _skip_space(text, i)
    m = _DIGITS.match(text, i)
    v = int(m.group(1) or "0")
    return m.end(), min(v, (1 << 64) - 1)


def _scan_long(text, pos):
    i = _skip_space(text, pos)
    sign = text[i:i + 1]
    if sign in ("+", "-"):
        i += 1
    end, u = _scan_ulong(text, i)
    if u < (1 << 63):
        return end, -u if sign == "-" else u
    if sign == "-" and u == (1 << 63):
        return end, -u
    return end, (1 << 63) - 1


def _skip_separator(text, pos, sep):
    """(status, end): 0 matched, -1 end of text, -2 no match. A space in `sep` (NumPy's cleaned
    form) matches any run of whitespace, none included."""
    i, k, n = pos, 0, len(text)
    while True:
        if i >= n:
            return -1, i
        if k == len(sep):
            return (0 if i != pos else -2), i
        c = text[i]
        if sep[k] == " ":
            if c not in _C_SPACE:
                k += 1
                continue
        elif sep[k] != c:
            return -2, i
        else:
            k += 1
        i += 1


def _clean_separator(sep):
    """NumPy's separator cleaning: whitespace runs become one space, and a space goes in front
    (unless it starts with whitespace) and, doubled, at the end."""
    out = [] if not sep or sep[0] in _C_SPACE else [" "]
    for c in sep:
        if c in _C_SPACE:
            if not out or out[-1] != " " or (len(out) == 1 and sep[0] not in _C_SPACE):
                out.append(" ")
        else:
            out.append(c)
    if out and out[-1] == " ":
        out.append(" ")
    return "".join(out)


def _from_string_scanner(scan):
    """A fromstring element reader: (status, end, value), status 0 read, -1 end of text, -2 a
    value was due but none could be read."""
    def element(text, pos):
        end, value = scan(text, pos)
        if end == pos:
            return (-1 if pos >= len(text) else -2), pos, None
        return 0, end, value

    return element


_STRING_SCANNERS = {"f": _scan_double, "b": _scan_double, "c": _scan_complex,
                    "u": _scan_ulong, "i": _scan_long}


# fromfile reads through C's stdio: a number scanner takes what may still become a number
# (one character of look-ahead, nothing given back), then converts the longest number in it.

def _ascii_digits(text, i):
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    return i


def _fscan_double(text, pos):
    """(status, end, value): -1 at the end of the file, -2 when nothing converts."""
    n = len(text)
    if pos >= n:
        return -1, pos, None
    i = _skip_space(text, pos)
    start = i
    if text[i:i + 1] in ("+", "-"):
        i += 1
    c = text[i:i + 1].lower()
    if c in ("n", "i"):
        i += 1
        rest = "an" if c == "n" else "nfinity"
        for ch in rest:
            if text[i:i + 1].lower() != ch:
                break
            i += 1
        else:
            if c == "n" and text[i:i + 1] == "(":
                i += 1
                while i < n and (text[i].isascii() and text[i].isalnum() or text[i] == "_"):
                    i += 1
                if text[i:i + 1] == ")":
                    i += 1
    else:
        i = _ascii_digits(text, i)
        fraction_ok = True
        if text[i:i + 1] == ".":
            i += 1
            j = _ascii_digits(text, i)
            fraction_ok = j > i  # "5." ends the number: no exponent after it
            i = j
        if fraction_ok and text[i:i + 1] in ("e", "E"):
            i += 1
            if text[i:i + 1] in ("+", "-"):
                i += 1
            i = _ascii_digits(text, i)
    taken = text[start:i]
    end, value = _scan_double(taken, 0)
    if end == 0:
        return -2, i, None
    return 0, i, value


def _fscan_complex(text, pos):
    status, end, real = _fscan_double(text, pos)
    if status:
        return status, end, None
    c = text[end:end + 1]
    if c == "j":
        return 0, end + 1, complex(0.0, real)
    if c in ("+", "-"):
        status, end, imag = _fscan_double(text, end)
        if status or text[end:end + 1] != "j":
            return -2, end, None
        return 0, end + 1, complex(real, imag)
    return 0, end, complex(real, 0.0)


def _fscan_integer(signed):
    """C's scanf %ld / %lu: optional sign, decimal digits; saturating (an unsigned value with a
    minus sign is negated modulo 2**64)."""
    def scan(text, pos):
        n = len(text)
        i = _skip_space(text, pos)
        if i >= n:
            return -1, i, None
        sign = text[i]
        if sign in ("+", "-"):
            i += 1
        j = _ascii_digits(text, i)
        if j == i:
            return -2, j, None
        v = int(text[i:j])
        if signed:
            v = -v if sign == "-" else v
            v = min(max(v, -(1 << 63)), (1 << 63) - 1)
        else:
            v = (1 << 64) - 1 if v >= (1 << 64) else (-v) % (1 << 64) if sign == "-" else v
        return 0, j, v

    return scan


_FILE_SCANNERS = {"f": _fscan_double, "b": _fscan_double, "c": _fscan_complex,
                  "u": _fscan_integer(False), "i": _fscan_integer(True)}


def _scan_text(text, dtype, count, sep, from_file=False):
    """(array, characters used): the values fromstring / fromfile read from `text`."""
    kind = dtype.kind
    if from_file:
        element = _FILE_SCANNERS[kind]
    else:
        element = _from_string_scanner(_STRING_SCANNERS[kind])
    csep = _clean_separator(sep)
    values = []
    pos, status = 0, 0
    while count < 0 or len(values) < count:
        status, pos, v = element(text, pos)
        if status:
            break
        values.append(v)
        status, pos = _skip_separator(text, pos, csep)
        if status < 0:
            if len(values) == count:
                status = -1  # the separator after the last value wanted may be missing
            break
    if status == -2:
        raise ValueError("string or file could not be read to its end due to unmatched data")
    np = _np()
    if kind == "b":
        return np.array([v != 0 for v in values], dtype=dtype), pos
    if kind in "iu":
        # C stores the parsed long into a narrower type by wrapping
        bits = dtype.itemsize * 8
        mask = (1 << bits) - 1
        values = [v & mask for v in values]
        if kind == "i":
            values = [v - (1 << bits) if v >> (bits - 1) else v for v in values]
        return (np.array(values, dtype=dtype) if values else np.empty(0, dtype=dtype)), pos
    wide = np.complex128 if kind == "c" else np.float64
    out = np.array(values, dtype=wide) if values else np.empty(0, dtype=wide)
    with np.errstate(over="ignore"):
        return out.astype(dtype), pos


def fromstring(string, dtype=float, count=-1, *, sep="", like=None):
    """A 1-D array from text data (``sep`` given); the binary mode raises as in NumPy 2."""
    np = _np()
    dtype = np.dtype(dtype)
    if sep == "":
        raise ValueError("The binary mode of fromstring is removed, use frombuffer instead")
    if isinstance(string, bytes):
        string = string.decode("latin1")
    return _scan_text(string, dtype, operator.index(count), sep)[0]


def fromfile(file, dtype=float, count=-1, sep="", offset=0, *, like=None):
    """An array from the data in a text or binary file."""
    np = _np()
    dtype = np.dtype(dtype)
    count = operator.index(count)
    if hasattr(file, "read"):
        ctx = contextlib.nullcontext(file)
        if not sep:
            file.fileno()  # NumPy needs a real file
    else:
        ctx = open(os.fspath(file), "rb")
    with ctx as f:
        if sep:
            if offset:
                raise TypeError("'offset' argument only permitted for binary files")
            start = f.tell() if f.seekable() else None
            data = f.read()
            binary = isinstance(data, bytes)
            if binary:
                data = data.decode("latin1")
            out, used = _scan_text(data, dtype, count, sep, from_file=True)
            if binary and start is not None:
                f.seek(start + used)  # the file goes on after what was read, as in NumPy
            return out
        if offset:
            f.seek(offset, 1)
        itemsize = dtype.itemsize
        if count < 0:
            start = f.tell()
            f.seek(0, 2)
            end = f.tell()
            f.seek(start)
            if end < start:
                raise ValueError("negative dimensions are not allowed")
            count = (end - start) // itemsize
        out = np.empty(count, dtype=dtype)
        nbytes = count * itemsize
        got = 0
        if nbytes:
            view = memoryview(out).cast("B")
            while got < nbytes:
                n = f.readinto(view[got:])
                if not n:
                    break
                got += n
        if got < nbytes:
            got_items = got // itemsize
            f.seek(got_items * itemsize - got, 1)
            out = out[:got_items].copy()
        return out


def fromregex(file, regexp, dtype, encoding=None):
    """NumPy's ``fromregex``: needs a structured dtype, which oxnp does not have; numeric dtypes
    raise NumPy's TypeError."""
    np = _np()
    own_fh = False
    if not hasattr(file, "read"):
        file = os.fspath(file)
        file = _open_text(file, "rt", encoding)
        own_fh = True
    try:
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise NotImplementedError("oxnp.fromregex: structured dtypes are not supported") from None
        raise TypeError("dtype must be a structured datatype.")
    finally:
        if own_fh:
            file.close()
