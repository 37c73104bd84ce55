import { el } from './dom';

/**
 * Asks before something that cannot be undone, in a modal `<dialog>` (not `window.confirm`, which a page
 * cannot style and tests cannot read). Resolves true only when `confirmText` is clicked.
 */
export function confirmDialog(question: string, detail: string, confirmText: string): Promise<boolean> {
  const dialog = el('dialog', undefined, { class: 'confirm', 'aria-label': question });
  const yes = el('button', confirmText, { type: 'button', class: 'danger', value: 'yes' });
  const no = el('button', 'Keep it', { type: 'button', value: 'no' });
  const buttons = el('div', undefined, { class: 'actions' });
  buttons.append(no, yes);
  dialog.append(el('h2', question), el('p', detail), buttons);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => close(true));
    no.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', () => close(false));
    dialog.showModal();
    no.focus();
  });
}
