import { loadManifest } from '../../manifest/index.js';
import type { DesiredToken, ExpandedManifest } from '../../manifest/index.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import type { CliIo } from '../io.js';
import { countProblems, writeIssues } from '../reporters/issues-text.js';

/** Flags of `provision validate`. */
export interface ValidateCommandOptions {
  /** The manifest, relative to `io.cwd`; messages name it as given. */
  file: string;
  format: 'text' | 'json';
  /** Also print the expanded tokens. */
  expand?: boolean;
}

/**
 * Checks a manifest without contacting the cluster. Text: a one-line summary on stdout
 * (warnings on stderr), or every problem on stderr and a count. JSON: one document on
 * stdout either way. Exit 0 when valid, 1 when not.
 */
export async function validateCommand(options: ValidateCommandOptions, io: CliIo): Promise<number> {
  const result = await loadManifest(options.file, { now: new Date(), cwd: io.cwd });
  const issues = result.ok ? result.warnings : result.issues;
  const manifest = result.ok ? result.manifest : null;

  if (options.format === 'json') {
    const document = {
      file: options.file,
      valid: result.ok,
      tokens: manifest?.tokens.length ?? null,
      teams: manifest?.teams.length ?? null,
      issues,
      ...(options.expand === true && manifest !== null ? { desiredTokens: manifest.tokens } : {}),
    };
    writeLine(io.stdout, JSON.stringify(document, null, 2));
    return result.ok ? ExitCode.Ok : ExitCode.Error;
  }

  writeIssues(io.stderr, issues);
  if (manifest === null) {
    writeLine(io.stderr, `${options.file}: ${countProblems(issues)}`);
    return ExitCode.Error;
  }
  writeLine(io.stdout, `${options.file}: ${summarise(manifest)}, valid`);
  if (options.expand === true) writeExpanded(io.stdout, manifest.tokens);
  return ExitCode.Ok;
}

function summarise(manifest: ExpandedManifest): string {
  const tokens = plural(manifest.tokens.length, 'token');
  return manifest.teams.length === 0
    ? tokens
    : `${tokens} for ${plural(manifest.teams.length, 'team')}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One line per desired token: what a reviewer wants to see before a plan. */
function writeExpanded(stream: NodeJS.WritableStream, tokens: readonly DesiredToken[]): void {
  for (const token of tokens) {
    const permissions =
      token.permissions.length === 0
        ? 'no permissions'
        : token.permissions.map((p) => `${p.action} ${p.resource}`).join(', ');
    writeLine(stream, `  ${token.name}: ${permissions}; ${describeExpiry(token)}`);
  }
}

function describeExpiry(token: DesiredToken): string {
  if (token.expiry === null) return 'never expires';
  return token.expiry.kind === 'at'
    ? `expires at ${token.expiry.at}`
    : `expires ${token.expiry.duration.text} after creation`;
}
