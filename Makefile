# Partnernetz: two commands do all the set-up on a fresh machine.
#   make run   - install what the app needs into .venv, then start the app
#   make test  - install what the tests need (Python packages, Debian chromium), then run them all
#   make demo-login - the app plus a local test sign-in provider with one demo user per role
#   make lock  - regenerate requirements.lock / requirements-dev.lock (pip-compile, with hashes)
# Both install from the lock files: every package, transitive ones too, pinned with its hashes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

# Debian packages the app needs at run time: Pango for WeasyPrint (the PDF report)
# and a font with umlauts and symbols.
DEBIAN_RUN := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
# Debian packages the tests need: poppler-utils (pdftoppm, pdftotext) renders and measures
# every page of the PDF report.
DEBIAN_TEST := poppler-utils
# axe-core (MPL-2.0) from the npm registry, for the accessibility tests only.
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test lint bench chromium nginx system-libs test-libs clean demo-login lock

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

$(STAMP_DEV): requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@ $(STAMP_RUN)

# The lock files come from requirements*.txt (top-level pins). After changing a pin there:
# make lock, review the diff, commit both .lock files. --upgrade-package NAME moves one package.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links --unsafe-package pip --unsafe-package setuptools
lock: $(STAMP_DEV)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

run: $(STAMP_RUN) system-libs
	$(PY) -m streamlit run dashboard.py

demo-login: $(STAMP_DEV)
	$(PY) scripts/demo_login.py

system-libs:
	@missing=""; for p in $(DEBIAN_RUN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the PDF report:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test-libs:
	@missing=""; for p in $(DEBIAN_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(AXE): package.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian npm for the accessibility tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm install --no-package-lock --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian nginx for the reverse-proxy browser test (tests/browser/test_nginx.py); not started here.
nginx:
	@test -x /usr/sbin/nginx || { \
	  echo "Installing Debian nginx for the reverse-proxy test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends nginx openssl >/dev/null; }

test: $(STAMP_DEV) chromium nginx system-libs test-libs $(AXE)
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP_DEV)
	$(PY) -m ruff check .

bench: $(STAMP_DEV)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts node_modules
