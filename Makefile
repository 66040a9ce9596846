# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The package alone (what `make demo` needs), then the test tools and Spark on top (`make test`).
BASE   := $(VENV)/.base
STAMP  := $(VENV)/.installed

.PHONY: install test lint demo browser java bench clean screenshot plotly-basic

$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BASE)

$(STAMP): $(BASE) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium and chromium-driver for the dash_duo browser tests, when missing and root.
browser:
	@if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium/chromedriver missing and not root; browser tests will be skipped"; fi; \
	fi

# A Java runtime for the Spark tests (pyspark starts a JVM), when missing and root.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless) >/dev/null \
	      || echo "warning: could not install Java; Spark tests will be skipped"; \
	  else echo "note: java missing and not root; Spark tests will be skipped"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) browser java lint
	$(BIN)/pytest

# The sample athletes in a database of their own (demo.duckdb here, made fresh each time); uploads
# from the demo's Import page go to your own database, as `crosstrain import` and `dashboard` use it.
demo: $(BASE)
	$(BIN)/crosstrain demo --demo-db $(CURDIR)/demo.duckdb

# The README's pictures, from the demo's data (ending today) served on a free port, headless Chromium:
# docs/athlete.png (the monotone runner) and docs/overview-1024.png (the coach overview at 1024 px).
screenshot: $(STAMP) browser
	$(BIN)/python -m dashboard.screenshot --docs docs

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/plausibility.py
	$(BIN)/python bench/queries.py
	$(BIN)/python bench/strava_sync.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/spark.py

clean:
	rm -rf $(VENV) demo.duckdb .pytest_cache

# plotly.js's basic bundle that the dashboard serves (dashboard/vendor), again from the npm registry at
# the plotly.js version the installed plotly bundles: after a plotly upgrade (tests/test_dashboard_assets.py).
plotly-basic: $(BASE)
	@version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"); \
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent plotly.js-basic-dist-min@$$version >/dev/null && \
	tar xzf plotly.js-basic-dist-min-$$version.tgz && \
	cp package/plotly-basic.min.js $(CURDIR)/dashboard/vendor/ && cp package/LICENSE $(CURDIR)/dashboard/vendor/plotly.js-LICENSE.txt && \
	sed -i "s/^__version__ = \"[^\"]*\"/__version__ = \"$$version\"/" $(CURDIR)/dashboard/vendor/__init__.py && \
	rm -rf $$tmp && echo "dashboard/vendor: plotly.js basic $$version"
