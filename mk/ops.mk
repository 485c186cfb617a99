# Operations: backup and restore, benchmarks. Included by the Makefile (-include mk/*.mk).
# Uses the Makefile's $(VENV), $(PY), $(MANAGE).

BACKUP_DIR ?= var/backups
BENCH_DB ?= jinwei_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_ARGS ?=

.PHONY: backup restore bench bench-deps bench-seed bench-load

# make backup                       -> var/backups/<timestamp>/ (or BACKUP_DIR=...)
backup: $(VENV)/.base
	@mkdir -p $(BACKUP_DIR)
	BACKUP_DIR=$(BACKUP_DIR) $(PY) scripts/backup.py backup

# make restore BACKUP=var/backups/20260101-020000   (stop the app servers first)
restore: $(VENV)/.base
	@if [ -z "$(BACKUP)" ]; then echo "Usage: make restore BACKUP=path/to/backup-folder"; exit 2; fi
	BACKUP_DIR=$(BACKUP_DIR) $(PY) scripts/backup.py restore "$(BACKUP)" $(if $(YES),--yes,)

$(VENV)/.bench: $(VENV)/.base requirements/bench.txt
	$(PIP) install --quiet -r requirements/bench.txt
	touch $@

bench-deps: $(VENV)/.bench

# Fresh PostgreSQL database $(BENCH_DB), migrate, seed_bench (about a minute).
bench-seed: $(VENV)/.bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/setup_db.py --fresh

# Every in-process benchmark (pages, scoped queryset, PDF, import) -> bench/RESULTS.md
bench: $(VENV)/.bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run_all.py $(BENCH_ARGS)

# gunicorn (2 workers) + locust (50 users, 60 s) on 127.0.0.1 -> bench/RESULTS.md
bench-load: $(VENV)/.bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run_all.py --only load $(BENCH_ARGS)
