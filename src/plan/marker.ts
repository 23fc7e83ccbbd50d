/**
 * The identity marker: how provision recognises the tokens it manages.
 *
 * The Management API has no name or label field, so the manifest `name` travels at the end
 * of the token's description, after the human text and one space:
 *
 *     <human text> [provision:<name>]
 *     [provision:<name>]                                   (when the human text is empty)
 *     <human text> [provision:<name> retire=<RFC 3339 UTC>]   (an old token in its overlap)
 *
 * - `<name>` matches `[a-z0-9][a-z0-9._-]{0,63}`.
 * - `retire=` marks a token that was replaced with an `overlap`: it is kept until that time
 *   (UTC, seconds precision, e.g. `2026-03-01T12:00:00Z`) and revoked by the first apply after.
 * - Only a marker at the very end counts, so human text that itself ends with something
 *   marker-like still round-trips: `withMarker("a [provision:b]", "c")` parses back to
 *   `{ name: "c", human: "a [provision:b]" }`.
 * - Any other description (no marker, a malformed one, text after it) is an unmanaged token.
 */

/** What a marker says about a token. */
export interface ParsedMarker {
  /** The manifest name the token belongs to. */
  name: string;
  /** The description without the marker (and without the one space before it). */
  human: string;
  /** Present on a retiring token: when its overlap ends (RFC 3339 UTC, seconds). */
  retireAt?: string;
}

const NAME = '[a-z0-9][a-z0-9._-]{0,63}';
const RETIRE = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z';
const MARKER_AT_END = new RegExp(`(?:^| )\\[provision:(${NAME})(?: retire=(${RETIRE}))?\\]$`);
const NAME_ONLY = new RegExp(`^${NAME}$`);

/** The description to send for a current token: `<human> [provision:<name>]`. */
export function withMarker(human: string, name: string): string {
  assertName(name);
  return join(human, `[provision:${name}]`);
}

/** The description of an old token kept until `retireAt` (any instant; stored to seconds). */
export function withRetireMarker(human: string, name: string, retireAt: string | Date): string {
  assertName(name);
  return join(human, `[provision:${name} retire=${toSecondsIso(retireAt)}]`);
}

/** Reads the marker at the end of a description; `null` means the token is unmanaged. */
export function parseMarker(description: string): ParsedMarker | null {
  const match = MARKER_AT_END.exec(description);
  if (match === null) return null;
  const name = match[1] as string;
  const retireAt = match[2];
  if (retireAt !== undefined && !isRealInstant(retireAt)) return null;
  // The match includes the separating space unless the marker is the whole description.
  const human = description.slice(0, match.index);
  return retireAt === undefined ? { name, human } : { name, human, retireAt };
}

/** RFC 3339 UTC with whole seconds, as retire markers and plans show times. */
export function toSecondsIso(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${String(instant)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function join(human: string, marker: string): string {
  return human === '' ? marker : `${human} ${marker}`;
}

function assertName(name: string): void {
  // A bad name here is a bug: the manifest validator has already checked every name.
  if (!NAME_ONLY.test(name)) throw new RangeError(`not a token name: ${JSON.stringify(name)}`);
}

function isRealInstant(text: string): boolean {
  const date = new Date(text);
  // Rejects 2026-02-30T… and the like, which Date would silently roll over.
  return !Number.isNaN(date.getTime()) && toSecondsIso(date) === text;
}
