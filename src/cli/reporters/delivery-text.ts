import { type DeliveryOutcome } from '../../deliver/index.js';

/** For the plan: which targets each change's new token goes to. */

/**
 * The delivery report: one count line, then every failure with its exit status and the last
 * lines of its stderr (already redacted), then how to finish the job. Pure: outcomes in,
 * lines out.
 */
export function renderDeliveryReport(
  outcomes: readonly DeliveryOutcome[],
  retry: string,
): string[] {
  const failed = outcomes.filter((o) => !o.ok || o.recordError !== null);
  const targets = new Set(outcomes.map((o) => o.target)).size;
  const lines = [
    `Delivered ${outcomes.length - failed.length} of ${count(outcomes.length, 'delivery', 'deliveries')} to ${count(targets, 'target')}.`,
  ];
  for (const o of failed) {
    const who = `${o.team === null ? '' : `${o.team}/`}${o.name}`;
    if (!o.ok)
      lines.push(`delivery failed: ${who} → ${o.target} (token ${o.tokenId}): ${o.status}`);
    for (const line of o.ok ? [] : o.stderr) lines.push(`    ${line}`);
    if (o.recordError !== null) {
      lines.push(`delivery not recorded: ${who} → ${o.target}: ${o.recordError}`);
    }
  }
  if (failed.length > 0) {
    lines.push(`Every string is sealed; deliver what is missing with: ${retry}`);
  }
  return lines;
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
