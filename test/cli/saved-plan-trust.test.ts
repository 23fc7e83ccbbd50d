import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import type { Plan, PlannedChange } from '../../src/plan/types.js';
import { clientFor } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, startTestProject, type TestProject } from '../helpers/project.js';

// A saved plan is data no one reviews: each test edits plan.json as an attacker with write
// access to a CI artifact would, and apply must refuse before it changes anything.
const MANIFEST = `version: 1
policy:
  forbidWildcardWrite: true
tokens:
  - name: sensors-rw
    description: Read/write token for sensors
    read: [sensors]
    write: [sensors]
  - name: metrics-ro
    description: Read-only on metrics
    read: [metrics]
`;

expectNoSecretsPrinted();

let project: TestProject;
let dir: string;
let emulator: RunningEmulator;
let key: TestProject['key'];
let unmanagedId: string;

beforeEach(async () => {
  project = await startTestProject({
    prefix: 'saved-plan',
    manifest: MANIFEST,
    emulator: { databases: ['sensors', 'metrics'] },
  });
  ({ dir, emulator, key } = project);
  const unmanaged = await clientFor(emulator).createToken({
    description: 'grafana, made by hand',
    permissions: [{ action: 'read', resource: 'metrics' }],
  });
  unmanagedId = unmanaged.id;
});

function provision(args: string[], env: NodeJS.ProcessEnv = {}) {
  return project.provision(args, { env });
}

const applyPlan = (env?: NodeJS.ProcessEnv) =>
  provision(
    ['apply', 'plan.json', '--yes', '--recipient', key.recipient, '--secrets-file', 's.sealed'],
    env,
  );

async function savePlan(): Promise<Plan> {
  const planned = await provision(['plan', '--out', 'plan.json']);
  expect(planned.code, planned.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
}

function writePlan(plan: Plan): void {
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
}

function changeOf(plan: Plan, name: string): PlannedChange {
  const found = plan.changes.find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no change for ${name} in the saved plan`);
  return found;
}

function unmanagedToken() {
  return emulator.store.tokens().find((token) => token.id === unmanagedId)!;
}

function liveTokens() {
  return emulator.store.tokens().filter((token) => token.revokedAt === undefined);
}

const change = (fields: Partial<PlannedChange>): PlannedChange => ({
  name: 'sensors-rw',
  team: null,
  action: 'create',
  actions: ['create'],
  reasonCode: 'missing',
  reason: 'not in the cluster',
  before: null,
  after: null,
  ...fields,
});

describe('apply plan.json: a saved plan is a commitment, not an instruction', () => {
  it('refuses a revoke of an unmanaged token added to the plan', async () => {
    const plan = await savePlan();
    const token = unmanagedToken();
    plan.changes.push(
      change({
        name: 'grafana',
        action: 'revoke',
        actions: ['delete'],
        reasonCode: 'not-declared',
        reason: 'not in the manifest',
        before: {
          id: token.id,
          description: token.description,
          permissions: token.permissions,
          createdAt: token.createdAt,
        },
      }),
    );
    plan.summary.revoke += 1;
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: plan.json is not the plan the manifest and the cluster give now (change 3: only the saved plan has revoke "grafana"',
    );
    expect(unmanagedToken().revokedAt).toBeUndefined();
    expect(liveTokens()).toHaveLength(1);
  });

  it('refuses an update that widens an unmanaged token to write:*', async () => {
    const plan = await savePlan();
    const token = unmanagedToken();
    const index = plan.changes.indexOf(changeOf(plan, 'sensors-rw'));
    plan.changes[index] = change({
      action: 'update',
      actions: ['update'],
      reasonCode: 'permissions-changed',
      before: {
        id: token.id,
        description: token.description,
        permissions: token.permissions,
        createdAt: token.createdAt,
      },
      after: { description: token.description, permissions: [{ action: 'write', resource: '*' }] },
      patch: { permissions: [{ action: 'write', resource: '*' }] },
    });
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error: plan\.json is not the plan .* \(change \d \("sensors-rw"\): the action is "update" in the saved plan, "create" in a fresh plan\)/,
    );
    expect(unmanagedToken().permissions).toEqual([{ action: 'read', resource: 'metrics' }]);
  });

  it('refuses a create widened to write:* although the manifest forbids it', async () => {
    const plan = await savePlan();
    changeOf(plan, 'sensors-rw').after!.permissions = [{ action: 'write', resource: '*' }];
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '("sensors-rw"): the saved plan grants other permissions than a fresh plan)',
    );
    expect(liveTokens()).toHaveLength(1);
  });

  it('refuses a create whose description lost its marker (it would make an unmanaged token)', async () => {
    const plan = await savePlan();
    changeOf(plan, 'metrics-ro').after!.description = 'Read-only on metrics';
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '("metrics-ro"): the saved plan writes another description than a fresh plan)',
    );
    expect(liveTokens()).toHaveLength(1);
  });

  it('prints and runs the fresh plan, whatever summary the file claims', async () => {
    const plan = await savePlan();
    plan.summary = {
      create: 0,
      update: 0,
      replace: 0,
      revoke: 0,
      noop: 0,
      unmanaged: 0,
      retiring: 0,
      databases: { create: 0, update: 0, noop: 0, unmanaged: 0 },
    };
    plan.warnings = [];
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('No changes.');
    expect(run.stdout).toContain('Plan: 2 to create, 0 to update, 0 to replace, 0 to revoke.');
    expect(run.stdout).toContain('Apply complete: 2 created');
    expect(liveTokens()).toHaveLength(3);
  });

  it('sends nothing, not even a list, to a target.url written into the plan', async () => {
    const received: IncomingMessage[] = [];
    const foreign = createServer((request, response) => {
      received.push(request);
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    onTestFinished(async () => {
      foreign.close();
      await once(foreign, 'close');
    });
    const port = (foreign.address() as AddressInfo).port;

    const plan = await savePlan();
    plan.target.url = `http://127.0.0.1:${port}/api/v0`;
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: plan.json was made for another Management API URL than ${emulator.url}`,
    );
    expect(received).toEqual([]);
    expect(liveTokens()).toHaveLength(1);
  });

  it('refuses a plan recorded for another cluster before any request', async () => {
    const plan = await savePlan();
    plan.target.clusterId = '00000000-0000-4000-8000-000000000000';
    writePlan(plan);
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: plan.json was made for cluster 00000000-0000-4000-8000-000000000000',
    );
    expect(liveTokens()).toHaveLength(1);
  });

  it('refuses options smuggled into the plan when they change what runs', async () => {
    const plan = await savePlan();
    plan.options.replace = ['sensors-rw'];
    writePlan(plan);
    const run = await applyPlan();
    // --replace of a token that does not exist yet is a create either way: same plan, runs.
    expect(run.code, run.stderr).toBe(0);
    const again = await savePlan();
    again.options.prune = true;
    again.changes = [];
    writePlan(again);
    const pruned = await applyPlan();
    expect(pruned.code).toBe(1);
    expect(pruned.stderr).toContain('only a fresh plan has');
  });

  it('refuses a saved --expiring-within that is not a duration, before any request', async () => {
    const plan = await savePlan();
    plan.options.expiringWithin = 'soon';
    writePlan(plan);
    const requestsBefore = emulator.store.counters.requests;
    const run = await applyPlan();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: plan.json is not a provision plan (options.expiringWithin is not a duration)',
    );
    expect(emulator.store.counters.requests).toBe(requestsBefore);
    expect(liveTokens().map((token) => token.id)).toEqual([unmanagedId]);
  });

  it('still applies an untouched saved plan', async () => {
    await savePlan();
    const run = await applyPlan();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Apply complete: 2 created');
    expect(liveTokens()).toHaveLength(3);
  });
});
