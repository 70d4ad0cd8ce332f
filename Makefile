# Two commands for a new user: `make run` and `make test` (README.md). Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast flake lint format messages bench bench-notifications clean

# uv installs the dependencies: 9.5 s where pip took 25 s in a fresh clone with empty caches (CI
# builds the venv on every run, and so does a new user's first `make run`). pip installs uv itself,
# and does the whole job where uv cannot (uv reads no pip.conf: a mirror only pip knows of).
# --compile-bytecode: pip compiles the modules on install too; without it every process would.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Нужен Python 3.11 или новее (найден: $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Не удалось создать .venv. На Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1' && \
		$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -e '.[dev]' || \
		{ echo "uv не справился; ставим зависимости через pip."; \
		$(BIN)/python -m pip install --quiet --upgrade pip && \
		$(BIN)/python -m pip install --quiet -e '.[dev]'; }
	@touch $@

install: $(STAMP)

var:
	@mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail var/media

# The whole portal on the embedded default: SQLite, a file broker, e-mail into var/mail.
# Web at http://127.0.0.1:8000 plus a Celery worker and beat; Ctrl-C stops all three.
run: $(STAMP) var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

# pytest-xdist workers: one per core (TEST_WORKERS=0 runs in this process). On the 2-core CI
# machine with PostgreSQL, 2 workers took 386 s where 3 took 421–425 s: a third worker collects the
# suite once more, builds its own test database, and its Chromium and PostgreSQL backends fight
# the others for the same two cores (2 already keep the machine 96 % busy: docs/CONVENTIONS.md,
# «The suite's time is CPU»). On SQLite the two are
# within the spread (333 s with 2, 322 s with 3). Tests marked with an xdist_group (those that
# share a Redis database) stay on one worker.
TEST_WORKERS ?= $(shell nproc)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# Everything but the browser tests: the quick loop while working.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser"

# Do the browser tests flake? They run FLAKE_RUNS times (default 20), each run a pytest session in
# the same xdist workers as `make test`, while a CPU burner per core keeps the machine busy; a line
# per run, and a last line that sums up. `make flake FLAKE_ARGS="--budget 30"` stops starting runs
# after 30 minutes; `make flake FLAKE_RUNS=5` for a shorter look.
FLAKE_RUNS ?= 20
flake: $(STAMP)
	$(BIN)/python scripts/flake.py --runs $(FLAKE_RUNS) $(FLAKE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the catalogues; needs GNU gettext. Message ids are Russian: the English catalogue
# translates every entry (tests/test_i18n.py fails on an empty or fuzzy one); the Russian one gives
# only the plural entries their three forms (1, 2–4, 5–20: «1 человек, 2 человека, 5 человек»),
# the rest falls back to the ids. Translate what makemessages adds, then commit .po and .mo.
# The JavaScript has no strings of its own (the templates pass them in), so there is no djangojs.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en -l ru --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests
	$(BIN)/python manage.py compilemessages -l en -l ru --ignore=.venv --ignore=var

# The national-scale benchmark (docs/PERFORMANCE.md): PostgreSQL at BENCH_DATABASE_URL (created and
# filled by generate_scale when empty), gunicorn, locust (the `bench` extra, installed here) driving
# 200 signed-in people's pages while they write, one table. Not run by CI; ≈ 15 minutes for the
# pages and tasks; a part: BENCH_ARGS="--pages home,structure --duration 10 --people 50 --no-tasks".
# Then the search box (200 people × inflected queries, issue 20) and the open API's lists alone
# (issue 21), each ≈ 1 minute.
# Then the notification sweep in batches: 300,000 people take ≈ 19–25 min at today's speed (issue
# 17's goal is 5 minutes, not met); BENCH_NOTIFY_ARGS="--people 30000" prints a linear estimate in
# ≈ 2–3 minutes.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python devdata/bench/bench.py $(BENCH_ARGS)
	$(BIN)/python devdata/bench/bench_search.py
	$(BIN)/python devdata/bench/bench_api.py
	$(MAKE) --no-print-directory bench-notifications

# The notification sweep for 300,000 people into an aiosmtpd sink, and the calendar feed (issue 17).
bench-notifications: $(STAMP)
	$(BIN)/python devdata/bench/bench_notifications.py $(BENCH_NOTIFY_ARGS)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
