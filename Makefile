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
STAMP       := $(VENV)/.installed-$(shell cat requirements.txt requirements-nodeps.txt | cksum | cut -d' ' -f1)

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

.PHONY: help install train run prod health console staff-user console-bench profile content-check shell test test-unit lint validate eval safety bench forget lock clean review-sheet

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

WEBCHAT     := build/web/rasa-webchat.js
AXE         := build/axe/axe.min.js
CHROMIUM    := /usr/bin/chromium
SUDO        := $(if $(filter 0,$(shell id -u)),,sudo)

install: $(STAMP) $(SPACY_MODEL)/meta.json $(SPANISH_MODEL)/meta.json $(ENCODER) $(WEBCHAT) $(AXE)

# axe-core, for the accessibility check of the staff console in the browser test.
$(AXE): scripts/axe-core.sha512 scripts/fetch_npm.sh
	scripts/fetch_npm.sh axe-core 4.14.1 package/axe.min.js scripts/axe-core.sha512 $@

$(WEBCHAT): web/rasa-webchat.sha512 scripts/fetch_npm.sh
	scripts/fetch_npm.sh rasa-webchat 1.0.1 package/lib/index.js web/rasa-webchat.sha512 $@

NGINX       := /usr/sbin/nginx

# Debian's nginx for make prod and its end-to-end test (no download at run time).
$(NGINX):
	@command -v apt-get >/dev/null || { echo "error: install nginx at $(NGINX) for make prod" >&2; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null

# Debian's Chromium for the browser test (no browser can be downloaded here).
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "error: install Chromium at $(CHROMIUM) for the browser test" >&2; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

$(STAMP): requirements.txt requirements-nodeps.txt scripts/find_python.sh
	@python310=$$(scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$python310"; $$python310 -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	rm -f $(VENV)/.installed-*; touch $@

$(SPACY_MODEL)/meta.json: $(STAMP) scripts/build_spacy_model.py backcare_nlu/spelling.py content/medical.yml
	$(PY) scripts/build_spacy_model.py $(SPACY_MODEL)

# The Spanish red-flag pipeline the safety net reads Spanish messages with.
$(SPANISH_MODEL)/meta.json: $(STAMP) scripts/build_spanish_model.py scripts/build_spacy_model.py backcare_nlu/language.py content/medical.yml
	$(PY) scripts/build_spanish_model.py $(SPANISH_MODEL)

# The sentence encoder as an ONNX graph, from the weights installed above (config.yml says where;
# a config without the encoder builds nothing).
ifneq ($(ENCODER),)
$(ENCODER): $(STAMP) scripts/build_encoder.py backcare_nlu/onnx_encoder.py config.yml
	$(PY) scripts/build_encoder.py
endif

train: $(MODEL)

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name backcare --out models
	@touch $@

# The content check comes first: production refuses unreviewed content before any training.
# The fastest setup the configured stores keep correct (docs/performance.md): with
# PostgreSQL and Redis (BACKCARE_ENDPOINTS=endpoints.scale.yml) two Rasa servers
# behind nginx, as make prod; with the default SQLite store, one Rasa server.
SCALED := $(filter endpoints.scale.yml,$(BACKCARE_ENDPOINTS))
run: install content-check train $(if $(SCALED),$(NGINX))
	@$(if $(SCALED),scripts/prod.sh,scripts/serve.sh)

# Production on one machine. BACKCARE_ENV is production unless you set it
# (BACKCARE_ENV=staging runs the same setup on content not yet clinically reviewed).
prod: export BACKCARE_ENV := $(if $(filter file,$(origin BACKCARE_ENV)),production,$(BACKCARE_ENV))
prod: install $(NGINX) content-check train
	@scripts/prod.sh

health: install
	@$(PY) scripts/health.py

# The staff console on its own (make run and make prod start it too).
console: install
	$(PY) scripts/console.py

staff-user: install
	$(PY) scripts/staff_user.py $(or $(NAME),$(error give NAME=<username>))

console-bench: install
	$(PY) scripts/console_bench.py

content-check: install
	@$(PY) -c "import actions"

shell: install train
	@scripts/shell.sh

lint: install
	$(VENV)/bin/ruff check actions backcare_nlu backcare_rasa backcare_channels backcare_console scripts tests
	$(VENV)/bin/mypy

validate: install
	$(RASA) data validate --fail-on-warnings --max-history 5

test: lint validate train $(CHROMIUM) $(NGINX)
	@scripts/run_tests.sh

test-unit: lint
	$(PY) -m pytest tests -m "not server and not model" -q --durations=10

eval: install train
	$(PY) scripts/eval_nlu.py

safety: install train
	$(PY) scripts/safety.py --write-docs

bench: install
	$(PY) scripts/bench.py

# Where the Rasa server's CPU goes under load, by part of a turn (reports/profile.md).
profile: install train
	$(PY) scripts/profile_turns.py

# Clinical sign-off: every patient-facing medical text, HTML and PDF (printed by Chromium).
review-sheet: install $(CHROMIUM)
	$(PY) scripts/review_sheet.py

# Privacy: `make forget DAYS=30`, or `make forget ID=<conversation id>`.
forget: install
	$(PY) scripts/retention.py $(if $(ID),--sender "$(ID)",--days $(or $(DAYS),30))

lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v -F -f <(grep -v '^#' requirements-nodeps.txt) \
	  | sed '1i # Full lock of every package in .venv (generated by make lock from requirements.in).' > requirements.txt

clean:
	rm -rf build models results .pytest_cache .ruff_cache
