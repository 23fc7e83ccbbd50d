import { randomUUID } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Encrypter } from 'age-encryption';
import { InternalError } from '../errors.js';
import type { FileKey } from './file-key.js';
import { closeAppending, type GroupCommit } from './group-commit.js';
import { NativeX25519Recipient } from './native-x25519.js';
import { HEADER_KEY_ID, type RecordLine, type SealedLine } from './parse-secrets-file.js';
import { sealRecord } from './seal-record.js';
import type { SecretRecord, SecretsWriter } from './types.js';

/**
 * The writer over an opened file: intents, seals and the other lines go through one group
 * commit, each durable before its call resolves. `loadKey` gives the key to seal to (see
 * `openSecretsWriter`); it is awaited before the first intent.
 */
export function makeSecretsWriter(
  path: string,
  label: string,
  handle: FileHandle,
  lines: GroupCommit,
  loadKey: () => Promise<FileKey>,
  /** Withdraws this writer's presence marker once the file is closed. */
  release: () => Promise<void> = () => Promise.resolve(),
): SecretsWriter {
  // The sealing key, ready before the first intent is written (see keyForExistingFile).
  let sealing: Promise<{
    id: string;
    recipient: NativeX25519Recipient;
    encrypter: Encrypter;
  }> | null = null;
  const key = () =>
    (sealing ??= loadKey().then((loaded) => {
      const recipient = new NativeX25519Recipient(loaded.recipient);
      const encrypter = new Encrypter();
      encrypter.addRecipient(recipient);
      return { id: loaded.id, recipient, encrypter };
    }));
  const intents = new Map<string, { name: string; team: string | null }>();
  let closed = false;

  const append = (line: RecordLine): Promise<void> => {
    if (closed) return Promise.reject(new InternalError(`secrets writer for ${label} is closed`));
    return lines.append(JSON.stringify(line));
  };
  // Each intent resolves once: sealing or abandoning it twice is a bug in the caller. A seal
  // for the wrong name is a bug too, and leaves the intent open so it can still be abandoned.
  const resolve = (intentId: string, name?: string) => {
    const intent = intents.get(intentId);
    if (intent === undefined) throw new InternalError(`unknown or resolved intent ${intentId}`);
    if (name !== undefined && name !== intent.name) {
      throw new InternalError(`intent ${intentId} is not for ${name}`);
    }
    intents.delete(intentId);
    return intent;
  };

  return {
    path,
    async beginCreate(name, team) {
      if (closed) throw new InternalError(`secrets writer for ${label} is closed`);
      await key();
      const intent = randomUUID();
      await append({ type: 'intent', intent, name, team, at: now() });
      intents.set(intent, { name, team });
      return intent;
    },
    async seal(intentId, input) {
      const { name, team } = resolve(intentId, input.name);
      const { id: keyId, recipient, encrypter } = await key();
      const record: SecretRecord = {
        name,
        team,
        tokenId: input.tokenId,
        description: input.description,
        permissions: input.permissions,
        createdAt: input.createdAt,
        ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        accessToken: input.accessToken,
        sealedAt: input.sealedAt ?? now(),
      };
      const sealed = await sealRecord({ recipient, encrypter }, record);
      const line: SealedLine = {
        type: 'sealed',
        intent: intentId,
        name,
        team,
        tokenId: record.tokenId,
        createdAt: record.createdAt,
        ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
        sealedAt: record.sealedAt,
        // Version 1's header key has no id: its records stay readable by that version.
        ...(keyId === HEADER_KEY_ID ? {} : { key: keyId }),
        data: sealed,
      };
      await append(line);
    },
    async abandon(intentId) {
      const { name } = resolve(intentId);
      await append({ type: 'abandoned', intent: intentId, name, at: now() });
    },
    async recordRenamed(tokenId, from, to) {
      await append({ type: 'renamed', tokenId, from, to, at: now() });
    },
    async recordRevoked(tokenId, name) {
      await append({ type: 'revoked', tokenId, name, at: now() });
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeAppending(lines, handle, release);
    },
  };
}

function now(): string {
  return new Date().toISOString();
}
