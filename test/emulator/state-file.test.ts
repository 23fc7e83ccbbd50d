import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { UsageError } from '../../src/errors.js';
import { clientFor } from '../helpers/emulator.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'provision-emulator-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('emulator --state', () => {
  it('records its product: a Clustered state comes back Clustered, and refuses --product dedicated', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startEmulator({ port: 0, statePath, product: 'clustered' });
    await clientFor(first).createToken({ description: 'kept' });
    await first.close();
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({ product: 'clustered' });

    const error = await startEmulator({ port: 0, statePath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `--state: ${statePath} holds a Clustered cluster, not a Cloud Dedicated one`,
    );
    const second = await startEmulator({ port: 0, statePath, product: 'clustered' });
    onTestFinished(() => second.close());
    expect((await clientFor(second).listTokens()).map((t) => t.description)).toEqual(['kept']);
  });

  it('survives a restart: ids, databases and tokens (by hash only) come back', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startEmulator({ port: 0, statePath, databases: ['db'] });
    const client = clientFor(first);
    const kept = await client.createToken({
      description: 'kept',
      permissions: [{ action: 'read', resource: 'db' }],
    });
    const revoked = await client.createToken({ description: 'revoked' });
    await client.revokeToken(revoked.id);
    // Durable as soon as the response arrived: read the file before closing.
    const text = await readFile(statePath, 'utf8');
    expect(text).not.toContain('apiv1_');
    expect(text).toContain(kept.id);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    await first.close();

    const second = await startEmulator({ port: 0, statePath });
    onTestFinished(() => second.close());
    expect([second.accountId, second.clusterId]).toEqual([first.accountId, first.clusterId]);
    const tokens = await clientFor(second).listTokens();
    expect(tokens.map((t) => [t.description, t.revokedAt === undefined])).toEqual([
      ['kept', true],
      ['revoked', false],
    ]);
    const query = await fetch(`${second.clusterUrl}/query?db=db&q=SELECT%201`, {
      headers: { authorization: `Bearer ${kept.accessToken}` },
    });
    expect(query.status).toBe(200);
    expect((await readdir(dir)).sort()).toEqual(['state.json']);
  });

  it('coalesces concurrent writes and still makes every answered create durable', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const emulator = await startEmulator({ port: 0, statePath });
    onTestFinished(() => emulator.close());
    const client = clientFor(emulator);
    const created = await Promise.all(
      Array.from({ length: 25 }, (_, i) => client.createToken({ description: `t${i}` })),
    );
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { tokens: { id: string }[] };
    expect(saved.tokens.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());
  });

  it('refuses a state file of another account, and files that are not state', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const emulator = await startEmulator({ port: 0, statePath });
    await emulator.close();
    await expect(
      startEmulator({ port: 0, statePath, accountId: '11111111-1111-4111-8111-111111111111' }),
    ).rejects.toThrow(
      /--account-id 11111111-1111-4111-8111-111111111111 differs from the state file's account/,
    );
    await writeFile(join(dir, 'bad.json'), '{"version": 2}');
    await expect(startEmulator({ port: 0, statePath: join(dir, 'bad.json') })).rejects.toThrow(
      UsageError,
    );
    await writeFile(join(dir, 'text.json'), 'hello');
    await expect(startEmulator({ port: 0, statePath: join(dir, 'text.json') })).rejects.toThrow(
      /is not JSON/,
    );
  });

  it('answers 500 when the state file cannot be written, and keeps serving', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const emulator = await startEmulator({ port: 0, statePath });
    // Removing the directory makes the next write fail, even for root.
    await rm(dir, { recursive: true, force: true });
    const client = clientFor(emulator, { retry: { limit: 0 } });
    await expect(client.createToken({ description: 'x' })).rejects.toMatchObject({
      name: 'OutcomeUnknownError',
      status: 500,
    });
    await expect(client.listTokens()).resolves.toHaveLength(1);
    await expect(emulator.close()).rejects.toThrow(/ENOENT/);
  });
});
