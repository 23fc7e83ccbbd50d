import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  resolveTarget,
  type ManifestCluster,
  type TargetSources,
} from '../../src/workflows/resolve-target.js';

const A = '11111111-1111-4111-8111-111111111111';
const C = '33333333-3333-4333-8333-333333333333';
const URL = 'https://influxdb.example.com/api/v0';

function sources(
  flags: TargetSources['flags'],
  env: Record<string, string> = {},
  manifest: ManifestCluster = {},
): TargetSources {
  return { flags, env: (name) => env[name], manifest, manifestFile: 'tokens.yaml' };
}

/** The UsageError's message and hint, or the target when nothing was thrown. */
function outcome(input: TargetSources): unknown {
  try {
    return resolveTarget(input);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { message: error.message, hint: error.hint };
  }
}

describe('resolveTarget: the product decides what the target takes', () => {
  it.each([
    ['default: Dedicated', sources({ accountId: A, clusterId: C })],
    ['flag', sources({ product: 'dedicated', accountId: A, clusterId: C })],
  ])('%s', (_label, input) => {
    expect(resolveTarget(input)).toEqual({
      product: 'dedicated',
      url: 'https://console.influxdata.com/api/v0',
      accountId: A,
      clusterId: C,
    });
  });

  it.each([
    ['flag', sources({ product: 'clustered', managementUrl: URL })],
    ['environment', sources({}, { INFLUX_PRODUCT: 'clustered', INFLUX_MANAGEMENT_URL: URL })],
    ['manifest', sources({}, {}, { product: 'clustered', url: URL })],
    ['upper case', sources({ product: 'Clustered', managementUrl: URL })],
  ])('Clustered from the %s: the URL alone, no ids', (_label, input) => {
    expect(resolveTarget(input)).toEqual({ product: 'clustered', url: URL });
  });

  it('flags win over the environment over the manifest for the product too', () => {
    const env = { INFLUX_PRODUCT: 'dedicated' };
    const manifest: ManifestCluster = { product: 'dedicated', url: URL };
    expect(resolveTarget(sources({ product: 'clustered' }, env, manifest))).toEqual({
      product: 'clustered',
      url: URL,
    });
    expect(resolveTarget(sources({}, { INFLUX_PRODUCT: 'clustered' }, manifest)).product).toBe(
      'clustered',
    );
  });

  // Red team: an id smuggled in from any source is refused, naming where it came from.
  it.each([
    [
      sources({ product: 'clustered', managementUrl: URL, accountId: A }),
      '--account-id is not accepted for a Clustered cluster (--product clustered)',
      'Clustered Management API paths have no account or cluster id: drop --account-id',
    ],
    [
      sources({ managementUrl: URL }, { INFLUX_PRODUCT: 'clustered', INFLUX_CLUSTER_ID: C }),
      'INFLUX_CLUSTER_ID is not accepted for a Clustered cluster (INFLUX_PRODUCT=clustered)',
      'Clustered Management API paths have no account or cluster id: unset INFLUX_CLUSTER_ID',
    ],
    [
      sources({ product: 'clustered' }, { INFLUX_MANAGEMENT_URL: URL }, { accountId: A }),
      'cluster.accountId in tokens.yaml is not accepted for a Clustered cluster (--product clustered)',
      'Clustered Management API paths have no account or cluster id: remove cluster.accountId from tokens.yaml',
    ],
  ])('refuses an id for Clustered: %#', (input, message, hint) => {
    expect(outcome(input)).toEqual({ message, hint });
  });

  it('Clustered has no default host: the URL must be given', () => {
    expect(outcome(sources({}, {}, { product: 'clustered' }))).toEqual({
      message: 'clustered needs --management-url (cluster.product: clustered in tokens.yaml)',
      hint: "a Clustered cluster's Management API is on its own host: pass --management-url https://HOST/api/v0, set INFLUX_MANAGEMENT_URL, or cluster.url in the manifest",
    });
  });

  it.each([
    [sources({ product: 'serverless' }), '--product "serverless" is not a product'],
    [sources({}, { INFLUX_PRODUCT: 'cloud' }), 'INFLUX_PRODUCT "cloud" is not a product'],
  ])('refuses an unknown product: %#', (input, message) => {
    expect(outcome(input)).toMatchObject({ message, hint: expect.stringMatching(/clustered/) });
  });

  it('Dedicated still needs both ids', () => {
    expect(outcome(sources({ accountId: A }))).toMatchObject({ message: 'no cluster id' });
  });
});
