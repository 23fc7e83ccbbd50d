import type { DatabaseToken } from '../../src/model/index.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { parseMarker } from '../../src/plan/marker.js';
import { readSecretsIndex } from '../../src/secrets/read-secrets-index.js';
import { readSecrets } from '../../src/secrets/read-secrets.js';
import type { SecretRecord } from '../../src/secrets/types.js';
import { judgeInvariants } from './judge-invariants.mjs';

/** What the three apply invariants found; every list empty means they hold. */
export interface InvariantReport {
  /** Names with more than one live, non-retiring managed token. */
  duplicates: string[];
  /** Live managed tokens whose string is in no secrets file (decrypted: the string itself). */
  unsealed: string[];
  /** Decrypted records whose string is not the string of the token id they name. */
  mismatched: string[];
  /** Unmanaged tokens changed or revoked. */
  touchedUnmanaged: string[];
  records: SecretRecord[];
  live: DatabaseToken[];
}

/**
 * The three invariants of an apply, checked against the emulator's own state and the
 * decrypted secrets files: no duplicates, no managed token without its sealed string, no
 * unmanaged token touched.
 */
export async function checkInvariants(
  emulator: RunningEmulator,
  secretsFiles: string[],
  identity: string,
  unmanagedBefore: DatabaseToken[],
  /** `false`: trust the files' plaintext index instead of decrypting every record (fast). */
  options: { decrypt?: boolean } = {},
): Promise<InvariantReport> {
  const records: SecretRecord[] = [];
  const sealed = new Set<string>();
  for (const file of secretsFiles) {
    if (options.decrypt === false) {
      for (const id of (await readSecretsIndex(file)).sealedTokenIds) sealed.add(id);
      continue;
    }
    try {
      records.push(...(await readSecrets(file, { identities: [identity] })));
    } catch (error) {
      if ((error as Error).message.includes('no such file')) continue;
      throw error;
    }
  }
  // Decrypted and compared: a record counts only if its string really is that token's.
  const mismatched: string[] = [];
  for (const record of records) {
    if (emulator.store.idForAccessToken(record.accessToken) === record.tokenId)
      sealed.add(record.tokenId);
    else mismatched.push(`${record.name} (${record.tokenId})`);
  }
  const { live, duplicates, unsealed, touchedUnmanaged } = judgeInvariants({
    tokens: emulator.store.tokens(),
    sealedIds: sealed,
    unmanagedBefore,
    parseMarker,
  });
  return { duplicates, unsealed, mismatched, touchedUnmanaged, records, live };
}

/**
 * Tokens among `oldIds` revoked before their overlap ended: revoked at all, unless they
 * carry a retire marker whose time had passed when they were revoked.
 */
export function revokedBeforeOverlap(
  emulator: RunningEmulator,
  oldIds: Iterable<string>,
): string[] {
  const byId = new Map(emulator.store.tokens().map((token) => [token.id, token]));
  const early: string[] = [];
  for (const id of oldIds) {
    const token = byId.get(id);
    if (token?.revokedAt === undefined) continue;
    const retireAt = parseMarker(token.description)?.retireAt;
    if (retireAt === undefined || Date.parse(token.revokedAt) < Date.parse(retireAt))
      early.push(id);
  }
  return early;
}

/** Ids of the live, current (not retiring) managed tokens: the ones a rotation must keep. */
export function currentManagedIds(emulator: RunningEmulator): string[] {
  return emulator.store
    .tokens()
    .filter((token) => {
      const marker = parseMarker(token.description);
      return token.revokedAt === undefined && marker !== null && marker.retireAt === undefined;
    })
    .map((token) => token.id);
}
