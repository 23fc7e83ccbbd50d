/** Everything a command may touch of its process, passed in so tests can supply their own. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdin and stdout are terminals (confirmation prompts, live progress). */
  interactive: boolean;
  /** Colour on: stdout is a terminal and `NO_COLOR` is unset. */
  color: boolean;
}

/** The process's own streams and settings. */
export function processIo(): CliIo {
  const env = process.env;
  const interactive = isTerminal(process.stdin) && isTerminal(process.stdout) && env.CI !== 'true';
  const color = isTerminal(process.stdout) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  return {
    cwd: process.cwd(),
    env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive,
    color,
  };
}

// Node's types say `isTTY: boolean`, but a stream that is not a terminal has none at all.
function isTerminal(stream: { isTTY?: boolean | undefined }): boolean {
  return stream.isTTY === true;
}

/** Writes one line to a stream. */
export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
