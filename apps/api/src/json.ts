/**
 * Byte-exact JSON of Mirrorbits' `Results` (contract §2.8): Go's key order and omitempty rules,
 * float32 shortest printing, Go's HTML-safe string escaping, compact + "\n" or 4-space indented.
 * Hand-rolled rather than JSON.stringify, which prints float64 expansions and escapes differently.
 */
import { formatFloat32, formatRFC3339Nano, formatUnixLocalRFC3339, goJsonString } from '@mirrorball/gofmt';
import type { FileInfo, GeoRecord, Mirror } from '@mirrorball/model';

/** An encoded JSON value: a literal, an object (ordered pairs) or an array. */
export type JVal = string | JObj | JArr;
export interface JObj { o: [string, JVal][] }
export interface JArr { a: JVal[] }

export interface JsonMirrorEntry {
  mirror: Mirror;
  distance: number;
  computedScore: number;
  absoluteURL: string;
  excludeReason: string;
}

export interface JsonResults {
  file: FileInfo;
  ip: string;
  client: GeoRecord;
  list: readonly JsonMirrorEntry[];
  excluded: readonly JsonMirrorEntry[];
  fallback: boolean;
  localJSPath: string;
}

const s = goJsonString;
const b = (v: boolean) => (v ? 'true' : 'false');
const n = (v: number) => String(Math.trunc(v));

export function fileInfoJson(f: FileInfo): JObj {
  const o: [string, JVal][] = [['Path', s(f.path)]];
  if (f.size !== 0) o.push(['Size', n(f.size)]);
  o.push(['ModTime', s(formatRFC3339Nano(f.modTime))]);
  if (f.sha1) o.push(['Sha1', s(f.sha1)]);
  if (f.sha256) o.push(['Sha256', s(f.sha256)]);
  if (f.md5) o.push(['Md5', s(f.md5)]);
  return { o };
}

export function clientJson(g: GeoRecord): JObj {
  return {
    o: [
      ['CountryCode', s(g.countryCode)], ['ContinentCode', s(g.continentCode)], ['City', s(g.city)],
      ['Country', s(g.country)], ['Latitude', formatFloat32(g.latitude)], ['Longitude', formatFloat32(g.longitude)],
      ['ASName', s(g.asName)], ['ASNum', n(g.asNum)],
    ],
  };
}

const time = (sec: number) => s(formatUnixLocalRFC3339(sec));

export function mirrorJson(e: JsonMirrorEntry): JObj {
  const m = e.mirror;
  const o: [string, JVal][] = [
    ['ID', n(m.id)], ['Name', s(m.name)], ['HttpURL', s(m.httpURL)], ['RsyncURL', s(m.rsyncURL)], ['FtpURL', s(m.ftpURL)],
    ['SponsorName', s(m.sponsorName)], ['SponsorURL', s(m.sponsorURL)], ['SponsorLogoURL', s(m.sponsorLogoURL)],
    ['AdminName', s(m.adminName)], ['AdminEmail', s(m.adminEmail)], ['CustomData', s(m.customData)],
    ['ContinentOnly', b(m.continentOnly)], ['CountryOnly', b(m.countryOnly)], ['ASOnly', b(m.asOnly)],
    ['Score', n(m.score)], ['Latitude', formatFloat32(m.latitude)], ['Longitude', formatFloat32(m.longitude)],
    ['ContinentCode', s(m.continentCode)], ['CountryCodes', s(m.countryCodes)],
    ['ExcludedCountryCodes', s(m.excludedCountryCodes)], ['Asnum', n(m.asnum)], ['Comment', s(m.comment)],
    ['Enabled', b(m.enabled)],
  ];
  if (m.httpDownReason) o.push(['HttpDownReason', s(m.httpDownReason)]);
  if (m.httpsDownReason) o.push(['HttpsDownReason', s(m.httpsDownReason)]);
  o.push(['StateSince', time(m.stateSince)]);
  if (m.allowRedirects !== 0) o.push(['AllowRedirects', n(m.allowRedirects)]);
  o.push(
    ['Distance', formatFloat32(e.distance)], ['ComputedScore', n(e.computedScore)], ['LastSync', time(m.lastSync)],
    ['LastSuccessfulSync', time(m.lastSuccessfulSync)], ['LastSuccessfulSyncProtocol', n(m.lastSuccessfulSyncProtocol)],
    ['LastSuccessfulSyncPrecision', n(m.lastSuccessfulSyncPrecision)], ['LastModTime', time(m.lastModTime)],
    ['AbsoluteURL', s(e.absoluteURL)],
  );
  if (e.excludeReason) o.push(['ExcludeReason', s(e.excludeReason)]);
  return { o };
}

export function resultsJson(r: JsonResults): JObj {
  const o: [string, JVal][] = [
    ['FileInfo', fileInfoJson(r.file)], ['IP', s(r.ip)], ['ClientInfo', clientJson(r.client)],
    ['MirrorList', r.list.length ? { a: r.list.map(mirrorJson) } : 'null'],
  ];
  if (r.excluded.length) o.push(['ExcludedList', { a: r.excluded.map(mirrorJson) }]);
  if (r.fallback) o.push(['Fallback', 'true']);
  o.push(['LocalJSPath', s(r.localJSPath)]);
  return { o };
}

/** Compact encoding (no trailing newline). */
export function compact(v: JVal): string {
  if (typeof v === 'string') return v;
  if ('o' in v) {
    let out = '{';
    for (let i = 0; i < v.o.length; i++) {
      const [k, x] = v.o[i]!;
      out += (i ? ',"' : '"') + k + '":' + compact(x);
    }
    return out + '}';
  }
  return '[' + v.a.map(compact).join(',') + ']';
}

/** Go's json.MarshalIndent(v, "", "    "). */
export function pretty(v: JVal, indent = ''): string {
  if (typeof v === 'string') return v;
  const inner = indent + '    ';
  if ('o' in v) {
    if (v.o.length === 0) return '{}';
    return '{\n' + v.o.map(([k, x]) => inner + '"' + k + '": ' + pretty(x, inner)).join(',\n') + '\n' + indent + '}';
  }
  if (v.a.length === 0) return '[]';
  return '[\n' + v.a.map((x) => inner + pretty(x, inner)).join(',\n') + '\n' + indent + ']';
}

/** The JSON renderer's body: compact + "\n", or indented without a trailing newline for `?pretty`. */
export function renderResults(r: JsonResults, indented: boolean): string {
  const v = resultsJson(r);
  return indented ? pretty(v) : compact(v) + '\n';
}
