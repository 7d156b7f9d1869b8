# The two commands: `make run` (try the portal) and `make test` (the whole suite).
# Both install what they need into .venv on a fresh machine (Python 3.11+ is all it takes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000
# The address the web server listens on: 127.0.0.1 (this machine only) unless told otherwise,
# e.g. `make run HOST=0.0.0.0 ALLOWED_HOSTS=portal.example` to be reached from elsewhere.
HOST ?= 127.0.0.1

# make run serves as production does (DEBUG off, static files collected); `make run DEBUG=1`
# shows Django's debugging pages instead.
DEBUG ?= 0
SECRET_KEY_FILE := var/secret_key
# A key made once for this machine; production sets SECRET_KEY itself (the portal refuses to
# start without one when DEBUG is off).
RUN_ENV = DEBUG=$(DEBUG) SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}"

.PHONY: bench-load install run test migrate demo clean browser redis secret bench-matching bench-widget bench-api bench-dashboard bench-deposit postgres postgres-stop \
	test-postgres services redis-start redis-stop run-prod stop test-faults bench-scale bench-matching-pg

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

install: $(INSTALLED)

$(SECRET_KEY_FILE):
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

secret: $(SECRET_KEY_FILE)

migrate: install secret
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py createcachetable

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_demo

# The portal on the embedded default: SQLite and a file-based Celery broker, both under var/;
# a web server, a worker and beat (the periodic reconciler).
run: demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	@echo ""
	@echo "  Cited-by Portal: http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)/   (listening on $(HOST):$(PORT))"
	@echo "  Demo login:      editor@open-demos.example / demo-password   (Journal of Open Demos)"
	@echo "                   letters@example-letters.example / demo-password   (Society of Example Letters)"
	@echo "  Agency admin:    admin@agency.example / demo-admin-password   (/admin/)"
	@echo "  Stop with Ctrl-C."
	@echo ""
	$(RUN_ENV) HOST=$(HOST) $(BIN)/honcho start --port $(PORT)

# Tests get a broker folder and media folder of their own, so a running `make run` worker
# never takes their tasks.
test: install browser redis
	CELERY_BROKER_FOLDER=var/test-broker MEDIA_ROOT=var/test-media $(BIN)/pytest

# Browser tests drive Debian's Chromium headless (never a downloaded browser build).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# A PostgreSQL 15 server of the project's own under var/postgres (initdb/pg_ctl are on every
# machine of ours), run by an unprivileged user when make runs as root. `make test-postgres`
# runs the whole suite on it, as CI does.
PG_DIR := $(abspath var/postgres)
# Below Linux's ephemeral ports (32768-60999): a port in that range can be taken at any moment as
# the local end of some outgoing connection, and then the server cannot listen on it (CI's second
# phase once failed so, on 54320, as its first phase ended).
PG_PORT ?= 15432
PG_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/portal
PG_AS := $(if $(filter 0,$(shell id -u)),su portalpg -s /bin/sh -c,sh -c)
# The server's settings, given at each start (so a data folder made before them gets them too):
# a dedicated server's, as README's "PostgreSQL's settings" says (operators should set the same).
# With initdb's defaults (max_wal_size 1GB), bench-scale's 1M-work import checkpointed every
# 16-40 s (9 checkpoints); with these, none but those CREATE DATABASE asks for, 16x fewer WAL
# writes (wal_buffers grows with shared_buffers), and 8% less PostgreSQL CPU (220 -> 202 s).
# PG_SETTINGS=... overrides them (e.g. to measure one), PG_SETTINGS= gives initdb's defaults.
PG_SETTINGS ?= max_wal_size=8GB checkpoint_timeout=30min shared_buffers=512MB wal_compression=lz4
PG_OPTIONS = -p $(PG_PORT) -k /tmp -c listen_addresses=127.0.0.1 $(addprefix -c ,$(PG_SETTINGS))

postgres:
	@if [ "$$(id -u)" = 0 ] && ! id -u portalpg >/dev/null 2>&1; then useradd --system --no-create-home --shell /usr/sbin/nologin portalpg; fi
	@if [ ! -f $(PG_DIR)/PG_VERSION ]; then mkdir -p $(PG_DIR) && { [ "$$(id -u)" != 0 ] || chown portalpg $(PG_DIR); } && \
		$(PG_AS) "initdb -D $(PG_DIR) -U postgres --auth=trust -E UTF8 >/dev/null"; fi
	@$(PG_AS) "pg_ctl -D $(PG_DIR) status" >/dev/null 2>&1 || \
		$(PG_AS) "pg_ctl -D $(PG_DIR) -o '$(PG_OPTIONS)' -l $(PG_DIR)/server.log -w start >/dev/null"
	@for setting in $(PG_SETTINGS); do grep -qF "\"$$setting\"" $(PG_DIR)/postmaster.opts || { \
		echo "PostgreSQL under $(PG_DIR) was started without $$setting: \`make postgres-stop postgres\` restarts it with the settings"; break; }; done
	@echo "PostgreSQL: DATABASE_URL=$(PG_URL)"

postgres-stop:
	@$(PG_AS) "pg_ctl -D $(PG_DIR) -m fast stop" >/dev/null 2>&1 || true

# The production stack: PostgreSQL, and Redis as broker and cache (a database of its own, 15, so
# a running `make run-prod` keeps its queue), with the real worker processes the suite starts.
test-postgres: install browser redis postgres redis-start
	DATABASE_URL=$(PG_URL) REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/15 MEDIA_ROOT=var/test-media $(BIN)/pytest

# Faults on the production stack (tests/faults): servers restarted under the workers' feet.
test-faults: install redis postgres redis-start
	PORTAL_FAULTS=1 PORTAL_PG_DIR=$(PG_DIR) PORTAL_REDIS_PORT=$(REDIS_PORT) PORTAL_REDIS_DIR=$(REDIS_DIR) DATABASE_URL=$(PG_URL) REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/14 \
		MEDIA_ROOT=var/test-media $(BIN)/pytest tests/faults

# Redis comes from Debian's package; the suite starts servers of its own with it.
redis:
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

# Reference-matching benchmark: generates (once per seed and size, cached under var/bench/),
# imports the registry into a fresh SQLite database, matches, times and scores. The last line is
# name=value pairs. BENCH_ARGS passes options through, e.g. BENCH_ARGS=--quick.
# (`install` brings the `bench` extra too: tests/bench runs in the main suite.)
bench-matching: install
	$(BIN)/python -m bench.matching.run $(BENCH_ARGS)

# The same on PostgreSQL (make services' server): the set loaded into a fresh database
# bench_matching, its words searched by the PostgreSQL index (dropped afterwards).
BENCH_MATCHING_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/bench_matching
bench-matching-pg: install services
	@$(PG_AS) "dropdb --if-exists -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_matching && createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_matching"
	$(BIN)/python -m bench.matching.run --postgres $(BENCH_MATCHING_URL) $(BENCH_ARGS); \
		status=$$?; $(PG_AS) "dropdb --if-exists -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_matching"; exit $$status

# The widget's data endpoint under 8 concurrent clients (gunicorn, keep-alive): p50/p95 cached and
# uncached, on the embedded default (SQLite, database cache), then on the production stack
# (PostgreSQL, its own database bench_widget, emptied each run; Redis as the cache, its database 12,
# cleared). Last line: cached_p95_ms= uncached_p95_ms=. BENCH_ARGS=--quick for a small run.
BENCH_REDIS_URL = redis://127.0.0.1:$(REDIS_PORT)/12
bench-widget: install postgres redis-start
	$(BIN)/python -m bench.widget.run $(BENCH_ARGS)
	@$(PG_AS) "psql -h 127.0.0.1 -p $(PG_PORT) -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='bench_widget'\"" | grep -q 1 || \
		$(PG_AS) "createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_widget"
	DATABASE_URL=postgres://postgres@127.0.0.1:$(PG_PORT)/bench_widget REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -m bench.widget.run $(BENCH_ARGS)

# A big member's dashboard (100,000 works, 1,000,000 citations; generated once under var/bench/ and
# kept): p50/p95 and queries of the dashboard, the works list, the most-cited work's page, the
# participation report and the CSV export's first row. Last line: dashboard_p95_ms= works_list_p95_ms=
# work_page_p95_ms=. BENCH_ARGS=--quick for a small run; on PostgreSQL give DATABASE_URL (a server
# of your own, e.g. `make postgres PG_PORT=54352` and a database made for it).
bench-dashboard: install
	$(BIN)/python -m bench.dashboard.run $(BENCH_ARGS)

# Deposit benchmark (bench/deposit/run.py): generated files of 1,000 articles x 40 references
# (kept under var/bench/deposit/), parse+validate in process, apply on SQLite and on the
# PostgreSQL server of `make postgres` (a fresh database bench_deposit), peak RSS of a worker
# for 1 and 10 files. BENCH_ARGS passes options (e.g. --files 3). `make postgres-stop` after.
bench-deposit: install postgres
	$(BIN)/python -m bench.deposit.run --postgres postgres://postgres@127.0.0.1:$(PG_PORT) $(BENCH_ARGS)

# Retrieval APIs benchmark (bench/api.py): /works/{doi}, a cited-by page, getForwardLinks for a
# prefix over a month, 8 concurrent clients against gunicorn, on the embedded default (SQLite,
# database cache) then on the production stack (PostgreSQL, its own database bench_api; Redis as
# the cache). Data are written once (COPY) and kept. BENCH_API_ARGS passes options, e.g. --works 10000.
BENCH_PG_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/bench_api
bench-api: install postgres redis-start
	$(BIN)/python -m bench.api $(BENCH_API_ARGS)
	@$(PG_AS) "psql -h 127.0.0.1 -p $(PG_PORT) -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='bench_api'\"" | grep -q 1 || \
		$(PG_AS) "createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_api"
	DATABASE_URL=$(BENCH_PG_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -m bench.api $(BENCH_API_ARGS)

# --- The production stack on one machine --------------------------------------------------------
# `make services` starts PostgreSQL 15 and Redis with their data under var/ and prints the
# environment that points the portal at them; `make run-prod` serves through gunicorn (static
# files by WhiteNoise) with Celery workers and beat on that stack; `make stop` stops it all.
REDIS_PORT ?= 63790
REDIS_DIR := $(abspath var/redis)
REDIS_URL_PROD := redis://127.0.0.1:$(REDIS_PORT)/0
PROD_ENV = DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL_PROD) $(RUN_ENV)
WEB_CONCURRENCY ?= 4
WORKER_CONCURRENCY ?= 2

redis-start: redis
	@mkdir -p $(REDIS_DIR)
	@redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 || \
		redis-server --port $(REDIS_PORT) --bind 127.0.0.1 --dir $(REDIS_DIR) --daemonize yes \
			--pidfile $(REDIS_DIR)/redis.pid --logfile $(REDIS_DIR)/redis.log --appendonly yes --save ""
	@for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.5; done
	@echo "Redis:      REDIS_URL=$(REDIS_URL_PROD)"

redis-stop:
	@redis-cli -p $(REDIS_PORT) shutdown nosave >/dev/null 2>&1 || true

services: postgres redis-start
	@$(PG_AS) "psql -h 127.0.0.1 -p $(PG_PORT) -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='portal'\"" | grep -q 1 || \
		$(PG_AS) "createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres portal"
	@echo ""
	@echo "  The production stack is up. Point the portal at it with:"
	@echo "    export DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL_PROD)"
	@echo "  then \`make run-prod\` (gunicorn, Celery workers and beat); \`make stop\` stops everything."

run-prod: install secret services
	$(PROD_ENV) $(BIN)/python manage.py migrate --no-input
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(PROD_ENV) $(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Cited-by Portal (production stack): http://$(HOST):$(PORT)/   health: http://$(HOST):$(PORT)/health"
	@echo "  $(WEB_CONCURRENCY) gunicorn processes, a Celery worker of $(WORKER_CONCURRENCY) processes, beat. Stop with Ctrl-C, then \`make stop\`."
	@echo ""
	$(PROD_ENV) HOST=$(HOST) WEB_CONCURRENCY=$(WEB_CONCURRENCY) WORKER_CONCURRENCY=$(WORKER_CONCURRENCY) \
		$(BIN)/honcho -f Procfile.prod start --port $(PORT)

stop: redis-stop postgres-stop
	@echo "Stopped PostgreSQL and Redis."

# Five minutes of mixed traffic (widget, works API, cited-by API, dashboard, deposits arriving)
# against the production configuration on loopback, by locust (bench/load/run.py): a fresh
# database bench_load, Redis database 13 as broker and cache. BENCH_ARGS=--quick for 30 s.
BENCH_LOAD_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/bench_load
bench-load: install services
	@$(PG_AS) "dropdb --if-exists -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_load && createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_load"
	DATABASE_URL=$(BENCH_LOAD_URL) REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/13 $(BIN)/python -m bench.load.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

# The registry at scale (bench/scale/run.py): 1,000,000 works and 10,000,000 references generated
# (kept under var/bench/scale/), imported by import_works and linked by the matching pipeline
# (Celery workers, 1 then 2 processes) into a fresh database bench_scale, Redis database 14 as broker
# and cache; then import rate, database size, cited-by API, dashboard and widget p95 and matching
# throughput, each printed as it comes. About two hours on 2 cores (README: Benchmarks);
# BENCH_ARGS="--works 20000" for a small run.
# The database is dropped afterwards (it takes several GB); BENCH_SCALE_KEEP=1 keeps it.
BENCH_SCALE_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/bench_scale
bench-scale: install services
	@$(PG_AS) "dropdb --if-exists -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_scale && createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_scale"
	DATABASE_URL=$(BENCH_SCALE_URL) REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/14 $(BIN)/python -m bench.scale.run $(BENCH_ARGS); \
		status=$$?; [ -n "$(BENCH_SCALE_KEEP)" ] || $(PG_AS) "dropdb --if-exists -h 127.0.0.1 -p $(PG_PORT) -U postgres bench_scale"; exit $$status
