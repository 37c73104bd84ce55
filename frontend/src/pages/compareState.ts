import type { Efficiency } from '../api/types';
import { formatNumber, toNumber } from '../charts/transform';

/** The compare view's state, kept in the URL: `/compare?runs=1,2&metric=loss&x=step&smooth=0.6&log=1&by=lr&raw=1`. */
export interface CompareState {
  runs: number[];
  metric: string;
  /** `step`, `time` (elapsed seconds) or the name of a monotone metric. */
  x: string;
  smooth: number;
  log: boolean;
  /** Parameters to group by; empty shows one line per run. */
  by: string[];
  /** With grouping, also draw each run's own line. */
  raw: boolean;
  baseline: string;
  scalar: string;
  /** Metrics drawn side by side in the small-multiples grid (`grid=a,b`), sharing x axis, cursor and zoom. */
  grid: string[];
  /** Leave out runs that early stopping pruned (`nopruned=1`), as `replica compare --exclude-pruned` does. */
  noPruned: boolean;
}

export function parseCompareState(search: string): CompareState {
  const p = new URLSearchParams(search);
  const smooth = Number(p.get('smooth') ?? '0');
  return {
    runs: (p.get('runs') ?? '')
      .split(',')
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
    metric: p.get('metric') ?? '',
    x: p.get('x') || 'step',
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    log: p.get('log') === '1',
    by: (p.get('by') ?? '').split(',').filter((s) => s !== ''),
    raw: p.get('raw') === '1',
    baseline: p.get('baseline') ?? '',
    scalar: p.get('scalar') || 'final',
    grid: (p.get('grid') ?? '').split(',').filter((s) => s !== ''),
    noPruned: p.get('nopruned') === '1',
  };
}

export function compareStateToSearch(s: CompareState): string {
  const p = new URLSearchParams();
  p.set('runs', s.runs.join(','));
  if (s.metric) p.set('metric', s.metric);
  if (s.x !== 'step') p.set('x', s.x);
  if (s.smooth > 0) p.set('smooth', String(s.smooth));
  if (s.log) p.set('log', '1');
  if (s.by.length > 0) p.set('by', s.by.join(','));
  if (s.raw) p.set('raw', '1');
  if (s.baseline) p.set('baseline', s.baseline);
  if (s.scalar !== 'final') p.set('scalar', s.scalar);
  if (s.grid.length > 0) p.set('grid', s.grid.join(','));
  if (s.noPruned) p.set('nopruned', '1');
  return `?${p.toString()}`;
}

/** The runs to compare: all of them, or those not PRUNED when `noPruned`. */
export function withoutPruned<T extends { run: { state: string } }>(runs: T[], noPruned: boolean): T[] {
  return noPruned ? runs.filter((r) => r.run.state !== 'PRUNED') : runs;
}

/** The asked run ids the server did not return (no such run), each once, in the order asked. */
export function unknownRuns(asked: number[], found: number[]): number[] {
  const known = new Set(found);
  return [...new Set(asked.filter((id) => !known.has(id)))];
}

/** The notice above a compare page some of whose run ids are not runs; empty when all are. */
export function unknownRunsNotice(unknown: number[], shown: number): string {
  if (unknown.length === 0) return '';
  const which = unknown.length === 1 ? `Run ${unknown[0]} was` : `Runs ${unknown.join(', ')} were`;
  const rest =
    shown === 0 ? 'None of the linked runs exists.' : `Showing the other ${shown} run${shown === 1 ? '' : 's'}.`;
  return `${which} not found (deleted, or a wrong id in the link). ${rest}`;
}

/** The x axis as the series endpoint names it. */
export function serverX(x: string): string {
  return x === 'time' ? 'time_ms' : x;
}

/** Two decimals, with a real minus sign. */
function ratio(v: number): string {
  return v.toFixed(2).replace(/^-/, '−');
}

/**
 * The group table's efficiency cell: `0.20 [0.05, 0.31] · 640 vs 800 steps` (1 − steps / baseline steps
 * to reach the baseline's final value, with its bootstrap interval over seeds; an open end shows as ∞),
 * `never reaches (within N steps)`, `baseline` on the baseline row, and empty without data.
 */
export function formatEfficiency(e: Efficiency | null | undefined, isBaseline: boolean): string {
  if (isBaseline) return 'baseline';
  if (e === undefined || e === null) return '';
  if (!e.reached) {
    const last = toNumber(e.lastStep);
    return Number.isFinite(last)
      ? `never reaches (within ${formatNumber(last, 6)} steps)`
      : "never reaches the baseline's final value";
  }
  if (e.value === null || !Number.isFinite(e.value)) return '';
  const end = (v: number | null, open: string) => (v === null || !Number.isFinite(v) ? open : ratio(v));
  const ci = e.ciLow === null && e.ciHigh === null ? '' : ` [${end(e.ciLow, '−∞')}, ${end(e.ciHigh, '∞')}]`;
  const steps = e.steps !== null ? ` · ${formatNumber(e.steps, 6)} vs ${formatNumber(e.baselineSteps, 6)} steps` : '';
  return `${ratio(e.value)}${ci}${steps}`;
}

/**
 * A plain-language reading for a tooltip: "20% fewer steps than the baseline to reach its final value (1.234);
 * reached in 87% of bootstrap resamples".
 */
export function describeEfficiency(e: Efficiency | null | undefined): string {
  if (!e) return '';
  const target = toNumber(e.target);
  const of = Number.isFinite(target) ? ` (${formatNumber(target)})` : '';
  const share = toNumber(e.reachedFraction);
  const resamples = Number.isFinite(share) ? `; reached in ${Math.round(share * 100)}% of bootstrap resamples` : '';
  if (!e.reached || e.value === null || !Number.isFinite(e.value))
    return `never reaches the baseline's final value${of}${resamples}`;
  const pct = Math.round(Math.abs(e.value) * 100);
  const how =
    pct === 0
      ? 'about as many steps as the baseline'
      : `${pct}% ${e.value > 0 ? 'fewer' : 'more'} steps than the baseline`;
  return `${how} to reach its final value${of}${resamples}`;
}

/** The x range covering every line of every chart (null when none has a point): the grid's shared axis. */
export function sharedXRange(xs: number[][]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs)
    for (const v of x) {
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  return min <= max ? { min, max: max > min ? max : min + 1 } : null;
}

/** Parameters that differ between the runs, then those all runs share (shown only on request). */
export function splitParams(
  params: Record<string, unknown>[],
  varying: string[],
): { varying: string[]; same: string[] } {
  const all = [...new Set(params.flatMap((p) => Object.keys(p)))].sort();
  return { varying: all.filter((p) => varying.includes(p)), same: all.filter((p) => !varying.includes(p)) };
}
