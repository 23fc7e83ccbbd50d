import { type Command, Option } from '@commander-js/extra-typings';
import { addConnectionOptions, readConnectionOptions } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision tokens list`: the cluster's tokens, managed or not. */
export function defineTokens(program: Command, run: RunCommand): void {
  const tokens = program.command('tokens').description("the cluster's database tokens");
  const list = tokens
    .command('list')
    .description('every token in the cluster: managed name or "unmanaged", permissions, expiry')
    .option('-f, --file <file>', 'manifest, for the cluster ids (optional)', 'tokens.yaml')
    .option('--cluster <name>', "the cluster (of the manifest's clusters:) to list")
    .option('--revoked', 'include revoked tokens')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    );
  addConnectionOptions(list);
  list.action((options) =>
    run(async () => (await import('../commands/tokens.js')).tokensListCommand, {
      ...options,
      ...readConnectionOptions(options),
    }),
  );
}
