import { type Command, Option } from '@commander-js/extra-typings';
import { addPlanOptions, collect, readPlanOptions } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision apply [planFile]`: make the cluster match, sealing every new string. */
export function defineApply(program: Command, run: RunCommand): void {
  const apply = program
    .command('apply [planFile]')
    .description('make the cluster match the manifest (or a saved plan)')
    .option('-y, --yes', 'apply without asking')
    .option('--concurrency <n>', 'API calls in flight at once', '16')
    .option('--secrets-file <file>', 'where to seal new token strings')
    .option('--recipient <age1…>', 'also seal to this age recipient (repeatable)', collect)
    .option('--wait-active', 'wait until every new token authenticates on the cluster')
    .option('--cluster-url <url>', 'cluster data URL for --wait-active')
    .option('--wait-timeout <duration>', 'give up waiting for activation after this', '10m')
    .option(
      '--list-settle <duration>',
      'after a create of unknown outcome, how long the token list may lag before it is believed',
      '2s',
    )
    .addOption(
      new Option('--format <format>', 'output: text, or json (one JSON event per line)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--json', 'the same as --format json')
    .option(
      '--allow-mass-revoke',
      'apply even if it revokes or replaces more than half of the managed tokens (or policy.maxRevokes)',
    )
    .option('--verbose', 'show every change before the prompt, however many');
  addPlanOptions(apply);
  apply.action((planFile, options) =>
    run(async () => (await import('../commands/apply.js')).applyCommand, {
      ...options,
      ...readPlanOptions(options),
      planFile,
    }),
  );
}
