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
