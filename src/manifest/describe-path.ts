import type { PathSegment } from './locate-node.js';

const ENTITIES: Record<string, string> = {
  tokens: 'token',
  templates: 'template',
  teams: 'team',
  // outputs.deliver, looked up one level down (see describePath)
  deliver: 'delivery target',
  databases: 'database',
};

/**
 * Names the place a path points to the way a reader of the manifest would:
 * `token "grafana"`, `"read" in template "{team}-reader"`, `item 2 of "sets" in token #3`,
 * `cluster.accountId`, `the manifest`.
 */
export function describePath(path: readonly PathSegment[], data: unknown): string {
  const [top, second, field, index] = path;
  if (top === undefined) return 'the manifest';
  if (second === undefined) return JSON.stringify(String(top));
  if (top === 'outputs' && second === 'deliver' && field !== undefined) {
    return describePath(
      ['deliver', ...path.slice(2)],
      (data as { outputs?: unknown } | null)?.outputs,
    );
  }
  const owner = describeOwner(String(top), second, data);
  if (owner === undefined) {
    const dotted = `${String(top)}.${String(second)}`;
    return field === undefined ? dotted : `item ${Number(field) + 1} of ${dotted}`;
  }
  if (field === undefined) return owner;
  const fieldName = JSON.stringify(String(field));
  if (index === undefined) return `${fieldName} in ${owner}`;
  return `item ${Number(index) + 1} of ${fieldName} in ${owner}`;
}

/** `in token "grafana"`, `in cluster`, `at the top level`: where a key sits. */
export function describeContainer(path: readonly PathSegment[], data: unknown): string {
  if (path.length === 0) return 'at the top level';
  if (path.length === 1) return `in ${String(path[0])}`;
  return `in ${describePath(path, data)}`;
}

/** `token "grafana"` (or `token #4` while it has no usable name), `permission set "x"`. */
export function describeOwner(
  section: string,
  key: PathSegment,
  data: unknown,
): string | undefined {
  if (section === 'permissionSets') return `permission set ${JSON.stringify(String(key))}`;
  const entity = ENTITIES[section];
  if (entity === undefined) return undefined;
  const name = nameAt(data, section, Number(key));
  return name === undefined ? `${entity} #${Number(key) + 1}` : `${entity} ${JSON.stringify(name)}`;
}

function nameAt(data: unknown, section: string, index: number): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const list = (data as Record<string, unknown>)[section];
  if (!Array.isArray(list)) return undefined;
  const item: unknown = list[index];
  if (typeof item !== 'object' || item === null) return undefined;
  const name = (item as Record<string, unknown>).name;
  // Only names short and plain enough to repeat in a message.
  return typeof name === 'string' && name.length <= 128 && !/[\p{Cc}]/u.test(name)
    ? name
    : undefined;
}
