import type { PermissionAction } from '../model/index.js';
import type { DatabaseExpansion } from './expand-databases.js';
import type { PathSegment } from './locate-node.js';
import type { DesiredToken, SourcePosition } from './types.js';

/** One permission with the manifest node that granted it, for precise error positions. */
export interface Grant {
  action: PermissionAction;
  resource: string;
  /** The list item that named the database (in the token, template or permission set). */
  at: SourcePosition;
  /** Set when the grant came through a permission set: the token's `sets` item. */
  via: { set: string; at: SourcePosition } | null;
}

/** Where an expanded token came from. */
export type TokenOrigin =
  | { kind: 'token'; index: number }
  | { kind: 'template'; index: number; team: string; database: string | null };

/** One desired token and what the rules need to explain it. */
export interface ExpandedEntry {
  token: DesiredToken;
  origin: TokenOrigin;
  /** `['tokens', i]` or `['templates', i]`: the declaring node. */
  path: PathSegment[];
  grants: Grant[];
  /**
   * The template uses placeholders it cannot fill; its names are left as written, so
   * name checks skip it (the placeholder rule reports the cause once).
   */
  broken: boolean;
}

/** The expansion of a whole manifest, in the planner's order. */
export interface Expansion {
  entries: ExpandedEntry[];
  /** The declared databases (`databases:`, `{team}` entries per team, teams' own). */
  databases: DatabaseExpansion;
  /**
   * Expansion stopped early because the manifest stands for more tokens or permissions
   * than any real one (see `MANIFEST_LIMITS`); `entries` is incomplete.
   */
  exhausted: boolean;
}

/** A shared allowance of grants, so that sets and templates cannot multiply without end. */
export interface ExpansionBudget {
  grantsLeft: number;
  tokensLeft: number;
  exhausted: boolean;
}
