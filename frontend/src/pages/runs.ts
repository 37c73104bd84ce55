import { holds, parseFilter } from './filterGrammar';
import type { ParamValue, RunView, SummaryView } from '../api/types';

/** Parameters whose value differs between at least two runs, sorted: the columns worth showing. */
export function varyingParams(runs: RunView[]): string[] {
  if (runs.length === 0) return [];
  const first = runs[0].params;
  const varying = new Set<string>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.params)) {
      if (first[name] !== value) varying.add(name);
    }
    for (const name of Object.keys(first)) {
      if (!(name in run.params)) varying.add(name);
    }
  }
  return [...varying].sort();
}

/** Formats a parameter value for a table cell; floats keep their precision. */
export function formatValue(value: ParamValue | null | undefined): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A run with its metric summaries keyed by metric name. */
export interface RunRow {
  run: RunView;
  metrics: Record<string, SummaryView>;
}

export function joinSummaries(runs: RunView[], summaries: SummaryView[]): RunRow[] {
  const byRun = new Map<number, Record<string, SummaryView>>();
  for (const s of summaries) {
    let m = byRun.get(s.runId);
    if (!m) byRun.set(s.runId, (m = {}));
    m[s.metric] = s;
  }
  return runs.map((run) => ({ run, metrics: byRun.get(run.id) ?? {} }));
}

/**
 * What the runs table shows, kept in the URL: `?state=RUNNING&q=lr=0.1 adam&sort=-m:loss&cols=p:lr,m:loss&sel=3,4`.
 * Column keys: `id`, `index`, `state`, `seed`, `p:NAME` (a parameter), `m:NAME` (a metric's last value).
 */
export interface TableState {
  state: string;
  q: string;
  sort: { key: string; desc: boolean } | null;
  /** Columns chosen by the user; null means the default (varying params and every metric). */
  cols: string[] | null;
  sel: number[];
}

export function parseTableState(search: string): TableState {
  const p = new URLSearchParams(search);
  const sortText = p.get('sort');
  const cols = p.get('cols');
  return {
    state: p.get('state') ?? '',
    q: p.get('q') ?? '',
    sort: sortText ? { key: sortText.replace(/^-/, ''), desc: sortText.startsWith('-') } : null,
    cols: cols === null ? null : cols.split(',').filter((c) => c !== ''),
    sel: (p.get('sel') ?? '')
      .split(',')
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
  };
}

export function tableStateToSearch(s: TableState): string {
  const p = new URLSearchParams();
  if (s.state) p.set('state', s.state);
  if (s.q) p.set('q', s.q);
  if (s.sort) p.set('sort', (s.sort.desc ? '-' : '') + s.sort.key);
  if (s.cols !== null) p.set('cols', s.cols.join(','));
  if (s.sel.length > 0) p.set('sel', s.sel.join(','));
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** Default columns: the varying parameters, then every metric logged by any run. */
export function defaultColumns(rows: RunRow[]): string[] {
  const metrics = new Set<string>();
  for (const r of rows) for (const m of Object.keys(r.metrics)) metrics.add(m);
  return [...varyingParams(rows.map((r) => r.run)).map((p) => `p:${p}`), ...[...metrics].sort().map((m) => `m:${m}`)];
}

/** The value of a column for one row: a number where one exists (so sorting is numeric), else text. */
export function cellValue(row: RunRow, key: string): string | number | boolean | null {
  const { run } = row;
  switch (key) {
    case 'id':
      return run.id;
    case 'index':
      return run.index;
    case 'state':
      return run.state;
    case 'seed':
      return run.seed;
    default:
      if (key.startsWith('p:')) return run.params[key.slice(2)] ?? null;
      if (key.startsWith('m:')) return row.metrics[key.slice(2)]?.last ?? null;
      return null;
  }
}

export function columnLabel(key: string): string {
  if (key.startsWith('p:')) return key.slice(2);
  if (key.startsWith('m:')) return `${key.slice(2)} (last)`;
  return { id: 'Run', index: '#', state: 'State', seed: 'Seed' }[key] ?? key;
}

/**
 * Filters rows: `state` matches the run state exactly, and every term of `q` must hold (see
 * {@link parseFilter}: `name OP value`, ranges `name=a..b`, free text in names and values).
 *
 * @throws FilterError naming the token of `q` that does not parse
 */
export function filterRows(rows: RunRow[], state: string, q: string): RunRow[] {
  const terms = parseFilter(q);
  if (!state && terms.length === 0) return rows;
  return rows.filter(
    (r) =>
      (!state || r.run.state === state) &&
      terms.every((t) =>
        holds(t, {
          value: (name) => valueOf(r, name),
          text: () => searchText(r),
          tags: () => r.run.tags ?? [],
        }),
      ),
  );
}

/** A parameter, else a metric's last value, else the run's state, seed or id. */
function valueOf(r: RunRow, name: string): string | number | boolean | null | undefined {
  if (name in r.run.params) return r.run.params[name] as string | number | boolean | null;
  if (name in r.metrics) return r.metrics[name]?.last;
  if (name === 'state') return r.run.state;
  if (name === 'seed') return r.run.seed;
  if (name === 'id') return r.run.id;
  return undefined;
}

const searchCache = new WeakMap<RunRow, string>();

function searchText(r: RunRow): string {
  let text = searchCache.get(r);
  if (text === undefined) {
    const { run } = r;
    text = [
      run.id,
      run.state,
      run.experimentName,
      run.displayName ?? '',
      run.message ?? '',
      run.executor ?? '',
      // values only: `muon` must not match every run through a parameter named muon_scale
      ...Object.values(run.params).map((v) => String(v)),
    ]
      .join(' ')
      .toLowerCase();
    searchCache.set(r, text);
  }
  return text;
}

/** Sorts a copy by one column; missing values and NaN go last whichever the direction. */
export function sortRows(rows: RunRow[], key: string, desc: boolean): RunRow[] {
  const keyed = rows.map((r) => ({ r, v: cellValue(r, key) }));
  keyed.sort((a, b) => {
    const am = a.v === null || (typeof a.v === 'number' && Number.isNaN(a.v));
    const bm = b.v === null || (typeof b.v === 'number' && Number.isNaN(b.v));
    if (am || bm) return am === bm ? 0 : am ? 1 : -1;
    let c: number;
    if (typeof a.v === 'number' && typeof b.v === 'number') c = a.v - b.v;
    else c = String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
    return desc ? -c : c;
  });
  return keyed.map((k) => k.r);
}

/**
 * A CSV cell, escaped as the server's exports do (MetricExport.csvText): a number as it is; text that starts
 * with = + - @, a tab or a carriage return gets a leading `'` (formula injection); quoted when needed.
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: run id, state, seed, then the given columns. */
export function rowsToCsv(rows: RunRow[], columns: string[]): string {
  const head = ['run', 'state', 'seed', ...columns.map(columnLabel)];
  const lines = [head.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push([r.run.id, r.run.state, r.run.seed, ...columns.map((c) => cellValue(r, c))].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Concatenates long-format CSV exports of several runs, keeping the first header only. */
export function concatCsv(parts: string[]): string {
  let header: string | null = null;
  const out: string[] = [];
  for (const part of parts) {
    const lines = part.split(/\r?\n/).filter((l) => l !== '');
    if (lines.length === 0) continue;
    if (header === null) {
      header = lines[0];
      out.push(header);
    }
    out.push(...lines.slice(lines[0] === header ? 1 : 0));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
