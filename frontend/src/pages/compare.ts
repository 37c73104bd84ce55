import { api, exportUrl, MAX_EXPORT_RUNS } from '../api/client';
import type { GroupsView, RunDetailView } from '../api/types';
import { Chart, color, type ChartLine } from '../charts/chart';
import {
  formatNumber,
  formatP,
  groupLine,
  relativeX,
  seriesLine,
  snapToGrid,
  toNumber,
  type Line,
} from '../charts/transform';
import { button, download, el, labelled, status, table } from '../components/dom';
import {
  compareStateToSearch,
  describeEfficiency,
  formatEfficiency,
  parseCompareState,
  serverX,
  unknownRuns,
  unknownRunsNotice,
  splitParams,
  withoutPruned,
  type CompareState,
} from './compareState';
import { SmallMultiples } from './multiples';
import { concatCsv, formatValue, varyingParams } from './runs';
import { defaultMetric } from '../charts/systemMetrics';

const GRID = 2000;

/** Overlays a metric of the selected runs; groups by parameters with mean and CI band; group table with tests. */
export async function comparePage(app: HTMLElement): Promise<() => void> {
  const started = performance.now();
  const state: CompareState = parseCompareState(location.search);
  if (state.runs.length === 0) {
    app.replaceChildren(
      el('h1', 'Compare'),
      el('p', 'Select runs in an experiment\'s runs table, then press "Compare selected".'),
    );
    return () => {};
  }
  // Ids that are not runs (deleted, mistyped) are named in a notice; the page shows the others.
  const found = await api.knownDetails(state.runs);
  const notFound = unknownRunsNotice(
    unknownRuns(
      state.runs,
      found.map((d) => d.run.id),
    ),
    found.length,
  );
  // Runs stopped early by a search (ASHA, Hyperband) are a biased sample of their configuration: they can be left out.
  const prunedCount = found.filter((d) => d.run.state === 'PRUNED').length;
  const details = withoutPruned(found, state.noPruned);
  const ids = details.map((d) => d.run.id);
  const notice = notFound ? [el('p', notFound, { role: 'alert', class: 'not-found' })] : [];
  if (details.length === 0) {
    app.replaceChildren(el('h1', 'Compare'), ...notice);
    return () => {};
  }
  const metrics = [...new Set(details.flatMap((d) => d.metrics.map((m) => m.metric)))].sort();
  if (!state.metric || !metrics.includes(state.metric)) state.metric = defaultMetric(metrics);
  const varying = varyingParams(details.map((d) => d.run));
  const allParams = [...new Set(details.flatMap((d) => Object.keys(d.run.params)))].sort();
  const live = status();

  // Controls.
  const metricSelect = el('select');
  metrics.forEach((m) => metricSelect.append(el('option', m, { value: m })));
  metricSelect.value = state.metric;
  const xSelect = el('select');
  xSelect.append(el('option', 'step', { value: 'step' }), el('option', 'time (s)', { value: 'time' }));
  metrics.forEach((m) => xSelect.append(el('option', `metric: ${m}`, { value: m })));
  xSelect.value = state.x;
  const smoothing = el('input', undefined, {
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    value: String(state.smooth),
  });
  const smoothingValue = el('output', String(state.smooth));
  const logScale = el('input', undefined, { type: 'checkbox' });
  logScale.checked = state.log;
  const raw = el('input', undefined, { type: 'checkbox' });
  raw.checked = state.raw;
  const excludePruned = el('input', undefined, { type: 'checkbox' });
  excludePruned.checked = state.noPruned;
  excludePruned.disabled = prunedCount === 0 && !state.noPruned;
  excludePruned.addEventListener('change', () => {
    state.noPruned = excludePruned.checked;
    location.search = compareStateToSearch(state);
  });
  const byBoxes = el('fieldset', undefined, { class: 'group-by' });
  byBoxes.append(el('legend', 'Group by'));
  // Parameters that differ are offered first; the constant ones only matter with runs from several experiments.
  const offered = [...varying, ...allParams.filter((p) => !varying.includes(p) && state.by.includes(p))];
  for (const p of offered) {
    const box = el('input', undefined, { type: 'checkbox', value: p });
    box.checked = state.by.includes(p);
    box.addEventListener('change', () => {
      state.by = offered.filter(
        (name) => (byBoxes.querySelector(`input[value="${CSS.escape(name)}"]`) as HTMLInputElement).checked,
      );
      state.baseline = '';
      void draw();
    });
    byBoxes.append(labelled(p, box));
  }
  if (offered.length === 0) byBoxes.append(el('span', 'All parameters are the same in these runs (seeds aside).'));
  const scalarSelect = el('select');
  [
    ['final', 'final value'],
    ['best', 'best value'],
    ['min', 'minimum'],
    ['max', 'maximum'],
    ['mean_last_10', 'mean of last 10'],
    ['change', 'change (final − first)'],
  ].forEach(([v, t]) => scalarSelect.append(el('option', t, { value: v })));
  scalarSelect.value = state.scalar;

  const toolbar = el('div', undefined, { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' });
  const smoothLabel = el('label');
  smoothLabel.append('Smoothing ', smoothing, ' ', smoothingValue);
  toolbar.append(
    labelled('Metric', metricSelect),
    labelled('X axis', xSelect),
    smoothLabel,
    labelled('Log scale', logScale),
    labelled('Raw runs with groups', raw),
    labelled(`Exclude pruned runs (${prunedCount})`, excludePruned),
    button(
      'Metrics CSV',
      async () => {
        const parts = await Promise.all(ids.map((id) => api.csv(id).catch(() => '')));
        download('compare-metrics.csv', concatCsv(parts));
      },
      { title: 'Every point of the compared runs, long format' },
    ),
    arrowLink(),
  );

  function arrowLink(): HTMLElement {
    const url = exportUrl('arrow', null, ids);
    return url
      ? el('a', 'Metrics Arrow', {
          href: url,
          download: 'compare-metrics.arrow',
          class: 'button',
          title: 'Every point of the compared runs as an Arrow IPC file',
        })
      : el('span', `Arrow export: at most ${MAX_EXPORT_RUNS} runs`, { class: 'count' });
  }

  const chart = new Chart({
    title: state.metric,
    xLabel: state.x,
    lines: [],
    smoothing: state.smooth,
    log: state.log,
    height: 380,
    onZoom: (range) => void zoom(range),
  });
  const groupSection = el('section', undefined, { 'aria-label': 'Group comparison' });
  const runsSection = el('section', undefined, { 'aria-label': 'Compared runs' });

  const multiples = new SmallMultiples(
    details,
    metrics,
    state,
    () => syncUrl(),
    (d) => runLabel(d),
  );
  const diffSection = el('section', undefined, { 'aria-label': 'Manifest diff' });
  if (details.length >= 2) renderDiff(diffSection, details);
  app.replaceChildren(
    el('h1', `Compare ${ids.length} runs`),
    ...notice,
    toolbar,
    byBoxes,
    live,
    chart.figure,
    groupSection,
    multiples.element,
    runsSection,
    diffSection,
  );

  let runLines = new Map<number, Line>();
  let groups: GroupsView | null = null;
  let drawId = 0;

  function runLabel(d: RunDetailView): string {
    // At most three varying parameters, so legends stay readable with runs from several experiments.
    const shown = varying.slice(0, 3).map((p) => `${p}=${formatValue(d.run.params[p])}`);
    const params = shown.join(' ') + (varying.length > 3 ? ' …' : '');
    return `run ${d.run.id}${params ? ` ${params}` : ''} s${d.run.seed}`;
  }

  async function fetchRuns(range: { min: number; max: number } | null): Promise<Map<number, Line>> {
    const buckets = Math.max(200, Math.min(4000, Math.round(chart.figure.clientWidth || 1000)));
    const out = new Map<number, Line>();
    const ids = details.filter((d) => d.metrics.some((m) => m.metric === state.metric)).map((d) => d.run.id);
    const all =
      ids.length > 0
        ? await api.seriesOf(ids, state.metric, { buckets, x: serverX(state.x), from: range?.min, to: range?.max })
        : [];
    const byId = new Map(details.map((d) => [String(d.run.id), d]));
    all.forEach((s) => {
      const d = byId.get(s.runId);
      if (!d) return;
      const line = seriesLine(s);
      // Elapsed seconds per run; with groups (whose buckets span absolute time) absolute seconds instead.
      if (state.x !== 'time') out.set(d.run.id, line);
      else
        out.set(
          d.run.id,
          state.by.length > 0 ? { ...line, x: line.x.map((x) => x / 1000) } : relativeX(line, 1 / 1000),
        );
    });
    return out;
  }

  function lines(): ChartLine[] {
    const out: ChartLine[] = [];
    if (groups && groups.groups.length > 0) {
      const groupOf = new Map<string, number>();
      groups.groups.forEach((g, i) => g.runIds.forEach((r) => groupOf.set(r, i)));
      const diverged = new Map(groups.table.map((r) => [r.label, r.diverged]));
      groups.groups.forEach((g, i) =>
        out.push({
          // diverged runs count up to their last finite point; the label says how many there are
          label: `${g.label} (n=${g.runIds.length}${(diverged.get(g.label) ?? 0) > 0 ? `, ${diverged.get(g.label)} of ${g.runIds.length} diverged` : ''})`,
          line: groupLine(g),
          band: true,
          width: 2.5,
          colorIndex: i,
        }),
      );
      if (state.raw) {
        for (const d of details) {
          const line = runLines.get(d.run.id);
          if (line)
            out.push({
              label: runLabel(d) + (line.nonFinite > 0 ? ' (diverged)' : ''),
              line,
              band: false,
              width: 0.75,
              colorIndex: groupOf.get(String(d.run.id)) ?? 0,
              dash: [4, 3],
            });
        }
      }
    } else {
      details.forEach((d, i) => {
        const line = runLines.get(d.run.id);
        if (line)
          out.push({
            label: runLabel(d) + (line.nonFinite > 0 ? ' (diverged)' : ''),
            line,
            band: true,
            colorIndex: i,
          });
      });
    }
    const snapped = snapToGrid(
      out.map((l) => l.line),
      GRID,
    );
    return out.map((l, i) => ({ ...l, line: snapped[i] }));
  }

  async function draw(): Promise<void> {
    const id = ++drawId;
    syncUrl();
    live.textContent = 'Loading…';
    try {
      const grouped = state.by.length > 0;
      const [runs, g] = await Promise.all([
        !grouped || state.raw ? fetchRuns(null) : Promise.resolve(new Map<number, Line>()),
        grouped
          ? api.groups(ids, state.metric, state.by, serverX(state.x), state.baseline || undefined, 500, state.scalar)
          : Promise.resolve(null),
      ]);
      if (id !== drawId) return;
      runLines = runs;
      groups = g;
      fullCurves = null;
      if (groups && state.x === 'time')
        groups.groups.forEach((c) => {
          c.x = c.x.map((v) => toNumber(v) / 1000);
        });
      chart.update({
        title: state.metric,
        xLabel: state.x !== 'time' ? state.x : state.by.length > 0 ? 'time (s since epoch)' : 'time (s since start)',
        lines: lines(),
        smoothing: state.smooth,
        log: state.log,
      });
      renderGroups();
      const groupOf = new Map<number, number>();
      groups?.groups.forEach((c, i) => c.runIds.forEach((r) => groupOf.set(Number(r), i)));
      renderRunsTable(runsSection, details, varying, (d, i) => color(groups ? (groupOf.get(d.run.id) ?? 0) : i));
      const missing = details.filter((d) => !d.metrics.some((m) => m.metric === state.metric)).map((d) => d.run.id);
      live.textContent = missing.length > 0 ? `Runs without ${state.metric}: ${missing.join(', ')}` : '';
      app.dataset.drawMs = (performance.now() - started).toFixed(1);
    } catch (e) {
      live.textContent = `Could not load: ${(e as Error).message}`;
    }
  }

  let zoomed = false;

  /** The group curves of the whole runs, kept while zoomed so that zooming out needs no refetch. */
  let fullCurves: GroupsView['groups'] | null = null;

  async function zoom(range: { min: number; max: number } | null): Promise<void> {
    // uPlot reports the initial full range too: only a real zoom in, or the way back out, refetches.
    if (state.x !== 'step' || (range === null && !zoomed)) return;
    zoomed = range !== null;
    const id = ++drawId;
    const grouped = groups !== null && state.by.length > 0;
    const [detail, curves] = await Promise.all([
      !grouped || state.raw ? fetchRuns(range) : Promise.resolve(runLines),
      // Grouped: the mean and band re-bucketed over the visible steps, so detail appears as one zooms in.
      grouped && range
        ? api.groupCurves(ids, state.metric, state.by, serverX(state.x), range).then((g) => g.groups)
        : Promise.resolve(fullCurves),
    ]);
    if (id !== drawId) return;
    runLines = detail;
    if (groups && curves) {
      if (fullCurves === null) fullCurves = groups.groups;
      groups = { ...groups, groups: curves };
      if (!range) fullCurves = null;
    }
    // Zooming out shows the whole range at once (keeping the zoomed scale would need a second double-click).
    chart.update({ lines: lines() }, range !== null);
  }

  function renderGroups(): void {
    if (!groups || groups.table.length === 0) {
      groupSection.replaceChildren();
      return;
    }
    const baseline = el('select', undefined, { 'aria-label': 'Baseline group' });
    groups.table.forEach((r) => baseline.append(el('option', r.label, { value: r.label })));
    baseline.value = groups.baseline ?? '';
    baseline.addEventListener('change', () => {
      state.baseline = baseline.value;
      void draw();
    });
    const pct = Math.round(groups.confidence * 100);
    // The efficiency column appears once the server sends the field (GroupsView.Row.efficiency).
    const withEfficiency = groups.table.some((r) => r.efficiency !== undefined);
    const rows = groups.table.map((r, i) => {
      const swatch = el('span', '■ ', { style: `color:${color(i)}`, 'aria-hidden': 'true' });
      const label = el('span');
      label.append(swatch, r.label + (r.baseline ? ' (baseline)' : ''));
      const mean = toNumber(r.mean);
      const lo = toNumber(r.ciLow);
      const hi = toNumber(r.ciHigh);
      const ci = Number.isFinite(lo) ? ` ± ${formatNumber((hi - lo) / 2)}` : '';
      const cells: (string | Node)[] = [
        label,
        r.diverged > 0 ? `${r.n} (${r.diverged} of ${r.runs} diverged)` : String(r.n),
        `${formatNumber(mean)}${ci}`,
        Number.isFinite(lo) ? `[${formatNumber(lo)}, ${formatNumber(hi)}]` : '',
        formatP(toNumber(r.welchPHolm)),
        formatP(toNumber(r.mannWhitneyPHolm)),
        // undefined g (both groups constant): a dash, as `replica compare` prints it
        r.baseline ? '' : Number.isNaN(toNumber(r.hedgesG)) ? '—' : formatNumber(toNumber(r.hedgesG), 3),
      ];
      if (withEfficiency) {
        cells.push(
          el('span', formatEfficiency(r.efficiency, r.baseline), {
            title: describeEfficiency(r.efficiency),
            class: 'efficiency',
          }),
        );
      }
      return cells;
    });
    const headers = [
      'Group',
      'n',
      `${state.scalar} mean ± ${pct}% CI half-width`,
      `${pct}% CI`,
      'Welch p (Holm)',
      'Mann–Whitney p (Holm)',
      "Hedges' g",
    ];
    if (withEfficiency) headers.push('Efficiency (1 − steps ÷ baseline steps; bootstrap CI)');
    const t = table(headers, rows, `${state.metric}: ${groups.scalar} per run, each group against the baseline`, [
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    t.className = 'groups';
    const scroll = el('div', undefined, { class: 'scroll-x' });
    scroll.append(t);
    const scalarLabel = labelled('Per-run value', scalarSelect);
    groupSection.replaceChildren(el('h2', 'Groups'), labelled('Baseline', baseline), ' ', scalarLabel, scroll);
  }

  function syncUrl(): void {
    history.replaceState(null, '', `/compare${compareStateToSearch(state)}`);
  }

  metricSelect.addEventListener('change', () => {
    state.metric = metricSelect.value;
    void draw();
  });
  xSelect.addEventListener('change', () => {
    state.x = xSelect.value;
    void draw();
    void multiples.draw();
  });
  scalarSelect.addEventListener('change', () => {
    state.scalar = scalarSelect.value;
    void draw();
  });
  raw.addEventListener('change', () => {
    state.raw = raw.checked;
    void draw();
  });
  logScale.addEventListener('change', () => {
    state.log = logScale.checked;
    syncUrl();
    chart.update({ log: state.log, lines: lines() }, true);
    multiples.restyle();
  });
  smoothing.addEventListener('input', () => {
    state.smooth = Number(smoothing.value);
    smoothingValue.textContent = smoothing.value;
    syncUrl();
    chart.update({ smoothing: state.smooth }, true);
    multiples.restyle();
  });
  await Promise.all([draw(), multiples.draw()]);
  const onResize = () => {
    chart.resize();
    multiples.resize();
  };
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}

/**
 * The compared runs with the parameters that differ between them; those every run shares (often ones that only
 * another kind or task reads, such as data_dir beside a char-transformer run) are listed apart, folded.
 */
function renderRunsTable(
  section: HTMLElement,
  details: RunDetailView[],
  varying: string[],
  colorOf: (d: RunDetailView, i: number) => string,
): void {
  const { varying: shown, same } = splitParams(
    details.map((d) => d.run.params),
    varying,
  );
  const rows = details.map((d, i) => {
    const link = el('a', String(d.run.id), { href: `/runs/${d.run.id}` });
    const swatch = el('span', '■ ', { style: `color:${colorOf(d, i)}`, 'aria-hidden': 'true' });
    const cell = el('span');
    cell.append(swatch, link);
    return [cell, d.run.state.toLowerCase(), String(d.run.seed), ...shown.map((p) => formatValue(d.run.params[p]))];
  });
  const t = table(['Run', 'State', 'Seed', ...shown], rows, 'Compared runs and the parameters that differ');
  const scroll = el('div', undefined, { class: 'scroll-x' });
  scroll.append(t);
  const sameList = el('details', undefined, { class: 'same-params' });
  sameList.append(
    el('summary', `${same.length} parameters the same in every run`),
    el('p', same.map((p) => `${p}=${formatValue(details[0].run.params[p])}`).join(' · ')),
  );
  section.replaceChildren(el('h2', 'Runs'), scroll, ...(same.length > 0 ? [sameList] : []));
}

/** Two run pickers and the differences between their manifests (parameters, spec, code, runtime, data…). */
function renderDiff(section: HTMLElement, details: RunDetailView[]): void {
  const pick = (label: string, index: number) => {
    const select = el('select', undefined, { 'aria-label': label });
    details.forEach((d) => select.append(el('option', `run ${d.run.id}`, { value: String(d.run.id) })));
    select.value = String(details[index].run.id);
    return select;
  };
  const a = pick('First run', 0);
  const b = pick('Second run', 1);
  const out = el('div', undefined, { class: 'scroll-x' });
  const show = button('Show differences', async () => {
    try {
      const diff = await api.diff(Number(a.value), Number(b.value));
      const summary = el(
        'p',
        diff.recipeDiffers ? 'The recipes differ.' : 'Same recipe (only incidental fields differ).',
      );
      const rows = diff.differences.map((d) => [d.group, d.field, d.left ?? '', d.right ?? '']);
      out.replaceChildren(
        summary,
        rows.length === 0
          ? el('p', 'No differences.')
          : table(
              ['Group', 'Field', `run ${diff.a}`, `run ${diff.b}`],
              rows,
              `Manifest differences between runs ${diff.a} and ${diff.b}`,
            ),
      );
    } catch (e) {
      out.replaceChildren(el('p', (e as Error).message, { role: 'alert' }));
    }
  });
  const controls = el('div', undefined, { class: 'toolbar' });
  controls.append(a, b, show);
  section.replaceChildren(el('h2', 'Diff two runs'), controls, out);
}
