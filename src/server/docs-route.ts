import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { SERVER_ERROR_MESSAGES, writeJsonError } from './server-errors.ts';

/** URL path under which the API reference is served. */
export const DOCS_PATH = '/docs';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** True when `pathname` belongs to the docs route (`/docs`, `/docs/`, `/docs/...`). */
export function isDocsPath(pathname: string): boolean {
  return pathname === DOCS_PATH || pathname.startsWith(`${DOCS_PATH}/`);
}

/**
 * Maps a docs URL path to a file inside `docsDir`, or undefined when the path is unsafe
 * (traversal, encoded separators, NUL) or malformed. `/docs` and `/docs/` give index.html.
 */
function resolveDocsFile(docsDir: string, pathname: string): string | undefined {
  const rest = pathname.slice(DOCS_PATH.length).replace(/^\/+/, '');
  const segments: string[] = [];
  for (const rawSegment of rest.split('/')) {
    if (rawSegment === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return undefined;
    }
    // `..`/`.` segments, hidden files, and separators smuggled in by percent-encoding are refused outright.
    if (segment.startsWith('.') || /[\\/\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const root = resolve(docsDir);
  const file = segments.length === 0 ? join(root, 'index.html') : resolve(root, ...segments);
  // Belt and braces: whatever the segments were, the result must stay inside the docs folder.
  return file.startsWith(root + sep) ? file : undefined;
}

/** The start of the document's `servers` list inside the Redoc page's embedded state (one occurrence). */
const EMBEDDED_SERVERS = '"servers":[';

/**
 * The reference page with `serverUrl` (this server's origin) listed first among the document's
 * servers, so its request samples and Servers panel point at the mock that serves it. The URL comes
 * from the request's Host header: it is written as a JSON string with `<` escaped, so no Host can
 * close the script it sits in. A page without the embedded list is served as it is.
 */
export function withServerUrl(html: string, serverUrl: string): string {
  const at = html.indexOf(EMBEDDED_SERVERS);
  if (at < 0) return html;
  const entry = JSON.stringify({ url: serverUrl, description: 'This mock (tokens-mock), which serves this page' }).replaceAll(
    '<',
    '\\u003c',
  );
  const insertAt = at + EMBEDDED_SERVERS.length;
  return `${html.slice(0, insertAt)}${entry},${html.slice(insertAt)}`;
}

/**
 * Answers a request on the docs route from `docsDir`: GET/HEAD only; 404 JSON when absent. With
 * `serverUrl`, the reference page (the folder's index.html) lists it as the first server.
 */
export async function serveDocs(res: ServerResponse, method: string, pathname: string, docsDir: string, serverUrl?: string): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    await writeJsonError(res, 405, SERVER_ERROR_MESSAGES.methodNotAllowed, { Allow: 'GET, HEAD' });
    return;
  }
  let file = resolveDocsFile(docsDir, pathname);
  if (file !== undefined && (await isDirectory(file))) file = join(file, 'index.html');
  let content = file === undefined ? undefined : await readFile(file).catch(() => undefined);
  if (file === undefined || content === undefined) {
    await writeJsonError(res, 404, SERVER_ERROR_MESSAGES.notFound);
    return;
  }
  if (serverUrl !== undefined && file === join(resolve(docsDir), 'index.html')) {
    content = Buffer.from(withServerUrl(content.toString('utf8'), serverUrl), 'utf8');
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(content.byteLength),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(method === 'HEAD' ? undefined : content);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
