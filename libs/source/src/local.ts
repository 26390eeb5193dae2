import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { goTimeFromNs } from '@mirrorball/gofmt';
import { SourceError } from './errors.ts';
import type { ByteRange, Log, Source, SourceObject } from './source.ts';
import { silentLog } from './source.ts';

/** Byte order of UTF-8 names, as Go's sort.Strings orders filepath.Walk entries. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A local repository directory, walked as Mirrorbits does (contract §7): recursive, lexical
 * order, symlinks never followed nor recorded, hidden files included, mtime with nanoseconds.
 * Only regular files are recorded: a FIFO or device would block or never end when hashed.
 */
export class LocalDirectorySource implements Source {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string, private readonly log: Log = silentLog) {
    this.root = path.resolve(root);
  }

  describe(): string {
    return `local directory ${this.root}`;
  }

  async *list(): AsyncIterable<SourceObject> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(this.root);
    } catch (e) {
      throw new SourceError('missing-directory', `repository directory ${this.root} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (!st.isDirectory()) throw new SourceError('missing-directory', `repository ${this.root} is not a directory`);
    yield* this.walk(this.root, '');
  }

  private async *walk(dir: string, rel: string): AsyncIterable<SourceObject> {
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch (e) {
      // A directory that vanished or became unreadable mid-walk: the listing would be incomplete.
      throw new SourceError('other', `cannot read directory ${dir}: ${(e as Error).message}`, { cause: e });
    }
    names.sort(byteOrder);
    for (const name of names) {
      const full = path.join(dir, name);
      const relPath = `${rel}/${name}`;
      let st: fs.BigIntStats;
      try {
        st = await fs.promises.lstat(full, { bigint: true });
      } catch (e) {
        this.log.warn(`[source] skipping ${relPath}: ${(e as Error).message}`);
        continue;
      }
      if (st.isDirectory()) yield* this.walk(full, relPath);
      else if (st.isFile()) yield { path: relPath, size: Number(st.size), modTime: goTimeFromNs(st.mtimeNs) };
    }
  }

  async open(p: string, range?: ByteRange): Promise<Readable> {
    const full = this.resolve(p);
    // 1 MiB reads: hashing multi-GB images is otherwise bound by per-chunk overhead.
    const stream = fs.createReadStream(full, { highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end } : {}) });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  private resolve(p: string): string {
    const full = path.join(this.root, p);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) throw new SourceError('other', `path ${p} escapes the repository`);
    return full;
  }
}
