# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= sitrep.db
# the page's libraries (leaflet, markercluster, topojson, uPlot, world-atlas), from npm's lockfile
ASSETS := frontend/node_modules/.package-lock.json

.PHONY: run serve test gate lint bench clean

$(BIN)/sitrep: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	$(BIN)/sitrep gazetteer build
	touch $(BIN)/sitrep

$(ASSETS): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

run: $(BIN)/sitrep $(ASSETS)
	$(BIN)/sitrep ingest --db $(DB) examples/
	$(BIN)/sitrep report --db $(DB)

serve: $(BIN)/sitrep $(ASSETS)
	$(BIN)/sitrep serve --db $(DB)

test: $(BIN)/sitrep $(ASSETS)
	$(BIN)/python -m pytest -q

gate: $(BIN)/sitrep
	$(BIN)/sitrep gate --floors eval/floors.json

lint: $(BIN)/sitrep
	$(BIN)/ruff check src tests bench

bench: $(BIN)/sitrep
	$(BIN)/python bench/extract_throughput.py

clean:
	rm -rf $(VENV) $(DB) .pytest_cache frontend/node_modules
