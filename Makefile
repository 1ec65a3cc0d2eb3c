# Set-up and everyday commands; README explains each. Works on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
AMQP_URI ?= amqp://guest:guest@127.0.0.1:5672/
TEST_DATABASE_URL ?= postgresql://postgres:postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
export AMQP_URI TEST_DATABASE_URL

.PHONY: up down status test unit lint venv protos rabbitmq postgres browser bench clean

up: venv protos rabbitmq
	$(PY) -m services.shared.ops.launcher up

down:
	@if [ -x $(PY) ]; then $(PY) -m services.shared.ops.launcher down; fi

status: venv
	$(PY) -m services.shared.ops.launcher status

test: lint rabbitmq postgres browser
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff (pyflakes, pycodestyle, import order) and import-linter (the house plan in pyproject.toml)
lint: venv protos
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

unit: venv protos
	$(PY) -m pytest tests/unit tests/service $(PYTEST_ARGS)

bench: venv protos
	$(PY) bench/load.py $(BENCH_ARGS)

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv; fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	# The repository root and the generated gRPC code are importable from anywhere.
	site=$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
		echo "$(CURDIR)" > $$site/bps-root.pth; echo "$(CURDIR)/gen" > $$site/bps-gen.pth
	touch $@

protos: gen/.built

gen/.built: $(wildcard protos/*.proto) $(VENV)/.installed
	rm -rf gen && mkdir -p gen
	$(PY) -m grpc_tools.protoc -I protos --python_out=gen --grpc_python_out=gen --pyi_out=gen protos/*.proto
	touch $@

rabbitmq:
	bash scripts/ensure-rabbitmq.sh

postgres:
	bash scripts/ensure-postgres.sh

# Debian's chromium for the browser tests (Playwright drives it; no browser download), and
# axe-core for their accessibility pass (npm ci of the pinned package; Debian's nodejs/npm).
browser:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-axe.sh

clean: down
	rm -rf gen var
