# The handbook's commands. `make serve` and `make test` are all a new maintainer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: release serve test test-fast check check-github check-external site site-zensical offline links schema bench lint lock clean

# Every package comes from requirements.lock, each checked against its hashes (setuptools, the build backend,
# too); then the project itself, editable, with nothing more fetched.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

## serve: the handbook at http://127.0.0.1:8000, reloading when YAML or docs change
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## test: every test, the content checks included
test: $(STAMP)
	$(BIN)/python -m pytest

## test-fast: every test but the browser ones (no Chromium; the site-build tests still build real sites), for the edit loop
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

## check: every content rule, no site build
check: $(STAMP)
	$(BIN)/handbook check

## release: what still blocks publication, as a to-do list by kind; exits non-zero (for CI) until nothing does
release: $(STAMP)
	@$(BIN)/handbook check --release || { echo "make release: listan ovan är kvar att göra. Raden från make som följer (Error 1) betyder bara det, inget har kraschat." >&2; exit 1; }

## check-github: the same, as GitHub annotations on the changed lines
check-github: $(STAMP)
	$(BIN)/handbook check --format github

## check-external: also ask every external link whether it still answers (scheduled, needs network)
check-external: $(STAMP)
	$(BIN)/handbook check --external

## site: the static site in site/ (handbook render, MkDocs + Material --strict, handbook finish, the Pagefind index), links and anchors checked offline (scripts/linkcheck.py)
site: $(STAMP)
	$(BIN)/handbook build --builder mkdocs --site-dir site
	$(BIN)/python scripts/linkcheck.py site

## site-zensical: the handbook rendered for Zensical (links in HTML written its way) and built by it (the way on after Material's end of life), checked the same way
site-zensical: $(STAMP)
	$(BIN)/handbook build --builder zensical --site-dir site-zensical --out build/rendered-zensical
	$(BIN)/python scripts/linkcheck.py site-zensical

## offline: a zip of the handbook that works from file:// with search
offline: $(STAMP)
	OFFLINE=true $(BIN)/handbook build --config mkdocs-offline.yml --site-dir site-offline --out build/rendered-offline
	mkdir -p dist && rm -f dist/handbok-offline.zip
	cd site-offline && $(CURDIR)/$(BIN)/python -m zipfile -c $(CURDIR)/dist/handbok-offline.zip .

## links: add newly published links to published-links.txt (never removes one)
links: $(STAMP)
	$(BIN)/handbook links --write

## schema: regenerate the JSON Schemas in schemas/ from the model
schema: $(STAMP)
	$(BIN)/handbook schema --write

## bench: check and build timings at 1x, 10x and 100x the real content (not part of CI)
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

## lint: ruff's rules and format check over the Python (pyproject.toml [tool.ruff]); CI runs it before make test
lint: $(STAMP)
	$(BIN)/ruff check handbook tests scripts
	$(BIN)/ruff format --check handbook tests scripts

## lock: regenerate requirements.lock (hashes, test and lint extras, setuptools) from pyproject.toml; keeps every
# pin already in it. To move one package: make lock LOCK_ARGS="--upgrade-package NAME"
LOCK_VENV := build/lock-venv
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.7.0; }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --all-build-deps --extra test --extra lint --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
	  -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build site site-zensical site-offline dist .pytest_cache
