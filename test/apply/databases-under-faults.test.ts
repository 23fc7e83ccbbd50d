import { expect, it } from 'vitest';
import type { Exchange } from '../../src/emulator/types.js';
import { tokensBeforeTheirDatabases } from '../helpers/database-order.js';
import { startTestProject } from '../helpers/project.js';
import { startTestFaultProxy } from '../helpers/fault-proxy.js';

const TEAMS = Number(process.env.PROVISION_DB_FAULT_TEAMS ?? 30);

/** `teams` teams, two databases each from `{team}` entries, a writer per database. */
function manifest(teams: number): string {
  const lines = [
    'version: 1',
    'databases:',
    '  - name: shared',
    '  - name: "{team}_prod"',
    '    retentionPeriod: 30d',
    '    partitionTemplate: [{ type: tag, value: host }]',
    '  - name: "{team}_staging"',
    '    retentionPeriod: 7d',
    'tokens:',
    '  - name: shared-reader',
    '    read: [shared]',
    'templates:',
    '  - name: "{team}-{database}-writer"',
    '    per: database',
    '    write: ["{database}"]',
    'teams:',
  ];
  for (let t = 0; t < teams; t += 1) lines.push(`  - name: team${t}`);
  return `${lines.join('\n')}\n`;
}

it(`creates ${TEAMS * 2 + 1} databases once each under lost responses, resets, 5xx and 429, and attempts no token before its database`, async () => {
  const early = tokensBeforeTheirDatabases();
  const creates: Exchange[] = [];
  const project = await startTestProject({
    prefix: 'db-faults',
    manifest: manifest(TEAMS),
    emulator: {
      seed: 11,
      jitterMs: 15,
      onExchange: (exchange) => {
        early.watch(exchange);
        if (exchange.operation === 'POST /databases') creates.push(exchange);
      },
    },
  });
  const { emulator } = project;
  early.store = emulator.store;
  // Lost responses of both kinds: the emulator's own (commit, then drop) and a middlebox
  // resetting database creates after the server answered.
  emulator.setFaults({ ambiguousRate: 0.25, errorRate: 0.1, rateLimitRate: 0.05 });
  const proxy = await startTestFaultProxy({
    target: { host: '127.0.0.1', port: emulator.port },
    resetRate: 0.3,
    seed: 3,
    applies: (method, path) => method === 'POST' && path.endsWith('/databases'),
  });
  const env = { INFLUX_MANAGEMENT_URL: proxy.rewrite(emulator.url) };
  // The emulator's list never lags here: the sweep after a lost create need not wait.
  const apply = await project.provision(project.applyArgs('--list-settle', '0s'), { env });
  expect(apply.stderr).toBe('');
  expect(
    apply.code,
    apply.stdout
      .split('\n')
      .filter((l) => /fail/.test(l))
      .join('\n'),
  ).toBe(0);
  expect(apply.stdout).toContain(`Databases: ${TEAMS * 2 + 1} created, 0 updated, 0 failed.`);

  // The faults did happen to database creates, and some were sent again.
  const committed = creates.filter((c) => c.status === 200 || c.status === undefined);
  expect(creates.filter((c) => c.status === undefined).length).toBeGreaterThan(0);
  expect(proxy.counts.resets).toBeGreaterThan(0);
  expect(creates.length).toBeGreaterThan(TEAMS * 2 + 1);
  // No duplicates: each name committed exactly once, the rest were refused (409) or faults.
  const perName = new Map<string, number>();
  for (const c of committed) {
    const name = (c.requestBody as { name: string }).name;
    perName.set(name, (perName.get(name) ?? 0) + 1);
  }
  expect([...perName.values()].every((n) => n === 1)).toBe(true);
  expect(perName.size).toBe(TEAMS * 2 + 1);
  expect(emulator.store.databases()).toHaveLength(TEAMS * 2 + 1);
  expect(early.found).toEqual([]);

  emulator.setFaults({ ambiguousRate: 0, errorRate: 0, rateLimitRate: 0 });
  proxy.setResetRate(0);
  const plan = await project.provision(['plan', '--detailed-exitcode'], { env });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('No changes.');
}, 120_000);
