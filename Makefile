# Gongyou: two commands — `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install rasa-venv train run test chat bench faults nlu-eval kb-eval services-eval dialogue-eval lint clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(BIN)/.installed          ## the app's venv (Python ≥ 3.11)

rasa-venv:                          ## the Rasa venv (Python 3.10), cached outside the clone
	@scripts/rasa_venv.sh >/dev/null

train: rasa-venv                    ## train the NLU model if nlu/ changed (cached by hash)
	@scripts/train.sh

run: install rasa-venv              ## start Rasa and the app on local defaults
	@scripts/run.sh

test: install rasa-venv lint        ## lint, then the whole test suite against real PostgreSQL, Redis and Rasa
	@scripts/test.sh

chat: install                       ## talk to the bot in the terminal (start `make run` first for Rasa)
	@$(BIN)/python -m bot.chat

bench: install                      ## load the real webhook; figures printed and written to bench/results/
	@$(BIN)/python bench/load_webhook.py

faults: install rasa-venv            ## faults on real parts (Redis, PostgreSQL, Rasa down/stalled/restarted): lost, duplicated, late
	@scripts/train.sh >/dev/null
	@$(BIN)/python -m bench.faults $(if $(QUICK),--quick) $(if $(LABEL),--label $(LABEL)) $(if $(CODE),--code $(CODE))

nlu-eval: install rasa-venv         ## NLU figures: held-out (+Traditional, pinyin), real questions, latency; CV=1 adds 5-fold CV
	@$(BIN)/python -m bench.nlu_eval $(if $(CV),--cv)

services-eval: install rasa-venv    ## the office's services (stations, courses, departures, check-ins): are workers' words routed to them
	@scripts/train.sh >/dev/null
	@$(BIN)/python -m bench.services_eval $(if $(LABEL),--label $(LABEL))

kb-eval: install rasa-venv          ## policy answers: accepted / confidently wrong / honest on the blind and real questions
	@scripts/train.sh >/dev/null
	@$(BIN)/python -m bench.kb_eval $(if $(KB_DIR),--kb-dir $(KB_DIR)) $(if $(LABEL),--label $(LABEL))

dialogue-eval: install rasa-venv    ## simulated workers through the real pipeline: forms filed, turns, loops, hand-offs
	@scripts/train.sh >/dev/null
	@$(BIN)/python -m bench.dialogue_eval $(if $(N),--dialogues $(N)) $(if $(LABEL),--label $(LABEL)) \
		$(if $(BLIND),--pools bench/data/simulated_workers_blind.yml)

lint: install                       ## ruff, mypy, and the layer contracts (import-linter, in pyproject.toml)
	@$(BIN)/ruff check bot domain nlu knowledge_base handlers config console tests bench
	@$(BIN)/mypy bot domain nlu knowledge_base handlers config console bench
	@$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var .pytest_cache
