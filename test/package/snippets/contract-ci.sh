set -eu
# Serve the mock on a free port; --json prints one line: {"baseUrl","username","token"}.
# (The bin itself, not `npx`, runs in the background: killing npx would leave the server running.)
node_modules/.bin/tokens-mock --port 0 --json > mock.json &
mock_pid=$!
trap 'kill "$mock_pid"' EXIT
while [ ! -s mock.json ]; do kill -0 "$mock_pid"; sleep 0.2; done
read_field() { node -p "JSON.parse(require('fs').readFileSync('mock.json', 'utf8')).$1"; }

# Check a server against the documented behaviour and error table: exit 0 when it conforms.
npx contract-test --base-url "$(read_field baseUrl)" --username "$(read_field username)" --token "$(read_field token)"
