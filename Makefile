# The two commands that set up a fresh machine (see README):
#   make demo   installs everything and codes the example reports
#   make test   installs everything, checks style and types, and runs the whole test suite
#   make train  retrains the event classifier from the annotated corpus (needs ../shared/data)
.PHONY: demo test lint setup setup-test bench train

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

demo: setup
	rm -f sitrep.db
	.venv/bin/sitrep extract examples/reports --db sqlite:///sitrep.db

# The store, CLI and web suites run twice: on SQLite, then on PostgreSQL (a throwaway server
# that tests/conftest.py starts from Debian's packages).
test: setup-test lint
	.venv/bin/python -m pytest -q
	SITREP_TEST_DB=postgresql .venv/bin/python -m pytest -q -m "not slow" tests/store tests/cli tests/web

# Style and types are part of the test: a change that breaks them does not land.
lint:
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check --quiet src tests bench
	.venv/bin/mypy src/sitrep

bench: setup
	.venv/bin/python bench/throughput.py

# The event classifier, from the annotated corpus (src/sitrep/events/learn/corpus) and the
# shared data it points into; writes the model and its card into the package.
train: setup
	.venv/bin/sitrep corpus train
