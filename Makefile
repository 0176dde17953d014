# voc — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
BERTOPIC := bertopic==0.17.4
# chiVe word vectors for the default embedding (data only: without spaCy/GiNZA, hence --no-deps).
CHIVE := ja-ginza==5.3.0
OUT ?= reports/latest
ST_VENV ?= .venv-transformers
# Extra pip arguments for that venv. On this project's CI machines torch 2.13.0's CPU wheel lies on
# disk; elsewhere pass ST_PIP_ARGS="--extra-index-url https://download.pytorch.org/whl/cpu", or pip
# takes PyPI's multi-GB CUDA build.
ST_PIP_ARGS ?=
ST_PIP := $(ST_VENV)/bin/python -m pip --disable-pip-version-check -q

.DEFAULT_GOAL := help
.PHONY: help install install-dev install-transformers system-deps report test lint bench lab clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Light install: everything pinned, then BERTopic without its torch/sentence-transformers deps.
$(VENV)/.installed: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps $(BERTOPIC) $(CHIVE)
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PIP) install -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install voc (no torch)

# The optional sentence-transformers backend needs PyTorch, which the default environment must not
# have: its tests run in a venv of their own. requirements-transformers.lock pins what the extra
# adds (torch 2.13.0, the CPU build); requirements-dev.lock constrains the rest (pytest included).
$(ST_VENV)/.installed: requirements.lock requirements-dev.lock requirements-transformers.lock pyproject.toml
	$(PYTHON) -m venv $(ST_VENV)
	$(ST_PIP) install $(ST_PIP_ARGS) -r requirements.lock -r requirements-transformers.lock -c requirements-dev.lock pytest
	$(ST_PIP) install --no-deps $(BERTOPIC) $(CHIVE)
	$(ST_PIP) install --no-deps -e .
	@touch $@

install-transformers: $(ST_VENV)/.installed ## A second venv, .venv-transformers, with voc[transformers] (PyTorch, CPU)

install-dev: $(VENV)/.installed-dev system-deps ## install + test tools and system packages

system-deps: ## Install the Debian packages listed in system-packages.txt (needs root; skipped if present)
	@bash scripts/system-deps.sh system-packages.txt

report: install ## Run voc on the bundled sample corpus; prints the report path
	@$(VENV)/bin/voc report --config corpus/voc.toml --out $(OUT)

test: install-dev install-transformers ## Run the whole test suite (unit, CLI end to end, notebooks, the optional backend)
	$(VENV)/bin/pytest
	VOC_REQUIRE_TRANSFORMERS=1 $(ST_VENV)/bin/pytest -p no:cacheprovider tests/test_embed.py -k sentence_transformers

lint: install-dev ## ruff
	$(VENV)/bin/ruff check voc tests

bench: install-dev ## Benchmarks (see bench/README.md)
	$(PY) -m bench

lab: install-dev ## Start JupyterLab on notebooks/
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

clean: ## Remove the venv, reports and caches
	rm -rf $(VENV) $(ST_VENV) reports .pytest_cache
