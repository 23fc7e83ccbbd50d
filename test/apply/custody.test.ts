import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import type { ManagementApi } from '../../src/api/types.js';
import { executePlan } from '../../src/apply/execute-plan.js';
import type { ApplyEvent, ExecuteOptions, SecretSink } from '../../src/apply/types.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { parseMarker } from '../../src/plan/marker.js';
import type { Plan } from '../../src/plan/types.js';
import { openSecretsWriter } from '../../src/secrets/open-secrets-writer.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { startTestFaultProxy, type FaultProxyOptions } from '../helpers/fault-proxy.js';
import { checkInvariants } from '../helpers/invariants.js';
import { desired, duration, plan as makePlan } from '../plan/builders.js';

const NAMES = Array.from({ length: 8 }, (_, i) => `svc-${i}`);
const isCreate = (method: string, path: string): boolean =>
  method === 'POST' && path.endsWith('/tokens');

/** A temp folder, an age key and an emulator (whole seconds, one fixed instant: every tie ties). */
async function setUp(emulatorOptions: Parameters<typeof startTestEmulator>[0] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'provision-custody-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const key = await makeAgeKey(dir);
  const instant = new Date('2026-06-01T12:00:00.400Z');
  const emulator = await startTestEmulator({
    databases: ['metrics'],
    timePrecision: 's',
    now: () => instant,
    ...emulatorOptions,
  });
  return { dir, key, emulator, file: join(dir, 'tokens.sealed') };
}

/** A client that goes through the fault proxy, with fast retries. */
async function proxiedClient(
  emulator: RunningEmulator,
  faults: Omit<FaultProxyOptions, 'target' | 'seed'> & { seed?: number },
): Promise<ManagementApi> {
  const proxy = await startTestFaultProxy({
    target: { host: '127.0.0.1', port: emulator.port },
    seed: 1,
    ...faults,
  });
  return createManagementClient({
    url: proxy.rewrite(emulator.url),
    accountId: emulator.accountId,
    clusterId: emulator.clusterId,
    managementToken: emulator.managementToken,
    retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
}

/** Resets the first create of each description, lets every later one through. */
function firstCreateOfEachName(): NonNullable<FaultProxyOptions['applies']> {
  const seen = new Set<string>();
  return (method, path, body) => {
    if (!isCreate(method, path)) return false;
    const description = (JSON.parse(body) as { description: string }).description;
    if (seen.has(description)) return false;
    seen.add(description);
    return true;
  };
}

async function run(
  plan: Plan,
  client: ManagementApi,
  sink: SecretSink,
  file: string,
  extra: Partial<ExecuteOptions> = {},
) {
  const events: ApplyEvent[] = [];
  const summary = await executePlan({
    plan,
    connect: () => client,
    sinkFor: () => ({ sink, path: file }),
    concurrency: 4,
    listSettleMs: 0,
    createRetry: { baseDelayMs: 1, maxDelayMs: 2 },
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { summary, events };
}

async function writerFor(file: string, recipient: string) {
  const writer = await openSecretsWriter(file, { recipients: [recipient] });
  onTestFinished(() => writer.close());
  return writer;
}

const createPlan = (names = NAMES): Plan =>
  makePlan(
    names.map((n) => desired(n)),
    [],
  ).plan;

describe('the final sweep keeps the sealed token (one rule with the planner)', () => {
  it('finding 2: a lost create retried within the same second keeps the sealed token, for every name', async () => {
    const { key, emulator, file } = await setUp();
    const client = await proxiedClient(emulator, {
      resetRate: 1,
      applies: firstCreateOfEachName(),
    });
    const writer = await writerFor(file, key.recipient);
    const { summary } = await run(createPlan(), client, writer, file);
    await writer.close();

    expect(summary.counts).toMatchObject({ create: NAMES.length, failed: 0 });
    const report = await checkInvariants(emulator, [file], key.identity, []);
    expect(report.duplicates).toEqual([]);
    expect(report.unsealed).toEqual([]);
    expect(report.live).toHaveLength(NAMES.length);
    // Every result names the token that survived, never one the sweep revoked.
    const live = new Set(report.live.map((t) => t.id));
    for (const result of summary.results) expect(live.has(result.tokenId ?? '')).toBe(true);
    expect(summary.reconciliations).toBe(NAMES.length);
  });

  it('finding 3: a create whose outcome stays unknown leaves no live token that no file holds', async () => {
    const { key, emulator, file } = await setUp();
    const client = await proxiedClient(emulator, { resetRate: 1, applies: isCreate });
    const writer = await writerFor(file, key.recipient);
    const names = NAMES.slice(0, 3);
    const { summary, events } = await run(createPlan(names), client, writer, file, {
      createRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await writer.close();

    // Three attempts each committed on the server; none of their strings reached us.
    expect(emulator.store.tokens()).toHaveLength(9);
    expect(summary.counts).toMatchObject({ create: 0, failed: 3 });
    expect(summary.results.map((r) => `${r.name} ${r.status}`).sort()).toEqual(
      names.map((n) => `${n} failed`),
    );
    const report = await checkInvariants(emulator, [file], key.identity, []);
    expect(report.live).toEqual([]);
    expect(events.filter((e) => e.type === 'reconcile')).toHaveLength(9);
  });

  it('item 7: a sweep whose list fails still resolves with the summary, and says so', async () => {
    const { key, emulator, file } = await setUp();
    const creates = firstCreateOfEachName();
    const client = await proxiedClient(emulator, {
      resetRate: 1,
      applies: (method, path, body) =>
        isCreate(method, path) ? creates(method, path, body) : false,
      refuse: (method, path) => method === 'GET' && path.endsWith('/tokens'),
    });
    const writer = await writerFor(file, key.recipient);
    const names = NAMES.slice(0, 2);
    const { summary, events } = await run(createPlan(names), client, writer, file);
    await writer.close();

    expect(summary.counts).toMatchObject({ create: 2, failed: 2 });
    const failed = summary.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.name).sort()).toEqual(names);
    expect(failed[0]?.error).toMatch(/could not list the tokens/);
    // Every outcome is an event too: the summary counts what was emitted.
    const emitted = events.flatMap((e) => (e.type === 'result' ? [e.result] : []));
    expect(emitted.filter((r) => r.status === 'failed')).toHaveLength(summary.counts.failed);
  });

  it('item 7: failed revokes of lost creates are emitted as results, as many as counted', async () => {
    const { key, emulator, file } = await setUp();
    const creates = firstCreateOfEachName();
    const client = await proxiedClient(emulator, {
      resetRate: 1,
      applies: creates,
      refuse: (method) => method === 'DELETE',
    });
    const writer = await writerFor(file, key.recipient);
    const { summary, events } = await run(createPlan(), client, writer, file);
    await writer.close();

    expect(summary.counts).toMatchObject({ create: NAMES.length, failed: NAMES.length });
    const emitted = events.flatMap((e) => (e.type === 'result' ? [e.result] : []));
    expect(emitted).toHaveLength(summary.results.length);
    expect(emitted.filter((r) => r.status === 'failed')).toHaveLength(NAMES.length);
    for (const result of emitted.filter((r) => r.status === 'failed'))
      expect(result).toMatchObject({
        action: 'revoke',
        error: expect.stringMatching(/^could not revoke/),
      });
  });
});

describe('reporting what really happened', () => {
  it('a replace whose retire fails names the new token and the file it was sealed in', async () => {
    const { key, emulator, file } = await setUp({ now: undefined });
    const seeded = await createManagementClient({
      url: emulator.url,
      accountId: emulator.accountId,
      clusterId: emulator.clusterId,
      managementToken: emulator.managementToken,
    }).createToken({ description: 'ingest token [provision:ingest]', permissions: [] });
    const { accessToken: _string, ...old } = seeded;
    const plan = makePlan(
      [desired('ingest', { permissions: [], overlap: duration('7d') })],
      [old],
      {
        replace: ['ingest'],
      },
    ).plan;
    const client = await proxiedClient(emulator, {
      resetRate: 0,
      refuse: (method) => method === 'PATCH',
    });
    const writer = await writerFor(file, key.recipient);
    const { summary } = await run(plan, client, writer, file);
    await writer.close();

    const [result] = summary.results;
    const fresh = emulator.store.tokens().find((t) => t.id !== seeded.id);
    expect(result).toMatchObject({
      name: 'ingest',
      action: 'replace',
      status: 'failed',
      tokenId: fresh?.id,
      secretsFile: file,
    });
    expect(result?.error).toContain(`new token ${fresh?.id ?? ''} was sealed in ${file}`);
    expect(result?.error).toContain(`could not retire the old token ${seeded.id}`);
  });

  it('a token that never becomes active still names itself and the file that holds its string', async () => {
    const { key, emulator, file } = await setUp({ now: undefined });
    const client = await proxiedClient(emulator, { resetRate: 0 });
    const writer = await writerFor(file, key.recipient);
    const { summary } = await run(createPlan(['slow']), client, writer, file, {
      waitActive: () => Promise.reject(new Error('the token did not become active within 1000 ms')),
    });
    const [token] = emulator.store.tokens();
    expect(summary.results).toEqual([
      expect.objectContaining({ status: 'failed', tokenId: token?.id, secretsFile: file }),
    ]);
  });

  it.each([
    ['the revoke works', false, /it was revoked, so no token is left without its string/],
    ['the revoke fails too', true, /revoking it failed too .*; it is still live/],
  ])(
    'a seal that fails says truthfully whether the token was revoked: %s',
    async (_what, refuse, message) => {
      const { key, emulator, file } = await setUp({ now: undefined });
      const client = await proxiedClient(emulator, {
        resetRate: 0,
        refuse: (method) => refuse && method === 'DELETE',
      });
      const writer = await writerFor(file, key.recipient);
      const failing: SecretSink = {
        beginCreate: (name, team) => writer.beginCreate(name, team),
        seal: () => Promise.reject(new Error('disk full')),
        abandon: (intent) => writer.abandon(intent),
        recordRenamed: (tokenId, from, to) => writer.recordRenamed(tokenId, from, to),
        recordRevoked: (tokenId, name) => writer.recordRevoked(tokenId, name),
      };
      const { summary } = await run(createPlan(['ingest']), client, failing, file);
      const [result] = summary.results;
      expect(result).toMatchObject({ status: 'failed' });
      expect(result).not.toHaveProperty('secretsFile');
      expect(result?.error).toMatch(/could not seal the new token .*\(disk full\)/);
      expect(result?.error).toMatch(message);
      const live = emulator.store.tokens().filter((t) => t.revokedAt === undefined);
      expect(live).toHaveLength(refuse ? 1 : 0);
    },
  );

  it('on Ctrl-C, changes that never started are skipped, in events and summary alike', async () => {
    const { key, emulator, file } = await setUp({ now: undefined, latencyMs: 30 });
    const writer = await writerFor(file, key.recipient);
    const controller = new AbortController();
    const client = await proxiedClient(emulator, { resetRate: 0 });
    const names = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    const events: ApplyEvent[] = [];
    const summary = await executePlan({
      plan: createPlan(names),
      connect: () => client,
      sinkFor: () => ({ sink: writer, path: file }),
      concurrency: 2,
      listSettleMs: 0,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'result') controller.abort();
      },
    });
    await writer.close();
    const emitted = events.flatMap((e) => (e.type === 'result' ? [e.result] : []));
    expect(summary.counts.failed).toBe(0);
    expect(summary.counts.skipped).toBeGreaterThan(20);
    expect(emitted.filter((r) => r.status === 'skipped')).toHaveLength(summary.counts.skipped);
    expect(emitted.filter((r) => r.status === 'failed')).toHaveLength(0);
    const report = await checkInvariants(emulator, [file], key.identity, []);
    expect(report.unsealed).toEqual([]);
    const managed = report.live.filter((t) => parseMarker(t.description) !== null);
    expect(managed).toHaveLength(summary.counts.create);
  });

  it('on Ctrl-C, queued changes are skipped at once, before the ones in flight finish', async () => {
    const { key, emulator, file } = await setUp({ now: undefined, latencyMs: 200 });
    const writer = await writerFor(file, key.recipient);
    const controller = new AbortController();
    // One log for the executor's results and the client's answers, in the order they happen.
    const log: string[] = [];
    const client = createManagementClient({
      url: emulator.url,
      accountId: emulator.accountId,
      clusterId: emulator.clusterId,
      managementToken: emulator.managementToken,
      onEvent: (event) => {
        if (event.type === 'response') log.push('answer');
      },
    });
    const names = Array.from({ length: 30 }, (_, i) => `queued-${i}`);
    // Interrupt once two creates hold both API slots for 200 ms and two more, their intents
    // written, wait in the queue for a slot.
    let intents = 0;
    const sink: SecretSink = {
      beginCreate: async (name, team) => {
        const id = await writer.beginCreate(name, team);
        intents += 1;
        if (intents === 4)
          setImmediate(() => {
            controller.abort();
          });
        return id;
      },
      seal: (id, record) => writer.seal(id, record),
      abandon: (id) => writer.abandon(id),
      recordRenamed: (tokenId, from, to) => writer.recordRenamed(tokenId, from, to),
      recordRevoked: (tokenId, name) => writer.recordRevoked(tokenId, name),
    };
    const summary = await executePlan({
      plan: createPlan(names),
      connect: () => client,
      sinkFor: () => ({ sink, path: file }),
      concurrency: 2,
      listSettleMs: 0,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'result') log.push(event.result.status);
      },
    });
    await writer.close();
    expect(summary.counts.skipped).toBeGreaterThanOrEqual(names.length - 2);
    // Every queued change was skipped before the first answer freed a slot.
    expect(log.lastIndexOf('skipped')).toBeLessThan(log.indexOf('answer'));
  });
});
