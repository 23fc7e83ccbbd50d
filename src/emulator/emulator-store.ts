import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  ClusterDatabase,
  CreatedDatabaseToken,
  DatabaseToken,
  Permission,
  UpdateTokenRequest,
} from '../model/index.js';
import type { UpdateDatabaseRequest } from '../model/index.js';
import type { CreateDatabaseBody } from './validate-database-body.js';
import type { EmulatorCounters, TimePrecision } from './types.js';

/** A token as the emulator keeps it: like the real service, only a hash of its string. */
export interface StoredToken extends DatabaseToken {
  // Kept for every product; a Clustered answer leaves them out (present-body.ts).
  accountId: string;
  clusterId: string;
  accessTokenSha256: string;
}

/** What a state-changing call on a token found. */
export type TokenOutcome<T> = { found: true; value: T } | { found: false; revoked: boolean };

/** SHA-256 of a token string, the only form in which the emulator remembers it. */
export function hashAccessToken(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}

/** In-memory tokens and databases of one cluster, with the service's rules. */
export class EmulatorStore {
  readonly tokens = new Map<string, StoredToken>();
  readonly databases = new Map<string, ClusterDatabase>();
  private readonly byHash = new Map<string, string>();
  readonly counters: EmulatorCounters = {
    requests: 0,
    byOperation: {},
    faults: { overloaded: 0, rateLimited: 0, serverErrors: 0, ambiguous: 0 },
    pointsWritten: 0,
  };

  constructor(
    readonly accountId: string,
    readonly clusterId: string,
    readonly now: () => Date,
    private readonly precision: TimePrecision = 'ms',
  ) {}

  /** The time the service stamps on a token it creates or revokes. */
  private stamp(): string {
    const date = new Date(this.now().getTime());
    if (this.precision === 's') date.setUTCMilliseconds(0);
    return date.toISOString();
  }

  /** Adds a stored token (from a state file or a create). */
  insertToken(token: StoredToken): void {
    this.tokens.set(token.id, token);
    this.byHash.set(token.accessTokenSha256, token.id);
  }

  createToken(body: {
    description: string;
    permissions: Permission[];
    expiresAt?: string;
  }): CreatedDatabaseToken {
    // 32 random bytes → 64 hex characters after the prefix, as long as the documented examples.
    const accessToken = `apiv1_${randomBytes(32).toString('hex')}`;
    const stored: StoredToken = {
      accountId: this.accountId,
      clusterId: this.clusterId,
      id: randomUUID(),
      description: body.description,
      permissions: body.permissions.map((p) => ({ action: p.action, resource: p.resource })),
      createdAt: this.stamp(),
      ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
      accessTokenSha256: hashAccessToken(accessToken),
    };
    this.insertToken(stored);
    const { accessTokenSha256: _hash, ...token } = stored;
    return { ...token, accessToken };
  }

  /** Tokens as listed; those younger than `lagMs` are not visible yet. */
  listTokens(lagMs = 0): DatabaseToken[] {
    const cutoff = this.now().getTime() - lagMs;
    return [...this.tokens.values()]
      .filter((token) => lagMs <= 0 || Date.parse(token.createdAt) <= cutoff)
      .map(toPublic);
  }

  getToken(id: string): DatabaseToken | undefined {
    const token = this.tokens.get(id);
    return token === undefined ? undefined : toPublic(token);
  }

  /** PATCH replaces the description and/or the whole permission list; revoked tokens refuse. */
  updateToken(id: string, update: UpdateTokenRequest): TokenOutcome<DatabaseToken> {
    const token = this.tokens.get(id);
    if (token === undefined) return { found: false, revoked: false };
    if (token.revokedAt !== undefined) return { found: false, revoked: true };
    if (update.description !== undefined) token.description = update.description;
    if (update.permissions !== undefined)
      token.permissions = update.permissions.map((p) => ({ ...p }));
    return { found: true, value: toPublic(token) };
  }

  /** Revoking keeps the token, stamped with `revokedAt`; a second revoke finds nothing to do. */
  revokeToken(id: string): TokenOutcome<DatabaseToken> {
    const token = this.tokens.get(id);
    if (token === undefined) return { found: false, revoked: false };
    if (token.revokedAt !== undefined) return { found: false, revoked: true };
    token.revokedAt = this.stamp();
    return { found: true, value: toPublic(token) };
  }

  findByAccessToken(accessToken: string): StoredToken | undefined {
    const id = this.byHash.get(hashAccessToken(accessToken));
    return id === undefined ? undefined : this.tokens.get(id);
  }

  /** Undefined when a database of that name exists already. */
  createDatabase(body: CreateDatabaseBody): ClusterDatabase | undefined {
    if (this.databases.has(body.name)) return undefined;
    const database: ClusterDatabase = {
      accountId: this.accountId,
      clusterId: this.clusterId,
      ...body,
    };
    this.databases.set(database.name, database);
    return database;
  }

  /** PATCH of limits and retention; undefined when no database has that name. */
  updateDatabase(name: string, update: UpdateDatabaseRequest): ClusterDatabase | undefined {
    const database = this.databases.get(name);
    if (database === undefined) return undefined;
    if (update.maxTables !== undefined) database.maxTables = update.maxTables;
    if (update.maxColumnsPerTable !== undefined)
      database.maxColumnsPerTable = update.maxColumnsPerTable;
    if (update.retentionPeriod !== undefined) database.retentionPeriod = update.retentionPeriod;
    return { ...database };
  }

  countOperation(operation: string): void {
    this.counters.requests += 1;
    this.counters.byOperation[operation] = (this.counters.byOperation[operation] ?? 0) + 1;
  }
}

/** The API's field order; never the hash. */
function toPublic(token: StoredToken): DatabaseToken {
  const result: DatabaseToken = {
    accountId: token.accountId,
    clusterId: token.clusterId,
    id: token.id,
    description: token.description,
    permissions: token.permissions.map((p) => ({ ...p })),
    createdAt: token.createdAt,
  };
  if (token.expiresAt !== undefined) result.expiresAt = token.expiresAt;
  if (token.revokedAt !== undefined) result.revokedAt = token.revokedAt;
  return result;
}
