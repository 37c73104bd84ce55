import { describe, expect, it } from 'vitest';
import type { Series } from '../api/types';
import {
  align,
  axisWidth,
  ema,
  formatNumber,
  formatP,
  groupLine,
  plotCell,
  relativeX,
  seriesLine,
  snapToGrid,
  toNumber,
} from './transform';

function series(partial: Partial<Series>): Series {
  return {
    runId: '1',
    metric: 'loss',
    x: { kind: 'STEP', metric: null },
    downsampled: true,
    sourcePoints: 0,
    bucketStart: [],
    bucketEnd: [],
    count: [],
    firstX: [],
    first: [],
    lastX: [],
    last: [],
    minX: [],
    min: [],
    maxX: [],
    max: [],
    ...partial,
  };
}

describe('toNumber', () => {
  it('reads the strings the API uses for non-finite values', () => {
    expect(toNumber('NaN')).toBeNaN();
    expect(toNumber('Infinity')).toBe(Infinity);
    expect(toNumber('-Infinity')).toBe(-Infinity);
    expect(toNumber(null)).toBeNaN();
    expect(toNumber(2.5)).toBe(2.5);
  });
});

describe('seriesLine', () => {
  it("takes each bucket's last point and keeps min/max for the band, so a spike survives", () => {
    const line = seriesLine(
      series({
        bucketEnd: [9, 19],
        lastX: [9, 19],
        last: [1, 0.5],
        min: [0.9, 0.4],
        max: [1.2, 100],
      }),
    );
    expect(line.x).toEqual([9, 19]);
    expect(line.y).toEqual([1, 0.5]);
    expect(line.hi).toEqual([1.2, 100]);
    expect(line.lo).toEqual([0.9, 0.4]);
  });

  it('keeps NaN and Infinity buckets as non-finite values and counts them', () => {
    const line = seriesLine(
      series({
        lastX: [0, 1, 2],
        bucketEnd: [0, 1, 2],
        last: [1, 'NaN', 'Infinity'],
        min: [1, 'NaN', 1],
        max: [1, 'NaN', 'Infinity'],
      }),
    );
    expect(line.y[1]).toBeNaN();
    expect(line.y[2]).toBe(Infinity);
    expect(line.nonFinite).toBe(2);
  });

  it('falls back to the bucket end when the last x is missing, and drops buckets without any x', () => {
    const line = seriesLine(
      series({ lastX: ['NaN', 'NaN'], bucketEnd: [5, 'NaN'], last: [1, 2], min: [1, 2], max: [1, 2] }),
    );
    expect(line.x).toEqual([5]);
  });
});

describe('plotCell and align', () => {
  it('turns non-finite values into gaps (null) and missing x into spanned holes (undefined)', () => {
    const data = align([
      { x: [0, 2], columns: [[1, NaN]] },
      { x: [1, 2], columns: [[3, 4]] },
    ]);
    expect(data[0]).toEqual([0, 1, 2]);
    expect(data[1]).toEqual([1, undefined, null]);
    expect(data[2]).toEqual([undefined, 3, 4]);
  });

  it('drops non-positive values on a log scale', () => {
    expect(plotCell(0, true)).toBeNull();
    expect(plotCell(-1, true)).toBeNull();
    expect(plotCell(0, false)).toBe(0);
    expect(align([{ x: [0, 1], columns: [[0, 10]] }], true)[1]).toEqual([null, 10]);
  });
});

describe('ema', () => {
  it('is the identity at weight 0', () => {
    expect(ema([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
  });

  it('matches the recurrence by hand', () => {
    // last1 = 0.5*0 + 0.5*2 = 1, debiased 1/(1-0.5) = 2; last2 = 0.5*1 + 0.5*4 = 2.5, debiased 2.5/0.75
    const out = ema([2, 4], 0.5);
    expect(out[0]).toBeCloseTo(2, 12);
    expect(out[1]).toBeCloseTo(2.5 / 0.75, 12);
  });

  it('leaves NaN and Infinity in place without poisoning later values', () => {
    const out = ema([1, NaN, 1, Infinity, 1], 0.8);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBe(Infinity);
    expect(out[4]).toBeCloseTo(1, 12);
  });
});

describe('groupLine', () => {
  it('uses the mean as the line and the CI as the band, skipping empty buckets', () => {
    const line = groupLine({
      label: 'lr=0.1',
      params: { lr: 0.1 },
      runIds: ['1', '2'],
      x: [0.5, 1.5, 2.5],
      n: [2, 0, 1],
      mean: [1, 'NaN', 3],
      ciLow: [0.5, 'NaN', 'NaN'],
      ciHigh: [1.5, 'NaN', 'NaN'],
    });
    expect(line.x).toEqual([0.5, 2.5]);
    expect(line.y).toEqual([1, 3]);
    expect(line.lo[0]).toBe(0.5);
    expect(line.hi[1]).toBeNaN();
  });
});

describe('snapToGrid', () => {
  it('leaves small inputs alone', () => {
    const lines = [{ x: [0, 1], y: [1, 2], lo: [1, 2], hi: [1, 2], nonFinite: 0 }];
    expect(snapToGrid(lines, 10)).toBe(lines);
  });

  it('keeps the last y and the extreme band per cell', () => {
    const [out] = snapToGrid(
      [{ x: [0, 0.1, 0.2, 9.9, 10], y: [1, 2, 3, 4, 5], lo: [1, -7, 3, 4, 5], hi: [1, 2, 50, 4, 5], nonFinite: 0 }],
      2,
    );
    expect(out.x).toEqual([2.5, 7.5]);
    expect(out.y).toEqual([3, 5]);
    expect(out.lo).toEqual([-7, 4]);
    expect(out.hi).toEqual([50, 5]);
  });
});

describe('relativeX', () => {
  it('starts at zero and scales', () => {
    expect(relativeX({ x: [1000, 3000], y: [0, 0], lo: [0, 0], hi: [0, 0], nonFinite: 0 }, 1 / 1000).x).toEqual([0, 2]);
  });
});

describe('formatting', () => {
  it('formats numbers and p-values for tables', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1e-5)).toBe('1.000e-5');
    expect(formatP(0.0001)).toBe('< 0.001');
    expect(formatP(0.0456)).toBe('0.046');
    expect(formatP(NaN)).toBe('');
  });
});

describe('axisWidth', () => {
  it('fits the longest tick label, never narrower than 40 px', () => {
    expect(axisWidth(['0', '0.5', '1'])).toBe(40);
    expect(axisWidth(['0', '1.500e-4', '3.000e-4'])).toBe(18 + 7 * 8);
    expect(axisWidth(['20000', null])).toBe(53);
    expect(axisWidth(null)).toBe(40);
  });
});
