# 工程担保在线服务平台 — the two commands: `make run` and `make test`.
# Everything the project needs is installed from its own files; nothing by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.requirements.stamp
PYTEST_WORKERS ?= 2

export DJANGO_SETTINGS_MODULE := eguarantee.settings

.PHONY: run test lint format bench setup sysdeps migrate worker serve clean check-deploy

setup: sysdeps $(STAMP) node_modules/.stamp

# Debian packages, only when missing: CJK fonts (Noto for screenshots; AR PL UMing for PDFs, since
# ReportLab embeds only TrueType outlines and Noto CJK is CFF) and chromium (browser tests).
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "AR PL UMing" || missing="$$missing fonts-arphic-uming"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(VENV)/bin/python
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --noinput

run: setup
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	@if [ ! -f var/.demo-loaded ]; then DEBUG=1 $(PY) manage.py seed_demo && touch var/.demo-loaded; fi
	@echo "平台已启动：http://127.0.0.1:8000  （Ctrl-C 停止）"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(PY) manage.py run_worker & \
	DEBUG=1 $(PY) -m eguarantee.payments.sandbox_server --port 8001 --key-dir var/sandbox-gateway & \
	for w in demo-department demo-guarantor; do \
	  $(PY) -m eguarantee.evidence.witness --log-url http://127.0.0.1:8000 --name $$w \
	    --key-file var/evidence/witness-$$w.key --state var/evidence/witness-$$w.sqlite3 --interval 15 & \
	done; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000 --noreload & \
	wait

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "模型有未生成的迁移：运行 manage.py makemigrations" && exit 1)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

check-deploy: setup
	DEBUG=0 SECRET_KEY=check-deploy-only-$$(date +%s)-a-long-random-value-for-the-check ALLOWED_HOSTS=example.org \
	EVIDENCE_SIGNING_KEY=$$($(PY) -c 'from eguarantee.evidence.signing import KeyPair; print(KeyPair.generate().to_hex())') \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Benchmarks run on PostgreSQL (the issue targets are stated for it) in a database of their own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/eguarantee_bench
bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py

clean:
	rm -rf var .pytest_cache
