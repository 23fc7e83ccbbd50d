import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/load-manifest.js';
import type { ExpandedManifest } from '../../src/manifest/types.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const R1 = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

function expand(text: string): ExpandedManifest {
  const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.manifest!;
}

const names = (manifest: ExpandedManifest): string[] => manifest.tokens.map((t) => t.name);

describe('expansion', () => {
  const templated = `version: 1
tokens:
  - name: zeta
    read: [metrics]
  - name: alpha
    read: [metrics]
teams:
  - name: payments
    databases: [Payments_Prod, payments_staging]
  - name: search
    databases: [search_prod]
templates:
  - name: "{team}-{database}-writer"
    per: database
    description: "Writer for {database} ({team})"
    write: ["{database}"]
  - name: "{team}-reader"
    read: ["{database}", "shared_{team}"]
    previousNames: ["{team}-ro"]
  - name: "{team}-ops"
    teams: [search]
    read: [ops]
`;

  it('lists declared tokens in file order, then each template for each team', () => {
    expect(names(expand(templated))).toEqual([
      'zeta',
      'alpha',
      'payments-payments_prod-writer',
      'payments-payments_staging-writer',
      'search-search_prod-writer',
      'payments-reader',
      'search-reader',
      'search-ops',
    ]);
  });

  it('fills placeholders: names get a name-safe {database}, text and lists the real one', () => {
    const manifest = expand(templated);
    const writer = manifest.tokens[2]!;
    expect(writer.description).toBe('Writer for Payments_Prod (payments)');
    expect(writer.permissions).toEqual([{ action: 'write', resource: 'Payments_Prod' }]);
    expect(writer.team).toBe('payments');
    const reader = manifest.tokens.find((t) => t.name === 'payments-reader')!;
    // With per: team, "{database}" in a list stands for every database of the team.
    expect(reader.permissions).toEqual([
      { action: 'read', resource: 'Payments_Prod' },
      { action: 'read', resource: 'payments_staging' },
      { action: 'read', resource: 'shared_payments' },
    ]);
    expect(reader.previousNames).toEqual(['payments-ro']);
    expect(reader.description).toBe('payments-reader');
  });

  it('records where each database is named: the template item, the token item, or the set item', () => {
    const manifest = expand(`version: 1
permissionSets:
  metrics-reader:
    read: [metrics]
tokens:
  - name: grafana
    sets: [metrics-reader]
    read: [logs, metrics]
teams:
  - name: payments
    databases: [payments_prod]
templates:
  - name: "{team}-writer"
    write: ["{database}"]
`);
    const [grafana, writer] = manifest.tokens;
    expect(grafana!.source).toEqual({ file: 'tokens.yaml', line: 6, column: 5 });
    expect(grafana!.databases).toEqual([
      { database: 'logs', file: 'tokens.yaml', line: 8, column: 12 },
      { database: 'metrics', file: 'tokens.yaml', line: 8, column: 18 },
    ]);
    expect(writer!.source).toEqual({ file: 'tokens.yaml', line: 13, column: 5 });
    expect(writer!.databases).toEqual([
      { database: 'payments_prod', file: 'tokens.yaml', line: 14, column: 13 },
    ]);
    const viaSet = expand(`version: 1
permissionSets:
  metrics-reader:
    read: [metrics]
tokens:
  - name: grafana
    sets: [metrics-reader]
`);
    expect(viaSet.tokens[0]!.databases).toEqual([
      { database: 'metrics', file: 'tokens.yaml', line: 4, column: 12 },
    ]);
  });

  it('merges permission sets and includes, and normalises the result', () => {
    const manifest = expand(`version: 1
permissionSets:
  reader:
    read: [b, a]
  writer:
    include: [reader]
    write: [a]
  admin:
    include: [writer]
    write: ["*"]
tokens:
  - name: t
    sets: [admin, reader]
    read: [a, c]
`);
    expect(manifest.tokens[0]!.permissions).toEqual([
      { action: 'read', resource: 'a' },
      { action: 'read', resource: 'b' },
      { action: 'read', resource: 'c' },
      { action: 'write', resource: '*' },
    ]);
  });

  it('applies defaults where a token does not set the field', () => {
    const manifest = expand(`version: 1
defaults:
  expiresIn: 90d
  descriptionPrefix: "[platform] "
  rotateAfter: 60d
  overlap: 7d
tokens:
  - name: plain
    read: [m]
  - name: own
    description: Own text
    read: [m]
    expiresAt: "2027-01-01T01:00:00+01:00"
    rotateAfter: 30d
    overlap: 0s
    protect: true
  - name: forever
    read: [m]
    expiresIn: never
`);
    const [plain, own, forever] = manifest.tokens;
    expect(plain).toMatchObject({
      description: '[platform] plain',
      expiry: { kind: 'in', duration: { text: '90d', ms: 90 * 86_400_000 } },
      rotateAfter: { text: '60d', ms: 60 * 86_400_000 },
      overlap: { text: '7d', ms: 7 * 86_400_000 },
      protect: false,
      previousNames: [],
      team: null,
    });
    expect(own).toMatchObject({
      description: '[platform] Own text',
      // Normalised to UTC.
      expiry: { kind: 'at', at: '2027-01-01T00:00:00Z' },
      rotateAfter: { text: '30d', ms: 30 * 86_400_000 },
      overlap: null,
      protect: true,
    });
    expect(forever!.expiry).toBeNull();
  });

  it('describes the outputs, teams, cluster and the exact bytes it read', () => {
    const text = `version: 1
cluster:
  accountId: 11111111-1111-4111-8111-111111111111
  clusterId: 33333333-3333-4333-8333-333333333333
outputs:
  teamSecretsFile: "secrets/{team}.sealed"
teams:
  - name: payments
    databases: [p]
    recipients: [${R1}]
templates:
  - name: "{team}-reader"
    read: ["{database}"]
`;
    const manifest = expand(text);
    expect(manifest.file).toBe('tokens.yaml');
    expect(manifest.cluster).toEqual({
      accountId: '11111111-1111-4111-8111-111111111111',
      clusterId: '33333333-3333-4333-8333-333333333333',
    });
    expect(manifest.teams).toEqual(['payments']);
    expect(manifest.outputs).toEqual({
      secretsFile: 'secrets/tokens.sealed',
      recipients: [],
      teamSecretsFile: 'secrets/{team}.sealed',
      teamRecipients: { payments: [R1] },
      deliver: [],
    });
    expect(manifest.fingerprint).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('is deterministic', () => {
    expect(expand(templated)).toEqual(expand(templated));
  });

  it('returns warnings with a valid manifest', () => {
    const result = validateManifestText('version: 1\ntokens:\n  - name: idle\n', 'tokens.yaml', {
      now: NOW,
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map(formatIssue)).toEqual([
      'tokens.yaml:3:5: warning: token "idle" grants no permissions; add read:, write: or sets:; such a token can do nothing',
    ]);
  });

  it('accepts an empty manifest with only a version', () => {
    const manifest = expand('version: 1\n');
    expect(manifest.tokens).toEqual([]);
    expect(manifest.teams).toEqual([]);
  });
});
