# Developer entry points. `make test` is what CI runs (.ci/run).
# The venv is (re)installed only when pyproject.toml changes: the stamp file records that.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-innovgraph

.PHONY: venv run test

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	touch $@

run: venv
	$(VENV)/bin/innovgraph summary

test: venv
	$(VENV)/bin/python -m pytest -q
