import type { Permission } from '../api/types.js';

/** A place in a source file, 1-based, for error messages. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One validation problem. Validation returns these; it does not throw them. */
export interface ValidationIssue extends SourcePosition {
  severity: 'error' | 'warning';
  /** Stable machine-readable id, e.g. `undefined-set`, `schema`. */
  code: string;
  message: string;
  /** What to write instead, e.g. `did you mean "metrics-reader"?` */
  hint?: string;
}

/** A duration from the manifest (`90d`, `12h`, `30m`), kept with its text for display. */
export interface Duration {
  text: string;
  ms: number;
}

/** When a desired token expires. */
export type DesiredExpiry =
  | { kind: 'at'; at: string }
  /** Relative to the token's creation time. */
  | { kind: 'in'; duration: Duration };

/** A database a desired token names, with where the manifest named it. */
export interface DatabaseReference extends SourcePosition {
  database: string;
}

/**
 * One token the manifest asks for, after permission sets, team templates and defaults
 * are expanded. This is the planner's input; it is plain data.
 */
export interface DesiredToken {
  /** The identity: `[a-z0-9._-]{1,64}`. */
  name: string;
  /** Human description, defaults' prefix applied, without the provision marker. */
  description: string;
  /** Normalised: deduplicated, sorted by action then resource; `*` subsumes named databases. */
  permissions: Permission[];
  expiry: DesiredExpiry | null;
  rotateAfter: Duration | null;
  /** How long an old token lives on after a replace; `null` means revoke it at once. */
  overlap: Duration | null;
  protect: boolean;
  previousNames: string[];
  /** The team it was expanded for, if any. */
  team: string | null;
  /** Where the token (or its template) is declared. */
  source: SourcePosition;
  /** Every named database (not `*`) with the place that named it. */
  databases: DatabaseReference[];
}

/** Where sealed token strings go and who can open them. */
export interface SecretsOutputs {
  /** Path of the main secrets file, relative to the manifest's folder. */
  secretsFile: string;
  /** age recipients (`age1…`) for the main file; teams' files get these too. */
  recipients: string[];
  /**
   * Per-team files: path template with `{team}`; `null` when every token goes to the main
   * file.
   */
  teamSecretsFile: string | null;
  /** Recipients per team name. */
  teamRecipients: Record<string, string[]>;
}

/** The whole manifest after validation and expansion. */
export interface ExpandedManifest {
  file: string;
  cluster: { accountId?: string; clusterId?: string; url?: string };
  tokens: DesiredToken[];
  teams: string[];
  outputs: SecretsOutputs;
  /** sha256 of the manifest's bytes, for saved plans. */
  fingerprint: string;
}
