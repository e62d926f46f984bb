# TalentMind developer commands. Everything runs from the project's own virtualenv (.venv).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help install up down run test test-unit test-integration test-e2e test-chaos lint typecheck kafka-jars bench train-scorer validate-scorer clean

help:
	@echo "make install   create .venv and install TalentMind with its dev tools"
	@echo "make up        start PostgreSQL, Kafka and the four services in the background, wait until ready"
	@echo "make down      stop everything 'make up' started"
	@echo "make run       like 'make up' in the foreground: prints the gateway URL and a demo API key; Ctrl-C stops"
	@echo "make test      lint, type-check and run every test against real PostgreSQL and Kafka"
	@echo "make test-chaos  the whole stack as processes with real faults (kill -9, outages, 200 at once); ~6 min"
	@echo "make bench     benchmarks side by side with their baselines; results in docs/benchmarks.md"
	@echo "make validate-scorer  retrain the scorer's models on ../shared and rewrite docs/scoring_validation.md"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools<81" wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

kafka-jars:
	@test -n "$$(ls deploy/kafka/target/libs/kafka_2.13-*.jar 2>/dev/null)" || \
		mvn -q -B -f deploy/kafka/pom.xml dependency:copy-dependencies

up: install kafka-jars
	$(BIN)/talentmind up

down:
	@if [ -x $(BIN)/talentmind ]; then $(BIN)/talentmind down; fi

run: install kafka-jars
	$(BIN)/talentmind run

lint: install
	$(BIN)/ruff check libs services tests bench
	$(BIN)/ruff format --check libs services tests bench

typecheck: install
	$(BIN)/mypy

test-unit: install
	$(BIN)/pytest -q tests/unit

test-integration: install kafka-jars
	$(BIN)/pytest -q tests/integration

test-e2e: install kafka-jars
	$(BIN)/pytest -q tests/e2e

# The chaos suite runs the whole stack as processes and takes minutes: `make test-chaos`, which .ci/run runs too.
test-chaos: install kafka-jars
	$(BIN)/pytest -q tests/chaos

test: install kafka-jars lint typecheck
	$(BIN)/pytest tests --ignore=tests/chaos

# Retrain every scorer model on ../shared, cross-validate against the human ratings, rewrite docs/scoring_validation.md.
validate-scorer: install
	$(BIN)/python -m talentmind.scoring.train
	$(BIN)/python -m talentmind.scoring.validate

train-scorer: validate-scorer

bench: install
	$(BIN)/python bench/transcriber_bench.py --write
	$(BIN)/python bench/scorer_bench.py --write
	$(BIN)/python bench/dispatcher_bench.py --write

clean: down
	rm -rf .local
