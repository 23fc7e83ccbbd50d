import fc from 'fast-check';
import { parse, stringify } from 'yaml';

/** One edit to a parsed manifest: what to do, where (an index into its paths), with what. */
export interface Mutation {
  op: 'delete' | 'replace' | 'insert' | 'wrap' | 'duplicate';
  at: number;
  key: string;
  value: unknown;
}

/** Edits of the text itself: they break YAML syntax as users do. */
export interface TextMutation {
  op: 'delete-line' | 'duplicate-line' | 'insert' | 'swap-lines' | 'indent';
  at: number;
  text: string;
}

// Keys and values a manifest uses, so that mutations land near valid shapes as often as not.
const KEYS = [
  'name',
  'read',
  'write',
  'sets',
  'include',
  'teams',
  'per',
  'expiresIn',
  'expiresAt',
  'protect',
  'previousNames',
  'recipients',
  'databases',
  'version',
  'descripton',
  '<<',
  '',
];
const value = fc.oneof(
  fc.constantFrom(
    '*',
    '{team}',
    '{database}',
    '{tem}',
    '90d',
    '0d',
    'never',
    '2020-01-01T00:00:00Z',
    'database',
    'a b',
    '',
    'metrics',
    'age1xyz',
    null,
    true,
    0,
    -1,
    1e308,
  ),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
  fc.string({ maxLength: 80 }),
);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'replace', 'insert', 'wrap', 'duplicate'),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })),
  value,
});

export const textMutationArbitrary: fc.Arbitrary<TextMutation> = fc.record({
  op: fc.constantFrom('delete-line', 'duplicate-line', 'insert', 'swap-lines', 'indent'),
  at: fc.nat(),
  text: fc.oneof(
    fc.constantFrom('- ', ': ', '[', ']', '{', '"', '&a ', '*a', '\t', '---\n', '!!binary ', '#'),
    fc.string({ maxLength: 20 }),
  ),
});

type Container = Record<string, unknown> | unknown[];

/** Every place in the data where a value sits: its parent and its key. */
function places(data: unknown): [Container, string | number][] {
  const found: [Container, string | number][] = [];
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        found.push([node, index]);
        stack.push(child);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        found.push([node as Record<string, unknown>, key]);
        stack.push(child);
      }
    }
  }
  return found;
}

/** Applies the mutations to a parsed copy of the YAML text and prints it back as YAML. */
export function mutateManifest(text: string, mutations: readonly Mutation[]): string {
  const data = parse(text) as unknown;
  for (const mutation of mutations) {
    const all = places(data);
    const place = all[mutation.at % Math.max(all.length, 1)];
    if (place === undefined) break;
    const [parent, key] = place;
    const current = (parent as Record<string | number, unknown>)[key];
    if (Array.isArray(parent)) {
      const index = key as number;
      if (mutation.op === 'delete') parent.splice(index, 1);
      else if (mutation.op === 'duplicate') parent.splice(index, 0, current);
      else if (mutation.op === 'wrap') parent[index] = [current];
      else if (mutation.op === 'insert') parent.splice(index, 0, mutation.value);
      else parent[index] = mutation.value;
    } else {
      const record = parent;
      if (mutation.op === 'delete') Reflect.deleteProperty(record, key);
      else if (mutation.op === 'insert') record[mutation.key] = mutation.value;
      else if (mutation.op === 'wrap') record[key] = { [mutation.key]: current };
      else if (mutation.op === 'duplicate') record[mutation.key] = current;
      else record[key] = mutation.value;
    }
  }
  return stringify(data, { aliasDuplicateObjects: false });
}

/** Applies text edits line-wise or at a character offset. */
export function mutateText(text: string, mutations: readonly TextMutation[]): string {
  // Every index written is below the length (or 0 of an empty list), so no holes appear.
  const lines = text.split('\n');
  for (const mutation of mutations) {
    const at = mutation.at % Math.max(lines.length, 1);
    const line = lines[at] ?? '';
    if (mutation.op === 'delete-line') lines.splice(at, 1);
    else if (mutation.op === 'duplicate-line') lines.splice(at, 0, line);
    else if (mutation.op === 'indent') lines[at] = `  ${line}`;
    else if (mutation.op === 'swap-lines') {
      const other = (at + 1) % Math.max(lines.length, 1);
      [lines[at], lines[other]] = [lines[other] ?? '', line];
    } else {
      const offset = mutation.at % (line.length + 1);
      lines[at] = line.slice(0, offset) + mutation.text + line.slice(offset);
    }
  }
  return lines.join('\n');
}
