import { describe, expect, it } from 'vitest';
import type { Brush } from '../charts/parallel';
import { brushText, parseBrush, parseSweepState, sweepStateToSearch, type SweepState } from './sweepState';

describe('sweep URL state', () => {
  it('round-trips metric, summary, range and category brushes and the selection', () => {
    const state: SweepState = {
      metric: 'train/loss',
      summary: 'min',
      q: 'seed<3 optimizer!=sgd',
      ignored: [],
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

  it('defaults, and names each brush of the link that does not parse', () => {
    expect(parseSweepState('')).toEqual({
      metric: '',
      summary: 'last',
      q: '',
      brushes: new Map(),
      sel: [],
      ignored: [],
    });
    const s = parseSweepState('?summary=median&b.p:lr=abc..1&b.p:w=3..1&b.p:x=..&b.=1..2&b.p:y=1..4&sel=1,x,2');
    expect(s.summary).toBe('last');
    expect([...s.brushes]).toEqual([['p:y', { kind: 'range', lo: 1, hi: 4 }]]);
    expect(s.ignored).toEqual([
      "b.p:lr=abc..1: range start 'abc' is not a number",
      'b.p:w=3..1: range start 3 is above its end 1',
      'b.p:x=..: a range needs at least one end',
      'b.=1..2: a brush names its axis, e.g. b.p:lr=0.001..0.1',
    ]);
    expect(s.sel).toEqual([1, 2]);
    expect(parseBrush('1-2')).toBeNull();
    expect(parseBrush('in:%E0%A4%A')).toBeNull();
    expect(sweepStateToSearch(parseSweepState(''))).toBe('');
  });

  it('reads one-ended ranges as the runs filter does: ..0.3 is at most 0.3, 2.. at least 2', () => {
    expect(parseBrush('..0.3')).toEqual({ kind: 'range', lo: -Infinity, hi: 0.3 });
    expect(parseBrush('2..')).toEqual({ kind: 'range', lo: 2, hi: Infinity });
    expect(parseBrush('1e-3..1E-1')).toEqual({ kind: 'range', lo: 0.001, hi: 0.1 });
  });
});
