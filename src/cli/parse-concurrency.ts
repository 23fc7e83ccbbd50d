import { UsageError } from '../errors.js';

/** `--concurrency`: a whole number from 1 to 256; `defaultHint` says what the default is for. */
export function parseConcurrency(text: string, defaultHint: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new UsageError(`--concurrency: "${text}" is not a whole number from 1 to 256`, {
      hint: defaultHint,
    });
  }
  return value;
}
