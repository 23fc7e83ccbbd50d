import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { checkDuplicateKeys, checkSecret, type TreeProblem } from './check-yaml-node.js';
import { MANIFEST_LIMITS } from './limits.js';

export type { TreeProblem } from './check-yaml-node.js';

/** What one walk over the tree finds. */
export interface TreeInspection {
  problems: TreeProblem[];
  /** Each alias and the anchored node it stands for (YAML: the last such anchor before it). */
  aliasTargets: Map<unknown, Node>;
}

interface Frame {
  node: Node;
  depth: number;
  children: Node[] | null;
  next: number;
  /** Values this node stands for once aliases are expanded, itself included. */
  size: number;
}

/**
 * One iterative walk (no recursion, so depth cannot overflow the stack) that refuses what
 * the schema cannot see: nesting deeper than any manifest needs, aliases that expand into
 * far more values than were written (alias bombs) or into themselves, and anything that looks
 * like a secret. A secret is reported by position only, never echoed.
 */
export function inspectYamlTree(root: Node | null): TreeInspection {
  const problems: TreeProblem[] = [];
  const aliasTargets = new Map<unknown, Node>();
  if (root === null) return { problems, aliasTargets };

  const anchors = new Map<string, Node>();
  const anchorSizes = new Map<Node, number>();
  const open = new Set<Node>();
  let tooDeep = false;
  // Values added by aliases so far, and the alias that first went over the limit.
  let extra = 0;
  let bombAt: number | null = null;
  const stack: Frame[] = [{ node: root, depth: 1, children: null, next: 0, size: 1 }];

  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.children === null) {
      const { node } = frame;
      if (node.anchor !== undefined) {
        anchors.set(node.anchor, node);
        open.add(node);
      }
      if (isScalar(node)) checkSecret(node, problems);
      if (isMap(node)) checkDuplicateKeys(node, problems);
      frame.children = childrenOf(node);
      if (frame.depth > MANIFEST_LIMITS.maxDepth && frame.children.length > 0) {
        if (!tooDeep) {
          problems.push({
            offset: offsetOf(node),
            code: 'too-deep',
            message: `the YAML is nested more than ${MANIFEST_LIMITS.maxDepth} levels deep`,
            hint: 'a manifest needs about five levels; check the indentation',
          });
        }
        tooDeep = true;
        frame.children = [];
      }
    }
    const child = frame.children[frame.next];
    if (child !== undefined) {
      frame.next += 1;
      if (isAlias(child)) {
        const size = aliasSize(child);
        frame.size += size;
        extra += size;
        if (extra > MANIFEST_LIMITS.maxAliasExpansion && bombAt === null) bombAt = offsetOf(child);
      } else {
        stack.push({ node: child, depth: frame.depth + 1, children: null, next: 0, size: 1 });
      }
      continue;
    }
    stack.pop();
    if (frame.node.anchor !== undefined) {
      anchorSizes.set(frame.node, frame.size);
      open.delete(frame.node);
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.size += frame.size;
  }

  if (bombAt !== null && !problems.some(isAliasProblem)) {
    problems.push({
      offset: bombAt,
      code: 'alias-bomb',
      message: `aliases expand this file by more than ${MANIFEST_LIMITS.maxAliasExpansion} values (an alias bomb?)`,
      hint: 'share values with permission sets or defaults instead of nested aliases',
    });
  }
  return { problems, aliasTargets };

  function aliasSize(alias: Node & { source: string }): number {
    const target = anchors.get(alias.source);
    if (target === undefined) {
      problems.push({
        offset: offsetOf(alias),
        code: 'unknown-alias',
        message: `alias *${alias.source} has no anchor &${alias.source} before it`,
        hint: 'define the anchor (&name) on a value above the alias',
      });
      return 1;
    }
    aliasTargets.set(alias, target);
    if (open.has(target)) {
      problems.push({
        offset: offsetOf(alias),
        code: 'alias-cycle',
        message: `alias *${alias.source} refers to a value that contains it`,
        hint: 'an alias can only repeat a value that is complete before it',
      });
      return 1;
    }
    // Capped so that a bomb's size stays a finite number.
    return Math.min(anchorSizes.get(target) ?? 1, Number.MAX_SAFE_INTEGER / 4);
  }
}

function childrenOf(node: Node): Node[] {
  if (isSeq(node)) return node.items.filter(isNodeLike);
  if (isMap(node)) {
    const children: Node[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isNodeLike(pair.key)) children.push(pair.key);
      if (isNodeLike(pair.value)) children.push(pair.value);
    }
    return children;
  }
  return [];
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}

function isAliasProblem(problem: TreeProblem): boolean {
  return problem.code === 'alias-cycle' || problem.code === 'unknown-alias';
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}
