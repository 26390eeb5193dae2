/**
 * Existence without a local disk (ARCHITECTURE): a path is a file iff `FILE_<path>` has a record,
 * a directory iff it prefixes indexed files (or is the root); anything else is 404. When Redis
 * cannot answer and nothing is cached, the path is "unknown" and served like a directory
 * (fallbacks/503), as Mirrorbits does when its database is unavailable.
 */
import { CatalogUnavailableError, type FileEntry, type PathView } from '@mirrorball/catalog';
import { fileEntry } from '@mirrorball/catalog';
import { ZERO_TIME } from '@mirrorball/gofmt';
import type { ApiContext } from './deps.ts';
import { countRedisError } from './tally.ts';

export type Resolved =
  | { kind: 'file'; path: string; view: PathView }
  | { kind: 'dir' | 'unknown'; path: string; view: PathView }
  | { kind: 'missing' };

/** The effective path Mirrorbits would use: no trailing slash, root = ''. */
export function effectivePath(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function emptyView(path: string): PathView {
  return { file: emptyFile(path), candidates: [], mirrors: [] };
}

export function emptyFile(path: string): FileEntry {
  return fileEntry({ path, size: 0, modTime: ZERO_TIME, sha1: '', sha256: '', md5: '' }, false);
}

export function classifyView(ctx: ApiContext, path: string, view: PathView): Resolved {
  if (view.file.exists) return { kind: 'file', path, view };
  if (ctx.dirs.isDirectory(path)) return { kind: 'dir', path, view: emptyView(path) };
  return { kind: 'missing' };
}

/** Synchronous when everything is cached (the warm path). */
export function resolveCached(ctx: ApiContext, rawPath: string): Resolved | undefined {
  const path = effectivePath(rawPath);
  if (path === '') return { kind: 'dir', path, view: emptyView(path) };
  const view = ctx.catalog.peekPath(path);
  return view && classifyView(ctx, path, view);
}

export async function resolve(ctx: ApiContext, rawPath: string): Promise<Resolved> {
  const hit = resolveCached(ctx, rawPath);
  if (hit) return hit;
  const path = effectivePath(rawPath);
  try {
    return classifyView(ctx, path, await ctx.catalog.getPath(path));
  } catch (err) {
    if (!(err instanceof CatalogUnavailableError) && !isRedisError(err)) throw err;
    countRedisError(ctx.tally, 'catalog');
    // A known directory stays a directory; anything else cannot be decided: fallbacks/503.
    return { kind: ctx.dirs.isDirectory(path) ? 'dir' : 'unknown', path, view: emptyView(path) };
  }
}

export function isRedisError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return name === 'ReplyError' || name === 'MaxRetriesPerRequestError' || /ECONN|Connection|closed|timeout/i.test(String(err));
}
