# Lantern: `make demo` sets everything up and serves http://127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
CSS := lantern/core/static/lantern/lantern.css
PYTEST_ARGS ?=

CHROMIUM := /usr/bin/chromium

.PHONY: demo install system lint test test-fast e2e bench serve worker css clean check-deploy

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Lantern needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(CSS): $(NPM_STAMP) lantern/core/scss/lantern.scss
	npm run --silent build:css

install: $(STAMP) $(NPM_STAMP) $(CSS)

# Debian packages: Chromium for the end-to-end tests, and Pango, HarfBuzz and the Liberation fonts
# for WeasyPrint's PDF minutes. Installed when missing, if we may; otherwise we say what to install.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
system:
	@if [ -x $(CHROMIUM) ] && ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian packages: $(SYSTEM_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "Lantern needs these Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	fi

css: $(NPM_STAMP)
	npm run --silent build:css

demo: install system
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py run_standards --schedule
	@echo ""
	@echo "Lantern is running at http://127.0.0.1:8000 (press Ctrl+C to stop)."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 5 >/dev/null 2>&1 & \
	  $(PY) manage.py runserver 127.0.0.1:8000

serve: install
	$(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check lantern tests bench conftest.py

test: install lint system
	$(PY) -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not e2e" $(PYTEST_ARGS)

e2e: install system
	$(PY) -m pytest -q -m e2e $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

check-deploy: install
	DJANGO_SETTINGS_MODULE=lantern.settings.production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=lantern.example.org DATABASE_URL=postgres://lantern@127.0.0.1:5432/lantern \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles lantern.sqlite3 lantern.sqlite3-* $(CSS)
