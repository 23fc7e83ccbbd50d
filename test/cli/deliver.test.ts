import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { readSecrets } from '../../src/secrets/index.js';
import { writeTargets } from '../deliver/targets.js';
import { findSecrets } from '../helpers/cli.js';
import { expectNoSecretsPrinted, startTestProject, type TestProject } from '../helpers/project.js';

const MANIFEST = `version: 1
tokens:
  - name: grafana
    read: [metrics]
teams:
  - name: payments
    databases: [payments_prod]
  - name: search
    databases: [search_prod]
templates:
  - name: '{team}-{database}-reader'
    per: database
    read: ['{database}']
outputs:
  secretsFile: tokens.sealed
  deliver:
    - name: record
      command: [./targets/record.mjs, record.jsonl, '{name}', '{team}', '{tokenId}', '{database}']
      teams: [payments, search]
    - name: all
      command: [./targets/record.mjs, all.jsonl, '{name}']
      format: string
    - name: flaky
      command: [./targets/flaky.mjs, gate, flaky.log]
      format: string
    - name: hang
      command: [./targets/hang.mjs, gate]
      timeout: 1s
    - name: crash
      command: [./targets/crash.mjs, gate]
`;

interface Seen {
  args: string[];
  env: Record<string, string>;
  stdin: string;
}

expectNoSecretsPrinted();

let project: TestProject;
let dir: string;
let emulator: RunningEmulator;
let key: TestProject['key'];

beforeEach(async () => {
  project = await startTestProject({
    prefix: 'deliver-cli',
    manifest: MANIFEST,
    emulator: { databases: ['metrics', 'payments_prod', 'search_prod'] },
  });
  ({ dir, emulator, key } = project);
  mkdirSync(join(dir, 'targets'));
  writeTargets(join(dir, 'targets'));
});

function provision(args: string[]) {
  return project.provision(args);
}

const seen = (file: string): Seen[] =>
  existsSync(join(dir, file))
    ? readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Seen)
    : [];

async function sealed(): Promise<Map<string, string>> {
  const records = await readSecrets(join(dir, 'tokens.sealed'), { identities: [key.identity] });
  return new Map(records.map((r) => [r.name, r.accessToken]));
}

describe('delivery targets', () => {
  it('plan shows where each new token goes; a missing program is a plan-time error', async () => {
    const plan = await provision(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('  + grafana\n');
    expect(plan.stdout).toContain('      delivered to: all, flaky, hang, crash\n');
    expect(plan.stdout).toContain('      delivered to: record, all, flaky, hang, crash\n');
    // The same in every form: the JSON plan (what --out saves) and the markdown comment.
    const json = await provision(['plan', '--format', 'json']);
    const changes = (
      JSON.parse(json.stdout) as { changes: { name: string; deliverTo?: string[] }[] }
    ).changes;
    expect(changes.find((change) => change.name === 'grafana')?.deliverTo).toEqual([
      'all',
      'flaky',
      'hang',
      'crash',
    ]);
    const markdown = await provision(['plan', '--format', 'markdown']);
    expect(markdown.stdout).toContain('delivered to: all, flaky, hang, crash');

    writeFileSync(
      join(dir, 'missing.yaml'),
      MANIFEST.replace('./targets/crash.mjs', 'no-such-store-cli'),
    );
    const missing = await provision(['plan', '-f', 'missing.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'missing.yaml:30:17: delivery target "crash": the program "no-such-store-cli" does not exist or is not executable (looked up on PATH); install no-such-store-cli where provision runs, or give its full path\n',
    );
    expect(missing.stderr).not.toContain('    at ');
  });

  it('seals first, reports failed, hung and crashed deliveries, and secrets deliver finishes the job once', async () => {
    const apply = await provision(['apply', '--yes', '--recipient', key.recipient]);
    expect(apply.code).toBe(1);
    const strings = await sealed();
    expect([...strings.keys()].sort()).toEqual([
      'grafana',
      'payments-payments_prod-reader',
      'search-search_prod-reader',
    ]);
    expect(apply.stdout).toContain('Delivered 5 of 14 deliveries to 5 targets.');
    expect(apply.stdout).toMatch(
      /delivery failed: grafana → flaky \(token [0-9a-f-]{36}\): exit 1\n {4}connecting to the store\n {4}error: store rejected \[redacted\]\n {4}permission denied\n/,
    );
    expect(apply.stdout).toMatch(
      /delivery failed: payments\/payments-payments_prod-reader → hang \(token [0-9a-f-]{36}\): timed out after 1s \(killed\)/,
    );
    expect(apply.stdout).toMatch(
      /delivery failed: search\/search-search_prod-reader → crash \(token [0-9a-f-]{36}\): killed by SIGABRT/,
    );
    expect(apply.stdout).toContain(
      'Every string is sealed; deliver what is missing with: provision secrets deliver tokens.sealed -f tokens.yaml',
    );

    // What the honest targets got is what was sealed; argv and environment never held a string.
    const records = seen('record.jsonl');
    expect(records).toHaveLength(2);
    for (const r of records) {
      const payload = JSON.parse(r.stdin) as {
        name: string;
        string: string;
        team: string;
        database: string;
      };
      expect(payload.string).toBe(strings.get(payload.name));
      expect(r.args).toEqual([
        payload.name,
        payload.team,
        expect.stringMatching(/^[0-9a-f-]{36}$/),
        payload.database,
      ]);
    }
    expect(
      seen('all.jsonl')
        .map((r) => r.stdin)
        .sort(),
    ).toEqual([...strings.values()].sort());
    const everyString = [...strings.values()];
    for (const r of [...records, ...seen('all.jsonl')]) {
      const exposed = JSON.stringify([r.args, r.env]);
      for (const s of everyString) expect(exposed).not.toContain(s);
      expect(exposed).not.toContain(emulator.managementToken);
    }

    // The stores are back: only what is missing goes out, and a second run does nothing.
    writeFileSync(join(dir, 'gate'), '');
    const deliver = await provision(['secrets', 'deliver', 'tokens.sealed', '-i', 'key.txt']);
    expect(deliver.stderr).toBe('');
    expect(deliver.code).toBe(0);
    expect(deliver.stdout).toBe(
      'Delivered 9 of 9 deliveries to 3 targets.\n5 delivered before, left alone.\n',
    );
    expect(seen('record.jsonl')).toHaveLength(2);
    expect(seen('all.jsonl')).toHaveLength(3);
    expect(readFileSync(join(dir, 'flaky.log'), 'utf8').trim().split('\n').sort()).toEqual(
      [...strings.values()].sort(),
    );
    const again = await provision(['secrets', 'deliver', 'tokens.sealed', '-i', 'key.txt']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('Nothing to deliver: 14 deliveries of tokens.sealed already done.\n');

    // A rotated token's new string reaches every target; the file records it, never the string.
    const rotate = await provision([
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--replace',
      'grafana',
    ]);
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toContain('Delivered 4 of 4 deliveries to 4 targets.');
    const rotated = (await sealed()).get('grafana');
    expect(rotated).not.toBe(strings.get('grafana'));
    expect(seen('all.jsonl').at(-1)?.stdin).toBe(rotated);
    const file = readFileSync(join(dir, 'tokens.sealed'), 'utf8');
    expect(file).toMatch(
      /"type":"delivered","tokenId":"[0-9a-f-]{36}","target":"flaky","outcome":"failed","status":"exit 1"/,
    );
    for (const s of [...everyString, rotated ?? '']) expect(file).not.toContain(s);

    for (const run of [apply, deliver, again, rotate]) {
      expect(findSecrets(run.stdout + run.stderr, [emulator.managementToken])).toEqual([]);
    }
  });

  it('--only picks tokens, teams or targets; an unknown target is a clear error', async () => {
    writeFileSync(join(dir, 'gate'), '');
    await provision(['apply', '--yes', '--recipient', key.recipient]);
    const bad = await provision(['secrets', 'deliver', 'tokens.sealed', '--only', 'target:recrod']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'error: --only target:recrod: no delivery target recrod\nhint: did you mean "record"?\n',
    );
  });
});
