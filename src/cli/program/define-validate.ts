import { type Command, Option } from '@commander-js/extra-typings';
import type { RunCommand } from './run-command.js';

/** `provision validate`: the manifest alone, no cluster. */
export function defineValidate(program: Command, run: RunCommand): void {
  program
    .command('validate')
    .description('check a manifest and print a one-line summary or every problem')
    .option('-f, --file <file>', 'manifest to check', 'tokens.yaml')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option('--expand', 'with --format json, print the expanded tokens')
    .action((options) =>
      run(async () => (await import('../commands/validate.js')).validateCommand, options),
    );
}
