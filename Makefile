# jinwei_ip — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
# Debian's own interpreter when there is one: it is what docs/DEPLOY.md installs, and
# it is built with profile-guided optimisation, so pages render ~1.35x faster than on
# a self-built python3 that may come first on PATH (pyenv). Override: make PYTHON=...
PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
SYSTEM_PACKAGES := python3-venv fonts-noto-cjk poppler-utils chromium gettext
PYTEST_ARGS ?=

.PHONY: run test venv deps test-deps system-deps migrate demo lint format check messages clean

$(VENV)/.base: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test: $(VENV)/.base requirements/test.txt
	$(PIP) install --quiet -r requirements/test.txt
	touch $@

venv deps: $(VENV)/.base
test-deps: $(VENV)/.test

# Debian packages the portal needs: CJK fonts for PDFs, poppler for PDF tests,
# Chromium for browser tests. Installed when we are root on Debian; otherwise we
# print the exact command and stop.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with:  sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

migrate: $(VENV)/.base
	@mkdir -p var
	$(MANAGE) migrate --no-input -v0

demo: migrate
	$(MANAGE) load_demo

run: system-deps $(VENV)/.base
	@mkdir -p var
	DEBUG=1 $(MANAGE) migrate --no-input -v0
	DEBUG=1 $(MANAGE) load_demo
	@echo "Serving on http://127.0.0.1:8000  (Ctrl-C to stop); the job worker (mail, digests, large exports) runs beside it"
	DEBUG=1 SECURITY_DEMO_EXEMPT=1 $(MANAGE) run_huey --quiet & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  DEBUG=1 SECURITY_DEMO_EXEMPT=1 $(MANAGE) runserver 127.0.0.1:8000

test: system-deps $(VENV)/.test
	@mkdir -p var
	JINWEI_TESTING=1 $(MANAGE) makemigrations --check --dry-run -v0
	JINWEI_TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.base
	@mkdir -p var
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-key-value ALLOWED_HOSTS=portal.example.invalid \
	  $(MANAGE) check --deploy --fail-level WARNING

messages: $(VENV)/.base
	DEBUG=1 $(MANAGE) makemessages -l en --ignore=.venv --ignore=static --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	DEBUG=1 $(MANAGE) compilemessages -l en --ignore=.venv

# Operations targets (backup, restore, bench) live in mk/*.mk.
-include mk/*.mk

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
