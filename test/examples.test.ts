import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Encrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import type { Permission } from '../src/model/index.js';
import { formatIssue } from '../src/manifest/format-issue.js';
import { validateManifestText } from '../src/manifest/load-manifest.js';
import { normalisePermissions } from '../src/manifest/normalise-permissions.js';
import type { ExpandedManifest } from '../src/manifest/types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = resolve(repoRoot, 'examples');
const referenceDir = resolve(repoRoot, '../shared/reference');
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

function load(name: string): ExpandedManifest {
  const text = readFileSync(resolve(examplesDir, name), 'utf8');
  // Examples must be valid today, with the real clock, as a user would run them.
  const result = validateManifestText(text, `examples/${name}`, { now: new Date() });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.manifest!;
}

function loadClusters(name: string): ExpandedManifest[] {
  const text = readFileSync(resolve(examplesDir, name), 'utf8');
  const result = validateManifestText(text, `examples/${name}`, { now: new Date() });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  expect(result.manifest).toBeNull();
  return result.clusters;
}

describe('examples/', () => {
  it('holds the four documented examples', () => {
    expect(examples).toEqual([
      'clustered.yaml',
      'clusters.yaml',
      'onboarding.yaml',
      'rotation.yaml',
      'tokens.yaml',
    ]);
  });

  it('clusters.yaml gives each cluster its share, with {cluster} filled in', () => {
    const [staging, production] = loadClusters('clusters.yaml');
    expect(staging?.clusterName).toBe('staging');
    expect(staging?.cluster).toEqual({
      product: 'clustered',
      url: 'https://influxdb.staging.example.com/api/v0',
    });
    expect(staging?.concurrency).toBe(4);
    expect(production?.cluster.product).toBeUndefined();
    expect(production?.concurrency).toBeNull();
    const names = (manifest: ExpandedManifest | undefined) =>
      (manifest?.tokens ?? []).map((token) => token.name).sort();
    expect(names(staging)).toEqual([
      'experiments-writer',
      'grafana',
      'payments-writer',
      'search-writer',
    ]);
    expect(names(production)).toEqual(['auditor', 'grafana', 'payments-writer', 'search-writer']);
    expect(staging?.tokens.find((token) => token.name === 'grafana')?.description).toBe(
      '[provision] Grafana on staging',
    );
    expect((production?.databases ?? []).map((database) => database.name)).toEqual([
      'payments_events',
      'search_events',
      'audit',
    ]);
    expect(staging?.outputs.secretsFile).toBe('secrets/staging/tokens.sealed');
    expect(production?.outputs.secretsFile).toBe('secrets/production/tokens.sealed');
  });

  it('clustered.yaml targets a Clustered cluster by its URL alone, with tokens and databases', () => {
    const manifest = load('clustered.yaml');
    expect(manifest.cluster).toEqual({
      product: 'clustered',
      url: 'https://influxdb.example.com/api/v0',
    });
    expect(manifest.databases.map((d) => d.name)).toEqual(['sensors', 'metrics']);
    expect(manifest.tokens.map((t) => t.name)).toEqual(['telegraf-sensors', 'grafana']);
  });

  it.each(examples)('%s is valid, without warnings, and points editors at the schema', (name) => {
    const text = readFileSync(resolve(examplesDir, name), 'utf8');
    const result = validateManifestText(text, name, { now: new Date() });
    expect(result.ok ? result.warnings.map(formatIssue) : result.issues.map(formatIssue)).toEqual(
      [],
    );
    expect(text.split('\n', 1)[0]).toBe(
      '# yaml-language-server: $schema=../schema/tokens.schema.json',
    );
    expect(existsSync(resolve(examplesDir, '../schema/tokens.schema.json'))).toBe(true);
    // Public recipients only; never an identity or a token string.
    expect(text).not.toMatch(/AGE-SECRET-KEY-|apiv1_/i);
  });

  it('onboarding.yaml onboards 40 teams by templates, each with working age recipients', () => {
    const manifest = load('onboarding.yaml');
    expect(manifest.teams).toHaveLength(40);
    expect(manifest.outputs.teamSecretsFile).toBe('secrets/teams/{team}.sealed');
    const teamTokens = manifest.tokens.filter((token) => token.team !== null);
    expect(new Set(teamTokens.map((token) => token.team)).size).toBe(40);
    const encrypter = new Encrypter();
    for (const team of manifest.teams) {
      const recipients = manifest.outputs.teamRecipients[team] ?? [];
      expect(recipients.length, team).toBeGreaterThan(0);
      // age-encryption itself must accept every recipient, not only our checksum.
      for (const recipient of recipients)
        expect(() => {
          encrypter.addRecipient(recipient);
        }).not.toThrow();
    }
  });

  it('rotation.yaml shows expiry, rotation, overlap, protection and renames', () => {
    const tokens = load('rotation.yaml').tokens;
    expect(tokens.some((t) => t.expiry?.kind === 'at')).toBe(true);
    expect(tokens.some((t) => t.expiry?.kind === 'in')).toBe(true);
    expect(tokens.every((t) => t.rotateAfter !== null)).toBe(true);
    expect(tokens.some((t) => t.overlap === null)).toBe(true);
    expect(tokens.some((t) => t.overlap !== null)).toBe(true);
    expect(tokens.some((t) => t.protect)).toBe(true);
    expect(tokens.some((t) => t.previousNames.length > 0)).toBe(true);
  });

  describe.skipIf(!existsSync(resolve(referenceDir, 'create-database-token.md')))(
    'tokens.yaml against the product page (needs ../shared/reference)',
    () => {
      it('has the five example tokens of "Create a database token", in order', () => {
        const page = readFileSync(resolve(referenceDir, 'create-database-token.md'), 'utf8');
        const section = page.slice(page.indexOf('\n## Examples'));
        const bodies = [...section.matchAll(/--data '(\{[\s\S]*?\})'/g)].map((match) => {
          const json = match[1]!
            .replace(/,(\s*[\]}])/g, '$1') // the page has a trailing comma
            .replaceAll('DATABASE2_NAME', 'metrics')
            .replaceAll('DATABASE_NAME', 'sensors');
          return JSON.parse(json) as { description: string; permissions: Permission[] };
        });
        expect(bodies).toHaveLength(5);
        const tokens = load('tokens.yaml').tokens;
        expect(tokens.map((t) => [t.description, t.permissions])).toEqual(
          bodies.map((body) => [body.description, normalisePermissions(body.permissions)]),
        );
      });
    },
  );
});
