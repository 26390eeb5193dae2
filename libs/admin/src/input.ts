/**
 * Validation of mirror input (add/update bodies, YAML edits): every writable field under its
 * JSON name, checked for type and range, turned into a patch of the model. Unknown keys are
 * refused so that a typo never silently does nothing.
 */
import { sanitizeCodes, splitCodes, type Mirror } from '@mirrorball/model';
import { InputError } from './errors.ts';

export type MirrorPatch = Partial<Pick<Mirror,
  | 'name' | 'httpURL' | 'rsyncURL' | 'ftpURL' | 'sponsorName' | 'sponsorURL' | 'sponsorLogoURL' | 'adminName'
  | 'adminEmail' | 'customData' | 'continentOnly' | 'countryOnly' | 'asOnly' | 'score' | 'latitude' | 'longitude'
  | 'continentCode' | 'countryCodes' | 'excludedCountryCodes' | 'asnum' | 'comment' | 'enabled' | 'allowRedirects'>>;

type Kind = 'string' | 'bool' | 'int' | 'float' | 'redirects';

/** JSON key → [model key, kind]. `ASNum` is the YAML spelling of `Asnum`. */
export const WRITABLE_FIELDS: Record<string, [keyof MirrorPatch, Kind]> = {
  Name: ['name', 'string'],
  HttpURL: ['httpURL', 'string'],
  RsyncURL: ['rsyncURL', 'string'],
  FtpURL: ['ftpURL', 'string'],
  SponsorName: ['sponsorName', 'string'],
  SponsorURL: ['sponsorURL', 'string'],
  SponsorLogoURL: ['sponsorLogoURL', 'string'],
  AdminName: ['adminName', 'string'],
  AdminEmail: ['adminEmail', 'string'],
  CustomData: ['customData', 'string'],
  ContinentOnly: ['continentOnly', 'bool'],
  CountryOnly: ['countryOnly', 'bool'],
  ASOnly: ['asOnly', 'bool'],
  Score: ['score', 'int'],
  Latitude: ['latitude', 'float'],
  Longitude: ['longitude', 'float'],
  ContinentCode: ['continentCode', 'string'],
  CountryCodes: ['countryCodes', 'string'],
  ExcludedCountryCodes: ['excludedCountryCodes', 'string'],
  Asnum: ['asnum', 'int'],
  ASNum: ['asnum', 'int'],
  Comment: ['comment', 'string'],
  Enabled: ['enabled', 'bool'],
  AllowRedirects: ['allowRedirects', 'redirects'],
};

export const SCORE_MIN = -100;
export const SCORE_MAX = 1000;
export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'];

/** Parse an untrusted JSON body into a patch (types only; see checkMirror for the values). */
export function parseMirrorPatch(body: unknown): MirrorPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('the request body must be a JSON object');
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const spec = WRITABLE_FIELDS[key];
    if (!spec) throw new InputError(`unknown or read-only field ${JSON.stringify(key)}`, key);
    const [name, kind] = spec;
    patch[name] = convert(key, kind, value);
  }
  return patch as MirrorPatch;
}

function convert(key: string, kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new InputError(`${key} must be a string`, key);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new InputError(`${key} must be true or false`, key);
      return v;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new InputError(`${key} must be an integer`, key);
      return v;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${key} must be a number`, key);
      return v;
    case 'redirects':
      // YAML form null/true/false, JSON and Redis form 0/1/2.
      if (v === null || v === 0) return 0;
      if (v === true || v === 1) return 1;
      if (v === false || v === 2) return 2;
      throw new InputError(`${key} must be null, true, false, 0, 1 or 2`, key);
  }
}

/** The accepted forms of the HTTP base URL: `http://`, `https://` or scheme-less; a port is fine. */
export function httpHost(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (m && !/^https?$/i.test(m[1]!)) throw new InputError(`HttpURL: unsupported scheme ${JSON.stringify(m[1])} (use http://, https:// or no scheme)`, 'HttpURL');
  if (m && m[1] !== m[1]!.toLowerCase()) throw new InputError('HttpURL: the scheme must be lower-case', 'HttpURL');
  let parsed: URL;
  try {
    parsed = new URL(m ? url : `http://${url}`);
  } catch {
    throw new InputError(`HttpURL: not a valid URL: ${JSON.stringify(url)}`, 'HttpURL');
  }
  if (parsed.hostname === '') throw new InputError('HttpURL: the URL has no host', 'HttpURL');
  if (parsed.search || parsed.hash) throw new InputError('HttpURL: a base URL cannot carry a query or fragment', 'HttpURL');
  return parsed.hostname;
}

function checkUrl(field: string, url: string, schemes: string[]): void {
  if (url === '') return;
  const m = /^([a-z][a-z0-9+.-]*):\/\//.exec(url);
  if (!m || !schemes.includes(m[1]!)) throw new InputError(`${field}: the URL must start with ${schemes.map((s) => s + '://').join(' or ')}`, field);
  try {
    // The WHATWG parser does not know rsync/ftp authority rules well; parse it as http to check host and port.
    const u = new URL('http://' + url.slice(m[0].length));
    if (u.hostname === '') throw new Error('no host');
  } catch {
    throw new InputError(`${field}: not a valid URL: ${JSON.stringify(url)}`, field);
  }
  if (/\s/.test(url)) throw new InputError(`${field}: the URL must not contain spaces`, field);
}

function checkCodes(field: string, codes: string, what: 'country' | 'continent'): void {
  for (const c of splitCodes(sanitizeCodes(codes))) {
    if (what === 'continent' ? !CONTINENTS.includes(c) : !/^[A-Z]{2}$/.test(c)) {
      throw new InputError(`${field}: ${JSON.stringify(c)} is not a valid ${what} code`, field);
    }
  }
}

/** Value checks on a complete record about to be saved. */
export function checkMirror(m: Mirror): void {
  if (m.name.trim() === '') throw new InputError('Name must not be empty', 'Name');
  if (/\s/.test(m.name.trim())) throw new InputError('Name must not contain spaces', 'Name');
  if (m.httpURL.trim() === '') throw new InputError('HttpURL is required', 'HttpURL');
  httpHost(m.httpURL.trim());
  checkUrl('RsyncURL', m.rsyncURL.trim(), ['rsync', 'rsyncs']);
  checkUrl('FtpURL', m.ftpURL.trim(), ['ftp']);
  if (m.score < SCORE_MIN || m.score > SCORE_MAX) throw new InputError(`Score must be between ${SCORE_MIN} and ${SCORE_MAX}`, 'Score');
  if (m.latitude < -90 || m.latitude > 90) throw new InputError('Latitude must be between -90 and 90', 'Latitude');
  if (m.longitude < -180 || m.longitude > 180) throw new InputError('Longitude must be between -180 and 180', 'Longitude');
  if (m.asnum < 0 || m.asnum > 0xffffffff) throw new InputError('ASNum must be between 0 and 4294967295', 'Asnum');
  checkCodes('ContinentCode', m.continentCode, 'continent');
  if (splitCodes(sanitizeCodes(m.continentCode)).length > 1) throw new InputError('ContinentCode takes a single code', 'ContinentCode');
  checkCodes('CountryCodes', m.countryCodes, 'country');
  checkCodes('ExcludedCountryCodes', m.excludedCountryCodes, 'country');
}
