# BackCare: `make run` to chat, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy/en_backcare
SPANISH_MODEL := build/spacy/es_backcare
# Where config.yml puts the sentence encoder's ONNX graph (its onnx_model setting).
ENCODER     := $(shell sed -n 's/^ *onnx_model: *//p' config.yml)
# Runtime packages (requirements.txt, as in the image), then the development tools on top.
RUNTIME     := $(VENV)/.runtime-$(shell cat requirements.txt requirements-nodeps.txt | cksum | cut -d' ' -f1)
STAMP       := $(VENV)/.installed-$(shell cat requirements.txt requirements-nodeps.txt requirements-dev.txt | cksum | cut -d' ' -f1)

export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# Nothing is downloaded at run time: the encoder's weights come from its PyPI package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# Every setting's default comes from .env.example; the environment wins.
SETTINGS := $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env.example)
include build/settings.mk
export $(SETTINGS)

build/settings.mk: .env.example
	@mkdir -p build && sed -n 's/^\([A-Z_][A-Z0-9_]*\)=/\1 ?= /p' .env.example > $@

TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') \
                $(wildcard backcare_nlu/*.py backcare_rasa/*.py) $(SPACY_MODEL)/meta.json $(SPANISH_MODEL)/meta.json $(ENCODER)

.PHONY: help install runtime prerequisites train run prod health console staff-user console-bench profile content-check shell test test-unit lint validate eval safety bench forget lock clean review-sheet

help:
	@echo "make run     set up, train if needed, start BackCare and print where to chat"
	@echo "make test    set up and run every test"
	@echo "make test-unit  the tests that need no trained model or server (about a minute)"
	@echo "make shell   chat in this terminal"
	@echo "make prod    the production setup: nginx, two Rasa servers, PostgreSQL, Redis (docs/deploy.md)"
	@echo "make health  is every piece of the production setup up?"
	@echo "make console the staff console (port 8090); make staff-user NAME=you first"
	@echo "make eval    NLU quality report and comparison (reports/nlu/)"
	@echo "make safety  red-flag recall and false alarms on the vignettes (reports/safety.*)"
	@echo "make bench   speed and memory, side by side with a stock Rasa bot (reports/bench.*)"
	@echo "make review-sheet  every medical text for a clinician to sign (reports/review-sheet.*)"
	@echo "make install | train | lint | validate | bench | lock | clean"
	@echo "Prerequisites (README): Python 3.10, npm, and for tests and make prod Debian's chromium and nginx"

WEBCHAT     := build/web/rasa-webchat.js
AXE         := build/axe/axe.min.js

# What the assistant needs to run (the container image builds this); install adds the dev tools.
runtime: $(RUNTIME) $(SPACY_MODEL)/meta.json $(SPANISH_MODEL)/meta.json $(ENCODER) $(WEBCHAT)
install: runtime $(STAMP) $(AXE)

# axe-core, for the accessibility check of the staff console in the browser test.
$(AXE): scripts/setup/axe-core.sha512 scripts/setup/fetch_npm.sh
	scripts/setup/fetch_npm.sh axe-core 4.14.1 package/axe.min.js scripts/setup/axe-core.sha512 $@

$(WEBCHAT): web/rasa-webchat.sha512 scripts/setup/fetch_npm.sh
	scripts/setup/fetch_npm.sh rasa-webchat 1.0.1 package/lib/index.js web/rasa-webchat.sha512 $@

# The machine's own programs (Chromium, nginx, ...) are never installed by make:
# it says what is missing and the command to install it (scripts/setup/prerequisites.sh).
prerequisites:
	@scripts/setup/prerequisites.sh browser prod

$(RUNTIME): requirements.txt requirements-nodeps.txt scripts/setup/find_python.sh
	@python310=$$(scripts/setup/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$python310"; $$python310 -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	@# The project's packages importable by the venv's Python from anywhere (as an editable
	@# install would make them): scripts run without the Makefile's PYTHONPATH.
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "backcare.pth").write_text("$(CURDIR)\n")'
	rm -f $(VENV)/.runtime-*; touch $@

$(STAMP): $(RUNTIME) requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*; touch $@

$(SPACY_MODEL)/meta.json: $(RUNTIME) scripts/setup/build_spacy_model.py backcare_nlu/spelling.py content/medical.yml
	$(PY) scripts/setup/build_spacy_model.py $(SPACY_MODEL)

# The Spanish red-flag pipeline the safety net reads Spanish messages with.
$(SPANISH_MODEL)/meta.json: $(RUNTIME) scripts/setup/build_spanish_model.py scripts/setup/build_spacy_model.py backcare_nlu/language.py content/medical.yml
	$(PY) scripts/setup/build_spanish_model.py $(SPANISH_MODEL)

# The sentence encoder as an ONNX graph, from the weights installed above (config.yml says where;
# a config without the encoder builds nothing).
ifneq ($(ENCODER),)
$(ENCODER): $(RUNTIME) scripts/setup/build_encoder.py backcare_nlu/onnx_encoder.py config.yml
	$(PY) scripts/setup/build_encoder.py
endif

train: $(MODEL)

$(MODEL): $(RUNTIME) $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name backcare --out models
	@touch $@

# The content check comes first: production refuses unreviewed content before any training.
# The fastest setup the configured stores keep correct (docs/performance.md): with
# PostgreSQL and Redis (BACKCARE_ENDPOINTS=endpoints.scale.yml) two Rasa servers
# behind nginx, as make prod; with the default SQLite store, one Rasa server.
SCALED := $(filter endpoints.scale.yml,$(BACKCARE_ENDPOINTS))
run: install content-check train
	@$(if $(SCALED),scripts/operate/prod.sh,scripts/operate/serve.sh)

# Production on one machine. BACKCARE_ENV is production unless you set it
# (BACKCARE_ENV=staging runs the same setup on content not yet clinically reviewed).
prod: export BACKCARE_ENV := $(if $(filter file,$(origin BACKCARE_ENV)),production,$(BACKCARE_ENV))
prod: install content-check train
	@scripts/operate/prod.sh

health: install
	@$(PY) scripts/operate/health.py

# The staff console on its own (make run and make prod start it too).
console: install
	$(PY) scripts/operate/console.py

staff-user: install
	$(PY) scripts/operate/staff_user.py $(or $(NAME),$(error give NAME=<username>))

console-bench: install
	$(PY) scripts/evaluate/console_bench.py

content-check: install
	@$(PY) -c "import actions"

shell: install train
	@scripts/operate/shell.sh

lint: install
	$(VENV)/bin/ruff check actions backcare_nlu backcare_rasa backcare_channels backcare_console backcare_stack scripts tests
	$(VENV)/bin/mypy

validate: install
	$(RASA) data validate --fail-on-warnings --max-history 5

test: prerequisites lint validate train
	@scripts/evaluate/run_tests.sh

test-unit: lint
	$(PY) -m pytest tests -m "not server and not model" -q --durations=10

eval: install train
	$(PY) scripts/evaluate/eval_nlu.py

safety: install train
	$(PY) scripts/evaluate/safety.py --write-docs

bench: install
	$(PY) scripts/evaluate/bench.py

# Where the Rasa server's CPU goes under load, by part of a turn (reports/profile.md).
profile: install train
	$(PY) scripts/evaluate/profile_turns.py

# Clinical sign-off: every patient-facing medical text, HTML and PDF (printed by Chromium).
review-sheet: install
	@scripts/setup/prerequisites.sh browser
	$(PY) scripts/operate/review_sheet.py

# Privacy: `make forget DAYS=30`, or `make forget ID=<conversation id>`.
forget: install
	$(PY) scripts/operate/retention.py $(if $(ID),--sender "$(ID)",--days $(or $(DAYS),30))

# Resolve requirements.in (runtime) and requirements-dev.in (tools, on the runtime pins)
# into the two lock files; pins already there are kept where they still fit.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --resolver=backtracking --strip-extras --no-header \
               --no-emit-index-url --no-emit-find-links --annotation-style=line
lock: install
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in
	sed -i '1i # Generated by make lock (pip-compile) from requirements.in: do not edit.' requirements.txt
	sed -i '1i # Generated by make lock (pip-compile) from requirements-dev.in: do not edit.' requirements-dev.txt

clean:
	rm -rf build models results .pytest_cache .ruff_cache
