import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManagementClient,
  planForApply,
  planFromManifest,
  readSecrets,
  startApply,
  type ApplyEvent,
  type ClientFactory,
  type ValidationIssue,
  type WorkflowContext,
} from '../../src/index.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { startTestEmulator } from '../helpers/emulator.js';

// The workflows are the library: a program that imports src/index.ts runs plan → apply → seal
// with its own context (folder, environment, clock, reporter) and never touches the terminal.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-library-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function context(
  env: Record<string, string>,
  seen: { issues: ValidationIssue[]; secrets: string[] },
) {
  const value: WorkflowContext = {
    cwd: dir,
    env,
    now: () => new Date(),
    report: {
      issue: (issue) => seen.issues.push(issue),
      warning: (message) => {
        throw new Error(`unexpected warning: ${message}`);
      },
      secret: (secret) => seen.secrets.push(secret),
    },
  };
  return value;
}

describe('the library surface', () => {
  it('plans, applies and seals through the exported workflows, with no terminal', async () => {
    const emulator = await startTestEmulator({ databases: ['metrics'] });
    const key = await makeAgeKey(dir);
    writeFileSync(
      join(dir, 'tokens.yaml'),
      'version: 1\ntokens:\n  - name: ingest\n    description: ingest token\n    write: [metrics]\n',
    );
    const env = {
      INFLUX_MANAGEMENT_URL: emulator.url,
      INFLUX_ACCOUNT_ID: emulator.accountId,
      INFLUX_CLUSTER_ID: emulator.clusterId,
      INFLUX_MANAGEMENT_TOKEN: emulator.managementToken,
    };
    const seen = { issues: [] as ValidationIssue[], secrets: [] as string[] };
    let clients = 0;
    const createClient: ClientFactory = (connection, onEvent) => {
      clients += 1;
      return createManagementClient({ ...connection, ...(onEvent ? { onEvent } : {}) });
    };

    const planned = await planFromManifest(
      { file: 'tokens.yaml' },
      context(env, seen),
      createClient,
    );
    expect(planned.problems).toEqual([]);
    expect(planned.plan.changes.map((c) => [c.action, c.name])).toEqual([['create', 'ingest']]);
    // The management token was handed to the reporter, so a caller can redact it.
    expect(seen.secrets).toContain(emulator.managementToken);

    const ready = await planForApply({ file: 'tokens.yaml' }, context(env, seen), createClient);
    if (!ready.ok) throw new Error('the plan has problems');
    const apply = startApply(
      ready,
      { concurrency: 2, recipients: [key.recipient], secretsFile: 'tokens.sealed' },
      context(env, seen),
      createClient,
    );
    expect(apply.pending.map((change) => change.name)).toEqual(['ingest']);
    const events: ApplyEvent[] = [];
    const summary = await apply.execute({ onEvent: (event) => events.push(event) });
    expect(summary.counts).toMatchObject({ create: 1, failed: 0 });
    expect(events.map((event) => event.type)).toContain('result');
    expect(clients).toBeGreaterThanOrEqual(3);

    const records = await readSecrets(join(dir, 'tokens.sealed'), {
      identities: [key.identity],
    });
    expect(records.map((record) => record.name)).toEqual(['ingest']);
    expect(readFileSync(join(dir, 'tokens.sealed'), 'utf8')).not.toContain(
      records[0]?.accessToken ?? 'missing',
    );
    expect(seen.issues).toEqual([]);

    const again = await planFromManifest({ file: 'tokens.yaml' }, context(env, seen), createClient);
    expect(again.plan.changes.map((c) => c.action)).toEqual(['no-op']);
  });
});
