import { api, exportUrl, MAX_EXPORT_RUNS } from '../api/client';
import type { ExperimentView } from '../api/types';
import { formatNumber } from '../charts/transform';
import { button, download, el, labelled, status } from '../components/dom';
import { VirtualTable, type VirtualColumn } from '../components/virtualTable';
import { idColumn, selectColumn, stateCell } from './runColumns';
import { FilterError } from './filterGrammar';
import {
  cellValue,
  columnLabel,
  concatCsv,
  defaultColumns,
  filterRows,
  joinSummaries,
  parseTableState,
  rowsToCsv,
  sortRows,
  tableStateToSearch,
  type RunRow,
  type TableState,
} from './runs';

const STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'PRUNED'];

export function stateSummary(e: ExperimentView): string {
  return Object.entries(e.runsByState)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
    .join(', ');
}

/** The runs of one experiment: a virtualized, filterable, sortable table; selection opens compare. */
export async function experimentPage(app: HTMLElement, id: number): Promise<void> {
  const started = performance.now();
  const [experiment, runs, summaries] = await Promise.all([
    api.experiment(id),
    api.runs(id),
    api.summaries(id).catch(() => []),
  ]);
  const dataAt = performance.now();
  const rows = joinSummaries(runs, summaries);
  const state: TableState = parseTableState(location.search);
  const selected = new Set(state.sel);
  const allColumns = defaultColumns(rows);
  const live = status();

  app.replaceChildren(
    el('h1', experiment.name),
    el(
      'p',
      `${experiment.kind} · ${experiment.runCount} runs · ${stateSummary(experiment)}${experiment.primaryMetric ? ` · primary metric ${experiment.primaryMetric} (${(experiment.metricGoal ?? '').toLowerCase()})` : ''}`,
    ),
  );

  const stateSelect = el('select', undefined, { name: 'state' });
  stateSelect.append(
    el('option', 'any', { value: '' }),
    ...STATES.map((s) => el('option', s.toLowerCase(), { value: s })),
  );
  stateSelect.value = state.state;
  const search = el('input', undefined, {
    type: 'search',
    name: 'q',
    placeholder: 'text, lr=0.1, loss<=2, lr=0.01..0.1',
    size: '28',
  });
  search.value = state.q;
  // Where a filter that does not parse says which token and why; the table keeps its last good filter.
  const filterError = el('span', '', { class: 'filter-error', role: 'alert' });
  const count = el('span', '', { class: 'count' });
  const compare = button('Compare selected', () => {
    const ids = [...selected];
    location.href = `/compare?runs=${ids.join(',')}${experiment.primaryMetric ? `&metric=${encodeURIComponent(experiment.primaryMetric)}` : ''}`;
  });
  const selectShown = button('Select shown', () => {
    visible.forEach((r) => selected.add(r.run.id));
    changed();
  });
  const clear = button('Clear selection', () => {
    selected.clear();
    changed();
  });
  const sweepLink = el('a', 'Sweep view', {
    href: `/experiments/${id}/sweep`,
    class: 'button',
    title: 'Parallel coordinates of the swept parameters',
  });
  const csvTable = button('Table CSV', () =>
    download(`experiment-${id}-runs.csv`, rowsToCsv(selectedOrVisible(), shownColumns())),
  );
  // The server streams every point of all chosen runs in one response (no cap); only a selection too long for a
  // URL falls back to one request per run, and then says which runs it could not read.
  const csvMetrics = el('a', 'Metrics CSV', { class: 'button', download: `experiment-${id}-metrics.csv` });
  csvMetrics.addEventListener('click', (event) => {
    if (csvMetrics.hasAttribute('href')) return;
    event.preventDefault();
    void (async () => {
      const target = selectedOrVisible();
      const parts: string[] = [];
      const unread: number[] = [];
      for (let i = 0; i < target.length; i += 8) {
        const batch = target.slice(i, i + 8);
        const texts = await Promise.all(batch.map((r) => api.csv(r.run.id).catch(() => null)));
        texts.forEach((t, k) => (t === null ? unread.push(batch[k].run.id) : parts.push(t)));
        live.textContent = `Fetching metrics: ${i + batch.length} of ${target.length} runs…`;
      }
      download(`experiment-${id}-metrics.csv`, concatCsv(parts));
      live.textContent =
        `Downloaded metrics of ${parts.length} of ${target.length} runs.` +
        (unread.length > 0 ? ` Could not read runs ${unread.join(', ')}.` : '');
    })();
  });

  const arrowMetrics = el('a', 'Metrics Arrow', { class: 'button', download: '' });

  const columnPicker = el('details', undefined, { class: 'columns' });
  columnPicker.append(el('summary', 'Columns'));
  const chosen = new Set(state.cols ?? allColumns);
  const optional = [...new Set([...allColumns, ...Object.keys(runs[0]?.params ?? {}).map((p) => `p:${p}`)])];
  for (const key of optional) {
    const box = el('input', undefined, { type: 'checkbox', value: key });
    box.checked = chosen.has(key);
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(key);
      else chosen.delete(key);
      state.cols = optional.filter((k) => chosen.has(k));
      rebuild();
    });
    columnPicker.append(labelled(columnLabel(key), box));
  }

  const toolbar = el('div', undefined, { class: 'toolbar', role: 'toolbar', 'aria-label': 'Runs table' });
  toolbar.append(
    labelled('State', stateSelect),
    labelled('Filter', search),
    filterError,
    count,
    selectShown,
    clear,
    compare,
    sweepLink,
    csvTable,
    csvMetrics,
    arrowMetrics,
    columnPicker,
  );
  app.append(toolbar, live);

  const tableView = new VirtualTable<RunRow>({
    caption: `Runs of ${experiment.name}`,
    onSort: (key) => {
      state.sort = state.sort?.key === key ? { key, desc: !state.sort.desc } : { key, desc: false };
      rebuild();
    },
    rowClass: (r) => (selected.has(r.run.id) ? 'selected' : ''),
  });
  app.append(tableView.element);

  const spec = el('details');
  spec.append(el('summary', 'Spec'), el('pre', experiment.specText ?? ''));
  app.append(spec);

  let visible: RunRow[] = rows;

  function shownColumns(): string[] {
    return optional.filter((k) => chosen.has(k));
  }

  function selectedOrVisible(): RunRow[] {
    return selected.size > 0 ? rows.filter((r) => selected.has(r.run.id)) : visible;
  }

  function columns(): VirtualColumn<RunRow>[] {
    const fixed: VirtualColumn<RunRow>[] = [
      { key: 'index', label: '#', numeric: true, cell: (r) => String(r.run.index) },
      {
        key: 'state',
        label: 'State',
        cell: (r) => stateCell(r.run),
      },
    ];
    const chosenColumns: VirtualColumn<RunRow>[] = shownColumns().map((key) => ({
      key,
      label: columnLabel(key),
      numeric: key.startsWith('m:'),
      cell: (r) => {
        const v = cellValue(r, key);
        return typeof v === 'number' && key.startsWith('m:') ? formatNumber(v) : v === null ? '' : String(v);
      },
    }));
    return [
      selectColumn(selected, changed),
      idColumn,
      ...fixed,
      ...chosenColumns,
      { key: 'seed', label: 'Seed', numeric: true, cell: (r) => String(r.run.seed) },
    ];
  }

  function syncUrl(): void {
    state.sel = [...selected];
    history.replaceState(null, '', `${location.pathname}${tableStateToSearch(state)}`);
  }

  function changed(): void {
    count.textContent = `${visible.length} of ${rows.length} runs · ${selected.size} selected`;
    compare.disabled = selected.size === 0;
    const target = selectedOrVisible();
    const url = exportUrl(
      'arrow',
      id,
      target.map((r) => r.run.id),
      target.length === rows.length,
    );
    const csvUrl = exportUrl(
      'csv',
      id,
      target.map((r) => r.run.id),
      target.length === rows.length,
    );
    if (csvUrl) csvMetrics.setAttribute('href', csvUrl);
    else csvMetrics.removeAttribute('href');
    csvMetrics.title = `Every point of the ${selected.size > 0 ? 'selected' : 'shown'} runs (${target.length}), long format`;
    if (url) arrowMetrics.setAttribute('href', url);
    else arrowMetrics.removeAttribute('href');
    arrowMetrics.title = url
      ? `Every point of the ${selected.size > 0 ? 'selected' : 'shown'} runs as an Arrow IPC file (run, step, time_ms, a column per metric)`
      : `At most ${MAX_EXPORT_RUNS} runs (or all of them) per Arrow download`;
    tableView.redraw();
    syncUrl();
  }

  function rebuild(): void {
    try {
      visible = filterRows(rows, state.state, state.q);
      filterError.textContent = '';
      search.removeAttribute('aria-invalid');
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      filterError.textContent = `Filter ${e.message}`;
      search.setAttribute('aria-invalid', 'true');
      return;
    }
    if (state.sort) visible = sortRows(visible, state.sort.key, state.sort.desc);
    tableView.setColumns(columns(), state.sort);
    tableView.setRows(visible);
    changed();
  }

  let debounce = 0;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      state.q = search.value;
      rebuild();
    }, 150);
  });
  stateSelect.addEventListener('change', () => {
    state.state = stateSelect.value;
    rebuild();
  });
  rebuild();
  requestAnimationFrame(() => {
    // Performance figures for the browser tests: fetch, and first screen after the data arrived.
    const render = performance.now() - dataAt;
    app.dataset.fetchMs = (dataAt - started).toFixed(1);
    app.dataset.renderMs = render.toFixed(1);
    console.info(
      `runs table: ${rows.length} runs fetched in ${(dataAt - started).toFixed(0)} ms, first screen ${render.toFixed(1)} ms after the data arrived`,
    );
  });
}
