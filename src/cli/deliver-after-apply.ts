import type { ExpandedManifest } from '../manifest/index.js';
import type { ApplySummary } from '../apply/index.js';
import type { ReadyApply } from '../workflows/index.js';
import { displayPath } from '../workflows/index.js';
import { writeLine, type CliIo } from './io.js';
import { renderDeliveryReport } from './reporters/delivery-text.js';

/**
 * After an apply: runs the workflow's deliveries (the apply's files are closed, every string
 * is on disk), prints each outcome (JSON lines) or the report, and returns whether every
 * delivery went through. An interrupted apply delivers nothing and says how to do it later.
 */
export async function deliverAfterApply(
  apply: ReadyApply,
  summary: ApplySummary,
  manifest: Pick<ExpandedManifest, 'outputs'>,
  manifestFile: string,
  json: boolean,
  io: CliIo,
): Promise<boolean> {
  if (manifest.outputs.deliver.length === 0) return true;
  const run = await apply.deliver(
    summary,
    json
      ? (outcome) => {
          writeLine(io.stdout, JSON.stringify({ type: 'delivery', ...outcome }));
        }
      : undefined,
  );
  if (run.jobs.length === 0) return true;
  const retry = run.files
    .map((file) => `provision secrets deliver ${displayPath(io.cwd, file)} -f ${manifestFile}`)
    .join('; ');
  if (run.outcomes === null) {
    writeLine(io.stderr, `Interrupted: ${run.jobs.length} deliveries not started; run: ${retry}`);
    return false;
  }
  if (!json)
    for (const line of renderDeliveryReport(run.outcomes, retry)) writeLine(io.stdout, line);
  return run.outcomes.every((o) => o.ok && o.recordError === null);
}
