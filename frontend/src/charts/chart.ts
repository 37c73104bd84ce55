import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { downloadCanvasPng } from './png';
import { align, axisWidth, ema, formatNumber, type Line } from './transform';

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

export function color(i: number): string {
  return i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 60% 45%)`;
}

function alpha(c: string, a: number): string {
  if (c.startsWith('#')) {
    const n = parseInt(c.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
  }
  return c.replace(')', ` / ${a})`);
}

export interface ChartLine {
  label: string;
  line: Line;
  /** Draw the line's lo/hi as a shaded band (min/max of a downsampled bucket, or a CI). */
  band: boolean;
  width?: number;
  colorIndex?: number;
  dash?: number[];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  lines: ChartLine[];
  smoothing: number;
  log: boolean;
  height?: number;
  /** Called with the new x range after a drag-zoom, or null when zoomed out fully. */
  onZoom?: (range: { min: number; max: number } | null) => void;
  /** Charts with the same key share the cursor (uPlot's cursor sync): each legend shows its values at that x. */
  syncKey?: string;
}

/** Builds uPlot's data and series for the lines: each line is a main series plus hidden lo/hi for its band. */
export function chartData(spec: ChartSpec): {
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  bands: uPlot.Band[];
  hidden: number[];
} {
  const series: uPlot.Series[] = [{ label: spec.xLabel }];
  const bands: uPlot.Band[] = [];
  const hidden: number[] = [];
  const columns = spec.lines.map((l) => ({
    x: l.line.x,
    columns: l.band ? [ema(l.line.y, spec.smoothing), l.line.lo, l.line.hi] : [ema(l.line.y, spec.smoothing)],
  }));
  spec.lines.forEach((l, i) => {
    const c = color(l.colorIndex ?? i);
    series.push({
      label: l.label,
      stroke: c,
      width: l.width ?? 1.5,
      dash: l.dash,
      spanGaps: false,
      points: { show: false },
      value: (_u, v) => formatNumber(v),
    });
    if (l.band) {
      const main = series.length - 1;
      series.push({ label: `${l.label} low`, stroke: 'transparent', width: 0, points: { show: false } });
      series.push({ label: `${l.label} high`, stroke: 'transparent', width: 0, points: { show: false } });
      hidden.push(main + 1, main + 2);
      bands.push({ series: [main + 2, main + 1], fill: alpha(c, 0.15) });
    }
  });
  return { data: align(columns, spec.log) as uPlot.AlignedData, series, bands, hidden };
}

/** A uPlot chart in a figure with a caption, a PNG button and an accessible summary. */
export class Chart {
  readonly figure: HTMLElement;
  private plot: uPlot | null = null;
  private readonly holder: HTMLDivElement;
  private readonly summary: HTMLParagraphElement;
  private spec: ChartSpec;
  private programmatic = false;
  private readonly title: HTMLSpanElement;
  private readonly png: HTMLButtonElement;
  private readonly legendSearch: HTMLInputElement;

  constructor(spec: ChartSpec) {
    this.spec = spec;
    this.figure = document.createElement('figure');
    this.figure.className = 'chart';
    const caption = document.createElement('figcaption');
    this.title = document.createElement('span');
    this.png = document.createElement('button');
    this.png.type = 'button';
    this.png.className = 'small';
    this.png.textContent = 'PNG';
    this.png.addEventListener('click', () => this.downloadPng());
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'small';
    reset.textContent = 'Reset';
    reset.title = 'Show the whole x range again (or double-click the chart)';
    reset.addEventListener('click', () => this.resetZoom());
    // Many lines: the legend becomes a scrollable list with a search box.
    this.legendSearch = document.createElement('input');
    this.legendSearch.type = 'search';
    this.legendSearch.placeholder = 'Find in legend';
    this.legendSearch.className = 'legend-search';
    this.legendSearch.setAttribute('aria-label', 'Find in legend');
    this.legendSearch.hidden = true;
    this.legendSearch.addEventListener('input', () => this.filterLegend());
    caption.append(this.title, reset, this.png, this.legendSearch);
    this.holder = document.createElement('div');
    this.holder.setAttribute('role', 'img');
    this.setTitle(spec.title);
    this.summary = document.createElement('p');
    this.summary.className = 'visually-hidden';
    this.figure.append(caption, this.holder, this.summary);
  }

  /** Lines with more entries than this get a scrollable, searchable legend. */
  static readonly LEGEND_LIMIT = 20;

  private setTitle(title: string): void {
    this.title.textContent = title;
    this.png.title = `Download ${title} as PNG`;
    this.png.setAttribute('aria-label', `Download chart ${title} as PNG`);
    this.holder.setAttribute('aria-label', `Chart of ${title}`);
  }

  /** Draws (or redraws) with new lines; keepZoom leaves the x range as the user set it. */
  update(spec: Partial<ChartSpec>, keepZoom = false): void {
    const structural =
      (spec.lines !== undefined &&
        (spec.lines.length !== this.spec.lines.length ||
          spec.lines.some((l, i) => l.label !== this.spec.lines[i].label || l.band !== this.spec.lines[i].band))) ||
      (spec.log !== undefined && spec.log !== this.spec.log) ||
      // the axis label lives in uPlot's options: a new one needs a new plot
      (spec.xLabel !== undefined && spec.xLabel !== this.spec.xLabel);
    this.spec = { ...this.spec, ...spec };
    if (spec.title !== undefined) this.setTitle(spec.title);
    const { data, series, bands, hidden } = chartData(this.spec);
    this.summary.textContent = this.describe();
    if (this.plot && !structural) {
      this.programmatic = true;
      this.plot.setData(data, !keepZoom);
      // uPlot repaints on setData only when it resets the scales; keeping the zoom needs an explicit redraw
      if (keepZoom) this.plot.redraw();
      this.programmatic = false;
      return;
    }
    this.plot?.destroy();
    const width = Math.max(320, this.holder.clientWidth || this.figure.clientWidth || 640);
    const onZoom = this.spec.onZoom;
    this.plot = new uPlot(
      {
        width,
        height: this.spec.height ?? 260,
        series,
        bands,
        scales: { x: { time: false }, y: { distr: this.spec.log ? 3 : 1 } },
        // the y axis is as wide as its longest label (uPlot's fixed default cut labels such as 1.500e-4)
        axes: [
          { label: this.spec.xLabel },
          { values: (_u, vals) => vals.map((v) => formatNumber(v, 3)), size: (_u, values) => axisWidth(values) },
        ],
        cursor: { drag: { x: true, y: false }, ...(this.spec.syncKey ? { sync: { key: this.spec.syncKey } } : {}) },
        legend: { live: true },
        hooks: {
          setScale: [
            (u, key) => {
              if (key !== 'x') return;
              // the x range as drawn, for tests and synchronized charts
              this.figure.dataset.xMin = String(u.scales.x.min);
              this.figure.dataset.xMax = String(u.scales.x.max);
              if (!onZoom || this.programmatic) return;
              const xs = u.data[0];
              const min = u.scales.x.min!;
              const max = u.scales.x.max!;
              const full = xs.length === 0 || (min <= xs[0] && max >= xs[xs.length - 1]);
              onZoom(full ? null : { min, max });
            },
          ],
        },
      },
      data,
      this.holder,
    );
    const legendRows = this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    for (const i of hidden) legendRows[i]?.classList.add('band-series');
    const long = this.spec.lines.length > Chart.LEGEND_LIMIT;
    this.figure.classList.toggle('legend-collapsed', long);
    this.legendSearch.hidden = !long;
    if (long) this.filterLegend();
  }

  /** Hides the legend rows whose label does not contain the search text. */
  private filterLegend(): void {
    const needle = this.legendSearch.value.trim().toLowerCase();
    const rows = this.plot?.root.querySelectorAll<HTMLElement>('.u-legend .u-series') ?? [];
    rows.forEach((row, i) => {
      if (i === 0 || row.classList.contains('band-series')) return; // the x value row; band rows stay hidden
      const label = row.querySelector('.u-label')?.textContent?.toLowerCase() ?? '';
      row.style.display = needle === '' || label.includes(needle) ? '' : 'none';
    });
  }

  /** Shows this x range (null: the whole data), without reporting it to `onZoom`: another chart's zoom. */
  setXRange(range: { min: number; max: number } | null): void {
    if (!this.plot) return;
    this.programmatic = true;
    try {
      if (range) this.plot.setScale('x', range);
      else this.resetZoom();
    } finally {
      this.programmatic = false;
    }
  }

  /** Back to the whole x range, as a double-click does. */
  resetZoom(): void {
    if (!this.plot) return;
    const xs = this.plot.data[0];
    if (xs.length > 0) this.plot.setScale('x', { min: xs[0], max: xs[xs.length - 1] });
  }

  resize(): void {
    if (this.plot)
      this.plot.setSize({ width: Math.max(320, this.holder.clientWidth), height: this.spec.height ?? 260 });
  }

  /** The chart as a PNG download, with its title, axes and a legend of every line. */
  downloadPng(): void {
    if (this.plot)
      downloadCanvasPng(
        this.plot.ctx.canvas,
        this.spec.title,
        this.spec.lines.map((l, i) => ({ label: l.label, color: color(l.colorIndex ?? i) })),
      );
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private describe(): string {
    return this.spec.lines
      .map((l) => {
        const ys = l.line.y.filter(Number.isFinite);
        return ys.length === 0
          ? `${l.label}: no finite values`
          : `${l.label}: ${ys.length} points, last ${formatNumber(ys[ys.length - 1])}`;
      })
      .join('; ');
  }
}
