import type { DocumentedCondition } from '../document.ts';
import { nextLink } from '../link-header.ts';
import { decodeTokenString } from '../token-strings.ts';

/** One answer of either side, as the comparison reads it. */
export interface Answer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

/** How one side's ids and token strings read, so both sides can be compared by what they name. */
export interface Names {
  /** Token id -> label (`created#3`, `master`). */
  ids: ReadonlyMap<string, string>;
  /** Token string -> label. */
  tokens: ReadonlyMap<string, string>;
  /** The URL the request went to (Link headers must stay on its origin). */
  requestUrl: string;
}

export interface CompareSettings {
  /** Times (ISO strings, token claims) may differ by this much, ms (0 for the embedded run). */
  timeToleranceMs: number;
  strictMessages: boolean;
  conditions: readonly DocumentedCondition[];
  /** False when the account holds tokens the model cannot know: listings are compared on this run's tokens only. */
  comparableListings: boolean;
}

export interface Comparison {
  /** Differences that make the target deviate from the model. */
  deviations: string[];
  /** Differences docs/explore.md accepts (counted in the report). */
  tolerated: string[];
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Compares the target's answer with the model's for one step. */
export function compareAnswers(
  operation: string | undefined,
  target: Answer,
  model: Answer,
  targetNames: Names,
  modelNames: Names,
  settings: CompareSettings,
): Comparison {
  const result: Comparison = { deviations: [], tolerated: [] };
  if (target.status !== model.status) {
    result.deviations.push(`status ${target.status}, expected ${model.status}`);
    return result;
  }
  compareHeaders(target, model, targetNames, modelNames, settings, result);
  if (model.status >= 400 && isMessageBody(model.json)) {
    compareError(operation, target, model.json.message, model.status, settings, result);
    return result;
  }
  if ((model.text === '') !== (target.text === '')) {
    result.deviations.push(model.text === '' ? `a body ${clip(target.text)}, expected none` : 'no body, expected one');
    return result;
  }
  if (model.text === '') return result;
  if (target.json === undefined) {
    result.deviations.push(`a body that is not JSON: ${clip(target.text)}`);
    return result;
  }
  const expected = normalize(project(model.json, settings, modelNames), modelNames);
  const actual = normalize(project(target.json, settings, targetNames), targetNames);
  diff('body', actual, expected, settings.timeToleranceMs, result.deviations);
  return result;
}

function isMessageBody(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * An error: the status (already equal) and the message. Messages of rows the document marks as a
 * mock choice need only be a non-empty string unless messages are strict.
 */
function compareError(
  operation: string | undefined,
  target: Answer,
  expected: string,
  status: number,
  settings: CompareSettings,
  result: Comparison,
): void {
  if (!isMessageBody(target.json) || Object.keys(target.json as object).length !== 1) {
    result.deviations.push(`error body ${clip(target.text)}, expected {"message": ${JSON.stringify(expected)}}`);
    return;
  }
  const actual = target.json.message;
  if (actual === expected) return;
  const rows = settings.conditions.filter(
    (row) =>
      row.status === status &&
      row.message !== undefined &&
      (expected === row.message || expected.startsWith(`${row.message} `)) &&
      (operation === undefined || row.operationId === operation),
  );
  const mockChoice = rows.length > 0 && rows.every((row) => !row.messageDocumented);
  if (mockChoice && !settings.strictMessages && actual.length > 0) {
    result.tolerated.push(`message ${JSON.stringify(actual)} for the mock-choice message ${JSON.stringify(expected)}`);
    return;
  }
  result.deviations.push(`message ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

function compareHeaders(
  target: Answer,
  model: Answer,
  targetNames: Names,
  modelNames: Names,
  settings: CompareSettings,
  result: Comparison,
): void {
  const mediaType = (answer: Answer): string | undefined => answer.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (model.text !== '' && mediaType(target) !== mediaType(model)) {
    result.deviations.push(`Content-Type ${target.headers['content-type'] ?? '(none)'}, expected ${model.headers['content-type']}`);
  }
  const origin = 'access-control-allow-origin';
  if (model.headers[origin] !== undefined && target.headers[origin] !== model.headers[origin]) {
    result.deviations.push(`Access-Control-Allow-Origin ${target.headers[origin] ?? '(none)'}, expected ${model.headers[origin]}`);
  }
  const exposed = (answer: Answer): string[] =>
    (answer.headers['access-control-expose-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
  const missing = exposed(model).filter((name) => !exposed(target).includes(name));
  if (missing.length > 0) result.deviations.push(`Access-Control-Expose-Headers lacks ${missing.join(', ')}`);
  for (const name of ['x-rate-limit-interval', 'x-rate-limit-limit', 'x-rate-limit-reset']) {
    const [actual, expected] = [target.headers[name], model.headers[name]];
    if ((actual === undefined) !== (expected === undefined)) {
      result.deviations.push(
        `${name} ${actual === undefined ? 'missing' : 'present'}, expected ${expected === undefined ? 'none' : 'one'}`,
      );
    } else if (actual !== undefined && expected !== undefined && name !== 'x-rate-limit-reset' && actual !== expected) {
      result.deviations.push(`${name} ${actual}, expected ${expected}`);
    } else if (actual !== undefined && expected !== undefined && name === 'x-rate-limit-reset') {
      // The windows started at different moments (the model is fresh per sequence): a reset within one interval.
      const interval = Number(model.headers['x-rate-limit-interval'] ?? 60);
      const distance = Math.abs(Number(actual) - Number(expected));
      if (
        !Number.isFinite(distance) ||
        distance > (settings.timeToleranceMs === 0 ? 0 : interval + Math.ceil(settings.timeToleranceMs / 1000))
      ) {
        result.deviations.push(`X-Rate-Limit-Reset ${actual}, expected ${expected}`);
      }
    }
  }
  if (!settings.comparableListings) return;
  const [actualNext, expectedNext] = [nextLink(target.headers['link'] ?? null), nextLink(model.headers['link'] ?? null)];
  if ((actualNext === undefined) !== (expectedNext === undefined)) {
    result.deviations.push(actualNext === undefined ? 'no Link rel="next", expected one' : `Link rel="next" ${actualNext}, expected none`);
    return;
  }
  if (actualNext === undefined || expectedNext === undefined) return;
  const actualUrl = safeUrl(actualNext, targetNames.requestUrl);
  const expectedUrl = safeUrl(expectedNext, modelNames.requestUrl)!;
  if (actualUrl === undefined || actualUrl.origin !== new URL(targetNames.requestUrl).origin) {
    result.deviations.push(`Link rel="next" ${actualNext} leaves the request's origin ${new URL(targetNames.requestUrl).origin}`);
    return;
  }
  const parameters = (url: URL): string =>
    [...url.searchParams]
      .filter(([name]) => name !== 'start' && name !== 'access_token')
      .map(([name, value]) => `${name}=${value}`)
      .sort()
      .join('&');
  if (parameters(actualUrl) !== parameters(expectedUrl) || actualUrl.pathname !== expectedUrl.pathname) {
    result.deviations.push(
      `Link rel="next" ${actualUrl.pathname}?${parameters(actualUrl)}, expected ${expectedUrl.pathname}?${parameters(expectedUrl)} (start aside)`,
    );
  }
}

function safeUrl(link: string, base: string): URL | undefined {
  try {
    return new URL(link, base);
  } catch {
    return undefined;
  }
}

/** Listings of an account with tokens the model does not have: only this run's tokens count. */
function project(body: unknown, settings: CompareSettings, names: Names): unknown {
  if (settings.comparableListings || !Array.isArray(body)) return body;
  return body.filter((item: unknown) => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' && names.ids.get(id)?.startsWith('created#') === true;
  });
}

/** Marker objects the diff understands: a time, and a duration in seconds. */
interface TimeValue {
  $time: number;
}
function isTime(value: unknown): value is TimeValue {
  return typeof value === 'object' && value !== null && '$time' in value;
}

interface SecondsValue {
  $seconds: number;
}
function isSeconds(value: unknown): value is SecondsValue {
  return typeof value === 'object' && value !== null && '$seconds' in value;
}

/**
 * Replaces what names a token (ids, token strings) by what both sides agree on (labels), times by
 * markers compared within the tolerance, and tokens the account had before the run (listed) by
 * their role.
 */
function normalize(value: unknown, names: Names): unknown {
  return normalizeValue(value, names, undefined);
}

function normalizeValue(value: unknown, names: Names, key: string | undefined): unknown {
  if (typeof value === 'string') {
    const label = names.ids.get(value) ?? names.tokens.get(value);
    if (label !== undefined) return `<${label}>`;
    if (TIME.test(value)) return { $time: Date.parse(value) };
    if (key === 'token') return normalizeTokenString(value, names);
    return value;
  }
  // A lifetime in seconds (exp - iat): both ends are times, so it differs by the same tolerance.
  if (key === 'expires_in' && typeof value === 'number') return { $seconds: value };
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, names, undefined));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // A listed token the run did not create: only its role and place count.
    if (typeof record['id'] === 'string' && typeof record['usage'] === 'string' && !names.ids.has(record['id'])) {
      return record['default'] === true ? '<default token>' : '<token the account had>';
    }
    if (typeof record['id'] === 'string' && names.ids.get(record['id']) === 'master') return '<master>';
    return Object.fromEntries(Object.entries(record).map(([name, item]) => [name, normalizeValue(item, names, name)]));
  }
  return value;
}

/** A token string neither side has seen yet (a create answer): its usage and claims, normalised. */
function normalizeTokenString(token: string, names: Names): unknown {
  const decoded = decodeTokenString(token);
  if (decoded === undefined) return { $token: 'undecodable' };
  const claims: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(decoded.claims)) {
    if (name === 'a' && typeof item === 'string') claims[name] = `<${names.ids.get(item) ?? 'unknown id'}>`;
    else if ((name === 'iat' || name === 'exp') && typeof item === 'number') claims[name] = { $time: item * 1000 };
    else claims[name] = item;
  }
  return { $token: decoded.usage, claims };
}

/** Structural difference of two normalised values, with times within `tolerance` ms. */
function diff(path: string, actual: unknown, expected: unknown, tolerance: number, out: string[]): void {
  if (out.length >= 8) return;
  if (isSeconds(expected) || isSeconds(actual)) {
    if (!isSeconds(expected) || !isSeconds(actual) || Math.abs(actual.$seconds - expected.$seconds) * 1000 > tolerance) {
      out.push(`${path}: ${show(actual)}, expected ${show(expected)}${tolerance > 0 ? ` (within ${tolerance} ms)` : ''}`);
    }
    return;
  }
  if (isTime(expected) || isTime(actual)) {
    if (!isTime(expected) || !isTime(actual) || Math.abs(actual.$time - expected.$time) > tolerance) {
      out.push(`${path}: ${show(actual)}, expected ${show(expected)}${tolerance > 0 ? ` (within ${tolerance} ms)` : ''}`);
    }
    return;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) {
      out.push(`${path}: ${show(actual)}, expected ${show(expected)}`);
      return;
    }
    if (actual.length !== expected.length) out.push(`${path}: ${actual.length} items, expected ${expected.length}`);
    for (let index = 0; index < Math.min(actual.length, expected.length); index++)
      diff(`${path}[${index}]`, actual[index], expected[index], tolerance, out);
    return;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const name of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (!(name in a)) out.push(`${path}.${name}: missing, expected ${show(e[name])}`);
      else if (!(name in e)) out.push(`${path}.${name}: ${show(a[name])}, expected no such property`);
      else diff(`${path}.${name}`, a[name], e[name], tolerance, out);
    }
    return;
  }
  if (actual !== expected) out.push(`${path}: ${show(actual)}, expected ${show(expected)}`);
}

function show(value: unknown): string {
  if (isTime(value)) return new Date(value.$time).toISOString();
  if (isSeconds(value)) return String(value.$seconds);
  return clip(JSON.stringify(value) ?? String(value));
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
