import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecrets } from '../../src/secrets/index.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, runCli } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';

// A real store: Debian's pass over gnupg, with a throwaway key made here. CI installs both
// (.ci/run); without them this says so and skips.
const missing = ['pass', 'gpg'].filter((bin) => spawnSync('which', [bin]).status !== 0);
const why =
  missing.length === 0
    ? ''
    : ` (SKIPPED: ${missing.join(' and ')} not on PATH; .ci/run installs them)`;

const MANIFEST = `version: 1
teams:
  - name: payments
    databases: [payments_prod, payments_dev]
  - name: search
    databases: [search_prod]
templates:
  - name: '{team}-{database}-writer'
    per: database
    write: ['{database}']
outputs:
  secretsFile: tokens.sealed
  deliver:
    - name: pass
      command: [pass, insert, --multiline, --force, 'influxdb/{team}/{name}']
      format: string
`;

let gnupgHome: string | undefined;
afterEach(() => {
  if (gnupgHome !== undefined)
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: gnupgHome } });
});

describe.skipIf(missing.length > 0)(`delivery to pass${why}`, () => {
  it('puts every sealed string in pass, and a rotated token its new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-pass-'));
    // gpg-agent's socket path must be short; a folder of its own under the run's temp root.
    gnupgHome = mkdtempSync(join(tmpdir(), 'g-'));
    const store = join(dir, 'store');
    const env = { ...process.env, GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: store };
    const gen = spawnSync(
      'gpg',
      [
        '--batch',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        '',
        '--quick-gen-key',
        'provision-test <test@example.invalid>',
        'default',
        'default',
        'never',
      ],
      { env, encoding: 'utf8' },
    );
    expect(gen.status, gen.stderr).toBe(0);
    const init = spawnSync('pass', ['init', 'test@example.invalid'], { env, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);

    writeFileSync(join(dir, 'tokens.yaml'), MANIFEST);
    const emulator = await startTestEmulator({
      databases: ['payments_prod', 'payments_dev', 'search_prod'],
    });
    const key = await makeAgeKey(dir);
    const provision = (args: string[]) =>
      runCli(args, {
        cwd: dir,
        env: { ...emulatorEnv(emulator), GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: store },
      });
    const show = (team: string, name: string) =>
      spawnSync('pass', ['show', `influxdb/${team}/${name}`], { env, encoding: 'utf8' });
    const sealed = async () =>
      readSecrets(join(dir, 'tokens.sealed'), { identities: [key.identity] });

    const apply = await provision(['apply', '--yes', '--recipient', key.recipient]);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Delivered 3 of 3 deliveries to 1 target.');
    const first = await sealed();
    expect(first).toHaveLength(3);
    for (const record of first) {
      const shown = show(record.team ?? '', record.name);
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toBe(record.accessToken);
    }

    const rotate = await provision([
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--replace',
      'payments-payments_dev-writer',
    ]);
    expect(rotate.code).toBe(0);
    const now = (await sealed()).filter((r) => r.name === 'payments-payments_dev-writer').at(-1);
    const before = first.find((r) => r.name === 'payments-payments_dev-writer');
    expect(now?.accessToken).not.toBe(before?.accessToken);
    expect(show('payments', 'payments-payments_dev-writer').stdout).toBe(now?.accessToken);
  });
});
