import { UsageError } from '../errors.js';
import { parseDuration, type Duration } from '../manifest/index.js';

/** A duration flag (`--expiring-within 7d`), parsed where it is read; `undefined` when absent. */
export function parseDurationFlag(
  flag: string,
  text: string | undefined,
  hint = 'write it like 7d, 12h or 30m',
): Duration | undefined {
  if (text === undefined) return undefined;
  const duration = parseDuration(text);
  if (duration === null) throw new UsageError(`${flag}: "${text}" is not a duration`, { hint });
  return duration;
}
