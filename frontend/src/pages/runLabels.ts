import { api } from '../api/client';
import type { LabelPatch, LabelView } from '../api/types';
import { button, el, labelled } from '../components/dom';
import { renderMarkdown } from '../components/markdown';
import { writeWithSignIn } from './signin';

/** Tags as typed in the edit form: separated by spaces or commas, duplicates dropped, order kept. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((t) => t !== ''))];
}

/** What a labels pane edits: a run (PATCH /api/runs/{id}) or an experiment (PATCH /api/experiments/{id}). */
export interface LabelTarget {
  /** `run` or `experiment`, for the pane's sentences */
  noun: string;
  patch: (patch: LabelPatch) => Promise<LabelView>;
}

export const runTarget = (runId: number): LabelTarget => ({
  noun: 'run',
  patch: (p) => api.patchRun(runId, p),
});

export const experimentTarget = (experimentId: number): LabelTarget => ({
  noun: 'experiment',
  patch: (p) => api.patchExperiment(experimentId, p),
});

/**
 * The labels of a run or an experiment on its page: display name, tags and note, edited in place, and the
 * archive switch. `onChanged` gets the labels the server stored. The note is Markdown, rendered by
 * {@link renderMarkdown} (text nodes only: no HTML of a note reaches the page).
 */
export function labelsPane(
  target: LabelTarget,
  current: LabelView,
  onChanged: (labels: LabelView) => void,
): HTMLElement {
  const pane = el('section', undefined, { class: 'labels', 'aria-label': 'Name, tags and note' });
  const message = el('p', '', { role: 'status', class: 'labels-status' });
  const hiddenFrom = target.noun === 'run' ? 'the runs table' : 'the experiments list';

  function save(patch: LabelPatch, done: string): Promise<void> {
    return writeWithSignIn(
      message,
      () => target.patch(patch),
      (labels) => {
        message.textContent = done;
        onChanged(labels);
      },
    );
  }

  function show(): void {
    const tags = el('ul', undefined, { class: 'tags', 'aria-label': 'Tags' });
    current.tags.forEach((t) => tags.append(el('li', t, { class: 'tag' })));
    let note: HTMLElement;
    if (current.note) {
      note = el('div', undefined, { class: 'note', 'aria-label': 'Note' });
      note.append(renderMarkdown(current.note));
    } else {
      note = el('p', 'No note.', { class: 'note empty' });
    }
    const edit = button('Edit name, tags and note', () => editForm());
    const archive = current.archived
      ? button(
          'Unarchive',
          () => void save({ archived: false }, `Unarchived: the ${target.noun} is back in ${hiddenFrom}.`),
        )
      : button('Archive', () => void save({ archived: true }, `Archived: hidden from ${hiddenFrom} until unarchived.`));
    pane.replaceChildren(
      ...(current.archived ? [el('p', `Archived: hidden from ${hiddenFrom}.`, { class: 'archived' })] : []),
      tags,
      note,
      el('div', undefined, { class: 'actions' }),
      message,
    );
    pane.querySelector('.actions')!.append(edit, archive);
  }

  function editForm(): void {
    const form = el('form', undefined, { class: 'labels-edit', 'aria-label': 'Edit labels' });
    const name = el('input', undefined, { name: 'displayName', maxlength: '200' });
    name.value = current.displayName ?? '';
    const tags = el('input', undefined, { name: 'tags', placeholder: 'baseline, lr-study' });
    tags.value = current.tags.join(', ');
    const note = el('textarea', undefined, { name: 'note', rows: '5' });
    note.value = current.note ?? '';
    form.append(
      labelled('Name', name),
      labelled('Tags', tags),
      labelled('Note (Markdown)', note),
      el('button', 'Save', { type: 'submit' }),
      button('Cancel', () => show()),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void save({ displayName: name.value, tags: parseTags(tags.value), note: note.value }, 'Saved.');
    });
    pane.replaceChildren(form, message);
    name.focus();
  }

  show();
  return pane;
}
