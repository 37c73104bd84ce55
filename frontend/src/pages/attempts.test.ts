import { describe, expect, it } from 'vitest';
import type { AttemptView } from '../api/types';
import { attemptOf, attemptOptions } from './attempts';

const attempt = (number: number, state: string, points: number, latest: boolean, reason: string | null) =>
  ({ number, state, points, latest, reason, started: '2026-12-02T10:00:00Z', ended: null }) as AttemptView;

describe('attempt selector', () => {
  it('lists the latest first, read without an attempt number, and earlier ones by number', () => {
    const options = attemptOptions([
      attempt(1, 'INTERRUPTED', 760, false, 'owner gone'),
      attempt(2, 'RUNNING', 100, true, null),
    ]);
    expect(options).toEqual([
      { value: 'latest', label: '2 (latest) · running · 100 rows' },
      { value: '1', label: '1 · interrupted · 760 rows · owner gone' },
    ]);
    expect(options.map((o) => attemptOf(o.value))).toEqual([undefined, 1]);
  });
});
