# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    install the runtime and start the dashboard
#   make test   install Chromium (apt) and the test tools, then run every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501
# Tests run on every core (pytest-xdist), each test to whichever worker is free; PYTEST_JOBS=0 runs them in one
# process.
PYTEST_JOBS ?= auto
PYTEST := $(PY) -m pytest -n $(PYTEST_JOBS) --dist worksteal

.PHONY: test-system-deps run test test-fast lint check export bench bench-quick i18n system-deps clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Debian's Chromium for Kaleido (PNG export) and the browser tests; never `playwright install`.
system-deps:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version)"; else \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$(grep -v '^#' packages.txt); fi

# The tests also open our CSVs in a real spreadsheet (LibreOffice Calc, headless) to prove no cell is evaluated.
TEST_APT := libreoffice-calc-nogui
test-system-deps:
	@if command -v soffice >/dev/null; then echo "soffice: $$(soffice --version | head -1)"; else \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(TEST_APT); fi

# The package is byte-compiled first, as pip compiles what it installs: where PYTHONDONTWRITEBYTECODE is set (this
# machine sets it) or the tree is read-only, every fresh server would otherwise compile it again (0.05 s of the first
# visit). Python checks each .pyc against its source, so a stale one is never used.
run: $(VENV)/.runtime
	$(PY) -m compileall -q kztrade app.py
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --server.fileWatcherType auto

test: system-deps test-system-deps $(VENV)/.dev lint
	$(PYTEST)

# The formatter and linter (ruff.toml: line length 120): part of `make test`.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# The developer loop: every test that needs no browser (data, rules, wording, charts, AppTest, i18n).
test-fast: $(VENV)/.dev lint
	$(PYTEST) -m "not browser"

check: $(VENV)/.runtime
	$(PY) -m kztrade check

export: system-deps $(VENV)/.runtime
	$(PY) -m kztrade export --out exports

# Benchmarks print tables with ratios against a baseline measured in the same run (not tests).
bench: system-deps $(VENV)/.dev
	$(PY) bench/export_bench.py
	$(PY) bench/visit_bench.py
	$(PY) bench/serve_bench.py
	$(PY) bench/growth_bench.py

bench-quick: system-deps $(VENV)/.dev
	$(PY) bench/visit_bench.py --quick
	$(PY) bench/serve_bench.py --quick
	$(PY) bench/growth_bench.py --quick

# Our words: extract them from kztrade/, merge them into each catalogue, compile. Translate new msgids in
# kztrade/locale/ru/LC_MESSAGES/kztrade.po, then run this again; the compiled .mo is committed (Streamlit Cloud has no build step).
i18n: $(VENV)/.dev
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k n_:1,2 --no-location --sort-output --omit-header -o kztrade/locale/kztrade.pot .
	$(VENV)/bin/pybabel update -i kztrade/locale/kztrade.pot -d kztrade/locale -D kztrade --ignore-obsolete --no-fuzzy-matching --width 120
	$(VENV)/bin/pybabel compile -d kztrade/locale -D kztrade --statistics

clean:
	rm -rf $(VENV) exports screenshots
