/** Creates an element with optional text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** A labelled form control: <label>text <control></label>. */
export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = el('label');
  label.append(`${text} `, control);
  return label;
}

export function button(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', text, { type: 'button', ...attrs });
  b.addEventListener('click', onClick);
  return b;
}

/** A simple static table. */
export function table(
  headers: string[],
  rows: (string | Node)[][],
  caption: string,
  numeric: boolean[] = [],
): HTMLTableElement {
  const t = el('table');
  t.append(el('caption', caption));
  const head = el('tr');
  headers.forEach((h, i) => head.append(el('th', h, { scope: 'col', ...(numeric[i] ? { class: 'num' } : {}) })));
  const thead = el('thead');
  thead.append(head);
  t.append(thead);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((cell, i) => {
      const td = el('td', undefined, numeric[i] ? { class: 'num' } : {});
      td.append(cell);
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(body);
  return t;
}

/** Offers text as a file download. */
export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', undefined, { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A polite live region for status messages. */
export function status(): HTMLParagraphElement {
  return el('p', '', { role: 'status', 'aria-live': 'polite', class: 'status' });
}
