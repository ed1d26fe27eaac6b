# Apoyo: the two commands a new machine needs are `make run` and `make test`.
PYTHON ?= python3.11
PORT ?= 8000
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Installed packages come with their bytecode: with PYTHONDONTWRITEBYTECODE=1 (containers, CI) or a
# read-only venv, every process would otherwise compile ~1,350 modules at start-up (issue 15).
export UV_COMPILE_BYTECODE := 1

.PHONY: setup run test test-unit test-browser lint format bench demo clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# (.synced-bytecode, not .synced: a venv synced before bytecode was compiled at install syncs once more.)
$(VENV)/.synced-bytecode: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python $(PYTHON) --quiet
	touch $@

# The project's own modules too (only those changed since are compiled again).
setup: $(VENV)/.synced-bytecode
	@$(PY) -m compileall -q -j 0 apoyo bench manage.py >/dev/null

# The demo's links (e-mails, notices) follow the port it serves on, and its e-mails are left as
# files in the data folder (var/correos/) so the console keeps the users' box in view; either can
# be set as usual (APOYO_BASE_URL=..., APOYO_EMAIL_BACKEND=...). Migrations speak only if they fail.
DEMO_ENV = APOYO_BASE_URL=$(or $(APOYO_BASE_URL),http://127.0.0.1:$(PORT)) \
	APOYO_EMAIL_BACKEND=$(or $(APOYO_EMAIL_BACKEND),django.core.mail.backends.filebased.EmailBackend)

run: setup
	@echo "Preparando la base de datos…"
	@$(PY) manage.py migrate --no-input -v 0
	@$(DEMO_ENV) $(PY) manage.py load_demo --if-empty
	@$(DEMO_ENV) APOYO_DEBUG=1 ./scripts/serve.sh $(PORT)

test: setup
	$(PY) -m pytest -m "not browser" -q
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_sizes.py

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) -m bench $(if $(SCALE),--scale $(SCALE),) $(if $(ONLY),--only $(ONLY),)

clean:
	rm -rf $(VENV) .tools
