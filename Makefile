# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/debug/madoguchi

.PHONY: run test build setup fmt clippy unit blackbox bench

## Build, migrate the SQLite default, seed a demo tenant, print demo postcards and serve.
run: setup build
	$(BIN) serve --demo

build:
	$(CARGO) build --bin madoguchi

setup:
	@bash scripts/setup-system.sh

## Every check and test. Set MADOGUCHI_TEST_POSTGRES_URL to run the PostgreSQL half too.
test: setup fmt clippy unit blackbox

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

## The real binary over HTTP with curl, and e-mail through a real SMTP server (tests/api/).
blackbox: build
	bash tests/api/run.sh

## Benchmarks (release build): prints figures, asserts nothing. Postcard issuance, then the
## API with wrk (logins, GET /me against a hello-world, p99 under a login storm, peak RSS).
bench: setup
	$(CARGO) bench -p madoguchi --bench issuance
	$(CARGO) bench -p madoguchi-api --bench recovery_timing
	@CARGO="$(CARGO)" bash scripts/bench-api.sh

## Fuzz the API from its own OpenAPI document with schemathesis (installed with pip if missing):
## three passes (open, locked and throttled, maintenance); fails on any 5xx or undocumented answer.
.PHONY: fuzz
fuzz: setup build
	@bash scripts/fuzz-api.sh

## Build the member SPA into frontend/dist, which `madoguchi serve` serves (and release builds embed).
.PHONY: frontend
frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build
