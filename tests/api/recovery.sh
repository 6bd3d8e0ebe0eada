# Recovery by e-mail alone, through the real SMTP server (sourced by smtp.sh while the server
# and aiosmtpd run): verify the address, forget the user ID, forget the password.
# shellcheck shell=bash

# next_mail N — waits until the maildir holds N messages and prints the newest one's path.
next_mail() {
  local n=$1 file=""
  for _ in $(seq 1 100); do
    if [ "$(ls "$MAILDIR"/new | wc -l)" -ge "$n" ]; then
      file=$(ls -t "$MAILDIR"/new/* | head -n 1)
      break
    fi
    sleep 0.1
  done
  echo "$file"
}

# 1. The confirmation link verifies the address once.
LINK_TOKEN=$(printf '%s\n' "$MAIL" | grep -o 'token=[A-Za-z0-9._-]*' | head -n 1 | cut -d= -f2)
status=$(api POST /api/v1/email/verify "{\"token\":\"$LINK_TOKEN\"}")
check "verify: the link works" 200 "$status"
status=$(api POST /api/v1/email/verify "{\"token\":\"$LINK_TOKEN\"}")
check "verify: opened again" 200 "$status"
check "verify: opened again says it was confirmed before" true "$(json "$OUT" .already_verified)"
status=$(api POST /api/v1/auth/login '{"login_id":"sato1990","password":"Momiji2026z"}')
OLD_MEMBER=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
api GET /api/v1/me "" "${OLD_MEMBER[@]}" >/dev/null
check "verify: me shows the address verified" true "$(json "$OUT" .email_verified)"
# That sign-in, the first since the address was verified, mails a login notice (DESIGN §9).
NOTICE=$(next_mail 2)
contains "login notice: mailed" "ログインのお知らせ" "$(mail_text "$NOTICE" 2>/dev/null)"
status=$(api PUT /api/v1/me/notifications '{"notify_on_login":false}' "${OLD_MEMBER[@]}")
check "login notice: turned off" false "$(json "$OUT" .notify_on_login)"

# 2. Forgot the user ID: the e-mail carries it; an unknown address gets the same answer.
status=$(api POST /api/v1/recovery/user-id '{"email":"saburo@example.jp","birth_date":"１９９００１０１"}')
check "forgot ID: accepted" 202 "$status"
KNOWN_BODY=$(cat "$OUT")
status=$(api POST /api/v1/recovery/user-id '{"email":"nobody@example.jp","birth_date":"19900101"}')
check "forgot ID: unknown address, same status" 202 "$status"
check "forgot ID: unknown address, same body" "$KNOWN_BODY" "$(cat "$OUT")"
status=$(api POST /api/v1/recovery/user-id '{"email":"saburo@","birth_date":"19900231"}')
check "forgot ID: malformed input is named" 422 "$status"
REMINDER=$(next_mail 3)
TEXT=$(mail_text "$REMINDER" 2>/dev/null)
contains "forgot ID: mailed to the member" "To: saburo@example.jp" "$TEXT"
contains "forgot ID: the user ID" "ユーザID: Sato1990" "$TEXT"
sleep 1.5
check "forgot ID: nothing mailed for the unknown address" 3 "$(ls "$MAILDIR"/new | wc -l | tr -d ' ')"

# 3. Forgot the password: a temporary password by e-mail, then a new password.
status=$(api POST /api/v1/recovery/password '{"user_id":"ＳＡＴＯ１９９０","email":"Saburo@example.jp"}')
check "forgot password: accepted" 202 "$status"
status=$(api POST /api/v1/recovery/password '{"user_id":"Nobody123","email":"saburo@example.jp"}')
check "forgot password: unknown user ID, same answer" 202 "$status"
check "forgot password: same body" "$KNOWN_BODY" "$(cat "$OUT")"
REISSUE=$(next_mail 4)
TEXT=$(mail_text "$REISSUE" 2>/dev/null)
contains "forgot password: mailed" "仮パスワード:" "$TEXT"
TEMP=$(printf '%s\n' "$TEXT" | sed -n 's/^仮パスワード: \([A-Za-z0-9]*\).*/\1/p' | head -n 1)
check "forgot password: a 10-character temporary password" 10 "${#TEMP}"
sleep 1.5
check "forgot password: nothing mailed for the unknown user ID" 4 "$(ls "$MAILDIR"/new | wc -l | tr -d ' ')"

status=$(api POST /api/v1/auth/login '{"login_id":"sato1990","password":"Momiji2026z"}')
check "forgot password: the current password still works" menu "$(json "$OUT" .next_step)"
status=$(api POST /api/v1/auth/login "{\"login_id\":\"sato1990\",\"password\":\"$TEMP\"}")
check "forgot password: the temporary password signs in" 200 "$status"
check "forgot password: straight to the password change" change_password "$(json "$OUT" .next_step)"
CHANGE=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
status=$(api GET /api/v1/me "" "${CHANGE[@]}")
check "forgot password: the token opens nothing else" 403 "$status"
status=$(api POST /api/v1/account/password/change "{\"new_password\":\"$TEMP\",\"new_password_confirmation\":\"$TEMP\"}" "${CHANGE[@]}")
check "change: not the temporary password" password_equals_temporary "$(json "$OUT" '.errors[0].code')"
status=$(api POST /api/v1/account/password/change '{"new_password":"Kaede2027w","new_password_confirmation":"Kaede2027w"}' "${CHANGE[@]}")
check "change: done" 200 "$status"
check "change: a member token" menu "$(json "$OUT" .next_step)"
NEW_MEMBER=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
status=$(api GET /api/v1/me "" "${NEW_MEMBER[@]}")
check "change: the new token works" 200 "$status"
status=$(api GET /api/v1/me "" "${OLD_MEMBER[@]}")
check "change: older tokens are revoked" 401 "$status"
status=$(api POST /api/v1/auth/login "{\"login_id\":\"sato1990\",\"password\":\"$TEMP\"}")
check "change: the temporary password is retired" 401 "$status"
status=$(api POST /api/v1/auth/login '{"login_id":"sato1990","password":"Momiji2026z"}')
check "change: the old password is gone" 401 "$status"
status=$(api POST /api/v1/auth/login '{"login_id":"sato1990","password":"Kaede2027w"}')
check "change: the new password signs in" menu "$(json "$OUT" .next_step)"
NOTICE=$(next_mail 5)
contains "change: a notice e-mail" "パスワード変更" "$(mail_text "$NOTICE" 2>/dev/null)"
