import { type Command, Option } from '@commander-js/extra-typings';
import { collect } from './shared-options.js';
import type { RunCommand } from './run-command.js';

/** `provision secrets list|decrypt|export <file>`: read the encrypted secrets file. */
export function defineSecrets(program: Command, run: RunCommand): void {
  const secrets = program
    .command('secrets')
    .description('read, deliver and reseal the encrypted secrets file');
  const load = () => import('../commands/secrets.js');
  secrets
    .command('list <file>')
    .description('names and ids of the sealed tokens (never their strings)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .action((file, options) =>
      run(async () => (await load()).secretsListCommand, { ...options, file }),
    );
  secrets
    .command('decrypt <file>')
    .description('print every sealed record (current, superseded, revoked) as plaintext JSON')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .action((file, options) =>
      run(async () => (await load()).secretsDecryptCommand, { ...options, file }),
    );
  secrets
    .command('export <file>')
    .description('write a standard age file (or plaintext) of the sealed tokens')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['age', 'json', 'env', 'dotenv', 'k8s-secret'])
        .default('age'),
    )
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--recipient <age1…>', 'encrypt the export to this recipient (repeatable)', collect)
    .option('-a, --armor', 'with --format age, write ASCII-armored (PEM) text')
    .option('--all', 'also superseded and revoked tokens (default: the current ones only)')
    .action((file, options) =>
      run(async () => (await load()).secretsExportCommand, { ...options, file }),
    );
  secrets
    .command('deliver <file>')
    .description(
      "hand the file's current tokens to the manifest's delivery targets (what is missing)",
    )
    .option('-f, --file <file>', 'manifest naming the targets (outputs.deliver)', 'tokens.yaml')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .option('--only <selector>', 'only NAME, team:TEAM or target:TARGET (repeatable)', collect)
    .action((file, { file: manifest, ...rest }) =>
      run(async () => (await import('../commands/secrets-deliver.js')).secretsDeliverCommand, {
        ...rest,
        manifest,
        file,
      }),
    );
  secrets
    .command('reseal <file>')
    .description('re-encrypt every record to a new recipient set (after people change)')
    .option(
      '--recipient <age1…>',
      'the new recipients (repeatable; default: the manifest)',
      collect,
    )
    .option(
      '-f, --file <file>',
      'manifest giving the recipients without --recipient',
      'tokens.yaml',
    )
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .action((file, { file: manifest, ...rest }) =>
      run(async () => (await import('../commands/secrets-reseal.js')).secretsResealCommand, {
        ...rest,
        manifest,
        file,
      }),
    );
}
