#!/usr/bin/env bash
# The storage benchmarks of `make bench` (issue 13), against the release binary. Prints figures
# and whether each goal is met; asserts nothing.
#
#   1. the roster import of 100,000 CP932 rows: `madoguchi members import` on SQLite against the
#      sqlite3 shell's own `.import` of the same rows into a plain table (no validation: the
#      floor of getting the rows into SQLite), and the same import on PostgreSQL
#   2. GET /api/v1/me on PostgreSQL with wrk against `pgbench -S -M prepared` on the same server
#      with as many clients as the server's pool has connections (the measured floor of one
#      indexed read per request), and pgbench running the page's own statement alone with the
#      same clients (crates/persistence/examples/page_statement.rs): what PostgreSQL itself
#      serves of `/me` on this machine, with no HTTP server, JSON or token in the way
#
# The PostgreSQL half needs an admin URL: MADOGUCHI_BENCH_POSTGRES_URL, else
# MADOGUCHI_TEST_POSTGRES_URL; without either it is skipped. MADOGUCHI_BENCH_SECONDS (default
# 10) is the length of each run; MADOGUCHI_BENCH_CONNECTIONS (default 64) wrk's connections.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CARGO=${CARGO:-cargo}
SECONDS_PER_RUN=${MADOGUCHI_BENCH_SECONDS:-10}
CONNECTIONS=${MADOGUCHI_BENCH_CONNECTIONS:-64}
ROWS=100000
ADMIN_URL=${MADOGUCHI_BENCH_POSTGRES_URL:-${MADOGUCHI_TEST_POSTGRES_URL:-}}

source scripts/bench-lib.sh
bench_install wrk:wrk sqlite3:sqlite3
[ -z "$ADMIN_URL" ] || bench_install pgbench:postgresql-contrib psql:postgresql-client

$CARGO build --release --bin madoguchi --example page_statement
BIN="$ROOT/target/release/madoguchi"
PAGE_STATEMENT="$ROOT/target/release/examples/page_statement"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  drop_bench_databases
  rm -rf "$WORK"
}
trap cleanup EXIT

seconds() { # the wall-clock seconds of a command
  python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(f"{time.perf_counter() - t:.3f}")
PY
}

export MADOGUCHI_MAIL="file://$WORK/mail" MADOGUCHI_LOG=warn PGOPTIONS="--client-min-messages=warning"
unset MADOGUCHI_ENV

echo "bench: writing $ROWS roster rows (CP932)" >&2
python3 - "$WORK" "$ROWS" <<'PY'
import sys
work, rows = sys.argv[1], int(sys.argv[2])
lines = ["member_code,family_name,given_name,family_name_kana,given_name_kana,birth_date,postal_code,address"]
for i in range(1, rows + 1):
    lines.append(f"R-{i:07d},髙橋,一郎,タカハシ,イチロウ,{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d},108-8001,東京都港区芝五丁目7番1号")
text = "\r\n".join(lines) + "\r\n"
open(f"{work}/roster-cp932.csv", "wb").write(text.encode("cp932"))
open(f"{work}/roster-utf8.csv", "w", encoding="utf-8").write("\n".join(lines[1:]) + "\n")
PY

import_into() { # import_into DATABASE_URL — provisions a tenant and times the import
  (
    cd "$WORK"
    export MADOGUCHI_DATABASE_URL=$1
    "$BIN" migrate >/dev/null
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null
    seconds "$BIN" members import --tenant 06130090 roster-cp932.csv --encoding cp932
  )
}

echo "bench: members import, SQLite" >&2
IMPORT_SQLITE=$(import_into "sqlite://$WORK/import.sqlite")
echo "bench: the sqlite3 shell's .import of the same rows" >&2
cat >"$WORK/shell.sql" <<SQL
CREATE TABLE roster (member_code TEXT PRIMARY KEY, family_name TEXT, given_name TEXT,
  family_name_kana TEXT, given_name_kana TEXT, birth_date TEXT, postal_code TEXT, address TEXT);
.mode csv
.import $WORK/roster-utf8.csv roster
SQL
SHELL_SQLITE=$(seconds sqlite3 "$WORK/shell.sqlite" ".read $WORK/shell.sql")

IMPORT_PG=""
ME_PG=""
P99_PG=""
PGBENCH_TPS=""
PAGE_TPS=""
POOL=""
# GET /me and pgbench reach the server the same way: `sslmode` MADOGUCHI_BENCH_PG_SSLMODE
# (default `disable`: the read path, not TLS, on a server of this machine; `prefer` measures
# both with TLS when the server offers it, as libpq's default does).
SSLMODE=${MADOGUCHI_BENCH_PG_SSLMODE:-disable}
with_sslmode() {
  case "$1" in *\?*) echo "$1&sslmode=$SSLMODE" ;; *) echo "$1?sslmode=$SSLMODE" ;; esac
}
if [ -n "$ADMIN_URL" ]; then
  echo "bench: members import, PostgreSQL" >&2
  IMPORT_PG=$(import_into "$(fresh_postgres import)")

  echo "bench: provisioning a member on PostgreSQL" >&2
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  export MADOGUCHI_DATABASE_URL MADOGUCHI_BIND="127.0.0.1:$PORT" MADOGUCHI_PUBLIC_URL="$BASE"
  MADOGUCHI_DATABASE_URL=$(with_sslmode "$(fresh_postgres api)")
  (
    cd "$WORK"
    "$BIN" migrate >/dev/null
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null
    printf '%s\n' 'member_code,family_name,given_name,birth_date' 'B-000001,髙橋,一郎,19790822' >one.csv
    "$BIN" members import --tenant 06130090 one.csv >/dev/null
    "$BIN" credentials issue --tenant 06130090 --out postcards.csv >/dev/null
  )
  (cd "$WORK" && exec "$BIN" serve) >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  wait_for "$BASE/api/v1/health"
  bench_onboard "$BASE" "$WORK/postcards.csv" "$WORK"
  TOKEN=$(cat "$WORK/member_token.txt")
  cat >"$WORK/report.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d seconds=%.3f failed=%d p99_ms=%.3f\n",
    summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end
LUA
  echo "bench: GET /api/v1/me on PostgreSQL, $CONNECTIONS connections, ${SECONDS_PER_RUN}s" >&2
  wrk --latency -t"$(nproc)" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/report.lua" \
    -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me" >"$WORK/me.out" 2>&1 || true
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  read -r ME_PG P99_PG < <(python3 - "$WORK/me.out" <<'PY'
import re, sys
m = re.search(r"WRK requests=(\d+) seconds=([\d.]+) failed=(\d+) p99_ms=([\d.]+)", open(sys.argv[1]).read())
if not m:
    sys.exit("bench: wrk gave no figures for /me")
r, s, f, p99 = int(m[1]), float(m[2]), int(m[3]), float(m[4])
print(f"{(r - f) / s:.1f} {p99:.2f}")
PY
)
  # The server's pool: 4 connections per worker, a worker per core (`madoguchi serve`).
  POOL=$((4 * $(nproc)))
  echo "bench: pgbench -M prepared of GET /me's statement alone, $POOL clients, ${SECONDS_PER_RUN}s" >&2
  ACCOUNT_ID=$(psql -qAt "$MADOGUCHI_DATABASE_URL" -c "SELECT id FROM accounts LIMIT 1")
  "$PAGE_STATEMENT" "$ACCOUNT_ID" >"$WORK/page.txt"
  head -n 1 "$WORK/page.txt" >"$WORK/page.sql"
  PAGE_ARGS=()
  while read -r binding; do PAGE_ARGS+=(-D "$binding"); done < <(tail -n +2 "$WORK/page.txt")
  PAGE_TPS=$(pgbench -n -M prepared -c "$POOL" -j "$(nproc)" -T "$SECONDS_PER_RUN" \
    -f "$WORK/page.sql" "${PAGE_ARGS[@]}" "$MADOGUCHI_DATABASE_URL" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
  [ -n "$PAGE_TPS" ] || { echo "bench: pgbench of the page's statement gave no figure" >&2; exit 1; }
  echo "bench: pgbench -S -M prepared, $POOL clients, ${SECONDS_PER_RUN}s" >&2
  PGBENCH_URL=$(with_sslmode "$(fresh_postgres pgbench)")
  pgbench -q -i -s 10 "$PGBENCH_URL" >/dev/null 2>&1
  PGBENCH_TPS=$(pgbench -S -M prepared -c "$POOL" -j "$(nproc)" -T "$SECONDS_PER_RUN" "$PGBENCH_URL" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
fi

python3 - <<PY
import_sqlite, shell = float("$IMPORT_SQLITE"), float("$SHELL_SQLITE")
pg = "$IMPORT_PG"
rows = [
    ("members import, $ROWS CP932 rows, SQLite", f"{import_sqlite:.2f} s", "", "", None),
    ("  sqlite3 .import of the same rows / members import", f"{shell / import_sqlite:.3f}",
     f"{shell:.2f} s / {import_sqlite:.2f} s", ">= 0.25", shell / import_sqlite >= 0.25),
]
if pg:
    rows.append(("members import, $ROWS CP932 rows, PostgreSQL", f"{float(pg):.2f} s",
                 f"SQLite {import_sqlite:.2f} s", "", None))
    me, p99, tps = float("$ME_PG"), float("$P99_PG"), float("$PGBENCH_TPS")
    rows.append(("GET /me req/s on PostgreSQL / pgbench -S -M prepared tps", f"{me / tps:.3f}",
                 f"{me:.0f}/s / {tps:.0f}/s ($POOL clients, sslmode=$SSLMODE)", ">= 0.5", me / tps >= 0.5))
    page = float("$PAGE_TPS")
    rows.append(("  pgbench of /me's statement alone / pgbench -S -M prepared", f"{page / tps:.3f}",
                 f"{page:.0f}/s / {tps:.0f}/s: the most /me can reach here", "", None))
    rows.append(("  GET /me req/s / pgbench of its statement alone", f"{me / page:.3f}",
                 f"{me:.0f}/s / {page:.0f}/s", "", None))
    rows.append(("  GET /me p99 on PostgreSQL", f"{p99:.2f} ms", "$CONNECTIONS connections", "", None))
else:
    rows.append(("PostgreSQL", "skipped", "set MADOGUCHI_BENCH_POSTGRES_URL", "", None))
head = ("figure", "value", "measured", "goal", "met")
widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(4)]
line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4]
met = lambda ok: "-" if ok is None else ("yes" if ok else "NO")
print()
print("Storage benchmarks (release build)")
print(line(head))
print(line(tuple("-" * w for w in widths) + ("---",)))
for r in rows:
    print(line(r[:4] + (met(r[4]),)))
PY
