import pLimit from 'p-limit';
import { isNotFound } from '../api/index.js';
import type { ManagementApi } from '../api/index.js';
import { PlanError, describeError } from '../errors.js';
import { checkImport } from '../import/index.js';
import { findImportMatches, type AmbiguousImport, type ImportProposal } from '../import/index.js';
import { previewImports, type ImportPreview, type ImportSpec } from '../import/index.js';
import type { DatabaseToken } from '../model/index.js';
import { withMarker } from '../plan/index.js';
import type { ClientFactory, WorkflowContext } from './context.js';
import { planFromManifest, type PlannedFromManifest } from './plan-from-manifest.js';
import type { ConnectionFlags } from './resolve-connection.js';

/** Which tokens to adopt: one by id under a declared name, or every exact match. */
export type ImportRequest =
  { kind: 'one'; name: string; tokenId: string } | { kind: 'all-matching' };

export interface ImportInputs extends ConnectionFlags {
  /** The manifest, relative to `context.cwd`. */
  file: string;
}

/** How one adoption ended. */
export interface ImportOutcome {
  name: string;
  tokenId: string;
  /** One line, never a secret; absent when the marker was written. */
  error?: string;
}

/** What an import would do, shown before it is confirmed; `adopt` does it. */
export type PreparedImport =
  | { kind: 'already-imported'; name: string; tokenId: string }
  | {
      kind: 'one';
      name: string;
      token: DatabaseToken;
      preview: ImportPreview;
      adopt: () => Promise<void>;
    }
  | {
      kind: 'all-matching';
      proposals: ImportProposal[];
      ambiguous: AmbiguousImport[];
      preview: ImportPreview;
      adopt: () => Promise<ImportOutcome[]>;
    };

/**
 * The import workflow, before confirmation: plans (unknown databases allowed: an unmanaged
 * token may name one the manifest does not), checks the request, and previews what the next
 * plan will do once the tokens carry their markers. Only the marker is ever PATCHed in.
 */
export async function prepareImport(
  request: ImportRequest,
  inputs: ImportInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PreparedImport> {
  const prepared = await planFromManifest(
    { ...inputs, allowMissingDatabases: true },
    context,
    createClient,
  );
  const { manifest, actual, client } = prepared;
  if (request.kind === 'one') {
    const { name, tokenId } = request;
    const listed =
      actual.find((candidate) => candidate.id === tokenId) ??
      (await getTokenIfAny(client, tokenId));
    const check = checkImport(name, tokenId, manifest.tokens, actual, listed);
    if (check.kind === 'already-imported') return { kind: 'already-imported', name, tokenId };
    const preview = previewImports(planInput(prepared), [{ name, tokenId }], prepared.evidence);
    return {
      kind: 'one',
      name,
      token: check.token,
      preview,
      adopt: () => adopt(client, check.token, name),
    };
  }
  const { proposals, ambiguous } = findImportMatches(manifest.tokens, actual);
  const specs: ImportSpec[] = proposals.map((p) => ({ name: p.name, tokenId: p.token.id }));
  const preview = previewImports(planInput(prepared), specs, prepared.evidence);
  return {
    kind: 'all-matching',
    proposals,
    ambiguous,
    preview,
    adopt: async () => {
      const limit = pLimit(8);
      const results = await Promise.allSettled(
        proposals.map((proposal) => limit(() => adopt(client, proposal.token, proposal.name))),
      );
      return results.map((result, index) => {
        const { name, token } = proposals[index] as ImportProposal;
        const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
        return result.status === 'fulfilled'
          ? { name, tokenId: token.id }
          : { name, tokenId: token.id, error: describeError(reason) };
      });
    },
  };
}

function planInput(prepared: PlannedFromManifest): Parameters<typeof previewImports>[0] {
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
