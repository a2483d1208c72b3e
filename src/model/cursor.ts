import { base64UrlToText, textToBase64Url } from './base64url.ts';

/**
 * List cursors (`start`) are opaque: base64url of "<sort key ms>.<token id>" of the last item served.
 * Being a position rather than an index, they stay valid when tokens are created or deleted meanwhile.
 */
export interface ListPosition {
  key: number;
  id: string;
}

export function encodeCursor(position: ListPosition): string {
  return textToBase64Url(`${position.key}.${position.id}`);
}

const CURSOR_TEXT = /^(\d{1,16})\.([0-9a-z]{1,64})$/;

/** undefined when the value is not a cursor of this format (the route answers 500, as documented). */
export function decodeCursor(start: string): ListPosition | undefined {
  const text = base64UrlToText(start);
  // Stryker disable next-line ConditionalExpression: [equivalent] an undecodable cursor is refused either way, with the same answer
  const match = text === undefined ? null : CURSOR_TEXT.exec(text);
  // Stryker disable next-line ConditionalExpression: [equivalent] the fields read from no match are undefined, which the caller refuses the same way
  if (!match) return undefined;
  return { key: Number(match[1]), id: match[2]! };
}

export function comparePositions(a: ListPosition, b: ListPosition): number {
  if (a.key !== b.key) return a.key - b.key;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
