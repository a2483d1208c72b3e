// Renders the control surface's OpenAPI document (src/server/admin-openapi.ts) as its own section
// of docs/api.md: the endpoints, their bodies, answers and schemas. Kept apart from the Tokens API
// renderer in build-docs.ts because it is a different document with a different audience.
import { adminOpenapiDocument } from '../../src/server/admin-openapi.ts';

type Json = Record<string, unknown>;

const cell = (text: string): string =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('|', '\\|')
    .trim();
const refName = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Json).$ref === 'string'
    ? String((value as Json).$ref)
        .split('/')
        .pop()
    : undefined;

function schemaText(schema: unknown): string {
  const name = refName(schema);
  return name === undefined ? `\`${JSON.stringify(schema)}\`` : `[${name}](#admin-schema-${name.toLowerCase()})`;
}

function renderAdminReference(document: Json = adminOpenapiDocument as unknown as Json): string {
  const info = document.info as Json;
  const paths = document.paths as Record<string, Record<string, Json>>;
  const schemas = (document.components as Json).schemas as Record<string, unknown>;
  const out: string[] = [
    '## Control surface (`/__admin/`)',
    '',
    `A separate document, *${String(info.title)}*, served by \`tokens-mock\` at \`/__admin/openapi.json\`. Guide: [control-surface.md](control-surface.md).`,
    '',
    String(info.description),
    '',
    '| Operation | Route | Summary |',
    '| --- | --- | --- |',
  ];
  const operations: Array<[string, string, Json]> = [];
  for (const [path, item] of Object.entries(paths))
    for (const [method, operation] of Object.entries(item)) operations.push([path, method, operation]);
  for (const [path, method, operation] of operations) {
    out.push(
      `| [${String(operation.operationId)}](#admin-${String(operation.operationId).toLowerCase()}) | ${method.toUpperCase()} \`${path}\` | ${cell(String(operation.summary))} |`,
    );
  }
  for (const [path, method, operation] of operations) {
    out.push(
      '',
      `<a id="admin-${String(operation.operationId).toLowerCase()}"></a>`,
      `### ${String(operation.operationId)}`,
      '',
      `**${method.toUpperCase()} \`${path}\`**: ${String(operation.summary)}`,
    );
    if (typeof operation.description === 'string') out.push('', operation.description);
    const parameters = (operation.parameters as Json[] | undefined) ?? [];
    if (parameters.length > 0) {
      out.push('', '| Query parameter | Schema | Description |', '| --- | --- | --- |');
      for (const parameter of parameters)
        out.push(`| \`${String(parameter.name)}\` | ${schemaText(parameter.schema)} | ${cell(String(parameter.description ?? ''))} |`);
    }
    const body = ((operation.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
    if (body !== undefined) out.push('', `Request body (JSON): ${schemaText(body.schema)}`);
    out.push('', '| Status | Body | Meaning |', '| --- | --- | --- |');
    for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
      const content = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      out.push(`| ${status} | ${content === undefined ? 'none' : schemaText(content)} | ${cell(String(response.description))} |`);
    }
  }
  out.push('', '### Control surface schemas');
  for (const [name, schema] of Object.entries(schemas)) {
    out.push('', `<a id="admin-schema-${name.toLowerCase()}"></a>`, `#### ${name}`, '', '```json', JSON.stringify(schema, null, 2), '```');
  }
  return `${out.join('\n')}\n`;
}

/** docs/api.md: the Tokens API reference, then the control surface as its own section. */
export function withAdminReference(apiMarkdown: string): string {
  return `${apiMarkdown}\n${renderAdminReference()}`;
}
