// The three apply invariants, checked against the cluster as the Management API lists it and
// the secrets files as the generated identity decrypts them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkerFrom } from './marker.mjs';
import { judgeInvariants } from '../../helpers/judge-invariants.mjs';
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
  const sealedIds = new Set(records.map((record) => record.tokenId));
  const judged = judgeInvariants({ tokens, sealedIds, unmanagedBefore, parseMarker });
  return {
    live: judged.live.length,
    duplicates: judged.duplicates,
    unsealed: judged.unsealed,
    touchedUnmanaged: judged.touchedUnmanaged,
    missing: desiredNames.filter((name) => !judged.currentNames.has(name)),
  };
}
