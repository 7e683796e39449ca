"""genfromtxt's converters, missing/filling values and dtype=None guesses, and loadtxt's
max_rows/usecols/control-character edges, against NumPy on the same text."""

import gc
import io
import threading
import warnings

import numpy
import pytest
from numpy.lib import _iotools as np_iotools

import oxnp
from helpers import assert_same
from oxnp.lib import _iotools as ox_iotools


def _run(mod, func, text, kw):
    """(array or None, exception or None, [(warning class name, message)])."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res, err = getattr(mod, func)(io.StringIO(text), **kw), None
        except Exception as e:  # noqa: BLE001 - the class and message are compared
            res, err = None, e
    return res, err, [(w.category.__name__, str(w.message)) for w in caught]


def check(func, text, **kw):
    ref, ref_err, ref_warn = _run(numpy, func, text, kw)
    ours, our_err, our_warn = _run(oxnp, func, text, kw)
    if ref_err is not None:
        assert type(our_err).__name__ == type(ref_err).__name__, (our_err, ref_err)
        assert str(our_err) == str(ref_err)
    else:
        assert our_err is None, f"oxnp raised {our_err!r}"
        assert_same(ours, ref)
    assert our_warn == ref_warn


def hex_int(s):
    return int(s, 16)


def halve(s):
    return float(s) / 2


GENFROMTXT = [
    # converters: keys are column numbers of the file; with usecols, unused ones are dropped
    ("1 21\n  3 42\n", dict(usecols=(1,), converters={0: hex_int})),
    ("1 21\n  3 42\n", dict(usecols=(1,), converters={1: hex_int})),
    ("1 21\n  3 42\n", dict(usecols=[1], converters={-1: float})),
    ("1 21\n  3 42\n", dict(converters={-1: hex_int})),
    ("1 21\n  3 42\n", dict(converters={5: float})),
    ("1,2\n3,", dict(delimiter=",", dtype=int, converters={1: float}, usecols=[1])),
    ("1\n2\n", dict(dtype=numpy.float32, converters={0: float})),
    ("1,2\n3,4", dict(delimiter=",", dtype=float, converters={0: halve}, encoding="bytes")),
    ("1 2\n3 4\n", dict(converters={0: lambda s: 1 / 0 if s == "3" else 1.0})),
    # dtype=None with converters: the converter's result type is the column's type
    ("1 21\n  3 42\n", dict(dtype=None, converters={0: float, 1: float})),
    ("1 21\n  3 42\n", dict(dtype=None, converters={0: int})),
    ("1,2\n3,4", dict(delimiter=",", dtype=None, converters={0: halve, 1: halve},
                      encoding="bytes")),
    ("1,2\n3,", dict(delimiter=",", dtype=None, converters={1: float})),
    ("1,2\n3,", dict(delimiter=",", dtype=None, converters={1: float}, filling_values=-1.5)),
    ("1 21\n  3 x\n", dict(dtype=None, converters={1: float})),
    ("h\n1 21\n  3 x\n", dict(dtype=None, converters={1: float}, skip_header=1)),
    ("a,1,x\nb,2,y\n", dict(delimiter=",", dtype=None, converters={2: float})),  # text first
    # dtype=None guesses: ints beyond int64 make float64; bool columns with gaps do not count
    ("73786976294838206464\n1\n", dict(dtype=None)),
    ("-9223372036854775809\n", dict(dtype=None)),
    ("18446744073709551615\n1\n", dict(dtype=None)),
    ("9223372036854775807\n-9223372036854775808\n", dict(dtype=None)),
    ("1\nabc", dict(dtype=None)),  # NumPy 2.4 raises TypeError (its np.integer guess)
    ("1 2\nx 3", dict(dtype=None)),
    ("N/A\n2\nabc", dict(dtype=None, missing_values="N/A")),
    ("True,1\n,2", dict(delimiter=",", dtype=None)),
    ("True,1\n,2", dict(delimiter=",", dtype=None, filling_values=True)),
    ("1,-999\n2,3", dict(delimiter=",", dtype=None, missing_values="-999", filling_values=0)),
    ("1,7\n8,3", dict(delimiter=",", missing_values=7, filling_values=0, dtype=None)),
    # missing_values: dict values are not split at commas; a sequence is one per column
    ("1,x\n2,3", dict(delimiter=",", missing_values={1: ["N/A", "x"]}, filling_values={1: 5})),
    ("1,x\ny,3", dict(delimiter=",", missing_values=["y", "x"], filling_values=[5, 6])),
    ("1,x\ny,3", dict(delimiter=",", missing_values=["x", "y"], filling_values=[5, 6])),
    ("1,x\ny,3", dict(delimiter=",", missing_values="x,y", filling_values=(5, 6, 7))),
    ("1,x\ny,3", dict(delimiter=",", missing_values="x,y", loose=False)),
    ("1,x\nz,3", dict(delimiter=",", missing_values="x,y", loose=False)),
    ("1,7\n8,3", dict(delimiter=",", missing_values=7, filling_values=0, loose=False)),
    # given dtypes: narrow ints read through float, int64/uint64 strictly; -1 fills ints
    ("1\n2.5\n1e3", dict(dtype=numpy.int32)),
    ("1\n2.5\nx", dict(dtype=numpy.int32, loose=False)),
    ("1\n2.5\n", dict(dtype=numpy.int64)),
    ("1\n99999999999999999999", dict(dtype=numpy.int64)),
    ("1\n99999999999999999999", dict(dtype=numpy.uint64)),
    ("1\n-99999999999999999999", dict(dtype=numpy.uint64)),
    ("99999999999999999999\n1", dict(dtype=numpy.uint64, converters={-1: int})),
    # the first bad value reported is the first column's, as NumPy converts column by column
    ("99999999999999999999,7\n-1,0x1\n1+2j,7", dict(delimiter=",", filling_values={1: 9},
                                                     loose=False)),
    ("1\n-1", dict(dtype=numpy.uint64)),
    ("1\n\n2\nx", dict(dtype=numpy.uint8)),
    ("1\n300", dict(dtype=numpy.int8)),
    ("true\nx\n", dict(dtype=bool)),
    # rows of the wrong length: ValueError, or with invalid_raise=False a ConversionWarning
    ("1,2\n3\n4,5", dict(delimiter=",", invalid_raise=False)),
    ("1 1\n2  \n3 3\n4 4\n5  \n6 6\n7 7\n", dict(skip_footer=1, invalid_raise=False)),
    ("1 1\n2 2\n3 3\n4 4\n5  \n6  \n7  \n", dict(skip_footer=3)),
    ("1 1\n2 2\n0 \n3 3\n4 4\n5  \n", dict(max_rows=4, invalid_raise=False)),
]


@pytest.mark.parametrize("text,kw", GENFROMTXT, ids=[str(i) for i in range(len(GENFROMTXT))])
def test_genfromtxt(text, kw):
    check("genfromtxt", text, **kw)


def test_genfromtxt_locked_converter_error_is_numpys_class():
    # a converter failing on a value that is not missing: ConverterError, which code catching
    # NumPy's class (numpy.lib._iotools) also catches
    text, kw = "1,2\n3,x\n", dict(delimiter=",", dtype=None, converters={1: float})
    with pytest.raises(np_iotools.ConverterError) as ref:
        numpy.genfromtxt(io.StringIO(text), **kw)
    with pytest.raises(ox_iotools.ConverterError) as ours:
        oxnp.genfromtxt(io.StringIO(text), **kw)
    assert isinstance(ours.value, np_iotools.ConverterError)
    assert str(ours.value) == str(ref.value)


def test_genfromtxt_conversion_warning_class():
    text = "1 2\n3\n4 5\n"
    with pytest.warns(ox_iotools.ConversionWarning) as ours:
        got = oxnp.genfromtxt(io.StringIO(text), invalid_raise=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", np_iotools.ConversionWarning)
        oxnp.genfromtxt(io.StringIO(text), invalid_raise=False)  # filtered as NumPy's
    with pytest.warns(np_iotools.ConversionWarning) as ref:
        want = numpy.genfromtxt(io.StringIO(text), invalid_raise=False)
    assert [str(w.message) for w in ours] == [str(w.message) for w in ref]
    assert_same(got, want)


def test_genfromtxt_closes_file_on_decode_error(tmp_path):
    p = tmp_path / "pi.csv"
    p.write_bytes("\N{GREEK PI SYMBOL}".encode())
    for mod in (numpy, oxnp):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(UnicodeDecodeError):
                mod.genfromtxt(str(p), encoding="ascii")
            gc.collect()
        assert caught == []  # an unclosed file would show as a ResourceWarning


def test_genfromtxt_max_rows_continues():
    outs = []
    for mod in (numpy, oxnp):
        f = io.StringIO("1 2\n3 4\n5 6\n7 8\n9 10\n")
        outs.append((mod.genfromtxt(f, max_rows=3), mod.genfromtxt(f)))
    for ours, ref in zip(outs[1], outs[0]):
        assert_same(ours, ref)


# ---- loadtxt -----------------------------------------------------------------------------------


def test_loadtxt_max_rows_continues():
    outs = []
    for mod in (numpy, oxnp):
        f = io.StringIO("1,2,3,5\n4,5,7,8\n2,1,4,5\n")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "input contained no data"
            outs.append((mod.loadtxt(f, dtype=int, delimiter=",", max_rows=2),
                         mod.loadtxt(f, dtype=int, delimiter=",")))
    for ours, ref in zip(outs[1], outs[0]):
        assert_same(ours, ref)


LOADTXT = [
    ("1\n", dict(usecols=[2**64], delimiter=",")),
    ("1\n", dict(usecols=[-2**63 - 1], delimiter=",")),
    ("1\n", dict(usecols=[2**62], delimiter=",")),
    ("1\n", dict(usecols=[2**63 - 1])),
    ("1\n2\n", dict(delimiter="\n")),
    ("1\n2\n", dict(delimiter="\r")),
    ("1\n2\n", dict(comments="\n")),
    ("1\n2\n", dict(comments="\r")),
    ("1\n2\n", dict(quotechar="\n")),
    ("1\n2\n", dict(comments=["\n", "#"])),
    ("1\n2\n", dict(comments="\n#")),
    ("1 2\n3 4\n5 6\n", dict(max_rows=2)),
    ("1 2\n3 4\n", dict(max_rows=0)),
    ("1 2\n\n3 4\n5 6\n", dict(max_rows=2)),
    ("1 2\n3 4\n\n5 6\n", dict(max_rows=2)),
    # a converter's result is stored as setitem stores it; any failure is reported for the field
    ("1\n2\n", dict(converters=lambda s: 1 / (int(s) - 2))),
    ("1\n", dict(converters=lambda s: None)),
    ("1\n", dict(dtype=complex, converters=lambda s: None)),
    ("1\n", dict(dtype="int8", converters=lambda s: None)),
    ("1\n", dict(converters=lambda s: "1_0")),
    ("1\n", dict(dtype="int32", converters=lambda s: " 1_0 ")),
    ("1\n", dict(dtype="int32", converters=lambda s: "1.5")),
    ("1\n", dict(dtype=bool, converters=lambda s: "False")),
    ("1\n", dict(dtype=bool, converters=lambda s: "")),
    ("1\n", dict(dtype="int8", converters=lambda s: 1.5)),
    ("1\n", dict(dtype="int8", converters=lambda s: 300)),
    ("1\n", dict(dtype="uint8", converters=lambda s: -1)),
    ("1\n", dict(dtype="int8", converters=lambda s: float("nan"))),
    ("1\n", dict(dtype="uint64", converters=lambda s: 2**70)),
    ("1\n", dict(converters=lambda s: 1 + 2j)),
    ("1\n", dict(converters=lambda s: b"12")),
    ("-3,1e400\nnan,x\n", dict(delimiter=",", dtype="int32",
                                 converters=lambda s: float(s or 0) * 2)),
    # storing a converter's float into float32 warns on overflow (parsed fields do not)
    ("1e300\n-1e39\n", dict(dtype="float32", converters=float)),
    ("1\n", dict(dtype="float32", converters=lambda s: 3.4028235677973366e38)),
    ("1\n", dict(dtype="float32", converters=lambda s: 3.4028235677973362e38)),
    ("1e300\n", dict(dtype="float32")),
    # bool fields are int64 text; float16 fields read through Python's float
    ("-3\n99999999999999999999\n", dict(dtype=bool)),
    ("1_0 True\n1.5 7", dict(dtype="float16")),
    (" 1_0\n\uff11\ninfinity\n", dict(dtype="float16", delimiter=",")),
    ("1_0\n", dict(dtype="float32")),
    # float16 overflows warn field by field, before a later error
    (" 4  99999999999999999999 x", dict(dtype="float16")),
    ("1e400 7\n1 2 3\n", dict(dtype="float16")),
]


@pytest.mark.parametrize("text,kw", LOADTXT, ids=[str(i) for i in range(len(LOADTXT))])
def test_loadtxt(text, kw):
    check("loadtxt", text, **kw)


LINE_LISTS = [
    ["1 2\n", "3 4\n"],
    ["1 2\n", "3 4"],
    ["1 2", "3 4"],  # lines without newlines: not one text
    ["1 2\n3 4\n"],  # a newline inside an item
    ["1 2\r\n", "3 4\r\n"],
    ["# c\n", "1 2\n", "\n", "3 4\n"],
    ["1 2\n", "3\n"],
    ["1 x\n"],
    ("5\n", "6\n"),
    ["1 2\n", b"3 4\n"],
]


@pytest.mark.parametrize("items", LINE_LISTS, ids=[str(i) for i in range(len(LINE_LISTS))])
@pytest.mark.parametrize("kw", [{}, dict(dtype=int, skiprows=1), dict(dtype="float32")],
                         ids=["float", "int", "float32"])
def test_loadtxt_list_of_lines(items, kw):
    outs = []
    for mod in (numpy, oxnp):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                res, err = mod.loadtxt(items, **kw), None
            except Exception as e:  # noqa: BLE001 - the class and message are compared
                res, err = None, (type(e).__name__, str(e))
        outs.append((res, err, [str(w.message) for w in caught]))
    (ref, ref_err, ref_warn), (ours, our_err, our_warn) = outs
    assert our_err == ref_err
    assert our_warn == ref_warn
    if ref_err is None:
        assert_same(ours, ref)


@pytest.mark.parametrize("func", ["loadtxt", "genfromtxt"])
@pytest.mark.parametrize("items", [["1,2", b"3, 5", 12738], [b"1,2", "3, 5", None],
                                   [b"1,2", "3, 5"]], ids=["int", "None", "mixed"])
def test_lines_of_mixed_types(func, items):
    # bytes lines are decoded, str lines kept; loadtxt rejects anything else with NumPy's
    # TypeError, genfromtxt's splitter fails on it as NumPy's does
    outs = []
    for mod in (numpy, oxnp):
        try:
            outs.append((getattr(mod, func)(iter(items), delimiter=","), None))
        except Exception as e:  # noqa: BLE001 - the class and message are compared
            outs.append((None, (type(e).__name__, str(e))))
    (ref, ref_err), (ours, our_err) = outs
    assert our_err == ref_err
    if ref_err is None:
        assert_same(ours, ref)


def test_savez_from_threads(tmp_path):
    # the global RandomState shared by threads (each draw waits for the other's)
    errors = []

    def writer(k):
        try:
            for _ in range(4):
                arr = oxnp.random.randn(300, 300)
            oxnp.savez(tmp_path / f"t{k}.npz", arr=arr)
        except Exception as e:  # noqa: BLE001 - any failure fails the test
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for k in range(3):
        assert oxnp.load(tmp_path / f"t{k}.npz")["arr"].shape == (300, 300)


# ---- fromstring (text mode) --------------------------------------------------------------------

FROMSTRING = [
    # whitespace where a number was expected reads as NumPy's failed-parse value
    (" ", dict(sep=",")),
    ("  ", dict(sep=",", dtype=int)),
    ("1,5., ,Infinity ", dict(sep=",", dtype="float16")),
    (" .5 ", dict(sep=",", dtype="float32")),
    ("-inf;NaN(1)\n", dict(sep=";")),
    ("nan(abc_1 2", dict(sep=" ")),
    ("1,2,", dict(sep=",")),
    ("1,2,,3", dict(sep=",")),
    (",1", dict(sep=",")),
    ("1, 2 ,3 ", dict(sep=",")),
    ("1 , 2", dict(sep=" , ")),
    ("1e 2", dict(sep=" ")),
    ("1x", dict(sep=" ", count=1)),
    ("1x", dict(sep=" ")),
    ("1;2", dict(sep=";", count=1)),
    ("1\x1c2", dict(sep="\x1c")),
    ("\x0b1\x1c2", dict(sep=" ")),
    # integers: C long parsing (sign, saturation), then wrapped into narrower types
    ("1 - 5", dict(sep=" ", dtype=int)),
    ("1 -", dict(sep=" ", dtype="int8")),
    ("-1 300", dict(sep=" ", dtype="int8")),
    ("-1 300", dict(sep=" ", dtype="uint8")),
    ("99999999999999999999 -99999999999999999999", dict(sep=" ", dtype="int64")),
    ("99999999999999999999 -99999999999999999999", dict(sep=" ", dtype="int32")),
    ("18446744073709551616 9223372036854775808", dict(sep=" ", dtype="uint8")),
    ("-9223372036854775808 007", dict(sep=" ", dtype=int)),
    ("1.5 2", dict(sep=" ", dtype=int)),
    # bool reads a double
    ("1.5 0 -0 nan", dict(sep=" ", dtype=bool)),
    ("1 -", dict(sep=" ", dtype=bool)),
    # complex: a real part, then "j" or a signed imaginary part with its "j"
    ("1+2j 1-2j 5j 1e3+1e-2j nan+nanj inf-infj +1+2j", dict(sep=" ", dtype=complex)),
    ("1 +2j", dict(sep=" ", dtype=complex)),
    ("1+2", dict(sep=" ", dtype="complex64")),
    ("j", dict(sep=" ", dtype=complex)),
    ("1+j", dict(sep=" ", dtype=complex)),
    ("(1+2j)", dict(sep=" ", dtype=complex)),
    ("1+2J", dict(sep=" ", dtype=complex)),
    ("3j+1", dict(sep=" ", dtype=complex)),
]


@pytest.mark.parametrize("text,kw", FROMSTRING, ids=[str(i) for i in range(len(FROMSTRING))])
def test_fromstring(text, kw):
    outs = []
    for mod in (numpy, oxnp):
        try:
            outs.append((mod.fromstring(text, **kw), None))
        except ValueError as e:
            outs.append((None, str(e)))
    (ref, ref_err), (ours, our_err) = outs
    assert our_err == ref_err
    if ref_err is None:
        assert_same(ours, ref)


# ---- fromfile (text mode) ----------------------------------------------------------------------

FROMFILE = [
    # stdio reading: whitespace alone is an error for numbers read as doubles, the end for ints
    (" ", dict(sep=",")),
    (" ", dict(sep=",", dtype=int)),
    ("3.5, Infinity, 1e, ", dict(sep=", ")),
    ("5.e3 1", dict(sep=" ")),
    ("1.e", dict(sep=" ")),
    (" 5. ,NaN(1) ,", dict(sep=" ,")),
    ("nan(ab infinit", dict(sep=" ")),
    (" .5 +4\n", dict(sep=" ", dtype=bool)),
    # scanf integers: sign-aware saturation, unsigned values negated modulo 2**64, then wrapped
    ("99999999999999999999 -99999999999999999999", dict(sep=" ", dtype=int)),
    ("300 -1 -4294967297", dict(sep=" ", dtype="uint8")),
    ("-9223372036854775809 18446744073709551616", dict(sep=" ", dtype="uint64")),
    ("4294967296 -4294967297", dict(sep=" ", dtype="int32")),
    ("- 5", dict(sep=" ", dtype=int)),
    ("1 -", dict(sep=" ", dtype="int8")),
    # complex: an imaginary part needs its "j"
    ("1 +2j 1e+2j nan+nanj", dict(sep=" ", dtype=complex)),
    ("1+2", dict(sep=" ", dtype=complex)),
    ("j", dict(sep=" ", dtype=complex)),
]


@pytest.mark.parametrize("text,kw", FROMFILE, ids=[str(i) for i in range(len(FROMFILE))])
def test_fromfile_text(tmp_path, text, kw):
    p = tmp_path / "t.txt"
    p.write_text(text)
    outs = []
    for mod in (numpy, oxnp):
        try:
            outs.append((mod.fromfile(p, **kw), None))
        except ValueError as e:
            outs.append((None, str(e)))
    (ref, ref_err), (ours, our_err) = outs
    assert our_err == ref_err
    if ref_err is None:
        assert_same(ours, ref)


def test_fromfile_text_leaves_the_file_after_what_it_read(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("1, 2, 3 x")
    for count in (1, 2):
        got = []
        for mod in (numpy, oxnp):
            with open(p, "rb") as f:
                arr = mod.fromfile(f, sep=",", count=count)
                got.append((arr.tolist(), f.tell(), f.read()))
        assert got[1] == got[0]
