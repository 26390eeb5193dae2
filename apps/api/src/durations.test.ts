import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { API_METRICS } from '@mirrorball/metrics';
import { Durations, exposeDurations } from './durations.ts';
import { typeIndex } from './tally.ts';

describe('Durations', () => {
  it('exposes exactly what a prom-client Histogram with the catalogue definition would', async () => {
    const def = API_METRICS.httpRequestDuration;
    const ref = new Registry();
    const h = new Histogram({ name: def.name, help: def.help, labelNames: [...def.labels], buckets: [...def.buckets], registers: [ref] });
    const ours = new Registry();
    new Histogram({ name: def.name, help: def.help, labelNames: [...def.labels], buckets: [...def.buckets], registers: [ours] });
    const d = new Durations();
    exposeDurations(ours, d);
    // Bucket edges included (le is inclusive), values past the last bound, several types.
    const samples: [string, number][] = [['redirect', 0.00003], ['redirect', 0.0001], ['redirect', 0.00011], ['json', 0.004], ['redirect', 2.5], ['other', 0]];
    for (const [type, s] of samples) {
      h.observe({ type }, s);
      d.observe(typeIndex(type), s);
    }
    expect(await ours.metrics()).toBe(await ref.metrics());
    expect(await ours.metrics()).toContain('mirrorball_http_request_duration_seconds_bucket{le="0.0001",type="redirect"} 2');
  });
});

describe('monotonicSeconds', () => {
  it('counts seconds, monotonically', async () => {
    const { monotonicSeconds } = await import('./durations.ts');
    const a = monotonicSeconds();
    await new Promise((r) => setTimeout(r, 30));
    const b = monotonicSeconds();
    expect(b - a).toBeGreaterThan(0.025);
    expect(b - a).toBeLessThan(5);
  });
});
