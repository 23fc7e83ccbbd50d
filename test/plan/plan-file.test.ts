import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanError } from '../../src/errors.js';
import { assertPlanFresh, loadPlan, savePlan } from '../../src/plan/plan-file.js';
import type { Plan } from '../../src/plan/types.js';
import { actual, clusterDatabases, desired, plan } from './builders.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'provision-plan-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const tokens = [actual('ingest', { permissions: ['read:logs'] }), actual('gone'), actual(null)];
const databases = clusterDatabases(['metrics', 'logs']);
const made = plan(
  [
    desired('ingest'),
    desired('query', { expiry: { kind: 'in', duration: { text: '90d', ms: 7_776_000_000 } } }),
  ],
  tokens,
  { prune: true },
  databases.map((database) => database.name),
).plan;

describe('savePlan / loadPlan', () => {
  it('writes pretty JSON with a trailing newline, mode 0644, that loads back equal', async () => {
    const path = join(folder, 'plan.json');
    await savePlan(path, made);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "formatVersion": 1,\n  "createdAt"')).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect(await loadPlan(path)).toEqual(made);
  });

  it('loads a plan saved before products as a Cloud Dedicated one', async () => {
    const path = join(folder, 'old.json');
    const { product: _product, ...oldTarget } = made.target;
    await writeFile(path, JSON.stringify({ ...made, target: oldTarget }));
    expect(((await loadPlan(path)) as Plan).target).toEqual({ ...oldTarget, product: 'dedicated' });
  });

  it('overwrites an existing plan whole', async () => {
    const path = join(folder, 'again.json');
    await writeFile(path, 'x'.repeat(100_000));
    await savePlan(path, made);
    expect(await loadPlan(path)).toEqual(made);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['an array', '[]', 'not a JSON object'],
    ['another JSON file', '{"name":"provision"}', 'no formatVersion'],
    [
      'a plan without changes',
      JSON.stringify({ ...made, changes: undefined }),
      'changes is not a list',
    ],
    [
      'a change with a bad action',
      JSON.stringify({ ...made, changes: [{ ...made.changes[0], action: 'explode' }] }),
      'changes[0].action is "explode", not an action',
    ],
    [
      'a revoke without before',
      JSON.stringify({
        ...made,
        changes: [{ ...made.changes[0], action: 'revoke', before: null, after: null }],
      }),
      'changes[0].before is missing for a revoke',
    ],
    [
      'a Clustered target that names an account',
      JSON.stringify({
        ...made,
        target: { product: 'clustered', url: 'https://h/api/v0', accountId: 'a' },
      }),
      'target.accountId is unexpected for a Clustered cluster',
    ],
    [
      'a target of another product',
      JSON.stringify({ ...made, target: { ...made.target, product: 'serverless' } }),
      'target.product is neither dedicated nor clustered',
    ],
    [
      'a Dedicated target without its cluster',
      JSON.stringify({ ...made, target: { product: 'dedicated', url: 'u', accountId: 'a' } }),
      'target.clusterId is missing',
    ],
  ])('refuses %s with one clear line', async (_what, text, why) => {
    const path = join(folder, 'junk.json');
    await writeFile(path, text);
    const error = await loadPlan(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).message).toBe(`${path} is not a provision plan (${why})`);
  });

  it('names a future format version', async () => {
    const path = join(folder, 'future.json');
    await writeFile(path, JSON.stringify({ ...made, formatVersion: 2 }));
    await expect(loadPlan(path)).rejects.toThrow(
      `${path} has plan format version 2; this provision reads version 1`,
    );
  });

  it('says when the file is missing', async () => {
    await expect(loadPlan(join(folder, 'nope.json'))).rejects.toThrow(
      /cannot read .*nope\.json: no such file/,
    );
  });

  it('holds no secret', async () => {
    const path = join(folder, 'plan.json');
    await savePlan(path, made);
    expect(await readFile(path, 'utf8')).not.toMatch(/apiv1_|accessToken|AGE-SECRET-KEY/);
  });
});

describe('assertPlanFresh', () => {
  it('accepts the state the plan saw, in any order', () => {
    expect(() => {
      assertPlanFresh(
        made,
        [...tokens].reverse(),
        [...databases].reverse(),
        made.manifest.fingerprint,
      );
    }).not.toThrow();
  });

  it('refuses when the cluster moved', () => {
    const moved = [{ ...tokens[0]!, revokedAt: '2026-06-01T00:00:00Z' }, ...tokens.slice(1)];
    expect(() => {
      assertPlanFresh(made, moved, databases, undefined, 'plan.json');
    }).toThrow(
      new PlanError(
        'the cluster changed since plan.json was made (its tokens or databases are not what the plan saw); run provision plan again',
      ),
    );
    expect(() => {
      assertPlanFresh(made, tokens, [...databases, ...clusterDatabases(['new'])]);
    }).toThrow(PlanError);
  });

  it('refuses when the manifest changed', () => {
    expect(() => {
      assertPlanFresh(made, tokens, databases, '0'.repeat(64), 'plan.json');
    }).toThrow(
      'the manifest changed since plan.json was made (tokens.yaml is not the file the plan read); run provision plan again',
    );
  });
});
