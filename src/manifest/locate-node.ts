import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { SourcePosition } from './types.js';

/** A step into the manifest: a mapping key or a list index. */
export type PathSegment = string | number;

/** Finds where a value (or its key) is written: `at(['tokens', 3, 'sets', 0])`. */
export type Locate = (path: readonly PathSegment[], part?: 'value' | 'key') => SourcePosition;

/**
 * Builds the position finder for one parsed document. Paths that do not exist resolve to
 * the nearest written ancestor, so every issue still gets a line and column.
 * `aliasTargets` maps each alias to its anchored node (see `inspectYamlTree`).
 */
export function createLocator(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  aliasTargets: ReadonlyMap<unknown, Node>,
): Locate {
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return line === 0 ? { file, line: 1, column: 1 } : { file, line, column: col };
  };
  // Big mappings (thousands of permission sets) are indexed once instead of scanned per lookup.
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const findPair = (map: YAMLMap, segment: PathSegment): Pair | undefined => {
    if (map.items.length < 16) {
      return map.items.find((item) => isScalar(item.key) && keyEquals(item.key.value, segment));
    }
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        if (!isScalar(item.key) || !isKeyValue(item.key.value)) continue;
        const key = String(item.key.value);
        if (!index.has(key)) index.set(key, item);
      }
      indexes.set(map, index);
    }
    return index.get(String(segment));
  };
  return (path, part = 'value') => {
    let node: unknown = doc.contents;
    let key: Node | null = null;
    let last: Node | null = isNode(node) ? node : null;
    let found = 0;
    for (const segment of path) {
      if (isAlias(node)) node = aliasTargets.get(node) ?? null;
      if (isMap(node)) {
        const pair = findPair(node, segment);
        if (pair === undefined) break;
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
        key = null;
        if (node === undefined) break;
      } else {
        break;
      }
      last = isNode(node) && !isEmptyScalar(node) ? node : key;
      found += 1;
    }
    const target = part === 'key' && key !== null && found === path.length ? key : last;
    return position(target?.range?.[0] ?? 0);
  };
}

function isKeyValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function keyEquals(value: unknown, segment: PathSegment): boolean {
  return isKeyValue(value) && String(value) === String(segment);
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}

// `read:` with nothing after it: point at the key the user wrote, not the end of the line.
function isEmptyScalar(node: Node): boolean {
  return (
    isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1]
  );
}
