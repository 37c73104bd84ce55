import { describe, expect, it } from 'vitest';
import {
  applyBrushes,
  brushFromSpan,
  brushSpan,
  buildAxis,
  niceStep,
  passes,
  position,
  positionMatrix,
  rampColor,
  segmentDistance,
  ticks,
  valueAt,
  wantsLog,
  type Axis,
  type AxisValue,
  type Brush,
  type NumericAxis,
} from './parallel';

describe('log detection', () => {
  it('wants a log axis only for positive values spanning more than two decades', () => {
    expect(wantsLog(1e-4, 1e-1)).toBe(true);
    expect(wantsLog(1, 100)).toBe(false);
    expect(wantsLog(1, 100.5)).toBe(true);
    expect(wantsLog(0, 1000)).toBe(false);
    expect(wantsLog(-1, 1000)).toBe(false);
  });

  it('builds linear, log and categorical axes from the values', () => {
    expect(buildAxis('p:lr', 'lr', [0.0001, 0.001, 0.01, 0.1])).toEqual({
      kind: 'log',
      key: 'p:lr',
      label: 'lr',
      min: 0.0001,
      max: 0.1,
    });
    expect(buildAxis('p:w', 'width', [16, 32, 64, null])).toEqual({
      kind: 'linear',
      key: 'p:w',
      label: 'width',
      min: 16,
      max: 64,
    });
    expect(buildAxis('p:o', 'opt', ['muon', 'adamw', 'muon', undefined])).toEqual({
      kind: 'category',
      key: 'p:o',
      label: 'opt',
      categories: ['adamw', 'muon'],
    });
    // a mix of numbers and text is categorical, sorted numerically where it can be
    expect((buildAxis('p:b', 'b', [10, 'auto', 2]) as { categories: string[] }).categories).toEqual([
      '2',
      '10',
      'auto',
    ]);
    expect((buildAxis('p:f', 'flag', [true, false]) as { categories: string[] }).categories).toEqual(['false', 'true']);
  });

  it('ignores non-finite numbers when choosing the range', () => {
    expect(buildAxis('m', 'loss', [NaN, 2, Infinity, 4])).toMatchObject({ kind: 'linear', min: 2, max: 4 });
    expect(buildAxis('m', 'loss', [null, NaN])).toMatchObject({ kind: 'linear', min: 0, max: 1 });
  });
});

describe('axis scaling', () => {
  const lin: NumericAxis = { kind: 'linear', key: 'a', label: 'a', min: 10, max: 20 };
  const log: NumericAxis = { kind: 'log', key: 'b', label: 'b', min: 1e-4, max: 1 };
  const cat: Axis = { kind: 'category', key: 'c', label: 'c', categories: ['adamw', 'muon', 'normuon'] };

  it('maps values to [0, 1] bottom to top', () => {
    expect(position(lin, 10)).toBe(0);
    expect(position(lin, 15)).toBe(0.5);
    expect(position(lin, 20)).toBe(1);
    expect(position(log, 1e-2)).toBeCloseTo(0.5, 12);
    expect(position(log, 1e-3)).toBeCloseTo(0.25, 12);
    expect(position(cat, 'adamw')).toBe(0);
    expect(position(cat, 'muon')).toBe(0.5);
    expect(position(cat, 'normuon')).toBe(1);
  });

  it('puts a constant axis or a single category in the middle', () => {
    expect(position({ ...lin, max: 10 }, 10)).toBe(0.5);
    expect(position({ kind: 'category', key: 'k', label: 'k', categories: ['x'] }, 'x')).toBe(0.5);
  });

  it('gives no position to missing values, unknown categories and non-positive values on a log axis', () => {
    expect(position(lin, null)).toBeNull();
    expect(position(lin, NaN)).toBeNull();
    expect(position(lin, 'x')).toBeNull();
    expect(position(log, 0)).toBeNull();
    expect(position(cat, 'sgd')).toBeNull();
  });

  it('inverts positions on numeric axes', () => {
    expect(valueAt(lin, 0.25)).toBe(12.5);
    expect(valueAt(log, 0.5)).toBeCloseTo(1e-2, 12);
    for (const p of [0, 0.3, 1]) expect(position(log, valueAt(log, p))).toBeCloseTo(p, 12);
  });

  it('ticks: nice steps on linear, powers of ten on log, every category', () => {
    expect(niceStep(0, 1, 5)).toBe(0.2);
    expect(niceStep(0, 97, 5)).toBe(20);
    expect(ticks(lin, 5).map((t) => t.label)).toEqual(['10', '12', '14', '16', '18', '20']);
    expect(ticks({ ...lin, min: 0.1, max: 0.3 }, 4).map((t) => t.label)).toEqual(['0.1', '0.15', '0.2', '0.25', '0.3']);
    expect(ticks(log).map((t) => t.label)).toEqual(['0.0001', '0.001', '0.01', '0.1', '1']);
    expect(ticks(log).map((t) => t.position)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(cat).map((t) => [t.label, t.position])).toEqual([
      ['adamw', 0],
      ['muon', 0.5],
      ['normuon', 1],
    ]);
    expect(ticks({ ...lin, max: 10 })).toEqual([{ position: 0.5, label: '10' }]);
  });

  it('labels the ends of an axis whose ticks stay away from them', () => {
    const labels = ticks({ kind: 'log', key: 'l', label: 'l', min: 0.01, max: 2 }).map((t) => t.label);
    expect(labels).toEqual(['0.01', '0.1', '1', '2']);
    expect(ticks({ kind: 'log', key: 'l', label: 'l', min: 0.02, max: 0.5 }).map((t) => t.label)).toEqual([
      '0.02',
      '0.1',
      '0.5',
    ]);
    expect(ticks({ ...lin, min: 0.13, max: 0.97 }, 4).map((t) => t.label)).toEqual([
      '0.13',
      '0.2',
      '0.4',
      '0.6',
      '0.8',
      '0.97',
    ]);
  });
});

describe('brushes', () => {
  const log: NumericAxis = { kind: 'log', key: 'p:lr', label: 'lr', min: 1e-4, max: 1 };
  const cat: Axis = { kind: 'category', key: 'p:opt', label: 'opt', categories: ['adamw', 'muon', 'normuon'] };

  it('turns a dragged span into a value range (either direction) or the categories inside it', () => {
    const b = brushFromSpan(log, 0.75, 0.25) as { kind: 'range'; lo: number; hi: number };
    expect(b.kind).toBe('range');
    expect(b.lo).toBeCloseTo(1e-3, 12);
    expect(b.hi).toBeCloseTo(1e-1, 12);
    expect(brushFromSpan(cat, 0.4, 1.2)).toEqual({ kind: 'set', values: ['muon', 'normuon'] });
    expect(brushFromSpan(cat, 0.1, 0.2)).toEqual({ kind: 'set', values: [] });
  });

  it('spans back to positions for drawing, clipped to the axis', () => {
    const span = brushSpan(log, { kind: 'range', lo: 1e-3, hi: 10 })!;
    expect(span[0]).toBeCloseTo(0.25, 12);
    expect(span[1]).toBe(1);
    expect(brushSpan(log, { kind: 'range', lo: 2, hi: 3 })).toBeNull();
    expect(brushSpan(cat, { kind: 'set', values: ['muon'] })).toEqual([0.375, 0.625]);
    expect(brushSpan(cat, { kind: 'range', lo: 0, hi: 1 })).toBeNull();
  });

  it('passes values inside a range (ends inclusive despite rounding) or in the set; never missing ones', () => {
    const range: Brush = { kind: 'range', lo: 0.1, hi: 0.3 };
    expect(passes(range, 0.1)).toBe(true);
    expect(passes(range, 0.30000000000000004)).toBe(true);
    expect(passes(range, 0.31)).toBe(false);
    expect(passes(range, null)).toBe(false);
    expect(passes(range, NaN)).toBe(false);
    expect(passes(range, '0.2')).toBe(false);
    const set: Brush = { kind: 'set', values: ['muon', 'true'] };
    expect(passes(set, 'muon')).toBe(true);
    expect(passes(set, true)).toBe(true);
    expect(passes(set, 'adamw')).toBe(false);
    expect(passes(set, undefined)).toBe(false);
  });

  it('keeps the rows that pass every brush, ignoring brushes on axes that are gone', () => {
    type Row = Record<string, AxisValue>;
    const rows: Row[] = [
      { 'p:lr': 1e-3, 'p:opt': 'adamw' },
      { 'p:lr': 1e-2, 'p:opt': 'muon' },
      { 'p:lr': 1e-1, 'p:opt': 'muon' },
      { 'p:lr': null, 'p:opt': 'muon' },
    ];
    const value = (r: Row, a: Axis) => r[a.key];
    const brushes = new Map<string, Brush>([['p:opt', { kind: 'set', values: ['muon'] }]]);
    expect(applyBrushes(rows, [log, cat], brushes, value)).toHaveLength(3);
    brushes.set('p:lr', { kind: 'range', lo: 5e-3, hi: 5e-2 });
    expect(applyBrushes(rows, [log, cat], brushes, value)).toEqual([rows[1]]);
    brushes.set('p:gone', { kind: 'range', lo: 0, hi: 0 });
    expect(applyBrushes(rows, [log, cat], brushes, value)).toEqual([rows[1]]);
    expect(applyBrushes(rows, [log, cat], new Map(), value)).toEqual(rows);
  });
});

describe('drawing helpers', () => {
  it('stores positions row-major with NaN for missing values', () => {
    const axes: Axis[] = [
      { kind: 'linear', key: 'a', label: 'a', min: 0, max: 2 },
      { kind: 'category', key: 'b', label: 'b', categories: ['x', 'y'] },
    ];
    const m = positionMatrix(
      [
        { a: 1, b: 'y' },
        { a: null, b: 'x' },
      ],
      axes,
      (r: Record<string, AxisValue>, ax) => r[ax.key],
    );
    expect([...m]).toEqual([0.5, 1, NaN, 0]);
  });

  it('measures the distance to a segment, clamped to its ends', () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    expect(segmentDistance(-3, 4, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(1, 1, 0, 0, 0, 0)).toBeCloseTo(Math.SQRT2, 12);
  });

  it('ramps from dark blue to yellow and clamps', () => {
    expect(rampColor(0)).toBe('rgb(68, 1, 84)');
    expect(rampColor(1)).toBe('rgb(253, 231, 37)');
    expect(rampColor(-5)).toBe(rampColor(0));
    expect(rampColor(NaN)).toBe(rampColor(0));
    expect(rampColor(0.5)).toBe('rgb(33, 145, 140)');
  });
});
