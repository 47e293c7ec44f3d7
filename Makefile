# eventweek: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format bench bench-quiz bench-reporting bench-summary bench-notify migrate demo clean

# Development and CI install the runtime and the tools (requirements-dev.txt includes requirements.txt); production
# installs requirements.txt only (README: 单机不够用时).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

## run: install, migrate, load the demo weeks into an empty database, start the task cluster and the web server
# var/local.env (DEBUG=1 and a generated SECRET_KEY, written once) is what manage.py and wsgi.py read when no settings
# are given, so the README's commands work as written afterwards (eventweek/local_env.py).
run: $(VENV)/.installed
	@mkdir -p var
	@$(PY) -m eventweek.local_env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	PORT=$(PORT) scripts/run.sh

## test: install and run the whole suite
test: $(VENV)/.installed
	@mkdir -p var
	$(PY) -m pytest $(PYTEST_ARGS)

## lint: ruff (check and format), and the import contracts in pyproject.toml (import-linter)
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo --if-empty

## bench: every benchmark; each prints key=value lines
bench: bench-quiz bench-reporting bench-summary bench-notify

bench-quiz: $(VENV)/.installed
	$(PY) scripts/bench_quiz.py

bench-reporting: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py bench_reporting

bench-summary: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py bench_summary

# 100,000 recipients at 200/s send for about 500 s; BENCH_NOTIFY_ARGS="--recipients 20000" shortens it.
bench-notify: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py bench_notify $(BENCH_NOTIFY_ARGS)

clean:
	rm -rf var/test-artifacts var/chromium .pytest_cache
