/**
 * A table that renders only the rows in view (plus a margin), so ten thousand rows scroll as
 * smoothly as ten. It stays a real <table> with a sticky header: screen readers get
 * aria-rowcount/aria-rowindex, and spacer rows keep the scrollbar honest.
 */
export interface VirtualColumn<T> {
  key: string;
  label: string;
  /** Text or a node for the cell. */
  cell: (row: T) => string | Node;
  numeric?: boolean;
  sortable?: boolean;
}

export interface VirtualTableOptions<T> {
  caption: string;
  rowHeight?: number;
  onSort?: (key: string) => void;
  sort?: { key: string; desc: boolean } | null;
  rowClass?: (row: T) => string;
}

export class VirtualTable<T> {
  readonly element: HTMLDivElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly rowHeight: number;
  private rows: T[] = [];
  private columns: VirtualColumn<T>[] = [];
  private first = -1;
  private last = -1;
  private frame = 0;

  constructor(private readonly options: VirtualTableOptions<T>) {
    this.rowHeight = options.rowHeight ?? 30;
    this.element = document.createElement('div');
    this.element.className = 'vtable';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', options.caption);
    this.table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.className = 'visually-hidden';
    caption.textContent = options.caption;
    this.table.append(caption, document.createElement('thead'));
    this.body = document.createElement('tbody');
    this.table.append(this.body);
    this.element.append(this.table);
    this.element.addEventListener('scroll', () => this.schedule());
    window.addEventListener('resize', () => this.schedule());
  }

  setColumns(columns: VirtualColumn<T>[], sort: { key: string; desc: boolean } | null): void {
    this.columns = columns;
    const tr = document.createElement('tr');
    tr.setAttribute('aria-rowindex', '1');
    for (const c of columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.numeric) th.className = 'num';
      if (c.sortable !== false && this.options.onSort) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort';
        const active = sort?.key === c.key;
        button.textContent = c.label + (active ? (sort!.desc ? ' ▼' : ' ▲') : '');
        button.title = `Sort by ${c.label}`;
        th.setAttribute('aria-sort', active ? (sort!.desc ? 'descending' : 'ascending') : 'none');
        button.addEventListener('click', () => this.options.onSort!(c.key));
        th.append(button);
      } else {
        th.textContent = c.label;
      }
      tr.append(th);
    }
    this.table.tHead!.replaceChildren(tr);
    this.redraw();
  }

  setRows(rows: T[]): void {
    this.rows = rows;
    this.table.setAttribute('aria-rowcount', String(rows.length + 1));
    this.redraw();
  }

  /** Re-renders the rows in view (after a selection change, say). */
  redraw(): void {
    this.first = -1;
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const h = this.rowHeight;
    const viewport = this.element.clientHeight || 600;
    const overscan = 10;
    const first = Math.max(0, Math.floor(this.element.scrollTop / h) - overscan);
    const last = Math.min(this.rows.length, Math.ceil((this.element.scrollTop + viewport) / h) + overscan);
    if (first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const nodes: HTMLTableRowElement[] = [];
    nodes.push(this.spacer(first * h));
    for (let i = first; i < last; i++) {
      const row = this.rows[i];
      const tr = document.createElement('tr');
      tr.style.height = `${h}px`;
      tr.setAttribute('aria-rowindex', String(i + 2));
      const cls = this.options.rowClass?.(row);
      if (cls) tr.className = cls;
      for (const c of this.columns) {
        const td = document.createElement('td');
        if (c.numeric) td.className = 'num';
        td.append(c.cell(row));
        tr.append(td);
      }
      nodes.push(tr);
    }
    nodes.push(this.spacer((this.rows.length - last) * h));
    this.body.replaceChildren(...nodes);
  }

  private spacer(height: number): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.setAttribute('aria-hidden', 'true');
    tr.className = 'spacer';
    const td = document.createElement('td');
    td.colSpan = Math.max(1, this.columns.length);
    td.style.height = `${height}px`;
    if (height === 0) tr.style.display = 'none';
    tr.append(td);
    return tr;
  }
}
