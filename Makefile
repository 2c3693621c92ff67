# Convene: two commands on a fresh machine — `make run` and `make test`.
# Needs Python 3.11, Node and npm. Everything else is installed into .venv/ and node_modules/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
GOVUK_CSS := convene/static/govuk/govuk-frontend.min.css
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint format bench bench-scale check-deploy clean

install: $(VENV)/.synced $(GOVUK_CSS)

var/tools/bin/uv:
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

$(GOVUK_CSS): node_modules/.installed frontend/build.mjs frontend/convene.scss
	npm run --silent build

# The demo as people would meet it (docs/decisions/0026-make-run.md): debug pages off, the static
# files collected and served by WhiteNoise, Waitress as the web server. One Ctrl-C stops it.
ALLOWED_HOSTS ?= $(HOST),127.0.0.1,localhost
DEMO := DJANGO_SETTINGS_MODULE=convene.settings.demo ALLOWED_HOSTS=$(ALLOWED_HOSTS)

run: install
	$(DEMO) $(PY) manage.py migrate --no-input
	$(DEMO) $(PY) manage.py load_demo
	$(DEMO) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Convene is serving the demo at http://$(HOST):$(PORT)/ (sign in as any demo user above, for example morag.ellison@northmoor.example; every password is demo-password-2026). Press Ctrl-C to stop it."
	@exec env $(DEMO) $(PY) -m waitress --host=$(HOST) --port=$(PORT) --threads=8 convene.wsgi:application

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/bandit -q -c pyproject.toml -r convene -x '*/tests/*,*/migrations/*' --severity-level medium

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/working_days.py
	$(PY) bench/import_ssd.py
	$(PY) bench/returns.py
	$(PY) bench/pages.py
	$(PY) bench/decision.py
	$(PY) bench/plans.py
	$(PY) bench/outbox.py

# Every main page and command at the size of the largest authorities, on PostgreSQL
# (bench/scale.py; docs/performance.md). By default it generates and imports 100,000 children
# into a new database; measure a copy of an existing one with
# make bench-scale BENCH_SCALE_ARGS="--reuse convene_scale".
BENCH_SCALE_ARGS ?= --children 100000

bench-scale: install
	$(PY) bench/scale.py $(BENCH_SCALE_ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=convene.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=convene.example $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var/tools convene/static/govuk
