import { dirname, resolve } from 'node:path';
import { checkDeliveryPrograms, runDeliveries, type DeliveryJob } from '../deliver/index.js';
import type { ExpandedManifest } from '../manifest/types.js';
import { writeLine, type CliIo } from './io.js';
import { renderDeliveryReport } from './reporters/delivery-text.js';

/**
 * After an apply: hands each new, sealed token to its targets (the apply's files are closed,
 * every string is on disk), prints the report, and returns whether every delivery went
 * through. An interrupted apply delivers nothing and says how to do it later.
 */
export async function deliverAfterApply(
  jobs: DeliveryJob[],
  manifest: ExpandedManifest,
  manifestFile: string,
  interrupted: boolean,
  json: boolean,
  io: CliIo,
): Promise<boolean> {
  if (jobs.length === 0) return true;
  const files = [...new Set(jobs.map((job) => shown(io, job.secretsFile)))];
  const retry = files
    .map((file) => `provision secrets deliver ${file} -f ${manifestFile}`)
    .join('; ');
  if (interrupted) {
    writeLine(io.stderr, `Interrupted: ${jobs.length} deliveries not started; run: ${retry}`);
    return false;
  }
  const folder = dirname(resolve(io.cwd, manifestFile));
  const { programs } = checkDeliveryPrograms(manifest.outputs.deliver, folder, io.env);
  const outcomes = await runDeliveries(
    jobs,
    programs,
    { cwd: folder, env: io.env, labelOf: (path) => shown(io, path) },
    json
      ? (outcome) => writeLine(io.stdout, JSON.stringify({ type: 'delivery', ...outcome }))
      : undefined,
  );
  if (!json) for (const line of renderDeliveryReport(outcomes, retry)) writeLine(io.stdout, line);
  return outcomes.every((o) => o.ok && o.recordError === null);
}

function shown(io: CliIo, path: string): string {
  return path.startsWith(`${io.cwd}/`) ? path.slice(io.cwd.length + 1) : path;
}
