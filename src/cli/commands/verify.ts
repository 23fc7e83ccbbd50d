import { dirname, relative, resolve } from 'node:path';
import pLimit from 'p-limit';
import { assertClusterUrl, probeDataPlane } from '../../api/probe-data-plane.js';
import { SecretsError, UsageError } from '../../errors.js';
import { loadIdentities } from '../../secrets/load-identities.js';
import { readSecretsIndex } from '../../secrets/read-secrets-index.js';
import { readSecrets } from '../../secrets/read-secrets.js';
import { selectOnly } from '../../plan/select-only.js';
import { buildProbes, chooseCanary, SAMPLE_PER_TOKEN } from '../../verify/build-probes.js';
import { selectVerifiable } from '../../verify/select-verifiable.js';
import { judgeProbe, summariseVerify } from '../../verify/summarise-verify.js';
import type { ProbeOutcome, SealedEntry, VerifyCandidate } from '../../verify/types.js';
import type { ConnectionFlags } from '../connection.js';
import type { ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { manifestSecretsFiles, preparePlan } from '../prepare-plan.js';
import { renderVerifyJson } from '../reporters/verify-json.js';
import { renderVerifyText } from '../reporters/verify-text.js';
import { startVerifyProgress } from '../ui/verify-progress.js';

/** Flags of `provision verify`, as main.ts declares them. */
export interface VerifyOptions extends ConnectionFlags, ClientFlags {
  file: string;
  clusterUrl?: string;
  identity?: string;
  secretsFile?: string[];
  writeProbe?: boolean;
  format?: 'text' | 'json';
  /** `NAME` or `team:TEAM`, repeatable: verify only these. */
  only?: string[];
  /** Probes in flight at once (default 8: quick, and not like an attack). */
  concurrency?: string;
  /** Every cluster database for every token, instead of the sampled set. */
  allDatabases?: boolean;
  /** The table of every probe, not only the failures. */
  verbose?: boolean;
}

/**
 * `provision verify`: for every declared token (or those `--only` names) whose latest sealed
 * string belongs to a live token, probe the cluster's data endpoints (reads; writes with
 * `--write-probe`, an empty write that stores nothing) and compare with the manifest. By
 * default each token is probed on the databases it names, two others sampled by a hash of
 * its name, and a canary no declared token names; `--all-databases` probes every one. Exit 1
 * on any answer other than the declared one.
 */
export async function verifyCommand(options: VerifyOptions, io: CliIo): Promise<number> {
  if (options.clusterUrl === undefined || options.clusterUrl === '') {
    throw new UsageError('verify needs --cluster-url', {
      hint: "the cluster's data URL, e.g. https://CLUSTER_ID.a.influxdb.io (the emulator's URL without /api/v0)",
    });
  }
  const clusterUrl = assertClusterUrl(options.clusterUrl).href.replace(/\/$/, '');
  const concurrency = parseConcurrency(options.concurrency ?? '8');
  // --only is verify's own: the plan made here only supplies the manifest and the cluster.
  const { only, ...planFlags } = options;
  const prepared = await preparePlan(
    { ...planFlags, secretsFiles: options.secretsFile, allowMissingDatabases: true },
    io,
  );
  const { manifest, actual, databases } = prepared;
  const files =
    options.secretsFile?.map((file) => resolve(io.cwd, file)) ??
    manifestSecretsFiles(manifest, dirname(resolve(io.cwd, options.file)));

  // A file named on the command line must exist; the manifest's may not have been written yet.
  const indexes = await Promise.all(
    files.map((file) =>
      readSecretsIndex(file, {
        mustExist: options.secretsFile !== undefined,
        label: display(io.cwd, file),
      }),
    ),
  );
  const sealed: SealedEntry[] = indexes.flatMap((index, i) =>
    index.entries.map((entry) => ({
      tokenId: entry.tokenId,
      sealedAt: entry.sealedAt,
      file: files[i] as string,
    })),
  );
  const selection = selectOnly(only ?? [], manifest.tokens, new Set());
  const [problem] = selection.problems;
  if (problem !== undefined) {
    throw new UsageError(problem.message, problem.hint === undefined ? {} : { hint: problem.hint });
  }
  let candidates = selectVerifiable(selection.desired, sealed, actual);
  const strings = await openStrings(candidates, options, io);
  candidates = candidates.map((candidate) =>
    candidate.kind === 'verifiable' && !strings.has(candidate.tokenId)
      ? {
          kind: 'not-verifiable',
          name: candidate.name,
          team: candidate.team,
          tokenId: candidate.tokenId,
          reason: 'cannot-open',
          file: display(io.cwd, candidate.file),
        }
      : candidate,
  );

  const writeProbe = options.writeProbe === true;
  const limit = pLimit(concurrency);
  const outcomes = new Map<string, ProbeOutcome[]>();
  const permissionsOf = new Map(manifest.tokens.map((token) => [token.name, token.permissions]));
  // The canary is chosen over the whole manifest, so --only never turns a granted one into it.
  const canary = chooseCanary(
    manifest.tokens.map((token) => token.permissions),
    databases,
  );
  const plans = candidates.flatMap((candidate) => {
    if (candidate.kind !== 'verifiable') return [];
    const specs = buildProbes(permissionsOf.get(candidate.name) ?? [], databases, {
      writeProbe,
      ...(options.allDatabases === true
        ? {}
        : { scope: { tokenName: candidate.name, canary, sample: SAMPLE_PER_TOKEN } }),
    });
    return [{ candidate, specs }];
  });
  const progress = startVerifyProgress(
    io,
    plans.reduce((n, p) => n + p.specs.length, 0),
    options.format !== 'json',
  );
  try {
    await Promise.all(
      plans.map(async ({ candidate, specs }) => {
        const token = strings.get(candidate.tokenId) as string;
        const results = await Promise.all(
          specs.map((spec) =>
            limit(async () => {
              const outcome = judgeProbe(
                spec,
                await probeDataPlane({
                  clusterUrl,
                  token,
                  action: spec.action,
                  database: spec.database,
                }),
              );
              progress.probed(outcome.ok);
              return outcome;
            }),
          ),
        );
        outcomes.set(candidate.name, results);
      }),
    );
  } finally {
    progress.stop();
  }

  const report = summariseVerify({ clusterUrl, writeProbe, candidates, outcomes });
  io.stdout.write(
    options.format === 'json'
      ? renderVerifyJson(report)
      : renderVerifyText(report, { color: io.color, verbose: options.verbose === true }),
  );
  return report.summary.mismatched > 0 ? ExitCode.Error : ExitCode.Ok;
}

/**
 * Decrypts the files that hold a chosen string (and only those: no key is needed when none
 * does). A file this identity cannot open is a warning; its tokens are reported as not
 * verifiable. Returns token id → string, kept in memory only.
 */
async function openStrings(
  candidates: readonly VerifyCandidate[],
  options: VerifyOptions,
  io: CliIo,
): Promise<Map<string, string>> {
  const strings = new Map<string, string>();
  const needed = new Set(candidates.flatMap((c) => (c.kind === 'verifiable' ? [c.file] : [])));
  if (needed.size === 0) return strings;
  const keys = await loadIdentities({ identityFile: options.identity, env: io.env, cwd: io.cwd });
  const unopened: { label: string; why: string }[] = [];
  for (const file of [...needed].sort()) {
    const label = display(io.cwd, file);
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
    io.stderr.write(`warning: ${first.why}; its tokens are not verified\n`);
  } else if (unopened.length > 1) {
    const names = unopened.slice(0, 3).map((entry) => entry.label);
    const more = unopened.length > 3 ? `, +${unopened.length - 3}` : '';
    io.stderr.write(
      `warning: this identity cannot open ${unopened.length} of ${needed.size} secrets files (${names.join(', ')}${more}); their tokens are not verified\n`,
    );
  }
  return strings;
}

function display(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown.startsWith('..') ? path : shown;
}

function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new UsageError(`--concurrency: "${text}" is not a whole number from 1 to 256`, {
      hint: 'the default, 8, is quick without looking like an attack',
    });
  }
  return value;
}
