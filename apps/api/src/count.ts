/**
 * Which answers count (contract §2.14 + ARCHITECTURE): redirects for GET, and for HEAD when
 * `CountHeadRequests` (default true; Mirrorbits never counts HEAD). Other methods never count.
 * Ranged requests go through the de-duplication, which never delays the response.
 */
import type { ApiContext } from './deps.ts';
import type { Req } from './request.ts';

export function countDownload(ctx: ApiContext, r: Req, path: string, mirrorId: number, size: number, ip: string): void {
  if (r.method !== 'GET' && !(r.method === 'HEAD' && ctx.config.CountHeadRequests)) return;
  const range = r.h.range;
  if (range === undefined || ctx.config.SameDownloadInterval <= 0) {
    ctx.counter.record(path, mirrorId, size);
    return;
  }
  const ua = r.h.ua ?? '';
  void ctx.dedup.shouldCount(ip, ua, path).then((yes) => {
    if (yes) ctx.counter.record(path, mirrorId, size);
  });
}
