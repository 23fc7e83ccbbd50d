import { singleDatabase, type DeliveryTarget } from '../model/index.js';
import type { SecretRecord } from '../secrets/index.js';

/**
 * What a target reads on stdin. `string`: the bare token string, no newline (what
 * `pass insert -m`, `vault kv put … token=-`, `file:///dev/stdin` and `--from-file=…=/dev/stdin`
 * store verbatim). `json`: the token's record, one JSON object and a newline.
 */
export function deliveryPayload(target: DeliveryTarget, record: SecretRecord): Buffer {
  if (target.format === 'string') return Buffer.from(record.accessToken);
  const payload = {
    name: record.name,
    team: record.team,
    id: record.tokenId,
    string: record.accessToken,
    description: record.description,
    permissions: record.permissions,
    database: singleDatabase(record.permissions),
    createdAt: record.createdAt,
    expiresAt: record.expiresAt ?? null,
  };
  return Buffer.from(`${JSON.stringify(payload)}\n`);
}
