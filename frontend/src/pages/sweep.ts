import { api, exportUrl, MAX_EXPORT_RUNS } from '../api/client';
import {
  applyBrushes,
  buildAxis,
  position,
  positionMatrix,
  rampColor,
  valueAt,
  type Axis,
  type AxisValue,
  type Brush,
} from '../charts/parallel';
import { ParallelChart } from '../charts/parallelChart';
import { downloadCanvasPng } from '../charts/png';
import { formatNumber } from '../charts/transform';
import { button, el, labelled, status } from '../components/dom';
import { VirtualTable, type VirtualColumn } from '../components/virtualTable';
import { idColumn, selectColumn, stateCell } from './runColumns';
import { FilterError } from './filterGrammar';
import { filterRows, formatValue, joinSummaries, varyingParams, type RunRow } from './runs';
import { defaultMetric } from '../charts/systemMetrics';
import {
  METRIC_AXIS,
  parseSweepState,
  SUMMARIES,
  sweepStateToSearch,
  type Summary,
  type SweepState,
} from './sweepState';

/** The value of a row on an axis: a parameter (`p:NAME`) or the chosen metric summary. */
export function sweepValue(row: RunRow, axis: Axis, metric: string, summary: Summary): AxisValue {
  if (axis.key === METRIC_AXIS) return row.metrics[metric]?.[summary] ?? null;
  return row.run.params[axis.key.slice(2)];
}

/**
 * Parallel coordinates over an experiment's swept parameters and a metric summary: brush any axis to
 * filter, click lines (or "Select matching") to pick runs, open them in compare.
 */
export async function sweepPage(app: HTMLElement, id: number): Promise<() => void> {
  const started = performance.now();
  const [experiment, runs, summaries] = await Promise.all([api.experiment(id), api.runs(id), api.summaries(id)]);
  const rows = joinSummaries(runs, summaries);
  const state: SweepState = parseSweepState(location.search);
  const params = varyingParams(runs);
  const metrics = [...new Set(summaries.map((s) => s.metric))].sort();
  if (!metrics.includes(state.metric)) {
    state.metric =
      experiment.primaryMetric && metrics.includes(experiment.primaryMetric)
        ? experiment.primaryMetric
        : defaultMetric(metrics);
  }
  const selected = new Set(state.sel.filter((rid) => rows.some((r) => r.run.id === rid)));
  const live = status();
  const title = el('h1', `Sweep · ${experiment.name}`);
  const back = el('p');
  back.append(
    el('a', `${experiment.name}: runs table`, { href: `/experiments/${id}` }),
    ` · ${runs.length} runs · ${params.length} swept parameter${params.length === 1 ? '' : 's'}`,
  );
  if (params.length === 0 && metrics.length === 0) {
    app.replaceChildren(title, back, el('p', 'No swept parameters and no metrics yet: nothing to plot.'));
    return () => {};
  }

  const metricSelect = el('select', undefined, { name: 'metric' });
  metrics.forEach((m) => metricSelect.append(el('option', m, { value: m })));
  metricSelect.value = state.metric;
  const summarySelect = el('select', undefined, { name: 'summary' });
  SUMMARIES.forEach((s) =>
    summarySelect.append(el('option', { last: 'last value', min: 'minimum', max: 'maximum' }[s], { value: s })),
  );
  summarySelect.value = state.summary;
  // The runs table's filter grammar, applied before the brushes; a filter that does not parse names its token
  // and the view keeps its last good filter, as the runs table does.
  const search = el('input', undefined, {
    type: 'search',
    name: 'q',
    placeholder: 'text, lr=0.1, loss<=2, lr=0.01..0.1',
    size: '28',
  });
  search.value = state.q;
  const filterError = el('span', '', { class: 'filter-error', role: 'alert' });
  const count = el('span', '', { class: 'count', 'aria-live': 'polite' });
  const compare = button('Compare selected', () => {
    location.href = `/compare?runs=${[...selected].join(',')}${state.metric ? `&metric=${encodeURIComponent(state.metric)}` : ''}`;
  });
  const arrow = el('a', 'Arrow of selection', { class: 'button', download: '' });
  const toolbar = el('div', undefined, { class: 'toolbar', role: 'toolbar', 'aria-label': 'Sweep view' });
  toolbar.append(
    labelled('Metric', metricSelect),
    labelled('Summary', summarySelect),
    labelled('Filter', search),
    filterError,
    button(
      'Select matching',
      () => {
        matching.forEach((r) => selected.add(r.run.id));
        changed();
      },
      { title: 'Add every run that passes the filter and the brushes to the selection' },
    ),
    button('Clear selection', () => {
      selected.clear();
      changed();
    }),
    button('Clear brushes', () => {
      state.brushes.clear();
      refilter(true);
    }),
    compare,
    arrow,
    count,
  );

  const chart = new ParallelChart({
    label: `Parallel coordinates of ${experiment.name}: one line per run through its parameters and ${state.metric}`,
    onBrush: (key, brush) => {
      if (brush) state.brushes.set(key, brush);
      else state.brushes.delete(key);
      refilter(true);
    },
    onPick: (row) => {
      const runId = rows[row].run.id;
      if (selected.has(runId)) selected.delete(runId);
      else selected.add(runId);
      live.textContent = `Run ${runId} ${selected.has(runId) ? 'selected' : 'unselected'}.`;
      changed();
    },
  });
  // Escape on the focused chart clears every brush (the filters below are the keyboard way to set them).
  chart.canvas.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || state.brushes.size === 0) return;
    state.brushes.clear();
    refilter(true);
    live.textContent = 'Brushes cleared.';
  });
  const figure = el('figure', undefined, { class: 'chart sweep' });
  const caption = el('figcaption');
  caption.append(
    el('span', 'Parallel coordinates'),
    button('PNG', () => downloadCanvasPng(chart.canvas, `${experiment.name}-sweep`), {
      class: 'small',
      'aria-label': 'Download the sweep chart as PNG',
    }),
  );
  const holder = el('div', undefined, { class: 'parallel-holder' });
  holder.append(chart.canvas);
  const legend = el('div', undefined, { class: 'ramp-legend' });
  figure.append(
    caption,
    holder,
    legend,
    el(
      'p',
      'Drag along an axis to brush it (a click on the axis clears it, Escape clears all); click a line to select its run.',
      { class: 'hint' },
    ),
  );

  const filters = el('fieldset', undefined, { class: 'brushes' });
  const matchTable = new VirtualTable<RunRow>({
    caption: 'Runs that pass the filter and the brushes',
    rowHeight: 30,
    rowClass: (r) => (selected.has(r.run.id) ? 'selected' : ''),
  });
  matchTable.element.classList.add('short');

  // Brushes of a hand-edited link that do not parse are named, not silently dropped.
  const ignored =
    state.ignored.length === 0
      ? []
      : [el('p', `Ignored from the link: ${state.ignored.join('; ')}.`, { role: 'alert', class: 'not-found' })];
  app.replaceChildren(
    title,
    back,
    ...ignored,
    toolbar,
    live,
    figure,
    filters,
    el('h2', 'Matching runs'),
    matchTable.element,
  );

  let axes: Axis[] = [];
  let filtered: RunRow[] = rows;
  let matching: RunRow[] = rows;
  let active = new Uint8Array(rows.length);
  let colors: Float64Array = new Float64Array(rows.length);
  let positions: Float64Array = new Float64Array(0);

  function value(row: RunRow, axis: Axis): AxisValue {
    return sweepValue(row, axis, state.metric, state.summary);
  }

  function metricAxis(): Axis | null {
    return axes.find((a) => a.key === METRIC_AXIS) ?? null;
  }

  /** Axes, positions and colours for the current metric and summary. */
  function rebuildAxes(): void {
    axes = params.map((p) =>
      buildAxis(
        `p:${p}`,
        p,
        rows.map((r) => r.run.params[p]),
      ),
    );
    if (state.metric) {
      axes.push(
        buildAxis(
          METRIC_AXIS,
          `${state.metric} (${state.summary})`,
          rows.map((r) => r.metrics[state.metric]?.[state.summary] ?? null),
        ),
      );
    }
    positions = positionMatrix(rows, axes, value);
    const m = metricAxis();
    colors = new Float64Array(rows.map((r) => (m ? (position(m, value(r, m)) ?? NaN) : NaN)));
    renderLegend(m);
  }

  function renderLegend(m: Axis | null): void {
    if (!m || m.kind === 'category') {
      legend.replaceChildren();
      return;
    }
    const bar = el('span', undefined, {
      class: 'ramp',
      'aria-hidden': 'true',
      style: `background: linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(rampColor).join(', ')})`,
    });
    legend.replaceChildren(
      el('span', `Colour: ${m.label}${m.kind === 'log' ? ', log scale' : ''}`),
      ' ',
      el('span', formatNumber(m.min)),
      bar,
      el('span', formatNumber(m.max)),
      ' ',
      el('span', `middle ${formatNumber(valueAt(m, 0.5))}`, { class: 'count' }),
      ' ',
      el('span', '■', { style: 'color: #787878', 'aria-hidden': 'true' }),
      ' no value',
    );
  }

  /** Applies the filter text; on an error keeps the last good filter and says which token is wrong. */
  function applyFilter(): void {
    try {
      filtered = filterRows(rows, '', state.q);
      filterError.textContent = '';
      search.removeAttribute('aria-invalid');
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      filterError.textContent = `Filter ${e.message}`;
      search.setAttribute('aria-invalid', 'true');
    }
  }
  search.addEventListener('input', () => {
    state.q = search.value.trim();
    applyFilter();
    refilter(false);
  });

  function refilter(fromChart: boolean): void {
    matching = applyBrushes(filtered, axes, state.brushes, value);
    const pass = new Set(matching);
    active = new Uint8Array(rows.map((r) => (pass.has(r) ? 1 : 0)));
    const m = metricAxis();
    matching = [...matching].sort((a, b) => {
      const va = m ? value(a, m) : null;
      const vb = m ? value(b, m) : null;
      if (typeof va !== 'number') return typeof vb === 'number' ? 1 : 0;
      if (typeof vb !== 'number') return -1;
      return experiment.metricGoal === 'MAX' ? vb - va : va - vb;
    });
    matchTable.setRows(matching);
    if (fromChart) renderFilters();
    changed();
  }

  function changed(): void {
    const selectedRows = [...selected];
    count.textContent = `${matching.length} of ${rows.length} runs match · ${selected.size} selected`;
    compare.disabled = selected.size === 0;
    compare.textContent = `Compare selected (${selected.size})`;
    const url = exportUrl('arrow', id, selectedRows, selected.size === rows.length);
    if (url) {
      arrow.setAttribute('href', url);
      arrow.removeAttribute('aria-disabled');
      arrow.title = 'Every point of the selected runs as an Arrow IPC file';
    } else {
      arrow.removeAttribute('href');
      arrow.setAttribute('aria-disabled', 'true');
      arrow.title =
        selected.size === 0 ? 'Select runs first' : `At most ${MAX_EXPORT_RUNS} runs (or all of them) per download`;
    }
    const index = new Map(rows.map((r, i) => [r.run.id, i]));
    chart.setData({
      axes,
      positions,
      rows: rows.length,
      color: colors,
      active,
      brushes: state.brushes,
      lowOnTop: experiment.metricGoal !== 'MAX',
      selected: new Set(selectedRows.map((rid) => index.get(rid)!)),
    });
    matchTable.redraw();
    state.sel = selectedRows;
    history.replaceState(null, '', `${location.pathname}${sweepStateToSearch(state)}`);
  }

  /** The keyboard way to brush: from/to per numeric axis, a checkbox per category. */
  function renderFilters(): void {
    filters.replaceChildren(el('legend', 'Filters (the same as brushing the axes)'));
    for (const axis of axes) {
      const brush = state.brushes.get(axis.key);
      const row = el('div', undefined, { class: 'brush-row' });
      row.append(el('span', axis.label, { class: 'brush-label' }));
      if (axis.kind === 'category') {
        for (const c of axis.categories.slice(0, 50)) {
          const box = el('input', undefined, { type: 'checkbox', 'aria-label': `${axis.label} is ${c}` });
          box.checked = brush?.kind === 'set' && brush.values.includes(c);
          box.addEventListener('change', () => {
            const current = state.brushes.get(axis.key);
            const values = new Set(current?.kind === 'set' ? current.values : []);
            if (box.checked) values.add(c);
            else values.delete(c);
            setBrush(
              axis.key,
              values.size === 0 ? null : { kind: 'set', values: axis.categories.filter((v) => values.has(v)) },
            );
          });
          row.append(labelled(c, box));
        }
      } else {
        const range = brush?.kind === 'range' ? brush : null;
        const from = el('input', undefined, {
          type: 'number',
          step: 'any',
          size: '10',
          'aria-label': `${axis.label} from`,
          placeholder: formatNumber(axis.min),
        });
        const to = el('input', undefined, {
          type: 'number',
          step: 'any',
          size: '10',
          'aria-label': `${axis.label} to`,
          placeholder: formatNumber(axis.max),
        });
        if (range && Number.isFinite(range.lo)) from.value = String(Number(range.lo.toPrecision(6)));
        if (range && Number.isFinite(range.hi)) to.value = String(Number(range.hi.toPrecision(6)));
        const apply = () => {
          const lo = from.value === '' ? -Infinity : Number(from.value);
          const hi = to.value === '' ? Infinity : Number(to.value);
          setBrush(
            axis.key,
            lo === -Infinity && hi === Infinity ? null : { kind: 'range', lo: Math.min(lo, hi), hi: Math.max(lo, hi) },
          );
        };
        from.addEventListener('change', apply);
        to.addEventListener('change', apply);
        row.append(labelled('from', from), labelled('to', to));
      }
      filters.append(row);
    }
  }

  function setBrush(key: string, brush: Brush | null): void {
    if (brush) state.brushes.set(key, brush);
    else state.brushes.delete(key);
    refilter(false);
  }

  function tableColumns(): VirtualColumn<RunRow>[] {
    return [
      selectColumn(selected, changed),
      idColumn,
      { key: 'state', label: 'State', cell: (r) => stateCell(r.run) },
      ...params.map((p): VirtualColumn<RunRow> => ({
        key: `p:${p}`,
        label: p,
        cell: (r) => formatValue(r.run.params[p]),
      })),
      {
        key: 'metric',
        label: `${state.metric} (${state.summary})`,
        numeric: true,
        cell: (r) => formatNumber(r.metrics[state.metric]?.[state.summary] ?? null),
      },
      { key: 'seed', label: 'Seed', numeric: true, cell: (r) => String(r.run.seed) },
    ];
  }

  function metricChanged(): void {
    state.metric = metricSelect.value;
    state.summary = summarySelect.value as Summary;
    state.brushes.delete(METRIC_AXIS);
    rebuildAxes();
    matchTable.setColumns(tableColumns(), null);
    refilter(true);
  }
  metricSelect.addEventListener('change', metricChanged);
  summarySelect.addEventListener('change', metricChanged);

  rebuildAxes();
  matchTable.setColumns(tableColumns(), null);
  applyFilter();
  refilter(true);
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      app.dataset.drawMs = chart.lastDrawMs.toFixed(1);
      app.dataset.renderMs = (performance.now() - started).toFixed(1);
    }),
  );
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}
