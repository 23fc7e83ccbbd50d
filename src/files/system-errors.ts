/** The errno code of a Node system error (`ENOENT`), or `''` for anything else. */
export function errnoCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** A system error as one short phrase (`EACCES: permission denied`), without the path. */
export function describeSystemError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const match = /^([A-Z]+): ([^,]+)/.exec(error.message);
  return match ? `${match[1]}: ${match[2]}` : error.message;
}
