import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/validate-manifest-text.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ID = '11111111-1111-4111-8111-111111111111';

function problems(text: string): string[] {
  const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
  if (result.ok) throw new Error('expected the manifest to be refused');
  return result.issues.map(formatIssue);
}

const TWO = `version: 1
clusters:
  staging:
    product: clustered
    url: https://staging.example.com/api/v0
  prod-eu:
    accountId: ${ID}
    clusterId: ${ID}
outputs:
  secretsFile: "secrets/{cluster}.sealed"
`;

describe('clusters: in the manifest', () => {
  it('expands each cluster its share, {cluster} filled in, positions kept', () => {
    const result = validateManifestText(
      `${TWO}tokens:
  - name: "{cluster}-grafana"
    read: ["*"]
  - name: only-eu
    clusters: [prod-eu]
    read: ["{cluster}_metrics"]
  - name: after
    read: ["*"]
`,
      'tokens.yaml',
      { now: NOW },
    );
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.manifest).toBeNull();
    const [staging, eu] = result.clusters;
    expect(staging?.tokens.map((token) => token.name)).toEqual(['staging-grafana', 'after']);
    expect(eu?.tokens.map((token) => token.name)).toEqual(['prod-eu-grafana', 'only-eu', 'after']);
    expect(eu?.tokens[1]?.permissions).toEqual([{ action: 'read', resource: 'prod-eu_metrics' }]);
    // Positions point at the file as written, past the entries another cluster left out.
    expect(eu?.tokens[1]?.source.line).toBe(14);
    expect(staging?.tokens[1]?.source.line).toBe(17);
    expect(eu?.outputs.secretsFile).toBe('secrets/prod-eu.sealed');
  });

  it('says which clusters a problem is on when not all', () => {
    const lines = problems(`${TWO}policy:
  maxTokens: 1
tokens:
  - name: a
    read: ["*"]
  - name: b
    clusters: [prod-eu]
    read: ["*"]
`);
    expect(lines.join('\n')).toContain('(cluster prod-eu)');
    expect(lines.join('\n')).not.toContain('(cluster staging)');
  });

  it('refuses {cluster} and clusters: lists without a clusters: map, each at its place', () => {
    const lines = problems(`version: 1
tokens:
  - name: "{cluster}-grafana"
    clusters: [staging]
    read: ["*"]
`);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^tokens\.yaml:3:11: \{cluster\} is filled in only in a manifest with clusters:/,
      ),
    );
  });

  it('refuses cluster: beside clusters:, names that share a variable, a shared secrets file', () => {
    const lines = problems(`version: 1
cluster:
  accountId: ${ID}
clusters:
  prod-eu:
    accountId: ${ID}
    clusterId: ${ID}
  prod_eu:
    accountId: ${ID}
    clusterId: ${ID}
outputs:
  secretsFile: secrets/tokens.sealed
`).join('\n');
    expect(lines).toContain('tokens.yaml:2:1: cluster: and clusters: cannot both be given');
    expect(lines).toContain(
      'clusters "prod-eu" and "prod_eu" would share INFLUX_MANAGEMENT_TOKEN_PROD_EU',
    );
    expect(lines).toContain('tokens.yaml:12:16: outputs.secretsFile must contain {cluster}');
  });

  it('refuses ids for a Clustered cluster at the cluster entry', () => {
    const lines = problems(
      TWO.replace('    url: https://staging', `    accountId: ${ID}\n    url: https://staging`),
    );
    expect(lines.join('\n')).toMatch(
      /tokens\.yaml:5:5: .*accountId is not accepted for a Clustered cluster/,
    );
  });
});
