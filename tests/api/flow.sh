# The seed's first-time flow, screen by screen, over HTTP (sourced by run.sh).
# shellcheck shell=bash

# 1. Login with the postcard (full-width digits, as members type them).
WIDE_ID=$(python3 -c "import sys; print(''.join(chr(ord(c)+0xFEE0) for c in sys.argv[1]))" "$TEMP_ID")
status=$(api POST /api/v1/auth/login "{\"login_id\":\"$WIDE_ID\",\"password\":\"$TEMP_PW\"}")
check "postcard login" 200 "$status"
check "login leads to the identity check" verify_identity "$(json "$OUT" .next_step)"
check "tenant name" 日本電気健康保険組合 "$(json "$OUT" .tenant_name)"
TOKEN=$(json "$OUT" .access_token)
contains "session cookie" "HttpOnly" "$(header set-cookie)"
contains "cookie is SameSite=Strict" "SameSite=Strict" "$(header set-cookie)"
check "no referrer" no-referrer "$(header referrer-policy)"
AUTH=(-H "Authorization: Bearer $TOKEN")

# 2. The terms and the identity check.
status=$(api GET /api/v1/onboarding/terms "" "${AUTH[@]}")
check "terms" 200 "$status"
VERSION=$(json "$OUT" .version)
status=$(api POST /api/v1/onboarding/identity '{"insurer_number":"1234-5678","birth_date":"19790231","agree_to_terms":false,"terms_version":"x"}' "${AUTH[@]}")
check "identity shape errors" 422 "$status"
check "card symbol hint" insurer_number_is_card_symbol "$(json "$OUT" '.errors[0].code')"
check "impossible date" birth_date_invalid "$(json "$OUT" '.errors[1].code')"
check "terms not agreed" terms_not_agreed "$(json "$OUT" '.errors[2].code')"
contains "Japanese message" "記号・番号ではありません" "$(json "$OUT" '.errors[0].message')"
status=$(api POST /api/v1/onboarding/identity "{\"insurer_number\":\"06130090\",\"birth_date\":\"19800101\",\"agree_to_terms\":true,\"terms_version\":\"$VERSION\"}" "${AUTH[@]}")
check "wrong birth date" 401 "$status"
check "identity mismatch" identity_mismatch "$(json "$OUT" .code)"
status=$(api POST /api/v1/onboarding/credentials/check '{}' "${AUTH[@]}")
check "registration before the identity check" 409 "$status"
check "wrong step names the step" verify_identity "$(json "$OUT" .next_step)"
status=$(api POST /api/v1/onboarding/identity "{\"insurer_number\":\"０６１３００９０\",\"birth_date\":\"19790822\",\"agree_to_terms\":true,\"terms_version\":\"$VERSION\"}" "${AUTH[@]}")
check "identity confirmed" 200 "$status"
check "next: credentials" register_credentials "$(json "$OUT" .next_step)"
AUTH=(-H "Authorization: Bearer $(json "$OUT" .access_token)")

# 3. Personal information, confirmation, registration.
status=$(api POST /api/v1/onboarding/credentials/check "{\"user_id\":\"$TEMP_ID\",\"password\":\"abcdefgh\",\"password_confirmation\":\"abcdefgx\",\"email\":\"ichiro@\"}" "${AUTH[@]}")
check "credential errors" 422 "$status"
contains "the postcard's ID is not a user ID" user_id_equals_temporary "$(json "$OUT" .errors)"
contains "letters and digits" password_needs_letter_and_digit "$(json "$OUT" .errors)"
contains "confirmation" password_confirmation_mismatch "$(json "$OUT" .errors)"
contains "e-mail" email_invalid "$(json "$OUT" .errors)"
CREDS='{"user_id":"Takahashi01","password":"Sakura2026x","password_confirmation":"Sakura2026x","email":"ichiro@Example.JP","notify_on_update":true}'
status=$(api POST /api/v1/onboarding/credentials/check "$CREDS" "${AUTH[@]}")
check "check passes" 200 "$status"
check "domain lower-cased" ichiro@example.jp "$(json "$OUT" .email)"
status=$(api POST /api/v1/onboarding/credentials "$CREDS" "${AUTH[@]}")
check "registered" 201 "$status"
check "next: menu" menu "$(json "$OUT" .next_step)"
check "user ID" Takahashi01 "$(json "$OUT" .user_id)"
MEMBER=(-H "Authorization: Bearer $(json "$OUT" .access_token)")
status=$(api POST /api/v1/onboarding/credentials "$CREDS" "${AUTH[@]}")
check "a second commit" 409 "$status"
check "already registered" already_registered "$(json "$OUT" .code)"
MAIL_FILE=$(ls "$WORK"/mail/*.eml 2>/dev/null | head -n 1)
for _ in $(seq 1 50); do [ -n "$MAIL_FILE" ] && break; sleep 0.1; MAIL_FILE=$(ls "$WORK"/mail/*.eml 2>/dev/null | head -n 1); done
if [ -n "$MAIL_FILE" ]; then pass; else fail "confirmation e-mail written to the mail folder"; fi
MAIL=$(mail_text "$MAIL_FILE" 2>/dev/null)
contains "confirmation e-mail to the registered address" "To: ichiro@example.jp" "$MAIL"
contains "confirmation e-mail names the kenpo" "日本電気健康保険組合" "$MAIL"
contains "verification link" "$BASE/verify-email?token=" "$MAIL"

# 4. The menu, a new login with the chosen ID (case and width do not matter), logout.
status=$(api GET /api/v1/me "" "${MEMBER[@]}")
check "me" 200 "$status"
check "me: tenant" 06130090 "$(json "$OUT" .tenant.insurer_number)"
check "me: unverified e-mail" false "$(json "$OUT" .email_verified)"
status=$(api POST /api/v1/auth/login '{"login_id":"ＴＡＫＡＨＡＳＨＩ０１","password":"Sakura2026x"}')
check "login with the own user ID" 200 "$status"
check "member login leads to the menu" menu "$(json "$OUT" .next_step)"
status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID\",\"password\":\"$TEMP_PW\"}")
check "the postcard is retired" 401 "$status"
check "retired postcard looks like any wrong login" invalid_credentials "$(json "$OUT" .code)"
status=$(api POST /api/v1/auth/logout "" "${MEMBER[@]}")
check "logout" 204 "$status"
status=$(api GET /api/v1/me "" "${MEMBER[@]}")
check "logged-out token" 401 "$status"
check "revoked" session_revoked "$(json "$OUT" .code)"
