import { formatIssue } from '../manifest/index.js';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import {
  displayPath,
  loadValidManifests,
  manifestSecretsFiles,
  oneCluster,
  secretsFileFor,
  type WorkflowContext,
} from '../workflows/index.js';
import type { ExpandedManifest } from '../manifest/index.js';
import type { CliIo } from './io.js';
import { rememberSecret } from './known-secrets.js';

/**
 * The workflows' view of this process: its folder, environment and clock, with manifest
 * issues and warnings written to stderr as they come, and every secret remembered so the
 * error edge (main.ts) can take it out of anything it prints.
 */
export function cliContext(io: CliIo, now: () => Date = () => new Date()): WorkflowContext {
  return {
    cwd: io.cwd,
    env: io.env,
    now,
    report: {
      issue: (issue) => {
        io.stderr.write(`${formatIssue(issue)}\n`);
      },
      warning: (message) => {
        io.stderr.write(`warning: ${message}\n`);
      },
      secret: rememberSecret,
    },
  };
}

/**
 * The manifest, for a command that changes no cluster (`secrets deliver`, `secrets reseal`)
 * and works on one secrets file: with `clusters:`, the cluster that file belongs to.
 */
export async function loadManifestFor(
  file: string,
  io: CliIo,
  secretsFile: string,
): Promise<ExpandedManifest> {
  const loaded = await loadValidManifests(
    file,
    cliContext(io),
    new Date(),
    `${file} is not valid`,
    'nothing was changed',
  );
  if (!loaded.named) return oneCluster(loaded, file, undefined);
  const folder = dirname(resolve(io.cwd, file));
  const path = resolve(io.cwd, secretsFile);
  const owner = loaded.clusters.find((manifest) =>
    manifestSecretsFiles(manifest, folder).includes(path),
  );
  if (owner === undefined) {
    throw new UsageError(`${secretsFile} is no cluster's secrets file in ${file}`, {
      hint: `each cluster seals to its own: ${loaded.clusters
        .map((manifest) => displayPath(io.cwd, secretsFileFor(manifest, folder, null)))
        .join(', ')}`,
    });
  }
  return owner;
}
