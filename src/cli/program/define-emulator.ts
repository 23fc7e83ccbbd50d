import { type Command, Option } from '@commander-js/extra-typings';
import { collect } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision emulator`: the local Management API, its fault knobs and its seed data. */
export function defineEmulator(program: Command, run: RunCommand): void {
  program
    .command('emulator')
    .description('run a local InfluxDB 3 Cloud Dedicated or Clustered Management API')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8086')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'print the start line as JSON')
    .option('--state <file>', 'keep state in this JSON file')
    .option('--database <name>', 'seed a database (repeatable)', collect)
    .option('--databases-file <file>', 'seed databases from a file, one name per line')
    .option(
      '--product <product>',
      'dedicated or clustered: which paths and bodies to serve',
      'dedicated',
    )
    .option('--account-id <uuid>', 'account id to serve (Dedicated only)')
    .option('--cluster-id <uuid>', 'cluster id to serve (Dedicated only)')
    .option('--latency <ms>', 'added latency per request', '0')
    .option('--jitter <ms>', 'random extra latency up to this many ms', '0')
    .option('--max-inflight <n>', 'answer 429 with Retry-After above this many requests in flight')
    .option('--error-rate <p>', 'probability of a 5xx', '0')
    .option('--rate-limit-rate <p>', 'probability of a 429 with Retry-After', '0')
    .option('--list-lag <ms>', 'new tokens appear in lists this late', '0')
    .option('--ambiguous-rate <p>', 'probability a create commits but its response is lost', '0')
    .option('--activation-delay <ms>', 'new tokens answer 401 on data endpoints this long', '0')
    .option('--seed <n>', 'seed for reproducible faults')
    .addOption(
      new Option('--time-precision <unit>', 'createdAt/revokedAt in whole seconds (s) or ms')
        .choices(['s', 'ms'])
        .default('ms'),
    )
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  PROVISION_EMULATOR_TOKEN  the management token to accept (default: a random one,',
        '                            printed only with --json); the export line then sets',
        '                            INFLUX_MANAGEMENT_TOKEN from it',
      ].join('\n'),
    )
    .action((options) =>
      run(async () => (await import('../commands/emulator.js')).emulatorCommand, options),
    );
}
