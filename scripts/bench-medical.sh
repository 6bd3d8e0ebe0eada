#!/usr/bin/env bash
# The 医療費のお知らせ benchmarks of `make bench` (issue 15), against the release binary. Prints
# figures and whether each goal is met; asserts nothing.
#
#   1. `madoguchi medical-expenses import` of 1,000,000 CP932 rows (a large kenpo's month, for a
#      roster of 100,000 members) against the sqlite3 shell's own `.import` of the same rows
#      into a plain table (no validation, no lookups, no indexes: the floor of getting the rows
#      into SQLite); its peak RSS against an import of 100,000 rows (the reader streams: memory
#      must not grow with the file); and the same import on PostgreSQL
#   2. GET /api/v1/me/medical-expenses for a household with 24 months of data against GET
#      /api/v1/me on the same server (the cheapest signed-in read of the API), on SQLite and
#      PostgreSQL, with wrk; on SQLite also against the floor under `/me` (crates/api/examples/
#      floor.rs: the token check and one row by key, nothing else), and the floor that also
#      reads the household's year as the route does and sends its rows (`floor medical YEAR`)
#
# The PostgreSQL half needs an admin URL: MADOGUCHI_BENCH_POSTGRES_URL, else
# MADOGUCHI_TEST_POSTGRES_URL; without either it is skipped. MADOGUCHI_BENCH_SECONDS (default
# 10) is the length of each wrk run; MADOGUCHI_BENCH_CONNECTIONS (default 64) its connections;
# MADOGUCHI_BENCH_MEDICAL_ROWS (default 1000000) the rows of the large import.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CARGO=${CARGO:-cargo}
SECONDS_PER_RUN=${MADOGUCHI_BENCH_SECONDS:-10}
CONNECTIONS=${MADOGUCHI_BENCH_CONNECTIONS:-64}
ROWS=${MADOGUCHI_BENCH_MEDICAL_ROWS:-1000000}
MEMBERS=100000
ADMIN_URL=${MADOGUCHI_BENCH_POSTGRES_URL:-${MADOGUCHI_TEST_POSTGRES_URL:-}}

source scripts/bench-lib.sh
bench_install wrk:wrk sqlite3:sqlite3 curl:curl
[ -z "$ADMIN_URL" ] || bench_install psql:postgresql-client

$CARGO build --release --bin madoguchi
$CARGO build --release -p madoguchi-api --example floor
BIN="$ROOT/target/release/madoguchi"
FLOOR="$ROOT/target/release/examples/floor"
# A secret of this run, so that the floor server can check the server's tokens.
MADOGUCHI_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export MADOGUCHI_JWT_SECRET

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

# measure OUT COMMAND... — runs the command; writes "seconds peak_rss_kib" to OUT.
measure() {
  local out=$1
  shift
  python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(out, "w").write(f"{seconds:.3f} {peak}\n")
PY
}

export MADOGUCHI_MAIL="file://$WORK/mail" MADOGUCHI_LOG=warn PGOPTIONS="--client-min-messages=warning"
unset MADOGUCHI_ENV

echo "bench: writing a roster of $MEMBERS and $ROWS medical-expense rows (CP932)" >&2
python3 - "$WORK" "$ROWS" "$MEMBERS" <<'PY'
import datetime, sys
work, rows, members = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
roster = ["member_code,family_name,given_name,birth_date"]
roster += [f"B-{i:06d},髙橋,一郎,19790822" for i in range(1, members + 1)]
open(f"{work}/roster.csv", "w", encoding="utf-8").write("\n".join(roster) + "\n")
today = datetime.date.today()
def month(ago):  # YYYYMM, `ago` months before this one
    i = today.year * 12 + today.month - 1 - ago
    return f"{i // 12:04d}{i % 12 + 1:02d}"
last = month(1)
categories = ["外来", "調剤", "歯科", "入院", "訪問看護"]
def row(code, m, k):
    total = 1000 + (k * 7919) % 90000
    return f"{code},髙橋 﨑子,家族,{m},﨑山クリニック{k % 500},{categories[k % 5]},{1 + k % 5},{total},{total * 3 // 10},0,0"
header = "member_code,patient_name,relationship,service_month,provider_name,category,days,total_cost,paid_amount,public_paid,reimbursed_amount"
def write(name, n):
    with open(f"{work}/{name}-cp932.csv", "wb") as f, open(f"{work}/{name}-plain.csv", "w", encoding="utf-8") as plain:
        f.write((header + "\r\n").encode("cp932"))
        chunk, plain_chunk = [], []
        for k in range(n):
            line = row(f"B-{k % members + 1:06d}", last, k)
            chunk.append(line)
            if len(chunk) == 50000:
                f.write(("\r\n".join(chunk) + "\r\n").encode("cp932"))
                plain.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            f.write(("\r\n".join(chunk) + "\r\n").encode("cp932"))
            plain.write("\n".join(chunk) + "\n")
write("large", rows)
write("small", rows // 10)
# The benchmarked household: B-000001, four rows in each of the 24 months before last month's.
lines = [header] + [row("B-000001", month(ago), ago * 4 + j) for ago in range(2, 26) for j in range(4)]
open(f"{work}/household.csv", "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY

COLUMNS_SQL="member_code TEXT, patient_name TEXT, relationship TEXT, service_month TEXT,
  provider_name TEXT, category TEXT, days TEXT, total_cost TEXT, paid_amount TEXT,
  public_paid TEXT, reimbursed_amount TEXT"

# prepare URL — a tenant, the roster and two members onboarded; the household's 24 months.
prepare() {
  local url=$1
  (
    cd "$WORK"
    export MADOGUCHI_DATABASE_URL="$url"
    "$BIN" migrate >/dev/null
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null
    "$BIN" members import --tenant 06130090 roster.csv >/dev/null
    "$BIN" medical-expenses import --tenant 06130090 household.csv >/dev/null
  )
}

# import_figures NAME URL — times the small and the large CP932 import; writes NAME-small/-large.
import_figures() {
  local name=$1 url=$2
  (
    cd "$WORK"
    export MADOGUCHI_DATABASE_URL="$url"
    measure "$WORK/$name-small.fig" "$BIN" medical-expenses import --tenant 06130090 \
      --encoding cp932 small-cp932.csv
    measure "$WORK/$name-large.fig" "$BIN" medical-expenses import --tenant 06130090 \
      --encoding cp932 large-cp932.csv
  )
}

# read_figures NAME URL — serves, onboards B-000001, runs wrk on /me and /me/medical-expenses.
read_figures() {
  local name=$1 url=$2 port base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  (
    cd "$WORK"
    export MADOGUCHI_DATABASE_URL="$url" MADOGUCHI_BIND="127.0.0.1:$port" MADOGUCHI_PUBLIC_URL="$base"
    rm -f postcards.csv
    "$BIN" credentials issue --tenant 06130090 --member B-000001 --out postcards.csv >/dev/null
    exec "$BIN" serve
  ) >"$WORK/$name-server.log" 2>&1 &
  SERVER_PID=$!
  wait_for "$base/api/v1/health"
  bench_onboard "$base" "$WORK/postcards.csv" "$WORK"
  local token
  token=$(cat "$WORK/member_token.txt")
  local months
  months=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/me/medical-expenses?year=$(date +%Y)" |
    python3 -c 'import json,sys; print(len({r["service_month"] for r in json.load(sys.stdin)["rows"]}))')
  echo "bench: $name household has $months months this year (24 in all)" >&2
  printf 'function done(s, l, r) io.write(string.format("WRK requests=%%d seconds=%%.3f failed=%%d\\n", s.requests, s.duration / 1e6, s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end\n' >"$WORK/report.lua"
  for path in me me/medical-expenses; do
    local out="$WORK/$name-${path//\//-}.out"
    # The household's 24 months span three calendar years; ask for the one with most of them.
    local query=""
    [ "$path" = me ] || query="?year=$(($(date +%Y) - 1))"
    wrk -t"$(nproc)" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/report.lua" \
      -H "Authorization: Bearer $token" "$base/api/v1/$path$query" >"$out" 2>&1 || true
  done
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  if [ "$name" = sqlite ]; then
    # The floor, and the floor reading and sending what the route reads and sends of the year.
    local floor
    for floor in floor floor-medical; do
      local args=()
      [ "$floor" = floor ] || args=(medical "$(($(date +%Y) - 1))")
      "$FLOOR" "127.0.0.1:$port" "$WORK/db.sqlite" "$MADOGUCHI_JWT_SECRET" "$base" "${args[@]}" \
        >"$WORK/$floor.log" 2>&1 &
      SERVER_PID=$!
      wait_for "$base/"
      wrk -t"$(nproc)" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/report.lua" \
        -H "Authorization: Bearer $token" "$base/" >"$WORK/sqlite-$floor.out" 2>&1 || true
      kill "$SERVER_PID" 2>/dev/null || true
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
    done
  fi
}

echo "bench: sqlite3 .import of $ROWS rows" >&2
sqlite3 "$WORK/shell.sqlite" "CREATE TABLE rows ($COLUMNS_SQL);"
measure "$WORK/shell.fig" sqlite3 "$WORK/shell.sqlite" ".mode csv" ".import $WORK/large-plain.csv rows"

echo "bench: SQLite" >&2
prepare "sqlite://$WORK/db.sqlite"
import_figures sqlite "sqlite://$WORK/db.sqlite"
read_figures sqlite "sqlite://$WORK/db.sqlite"

PG=""
if [ -n "$ADMIN_URL" ]; then
  echo "bench: PostgreSQL" >&2
  PG=$(fresh_postgres medical)
  prepare "$PG"
  import_figures postgres "$PG"
  read_figures postgres "$PG"
fi

python3 - "$WORK" "$ROWS" "$([ -n "$PG" ] && echo yes || echo no)" "$SECONDS_PER_RUN" <<'PY'
import re, sys
work, rows, pg, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "yes", sys.argv[4]
def fig(name):
    s, kib = open(f"{work}/{name}.fig").read().split()
    return float(s), int(kib) / 1024
def rate(name):
    text = open(f"{work}/{name}.out").read()
    m = re.search(r"WRK requests=(\d+) seconds=([\d.]+) failed=(\d+)", text)
    if not m:
        raise SystemExit(f"bench: wrk run {name} gave no figures:\n{text}")
    r, s, f = int(m[1]), float(m[2]), int(m[3])
    return (r - f) / s, f
shell_s, _ = fig("shell")
out = []
for backend in ["sqlite"] + (["postgres"] if pg else []):
    small_s, small_mib = fig(f"{backend}-small")
    large_s, large_mib = fig(f"{backend}-large")
    me, me_failed = rate(f"{backend}-me")
    medical, medical_failed = rate(f"{backend}-me-medical-expenses")
    if backend == "sqlite":
        out.append((f"import {rows:,} rows (CP932) / sqlite3 .import", f"{shell_s / large_s:.3f}",
                    f"{rows / large_s:,.0f} rows/s in {large_s:.1f} s; .import {shell_s:.1f} s",
                    ">= 0.25", shell_s / large_s >= 0.25))
    else:
        out.append((f"postgres: import {rows:,} rows (CP932)", f"{rows / large_s:,.0f} rows/s",
                    f"{large_s:.1f} s; SQLite's .import {shell_s:.1f} s", "", None))
    out.append((f"{backend}: import peak RSS, {rows:,} rows / {rows // 10:,}", f"{large_mib / small_mib:.2f}",
                f"{large_mib:.1f} MiB / {small_mib:.1f} MiB", "<= 1.25", large_mib / small_mib <= 1.25))
    out.append((f"{backend}: GET /me/medical-expenses / GET /me", f"{medical / me:.3f}",
                f"{medical:,.0f}/s / {me:,.0f}/s", ">= 0.5", medical / me >= 0.5))
    if backend == "sqlite":
        floor, floor_failed = rate("sqlite-floor")
        out.append(("sqlite: GET /me/medical-expenses / floor", f"{medical / floor:.3f}",
                    f"{medical:,.0f}/s / {floor:,.0f}/s", ">= 0.5", medical / floor >= 0.5))
        # What the floor itself reaches when it reads the household's year as the route does
        # and sends its rows: the most the route can reach on this machine.
        reads, reads_failed = rate("sqlite-floor-medical")
        out.append(("sqlite:   floor reading and sending the year's rows / floor",
                    f"{reads / floor:.3f}", f"{reads:,.0f}/s / {floor:,.0f}/s", "", None))
        out.append(("sqlite:   GET /me/medical-expenses / that floor", f"{medical / reads:.3f}",
                    f"{medical:,.0f}/s / {reads:,.0f}/s", "", None))
        me_failed += floor_failed + reads_failed
    if me_failed or medical_failed:
        out.append((f"{backend}: non-2xx or socket errors", f"{me_failed} / {medical_failed}", "", "0", False))
print()
print(f"医療費のお知らせ benchmarks: wrk runs of {secs} s")
head = ("figure", "value", "measured", "goal", "met")
widths = [max(len(str(r[i])) for r in out + [head]) for i in range(4)]
line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4]
print(line(head))
print(line(tuple("-" * w for w in widths) + ("---",)))
for r in out:
    print(line(r[:4] + ("-" if r[4] is None else ("yes" if r[4] else "NO"),)))
if not pg:
    print("(PostgreSQL skipped: set MADOGUCHI_BENCH_POSTGRES_URL or MADOGUCHI_TEST_POSTGRES_URL)")
PY
