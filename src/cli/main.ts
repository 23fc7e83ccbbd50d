import { Command, CommanderError } from '@commander-js/extra-typings';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { defineApply } from './program/define-apply.js';
import { defineEmulator } from './program/define-emulator.js';
import { defineImport } from './program/define-import.js';
import { defineInit } from './program/define-init.js';
import { definePlan } from './program/define-plan.js';
import type { RunCommand } from './program/run-command.js';
import { defineSecrets } from './program/define-secrets.js';
import { defineTokens } from './program/define-tokens.js';
import { defineValidate } from './program/define-validate.js';
import { defineVerify } from './program/define-verify.js';
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
    // `--version` and `--help` end here too (exitOverride): commander has printed them.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
    // Loaded only for a real error: they reach the HTTP client's module, which --version
    // and --help never need.
    const [{ explainUnreachable }, { reportError }] = await Promise.all([
      import('./explain-unreachable.js'),
      import('./report-error.js'),
    ]);
    return reportError(explainUnreachable(error, used, io.env), io);
  }
  return exitCode;
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

  const run: RunCommand = async (load, options) => {
    const command = await load();
    setExit(await command(options, io));
  };
  // In this order in --help.
  defineValidate(program, run);
  defineEmulator(program, run);
  definePlan(program, run);
  defineApply(program, run);
  defineImport(program, run);
  defineVerify(program, run);
  defineInit(program, run);
  defineTokens(program, run);
  defineSecrets(program, run);
  return program;
}
