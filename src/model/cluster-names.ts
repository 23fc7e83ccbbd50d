/** A cluster's name in a manifest's `clusters:` (the schema's `clusterName`). */
export const CLUSTER_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** `prod-eu` → `PROD_EU`: how a cluster's name appears in its variables' names. */
export function clusterVariableSuffix(cluster: string): string {
  return cluster.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The environment variable a named cluster's management token is read from. */
export function managementTokenVariable(cluster: string): string {
  return `INFLUX_MANAGEMENT_TOKEN_${clusterVariableSuffix(cluster)}`;
}
