# lifebot: `make run` starts the whole assistant, `make test` runs every check. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
LIFEBOT := $(VENV)/bin/lifebot
# Optional Python 3.11 environment with torch, for training the domain embedding model only.
TRAIN_VENV := .venv-train
# `make model` yields the CPU to other work by default; `make model MODEL_NICE=` runs it at full priority.
MODEL_NICE ?= nice -n 19
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help setup run run-scaled test lint unit e2e clean model

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt pyproject.toml scripts/find-python310
	@echo "==> Python 环境：$(VENV)"
	@test -x $(PY) || $$(scripts/find-python310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	@touch $@

web/node_modules/.installed: web/package.json web/package-lock.json
	@echo "==> 网页依赖：npm ci"
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed web/node_modules/.installed ## Install, build the catalog, index and Rasa model when missing or stale
	$(LIFEBOT) setup

run: setup ## Set up, then start the API, action server and Rasa (Ctrl-C stops all)
	$(LIFEBOT) run

run-scaled: setup ## Scaled layout on one machine: nginx :8088, 2 API, 2 action, 2 Rasa, PostgreSQL, Redis (docs/scaling.md)
	$(LIFEBOT) run-scaled

lint: $(VENV)/.installed ## ruff
	$(VENV)/bin/ruff check .

test: setup lint $(TRAIN_VENV)/.installed ## Set up, then run the whole test suite (unit, integration, end-to-end)
	$(PY) -m pytest


$(TRAIN_VENV)/.installed: training/requirements-train.txt
	@echo "==> 训练环境：$(TRAIN_VENV)（Python 3.11，CPU 版 torch）"
	@test -x $(TRAIN_VENV)/bin/python || $$(command -v python3.11 || echo $$HOME/.pyenv/versions/3.11.7/bin/python) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r training/requirements-train.txt
	@touch $@

model: setup $(TRAIN_VENV)/.installed ## Convert, fine-tune and install the domain embedding model (var/model/tuned)
	$(MODEL_NICE) $(LIFEBOT) model build

clean: ## Remove build outputs (var/), keeping the virtualenv
	rm -rf var
