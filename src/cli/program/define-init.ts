import type { Command } from '@commander-js/extra-typings';
import type { RunCommand } from './run-command.js';

/** `provision init`: the starter files, written only where nothing exists yet. */
export function defineInit(program: Command, run: RunCommand): void {
  program
    .command('init')
    .description('scaffold tokens.yaml, an age key pair, .gitignore lines and a CI workflow')
    .option('-f, --file <file>', 'manifest to write', 'tokens.yaml')
    .option('--key-file <file>', "the platform team's age identity (0600)", 'platform-key.txt')
    .option('--workflow <file>', 'CI workflow to write', '.github/workflows/tokens.yml')
    .option('--no-workflow', 'do not write a CI workflow')
    .action((options) =>
      run(async () => (await import('../commands/init.js')).initCommand, options),
    );
}
