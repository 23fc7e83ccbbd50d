/** Values for `{team}` and `{database}` while a template is expanded. */
export interface PlaceholderValues {
  team: string;
  database?: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholders a template may use; the names the rules suggest for typos. */
export const KNOWN_PLACEHOLDERS = ['team', 'database'] as const;

/** Every `{name}` in the text, in order. */
export function findPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Fills `{team}` and `{database}`; anything else, and `{database}` when there is no
 * database, stays as written (the rules report it). In names, `{database}` is turned into a
 * name fragment: lowercased, with characters a token name cannot hold replaced by `-`.
 */
export function substitutePlaceholders(
  text: string,
  values: PlaceholderValues,
  mode: 'name' | 'text',
): string {
  if (!text.includes('{')) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'team') return values.team;
    if (name === 'database' && values.database !== undefined) {
      return mode === 'name' ? toNameFragment(values.database) : values.database;
    }
    return whole;
  });
}

function toNameFragment(database: string): string {
  return database.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}
