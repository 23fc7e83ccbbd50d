import confirm from '@inquirer/confirm';
import pLimit from 'p-limit';
import { isNotFound } from '../../api/errors.js';
import type { DatabaseToken } from '../../model/tokens.js';
import type { ManagementApi } from '../../api/types.js';
import { PlanError, UsageError, describeError } from '../../errors.js';
import { checkImport } from '../../import/check-import.js';
import { findImportMatches } from '../../import/find-import-matches.js';
import { previewImports, type ImportSpec } from '../../import/preview-imports.js';
import { renderImportMatches, renderSingleImport } from '../reporters/import-plan-text.js';
import { withMarker } from '../../plan/marker.js';
import type { ConnectionFlags } from '../connection.js';
import type { ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { preparePlan, type PreparedPlan } from '../prepare-plan.js';

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
  const prepared = await preparePlan({ ...options, allowMissingDatabases: true }, io);
  return options.allMatching === true
    ? importAllMatching(prepared, options, io)
    : importOne(prepared, options.name as string, options.tokenId as string, options, io);
}

async function importOne(
  prepared: PreparedPlan,
  name: string,
  tokenId: string,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  const { manifest, actual, client } = prepared;
  const token =
    actual.find((candidate) => candidate.id === tokenId) ?? (await getTokenIfAny(client, tokenId));
  const check = checkImport(name, tokenId, manifest.tokens, actual, token);
  if (check.kind === 'already-imported') {
    writeLine(io.stdout, `Token ${tokenId} is already managed as ${name}; nothing to import.`);
    return ExitCode.Ok;
  }
  const preview = previewImports(planInput(prepared), [{ name, tokenId }], prepared.evidence);
  io.stdout.write(renderSingleImport(name, check.token, preview));
  if (!(await confirmImport(io, options.yes === true, 1))) return ExitCode.Error;
  await adopt(client, check.token, name);
  writeLine(io.stdout, `Imported token ${tokenId} as ${name}.`);
  return ExitCode.Ok;
}

async function importAllMatching(
  prepared: PreparedPlan,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  const { manifest, actual, client } = prepared;
  const { proposals, ambiguous } = findImportMatches(manifest.tokens, actual);
  const specs: ImportSpec[] = proposals.map((p) => ({ name: p.name, tokenId: p.token.id }));
  const preview = previewImports(planInput(prepared), specs, prepared.evidence);
  io.stdout.write(renderImportMatches(proposals, ambiguous, preview));
  if (proposals.length === 0) return ExitCode.Ok;
  if (!(await confirmImport(io, options.yes === true, proposals.length))) return ExitCode.Error;

  const limit = pLimit(8);
  const results = await Promise.allSettled(
    proposals.map((proposal) => limit(() => adopt(client, proposal.token, proposal.name))),
  );
  let failed = 0;
  results.forEach((result, index) => {
    const { name, token } = proposals[index] as (typeof proposals)[number];
    if (result.status === 'fulfilled') writeLine(io.stdout, `Imported ${name} ← ${token.id}`);
    else {
      failed += 1;
      const reason: unknown = result.reason;
      writeLine(io.stderr, `failed: ${name} ← ${token.id}: ${describeError(reason)}`);
    }
  });
  writeLine(io.stdout, `Import complete: ${proposals.length - failed} imported, ${failed} failed.`);
  return failed > 0 ? ExitCode.Error : ExitCode.Ok;
}

function planInput(prepared: PreparedPlan): Parameters<typeof previewImports>[0] {
  return {
    desired: prepared.manifest.tokens,
    actual: prepared.actual,
    databases: prepared.databases,
    now: new Date(prepared.plan.createdAt),
    target: prepared.plan.target,
    manifest: prepared.plan.manifest,
  };
}

// A token created a moment ago may be missing from a lagging list: ask for it by id.
async function getTokenIfAny(
  client: ManagementApi,
  tokenId: string,
): Promise<DatabaseToken | undefined> {
  try {
    return await client.getToken(tokenId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** PATCHes the marker in, unless the token changed since it was listed and previewed. */
async function adopt(client: ManagementApi, token: DatabaseToken, name: string): Promise<void> {
  const fresh = await client.getToken(token.id);
  if (fresh.revokedAt !== undefined || fresh.description !== token.description) {
    throw new PlanError(`token ${token.id} changed since it was listed; nothing was imported`, {
      hint: 'run the import again to see the current state',
    });
  }
  await client.updateToken(token.id, { description: withMarker(token.description, name) });
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
