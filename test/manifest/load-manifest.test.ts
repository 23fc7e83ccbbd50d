import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { loadManifest, validateManifestText } from '../../src/manifest/load-manifest.js';
import type { ManifestResult } from '../../src/manifest/types.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'provision-manifest-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lines(result: ManifestResult): string[] {
  return (result.ok ? result.warnings : result.issues).map(formatIssue);
}

describe('loadManifest', () => {
  it('reads a file relative to cwd and fingerprints its exact bytes', async () => {
    const bytes = Buffer.from('\ufeffversion: 1\ntokens:\n  - name: a\n    read: [m]\n');
    writeFileSync(join(dir, 'bom.yaml'), bytes);
    const result = await loadManifest('bom.yaml', { now: NOW, cwd: dir });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest!.file).toBe('bom.yaml');
    expect(result.manifest!.fingerprint).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.manifest!.tokens[0]!.source).toEqual({ file: 'bom.yaml', line: 3, column: 5 });
  });

  it.each<[string, () => string, string]>([
    [
      'a missing file',
      () => 'missing.yaml',
      'missing.yaml: no such file; pass the manifest with -f FILE',
    ],
    [
      'a directory',
      () => {
        mkdirSync(join(dir, 'folder.yaml'), { recursive: true });
        return 'folder.yaml';
      },
      'folder.yaml: is a folder, not a file; pass the manifest file with -f',
    ],
    [
      'a file over the size limit',
      () => {
        writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(Math.round(9.1 * 1024 * 1024), 0x20));
        return 'huge.yaml';
      },
      'huge.yaml: file is 9.1 MiB; the limit is 5 MiB; split the manifest, or onboard teams with templates instead of listing every token',
    ],
    [
      'bytes that are not UTF-8',
      () => {
        writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x76, 0x3a, 0x20, 0xe9, 0x0a]));
        return 'latin1.yaml';
      },
      'latin1.yaml: is not UTF-8 text; save the manifest as UTF-8',
    ],
  ])('reports %s as one issue without a position', async (_what, prepare, expected) => {
    const result = await loadManifest(prepare(), { now: NOW, cwd: dir });
    expect(lines(result)).toEqual([expected]);
  });
});

describe('validateManifestText', () => {
  it('refuses text over the size limit before parsing it', () => {
    const text = `version: 1\n#${'x'.repeat(5 * 1024 * 1024)}\n`;
    expect(lines(validateManifestText(text, 'big.yaml', { now: NOW }))).toEqual([
      'big.yaml: file is 5 MiB; the limit is 5 MiB; split the manifest, or onboard teams with templates instead of listing every token',
    ]);
  });

  // Secrets are built here rather than committed: no token string or identity in the repo.
  const tokenString = ['apiv1', 'x'.repeat(70)].join('_');
  const identity = ['AGE', 'SECRET', 'KEY', `1${'Q'.repeat(58)}`].join('-');

  it.each([
    [
      'a token string',
      `version: 1\ntokens:\n  - name: grafana\n    description: ${tokenString}\n`,
      'tokens.yaml:4:18: this looks like a database token string; the manifest never holds secrets; delete it (and revoke the token if this file was shared): apply seals new token strings into the secrets file',
    ],
    [
      'an age identity',
      `version: 1\noutputs:\n  recipients: [${identity}]\n`,
      'tokens.yaml:3:16: this looks like an age identity (a private key); the manifest never holds secrets; put its public recipient here instead: age-keygen -y IDENTITY_FILE prints it',
    ],
  ])('refuses %s and never repeats it', (_what, text, expected) => {
    const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
    expect(lines(result)).toEqual([expected]);
    const printed = JSON.stringify(result);
    expect(printed).not.toContain(tokenString);
    expect(printed).not.toContain(identity);
  });

  it('refuses a manifest whose templates multiply beyond any real one', () => {
    const teams = Array.from(
      { length: 400 },
      (_, i) =>
        `  - name: t${i}\n    databases: [${Array.from({ length: 30 }, (_, j) => `d${i}_${j}`).join(', ')}]`,
    ).join('\n');
    const templates = Array.from(
      { length: 10 },
      (_, k) => `  - name: "{team}-{database}-${k}"\n    per: database\n    read: ["{database}"]`,
    ).join('\n');
    const result = validateManifestText(
      `version: 1\nteams:\n${teams}\ntemplates:\n${templates}\n`,
      'tokens.yaml',
      { now: NOW },
    );
    expect(lines(result)).toEqual([
      'tokens.yaml: the manifest expands to more than 100000 tokens or 2000000 permissions; split it into several manifests, or grant "*" instead of listing every database',
    ]);
  });

  it('survives an include chain thousands of sets long', () => {
    const sets = Array.from({ length: 20_000 }, (_, i) => `  s${i}: {include: [s${i + 1}]}`).join(
      '\n',
    );
    const text = `version: 1\npermissionSets:\n${sets}\n  s20000: {read: [m]}\ntokens:\n  - name: t\n    sets: [s0]\n`;
    const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
    expect(result.ok && result.manifest!.tokens[0]!.permissions).toEqual([
      { action: 'read', resource: 'm' },
    ]);
  });

  it('reports every kind of problem at once, sorted by position', () => {
    const result = validateManifestText(
      `version: 1
policy:
  forbidWildcardWrite: true
tokens:
  - name: a
    sets: [nope]
  - name: a
    write: ["*"]
`,
      'tokens.yaml',
      { now: NOW },
    );
    expect(lines(result)).toEqual([
      'tokens.yaml:6:12: permission set "nope" is not defined; declare it under permissionSets:',
      'tokens.yaml:7:11: token name "a" is already used by the token at line 5; token names are identities; rename one of them',
      'tokens.yaml:8:13: token "a" writes to every database ("*"), which policy.forbidWildcardWrite forbids; name the databases instead, or set policy.forbidWildcardWrite: false',
    ]);
  });
});
