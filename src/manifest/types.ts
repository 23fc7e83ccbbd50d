import type { DeliveryTarget } from '../model/index.js';
import type { DatabaseSettings, PartitionTemplatePart } from '../model/index.js';
import type { Permission, Product } from '../model/index.js';

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

/**
 * One database the manifest declares (a `databases:` entry, one team's expansion of a
 * `{team}` entry, or a team's own), after `defaults.database`. Settings left out are not
 * managed: the plan neither sends nor compares them.
 */
export interface DesiredDatabase {
  name: string;
  /** The team it is declared for; `null` for a top-level name without `{team}`. */
  team: string | null;
  settings: DatabaseSettings;
  /** The retention as written (`30d`, `infinite`), for display. */
  retentionText?: string;
  /** Where it (or its template) is declared. */
  source: SourcePosition;
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
  /** `outputs.deliver`: where each new string is handed on after it is sealed. */
  deliver: DeliveryTarget[];
}

/**
 * The manifest after validation and expansion, for one cluster: a manifest with `clusters:`
 * gives one of these per named cluster (its projection: the entries that belong to it, with
 * `{cluster}` filled in), a manifest with `cluster:` (or neither) exactly one.
 */
export interface ExpandedManifest {
  file: string;
  cluster: ClusterSpec;
  /** The cluster's name in `clusters:`; `null` for a manifest without `clusters:`. */
  clusterName: string | null;
  /** `clusters.NAME.concurrency`: this cluster's own limit on API calls in flight. */
  concurrency: number | null;
  tokens: DesiredToken[];
  /** Declared databases in file order: top-level ones (templates per team), then teams' own. */
  databases: DesiredDatabase[];
  teams: string[];
  outputs: SecretsOutputs;
  /** `policy.maxRevokes`: the most revokes and replaces one apply may do; `null`: the default guard. */
  maxRevokes: number | null;
  /** sha256 of the manifest's bytes, for saved plans. */
  fingerprint: string;
}

// ---------------------------------------------------------------------------------------------
// The manifest as written, after the schema accepted it. These follow
// `schema/tokens.schema.json` key for key (a test compares them).

/** `cluster:` — which cluster the tokens live in; flags and environment win over it. */
export interface ClusterSpec {
  /** `dedicated` (default) or `clustered`; Clustered takes no account or cluster id. */
  product?: Product;
  accountId?: string;
  clusterId?: string;
  url?: string;
}

/** One entry of `clusters:`: a target as under `cluster:`, and its own limit. */
export interface NamedClusterSpec extends ClusterSpec {
  concurrency?: number;
}

/** `defaults:` — values for tokens and templates that do not set them. */
export interface DefaultsSpec {
  expiresIn?: string;
  descriptionPrefix?: string;
  rotateAfter?: string;
  overlap?: string;
  database?: DatabaseSettingsSpec;
}

/** Settings of a declared database, as written (`defaults.database` and each declaration). */
export interface DatabaseSettingsSpec {
  /** A duration such as `30d`, or `infinite`. */
  retentionPeriod?: string;
  maxTables?: number;
  maxColumnsPerTable?: number;
  partitionTemplate?: PartitionTemplatePart[];
}

/** One entry of `databases:`; a name with `{team}` is stamped out for every (listed) team. */
export interface DatabaseSpec extends DatabaseSettingsSpec {
  name: string;
  clusters?: string[];
  teams?: string[];
}

/** A team database in object form (a bare name is the same with no settings). */
export interface TeamDatabaseSpec extends DatabaseSettingsSpec {
  name: string;
}

/** `policy:` — rules every expanded token must follow. */
export interface PolicySpec {
  forbidWildcardWrite?: boolean;
  forbidWildcardRead?: boolean;
  requireExpiry?: boolean;
  maxExpiry?: string;
  maxTokens?: number;
  maxRevokes?: number;
}

/** One entry of `permissionSets:`. */
export interface PermissionSetSpec {
  description?: string;
  include?: string[];
  read?: string[];
  write?: string[];
}

/** Fields shared by tokens and templates. */
export interface TokenFieldsSpec {
  description?: string;
  sets?: string[];
  read?: string[];
  write?: string[];
  /** A duration such as `90d`, or `never`. */
  expiresIn?: string;
  /** RFC 3339. */
  expiresAt?: string;
  rotateAfter?: string;
  overlap?: string;
  protect?: boolean;
  previousNames?: string[];
}

/** One entry of `tokens:`. */
export interface TokenSpec extends TokenFieldsSpec {
  name: string;
  /** The clusters (of `clusters:`) it belongs to; absent: every one. */
  clusters?: string[];
}

/** One entry of `templates:`; text fields may hold `{team}` and `{database}`. */
export interface TemplateSpec extends TokenFieldsSpec {
  name: string;
  clusters?: string[];
  per?: 'team' | 'database';
  teams?: string[];
}

/** One entry of `teams:`. */
export interface TeamSpec {
  name: string;
  clusters?: string[];
  description?: string;
  databases?: (string | TeamDatabaseSpec)[];
  recipients?: string[];
}

/** `outputs:` — where secrets are sealed and for whom. */
export interface OutputsSpec {
  secretsFile?: string;
  recipients?: string[];
  teamSecretsFile?: string;
  deliver?: DeliveryTargetSpec[];
}

/** One entry of `outputs.deliver:` (see `DeliveryTarget` for what each field means). */
export interface DeliveryTargetSpec {
  name: string;
  clusters?: string[];
  command: string[];
  format?: 'json' | 'string';
  teams?: string[];
  timeout?: string;
  concurrency?: number;
}

/** The whole `tokens.yaml` as written. */
export interface ManifestDocument {
  version: 1;
  cluster?: ClusterSpec;
  clusters?: Record<string, NamedClusterSpec>;
  defaults?: DefaultsSpec;
  policy?: PolicySpec;
  permissionSets?: Record<string, PermissionSetSpec>;
  databases?: DatabaseSpec[];
  tokens?: TokenSpec[];
  teams?: TeamSpec[];
  templates?: TemplateSpec[];
  outputs?: OutputsSpec;
}

/**
 * What loading a manifest gives: the expanded manifest and its warnings, or every problem
 * found (errors and warnings), sorted by position.
 */
export type ManifestResult =
  | {
      ok: true;
      /** The one cluster's manifest; `null` when the manifest names several (`clusters:`). */
      manifest: ExpandedManifest | null;
      /** Every cluster's, in the manifest's order: `[manifest]` without `clusters:`. */
      clusters: ExpandedManifest[];
      warnings: ValidationIssue[];
    }
  | { ok: false; issues: ValidationIssue[] };
