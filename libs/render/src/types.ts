import type { GoTime } from '@mirrorball/gofmt';

/**
 * Page inputs are structural: a `Mirror` from @mirrorball/model, a `FileInfo`, a `GeoRecord`
 * and a selection entry all fit without conversion. Nothing here depends on apps/api.
 */

/** Who renders the page (footer) and the GeoIP attribution shown under it (DB-IP CC BY 4.0). */
export interface PageMeta {
  /** e.g. `0.1.0`; footer reads `Mirrorball <version> running on <hostname>`. */
  version: string;
  hostname: string;
  /** Attribution required by the embedded GeoIP database's licence; omitted when empty. */
  geoAttribution?: { text: string; url?: string } | undefined;
  /** Config `LocalJSPath`. The pages need no scripts; kept for parity with the JSON `Results`. */
  localJSPath?: string | undefined;
}

/** The file block: `FileInfo` of @mirrorball/model. A zero/unset modTime means "not scanned yet". */
export interface PageFile {
  path: string;
  size: number;
  modTime: GoTime;
  sha1: string;
  sha256: string;
  md5: string;
}

/** The client block: a `GeoRecord` (empty countryCode = not geolocated). */
export interface PageClient {
  countryCode: string;
  continentCode: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  asName: string;
  asNum: number;
}

/** One row of the mirror list: mirror record fields plus what selection computed for it. */
export interface PageMirror {
  id: number;
  name: string;
  sponsorName: string;
  countryCodes: string;
  continentCode: string;
  latitude: number;
  longitude: number;
  /** Where the file lives on this mirror is `absoluteURL` + path (absoluteURL ends with `/`). */
  absoluteURL: string;
  /** Kilometres from the client. */
  distance: number;
  /** Selection share in percent; 0 or absent = no weight (row shown grey, `n/a`). */
  weight?: number | undefined;
  /** Set for excluded mirrors. */
  excludeReason?: string | undefined;
}

/** Data of `?mirrorlist`, shaped like Mirrorbits' `Results` (contract §2.8). */
export interface MirrorlistPageData extends PageMeta {
  fileInfo: PageFile;
  /** Client IP as determined by the request pipeline. */
  ip: string;
  clientInfo: PageClient;
  /** Selected mirrors in final order (index 0 = redirect target). */
  mirrorList: readonly PageMirror[];
  /** Excluded mirrors; the page sorts them by reason (byte-wise), as Mirrorbits does. */
  excludedList?: readonly PageMirror[] | undefined;
  fallback?: boolean | undefined;
}

/** A mirror record as the stats page needs it (fields of @mirrorball/model `Mirror`). */
export interface StatsMirror {
  id: number;
  name: string;
  httpURL: string;
  enabled: boolean;
  httpUp: boolean;
  httpsUp: boolean;
  latitude: number;
  longitude: number;
  /** Unix seconds of the mirror's trace file; 0 = unknown. */
  lastModTime: number;
  /** Detected timezone offset in milliseconds; 0 = none. */
  tzOffsetMs: number;
}

/** One mirror with today's (UTC) counters from STATS_MIRROR_<day> / STATS_MIRROR_BYTES_<day>. */
export interface MirrorStatsInput {
  mirror: StatsMirror;
  downloads: number;
  bytes: number;
}

/** Data of `?mirrorstats` (contract §2.13); order does not matter, the page sorts by downloads. */
export interface MirrorstatsPageData extends PageMeta {
  mirrors: readonly MirrorStatsInput[];
  /** Reference time for the "Last update" ages; defaults to the current time. */
  now?: Date | undefined;
}
