/** A mirror record, as stored in `MIRROR_<id>` (contract §4.3, §6). Field names follow the JSON names. */
export interface Mirror {
  id: number;
  name: string;
  /** `http://…`, `https://…` or scheme-less `host/path/` (both protocols); always ends with `/` once saved. */
  httpURL: string;
  rsyncURL: string;
  ftpURL: string;
  sponsorName: string;
  sponsorURL: string;
  sponsorLogoURL: string;
  adminName: string;
  adminEmail: string;
  customData: string;
  continentOnly: boolean;
  countryOnly: boolean;
  asOnly: boolean;
  /** Admin adjustment of the computed score, in percent (may be negative). */
  score: number;
  /** float32 values. */
  latitude: number;
  longitude: number;
  continentCode: string;
  /** Space-separated upper-case ISO codes; the first is the primary country. */
  countryCodes: string;
  excludedCountryCodes: string;
  /** `countryCodes` split on whitespace. */
  countryList: readonly string[];
  /** `excludedCountryCodes` split on whitespace. */
  excludedCountryList: readonly string[];
  asnum: number;
  comment: string;
  enabled: boolean;
  httpUp: boolean;
  httpsUp: boolean;
  httpDownReason: string;
  httpsDownReason: string;
  /** Unix seconds; 0 = never. */
  stateSince: number;
  /** 0 = follow `DisallowRedirects`, 1 = allowed, 2 = forbidden. */
  allowRedirects: number;
  /** Detected mtime offset (local − mirror) in milliseconds. */
  tzOffsetMs: number;
  lastSync: number;
  lastSuccessfulSync: number;
  /** 0 = rsync, 1 = FTP, 2 = HTTP (Mirrorball). */
  lastSuccessfulSyncProtocol: number;
  /** Nanoseconds. */
  lastSuccessfulSyncPrecision: number;
  lastModTime: number;
}

export const SYNC_PROTOCOL = { RSYNC: 0, FTP: 1, HTTP: 2 } as const;

export function splitCodes(codes: string): string[] {
  return codes.split(/\s+/).filter((c) => c.length > 0);
}

/** Contract §4.4: commas → spaces, split, upper-case, single-space join. */
export function sanitizeCodes(codes: string): string {
  return splitCodes(codes.replace(/,/g, ' ')).map((c) => c.toUpperCase()).join(' ');
}

export function isHttpOnly(m: Pick<Mirror, 'httpURL'>): boolean {
  return m.httpURL.startsWith('http://');
}

export function isHttpsOnly(m: Pick<Mirror, 'httpURL'>): boolean {
  return m.httpURL.startsWith('https://');
}

/** Contract §6 "is up": equal states → that state; single-protocol → its state; dual with differing states → not up. */
export function isMirrorUp(m: Pick<Mirror, 'httpURL' | 'httpUp' | 'httpsUp'>): boolean {
  if (m.httpUp === m.httpsUp) return m.httpUp;
  if (isHttpOnly(m)) return m.httpUp;
  if (isHttpsOnly(m)) return m.httpsUp;
  return false;
}

/** A mirror with every field at its zero value (what a missing Redis field reads as). */
export function emptyMirror(id = 0): Mirror {
  return {
    id, name: '', httpURL: '', rsyncURL: '', ftpURL: '', sponsorName: '', sponsorURL: '', sponsorLogoURL: '',
    adminName: '', adminEmail: '', customData: '', continentOnly: false, countryOnly: false, asOnly: false,
    score: 0, latitude: 0, longitude: 0, continentCode: '', countryCodes: '', excludedCountryCodes: '',
    countryList: [], excludedCountryList: [], asnum: 0, comment: '', enabled: false, httpUp: false, httpsUp: false,
    httpDownReason: '', httpsDownReason: '', stateSince: 0, allowRedirects: 0, tzOffsetMs: 0, lastSync: 0,
    lastSuccessfulSync: 0, lastSuccessfulSyncProtocol: 0, lastSuccessfulSyncPrecision: 0, lastModTime: 0,
  };
}
