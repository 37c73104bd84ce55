import { el } from '../components/dom';
import type { VirtualColumn } from '../components/virtualTable';
import type { RunRow } from './runs';

/** A checkbox per run that adds it to (or takes it from) the selection, then calls `changed`. */
export function selectColumn(selected: Set<number>, changed: () => void): VirtualColumn<RunRow> {
  return {
    key: 'select',
    label: 'Select',
    sortable: false,
    cell: (r) => {
      const box = el('input', undefined, { type: 'checkbox', 'aria-label': `Select run ${r.run.id}` });
      box.checked = selected.has(r.run.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(r.run.id);
        else selected.delete(r.run.id);
        changed();
      });
      return box;
    },
  };
}

/** The run id, linked to its page. */
export const idColumn: VirtualColumn<RunRow> = {
  key: 'id',
  label: 'Run',
  numeric: true,
  cell: (r) => el('a', String(r.run.id), { href: `/runs/${r.run.id}` }),
};

/** A run's state as a badge; a PRUNED run also names the rung (resource) where early stopping stopped it. */
export function stateCell(run: RunRow['run']): HTMLElement {
  const state = run.state.toLowerCase();
  const rung = run.state === 'PRUNED' && run.prunedAtResource != null ? ` @ ${run.prunedAtResource}` : '';
  const badge = el('span', `${state}${rung}`, { class: `state state-${state}` });
  if (rung)
    badge.title = `Stopped by early stopping at the rung at ${run.prunedAtResource} (resource axis of the search)`;
  return badge;
}
