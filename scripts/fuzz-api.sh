#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis: the real debug binary on a
# free port with a fresh database, provisioned through the operator CLI, with a token of
# every kind so that the authenticated operations are exercised too, and real values (postcard
# credentials, the insurer number, a birth date, the terms version) mixed into the generated
# bodies so that fuzzing gets past the shape checks. Three passes over every operation the
# server documents at /api/openapi.json:
#   open         every token at its step (identity check, registration, member), one account
#                per state-changing operation (logout, password and e-mail change);
#   closed       every account locked (423) and the client address throttled (429);
#   maintenance  an ad-hoc maintenance window in force (503).
# Fails on any server error (a 503 only passes during the window) and on any answer the
# document does not describe (status, content type, headers, body schema), when a
# schema-violating request or a request without its token is not refused, and when a documented
# path answers another method with anything but 405 and `Allow`.
#
#   scripts/fuzz-api.sh [extra `st run` options]     # `make fuzz`
#
# On SQLite; on PostgreSQL too when MADOGUCHI_TEST_POSTGRES_URL is set (a fresh database is
# created beside that one and dropped), or on one of them with FUZZ_BACKEND=sqlite|postgres.
# The last line is "fuzz: N passed, N failed" (operations × passes × backends); the exit status
# is non-zero on any failure. Environment: FUZZ_EXAMPLES (test cases per operation in the open
# pass, default 60; the other passes run a quarter), FUZZ_SEED (default 20261129), FUZZ_WORKERS
# (default 2), FUZZ_CHECKS (schemathesis checks, comma-separated), FUZZ_VERBOSE=1 prints the
# statuses each operation answered, FUZZ_KEEP=1 keeps the work directory (server log, reports,
# statuses), MADOGUCHI_BIN (default target/debug/madoguchi, built when absent), FUZZ_VENV (where
# schemathesis is installed when the pinned version is not on PATH, default target/fuzz-venv).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

EXAMPLES=${FUZZ_EXAMPLES:-60}
SEED=${FUZZ_SEED:-20261129}
WORKERS=${FUZZ_WORKERS:-2}
BIN=${MADOGUCHI_BIN:-$ROOT/target/debug/madoguchi}
VENV=${FUZZ_VENV:-$ROOT/target/fuzz-venv}
REQUIREMENTS=$ROOT/scripts/fuzz-requirements.txt

die() {
  echo "fuzz: $*" >&2
  echo "fuzz: 0 passed, 1 failed"
  exit 1
}

# SQLite, and PostgreSQL too when MADOGUCHI_TEST_POSTGRES_URL is set (as in tests/api): the
# script runs itself once per backend (FUZZ_BACKEND) and adds up the counts.
if [ -z "${FUZZ_BACKEND:-}" ] && [ -n "${MADOGUCHI_TEST_POSTGRES_URL:-}" ]; then
  passed=0
  failed=0
  for backend in sqlite postgres; do
    echo "fuzz: backend $backend" >&2
    last=$(FUZZ_BACKEND=$backend "$0" "$@" | tail -n 1)
    echo "fuzz: backend $backend: ${last#fuzz: }" >&2
    if [[ "$last" =~ ^fuzz:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      passed=$((passed + BASH_REMATCH[1]))
      failed=$((failed + BASH_REMATCH[2]))
    else
      failed=$((failed + 1))
    fi
  done
  echo "fuzz: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi
BACKEND=${FUZZ_BACKEND:-sqlite}

# schemathesis at the pinned version: the one on PATH if it matches, else a private venv.
pinned=$(sed -n 's/^schemathesis==//p' "$REQUIREMENTS")
ST=""
for candidate in "$VENV/bin/st" "$(command -v st 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$("$candidate" --version 2>/dev/null)" = "st, version $pinned" ]; then
    ST=$candidate
    break
  fi
done
if [ -z "$ST" ]; then
  echo "fuzz: installing schemathesis $pinned into $VENV" >&2
  if { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQUIREMENTS"; } >&2; then
    ST=$VENV/bin/st
  else
    # No venv module (Debian's python3 without python3-venv): the user's site instead.
    echo "fuzz: no venv; installing schemathesis $pinned with pip --user" >&2
    rm -rf "$VENV"
    python3 -m pip install -q --disable-pip-version-check --user -r "$REQUIREMENTS" >&2 ||
      die "could not install schemathesis with pip (from $REQUIREMENTS)"
    ST="$(python3 -m site --user-base)/bin/st"
  fi
fi

# `st` is run by its own interpreter through scripts/fuzz-st.py, which serialises a parse that
# CPython 3.11 cannot run in two threads at once (see that file).
read -r -a ST_PYTHON <<<"$(head -n 1 "$ST" | sed 's/^#!//')"
[ "${#ST_PYTHON[@]}" -gt 0 ] || die "cannot tell which Python runs $ST"
ST_CMD=("${ST_PYTHON[@]}" "$ROOT/scripts/fuzz-st.py")

if [ ! -x "$BIN" ]; then
  echo "fuzz: building $BIN" >&2
  cargo build --bin madoguchi >&2 || die "cargo build --bin madoguchi failed"
fi

WORK=$(mktemp -d)
SERVER_PID=""
PG_DATABASE=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [ -n "$PG_DATABASE" ]; then
    psql "$MADOGUCHI_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null 2>&1
  fi
  [ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
[ "${FUZZ_KEEP:-0}" = 1 ] && echo "fuzz: keeping the work directory $WORK" >&2

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
unset MADOGUCHI_ENV MADOGUCHI_JWT_SECRET
# As behind a proxy: the fuzzed operations that count failures per client address send their
# own X-Forwarded-For, so that one operation's failures do not throttle another's.
export MADOGUCHI_TRUSTED_PROXIES=127.0.0.1
# The public URL names a domain, so the passkey routes are live and fuzzed too (an IP address
# turns them off).
export MADOGUCHI_BIND="127.0.0.1:$PORT" MADOGUCHI_MAIL="file://$WORK/mail" \
  MADOGUCHI_PUBLIC_URL="http://localhost:$PORT" \
  MADOGUCHI_LOG=warn
case "$BACKEND" in
  sqlite) export MADOGUCHI_DATABASE_URL="sqlite://$WORK/db.sqlite" ;;
  postgres)
    [ -n "${MADOGUCHI_TEST_POSTGRES_URL:-}" ] || die "FUZZ_BACKEND=postgres needs MADOGUCHI_TEST_POSTGRES_URL"
    PG_DATABASE="madoguchi_fuzz_$$_$RANDOM"
    psql "$MADOGUCHI_TEST_POSTGRES_URL" -qc "CREATE DATABASE $PG_DATABASE" >/dev/null || die "could not create a database"
    export MADOGUCHI_DATABASE_URL="${MADOGUCHI_TEST_POSTGRES_URL%/*}/$PG_DATABASE"
    ;;
  *) die "FUZZ_BACKEND is sqlite or postgres, not $BACKEND" ;;
esac

# Eighteen members: two sets of eight accounts, one account per token and state-changing
# operation, so that one operation's lockout, registration, logout or password change does not
# decide another operation's answers, and two accounts whose real credentials the login fuzzing
# mixes into its guesses.
(
  cd "$WORK" || exit 1
  {
    echo 'member_code,family_name,given_name,birth_date'
    echo '1234-5678-01,髙橋,一郎,19790822'
    for i in $(seq 2 18); do printf '1234-5678-%02d,山﨑,花子%d,19%02d0315\n' "$i" "$i" $((60 + i)); done
  } >roster.csv &&
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null &&
    "$BIN" members import --tenant 06130090 roster.csv >/dev/null &&
    "$BIN" credentials issue --tenant 06130090 --out postcards.csv >/dev/null
) || die "provisioning through the CLI failed"

# From the work directory, like every CLI command here: a developer's .env stays out of the run.
(cd "$WORK" && RUST_BACKTRACE=1 exec "$BIN" serve >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "$BASE/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$BASE/api/v1/health" >/dev/null 2>&1 || { cat "$WORK/server.log" >&2; die "the server did not start"; }

# post PATH BODY [TOKEN [CURL_ARGS...]]: prints the answer's body, and its status on the last line.
post() {
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -s -w '\n%{http_code}' -X POST "$BASE$1" -H 'Content-Type: application/json' --data-binary "$2" "${auth[@]}" "${@:4}"
}
# ok PATH BODY [TOKEN]: the access token of a 2xx answer.
ok() {
  local out
  out=$(post "$@")
  case "${out##*$'\n'}" in
    2??) printf '%s' "${out%$'\n'*}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' ;;
    *) echo "fuzz: POST $1 answered ${out##*$'\n'}: ${out%$'\n'*}" >&2; return 1 ;;
  esac
}
# postcard MEMBER FIELD: a column of member MEMBER's postcard (9 temp_login_id, 10 temp_password,
# 6 birth_date).
postcard() { sed -n "$(($1 + 1))p" "$WORK/postcards.csv" | cut -d, -f"$2"; }
login() { ok /api/v1/auth/login "{\"login_id\":\"$(postcard "$1" 9)\",\"password\":\"$(postcard "$1" 10)\"}"; }
# identity MEMBER: a token of the registration step.
identity() {
  ok /api/v1/onboarding/identity "{\"insurer_number\":\"06130090\",\"birth_date\":\"$(postcard "$1" 6)\",\"agree_to_terms\":true,\"terms_version\":\"$TERMS\"}" "$(login "$1")"
}
# member MEMBER: a member token (the member registers as fuzzmemberNN).
member() {
  ok /api/v1/onboarding/credentials "{\"user_id\":\"$(printf 'fuzzmember%02d' "$1")\",\"password\":\"Fuzz2026pw\",\"password_confirmation\":\"Fuzz2026pw\",\"email\":\"member$1@example.jp\",\"notify_on_update\":false}" "$(identity "$1")"
}
# lock LOGIN_ID: five wrong passwords.
lock() {
  for _ in 1 2 3 4 5; do post /api/v1/auth/login "{\"login_id\":\"$1\",\"password\":\"Wrong2026pw\"}" >/dev/null; done
}

# The roles of the eight accounts of a set: the operations that use each account's token.
ROLES=(IDENTITY TERMS CHECK COMMIT MEMBER LOGOUT PASSWORD EMAIL)
# tokens FIRST: signs in members FIRST..FIRST+7 for the ROLES and prints their tokens, in order:
# two at the identity check, two at registration, four registered members (fuzzmemberNN).
tokens() {
  login "$1" && login $(($1 + 1)) && identity $(($1 + 2)) && identity $(($1 + 3)) &&
    member $(($1 + 4)) && member $(($1 + 5)) && member $(($1 + 6)) && member $(($1 + 7))
}
TERMS=$(curl -sf "$BASE/api/v1/onboarding/terms" -H "Authorization: Bearer $(login 17)" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])') || die "no terms version"
mapfile -t SET2 < <(tokens 9)
[ ${#SET2[@]} -eq 8 ] || die "could not sign in the second set of members"
# The second set is for the closed pass: lock its accounts now, before the open pass's failed
# logins bring this address to the throttle (a throttled attempt does not count).
for m in 9 10 11 12; do lock "$(postcard "$m" 9)"; done
for m in 13 14 15 16; do lock "$(printf 'fuzzmember%02d' "$m")"; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/me" -H "Authorization: Bearer ${SET2[4]}")" = 423 ] ||
  die "five wrong passwords did not lock an account"
mapfile -t SET1 < <(tokens 1)
[ ${#SET1[@]} -eq 8 ] || die "could not sign in the first set of members"
use_set() {
  local tokens=("$@") i
  for i in "${!ROLES[@]}"; do export "TOKEN_${ROLES[$i]}=${tokens[$i]}"; done
}
# use_addresses LOGIN IDENTITY CHECK COMMIT: the client address of each throttled operation.
use_addresses() {
  export ADDRESS_LOGIN=$1 ADDRESS_IDENTITY=$2 ADDRESS_CHECK=$3 ADDRESS_COMMIT=$4
}

# Login fuzzing guesses with real credentials too: member 17 still at the postcard, member 18
# registered (its user ID also in full width, as members type it).
member 18 >/dev/null || die "could not register member 18"
WIDE18=$(python3 -c "print(''.join(chr(ord(c) + 0xFEE0) for c in 'fuzzmember18'))")

# Which token each authenticated operation sends (by path; the member token by default), with
# schemathesis also sending every operation without it (ignored_auth); and real values that the
# generated bodies draw from, so that fuzzing also gets past the shape checks to the rules behind
# them: a wrong or right password, birth date or terms version, a taken or a free user ID.
# Registration bodies draw real values more often: one passes only when all four fields do.
cat >"$WORK/tokens.toml" <<TOML
headers = { Authorization = "Bearer \${TOKEN_MEMBER}" }

# A schema-violating request must be refused; 413 (too large) and 423 (the account is locked, as
# fuzzing wrong passwords makes it) are refusals too.
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "423", "428", "429", "5xx"]

# Each list also holds a value with a NUL character, which PostgreSQL refuses in text.
[dictionaries.login_id]
values = ["$(postcard 17 9)", "fuzzmember18", "$WIDE18", "nobody-at-all", "fuzz\u0000member18"]
[dictionaries.login_password]
values = ["$(postcard 17 10)", "Fuzz2026pw", "Wrong2026pw", "Fuzz\u00002026pw"]
[dictionaries.insurer_number]
values = ["06130090", "０６１３００９０", "06130091", "1234-5678", "0613\u00000090"]
[dictionaries.birth_date]
values = ["$(postcard 1 6)", "19790823", "19790231", "２０００/０１/０１", "1979\u00000822"]
[dictionaries.terms_version]
values = ["$TERMS", "20000101.1", "$TERMS\u0000"]
[dictionaries.user_id]
values = ["takahashi01", "Ｔａｋａｈａｓｈｉ０２", "fuzzmember05", "taka\u0000hashi03"]
[dictionaries.password]
values = ["Sakura2026x", "Sakura2026x", "Sakura2026x", "$(postcard 3 10)", "Sakura\u00002026x"]
[dictionaries.email]
values = ["ichiro@example.jp", "ICHIRO@Example.JP", "ichiro\u0000@example.jp"]
[dictionaries.current_password]
values = ["Fuzz2026pw", "Wrong2026pw", "Fuzz\u00002026pw"]
[dictionaries.token]
values = ["", "\u0000", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]

# The same values for the fields of the operations not named below (recovery, verification).
[parameters]
"body.email" = { dictionary = "email", probability = 0.5 }
"body.user_id" = { dictionary = "user_id", probability = 0.5 }
"body.birth_date" = { dictionary = "birth_date", probability = 0.5 }
"body.token" = { dictionary = "token", probability = 0.3 }

[[operations]]
include-path = "/api/v1/auth/login"
headers = { "X-Forwarded-For" = "\${ADDRESS_LOGIN}" }
parameters = { "body.login_id" = { dictionary = "login_id", probability = 0.5 }, "body.password" = { dictionary = "login_password", probability = 0.5 } }

[[operations]]
include-path = "/api/v1/onboarding/identity"
headers = { Authorization = "Bearer \${TOKEN_IDENTITY}", "X-Forwarded-For" = "\${ADDRESS_IDENTITY}" }
parameters = { "body.insurer_number" = { dictionary = "insurer_number", probability = 0.5 }, "body.birth_date" = { dictionary = "birth_date", probability = 0.5 }, "body.terms_version" = { dictionary = "terms_version", probability = 0.5 } }

[[operations]]
include-path = "/api/v1/onboarding/terms"
headers = { Authorization = "Bearer \${TOKEN_TERMS}" }

[[operations]]
include-path = "/api/v1/onboarding/credentials/check"
headers = { Authorization = "Bearer \${TOKEN_CHECK}", "X-Forwarded-For" = "\${ADDRESS_CHECK}" }
parameters = { "body.user_id" = { dictionary = "user_id", probability = 0.8 }, "body.password" = { dictionary = "password", probability = 0.8 }, "body.password_confirmation" = { dictionary = "password", probability = 0.8 }, "body.email" = { dictionary = "email", probability = 0.8 } }

[[operations]]
include-path = "/api/v1/onboarding/credentials"
headers = { Authorization = "Bearer \${TOKEN_COMMIT}", "X-Forwarded-For" = "\${ADDRESS_COMMIT}" }
parameters = { "body.user_id" = { dictionary = "user_id", probability = 0.8 }, "body.password" = { dictionary = "password", probability = 0.8 }, "body.password_confirmation" = { dictionary = "password", probability = 0.8 }, "body.email" = { dictionary = "email", probability = 0.8 } }

[[operations]]
include-path = "/api/v1/auth/logout"
headers = { Authorization = "Bearer \${TOKEN_LOGOUT}" }

[[operations]]
include-path = "/api/v1/account/password/change"
headers = { Authorization = "Bearer \${TOKEN_PASSWORD}", "X-Forwarded-For" = "\${ADDRESS_CHECK}" }
parameters = { "body.current_password" = { dictionary = "current_password", probability = 0.5 }, "body.new_password" = { dictionary = "password", probability = 0.8 }, "body.new_password_confirmation" = { dictionary = "password", probability = 0.8 } }

[[operations]]
include-path = "/api/v1/me/email"
headers = { Authorization = "Bearer \${TOKEN_EMAIL}", "X-Forwarded-For" = "\${ADDRESS_CHECK}" }
parameters = { "body.current_password" = { dictionary = "current_password", probability = 0.5 }, "body.email" = { dictionary = "email", probability = 0.8 } }
TOML

CHECKS=${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,missing_required_header,ignored_auth,unsupported_method,allow_header_conformance}
PASSED=0
FAILED=0

# run_pass NAME EXAMPLES [TOML]: one schemathesis run; adds its operations to the counts.
run_pass() {
  local name=$1 examples=$2 dir=$WORK/$1
  if [ -z "$SERVER_PID" ]; then
    echo "fuzz: pass '$name' skipped: no server" >&2
    FAILED=$((FAILED + 1))
    return
  fi
  mkdir -p "$dir"
  { cat "$WORK/tokens.toml"; printf '%s\n' "${3:-}"; } >"$dir/schemathesis.toml"
  echo "fuzz: pass '$name' ($BACKEND): $examples examples per operation, seed $SEED" >&2
  (cd "$dir" && "${ST_CMD[@]}" --config-file "$dir/schemathesis.toml" run "$BASE/api/openapi.json" \
    --checks "$CHECKS" --max-examples "$examples" --seed "$SEED" --workers "$WORKERS" --request-timeout 30 \
    --report junit,ndjson --report-junit-path "$dir/junit.xml" --report-ndjson-path "$dir/events.ndjson" \
    --no-color \
    "${FUZZ_ARGS[@]}") >"$dir/output.txt" 2>&1
  local rc=$?
  local counts
  counts=$(python3 - "$dir/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except Exception:
    print(0, 0); sys.exit()
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    else:
        passed += 1
print(passed, failed)
PY
)
  local p=${counts% *} f=${counts#* }
  # What the server answered, per operation: proof that the pass reached the doors it aims at.
  python3 - "$dir/events.ndjson" >"$dir/statuses.txt" 2>/dev/null <<'PY'
import collections, json, sys
seen = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1]):
    event = json.loads(line).get("ScenarioFinished")
    for item in ((event or {}).get("recorder") or {}).get("interactions", {}).values():
        request, response = item["request"], item.get("response")
        path = "/" + request["uri"].split("/", 3)[-1].split("?")[0]
        seen[f'{request["method"]} {path}'][response["status_code"] if response else "none"] += 1
for op in sorted(seen):
    print(f"  {op}: " + ", ".join(f"{s}×{n}" for s, n in sorted(seen[op].items(), key=str)))
PY
  [ "${FUZZ_VERBOSE:-0}" = 1 ] && cat "$dir/statuses.txt" >&2
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
    sed -n '/FAILURES\|ERRORS/,$p' "$dir/output.txt" >&2
    [ -s "$dir/output.txt" ] && ! grep -q 'FAILURES\|ERRORS' "$dir/output.txt" && tail -40 "$dir/output.txt" >&2
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID"
    echo "fuzz: the server exited (status $?) during pass '$name'; its log ends:" >&2
    tail -n 20 "$WORK/server.log" >&2
    SERVER_PID=""
    f=$((f + 1))
  fi
  echo "fuzz: pass '$name': $p operations passed, $f failed" >&2
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}
FUZZ_ARGS=("$@")

# 1. Open doors: every token at its step.
use_set "${SET1[@]}"
use_addresses 192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4
run_pass open "$EXAMPLES"

# 2. Closed doors: every account of the second set locked (423 on every token), and this
# address over the failure threshold (429 on login, identity and registration checks).
use_set "${SET2[@]}"
use_addresses 192.0.2.99 192.0.2.99 192.0.2.99 192.0.2.99
for _ in $(seq 1 80); do
  [ "$(post /api/v1/auth/login '{"login_id":"nobody-at-all","password":"Wrong2026pw"}' '' -H 'X-Forwarded-For: 192.0.2.99' | tail -n 1)" = 429 ] && break
done
run_pass closed "$((EXAMPLES / 4 + 1))"

# 3. Maintenance: an ad-hoc window from now on; every route but health and maintenance
# answers 503 `maintenance`, which the document must describe.
(cd "$WORK" && "$BIN" maintenance add --starts-at "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M+00:00)" \
  --ends-at "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M+00:00)" --reason fuzz >/dev/null) ||
  die "could not add a maintenance window"
use_set "${SET1[@]}"
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/terms")" = 503 ] && break
  sleep 0.1
done
run_pass maintenance "$((EXAMPLES / 4 + 1))" '
[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "503"]'

echo "fuzz: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
