import { describe, expect, it } from 'vitest';
import type { ChangeResult } from '../../../src/apply/types.js';
import { formatCounts, formatPace, interruptLine } from '../../../src/cli/ui/format-pace.js';
import { ProgressState } from '../../../src/cli/ui/progress-state.js';

const result = (name: string, status: ChangeResult['status']): ChangeResult => ({
  name,
  team: 'a',
  action: 'create',
  status,
});

describe('ProgressState', () => {
  it('counts skipped changes apart from failures, so the live line agrees with the summary', () => {
    const state = new ProgressState(
      ['x', 'y', 'z', 'w'].map((name) => ({ name, team: 'a' })),
      0,
    );
    state.apply({ type: 'step', name: 'x', team: 'a', step: 'creating' });
    state.apply({ type: 'step', name: 'y', team: 'a', step: 'reconciling' });
    expect(state.inFlight).toBe(2);
    expect(state.waitingOnReconciliation()).toEqual(['y']);
    state.interrupted = true;
    expect(interruptLine(state)).toBe('Interrupted: finishing 2 in flight; no new changes start.');
    state.apply({ type: 'result', result: result('x', 'done') });
    state.apply({ type: 'result', result: result('y', 'done') });
    state.apply({ type: 'result', result: result('z', 'skipped') });
    state.apply({ type: 'result', result: result('w', 'skipped') });
    expect(formatCounts(state)).toBe('4/4 · 2 skipped');
    expect(state.failed).toBe(0);
  });

  it('shows the rate, elapsed time and time left', () => {
    const state = new ProgressState(
      Array.from({ length: 100 }, (_, i) => ({ name: `t${i}`, team: null })),
      0,
    );
    for (let i = 0; i < 25; i += 1) {
      state.apply({ type: 'result', result: { ...result(`t${i}`, 'done'), team: null } });
    }
    expect(formatPace(state, 5_000)).toBe('5.0/s · 5s elapsed · ETA 15s');
    expect(formatPace(state, 125_000)).toBe('0.2/s · 2m 05s elapsed · ETA 6m 15s');
  });
});
