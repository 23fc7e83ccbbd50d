import { Command, CommanderError } from '@commander-js/extra-typings';
import { ProvisionError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import { formatUnexpectedError } from './format-unexpected-error.js';
import type { CliIo } from './io.js';
import { redactKnownSecrets } from './known-secrets.js';
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
    // Loaded only on an error: it reaches the HTTP client's module, which --version never needs.
    const { explainUnreachable } = await import('./explain-unreachable.js');
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
