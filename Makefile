# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/debug/madoguchi

.PHONY: run test build setup setup-browser fmt clippy unit blackbox spa-test bench

## Build the SPA and the binary, migrate the SQLite default, seed a demo tenant, print demo
## postcards and serve the API and the member screens on http://localhost:8080/.
run: setup frontend build
	$(BIN) serve --demo

build:
	$(CARGO) build --bin madoguchi

setup:
	@bash scripts/setup-system.sh

## Debian's Chromium and a Japanese font, for the browser tests of the SPA.
setup-browser:
	@bash scripts/setup-system.sh chromium fonts-noto-cjk

## Every check and test. Set MADOGUCHI_TEST_POSTGRES_URL to run the PostgreSQL half too.
test: setup fmt clippy unit blackbox fuzz spa-test

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

unit:
	@if [ -z "$${MADOGUCHI_TEST_POSTGRES_URL:-}" ]; then echo "test: MADOGUCHI_TEST_POSTGRES_URL is not set: SQLite only"; fi
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	  $(CARGO) nextest run --workspace --no-fail-fast; \
	else \
	  $(CARGO) test --workspace --no-fail-fast; \
	fi

## The real binary over HTTP with curl, and e-mail through a real SMTP server (tests/api/);
## then fault experiments on a PostgreSQL cluster of their own (skipped without initdb).
blackbox: build frontend
	bash tests/api/run.sh
	bash tests/api/faults.sh

## The SPA: generated API types current, strict build and size budget, Vitest, and the browser
## tests in Chromium against the real binary (frontend/run-tests.sh).
spa-test: setup-browser build
	bash frontend/run-tests.sh

## Benchmarks (release build): prints figures, asserts nothing. Postcard issuance, then the
## API with wrk (logins, GET /me against a hello-world, p99 under a login storm, peak RSS), then
## storage: the roster import against the sqlite3 shell, and on PostgreSQL (with
## MADOGUCHI_BENCH_POSTGRES_URL or MADOGUCHI_TEST_POSTGRES_URL) GET /me against pgbench; then
## 医療費のお知らせ: a million-row import against .import, and its read against GET /me.
bench: setup
	$(CARGO) bench -p madoguchi --bench issuance
	$(CARGO) bench -p madoguchi-api --bench recovery_timing
	@CARGO="$(CARGO)" bash scripts/bench-api.sh
	@CARGO="$(CARGO)" bash scripts/bench-postgres.sh
	@CARGO="$(CARGO)" bash scripts/bench-medical.sh

## Mutation testing of the domain's rules with cargo-mutants (installed with cargo if missing):
## every mutant of crates/domain/src must fail a domain test. Not part of `make test` nor of CI:
## it takes most of an hour here. Exclusions and their reasons: .cargo/mutants.toml.
## Its builds go to their own target directory: cargo would otherwise take a mutated build for
## a fresh one afterwards (same crate, sources not newer than the build).
.PHONY: mutants
mutants:
	@$(CARGO) mutants --version >/dev/null 2>&1 || $(CARGO) install cargo-mutants --locked
	CARGO_TARGET_DIR="$${CARGO_TARGET_DIR:-$(CURDIR)/target}/mutants" \
	  $(CARGO) mutants -p madoguchi-domain --jobs 1 --timeout 40

## Fuzz the API from its own OpenAPI document with schemathesis (installed with pip if missing):
## three passes (open, locked and throttled, maintenance); fails on any 5xx or undocumented answer.
.PHONY: fuzz
fuzz: setup build
	@bash scripts/fuzz-api.sh

## Build the member SPA into frontend/dist, which `madoguchi serve` serves (and release builds embed).
.PHONY: frontend
frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build
