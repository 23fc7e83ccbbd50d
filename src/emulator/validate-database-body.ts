import {
  DATABASE_LIMITS,
  partitionTemplateKey,
  type PartitionTemplatePart,
  type UpdateDatabaseRequest,
} from '../model/index.js';
import { check, fail, type Checked } from './body-check.js';

/** Body of `POST …/databases`, with the spec's defaults filled in. */
export interface CreateDatabaseBody {
  name: string;
  maxTables: number;
  maxColumnsPerTable: number;
  retentionPeriod: number;
  partitionTemplate?: PartitionTemplatePart[];
}

const CREATE_FIELDS = [
  'name',
  'maxTables',
  'maxColumnsPerTable',
  'retentionPeriod',
  'partitionTemplate',
];
const UPDATE_FIELDS = ['maxTables', 'maxColumnsPerTable', 'retentionPeriod'];

/** Checks a database name as the spec does (1–64 characters). */
export function isDatabaseName(name: unknown): name is string {
  return (
    typeof name === 'string' && name.length >= 1 && name.length <= DATABASE_LIMITS.maxNameLength
  );
}

/** `POST …/databases`: name required; limits default to 500 tables, 200 columns, no retention. */
export function checkCreateDatabase(body: unknown): Checked<CreateDatabaseBody> {
  return check(() => {
    const record = asObject(body, CREATE_FIELDS, 'request body');
    if (!isDatabaseName(record.name)) fail('name must be a string of 1-64 characters');
    const result: CreateDatabaseBody = {
      name: record.name,
      maxTables: int32(record.maxTables, 'maxTables') ?? DATABASE_LIMITS.defaultMaxTables,
      maxColumnsPerTable:
        int32(record.maxColumnsPerTable, 'maxColumnsPerTable') ??
        DATABASE_LIMITS.defaultMaxColumnsPerTable,
      retentionPeriod: retention(record.retentionPeriod) ?? 0,
    };
    if (record.partitionTemplate !== undefined) {
      result.partitionTemplate = readTemplate(record.partitionTemplate);
    }
    return result;
  });
}

/** `PATCH …/databases/{name}`: at least one of the limits or the retention (`minProperties: 1`). */
export function checkUpdateDatabase(body: unknown): Checked<UpdateDatabaseRequest> {
  return check(() => {
    const record = asObject(body, UPDATE_FIELDS, 'request body');
    if (Object.keys(record).length === 0) fail('request body must set at least one field');
    const result: UpdateDatabaseRequest = {};
    const maxTables = int32(record.maxTables, 'maxTables');
    const maxColumnsPerTable = int32(record.maxColumnsPerTable, 'maxColumnsPerTable');
    const retentionPeriod = retention(record.retentionPeriod);
    if (maxTables !== undefined) result.maxTables = maxTables;
    if (maxColumnsPerTable !== undefined) result.maxColumnsPerTable = maxColumnsPerTable;
    if (retentionPeriod !== undefined) result.retentionPeriod = retentionPeriod;
    return result;
  });
}

// `ClusterDatabasePartitionTemplate`: 1–8 parts, unique, each a tag, a time format or a bucket.
function readTemplate(value: unknown): PartitionTemplatePart[] {
  if (
    !Array.isArray(value) ||
    value.length < 1 ||
    value.length > DATABASE_LIMITS.maxTemplateParts
  ) {
    fail('partitionTemplate must be a list of 1-8 parts');
  }
  const parts = value.map((item, index): PartitionTemplatePart => {
    const at = `partitionTemplate[${index}]`;
    const part = asObject(item, ['type', 'value'], at);
    if (part.type === 'tag' || part.type === 'time') {
      if (typeof part.value !== 'string' || part.value === '')
        fail(`${at}.value must be a non-empty string`);
      return { type: part.type, value: part.value };
    }
    if (part.type !== 'bucket') fail(`${at}.type must be "tag", "time" or "bucket"`);
    const bucket = asObject(part.value, ['tagName', 'numberOfBuckets'], `${at}.value`);
    if (typeof bucket.tagName !== 'string' || bucket.tagName === '') {
      fail(`${at}.value.tagName must be a non-empty string`);
    }
    const buckets = bucket.numberOfBuckets;
    if (
      typeof buckets !== 'number' ||
      !Number.isInteger(buckets) ||
      buckets < 1 ||
      buckets > DATABASE_LIMITS.maxBuckets
    ) {
      fail(
        `${at}.value.numberOfBuckets must be an integer from 1 to ${DATABASE_LIMITS.maxBuckets}`,
      );
    }
    return { type: 'bucket', value: { tagName: bucket.tagName, numberOfBuckets: buckets } };
  });
  const keys = parts.map((part) => partitionTemplateKey([part]));
  if (new Set(keys).size !== keys.length) fail('partitionTemplate parts must be unique');
  return parts;
}

function int32(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > DATABASE_LIMITS.maxInt32
  ) {
    fail(`${field} must be an integer from 1 to ${DATABASE_LIMITS.maxInt32}`);
  }
  return value;
}

function retention(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value >= DATABASE_LIMITS.maxRetentionNs
  ) {
    fail('retentionPeriod must be a whole number of nanoseconds, at least 0 (an int64)');
  }
  return value;
}

function asObject(
  body: unknown,
  allowed: readonly string[],
  what: string,
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    fail(`${what} must be a JSON object`);
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    fail(`unknown field "${unknown}"${what === 'request body' ? '' : ` in ${what}`}`);
  return record;
}
