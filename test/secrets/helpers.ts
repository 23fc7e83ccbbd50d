import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterEach } from 'vitest';
import type { SealInput, SecretRecord, WritingKeys } from '../../src/secrets/index.js';

/** A throwaway age key pair, generated at run time (never committed). */
export async function makeKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

/** A fresh temporary folder, removed after the test. */
export async function makeTempDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'provision-secrets-'));
  folders.push(folder);
  return folder;
}

/** A record to seal; its string is unique per name so tests can search for it. */
export function sampleRecord(name: string, overrides: Partial<SealInput> = {}): SealInput {
  return {
    name,
    team: null,
    tokenId: `id-${name}`,
    description: `secret description of ${name}`,
    permissions: [{ action: 'read', resource: 'metrics' }],
    createdAt: '2025-01-02T03:04:05Z',
    accessToken: `apiv1_${name}_${'x'.repeat(40)}`,
    ...overrides,
  };
}

/**
 * Writes a secrets file exactly as provision's version 1 did (the one file key in the
 * header, records without a `key` field), built here from age-encryption so the test does
 * not depend on the code that reads it.
 */
export async function writeVersion1File(
  path: string,
  keys: WritingKeys,
  records: SecretRecord[],
  intents: { name: string; team: string | null }[] = [],
): Promise<void> {
  const identity = await generateX25519Identity();
  const fileRecipient = await identityToRecipient(identity);
  const keyEncrypter = new Encrypter();
  if ('passphrase' in keys) keyEncrypter.setPassphrase(keys.passphrase);
  else for (const recipient of keys.recipients) keyEncrypter.addRecipient(recipient);
  const header = {
    format: 'provision-secrets',
    version: 1,
    passphrase: 'passphrase' in keys,
    recipients: 'recipients' in keys ? [...keys.recipients].sort() : [],
    fileRecipient,
    fileKey: Buffer.from(await keyEncrypter.encrypt(identity)).toString('base64'),
  };
  const lines = [JSON.stringify(header)];
  const recordEncrypter = new Encrypter();
  recordEncrypter.addRecipient(fileRecipient);
  for (const record of records) {
    const intent = randomUUID();
    lines.push(
      JSON.stringify({
        type: 'intent',
        intent,
        name: record.name,
        team: record.team,
        at: record.createdAt,
      }),
    );
    const { name, team, tokenId, createdAt, expiresAt, sealedAt } = record;
    const data = Buffer.from(await recordEncrypter.encrypt(JSON.stringify(record))).toString(
      'base64',
    );
    lines.push(
      JSON.stringify({
        type: 'sealed',
        intent,
        name,
        team,
        tokenId,
        createdAt,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        sealedAt,
        data,
      }),
    );
  }
  for (const { name, team } of intents) {
    lines.push(
      JSON.stringify({
        type: 'intent',
        intent: randomUUID(),
        name,
        team,
        at: '2025-01-01T00:00:00Z',
      }),
    );
  }
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** `sampleRecord` with its `sealedAt`, as a reader returns it. */
export function sealedRecord(name: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return { ...sampleRecord(name), sealedAt: '2025-01-02T03:04:06Z', ...overrides };
}
