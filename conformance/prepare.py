"""Fetch NumPy's wheel from PyPI into the cache and extract + rewrite the selected test files.

Nothing here writes into the repository: everything goes under the cache directory
(``$OXNP_CONFORMANCE_CACHE``, default ``~/.cache/oxnp-conformance``).
"""

import hashlib
import io
import os
import subprocess
import sys
import tokenize
import zipfile
from pathlib import Path

NUMPY_VERSION = "2.4.6"
HERE = Path(__file__).resolve().parent

# Test files (relative to the numpy package) that make up the suite.
FILES = [
    "_core/tests/test_numeric.py",
    "_core/tests/test_multiarray.py",
    "_core/tests/test_indexing.py",
    "_core/tests/test_shape_base.py",
    "_core/tests/test_dtype.py",
    "_core/tests/test_einsum.py",
    "_core/tests/test_getlimits.py",
    "_core/tests/test_scalarmath.py",
    "_core/tests/test_scalar_methods.py",
    "_core/tests/test_scalar_ctors.py",
    "_core/tests/test_numerictypes.py",
    "_core/tests/test_ufunc.py",
    "_core/tests/test_umath.py",
    "_core/tests/test_nep50_promotions.py",
    "_core/tests/test_arrayprint.py",
    "_core/tests/test_function_base.py",
    "_core/tests/test_item_selection.py",
    "_core/tests/test_half.py",
    "lib/tests/test_function_base.py",
    "lib/tests/test_shape_base.py",
    "lib/tests/test_twodim_base.py",
    "lib/tests/test_index_tricks.py",
    "lib/tests/test_arraysetops.py",
    "lib/tests/test_nanfunctions.py",
    "lib/tests/test_arraypad.py",
    "lib/tests/test_histograms.py",
    "lib/tests/test_type_check.py",
    "lib/tests/test_format.py",
    "lib/tests/test_stride_tricks.py",
    "lib/tests/test_ufunclike.py",
    "lib/tests/test_polynomial.py",
    "linalg/tests/test_linalg.py",
    "fft/tests/test_pocketfft.py",
    "fft/tests/test_helper.py",
    "random/tests/test_random.py",
    "random/tests/test_randomstate.py",
    "random/tests/test_generator_mt19937.py",
    "random/tests/test_direct.py",
    "random/tests/test_seed_sequence.py",
    "random/tests/test_smoke.py",
    "linalg/tests/test_regression.py",
    "lib/tests/test_io.py",
    "lib/tests/test_loadtxt.py",
]

# Written as the suite's pytest.ini (NumPy's own settings: warnings are errors).
PYTEST_INI = """\
[pytest]
addopts = -l
filterwarnings =
    error
    ignore:Not importing directory
    ignore:numpy.dtype size changed
    ignore:numpy.ufunc size changed
    ignore::UserWarning:cpuinfo
    ignore:the matrix subclass is not
    ignore:Importing from numpy.matlib is
    ignore:assertions not being tested because of PYTHONOPTIMIZE
    ignore::pytest.PytestRemovedIn10Warning
"""

FAKE = "_oxnp_conf_numpy"


def harness_hash():
    """Changes whenever the code that decides test outcomes changes."""
    h = hashlib.sha256()
    for name in ("prepare.py", "oxconf_shim.py", "oxconf_plugin.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:12]


def cache_root():
    root = os.environ.get("OXNP_CONFORMANCE_CACHE") or os.path.expanduser("~/.cache/oxnp-conformance")
    return Path(root)


def version_dir():
    return cache_root() / f"numpy-{NUMPY_VERSION}"


def download_wheel():
    wdir = version_dir() / "wheel"
    wheels = sorted(wdir.glob(f"numpy-{NUMPY_VERSION}-cp311-*manylinux*x86_64*.whl"))
    if wheels:
        return wheels[0]
    wdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", f"numpy=={NUMPY_VERSION}", "--no-deps",
           "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp",
           "--abi", "cp311", "--platform", "manylinux_2_28_x86_64",
           "--platform", "manylinux_2_17_x86_64", "-d", str(wdir)]
    print("conformance: downloading", " ".join(cmd[3:6]), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wheels = sorted(wdir.glob(f"numpy-{NUMPY_VERSION}-cp311-*.whl"))
    if not wheels:
        raise SystemExit(f"conformance: pip download produced no wheel in {wdir}")
    return wheels[0]


def rewrite_imports(source):
    """Rewrite ``import numpy...`` / ``from numpy... import`` statements to the fake package.

    Token based, so strings (e.g. code run in a subprocess) are left alone and line numbers
    do not move. ``import numpy.x`` without ``as`` (which binds the name ``numpy``) gets
    ``; numpy = _oxnp_conf_numpy`` appended to its statement.
    """
    toks = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    lines = source.splitlines(keepends=True)
    edits = []  # (row, col_start, col_end, text)
    skip = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
    stmt_start = True
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.type in skip or t.type == tokenize.NEWLINE:
            if t.type == tokenize.NEWLINE:
                stmt_start = True
            i += 1
            continue
        if stmt_start and t.type == tokenize.NAME and t.string in ("import", "from"):
            # the statement's significant tokens, up to NEWLINE / ';'
            body = []
            j = i + 1
            while j < len(toks) and toks[j].type not in (tokenize.NEWLINE, tokenize.ENDMARKER) \
                    and not (toks[j].type == tokenize.OP and toks[j].string == ";"):
                if toks[j].type not in skip:
                    body.append(toks[j])
                j += 1
            if t.string == "from":
                if body and body[0].type == tokenize.NAME and body[0].string == "numpy":
                    edits.append((body[0].start[0], body[0].start[1], body[0].end[1], FAKE))
            else:
                binds_numpy = False
                parts, cur = [], []
                for u in body:
                    if u.type == tokenize.OP and u.string == ",":
                        parts.append(cur)
                        cur = []
                    else:
                        cur.append(u)
                parts.append(cur)
                for p in parts:
                    if p and p[0].type == tokenize.NAME and p[0].string == "numpy":
                        edits.append((p[0].start[0], p[0].start[1], p[0].end[1], FAKE))
                        if not any(u.type == tokenize.NAME and u.string == "as" for u in p):
                            binds_numpy = True
                if binds_numpy:
                    last = body[-1]
                    edits.append((last.end[0], last.end[1], last.end[1], f"; numpy = {FAKE}"))
            stmt_start = False
            i = j
            continue
        stmt_start = t.type == tokenize.OP and t.string in (";", ":")
        i += 1
    # apply from the end so columns stay valid
    for row, c0, c1, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:c0] + text + line[c1:]
    return "".join(lines)


def prepare_suite():
    """Extract (once) and return the suite directory for the current harness version."""
    suite = version_dir() / f"suite-{harness_hash()}"
    marker = suite / ".complete"
    if marker.exists():
        return suite
    wheel = download_wheel()
    tmp = suite.with_name(suite.name + ".tmp")
    if tmp.exists():
        import shutil
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    test_dirs = sorted({str(Path(f).parent) for f in FILES})
    wanted = set(FILES)
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            name = info.filename
            if not name.startswith("numpy/") or name.endswith("/"):
                continue
            rel = name[len("numpy/"):]
            if rel == "conftest.py":
                pass
            else:
                d = str(Path(rel).parent)
                in_dir = any(d == td or d.startswith(td + "/") for td in test_dirs)
                if not in_dir:
                    continue
                base = Path(rel).name
                if base.startswith("test_") and base.endswith(".py") and rel not in wanted:
                    continue  # other test files are not part of the suite
            data = zf.read(info)
            if rel.endswith(".py"):
                data = rewrite_imports(data.decode("utf-8")).encode("utf-8")
            out = tmp / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
    (tmp / "pytest.ini").write_text(PYTEST_INI)
    missing = [f for f in FILES if not (tmp / f).exists()]
    if missing:
        raise SystemExit(f"conformance: not in the wheel: {missing}")
    (tmp / ".complete").write_text(wheel.name + "\n")
    if suite.exists():
        import shutil
        shutil.rmtree(suite)
    tmp.rename(suite)
    # results of an older harness are stale: drop its suite and references
    import shutil
    for old in version_dir().iterdir():
        if old.name.startswith(("suite-", "ref-")) and harness_hash() not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    return suite


if __name__ == "__main__":
    print(prepare_suite())
