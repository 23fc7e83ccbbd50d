import { beforeEach, describe, expect, it } from 'vitest';
import type { ManagementApi } from '../../src/api/types.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { clientFor } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, startTestProject, type TestProject } from '../helpers/project.js';

const MANIFEST = `version: 1
tokens:
  - name: sensors-rw
    description: Read/write token for sensors
    read: [sensors]
    write: [sensors]
  - name: match-me
    description: Exact match
    read: [metrics]
  - name: twice
    description: Twice
    read: [logs]
  - name: managed
    description: Already managed
    read: [logs]
`;

expectNoSecretsPrinted();

let project: TestProject;
let emulator: RunningEmulator;
let client: ManagementApi;

beforeEach(async () => {
  project = await startTestProject({
    prefix: 'import',
    manifest: MANIFEST,
    emulator: { databases: ['sensors', 'metrics', 'logs'] },
  });
  ({ emulator } = project);
  client = clientFor(emulator);
});

function provision(args: string[]) {
  return project.provision(args);
}

async function unmanaged(description: string, read: string[]): Promise<string> {
  const created = await client.createToken({
    description,
    permissions: read.map((resource) => ({ action: 'read', resource })),
  });
  return created.id;
}

function descriptionOf(id: string): string | undefined {
  return emulator.store.tokens().find((token) => token.id === id)?.description;
}

describe('provision import NAME TOKEN_ID', () => {
  it('adds only the marker; the next plan updates the token instead of creating one', async () => {
    const id = await unmanaged('Legacy sensors', ['sensors']);
    const before = await provision(['plan', '--only', 'sensors-rw']);
    expect(before.stdout).toContain('  + sensors-rw\n');
    expect(before.stdout).toContain('1 unmanaged token left alone');

    const run = await provision(['import', 'sensors-rw', id, '--yes']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        `Import token ${id} as sensors-rw:`,
        '  description: "Legacy sensors" → "Legacy sensors [provision:sensors-rw]"',
        '  Only the marker is added now; permissions and expiry are left as they are.',
        '',
        'Then the next `provision plan` will update sensors-rw: description changed; permissions changed',
        '      description: "Legacy sensors" → "Read/write token for sensors"',
        '      permissions:',
        '        + write:sensors',
        '',
        'Its token string was never sealed; run `provision apply --replace sensors-rw` to rotate it into the secrets file.',
        `Imported token ${id} as sensors-rw.`,
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    expect(descriptionOf(id)).toBe('Legacy sensors [provision:sensors-rw]');
    expect(emulator.store.tokens().find((t) => t.id === id)?.permissions).toEqual([
      { action: 'read', resource: 'sensors' },
    ]);

    const after = await provision(['plan', '--only', 'sensors-rw']);
    expect(after.stdout).not.toContain('+ sensors-rw');
    expect(after.stdout).toContain('  ~ sensors-rw\n');
    expect(after.stdout).not.toContain('unmanaged token');

    // Its string is unknown to provision, and verify says so.
    const verified = await provision(['verify', '--cluster-url', emulator.clusterUrl]);
    expect(verified.stdout).toContain(
      '  sensors-rw: not verifiable (string not in the secrets file)\n',
    );
    expect(verified.code).toBe(0);

    const again = await provision(['import', 'sensors-rw', id, '--yes']);
    expect(again.stdout).toBe(`Token ${id} is already managed as sensors-rw; nothing to import.\n`);
    expect(again.code).toBe(0);
  });

  it('says when the next plan has nothing to do, and refuses without a terminal or --yes', async () => {
    const id = await unmanaged('Exact match', ['metrics']);
    const run = await provision(['import', 'match-me', id]);
    expect(run.stdout).toContain(
      'Then the next `provision plan` makes no change to match-me: it matches the manifest.\n',
    );
    expect(run.stderr).toBe(
      'error: refusing to import without confirmation: this is not a terminal\nhint: review the import above, then run it again with --yes\n',
    );
    expect(run.code).toBe(1);
    expect(descriptionOf(id)).toBe('Exact match');
  });

  it('refuses an unknown name, a managed, a revoked or a missing token, and a duplicate', async () => {
    const legacy = await unmanaged('Legacy', ['logs']);
    const managed = await client.createToken({
      description: 'Already managed [provision:managed]',
      permissions: [{ action: 'read', resource: 'logs' }],
    });
    const revoked = await unmanaged('Gone', ['logs']);
    await client.revokeToken(revoked);
    const revokedAt = emulator.store.tokens().find((t) => t.id === revoked)?.revokedAt ?? '';
    const missing = '7d0c5c55-0000-4000-8000-000000000000';
    const cases: [string[], string][] = [
      [
        ['import', 'sensor-rw', legacy],
        'error: no token "sensor-rw" in the manifest\nhint: did you mean "sensors-rw"?\n',
      ],
      [
        ['import', 'sensors-rw', managed.id],
        `error: token ${managed.id} is already managed as "managed"\nhint: import adopts only unmanaged tokens; to rename, add previousNames: [managed] to "sensors-rw" in the manifest\n`,
      ],
      [
        ['import', 'sensors-rw', revoked],
        `error: token ${revoked} was revoked at ${revokedAt}; it cannot be adopted\nhint: \`provision apply\` creates "sensors-rw" anew\n`,
      ],
      [
        ['import', 'sensors-rw', missing],
        `error: token ${missing} not found in the cluster\nhint: check the id with \`influxctl token list\`\n`,
      ],
      [
        ['import', 'managed', legacy],
        `error: "managed" is already held by live token ${managed.id}; importing ${legacy} would create a duplicate\nhint: revoke one of them first, or import it under another declared name\n`,
      ],
      [
        ['import', 'sensors-rw'],
        'error: import needs NAME and TOKEN_ID, or --all-matching\nhint: e.g. provision import sensors-rw 5f0c…, with the id from `influxctl token list`\n',
      ],
      [
        ['import', 'sensors-rw', legacy, '--all-matching'],
        'error: --all-matching takes no NAME or TOKEN_ID\n',
      ],
    ];
    // None of these changes anything, so they run side by side.
    const runs = await Promise.all(cases.map(([args]) => provision([...args, '--yes'])));
    runs.forEach((run, index) => {
      expect(run.stderr).toBe(cases[index]?.[1]);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(1);
    });
    expect(descriptionOf(legacy)).toBe('Legacy');
  });
});

describe('provision import --all-matching', () => {
  it('imports the exact match and neither of two tokens that match one name', async () => {
    const match = await unmanaged('Exact match', ['metrics']);
    const [a, b] = [
      await unmanaged('Twice', ['logs']),
      await unmanaged('Twice', ['logs']),
    ].sort() as [string, string];
    const near = await unmanaged('Exact match', ['metrics', 'logs']);

    const run = await provision(['import', '--all-matching', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        'Import plan: 1 unmanaged token matches a declared token missing from the cluster (description and permissions).',
        `  match-me ← ${match} "Exact match"`,
        '',
        'Ambiguous, not imported (choose one with `provision import NAME TOKEN_ID`):',
        `  twice: 2 unmanaged tokens match it: ${a}, ${b}`,
        '',
        'Their token strings were never sealed; run `provision apply --replace NAME` for each to rotate it into the secrets file.',
        `Imported match-me ← ${match}`,
        'Import complete: 1 imported, 0 failed.',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    expect(descriptionOf(match)).toBe('Exact match [provision:match-me]');
    for (const id of [a, b, near]) expect(descriptionOf(id)).not.toContain('[provision:');

    const plan = await provision(['plan']);
    expect(plan.stdout).not.toContain('+ match-me');
    expect(plan.stdout).toContain('  + twice\n');
    expect(plan.stdout).toContain('3 unmanaged tokens left alone');

    const nothing = await provision(['import', '--all-matching']);
    expect(nothing.stdout).toBe(
      [
        'No unmanaged token matches a missing declared token exactly; nothing to import.',
        '',
        'Ambiguous, not imported (choose one with `provision import NAME TOKEN_ID`):',
        `  twice: 2 unmanaged tokens match it: ${a}, ${b}`,
        '',
      ].join('\n'),
    );
    expect(nothing.code).toBe(0);
  });
});
