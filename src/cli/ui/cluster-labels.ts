import type { ApplyEvent, ApplySummary, ChangeResult, DatabaseResult } from '../../apply/index.js';
import type { PlannedChange } from '../../plan/index.js';

/**
 * How the terminal tells clusters apart in one live view or log: `staging/grafana`, and
 * team `staging/payments` (`staging` for tokens of no team), so the tallies, the board and
 * the summary table group by cluster and team. JSON events keep names as they are and add
 * `cluster` instead (`withCluster`).
 */
export function labelled(cluster: string | null, name: string): string {
  return cluster === null ? name : `${cluster}/${name}`;
}

export function labelledTeam(cluster: string | null, team: string | null): string | null {
  if (cluster === null) return team;
  return team === null ? cluster : `${cluster}/${team}`;
}

/** A planned change as the display counts it. */
export function labelChange(
  cluster: string | null,
  change: PlannedChange,
): { name: string; team: string | null } {
  return { name: labelled(cluster, change.name), team: labelledTeam(cluster, change.team) };
}

/** An event with its names labelled by cluster (for the text views). */
export function labelEvent(cluster: string | null, event: ApplyEvent): ApplyEvent {
  if (cluster === null) return event;
  switch (event.type) {
    case 'step':
    case 'reconcile':
    case 'database-step':
      return {
        ...event,
        name: labelled(cluster, event.name),
        team: labelledTeam(cluster, event.team),
      };
    case 'result':
      return { ...event, result: labelResult(cluster, event.result) };
    case 'database':
      return { ...event, result: labelResult(cluster, event.result) };
    case 'summary':
      return { ...event, result: labelSummary(cluster, event.result) };
    case 'start':
      return { ...event, cluster };
    case 'retry':
      return event;
  }
}

/** A summary with every result labelled by cluster. */
export function labelSummary(cluster: string | null, summary: ApplySummary): ApplySummary {
  if (cluster === null) return summary;
  return {
    ...summary,
    results: summary.results.map((result) => labelResult(cluster, result)),
    databases: summary.databases.map((result) => labelResult(cluster, result)),
  };
}

function labelResult<T extends ChangeResult | DatabaseResult>(cluster: string, result: T): T {
  return {
    ...result,
    name: labelled(cluster, result.name),
    team: labelledTeam(cluster, result.team),
  };
}
