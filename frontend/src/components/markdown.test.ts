import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('parseMarkdown', () => {
  it('keeps HTML as literal text', () => {
    expect(parseMarkdown('<script>alert(1)</script>')).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: '<script>alert(1)</script>' }]] },
    ]);
  });

  it('splits headings, paragraphs, lists and fenced code', () => {
    const blocks = parseMarkdown('# Result\nfirst line\nsecond\n\n- a\n- b\n\n1. one\n2. two\n```\nx = *1*\n```');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      lines: [[{ kind: 'text', text: 'first line' }], [{ kind: 'text', text: 'second' }]],
    });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: 'a' }], [{ text: 'b' }]] });
    expect(blocks[3]).toMatchObject({ ordered: true, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(blocks[4]).toEqual({ kind: 'code', text: 'x = *1*' });
  });
});

describe('parseInline', () => {
  it('reads bold, italic and code', () => {
    expect(parseInline('kept as **the** baseline, *really* `lr=0.1`')).toEqual([
      { kind: 'text', text: 'kept as ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'the' }] },
      { kind: 'text', text: ' baseline, ' },
      { kind: 'em', children: [{ kind: 'text', text: 'really' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'lr=0.1' },
    ]);
  });

  it('leaves snake_case names and lone stars alone', () => {
    expect(parseInline('lr_scale_max * 2')).toEqual([{ kind: 'text', text: 'lr_scale_max * 2' }]);
  });

  it('keeps http links and shows javascript: links as text', () => {
    expect(parseInline('[paper](https://arxiv.org/abs/1)')).toEqual([
      { kind: 'link', href: 'https://arxiv.org/abs/1', children: [{ kind: 'text', text: 'paper' }] },
    ]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ kind: 'text', text: '[x](javascript:alert(1))' }]);
  });
});

describe('safeHref', () => {
  it('allows web, mail and same-site paths only', () => {
    expect(safeHref('https://a.b')).toBe('https://a.b');
    expect(safeHref('mailto:a@b')).toBe('mailto:a@b');
    expect(safeHref('/runs/3')).toBe('/runs/3');
    expect(safeHref('//evil.example')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
  });
});
