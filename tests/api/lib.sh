# Helpers of the black-box API tests: a fresh database, the real binary, curl, and counts.
# shellcheck shell=bash

PASSED=0
FAILED=0
BIN="${MADOGUCHI_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/debug/madoguchi}"

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL [$BACKEND] $*" >&2; }

# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}

# contains NAME NEEDLE HAYSTACK
contains() {
  if [[ "$3" == *"$2"* ]]; then pass; else fail "$1: '$2' not in: ${3:0:400}"; fi
}

# json FILE PATH — prints a value of a JSON file (PATH like .errors[0].code).
json() {
  python3 - "$1" "$2" <<'PY'
import json, re, sys
value = json.load(open(sys.argv[1]))
for part in re.findall(r'[^.\[\]]+', sys.argv[2]):
    value = value[int(part)] if part.isdigit() else value.get(part) if isinstance(value, dict) else None
    if value is None:
        break
print("" if value is None else (json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value).lower() if isinstance(value, bool) else value))
PY
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# api METHOD PATH [BODY] [extra curl args...] — writes the body to $OUT, the headers to $HDR,
# and prints the status.
api() {
  local method=$1 path=$2 body=${3:-}
  shift 3 2>/dev/null || shift $#
  local args=(-s -o "$OUT" -D "$HDR" -w '%{http_code}' -X "$method" "$BASE$path")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  curl "${args[@]}" "$@"
}

header() { grep -i "^$1:" "$HDR" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }

# A fresh database for the backend under test: prints its URL.
fresh_database() {
  case "$BACKEND" in
    sqlite) echo "sqlite://$WORK/madoguchi.db" ;;
    postgres)
      local name="madoguchi_blackbox_$$_$RANDOM"
      psql "$MADOGUCHI_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
      echo "${MADOGUCHI_TEST_POSTGRES_URL%/*}/$name"
      PG_DATABASE=$name
      ;;
  esac
}

drop_database() {
  if [ "$BACKEND" = postgres ] && [ -n "${PG_DATABASE:-}" ]; then
    psql "$MADOGUCHI_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}

# Starts the server in $WORK (relative paths such as ./var resolve there); stop_server ends it.
start_server() {
  (cd "$WORK" && MADOGUCHI_BIND="127.0.0.1:$PORT" exec "$BIN" serve) >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -sf "$BASE/api/v1/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server did not start:" >&2
  cat "$WORK/server.log" >&2
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# mail_text FILE — the decoded Subject and plain-text body of an .eml file, as a member reads them.
mail_text() {
  python3 - "$1" <<'PY'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("Subject:", msg["subject"])
print("To:", msg["to"])
print(msg.get_body(preferencelist=("plain",)).get_content())
PY
}
