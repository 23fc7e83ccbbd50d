import { Listr } from 'listr2';
import type { ApplyEvent, ApplySummary } from '../../apply/types.js';
import { ProgressState, type TeamProgress } from './progress-state.js';

/** Teams shown at once in the live view; the rest are summed up in one line. */
const VISIBLE_TEAMS = 8;

/**
 * The terminal view: one listr2 task whose output is a short, fixed-height board of the
 * teams in flight — readable at a thousand tokens, unlike a thousand task lines.
 */
export function startLiveProgress(
  changes: { name: string; team: string | null }[],
  run: (onEvent: (event: ApplyEvent) => void) => Promise<ApplySummary>,
  stream: NodeJS.WriteStream,
): Promise<ApplySummary> {
  const state = new ProgressState(changes);
  let summary: ApplySummary | undefined;
  const listr = new Listr(
    [
      {
        title: title(state),
        task: async (_ctx, task) => {
          summary = await run((event) => {
            state.apply(event);
            task.title = title(state);
            task.output = board(state);
          });
          task.title = title(state);
          if (summary.counts.failed > 0 || summary.interrupted) {
            throw new Error(
              `${summary.counts.failed} failed${summary.interrupted ? ', interrupted' : ''}`,
            );
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
      forceTTY: stream.isTTY,
    },
  );
  return listr.run().then(() => {
    if (summary === undefined) throw new Error('apply finished without a summary');
    return summary;
  });
}

function title(state: ProgressState): string {
  const parts = [`Applying ${state.total} changes`, `${state.finished}/${state.total}`];
  if (state.failed > 0) parts.push(`${state.failed} failed`);
  if (state.retries > 0) parts.push(`${state.retries} retries`);
  if (state.reconciliations > 0) parts.push(`${state.reconciliations} reconciled`);
  return parts.join(' · ');
}

function board(state: ProgressState): string {
  const active = [...state.teams.values()].filter((team) => team.inFlight.size > 0);
  const lines = active.slice(0, VISIBLE_TEAMS).map(teamLine);
  if (active.length > VISIBLE_TEAMS)
    lines.push(`… and ${active.length - VISIBLE_TEAMS} more teams in flight`);
  const complete = [...state.teams.values()].filter((t) => t.done + t.failed === t.total).length;
  lines.push(`${complete}/${state.teams.size} groups complete`);
  return lines.join('\n');
}

function teamLine(team: TeamProgress): string {
  const label = team.team ?? '(no team)';
  const names = [...team.inFlight];
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3}` : '');
  const failed = team.failed > 0 ? ` ${team.failed} failed` : '';
  return `${label.padEnd(20)} ${team.done + team.failed}/${team.total}${failed}  ${shown}`;
}
