import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types.js';
import { parseMarker } from '../../src/plan/marker.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { clientFor } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, startTestProject } from '../helpers/project.js';

const MANIFEST = `version: 1
tokens:
  - name: sensors-rw
    description: Read/write token for sensors
    read: [sensors]
    write: [sensors]
  - name: two-ro
    description: Read-only on metrics and logs
    read: [metrics, logs]
  - name: all-ro
    description: Read on every database
    read: ["*"]
`;

expectNoSecretsPrinted();

/** A folder with the manifest, an emulator with three databases, and (unless told) an apply. */
async function applied(options: EmulatorOptions = {}, apply = true) {
  const { dir, emulator, key, provision } = await startTestProject({
    prefix: 'verify',
    manifest: MANIFEST,
    emulator: { databases: ['sensors', 'metrics', 'logs'], ...options },
  });
  if (apply)
    expect((await provision(['apply', '--yes', '--recipient', key.recipient])).code).toBe(0);
  return { dir, emulator, provision: (args: string[]) => provision(args) };
}

function idOf(emulator: RunningEmulator, name: string): string {
  const token = emulator.store
    .tokens()
    .find((t) => t.revokedAt === undefined && parseMarker(t.description)?.name === name);
  if (token === undefined) throw new Error(`no live token ${name}`);
  return token.id;
}

describe('provision verify', () => {
  it('reports every token reading exactly as declared after an apply (exit 0)', async () => {
    const { emulator, provision } = await applied();
    // --all-databases: every token on every database, the table with --verbose.
    const all = ['--all-databases', '--verbose'];
    const run = await provision(['verify', '--cluster-url', emulator.clusterUrl, ...all]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        `Verify on ${emulator.clusterUrl}: 3 declared tokens, reads only (--write-probe also checks writes)`,
        '',
        '  TOKEN       DATABASE  READ',
        '  all-ro      logs      granted',
        '  all-ro      metrics   granted',
        '  all-ro      sensors   granted',
        '  sensors-rw  logs      denied',
        '  sensors-rw  metrics   denied',
        '  sensors-rw  sensors   granted',
        '  two-ro      logs      granted',
        '  two-ro      metrics   granted',
        '  two-ro      sensors   denied',
        '',
        'OK: 3 tokens answered exactly as declared (9 probes).',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    // Reads only: not one write request reached the cluster.
    expect(emulator.store.counters.byOperation.write ?? 0).toBe(0);

    // Another identity cannot open the file: a warning, and nothing is verified.
    const other = await makeAgeKey(mkdtempSync(join(tmpdir(), 'provision-verify-other-')));
    const stranger = await provision([
      'verify',
      '--cluster-url',
      emulator.clusterUrl,
      '-i',
      other.identityFile,
    ]);
    expect(stranger.stderr).toBe(
      'warning: cannot open secrets/tokens.sealed with this identity (it is sealed to 1 recipient); its tokens are not verified\n',
    );
    expect(stranger.stdout).toContain(
      '  all-ro: not verifiable (cannot open secrets/tokens.sealed with this identity)\n',
    );
    expect(stranger.stdout).toContain('Nothing verified; 3 tokens not verifiable.\n');
    expect(stranger.code).toBe(0);
  });

  it('finds a permission changed behind its back, on a database granted and one not (exit 1)', async () => {
    const { emulator, provision } = await applied();
    // Someone drops write on sensors and adds read on logs with the API directly.
    await clientFor(emulator).updateToken(idOf(emulator, 'sensors-rw'), {
      permissions: [
        { action: 'read', resource: 'sensors' },
        { action: 'read', resource: 'logs' },
      ],
    });
    const run = await provision([
      'verify',
      '--cluster-url',
      emulator.clusterUrl,
      '--write-probe',
      '--all-databases',
      '--verbose',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        `Verify on ${emulator.clusterUrl}: 3 declared tokens, reads and writes (the write probe is empty and stores no data)`,
        '',
        '  TOKEN       DATABASE  READ                       WRITE',
        '  all-ro      logs      granted                    denied',
        '  all-ro      metrics   granted                    denied',
        '  all-ro      sensors   granted                    denied',
        '✗ sensors-rw  logs      granted (expected denied)  denied',
        '  sensors-rw  metrics   denied                     denied',
        '✗ sensors-rw  sensors   granted                    denied (expected granted)',
        '  two-ro      logs      granted                    denied',
        '  two-ro      metrics   granted                    denied',
        '  two-ro      sensors   denied                     denied',
        '',
        'mismatch: sensors-rw on logs: can read, but the manifest does not grant it',
        'mismatch: sensors-rw on sensors: cannot write (403), but the manifest grants it',
        '',
        'Mismatch: 1 of 3 tokens answered otherwise than declared (2 of 18 probes).',
        'hint: `provision plan` shows permission drift and `provision apply` restores the declared permissions; a 401 means the token is not active yet or was revoked',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(1);
    // The write probes are empty: nothing was stored.
    expect(emulator.store.counters.byOperation.write).toBe(9);
    expect(emulator.store.counters.pointsWritten).toBe(0);
  });

  it('--write-probe catches a write added behind its back; json lists every probe', async () => {
    const { emulator, provision } = await applied();
    await clientFor(emulator).updateToken(idOf(emulator, 'two-ro'), {
      permissions: [
        { action: 'read', resource: 'metrics' },
        { action: 'read', resource: 'logs' },
        { action: 'write', resource: 'metrics' },
      ],
    });
    const readsOnly = await provision(['verify', '--cluster-url', emulator.clusterUrl]);
    expect(readsOnly.code).toBe(0);
    const run = await provision([
      'verify',
      '--cluster-url',
      emulator.clusterUrl,
      '--write-probe',
      '--all-databases',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      summary: unknown;
      tokens: { name: string; status: string; tokenId: string; probes: { ok: boolean }[] }[];
    };
    expect(report.summary).toEqual({
      tokens: 3,
      verified: 2,
      mismatched: 1,
      notVerifiable: 0,
      probes: 18,
      mismatches: 1,
    });
    const twoRo = report.tokens.find((t) => t.name === 'two-ro');
    expect(twoRo).toMatchObject({ status: 'mismatch', tokenId: idOf(emulator, 'two-ro') });
    expect(twoRo?.probes.filter((p) => !p.ok)).toEqual([
      {
        database: 'metrics',
        action: 'write',
        expected: 'denied',
        observed: 'granted',
        ok: false,
        message: 'can write, but the manifest does not grant it',
      },
    ]);
  });

  it('says which tokens it cannot verify, and a token that answers 401 is a mismatch', async () => {
    const { dir, emulator, provision } = await applied({ activationDelayMs: 3_600_000 });
    // two-ro revoked by hand; a new declared token exists nowhere; all-ro is not active yet.
    await clientFor(emulator).revokeToken(idOf(emulator, 'two-ro'));
    writeFileSync(
      join(dir, 'tokens.yaml'),
      `${MANIFEST}  - name: later\n    description: Not applied yet\n    read: [logs]\n`,
    );
    const run = await provision([
      'verify',
      '--cluster-url',
      emulator.clusterUrl,
      '--all-databases',
      '--verbose',
    ]);
    expect(run.stdout).toContain(
      [
        'mismatch: all-ro: every probe answered 401: not active yet or revoked',
        'mismatch: sensors-rw: every probe answered 401: not active yet or revoked',
        '',
        'Not verifiable:',
        '  later: not verifiable (not in the cluster; run provision apply)',
        '  two-ro: not verifiable (not in the cluster; run provision apply)',
        '',
        'Mismatch: 2 of 2 tokens answered otherwise than declared (6 of 6 probes); 2 tokens not verifiable.',
      ].join('\n'),
    );
    expect(run.stdout).toContain('✗ all-ro      logs      401 (expected granted)');
    expect(run.code).toBe(1);
  });

  it('refuses to run without --cluster-url, or with plain http to another host', async () => {
    const { emulator, provision } = await applied({}, false);
    const missing = await provision(['verify']);
    expect(missing.stderr).toBe(
      "error: verify needs --cluster-url\nhint: the cluster's data URL, e.g. https://CLUSTER_ID.a.influxdb.io (the emulator's URL without /api/v0)\n",
    );
    expect(missing.code).toBe(1);
    const plain = await provision(['verify', '--cluster-url', 'http://cluster.example.com']);
    expect(plain.stderr).toContain(
      'error: refusing plain http:// to cluster.example.com: database tokens would travel unencrypted',
    );
    expect(plain.code).toBe(1);
    const noFile = await provision([
      'verify',
      '--cluster-url',
      emulator.clusterUrl,
      '--secrets-file',
      'nope.sealed',
    ]);
    expect(noFile.stderr).toBe('error: nope.sealed: no such file\n');
    expect(noFile.code).toBe(1);
  });
});
