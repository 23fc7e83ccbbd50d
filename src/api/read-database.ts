import { DATABASE_LIMITS, type PartitionTemplatePart } from '../model/index.js';
import type { ClusterDatabase } from '../model/index.js';
import type { OwnerField } from './product-routes.js';
import { ShapeError } from './shape-error.js';

type Json = Record<string, unknown>;

/**
 * A database as listed, created or updated, rebuilt from known fields only. Limits are
 * whole numbers in the spec's ranges; a name is 1–64 characters and goes into a path
 * (`…/databases/{name}`) only after `encodeURIComponent`, so anything else is refused here.
 */
export function readDatabase(
  value: unknown,
  owner: readonly OwnerField[],
  what = 'database',
): ClusterDatabase {
  const body = object(value, what);
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > DATABASE_LIMITS.maxNameLength) {
    throw new ShapeError(`${what}.name is not a database name`);
  }
  const database: ClusterDatabase = {
    // Dedicated bodies name their account and cluster; Clustered ones do not.
    ...Object.fromEntries(owner.map((key) => [key, text(body, key, what)])),
    name,
    maxTables: whole(body, 'maxTables', what, 1, DATABASE_LIMITS.maxInt32),
    maxColumnsPerTable: whole(body, 'maxColumnsPerTable', what, 1, DATABASE_LIMITS.maxInt32),
    retentionPeriod: whole(body, 'retentionPeriod', what, 0, DATABASE_LIMITS.maxRetentionNs),
  };
  if (body.partitionTemplate !== undefined && body.partitionTemplate !== null) {
    database.partitionTemplate = readTemplate(body.partitionTemplate, `${what}.partitionTemplate`);
  }
  return database;
}

export function readDatabaseList(value: unknown, owner: readonly OwnerField[]): ClusterDatabase[] {
  if (!Array.isArray(value)) throw new ShapeError('database list is not an array');
  return value.map((item, index) => readDatabase(item, owner, `databases[${index}]`));
}

function readTemplate(value: unknown, what: string): PartitionTemplatePart[] {
  if (!Array.isArray(value) || value.length > DATABASE_LIMITS.maxTemplateParts) {
    throw new ShapeError(
      `${what} is not a list of at most ${DATABASE_LIMITS.maxTemplateParts} parts`,
    );
  }
  return value.map((item, index): PartitionTemplatePart => {
    const at = `${what}[${index}]`;
    const part = object(item, at);
    if (part.type === 'tag' || part.type === 'time') {
      return { type: part.type, value: text(part, 'value', at) };
    }
    if (part.type === 'bucket') {
      const bucket = object(part.value, `${at}.value`);
      return {
        type: 'bucket',
        value: {
          tagName: text(bucket, 'tagName', `${at}.value`),
          numberOfBuckets: whole(
            bucket,
            'numberOfBuckets',
            `${at}.value`,
            1,
            DATABASE_LIMITS.maxBuckets,
          ),
        },
      };
    }
    throw new ShapeError(`${at}.type is not tag, time or bucket`);
  });
}

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${what} is not an object`);
  }
  return value as Json;
}

function text(body: Json, key: string, what: string): string {
  const value = body[key];
  // Bounded: a value is shown in plans and errors, never a megabyte of it.
  if (typeof value !== 'string' || value.length > 1024) {
    throw new ShapeError(`${what}.${key} is not a short string`);
  }
  return value;
}

function whole(body: Json, key: string, what: string, min: number, max: number): number {
  const value = body[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ShapeError(`${what}.${key} is not a whole number from ${min} to ${max}`);
  }
  return value;
}
