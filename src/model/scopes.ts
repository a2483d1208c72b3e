/**
 * Scope catalogue: docs/sources.md §5.2 (public) and §5.3 (secret), with their documented descriptions.
 * A token holding any secret scope is an sk token (docs/sources.md §5.4).
 */
export interface ScopeDefinition {
  id: string;
  description: string;
  public: boolean;
}

const PUBLIC_SCOPES = [
  ['styles:tiles', 'Read styles as raster tiles and static images.'],
  ['styles:read', 'Read styles.'],
  ['fonts:read', 'Read fonts.'],
  ['datasets:read', 'Read datasets.'],
  ['vision:read', 'Read Vision SDK services.'],
] as const satisfies ReadonlyArray<readonly [string, string]>;

const SECRET_SCOPES = [
  ['scopes:list', 'List all available scopes.'],
  ['map:read', 'Access tilesets, tilestats and legacy projects.'],
  ['map:write', 'Create and update tilesets and tilestats.'],
  ['user:read', 'Retrieve account profile details.'],
  ['user:write', 'Modify account information.'],
  ['uploads:read', 'Track upload statuses.'],
  ['uploads:list', 'Retrieve multiple upload statuses.'],
  ['uploads:write', 'Create tileset uploads.'],
  ['styles:write', 'Create and update styles.'],
  ['styles:list', 'List account styles (metadata only).'],
  ['styles:download', 'Download a style as a ZIP bundle.'],
  ['styles:protect', 'Protect style write access and assets.'],
  ['fonts:list', 'List fonts.'],
  ['fonts:write', 'Create and delete fonts.'],
  ['tokens:read', 'List account tokens.'],
  ['tokens:write', 'Create, update and delete tokens.'],
  ['datasets:list', 'List datasets.'],
  ['datasets:write', 'Create and update datasets.'],
  ['tilesets:list', 'List tilesets and tileset sources.'],
  ['tilesets:read', 'Read tilesets through the Mapbox Tiling Service.'],
  ['tilesets:write', 'Create, publish and manage tilesets.'],
  ['downloads:read', 'Download the Maps and Navigation SDKs.'],
  ['vision:download', 'Download the Vision SDK.'],
  ['navigation:download', 'Download the Navigation SDK.'],
  ['offline:read', 'Read offline data.'],
  ['offline:write', 'Write offline data.'],
  ['user-feedback:read', 'Read user feedback.'],
  ['atlas:read', 'Use Atlas (Atlas accounts only).'],
] as const satisfies ReadonlyArray<readonly [string, string]>;

/** Every scope name of the catalogue, as a literal union (what the helpers' `scopes` take). */
export type ScopeName = (typeof PUBLIC_SCOPES)[number][0] | (typeof SECRET_SCOPES)[number][0];

/**
 * What a `scopes` argument takes: a catalogue name (offered by autocomplete) or any other string,
 * because the API itself takes any string there and refuses unknown scopes with 422 (so does the mock).
 */
export type ScopeInput = ScopeName | (string & {});

export const SCOPE_CATALOGUE: readonly ScopeDefinition[] = [
  ...PUBLIC_SCOPES.map(([id, description]) => ({ id, description, public: true })),
  ...SECRET_SCOPES.map(([id, description]) => ({ id, description, public: false })),
];

const SCOPES_BY_ID: ReadonlyMap<string, ScopeDefinition> = new Map(SCOPE_CATALOGUE.map((scope) => [scope.id, scope]));

export const ALL_SCOPE_IDS: readonly string[] = SCOPE_CATALOGUE.map((scope) => scope.id);
export const PUBLIC_SCOPE_IDS: readonly string[] = PUBLIC_SCOPES.map(([id]) => id);

export function isKnownScope(id: string): boolean {
  return SCOPES_BY_ID.has(id);
}

export function isPublicScope(id: string): boolean {
  // Stryker disable next-line OptionalChaining: [equivalent] only known scopes reach it
  return SCOPES_BY_ID.get(id)?.public === true;
}

/** pk unless any scope is secret (docs/sources.md §5.4); decided once, at creation. */
export function usageForScopes(scopes: readonly string[]): 'pk' | 'sk' {
  return scopes.some((scope) => !isPublicScope(scope)) ? 'sk' : 'pk';
}
