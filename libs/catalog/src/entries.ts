/** Cached records plus what the warm path would otherwise build per request. */
import type { FileInfo, Mirror, MirrorFileInfo } from '@mirrorball/model';

export interface FileEntry {
  info: FileInfo;
  /** `FILE_<path>` has a record (a negative entry otherwise). */
  exists: boolean;
  /** `SHA-256=<base64>` (RFC 3230 Digest), '' without a SHA-256. */
  digest: string;
  /** `sha-256=:<base64>:` (RFC 9530 Repr-Digest), '' without a SHA-256. */
  reprDigest: string;
}

export interface MirrorEntry {
  mirror: Mirror;
  /** Lower-cased first country code, for Link headers' `geo=`. */
  geo: string;
}

export interface Candidate {
  mirror: Mirror;
  fileInfo: MirrorFileInfo | null;
}

export function fileEntry(info: FileInfo, exists: boolean): FileEntry {
  let digest = '';
  let reprDigest = '';
  if (/^[0-9a-f]{64}$/i.test(info.sha256)) {
    const b64 = Buffer.from(info.sha256, 'hex').toString('base64');
    digest = 'SHA-256=' + b64;
    reprDigest = 'sha-256=:' + b64 + ':';
  }
  return { info, exists, digest, reprDigest };
}

export function mirrorEntry(mirror: Mirror): MirrorEntry {
  return { mirror, geo: (mirror.countryList[0] ?? '').toLowerCase() };
}
