// commander stores what it parsed under each flag's camelCase name; these check that the
// value has the shape the flag's definition gives it (a mismatch is a bug here, not a
// user's mistake, so it throws a plain Error and keeps its stack).

/** A `--flag <value>` option: its string, or undefined when not given. */
export function readString(
  values: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const value = values[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new Error(`option ${key}: expected a string, got ${typeof value}`);
}

/** A repeatable option (collected into a list): its values, or undefined when not given. */
export function readStrings(
  values: Readonly<Record<string, unknown>>,
  key: string,
): string[] | undefined {
  const value = values[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string'))
    return value;
  throw new Error(`option ${key}: expected a list of strings`);
}

/** A switch (`--flag`): true when given, else undefined. */
export function readBoolean(
  values: Readonly<Record<string, unknown>>,
  key: string,
): boolean | undefined {
  const value = values[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new Error(`option ${key}: expected true or false, got ${typeof value}`);
}

/** An option with a default: commander always sets it. */
export function readDefaulted(values: Readonly<Record<string, unknown>>, key: string): string {
  const value = readString(values, key);
  if (value === undefined) throw new Error(`option ${key}: its default is missing`);
  return value;
}
