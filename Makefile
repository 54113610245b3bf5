# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    install the runtime and start the dashboard
#   make test   install Chromium (apt) and the test tools, then run every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test check export bench system-deps clean

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

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --server.fileWatcherType auto

test: system-deps $(VENV)/.dev
	$(PY) -m pytest

check: $(VENV)/.runtime
	$(PY) -m kztrade check

export: system-deps $(VENV)/.runtime
	$(PY) -m kztrade export --out exports

bench: system-deps $(VENV)/.dev
	$(PY) bench/export_bench.py

clean:
	rm -rf $(VENV) exports screenshots
