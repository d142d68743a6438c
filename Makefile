# Two commands for people (README): `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test chat lint lock install clean browser espeak bytecode audit

install: $(VENV)/.installed

# The venv is rebuilt only when the lock or the project metadata change.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

# Byte-code for the project's own modules: where PYTHONDONTWRITEBYTECODE is set, Python would
# otherwise compile every module again at each start (a worker's start took 4 s instead of 1.5).
bytecode: install
	@$(BIN)/python -m compileall -q -j0 bot flows nlu bench tests >/dev/null

run: install bytecode
	$(BIN)/sahabat serve --host $(HOST) --port $(PORT)

chat: install
	$(BIN)/sahabat chat

# Types (mypy --strict, [tool.mypy]) and dead code (vulture, [tool.vulture]) as in `make test`.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy bot flows nlu
	$(BIN)/vulture

audit: install
	$(BIN)/python -m tools.audit_deps

test: install bytecode rasa-venv browser espeak
	$(BIN)/ruff check .
	$(BIN)/mypy bot flows nlu
	$(BIN)/vulture
	$(BIN)/sahabat content check
	$(BIN)/python -m tools.audit_deps
	$(BIN)/python -m pytest

# Debian's chromium for the console's browser tests (never a browser download of Playwright's own).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; fi; \
	fi

# Debian's espeak-ng speaks the Indonesian voice notes of the speech-recognition tests.
espeak:
	@if ! command -v espeak-ng >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null); \
	  else echo "espeak-ng is missing: run 'sudo apt-get install espeak-ng' for the voice tests"; fi; \
	fi

# requirements-prod.lock (the Dockerfile's): the same pins without the dev tools.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 --universal -q
	$(BIN)/uv pip compile pyproject.toml -c requirements.lock -o requirements-prod.lock --python-version 3.11 \
	  --universal -q --custom-compile-command "make lock"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

# --- Optional Rasa 3.6 NLU backend: its own Python 3.10 venv, never the app's. ---
RASA_VENV := .rasa-venv
RASA_REQS := nlu/rasa/requirements.txt
export RASA_TELEMETRY_ENABLED := false

.PHONY: rasa-venv rasa-lock rasa-test rasa-clean bench-nlu

rasa-venv: $(RASA_VENV)/.installed

# Rebuilt only when the pins change; `uv pip sync` makes the venv match them exactly.
$(RASA_VENV)/.installed: $(RASA_REQS) | $(VENV)/.installed
	@py=$$(sh nlu/rasa/find_python.sh) || exit 1; \
	if ! $(RASA_VENV)/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
	  rm -rf $(RASA_VENV) && $(BIN)/uv venv -q --python "$$py" $(RASA_VENV); fi
	$(BIN)/uv pip sync -q --compile-bytecode --python $(RASA_VENV)/bin/python $(RASA_REQS)
	$(RASA_VENV)/bin/rasa telemetry disable >/dev/null 2>&1 || true
	$(RASA_VENV)/bin/python -c 'import rasa; print("rasa", rasa.__version__, "ready in $(RASA_VENV)")'
	touch $@

rasa-lock: install
	$(BIN)/uv pip compile nlu/rasa/requirements.in -o $(RASA_REQS) -q \
	  --python-version 3.10 --python-platform x86_64-manylinux_2_28

rasa-test: install rasa-venv
	$(BIN)/python -m pytest tests/rasa

bench-nlu: install rasa-venv
	$(BIN)/python -m bench.nlu

rasa-clean:
	rm -rf $(RASA_VENV)
