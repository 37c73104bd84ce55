import { describe, expect, it } from 'vitest';
import { defaultMetric, isSystemMetric } from './systemMetrics';

describe('system metrics', () => {
  it('are the sys/ names', () => {
    expect(isSystemMetric('sys/cpu_percent')).toBe(true);
    expect(isSystemMetric('sys/gpu0/util_percent')).toBe(true);
    expect(isSystemMetric('train/loss')).toBe(false);
    expect(isSystemMetric('system/loss')).toBe(false);
  });

  it('are never the metric a page opens on while the run has one of its own', () => {
    expect(defaultMetric(['sys/cpu_percent', 'sys/rss_mb', 'train/loss'])).toBe('train/loss');
    expect(defaultMetric(['accuracy', 'sys/rss_mb'])).toBe('accuracy');
    expect(defaultMetric(['sys/rss_mb'])).toBe('sys/rss_mb');
    expect(defaultMetric([])).toBe('');
  });
});
