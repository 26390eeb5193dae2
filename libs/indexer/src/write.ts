import type { Redis } from 'ioredis';
import { CHANNELS, encodeFileInfo, keys } from '@mirrorball/redis';
import type { FileInfo } from '@mirrorball/model';

/** One file of the new index and what must be (re)written for it. */
export interface IndexEntry {
  info: FileInfo;
  /** FILE_<path> differs from what is stored: write it and publish the path. */
  fileChanged: boolean;
  /** New manifest entry (undefined: unchanged, or not to be recorded after a hash failure). */
  manifest?: string;
  /** Range hashes to record (undefined: unchanged). */
  range?: { spec: string; ranges: string; sha256: string };
}

const SADD_CHUNK = 10_000;

async function execChecked(multi: ReturnType<Redis['multi']>, what: string): Promise<unknown[]> {
  const res = await multi.exec();
  if (!res) throw new Error(`${what}: transaction aborted`);
  return res.map(([err, v]) => {
    if (err) throw new Error(`${what}: ${err.message}`);
    return v;
  });
}

/**
 * The §7 indexing transaction:
 *  1. MULTI DEL FILES_TMP, SADD FILES_TMP <every path> EXEC
 *  2. SDIFF FILES FILES_TMP → removed
 *  3. MULTI HMSET FILE_<path> … + PUBLISH for each changed file; DEL FILE_<path> + PUBLISH for
 *     each removed; RENAME FILES_TMP FILES; EXEC
 * Readers see the whole old index or the whole new one. Unlike Mirrorbits, unchanged records
 * (identical bytes) are neither rewritten nor published: at 100 000 files a rescan would
 * otherwise send 200 000 commands and flush every API cache for nothing.
 */
export async function writeIndex(redis: Redis, entries: readonly IndexEntry[]): Promise<{ removed: string[]; written: number }> {
  const stage = redis.multi();
  stage.del(keys.filesTmp);
  for (let i = 0; i < entries.length; i += SADD_CHUNK) stage.sadd(keys.filesTmp, ...entries.slice(i, i + SADD_CHUNK).map((e) => e.info.path));
  await execChecked(stage, 'staging FILES_TMP');

  const removed = await redis.sdiff(keys.files, keys.filesTmp);

  const tx = redis.multi();
  let written = 0;
  for (const e of entries) {
    if (e.fileChanged) {
      tx.hmset(keys.file(e.info.path), ...encodeFileInfo(e.info));
      tx.publish(CHANNELS.fileUpdate, e.info.path);
      written++;
    }
    if (e.manifest !== undefined) tx.hset(keys.indexManifest, e.info.path, e.manifest);
    if (e.range) tx.hmset(keys.rangeHash(e.info.path), 'spec', e.range.spec, 'ranges', e.range.ranges, 'sha256', e.range.sha256);
  }
  for (const path of removed) {
    tx.del(keys.file(path), keys.rangeHash(path));
    tx.hdel(keys.indexManifest, path);
    tx.publish(CHANNELS.fileUpdate, path);
  }
  // RENAME of a missing key fails inside EXEC: an empty source means an empty FILES.
  if (entries.length > 0) tx.rename(keys.filesTmp, keys.files);
  else tx.del(keys.files, keys.filesTmp, keys.indexManifest);
  await execChecked(tx, 'indexing transaction');
  return { removed, written };
}
