import { Command, CommanderError, Option } from 'commander';
import { ProvisionError } from '../errors.js';
// Constants only (no imports): keeps `provision --version` from loading the HTTP client.
import { DEFAULT_TIMEOUT_MS } from '../api/request-limits.js';
import { ExitCode } from './exit-codes.js';
import { formatUnexpectedError } from './format-unexpected-error.js';
import type { CliIo } from './io.js';
import { redactKnownSecrets } from './known-secrets.js';
import { VERSION } from './version.js';

/**
 * The only place that reads argv and sets the exit code. Commands are loaded lazily so
 * that `provision --version` starts fast.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  // The flags of the command that ran, so an error's hint can name the ones actually given.
  let used: Record<string, unknown> = {};
  program.hook('preAction', (_program, action) => {
    used = action.opts();
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // Loaded only on an error: it reaches the HTTP client's module, which --version never needs.
    const { explainUnreachable } = await import('./explain-unreachable.js');
    return reportError(explainUnreachable(error, used, io.env), io);
  }
  return exitCode;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function addConnectionOptions(command: Command): Command {
  return command
    .option('--management-url <url>', 'Management API base URL (env INFLUX_MANAGEMENT_URL)')
    .option('--account-id <uuid>', 'account id (env INFLUX_ACCOUNT_ID)')
    .option('--cluster-id <uuid>', 'cluster id (env INFLUX_CLUSTER_ID)')
    .option(
      '--management-token-file <file>',
      'file holding the management token (else env INFLUX_MANAGEMENT_TOKEN)',
    )
    .option(
      '--timeout <duration>',
      'give up on an API request, its response body included, after this long',
      `${DEFAULT_TIMEOUT_MS / 1000}s`,
    )
    .option('--debug', 'print each API request and answer on stderr (headers redacted)');
}

/** The flags that shape a plan, shared by `plan` and `apply`, and the connection flags. */
function addPlanOptions(command: Command): Command {
  return addConnectionOptions(
    command
      .option('-f, --file <file>', 'manifest', 'tokens.yaml')
      .option('--prune', 'revoke managed tokens no longer in the manifest')
      .option('--replace <name>', 'rotate this token now (repeatable)', collect)
      .option('--only <selector>', 'limit to NAME or team:TEAM (repeatable)', collect)
      .option('--expiring-within <duration>', 'replace tokens expiring within this window')
      .option('--allow-missing-databases', 'warn instead of failing on unknown databases'),
  );
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('provision')
    .description('Declarative InfluxDB 3 Cloud Dedicated database tokens: plan, apply, seal.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();

  // Commander hands actions untyped option bags; each command validates its own flags.
  const run =
    (load: () => Promise<(options: never, io: CliIo) => Promise<number>>) =>
    async (options: unknown): Promise<void> => {
      const command = await load();
      setExit(await command(options as never, io));
    };

  program
    .command('validate')
    .description('check a manifest and print a one-line summary or every problem')
    .option('-f, --file <file>', 'manifest to check', 'tokens.yaml')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option('--expand', 'with --format json, print the expanded tokens')
    .action(run(async () => (await import('./commands/validate.js')).validateCommand));

  program
    .command('emulator')
    .description('run a local InfluxDB 3 Cloud Dedicated Management API')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8086')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--json', 'print the start line as JSON')
    .option('--state <file>', 'keep state in this JSON file')
    .option('--database <name>', 'seed a database (repeatable)', collect)
    .option('--databases-file <file>', 'seed databases from a file, one name per line')
    .option('--account-id <uuid>', 'account id to serve')
    .option('--cluster-id <uuid>', 'cluster id to serve')
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
    .action(run(async () => (await import('./commands/emulator.js')).emulatorCommand));

  addPlanOptions(
    program
      .command('plan')
      .description('show what apply would change')
      .option('--show-unmanaged', 'list unmanaged tokens')
      .option('--out <file>', 'save the plan for `apply plan.json`')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['text', 'json', 'markdown'])
          .default('text'),
      )
      .option('--detailed-exitcode', 'exit 2 when the plan has changes')
      .option('--verbose', 'show every change in full, however many (else condensed above 50)'),
  ).action(run(async () => (await import('./commands/plan.js')).planCommand));

  addPlanOptions(
    program
      .command('apply [planFile]')
      .description('make the cluster match the manifest (or a saved plan)')
      .option('-y, --yes', 'apply without asking')
      .option('--concurrency <n>', 'API calls in flight at once', '16')
      .option('--secrets-file <file>', 'where to seal new token strings')
      .option('--recipient <age1…>', 'also seal to this age recipient (repeatable)', collect)
      .option('--wait-active', 'wait until every new token authenticates on the cluster')
      .option('--cluster-url <url>', 'cluster data URL for --wait-active')
      .option('--wait-timeout <duration>', 'give up waiting for activation after this', '10m')
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
      .option('--verbose', 'show every change before the prompt, however many'),
  ).action(async (planFile: string | undefined, options: Record<string, unknown>) => {
    const { applyCommand } = await import('./commands/apply.js');
    setExit(await applyCommand({ ...options, planFile } as never, io));
  });

  addConnectionOptions(
    program
      .command('import [name] [tokenId]')
      .description('adopt an existing unmanaged token under a manifest name')
      .option('-f, --file <file>', 'manifest', 'tokens.yaml')
      .option(
        '--all-matching',
        'adopt every unmanaged token whose description and permissions match a missing declared token',
      )
      .option('-y, --yes', 'import without asking'),
  ).action(
    async (
      name: string | undefined,
      tokenId: string | undefined,
      options: Record<string, unknown>,
    ) => {
      const { importCommand } = await import('./commands/import.js');
      setExit(await importCommand({ ...options, name, tokenId } as never, io));
    },
  );

  addConnectionOptions(
    program
      .command('verify')
      .description("probe every sealed token's access on the cluster's data endpoints")
      .option('-f, --file <file>', 'manifest', 'tokens.yaml')
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
      ),
  ).action(run(async () => (await import('./commands/verify.js')).verifyCommand));

  program
    .command('init')
    .description('scaffold tokens.yaml, an age key pair, .gitignore lines and a CI workflow')
    .option('-f, --file <file>', 'manifest to write', 'tokens.yaml')
    .option('--key-file <file>', "the platform team's age identity (0600)", 'platform-key.txt')
    .option('--workflow <file>', 'CI workflow to write', '.github/workflows/tokens.yml')
    .option('--no-workflow', 'do not write a CI workflow')
    .action(run(async () => (await import('./commands/init.js')).initCommand));

  const tokens = program.command('tokens').description("the cluster's database tokens");
  addConnectionOptions(
    tokens
      .command('list')
      .description('every token in the cluster: managed name or "unmanaged", permissions, expiry')
      .option('-f, --file <file>', 'manifest, for the cluster ids (optional)', 'tokens.yaml')
      .option('--revoked', 'include revoked tokens')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['table', 'json'])
          .default('table'),
      ),
  ).action(run(async () => (await import('./commands/tokens.js')).tokensListCommand));

  const secrets = program
    .command('secrets')
    .description('read, deliver and reseal the encrypted secrets file');
  secrets
    .command('list <file>')
    .description('names and ids of the sealed tokens (never their strings)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      const { secretsListCommand } = await import('./commands/secrets.js');
      setExit(await secretsListCommand({ ...options, file }, io));
    });
  secrets
    .command('decrypt <file>')
    .description('print every sealed record (current, superseded, revoked) as plaintext JSON')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .action(async (file: string, options: Record<string, unknown>) => {
      const { secretsDecryptCommand } = await import('./commands/secrets.js');
      setExit(await secretsDecryptCommand({ ...options, file }, io));
    });
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
    .action(async (file: string, options: Record<string, unknown>) => {
      const { secretsExportCommand } = await import('./commands/secrets.js');
      setExit(await secretsExportCommand({ ...options, file }, io));
    });
  secrets
    .command('deliver <file>')
    .description(
      "hand the file's current tokens to the manifest's delivery targets (what is missing)",
    )
    .option('-f, --file <file>', 'manifest naming the targets (outputs.deliver)', 'tokens.yaml')
    .option('-i, --identity <file>', 'age identity file (env PROVISION_AGE_IDENTITY)')
    .option('--only <selector>', 'only NAME, team:TEAM or target:TARGET (repeatable)', collect)
    .action(async (file: string, options: Record<string, unknown>) => {
      const { secretsDeliverCommand } = await import('./commands/secrets-deliver.js');
      const { file: manifest, ...rest } = options;
      setExit(await secretsDeliverCommand({ ...rest, manifest, file } as never, io));
    });
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
    .action(async (file: string, options: Record<string, unknown>) => {
      const { secretsResealCommand } = await import('./commands/secrets-reseal.js');
      const { file: manifest, ...rest } = options;
      setExit(await secretsResealCommand({ ...rest, manifest, file } as never, io));
    });

  return program;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help, the version, or the usage problem.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
  }
  if (error instanceof ProvisionError) {
    // Known errors are written to be clean; redacting anyway costs nothing.
    io.stderr.write(`error: ${redactKnownSecrets(error.message)}\n`);
    if (error.hint !== undefined) io.stderr.write(`hint: ${redactKnownSecrets(error.hint)}\n`);
    return error.exitCode;
  }
  io.stderr.write(formatUnexpectedError(error));
  return ExitCode.Error;
}
