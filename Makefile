# Pishkhan: `make run` serves the desk, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INI ?= development.ini
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-testing
CATALOGS := $(wildcard core/locale/*/LC_MESSAGES/*.po plugins/*/locale/*/LC_MESSAGES/*.po)

.PHONY: run test bench install install-test assets catalogs db messages clean

run: install db
	@echo ""
	@echo "  Pishkhan is at http://127.0.0.1:6543/"
	@echo "  Demo logins (password pishkhan123): admin, director, agent, it.lead, edu.desk, student"
	@echo ""
	@# The worker (SLA clocks, notifications) runs beside the web server and stops with it.
	$(BIN)/pishkhan worker $(INI) & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/pserve $(INI)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.py
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[testing]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.package-lock.json

catalogs: $(STAMP) $(CATALOGS:.po=.mo)

%.mo: %.po
	$(BIN)/pybabel compile -i $< -o $@ >/dev/null

install: $(STAMP) assets catalogs

db: install
	@mkdir -p var
	$(BIN)/pishkhan db upgrade $(INI)
	$(BIN)/pishkhan demo load $(INI) --if-empty

install-test: install $(TEST_STAMP)

# PostgreSQL: PISHKHAN_TEST_DATABASE_URL, or a local server found by tests/local_postgres.py.
test: install-test
	PISHKHAN_TEST_DATABASE_URL="$${PISHKHAN_TEST_DATABASE_URL:-$$($(BIN)/python -m tests.local_postgres)}" \
		$(BIN)/python -m pytest tests examples -q

# Tickets (bench/run.py), then knowledge search (bench/kb_search.py), then the service catalog
# (bench/catalog.py). The load tool is Debian's wrk; as root it is installed here, otherwise run.py
# says how.
bench: install
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/run.py; tickets=$$?; $(BIN)/python bench/kb_search.py; knowledge=$$?; \
		$(BIN)/python bench/catalog.py; catalog=$$?; exit $$((tickets || knowledge || catalog))

# Extract translatable strings into the catalogs (developers, after adding strings).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o core/locale/pishkhan.pot --project=pishkhan --no-location core plugins
	$(BIN)/pybabel update -D pishkhan -i core/locale/pishkhan.pot -d core/locale

clean:
	rm -rf $(VENV) node_modules var
