import { assertClusterUrl } from '../../api/index.js';
import { UsageError } from '../../errors.js';
import type { ConnectionFlags } from '../../workflows/index.js';
import { verifyTokens } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { parseConcurrency } from '../parse-concurrency.js';
import type { CliIo } from '../io.js';
import { renderVerifyJson } from '../reporters/verify-json.js';
import { renderVerifyText } from '../reporters/verify-text.js';
import { startVerifyProgress, type VerifyProgress } from '../ui/verify-progress.js';
import { cliContext } from '../workflow-context.js';

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
  const concurrency = parseConcurrency(
    options.concurrency ?? '8',
    'the default, 8, is quick without looking like an attack',
  );
  let progress: VerifyProgress | undefined;
  let report;
  try {
    report = await verifyTokens(
      {
        ...options,
        clusterUrl,
        concurrency,
        secretsFiles: options.secretsFile,
        writeProbe: options.writeProbe === true,
        only: options.only ?? [],
        allDatabases: options.allDatabases === true,
      },
      cliContext(io),
      cliClientFactory(options, io),
      {
        started: (total) => {
          progress = startVerifyProgress(io, total, options.format !== 'json');
        },
        probed: (ok) => progress?.probed(ok),
      },
    );
  } finally {
    progress?.stop();
  }
  io.stdout.write(
    options.format === 'json'
      ? renderVerifyJson(report)
      : renderVerifyText(report, { color: io.color, verbose: options.verbose === true }),
  );
  return report.summary.mismatched > 0 ? ExitCode.Error : ExitCode.Ok;
}
