# The two commands: `make run` (try the portal) and `make test` (the whole suite).
# Both install what they need into .venv on a fresh machine (Python 3.11+ is all it takes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test migrate demo clean browser

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_demo

# The portal on the embedded default: SQLite and a file-based Celery broker, both under var/.
run: demo
	@echo ""
	@echo "  Cited-by Portal: http://127.0.0.1:$(PORT)/"
	@echo "  Demo login:      editor@open-demos.example / demo-password   (Journal of Open Demos)"
	@echo "                   letters@example-letters.example / demo-password   (Society of Example Letters)"
	@echo "  Agency admin:    admin@agency.example / demo-admin-password   (http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Stop with Ctrl-C."
	@echo ""
	DEBUG=1 $(BIN)/honcho start --port $(PORT)

# Tests get a broker folder and media folder of their own, so a running `make run` worker
# never takes their tasks.
test: install browser
	CELERY_BROKER_FOLDER=var/test-broker MEDIA_ROOT=var/test-media $(BIN)/pytest

# Browser tests drive Debian's Chromium headless (never a downloaded browser build).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) var
