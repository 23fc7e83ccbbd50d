import { UsageError } from '../errors.js';
import type { Product } from '../model/index.js';
import { isUuid } from './is-uuid.js';

/**
 * How a client names its cluster: a Cloud Dedicated one by account and cluster id, a
 * Clustered one by its URL alone (so it cannot be handed ids it would silently ignore).
 */
export type ProductIds =
  | { product?: 'dedicated'; accountId: string; clusterId: string }
  | { product: 'clustered'; accountId?: never; clusterId?: never };

/** Fields that a product's token and database bodies carry besides the shared ones. */
export type OwnerField = 'accountId' | 'clusterId';

/** Every path of one cluster's Management API, relative to its base URL, and its body shape. */
export interface ProductRoutes {
  product: Product;
  tokens: string;
  /** Refuses anything but a UUID: `.`, `..` or `a/b` would address another resource. */
  token(tokenId: string): string;
  databases: string;
  /** Encodes the name into one segment and refuses `.` and `..`, which would climb out. */
  database(name: string): string;
  /** Owner fields every token and database body must carry (required in the spec). */
  ownerFields: readonly OwnerField[];
}

/**
 * The one table of what differs between the two products, read from their specs
 * (`management-openapi.yml`, `clustered-management-openapi.yml`): the path prefix, and
 * whether bodies name their account and cluster. Operations, request bodies, the other
 * response fields, status codes and error bodies are the same.
 */
const PRODUCT_SHAPES: Record<Product, { prefix: string; ownerFields: readonly OwnerField[] }> = {
  dedicated: {
    prefix: 'accounts/{accountId}/clusters/{clusterId}/',
    ownerFields: ['accountId', 'clusterId'],
  },
  clustered: { prefix: '', ownerFields: [] },
};

/** The paths and body shape of the cluster `ids` names. */
export function productRoutes(ids: ProductIds): ProductRoutes {
  const product = ids.product ?? 'dedicated';
  // A JavaScript caller can pass what the type forbids; ids would be dropped, not used.
  const given = ids as { accountId?: unknown; clusterId?: unknown };
  if (product === 'clustered' && (given.accountId !== undefined || given.clusterId !== undefined)) {
    throw new UsageError('accountId and clusterId are not accepted for a Clustered cluster', {
      hint: 'Clustered paths have no account or cluster id: pass the URL alone',
    });
  }
  const { prefix: template, ownerFields } = PRODUCT_SHAPES[product];
  const prefix = template
    .replace('{accountId}', encodeURIComponent(ids.accountId ?? ''))
    .replace('{clusterId}', encodeURIComponent(ids.clusterId ?? ''));
  return {
    product,
    tokens: `${prefix}tokens`,
    token: (tokenId) => {
      if (!isUuid(tokenId)) {
        throw new UsageError(`token id ${JSON.stringify(tokenId.slice(0, 64))} is not a UUID`, {
          hint: 'token ids look like 5f0c…-…; copy one from `influxctl token list`',
        });
      }
      return `${prefix}tokens/${tokenId}`;
    },
    databases: `${prefix}databases`,
    database: (name) => {
      if (name === '' || name === '.' || name === '..' || name.length > 64) {
        throw new UsageError(`${JSON.stringify(name.slice(0, 64))} is not a database name`, {
          hint: 'database names have 1 to 64 characters and are not "." or ".."',
        });
      }
      return `${prefix}databases/${encodeURIComponent(name)}`;
    },
    ownerFields,
  };
}

/** The owner fields of a product's bodies (the emulator adds or leaves them out). */
export function ownerFieldsOf(product: Product): readonly OwnerField[] {
  return PRODUCT_SHAPES[product].ownerFields;
}

/** What a request path addresses, as the server reads it. */
export interface ProductPathMatch {
  collection: 'tokens' | 'databases';
  /** The raw `{tokenId}` or `{databaseName}` segment, when the path has one. */
  item: string | undefined;
  /** Dedicated: the ids in the path, unchecked; Clustered: none. */
  ids: { accountId: string; clusterId: string } | undefined;
}

const MATCHERS: Record<Product, RegExp> = {
  dedicated: pathPattern(PRODUCT_SHAPES.dedicated.prefix),
  clustered: pathPattern(PRODUCT_SHAPES.clustered.prefix),
};

function pathPattern(prefix: string): RegExp {
  const ids = prefix
    .replace('{accountId}', '(?<accountId>[^/]+)')
    .replace('{clusterId}', '(?<clusterId>[^/]+)');
  return new RegExp(`^/api/v0/${ids}(?<collection>tokens|databases)(?:/(?<item>[^/]+))?/?$`);
}

/**
 * The server's side of the same table (the emulator): which collection and item the
 * pathname (`/api/v0/…`) names for this product, or undefined when it names none.
 */
export function matchProductPath(product: Product, pathname: string): ProductPathMatch | undefined {
  const groups = MATCHERS[product].exec(pathname)?.groups;
  if (groups === undefined) return undefined;
  const { accountId, clusterId, collection, item } = groups;
  return {
    collection: collection === 'tokens' ? 'tokens' : 'databases',
    item,
    ids: accountId === undefined || clusterId === undefined ? undefined : { accountId, clusterId },
  };
}
