import type { Checked } from './validate-request-body.js';

/** Body of `POST …/databases`, with the spec's defaults filled in. */
export interface CreateDatabaseBody {
  name: string;
  maxTables: number;
  maxColumnsPerTable: number;
  retentionPeriod: number;
  partitionTemplate?: unknown[];
}

const FIELDS = ['name', 'maxTables', 'maxColumnsPerTable', 'retentionPeriod', 'partitionTemplate'];
const PART_TYPES = ['tag', 'time', 'bucket'];

/** Checks a database name as the spec does (1–64 characters). */
export function isDatabaseName(name: unknown): name is string {
  return typeof name === 'string' && name.length >= 1 && name.length <= 64;
}

function integer(
  value: unknown,
  field: string,
  minimum: number,
  fallback: number,
): number | string {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    return `${field} must be an integer of at least ${minimum}`;
  }
  return value;
}

/** `POST …/databases`: name required; limits default to 500 tables, 200 columns, no retention. */
export function checkCreateDatabase(body: unknown): Checked<CreateDatabaseBody> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'request body must be a JSON object' };
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) return { ok: false, message: `unknown field "${unknown}"` };
  if (!isDatabaseName(record.name)) {
    return { ok: false, message: 'name must be a string of 1-64 characters' };
  }
  const maxTables = integer(record.maxTables, 'maxTables', 1, 500);
  const maxColumnsPerTable = integer(record.maxColumnsPerTable, 'maxColumnsPerTable', 1, 200);
  const retentionPeriod = integer(record.retentionPeriod, 'retentionPeriod', 0, 0);
  for (const value of [maxTables, maxColumnsPerTable, retentionPeriod]) {
    if (typeof value === 'string') return { ok: false, message: value };
  }
  const result: CreateDatabaseBody = {
    name: record.name,
    maxTables: maxTables as number,
    maxColumnsPerTable: maxColumnsPerTable as number,
    retentionPeriod: retentionPeriod as number,
  };
  const template = record.partitionTemplate;
  if (template !== undefined) {
    const valid =
      Array.isArray(template) &&
      template.length >= 1 &&
      template.length <= 8 &&
      template.every(
        (part) =>
          typeof part === 'object' &&
          part !== null &&
          PART_TYPES.includes((part as { type?: unknown }).type as string),
      );
    if (!valid) {
      return {
        ok: false,
        message: 'partitionTemplate must be 1-8 parts of type tag, time or bucket',
      };
    }
    result.partitionTemplate = template as unknown[];
  }
  return { ok: true, value: result };
}
