/**
 * Data transforms of the sweep view's parallel coordinates: one vertical axis per swept parameter
 * (plus the chosen metric summary), each run a polyline through its values. Positions are fractions
 * of the axis height, 0 at the bottom and 1 at the top; `null` is a missing value.
 */

/** A value on an axis: a parameter value or a metric summary. */
export type AxisValue = string | number | boolean | null | undefined;

export interface NumericAxis {
  kind: 'linear' | 'log';
  key: string;
  label: string;
  min: number;
  max: number;
}

export interface CategoricalAxis {
  kind: 'category';
  key: string;
  label: string;
  /** In display order, bottom to top. */
  categories: string[];
}

export type Axis = NumericAxis | CategoricalAxis;

/** A brush: a value range on a numeric axis, a set of categories on a categorical one. */
export type Brush = { kind: 'range'; lo: number; hi: number } | { kind: 'set'; values: string[] };

/** Values that span more than this many decades (all positive) get a log axis. */
export const LOG_DECADES = 2;

/** True when every value is positive and max/min exceeds 10^LOG_DECADES. */
export function wantsLog(min: number, max: number): boolean {
  return min > 0 && Number.isFinite(max) && max / min > 10 ** LOG_DECADES;
}

/** The category label of a value (booleans and numbers as text). */
export function categoryOf(v: AxisValue): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * The axis for a column of values: numeric (linear, or log when positive values span more than two
 * decades) when every present value is a finite number, categorical otherwise, with categories
 * sorted numerically where they look like numbers. Non-finite numbers count as missing.
 */
export function buildAxis(key: string, label: string, values: readonly AxisValue[]): Axis {
  let min = Infinity;
  let max = -Infinity;
  let numeric = true;
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') {
      numeric = false;
      break;
    }
    if (!Number.isFinite(v)) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (numeric && present > 0) return { kind: wantsLog(min, max) ? 'log' : 'linear', key, label, min, max };
  if (numeric) return { kind: 'linear', key, label, min: 0, max: 1 };
  const categories = [...new Set(values.map(categoryOf).filter((c): c is string => c !== null))];
  categories.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { kind: 'category', key, label, categories };
}

/** Where a value sits on an axis, in [0, 1] (bottom to top); null when missing or off a log axis. */
export function position(axis: Axis, v: AxisValue): number | null {
  if (axis.kind === 'category') {
    const c = categoryOf(v);
    const i = c === null ? -1 : axis.categories.indexOf(c);
    if (i < 0) return null;
    return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (axis.kind === 'log') {
    if (v <= 0) return null;
    const lo = Math.log10(axis.min);
    const hi = Math.log10(axis.max);
    return hi === lo ? 0.5 : (Math.log10(v) - lo) / (hi - lo);
  }
  return axis.max === axis.min ? 0.5 : (v - axis.min) / (axis.max - axis.min);
}

/** The value at a position of a numeric axis (the inverse of `position`). */
export function valueAt(axis: NumericAxis, p: number): number {
  if (axis.kind === 'log') {
    const lo = Math.log10(axis.min);
    const hi = Math.log10(axis.max);
    return 10 ** (lo + p * (hi - lo));
  }
  return axis.min + p * (axis.max - axis.min);
}

/** A brush from a dragged span of positions [a, b] (either order): a value range, or the categories inside it. */
export function brushFromSpan(axis: Axis, a: number, b: number): Brush {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(1, Math.max(a, b));
  if (axis.kind === 'category') {
    return {
      kind: 'set',
      values: axis.categories.filter((c) => {
        const p = position(axis, c)!;
        return p >= lo && p <= hi;
      }),
    };
  }
  return { kind: 'range', lo: valueAt(axis, lo), hi: valueAt(axis, hi) };
}

/** The span of positions a brush covers on its axis (for drawing it); null when it covers nothing. */
export function brushSpan(axis: Axis, brush: Brush): [number, number] | null {
  if (brush.kind === 'range') {
    if (axis.kind === 'category' || brush.hi < axis.min || brush.lo > axis.max) return null;
    const lo = position(axis, Math.max(brush.lo, axis.min))!;
    const hi = position(axis, Math.min(brush.hi, axis.max))!;
    return [Math.min(lo, hi), Math.max(lo, hi)];
  }
  if (axis.kind !== 'category') return null;
  const ps = brush.values.map((v) => position(axis, v)).filter((p): p is number => p !== null);
  if (ps.length === 0) return null;
  const pad = axis.categories.length > 1 ? 0.25 / (axis.categories.length - 1) : 0.25;
  return [Math.max(0, Math.min(...ps) - pad), Math.min(1, Math.max(...ps) + pad)];
}

/** Whether a value passes a brush; a missing value never does. Range ends are inclusive (with float slack). */
export function passes(brush: Brush, v: AxisValue): boolean {
  if (brush.kind === 'set') {
    const c = categoryOf(v);
    return c !== null && brush.values.includes(c);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  const slack = 1e-9 * Math.max(Math.abs(brush.lo), Math.abs(brush.hi));
  return v >= brush.lo - slack && v <= brush.hi + slack;
}

/** The rows that pass every brush (brushes on axes that no longer exist are ignored). */
export function applyBrushes<R>(
  rows: readonly R[],
  axes: readonly Axis[],
  brushes: ReadonlyMap<string, Brush>,
  value: (row: R, axis: Axis) => AxisValue,
): R[] {
  const active = axes.filter((a) => brushes.has(a.key));
  if (active.length === 0) return rows.slice();
  return rows.filter((r) => active.every((a) => passes(brushes.get(a.key)!, value(r, a))));
}

export interface Tick {
  position: number;
  label: string;
}

/** "Nice" step (1, 2 or 5 × 10^k) so that about `count` ticks cover [min, max]. */
export function niceStep(min: number, max: number, count: number): number {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
}

/**
 * Tick marks of an axis: nice values on a linear axis, powers of ten on a log one (plus the ends when no tick
 * is near them), every category on a categorical one.
 */
export function ticks(axis: Axis, count = 5, format: (v: number) => string = String): Tick[] {
  if (axis.kind === 'category') return axis.categories.map((c) => ({ position: position(axis, c)!, label: c }));
  if (axis.min === axis.max) return [{ position: 0.5, label: format(axis.min) }];
  const out: Tick[] = [];
  if (axis.kind === 'log') {
    for (let e = Math.ceil(Math.log10(axis.min) - 1e-9); e <= Math.floor(Math.log10(axis.max) + 1e-9); e++) {
      const v = Number(`1e${e}`);
      out.push({ position: position(axis, v)!, label: format(v) });
    }
  } else {
    const step = niceStep(axis.min, axis.max, count);
    for (let v = Math.ceil(axis.min / step - 1e-9) * step; v <= axis.max + step * 1e-9; v += step) {
      const rounded = Number(v.toPrecision(12));
      out.push({ position: position(axis, rounded)!, label: format(rounded) });
    }
  }
  // The ends are labelled too unless a tick sits close to them, so an axis always shows its range.
  if (!out.some((t) => t.position < 0.08)) out.unshift({ position: 0, label: format(axis.min) });
  if (!out.some((t) => t.position > 0.92)) out.push({ position: 1, label: format(axis.max) });
  return out;
}

/** Colours of the value ramp, low to high (a perceptually even blue–green–yellow ramp). */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour for a position t in [0, 1] on the value ramp, as `rgb(r, g, b)`. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, k) => Math.round(v + (RAMP[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/**
 * Precomputed positions: `positions[row * axes + axis]`, NaN where missing. Drawing and hit-testing
 * read this flat array, so a thousand runs redraw in a few milliseconds.
 */
export function positionMatrix<R>(
  rows: readonly R[],
  axes: readonly Axis[],
  value: (row: R, axis: Axis) => AxisValue,
): Float64Array {
  const out = new Float64Array(rows.length * axes.length);
  rows.forEach((r, i) =>
    axes.forEach((a, j) => {
      out[i * axes.length + j] = position(a, value(r, a)) ?? NaN;
    }),
  );
  return out;
}

/** Distance from point (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
