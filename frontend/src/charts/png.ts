/** Offers a canvas as a PNG download, drawn on a white background (charts are transparent). */
export function downloadCanvasPng(src: HTMLCanvasElement, title: string): void {
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
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
