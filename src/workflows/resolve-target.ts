import { DEFAULT_MANAGEMENT_URL, isUuid } from '../api/index.js';
import { UsageError } from '../errors.js';
import { isProduct, type ManagementTarget, type Product } from '../model/index.js';

/** The manifest's `cluster:` block as the connection reads it. */
export interface ManifestCluster {
  product?: Product;
  accountId?: string;
  clusterId?: string;
  url?: string;
}

/** Flag and environment values of the target, trimmed; empty variables count as unset. */
export interface TargetSources {
  flags: { product?: string; managementUrl?: string; accountId?: string; clusterId?: string };
  env: (name: string) => string | undefined;
  manifest: ManifestCluster;
  /** The manifest's file, named in messages about its values. */
  manifestFile: string;
  /** Where `manifest` is in the file: `cluster` (default) or `clusters.NAME`. */
  manifestKey?: string;
  /** `_STAGING` for cluster `staging` of `clusters:`: its variables carry its name. */
  variableSuffix?: string;
}

/** One setting from the first source that has it, how to name that source, and undo it. */
interface Found<T> {
  value: T;
  where: string;
  remedy: string;
}

/**
 * The cluster to talk to: its product first (flags > env > manifest, default Cloud
 * Dedicated), then what that product needs. Dedicated needs account and cluster ids and
 * has a default URL; Clustered has neither ids (any given is refused, wherever it came
 * from) nor a default host.
 */
export function resolveTarget(sources: TargetSources): ManagementTarget {
  const { flags, env, manifest, manifestFile } = sources;
  const block = sources.manifestKey ?? 'cluster';
  const suffix = sources.variableSuffix ?? '';
  const pick = (
    flag: keyof TargetSources['flags'],
    variable: string,
    key: keyof ManifestCluster,
  ): Found<string> | undefined => {
    const flagValue = flags[flag];
    if (flagValue !== undefined) {
      return { value: flagValue, where: `--${kebab(flag)}`, remedy: `drop --${kebab(flag)}` };
    }
    const named = `${variable}${suffix}`;
    const envValue = env(named);
    if (envValue !== undefined) return { value: envValue, where: named, remedy: `unset ${named}` };
    const manifestValue = manifest[key];
    return manifestValue === undefined
      ? undefined
      : {
          value: manifestValue,
          where: `${block}.${key} in ${manifestFile}`,
          remedy: `remove ${block}.${key} from ${manifestFile}`,
        };
  };
  const product = readProduct(pick('product', 'INFLUX_PRODUCT', 'product'), block);
  const url = pick('managementUrl', 'INFLUX_MANAGEMENT_URL', 'url')?.value;
  const accountId = pick('accountId', 'INFLUX_ACCOUNT_ID', 'accountId');
  const clusterId = pick('clusterId', 'INFLUX_CLUSTER_ID', 'clusterId');

  if (product.value === 'clustered') {
    const because = ` (${product.where})`;
    for (const id of [accountId, clusterId]) {
      if (id !== undefined) {
        throw new UsageError(`${id.where} is not accepted for a Clustered cluster${because}`, {
          hint: `Clustered Management API paths have no account or cluster id: ${id.remedy}`,
        });
      }
    }
    if (url === undefined) {
      throw new UsageError(
        suffix === ''
          ? `clustered needs --management-url${because}`
          : `${block} needs a url${because}`,
        {
          hint:
            suffix === ''
              ? "a Clustered cluster's Management API is on its own host: pass --management-url https://HOST/api/v0, set INFLUX_MANAGEMENT_URL, or cluster.url in the manifest"
              : `a Clustered cluster's Management API is on its own host: set ${block}.url (https://HOST/api/v0) in the manifest, or INFLUX_MANAGEMENT_URL${suffix}`,
        },
      );
    }
    return { product: 'clustered', url };
  }
  return {
    product: 'dedicated',
    url: url ?? DEFAULT_MANAGEMENT_URL,
    accountId: requireId(
      'account',
      accountId?.value,
      suffix === ''
        ? 'set cluster.accountId in the manifest, INFLUX_ACCOUNT_ID, or --account-id'
        : `set ${block}.accountId in the manifest, or INFLUX_ACCOUNT_ID${suffix}`,
      block,
    ),
    clusterId: requireId(
      'cluster',
      clusterId?.value,
      suffix === ''
        ? 'set cluster.clusterId in the manifest, INFLUX_CLUSTER_ID, or --cluster-id'
        : `set ${block}.clusterId in the manifest, or INFLUX_CLUSTER_ID${suffix}`,
      block,
    ),
  };
}

function readProduct(found: Found<string> | undefined, block: string): Found<Product> {
  if (found === undefined) return { value: 'dedicated', where: 'the default', remedy: '' };
  const value = found.value.toLowerCase();
  if (!isProduct(value)) {
    throw new UsageError(
      `${found.where} ${JSON.stringify(found.value.slice(0, 64))} is not a product`,
      {
        hint: 'write dedicated (InfluxDB 3 Cloud Dedicated) or clustered (InfluxDB 3 Clustered)',
      },
    );
  }
  // Names the choice as written, for messages about what it rules out.
  const where = found.where.startsWith(`${block}.`)
    ? found.where.replace(`${block}.product`, `${block}.product: ${value}`)
    : `${found.where}${found.where.startsWith('--') ? ' ' : '='}${value}`;
  return { value, where, remedy: found.remedy };
}

function requireId(
  what: 'account' | 'cluster',
  id: string | undefined,
  whereHint: string,
  block: string,
): string {
  if (id === undefined || id === '') {
    const of = block === 'cluster' ? '' : ` for ${block}`;
    throw new UsageError(`no ${what} id${of}`, { hint: whereHint });
  }
  if (!isUuid(id)) {
    throw new UsageError(`${what} id "${id}" is not a UUID`, {
      hint: 'copy it from `influxctl cluster list --format json`',
    });
  }
  return id;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
