import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { repoRoot } from '../helpers/cli.js';

const BIN = join(repoRoot, 'bin', 'provision.js');

/** Starts `provision emulator --json` and resolves with its start line. */
async function startProcess(state: string) {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--json', '--state', state],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', () => {
      reject(new Error(`emulator exited early: ${out}`));
    });
  });
  const info = JSON.parse(line) as {
    url: string;
    accountId: string;
    clusterId: string;
    managementToken: string;
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  return { child, info, exited };
}

it('keeps a whole state file, with every acknowledged create, when the emulator is killed mid-write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-state-kill-'));
  const state = join(dir, 'state.json');
  const acknowledged = new Set<string>();

  for (let round = 0; round < 5; round += 1) {
    const emulator = await startProcess(state);
    const client = createManagementClient({ ...emulator.info, retry: { limit: 0 } });
    // Every token from earlier rounds came back from the file.
    const listed = new Set((await client.listTokens()).map((t) => t.id));
    for (const id of acknowledged) expect(listed.has(id), `round ${round}: ${id}`).toBe(true);

    let stop = false;
    // The kill lands once this round has had enough creates acknowledged (an event, not a
    // fixed time a loaded machine may spend starting up), with 8 more in flight.
    const target = 12 + round * 3;
    let count = 0;
    let reached = (): void => undefined;
    const enough = new Promise<void>((resolve) => (reached = resolve));
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          const token = await client.createToken({
            description: `round ${round}`,
            permissions: [],
          });
          acknowledged.add(token.id);
          if ((count += 1) >= target) reached();
        } catch {
          return; // the kill landed mid-request: that create was never acknowledged
        }
      }
    });
    await enough;
    emulator.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await emulator.exited;

    // Never truncated or half-written: the file always parses.
    expect(() => JSON.parse(readFileSync(state, 'utf8')) as unknown).not.toThrow();
  }
  const last = await startProcess(state);
  const listed = new Set((await createManagementClient(last.info).listTokens()).map((t) => t.id));
  expect([...acknowledged].filter((id) => !listed.has(id))).toEqual([]);
  expect(acknowledged.size).toBeGreaterThan(50);
}, 60_000);
