# Shared by the benchmark scripts of `make bench` (sourced, not run).

# bench_install COMMAND:PACKAGE … — installs from the distribution the packages whose command
# is missing.
bench_install() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
  done
  [ "${#need[@]}" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench: please install ${need[*]}" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bench: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.1
  done
  echo "bench: nothing answers at $1" >&2
  return 1
}

# bench_onboard BASE POSTCARDS WORK — every postcard through the onboarding flow (login, terms,
# identity, credentials); writes WORK/accounts.txt (user ID and password per line) and
# WORK/member_token.txt (the first member's token).
bench_onboard() {
  python3 - "$@" <<'PY'
import csv, json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

base, postcards, work = sys.argv[1:4]

def call(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)

def onboard(n_row):
    n, row = n_row
    token = call("POST", "/api/v1/auth/login", {"login_id": row[8], "password": row[9]})["access_token"]
    version = call("GET", "/api/v1/onboarding/terms", token=token)["version"]
    token = call("POST", "/api/v1/onboarding/identity", {"insurer_number": "06130090",
        "birth_date": "19790822", "agree_to_terms": True, "terms_version": version},
        token=token)["access_token"]
    user_id, password = f"bench{n:04d}", f"Sakura{n:04d}x"
    member = call("POST", "/api/v1/onboarding/credentials", {"user_id": user_id,
        "password": password, "password_confirmation": password,
        "email": f"{user_id}@example.jp", "notify_on_update": False}, token=token)
    return user_id, password, member["access_token"]

with open(postcards, encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))[1:]
with ThreadPoolExecutor(8) as pool:
    done = list(pool.map(onboard, enumerate(rows, 1)))
with open(f"{work}/accounts.txt", "w") as f:
    f.writelines(f"{u} {p}\n" for u, p, _ in done)
with open(f"{work}/member_token.txt", "w") as f:
    f.write(done[0][2])
PY
}

# fresh_postgres NAME — a fresh database madoguchi_bench_NAME_<pid> on the server of
# $ADMIN_URL; prints its URL. It runs in a command substitution (a subshell), so what it makes
# is found again by name: drop_bench_databases drops it.
fresh_postgres() {
  local name="madoguchi_bench_$1_$$"
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  python3 - "$ADMIN_URL" "$name" <<'PY'
import sys, urllib.parse
url, name = sys.argv[1:3]
p = urllib.parse.urlsplit(url)
print(urllib.parse.urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment)))
PY
}

# drop_bench_databases — drops every database fresh_postgres made in this run.
drop_bench_databases() {
  [ -n "${ADMIN_URL:-}" ] || return 0
  local db
  for db in $(psql -qAt "$ADMIN_URL" -c \
    "SELECT datname FROM pg_database WHERE datname LIKE 'madoguchi\\_bench\\_%\\_$$'" 2>/dev/null); do
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  done
}
