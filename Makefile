# Developer entry points. `make test` is what CI runs (.ci/run).
# The venv is (re)installed only when pyproject.toml changes: the stamp file records that.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-innovgraph

.PHONY: venv run test system-deps

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	touch $@

run: venv
	$(VENV)/bin/innovgraph summary

# Debian packages the tests need (Virtuoso, ...), installed only when missing: every system
# package is listed in scripts/install-system-deps.sh, and nowhere else.
system-deps:
	bash scripts/install-system-deps.sh

# In CI (CI=true) the Virtuoso tests must run: INNOVGRAPH_REQUIRE_VIRTUOSO turns their skip
# into a failure when virtuoso-t is missing.
test: venv system-deps
	INNOVGRAPH_REQUIRE_VIRTUOSO=$${INNOVGRAPH_REQUIRE_VIRTUOSO:-$${CI:+1}} $(VENV)/bin/python -m pytest -q
