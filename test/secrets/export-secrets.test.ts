import { hasAge } from '../helpers/age-keys.js';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { SecretsError } from '../../src/errors.js';
import { exportSecrets, type SecretRecord } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

function record(name: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return { ...sampleRecord(name), sealedAt: '2025-01-02T03:04:06Z', ...overrides };
}

describe('exportSecrets', () => {
  const records = [record('ingest'), record('reader', { team: 'alpha', expiresAt: 'E' })];

  it('json: the records as a JSON array', async () => {
    expect(JSON.parse(await exportSecrets(records, 'json'))).toEqual(records);
  });

  it('env: lines a POSIX shell sources back to the exact strings', async () => {
    const nasty = [
      record('odd.name-1', { accessToken: `it's $HOME \`id\` "q" \\ ;|&` }),
      record('plain', { accessToken: 'apiv1_abc' }),
    ];
    const text = await exportSecrets(nasty, 'env');
    expect(text).toBe(
      `PROVISION_TOKEN_ODD_NAME_1='it'\\''s $HOME \`id\` "q" \\ ;|&'\nPROVISION_TOKEN_PLAIN='apiv1_abc'\n`,
    );
    const file = join(await makeTempDir(), 'tokens.env');
    await writeFile(file, text);
    const out = execFileSync(
      'sh',
      ['-c', '. "$1"; printf %s "$PROVISION_TOKEN_ODD_NAME_1"', 'sh', file],
      { encoding: 'utf8' },
    );
    expect(out).toBe(nasty[0]!.accessToken);
  });

  it('env: the newest record of a rotated token wins', async () => {
    const text = await exportSecrets(
      [
        record('a', { tokenId: 'new', createdAt: '2025-02-01T00:00:00Z', accessToken: 'NEW' }),
        record('a', { tokenId: 'old', createdAt: '2025-01-01T00:00:00Z', accessToken: 'OLD' }),
      ],
      'env',
    );
    expect(text).toBe(`PROVISION_TOKEN_A='NEW'\n`);
  });

  it('env: refuses two names that map to one variable', async () => {
    await expect(exportSecrets([record('a-b'), record('a.b')], 'env')).rejects.toMatchObject({
      name: SecretsError.name,
      message: '"a-b" and "a.b" would both export PROVISION_TOKEN_A_B',
    });
  });

  it('age: a standard age file our decrypter opens, with a passphrase too', async () => {
    const keys = await makeKeyPair();
    const decrypter = new Decrypter();
    decrypter.addIdentity(keys.identity);
    const sealed = await exportSecrets(records, 'age', { recipients: [keys.recipient] });
    expect(JSON.parse(await decrypter.decrypt(sealed, 'text'))).toEqual(records);
  });

  it.skipIf(!hasAge)(
    'age: the stock `age -d -i` decrypts it (skipped: no `age` on PATH)',
    async () => {
      const keys = await makeKeyPair();
      const folder = await makeTempDir();
      await writeFile(join(folder, 'key.txt'), `# test key\n${keys.identity}\n`, { mode: 0o600 });
      await writeFile(
        join(folder, 'out.age'),
        await exportSecrets(records, 'age', { recipients: [keys.recipient] }),
      );
      const plain = execFileSync('age', ['-d', '-i', 'key.txt', 'out.age'], {
        cwd: folder,
        encoding: 'utf8',
      });
      expect(JSON.parse(plain)).toEqual(records);
    },
  );
});
