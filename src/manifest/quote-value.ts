/** A value as a message may show it: short, one line, JSON-quoted when it is text. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return JSON.stringify(shown);
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
