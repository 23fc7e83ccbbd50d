/** Bounds that keep a hostile or broken manifest from exhausting memory or time. */
export const MANIFEST_LIMITS = {
  /** Bytes. A 10,000-token manifest is about 1.5 MiB. */
  maxFileBytes: 5 * 1024 * 1024,
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

/** `9.1 MiB`, `812 KiB`: sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
