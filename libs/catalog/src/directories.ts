/**
 * Directory knowledge without a local disk: the set of every directory prefix of the indexed
 * paths in `FILES` (`/a/b/c.iso` → `/a`, `/a/b`). Loaded with SSCAN (no blocking SMEMBERS on big
 * repositories) at start and again, debounced, after bursts of `_mirrorbits_file_update`
 * (a source scan publishes every file). The previous set keeps serving while a reload runs or
 * if it fails.
 */
import type { Redis } from 'ioredis';
import { keys } from '@mirrorball/redis';

export class DirectoryIndex {
  private dirs = new Set<string>(['']);
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  loaded = false;
  fileCount = 0;

  constructor(private readonly redis: Redis, private readonly debounceMs = 2000) {}

  /** `path` without its trailing slash; the root is `''` or `/`. */
  isDirectory(path: string): boolean {
    if (path === '/' || path === '') return true;
    return this.dirs.has(path.endsWith('/') ? path.slice(0, -1) : path);
  }

  async load(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const dirs = new Set<string>(['']);
      let files = 0;
      let cursor = '0';
      do {
        const [next, members] = await this.redis.sscan(keys.files, cursor, 'COUNT', 2000);
        cursor = next;
        for (const p of members) {
          files++;
          for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            const d = p.slice(0, i);
            if (dirs.has(d)) break; // its parents are in already
            dirs.add(d);
          }
        }
      } while (cursor !== '0');
      this.dirs = dirs;
      this.fileCount = files;
      this.loaded = true;
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** A file was (re)indexed or removed: reload once the burst is over. */
  scheduleReload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.load().catch(() => this.scheduleReload());
    }, this.debounceMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get size(): number {
    return this.dirs.size - 1;
  }
}
