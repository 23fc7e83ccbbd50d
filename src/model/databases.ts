/**
 * The domain of databases, as the Management API's OpenAPI spec shapes them
 * (`ClusterDatabase…` schemas): settings, partition templates, and the request bodies of
 * `POST` and `PATCH …/databases`.
 */

/** One part of a partition template (`ClusterDatabasePartitionTemplatePart`). */
export type PartitionTemplatePart =
  | { type: 'tag'; value: string }
  | { type: 'time'; value: string }
  | { type: 'bucket'; value: { tagName: string; numberOfBuckets: number } };

/** The spec's limits and defaults, in one place for the manifest, client and emulator. */
export const DATABASE_LIMITS = {
  /** `ClusterDatabaseName`: 1 to 64 characters. */
  maxNameLength: 64,
  /** int32 fields (`maxTables`, `maxColumnsPerTable`, `numberOfBuckets`) at most this. */
  maxInt32: 2_147_483_647,
  /** `retentionPeriod` is an int64 of nanoseconds; as a double its maximum rounds to 2^63. */
  maxRetentionNs: 2 ** 63,
  /** `ClusterDatabasePartitionTemplate`: 1 to 8 parts. */
  maxTemplateParts: 8,
  /** A bucket part's `numberOfBuckets`: 1 to 100 000. */
  maxBuckets: 100_000,
  /** What the service uses when a create leaves them out (schema defaults). */
  defaultMaxTables: 500,
  defaultMaxColumnsPerTable: 200,
} as const;

/** Body of `POST …/databases`: only `name` is required. */
export interface CreateDatabaseRequest {
  name: string;
  maxTables?: number;
  maxColumnsPerTable?: number;
  /** Nanoseconds; 0 means infinite. */
  retentionPeriod?: number;
  partitionTemplate?: PartitionTemplatePart[];
}

/** Body of `PATCH …/databases/{databaseName}`: at least one field. The template never changes. */
export interface UpdateDatabaseRequest {
  maxTables?: number;
  maxColumnsPerTable?: number;
  retentionPeriod?: number;
}

/** The settings a database can be declared with; absent means "not managed". */
export interface DatabaseSettings {
  /** Nanoseconds; 0 means infinite. */
  retentionPeriod?: number;
  maxTables?: number;
  maxColumnsPerTable?: number;
  partitionTemplate?: PartitionTemplatePart[];
}

/** The fields a PATCH can change, in the order plans show them. */
export const PATCHABLE_DATABASE_FIELDS = [
  'retentionPeriod',
  'maxTables',
  'maxColumnsPerTable',
] as const satisfies readonly (keyof UpdateDatabaseRequest)[];

/** Two partition templates are the same when their parts are, in order. */
export function samePartitionTemplate(
  a: readonly PartitionTemplatePart[] | undefined,
  b: readonly PartitionTemplatePart[] | undefined,
): boolean {
  return partitionTemplateKey(a) === partitionTemplateKey(b);
}

/** A canonical text of a template (key order never matters), `''` for none. */
export function partitionTemplateKey(parts: readonly PartitionTemplatePart[] | undefined): string {
  if (parts === undefined) return '';
  return JSON.stringify(
    parts.map((part) =>
      part.type === 'bucket'
        ? [part.type, part.value.tagName, part.value.numberOfBuckets]
        : [part.type, part.value],
    ),
  );
}
