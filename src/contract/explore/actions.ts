/**
 * The steps an exploration sequence is made of, as plain data: what to send, never how. Token and
 * cursor references are numbers resolved against the sequence's state when the step runs (modulo
 * what exists then), so fast-check can drop any step while shrinking and the rest still means
 * something.
 */

/** Who acts: the run's token, a token this sequence created (as issued or with a forged signature), none, or garbage. */
export type ActorRef =
  | { kind: 'master' }
  | { kind: 'created'; pick: number; forged: boolean }
  | { kind: 'missing' }
  | { kind: 'malformed'; text: string };

/** A note value: the run's marker note (so cleanup can find the token), null, the empty string, or a wrong type. */
export type NoteSpec = 'marker' | null | '' | { invalid: unknown };

/** allowedUrls: that many distinct URLs (100 and 101 are the edges), null, or an invalid value. */
export type UrlsSpec = { count: number } | null | { invalid: unknown };

/** A permanent (pk/sk) create body; absent keys are left out. `extra` adds an unknown or beta property. */
export interface CreateBody {
  note?: NoteSpec;
  scopes?: string[] | { invalid: unknown };
  allowedUrls?: UrlsSpec;
  extra?: 'unknown-property' | 'resources';
}

/**
 * When a temporary token expires: milliseconds after the model's now (0 is "now", refused as past;
 * 3 600 000 is the one-hour edge), relative to the acting temporary token's own expiry, or an
 * invalid value.
 */
export type ExpiresSpec = { afterNowMs: number } | { afterParentSeconds: number } | { invalid: unknown };

export interface TemporaryBody {
  expires: ExpiresSpec;
  scopes?: string[] | { invalid: unknown };
  note?: NoteSpec;
  allowedUrls?: UrlsSpec;
}

export interface UpdateBody {
  note?: NoteSpec;
  scopes?: string[] | { invalid: unknown };
  allowedUrls?: UrlsSpec;
  extra?: 'unknown-property';
}

/** A permanent token of this sequence (any state), or an id no token has. */
export type SubjectRef = { kind: 'created'; pick: number } | { kind: 'absent' };

export interface ListQuerySpec {
  usage?: string;
  default?: string;
  sortby?: string;
  limit?: string;
  /** A start cursor no server issued. */
  start?: string;
}

export type Action =
  | { op: 'create'; actor: ActorRef; body: CreateBody | { raw: string } }
  | { op: 'create-temporary'; actor: ActorRef; body: TemporaryBody }
  | { op: 'update'; actor: ActorRef; subject: SubjectRef; body: UpdateBody | { raw: string } }
  | { op: 'delete'; actor: ActorRef; subject: SubjectRef }
  | { op: 'list'; actor: ActorRef; query: ListQuerySpec; user: 'self' | 'unknown' }
  /** Follows the `Link: rel="next"` of an open listing (writes may have happened since). */
  | { op: 'list-next'; actor: ActorRef; cursor: number }
  | { op: 'retrieve'; subject: ActorRef }
  | { op: 'scopes'; actor: ActorRef }
  /** Lets time pass (the embedded run moves both clocks; a server is waited for). */
  | { op: 'wait'; ms: number };

/** The operation id of the document each action exercises (for the error table). */
export function operationOf(action: Action): string | undefined {
  switch (action.op) {
    case 'create':
    case 'create-temporary':
      return 'createToken';
    case 'update':
      return 'updateToken';
    case 'delete':
      return 'deleteToken';
    case 'list':
    case 'list-next':
      return 'listTokens';
    case 'retrieve':
      return 'retrieveToken';
    case 'scopes':
      return 'listScopes';
    case 'wait':
      return undefined;
  }
}

function actor(ref: ActorRef): string {
  switch (ref.kind) {
    case 'master':
      return 'master';
    case 'created':
      return `${ref.forged ? 'forged ' : ''}created#${ref.pick}`;
    case 'missing':
      return 'no token';
    case 'malformed':
      return `malformed ${JSON.stringify(ref.text)}`;
  }
}

function subject(ref: SubjectRef): string {
  return ref.kind === 'absent' ? 'absent id' : `created#${ref.pick}`;
}

function body(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item === undefined ? null : item));
}

/** One line per action, the form minimal sequences are printed in. */
export function describeAction(action: Action): string {
  switch (action.op) {
    case 'create':
      return `create by ${actor(action.actor)} ${body(action.body)}`;
    case 'create-temporary':
      return `create temporary by ${actor(action.actor)} ${body(action.body)}`;
    case 'update':
      return `update ${subject(action.subject)} by ${actor(action.actor)} ${body(action.body)}`;
    case 'delete':
      return `delete ${subject(action.subject)} by ${actor(action.actor)}`;
    case 'list':
      return `list ${action.user === 'self' ? '' : 'unknown user '}by ${actor(action.actor)} ${body(action.query)}`;
    case 'list-next':
      return `next page of listing#${action.cursor} by ${actor(action.actor)}`;
    case 'retrieve':
      return `retrieve ${actor(action.subject)}`;
    case 'scopes':
      return `list scopes by ${actor(action.actor)}`;
    case 'wait':
      return `wait ${action.ms} ms`;
  }
}
