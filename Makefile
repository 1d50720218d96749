VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000

.PHONY: install run test migrations-check bench

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

## Start the service and the notification worker with their embedded defaults (SQLite, in-process Redis) and demo data.
run: install
	$(FLASK) db upgrade heads
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:$(PORT)  (API docs: http://127.0.0.1:$(PORT)/docs), notification worker beside it"
	@echo "Veteran demo page: http://127.0.0.1:$(PORT)/   Staff console (another tab): http://127.0.0.1:$(PORT)/console/"
	APP_ENV=$${APP_ENV:-development} $(FLASK) notify-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	APP_ENV=$${APP_ENV:-development} $(FLASK) run --host 127.0.0.1 --port $(PORT)

## Run the tests: PostgreSQL and Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set, else SQLite and a stand-in.
test: install
	$(PY) -m pytest -q

## Upgrade a database to head and check the models match the migrations (DATABASE_URL decides which).
migrations-check: install
	$(FLASK) db upgrade heads
	$(FLASK) db check
