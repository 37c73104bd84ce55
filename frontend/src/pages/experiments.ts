import { api, allEvents } from '../api/client';
import type { EventView, ExperimentView } from '../api/types';
import { el, labelled, status, table } from '../components/dom';
import { stateSummary } from './experiment';
import { filterExperiments } from './experimentSearch';
import { Throttle } from './liveRuns';

/**
 * Every experiment, newest first, with a search over names, descriptions and tags (`tag:NAME`) kept in the URL
 * (`?q=`). Live: run state changes (server-sent events) refetch the list at most once a second, so run counts and
 * states move without a reload and a new experiment appears when its first run starts. Returns a cleanup.
 */
export async function experimentsPage(app: HTMLElement): Promise<() => void> {
  let list = await api.experiments();
  app.replaceChildren(el('h1', 'Experiments'));
  if (list.length === 0) {
    app.append(el('p', 'No experiments yet. Store one with `replica run SPEC.yaml` or POST /api/experiments.'));
  }
  const search = el('input', undefined, {
    type: 'search',
    name: 'q',
    placeholder: 'name, description, tag:baseline',
    size: '30',
  });
  search.value = new URLSearchParams(location.search).get('q') ?? '';
  const count = el('span', '', { class: 'count' });
  const toolbar = el('div', undefined, { class: 'toolbar', role: 'toolbar', 'aria-label': 'Experiments list' });
  toolbar.append(labelled('Search', search), count);
  const holder = el('div', undefined, { class: 'experiments' });
  const live = status();
  if (list.length > 0) app.append(toolbar, live, holder);

  function render(): void {
    const shown = filterExperiments(list, search.value);
    count.textContent = `${shown.length} of ${list.length} experiments`;
    holder.replaceChildren(
      table(
        ['ID', 'Name', 'Tags', 'Kind', 'Runs', 'States', 'Created'],
        shown.map((e) => [
          String(e.id),
          nameCell(e),
          tagList(e.tags),
          e.kind,
          String(e.runCount),
          stateSummary(e),
          new Date(e.createdAt).toLocaleString(),
        ]),
        'All experiments, newest first',
        [true, false, false, false, true, false, false],
      ),
    );
    app.dataset.liveUpdates = String(Number(app.dataset.liveUpdates ?? '-1') + 1);
  }

  let debounce = 0;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      const params = new URLSearchParams(location.search);
      if (search.value) params.set('q', search.value);
      else params.delete('q');
      const q = params.toString();
      history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
      render();
    }, 150);
  });

  const refetch = new Throttle(async () => {
    list = await api.experiments();
    if (!holder.isConnected && list.length > 0) app.replaceChildren(el('h1', 'Experiments'), toolbar, live, holder);
    render();
  }, 1000);
  const source = allEvents();
  source.onmessage = (message) => {
    const event = JSON.parse(message.data) as EventView;
    if (event.type === 'state') refetch.request();
  };
  if (list.length > 0) render();
  return () => {
    refetch.cancel();
    source.close();
  };
}

function nameCell(e: ExperimentView): Node {
  const cell = el('span');
  cell.append(el('a', e.name, { href: `/experiments/${e.id}` }));
  if (e.displayName) cell.append(' ', el('span', e.displayName, { class: 'display-name' }));
  return cell;
}

/** Tags as small pills, the style of the labels pane. */
export function tagList(tags: string[]): HTMLElement {
  const list = el('ul', undefined, { class: 'tags', 'aria-label': 'Tags' });
  tags.forEach((t) => list.append(el('li', t, { class: 'tag' })));
  return list;
}
