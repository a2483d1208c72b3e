// A tiny object with the ServableMock interface, for testing the HTTP adapter on its own.
import type { ServableMock } from '../../src/server/index.ts';

export interface StandInMock extends ServableMock {
  /** What the adapter handed to fetch, for assertions. */
  readonly received: Request[];
  state: { counter: number };
  respond: (request: Request) => Promise<Response> | Response;
}

/** Echoes the request as JSON unless `respond` is replaced. */
export function createStandInMock(): StandInMock {
  const received: Request[] = [];
  const mock: StandInMock = {
    received,
    state: { counter: 0 },
    respond: async (request) => {
      const body = request.body === null ? null : await request.text();
      return Response.json({
        method: request.method,
        url: request.url,
        headers: [...request.headers],
        body,
      });
    },
    async fetch(request) {
      received.push(request);
      mock.state.counter += 1;
      return mock.respond(request);
    },
    snapshot: () => structuredClone(mock.state),
    async restore(state) {
      const candidate = state as { counter?: unknown };
      if (typeof candidate.counter !== 'number') throw new Error('not a stand-in state');
      mock.state = { counter: candidate.counter };
    },
    defaultAccount: async () => ({ username: 'standin', secretToken: 'sk.stand.in' }),
  };
  return mock;
}
