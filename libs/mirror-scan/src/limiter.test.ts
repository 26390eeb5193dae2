import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { rateLimiter } from './limiter.ts';

describe('rateLimiter', () => {
  it('spaces starts and leaves no abort listener behind after normal waits', async () => {
    const ac = new AbortController();
    const limit = rateLimiter(200, ac.signal);
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) await limit();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('an abort ends a wait at once', async () => {
    const ac = new AbortController();
    const limit = rateLimiter(0.5, ac.signal);
    await limit();
    const waiting = limit();
    const t0 = Date.now();
    ac.abort();
    await waiting;
    expect(Date.now() - t0).toBeLessThan(500);
  });
});
