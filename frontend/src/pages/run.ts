import { api, AuthRequiredError, events } from '../api/client';
import type { EventView, RunDetailView } from '../api/types';
import { Chart } from '../charts/chart';
import { formatNumber, seriesLine } from '../charts/transform';
import { confirmDialog } from '../components/confirm';
import { button, el, status, table } from '../components/dom';
import { artifactsPane } from './artifacts';
import { attemptOf, attemptOptions } from './attempts';
import { labelsPane, runTarget } from './runLabels';
import { formatValue } from './runs';
import { signInForm } from './signin';
import { isSystemMetric } from '../charts/systemMetrics';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

/** "Run 51 failed.", "Run 51 is running.": a state as a sentence a person would write. */
export function stateSentence(id: number, state: string): string {
  const s = state.toLowerCase();
  return ACTIVE.has(state) ? `Run ${id} is ${s}.` : `Run ${id} ${s === 'interrupted' ? 'was interrupted' : s}.`;
}

/** One run: live charts of every metric (server-sent events), parameters, history, logs, cancel/retry. */
export async function runPage(app: HTMLElement, id: number): Promise<() => void> {
  let detail: RunDetailView = await api.run(id);
  const live = status();
  const header = el('div', undefined, { class: 'run-header' });
  const info = el('div', undefined, { class: 'run-info' });
  const charts = el('section', undefined, { class: 'charts', 'aria-label': 'Metric charts' });
  const chartByMetric = new Map<string, Chart>();
  // sampled CPU, memory and GPU use (sys/…) get their own section, plotted against the time since the start
  const systemCharts = el('div', undefined, { class: 'charts' });
  const system = el('section', undefined, { class: 'system-metrics', 'aria-label': 'System metrics' });
  system.append(el('h2', 'System'), systemCharts);
  system.hidden = true;
  const isSystem = isSystemMetric;
  const ownChartCount = () => [...chartByMetric.keys()].filter((m) => !isSystem(m)).length;
  const smoothing = el('input', undefined, {
    type: 'range',
    min: '0',
    max: '0.99',
    step: '0.01',
    value: '0',
    'aria-label': 'Smoothing (EMA weight)',
  });
  const smoothingValue = el('output', '0');
  const logScale = el('input', undefined, { type: 'checkbox', 'aria-label': 'Log scale' });
  // a retried run keeps every attempt's metrics; the charts show the latest unless another is picked
  let attempt: number | undefined;
  const attemptLabel = el('label', undefined, { class: 'attempt-select' });
  const attemptSelect = el('select', undefined, { 'aria-label': 'Attempt' });
  attemptLabel.append('Attempt ', attemptSelect);
  attemptSelect.addEventListener('change', () => {
    const picked = attemptOf(attemptSelect.value);
    if (picked === attempt) return;
    attempt = picked;
    chartByMetric.clear();
    charts.replaceChildren();
    systemCharts.replaceChildren();
    system.hidden = true;
    renderHeader();
    void refreshCharts();
  });

  const logs = el('details', undefined, { class: 'logs' });
  const logText = el('pre', 'Loading…');
  logs.append(el('summary', 'Logs'), logText);
  logs.addEventListener('toggle', () => {
    if (logs.open)
      void api.logs(id).then(
        (t) => {
          logText.textContent = t;
        },
        (e) => {
          logText.textContent = String(e.message ?? e);
        },
      );
  });

  const manifest = el('details', undefined, { class: 'logs' });
  const manifestText = el('pre', 'Loading…');
  manifest.append(el('summary', 'Manifest'), manifestText);
  manifest.addEventListener('toggle', () => {
    if (!manifest.open) return;
    void api.manifest(id).then(
      (t) => {
        try {
          manifestText.textContent = JSON.stringify(JSON.parse(t), null, 2);
        } catch {
          manifestText.textContent = t;
        }
      },
      (e) => {
        manifestText.textContent = String(e.message ?? e);
      },
    );
  });

  const controls = el('div', undefined, { class: 'toolbar' });
  const smoothLabel = el('label');
  smoothLabel.append('Smoothing ', smoothing, ' ', smoothingValue);
  const logLabel = el('label');
  logLabel.append(logScale, ' log scale');
  controls.append(smoothLabel, logLabel);

  /** Shows the selector only when the run has more than one attempt, keeping the pick across refreshes. */
  async function refreshAttempts(): Promise<void> {
    const all = await api.attempts(id);
    if (all.length < 2) {
      attemptLabel.remove();
      return;
    }
    attemptSelect.replaceChildren(...attemptOptions(all).map((o) => el('option', o.label, { value: o.value })));
    attemptSelect.value = attempt === undefined ? 'latest' : String(attempt);
    if (!attemptLabel.isConnected) controls.append(attemptLabel);
  }

  app.replaceChildren(header, live, controls, charts, system, info, logs, manifest, artifactsPane(id));

  function renderHeader(): void {
    const r = detail.run;
    const actions = el('div', undefined, { class: 'actions' });
    if (ACTIVE.has(r.state)) {
      actions.append(button('Cancel run', () => act('cancel'), { class: 'danger' }));
    } else {
      actions.append(button('Retry run', () => act('retry')));
    }
    if (r.state !== 'RUNNING') actions.append(button('Delete run', () => void deleteRun(), { class: 'danger' }));
    actions.append(
      el('a', 'Metrics CSV', {
        href: `/api/runs/${id}/metrics/export.csv${attempt === undefined ? '' : `?attempt=${attempt}`}`,
        download: `run-${id}${attempt === undefined ? '' : `-attempt-${attempt}`}-metrics.csv`,
        class: 'button',
      }),
      el('a', 'Manifest', { href: `/api/runs/${id}/manifest`, download: `run-${id}-manifest.json`, class: 'button' }),
      el('a', 'Compare with siblings', { href: `/experiments/${r.experimentId}?sel=${id}`, class: 'button' }),
    );
    const title = el('h1');
    title.append(
      `Run ${r.id} `,
      ...(r.displayName ? [el('span', r.displayName, { class: 'display-name' }), ' '] : []),
      el('span', r.state.toLowerCase(), { class: `state state-${r.state.toLowerCase()}` }),
    );
    const crumbs = el('p');
    crumbs.append(
      el('a', r.experimentName, { href: `/experiments/${r.experimentId}` }),
      ` · index ${r.index} · seed ${r.seed} · attempt ${r.attempt}${r.executor ? ` · ${r.executor}` : ''}${r.exitCode !== null ? ` · exit ${r.exitCode}` : ''}`,
    );
    const labels = labelsPane(runTarget(id), r, (stored) => {
      detail = { ...detail, run: { ...detail.run, ...stored } };
      const status = labels.querySelector('.labels-status')?.textContent ?? '';
      renderHeader();
      const again = header.querySelector('.labels-status');
      if (again) again.textContent = status;
    });
    header.replaceChildren(title, crumbs, actions);
    if (r.message) header.append(el('p', r.message, { class: r.state === 'FAILED' ? 'message failed' : 'message' }));
    header.append(labels);
    renderInfo();
  }

  function renderInfo(): void {
    const r = detail.run;

    const params = table(
      ['Parameter', 'Value'],
      Object.entries(r.params).map(([k, v]) => [k, formatValue(v)]),
      'Parameters',
    );
    const history = table(
      ['From', 'To', 'At', 'Message'],
      detail.events.map((e) => [
        e.from?.toLowerCase() ?? '',
        e.to.toLowerCase(),
        new Date(e.at).toLocaleString(),
        e.message ?? '',
      ]),
      'State history',
    );
    const summaries = table(
      ['Metric', 'Last', 'Step', 'Min', 'Max', 'Points', 'NaN'],
      detail.metrics.map((m) => [
        m.metric,
        formatNumber(m.last),
        String(m.lastStep ?? ''),
        formatNumber(m.min),
        formatNumber(m.max),
        String(m.count),
        String(m.nanCount),
      ]),
      'Metric summaries',
      [false, true, true, true, true, true, true],
    );
    const wrap = (t: HTMLElement, cls: string) => {
      const d = el('div', undefined, { class: `scroll-x ${cls}` });
      d.append(t);
      return d;
    };
    info.replaceChildren(wrap(summaries, 'summaries'), wrap(params, 'params'), wrap(history, 'history'));
  }

  async function act(kind: 'cancel' | 'retry'): Promise<void> {
    try {
      await (kind === 'cancel' ? api.cancel(id) : api.retry(id));
      live.textContent = kind === 'cancel' ? 'Cancel requested.' : 'Run queued again.';
      detail = await api.run(id);
      renderHeader();
      startLive();
    } catch (e) {
      live.textContent = `Could not ${kind}: ${(e as Error).message}`;
      if (e instanceof AuthRequiredError) {
        const form = signInForm(
          'Sign in, then the run will be ' + (kind === 'cancel' ? 'cancelled.' : 'retried.'),
          () => {
            form.remove();
            void act(kind);
          },
        );
        live.after(form);
      }
    }
  }

  async function deleteRun(): Promise<void> {
    const sure = await confirmDialog(
      `Delete run ${id}?`,
      'Its metrics, artifacts, logs and manifest are removed for good. Archive it instead to only hide it.',
      'Delete run',
    );
    if (!sure) return;
    try {
      await api.deleteRun(id);
      window.location.assign(`/experiments/${detail.run.experimentId}`);
    } catch (e) {
      live.textContent = `Could not delete: ${(e as Error).message}`;
      if (e instanceof AuthRequiredError) {
        const form = signInForm('Sign in, then delete again.', () => {
          form.remove();
          void deleteRun();
        });
        live.after(form);
      }
    }
  }

  async function refreshCharts(metrics?: string[]): Promise<void> {
    const shown = attempt;
    const names = metrics ?? (await api.metrics(id, shown));
    await Promise.all(
      names.map(async (metric) => {
        const sys = isSystem(metric);
        const container = sys ? systemCharts : charts;
        const width = charts.clientWidth > 0 ? Math.min(2000, Math.round(charts.clientWidth)) : 1000;
        const series = await api.series(id, metric, { buckets: width, attempt: shown, x: sys ? 'time_ms' : undefined });
        if (shown !== attempt) return; // another attempt was picked meanwhile
        let chart = chartByMetric.get(metric);
        const label = shown === undefined ? `run ${id}` : `run ${id} attempt ${shown}`;
        const line = seriesLine(series);
        if (sys) {
          const start = line.x.length > 0 ? (detail.run.startedAt ? Date.parse(detail.run.startedAt) : line.x[0]) : 0;
          line.x = line.x.map((ms) => (ms - start) / 1000);
        }
        const spec = { lines: [{ label, line, band: series.downsampled }] };
        if (!chart) {
          chart = new Chart({
            title: metric,
            xLabel: sys ? 'time (s since start)' : 'step',
            smoothing: Number(smoothing.value),
            log: logScale.checked,
            ...spec,
          });
          chartByMetric.set(metric, chart);
          system.hidden = system.hidden && !sys;
          [...chartByMetric.keys()]
            .filter((m) => isSystem(m) === sys)
            .sort()
            .forEach((m) => container.append(chartByMetric.get(m)!.figure));
        }
        chart.update(spec);
      }),
    );
    if (ownChartCount() === 0)
      charts.replaceChildren(
        el(
          'p',
          ACTIVE.has(detail.run.state)
            ? 'No metrics yet: charts appear as points arrive.'
            : 'This run logged no metrics.',
        ),
      );
  }

  smoothing.addEventListener('input', () => {
    smoothingValue.textContent = smoothing.value;
    chartByMetric.forEach((c) => c.update({ smoothing: Number(smoothing.value) }, true));
  });
  logScale.addEventListener('change', () => chartByMetric.forEach((c) => c.update({ log: logScale.checked })));

  renderHeader();
  await Promise.all([refreshAttempts(), refreshCharts()]);

  // Live updates: metric events are throttled to one refetch per second per metric set.
  const pending = new Set<string>();
  let timer = 0;
  let stateChanged = false;
  let source: EventSource | null = null;
  function startLive(): void {
    if (source || !ACTIVE.has(detail.run.state)) return;
    source = events(detail.run.experimentId);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data) as EventView;
      if (event.runId !== id) return;
      if (event.type === 'metrics') Object.keys(event.latest ?? {}).forEach((m) => pending.add(m));
      else stateChanged = true;
      if (!timer) timer = window.setTimeout(() => void flush(), 1000);
    };
  }

  async function flush(): Promise<void> {
    timer = 0;
    const metrics = [...pending];
    pending.clear();
    const wasState = detail.run.state;
    detail = await api.run(id);
    renderInfo();
    if (stateChanged || detail.run.state !== wasState) {
      stateChanged = false;
      renderHeader();
      await refreshAttempts();
      live.textContent = stateSentence(id, detail.run.state);
      if (!ACTIVE.has(detail.run.state)) {
        // one last refresh for points that arrived with the final state, then stop listening
        source?.close();
        source = null;
        await refreshCharts();
      }
    }
    if (metrics.length > 0 && attempt === undefined) {
      if (ownChartCount() === 0) charts.replaceChildren();
      await refreshCharts(metrics);
    }
    app.dataset.liveUpdates = String(Number(app.dataset.liveUpdates ?? '0') + 1);
  }
  startLive();
  const onResize = () => chartByMetric.forEach((c) => c.resize());
  window.addEventListener('resize', onResize);
  return () => {
    source?.close();
    window.removeEventListener('resize', onResize);
  };
}
