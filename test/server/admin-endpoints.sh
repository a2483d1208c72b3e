# Drives every endpoint of the control surface with curl, as a shell-based test suite would.
# Usage: TOKENS_MOCK_URL=http://127.0.0.1:4010 [ADMIN_TOKEN=…] bash test/server/admin-endpoints.sh
# Exits non-zero at the first answer that differs from the documented one.
set -eu
base=${TOKENS_MOCK_URL:?set TOKENS_MOCK_URL}
auth=()
if [ -n "${ADMIN_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer $ADMIN_TOKEN"); fi
json='Content-Type: application/json'
field() { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).$1"; }
expect_status() { # expect_status CODE METHOD PATH [BODY]
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X "$2" "${auth[@]}" -H "$json" ${4:+-d "$4"} "$base$3")
  if [ "$code" != "$1" ]; then echo "FAIL: $2 $3 answered $code, expected $1" >&2; exit 1; fi
  echo "ok $1 $2 $3"
}
admin() { curl -fsS "${auth[@]}" -H "$json" "$@"; }

[ "$(admin "$base/__admin/openapi.json" | field 'info.title')" = 'tokens-mock control surface' ]
echo 'ok openapi.json'

account=$(admin -X POST "$base/__admin/accounts" -d '{"username":"shell-job"}')
token=$(printf '%s' "$account" | field secretToken)
[ "$(printf '%s' "$account" | field username)" = shell-job ]
expect_status 409 POST /__admin/accounts '{"username":"shell-job"}'

admin "$base/__admin/clock" | field now > /dev/null
[ "$(admin -X POST "$base/__admin/clock" -d '{"advance":"90s"}' | field 'offsetMs >= 89000')" = true ]
expect_status 400 POST /__admin/clock '{"advance":"later"}'
echo 'ok clock'

state=$(admin "$base/__admin/state")
[ "$(printf '%s' "$state" | field format)" = 'mapbox-tokens-mock/state' ]
[ "$(printf '%s' "$state" | field version)" = 2 ]
expect_status 204 PUT /__admin/state "$state"
expect_status 400 PUT /__admin/state '{"format":"other"}'

[ "$(admin "$base/__admin/faults" | field 'available.length > 0')" = true ]
[ "$(admin -X PUT "$base/__admin/faults" -d '{"active":["create-answers-201"]}' | field 'active[0]')" = create-answers-201 ]
expect_status 201 POST "/tokens/v2/shell-job?access_token=$token" '{"scopes":["styles:read"]}'
[ "$(admin -X PUT "$base/__admin/faults" -d '{"active":[]}' | field 'active.length')" = 0 ]
expect_status 400 PUT /__admin/faults '{"active":["no-such-fault"]}'

[ "$(admin "$base/__admin/requests?account=shell-job&operation=createToken" | field count)" = 1 ]
[ "$(admin "$base/__admin/requests?account=shell-job" | field 'requests[0].query.access_token')" = 'sk.…' ]
expect_status 204 DELETE /__admin/requests
[ "$(admin "$base/__admin/requests" | field count)" = 0 ]

curl -fsS -o /dev/null "$base/tokens/v2/shell-job?access_token=$token&colour=blue"
admin "$base/__admin/violations" | field count > /dev/null
expect_status 204 DELETE /__admin/violations

expect_status 204 POST /__admin/reset
[ "$(admin "$base/__admin/state" | field 'accounts.map(a => a.username).join()')" = mockuser ]
echo 'every endpoint answered as documented'
