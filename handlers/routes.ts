/** The one route table: the msw handlers, mock.fetch() and the standalone server all use it. */
export type OperationId = 'listTokens' | 'createToken' | 'updateToken' | 'deleteToken' | 'retrieveToken' | 'listScopes';
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  /** Path template relative to the base URL, with `:name` segments (valid in msw 2 and 3). */
  path: string;
  operations: Partial<Record<RouteMethod, OperationId>>;
}

export const ROUTES: readonly RouteDefinition[] = [
  { path: '/tokens/v2', operations: { GET: 'retrieveToken' } },
  { path: '/tokens/v2/:username', operations: { GET: 'listTokens', POST: 'createToken' } },
  { path: '/tokens/v2/:username/:tokenId', operations: { PATCH: 'updateToken', DELETE: 'deleteToken' } },
  { path: '/scopes/v1/:username', operations: { GET: 'listScopes' } },
];

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

const COMPILED = ROUTES.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

/** Matches a path (relative to the base URL) segment by segment; path parameters are percent-decoded. */
export function matchRoute(relativePath: string): RouteMatch | undefined {
  const segments = relativePath.split('/').slice(1);
  for (const { route, segments: template } of COMPILED) {
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < template.length && matched; i++) {
      const expected = template[i]!;
      const actual = segments[i]!;
      if (expected.startsWith(':')) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(actual);
        } catch {
          decoded = '';
        }
        matched = decoded !== '';
        params[expected.slice(1)] = decoded;
      } else {
        matched = expected === actual;
      }
    }
    if (matched) return { route, params };
  }
  return undefined;
}

/** The path prefix of a base URL ('' for an origin-only base URL), without a trailing slash. */
export function basePathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

/** The request path relative to the base path, or undefined when the request is outside it. */
export function relativePathOf(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname !== basePath && !pathname.startsWith(basePath + '/')) return undefined;
  return pathname.slice(basePath.length) || '/';
}

/** The route and operation of a request URL (operation null for a method the path does not have). */
export function routeOf(url: URL, method: string, basePath: string): { match: RouteMatch | undefined; operation: OperationId | null } {
  const relativePath = relativePathOf(url.pathname, basePath);
  const match = relativePath === undefined ? undefined : matchRoute(relativePath);
  return { match, operation: match?.route.operations[method.toUpperCase() as RouteMethod] ?? null };
}
