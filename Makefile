# Everything a reader runs. The virtual environment is made from the lock on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 1779000000
# What a reader gives on the command line (NB=, PARAMS=, ...) reaches a command as one shell
# word, exactly as typed: $(call arg,NAME) quotes the variable's unexpanded value, so make runs
# nothing in it ($(shell ...)) and drops no $; unexport keeps make from expanding it to put it
# in every command's environment. Quotes, spaces, $ and line breaks arrive intact.
unexport NB PARAMS NAME CH DIR PORT EDITION RELEASE
define newline


endef
arg = '$(subst $(newline),'$$'\n'',$(subst ','\'',$(value $(1))))'

.PHONY: book pdf test record rerun chapter validate new serve clean distclean lock bench release verify

$(READY): requirements.txt pyproject.toml
	@echo "Setting up $(VENV) from requirements.txt (first run only; about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(READY)

book: $(READY)   ## validate the data, execute every notebook, render _build/html
	$(PY) -m compendium build

serve: $(READY)  ## the book on http://127.0.0.1:8000 (PORT=n for another), rebuilt on every save
	$(PY) -m compendium serve $(if $(value PORT),--port $(call arg,PORT))

pdf: $(READY)    ## the whole book as one PDF, _build/pdf/compendium.pdf (needs TeX Live: see README)
	$(PY) -m compendium pdf

test: $(READY)   ## validate the data, lint the code (ruff), then every test: data layer, validation, notebooks (nbval), book, reruns
	$(PY) -m compendium validate
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder

record: $(READY) ## re-execute the stored notebooks in place and re-save the data hashes
	$(PY) -m compendium record

rerun: $(READY)  ## rerun notebooks with parameters into runs/: make rerun NB=notebooks/04_results.ipynb PARAMS="confidence=0.9 data_dir='My Data'" [NAME=x]
	$(PY) -m compendium rerun $(if $(value NB),$(call arg,NB),all) --params $(call arg,PARAMS) --name $(call arg,NAME)

chapter: $(READY) ## one chapter as a zip for a class: make chapter CH=results [EDITION=student|instructor]
	@test -n $(call arg,CH) || { echo "give the chapter, e.g. make chapter CH=results" >&2; exit 2; }
	$(PY) -m compendium chapter $(call arg,CH) --edition $(if $(value EDITION),$(call arg,EDITION),student)

new: $(READY)    ## start a new compendium on this engine: make new DIR=../my-compendium
	@test -n $(call arg,DIR) || { echo "give the new folder, e.g. make new DIR=../my-compendium" >&2; exit 2; }
	$(PY) -m compendium new $(call arg,DIR)

release: $(READY) ## the deposit: dist/<name>-<version>.zip (sources, book, PDF, DOCX, JATS, data, RO-Crate, .zenodo.json)
	$(PY) -m compendium release

verify: $(READY)  ## check a release recomputes what it shows: make verify RELEASE=dist/<name>-<version>.zip
	@test -n $(call arg,RELEASE) || { echo "give the release, e.g. make verify RELEASE=dist/name-1.0.0.zip" >&2; exit 2; }
	$(PY) -m compendium verify $(call arg,RELEASE)

validate: $(READY) ## check data/ and references.bib against their rules
	$(PY) -m compendium validate

clean:           ## remove what the build and tests made (keeps the environment)
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## also remove the environment
	rm -rf $(VENV)

lock:            ## re-resolve requirements.in into the pinned requirements.txt
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo "# Pinned lock of requirements.in for Python 3.11; regenerate with 'make lock'."; \
	  .lockenv/bin/pip freeze --exclude-editable --all | grep -v '^pip=='; } > requirements.txt
	rm -rf .lockenv

bench: $(READY)  ## build-time benchmark against a bare Jupyter Book, and make test timed once (about a quarter of an hour)
	$(PY) benchmarks/bench.py --tests
