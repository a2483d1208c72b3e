// Builds the API reference from openapi/tokens.yaml into docs/:
//   docs/index.html  standalone, offline page: `redocly build-docs --inlineBundle` (Redoc and the document
//                    inlined into one file; no network needed to read it);
//   docs/api.md      a Markdown reference for code hosts, written by the small generator below.
// Usage: node scripts/build-docs.ts [--check]
//   --check writes nothing and exits 1 when docs/ differs from a fresh build.
//
// Why our own Markdown generator: @scalar/openapi-to-markdown's output is terse and LLM-oriented (no
// table of error conditions, no x- notes, it even reports the document as 3.2.0), and widdershins is
// unmaintained and half understands OAS 3.1. The reference must show every operation, parameter, schema
// and error row with the source each choice rests on, so a ~300-line deterministic generator that
// reads exactly this document's conventions (named examples keyed by condition id, x-condition,
// x-source, x-decisions) is simpler and more faithful.
//
// Freshness of the HTML: redocly build-docs is byte-deterministic for a given input and a given
// (lockfile-pinned) @redocly/cli version: two builds of the same document were identical, and the output
// holds no timestamps or absolute paths. So --check builds into a temporary directory and compares
// bytes. Should a future Redocly release stop being deterministic, the check would report the HTML as
// stale on every run, which fails loudly rather than silently passing.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  collectErrorConditions,
  documentPath,
  isObject,
  listOperations,
  loadDocument,
  projectRoot,
  resolveLocalRef,
  summariseOperations,
  validateDocument,
  type JsonObject,
} from './build-openapi.ts';
import { type GeneratedFile, runWhenMain, writeOrCheck } from './lib/generated-files.ts';
import { withAdminReference } from './lib/admin-reference.ts';

const run = promisify(execFile);

export const docsDir = join(projectRoot, 'docs');
export const htmlPath = join(docsDir, 'index.html');
export const markdownPath = join(docsDir, 'api.md');
/** The decisions alone, as a page with one table: README.md links to it. */
export const decisionsPath = join(docsDir, 'decisions.md');

// ---------------------------------------------------------------------------------------------
// Markdown

/** Escapes text for a Markdown table cell (one line, no unescaped pipes). */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('|', '\\|')
    .trim();
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function jsonBlock(value: unknown): string {
  return ['```json', JSON.stringify(value, null, 2), '```'].join('\n');
}

function schemaName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

/** A one-line description of a schema's type, linking named schemas. */
function describeType(schema: unknown): string {
  if (!isObject(schema)) return 'any';
  if (typeof schema.$ref === 'string') {
    const name = schemaName(schema.$ref);
    return `[${name}](#${anchor(name)})`;
  }
  if ('const' in schema) return `${code(JSON.stringify(schema.const))}`;
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => code(String(value))).join(' | ');
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const options = schema[keyword];
    if (Array.isArray(options)) return options.map(describeType).join(keyword === 'oneOf' ? ' or (exclusive) ' : ' or ');
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => (isObject(part) && part.$ref === undefined ? 'constraints below' : describeType(part)));
    return parts.join(' + ');
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  return types
    .map((type) => {
      if (type === 'array') return `array of ${describeType(schema.items)}`;
      if (typeof schema.format === 'string' && type !== 'null') return `${String(type)} (${schema.format})`;
      return String(type);
    })
    .join(' | ');
}

/** Constraints worth stating next to a type: bounds, defaults, patterns, item limits. */
function describeConstraints(schema: unknown): string {
  if (!isObject(schema)) return '';
  const notes: string[] = [];
  if (typeof schema.minimum === 'number') notes.push(`minimum ${schema.minimum}`);
  if (typeof schema.maximum === 'number') notes.push(`maximum ${schema.maximum}`);
  if (typeof schema.minLength === 'number') notes.push(`minLength ${schema.minLength}`);
  if (typeof schema.maxItems === 'number') notes.push(`at most ${schema.maxItems} items`);
  if ('default' in schema) notes.push(`default ${code(JSON.stringify(schema.default))}`);
  return notes.join(', ');
}

/** Description plus the `x-note` (with its source) of an element, as one text. */
function describe(element: JsonObject): string {
  const parts: string[] = [];
  if (typeof element.description === 'string') parts.push(element.description);
  if (typeof element['x-note'] === 'string') parts.push(`*Note:* ${element['x-note']}`);
  if (typeof element['x-decision'] === 'string') {
    parts.push(`(decision [${element['x-decision']}](#decision-${element['x-decision']}))`);
  }
  return parts.join(' ');
}

function renderParameters(document: JsonObject, pathItem: JsonObject, operation: JsonObject): string {
  const all = [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ].map((parameter) => resolveLocalRef(document, parameter));
  if (all.length === 0) return '';
  const rows = all.filter(isObject).map((parameter) => {
    const constraints = describeConstraints(parameter.schema);
    return [
      code(String(parameter.name)),
      String(parameter.in),
      describeType(parameter.schema) + (constraints ? ` (${constraints})` : ''),
      parameter.required === true ? 'yes' : 'no',
      describe(parameter),
    ];
  });
  return ['**Parameters**', '', table(['Name', 'In', 'Type', 'Required', 'Description'], rows)].join('\n');
}

function namedExamples(document: JsonObject, mediaType: JsonObject): [string, JsonObject][] {
  if (!isObject(mediaType.examples)) return [];
  return Object.entries(mediaType.examples).flatMap(([key, value]) => {
    const example = resolveLocalRef(document, value);
    return isObject(example) ? [[key, example] as [string, JsonObject]] : [];
  });
}

function renderExampleList(document: JsonObject, mediaType: JsonObject): string[] {
  const out: string[] = [];
  for (const [key, example] of namedExamples(document, mediaType)) {
    if (typeof example['x-condition'] === 'string') continue; // listed in the conditions table instead
    const source = typeof example['x-source'] === 'string' ? ` (source: ${example['x-source']})` : '';
    out.push(`*Example ${code(key)}: ${String(example.summary ?? key)}${source}*`, '', jsonBlock(example.value), '');
  }
  return out;
}

function renderRequestBody(document: JsonObject, operation: JsonObject): string {
  const body = resolveLocalRef(document, operation.requestBody);
  if (!isObject(body) || !isObject(body.content)) return '';
  const out = ['**Request body**', ''];
  if (typeof body.description === 'string') out.push(cell(body.description), '');
  for (const [type, mediaTypeValue] of Object.entries(body.content)) {
    if (!isObject(mediaTypeValue)) continue;
    out.push(`${code(type)}: ${describeType(mediaTypeValue.schema)}`, '');
    out.push(...renderExampleList(document, mediaTypeValue));
  }
  return out.join('\n').trimEnd();
}

function renderResponses(document: JsonObject, operationId: string, operation: JsonObject): string {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const rows: string[][] = [];
  const examples: string[] = [];
  for (const [status, responseOrRef] of Object.entries(responses)) {
    const response = resolveLocalRef(document, responseOrRef);
    if (!isObject(response)) continue;
    const headers = isObject(response.headers) ? Object.keys(response.headers).map(code).join(', ') : '';
    const mediaTypes = isObject(response.content) ? Object.values(response.content).filter(isObject) : [];
    const schemas = mediaTypes.map((mediaType) => describeType(mediaType.schema)).join(', ') || 'empty body';
    rows.push([status, describe(response), schemas, headers]);
    for (const mediaType of mediaTypes) {
      const list = renderExampleList(document, mediaType);
      if (list.length > 0) examples.push(`*Status ${status}*`, '', ...list);
    }
  }
  const conditions = collectErrorConditions(document).filter((row) => row.operationId === operationId);
  const out = ['**Responses**', '', table(['Status', 'Description', 'Body', 'Headers'], rows), ''];
  if (conditions.length > 0) {
    out.push(
      '**Conditions** (named examples; the contract suite keys on the condition id)',
      '',
      table(
        ['Status', 'Condition id', 'Body', 'When', 'Source'],
        conditions.map((row) => [
          String(row.status),
          code(row.conditionId),
          code(JSON.stringify(row.body)) + (row.referenceMessage ? ` (reference prints ${code(row.referenceMessage)})` : ''),
          row.condition,
          row.source,
        ]),
      ),
      '',
    );
  }
  out.push(...examples);
  return out.join('\n').trimEnd();
}

function renderOperations(document: JsonObject): string {
  const paths = isObject(document.paths) ? document.paths : {};
  const sections: string[] = [];
  for (const { path, method, operation } of listOperations(document)) {
    const pathItem = isObject(paths[path]) ? paths[path] : {};
    const operationId = String(operation.operationId);
    const scope = operation['x-required-scope'];
    const parts = [`### ${operationId}`, '', `**${method.toUpperCase()} ${code(path)}**: ${String(operation.summary ?? '')}`, ''];
    const description = typeof operation.description === 'string' ? operation.description.trim() : '';
    // The document's descriptions state the scope for Redoc readers; add the line only where one does not.
    if (!description.includes('Required scope')) {
      parts.push(`**Required scope:** ${typeof scope === 'string' ? code(scope) : 'none'}.`, '');
    }
    parts.push(description);
    if (typeof operation['x-note'] === 'string') parts.push('', `*Note:* ${operation['x-note']}`);
    for (const block of [
      renderParameters(document, pathItem, operation),
      renderRequestBody(document, operation),
      renderResponses(document, operationId, operation),
    ]) {
      if (block) parts.push('', block);
    }
    sections.push(parts.join('\n').trimEnd());
  }
  return sections.join('\n\n');
}

function renderSchemas(document: JsonObject): string {
  const schemas = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const sections: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) continue;
    const parts = [`### ${name}`, '', `Type: ${describeType(schema)}`];
    const text = describe(schema);
    if (text) parts.push('', text.trim());
    const ownProperties: [string, JsonObject, string[]][] = [];
    if (isObject(schema.properties))
      ownProperties.push(['', schema.properties, Array.isArray(schema.required) ? schema.required.map(String) : []]);
    for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
      if (isObject(part) && isObject(part.properties)) {
        ownProperties.push(['', part.properties, Array.isArray(part.required) ? part.required.map(String) : []]);
      } else if (isObject(part) && Array.isArray(part.required)) {
        parts.push('', `Required in addition: ${part.required.map((key) => code(String(key))).join(', ')}.`);
      }
    }
    for (const [, properties, required] of ownProperties) {
      const rows = Object.entries(properties).map(([key, property]) => {
        const constraints = describeConstraints(property);
        return [
          code(key),
          describeType(property) + (constraints ? ` (${constraints})` : ''),
          required.includes(key) ? 'yes' : 'no',
          isObject(property) ? describe(property) : '',
        ];
      });
      parts.push('', table(['Property', 'Type', 'Required', 'Description'], rows));
    }
    if (schema.additionalProperties === false) parts.push('', 'No other properties are allowed.');
    if (isObject(schema.then) && isObject(schema.if)) {
      parts.push('', `Conditional rule: if ${code(JSON.stringify(schema.if))} then ${code(JSON.stringify(schema.then))}.`);
    }
    const examples = Array.isArray(schema.examples) ? schema.examples : [];
    for (const [index, example] of examples.entries()) parts.push('', `*Example ${index + 1}*`, '', jsonBlock(example));
    sections.push(parts.join('\n'));
  }
  return sections.join('\n\n');
}

function renderErrorTable(document: JsonObject): string {
  const rows = collectErrorConditions(document).map((row) => [
    row.operationId,
    String(row.status),
    code(row.conditionId),
    row.message !== undefined ? code(row.message) : code(String(row.code)),
    row.condition,
    row.source,
  ]);
  return table(['Operation', 'Status', 'Condition id', 'Message or code', 'When', 'Source'], rows);
}

function listDecisions(document: JsonObject): JsonObject[] {
  return Array.isArray(document['x-decisions']) ? document['x-decisions'].filter(isObject) : [];
}

/**
 * One row per decision: the choice and the source it rests on; the rationale stays in api.md.
 * Links are relative to docs/, where the page lives.
 */
export function renderDecisionTable(document: JsonObject): string {
  const rows = listDecisions(document).map((decision) => [
    `[${String(decision.id)}](api.md#decision-${anchor(String(decision.id))})`,
    String(decision.choice),
    String(decision.source),
  ]);
  const intro = [
    '# How the mock behaves: decisions',
    '',
    '<!-- Generated by scripts/build-docs.ts from x-decisions in openapi/tokens.yaml: run `npm run docs`. -->',
    '',
    'Every choice the sources leave open, and the source it rests on. The Mapbox reference (the newest',
    'source) wins where the sources disagree; observed behaviour of the real API fills its gaps; where',
    'neither says, the choice is marked `mock choice`. Each id links to its rationale in the',
    '[API reference](api.md#decisions); [sources.md](sources.md) holds the primary sources. The',
    '[contract](../openapi/tokens.yaml) states these in `x-decisions`.',
    '',
  ].join('\n');
  return linkSources(`${intro}\n${table(['decision', 'choice', 'source'], rows)}\n`, 'sources.md');
}

function renderDecisions(document: JsonObject): string {
  return listDecisions(document)
    .map((decision) =>
      [
        `#### decision-${String(decision.id)}`,
        '',
        `**Choice:** ${String(decision.choice)}`,
        '',
        `**Source:** ${String(decision.source)}`,
        '',
        `**Rationale:** ${String(decision.rationale)}`,
      ].join('\n'),
    )
    .join('\n\n');
}

/**
 * The normative statements of the sources (`x-statements`): each quote with its source and the
 * contract checks that enforce it, or the reason it cannot be checked from outside.
 */
function renderStatements(document: JsonObject): string {
  const statements = Array.isArray(document['x-statements']) ? document['x-statements'].filter(isObject) : [];
  const rows = statements.map((statement) => {
    const checks = Array.isArray(statement.checks) ? statement.checks.map((id) => code(String(id))).join(', ') : '';
    const enforced = checks || `not checkable: ${String(statement.reason ?? '')}`;
    const note = typeof statement.note === 'string' ? ` (${statement.note})` : '';
    return [code(String(statement.id)), cell(String(statement.quote)), String(statement.source), `${enforced}${note}`];
  });
  return table(['Statement', 'Quote', 'Source', 'Enforced by'], rows);
}

export function renderMarkdown(document: JsonObject): string {
  const info = isObject(document.info) ? document.info : {};
  const servers = Array.isArray(document.servers) ? document.servers.filter(isObject) : [];
  const schemes =
    isObject(document.components) && isObject(document.components.securitySchemes)
      ? Object.entries(document.components.securitySchemes).filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
      : [];
  const operationRows = summariseOperations(document).map((operation) => [
    `[${operation.operationId}](#${anchor(operation.operationId)})`,
    `${operation.method.toUpperCase()} ${code(operation.path)}`,
    operation.requiredScope === null ? 'none' : code(operation.requiredScope),
    String(operation.successStatus),
    operation.rateLimited ? 'yes' : 'no',
  ]);
  const lines = [
    '<!-- Generated by scripts/build-docs.ts from openapi/tokens.yaml. Do not edit: run `node scripts/build-docs.ts`. -->',
    '',
    `# ${String(info.title)} ${String(info.version)}`,
    '',
    `OpenAPI ${String(document.openapi)}. Interactive reference: [index.html](index.html) (works offline).`,
    '',
    typeof info.description === 'string' ? info.description.trim() : '',
    '',
    '## Servers',
    '',
    ...servers.map((server) => `- ${code(String(server.url))}${server.description ? `: ${String(server.description)}` : ''}`),
    '',
    '## Authentication',
    '',
    ...schemes.map(
      ([name, scheme]) =>
        `- ${code(name)}: ${String(scheme.type)} in ${String(scheme.in)} parameter ${code(String(scheme.name))}. ${cell(String(scheme.description ?? ''))}`,
    ),
    '',
    '## Operations',
    '',
    table(['Operation', 'Route', 'Required scope', 'Success', 'Rate limited'], operationRows),
    '',
    renderOperations(document),
    '',
    '## Error table',
    '',
    'Every condition of every operation, as declared by the named response examples.',
    '',
    renderErrorTable(document),
    '',
    '## Schemas',
    '',
    renderSchemas(document),
    '',
    '## Decisions',
    '',
    'Choices the sources leave open, with the source each rests on (`x-decisions` in the document).',
    '',
    renderDecisions(document),
    '',
    '## Statements',
    '',
    'Every normative statement of the reference, the tutorial and the decisions above, with the `contract-test` checks that enforce it (`x-statements` in the document).',
    '',
    renderStatements(document),
    '',
  ];
  return linkSources(lines.join('\n'), 'sources.md');
}

const sourcesCitation = /docs\/sources\.md §(\d+(?:\.\d+)?)((?:, §\d+(?:\.\d+)?)*)/g;
const sourcesGapsCitation = /docs\/sources\.md(?= \(?gaps\b)/g;

/**
 * The document cites docs/sources.md as plain text (`docs/sources.md §3.2, §7`), which reads the same
 * in YAML, code and Redoc; the Markdown pages turn each citation into links to the sections' anchors
 * (`#s3-2`). `href` is the page's path from where the Markdown is read. Code spans and fenced blocks
 * are left as they are.
 */
function linkSources(markdown: string, href: string): string {
  const link = (label: string, section: string) => `[${label}](${href}#s${section.replaceAll('.', '-')})`;
  const linkProse = (prose: string) =>
    prose
      .replace(sourcesCitation, (_citation, first: string, rest: string) => {
        const more = rest.replace(/§(\d+(?:\.\d+)?)/g, (_section, section: string) => link(`§${section}`, section));
        return link(`sources §${first}`, first) + more;
      })
      .replace(sourcesGapsCitation, `[sources](${href}#gaps)`);
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      if (fenced || !line.includes('docs/sources.md')) return line;
      // Odd parts are code spans.
      return line
        .split(/(`[^`]*`)/)
        .map((part, index) => (index % 2 === 1 ? part : linkProse(part)))
        .join('');
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTML (Redocly)

function redoclyCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
}

/** Runs the Redocly CLI on the toolchain Node, offline: telemetry and update checks off. */
async function redocly(args: string[]): Promise<void> {
  await run(process.execPath, [redoclyCli(), ...args], {
    cwd: projectRoot,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function lintDocument(): Promise<void> {
  await redocly(['lint', relative(projectRoot, documentPath), '--format', 'stylish']);
}

/**
 * Redoc's inline bundle still loads its "API docs by" badge logos from cdn.redoc.ly whenever the
 * page opens, and no option turns the badge off. The reference must work offline and contact no
 * host, so the built page points those two logos at an empty inline SVG instead.
 */
const remoteBadgeLogos = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
const emptySvgDataUrl = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E';

export function inlineBadgeLogos(html: string): string {
  return remoteBadgeLogos.reduce((page, url) => page.replaceAll(url, emptySvgDataUrl), html);
}

/**
 * Redoc still draws the (now blank) "API docs by" badge in the sidebar; the page hides it, and the
 * box around it, with one rule (Redoc has no option for it).
 */
const hideBadgeStyle = '<style>div:has(> span > a[href="https://redocly.com/redoc/"]){display:none!important}</style>';

export function hideBadge(html: string): string {
  if (!html.includes('</head>')) throw new Error('Redoc page without </head>: cannot hide the badge');
  return html.replace('</head>', `${hideBadgeStyle}</head>`);
}

// ---------------------------------------------------------------------------------------------
// The document as Redoc shows it. Redoc hides error conditions in per-status example dropdowns and
// repeats every response's headers; the page is built from a copy of the document reshaped for
// reading by the steps of READING_STEPS (each one small, so another section can be added as a step).
// The contract itself (openapi/tokens.yaml, docs/api.md, the generated module) is unchanged.

type ReadingStep = (document: JsonObject) => void;

/** Headers every response of a kind carries, described once in the introduction instead. */
const SHARED_HEADER_GROUPS: ReadonlyArray<{ label: string; names: readonly string[] }> = [
  { label: 'rate-limit', names: ['X-Rate-Limit-Interval', 'X-Rate-Limit-Limit', 'X-Rate-Limit-Reset'] },
  { label: 'CORS', names: ['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'] },
];

/** Each operation's description ends with its error conditions as a table: condition, status, message or code. */
const addErrorTables: ReadingStep = (document) => {
  const rows = collectErrorConditions(document);
  for (const { operation } of listOperations(document)) {
    const own = rows.filter((row) => row.operationId === operation.operationId);
    if (own.length === 0) continue;
    const lines = [
      '',
      '#### Error conditions',
      '',
      '| Condition | Status | Message or code |',
      '| --- | --- | --- |',
      // Redoc's search index joins table cells with no space ("(revoked-token)401Unauthorized"): each
      // cell ends with an encoded space, which Markdown does not trim and the page does not show.
      ...own.map(
        (row) =>
          `| ${cell(row.condition)} (${code(row.conditionId)})&#32; | ${row.status}&#32; | ${code(row.message ?? String(row.code))}&#32; |`,
      ),
      '',
      'The same rows are the named examples of each status in the samples panel.',
    ];
    operation.description = `${typeof operation.description === 'string' ? operation.description.trimEnd() : ''}\n${lines.join('\n')}\n`;
  }
};

/** Every response object of the document: those of the operations and the shared ones. */
function allResponses(document: JsonObject): JsonObject[] {
  const shared =
    isObject(document.components) && isObject(document.components.responses) ? Object.values(document.components.responses) : [];
  const inline = listOperations(document).flatMap(({ operation }) =>
    isObject(operation.responses) ? Object.values(operation.responses) : [],
  );
  return [...shared, ...inline].filter((response): response is JsonObject => isObject(response) && response.$ref === undefined);
}

/** The rate-limit and CORS header blocks, repeated on nearly every response, become one line each. */
const collapseSharedHeaders: ReadingStep = (document) => {
  // YAML aliases (`headers: *rateLimitedHeaders`) share one object between responses: copy, never mutate.
  for (const response of new Set(allResponses(document))) {
    if (!isObject(response.headers)) continue;
    const headers: JsonObject = { ...response.headers };
    response.headers = headers;
    const carried = SHARED_HEADER_GROUPS.filter((group) => group.names.every((name) => name in headers));
    if (carried.length === 0) continue;
    for (const group of carried) for (const name of group.names) delete headers[name];
    if (Object.keys(headers).length === 0) delete response.headers;
    const groups = carried.map((group) => group.label).join(' and ');
    response.description = `${String(response.description ?? '').trimEnd()}\n\nCarries the ${groups} headers (see *Response headers* in the introduction).`;
  }
  const components = isObject(document.components) && isObject(document.components.headers) ? document.components.headers : {};
  const table = SHARED_HEADER_GROUPS.flatMap((group) =>
    group.names.map((name) => {
      const header = components[name];
      return `| ${code(name)} | ${group.label} | ${cell(isObject(header) ? String(header.description ?? '') : '')} |`;
    }),
  );
  const info = isObject(document.info) ? document.info : {};
  info.description = [
    String(info.description ?? '').trimEnd(),
    '',
    '## Response headers',
    '',
    'Every response that passed authentication carries the rate-limit headers (429 included); every JSON response carries the CORS headers. They are described here once rather than under each response.',
    '',
    '| Header | Group | Meaning |',
    '| --- | --- | --- |',
    ...table,
    '',
  ].join('\n');
};

/**
 * Redoc's search index joins the lines of a paragraph without a space ("`TokenRevoked`\\non" became
 * "TokenRevokedon" in excerpts), so soft line breaks inside paragraphs become spaces. Paragraph
 * breaks, list items, headings, tables and quotes keep their newlines.
 */
export function unfoldParagraphs(markdown: string): string {
  return markdown.replace(/([^\n])\n(?![\n\s>#|*-]|\d+\.\s)/g, '$1 ');
}

function unfoldDescriptions(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(unfoldDescriptions);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'description' && typeof child === 'string') value[key] = unfoldParagraphs(child);
    else unfoldDescriptions(child);
  }
}

const unfoldAllDescriptions: ReadingStep = (document) => unfoldDescriptions(document);

/** The steps, in order: add text first, then unfold every description (the added text included). */
export const READING_STEPS: readonly ReadingStep[] = [addErrorTables, collapseSharedHeaders, unfoldAllDescriptions];

/** A reshaped copy of the document for the HTML reference (the input is left as it is). */
export function documentForReading(document: JsonObject): JsonObject {
  const copy = structuredClone(document);
  for (const step of READING_STEPS) step(copy);
  return copy;
}

/** Builds the standalone HTML into a temporary directory and returns its contents. */
export async function buildHtml(document: JsonObject): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tokens-docs-'));
  try {
    const input = join(dir, 'tokens.json');
    await writeFile(input, JSON.stringify(documentForReading(document)));
    const out = join(dir, 'index.html');
    await redocly(['build-docs', input, '--inlineBundle', '-o', out]);
    return hideBadge(inlineBadgeLogos(await readFile(out, 'utf8')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function renderDocs(): Promise<GeneratedFile[]> {
  const document = await loadDocument();
  await validateDocument(document);
  await lintDocument();
  return [
    { path: htmlPath, contents: await buildHtml(document) },
    // The control surface's own document follows the API reference as a separate section.
    { path: markdownPath, contents: withAdminReference(renderMarkdown(document)) },
    { path: decisionsPath, contents: renderDecisionTable(document) },
  ];
}

async function main(argv: string[]): Promise<number> {
  return writeOrCheck(await renderDocs(), argv, { what: 'docs', command: 'node scripts/build-docs.ts' });
}

// A failed redocly run carries its own output on the error; show that rather than a bare message.
runWhenMain(import.meta.url, main, (error) => {
  const output = isObject(error) ? `${String(error.stdout ?? '')}${String(error.stderr ?? '')}` : '';
  return output || (error instanceof Error ? error.message : String(error));
});
