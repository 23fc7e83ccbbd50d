import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSecretsWriter, readSecrets, readSecretsIndex } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

const built = resolve(import.meta.dirname, '../../dist/secrets/index.js');

// A separate process that seals `count` tokens (0: until killed) and prints each token id
// only after seal() resolved, i.e. after the record is fsync'd. With `selfKill` it SIGKILLs
// itself synchronously right after printing that many ids: no pending work can finish, so a
// seal() that resolved before its write was done would lose the record.
const CHILD = `
const { openSecretsWriter } = await import(process.env.SECRETS_MODULE);
const [path, recipient, prefix, count, selfKill] = process.argv.slice(1);
const writer = await openSecretsWriter(path, { recipients: [recipient] });
process.stdout.write('open\\n');
for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
  const name = prefix + '-' + i;
  const intent = await writer.beginCreate(name, null);
  await writer.seal(intent, {
    name, team: null, tokenId: name, description: 'd', permissions: [],
    createdAt: new Date().toISOString(), accessToken: 'apiv1_' + name,
  });
  process.stdout.write('sealed ' + name + '\\n');
  if (i + 1 === Number(selfKill)) process.kill(process.pid, 'SIGKILL');
}
await writer.close();
`;

interface Child {
  /** Token ids the child reported as sealed. */
  sealed: string[];
  exit: Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

function startChild(args: string[], killAfter?: number): Child {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ...args], {
    env: { ...process.env, SECRETS_MODULE: pathToFileURL(built).href },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sealed: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('sealed ')) sealed.push(line.slice(7));
    if (killAfter !== undefined && sealed.length >= killAfter) child.kill('SIGKILL');
  });
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((done) =>
    child.on('close', (code, signal) => {
      done({ code, signal, stderr });
    }),
  );
  return { sealed, exit };
}

describe('secrets file across processes', () => {
  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  });

  it('two processes creating and appending to one file at once lose nothing', async () => {
    const keys = await makeKeyPair();
    const folder = await makeTempDir();
    const path = join(folder, 'shared', 'main.sealed');
    const children = ['left', 'right'].map((prefix) =>
      startChild([path, keys.recipient, prefix, '40', '0']),
    );
    for (const child of children) expect((await child.exit).code).toBe(0);

    const records = await readSecrets(path, { identities: [keys.identity] });
    const expected = children.flatMap((child) => child.sealed);
    expect(expected).toHaveLength(80);
    expect(records.map((r) => r.tokenId).sort()).toEqual([...expected].sort());
    const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
    expect(lines.filter((line) => line.startsWith('{"format"'))).toHaveLength(1);
    expect(lines.every((line) => typeof JSON.parse(line) === 'object')).toBe(true);
    expect(await readdir(join(folder, 'shared'))).toEqual(['main.sealed']);
  });

  it('SIGKILL at any point never loses a record whose seal() resolved', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'main.sealed');
    const promised: string[] = [];
    // Kill points: right after the file opens, after various numbers of seals (killed by
    // this process, at whatever step the child has reached), and by the child itself.
    const rounds: [number | undefined, string][] = [
      [0, '0'],
      [1, '0'],
      [2, '0'],
      [5, '0'],
      [9, '0'],
      [14, '0'],
      [20, '0'],
      [undefined, '1'],
      [undefined, '4'],
      [undefined, '11'],
    ];
    for (const [round, [killAfter, selfKill]] of rounds.entries()) {
      const child = startChild([path, keys.recipient, `round${round}`, '0', selfKill], killAfter);
      const { signal, stderr } = await child.exit;
      expect(stderr).toBe('');
      expect(signal).toBe('SIGKILL');
      promised.push(...child.sealed);
      const readable = new Set(
        (await readSecrets(path, { identities: [keys.identity] })).map((r) => r.tokenId),
      );
      expect(promised.filter((id) => !readable.has(id))).toEqual([]);
    }
    expect(promised.length).toBeGreaterThanOrEqual(67);

    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    await writer.seal(await writer.beginCreate('after', null), sampleRecord('after'));
    await writer.close();
    const index = await readSecretsIndex(path);
    expect(index.sealedTokenIds.has('id-after')).toBe(true);
    expect(promised.every((id) => index.sealedTokenIds.has(id))).toBe(true);
  });
});
