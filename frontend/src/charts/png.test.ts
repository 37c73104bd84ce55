import { describe, expect, it } from 'vitest';
import { legendLayout, pngName } from './png';

describe('legendLayout', () => {
  it('flows entries left to right and wraps at the width', () => {
    // each entry: swatch (row 10) + label (10 px per character) + padding 2 × 5 = 20 + 10·chars
    const layout = legendLayout(['aaa', 'bbbbb', 'c'], 110, (t) => 10 * t.length, 10);
    expect(layout.map((p) => [p.x, p.y])).toEqual([
      [5, 0], // 50 wide
      [5, 10], // 70 wide: 55 + 70 > 110, wraps
      [75, 10], // 30 wide: 75 + 30 fits in 110
    ]);
    expect(layout.height).toBe(25);
  });

  it('takes no room without entries', () => {
    expect(legendLayout([], 100, () => 0, 10).height).toBe(0);
  });
});

describe('pngName', () => {
  it('keeps letters, digits, dots, underscores and dashes', () => {
    expect(pngName('val/loss: step')).toBe('val_loss_step');
  });
});
