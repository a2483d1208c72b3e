set -eu
# Against a running `npx tokens-mock` (the control surface is on when it listens on loopback).
base=${TOKENS_MOCK_URL:-http://127.0.0.1:4010}
json='Content-Type: application/json'

# Each CI job takes its own account: its tokens, journal entries and rate-limit window are its own.
account=$(curl -fsS -X POST "$base/__admin/accounts" -H "$json" -d '{"username":"ci-job-1"}')
token=$(printf '%s' "$account" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).secretToken')

# The code under test talks to the mock...
curl -fsS -X POST "$base/tokens/v2/ci-job-1?access_token=$token" -H "$json" -d '{"scopes":["styles:read"]}' > /dev/null

# ...and the journal says what it did: exactly one token created by this job.
curl -fsS "$base/__admin/requests?account=ci-job-1&operation=createToken&status=200" | grep -q '"count":1'

# An hour later without waiting (temporary tokens expire, rate-limit windows roll); then start over.
curl -fsS -X POST "$base/__admin/clock" -H "$json" -d '{"advance":"1h"}'
curl -fsS -X POST "$base/__admin/reset"
