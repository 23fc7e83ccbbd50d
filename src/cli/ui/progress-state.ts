import type { ApplyEvent, ApplyStep, ChangeResult } from '../../apply/index.js';

/** Progress of one team (or of the tokens without a team, under `null`). */
export interface TeamProgress {
  team: string | null;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Token name → the step it is on now, and since when (ms). */
  inFlight: Map<string, { step: ApplyStep; since: number }>;
}

/**
 * Folds apply events into per-team counts and the tokens in flight. Pure bookkeeping (the
 * clock comes in), shared by the live view, the plain lines and the interrupt message, so
 * every counter the user sees is computed one way and agrees with the summary.
 */
export class ProgressState {
  readonly teams = new Map<string | null, TeamProgress>();
  total = 0;
  /** Changes that ended, whichever way: done + failed + skipped. */
  finished = 0;
  done = 0;
  failed = 0;
  /** Changes that never started because the apply was interrupted. */
  skipped = 0;
  retries = 0;
  reconciliations = 0;
  /** Database changes (run before the tokens that need them): ended, failed, in flight. */
  readonly databases = { finished: 0, failed: 0, inFlight: new Set<string>() };
  /** Set once Ctrl-C arrived: no new change starts. */
  interrupted = false;
  readonly startedAt: number;

  constructor(changes: readonly { name: string; team: string | null }[], now = Date.now()) {
    this.total = changes.length;
    this.startedAt = now;
    for (const change of changes) this.team(change.team).total += 1;
  }

  apply(event: ApplyEvent, now = Date.now()): void {
    switch (event.type) {
      case 'step':
        this.team(event.team).inFlight.set(event.name, { step: event.step, since: now });
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
      case 'database-step':
        this.databases.inFlight.add(event.name);
        break;
      case 'database':
        this.databases.inFlight.delete(event.result.name);
        this.databases.finished += 1;
        if (event.result.status === 'failed') this.databases.failed += 1;
        break;
      // The constructor counted the changes; the summary adds nothing the results did not.
      case 'start':
      case 'summary':
        break;
    }
  }

  /** Changes started and not yet ended. */
  get inFlight(): number {
    let n = 0;
    for (const team of this.teams.values()) n += team.inFlight.size;
    return n;
  }

  /** Tokens whose create had an unknown outcome and is being made again. */
  waitingOnReconciliation(): string[] {
    const names: string[] = [];
    for (const team of this.teams.values()) {
      for (const [name, { step }] of team.inFlight) if (step === 'reconciling') names.push(name);
    }
    return names;
  }

  /** Changes ended per second, elapsed time, and the time left at that rate (if known). */
  pace(now = Date.now()): { elapsedMs: number; perSecond: number; etaMs: number | null } {
    const elapsedMs = Math.max(0, now - this.startedAt);
    const worked = this.done + this.failed;
    const perSecond = elapsedMs === 0 ? 0 : (worked * 1000) / elapsedMs;
    const left = this.total - this.finished;
    const etaMs = perSecond > 0 && !this.interrupted ? (left / perSecond) * 1000 : null;
    return { elapsedMs, perSecond, etaMs };
  }

  private finish(result: ChangeResult): void {
    const team = this.team(result.team);
    team.inFlight.delete(result.name);
    // The sweep at the end can add results (a duplicate that could not be revoked) that were
    // never counted in the plan: count them as failures without pushing past the total.
    if (team.done + team.failed + team.skipped >= team.total) {
      team.total += 1;
      this.total += 1;
    }
    this.finished += 1;
    if (result.status === 'done') {
      team.done += 1;
      this.done += 1;
    } else if (result.status === 'skipped') {
      team.skipped += 1;
      this.skipped += 1;
    } else {
      team.failed += 1;
      this.failed += 1;
    }
  }

  private team(name: string | null): TeamProgress {
    let team = this.teams.get(name);
    if (team === undefined) {
      team = { team: name, total: 0, done: 0, failed: 0, skipped: 0, inFlight: new Map() };
      this.teams.set(name, team);
    }
    return team;
  }
}
