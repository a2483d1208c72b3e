/**
 * JSON from an untrusted server, bounded before anything else walks it: JSON.parse itself does not
 * recurse, but validators, redaction, JSON.stringify and reporters do, and a body of tiny values
 * costs far more memory parsed than as text. A body nested deeper than MAX_DEPTH or holding more
 * than MAX_VALUES values is treated as unparseable (the checks then fail on it, the run goes on).
 * The parsed value outlives the request (preconditions keep their answers), so its size is bounded too.
 */
const MAX_JSON_DEPTH = 64;
const MAX_JSON_VALUES = 200_000;
/** Larger bodies are not parsed at all (a full page of 100 tokens is a few hundred KiB). */
export const MAX_JSON_CHARS = 2 * 1024 * 1024;

export interface BoundedJson {
  value: unknown;
  error?: string;
}

export function boundedJson(text: string): BoundedJson {
  if (text.length > MAX_JSON_CHARS)
    return {
      value: undefined,
      error: `the body has ${text.length} characters, more than the ${MAX_JSON_CHARS} parsed as JSON; not examined`,
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { value: undefined, error: error instanceof Error ? error.message : String(error) };
  }
  const problem = jsonBoundsProblem(value);
  return problem ? { value: undefined, error: problem } : { value };
}

/** Why a parsed value is out of bounds (too deep, too many values), or undefined; iterative. */
function jsonBoundsProblem(root: unknown, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): string | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  let count = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    count += 1;
    if (count > maxValues) return `the JSON body holds more than ${maxValues} values; not examined`;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return `the JSON body is nested deeper than ${maxDepth} levels; not examined`;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from: V8 keeps a slice's
 * whole parent alive, so a short excerpt of a 10 MiB body would retain all of it.
 */
export function detach(text: string): string {
  return text.length === 0 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
