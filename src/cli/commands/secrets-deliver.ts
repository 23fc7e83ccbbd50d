import { dirname, resolve } from 'node:path';
import { checkDeliveryPrograms, loadFileDeliveries, runDeliveries } from '../../deliver/index.js';
import { UsageError } from '../../errors.js';
import { didYouMean } from '../../model/index.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { loadManifestFor } from '../workflow-context.js';
import { formatProblem } from '../reporters/format-problem.js';
import { renderDeliveryReport } from '../reporters/delivery-text.js';
import { readIndex, readingKeys, reportSkipped } from './secrets.js';

/** `provision secrets deliver FILE [-f tokens.yaml] [-i IDENTITY] [--only …]…`. */
export interface SecretsDeliverOptions {
  file: string;
  /** The manifest whose `outputs.deliver` names the targets. */
  manifest: string;
  identity?: string;
  /** `NAME`, `team:TEAM` or `target:TARGET`, repeatable. */
  only?: string[];
}

/**
 * Re-runs deliveries from the sealed file: every current token to every target that takes
 * it, except what the file's delivery records say was delivered, so a second run after a
 * complete one does nothing. After a store's outage, or when a target is added.
 */
export async function secretsDeliverCommand(
  options: SecretsDeliverOptions,
  io: CliIo,
): Promise<number> {
  const manifest = await loadManifestFor(options.manifest, io, options.file);
  const targets = manifest.outputs.deliver;
  if (targets.length === 0) {
    throw new UsageError(`${options.manifest} declares no delivery targets`, {
      hint: 'add outputs.deliver: [{ name, command }] to the manifest',
    });
  }
  const names = targets.map((target) => target.name);
  for (const selector of options.only ?? []) {
    if (!selector.startsWith('target:') || names.includes(selector.slice(7))) continue;
    throw new UsageError(`--only ${selector}: no delivery target ${selector.slice(7)}`, {
      hint: didYouMean(selector.slice(7), names) ?? `the targets are ${names.join(', ')}`,
    });
  }
  const folder = dirname(resolve(io.cwd, options.manifest));
  const { programs, problems } = checkDeliveryPrograms(targets, folder, io.env);
  if (problems.length > 0) {
    for (const { message, hint, target } of problems) {
      writeLine(io.stderr, formatProblem({ message, hint, source: target.source }));
    }
    writeLine(io.stderr, "error: cannot deliver: a target's program is missing; nothing was run");
    return ExitCode.Error;
  }
  const index = await readIndex(options.file, io);
  const keys = await readingKeys(options, index, io);
  const path = resolve(io.cwd, options.file);
  const found = await loadFileDeliveries(path, options.file, keys, targets, options.only ?? []);
  let code: number = ExitCode.Ok;
  if (found.jobs.length === 0) {
    writeLine(
      io.stdout,
      `Nothing to deliver: ${found.alreadyDelivered} deliveries of ${options.file} already done.`,
    );
  } else {
    const outcomes = await runDeliveries(found.jobs, programs, {
      cwd: folder,
      env: io.env,
      labelOf: () => options.file,
    });
    const retry = `provision secrets deliver ${options.file} -f ${options.manifest}`;
    for (const line of renderDeliveryReport(outcomes, retry)) writeLine(io.stdout, line);
    if (found.alreadyDelivered > 0) {
      writeLine(io.stdout, `${found.alreadyDelivered} delivered before, left alone.`);
    }
    if (outcomes.some((o) => !o.ok || o.recordError !== null)) code = ExitCode.Error;
  }
  const skipped = reportSkipped(found.skipped, found.jobs.length, io);
  return code === ExitCode.Ok ? skipped : code;
}
