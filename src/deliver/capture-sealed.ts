import { resolve } from 'node:path';
import type { ChangeResult, SecretSink } from '../apply/index.js';
import type { DeliveryTarget } from '../model/index.js';
import type { SecretRecord } from '../secrets/index.js';
import { selectDeliveries } from './select-deliveries.js';
import type { DeliveryJob } from './types.js';

type SinkFor = (team: string | null) => { sink: SecretSink; path: string };

/**
 * Wraps the apply's sinks to remember, in memory, each record once `seal` has resolved (so
 * it is on disk first: custody before delivery) and the file it went to, for the deliveries
 * that run after the apply.
 */
export function captureSealed(sinkFor: SinkFor, cwd: string) {
  const sealed = new Map<string, { record: SecretRecord; file: string }>();
  const wrapped: SinkFor = (team) => {
    const { sink, path } = sinkFor(team);
    return {
      path,
      sink: {
        ...sink,
        seal: async (intentId, record) => {
          await sink.seal(intentId, record);
          sealed.set(record.tokenId, { record, file: resolve(cwd, path) });
        },
      },
    };
  };
  return {
    sinkFor: wrapped,
    /**
     * The deliveries an apply owes: the token that carries each name at the end (a done
     * create or replace, per the results) whose string this apply sealed; strays it sealed
     * and then revoked are not delivered.
     */
    jobsFor(results: readonly ChangeResult[], targets: readonly DeliveryTarget[]): DeliveryJob[] {
      const jobs: DeliveryJob[] = [];
      for (const result of results) {
        if (result.status !== 'done' || result.tokenId === undefined) continue;
        const held = sealed.get(result.tokenId);
        if (held === undefined) continue;
        jobs.push(...selectDeliveries([held.record], targets, held.file).jobs);
      }
      return jobs;
    },
  };
}
