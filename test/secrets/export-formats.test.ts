import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exportSecrets, type SecretRecord } from '../../src/secrets/index.js';
import { sampleRecord } from './helpers.js';

function record(name: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return { ...sampleRecord(name), sealedAt: '2025-01-02T03:04:06Z', ...overrides };
}

describe('export --format dotenv', () => {
  it.each([
    ['apiv1_plain', "'apiv1_plain'"],
    ['$HOME `id` "q" \\', `'$HOME \`id\` "q" \\'`],
    ["it's", `"it's"`],
    ['two\nlines"\\', '"two\\nlines\\"\\\\"'],
  ])('%j is written as %s', async (accessToken, quoted) => {
    expect(await exportSecrets([record('my.token', { accessToken })], 'dotenv')).toBe(
      `PROVISION_TOKEN_MY_TOKEN=${quoted}\n`,
    );
  });

  it('keeps the newest record of a rotated name', async () => {
    const text = await exportSecrets(
      [
        record('a', { accessToken: 'old', createdAt: '2025-01-01T00:00:00Z' }),
        record('a', { accessToken: 'new', createdAt: '2025-02-01T00:00:00Z' }),
      ],
      'dotenv',
    );
    expect(text).toBe("PROVISION_TOKEN_A='new'\n");
  });
});

describe('export --format k8s-secret', () => {
  it('is one v1 Secret per team, with every string base64 in data', async () => {
    const records = [
      record('grafana', { accessToken: 'apiv1_g' }),
      record('pay-reader', { team: 'pay_ments', accessToken: 'apiv1_p: "x"' }),
      record('pay-writer', { team: 'pay_ments', accessToken: 'apiv1_w' }),
    ];
    const docs = parseAllDocuments(await exportSecrets(records, 'k8s-secret')).map(
      (d) => d.toJS() as unknown,
    ) as {
      apiVersion: string;
      kind: string;
      type: string;
      metadata: { name: string };
      data: Record<string, string>;
    }[];
    expect(docs.map((d) => [d.apiVersion, d.kind, d.type, d.metadata.name])).toEqual([
      ['v1', 'Secret', 'Opaque', 'influxdb-tokens'],
      ['v1', 'Secret', 'Opaque', 'influxdb-tokens-pay-ments'],
    ]);
    const decoded = docs.map((d) =>
      Object.fromEntries(
        Object.entries(d.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
      ),
    );
    expect(decoded).toEqual([
      { grafana: 'apiv1_g' },
      { 'pay-reader': 'apiv1_p: "x"', 'pay-writer': 'apiv1_w' },
    ]);
  });
});
