import pLimit from 'p-limit';
import { openDeliveryLog, type DeliveryLog } from '../secrets/index.js';
import { runDelivery } from './run-delivery.js';
import type { DeliveryContext, DeliveryJob, DeliveryOutcome } from './types.js';

/**
 * Runs every job, each target under its own concurrency limit (a slow store never holds up
 * another), and records each outcome in the secrets file that holds the string, durably,
 * before it is reported: the record is what makes `secrets deliver` idempotent. The records
 * were sealed before this is called; nothing here can lose one. `programs` maps each target
 * to the program resolved at plan time.
 */
export async function runDeliveries(
  jobs: readonly DeliveryJob[],
  programs: ReadonlyMap<string, string>,
  context: DeliveryContext & { labelOf?: (path: string) => string },
  onOutcome: (outcome: DeliveryOutcome) => void = () => undefined,
): Promise<DeliveryOutcome[]> {
  const limits = new Map<string, ReturnType<typeof pLimit>>();
  const logs = new Map<string, Promise<DeliveryLog>>();
  const logFor = (path: string) => {
    let log = logs.get(path);
    if (log === undefined) {
      log = openDeliveryLog(path, context.labelOf?.(path) ?? path);
      log.catch(() => undefined); // reported on each record below
      logs.set(path, log);
    }
    return log;
  };
  try {
    return await Promise.all(
      jobs.map((job) => {
        let limit = limits.get(job.target.name);
        if (limit === undefined) {
          limit = pLimit(job.target.concurrency);
          limits.set(job.target.name, limit);
        }
        return limit(async (): Promise<DeliveryOutcome> => {
          const program = programs.get(job.target.name);
          const ran =
            program === undefined
              ? { ...describeJob(job), ok: false, status: 'not started: no program', stderr: [] }
              : await runDelivery(job, program, context);
          let recordError: string | null = null;
          try {
            await (
              await logFor(job.secretsFile)
            ).record({
              tokenId: job.record.tokenId,
              target: job.target.name,
              outcome: ran.ok ? 'ok' : 'failed',
              status: ran.status.slice(0, 200),
            });
          } catch (error) {
            recordError = error instanceof Error ? error.message : String(error);
          }
          const outcome = { ...ran, recordError };
          onOutcome(outcome);
          return outcome;
        });
      }),
    );
  } finally {
    const opened = await Promise.allSettled(logs.values());
    await Promise.all(
      opened.flatMap((log) => (log.status === 'fulfilled' ? [log.value.close()] : [])),
    );
  }
}

function describeJob(job: DeliveryJob) {
  const { name, team, tokenId } = job.record;
  return { target: job.target.name, name, team, tokenId };
}
