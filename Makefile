# The Safeguarding Hub. `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# uv installs from the same lock as pip would, in seconds rather than a minute.
UV_INSTALL := $(BIN)/python -m uv pip install -q --python $(BIN)/python -c requirements.lock

.PHONY: run serve install install-dev chromium java test bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install -c requirements.lock uv
	$(UV_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(UV_INSTALL) -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving the Safeguarding Hub on http://$(HOST):$(PORT)/ (admin at /admin/)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: the web server, task worker and scheduler under supervisord, with production
# settings from the environment (README, "Running it in production").
serve: install
	mkdir -p var
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) sh scripts/serve

chromium: install-dev
	@VENV=$(VENV) sh scripts/ensure-chromium

java:
	@sh scripts/ensure-java

# The suite itself runs Django's system checks and the missing-migrations check; it
# leaves screenshots of the main pages in var/screenshots/ for a person to look at.
test: install-dev chromium java
	mkdir -p var
	$(BIN)/pytest -n auto --dist loadfile --durations=15

# The load benchmark drives the site with wrk (Debian's package).
bench: install-dev
	mkdir -p var
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || \
		{ echo "The load benchmark needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python -m tests.bench

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static
