/** A legend entry drawn under an exported chart. */
export interface PngLegendEntry {
  label: string;
  color: string;
}

/**
 * Where each legend entry goes under a chart `width` wide: entries flow left to right and wrap, each a
 * swatch and its label. Returns the positions and the legend's height.
 */
export function legendLayout(
  labels: string[],
  width: number,
  measure: (text: string) => number,
  row: number,
): { x: number; y: number }[] & { height: number } {
  const pad = row / 2;
  const out = [] as unknown as { x: number; y: number }[] & { height: number };
  let x = pad;
  let y = 0;
  for (const label of labels) {
    const w = row + measure(label) + pad * 2;
    if (x > pad && x + w > width) {
      x = pad;
      y += row;
    }
    out.push({ x, y });
    x += w;
  }
  out.height = labels.length === 0 ? 0 : y + row + pad;
  return out;
}

/**
 * Offers a canvas as a PNG download, drawn on a white background (charts are transparent), with the
 * title above it and the legend below (the canvas holds the axes).
 */
export function downloadCanvasPng(src: HTMLCanvasElement, title: string, legend: PngLegendEntry[] = []): void {
  const scale = window.devicePixelRatio || 1;
  const font = `${Math.round(12 * scale)}px sans-serif`;
  const titleFont = `bold ${Math.round(15 * scale)}px sans-serif`;
  const row = Math.round(18 * scale);
  const titleHeight = Math.round(28 * scale);
  const out = document.createElement('canvas');
  const measureCtx = out.getContext('2d')!;
  measureCtx.font = font;
  const layout = legendLayout(
    legend.map((e) => e.label),
    src.width,
    (t) => measureCtx.measureText(t).width,
    row,
  );
  out.width = src.width;
  out.height = titleHeight + src.height + layout.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#111';
  ctx.font = titleFont;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, row / 2, titleHeight / 2);
  ctx.drawImage(src, 0, titleHeight);
  ctx.font = font;
  legend.forEach((e, i) => {
    const { x, y } = layout[i];
    const top = titleHeight + src.height + y;
    ctx.fillStyle = e.color;
    ctx.fillRect(x, top + row * 0.35, row * 0.7, row * 0.3);
    ctx.fillStyle = '#111';
    ctx.fillText(e.label, x + row, top + row / 2);
  });
  const a = document.createElement('a');
  a.href = out.toDataURL('image/png');
  a.download = `${pngName(title)}.png`;
  document.body.append(a);
  a.click();
  a.remove();
}

/** A file name from a chart title: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function pngName(title: string): string {
  return title.replace(/[^\w.-]+/g, '_');
}
