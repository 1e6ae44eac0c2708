# Two commands do all set-up on a fresh machine (see README):
#   make run   installs everything and starts the app on the bundled corpus (ingested on first run)
#   make test  installs the test dependencies and runs the whole test suite (CI runs this)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama-cpp-python builds from source: portable CPU code, so the cached wheel runs on any x86-64
export CMAKE_ARGS := -DGGML_NATIVE=OFF

.PHONY: install install-test browser run test fit eval bench load lint

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# torch first and pinned: an unpinned torch pulls several GB of CUDA packages.
install: $(VENV)/bin/python
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .

install-test: $(VENV)/bin/python browser
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test]'

# The browser tests use Debian's chromium (Playwright's own browser download is not available).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium not installed: the browser test will be skipped (apt-get install chromium)"

run: install
	$(VENV)/bin/streamlit run app.py

test: install-test
	$(VENV)/bin/ruff check .
	$(PY) -m pytest
	$(VENV)/bin/procurement-assistant-eval --check --report evals/reports/dev.md

# refit every learned part on evals/data and ../shared/validation; parameters go to corpus/fitted
fit:
	$(VENV)/bin/procurement-assistant fit

eval:
	$(VENV)/bin/procurement-assistant-eval --report evals/reports/dev.md

bench:
	$(PY) benchmarks/bench.py

# 20 concurrent conversations for 60 s against one process, then against the app in 20 browser sessions
load:
	$(PY) benchmarks/load.py

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
