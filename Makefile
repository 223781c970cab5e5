# Developer entry points. `make test` is what CI runs (.ci/run): the named checks below, then
# the whole test suite, as ODK builds its `test` from named steps.
# The venv is (re)installed only when pyproject.toml changes: the stamp file records that.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-innovgraph
INNOVGRAPH := $(VENV)/bin/innovgraph

.PHONY: venv run validate qc reason docs docs-check test-fast test system-deps assets assets-check

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	touch $@

run: venv
	$(INNOVGRAPH) summary

# --- the checks of the knowledge files, one step each ----------------------------------------

validate: venv  ## SHACL: the shipped graph has no violation
	$(INNOVGRAPH) validate --fail-on violation

qc: venv  ## ROBOT-style quality checks at their levels (queries/qc/profile.tsv)
	$(INNOVGRAPH) qc --fail-on error

reason: venv  ## HermiT: consistent, every class satisfiable
	$(INNOVGRAPH) reason

docs: venv  ## regenerate the reference pages (docs/cli.md, queries.md, shapes.md, ontology.md)
	$(VENV)/bin/python -m innovgraph.docs

docs-check: venv  ## the reference pages are what `make docs` would write
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider tests/test_docs_generated.py

# --- the site's npm packages (web-assets/package.json), vendored and committed -----------------

assets:  ## npm ci, then copy the built files into src/innovgraph/web/static/vendor/ and tests/vendor/
	$(PYTHON) scripts/vendor-assets.py

assets-check:  ## the committed vendored files are what the lock file gives (npm ci in a temporary folder)
	$(PYTHON) scripts/vendor-assets.py --check

# --- tests -------------------------------------------------------------------------------------

# Without the slow tests (Java, servers, browsers, Virtuoso): for the edit-test loop.
test-fast: venv
	$(VENV)/bin/python -m pytest -q -m "not slow"

# Debian packages the tests need (Virtuoso, ...), installed only when missing: every system
# package is listed in scripts/install-system-deps.sh, and nowhere else.
system-deps:
	bash scripts/install-system-deps.sh

# In CI (CI=true) the Virtuoso tests must run: INNOVGRAPH_REQUIRE_VIRTUOSO turns their skip
# into a failure when virtuoso-t is missing.
test: validate qc reason docs-check system-deps
	INNOVGRAPH_REQUIRE_VIRTUOSO=$${INNOVGRAPH_REQUIRE_VIRTUOSO:-$${CI:+1}} $(VENV)/bin/python -m pytest -q
