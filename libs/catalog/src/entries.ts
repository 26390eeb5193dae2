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
  /** `Link` value pointing at the file's Metalink (`rel=describedby`), '' without hashes. */
  describedBy: string;
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
  const describedBy = exists && digest ? `<${escapeUrlPath(info.path)}?meta4>; rel=describedby; type="application/metalink4+xml"` : '';
  return { info, exists, digest, reprDigest, describedBy };
}

const KEEP = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/** Percent-encode a path for a URL (Go's path escaping: sub-delimiters and `/` kept). */
export function escapeUrlPath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && KEEP.test(ch) ? ch : '%' + (b < 0x10 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

export function mirrorEntry(mirror: Mirror): MirrorEntry {
  return { mirror, geo: (mirror.countryList[0] ?? '').toLowerCase() };
}
