import type { Redis } from 'ioredis';
import { FILE_FIELDS, keys } from '@mirrorball/redis';

/** What the index holds for one path before this run (raw strings, as stored). */
export interface StoredRecord {
  /** `HMGET FILE_<path> size modTime sha1 sha256 md5` (null = field missing). */
  file: (string | null)[];
  /** The S3 ETag recorded by the last index run (manifest), if any. */
  etag: string | null;
  /** `MIRRORBALL_RANGEHASH_<path>` spec/ranges/sha256. */
  range: { spec: string | null; ranges: string | null; sha256: string | null };
}

/**
 * One script call per batch instead of two HMGETs per path: at 100 000 paths the client-side
 * cost of 200 000 replies would otherwise exceed the listing itself. Read-only; field lists are
 * passed as ARGV so that the field names stay spelled by libs/redis.
 */
const READ_SCRIPT = `
local f = cjson.decode(ARGV[1])
local out = {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = redis.call('HMGET', KEYS[i], unpack(f[1]))
  out[#out + 1] = redis.call('HMGET', KEYS[i + 1], unpack(f[2]))
end
return out`;

const RANGE_FIELDS = ['spec', 'ranges', 'sha256'] as const;
const FIELDS_ARG = JSON.stringify([FILE_FIELDS, RANGE_FIELDS]);

/** Read the stored records of `paths` in batches (one round trip per batch). */
export async function readStoredRecords(redis: Redis, paths: readonly string[], etags: (path: string) => string | null, chunk = 2000): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>();
  for (let i = 0; i < paths.length; i += chunk) {
    const part = paths.slice(i, i + chunk);
    const keyList: string[] = [];
    for (const p of part) keyList.push(keys.file(p), keys.rangeHash(p));
    const res = (await redis.eval(READ_SCRIPT, keyList.length, ...keyList, FIELDS_ARG)) as (string | null)[][];
    part.forEach((path, j) => {
      const r = res[j * 2 + 1] ?? [];
      out.set(path, {
        file: res[j * 2] ?? [null, null, null, null, null],
        etag: etags(path),
        range: { spec: r[0] ?? null, ranges: r[1] ?? null, sha256: r[2] ?? null },
      });
    });
  }
  return out;
}
