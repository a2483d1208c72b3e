import type { TokensMockCore } from '../../mock/tokens-mock-core.ts';
import type { OwnedTokens } from '../owned-tokens.ts';
import { nextLink } from '../link-header.ts';
import { decodeTokenString, forgeSignature } from '../token-strings.ts';
import { operationPath } from '../../generated/api-tables.ts';
import type { QueryInit, TokensApi } from '../tokens-api.ts';
import type { ApiResponse } from '../transport.ts';
import {
  describeAction,
  operationOf,
  type Action,
  type ActorRef,
  type ExpiresSpec,
  type NoteSpec,
  type SubjectRef,
  type UrlsSpec,
} from './actions.ts';
import { compareAnswers, type Answer, type CompareSettings, type Names } from './compare.ts';
import { SCRIPT_USER, scriptPath, type ScriptRequest, type ScriptToken } from './replay-script.ts';

/** Everything a sequence shares with the run. */
export interface SequenceEnvironment {
  api: TokensApi;
  owned: OwnedTokens;
  username: string;
  masterToken: string;
  /** The run token's id on the target (from retrieve), when the server said. */
  masterId: string | undefined;
  model: TokensMockCore;
  modelMasterToken: string;
  modelMasterId: string;
  /** Mock time of the model (the embedded run's virtual clock, or the server's estimated clock). */
  now(): number;
  /** Lets `ms` pass for both sides; undefined when waits are off (the step is skipped). */
  wait: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  compare: CompareSettings;
  /** Steps using a temporary token this close to its expiry are skipped (0: exact clocks). */
  expiryMarginMs: number;
  /** What the target's answer says of its clock (its `Date`, a temporary token's iat); sent and received at, local ms. */
  observe(answer: Answer, sentAt: number, receivedAt: number): void;
  /** Throws (BudgetExhausted) when the next request would exceed the budget. */
  beforeRequest(): void;
  signal?: AbortSignal;
}

/** The target and the model disagree at one step. */
export class Divergence extends Error {
  readonly step: ExecutedStep;
  constructor(step: ExecutedStep) {
    super(`step ${step.index + 1} (${step.description}) diverged: ${step.deviations.join('; ')}`);
    this.name = 'Divergence';
    this.step = step;
  }
}

/** The target answered 429 after the transport's retries: nothing can be concluded from this sequence. */
export class Inconclusive extends Error {}

interface CreatedToken {
  usage: 'pk' | 'sk' | 'tk';
  targetId?: string;
  modelId?: string;
  targetToken: string;
  modelToken: string;
  deleted: boolean;
  /** Expiry of a temporary token, epoch seconds. */
  exp?: number;
}

interface OpenListing {
  target: string;
  model: string;
}

/** A short form of an answer, for reports and replay scripts. */
export interface AnswerSummary {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One step that was sent to both sides. */
export interface ExecutedStep {
  index: number;
  description: string;
  request: ScriptRequest;
  target: AnswerSummary;
  model: AnswerSummary;
  deviations: string[];
  tolerated: string[];
}

/**
 * One sequence: each step goes to the target (through the run's TokensApi: pacing, ownership
 * fence, recording) and then, with the same inputs, to a fresh model account; the answers are
 * compared at once and the first deviation ends the sequence as a Divergence.
 */
export class LockstepSequence {
  readonly env: SequenceEnvironment;
  readonly tokens: CreatedToken[] = [];
  readonly listings: OpenListing[] = [];
  readonly steps: ExecutedStep[] = [];
  /** Steps not applicable when they came (no such token or listing), or too close to an expiry to judge. */
  skipped = 0;
  toleratedCount = 0;
  #actionIndex = 0;

  constructor(env: SequenceEnvironment) {
    this.env = env;
  }

  async run(action: Action): Promise<void> {
    const index = this.#actionIndex++;
    if (action.op === 'wait') {
      if (this.env.wait === undefined) {
        this.skipped += 1;
        return;
      }
      await this.env.wait(action.ms, this.env.signal);
      this.steps.push({
        index,
        description: describeAction(action),
        request: { wait: action.ms },
        target: none(),
        model: none(),
        deviations: [],
        tolerated: [],
      });
      return;
    }
    const plan = this.#plan(action);
    if (plan === undefined) {
      this.skipped += 1;
      return;
    }
    this.env.beforeRequest();
    const targetUrl = this.env.api.url(plan.targetPath, plan.query, plan.targetToken);
    const modelUrl = this.env.api.url(plan.modelPath, plan.query, plan.modelToken);
    if (plan.kind === 'create') this.env.owned.createAttempts += 1;
    if (plan.writesId !== undefined) this.env.owned.assertWritable(plan.writesId);
    const sentAt = Date.now();
    const response = await this.env.api.call({
      method: plan.method,
      path: plan.targetPath,
      query: plan.query,
      ...(plan.targetToken === undefined ? {} : { token: plan.targetToken }),
      ...(plan.body === undefined ? {} : { rawBody: plan.body }),
      label: 'explore',
    });
    // Ownership is proven (a retrieve of the answer's token string) before the id may be written to.
    if (plan.kind === 'create') await this.env.api.registerCreated(response, 'explore');
    if (plan.kind === 'delete' && plan.writesId !== undefined && response.status >= 200 && response.status < 300)
      this.env.owned.markDeleted(plan.writesId);
    if (response.status === 429) throw new Inconclusive('the target answered 429 Too Many Requests');
    const target = fromApiResponse(response);
    this.env.observe(target, sentAt, Date.now());
    const plain = await this.env.model.handle({ method: plan.method, url: modelUrl, text: async () => plan.body ?? '' });
    const model = fromPlain(plain);

    this.#learn(plan, target, model);
    const targetNames: Names = { ids: this.#ids('target'), tokens: this.#tokenLabels('target'), requestUrl: targetUrl };
    const modelNames: Names = { ids: this.#ids('model'), tokens: this.#tokenLabels('model'), requestUrl: modelUrl };
    const comparison = compareAnswers(operationOf(action), target, model, targetNames, modelNames, this.env.compare);
    const step: ExecutedStep = {
      index,
      description: describeAction(action),
      request: plan.script,
      target: summary(target),
      model: summary(model),
      deviations: comparison.deviations,
      tolerated: comparison.tolerated,
    };
    this.steps.push(step);
    this.toleratedCount += comparison.tolerated.length;
    if (comparison.deviations.length > 0) throw new Divergence(step);
    if (action.op === 'list' || action.op === 'list-next') this.#followListing(action, target, model, targetUrl, modelUrl);
  }

  // ---- planning: the same request for both sides ----

  #plan(action: Exclude<Action, { op: 'wait' }>): Plan | undefined {
    const username = this.env.username;
    const user = operationPath('listTokens', { username });
    switch (action.op) {
      case 'create':
      case 'create-temporary': {
        const actor = this.#actor(action.actor);
        if (actor === undefined) return undefined;
        const body = action.op === 'create' ? this.#createBody(action.body) : this.#temporaryBody(action.body, action.actor);
        if (body === undefined) return undefined;
        const index = this.tokens.length;
        return {
          kind: 'create',
          method: 'POST',
          targetPath: user,
          modelPath: user,
          query: [],
          ...actor,
          body: body.text,
          script: {
            method: 'POST',
            path: scriptPath('createToken', { username: SCRIPT_USER }),
            query: [],
            token: actor.script,
            body: body.script,
            captures: index,
          },
        };
      }
      case 'update':
      case 'delete': {
        const actor = this.#actor(action.actor);
        const subject = this.#subject(action.subject);
        if (actor === undefined || subject === undefined) return undefined;
        const operation = action.op === 'update' ? 'updateToken' : 'deleteToken';
        const targetPath = operationPath(operation, { username, token_id: subject.targetId });
        const modelPath = operationPath(operation, { username, token_id: subject.modelId });
        const script: ScriptRequest = {
          method: action.op === 'update' ? 'PATCH' : 'DELETE',
          path: scriptPath(operation, { username: SCRIPT_USER, token_id: subject.script }),
          query: [],
          token: actor.script,
        };
        if (action.op === 'delete')
          return { kind: 'delete', method: 'DELETE', targetPath, modelPath, query: [], ...actor, writesId: subject.targetId, script };
        const body = this.#updateBody(action.body);
        return {
          kind: 'update',
          method: 'PATCH',
          targetPath,
          modelPath,
          query: [],
          ...actor,
          writesId: subject.targetId,
          body: body.text,
          script: { ...script, body: body.script },
        };
      }
      case 'list': {
        const actor = this.#actor(action.actor);
        if (actor === undefined) return undefined;
        // With tokens the model cannot know, only whole first pages compare (this run's tokens are on them in both).
        const query = (Object.entries(action.query) as [string, string][]).filter(
          ([name]) => this.env.compare.comparableListings || (name !== 'limit' && name !== 'start'),
        );
        const path = action.user === 'self' ? user : operationPath('listTokens', { username: UNKNOWN_USER });
        const opens = this.env.compare.comparableListings ? this.listings.length : undefined;
        return {
          kind: 'list',
          method: 'GET',
          targetPath: path,
          modelPath: path,
          query,
          ...actor,
          script: {
            method: 'GET',
            path: action.user === 'self' ? scriptPath('listTokens', { username: SCRIPT_USER }) : path,
            query,
            token: actor.script,
            ...(opens === undefined ? {} : { opensListing: opens }),
          },
        };
      }
      case 'list-next': {
        if (this.listings.length === 0) return undefined;
        const cursor = action.cursor % this.listings.length;
        const listing = this.listings[cursor]!;
        const actor = this.#actor(action.actor);
        if (actor === undefined) return undefined;
        return {
          kind: 'list-next',
          method: 'GET',
          targetPath: listing.target,
          modelPath: listing.model,
          query: [],
          cursor,
          ...actor,
          script: { method: 'GET', path: '', followsListing: cursor, query: [], token: actor.script, opensListing: cursor },
        };
      }
      case 'retrieve': {
        const actor = this.#actor(action.subject);
        if (actor === undefined) return undefined;
        return {
          kind: 'retrieve',
          method: 'GET',
          targetPath: operationPath('retrieveToken', {}),
          modelPath: operationPath('retrieveToken', {}),
          query: [],
          ...actor,
          script: { method: 'GET', path: operationPath('retrieveToken', {}), query: [], token: actor.script },
        };
      }
      case 'scopes': {
        const actor = this.#actor(action.actor);
        if (actor === undefined) return undefined;
        const path = operationPath('listScopes', { username });
        return {
          kind: 'scopes',
          method: 'GET',
          targetPath: path,
          modelPath: path,
          query: [],
          ...actor,
          script: { method: 'GET', path: scriptPath('listScopes', { username: SCRIPT_USER }), query: [], token: actor.script },
        };
      }
    }
  }

  /** The token strings of an actor on each side; undefined when the step cannot be judged. */
  #actor(ref: ActorRef): { targetToken: string | undefined; modelToken: string | undefined; script: ScriptToken } | undefined {
    switch (ref.kind) {
      case 'master':
        return { targetToken: this.env.masterToken, modelToken: this.env.modelMasterToken, script: { kind: 'master' } };
      case 'missing':
        return { targetToken: undefined, modelToken: undefined, script: { kind: 'none' } };
      case 'malformed':
        return { targetToken: ref.text, modelToken: ref.text, script: { kind: 'literal', text: ref.text } };
      case 'created': {
        if (this.tokens.length === 0) return undefined;
        const index = ref.pick % this.tokens.length;
        const token = this.tokens[index]!;
        // Within the margin of its expiry, a temporary token may be live on one side and expired on the other.
        if (token.exp !== undefined && this.env.expiryMarginMs > 0 && Math.abs(token.exp * 1000 - this.env.now()) < this.env.expiryMarginMs)
          return undefined;
        const forge = (value: string): string => (ref.forged ? forgeSignature(value) : value);
        return {
          targetToken: forge(token.targetToken),
          modelToken: forge(token.modelToken),
          script: { kind: 'created', index, forged: ref.forged },
        };
      }
    }
  }

  #subject(ref: SubjectRef): { targetId: string; modelId: string; script: string } | undefined {
    if (ref.kind === 'absent') {
      const id = this.env.owned.fabricateId();
      return { targetId: id, modelId: id, script: id };
    }
    const permanent = this.tokens
      .map((token, index) => ({ token, index }))
      .filter(({ token }) => token.targetId !== undefined && token.modelId !== undefined);
    if (permanent.length === 0) return undefined;
    const { token, index } = permanent[ref.pick % permanent.length]!;
    return { targetId: token.targetId!, modelId: token.modelId!, script: `{ID:${index}}` };
  }

  #note(spec: NoteSpec): unknown {
    if (spec === 'marker') return this.env.owned.note('explore');
    if (spec === null || spec === '') return spec;
    return spec.invalid;
  }

  #urls(spec: UrlsSpec): unknown {
    if (spec === null) return null;
    if ('invalid' in spec) return spec.invalid;
    return Array.from({ length: spec.count }, (_, index) => `https://example.com/explore/${index}`);
  }

  #scopes(spec: string[] | { invalid: unknown }): unknown {
    return Array.isArray(spec) ? spec : spec.invalid;
  }

  #createBody(spec: Extract<Action, { op: 'create' }>['body']): { text: string; script: ScriptRequest['body'] } {
    if ('raw' in spec) return { text: spec.raw, script: { raw: spec.raw } };
    const body: Record<string, unknown> = {};
    if (spec.note !== undefined) body['note'] = this.#note(spec.note);
    if (spec.scopes !== undefined) body['scopes'] = this.#scopes(spec.scopes);
    if (spec.allowedUrls !== undefined) body['allowedUrls'] = this.#urls(spec.allowedUrls);
    if (spec.extra === 'unknown-property') body['colour'] = 'blue';
    if (spec.extra === 'resources') body['resources'] = [];
    const text = JSON.stringify(body);
    return { text, script: { json: text } };
  }

  #updateBody(spec: Extract<Action, { op: 'update' }>['body']): { text: string; script: ScriptRequest['body'] } {
    if ('raw' in spec) return { text: spec.raw, script: { raw: spec.raw } };
    return this.#createBody({ ...spec, ...(spec.extra === undefined ? {} : { extra: spec.extra }) });
  }

  #temporaryBody(
    spec: Extract<Action, { op: 'create-temporary' }>['body'],
    actorRef: ActorRef,
  ): { text: string; script: ScriptRequest['body'] } | undefined {
    const expires = this.#expires(spec.expires, actorRef);
    if (expires === undefined) return undefined;
    const body: Record<string, unknown> = { expires: expires.value };
    if (spec.scopes !== undefined) body['scopes'] = this.#scopes(spec.scopes);
    if (spec.note !== undefined) body['note'] = this.#note(spec.note);
    if (spec.allowedUrls !== undefined) body['allowedUrls'] = this.#urls(spec.allowedUrls);
    const text = JSON.stringify(body);
    return {
      text,
      script: {
        json: expires.placeholder === undefined ? text : text.replace(JSON.stringify(expires.value), JSON.stringify(expires.placeholder)),
      },
    };
  }

  #expires(spec: ExpiresSpec, actorRef: ActorRef): { value: unknown; placeholder?: string } | undefined {
    if ('invalid' in spec) return { value: spec.invalid };
    if ('afterNowMs' in spec)
      return { value: new Date(this.env.now() + spec.afterNowMs).toISOString(), placeholder: `{EXPIRES_AFTER_MS:${spec.afterNowMs}}` };
    if (actorRef.kind !== 'created' || this.tokens.length === 0) return undefined;
    const index = actorRef.pick % this.tokens.length;
    const parent = this.tokens[index]!;
    if (parent.exp === undefined) return undefined;
    return {
      value: new Date((parent.exp + spec.afterParentSeconds) * 1000).toISOString(),
      placeholder: `{EXPIRES_AFTER_PARENT:${index}:${spec.afterParentSeconds}}`,
    };
  }

  // ---- what the answers teach: new tokens, deletions, open listings ----

  #learn(plan: Plan, target: Answer, model: Answer): void {
    const ok = (answer: Answer): boolean => answer.status >= 200 && answer.status < 300;
    if (plan.kind === 'create' && ok(target) && ok(model)) {
      const t = target.json as { id?: unknown; token?: unknown } | undefined;
      const m = model.json as { id?: unknown; token?: unknown };
      if (typeof t?.token !== 'string' || typeof m.token !== 'string') return;
      const usage = m.token.slice(0, 2) as CreatedToken['usage'];
      const created: CreatedToken = { usage, targetToken: t.token, modelToken: m.token, deleted: false };
      if (typeof t.id === 'string') created.targetId = t.id;
      if (typeof m.id === 'string') created.modelId = m.id;
      if (usage === 'tk') {
        const exp = decodeTokenString(m.token)?.claims['exp'];
        if (typeof exp === 'number') created.exp = exp;
      }
      this.tokens.push(created);
    }
    if (plan.kind === 'delete' && ok(model)) {
      const token = this.tokens.find(
        (candidate) => candidate.modelId !== undefined && plan.modelPath.endsWith(`/${encodeURIComponent(candidate.modelId)}`),
      );
      if (token && ok(target)) token.deleted = true;
    }
  }

  #followListing(action: Action, target: Answer, model: Answer, targetUrl: string, modelUrl: string): void {
    if (!this.env.compare.comparableListings) return;
    const targetNext = nextLink(target.headers['link'] ?? null);
    const modelNext = nextLink(model.headers['link'] ?? null);
    const cursor = action.op === 'list-next' ? action.cursor % this.listings.length : undefined;
    if (targetNext === undefined || modelNext === undefined) {
      if (cursor !== undefined) this.listings.splice(cursor, 1);
      return;
    }
    const listing = { target: new URL(targetNext, targetUrl).toString(), model: new URL(modelNext, modelUrl).toString() };
    if (cursor === undefined) this.listings.push(listing);
    else this.listings[cursor] = listing;
  }

  #ids(side: 'target' | 'model'): Map<string, string> {
    const ids = new Map<string, string>();
    const master = side === 'target' ? this.env.masterId : this.env.modelMasterId;
    if (master !== undefined) ids.set(master, 'master');
    this.tokens.forEach((token, index) => {
      const id = side === 'target' ? token.targetId : token.modelId;
      if (id !== undefined) ids.set(id, `created#${index}`);
    });
    return ids;
  }

  #tokenLabels(side: 'target' | 'model'): Map<string, string> {
    const labels = new Map<string, string>([[side === 'target' ? this.env.masterToken : this.env.modelMasterToken, 'master token']]);
    for (const [index, token] of this.tokens.entries())
      labels.set(side === 'target' ? token.targetToken : token.modelToken, `created#${index} token`);
    return labels;
  }
}

/** A username no account has (listing it must answer No such user). */
const UNKNOWN_USER = 'explore-no-such-user-7c1d';

interface Plan {
  kind: 'create' | 'update' | 'delete' | 'list' | 'list-next' | 'retrieve' | 'scopes';
  method: string;
  targetPath: string;
  modelPath: string;
  query: QueryInit;
  targetToken: string | undefined;
  modelToken: string | undefined;
  body?: string;
  /** The token id a PATCH or DELETE writes to (checked against the ownership fence first). */
  writesId?: string;
  cursor?: number;
  script: ScriptRequest;
}

function lowerCaseHeaders(entries: Iterable<[string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) headers[name.toLowerCase()] = value;
  return headers;
}

function fromApiResponse(response: ApiResponse): Answer {
  return { status: response.status, headers: lowerCaseHeaders(response.headers.entries()), text: response.text, json: response.json };
}

function fromPlain(plain: { status: number; headers: Readonly<Record<string, string>>; body: string | null }): Answer {
  const text = plain.body ?? '';
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: plain.status, headers: lowerCaseHeaders(Object.entries(plain.headers)), text, json };
}

const SHOWN_HEADERS = [
  'content-type',
  'link',
  'x-rate-limit-limit',
  'x-rate-limit-interval',
  'x-rate-limit-reset',
  'access-control-allow-origin',
];

function summary(answer: Answer): AnswerSummary {
  const headers: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) if (answer.headers[name] !== undefined) headers[name] = answer.headers[name]!;
  return { status: answer.status, headers, body: answer.text.length > 600 ? `${answer.text.slice(0, 597)}...` : answer.text };
}

function none(): AnswerSummary {
  return { status: 0, headers: {}, body: '' };
}
