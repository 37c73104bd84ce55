import { describe, expect, it } from 'vitest';
import type { Efficiency } from '../api/types';
import {
  compareStateToSearch,
  describeEfficiency,
  formatEfficiency,
  parseCompareState,
  serverX,
  unknownRuns,
  unknownRunsNotice,
  sharedXRange,
  splitParams,
  withoutPruned,
} from './compareState';

describe('small multiples', () => {
  it('share the x range of every line', () => {
    expect(
      sharedXRange([
        [0, 10, 20],
        [5, 40],
        [NaN, -5],
      ]),
    ).toEqual({ min: -5, max: 40 });
    expect(sharedXRange([[3]])).toEqual({ min: 3, max: 4 });
    expect(sharedXRange([[], []])).toBeNull();
  });

  it('split parameters into those that differ and those every run shares', () => {
    expect(
      splitParams(
        [
          { lr: 1, task: 'chars', data_dir: '/d' },
          { lr: 2, task: 'chars', data_dir: '/d' },
        ],
        ['lr'],
      ),
    ).toEqual({ varying: ['lr'], same: ['data_dir', 'task'] });
  });
});

describe('compare URL state', () => {
  it('round-trips every option', () => {
    const state = {
      runs: [4, 5, 6],
      metric: 'train/loss',
      x: 'time',
      smooth: 0.6,
      log: true,
      by: ['lr', 'optimizer'],
      raw: true,
      baseline: 'optimizer=adamw',
      scalar: 'min',
      grid: ['train/loss', 'val/loss'],
      noPruned: true,
    };
    expect(parseCompareState(compareStateToSearch(state))).toEqual(state);
  });

  it('leaves out pruned runs only when asked', () => {
    const runs = [{ run: { state: 'SUCCEEDED' } }, { run: { state: 'PRUNED' } }, { run: { state: 'FAILED' } }];
    expect(withoutPruned(runs, false)).toEqual(runs);
    expect(withoutPruned(runs, true).map((r) => r.run.state)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(parseCompareState('?runs=1&nopruned=1').noPruned).toBe(true);
  });

  it('defaults and clamps', () => {
    const s = parseCompareState('?runs=1,2&smooth=7');
    expect(s).toMatchObject({
      runs: [1, 2],
      metric: '',
      x: 'step',
      smooth: 0.99,
      log: false,
      by: [],
      raw: false,
      scalar: 'final',
      grid: [],
      noPruned: false,
    });
    expect(compareStateToSearch(parseCompareState('?runs=1'))).toBe('?runs=1');
  });

  it("names the server's time axis", () => {
    expect(serverX('time')).toBe('time_ms');
    expect(serverX('step')).toBe('step');
    expect(serverX('tokens')).toBe('tokens');
  });
});

describe('efficiency cell', () => {
  const e = (over: Partial<Efficiency>): Efficiency => ({
    value: 0.2,
    ciLow: 0.05,
    ciHigh: 0.31,
    steps: 640,
    baselineSteps: 800,
    reached: true,
    lastStep: 1000,
    target: 1.234,
    reachedFraction: 0.87,
    ...over,
  });

  it('shows the ratio, its interval and the steps behind it', () => {
    expect(formatEfficiency(e({}), false)).toBe('0.20 [0.05, 0.31] · 640 vs 800 steps');
    expect(formatEfficiency(e({ value: -0.125, ciLow: -0.3, ciHigh: 0.01, steps: 900 }), false)).toBe(
      '−0.13 [−0.30, 0.01] · 900 vs 800 steps',
    );
    expect(formatEfficiency(e({ ciLow: null, ciHigh: null }), false)).toBe('0.20 · 640 vs 800 steps');
    // an interval open at one end (some resamples never reach the target)
    expect(formatEfficiency(e({ ciLow: null }), false)).toBe('0.20 [−∞, 0.31] · 640 vs 800 steps');
    expect(formatEfficiency(e({ steps: null }), false)).toBe('0.20 [0.05, 0.31]');
  });

  it("says so when a group never reaches the baseline's final value, within how many steps", () => {
    const never = { reached: false, value: null, ciLow: null, ciHigh: null, steps: null };
    expect(formatEfficiency(e({ ...never, lastStep: 1000 }), false)).toBe('never reaches (within 1000 steps)');
    expect(formatEfficiency(e({ ...never, lastStep: 'NaN' }), false)).toBe("never reaches the baseline's final value");
  });

  it('marks the baseline and leaves the cell empty without data', () => {
    expect(formatEfficiency(null, true)).toBe('baseline');
    expect(formatEfficiency(undefined, false)).toBe('');
    expect(formatEfficiency(null, false)).toBe('');
    expect(formatEfficiency(e({ value: NaN }), false)).toBe('');
  });

  it('reads as fewer or more steps, with the target and how often resamples reach it', () => {
    expect(describeEfficiency(e({}))).toBe(
      '20% fewer steps than the baseline to reach its final value (1.234); reached in 87% of bootstrap resamples',
    );
    expect(describeEfficiency(e({ value: -0.5, reachedFraction: 'NaN' }))).toBe(
      '50% more steps than the baseline to reach its final value (1.234)',
    );
    expect(describeEfficiency(e({ value: 0.001, target: 'NaN', reachedFraction: 'NaN' }))).toBe(
      'about as many steps as the baseline to reach its final value',
    );
    expect(describeEfficiency(e({ reached: false, value: null, reachedFraction: 0.1 }))).toBe(
      "never reaches the baseline's final value (1.234); reached in 10% of bootstrap resamples",
    );
    expect(describeEfficiency(null)).toBe('');
  });
});

describe('unknown run ids in a compare link', () => {
  it('names the asked ids the server did not return, once each, in the order asked', () => {
    expect(unknownRuns([7, 99, 3, 98, 99], [7, 3])).toEqual([99, 98]);
    expect(unknownRuns([1, 2], [2, 1])).toEqual([]);
  });

  it('says which ids were not found and what the page shows instead', () => {
    expect(unknownRunsNotice([], 3)).toBe('');
    expect(unknownRunsNotice([99], 2)).toBe(
      'Run 99 was not found (deleted, or a wrong id in the link). Showing the other 2 runs.',
    );
    expect(unknownRunsNotice([99, 98], 1)).toBe(
      'Runs 99, 98 were not found (deleted, or a wrong id in the link). Showing the other 1 run.',
    );
    expect(unknownRunsNotice([5], 0)).toBe(
      'Run 5 was not found (deleted, or a wrong id in the link). None of the linked runs exists.',
    );
  });
});
