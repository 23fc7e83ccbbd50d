/**
 * The length the schema's `maxLength` means: Unicode code points, as JSON Schema counts them
 * (ajv too), not UTF-16 units, so "é" or an emoji counts once. Graphemes are not wanted here:
 * the limit is the schema's, not a reader's.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _codePoint of text) count += 1;
  return count;
}
