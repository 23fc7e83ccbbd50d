/**
 * The domain: database tokens, their permissions and databases, as the Management API's
 * OpenAPI spec shapes them. Every stage (manifest, plan, secrets, apply, api) depends on
 * these types; this folder depends on nothing.
 */

import type { PartitionTemplatePart } from './databases.js';

/** What a permission allows. The API types it as a free string; the product uses these two. */
export type PermissionAction = 'read' | 'write';

/** One grant: an action on a database name (1–64 chars) or `*` (every database, now and later). */
export interface Permission {
  action: PermissionAction;
  resource: string;
}

/** A database token as listed or fetched: never carries the token string. */
export interface DatabaseToken {
  /** Cloud Dedicated only: the account and cluster the token belongs to (Clustered has none). */
  accountId?: string;
  clusterId?: string;
  id: string;
  description: string;
  permissions: Permission[];
  /** RFC 3339. */
  createdAt: string;
  /** RFC 3339; absent when the token never expires. */
  expiresAt?: string;
  /** RFC 3339; present once the token is revoked. */
  revokedAt?: string;
}

/** The create response: the only time the token string (`accessToken`) is ever shown. */
export interface CreatedDatabaseToken extends DatabaseToken {
  accessToken: string;
}

/** Body of `POST …/tokens`. */
export interface CreateTokenRequest {
  description: string;
  permissions?: Permission[];
  expiresAt?: string;
}

/** Body of `PATCH …/tokens/{tokenId}`: at least one field. */
export interface UpdateTokenRequest {
  description?: string;
  permissions?: Permission[];
}

/** A database as listed by `GET …/databases`. */
export interface ClusterDatabase {
  /** Cloud Dedicated only, as on tokens. */
  accountId?: string;
  clusterId?: string;
  name: string;
  maxTables: number;
  maxColumnsPerTable: number;
  /** Nanoseconds; 0 means infinite. */
  retentionPeriod: number;
  partitionTemplate?: PartitionTemplatePart[];
}
