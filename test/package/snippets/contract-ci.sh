set -eu
# Serve the mock on a free port; --json prints one line: {"baseUrl","username","token"}.
# (The bin itself, not `npx`, runs in the background: killing npx would leave the server running.)
# A local mock needs no rate limit, so the suite need not pace itself to the real API's 100 a minute.
node_modules/.bin/tokens-mock --port 0 --json --rate-limit off > mock.json &
mock_pid=$!
trap 'kill "$mock_pid"' EXIT
while [ ! -s mock.json ]; do kill -0 "$mock_pid"; sleep 0.2; done
read_field() { node -p "JSON.parse(require('fs').readFileSync('mock.json', 'utf8')).$1"; }

# Check a server against the documented behaviour and error table: exit 0 when it conforms.
npx contract-test --base-url "$(read_field baseUrl)" --username "$(read_field username)" --token "$(read_field token)" \
  --requests-per-minute 6000
