import type { Grant } from './expansion-types.js';
import { normalisePermissions } from './normalise-permissions.js';
import { parseDuration } from './parse-duration.js';
import type {
  DatabaseReference,
  DefaultsSpec,
  DesiredExpiry,
  DesiredToken,
  Duration,
  SourcePosition,
  TokenFieldsSpec,
} from './types.js';

/** What differs between a declared token and one stamped out of a template. */
export interface TokenIdentity {
  name: string;
  /** Human text before the prefix; the name when the manifest gives none. */
  description: string;
  previousNames: string[];
  team: string | null;
  source: SourcePosition;
}

/**
 * Applies defaults and normalises permissions. Invalid durations become `null` here;
 * the duration rule has already made the manifest invalid in that case.
 */
export function buildDesiredToken(
  spec: TokenFieldsSpec,
  identity: TokenIdentity,
  grants: readonly Grant[],
  defaults: DefaultsSpec,
): DesiredToken {
  return {
    name: identity.name,
    description: `${defaults.descriptionPrefix ?? ''}${identity.description}`,
    permissions: normalisePermissions(grants),
    expiry: expiryOf(spec, defaults),
    rotateAfter: durationOf(spec.rotateAfter ?? defaults.rotateAfter),
    overlap: durationOf(spec.overlap ?? defaults.overlap),
    protect: spec.protect ?? false,
    previousNames: identity.previousNames,
    team: identity.team,
    source: identity.source,
    databases: databasesOf(grants),
  };
}

function expiryOf(spec: TokenFieldsSpec, defaults: DefaultsSpec): DesiredExpiry | null {
  if (spec.expiresAt !== undefined) return { kind: 'at', at: normaliseTime(spec.expiresAt) };
  const text = spec.expiresIn ?? defaults.expiresIn;
  if (text === undefined || text === 'never') return null;
  const duration = durationOf(text);
  return duration === null ? null : { kind: 'in', duration };
}

/** A missing or zero duration is `null`: no rotation, no overlap. */
function durationOf(text: string | undefined): Duration | null {
  if (text === undefined) return null;
  // Thousands of tokens share a handful of durations (the defaults); parse each text once.
  let duration = parsedDurations.get(text);
  if (duration === undefined) {
    duration = parseDuration(text);
    parsedDurations.set(text, duration);
  }
  return duration;
}

const parsedDurations = new Map<string, Duration | null>();

/** RFC 3339 in UTC, without milliseconds when there are none: `2027-01-01T00:00:00Z`. */
export function normaliseTime(text: string): string {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) return text;
  return time.toISOString().replace('.000Z', 'Z');
}

function databasesOf(grants: readonly Grant[]): DatabaseReference[] {
  const seen = new Set<string>();
  const databases: DatabaseReference[] = [];
  for (const grant of grants) {
    if (grant.resource === '*' || seen.has(grant.resource)) continue;
    seen.add(grant.resource);
    databases.push({ database: grant.resource, ...grant.at });
  }
  return databases;
}
