import { READ_LIMITS } from '../files/index.js';

/** Bounds that keep a hostile or broken manifest from exhausting memory or time. */
export const MANIFEST_LIMITS = {
  /** Bytes (the one cap on reading the file lives in `files/read-limits.ts`). */
  maxFileBytes: READ_LIMITS.manifestBytes,
  /** Nesting of mappings and lists; a real manifest needs 5. */
  maxDepth: 64,
  /** Values that aliases (`*name`) may add beyond the ones written: refuses alias bombs. */
  maxAliasExpansion: 100_000,
  /** Tokens the expansion may produce; ten times the largest manifest this tool is tuned for. */
  maxExpandedTokens: 100_000,
  /** Permissions the expansion may produce across all tokens and sets. */
  maxExpandedGrants: 2_000_000,
  /** YAML syntax errors reported before the rest are summarised: they cascade. */
  maxSyntaxErrors: 50,
} as const;

export { formatBytes } from '../files/index.js';
