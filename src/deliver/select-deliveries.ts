import { targetTakes, type DeliveryTarget } from '../model/index.js';
import type { SecretRecord } from '../secrets/index.js';
import { deliveryKey } from '../secrets/index.js';
import type { DeliveryJob } from './types.js';

/**
 * The jobs for these records: one per record and target that takes its team, less the
 * pairs already delivered (`delivered`, from the file's delivery records) and those `only`
 * leaves out. `only` selectors: `NAME`, `team:TEAM`, `target:TARGET`; kinds are ANDed, values
 * of one kind ORed (`--only team:a --only target:vault`: team a's tokens, to vault only).
 */
export function selectDeliveries(
  records: readonly SecretRecord[],
  targets: readonly DeliveryTarget[],
  secretsFile: string,
  options: { delivered?: ReadonlySet<string>; only?: readonly string[] } = {},
): { jobs: DeliveryJob[]; alreadyDelivered: number } {
  const match = selectorMatcher(options.only ?? []);
  const jobs: DeliveryJob[] = [];
  let alreadyDelivered = 0;
  for (const record of records) {
    for (const target of targets) {
      if (!targetTakes(target, record.team) || !match(record, target.name)) continue;
      if (options.delivered?.has(deliveryKey(record.tokenId, target.name)) === true) {
        alreadyDelivered += 1;
        continue;
      }
      jobs.push({ target, record, secretsFile });
    }
  }
  return { jobs, alreadyDelivered };
}

function selectorMatcher(selectors: readonly string[]) {
  const names: string[] = [];
  const teams: string[] = [];
  const targets: string[] = [];
  for (const selector of selectors) {
    if (selector.startsWith('team:')) teams.push(selector.slice(5));
    else if (selector.startsWith('target:')) targets.push(selector.slice(7));
    else names.push(selector);
  }
  return (record: SecretRecord, target: string) =>
    (names.length === 0 || names.includes(record.name)) &&
    (teams.length === 0 || (record.team !== null && teams.includes(record.team))) &&
    (targets.length === 0 || targets.includes(target));
}
