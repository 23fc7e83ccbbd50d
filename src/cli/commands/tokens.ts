import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectOne, loadValidManifests, oneCluster } from '../../workflows/index.js';
import type { Connection } from '../../workflows/index.js';
import { UsageError } from '../../errors.js';
import { resolveConnection, type ConnectionFlags } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { renderTokensJson } from '../reporters/tokens-json.js';
import { renderTokensTable } from '../reporters/tokens-table.js';
import { describeClusterTokens } from '../reporters/describe-cluster-tokens.js';
import { cliContext } from '../workflow-context.js';

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
  const context = cliContext(io);
  let connection: Connection;
  let clusterName: string | null = null;
  if (existsSync(resolve(io.cwd, options.file))) {
    const loaded = await loadValidManifests(options.file, context, context.now());
    const manifest = oneCluster(loaded, options.file, options.cluster);
    clusterName = manifest.clusterName;
    connection = connectOne(loaded, manifest, options, context);
  } else {
    if (options.cluster !== undefined) {
      throw new UsageError(`--cluster ${options.cluster}: there is no ${options.file} to name it`, {
        hint: 'pass the manifest with -f FILE',
      });
    }
    connection = resolveConnection(options, context, {}, options.file);
  }
  const client = cliClientFactory(options, io)(connection);
  const rows = describeClusterTokens(await client.listTokens(), {
    includeRevoked: options.revoked === true,
    now: new Date(),
  });
  io.stdout.write(
    options.format === 'json' ? renderTokensJson(rows, clusterName) : renderTokensTable(rows),
  );
  return ExitCode.Ok;
}
