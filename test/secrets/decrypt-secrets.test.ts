import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptSecrets, openSecretsWriter } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

async function sealedFile(names: string[]) {
  const keys = await makeKeyPair();
  const path = join(await makeTempDir(), 's.sealed');
  const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
  for (const name of names) {
    await writer.seal(await writer.beginCreate(name, null), sampleRecord(name));
  }
  await writer.close();
  return { path, keys: { identities: [keys.identity] } };
}

async function editLines(path: string, edit: (lines: Record<string, unknown>[]) => unknown[]) {
  const lines = (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  await writeFile(
    path,
    `${edit(lines)
      .map((line) => JSON.stringify(line))
      .join('\n')}\n`,
  );
}

describe('decryptSecrets binds the plaintext fields to the sealed record', () => {
  it.each([
    ['tokenId', 'id-someone-else'],
    ['team', 'alpha'],
    ['createdAt', '2030-01-01T00:00:00Z'],
    ['expiresAt', '2030-01-01T00:00:00Z'],
  ])('an edited %s is reported as tampered, and not trusted', async (field, value) => {
    const { path, keys } = await sealedFile(['a', 'b']);
    await editLines(path, (lines) =>
      lines.map((line) =>
        line.type === 'sealed' && line.name === 'a' ? { ...line, [field]: value } : line,
      ),
    );
    const { records, skipped } = await decryptSecrets(path, keys);
    expect(records.map((r) => r.name)).toEqual(['b']);
    expect(skipped.map((s) => [s.name, s.reason])).toEqual([['a', 'tampered']]);
  });

  it('a sealed line written twice (a retried short write) is read once, without a warning', async () => {
    const { path, keys } = await sealedFile(['a']);
    await editLines(path, (lines) => [...lines, lines.find((line) => line.type === 'sealed')]);
    expect(await decryptSecrets(path, keys)).toMatchObject({ skipped: [] });
    expect((await decryptSecrets(path, keys)).records).toHaveLength(1);
  });

  it('a forged copy of a trusted record is named, the trusted one kept', async () => {
    const { path, keys } = await sealedFile(['a', 'b']);
    await editLines(path, (lines) => {
      const [a, b] = lines.filter((line) => line.type === 'sealed');
      return [...lines, { ...a, data: b!.data }];
    });
    const { records, skipped } = await decryptSecrets(path, keys);
    expect(records.map((r) => r.name)).toEqual(['a', 'b']);
    expect(skipped.map((s) => [s.name, s.reason])).toEqual([['a', 'tampered']]);
  });
});
