#!/usr/bin/env bash
# Black-box tests of the API: the real `madoguchi` binary on a free port with a fresh
# database, provisioned through the operator CLI, driven over HTTP with curl — on SQLite, and
# on PostgreSQL when MADOGUCHI_TEST_POSTGRES_URL is set. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source ./lib.sh

if [ ! -x "$BIN" ]; then
  echo "no binary at $BIN: build it first (cargo build --bin madoguchi)" >&2
  exit 1
fi

# A real SMTP server for the e-mail scenario.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check -r requirements.txt >&2 || exit 1
fi

backends=(sqlite)
[ -n "${MADOGUCHI_TEST_POSTGRES_URL:-}" ] && backends+=(postgres)

for BACKEND in "${backends[@]}"; do
  WORK=$(mktemp -d)
  OUT="$WORK/body.json"
  HDR="$WORK/headers.txt"
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  export MADOGUCHI_DATABASE_URL
  MADOGUCHI_DATABASE_URL=$(fresh_database)
  export MADOGUCHI_MAIL="file://$WORK/mail" MADOGUCHI_PUBLIC_URL="$BASE" MADOGUCHI_LOG=info LANG=ja_JP.UTF-8
  unset MADOGUCHI_ENV MADOGUCHI_JWT_SECRET LC_ALL
  (
    cd "$WORK" || exit 1
    "$BIN" tenant add --insurer-number 06130090 --name 日本電気健康保険組合 >/dev/null
    printf '%s\n' 'member_code,family_name,given_name,birth_date' \
      '1234-5678-00,髙橋,一郎,19790822' '1234-5679-00,山﨑,花子,19850315' \
      '1234-5680-00,佐藤,三郎,19900101' >roster.csv
    "$BIN" members import --tenant 06130090 roster.csv >/dev/null
    "$BIN" credentials issue --tenant 06130090 --out postcards.csv >/dev/null
  ) || { fail "provisioning through the CLI"; continue; }
  # The postcard CSV: roster columns, then temp_login_id,temp_password,expires_on.
  read -r TEMP_ID TEMP_PW < <(sed -n 2p "$WORK/postcards.csv" | awk -F, '{print $9, $10}')
  read -r TEMP_ID2 TEMP_PW2 < <(sed -n 3p "$WORK/postcards.csv" | awk -F, '{print $9, $10}')
  read -r TEMP_ID3 TEMP_PW3 < <(sed -n 4p "$WORK/postcards.csv" | awk -F, '{print $9, $10}')
  start_server || { fail "server start"; drop_database; continue; }
  source ./flow.sh
  source ./errors.sh
  stop_server
  # No password, temporary password or token ever reaches the log.
  for secret in "$TEMP_PW" "$TEMP_PW2" Sakura2026x "${TOKEN:0:40}"; do
    if grep -qF -- "$secret" "$WORK/server.log"; then fail "a secret in the server log"; else pass; fi
  done
  contains "every request line carries a request ID" "request_id" "$(cat "$WORK/server.log")"
  source ./smtp.sh
  drop_database
  [ "$FAILED" -eq 0 ] && rm -rf "$WORK"
done

echo "api black-box: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
