import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterEach } from 'vitest';
import type { SealInput } from '../../src/secrets/index.js';

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
