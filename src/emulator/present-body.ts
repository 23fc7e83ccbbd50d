import { ownerFieldsOf, type OwnerField } from '../api/index.js';
import type { Product } from '../model/index.js';

const OWNER_FIELDS: readonly OwnerField[] = ['accountId', 'clusterId'];

/**
 * A token or database body (or a list of them) as the product's spec shapes it: the store
 * keeps one shape, and a Clustered answer leaves out the account and cluster ids that its
 * spec does not define. Error bodies pass unchanged.
 */
export function presentBody(product: Product, body: unknown): unknown {
  const kept = new Set(ownerFieldsOf(product));
  const dropped = OWNER_FIELDS.filter((field) => !kept.has(field));
  if (dropped.length === 0) return body;
  const present = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value).filter(([key]) => !dropped.includes(key as OwnerField)),
    );
  };
  return Array.isArray(body) ? body.map(present) : present(body);
}
