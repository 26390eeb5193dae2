import { goTimeEqual, parseGoTimeString } from '@mirrorball/gofmt';
import type { SourceObject } from '@mirrorball/source';
import type { HashSelection } from './hasher.ts';
import type { StoredRecord } from './previous.ts';

export type HashReason = 'forced' | 'new' | 'hash-missing' | 'size' | 'mtime' | 'etag';

/**
 * Contract §7: (re)hash when forced, when any enabled hash is missing, when the size or the
 * mtime differs (exact equality after parsing the stored Go time string); for S3 also when the
 * ETag recorded at the last index differs. Returns null when the stored hashes can be kept.
 */
export function hashReason(obj: SourceObject, stored: StoredRecord | undefined, sel: HashSelection, forced: boolean): HashReason | null {
  if (forced) return 'forced';
  const f = stored?.file;
  if (!f || f[0] === null) return 'new';
  const [size, modTime, sha1, sha256, md5] = f;
  if ((sel.sha1 && !sha1) || (sel.sha256 && !sha256) || (sel.md5 && !md5)) return 'hash-missing';
  if (Number(size) !== obj.size) return 'size';
  if (!goTimeEqual(parseGoTimeString(modTime ?? ''), obj.modTime)) return 'mtime';
  // An index written by a local scan or a Mirrorbits node has no ETag: size and mtime decide.
  const etag = stored.etag;
  if (obj.etag !== undefined && etag && etag !== obj.etag) return 'etag';
  return null;
}
