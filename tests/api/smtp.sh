# E-mail through a real SMTP server (aiosmtpd) that is down when the member registers and
# comes up later: the outbox keeps the confirmation and the worker delivers it on a retry
# (sourced by run.sh, after the file-mail server has stopped).
# shellcheck shell=bash

SMTP_PORT=$(free_port)
MAILDIR="$WORK/maildir"
export MADOGUCHI_MAIL="smtp://127.0.0.1:$SMTP_PORT" MADOGUCHI_MAIL_FROM="窓口 <no-reply@madoguchi.test>"
start_server || fail "server start with SMTP"

# Register the third member while nothing listens on the SMTP port.
status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID3\",\"password\":\"$TEMP_PW3\"}")
check "smtp: postcard login" 200 "$status"
AUTH=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
api GET /api/v1/onboarding/terms "" "${AUTH[@]}" >/dev/null
VERSION=$(json "$OUT" .version)
status=$(api POST /api/v1/onboarding/identity "{\"insurer_number\":\"06130090\",\"birth_date\":\"19900101\",\"agree_to_terms\":true,\"terms_version\":\"$VERSION\"}" "${AUTH[@]}")
check "smtp: identity" 200 "$status"
AUTH=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
status=$(api POST /api/v1/onboarding/credentials '{"user_id":"Sato1990","password":"Momiji2026z","password_confirmation":"Momiji2026z","email":"saburo@example.jp","notify_on_update":false}' "${AUTH[@]}")
check "smtp: registration while the mail server is down" 201 "$status"

# The worker tries, fails and keeps the message.
for _ in $(seq 1 50); do grep -q "not delivered" "$WORK/server.log" && break; sleep 0.1; done
contains "smtp: a failed delivery is logged as a retry" "stays in the outbox" "$(cat "$WORK/server.log")"

python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" >"$WORK/smtpd.log" 2>&1 &
SMTPD_PID=$!
DELIVERED=""
for _ in $(seq 1 200); do
  DELIVERED=$(ls "$MAILDIR"/new/* 2>/dev/null | head -n 1)
  [ -n "$DELIVERED" ] && break
  sleep 0.1
done
if [ -n "$DELIVERED" ]; then pass; else fail "smtp: the confirmation arrives once the server is up"; fi
MAIL=$(mail_text "$DELIVERED" 2>/dev/null)
contains "smtp: to the member" "To: saburo@example.jp" "$MAIL"
contains "smtp: Japanese subject" "登録" "$MAIL"
contains "smtp: verification link" "$BASE/verify-email?token=" "$MAIL"
contains "smtp: sender" "no-reply@madoguchi.test" "$(cat "$DELIVERED")"
sleep 1
check "smtp: delivered once" 1 "$(ls "$MAILDIR"/new | wc -l | tr -d ' ')"
source ./recovery.sh
kill "$SMTPD_PID" 2>/dev/null; wait "$SMTPD_PID" 2>/dev/null
stop_server
export MADOGUCHI_MAIL="file://$WORK/mail"
unset MADOGUCHI_MAIL_FROM
