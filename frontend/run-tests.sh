#!/usr/bin/env bash
# Every test of the SPA: installs (npm ci) when node_modules is missing, checks that the API
# types match openapi.yaml, builds, runs the unit tests (Vitest) and the end-to-end tests
# (Debian's Chromium against target/debug/madoguchi, which must be built first:
# `cargo build --bin madoguchi`). The last line is always `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")"
mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json

passed=0
failed=0
step() { # name, command...: a step that is one test of its own
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "run-tests: $name failed"
    failed=$((failed + 1))
  fi
}

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

step "check:api (generated API types are current)" npm run --silent check:api
step "build (tsc strict + vite + size budget)" npm run --silent build

npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
if [ -f test-results/vitest.json ]; then
  read -r vp vf < <(node -e 'const r=require("./test-results/vitest.json");console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0))')
  passed=$((passed + vp))
  failed=$((failed + vf))
else
  echo "run-tests: vitest did not report"
  failed=$((failed + 1))
fi

if [ -f dist/index.html ]; then
  node e2e/run.mjs
  if [ -f test-results/e2e.json ]; then
    read -r ep ef < <(node -e 'const r=require("./test-results/e2e.json");console.log(r.passed, r.failed)')
    passed=$((passed + ep))
    failed=$((failed + ef))
  else
    echo "run-tests: the end-to-end run did not finish"
    failed=$((failed + 1))
  fi
else
  echo "run-tests: no build, end-to-end tests skipped"
  failed=$((failed + 1))
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
