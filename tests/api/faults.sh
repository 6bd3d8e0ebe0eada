#!/usr/bin/env bash
# Fault experiments as black-box tests (DESIGN §11, decision 0015): the real `madoguchi`
# binary against a PostgreSQL cluster of its own, created here with initdb on a free port and
# removed at exit (never the machine's shared server), which is stopped and started under the
# servers' feet:
#   1. two servers on one PostgreSQL share tokens and lockouts;
#   2. PostgreSQL stopped under load: 503 `unavailable` with Retry-After within 5 s (never a
#      500, never a hang), /health says so at once, one log line each way, and the same process
#      serves again when it returns;
#   3. `serve` started while PostgreSQL is down keeps trying, and serves once it comes up.
# Skips (exit 0) when PostgreSQL's initdb is not installed. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source ./lib.sh
BACKEND=faults

if [ ! -x "$BIN" ]; then
  echo "no binary at $BIN: build it first (cargo build --bin madoguchi)" >&2
  exit 1
fi

# PostgreSQL's server programs: Debian keeps them out of PATH, under /usr/lib/postgresql.
# (A version with only the client installed has a bin folder without initdb.)
INITDB=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
[ -z "$INITDB" ] && INITDB=$(command -v initdb 2>/dev/null)
PG_BIN=${INITDB:+$(dirname "$INITDB")}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ] || ! command -v psql >/dev/null 2>&1; then
  echo "faults black-box: skipped: PostgreSQL's initdb and psql are not installed (apt-get install postgresql)"
  exit 0
fi
# initdb refuses root: as root, the cluster belongs to the `postgres` user.
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "faults black-box: skipped: running as root and there is no postgres user for initdb"
    exit 0
  fi
  AS_PG=(runuser -u postgres --)
fi

WORK=$(mktemp -d /tmp/madoguchi-faults-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
PGDATA="$WORK/pg"
PG_PORT=$(free_port)
ADMIN_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
OUT="$WORK/body.json"
HDR="$WORK/headers.txt"
STARTED=$SECONDS
PIDS=()

pg_ctl() { (cd "$WORK" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" "$@"); }
pg_start() {
  pg_ctl -l "$WORK/postgresql.log" -w -t 30 \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
}
pg_stop() { pg_ctl -m "${1:-fast}" -w -t 30 stop >/dev/null; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  pg_ctl status >/dev/null 2>&1 && pg_stop immediate
  rm -rf "$PGDATA"
  if [ "$FAILED" -eq 0 ]; then rm -rf "$WORK"; else echo "faults: logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$WORK" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDATA" --auth=trust -U postgres -E UTF8 --no-locale) \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; fail "initdb"; exit 1; }
pg_start || { cat "$WORK/postgresql.log" >&2; fail "PostgreSQL start"; exit 1; }

# Every server shares one signing secret, as the servers of one deployment do.
export MADOGUCHI_JWT_SECRET
MADOGUCHI_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export MADOGUCHI_LOG=info LANG=C.UTF-8
unset MADOGUCHI_ENV MADOGUCHI_DATABASE_URL LC_ALL LC_MESSAGES MADOGUCHI_METRICS_BIND

now_ms() { date +%s%3N; }

# database NAME — a fresh database in the private cluster for one scenario; sets DB_URL.
database() {
  psql "$ADMIN_URL" -qc "CREATE DATABASE $1" >/dev/null || { fail "CREATE DATABASE $1"; return 1; }
  DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/$1"
}

# provision DIR — a tenant, a roster of three and their postcards through the CLI, as run.sh
# does; sets TEMP_ID/TEMP_PW, TEMP_ID2/TEMP_PW2, TEMP_ID3/TEMP_PW3.
provision() {
  mkdir -p "$1"
  (
    cd "$1" || exit 1
    export MADOGUCHI_DATABASE_URL=$DB_URL
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null
    printf '%s\n' 'member_code,family_name,given_name,birth_date' \
      '1234-5678-00,髙橋,一郎,19790822' '1234-5679-00,山﨑,花子,19850315' \
      '1234-5680-00,佐藤,三郎,19900101' >roster.csv
    "$BIN" members import --tenant 06130090 roster.csv >/dev/null
    "$BIN" credentials issue --tenant 06130090 --out postcards.csv >/dev/null
  ) || { fail "provisioning through the CLI"; return 1; }
  read -r TEMP_ID TEMP_PW < <(sed -n 2p "$1/postcards.csv" | awk -F, '{print $9, $10}')
  read -r TEMP_ID2 TEMP_PW2 < <(sed -n 3p "$1/postcards.csv" | awk -F, '{print $9, $10}')
  read -r TEMP_ID3 TEMP_PW3 < <(sed -n 4p "$1/postcards.csv" | awk -F, '{print $9, $10}')
}

# serve NAME PORT [PUBLIC_URL] — starts `madoguchi serve` on $DB_URL in $WORK/NAME, its log
# in $WORK/NAME.log, in English (the checks look for its wording); sets SERVED_PID (also remembered for the cleanup). The servers of one
# deployment share the public URL (the tokens' issuer) behind their load balancer.
serve() {
  mkdir -p "$WORK/$1"
  : >"$WORK/$1.log"
  (cd "$WORK/$1" && MADOGUCHI_DATABASE_URL=$DB_URL MADOGUCHI_BIND="127.0.0.1:$2" \
    MADOGUCHI_PUBLIC_URL="${3:-http://127.0.0.1:$2}" MADOGUCHI_MAIL="file://$WORK/$1/mail" \
    exec env LC_MESSAGES=en "$BIN" serve) >"$WORK/$1.log" 2>&1 &
  SERVED_PID=$!
  PIDS+=("$SERVED_PID")
}

# health_status BASE — /health's status and time: "503 0.001234".
health_status() {
  curl -s -o "$WORK/health.json" -m 10 -w '%{http_code} %{time_total}' "$1/api/v1/health"
}

# wait_healthy BASE SECONDS — polls /health until it says ok, for at most SECONDS.
wait_healthy() {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -s -m 2 "$1/api/v1/health")" = '{"status":"ok"}' ]; then return 0; fi
    sleep 0.2
  done
  return 1
}

# timed METHOD PATH [BODY] [curl args...] — like `api`, but prints "STATUS SECONDS".
timed() {
  local method=$1 path=$2 body=${3:-}
  shift 3 2>/dev/null || shift $#
  local args=(-s -m 15 -o "$OUT" -D "$HDR" -w '%{http_code} %{time_total}' -X "$method" "$BASE$path")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  curl "${args[@]}" "$@"
}

# under SECONDS LIMIT — true when SECONDS (a decimal) is below LIMIT.
under() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"; }

# unavailable NAME STATUS SECONDS — the documented outage answer: 503 problem+json with code
# `unavailable` and a Retry-After, within 5 s.
unavailable() {
  echo "faults: $1 answered $2 in $3 s" >&2
  check "$1: 503" 503 "$2"
  check "$1: code unavailable" unavailable "$(json "$OUT" .code)"
  contains "$1: problem+json" application/problem+json "$(header content-type)"
  if [[ "$(header retry-after)" =~ ^[1-9][0-9]*$ ]]; then pass; else fail "$1: Retry-After '$(header retry-after)'"; fi
  if under "$3" 5; then pass; else fail "$1: answered after $3 s (the promise: within 5 s)"; fi
}

# ---------------------------------------------------------------------------------------------
# 1. Two servers on one PostgreSQL share tokens and lockouts.
database s1 && provision "$WORK/s1" && {
  PORT_A=$(free_port) PORT_B=$(free_port)
  A="http://127.0.0.1:$PORT_A" B="http://127.0.0.1:$PORT_B"
  serve s1a "$PORT_A" "$A"
  PID_A=$SERVED_PID
  serve s1b "$PORT_B" "$A"
  PID_B=$SERVED_PID
  if wait_healthy "$A" 30 && wait_healthy "$B" 30; then
    pass
    BASE=$A
    status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID\",\"password\":\"$TEMP_PW\"}")
    check "two servers: postcard login on A" 200 "$status"
    SHARED=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
    BASE=$B
    status=$(api GET /api/v1/session "" "${SHARED[@]}")
    check "two servers: A's token works on B" 200 "$status"
    check "two servers: B sees A's session step" verify_identity "$(json "$OUT" .next_step)"
    # The onboarding goes on across them: the identity check on B, the credentials on A.
    api GET /api/v1/onboarding/terms "" "${SHARED[@]}" >/dev/null
    status=$(api POST /api/v1/onboarding/identity "{\"insurer_number\":\"06130090\",\"birth_date\":\"19790822\",\"agree_to_terms\":true,\"terms_version\":\"$(json "$OUT" .version)\"}" "${SHARED[@]}")
    check "two servers: identity check on B" 200 "$status"
    SHARED=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
    BASE=$A
    status=$(api POST /api/v1/onboarding/credentials '{"user_id":"Takahashi01","password":"Sakura2026x","password_confirmation":"Sakura2026x","email":"ichiro@example.jp","notify_on_update":false}' "${SHARED[@]}")
    check "two servers: registered on A" 201 "$status"
    SHARED=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
    # Five wrong passwords, alternately on A and B, lock the account on both.
    for i in 1 2 3 4 5; do
      if [ $((i % 2)) -eq 1 ]; then BASE=$A; else BASE=$B; fi
      status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID2\",\"password\":\"Wrong${i}2345\"}")
      check "two servers: wrong password $i" 401 "$status"
    done
    for BASE in "$B" "$A"; do
      server=$([ "$BASE" = "$A" ] && echo A || echo B)
      status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID2\",\"password\":\"$TEMP_PW2\"}")
      check "two servers: 6th attempt on $server, right password" 423 "$status"
      check "two servers: account_locked on $server" account_locked "$(json "$OUT" .code)"
      if [[ "$(header retry-after)" =~ ^[1-9][0-9]*$ ]]; then pass; else fail "two servers: Retry-After on $server"; fi
    done
    # A logout on B revokes the session on A.
    BASE=$B
    status=$(api GET /api/v1/me "" "${SHARED[@]}")
    check "two servers: the member's token from A on B" 200 "$status"
    status=$(api POST /api/v1/auth/logout "" "${SHARED[@]}")
    check "two servers: logout on B" 204 "$status"
    BASE=$A
    status=$(api GET /api/v1/me "" "${SHARED[@]}")
    check "two servers: revoked on A" 401 "$status"
    check "two servers: session_revoked" session_revoked "$(json "$OUT" .code)"
  else
    fail "two servers: both start and say ok"; cat "$WORK/s1a.log" "$WORK/s1b.log" >&2
  fi
  kill "$PID_A" "$PID_B" 2>/dev/null
  wait "$PID_A" "$PID_B" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# 2. PostgreSQL stopped under load, then started again.
DOWN_LINE="the database does not answer: requests get 503 until it returns"
UP_LINE="the database answers again"

# load NAME KIND — requests one after another until killed, one line each in $WORK/NAME:
# "epoch_ms route status seconds".
load() {
  local name=$1 kind=$2 route line
  while :; do
    case $kind in
      reads)
        for route in me maintenance; do
          line=$(curl -s -o /dev/null -m 15 -w '%{http_code} %{time_total}' \
            -H "Authorization: Bearer $MEMBER_TOKEN" "$BASE/api/v1/$route")
          echo "$(now_ms) $route $line" >>"$WORK/$name"
        done
        ;;
      logins)
        line=$(curl -s -o /dev/null -m 15 -w '%{http_code} %{time_total}' \
          -H 'Content-Type: application/json' --data-binary "$LOGIN" "$BASE/api/v1/auth/login")
        echo "$(now_ms) login $line" >>"$WORK/$name"
        ;;
    esac
    sleep 0.05
  done
}

database s2 && provision "$WORK/s2" && {
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  serve s2 "$PORT"
  PID_S2=$SERVED_PID
  if wait_healthy "$BASE" 30; then
    # A registered member, for GET /me.
    api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID\",\"password\":\"$TEMP_PW\"}" >/dev/null
    AUTH=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
    api GET /api/v1/onboarding/terms "" "${AUTH[@]}" >/dev/null
    VERSION=$(json "$OUT" .version)
    api POST /api/v1/onboarding/identity "{\"insurer_number\":\"06130090\",\"birth_date\":\"19790822\",\"agree_to_terms\":true,\"terms_version\":\"$VERSION\"}" "${AUTH[@]}" >/dev/null
    AUTH=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
    status=$(api POST /api/v1/onboarding/credentials '{"user_id":"Takahashi01","password":"Sakura2026x","password_confirmation":"Sakura2026x","email":"ichiro@example.jp","notify_on_update":false}' "${AUTH[@]}")
    check "outage: a registered member" 201 "$status"
    MEMBER_TOKEN=$(json "$OUT" .access_token)
    MEMBER=(-H "Authorization: Bearer $MEMBER_TOKEN")
    LOGIN='{"login_id":"Takahashi01","password":"Sakura2026x"}'

    load reads.log reads &
    READS_PID=$!
    PIDS+=("$READS_PID")
    load logins.log logins &
    LOGINS_PID=$!
    PIDS+=("$LOGINS_PID")
    # The load runs and is served before the fault.
    deadline=$((SECONDS + 15))
    until [ "$(cat "$WORK/logins.log" 2>/dev/null | grep -c ' 200 ')" -ge 2 ] \
      && [ "$(cat "$WORK/reads.log" 2>/dev/null | grep -c ' 200 ')" -ge 4 ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
    check "outage: the load is served before the fault" 0 "$(cat "$WORK/reads.log" "$WORK/logins.log" 2>/dev/null | awk '$3 != 200' | wc -l)"
    if [ -s "$WORK/reads.log" ] && [ -s "$WORK/logins.log" ]; then pass; else fail "outage: the load runs before the fault"; fi

    pg_stop fast || fail "outage: pg_ctl stop"
    DOWN_AT=$(now_ms)
    # /health answers from the probe, which asks every second: poll until it has noticed.
    slowest=0 health=""
    while :; do
      read -r health took < <(health_status "$BASE")
      under "$took" "$slowest" || slowest=$took
      [ "$health" = 503 ] && break
      [ $(($(now_ms) - DOWN_AT)) -ge 5000 ] && break
      sleep 0.1
    done
    check "outage: /health says 503 within 5 s" 503 "$health"
    check "outage: /health body" '{"status":"unavailable"}' "$(cat "$WORK/health.json")"
    if under "$slowest" 2; then pass; else fail "outage: /health took $slowest s (the promise: at once)"; fi
    echo "faults: /health during the outage, slowest answer ${slowest}s, 503 after $(($(now_ms) - DOWN_AT)) ms" >&2
    # Liveness is not readiness: the process serves, and needs no restart.
    check "outage: /health/live says 200" 200 "$(curl -s -o "$WORK/live.json" -m 5 -w '%{http_code}' "$BASE/api/v1/health/live")"
    check "outage: /health/live body" '{"status":"ok"}' "$(cat "$WORK/live.json")"
    read -r status took < <(timed GET /api/v1/me "" "${MEMBER[@]}")
    unavailable "outage: GET /me" "$status" "$took"
    read -r status took < <(timed POST /api/v1/auth/login "$LOGIN")
    unavailable "outage: login" "$status" "$took"
    # A burst of ten, as a load balancer retrying: every one answered 503 at once.
    for i in $(seq 1 10); do
      curl -s -o /dev/null -m 15 -w '%{http_code} %{time_total}\n' "${MEMBER[@]}" "$BASE/api/v1/me" &
    done >"$WORK/burst.log"
    wait_for=$((SECONDS + 20))
    while [ "$(wc -l <"$WORK/burst.log")" -lt 10 ] && [ "$SECONDS" -lt "$wait_for" ]; do sleep 0.1; done
    check "outage: a burst of ten, all 503" 10 "$(grep -c '^503 ' "$WORK/burst.log")"
    check "outage: a burst of ten, none slower than 5 s" 0 "$(awk '$2 >= 5' "$WORK/burst.log" | wc -l)"
    # Let the outage last a few fail-fast windows under the load.
    while [ $(($(now_ms) - DOWN_AT)) -lt 6000 ]; do sleep 0.2; done
    status=$(api GET /api/v1/me "" "${MEMBER[@]}")
    check "outage: still 503 after 6 s" 503 "$status"

    pg_start || fail "outage: PostgreSQL start again"
    UP_AT=$(now_ms)
    if wait_healthy "$BASE" 30; then pass; else fail "outage: /health says ok again within 30 s"; fi
    echo "faults: /health ok $(($(now_ms) - UP_AT)) ms after PostgreSQL started again" >&2
    status=$(api POST /api/v1/auth/login "$LOGIN")
    check "outage over: login" 200 "$status"
    status=$(api GET /api/v1/me "" -H "Authorization: Bearer $(json "$OUT" .access_token)")
    check "outage over: GET /me with the new token" 200 "$status"
    status=$(api GET /api/v1/me "" "${MEMBER[@]}")
    check "outage over: GET /me with the token from before" 200 "$status"
    if kill -0 "$PID_S2" 2>/dev/null; then pass; else fail "outage over: the same server process (pid $PID_S2) serves"; fi
    # The load, once more served.
    seen=$(wc -l <"$WORK/logins.log")
    deadline=$((SECONDS + 15))
    while [ "$(tail -n +"$((seen + 1))" "$WORK/logins.log" | grep -c ' 200 ')" -lt 2 ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill "$READS_PID" "$LOGINS_PID" 2>/dev/null
    wait "$READS_PID" "$LOGINS_PID" 2>/dev/null
    check "outage over: the load is served again" 200 "$(tail -n 1 "$WORK/logins.log" | awk '{print $3}')"

    # Everything the load saw: 200 or 503, never a 500, never an answer after 5 s.
    cat "$WORK/reads.log" "$WORK/logins.log" | sort -n >"$WORK/load.log"
    echo "faults: the load saw $(awk '{print $2, $3}' "$WORK/load.log" | sort | uniq -c | tr -s ' \n' ' ')" >&2
    check "outage: the load never got a 500" 0 "$(awk '$3 == 500' "$WORK/load.log" | wc -l)"
    others=$(awk '$3 != 200 && $3 != 503' "$WORK/load.log")
    check "outage: the load got only 200 or 503" "" "$others"
    if [ "$(awk -v t="$DOWN_AT" '$1 > t && $3 == 503' "$WORK/load.log" | wc -l)" -gt 0 ]; then pass; else fail "outage: the load saw the outage (a 503)"; fi
    check "outage: no request of the load took 5 s or more" "" "$(awk '$4 >= 5' "$WORK/load.log")"
    echo "faults: slowest request of the load $(sort -k4 -g "$WORK/load.log" | tail -n 1 | awk '{print $4 "s (" $2 " " $3 ")"}')" >&2
    # One log line when the database went, one when it returned.
    check "outage: one log line when the database went" 1 "$(grep -cF "$DOWN_LINE" "$WORK/s2.log")"
    check "outage: one log line when it returned" 1 "$(grep -cF "$UP_LINE" "$WORK/s2.log")"
    echo "faults: the server log holds $(grep -c ' ERROR ' "$WORK/s2.log") ERROR lines, $(grep ' ERROR ' "$WORK/s2.log" | grep -c 'r2d2:') of them the pool's own" >&2
    check "outage: no log line of an internal error" 0 "$(grep -ci 'internal_error\|panicked' "$WORK/s2.log")"
  else
    fail "outage: the server starts and says ok"; cat "$WORK/s2.log" >&2
  fi
  kill "$PID_S2" 2>/dev/null
  wait "$PID_S2" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# 3. `serve` started while PostgreSQL is down keeps trying, and serves once it is up.
RETRY_LINE="the database does not answer; trying again in"
database s3 && provision "$WORK/s3" && {
  pg_stop fast || fail "start while down: pg_ctl stop"
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  serve s3 "$PORT"
  PID_S3=$SERVED_PID
  # One line per try, every 2 s: wait for the second one.
  deadline=$((SECONDS + 10))
  while [ "$(grep -cF "$RETRY_LINE" "$WORK/s3.log")" -lt 2 ] && [ "$SECONDS" -lt "$deadline" ] && kill -0 "$PID_S3" 2>/dev/null; do sleep 0.2; done
  if kill -0 "$PID_S3" 2>/dev/null; then pass; else fail "start while down: serve still runs"; cat "$WORK/s3.log" >&2; fi
  tries=$(grep -cF "$RETRY_LINE" "$WORK/s3.log")
  if [ "$tries" -ge 2 ]; then pass; else fail "start while down: the log says it keeps trying ($tries lines): $(head -c 400 "$WORK/s3.log")"; fi
  pg_start || fail "start while down: PostgreSQL start"
  UP_AT=$(now_ms)
  if wait_healthy "$BASE" 30; then pass; else fail "start while down: /health says ok within 30 s of PostgreSQL's start"; cat "$WORK/s3.log" >&2; fi
  echo "faults: serve said ok $(($(now_ms) - UP_AT)) ms after PostgreSQL started ($tries tries logged before)" >&2
  status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID\",\"password\":\"$TEMP_PW\"}")
  check "start while down: postcard login once up" 200 "$status"
  if kill -0 "$PID_S3" 2>/dev/null; then pass; else fail "start while down: the same process serves"; fi
  kill "$PID_S3" 2>/dev/null
  wait "$PID_S3" 2>/dev/null
}

echo "faults black-box: $PASSED passed, $FAILED failed ($((SECONDS - STARTED)) s)"
[ "$FAILED" -eq 0 ]
