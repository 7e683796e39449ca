"""pytest plugin loaded with ``-p oxconf_plugin`` for every conformance run.

* installs the fake ``numpy`` package (oxconf_shim) before any test module is imported;
* records one JSON line per test outcome (and per collection error) into
  ``$OXCONF_RESULTS`` as results arrive, so a run killed by the per-file timeout still
  leaves the outcomes it reached;
* per-test timeout guard: SIGALRM after ``$OXCONF_TEST_TIMEOUT`` seconds (default 120)
  raises ``TimeoutError`` inside the test (works when the test is running Python code; a
  test stuck inside native code is caught by the runner's per-file timeout instead).
"""

import ast
import json
import os
import signal
import sys
import types

import pytest

import oxconf_shim

oxconf_shim.install()

_RESULTS = os.environ.get("OXCONF_RESULTS")
_TIMEOUT = int(os.environ.get("OXCONF_TEST_TIMEOUT", "120") or 0)
_out = None
_is_worker = False


def pytest_configure(config):
    global _out, _is_worker
    _is_worker = hasattr(config, "workerinput")
    if _RESULTS and not _is_worker:
        _out = open(_RESULTS, "a", buffering=1)
        _out.write(json.dumps({"subject": oxconf_shim.SUBJECT_NAME,
                               "subject_import_error": oxconf_shim.SUBJECT_IMPORT_ERROR}) + "\n")


def pytest_collection_finish(session):
    root = str(session.config.rootpath)
    modules = [m for m in list(sys.modules.values())
               if str(getattr(m, "__file__", None) or "").startswith(root)]
    oxconf_shim.unwrap_collected(modules, session.items)
    oxconf_shim.COLLECTING[0] = False


def pytest_unconfigure(config):
    if _out is not None:
        _out.write(json.dumps({"done": True}) + "\n")
        _out.close()


def _message(report):
    lr = report.longrepr
    crash = getattr(lr, "reprcrash", None)
    if crash is not None and getattr(crash, "message", None):
        return crash.message[:600]
    if isinstance(lr, tuple) and len(lr) == 3:  # skip reason
        return str(lr[2])[:600]
    text = str(lr) if lr is not None else ""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    errs = [ln for ln in lines if ln.startswith("E ")]
    pick = errs[-1][1:].strip() if errs else (lines[-1] if lines else "")
    return pick[:600]


def _emit(rec):
    if _out is not None:
        _out.write(json.dumps(rec) + "\n")


def pytest_runtest_logreport(report):
    if _is_worker:
        return
    rec = {"id": report.nodeid, "when": report.when, "outcome": report.outcome}
    if hasattr(report, "wasxfail"):
        rec["xfail"] = True
    if report.failed:
        rec["msg"] = _message(report)
    _emit(rec)


def pytest_collectreport(report):
    if _is_worker or not report.failed:
        return
    _emit({"collect_error": report.nodeid, "msg": _message(report)})


class TolerantModule(pytest.Module):
    """A test module whose import, if it raises, is redone statement by statement.

    See ``oxconf_shim.exec_tolerant``: the tests that depend on a failing module-level
    statement fail with its exception instead of the whole file being a collection error.
    Each failing statement is recorded as a ``collect_partial`` line in the results.
    """

    def _getobj(self):
        try:
            return super()._getobj()
        except self.CollectError:
            raise
        except Exception as exc:
            if not oxconf_shim.COLLECTING[0]:
                raise
            first = exc
        from _pytest.assertion.rewrite import rewrite_asserts
        from _pytest.pathlib import resolve_pkg_root_and_module_name

        try:
            _, modname = resolve_pkg_root_and_module_name(self.path)
        except Exception:  # not inside a package: prepend mode imports it by its stem
            modname = self.path.stem
        source = self.path.read_bytes()
        tree = ast.parse(source, str(self.path))
        rewrite_asserts(tree, source, self.path, self.config)
        mod = types.ModuleType(modname)
        mod.__file__ = str(self.path)
        if "." in modname:
            mod.__package__ = modname.rpartition(".")[0]
        sys.modules[modname] = mod
        failures = oxconf_shim.exec_tolerant(mod, tree, str(self.path))
        if not failures:  # the first import failed for a reason that did not recur
            raise first
        for lineno, err, poisoned in failures:
            _emit({"collect_partial": self.nodeid, "line": lineno,
                   "msg": f"{type(err).__name__}: {err}"[:600], "names": poisoned})
        return mod


def pytest_pycollect_makemodule(module_path, parent):
    if module_path.name.startswith("test_"):
        return TolerantModule.from_parent(parent, path=module_path)
    return None


class _TestTimeout(TimeoutError):
    pass


def _on_alarm(signum, frame):
    raise _TestTimeout(f"oxconf: test exceeded the {_TIMEOUT}s per-test timeout")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    use = _TIMEOUT > 0 and hasattr(signal, "SIGALRM")
    if use:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(_TIMEOUT)
    try:
        yield
    finally:
        if use:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
