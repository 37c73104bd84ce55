import type { ApiNumber, GroupCurve, Series } from '../api/types';

/**
 * A value as uPlot plots it: a finite number, `null` for a gap (the run logged NaN or ±Infinity
 * there, or a non-positive value on a log scale) or `undefined` where the run has no point at that
 * x (an alignment hole that the line spans).
 */
export type Cell = number | null | undefined;

/** An API number (NaN and ±Infinity arrive as strings) as a JavaScript number; null is NaN. */
export function toNumber(v: ApiNumber | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/** A number as a plotted cell: non-finite values (and non-positive ones on a log scale) become gaps. */
export function plotCell(v: number, log = false): number | null {
  if (!Number.isFinite(v)) return null;
  if (log && v <= 0) return null;
  return v;
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled
 * towards zero). Non-finite inputs stay as they are in the output and do not touch the average,
 * so a NaN shows as a gap rather than poisoning every later value.
 *
 * @param weight smoothing in [0, 1): 0 returns a copy, 0.99 is very smooth
 */
export function ema(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = last / (1 - Math.pow(w, n));
  }
  return out;
}

/** One run's curve for a chart: a point per bucket at its last x, with the bucket's min and max. */
export interface Line {
  x: number[];
  y: number[];
  lo: number[];
  hi: number[];
  /** Buckets whose last value is NaN or ±Infinity. */
  nonFinite: number;
}

/**
 * A downsampled series as a line: each bucket contributes its last point (x = lastX), and its min
 * and max become the band around it, so a spike inside a bucket stays visible at any zoom.
 * Buckets without a finite x are left out.
 */
export function seriesLine(s: Series): Line {
  const line: Line = { x: [], y: [], lo: [], hi: [], nonFinite: 0 };
  for (let i = 0; i < s.last.length; i++) {
    let x = toNumber(s.lastX[i]);
    if (!Number.isFinite(x)) x = toNumber(s.bucketEnd[i]);
    if (!Number.isFinite(x)) continue;
    const y = toNumber(s.last[i]);
    if (!Number.isFinite(y)) line.nonFinite++;
    line.x.push(x);
    line.y.push(y);
    line.lo.push(toNumber(s.min[i]));
    line.hi.push(toNumber(s.max[i]));
  }
  return line;
}

/** A group's mean curve and confidence band as a line (lo/hi are the interval's ends). */
export function groupLine(g: GroupCurve): Line {
  const line: Line = { x: [], y: [], lo: [], hi: [], nonFinite: 0 };
  for (let i = 0; i < g.x.length; i++) {
    const x = toNumber(g.x[i]);
    if (!Number.isFinite(x) || g.n[i] === 0) continue;
    line.x.push(x);
    line.y.push(toNumber(g.mean[i]));
    line.lo.push(toNumber(g.ciLow[i]));
    line.hi.push(toNumber(g.ciHigh[i]));
  }
  return line;
}

/**
 * Puts several lines on one shared, sorted x (uPlot's data layout). Each input column is indexed
 * like its line's x; a line without a point at some x gets `undefined` there (spanned), a
 * non-finite value gets `null` (a gap), as does a non-positive value when `log` is set.
 *
 * @returns [x, ...columns of line 0, ...columns of line 1, …]
 */
export function align(
  lines: { x: readonly number[]; columns: readonly (readonly number[])[] }[],
  log = false,
): Cell[][] {
  const xs = new Set<number>();
  for (const l of lines) for (const x of l.x) xs.add(x);
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map<number, number>();
  x.forEach((v, i) => index.set(v, i));
  const out: Cell[][] = [x];
  for (const l of lines) {
    for (const col of l.columns) {
      const cells = new Array<Cell>(x.length).fill(undefined);
      for (let i = 0; i < l.x.length; i++) cells[index.get(l.x[i])!] = plotCell(col[i], log);
      out.push(cells);
    }
  }
  return out;
}

/** Formats a metric value compactly for tables and legends. */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** Pixels for a y axis whose tick labels are these (about 7 px per character at uPlot's 12 px font, plus the ticks). */
export function axisWidth(labels: readonly (string | number | null)[] | null | undefined): number {
  const longest = Math.max(0, ...(labels ?? []).map((l) => String(l ?? '').length));
  return Math.max(40, 18 + 7 * longest);
}

/** A p-value for a table: three significant digits, `< 0.001` below that; empty for NaN. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '';
  if (p < 0.001) return '< 0.001';
  return p.toPrecision(2);
}

/**
 * Snaps the lines' points to a shared grid of at most `cells` x positions over their joint range,
 * so that many runs with unrelated x values (wall-clock time, say) align without a huge union.
 * Per line and cell: the last point's y, the smallest lo and the largest hi (the band keeps spikes).
 * Lines whose x values already number `cells` or fewer in total are returned unchanged.
 */
export function snapToGrid(lines: Line[], cells: number): Line[] {
  const distinct = new Set<number>();
  for (const l of lines) for (const x of l.x) distinct.add(x);
  if (distinct.size <= cells) return lines;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of distinct) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const width = (hi - lo) / cells;
  return lines.map((l) => {
    const out: Line = { x: [], y: [], lo: [], hi: [], nonFinite: l.nonFinite };
    let current = -1;
    for (let i = 0; i < l.x.length; i++) {
      const cell = Math.min(cells - 1, Math.floor((l.x[i] - lo) / width));
      if (cell !== current) {
        current = cell;
        out.x.push(lo + (cell + 0.5) * width);
        out.y.push(l.y[i]);
        out.lo.push(l.lo[i]);
        out.hi.push(l.hi[i]);
      } else {
        const k = out.x.length - 1;
        out.y[k] = l.y[i];
        out.lo[k] = minIgnoringNaN(out.lo[k], l.lo[i]);
        out.hi[k] = maxIgnoringNaN(out.hi[k], l.hi[i]);
      }
    }
    return out;
  });
}

function minIgnoringNaN(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b);
}

function maxIgnoringNaN(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
}

/** Shifts x so the line starts at 0 (elapsed time instead of wall-clock), and scales it (ms → s). */
export function relativeX(line: Line, scale = 1): Line {
  if (line.x.length === 0) return line;
  const x0 = line.x[0];
  return { ...line, x: line.x.map((x) => (x - x0) * scale) };
}
