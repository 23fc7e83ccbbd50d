import type {
  DatabaseSettings,
  PartitionTemplatePart,
  UpdateDatabaseRequest,
} from '../model/index.js';
import type {
  DeliveryTarget,
  ClusterDatabase,
  DatabaseToken,
  ManagementTarget,
  Permission,
  UpdateTokenRequest,
} from '../model/index.js';
import type { DesiredDatabase, DesiredToken, Duration, SourcePosition } from '../manifest/index.js';

/** What the plan does to one token. `replace` creates the new token before the old one goes. */
export type ChangeAction = 'create' | 'update' | 'replace' | 'revoke' | 'no-op';

/** Terraform-style action list (`terraform show -json`): replace is `["create", "delete"]`. */
export type ResourceAction = 'create' | 'update' | 'delete' | 'no-op';

/** Why a change is in the plan; `reason` says it in words. */
export type ReasonCode =
  | 'missing'
  | 'revoked-elsewhere'
  | 'description-changed'
  | 'permissions-changed'
  | 'renamed'
  | 'expiry-changed'
  | 'expired'
  | 'rotation-due'
  | 'replace-requested'
  | 'expiring-soon'
  | 'secret-lost'
  | 'not-declared'
  | 'overlap-ended'
  | 'duplicate'
  | 'rotation-interrupted'
  | 'unchanged';

/** A token as the cluster has it (never its string). */
export interface TokenSnapshot {
  id: string;
  description: string;
  permissions: Permission[];
  createdAt: string;
  expiresAt?: string;
}

/** The token as the plan wants it. */
export interface DesiredSnapshot {
  /** Full description as sent to the API: human text, then the marker. */
  description: string;
  permissions: Permission[];
  /** Absolute expiry, when the manifest gives one. */
  expiresAt?: string;
  /** Relative expiry (`90d`): the executor computes `expiresAt` at creation time. */
  expiresIn?: { text: string; ms: number };
}

/** One entry per token touched or checked. A name may have several (e.g. duplicates). */
export interface PlannedChange {
  name: string;
  team: string | null;
  action: ChangeAction;
  actions: ResourceAction[];
  reasonCode: ReasonCode;
  /** One human sentence, e.g. `expiry changed from 2026-01-01 to 2027-01-01`. */
  reason: string;
  /** The token that exists now; `null` for a create. */
  before: TokenSnapshot | null;
  /** The token wanted; `null` for a revoke. */
  after: DesiredSnapshot | null;
  /** For `update`: exactly the PATCH body. */
  patch?: UpdateTokenRequest;
  /**
   * For `replace` with an overlap: the old token is kept, marked as retiring, and revoked by
   * the first apply after this time. Absent: the old token is revoked right after the new
   * one's string is sealed.
   */
  retireAt?: string;
  /** Where the manifest declares the token (absent for revokes of undeclared tokens). */
  source?: SourcePosition;
  /**
   * For `create` and `replace`: the delivery targets (`outputs.deliver`) the new token's
   * string goes to once it is sealed, by name. Absent when none takes it.
   */
  deliverTo?: string[];
}

/** What the plan does to one declared database. Databases are never deleted. */
export type DatabaseAction = 'create' | 'update' | 'no-op';

/** A database as the cluster has it. */
export interface DatabaseSnapshot {
  retentionPeriod: number;
  maxTables: number;
  maxColumnsPerTable: number;
  partitionTemplate?: PartitionTemplatePart[];
}

/** One entry per declared database, before the token changes (which may need it). */
export interface PlannedDatabaseChange {
  name: string;
  team: string | null;
  action: DatabaseAction;
  actions: ResourceAction[];
  reasonCode: 'missing' | 'settings-changed' | 'unchanged';
  /** One human sentence, e.g. `retention changed from 7d to 30d`. */
  reason: string;
  /** The database that exists now; `null` for a create. */
  before: DatabaseSnapshot | null;
  /** The declared settings (only those the manifest manages); a create sends exactly these. */
  after: DatabaseSettings;
  /** For `update`: exactly the PATCH body. */
  patch?: UpdateDatabaseRequest;
  source?: SourcePosition;
}

/** Counts of the database section; databases not declared are `unmanaged`, never deleted. */
export interface DatabaseSummary {
  create: number;
  update: number;
  noop: number;
  unmanaged: number;
}

/** A token without the provision marker: listed, never touched. */
export interface UnmanagedToken {
  id: string;
  description: string;
  permissions: Permission[];
}

/** A token kept alive during its overlap window after a replace. */
export interface RetiringToken {
  name: string;
  id: string;
  retireAt: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  revoke: number;
  noop: number;
  unmanaged: number;
  retiring: number;
  /** The database section (plans saved before it existed load with all zero). */
  databases: DatabaseSummary;
}

export interface PlanOptions {
  prune: boolean;
  replace: string[];
  only: string[];
  expiringWithin: string | null;
  /** `--allow-missing-databases`; absent (false) in plans that did not use it. */
  allowMissingDatabases?: boolean;
}

/** A plan: plain, serialisable data, and the whole input of `apply`. Holds no secret. */
export interface Plan {
  formatVersion: 1;
  /** RFC 3339 time the plan was computed for. */
  createdAt: string;
  /** The cluster's name in the manifest's `clusters:`; absent for a one-cluster manifest. */
  clusterName?: string;
  /** The cluster planned for: its product, URL and (Dedicated) ids; a saved plan runs only there. */
  target: ManagementTarget;
  manifest: { file: string; fingerprint: string };
  /** sha256 over the live tokens and databases the plan saw; a saved plan is stale if it moved. */
  cluster: { fingerprint: string };
  options: PlanOptions;
  /** Declared databases, applied before `changes` (older saved plans load with none). */
  databases: PlannedDatabaseChange[];
  changes: PlannedChange[];
  unmanaged: UnmanagedToken[];
  /** Names of the cluster's databases the manifest does not declare: counted, never deleted. */
  unmanagedDatabases: string[];
  retiring: RetiringToken[];
  warnings: PlanWarning[];
  summary: PlanSummary;
}

/**
 * The plans of a manifest with `clusters:`: one per cluster planned (all, or those named by
 * `--cluster`), in the manifest's order, each with its `clusterName`, and their total. Saved
 * and printed as JSON like a plan; `apply` checks each against a fresh plan of its cluster.
 */
export interface PlanSet {
  formatVersion: 1;
  createdAt: string;
  manifest: { file: string; fingerprint: string };
  plans: Plan[];
  /** Every plan's counts added up. */
  summary: PlanSummary;
}

/**
 * Something the reviewer should know that does not stop the plan, as data: the planner
 * decides what is worth saying, the reporters (`cli/reporters/describe-warning.ts`) how to
 * say it, in words that may name the CLI's flags. The JSON forms carry these objects as
 * they are; README "Plan warnings" lists the codes.
 */
export type PlanWarning =
  /** `--only` left declared tokens out; `clusterNames`: it also named undeclared ones. */
  | { code: 'only-selection'; checked: number; declared: number; clusterNames: boolean }
  /** A `--replace` name outside the `--only` selection: not replaced. */
  | { code: 'replace-not-selected'; name: string }
  /** Managed tokens no longer declared, left alone without `--prune`. */
  | { code: 'not-declared'; names: string[] }
  /** With `--allow-missing-databases`: a database no token may use yet. */
  | { code: 'database-missing'; database: string; tokens: string[]; source: SourcePosition }
  /** `--expiring-within` at least as long as these tokens' lifetimes: it cannot renew them. */
  | { code: 'expiring-window-too-long'; window: string; tokens: string[]; lifetimes: string[] }
  /** The plan revokes or replaces most managed tokens: apply refuses without a flag. */
  | { code: 'mass-revoke'; destructive: number; managed: number; maxRevokes: number | null };

/** A reason the plan cannot be made (exit 1); the CLI prints one line per problem. */
export interface PlanProblem {
  message: string;
  /** What to do about it, e.g. `did you mean "metrics"?` */
  hint?: string;
  /** Where in the manifest the problem is, when known. */
  source?: SourcePosition;
  /**
   * The `--only` or `--replace` value that matched nothing: with several clusters, such a
   * value is a problem only if it matched nothing on every cluster it was given to.
   */
  selector?: string;
}

/** Everything the planner needs. It reads no clock, file or network: all of it comes in here. */
export interface PlanInput {
  desired: DesiredToken[];
  /** Every token the cluster lists, revoked ones included. */
  actual: DatabaseToken[];
  /** The cluster's databases, with their settings. */
  databases: readonly ClusterDatabase[];
  /** The databases the manifest declares (default: none). */
  desiredDatabases?: readonly DesiredDatabase[];
  now: Date;
  options: Omit<PlanOptions, 'expiringWithin'> & {
    /** `--expiring-within`, parsed where it was read (the flag, or a saved plan's options). */
    expiringWithin: Duration | null;
    /** Unknown databases are warnings instead of problems (they will be created later). */
    allowMissingDatabases?: boolean;
    /** Ids of tokens whose strings an interrupted apply lost (see `findLostSecrets`). */
    lostSecretIds?: string[];
    /**
     * Ids of tokens whose strings are sealed in a secrets file the manifest names: among
     * tokens of one name, these are kept over those whose string no one holds (`chooseKeeper`).
     */
    sealedTokenIds?: string[];
  };
  target: Plan['target'];
  manifest: Plan['manifest'];
  /** The manifest's delivery targets, so the plan can say where each new string goes. */
  deliveryTargets?: readonly DeliveryTarget[];
}

/** The plan, and the problems that forbid using it (empty when the plan is good). */
export interface PlanResult {
  plan: Plan;
  problems: PlanProblem[];
}
