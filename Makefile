# The two commands: `make run` (app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# WeasyPrint (PDF exports) loads these Debian libraries at run time.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: run test lint install bench pdf-libs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { echo "Installing Debian's pango and fonts for PDF exports (WeasyPrint)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS)) >/dev/null; }

run: $(STAMP) pdf-libs
	FLASK_DEBUG=1 $(BIN)/flask --app portfolio demo
	FLASK_DEBUG=1 $(BIN)/flask --app portfolio run --host 127.0.0.1 --port 5000

test: $(STAMP) pdf-libs
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Page timings and SQL query counts at growing sizes (benchmarks/README.md); PostgreSQL with
# TEST_DATABASE_URL=postgresql+psycopg://... make bench
bench: $(STAMP)
	$(BIN)/python -m pytest benchmarks -q --benchmark-enable
