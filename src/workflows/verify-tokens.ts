import { dirname, relative, resolve } from 'node:path';
import pLimit from 'p-limit';
import { probeDataPlane } from '../api/index.js';
import { SecretsError, UsageError } from '../errors.js';
import { selectOnly } from '../plan/index.js';
import { loadIdentities } from '../secrets/index.js';
import { readSecretsIndex } from '../secrets/index.js';
import { readSecrets } from '../secrets/index.js';
import { buildProbes, chooseCanary, SAMPLE_PER_TOKEN } from '../verify/index.js';
import { selectVerifiable } from '../verify/index.js';
import { judgeProbe, summariseVerify } from '../verify/index.js';
import type { ProbeOutcome, SealedEntry, VerifyCandidate, VerifyReport } from '../verify/index.js';
import type { ClientFactory, WorkflowContext } from './context.js';
import { manifestSecretsFiles, planFromManifest } from './plan-from-manifest.js';
import type { ConnectionFlags } from './resolve-connection.js';

/** What `verify` checks, and how. */
export interface VerifyInputs extends ConnectionFlags {
  /** The manifest, relative to `context.cwd`. */
  file: string;
  /** The cluster's data URL, already checked (`assertClusterUrl`), without a trailing slash. */
  clusterUrl: string;
  /** Probes in flight at once. */
  concurrency: number;
  /** An age identity file; else `PROVISION_AGE_IDENTITY` or `PROVISION_PASSPHRASE`. */
  identity?: string | undefined;
  /** Secrets files to read instead of the manifest's; each must exist. */
  secretsFiles?: string[] | undefined;
  /** Also send an empty write (it stores nothing) where a token may or may not write. */
  writeProbe: boolean;
  /** `NAME` or `team:TEAM`: verify only these. */
  only: string[];
  /** Every cluster database for every token, instead of the sampled set. */
  allDatabases: boolean;
}

/** Progress of the probes, for a display. */
export interface VerifyProgressSink {
  started(totalProbes: number): void;
  probed(ok: boolean): void;
}

/**
 * The verify workflow: for every declared token (or those `only` names) whose latest sealed
 * string belongs to a live token, probe the cluster's data endpoints and compare with the
 * manifest. By default each token is probed on the databases it names, two others sampled
 * by a hash of its name, and a canary no declared token names. Strings stay in memory.
 */
export async function verifyTokens(
  inputs: VerifyInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
  progress: VerifyProgressSink,
): Promise<VerifyReport> {
  // `only` is verify's own: the plan made here only supplies the manifest and the cluster.
  const { only, ...connection } = inputs;
  const prepared = await planFromManifest(
    { ...connection, secretsFiles: inputs.secretsFiles, allowMissingDatabases: true },
    context,
    createClient,
  );
  const { manifest, actual } = prepared;
  const databases = prepared.databases.map((database) => database.name);
  const files =
    inputs.secretsFiles?.map((file) => resolve(context.cwd, file)) ??
    manifestSecretsFiles(manifest, dirname(resolve(context.cwd, inputs.file)));
  const sealed = await readSealedEntries(files, inputs.secretsFiles !== undefined, context.cwd);
  const selection = selectOnly(only, manifest.tokens, new Set());
  const [problem] = selection.problems;
  if (problem !== undefined) {
    throw new UsageError(problem.message, problem.hint === undefined ? {} : { hint: problem.hint });
  }
  let candidates = selectVerifiable(selection.desired, sealed, actual);
  const strings = await openStrings(candidates, inputs.identity, context);
  candidates = candidates.map((candidate) =>
    candidate.kind === 'verifiable' && !strings.has(candidate.tokenId)
      ? {
          kind: 'not-verifiable',
          name: candidate.name,
          team: candidate.team,
          tokenId: candidate.tokenId,
          reason: 'cannot-open',
          file: display(context.cwd, candidate.file),
        }
      : candidate,
  );

  const permissionsOf = new Map(manifest.tokens.map((token) => [token.name, token.permissions]));
  // The canary is chosen over the whole manifest, so `only` never turns a granted one into it.
  const canary = chooseCanary(
    manifest.tokens.map((token) => token.permissions),
    databases,
  );
  const plans = candidates.flatMap((candidate) => {
    if (candidate.kind !== 'verifiable') return [];
    const specs = buildProbes(permissionsOf.get(candidate.name) ?? [], databases, {
      writeProbe: inputs.writeProbe,
      ...(inputs.allDatabases
        ? {}
        : { scope: { tokenName: candidate.name, canary, sample: SAMPLE_PER_TOKEN } }),
    });
    return [{ candidate, token: strings.get(candidate.tokenId) ?? '', specs }];
  });
  progress.started(plans.reduce((n, p) => n + p.specs.length, 0));
  const limit = pLimit(inputs.concurrency);
  const outcomes = new Map<string, ProbeOutcome[]>();
  await Promise.all(
    plans.map(async ({ candidate, token, specs }) => {
      const results = await Promise.all(
        specs.map((spec) =>
          limit(async () => {
            const observed = await probeDataPlane({
              clusterUrl: inputs.clusterUrl,
              token,
              action: spec.action,
              database: spec.database,
            });
            const outcome = judgeProbe(spec, observed);
            progress.probed(outcome.ok);
            return outcome;
          }),
        ),
      );
      outcomes.set(candidate.name, results);
    }),
  );
  return summariseVerify({
    clusterUrl: inputs.clusterUrl,
    writeProbe: inputs.writeProbe,
    candidates,
    outcomes,
  });
}

// A file named on the command line must exist; the manifest's may not have been written yet.
async function readSealedEntries(
  files: readonly string[],
  mustExist: boolean,
  cwd: string,
): Promise<SealedEntry[]> {
  const indexes = await Promise.all(
    files.map((file) => readSecretsIndex(file, { mustExist, label: display(cwd, file) })),
  );
  return indexes.flatMap((index, i) =>
    index.entries.map((entry) => ({
      tokenId: entry.tokenId,
      sealedAt: entry.sealedAt,
      file: files[i] ?? '',
    })),
  );
}

/**
 * Decrypts the files that hold a chosen string (and only those: no key is needed when none
 * does). A file this identity cannot open is a warning; its tokens are reported as not
 * verifiable. Returns token id → string, kept in memory only.
 */
async function openStrings(
  candidates: readonly VerifyCandidate[],
  identityFile: string | undefined,
  context: WorkflowContext,
): Promise<Map<string, string>> {
  const strings = new Map<string, string>();
  const needed = new Set(candidates.flatMap((c) => (c.kind === 'verifiable' ? [c.file] : [])));
  if (needed.size === 0) return strings;
  const keys = await loadIdentities({
    ...(identityFile === undefined ? {} : { identityFile }),
    env: context.env,
    cwd: context.cwd,
  });
  const unopened: { label: string; why: string }[] = [];
  for (const file of [...needed].sort()) {
    const label = display(context.cwd, file);
    try {
      for (const record of await readSecrets(file, keys, { label })) {
        strings.set(record.tokenId, record.accessToken);
      }
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      unopened.push({ label, why: error.message });
    }
  }
  // A team's key opens only its own file: one line for all the others, not one per file.
  const [first] = unopened;
  if (unopened.length === 1 && first !== undefined) {
    context.report.warning(`${first.why}; its tokens are not verified`);
  } else if (unopened.length > 1) {
    const names = unopened.slice(0, 3).map((entry) => entry.label);
    const more = unopened.length > 3 ? `, +${unopened.length - 3}` : '';
    context.report.warning(
      `this identity cannot open ${unopened.length} of ${needed.size} secrets files (${names.join(', ')}${more}); their tokens are not verified`,
    );
  }
  return strings;
}

function display(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown.startsWith('..') ? path : shown;
}
