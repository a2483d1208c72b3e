// The server's own pages besides /docs: `/` (a small index: base URL, username, links, the faults
// in effect) as JSON or HTML, and the API document at /openapi.json and /openapi.yaml.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { jsonResponse } from '../http/responses.ts';
import { API_ERRORS } from '../generated/api-tables.ts';
import type { PlainResponse } from '../http/plain-http.ts';
import { findPackageRoot } from './package-paths.ts';
import { writePlainResponse } from './node-response.ts';

const OPENAPI_JSON_PATH = '/openapi.json';
const OPENAPI_YAML_PATH = '/openapi.yaml';

export interface ServerIndex {
  baseUrl: string;
  username: string;
  links: Record<string, string>;
  faults: readonly string[];
}

export function isIndexPath(pathname: string): boolean {
  return pathname === '/' || pathname === OPENAPI_JSON_PATH || pathname === OPENAPI_YAML_PATH;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function renderIndexHtml(index: ServerIndex): string {
  const links = Object.entries(index.links)
    .map(([name, href]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></li>`)
    .join('');
  const faults = index.faults.length === 0 ? 'none' : index.faults.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tokens-mock</title></head><body>` +
    `<h1>tokens-mock</h1><p>A mock of the Mapbox Tokens API.</p>` +
    `<p>Base URL: <code>${escapeHtml(index.baseUrl)}</code><br>Username: <code>${escapeHtml(index.username)}</code><br>Active faults: ${faults}</p>` +
    `<ul>${links}</ul></body></html>\n`
  );
}

/** Answers `/`, /openapi.json or /openapi.yaml (GET and HEAD; others 405). */
export async function serveIndex(
  res: ServerResponse,
  method: string,
  pathname: string,
  accept: string | undefined,
  index: () => Promise<ServerIndex>,
): Promise<void> {
  const isHead = method === 'HEAD';
  if (method !== 'GET' && !isHead) {
    const { status, message } = API_ERRORS['method-not-allowed'];
    writePlainResponse(res, jsonResponse(status, { message }, { Allow: 'GET, HEAD' }), false);
    return;
  }
  let answer: PlainResponse;
  if (pathname === OPENAPI_JSON_PATH) {
    const { openapiDocument } = await import('../generated/openapi.ts');
    answer = jsonResponse(200, openapiDocument);
  } else if (pathname === OPENAPI_YAML_PATH) {
    const yaml = await readFile(join(findPackageRoot(), 'openapi', 'tokens.yaml'), 'utf8');
    answer = {
      status: 200,
      headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Access-Control-Allow-Origin': '*' },
      body: yaml,
    };
  } else if (/\btext\/html\b/.test(accept ?? '')) {
    answer = { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: renderIndexHtml(await index()) };
  } else {
    answer = jsonResponse(200, await index());
  }
  writePlainResponse(res, answer, isHead);
}
