/** A value as a message may show it: short, one line, JSON-quoted when it is text. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    // JSON escapes control characters; invisible format characters (bidi overrides,
    // zero-width joiners) are escaped too, so a message can never reorder or hide text.
    return JSON.stringify(shown).replace(
      /\p{Cf}/gu,
      (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
    );
  }
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

/** `a string`, `a list`, …: the type of a value in the words the schema messages use. */
export function typeWord(type: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    array: 'a list',
    object: 'a mapping (key: value lines)',
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    null: 'empty',
  };
  return words[type] ?? type;
}
