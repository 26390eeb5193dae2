/**
 * Spaces calls out to at most `perSecond` starts per second (0 or less = unlimited), so a scan
 * never floods a volunteer's server. Shared by every request of one mirror's scan.
 */
export function rateLimiter(perSecond: number, signal?: AbortSignal): () => Promise<void> {
  if (!(perSecond > 0)) return async () => {};
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) {
      await new Promise<void>((resolve) => {
        // The abort listener must go when the wait ends normally: a long crawl waits here once per
        // request, and leftover listeners on the scan's one signal would pile up (a leak).
        const onAbort = () => { clearTimeout(t); resolve(); };
        const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, at - now);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  };
}
