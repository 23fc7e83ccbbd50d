import { SecretsError } from '../errors.js';
import { newestPerName, toDotenv, toK8sSecrets } from './export-k8s-dotenv.js';
import { encrypterFor } from './file-key.js';
import type { SecretRecord, WritingKeys } from './types.js';

/** Formats of `exportSecrets`: a standard age file, or plaintext. */
export type ExportFormat = 'age' | 'json' | 'env' | 'dotenv' | 'k8s-secret';

/**
 * Turns decrypted records into something to hand over:
 * - `age`: one standard age file (binary) whose plaintext is the `json` export; the stock
 *   `age -d` opens it with the keys' identity or passphrase;
 * - `json`: the records as a JSON array;
 * - `env`: `PROVISION_TOKEN_<NAME>='…'` lines to `source`, the newest record per name;
 * - `dotenv` and `k8s-secret`: see `export-k8s-dotenv.ts`.
 */
export async function exportSecrets(
  records: SecretRecord[],
  format: 'age',
  keys: WritingKeys,
): Promise<Uint8Array>;
export async function exportSecrets(
  records: SecretRecord[],
  format: Exclude<ExportFormat, 'age'>,
): Promise<string>;
export async function exportSecrets(
  records: SecretRecord[],
  format: ExportFormat,
  keys?: WritingKeys,
): Promise<Uint8Array | string>;
export async function exportSecrets(
  records: SecretRecord[],
  format: ExportFormat,
  keys?: WritingKeys,
): Promise<Uint8Array | string> {
  if (format === 'json') return toJson(records);
  if (format === 'env') return toEnv(records);
  if (format === 'k8s-secret') return toK8sSecrets(records);
  if (format === 'dotenv') {
    checkVariables(records);
    return toDotenv(records, envVariableName);
  }
  if (keys === undefined) throw new SecretsError('an age export needs recipients or a passphrase');
  return encrypterFor(keys).encrypt(toJson(records));
}

function toJson(records: SecretRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/** The variable a token's name becomes: `PROVISION_TOKEN_` + upper-cased, `[^A-Z0-9]` → `_`. */
export function envVariableName(name: string): string {
  return `PROVISION_TOKEN_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function toEnv(records: SecretRecord[]): string {
  checkVariables(records);
  return newestPerName(records)
    .map((record) => `${envVariableName(record.name)}=${shellQuote(record.accessToken)}\n`)
    .join('');
}

/** Two names that make one variable would silently lose a token: refuse instead. */
function checkVariables(records: SecretRecord[]): void {
  const byVariable = new Map<string, string>();
  for (const record of newestPerName(records)) {
    const variable = envVariableName(record.name);
    const other = byVariable.get(variable);
    if (other !== undefined) {
      throw new SecretsError(`"${other}" and "${record.name}" would both export ${variable}`, {
        hint: 'export --format json instead',
      });
    }
    byVariable.set(variable, record.name);
  }
}

/** Single-quoted for POSIX shells: nothing inside is expanded; `'` becomes `'\''`. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
