import type { Efficiency } from '../api/types';

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
}

export function parseCompareState(search: string): CompareState {
  const p = new URLSearchParams(search);
  const smooth = Number(p.get('smooth') ?? '0');
  return {
    runs: (p.get('runs') ?? '').split(',').filter((s) => /^\d+$/.test(s)).map(Number),
    metric: p.get('metric') ?? '',
    x: p.get('x') || 'step',
    smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    log: p.get('log') === '1',
    by: (p.get('by') ?? '').split(',').filter((s) => s !== ''),
    raw: p.get('raw') === '1',
    baseline: p.get('baseline') ?? '',
    scalar: p.get('scalar') || 'final',
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
  return `?${p.toString()}`;
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
 * to reach the baseline's final value, with its interval over seeds), `never reaches (within N steps)`,
 * `baseline` on the baseline row, and empty where the server sent no efficiency.
 */
export function formatEfficiency(e: Efficiency | null | undefined, isBaseline: boolean): string {
  if (isBaseline) return 'baseline';
  if (e === undefined || e === null) return '';
  if (!e.reached) {
    return e.steps !== null ? `never reaches (within ${e.steps} steps)` : `never reaches the baseline's final value`;
  }
  if (e.value === null || !Number.isFinite(e.value)) return '';
  const ci = e.ciLow !== null && e.ciHigh !== null && Number.isFinite(e.ciLow) && Number.isFinite(e.ciHigh)
    ? ` [${ratio(e.ciLow)}, ${ratio(e.ciHigh)}]` : '';
  const steps = e.steps !== null ? ` · ${e.steps} vs ${e.baselineSteps} steps` : '';
  return `${ratio(e.value)}${ci}${steps}`;
}

/** A plain-language reading of an efficiency for a tooltip: "20% fewer steps than the baseline". */
export function describeEfficiency(e: Efficiency | null | undefined): string {
  if (!e || !e.reached || e.value === null || !Number.isFinite(e.value)) return '';
  const pct = Math.round(Math.abs(e.value) * 100);
  if (pct === 0) return 'about as many steps as the baseline to reach its final value';
  return `${pct}% ${e.value > 0 ? 'fewer' : 'more'} steps than the baseline to reach its final value`;
}
