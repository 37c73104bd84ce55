import { describe, expect, it } from 'vitest';
import type { RunView } from '../api/types';
import { formatValue, varyingParams } from './runs';

function run(params: RunView['params']): RunView {
  return {
    id: 1, experimentId: 1, experimentName: 'e', index: 0, seed: 0, state: 'QUEUED', params,
    attempt: 0, executor: null, exitCode: null, message: null, createdAt: '', startedAt: null, finishedAt: null,
  };
}

describe('varyingParams', () => {
  it('lists only parameters that differ, sorted', () => {
    const runs = [run({ lr: 0.1, optimizer: 'adamw', steps: 500 }), run({ lr: 0.2, optimizer: 'adamw', steps: 500 }),
      run({ lr: 0.1, optimizer: 'muon', steps: 500 })];
    expect(varyingParams(runs)).toEqual(['lr', 'optimizer']);
  });

  it('counts a parameter missing from some runs as varying', () => {
    expect(varyingParams([run({ a: 1 }), run({})])).toEqual(['a']);
  });

  it('is empty for no runs', () => {
    expect(varyingParams([])).toEqual([]);
  });
});

describe('formatValue', () => {
  it('keeps float precision and prints booleans', () => {
    expect(formatValue(0.0001)).toBe('0.0001');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(undefined)).toBe('');
  });
});
