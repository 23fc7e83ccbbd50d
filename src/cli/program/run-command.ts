import type { CliIo } from '../io.js';

/** A command in `src/cli/commands/`: typed options in, exit code out. */
export type CommandFunction<Options> = (options: Options, io: CliIo) => Promise<number>;

/**
 * The one path every action takes: load the command (lazily, so `--version` stays fast) and
 * run it with the options commander parsed. `Options` comes from the command, so the parsed
 * flags and positionals are checked against what it declares, not asserted.
 */
export type RunCommand = <Options>(
  load: () => Promise<CommandFunction<Options>>,
  options: NoInfer<Options>,
) => Promise<void>;
