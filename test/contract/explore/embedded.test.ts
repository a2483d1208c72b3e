// Exploration of the embedded mock: the faithful mock never diverges from its own model, a seed
// replays a run exactly, and a divergence comes back shrunk with a replay script.
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../../src/cli/contract-test.ts';
import { documentedConditions } from '../../../src/contract/document.ts';
import { compareAnswers, type Answer, type CompareSettings, type Names } from '../../../src/contract/explore/compare.ts';
import { exploreContract } from '../../../src/contract/explore/explore.ts';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), onInterrupt: () => () => undefined };
}

describe('exploring the embedded mock', { timeout: 120_000 }, () => {
  it('finds no divergence in 1 000 sequences, and every step is answered by both sides', async () => {
    const report = await exploreContract({ runs: 1000, seed: 20261129 });
    expect(report.divergence?.step).toBeUndefined();
    expect(report.stopped).toBe('done');
    expect(report.sequences).toMatchObject({ run: 1000, generated: 1000, completed: 1000, inconclusive: 0 });
    // Every create the target answered is proven ours by one retrieve of its token string.
    expect(report.requests.ownershipProofs).toBeGreaterThan(0);
    expect(report.requests.target).toBe(report.requests.model + report.requests.ownershipProofs);
    expect(report.steps.run).toBeGreaterThan(3000);
  });

  it('replays a run exactly from its seed', async () => {
    const summary = async (): Promise<unknown> => {
      const report = await exploreContract({ runs: 60, seed: 99, faults: ['update-pk-accepts-secret-scope'] });
      return {
        sequences: report.sequences,
        requests: report.requests,
        steps: report.steps,
        divergence: report.divergence?.sequence,
        step: report.divergence?.step.target.body,
      };
    };
    const first = await summary();
    expect(first).toEqual(await summary());
    expect((first as { requests: { target: number } }).requests.target).toBeGreaterThan(0);
  });

  it('shrinks a divergence to its minimal sequence, with both answers and a replay script', async () => {
    const report = await exploreContract({ runs: 200, seed: 7, faults: ['delete-answers-200'] });
    expect(report.stopped).toBe('divergence');
    expect(report.divergence!.sequence).toHaveLength(2);
    expect(report.divergence!.sequence[0]).toMatch(/^create by master /);
    expect(report.divergence!.sequence[1]).toMatch(/^delete created#0 by /);
    expect(report.divergence!.step.model.status).toBe(204);
    expect(report.divergence!.step.target.status).toBe(200);
    expect(report.divergence!.step.deviations).toEqual(['status 200, expected 204']);
    const script = report.divergence!.replayScript;
    expect(script).toMatch(/^#!\/usr\/bin\/env bash/);
    expect(script).toContain('call POST "$BASE/tokens/v2/$USER_NAME?access_token=$TOKEN" \'{');
    expect(script).toContain('tok_0="$(field token)"; id_0="$(field id)"');
    expect(script).toContain('call DELETE "$BASE/tokens/v2/$USER_NAME/$id_0?access_token=');
    // The cleanup deletes what the script created, on the same route.
    expect(script).toContain('curl -sS -o /dev/null -X DELETE "$BASE/tokens/v2/$USER_NAME/$id?access_token=$TOKEN" || true');
    expect(script).toContain("echo 'expected (the model): HTTP 204 '");
  });

  it('a message the document takes from a source stays a deviation when not strict', async () => {
    const lenient = await exploreContract({ runs: 300, seed: 42, faults: ['not-found-lowercase'], strictMessages: false });
    expect(lenient.divergence?.step.deviations[0]).toBe('message "Not found", expected "Not Found"');
  });
});

describe('contract-test --explore (embedded)', { timeout: 60_000 }, () => {
  it('exits 0 and reports sequences and requests', async () => {
    const io = captureIo();
    const code = await main(['--explore', '--runs', '40', '--seed', '3'], io);
    const text = io.out.join('');
    expect(code).toBe(0);
    expect(text).toMatch(/40 sequences run \(40 generated, 40 completed, 0 inconclusive\)/);
    expect(text).toMatch(/\d+ requests to the target, \d+ answered by the model/);
    expect(text).toContain('no divergence from the model');
  });

  it('prints the report as JSON', async () => {
    const io = captureIo();
    expect(await main(['--explore', '--runs', '5', '--seed', '3', '--reporter', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ tool: 'contract-test --explore', seed: 3, sequences: { run: 5 } });
  });

  it('exits 2 without a username, or when the server cannot be reached', async () => {
    const missing = captureIo();
    expect(await main(['--explore', '--base-url', 'http://127.0.0.1:9', '--token', 'sk.x.y'], missing)).toBe(2);
    expect(missing.err.join('')).toContain('a username is required');
    const unreachable = captureIo();
    expect(
      await main(['--explore', '--base-url', 'http://127.0.0.1:9', '--username', 'u', '--token', 'sk.secret.token'], unreachable),
    ).toBe(2);
    expect(unreachable.err.join('')).toMatch(/^contract-test: GET http:\/\/127\.0\.0\.1:9\/tokens\/v2\?access_token=sk\.… failed/);
  });

  it('refuses the junit reporter', async () => {
    const io = captureIo();
    expect(await main(['--explore', '--reporter', 'junit'], io)).toBe(2);
    expect(io.err.join('')).toContain('--explore reports as human or json');
  });

  it('refuses a bad --runs', async () => {
    const io = captureIo();
    expect(await main(['--explore', '--runs', '0'], io)).toBe(2);
    expect(io.err.join('')).toContain('--runs must be an integer of at least 1');
    expect(io.out.join('')).toBe('');
  });
});

describe('the comparison of two answers', () => {
  const names: Names = { ids: new Map(), tokens: new Map(), requestUrl: 'http://server.test/tokens/v2/u' };
  const error = (message: string): Answer => ({
    status: 422,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    text: JSON.stringify({ message }),
    json: { message },
  });
  const settings = (strictMessages: boolean): CompareSettings => ({
    timeToleranceMs: 0,
    strictMessages,
    conditions: documentedConditions(),
    comparableListings: true,
  });
  const mockChoice = documentedConditions().find((row) => !row.messageDocumented && row.status === 422 && row.message !== undefined)!;

  it('tolerates another wording of a mock-choice message unless messages are strict', () => {
    const lenient = compareAnswers(
      mockChoice.operationId,
      error('something else'),
      error(mockChoice.message!),
      names,
      names,
      settings(false),
    );
    expect(lenient).toEqual({
      deviations: [],
      tolerated: [`message "something else" for the mock-choice message ${JSON.stringify(mockChoice.message)}`],
    });
    const strict = compareAnswers(
      mockChoice.operationId,
      error('something else'),
      error(mockChoice.message!),
      names,
      names,
      settings(true),
    );
    expect(strict.deviations).toEqual([`message "something else", expected ${JSON.stringify(mockChoice.message)}`]);
  });

  it('compares times within the tolerance, and ids by what they name', () => {
    const body = (id: string, created: string): Answer => ({ status: 200, headers: {}, text: 'x', json: { id, created } });
    const target: Names = { ...names, ids: new Map([['t1', 'created#0']]) };
    const model: Names = { ...names, ids: new Map([['m1', 'created#0']]) };
    const loose: CompareSettings = { ...settings(true), timeToleranceMs: 5000 };
    expect(
      compareAnswers('updateToken', body('t1', '2026-01-01T00:00:04.000Z'), body('m1', '2026-01-01T00:00:00.000Z'), target, model, loose)
        .deviations,
    ).toEqual([]);
    expect(
      compareAnswers('updateToken', body('t1', '2026-01-01T00:00:06.000Z'), body('m1', '2026-01-01T00:00:00.000Z'), target, model, loose)
        .deviations,
    ).toEqual(['body.created: 2026-01-01T00:00:06.000Z, expected 2026-01-01T00:00:00.000Z (within 5000 ms)']);
    expect(
      compareAnswers('updateToken', body('t2', '2026-01-01T00:00:00.000Z'), body('m1', '2026-01-01T00:00:00.000Z'), target, model, loose)
        .deviations,
    ).toEqual(['body.id: "t2", expected "<created#0>"']);
  });

  it("compares a temporary token's lifetime (expires_in) within the same tolerance", () => {
    const issued = (expiresIn: number): Answer => ({ status: 200, headers: {}, text: 'x', json: { expires_in: expiresIn } });
    const loose: CompareSettings = { ...settings(true), timeToleranceMs: 5000 };
    expect(compareAnswers('createToken', issued(3599), issued(3600), names, names, loose).deviations).toEqual([]);
    expect(compareAnswers('createToken', issued(3599), issued(3600), names, names, settings(true)).deviations).toEqual([
      'body.expires_in: 3599, expected 3600',
    ]);
  });
});
