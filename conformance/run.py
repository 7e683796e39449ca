#!/usr/bin/env python
"""Run NumPy's own test suite against oxnp (or any subject module); see README.md.

    python conformance/run.py [--fast] [--files F ...] [--check-baseline] [--update-baseline]

Subject: $OXNP_CONFORMANCE_MODULE (default ``oxnp``; ``numpy`` and ``null`` are the two
reference subjects). Cache: $OXNP_CONFORMANCE_CACHE (default ~/.cache/oxnp-conformance).
"""

import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import prepare  # noqa: E402

REPO = HERE.parent
BASELINE = HERE / "baseline.json"

# The --fast subset: quick files (each a few seconds against NumPy) that between them cover
# creation, shape manipulation, indexing helpers, set ops, nan-reductions, type checks,
# stride tricks, fft helpers and ufunc-like functions. Slow files (test_multiarray,
# test_umath, test_ufunc, test_numeric, ...) are only in the full run.
FAST_FILES = [
    "_core/tests/test_shape_base.py",
    "_core/tests/test_function_base.py",
    "_core/tests/test_item_selection.py",
    "_core/tests/test_getlimits.py",
    "lib/tests/test_shape_base.py",
    "lib/tests/test_twodim_base.py",
    "lib/tests/test_index_tricks.py",
    "lib/tests/test_arraysetops.py",
    "lib/tests/test_type_check.py",
    "lib/tests/test_stride_tricks.py",
    "lib/tests/test_ufunclike.py",
    "lib/tests/test_polynomial.py",
    "lib/tests/test_arraypad.py",
    "fft/tests/test_helper.py",
]


# --------------------------------------------------------------------------- running

def _env(subject, results, test_timeout):
    env = dict(os.environ)
    paths = [str(HERE), str(REPO / "python")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["OXNP_CONFORMANCE_MODULE"] = subject
    env["OXCONF_RESULTS"] = str(results)
    env["OXCONF_TEST_TIMEOUT"] = str(test_timeout)
    env.setdefault("PYTHONHASHSEED", "0")
    env.pop("PYTEST_ADDOPTS", None)
    return env


_RUNNING = set()


def _kill_running(*_):
    for proc in list(_RUNNING):
        try:
            os.killpg(proc.pid, 9)  # only the pytest process groups this runner started
        except OSError:
            pass
    raise SystemExit("conformance: interrupted")


def run_file(suite, rel, subject, out_json, opts):
    """Run one test file in a subprocess; write and return its parsed result."""
    out_json.parent.mkdir(parents=True, exist_ok=True)
    jsonl = out_json.with_suffix(".jsonl")
    if jsonl.exists():
        jsonl.unlink()
    workdir = prepare.version_dir() / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "oxconf_plugin",
           "-q", "--tb=line", "-c", str(suite / "pytest.ini"), "--rootdir", str(suite),
           str(suite / rel)]
    if not opts.slow:
        cmd += ["-m", "not slow"]
    if opts.xdist and opts.xdist > 1:
        cmd += ["-n", str(opts.xdist)]
    t0 = time.monotonic()
    timed_out = False
    log = out_json.with_suffix(".log")
    with open(log, "w") as logf:
        proc = subprocess.Popen(cmd, cwd=workdir, env=_env(subject, jsonl, opts.test_timeout),
                                stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        _RUNNING.add(proc)
        try:
            rc = proc.wait(timeout=opts.file_timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, 9)  # the pytest process group we started
            rc = proc.wait()
        finally:
            _RUNNING.discard(proc)
    elapsed = time.monotonic() - t0
    res = parse_results(jsonl)
    res.update(file=rel, subject=subject, rc=rc, elapsed=round(elapsed, 1), timed_out=timed_out)
    if not res["done"] and not timed_out and not res["outcomes"] and not res["collect_errors"]:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        res["collect_errors"].append({"id": rel, "msg": "pytest crashed: " + " | ".join(tail)})
    out_json.write_text(json.dumps(res))
    return res


def parse_results(jsonl):
    outcomes, msgs, collect_errors, partial = {}, {}, [], []
    done, import_error = False, None
    if jsonl.exists():
        for line in jsonl.read_text(errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if "subject" in rec:
                import_error = rec.get("subject_import_error")
            elif rec.get("done"):
                done = True
            elif "collect_partial" in rec:
                partial.append({"line": rec.get("line"), "msg": rec.get("msg", ""),
                                "names": rec.get("names", [])})
            elif "collect_error" in rec:
                collect_errors.append({"id": rec["collect_error"], "msg": rec.get("msg", "")})
            elif "id" in rec:
                tid, when, oc = rec["id"], rec["when"], rec["outcome"]
                prev = outcomes.get(tid)
                if oc == "failed":
                    new = "failed" if when == "call" else "error"
                    if prev != "error":
                        outcomes[tid] = new
                        msgs[tid] = rec.get("msg", "")
                elif oc == "skipped":
                    if prev is None:
                        outcomes[tid] = "skipped"
                elif oc == "passed" and when == "call" and prev is None:
                    outcomes[tid] = "passed"
    return {"outcomes": outcomes, "msgs": msgs, "collect_errors": collect_errors,
            "partial_collection": partial, "done": done, "subject_import_error": import_error}


def run_many(suite, files, subject, outdir, opts, cached=True, label=None):
    """Run files (2 at a time by default), reusing cached results when ``cached``."""
    results, todo = {}, []
    for rel in files:
        path = outdir / (rel.replace("/", "__") + ".json")
        if cached and path.exists():
            results[rel] = json.loads(path.read_text())
        else:
            todo.append((rel, path))
    if todo:
        sizes = {rel: (suite / rel).stat().st_size for rel, _ in todo}
        todo.sort(key=lambda t: -sizes[t[0]])  # longest first
        label = label or subject
        print(f"conformance: running {len(todo)} file(s) against {label!r} "
              f"({opts.jobs} at a time)...", file=sys.stderr, flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as ex:
            futs = {ex.submit(run_file, suite, rel, subject, path, opts): rel for rel, path in todo}
            for fut in concurrent.futures.as_completed(futs):
                r = fut.result()
                results[futs[fut]] = r
                c = Counter(r["outcomes"].values())
                print(f"  [{label}] {r['file']}: {c['passed']} passed, {c['failed']} failed, "
                      f"{c['error']} errors, {c['skipped']} skipped, "
                      f"{len(r['collect_errors'])} collection errors in {r['elapsed']}s"
                      + (" (FILE TIMEOUT)" if r["timed_out"] else ""), file=sys.stderr, flush=True)
    return results


def subject_importable(subject):
    if subject in ("numpy", "null"):
        return None
    env = _env(subject, os.devnull, 0)
    p = subprocess.run([sys.executable, "-c", f"import {subject}"], env=env,
                       capture_output=True, text=True, cwd=str(prepare.cache_root()))
    if p.returncode == 0:
        return None
    lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit code {p.returncode}"


# --------------------------------------------------------------------------- causes

_NUM = re.compile(r"(?<![A-Za-z_])-?\d+(\.\d+)?(e[-+]?\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def cause_key(msg):
    msg = (msg or "").strip()
    first = msg.splitlines()[0] if msg else ""
    m = re.match(r"AttributeError: module '([\w.]+)' has no attribute '(\w+)'", first)
    if m:
        owner = m.group(1).split(".", 1)
        where = ("." + owner[1]) if len(owner) > 1 else ""
        return f"missing function{' ' + where[1:] + '.' if where else ' '}{m.group(2)}".replace(". ", ".")
    m = re.match(r"AttributeError: '([\w.]+)' object has no attribute '(\w+)'", first)
    if m:
        return f"missing attribute {m.group(1)}.{m.group(2)}"
    m = re.match(r"(?:Failed: )?DID NOT RAISE (.*)", first)
    if m:
        return f"did not raise {m.group(1)}"
    if "per-test timeout" in first:
        return "test timeout"
    if first.startswith("AssertionError") or first.startswith("assert "):
        if "Arrays are not" in msg or "Not equal to tolerance" in msg or "Mismatched elements" in msg:
            return "assertion: array values/shape mismatch"
        if "array(" in msg or "repr" in msg or "str(" in msg or "print" in msg:
            return "assertion: printed representation mismatch"
        if "dtype" in msg:
            return "assertion: dtype mismatch"
        if "Items are not equal" in msg:
            return "assertion: items not equal"
        return "assertion: other"
    m = re.match(r"(\w+(?:Error|Exception|Warning|Failed|Exit))\s*:?\s*(.*)", first)
    if m:
        text = _QUOTED.sub("'…'", m.group(2))
        text = _NUM.sub("N", text)
        return f"{m.group(1)}: {text[:90]}"
    return first[:100] or "unknown"


# --------------------------------------------------------------------------- main

def select_files(args):
    files = list(FAST_FILES) if args.fast else list(prepare.FILES)
    if args.files:
        chosen = []
        for pat in args.files:
            hits = [f for f in prepare.FILES if f == pat or fnmatch.fnmatch(f, pat) or pat in f]
            if not hits:
                sys.exit(f"conformance: no suite file matches {pat!r}")
            chosen += [h for h in hits if h not in chosen]
        files = chosen
    return files


def load_baseline():
    if BASELINE.exists():
        return json.loads(BASELINE.read_text())
    return {"numpy_version": prepare.NUMPY_VERSION, "files": {}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fast", action="store_true", help="run the quick subset (FAST_FILES)")
    ap.add_argument("--files", nargs="+", metavar="F", help="suite files (path, glob or substring)")
    ap.add_argument("--check-baseline", action="store_true",
                    help="exit 1 if a file's counted passes fall below baseline.json")
    ap.add_argument("--update-baseline", action="store_true",
                    help="raise baseline.json counts to this run's (never lowers them)")
    ap.add_argument("--report", type=int, default=10, metavar="N", help="failure-cause groups shown")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="files run concurrently (default 2)")
    ap.add_argument("--xdist", type=int, default=0, help="pytest-xdist workers per file (default off)")
    ap.add_argument("--test-timeout", type=int, default=120, help="per-test timeout, s (SIGALRM)")
    ap.add_argument("--file-timeout", type=int, default=1200, help="per-file timeout, s")
    ap.add_argument("--slow", action="store_true", help="include tests marked slow")
    ap.add_argument("--rerun", action="store_true", help="recompute the cached numpy/null references")
    ap.add_argument("--json", metavar="PATH", help="write the per-file results as JSON")
    args = ap.parse_args(argv)

    subject = os.environ.get("OXNP_CONFORMANCE_MODULE", "oxnp") or "oxnp"
    files = select_files(args)
    t_start = time.monotonic()
    suite = prepare.prepare_suite()
    refdir = prepare.version_dir() / f"ref-{prepare.harness_hash()}{'-slow' if args.slow else ''}"

    import_error = subject_importable(subject)
    have_refs = all((refdir / s / (f.replace("/", "__") + ".json")).exists()
                    for s in ("numpy", "null") for f in files)
    if import_error and not have_refs:
        refs_np = refs_null = {}
    else:
        refs_np = run_many(suite, files, "numpy", refdir / "numpy", args, cached=not args.rerun,
                           label="numpy reference")
        refs_null = run_many(suite, files, "null", refdir / "null", args, cached=not args.rerun,
                             label="null reference")
    if import_error:
        print(f"conformance: subject module {subject!r} is not importable ({import_error}); "
              f"nothing run, every file counts 0 passed.", file=sys.stderr)
        subj = {f: {"file": f, "outcomes": {}, "msgs": {}, "timed_out": False, "elapsed": 0,
                    "collect_errors": [{"id": f, "msg": "subject not importable"}]}
                for f in files}
    elif subject in ("numpy", "null"):
        subj = refs_np if subject == "numpy" else refs_null
    else:
        subj = run_many(suite, files, subject, prepare.version_dir() / "runs" / subject, args,
                        cached=False)

    # ---- per-file table
    rows, causes, examples = [], Counter(), {}
    tot = Counter()
    for f in files:
        r = subj[f]
        ref = refs_np.get(f)
        nul = refs_null.get(f)
        c = Counter(r["outcomes"].values())
        if ref is not None:
            expected = {t for t, o in ref["outcomes"].items() if o == "passed"}
            if nul is not None:
                expected -= {t for t, o in nul["outcomes"].items() if o == "passed"}
            ref_total = len(ref["outcomes"])
        else:
            expected, ref_total = None, None
        passed = {t for t, o in r["outcomes"].items() if o == "passed"}
        counted = len(passed & expected) if expected is not None else None
        n_exp = len(expected) if expected is not None else None
        row = {"file": f, "ref_total": ref_total, "counted_total": n_exp, "counted_passed": counted,
               "passed": c["passed"], "failed": c["failed"], "errors": c["error"],
               "skipped": c["skipped"], "collection_errors": r["collect_errors"],
               "partial_collection": r.get("partial_collection", []),
               "timed_out": r.get("timed_out", False), "elapsed": r.get("elapsed")}
        rows.append(row)
        for k in ("passed", "failed", "errors", "skipped"):
            tot[k] += row[k]
        if counted is not None:
            tot["counted_passed"] += counted
            tot["counted_total"] += n_exp
        # failure causes among counted tests (all failures when there is no reference)
        for t, o in r["outcomes"].items():
            if o in ("failed", "error") and (expected is None or t in expected):
                k = cause_key(r["msgs"].get(t, ""))
                causes[k] += 1
                examples.setdefault(k, t)
        if expected is not None and not r["collect_errors"]:
            absent = expected - set(r["outcomes"])
            if absent:
                k = ("not run: the file timed out before reaching it" if r.get("timed_out") else
                     "not run: absent from the subject's collection (parametrized over a missing name?)")
                causes[k] += len(absent)
                examples.setdefault(k, sorted(absent)[0])
        if r["collect_errors"]:
            weight = max(1, (n_exp or 0) - len(passed & (expected or set())))
            for ce in r["collect_errors"][:1]:
                k = "collection error: " + cause_key(ce["msg"])
                causes[k] += weight if not r["outcomes"] else 1
                examples.setdefault(k, ce["id"])

    def fmt(v):
        return "?" if v is None else str(v)

    print()
    print(f"NumPy {prepare.NUMPY_VERSION} test suite against subject {subject!r}"
          f"{' (--fast)' if args.fast else ''}")
    hdr = f"{'file':38} {'numpy':>6} {'counted':>7} | {'pass':>5} {'fail':>5} {'err':>4} {'skip':>5} | {'counted pass':>12} {'rate':>6}"
    print(hdr)
    print("-" * len(hdr))
    for row in rows:
        rate = (f"{100 * row['counted_passed'] / row['counted_total']:5.1f}%"
                if row["counted_total"] else "   -  ")
        print(f"{row['file']:38} {fmt(row['ref_total']):>6} {fmt(row['counted_total']):>7} | "
              f"{row['passed']:>5} {row['failed']:>5} {row['errors']:>4} {row['skipped']:>5} | "
              f"{fmt(row['counted_passed']):>12} {rate}")
        for ce in row["collection_errors"][:2] if not import_error else ():
            print(f"    COLLECTION ERROR (whole file fails) {ce['id']}: {ce['msg'][:160]}")
        for pc in row["partial_collection"]:
            print(f"    module line {pc['line']} failed (affects {', '.join(pc['names']) or '-'}):"
                  f" {pc['msg'].splitlines()[0][:120] if pc['msg'] else ''}")
        if row["timed_out"]:
            print(f"    FILE TIMEOUT after {row['elapsed']}s (tests not reached count as not passed)")
    print("-" * len(hdr))
    ran = tot["passed"] + tot["failed"] + tot["errors"]
    raw = f"{100 * tot['passed'] / ran:.1f}%" if ran else "-"
    if tot["counted_total"]:
        rate = f"{100 * tot['counted_passed'] / tot['counted_total']:.1f}%"
    else:
        rate = "-"
    print(f"{'TOTAL':38} {'':>6} {tot['counted_total']:>7} | {tot['passed']:>5} {tot['failed']:>5} "
          f"{tot['errors']:>4} {tot['skipped']:>5} | {tot['counted_passed']:>12} {rate:>6}")
    print(f"pass rate over counted tests (pass on numpy, not on the null module): {rate}; "
          f"raw pass rate (passed / run, all tests): {raw}; {time.monotonic() - t_start:.0f}s")

    if import_error:
        print(f"SUBJECT {subject!r} NOT IMPORTABLE: {import_error}")
    if args.report and causes:
        print(f"\nTop {args.report} failure causes (counted tests):")
        for k, n in causes.most_common(args.report):
            print(f"  {n:6d}  {k}\n          e.g. {examples[k]}")

    if args.json:
        Path(args.json).write_text(json.dumps({"subject": subject, "files": rows,
                                               "causes": causes.most_common()}, indent=1))

    status = 0
    base = load_baseline()
    if args.check_baseline:
        bad = []
        for row in rows:
            want = base.get("files", {}).get(row["file"], 0)
            got = row["counted_passed"] or 0
            if got < want:
                bad.append(f"  {row['file']}: {got} < baseline {want}")
        if bad:
            print("\nconformance: BELOW BASELINE:\n" + "\n".join(bad))
            status = 1
        else:
            print("\nconformance: baseline check passed")
    if args.update_baseline:
        fb = base.setdefault("files", {})
        raised = []
        for row in rows:
            got = row["counted_passed"] or 0
            if got > fb.get(row["file"], 0):
                raised.append(f"  {row['file']}: {fb.get(row['file'], 0)} -> {got}")
                fb[row["file"]] = got
        for f in prepare.FILES:
            fb.setdefault(f, 0)
        base["numpy_version"] = prepare.NUMPY_VERSION
        base["files"] = {f: fb[f] for f in sorted(fb)}
        BASELINE.write_text(json.dumps(base, indent=2) + "\n")
        print("\nconformance: baseline " + ("raised:\n" + "\n".join(raised) if raised else "unchanged"))
    return status


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, _kill_running)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        _kill_running()
