# Concord: `make demo` runs the whole system locally; `make test` installs what it needs and runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.PHONY: install test lint typecheck unit integration e2e serve demo token device schema bench clean

$(STAMP): requirements.txt requirements-dev.txt functions/inference/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip>=24,<26.3"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy chalicelib

test: lint typecheck
	$(VENV)/bin/pytest -q

unit: $(STAMP)
	$(VENV)/bin/pytest -q tests/unit

integration: $(STAMP)
	$(VENV)/bin/pytest -q tests/integration

e2e: $(STAMP)
	$(VENV)/bin/pytest -q tests/e2e

serve: $(STAMP)
	$(PY) -m local.serve

demo: $(STAMP)
	$(PY) -m local.demo

ROLE ?= operator
AGENCY ?= environment
token: $(STAMP)
	@$(PY) -m local.cli token --role $(ROLE) --agency $(AGENCY)

device: $(STAMP)
	@test -n "$(ID)" || (echo "usage: make device ID=aq-001 KIND=air_quality LAT=51.5072 LON=-0.1276" >&2; exit 2)
	@$(PY) -m local.cli device --id $(ID) --kind $(KIND) --lat $(LAT) --lon $(LON) $(if $(filter command line environment,$(origin AGENCY)),--agency $(AGENCY),)

schema: $(STAMP)
	$(PY) -m chalicelib.gql.export > graphql/schema.graphql

bench: $(STAMP)
	$(PY) -m bench.readings_throughput
	$(PY) -m bench.cold_start
	$(PY) -m bench.graphql_authorization

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
