# Two commands do everything on a fresh machine: `make build`, then `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
export DUCKDB_PATH ?= $(CURDIR)/target/usage_analytics.duckdb
# dbt-duckdb finds the publish plugin (plugins/) under the project directory
export DBT_PROJECT_DIR := $(CURDIR)
# the analyst database each successful dbt build publishes (macros/publish.sql)
ANALYTICS_DUCKDB ?= $(or $(ANALYTICS_DUCKDB_PATH),target/analytics.duckdb)
# the shared spec and reference material (scripts read SHARED_DIR too)
SHARED := $(or $(SHARED_DIR),../shared)

.PHONY: build test install browser dbt-build semantic pytest lint docs report bench shell analysis clean spark-install spark-build spark-test spark-test-raw spark-test-incremental

$(BIN)/dbt: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/dbt

install: $(BIN)/dbt

## build: virtualenv + pinned dependencies + dbt build on the embedded sample
build: install
	mkdir -p target
	$(BIN)/dbt build

## test: everything CI checks (dbt build with data and unit tests, the semantic layer, pytest, sqlfluff)
test: install browser dbt-build semantic pytest lint

## browser: Debian's chromium for the report's browser test (needs root or an existing install)
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { echo "chromium is required for the report test: apt-get install chromium"; exit 1; }

dbt-build:
	mkdir -p target
	$(BIN)/dbt build
	$(BIN)/python $(SHARED)/tools/check_contract.py $(DUCKDB_PATH) || [ ! -f $(SHARED)/tools/check_contract.py ]

## semantic: MetricFlow validates the semantic models and metrics, then runs them on the built database
semantic:
	$(BIN)/mf validate-configs

pytest:
	$(BIN)/python -m pytest tests/python -q

lint:
	$(BIN)/sqlfluff lint models macros tests analyses

docs: install
	$(BIN)/dbt docs generate

## bench: time and peak RSS of the floor, a full build and the next week's build (PINGS=20000)
bench: install
	$(BIN)/python scripts/bench.py --pings $(or $(PINGS),20000)

## shell: a read-only SQL prompt on the analyst database (the DuckDB 1.x CLI of requirements.txt)
shell: install
	@test -f $(ANALYTICS_DUCKDB) || { echo "no analyst database at $(ANALYTICS_DUCKDB): run make build first"; exit 1; }
	$(BIN)/duckdb -readonly $(ANALYTICS_DUCKDB)

## analysis: one query of analyses/ run on the analyst database (make analysis NAME=ci_green_to_red);
## its compiled model names, qualified with the working database's layer schema, become plain names
analysis: install
	@test -n "$(NAME)" || { echo "usage: make analysis NAME=<one of analyses/*.sql>"; exit 1; }
	@$(BIN)/dbt compile --quiet --select $(NAME) > target/analysis-compile.log || { cat target/analysis-compile.log; exit 1; }
	@test -f target/compiled/usage_analytics/analyses/$(NAME).sql || { echo "no analysis $(NAME) in analyses/"; exit 1; }
	@sed -E 's/"[^"]+"\."marts"\.//g' target/compiled/usage_analytics/analyses/$(NAME).sql | $(BIN)/duckdb -readonly $(ANALYTICS_DUCKDB)

## report: one offline HTML page per account in target/reports
report: install
	$(BIN)/python scripts/report.py --all

## spark-test: optional; .venv-spark (requirements.txt + requirements-spark.txt, needs Java 17),
## the embedded sample built on DuckDB and on local Spark, every mart compared (scripts/parity.py)
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin

$(SPARK_BIN)/dbt: requirements.txt requirements-spark.txt
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/pip install --quiet --upgrade pip
	$(SPARK_BIN)/pip install --quiet -r requirements.txt -r requirements-spark.txt
	touch $(SPARK_BIN)/dbt

spark-install: $(SPARK_BIN)/dbt

## spark-build: seeds + dbt build (models, data and unit tests) of the embedded sample on Spark
spark-build: spark-install
	mkdir -p target
	DBT_TARGET=spark $(SPARK_BIN)/dbt build

spark-test: spark-install
	mkdir -p target
	$(SPARK_BIN)/python scripts/parity.py

## spark-test-raw: the Spark raw-file readers against DuckDB's (pytest), then parity built from a
## generated raw data directory (1,000 pings, .gz files, manual uploads, license usage exports)
SPARK_RAW_DIR := target/spark-raw-test
spark-test-raw: spark-install
	mkdir -p target
	$(SPARK_BIN)/python -m pytest -q tests/python/test_spark_raw_readers.py
	rm -rf $(SPARK_RAW_DIR)
	$(SPARK_BIN)/python scripts/parity.py --write-raw-dir $(SPARK_RAW_DIR) --pings 1000
	$(SPARK_BIN)/python scripts/parity.py --raw-data-dir $(SPARK_RAW_DIR)

## spark-test-incremental: Spark's incremental path: the sample's raw files, its last weeks held back
## from a first Spark build and read by a second, incremental one; every mart compared with DuckDB's
SPARK_INCREMENTAL_DIR := target/spark-incremental-test
spark-test-incremental: spark-install
	mkdir -p target
	rm -rf $(SPARK_INCREMENTAL_DIR)
	$(SPARK_BIN)/python scripts/parity.py --write-raw-dir $(SPARK_INCREMENTAL_DIR) --pings 0
	$(SPARK_BIN)/python scripts/parity.py --raw-data-dir $(SPARK_INCREMENTAL_DIR) --incremental-from 2026-06-29

clean:
	rm -rf target dbt_packages logs

## app: the Customer Success app on http://localhost:8501 (reads the analyst database, read-only)
.PHONY: app
app: install
	$(BIN)/streamlit run cs_app/streamlit_app.py --server.port $(or $(PORT),8501)

## compare-marts: every mart of REF (default main) and of the working tree, built side by side and
## compared row by row (scripts/compare_marts.py); RAW=DIR builds both from a raw data directory
.PHONY: compare-marts
compare-marts: install
	$(BIN)/python scripts/compare_marts.py --ref $(or $(REF),main) $(if $(RAW),--raw-data-dir $(RAW))

## spark-cluster-test: a local standalone Spark cluster (master, worker, Thrift server) from the
## installed pyspark, the parity check run through its Thrift server (the `thrift` target): the
## sample, then a generated raw data directory; stops exactly the processes it started. Not part of
## `make test`: two Spark builds through the cluster take far longer than the whole DuckDB suite
.PHONY: spark-cluster-test
spark-cluster-test: spark-install
	mkdir -p target
	$(SPARK_BIN)/python scripts/spark_cluster.py test
