import './style.css';
import { api } from './api/client';
import type { ExperimentView } from './api/types';
import { formatValue, varyingParams } from './pages/runs';

const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function table(headers: string[], rows: (string | Node)[][], caption: string): HTMLTableElement {
  const t = el('table');
  t.append(el('caption', caption));
  const head = el('tr');
  headers.forEach((h) => head.append(el('th', h, { scope: 'col' })));
  const thead = el('thead');
  thead.append(head);
  t.append(thead);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((cell) => {
      const td = el('td');
      td.append(cell);
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(body);
  return t;
}

function states(e: ExperimentView): string {
  return Object.entries(e.runsByState).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
}

async function experimentsPage() {
  app.replaceChildren(el('h1', 'Experiments'));
  const list = await api.experiments();
  if (list.length === 0) {
    app.append(el('p', 'No experiments yet. Store one with `replica run SPEC.yaml` or POST /api/experiments.'));
    return;
  }
  app.append(table(['ID', 'Name', 'Kind', 'Runs', 'States', 'Created'], list.map((e) => {
    const link = el('a', e.name, { href: `/experiments/${e.id}` });
    return [String(e.id), link, e.kind, String(e.runCount), states(e), new Date(e.createdAt).toLocaleString()];
  }), 'All experiments, newest first'));
}

async function experimentPage(id: number) {
  const [experiment, runs] = await Promise.all([api.experiment(id), api.runs(id)]);
  app.replaceChildren(el('h1', `${experiment.name}`), el('p', `${experiment.kind} · ${experiment.runCount} runs · ${states(experiment)}`));
  const columns = varyingParams(runs);
  app.append(table(['Run', '#', 'State', ...columns, 'Seed'], runs.map((r) =>
    [String(r.id), String(r.index), r.state, ...columns.map((c) => formatValue(r.params[c])), String(r.seed)]),
  `Runs of ${experiment.name}`));
  const details = el('details');
  details.append(el('summary', 'Spec'), el('pre', experiment.specText ?? ''));
  app.append(details);
}

async function route() {
  const match = location.pathname.match(/^\/experiments\/(\d+)$/);
  try {
    if (match) await experimentPage(Number(match[1]));
    else await experimentsPage();
  } catch (error) {
    app.replaceChildren(el('h1', 'Something went wrong'), el('p', String(error), { role: 'alert' }));
  }
}

void route();
