import type { Brush } from '../charts/parallel';

/** The metric summary a sweep axis shows, from `GET /api/experiments/{id}/summaries`. */
export type Summary = 'last' | 'min' | 'max';

export const SUMMARIES: Summary[] = ['last', 'min', 'max'];

/** Key of the metric axis; parameter axes are `p:NAME`. */
export const METRIC_AXIS = 'metric';

/**
 * The sweep view's state, kept in the URL:
 * `/experiments/3/sweep?metric=train/loss&summary=min&b.p:lr=0.001..0.1&b.p:optimizer=in:adamw|muon&b.metric=..0.5&sel=4,7`.
 * A range brush is `LO..HI` (values, not pixels, so the URL survives new runs); a category brush is
 * `in:` and the categories, each URI-encoded, joined with `|`.
 */
export interface SweepState {
  metric: string;
  summary: Summary;
  brushes: Map<string, Brush>;
  sel: number[];
}

export function parseSweepState(search: string): SweepState {
  const p = new URLSearchParams(search);
  const summary = p.get('summary') as Summary;
  const brushes = new Map<string, Brush>();
  for (const [name, text] of p) {
    if (!name.startsWith('b.') || name.length <= 2) continue;
    const brush = parseBrush(text);
    if (brush) brushes.set(name.slice(2), brush);
  }
  return {
    metric: p.get('metric') ?? '',
    summary: SUMMARIES.includes(summary) ? summary : 'last',
    brushes,
    sel: (p.get('sel') ?? '')
      .split(',')
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
  };
}

/** A brush from its URL text; null when it does not parse (a hand-edited URL). */
export function parseBrush(text: string): Brush | null {
  if (text.startsWith('in:')) {
    const rest = text.slice(3);
    try {
      return { kind: 'set', values: rest === '' ? [] : rest.split('|').map(decodeURIComponent) };
    } catch {
      return null;
    }
  }
  const m = text.match(/^(.*)\.\.(.*)$/);
  if (!m) return null;
  const lo = m[1] === '' ? -Infinity : Number(m[1]);
  const hi = m[2] === '' ? Infinity : Number(m[2]);
  if (Number.isNaN(lo) || Number.isNaN(hi)) return null;
  return { kind: 'range', lo: Math.min(lo, hi), hi: Math.max(lo, hi) };
}

export function brushText(b: Brush): string {
  if (b.kind === 'set') return `in:${b.values.map(encodeURIComponent).join('|')}`;
  const end = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '');
  return `${end(b.lo)}..${end(b.hi)}`;
}

export function sweepStateToSearch(s: SweepState): string {
  const p = new URLSearchParams();
  if (s.metric) p.set('metric', s.metric);
  if (s.summary !== 'last') p.set('summary', s.summary);
  for (const [key, b] of [...s.brushes].sort(([a], [b]) => a.localeCompare(b))) p.set(`b.${key}`, brushText(b));
  if (s.sel.length > 0) p.set('sel', s.sel.join(','));
  const text = p.toString();
  return text ? `?${text}` : '';
}
