import type { CliIo } from '../io.js';
import { formatDuration } from './format-pace.js';

/** Redraws at most this often: a thousand probes a second need no thousand lines. */
const REDRAW_MS = 100;

/** Counts probes as they answer; `stop` clears the line. */
export interface VerifyProgress {
  probed(ok: boolean): void;
  stop(): void;
}

/**
 * One self-overwriting stderr line on a terminal (`verify: 1200/4000 probes · 3 wrong · 4s`),
 * nothing otherwise, so CI logs and piped output stay as they were.
 */
export function startVerifyProgress(io: CliIo, total: number, wanted: boolean): VerifyProgress {
  if (!wanted || !io.interactive || total === 0)
    return { probed: () => undefined, stop: () => undefined };
  const startedAt = Date.now();
  let done = 0;
  let wrong = 0;
  let drawnAt = 0;
  let width = 0;
  const draw = (): void => {
    const line =
      `verify: ${done}/${total} probes` +
      (wrong > 0 ? ` · ${wrong} wrong` : '') +
      ` · ${formatDuration(Date.now() - startedAt)}`;
    io.stderr.write(`\r${line.padEnd(width)}`);
    width = line.length;
    drawnAt = Date.now();
  };
  draw();
  return {
    probed(ok) {
      done += 1;
      if (!ok) wrong += 1;
      if (Date.now() - drawnAt >= REDRAW_MS || done === total) draw();
    },
    stop() {
      io.stderr.write(`\r${' '.repeat(width)}\r`);
    },
  };
}
