/**
 * The api's read model of the index (contract §3.8, §4.4): bounded LRU caches of file records,
 * file→mirror ids, mirror records and file-on-mirror records, including negative entries,
 * invalidated by pub/sub and cleared on reconnection. A warm request is answered from memory
 * (peekCandidates is synchronous); a cold one loads in two pipelined round trips, single-flight
 * per path. While Redis is unreachable, misses fail fast instead of queueing.
 */
import type { Redis } from 'ioredis';
import { decodeFileInfo, decodeMirror, decodeMirrorFileInfo, FILE_FIELDS, keys } from '@mirrorball/redis';
import type { MirrorFileInfo } from '@mirrorball/model';
import { Lru } from './lru.ts';
import { fileEntry, mirrorEntry, type Candidate, type FileEntry, type MirrorEntry } from './entries.ts';

export class CatalogUnavailableError extends Error {
  override name = 'CatalogUnavailableError';
}

export interface CatalogOptions {
  /** Budgets in §3.8's size units (defaults: Mirrorbits' budgets). */
  fileBudget?: number;
  fileMirrorsBudget?: number;
  mirrorBudget?: number;
  mirrorFileBudget?: number;
  /** A cold load slower than this fails (ms). */
  loadTimeoutMs?: number;
  /** Assembled warm views kept (default 10 000). */
  maxViews?: number;
}

/** Everything a STANDARD request needs about one path. */
export interface PathView {
  file: FileEntry;
  candidates: Candidate[];
  mirrors: MirrorEntry[];
}

const FILE_UNIT = 96;
const MIRROR_UNIT = 560;

export class Catalog {
  readonly files: Lru<string, FileEntry>;
  readonly fileMirrors: Lru<string, readonly number[]>;
  readonly mirrors: Lru<number, MirrorEntry | null>;
  readonly mirrorFiles: Lru<string, MirrorFileInfo | null>;
  /**
   * Assembled views of warm paths: one Map lookup per warm request instead of 2 + 2·mirrors LRU
   * touches. Bounded (oldest dropped first); dropped with any invalidation that could touch it.
   */
  private readonly views = new Map<string, PathView>();
  private readonly maxViews: number;
  private readonly pending = new Map<string, Promise<PathView>>();
  private readonly pendingFiles = new Map<string, Promise<FileEntry>>();
  private readonly timeoutMs: number;
  /** Incremented on every invalidation so an in-flight load never stores stale data. */
  private epoch = 0;
  redisRoundTrips = 0;
  viewHits = 0;

  constructor(private readonly redis: Redis, opts: CatalogOptions = {}) {
    this.files = new Lru(opts.fileBudget ?? 1_024_000, () => FILE_UNIT);
    this.fileMirrors = new Lru(opts.fileMirrorsBudget ?? 2_048_000, (ids) => Math.max(1, ids.length));
    this.mirrors = new Lru(opts.mirrorBudget ?? 1_024_000, () => MIRROR_UNIT);
    this.mirrorFiles = new Lru(opts.mirrorFileBudget ?? 4_096_000, () => FILE_UNIT);
    this.timeoutMs = opts.loadTimeoutMs ?? 2000;
    this.maxViews = opts.maxViews ?? 10_000;
  }

  private remember(path: string, view: PathView): void {
    if (this.views.size >= this.maxViews) {
      let drop = Math.max(1, this.maxViews >> 3);
      for (const k of this.views.keys()) {
        this.views.delete(k);
        if (--drop === 0) break;
      }
    }
    this.views.set(path, view);
  }

  // ---- warm path (synchronous) ----

  peekFile(path: string): FileEntry | undefined {
    return this.files.get(path);
  }

  /** The full view from the caches, or undefined when any part is missing. */
  peekPath(path: string): PathView | undefined {
    const view = this.views.get(path);
    if (view !== undefined) {
      this.viewHits++;
      return view;
    }
    const file = this.files.get(path);
    if (!file) return undefined;
    const ids = this.fileMirrors.get(path);
    if (!ids) return undefined;
    const candidates: Candidate[] = [];
    const mirrors: MirrorEntry[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const m = this.mirrors.get(id);
      if (m === undefined) return undefined;
      if (m === null) continue; // deleted mirror still listed in FILEMIRRORS
      const fi = this.mirrorFiles.get(id + '|' + path);
      if (fi === undefined) return undefined;
      candidates.push({ mirror: m.mirror, fileInfo: fi });
      mirrors.push(m);
    }
    const v = { file, candidates, mirrors };
    this.remember(path, v);
    return v;
  }

  // ---- cold path ----

  async getFile(path: string): Promise<FileEntry> {
    const hit = this.files.get(path);
    if (hit) return hit;
    let p = this.pendingFiles.get(path);
    if (!p) {
      p = this.guard(async () => {
        const epoch = this.epoch;
        this.redisRoundTrips++;
        const values = await this.redis.hmget(keys.file(path), ...FILE_FIELDS);
        const entry = fileEntry(decodeFileInfo(path, values), values.some((v) => v !== null));
        if (epoch === this.epoch) this.files.set(path, entry);
        return entry;
      }).finally(() => this.pendingFiles.delete(path));
      this.pendingFiles.set(path, p);
    }
    return p;
  }

  async getPath(path: string): Promise<PathView> {
    const hit = this.peekPath(path);
    if (hit) return hit;
    let p = this.pending.get(path);
    if (!p) {
      p = this.guard(() => this.loadPath(path)).finally(() => this.pending.delete(path));
      this.pending.set(path, p);
    }
    return p;
  }

  private async loadPath(path: string): Promise<PathView> {
    const epoch = this.epoch;
    // Round trip 1 (skipped when both are cached, e.g. after a mirror update dropped only a
    // mirror record): the file record and the ids of the mirrors holding it.
    let file = this.files.get(path);
    let ids = this.fileMirrors.get(path);
    if (file === undefined || ids === undefined) {
      const first = this.redis.pipeline();
      first.hmget(keys.file(path), ...FILE_FIELDS);
      first.smembers(keys.fileMirrors(path));
      this.redisRoundTrips++;
      const r1 = await first.exec();
      const [e1, values] = r1![0]!;
      const [e2, members] = r1![1]!;
      if (e1) throw e1;
      if (e2) throw e2;
      const vals = values as (string | null)[];
      file = fileEntry(decodeFileInfo(path, vals), vals.some((v) => v !== null));
      ids = (members as string[]).map(Number).filter((n) => Number.isInteger(n));
    }

    // Round trip 2: missing mirror records and this path's record on each mirror.
    const needMirror = ids.filter((id) => !this.mirrors.has(id));
    const needFile = ids.filter((id) => !this.mirrorFiles.has(id + '|' + path));
    const mirrorRecs = new Map<number, MirrorEntry | null>();
    const fileRecs = new Map<number, MirrorFileInfo | null>();
    if (needMirror.length || needFile.length) {
      const second = this.redis.pipeline();
      for (const id of needMirror) second.hgetall(keys.mirror(id));
      for (const id of needFile) {
        second.hmget(keys.fileInfo(id, path), ...FILE_FIELDS);
        second.sismember(keys.contentBad(id), path);
      }
      this.redisRoundTrips++;
      const r2 = (await second.exec())!;
      let i = 0;
      for (const id of needMirror) {
        const [err, hash] = r2[i++]!;
        if (err) throw err;
        const m = decodeMirror(id, hash as Record<string, string>);
        mirrorRecs.set(id, m ? mirrorEntry(m) : null);
      }
      for (const id of needFile) {
        const [err, v] = r2[i++]!;
        const [err2, bad] = r2[i++]!;
        if (err) throw err;
        const fv = v as (string | null)[];
        const present = fv.some((x) => x !== null);
        fileRecs.set(id, present ? decodeMirrorFileInfo(fv, err2 ? undefined : bad === 1 ? true : undefined) : null);
      }
    }
    const view = { file, candidates: [] as Candidate[], mirrors: [] as MirrorEntry[] };
    if (epoch === this.epoch) {
      this.files.set(path, file);
      this.fileMirrors.set(path, ids);
      for (const [id, m] of mirrorRecs) this.mirrors.set(id, m);
      for (const [id, f] of fileRecs) this.mirrorFiles.set(id + '|' + path, f);
    }
    for (const id of ids) {
      const m = mirrorRecs.has(id) ? mirrorRecs.get(id)! : this.mirrors.get(id) ?? null;
      if (!m) continue;
      const fi = fileRecs.has(id) ? fileRecs.get(id)! : this.mirrorFiles.get(id + '|' + path) ?? null;
      view.candidates.push({ mirror: m.mirror, fileInfo: fi });
      view.mirrors.push(m);
    }
    if (epoch === this.epoch) this.remember(path, view);
    return view;
  }

  /** Fail fast when Redis is not connected, and never wait longer than the load timeout. */
  private guard<T>(load: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') {
      return Promise.reject(new CatalogUnavailableError(`redis is ${this.redis.status}`));
    }
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new CatalogUnavailableError(`redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      load().then(resolve, reject).finally(() => clearTimeout(t));
    });
  }

  // ---- invalidation (contract §3.8 / §4.7) ----

  onFileUpdate(path: string): void {
    this.epoch++;
    this.files.delete(path);
    this.views.delete(path);
  }

  onMirrorUpdate(id: number): void {
    this.epoch++;
    this.mirrors.delete(id);
    // Any view may hold this mirror; views are cheap to rebuild from the LRUs.
    this.views.clear();
  }

  onMirrorFileUpdate(id: number, path: string): void {
    this.epoch++;
    this.fileMirrors.delete(path);
    this.mirrorFiles.delete(id + '|' + path);
    this.views.delete(path);
  }

  /** After a pub/sub reconnection: we may have missed invalidations. */
  clear(): void {
    this.epoch++;
    this.views.clear();
    this.files.clear();
    this.fileMirrors.clear();
    this.mirrors.clear();
    this.mirrorFiles.clear();
  }

  stats() {
    const c = (l: { size: number; hits: number; misses: number }) => ({ entries: l.size, hits: l.hits, misses: l.misses });
    return {
      file: c(this.files), fileMirrors: c(this.fileMirrors), mirror: c(this.mirrors), mirrorFile: c(this.mirrorFiles),
      view: { entries: this.views.size, hits: this.viewHits, misses: 0 },
    };
  }
}
