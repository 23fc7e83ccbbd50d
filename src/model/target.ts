/**
 * Which InfluxDB 3 product a cluster is, and how it is addressed. Cloud Dedicated puts an
 * account and a cluster id in every Management API path; Clustered (self-managed) serves
 * the same operations on the cluster's own host with neither.
 */

/** The products whose Management API this tool speaks. */
export const PRODUCTS = ['dedicated', 'clustered'] as const;

export type Product = (typeof PRODUCTS)[number];

/** Whether a string names a product (`dedicated` or `clustered`). */
export function isProduct(value: unknown): value is Product {
  return PRODUCTS.includes(value as Product);
}

/** The product's name as the documentation spells it, for messages. */
export function productTitle(product: Product): string {
  return product === 'dedicated' ? 'Cloud Dedicated' : 'Clustered';
}

/**
 * One cluster's Management API: a Dedicated one needs its account and cluster ids, a
 * Clustered one has none, so neither variant can carry the other's fields.
 */
export type ManagementTarget =
  | { product: 'dedicated'; url: string; accountId: string; clusterId: string }
  | { product: 'clustered'; url: string; accountId?: never; clusterId?: never };
