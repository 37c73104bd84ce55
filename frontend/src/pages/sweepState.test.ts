import { describe, expect, it } from 'vitest';
import type { Brush } from '../charts/parallel';
import { brushText, parseBrush, parseSweepState, sweepStateToSearch, type SweepState } from './sweepState';

describe('sweep URL state', () => {
  it('round-trips metric, summary, range and category brushes and the selection', () => {
    const state: SweepState = {
      metric: 'train/loss',
      summary: 'min',
      sel: [4, 7],
      brushes: new Map<string, Brush>([
        ['p:lr', { kind: 'range', lo: 0.001, hi: 0.1 }],
        ['p:optimizer', { kind: 'set', values: ['adamw', 'a|b c'] }],
        ['metric', { kind: 'range', lo: -Infinity, hi: 0.5 }],
      ]),
    };
    const search = sweepStateToSearch(state);
    expect(search).toContain('summary=min');
    expect(parseSweepState(search)).toEqual(state);
  });

  it('writes brushes in values, rounded to six significant digits', () => {
    expect(brushText({ kind: 'range', lo: 0.00123456789, hi: 2 })).toBe('0.00123457..2');
    expect(brushText({ kind: 'set', values: [] })).toBe('in:');
    expect(parseBrush('in:')).toEqual({ kind: 'set', values: [] });
  });

  it('defaults, and drops what does not parse', () => {
    expect(parseSweepState('')).toEqual({ metric: '', summary: 'last', brushes: new Map(), sel: [] });
    const s = parseSweepState('?summary=median&b.p:lr=abc..1&b.p:w=3..1&b.=1..2&sel=1,x,2');
    expect(s.summary).toBe('last');
    expect([...s.brushes]).toEqual([['p:w', { kind: 'range', lo: 1, hi: 3 }]]);
    expect(s.sel).toEqual([1, 2]);
    expect(parseBrush('1-2')).toBeNull();
    expect(parseBrush('in:%E0%A4%A')).toBeNull();
    expect(sweepStateToSearch(parseSweepState(''))).toBe('');
  });
});
