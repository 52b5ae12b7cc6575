# Partnernetz: two commands do all the set-up on a fresh machine.
#   make run   - install what the app needs into .venv, then start the app
#   make test  - install what the tests need (Python packages, Debian chromium), then run them all
#   make demo-login - the app plus a local test sign-in provider with one demo user per role
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint bench chromium clean demo-login

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(STAMP_DEV): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(PY) -m streamlit run dashboard.py

demo-login: $(STAMP_DEV)
	$(PY) scripts/demo_login.py

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP_DEV) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP_DEV)
	$(PY) -m ruff check .

bench: $(STAMP_DEV)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
