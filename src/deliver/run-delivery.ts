import { spawn } from 'node:child_process';
import { isUuid } from '../api/index.js';
import { fillCommand, singleDatabase } from '../model/index.js';
import { deliveryEnv } from './delivery-env.js';
import { deliveryPayload } from './delivery-payload.js';
import { StderrTail } from './stderr-tail.js';
import type { DeliveryContext, DeliveryJob, DeliveryOutcome } from './types.js';

// Names and teams as the manifest allows them: what may go into an argument.
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// After the command exits, how long its pipes may stay open (a grandchild holding them).
const DRAIN_AFTER_EXIT_MS = 2_000;

/**
 * Runs one delivery: `program` (resolved at plan time) with the target's arguments filled,
 * no shell, the payload on stdin, in its own process group so a deadline kills the command
 * and whatever it started. Never rejects: every way it can end is an outcome. The record's
 * name, team and id come from a secrets file no one reviews, so they must look like what
 * the manifest and the API give before any of them reaches an argument.
 */
export async function runDelivery(
  job: DeliveryJob,
  program: string,
  context: DeliveryContext,
): Promise<Omit<DeliveryOutcome, 'recordError'>> {
  const { target, record } = job;
  const base = {
    target: target.name,
    name: record.name,
    team: record.team,
    tokenId: record.tokenId,
  };
  const fail = (status: string) => ({ ...base, ok: false, status, stderr: [] });
  if (!NAME.test(record.name) || (record.team !== null && !NAME.test(record.team))) {
    return fail('not started: the record has a name or team provision would not write');
  }
  if (!isUuid(record.tokenId))
    return fail('not started: the record has a token id that is not a UUID');
  let argv: string[];
  try {
    argv = fillCommand(target.command.slice(1), {
      name: record.name,
      team: record.team,
      tokenId: record.tokenId,
      database: singleDatabase(record.permissions),
    });
  } catch (error) {
    return fail(`not started: ${(error as Error).message}`);
  }
  const payload = deliveryPayload(target, record);
  return new Promise((resolve) => {
    const child = spawn(program, argv, {
      cwd: context.cwd,
      env: deliveryEnv(context.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: the deadline kills everything it started
      shell: false,
    });
    const tail = new StderrTail();
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;
    const finish = (status?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(drain);
      const stderr = tail.lines([record.accessToken]);
      if (status !== undefined) {
        resolve({ ...base, ok: false, status, stderr });
        return;
      }
      const ok = !timedOut && exit?.code === 0;
      resolve({ ...base, ok, status: describeExit(exit, timedOut, target.timeoutMs), stderr });
    };
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, target.timeoutMs);
    let drain: NodeJS.Timeout | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(`not started: ${error.code ?? error.message}`);
    });
    child.stdout.resume(); // a command's stdout may echo what it read: never shown, never kept
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk);
    });
    child.stdin.on('error', () => undefined); // a command that exits without reading: EPIPE
    child.stdin.end(payload);
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      killGroup(); // what it left running in its group goes with it
      drain = setTimeout(() => {
        finish();
      }, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', () => {
      finish();
    });
  });
}

function describeExit(
  exit: { code: number | null; signal: NodeJS.Signals | null } | null,
  timedOut: boolean,
  timeoutMs: number,
): string {
  if (timedOut) return `timed out after ${formatMs(timeoutMs)} (killed)`;
  if (exit === null) return 'ended without an exit status';
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit ${exit.code}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
