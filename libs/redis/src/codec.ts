/**
 * Value encodings of `MIRROR_<id>`, `FILE_<path>` and `FILEINFO_<id>_<path>` (contract §4.1,
 * §4.3). Readers are as tolerant as Mirrorbits' (garbage → zero value, never an exception);
 * writers emit exactly what a Go node writes.
 */
import { formatFloat32, formatGoTimeString, formatRedisBool, parseGoBool, parseGoTimeString } from '@mirrorball/gofmt';
import { emptyMirror, splitCodes, type FileInfo, type Mirror, type MirrorFileInfo } from '@mirrorball/model';

/** A Redis hash as ioredis' HGETALL returns it. */
export type RedisHash = Record<string, string>;

/** Field order of `HMGET FILE_<path>` / `HMGET FILEINFO_<id>_<path>` (§4.4). */
export const FILE_FIELDS = ['size', 'modTime', 'sha1', 'sha256', 'md5'] as const;

/** Decimal integer as Go's strconv would accept it; anything else reads as 0. */
export function parseRedisInt(v: string | null | undefined): number {
  if (v == null || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Go ParseFloat(…, 32) input; garbage → 0; the result is rounded to float32. */
export function parseRedisFloat32(v: string | null | undefined): number {
  if (v == null || v.trim() !== v || v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? Math.fround(n) : 0;
}

/** `MIRROR_<id>` hash → Mirror; a missing or empty hash means "deleted" → null. */
export function decodeMirror(id: number, hash: RedisHash | null | undefined): Mirror | null {
  if (!hash || Object.keys(hash).length === 0) return null;
  const s = (f: string) => hash[f] ?? '';
  const i = (f: string) => parseRedisInt(hash[f]);
  const b = (f: string) => parseGoBool(hash[f]);
  const m = emptyMirror(id);
  m.name = s('name');
  m.httpURL = s('http');
  m.rsyncURL = s('rsync');
  m.ftpURL = s('ftp');
  m.sponsorName = s('sponsorName');
  m.sponsorURL = s('sponsorURL');
  m.sponsorLogoURL = s('sponsorLogo');
  m.adminName = s('adminName');
  m.adminEmail = s('adminEmail');
  m.customData = s('customData');
  m.continentOnly = b('continentOnly');
  m.countryOnly = b('countryOnly');
  m.asOnly = b('asOnly');
  m.score = i('score');
  m.latitude = parseRedisFloat32(hash.latitude);
  m.longitude = parseRedisFloat32(hash.longitude);
  m.continentCode = s('continentCode');
  m.countryCodes = s('countryCodes');
  m.excludedCountryCodes = s('excludedCountryCodes');
  m.countryList = splitCodes(m.countryCodes);
  m.excludedCountryList = splitCodes(m.excludedCountryCodes);
  // asnum is a uint in Go: a negative value fails to parse there.
  m.asnum = Math.max(0, i('asnum'));
  m.comment = s('comment');
  m.enabled = b('enabled');
  m.httpUp = b('httpUp');
  m.httpsUp = b('httpsUp');
  m.httpDownReason = s('httpDownReason');
  m.httpsDownReason = s('httpsDownReason');
  m.stateSince = i('stateSince');
  m.allowRedirects = i('allowredirects');
  m.tzOffsetMs = i('tzoffset');
  m.lastSync = i('lastSync');
  m.lastSuccessfulSync = i('lastSuccessfulSync');
  m.lastSuccessfulSyncProtocol = i('lastSuccessfulSyncProtocol');
  m.lastSuccessfulSyncPrecision = i('lastSuccessfulSyncPrecision');
  m.lastModTime = i('lastModTime');
  return m;
}

/**
 * The add/edit `HMSET MIRROR_<id>` arguments in the exact §4.4 order. Health, sync and tz
 * fields are not part of it: they belong to the health check and the scans.
 */
export function encodeMirror(m: Mirror): string[] {
  return [
    'ID', String(m.id),
    'name', m.name,
    'http', m.httpURL,
    'rsync', m.rsyncURL,
    'ftp', m.ftpURL,
    'sponsorName', m.sponsorName,
    'sponsorURL', m.sponsorURL,
    'sponsorLogo', m.sponsorLogoURL,
    'adminName', m.adminName,
    'adminEmail', m.adminEmail,
    'customData', m.customData,
    'continentOnly', formatRedisBool(m.continentOnly),
    'countryOnly', formatRedisBool(m.countryOnly),
    'asOnly', formatRedisBool(m.asOnly),
    'score', String(Math.trunc(m.score)),
    'latitude', formatFloat32(m.latitude),
    'longitude', formatFloat32(m.longitude),
    'continentCode', m.continentCode,
    'countryCodes', m.countryCodes,
    'excludedCountryCodes', m.excludedCountryCodes,
    'asnum', String(Math.trunc(m.asnum)),
    'comment', m.comment,
    'allowredirects', String(Math.trunc(m.allowRedirects)),
    'enabled', formatRedisBool(m.enabled),
  ];
}

/** Every field of a Mirror as it would sit in Redis (add/edit fields, then health/sync/tz). For fixtures and full copies. */
export function encodeMirrorFull(m: Mirror): string[] {
  return [
    ...encodeMirror(m),
    'httpUp', formatRedisBool(m.httpUp),
    'httpsUp', formatRedisBool(m.httpsUp),
    'httpDownReason', m.httpDownReason,
    'httpsDownReason', m.httpsDownReason,
    'stateSince', String(m.stateSince),
    'tzoffset', String(m.tzOffsetMs),
    'lastSync', String(m.lastSync),
    'lastSuccessfulSync', String(m.lastSuccessfulSync),
    'lastSuccessfulSyncProtocol', String(m.lastSuccessfulSyncProtocol),
    'lastSuccessfulSyncPrecision', String(m.lastSuccessfulSyncPrecision),
    'lastModTime', String(m.lastModTime),
  ];
}

/** Reply of `HMGET FILE_<path> …FILE_FIELDS` → FileInfo (missing record: size 0, zero time, empty hashes). */
export function decodeFileInfo(path: string, values: readonly (string | null | undefined)[]): FileInfo {
  const [size, modTime, sha1, sha256, md5] = values;
  return {
    path,
    size: parseRedisInt(size),
    modTime: parseGoTimeString(modTime),
    sha1: sha1 ?? '',
    sha256: sha256 ?? '',
    md5: md5 ?? '',
  };
}

/** `HMSET FILE_<path>` arguments, field order as Mirrorbits' local scan writes them. */
export function encodeFileInfo(f: Omit<FileInfo, 'path'>): string[] {
  return [
    'size', String(f.size),
    'modTime', formatGoTimeString(f.modTime),
    'sha1', f.sha1,
    'sha256', f.sha256,
    'md5', f.md5,
  ];
}

/** Reply of `HMGET FILEINFO_<id>_<path> …FILE_FIELDS` (only size and modTime are meaningful). */
export function decodeMirrorFileInfo(values: readonly (string | null | undefined)[], contentMismatch?: boolean): MirrorFileInfo {
  const info: MirrorFileInfo = { size: parseRedisInt(values[0]), modTime: parseGoTimeString(values[1]) };
  if (contentMismatch !== undefined) info.contentMismatch = contentMismatch;
  return info;
}

/** `HMSET FILEINFO_<id>_<path>` arguments, exactly as a Mirrorbits scan writes them. */
export function encodeMirrorFileInfo(f: Pick<MirrorFileInfo, 'size' | 'modTime'>): string[] {
  return ['size', String(f.size), 'modTime', formatGoTimeString(f.modTime)];
}
