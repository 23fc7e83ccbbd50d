import { type Command, Option } from '@commander-js/extra-typings';
import { addConnectionOptions, collect, readConnectionOptions } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision verify`: probe what each sealed token can really do on the data plane. */
export function defineVerify(program: Command, run: RunCommand): void {
  const verify = program
    .command('verify')
    .description("probe every sealed token's access on the cluster's data endpoints")
    .option('-f, --file <file>', 'manifest', 'tokens.yaml')
    .option('--cluster <name>', "the cluster (of the manifest's clusters:) to verify")
    .option('--cluster-url <url>', 'cluster data URL, e.g. https://CLUSTER_ID.a.influxdb.io')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .option(
      '--secrets-file <file>',
      'secrets file to read (repeatable; default: the manifest outputs)',
      collect,
    )
    .option('--write-probe', 'also probe writes (an empty write: it stores no data)')
    .option('--only <selector>', 'verify only NAME or team:TEAM (repeatable)', collect)
    .option('--concurrency <n>', 'probes in flight at once', '8')
    .option(
      '--all-databases',
      'probe every database for every token (default: granted ones, a sample and a canary)',
    )
    .option('--verbose', 'print the table of every probe, not only the failures')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  addConnectionOptions(verify);
  verify.action((options) =>
    run(async () => (await import('../commands/verify.js')).verifyCommand, {
      ...options,
      ...readConnectionOptions(options),
    }),
  );
}
