import { describe, expect, it } from 'vitest';
import { compareStateToSearch, parseCompareState, serverX } from './compareState';

describe('compare URL state', () => {
  it('round-trips every option', () => {
    const state = { runs: [4, 5, 6], metric: 'train/loss', x: 'time', smooth: 0.6, log: true, by: ['lr', 'optimizer'], raw: true,
      baseline: 'optimizer=adamw', scalar: 'min' };
    expect(parseCompareState(compareStateToSearch(state))).toEqual(state);
  });

  it('defaults and clamps', () => {
    const s = parseCompareState('?runs=1,2&smooth=7');
    expect(s).toMatchObject({ runs: [1, 2], metric: '', x: 'step', smooth: 0.99, log: false, by: [], raw: false, scalar: 'final' });
    expect(compareStateToSearch(parseCompareState('?runs=1'))).toBe('?runs=1');
  });

  it('names the server\'s time axis', () => {
    expect(serverX('time')).toBe('time_ms');
    expect(serverX('step')).toBe('step');
    expect(serverX('tokens')).toBe('tokens');
  });
});
