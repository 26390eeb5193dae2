import type { Redis } from 'ioredis';
import { FILE_FIELDS, keys } from '@mirrorball/redis';

/** What the index holds for one path before this run (raw strings, as stored). */
export interface StoredRecord {
  /** `HMGET FILE_<path> size modTime sha1 sha256 md5` (null = field missing). */
  file: (string | null)[];
  /** `MIRRORBALL_OBJECT_<path>` etag/size/lastModified, when an S3 index wrote it. */
  object: { etag: string | null; size: string | null; lastModified: string | null };
  /** `MIRRORBALL_RANGEHASH_<path>` spec/ranges/sha256. */
  range: { spec: string | null; ranges: string | null; sha256: string | null };
}

const OBJECT_FIELDS = ['etag', 'size', 'lastModified'] as const;
const RANGE_FIELDS = ['spec', 'ranges', 'sha256'] as const;

/** Read the stored records of `paths`, pipelined in chunks (one round trip per chunk). */
export async function readStoredRecords(redis: Redis, paths: readonly string[], chunk = 2000): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>();
  for (let i = 0; i < paths.length; i += chunk) {
    const part = paths.slice(i, i + chunk);
    const p = redis.pipeline();
    for (const path of part) {
      p.hmget(keys.file(path), ...FILE_FIELDS);
      p.hmget(keys.object(path), ...OBJECT_FIELDS);
      p.hmget(keys.rangeHash(path), ...RANGE_FIELDS);
    }
    const res = (await p.exec()) ?? [];
    part.forEach((path, j) => {
      const get = (k: number) => {
        const [err, v] = res[j * 3 + k] ?? [new Error('missing pipeline reply'), null];
        if (err) throw err;
        return v as (string | null)[];
      };
      const o = get(1);
      const r = get(2);
      out.set(path, {
        file: get(0),
        object: { etag: o[0] ?? null, size: o[1] ?? null, lastModified: o[2] ?? null },
        range: { spec: r[0] ?? null, ranges: r[1] ?? null, sha256: r[2] ?? null },
      });
    });
  }
  return out;
}
