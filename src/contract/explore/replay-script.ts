import { operationPath, type OperationId, type OperationPathParams } from '../../generated/api-tables.ts';
import type { ExecutedStep } from './lockstep.ts';

/** The account placeholder of a script path; the script writes `$USER_NAME` there. */
export const SCRIPT_USER = '{USER}';

/** An operation's path for the script: placeholders and shell variables stay as they are (percent-encoding would hide them). */
export function scriptPath<O extends OperationId>(operation: O, params: OperationPathParams[O]): string {
  return operationPath(operation, params, (value) => value);
}

/** The token a replayed request carries. */
export type ScriptToken =
  | { kind: 'master' }
  | { kind: 'created'; index: number; forged: boolean }
  | { kind: 'none' }
  | { kind: 'literal'; text: string };

/**
 * A request as the replay script sends it. Paths and bodies hold placeholders: `{USER}`,
 * `{ID:n}` (the id created at step n captured), `{EXPIRES_AFTER_MS:ms}` and
 * `{EXPIRES_AFTER_PARENT:n:s}` (times computed when the script runs).
 */
export interface ScriptRequest {
  method?: string;
  path?: string;
  query?: [string, string][];
  token?: ScriptToken;
  body?: { json: string } | { raw: string };
  /** Index of the created token whose id and token string this request's answer gives. */
  captures?: number;
  /** Follows the saved next-page link of listing n. */
  followsListing?: number;
  /** Saves this answer's Link rel="next" as listing n. */
  opensListing?: number;
  wait?: number;
}

const HEADER = `#!/usr/bin/env bash
# Replays a sequence found by \`contract-test --explore\` against any Tokens API server.
#   MAPBOX_BASE_URL (default https://api.mapbox.com), MAPBOX_USERNAME, MAPBOX_ACCESS_TOKEN (a secret
#   token with tokens:read, tokens:write, scopes:list) select the server. Needs bash, curl, sed and
#   GNU date. Tokens the script creates are deleted when it ends.
set -u
BASE="\${MAPBOX_BASE_URL:-https://api.mapbox.com}"
BASE="\${BASE%/}"
USER_NAME="\${MAPBOX_USERNAME:?set MAPBOX_USERNAME}"
TOKEN="\${MAPBOX_ACCESS_TOKEN:?set MAPBOX_ACCESS_TOKEN}"
work="$(mktemp -d)"
created_ids=""
cleanup() {
  for id in $created_ids; do
    curl -sS -o /dev/null -X DELETE "$BASE${scriptPath('deleteToken', { username: '$USER_NAME', token_id: '$id' })}?access_token=$TOKEN" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
# call METHOD URL [BODY]: prints "HTTP <status> <body>"; the answer stays in $work for field/link.
call() {
  local args=(-sS -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$1")
  if [ "$#" -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  status="$(curl "\${args[@]}" "$2")"
  echo "  HTTP $status $(cat "$work/body")"
}
field() { sed -n 's/.*"'"$1"'":"\\([^"]*\\)".*/\\1/p' "$work/body" | head -n 1; }
next_link() { tr -d '\\r' < "$work/headers" | sed -n 's/^[Ll]ink: *<\\([^>]*\\)>; *rel="\\{0,1\\}next"\\{0,1\\}.*/\\1/p' | head -n 1; }
forge() { local signature="\${1##*.}" forged=AAAAAAAAAAAAAAAAAAAAAA; [ "$signature" = "$forged" ] && forged=BBBBBBBBBBBBBBBBBBBBBB; printf '%s' "\${1%.*}.$forged"; }
iso_after_ms() { local ms=$(( $(date +%s%3N) + $1 )); date -u -d "@$(( ms / 1000 ))" "+%Y-%m-%dT%H:%M:%S.$(printf '%03d' $(( ms % 1000 )))Z"; }
iso_after_parent() { local seconds=$(( $(date -u -d "$1" +%s) + $2 )); date -u -d "@$seconds" '+%Y-%m-%dT%H:%M:%S.000Z'; }
`;

/** Single-quotes text for bash. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function tokenExpression(token: ScriptToken | undefined): string | undefined {
  if (token === undefined || token.kind === 'none') return undefined;
  if (token.kind === 'master') return '$TOKEN';
  if (token.kind === 'literal') return token.text === '' ? '' : token.text.replace(/[^A-Za-z0-9._-]/g, (char) => encodeURIComponent(char));
  return token.forged ? `$(forge "$tok_${token.index}")` : `$tok_${token.index}`;
}

/** A bash word for a body: single-quoted JSON with the time placeholders spliced in as command substitutions. */
function bodyWord(body: NonNullable<ScriptRequest['body']>): string {
  const text = 'raw' in body ? body.raw : body.json;
  const parts = text.split(/("\{EXPIRES_AFTER_(?:MS:-?\d+|PARENT:\d+:-?\d+)\}")/);
  return parts
    .map((part) => {
      const ms = /^"\{EXPIRES_AFTER_MS:(-?\d+)\}"$/.exec(part);
      if (ms) return `'"'"$(iso_after_ms ${ms[1]})"'"'`;
      const parent = /^"\{EXPIRES_AFTER_PARENT:(\d+):(-?\d+)\}"$/.exec(part);
      if (parent) return `'"'"$(iso_after_parent "$exp_${parent[1]}" ${parent[2]})"'"'`;
      return part === '' ? '' : quote(part);
    })
    .join('');
}

function urlExpression(request: ScriptRequest): string {
  if (request.followsListing !== undefined) {
    const token = tokenExpression(request.token);
    return `"$next_${request.followsListing}${token === undefined ? '' : `&access_token=${token}`}"`;
  }
  const path = (request.path ?? '').replace(SCRIPT_USER, '$USER_NAME').replace(/\{ID:(\d+)\}/g, (_m, index: string) => `$id_${index}`);
  const pairs = (request.query ?? []).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const token = tokenExpression(request.token);
  if (token !== undefined) pairs.push(`access_token=${token}`);
  return `"$BASE${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}"`;
}

/**
 * A bash script of curl lines that replays the executed steps of a sequence against any server
 * and, at the step that diverged, prints what the model answered and what the target answered.
 */
export function renderReplayScript(
  steps: readonly ExecutedStep[],
  divergence: ExecutedStep | undefined,
  seed: number | undefined,
  redact: (text: string) => string,
): string {
  const lines = [HEADER];
  if (seed !== undefined) lines.push(`# Found with --seed ${seed}.`);
  for (const step of steps) {
    const request = step.request;
    lines.push('', `echo ${quote(`step ${step.index + 1}: ${step.description}`)}`);
    if (request.wait !== undefined) {
      lines.push(`sleep ${(request.wait / 1000).toFixed(3)}`);
      continue;
    }
    const body = request.body === undefined ? '' : ` ${bodyWord(request.body)}`;
    lines.push(`call ${request.method} ${urlExpression(request)}${body}`);
    if (request.captures !== undefined) {
      const n = request.captures;
      lines.push(
        `tok_${n}="$(field token)"; id_${n}="$(field id)"; exp_${n}="$(field expires)"`,
        `[ -n "$id_${n}" ] && [ "$status" -lt 300 ] && created_ids="$created_ids $id_${n}"`,
      );
    }
    if (request.opensListing !== undefined) lines.push(`next_${request.opensListing}="$(next_link)"`);
    if (divergence !== undefined && step.index === divergence.index) {
      lines.push(
        `echo ${quote(redact(`expected (the model): HTTP ${step.model.status} ${step.model.body}`))}`,
        `echo ${quote(redact(`the explored server answered: HTTP ${step.target.status} ${step.target.body}`))}`,
        `echo ${quote(redact(`deviations: ${step.deviations.join('; ')}`))}`,
        'exit 0',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
