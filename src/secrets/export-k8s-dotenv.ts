import type { SecretRecord } from './types.js';

/**
 * `dotenv`: `PROVISION_TOKEN_<NAME>=…` lines for a `.env` file (docker compose `env_file`,
 * the dotenv libraries), the newest record per name. Single-quoted (literal in every dotenv
 * dialect) unless the value holds a quote or line break; then double-quoted with escapes.
 */
export function toDotenv(records: readonly SecretRecord[], variable: (name: string) => string) {
  return newestPerName(records)
    .map((record) => `${variable(record.name)}=${dotenvQuote(record.accessToken)}\n`)
    .join('');
}

function dotenvQuote(value: string): string {
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `"${escaped}"`;
}

/**
 * `k8s-secret`: one `v1/Secret` (type Opaque) per team, for `kubectl apply -f -`: named
 * `influxdb-tokens-<team>` (`influxdb-tokens` for tokens without a team), one key per token
 * name (names are valid Secret keys), values base64 in `data`, so no YAML quoting can go wrong.
 * Documents are separated by `---`; `kubectl apply -n NAMESPACE` places them.
 */
export function toK8sSecrets(records: readonly SecretRecord[]): string {
  const byTeam = new Map<string | null, SecretRecord[]>();
  for (const record of newestPerName(records)) {
    const list = byTeam.get(record.team) ?? [];
    list.push(record);
    byTeam.set(record.team, list);
  }
  const documents = [...byTeam].map(([team, list]) =>
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${JSON.stringify(secretName(team))}`,
      '  labels:',
      '    app.kubernetes.io/managed-by: provision',
      ...(team === null ? [] : [`    provision/team: ${JSON.stringify(team)}`]),
      'type: Opaque',
      'data:',
      ...list.map(
        (r) => `  ${JSON.stringify(r.name)}: ${Buffer.from(r.accessToken).toString('base64')}`,
      ),
    ].join('\n'),
  );
  return documents.map((doc) => `---\n${doc}\n`).join('');
}

/** A DNS-1123 name: team names may hold `_` and `.`, which a Secret's name cannot start with. */
function secretName(team: string | null): string {
  if (team === null) return 'influxdb-tokens';
  const safe = team
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/[^a-z0-9]+$/, '');
  return `influxdb-tokens-${safe}`.slice(0, 253);
}

/** A rotated token has several records; the newest of each name is the one to use. */
export function newestPerName(records: readonly SecretRecord[]): SecretRecord[] {
  const newest = new Map<string, SecretRecord>();
  for (const record of records) {
    const current = newest.get(record.name);
    if (current === undefined || record.createdAt >= current.createdAt) {
      newest.set(record.name, record);
    }
  }
  return [...newest.values()];
}
