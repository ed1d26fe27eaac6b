# Apoyo: the two commands a new machine needs are `make run` and `make test`.
PYTHON ?= python3.11
PORT ?= 8000
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup run test test-unit test-browser lint format bench demo clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON) --quiet
	touch $@

setup: $(VENV)/.synced

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
