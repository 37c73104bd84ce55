import { brushFromSpan, brushSpan, rampColor, segmentDistance, ticks, type Axis, type Brush } from './parallel';
import { formatNumber } from './transform';

export interface ParallelData {
  axes: Axis[];
  /** Row-major positions in [0, 1], NaN where missing (see `positionMatrix`). */
  positions: Float64Array;
  rows: number;
  /** Colour position per row in [0, 1], NaN for rows without a value (drawn grey). */
  color: Float64Array;
  /** Rows that pass every brush. */
  active: Uint8Array;
  /** Rows picked by the user, drawn on top. */
  selected: ReadonlySet<number>;
  brushes: ReadonlyMap<string, Brush>;
  /** Draw low colour values last (on top): true when lower is better (a loss). */
  lowOnTop: boolean;
}

export interface ParallelOptions {
  label: string;
  height?: number;
  /** A brush was drawn on an axis (or cleared with null). */
  onBrush: (key: string, brush: Brush | null) => void;
  /** A line was clicked (its row index). */
  onPick: (row: number) => void;
}

const COLOR_BINS = 32;
const PAD = { top: 42, bottom: 24, left: 70, right: 70 };

/**
 * Parallel coordinates on one canvas. Lines are batched into one path per colour bin, so a thousand
 * runs redraw in a few milliseconds; brushing redraws on every pointer move. Drag along an axis to
 * brush it, click an axis to clear its brush, click a line to pick its run.
 */
export class ParallelChart {
  readonly canvas: HTMLCanvasElement;
  private data: ParallelData | null = null;
  private width = 800;
  private readonly height: number;
  private drag: { axis: number; from: number; to: number } | null = null;
  private frame = 0;
  /** Milliseconds the last draw took (the page reports it for the browser tests). */
  lastDrawMs = 0;

  constructor(private readonly options: ParallelOptions) {
    this.height = options.height ?? 420;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'parallel';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', options.label);
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
  }

  setData(data: ParallelData): void {
    this.data = data;
    this.schedule();
  }

  /** Redraws at the canvas' current CSS width. */
  resize(): void {
    this.schedule();
  }

  /** X of axis i in CSS pixels. */
  axisX(i: number): number {
    const n = this.data?.axes.length ?? 1;
    const inner = this.width - PAD.left - PAD.right;
    return n <= 1 ? PAD.left + inner / 2 : PAD.left + (inner * i) / (n - 1);
  }

  /** Y of a position in [0, 1] in CSS pixels. */
  y(p: number): number {
    return PAD.top + (1 - p) * (this.height - PAD.top - PAD.bottom);
  }

  private positionAt(y: number): number {
    return 1 - (y - PAD.top) / (this.height - PAD.top - PAD.bottom);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const started = performance.now();
    const cssWidth = Math.max(320, Math.round(this.canvas.parentElement?.clientWidth || 800));
    const ratio = window.devicePixelRatio || 1;
    if (this.width !== cssWidth || this.canvas.width !== Math.round(cssWidth * ratio)) {
      this.width = cssWidth;
      this.canvas.width = Math.round(cssWidth * ratio);
      this.canvas.height = Math.round(this.height * ratio);
      this.canvas.style.width = `${cssWidth}px`;
      this.canvas.style.height = `${this.height}px`;
    }
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const d = this.data;
    if (!d || d.axes.length === 0) return;
    const many = d.rows > 300;
    // Filtered-out runs first, faint; then the runs that pass the brushes by colour; then the picked ones.
    this.strokeRows(
      ctx,
      (r) => !d.active[r] && !d.selected.has(r),
      () => 'rgba(160, 166, 178, 0.25)',
      1,
    );
    this.strokeRows(
      ctx,
      (r) => d.active[r] === 1 && !d.selected.has(r),
      (bin) =>
        bin < 0
          ? 'rgba(120, 120, 120, 0.6)'
          : rampColor(bin / (COLOR_BINS - 1))
              .replace('rgb(', 'rgba(')
              .replace(')', `, ${many ? 0.45 : 0.8})`),
      many ? 1 : 1.5,
    );
    this.strokeRows(
      ctx,
      (r) => d.selected.has(r),
      () => '#111',
      4,
    );
    this.strokeRows(
      ctx,
      (r) => d.selected.has(r),
      (bin) => (bin < 0 ? '#888' : rampColor(bin / (COLOR_BINS - 1))),
      2,
    );
    this.drawAxes(ctx, d);
    // Where things are, in CSS pixels, for the browser tests (which drag and click on the canvas).
    this.canvas.dataset.layout = JSON.stringify({
      axes: d.axes.map((a, i) => ({ key: a.key, x: this.axisX(i) })),
      top: this.y(1),
      bottom: this.y(0),
    });
    this.lastDrawMs = performance.now() - started;
  }

  private strokeRows(
    ctx: CanvasRenderingContext2D,
    include: (row: number) => boolean,
    style: (bin: number) => string,
    width: number,
  ): void {
    const d = this.data!;
    const n = d.axes.length;
    const xs = d.axes.map((_a, i) => this.axisX(i));
    const paths = new Map<number, Path2D>();
    for (let r = 0; r < d.rows; r++) {
      if (!include(r)) continue;
      const c = d.color[r];
      const bin = Number.isNaN(c) ? -1 : Math.round(Math.min(1, Math.max(0, c)) * (COLOR_BINS - 1));
      let path = paths.get(bin);
      if (!path) paths.set(bin, (path = new Path2D()));
      let pen = false;
      for (let j = 0; j < n; j++) {
        const p = d.positions[r * n + j];
        if (Number.isNaN(p)) {
          pen = false;
          continue;
        }
        const y = this.y(p);
        if (pen) path.lineTo(xs[j], y);
        else path.moveTo(xs[j], y);
        pen = true;
      }
    }
    ctx.lineWidth = width;
    ctx.lineJoin = 'round';
    // The better end of the colour ramp is drawn last, so the best runs stay visible in a dense sweep.
    // Runs without a value (bin -1) go underneath.
    const order = [...paths].sort(([a], [b]) => (a < 0 ? -1 : b < 0 ? 1 : this.data!.lowOnTop ? b - a : a - b));
    for (const [bin, path] of order) {
      ctx.strokeStyle = style(bin);
      ctx.stroke(path);
    }
  }

  private drawAxes(ctx: CanvasRenderingContext2D, d: ParallelData): void {
    ctx.font = '12px system-ui, sans-serif';
    d.axes.forEach((axis, i) => {
      const x = this.axisX(i);
      const span =
        this.drag?.axis === i
          ? [Math.min(this.drag.from, this.drag.to), Math.max(this.drag.from, this.drag.to)]
          : d.brushes.has(axis.key)
            ? brushSpan(axis, d.brushes.get(axis.key)!)
            : null;
      if (span) {
        ctx.fillStyle = 'rgba(59, 130, 246, 0.18)';
        ctx.strokeStyle = 'rgba(37, 99, 235, 0.9)';
        ctx.lineWidth = 1;
        const top = this.y(span[1]);
        ctx.fillRect(x - 9, top, 18, this.y(span[0]) - top);
        ctx.strokeRect(x - 9, top, 18, this.y(span[0]) - top);
      }
      ctx.strokeStyle = '#1d2433';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, this.y(1));
      ctx.lineTo(x, this.y(0));
      ctx.stroke();
      ctx.fillStyle = '#1d2433';
      ctx.textAlign = i === 0 ? 'left' : i === d.axes.length - 1 ? 'right' : 'center';
      ctx.font = '600 12px system-ui, sans-serif';
      const scale = axis.kind === 'log' ? ' (log)' : '';
      ctx.fillText(axis.label + scale, i === 0 ? x - 20 : i === d.axes.length - 1 ? x + 20 : x, 16);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'right';
      const all = ticks(axis, 5, (v) => formatNumber(v, 3));
      // Categorical axes with many categories label every k-th so the labels do not overlap.
      const every = Math.max(1, Math.ceil(all.length / Math.max(2, (this.height - PAD.top - PAD.bottom) / 14)));
      all.forEach((t, k) => {
        const y = this.y(t.position);
        ctx.beginPath();
        ctx.moveTo(x - 4, y);
        ctx.lineTo(x, y);
        ctx.stroke();
        if (k % every !== 0) return;
        const text = t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label;
        ctx.lineWidth = 3;
        ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
        ctx.strokeText(text, x - 6, y + 4);
        ctx.fillText(text, x - 6, y + 4);
        ctx.lineWidth = 1;
        ctx.strokeStyle = '#1d2433';
      });
    });
  }

  /** The axis within grabbing distance of x, or -1. */
  private axisNear(x: number): number {
    const n = this.data?.axes.length ?? 0;
    for (let i = 0; i < n; i++) if (Math.abs(this.axisX(i) - x) <= 14) return i;
    return -1;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private down(e: PointerEvent): void {
    const { x, y } = this.point(e);
    const axis = this.axisNear(x);
    if (axis < 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const p = this.positionAt(y);
    this.drag = { axis, from: p, to: p };
  }

  private move(e: PointerEvent): void {
    if (!this.drag) {
      this.canvas.style.cursor = this.axisNear(this.point(e).x) >= 0 ? 'ns-resize' : 'pointer';
      return;
    }
    this.drag.to = this.positionAt(this.point(e).y);
    this.schedule();
  }

  private up(e: PointerEvent): void {
    const { x, y } = this.point(e);
    const drag = this.drag;
    this.drag = null;
    if (drag) {
      const axis = this.data!.axes[drag.axis];
      const pixels = Math.abs(drag.to - drag.from) * (this.height - PAD.top - PAD.bottom);
      // A click on an axis (no drag) clears its brush.
      this.options.onBrush(axis.key, pixels < 3 ? null : brushFromSpan(axis, drag.from, drag.to));
      return;
    }
    const row = this.rowAt(x, y);
    if (row >= 0) this.options.onPick(row);
  }

  /** The line nearest to (x, y) within 6 pixels, preferring runs that pass the brushes; -1 when none. */
  rowAt(x: number, y: number): number {
    const d = this.data;
    if (!d || d.axes.length === 0) return -1;
    const n = d.axes.length;
    let j = 0;
    while (j < n - 2 && this.axisX(j + 1) < x) j++;
    const single = n === 1;
    let best = -1;
    let bestDistance = 6;
    let bestActive = false;
    for (let r = 0; r < d.rows; r++) {
      const a = d.positions[r * n + j];
      const b = single ? a : d.positions[r * n + j + 1];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      const dist = segmentDistance(x, y, this.axisX(j), this.y(a), this.axisX(single ? j : j + 1), this.y(b));
      const active = d.active[r] === 1;
      if (dist <= 6 && ((active && !bestActive) || (active === bestActive && dist < bestDistance))) {
        best = r;
        bestDistance = dist;
        bestActive = active;
      }
    }
    return best;
  }
}
