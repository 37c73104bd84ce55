/**
 * A small Markdown subset for notes: paragraphs, `#` headings, `-`/`*`/`1.` lists, fenced code, `inline code`,
 * **bold**, *italic* and [links](https://…). It parses into a tree of plain objects and builds DOM nodes with
 * textContent only, so no text of a note is ever read as HTML: `<script>` stays the eight characters it is.
 * Links keep http(s) and mailto targets only (no `javascript:`).
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: number; children: Inline[] }
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; text: string };

const LIST_ITEM = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;

/** Splits a note into blocks; a blank line ends a paragraph or list. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i])) body.push(lines[i++]);
      i++; // the closing fence (or the end of the note)
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1].length, children: parseInline(heading[2].trim()) });
      i++;
      continue;
    }
    const item = line.match(LIST_ITEM);
    if (item) {
      const ordered = item[2] !== undefined;
      const items: Inline[][] = [];
      while (i < lines.length) {
        const m = lines[i].match(LIST_ITEM);
        if (!m || (m[2] !== undefined) !== ordered) break;
        items.push(parseInline(m[3]));
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const paragraph: Inline[][] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !/^\s*```/.test(lines[i]) &&
      !/^#{1,6}\s/.test(lines[i]) &&
      !LIST_ITEM.test(lines[i])
    ) {
      paragraph.push(parseInline(lines[i].trim()));
      i++;
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
}

/** Only these link targets are kept; anything else (javascript:, data:) is shown as text. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(h) || /^\/(?!\/)/.test(h) ? h : null;
}

/** Inline spans of one line: code first (its content is literal), then links, bold, italic. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain !== '') out.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const code = rest.match(/^`([^`]+)`/);
    if (code) {
      flush();
      out.push({ kind: 'code', text: code[1] });
      i += code[0].length;
      continue;
    }
    const link = rest.match(/^\[([^\]]+)\]\(([^)\s]+)\)/);
    if (link) {
      const href = safeHref(link[2]);
      if (href !== null) {
        flush();
        out.push({ kind: 'link', href, children: parseInline(link[1]) });
        i += link[0].length;
        continue;
      }
    }
    const strong = rest.match(/^(\*\*|__)(?=\S)(.+?)(?<=\S)\1/);
    if (strong) {
      flush();
      out.push({ kind: 'strong', children: parseInline(strong[2]) });
      i += strong[0].length;
      continue;
    }
    const em = rest.match(/^([*_])(?=\S)(.+?)(?<=\S)\1/);
    if (em && (em[1] === '*' || !/\w/.test(text[i - 1] ?? ''))) {
      flush();
      out.push({ kind: 'em', children: parseInline(em[2]) });
      i += em[0].length;
      continue;
    }
    plain += text[i];
    i++;
  }
  flush();
  return out;
}

function inlineNodes(spans: Inline[]): Node[] {
  return spans.map((s) => {
    switch (s.kind) {
      case 'text':
        return document.createTextNode(s.text);
      case 'code': {
        const c = document.createElement('code');
        c.textContent = s.text;
        return c;
      }
      case 'link': {
        const a = document.createElement('a');
        a.href = s.href;
        a.rel = 'noopener noreferrer';
        a.append(...inlineNodes(s.children));
        return a;
      }
      default: {
        const e = document.createElement(s.kind);
        e.append(...inlineNodes(s.children));
        return e;
      }
    }
  });
}

/** The note as DOM nodes (never through innerHTML). */
export function renderMarkdown(source: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const b of parseMarkdown(source)) {
    if (b.kind === 'heading') {
      // headings inside a note sit below the page's own h1/h2
      const h = document.createElement(`h${Math.min(6, b.level + 2)}`);
      h.append(...inlineNodes(b.children));
      fragment.append(h);
    } else if (b.kind === 'paragraph') {
      const p = document.createElement('p');
      b.lines.forEach((line, k) => {
        if (k > 0) p.append(document.createElement('br'));
        p.append(...inlineNodes(line));
      });
      fragment.append(p);
    } else if (b.kind === 'list') {
      const list = document.createElement(b.ordered ? 'ol' : 'ul');
      for (const item of b.items) {
        const li = document.createElement('li');
        li.append(...inlineNodes(item));
        list.append(li);
      }
      fragment.append(list);
    } else {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = b.text;
      pre.append(code);
      fragment.append(pre);
    }
  }
  return fragment;
}
