import { describe, expect, it } from 'vitest';
import { artifactUrl, exportUrl, MAX_EXPORT_RUNS } from '../api/client';
import { formatBytes } from './artifacts';

describe('artifacts and export links', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MiB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GiB');
    expect(formatBytes(-1)).toBe('');
  });

  it('encodes each segment of an artifact name but keeps the slashes', () => {
    expect(artifactUrl(7, 'plots/loss curve#1.png')).toBe('/api/runs/7/artifacts/plots/loss%20curve%231.png');
  });

  it('exports a whole experiment by id, a selection by run ids, and refuses lists too long for a URL', () => {
    expect(exportUrl('arrow', 3, [1, 2], true)).toBe('/api/export/metrics?experiment=3&format=arrow');
    expect(exportUrl('arrow', 3, [4, 5])).toBe('/api/export/metrics?runs=4,5&format=arrow');
    expect(exportUrl('csv', null, [])).toBeNull();
    const many = Array.from({ length: MAX_EXPORT_RUNS + 1 }, (_, i) => 100000 + i);
    expect(exportUrl('arrow', 3, many)).toBeNull();
    expect(exportUrl('arrow', 3, many.slice(1))!.length).toBeLessThan(4000);
  });
});
