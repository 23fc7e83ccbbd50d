/** How much of a target's stderr is kept (the end of it), and how much of that is shown. */
export const STDERR_KEEP_BYTES = 16 * 1024;
export const STDERR_SHOWN_LINES = 5;
export const STDERR_LINE_CHARS = 300;

/**
 * Keeps the last `STDERR_KEEP_BYTES` of a stream, however much a command writes: a chatty or
 * hostile target costs a fixed amount of memory.
 */
export class StderrTail {
  #chunks: Buffer[] = [];
  #size = 0;
  #truncated = false;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    let first = this.#chunks[0];
    while (this.#size > STDERR_KEEP_BYTES && first !== undefined) {
      const excess = this.#size - STDERR_KEEP_BYTES;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#size -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#size -= excess;
      }
      this.#truncated = true;
      first = this.#chunks[0];
    }
  }

  /**
   * The last lines, with every occurrence of each secret replaced by `[redacted]` before any
   * line is cut (so a cut can never leave part of one), and control characters (terminal
   * escapes) shown as `?`. When the start was dropped, its first, partial line is dropped
   * too: a string cut in half there would escape the redaction.
   */
  lines(secrets: readonly string[]): string[] {
    let text = Buffer.concat(this.#chunks).toString('utf8');
    if (this.#truncated) text = text.slice(text.indexOf('\n') + 1);
    for (const secret of secrets) if (secret !== '') text = text.split(secret).join('[redacted]');
    return (
      text
        .split('\n')
        // eslint-disable-next-line no-control-regex -- escapes are what this removes
        .map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/g, '?'))
        .filter((line) => line.trim() !== '')
        .slice(-STDERR_SHOWN_LINES)
        .map((line) =>
          line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line,
        )
    );
  }
}
