import { operationPath, ROUTES, type OperationId, type RouteDefinition, type RouteMethod } from '../generated/api-tables.ts';

// The route table and the path builder are generated from the document (its paths, methods and operation ids).
export { operationPath, ROUTES, type OperationId, type RouteDefinition, type RouteMethod };

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
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return undefined;
  return pathname.slice(basePath.length) || '/';
}

/** The route and operation of a request URL (operation null for a method the path does not have). */
export function routeOf(url: URL, method: string, basePath: string): { match: RouteMatch | undefined; operation: OperationId | null } {
  const relativePath = relativePathOf(url.pathname, basePath);
  const match = relativePath === undefined ? undefined : matchRoute(relativePath);
  return { match, operation: match?.route.operations[method.toUpperCase() as RouteMethod] ?? null };
}
