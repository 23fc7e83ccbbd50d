import { formatIssue } from '../manifest/index.js';
import { loadValidManifest, type WorkflowContext } from '../workflows/index.js';
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

/** The manifest, for a command that changes no cluster (`secrets deliver`, `secrets reseal`). */
export function loadManifestFor(file: string, io: CliIo): Promise<ExpandedManifest> {
  return loadValidManifest(
    file,
    cliContext(io),
    new Date(),
    `${file} is not valid`,
    'nothing was changed',
  );
}
