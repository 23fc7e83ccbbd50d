import type { ApplyEvent, ChangeResult } from '../../apply/types.js';

/** Progress of one team (or of the tokens without a team, under `null`). */
export interface TeamProgress {
  team: string | null;
  total: number;
  done: number;
  failed: number;
  inFlight: Set<string>;
}

/**
 * Folds apply events into per-team counts and the tokens in flight. Pure bookkeeping,
 * shared by the live view and the final summary.
 */
export class ProgressState {
  readonly teams = new Map<string | null, TeamProgress>();
  total = 0;
  finished = 0;
  failed = 0;
  retries = 0;
  reconciliations = 0;

  constructor(changes: { name: string; team: string | null }[]) {
    this.total = changes.length;
    for (const change of changes) this.team(change.team).total += 1;
  }

  apply(event: ApplyEvent): void {
    switch (event.type) {
      case 'step':
        this.team(event.team).inFlight.add(event.name);
        break;
      case 'retry':
        this.retries += 1;
        break;
      case 'reconcile':
        this.reconciliations += event.found;
        break;
      case 'result':
        this.finish(event.result);
        break;
      default:
        break;
    }
  }

  private finish(result: ChangeResult): void {
    const team = this.team(result.team);
    team.inFlight.delete(result.name);
    this.finished += 1;
    if (result.status === 'done') team.done += 1;
    else {
      team.failed += 1;
      this.failed += 1;
    }
  }

  private team(name: string | null): TeamProgress {
    let team = this.teams.get(name);
    if (team === undefined) {
      team = { team: name, total: 0, done: 0, failed: 0, inFlight: new Set() };
      this.teams.set(name, team);
    }
    return team;
  }
}
