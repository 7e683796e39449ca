# The README's commands: `make demo` and `make test`. Both create .venv if absent.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Cached outside the clone so a fresh clone (and CI) reuses earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/oxnp-target
EXT_SUFFIX = $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
PYTEST_WORKERS ?= 2
RUST_TEST_CRATES := -p oxnp-core -p oxnp-kernels -p oxnp-random -p oxnp-jit

.PHONY: venv build dev test test-rust test-python test-conformance conformance demo bench bench-jit clean

venv: $(VENV)/.deps-installed

$(VENV)/.deps-installed: requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

# Release build, installed into the venv (editable: python/ sources are used in place).
build: venv
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(BIN)):$$PATH $(BIN)/maturin develop --release -q

# Fast debug build for development: the extension is copied next to the Python sources,
# so `PYTHONPATH=python` picks it up.
dev:
	cargo build -p oxnp-python
	cp $(CARGO_TARGET_DIR)/debug/lib_oxnp.so python/oxnp/_oxnp$(EXT_SUFFIX)

# Release profile: shares the dependency builds (faer, rustfft, cranelift) with `make build`.
test-rust:
	cargo test --release -q $(RUST_TEST_CRATES)

test-python: build
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) tests
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --jit tests/test_ufuncs.py tests/test_operators.py tests/test_reductions.py tests/test_broadcast.py tests/test_advanced_indexing.py tests/test_manip.py

# NumPy's own tests, fast subset, against the baseline (may only go up).
test-conformance: build
	$(BIN)/python conformance/run.py --fast --check-baseline

test: test-rust test-python test-conformance

# All 36 NumPy test files (several minutes); --update-baseline raises the recorded counts.
conformance: build
	$(BIN)/python conformance/run.py

demo: build
	$(BIN)/python -m examples.demo --size full

clean:
	rm -rf $(VENV) python/oxnp/_oxnp*.so

bench: build
	cd benches && for b in bench_*.py; do ../$(BIN)/python $$b || exit 1; done

bench-jit: build
	cd benches && ../$(BIN)/python bench_jit.py
