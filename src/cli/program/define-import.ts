import type { Command } from '@commander-js/extra-typings';
import { addConnectionOptions, readConnectionOptions } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision import [name] [tokenId]`: adopt unmanaged tokens under manifest names. */
export function defineImport(program: Command, run: RunCommand): void {
  const command = program
    .command('import [name] [tokenId]')
    .description('adopt an existing unmanaged token under a manifest name')
    .option('-f, --file <file>', 'manifest', 'tokens.yaml')
    .option('--cluster <name>', "the cluster (of the manifest's clusters:) to import into")
    .option(
      '--all-matching',
      'adopt every unmanaged token whose description and permissions match a missing declared token',
    )
    .option('-y, --yes', 'import without asking');
  addConnectionOptions(command);
  command.action((name, tokenId, options) =>
    run(async () => (await import('../commands/import.js')).importCommand, {
      ...options,
      ...readConnectionOptions(options),
      name,
      tokenId,
    }),
  );
}
