import { api, events, exportUrl, MAX_EXPORT_RUNS } from '../api/client';
import type { EventView, ExperimentView, SummaryView } from '../api/types';
import { button, download, el, labelled, status } from '../components/dom';
import { confirmDialog } from '../components/confirm';
import { VirtualTable, type VirtualColumn } from '../components/virtualTable';
import { BULK_ACTIONS, bulkRequest, bulkSummary, runBulk, type BulkAction } from './bulk';
import { applyEvent, indexRows, Throttle } from './liveRuns';
import { columnChooser, dataColumn, idColumn, selectColumn } from './runColumns';
import { experimentTarget, labelsPane } from './runLabels';
import { FilterError } from './filterGrammar';
import {
  availableColumns,
  columnsStorageKey,
  concatCsv,
  defaultColumns,
  filterRows,
  joinSummaries,
  keepKnownColumns,
  parseStoredColumns,
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

function summaryLine(e: ExperimentView): string {
  return `${e.kind} · ${e.runCount} runs · ${stateSummary(e)}${e.primaryMetric ? ` · primary metric ${e.primaryMetric} (${(e.metricGoal ?? '').toLowerCase()})` : ''}`;
}

/**
 * The runs of one experiment: a virtualized, filterable, sortable table that follows the runs live (server-sent
 * events: states and last values), with a column chooser remembered per experiment, bulk actions on the
 * selection, and the experiment's own name, tags and note. Selection opens compare. Returns a cleanup.
 */
export async function experimentPage(app: HTMLElement, id: number): Promise<() => void> {
  const started = performance.now();
  const state: TableState = parseTableState(location.search);
  let [experiment, runs, summaries] = await Promise.all([
    api.experiment(id),
    api.runs(id, state.archived),
    api.summaries(id).catch((): SummaryView[] => []),
  ]);
  const dataAt = performance.now();
  let rows = joinSummaries(runs, summaries);
  let rowIndex = indexRows(rows);
  const selected = new Set(state.sel);
  const live = status();
  const heading = el('h1');
  const summary = el('p');
  function renderHeading(): void {
    heading.replaceChildren(
      experiment.name,
      ...(experiment.displayName ? [' ', el('span', experiment.displayName, { class: 'display-name' })] : []),
    );
    summary.textContent = summaryLine(experiment);
  }
  renderHeading();
  // A save redraws the pane with what the server stored, keeping its status line (as the run page does).
  const makeLabels = (): HTMLElement =>
    labelsPane(experimentTarget(id), experiment, (stored) => {
      experiment = { ...experiment, ...stored };
      renderHeading();
      const said = labels.querySelector('.labels-status')?.textContent ?? '';
      const fresh = makeLabels();
      const line = fresh.querySelector('.labels-status');
      if (line) line.textContent = said;
      labels.replaceWith(fresh);
      labels = fresh;
    });
  let labels = makeLabels();
  app.replaceChildren(heading, summary, labels);

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

  // The columns: those of the URL, else this browser's choice for this experiment, else the defaults (which
  // follow the data: a metric logged after the page opened joins them).
  const storageKey = columnsStorageKey(id);
  let explicit: string[] | null = state.cols ?? parseStoredColumns(localStorage.getItem(storageKey));
  const defaults = () => defaultColumns(rows, experiment.primaryMetric, experiment.metricGoal);
  const available = () => availableColumns(rows, defaults());
  const columnPicker = columnChooser({
    available,
    shown: () => shownColumns(),
    choose: (cols) => {
      explicit = cols;
      if (cols === null) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(cols));
      state.cols = cols;
      rebuild();
      columnPicker.refresh();
    },
  });

  const archivedBox = el('input', undefined, { type: 'checkbox', name: 'archived' });
  archivedBox.checked = state.archived;
  archivedBox.addEventListener('change', () => {
    state.archived = archivedBox.checked;
    void refetchRuns();
  });

  // Bulk actions on the selection, through the single-run endpoints; each refusal is listed with its reason.
  const bulkErrors = el('ul', undefined, { class: 'bulk-errors', 'aria-label': 'Runs the action could not change' });
  const bulk = el('div', undefined, { class: 'bulk', role: 'group', 'aria-label': 'Selected runs' });
  const bulkButtons = BULK_ACTIONS.map(({ action, label }) =>
    button(label, () => void bulkAct(action), {
      'data-action': action,
      ...(action === 'delete' || action === 'cancel' ? { class: 'danger' } : {}),
    }),
  );
  bulk.append(el('span', 'Selected:', { class: 'count' }), ...bulkButtons);

  async function bulkAct(action: BulkAction): Promise<void> {
    const ids = [...selected];
    if (ids.length === 0) return;
    if (action === 'delete') {
      const sure = await confirmDialog(
        `Delete ${ids.length} run${ids.length === 1 ? '' : 's'}?`,
        'Their rows, metrics, artifacts and manifests are removed for good; running runs are refused (cancel them first).',
        'Delete runs',
      );
      if (!sure) return;
    }
    bulkButtons.forEach((b) => (b.disabled = true));
    live.textContent = `Working on ${ids.length} runs…`;
    const outcome = await runBulk(ids, (runId) => bulkRequest(action, runId));
    live.textContent = bulkSummary(action, outcome);
    bulkErrors.replaceChildren(...outcome.failed.map((f) => el('li', `Run ${f.runId}: ${f.message}`)));
    if (action === 'delete') outcome.done.forEach((runId) => selected.delete(runId));
    await refetchRuns();
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
    labelled('Show archived', archivedBox),
    columnPicker,
  );
  app.append(toolbar, bulk, live, bulkErrors);

  const tableView = new VirtualTable<RunRow>({
    caption: `Runs of ${experiment.name}`,
    onSort: (key) => {
      state.sort = state.sort?.key === key ? { key, desc: !state.sort.desc } : { key, desc: false };
      rebuild();
    },
    rowClass: (r) => [selected.has(r.run.id) ? 'selected' : '', r.run.archived ? 'archived' : ''].join(' ').trim(),
  });
  app.append(tableView.element);

  const spec = el('details');
  spec.append(el('summary', 'Spec'), el('pre', experiment.specText ?? ''));
  app.append(spec);

  let visible: RunRow[] = rows;

  function shownColumns(): string[] {
    return explicit === null ? defaults() : keepKnownColumns(explicit, available());
  }

  function selectedOrVisible(): RunRow[] {
    return selected.size > 0 ? rows.filter((r) => selected.has(r.run.id)) : visible;
  }

  function columns(): VirtualColumn<RunRow>[] {
    return [selectColumn(selected, changed), idColumn, ...shownColumns().map(dataColumn)];
  }

  function syncUrl(): void {
    state.sel = [...selected];
    history.replaceState(null, '', `${location.pathname}${tableStateToSearch(state)}`);
  }

  function changed(): void {
    count.textContent = `${visible.length} of ${rows.length} runs · ${selected.size} selected`;
    compare.disabled = selected.size === 0;
    bulkButtons.forEach((b) => (b.disabled = selected.size === 0));
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

  // Live: events change rows in place and redraw at most 4 times a second; a run the table does not know (a
  // retry, a new run) refetches the list; min/max (best) are exact again with each summaries fetch.
  async function refetchRuns(): Promise<void> {
    [runs, summaries] = await Promise.all([api.runs(id, state.archived), api.summaries(id).catch(() => summaries)]);
    rows = joinSummaries(runs, summaries);
    rowIndex = indexRows(rows);
    columnPicker.refresh();
    rebuild();
  }
  const redraw = new Throttle(() => {
    rebuild();
    app.dataset.liveUpdates = String(Number(app.dataset.liveUpdates ?? '0') + 1);
  }, 250);
  const runsAgain = new Throttle(refetchRuns, 1000);
  const summariesAgain = new Throttle(async () => {
    summaries = await api.summaries(id).catch(() => summaries);
    rows = joinSummaries(
      rows.map((r) => r.run),
      summaries,
    );
    rowIndex = indexRows(rows);
    redraw.request();
  }, 5000);
  const headingAgain = new Throttle(async () => {
    experiment = { ...(await api.experiment(id)), ...labelFields(experiment) };
    renderHeading();
  }, 1000);
  const source = events(id);
  source.onmessage = (message) => {
    const event = JSON.parse(message.data) as EventView;
    const effect = applyEvent(rows, rowIndex, event);
    if (effect === 'unknown-run') runsAgain.request();
    else if (effect === 'changed') redraw.request();
    if (event.type === 'state') headingAgain.request();
    if (event.type === 'metrics') summariesAgain.request();
  };

  requestAnimationFrame(() => {
    // Performance figures for the browser tests: fetch, and first screen after the data arrived.
    const render = performance.now() - dataAt;
    app.dataset.fetchMs = (dataAt - started).toFixed(1);
    app.dataset.renderMs = render.toFixed(1);
    console.info(
      `runs table: ${rows.length} runs fetched in ${(dataAt - started).toFixed(0)} ms, first screen ${render.toFixed(1)} ms after the data arrived`,
    );
  });
  return () => {
    source.close();
    [redraw, runsAgain, summariesAgain, headingAgain].forEach((t) => t.cancel());
  };
}

/** The labels as last saved on this page (a refetch for the run counts must not undo an edit in flight). */
function labelFields(e: ExperimentView): Pick<ExperimentView, 'displayName' | 'tags' | 'note' | 'archived'> {
  return { displayName: e.displayName, tags: e.tags, note: e.note, archived: e.archived };
}
