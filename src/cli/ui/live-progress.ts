import type { Listr as ListrType } from 'listr2';
import type { ApplyEvent, ApplySummary } from '../../apply/index.js';
import { count } from '../reporters/plan-words.js';
import { formatCounts, formatDuration, formatPace, interruptLine } from './format-pace.js';
import type { ProgressState, TeamProgress } from './progress-state.js';

/** Teams shown at once in the live view; the rest are summed up in one line. */
const VISIBLE_TEAMS = 8;
/** Names listed as waiting on reconciliation before "+N". */
const VISIBLE_WAITING = 4;
/** How often the board is redrawn without events, so elapsed time and ETA keep moving. */
const REFRESH_MS = 500;
/**
 * Events are folded into the state as they come, but drawn at most once per frame: a fast
 * apply sends thousands of events a second, and building the board for each costs CPU the
 * API calls need.
 */
const FRAME_MS = 50;
/** A token in one step this long shows its age. */
const SLOW_MS = 3_000;

/** The running view; `redraw` shows a change of state (an interrupt) at once. */
export interface LiveProgress {
  done: Promise<ApplySummary>;
  redraw: () => void;
}

/**
 * The terminal view: one listr2 task whose output is a short, fixed-height board — counts,
 * rate, elapsed time and ETA, the teams in flight, and the tokens waiting on reconciliation —
 * readable at a thousand tokens, unlike a thousand task lines. listr2 holds stdout and stderr
 * while it draws, so anything urgent (the interrupt) is drawn into the board, not written.
 */
export function startLiveProgress(
  state: ProgressState,
  run: (onEvent: (event: ApplyEvent) => void) => Promise<ApplySummary>,
  stream: NodeJS.WritableStream & { isTTY?: boolean | undefined },
): LiveProgress {
  let summary: ApplySummary | undefined;
  let redraw = (): void => undefined;
  const build = (Listr: typeof ListrType): ListrType =>
    new Listr(
      [
        {
          title: title(state),
          task: async (_ctx, task) => {
            redraw = () => {
              task.title = title(state);
              task.output = board(state, summary !== undefined);
            };
            const timer = setInterval(redraw, REFRESH_MS);
            let frame: NodeJS.Timeout | undefined;
            try {
              summary = await run((event) => {
                state.apply(event);
                frame ??= setTimeout(() => {
                  frame = undefined;
                  redraw();
                }, FRAME_MS);
              });
            } finally {
              clearInterval(timer);
              clearTimeout(frame);
            }
            task.title = title(state);
            if (summary.counts.failed > 0 || summary.interrupted) {
              const parts = [];
              if (summary.counts.failed > 0) parts.push(`${summary.counts.failed} failed`);
              if (summary.interrupted) parts.push(`interrupted, ${summary.counts.skipped} skipped`);
              throw new Error(parts.join(', '));
            }
          },
          rendererOptions: { outputBar: 1, persistentOutput: false },
        },
      ],
      {
        renderer: 'default',
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { collapseErrors: true, formatOutput: 'truncate' },
        concurrent: false,
        forceTTY: stream.isTTY === true,
      },
    );
  // Loaded only for the terminal view: plain lines and JSON never pay for listr2.
  const done = import('listr2')
    .then(({ Listr }) => build(Listr).run())
    .then(() => {
      if (summary === undefined) throw new Error('apply finished without a summary');
      return summary;
    });
  return {
    done,
    redraw: () => {
      redraw();
    },
  };
}

function title(state: ProgressState): string {
  return `Applying ${state.total} changes · ${formatCounts(state)}`;
}

function board(state: ProgressState, finished: boolean): string {
  const lines: string[] = [];
  if (state.interrupted) lines.push(interruptLine(state));
  lines.push(formatPace(state));
  const { databases } = state;
  if (databases.inFlight.size > 0 || databases.failed > 0) {
    lines.push(
      `databases: ${databases.finished} done${databases.failed > 0 ? ` (${databases.failed} failed)` : ''}, ${databases.inFlight.size} in flight`,
    );
  }
  const active = [...state.teams.values()].filter((team) => team.inFlight.size > 0);
  const now = Date.now();
  for (const team of active.slice(0, VISIBLE_TEAMS)) lines.push(teamLine(team, now));
  if (active.length > VISIBLE_TEAMS) {
    lines.push(`… and ${count(active.length - VISIBLE_TEAMS, 'more team')} in flight`);
  }
  const waiting = state.waitingOnReconciliation();
  if (waiting.length > 0) {
    const shown = waiting.slice(0, VISIBLE_WAITING).join(', ');
    const more = waiting.length > VISIBLE_WAITING ? `, +${waiting.length - VISIBLE_WAITING}` : '';
    lines.push(`waiting on reconciliation (create outcome unknown, made again): ${shown}${more}`);
  }
  if (!finished && state.finished >= state.total && state.total > 0) {
    lines.push('reconciling: listing the tokens again to revoke any lost create');
  }
  if (state.teams.size > 1 || !state.teams.has(null)) {
    const complete = [...state.teams.values()].filter(
      (t) => t.done + t.failed + t.skipped === t.total,
    ).length;
    lines.push(`${complete}/${state.teams.size} teams complete`);
  }
  return lines.join('\n');
}

function teamLine(team: TeamProgress, now: number): string {
  const label = team.team ?? '(no team)';
  // Oldest first, with its age once it is slow: a token that waits is what people look for.
  const names = [...team.inFlight]
    .sort(([, a], [, b]) => a.since - b.since)
    .map(([name, { step, since }]) => {
      const notes = [];
      if (step === 'reconciling') notes.push('reconciling');
      if (now - since >= SLOW_MS) notes.push(formatDuration(now - since));
      return notes.length === 0 ? name : `${name} (${notes.join(', ')})`;
    });
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3}` : '');
  const failed = team.failed > 0 ? ` ${team.failed} failed` : '';
  const ended = team.done + team.failed + team.skipped;
  return `${label.padEnd(20)} ${ended}/${team.total}${failed}  ${shown}`;
}
