import { describe, expect, it } from 'vitest';
import type { RunView } from '../api/types';
import { applyEvent, indexRows, Throttle } from './liveRuns';
import { cellValue, joinSummaries } from './runs';
import { testRun } from './testRuns';

function run(id: number, state: string): RunView {
  return testRun({ id, index: id, state, attempt: 1 });
}

describe('applyEvent', () => {
  it('sets state and message, and last values widening min and max', () => {
    const rows = joinSummaries(
      [run(1, 'RUNNING'), run(2, 'QUEUED')],
      [{ runId: 1, metric: 'loss', last: 2, min: 1.5, max: 3, count: 4 }],
    );
    const before = rows[0];
    const index = indexRows(rows);
    const at = '2026-01-01T00:00:00Z';
    expect(
      applyEvent(rows, index, { type: 'metrics', runId: 1, experimentId: 1, at, latest: { loss: 1, acc: 'NaN' } }),
    ).toBe('changed');
    expect(rows[0]).not.toBe(before); // a new object: caches keyed by row see the change
    expect(cellValue(rows[0], 'm:loss')).toBe(1);
    expect(cellValue(rows[0], 'min:loss')).toBe(1);
    expect(cellValue(rows[0], 'max:loss')).toBe(3);
    expect(cellValue(rows[0], 'm:acc')).toBeNaN();
    expect(cellValue(rows[0], 'min:acc')).toBeNull(); // NaN is not a best value
    expect(
      applyEvent(rows, index, {
        type: 'state',
        runId: 1,
        experimentId: 1,
        at,
        from: 'RUNNING',
        to: 'FAILED',
        message: 'boom',
      }),
    ).toBe('changed');
    expect(rows[0].run.state).toBe('FAILED');
    expect(cellValue(rows[0], 'reason')).toBe('boom');
    expect(cellValue(rows[0], 'm:loss')).toBe(1);
    expect(rows[1].run.state).toBe('QUEUED');
  });

  it('asks for a refetch on the state of a run it does not know, and ignores its metrics', () => {
    const rows = joinSummaries([run(1, 'RUNNING')], []);
    const index = indexRows(rows);
    const at = '';
    expect(applyEvent(rows, index, { type: 'state', runId: 9, experimentId: 1, at, to: 'QUEUED' })).toBe('unknown-run');
    expect(applyEvent(rows, index, { type: 'metrics', runId: 9, experimentId: 1, at, latest: { x: 1 } })).toBe(
      'ignored',
    );
  });
});

describe('Throttle', () => {
  it('runs once for a burst and once more for a request made while running', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const t = new Throttle(
      () =>
        new Promise<void>((resolve) => {
          calls++;
          release = resolve;
        }),
      5,
    );
    t.request();
    t.request();
    t.request();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    t.request(); // while the first is still running
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(2);
    release();
    t.cancel();
  });
});
