# Karigar: `make run` starts everything with demo data; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test test-fast lint smoke bench lock stop clean

# Finds a Python >= 3.12 by itself: the usual names, then pyenv's versions.
define find_python
for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    command -v $$c; exit 0; fi; \
done; exit 1
endef

$(VENV)/.installed: requirements.lock
	@python=$$($(find_python)) || { \
	  echo "Karigar needs Python 3.12 or newer, and none was found (tried python3.13, python3.12, python3, ~/.pyenv/versions)."; \
	  echo "Install one (for example: pyenv install 3.12) and run make again."; exit 1; }; \
	echo "Using $$python ($$($$python --version))"; \
	test -x $(PY) || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m config.run --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Everything but the browser tests.
test-fast: install
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

smoke: install
	bash .ci/smoke

# Search speed at BENCH_PROFILES (default 1,000,000) engineers in its own database,
# karigar_bench: see bench/README.md. Writes bench/results.json.
bench: install
	$(PY) -m bench.run

# Resolves pyproject.toml's pinned dependencies and records every installed version.
lock: install
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/direct.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/direct.txt
	{ echo "# Exact versions of every package, direct and indirect, that 'make install' puts"; \
	  echo "# in .venv. Regenerate with 'make lock' after changing pyproject.toml."; \
	  $(PY) -m pip freeze; } > requirements.lock

# Stops the embedded PostgreSQL and Redis if something left them running.
stop: install
	$(PY) -c 'from config import devservices; devservices.stop_all()'

clean: stop
	rm -rf $(VENV) .data staticfiles
