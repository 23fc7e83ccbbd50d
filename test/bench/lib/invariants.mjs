// The three apply invariants, checked against the cluster as the Management API lists it and
// the secrets files as the generated identity decrypts them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkerFrom } from './marker.mjs';
import { DIST_URL } from './paths.mjs';

/**
 * Every `*.sealed` file under `folder` (recursively), decrypted with `identity`: the
 * records, and how many files there were.
 */
export async function readAllSecrets(folder, identity) {
  const { readSecrets } = await import(`${DIST_URL}secrets/read-secrets.js`);
  const files = readdirSync(folder, { recursive: true })
    .filter((name) => String(name).endsWith('.sealed'))
    .map((name) => join(folder, String(name)));
  const records = [];
  for (const file of files) records.push(...(await readSecrets(file, { identities: [identity] })));
  return { files: files.length, records };
}

/**
 * `{ duplicates, unsealed, touchedUnmanaged, missing }`, each a list of names or ids (all
 * empty when the invariants hold; `missing` lists desired names with no live token).
 */
export async function checkInvariants({ tokens, records, unmanagedBefore, desiredNames }) {
  const parseMarker = await parseMarkerFrom();
  const live = tokens.filter((token) => token.revokedAt === undefined);
  const sealed = new Set(records.map((record) => record.tokenId));
  const perName = new Map();
  const unsealed = [];
  for (const token of live) {
    const marker = parseMarker(token.description);
    if (marker === null) continue;
    if (!sealed.has(token.id)) unsealed.push(`${marker.name} (${token.id})`);
    if (marker.retireAt === undefined)
      perName.set(marker.name, (perName.get(marker.name) ?? 0) + 1);
  }
  const byId = new Map(tokens.map((token) => [token.id, token]));
  const touchedUnmanaged = unmanagedBefore
    .filter((before) => {
      const now = byId.get(before.id);
      return (
        now === undefined ||
        now.revokedAt !== undefined ||
        now.description !== before.description ||
        JSON.stringify(now.permissions) !== JSON.stringify(before.permissions)
      );
    })
    .map((token) => token.id);
  return {
    live: live.length,
    duplicates: [...perName].filter(([, count]) => count > 1).map(([name]) => name),
    unsealed,
    touchedUnmanaged,
    missing: desiredNames.filter((name) => !perName.has(name)),
  };
}
