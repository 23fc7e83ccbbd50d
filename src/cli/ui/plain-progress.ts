import type { ApplyEvent } from '../../apply/index.js';
import { writeLine } from '../io.js';

const DONE_VERB = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  revoke: 'revoked',
  'no-op': 'unchanged',
} as const;

/** CI and `NO_COLOR`: one plain line per event, no escape codes. */
export function plainProgress(stream: NodeJS.WritableStream): (event: ApplyEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'start':
        writeLine(
          stream,
          `Applying ${event.databases > 0 ? `${event.databases} database changes, then ` : ''}${event.total} changes${event.cluster === undefined ? '' : ` on cluster ${event.cluster}`}, ${event.concurrency} API calls at a time.`,
        );
        break;
      case 'database': {
        const { result } = event;
        const who = ofTeam(`database ${JSON.stringify(result.name)}`, result.team, result.name);
        if (result.status === 'done') writeLine(stream, `${DONE_VERB[result.action]} ${who}`);
        else if (result.status === 'failed')
          writeLine(stream, `failed ${result.action} ${who}: ${result.error ?? 'unknown error'}`);
        break;
      }
      case 'retry':
        writeLine(
          stream,
          `retry: ${event.status ?? 'network error'} from ${event.operation}, attempt ${event.attempt + 1} in ${Math.round(event.delayMs)} ms`,
        );
        break;
      case 'reconcile':
        writeLine(
          stream,
          `reconcile: revoking a token for ${event.name} whose create response was lost`,
        );
        break;
      case 'result': {
        const { result } = event;
        const who = ofTeam(result.name, result.team);
        // Never-started changes are counted in the summary; a line each would bury the rest.
        if (result.status === 'skipped') break;
        if (result.status === 'done') {
          const id = result.tokenId === undefined ? '' : ` [${result.tokenId}]`;
          writeLine(stream, `${DONE_VERB[result.action]} ${who}${id}`);
        } else {
          writeLine(stream, `failed ${result.action} ${who}: ${result.error ?? 'unknown error'}`);
        }
        break;
      }
      // A step is too fine for a log line; the summary is the caller's to print.
      case 'step':
      case 'database-step':
      case 'summary':
        break;
    }
  };
}

/** `apply --format json`: one JSON object per event, for CI systems to parse. */
export function jsonProgress(
  stream: NodeJS.WritableStream,
): (event: ApplyEvent, cluster?: string | null) => void {
  return (event, cluster = null) => {
    const { type, ...rest } = event.type === 'summary' ? summaryEvent(event) : event;
    // A `clusters:` apply names the cluster in every event; names stay as the cluster has them.
    writeLine(
      stream,
      JSON.stringify(cluster === null ? { type, ...rest } : { type, cluster, ...rest }),
    );
  };
}

function summaryEvent(event: ApplyEvent & { type: 'summary' }) {
  const { results: _results, databases: _databases, ...rest } = event.result;
  return { type: 'summary', ...rest };
}

// A cluster's tokens of no team carry the cluster as their team (`staging/grafana`, team
// `staging`): the name says it already.
function ofTeam(who: string, team: string | null, name = who): string {
  return team === null || (name.startsWith(`${team}/`) && !team.includes('/'))
    ? who
    : `${who} (team ${team})`;
}
