import type { ProgressState } from './progress-state.js';

/** `8s`, `1m 05s`, `1h 02m`: short enough for a status line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** `41.2/s · 10s elapsed · ETA 14s`; the ETA is left out until a rate is known. */
export function formatPace(state: ProgressState, now = Date.now()): string {
  const { elapsedMs, perSecond, etaMs } = state.pace(now);
  const parts = [`${perSecond.toFixed(1)}/s`, `${formatDuration(elapsedMs)} elapsed`];
  if (etaMs !== null && state.finished < state.total) parts.push(`ETA ${formatDuration(etaMs)}`);
  return parts.join(' · ');
}

/** `412/1000 done · 3 failed · 85 skipped`, counting exactly what the summary counts. */
export function formatCounts(state: ProgressState): string {
  const parts = [`${state.finished}/${state.total}`];
  if (state.failed > 0) parts.push(`${state.failed} failed`);
  if (state.skipped > 0) parts.push(`${state.skipped} skipped`);
  if (state.retries > 0) parts.push(`${state.retries} retries`);
  if (state.reconciliations > 0) parts.push(`${state.reconciliations} reconciled`);
  return parts.join(' · ');
}

/** The line printed the moment Ctrl-C arrives. */
export function interruptLine(state: ProgressState): string {
  return `Interrupted: finishing ${state.inFlight} in flight; no new changes start.`;
}
