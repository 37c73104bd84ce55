import { formatNumber } from '../charts/transform';
import { button, el } from '../components/dom';
import type { VirtualColumn } from '../components/virtualTable';
import { cellValue, columnLabel, isMetricColumn, moveColumn, type RunRow } from './runs';

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

/** A column of the runs table by key (see {@link cellValue}); state and failure reason get their own look. */
export function dataColumn(key: string): VirtualColumn<RunRow> {
  const label = columnLabel(key);
  switch (key) {
    case 'state':
      return {
        key,
        label,
        cell: (r) => stateCell(r.run),
      };
    case 'reason':
      return {
        key,
        label,
        cell: (r) => {
          const text = String(cellValue(r, key) ?? '');
          return el('span', text, { class: 'reason', title: text });
        },
      };
    default: {
      const numeric = isMetricColumn(key) || key === 'index' || key === 'seed';
      return {
        key,
        label,
        numeric,
        cell: (r) => {
          const v = cellValue(r, key);
          return typeof v === 'number' && isMetricColumn(key) ? formatNumber(v) : v === null ? '' : String(v);
        },
      };
    }
  }
}

export interface ColumnChooserOptions {
  /** every column on offer, in the default order */
  available: () => string[];
  /** the columns shown now, in their order */
  shown: () => string[];
  /** a new choice, or null for the defaults */
  choose: (columns: string[] | null) => void;
}

/**
 * The column chooser: a checkbox per column, shown ones first in their order with buttons that move them left
 * or right, and a reset to the defaults. `refresh` redraws it (after new metrics or parameters arrived).
 */
export function columnChooser(options: ColumnChooserOptions): HTMLDetailsElement & { refresh: () => void } {
  const details = el('details', undefined, { class: 'columns' }) as HTMLDetailsElement & { refresh: () => void };
  const list = el('ol', undefined, { 'aria-label': 'Columns, in order' });
  details.append(
    el('summary', 'Columns'),
    list,
    button('Default columns', () => options.choose(null)),
  );
  function refresh(): void {
    const shown = options.shown();
    const rest = options.available().filter((k) => !shown.includes(k));
    list.replaceChildren(
      ...[...shown, ...rest].map((key) => {
        const item = el('li', undefined, { 'data-column': key });
        const box = el('input', undefined, { type: 'checkbox', value: key });
        box.checked = shown.includes(key);
        box.addEventListener('change', () =>
          options.choose(box.checked ? [...shown, key] : shown.filter((k) => k !== key)),
        );
        const label = el('label');
        label.append(box, ` ${columnLabel(key)}`);
        item.append(label);
        if (box.checked) {
          item.append(
            button('←', () => options.choose(moveColumn(shown, key, -1)), {
              class: 'small',
              'aria-label': `Move ${columnLabel(key)} left`,
            }),
            button('→', () => options.choose(moveColumn(shown, key, 1)), {
              class: 'small',
              'aria-label': `Move ${columnLabel(key)} right`,
            }),
          );
        }
        return item;
      }),
    );
  }
  details.refresh = refresh;
  refresh();
  return details;
}

/** A run's state as a badge; a PRUNED run also names the rung (resource) where early stopping stopped it. */
export function stateCell(run: RunRow['run']): HTMLElement {
  const state = run.state.toLowerCase();
  const rung = run.state === 'PRUNED' && run.prunedAtResource != null ? ` @ ${run.prunedAtResource}` : '';
  const badge = el('span', `${state}${rung}`, { class: `state state-${state}` });
  if (rung)
    badge.title = `Stopped by early stopping at the rung at ${run.prunedAtResource} (resource axis of the search)`;
  return badge;
}
