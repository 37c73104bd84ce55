import { api } from '../api/client';
import type { RunDetailView } from '../api/types';
import { Chart } from '../charts/chart';
import { relativeX, seriesLine, type Line } from '../charts/transform';
import { el, labelled } from '../components/dom';
import { serverX, sharedXRange, type CompareState } from './compareState';

/**
 * Several metrics of the compared runs at once: a grid of small charts, one per chosen metric, on the same x
 * axis (the compare view's), with one cursor (each legend shows every run's value at that x) and one zoom (a
 * drag in any chart zooms them all; Reset or a double-click zooms all out). The choice is in the URL (`grid=`).
 */
export class SmallMultiples {
  readonly element: HTMLElement;
  private readonly grid: HTMLDivElement;
  private charts: Chart[] = [];
  private drawId = 0;

  constructor(
    private readonly details: RunDetailView[],
    metrics: string[],
    private readonly state: CompareState,
    changed: () => void,
    private readonly runLabel: (d: RunDetailView) => string,
  ) {
    this.element = el('section', undefined, { class: 'multiples', 'aria-label': 'Several metrics' });
    const choose = el('fieldset', undefined, { class: 'group-by' });
    choose.append(el('legend', 'Metrics side by side'));
    for (const m of metrics) {
      const box = el('input', undefined, { type: 'checkbox', value: m });
      box.checked = state.grid.includes(m);
      box.addEventListener('change', () => {
        state.grid = metrics.filter(
          (name) => (choose.querySelector(`input[value="${CSS.escape(name)}"]`) as HTMLInputElement).checked,
        );
        changed();
        void this.draw();
      });
      choose.append(labelled(m, box));
    }
    this.grid = el('div', undefined, { class: 'multiples-grid' });
    this.element.append(el('h2', 'Several metrics'), choose, this.grid);
  }

  /** Fetches and draws every chosen metric; the charts then share the x range of all their lines. */
  async draw(): Promise<void> {
    const id = ++this.drawId;
    const metrics = [...this.state.grid];
    const lines = await Promise.all(metrics.map((m) => this.fetch(m)));
    if (id !== this.drawId) return;
    this.charts.forEach((c) => c.destroy());
    this.charts = metrics.map(
      (metric, k) =>
        new Chart({
          title: metric,
          xLabel: this.state.x === 'time' ? 'time (s since start)' : this.state.x,
          lines: lines[k].map(({ d, i, line }) => ({ label: this.runLabel(d), line, band: false, colorIndex: i })),
          smoothing: this.state.smooth,
          log: this.state.log,
          height: 200,
          syncKey: 'compare-multiples',
          onZoom: (range) => this.zoomAll(k, range),
        }),
    );
    this.grid.replaceChildren(...this.charts.map((c) => c.figure));
    this.charts.forEach((c) => c.update({}));
    const shared = sharedXRange(lines.flatMap((ls) => ls.map((l) => l.line.x)));
    if (shared) this.charts.forEach((c) => c.setXRange(shared));
    this.element.dataset.drawn = String(metrics.length);
  }

  /** The compare view's smoothing or log scale changed: redraw with the same data. */
  restyle(): void {
    this.charts.forEach((c) => c.update({ smoothing: this.state.smooth, log: this.state.log }, true));
  }

  resize(): void {
    this.charts.forEach((c) => c.resize());
  }

  private zoomAll(from: number, range: { min: number; max: number } | null): void {
    this.charts.forEach((c, k) => {
      if (k !== from) c.setXRange(range);
    });
  }

  private async fetch(metric: string): Promise<{ d: RunDetailView; i: number; line: Line }[]> {
    const withMetric = this.details.filter((d) => d.metrics.some((m) => m.metric === metric));
    if (withMetric.length === 0) return [];
    const series = await api.seriesOf(
      withMetric.map((d) => d.run.id),
      metric,
      { buckets: 600, x: serverX(this.state.x) },
    );
    const index = new Map(this.details.map((d, i) => [String(d.run.id), i]));
    return series.flatMap((s) => {
      const i = index.get(s.runId);
      if (i === undefined) return [];
      const line = seriesLine(s);
      return [{ d: this.details[i], i, line: this.state.x === 'time' ? relativeX(line, 1 / 1000) : line }];
    });
  }
}
