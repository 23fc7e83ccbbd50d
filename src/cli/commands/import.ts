import confirm from '@inquirer/confirm';
import { UsageError } from '../../errors.js';
import { prepareImport, type ImportRequest, type PreparedImport } from '../../workflows/index.js';
import type { ConnectionFlags } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { renderImportMatches, renderSingleImport } from '../reporters/import-plan-text.js';
import { cliContext } from '../workflow-context.js';

/** Arguments and flags of `provision import`, as main.ts declares them. */
export interface ImportOptions extends ConnectionFlags, ClientFlags {
  /** The `[name]` and `[tokenId]` arguments; undefined when not given. */
  name?: string | undefined;
  tokenId?: string | undefined;
  file: string;
  allMatching?: boolean;
  yes?: boolean;
}

/**
 * `provision import NAME TOKEN_ID` adopts one unmanaged token under a declared name;
 * `provision import --all-matching` adopts every unmanaged token whose description and
 * permissions match a declared, missing token exactly. Either way only the marker is PATCHed
 * into the description, after the user saw what the next plan will do and confirmed.
 */
export async function importCommand(options: ImportOptions, io: CliIo): Promise<number> {
  const single = options.name !== undefined || options.tokenId !== undefined;
  if (options.allMatching === true && single) {
    throw new UsageError('--all-matching takes no NAME or TOKEN_ID');
  }
  if (
    options.allMatching !== true &&
    (options.name === undefined || options.tokenId === undefined)
  ) {
    throw new UsageError('import needs NAME and TOKEN_ID, or --all-matching', {
      hint: 'e.g. provision import sensors-rw 5f0c…, with the id from `influxctl token list`',
    });
  }
  const request: ImportRequest =
    options.allMatching === true
      ? { kind: 'all-matching' }
      : { kind: 'one', name: options.name ?? '', tokenId: options.tokenId ?? '' };
  const prepared = await prepareImport(
    request,
    options,
    cliContext(io),
    cliClientFactory(options, io),
  );
  switch (prepared.kind) {
    case 'already-imported':
      writeLine(
        io.stdout,
        `Token ${prepared.tokenId} is already managed as ${prepared.name}; nothing to import.`,
      );
      return ExitCode.Ok;
    case 'one':
      io.stdout.write(renderSingleImport(prepared.name, prepared.token, prepared.preview));
      if (!(await confirmImport(io, options.yes === true, 1))) return ExitCode.Error;
      await prepared.adopt();
      writeLine(io.stdout, `Imported token ${prepared.token.id} as ${prepared.name}.`);
      return ExitCode.Ok;
    case 'all-matching':
      return importAllMatching(prepared, options, io);
  }
}

async function importAllMatching(
  prepared: Extract<PreparedImport, { kind: 'all-matching' }>,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  const { proposals } = prepared;
  io.stdout.write(renderImportMatches(proposals, prepared.ambiguous, prepared.preview));
  if (proposals.length === 0) return ExitCode.Ok;
  if (!(await confirmImport(io, options.yes === true, proposals.length))) return ExitCode.Error;
  const outcomes = await prepared.adopt();
  for (const outcome of outcomes) {
    if (outcome.error === undefined) {
      writeLine(io.stdout, `Imported ${outcome.name} ← ${outcome.tokenId}`);
    } else {
      writeLine(io.stderr, `failed: ${outcome.name} ← ${outcome.tokenId}: ${outcome.error}`);
    }
  }
  const failed = outcomes.filter((outcome) => outcome.error !== undefined).length;
  writeLine(io.stdout, `Import complete: ${proposals.length - failed} imported, ${failed} failed.`);
  return failed > 0 ? ExitCode.Error : ExitCode.Ok;
}

async function confirmImport(io: CliIo, yes: boolean, n: number): Promise<boolean> {
  if (yes) return true;
  if (!io.interactive) {
    throw new UsageError('refusing to import without confirmation: this is not a terminal', {
      hint: 'review the import above, then run it again with --yes',
    });
  }
  let answer = false;
  try {
    answer = await confirm(
      { message: n === 1 ? 'Import this token?' : `Import these ${n} tokens?`, default: false },
      { input: io.stdin, output: io.stdout },
    );
  } catch (error) {
    // Ctrl-C or a closed stdin at the prompt: nothing has been done, so say no.
    if (!(error instanceof Error && error.name === 'ExitPromptError')) throw error;
  }
  if (!answer) writeLine(io.stderr, 'Import cancelled; nothing was changed.');
  return answer;
}
