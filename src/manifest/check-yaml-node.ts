import { isScalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';

/** Something wrong with the shape of the YAML tree, at a byte offset. */
export interface TreeProblem {
  offset: number;
  code:
    | 'too-deep'
    | 'alias-bomb'
    | 'alias-cycle'
    | 'unknown-alias'
    | 'duplicate-key'
    | 'secret-in-manifest';
  message: string;
  hint: string;
}

/**
 * yaml's own duplicate-key check compares every key with every other (quadratic in a map of
 * thousands of permission sets); a set of the keys' texts does it in one pass. Keys that
 * differ only in type (`1` and `"1"`) count as duplicates: they collide as JSON keys.
 */
export function checkDuplicateKeys(map: YAMLMap, problems: TreeProblem[]): void {
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    problems.push({
      offset: offsetOf(pair.key as Node),
      code: 'duplicate-key',
      message: `duplicate key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}…` : key)}`,
      hint: 'a key may appear only once in a mapping; merge the two entries',
    });
  }
}

// Prefixes of the only secrets provision handles: database token strings and age identities.
const TOKEN_PREFIX = /^\s*apiv1_/i;
const AGE_IDENTITY = /AGE-SECRET-KEY-1/i;

/** Refuses a scalar that looks like a token string or an age identity, by position only. */
export function checkSecret(node: Node & { value: unknown }, problems: TreeProblem[]): void {
  if (typeof node.value !== 'string') return;
  if (TOKEN_PREFIX.test(node.value)) {
    problems.push({
      offset: offsetOf(node),
      code: 'secret-in-manifest',
      message: 'this looks like a database token string; the manifest never holds secrets',
      hint: 'delete it (and revoke the token if this file was shared): apply seals new token strings into the secrets file',
    });
  } else if (AGE_IDENTITY.test(node.value)) {
    problems.push({
      offset: offsetOf(node),
      code: 'secret-in-manifest',
      message: 'this looks like an age identity (a private key); the manifest never holds secrets',
      hint: 'put its public recipient here instead: age-keygen -y IDENTITY_FILE prints it',
    });
  }
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}
