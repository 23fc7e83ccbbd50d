import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManifestError } from '../../errors.js';
import { formatIssue } from '../../manifest/format-issue.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import type { ClientFlags } from '../create-cli-client.js';
import { createCliClient } from '../create-cli-client.js';
import { resolveConnection, type ConnectionFlags } from '../connection.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { renderTokensJson } from '../reporters/tokens-json.js';
import { renderTokensTable } from '../reporters/tokens-table.js';
import { describeClusterTokens } from '../reporters/describe-cluster-tokens.js';

/** Flags of `provision tokens list`, as main.ts declares them. */
export interface TokensListOptions extends ConnectionFlags, ClientFlags {
  /** Manifest to read the cluster ids from, when it exists. */
  file: string;
  revoked?: boolean;
  format?: 'table' | 'json';
}

/**
 * `provision tokens list`: every token the cluster holds, like `influxctl token list`, with
 * the manifest name provision manages it under (or "unmanaged"). The manifest is optional:
 * it only supplies the cluster ids when flags and environment do not.
 */
export async function tokensListCommand(options: TokensListOptions, io: CliIo): Promise<number> {
  let cluster = {};
  if (existsSync(resolve(io.cwd, options.file))) {
    const loaded = await loadManifest(options.file, { now: new Date(), cwd: io.cwd });
    if (!loaded.ok) {
      for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
      throw new ManifestError(`${options.file} is not valid; nothing was sent to the cluster`);
    }
    cluster = loaded.manifest.cluster;
  }
  const connection = resolveConnection(options, io, cluster);
  const client = createCliClient(connection, options, io);
  const rows = describeClusterTokens(await client.listTokens(), {
    includeRevoked: options.revoked === true,
    now: new Date(),
  });
  io.stdout.write(options.format === 'json' ? renderTokensJson(rows) : renderTokensTable(rows));
  return ExitCode.Ok;
}
