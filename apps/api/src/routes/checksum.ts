/** `?md5` / `?sha1` / `?sha256` (contract §2.11): sha256sum-style line, precedence md5 > sha1 > sha256. */
import type { FileEntry } from '@mirrorball/catalog';
import type { ApiContext } from '../deps.ts';
import { countRedisError } from '../tally.ts';
import { notFound, send, sendError, unavailable, type Reply } from '../reply.ts';
import { tagAnswer, type Req } from '../request.ts';
import { effectivePath } from '../resolve.ts';

export async function checksum(ctx: ApiContext, r: Req): Promise<Reply> {
  tagAnswer(r, 'checksum');
  const path = effectivePath(r.path);
  let file: FileEntry;
  try {
    file = path === '' ? { exists: false } as FileEntry : ctx.catalog.peekFile(path) ?? (await ctx.catalog.getFile(path));
  } catch {
    countRedisError(ctx.tally, 'catalog');
    return unavailable(ctx.server, r.gzip);
  }
  if (!file.exists && !ctx.dirs.isDirectory(path)) {
    return notFound(ctx.server, r.gzip);
  }
  const q = r.query;
  const info = file.exists ? file.info : null;
  const hash = !info ? '' : q.has('md5') ? info.md5 : q.has('sha1') ? info.sha1 : info.sha256;
  if (!hash) {
    return sendError(404, 'Hash type not supported', ctx.server, r.gzip);
  }
  const base = path.slice(path.lastIndexOf('/') + 1);
  return send(200, ['Content-Type', 'text/plain; charset=UTF-8', 'Server', ctx.server], `${hash}  ${base}`, { gzip: r.gzip });
}
