import type { FileHandle } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SecretsError } from '../../src/errors.js';
import { groupCommit } from '../../src/secrets/group-commit.js';

/** A stand-in for a file handle that records writes and syncs, and can be made to fail. */
function fakeHandle(options: { failSyncAt?: number } = {}) {
  const calls: string[] = [];
  let syncs = 0;
  const handle = {
    write: async (bytes: Buffer) => {
      calls.push(`write ${bytes.toString()}`);
      await Promise.resolve();
      return { bytesWritten: bytes.length };
    },
    sync: async () => {
      syncs += 1;
      calls.push('sync');
      await Promise.resolve();
      if (syncs === options.failSyncAt)
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    },
  };
  return { handle: handle as unknown as FileHandle, calls };
}

describe('groupCommit', () => {
  it('writes lines pending at the same time in one write and one fsync, in order', async () => {
    const { handle, calls } = fakeHandle();
    const lines = groupCommit(handle, 'f');
    await Promise.all(['a', 'b', 'c', 'd'].map((line) => lines.append(line)));
    expect(calls).toEqual(['write a\n', 'sync', 'write b\nc\nd\n', 'sync']);
    await lines.append('e');
    expect(calls.slice(4)).toEqual(['write e\n', 'sync']);
  });

  it('resolves no line before the fsync that covers it', async () => {
    const { handle, calls } = fakeHandle();
    const lines = groupCommit(handle, 'f');
    const syncs = () => calls.filter((call) => call === 'sync').length;
    const seen = await Promise.all(
      ['a', 'b'].map(async (line) => {
        await lines.append(line);
        return `${line} after ${syncs()} fsync(s)`;
      }),
    );
    expect(seen).toEqual(['a after 1 fsync(s)', 'b after 2 fsync(s)']);
  });

  it('after a failed fsync, fails that batch and every later line, without hanging', async () => {
    const { handle } = fakeHandle({ failSyncAt: 2 });
    const lines = groupCommit(handle, 'secrets/x.sealed');
    const results = await Promise.allSettled(['a', 'b', 'c'].map((line) => lines.append(line)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const later = await lines.append('d').catch((error: unknown) => error);
    expect(later).toBeInstanceOf(SecretsError);
    expect((later as Error).message).toBe('cannot write secrets/x.sealed: EIO: i/o error');
    await lines.drain();
  });
});
