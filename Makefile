# The two commands that set up a fresh machine (see README):
#   make demo   installs everything and codes the example reports
#   make test   installs everything and runs the whole test suite
.PHONY: demo test setup setup-test bench

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

demo: setup
	rm -f sitrep.db
	.venv/bin/sitrep extract examples/reports --db sqlite:///sitrep.db

test: setup-test
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python bench/throughput.py
