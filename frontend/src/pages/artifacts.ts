import { api, artifactUrl } from '../api/client';
import type { ArtifactView } from '../api/types';
import { el, table } from '../components/dom';

/** A byte count for people: `512 B`, `1.5 KiB`, `12 MiB`, `3.2 GiB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** The artifacts table: each name a download link, with size, type and modification time. */
export function artifactsTable(runId: number, artifacts: ArtifactView[]): HTMLElement {
  if (artifacts.length === 0) return el('p', 'This run has no artifacts yet (its folder is empty or not created).');
  const rows = artifacts.map((a) => [
    el('a', a.name, { href: artifactUrl(runId, a.name), download: a.name.split('/').pop() ?? a.name }),
    formatBytes(a.size),
    a.contentType.split(';')[0],
    new Date(a.modifiedAt).toLocaleString(),
  ]);
  const total = artifacts.reduce((s, a) => s + a.size, 0);
  return table(['Name', 'Size', 'Type', 'Modified'], rows, `${artifacts.length} files, ${formatBytes(total)}`, [
    false,
    true,
    false,
    false,
  ]);
}

/** A collapsible pane that lists the run's artifacts when opened (and again each time it is reopened). */
export function artifactsPane(runId: number): HTMLDetailsElement {
  const pane = el('details', undefined, { class: 'artifacts' });
  const body = el('div', 'Loading…', { class: 'scroll-x' });
  pane.append(el('summary', 'Artifacts'), body);
  pane.addEventListener('toggle', () => {
    if (!pane.open) return;
    void api.artifacts(runId).then(
      (list) => body.replaceChildren(artifactsTable(runId, list)),
      (e) => body.replaceChildren(el('p', String(e.message ?? e), { role: 'alert' })),
    );
  });
  return pane;
}
