# Errors a client can meet, all as problem+json (sourced by run.sh).
# shellcheck shell=bash

status=$(api POST /api/v1/auth/login '{"login_id":"nobody-here","password":"Wrong1234"}')
check "unknown ID" 401 "$status"
UNKNOWN=$(cat "$OUT")
status=$(api POST /api/v1/auth/login "{\"login_id\":\"$TEMP_ID2\",\"password\":\"Wrong1234\"}")
check "wrong password" 401 "$status"
check "same answer for unknown IDs and wrong passwords" "$UNKNOWN" "$(cat "$OUT")"
contains "problem+json" "application/problem+json" "$(header content-type)"
status=$(api POST /api/v1/auth/login '{"login_id":"x","password":"y"}' -H 'Accept-Language: en')
check "English on request" "Sign-in failed" "$(json "$OUT" .title)"
status=$(api POST /api/v1/auth/login '{"login_id":' )
check "malformed JSON" 400 "$status"
check "malformed_body" malformed_body "$(json "$OUT" .code)"
status=$(curl -s -o "$OUT" -w '%{http_code}' -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: text/plain' --data 'login')
check "wrong content type" 415 "$status"
big=$(python3 -c 'print("{\"login_id\":\"" + "x"*20000 + "\",\"password\":\"y\"}")')
status=$(api POST /api/v1/auth/login "$big")
check "oversized body" 413 "$status"
status=$(api POST /api/v1/auth/login '{"login_id":"a","password":"b","admin":true}')
check "unknown field" 422 "$status"
check "unknown field named" admin "$(json "$OUT" '.errors[0].field')"
status=$(api GET /api/v1/nothing-here "")
check "unknown path" 404 "$status"
contains "404 is a problem too" "application/problem+json" "$(header content-type)"
# Answers the HTTP layer makes before any route sees the request are problem+json too.
many_headers=()
for i in $(seq 1 120); do many_headers+=(-H "X-Probe-$i: 1"); done
status=$(api GET /api/v1/health "" "${many_headers[@]}")
check "120 headers" 431 "$status"
contains "431 is a problem too" "application/problem+json" "$(header content-type)"
check "headers_too_large" headers_too_large "$(json "$OUT" .code)"
raw=$(python3 - "$BASE" <<'PY'
import socket, sys
host, port = sys.argv[1].removeprefix("http://").split(":")
with socket.create_connection((host, int(port)), timeout=10) as s:
    s.sendall(b"NOT A REQUEST\r\n\r\n")
    data = b""
    while chunk := s.recv(4096):
        data += chunk
print(data.decode("utf-8", "replace"))
PY
)
contains "an unparsable request" "400 Bad Request" "$raw"
contains "400 is a problem too" '"code":"malformed_request"' "$raw"
# The member screens go compressed to a browser that accepts it; the API's answers never do.
status=$(api GET /login "" -H 'Accept-Encoding: gzip, deflate, br')
check "the login screen" 200 "$status"
check "the login screen compressed" gzip "$(header content-encoding)"
contains "varies by encoding" "Accept-Encoding" "$(header vary)"
contains "it unpacks to the page" "<html" "$(python3 -c 'import gzip,sys; print(gzip.open(sys.argv[1]).read().decode())' "$OUT")"
script=$(grep -o '/assets/[^"]*\.js' ../../frontend/dist/index.html | head -n 1)
status=$(api GET "$script" "" -H 'Accept-Encoding: gzip')
check "the screens' script compressed" gzip "$(header content-encoding)"
status=$(api GET /login "")
check "uncompressed without Accept-Encoding" "" "$(header content-encoding)"
status=$(api GET /api/v1/health "" -H 'Accept-Encoding: gzip')
check "API answers are not compressed" "" "$(header content-encoding)"
status=$(api GET /api/docs/ "")
contains "API documents may not be framed" "frame-ancestors 'none'" "$(header content-security-policy)"
status=$(api GET /api/v1/me "")
check "no token" 401 "$status"
check "unauthenticated" unauthenticated "$(json "$OUT" .code)"

# Maintenance: an operator's ad-hoc window closes the API within seconds; health stays open.
WINDOW_ID=$(cd "$WORK" && "$BIN" maintenance add --starts-at "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M+00:00)" \
  --ends-at "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M+00:00)" --reason test | cut -f1)
status=""
for _ in $(seq 1 70); do
  status=$(api POST /api/v1/auth/login '{"login_id":"a","password":"b"}')
  [ "$status" = 503 ] && break
  sleep 0.1
done
check "closed for maintenance" 503 "$status"
check "maintenance code" maintenance "$(json "$OUT" .code)"
retry=$(header retry-after)
if [ -n "$retry" ] && [ "$retry" -gt 0 ]; then pass; else fail "Retry-After: '$retry'"; fi
check "health answers during maintenance" 200 "$(api GET /api/v1/health "")"
check "maintenance status answers" 200 "$(api GET /api/v1/maintenance "")"
check "maintenance is active" true "$(json "$OUT" .active)"
check "the API document stays served" 200 "$(api GET /api/openapi.json "")"
(cd "$WORK" && "$BIN" maintenance remove "$WINDOW_ID" >/dev/null)
for _ in $(seq 1 70); do
  status=$(api GET /api/v1/terms "")
  [ "$status" = 200 ] && break
  sleep 0.1
done
check "open again after the window is removed" 200 "$status"
