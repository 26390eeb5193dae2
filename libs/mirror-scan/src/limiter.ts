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
        const t = setTimeout(resolve, at - now);
        signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
  };
}
