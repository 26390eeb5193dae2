/** Model ↔ gRPC `Mirror` messages and Timestamps (zero time = 0001-01-01T00:00:00Z, as Go sends it). */
import type { MirrorJson } from '@mirrorball/admin';
import type { Mirror } from '@mirrorball/model';

/** Seconds from 0001-01-01 to 1970-01-01: Go's zero time as a Unix timestamp. */
export const GO_ZERO_UNIX = -62135596800;

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export const timestamp = (unix: number): Timestamp => ({ seconds: unix === 0 ? GO_ZERO_UNIX : unix, nanos: 0 });

export function fromTimestamp(t: Timestamp | null | undefined): Date | undefined {
  if (!t || t.seconds === GO_ZERO_UNIX || (t.seconds === 0 && t.nanos === 0)) return undefined;
  return new Date(t.seconds * 1000 + Math.floor(t.nanos / 1e6));
}

export function mirrorMessage(m: Mirror): Record<string, unknown> {
  return {
    ID: m.id, Name: m.name, HttpURL: m.httpURL, RsyncURL: m.rsyncURL, FtpURL: m.ftpURL, SponsorName: m.sponsorName,
    SponsorURL: m.sponsorURL, SponsorLogoURL: m.sponsorLogoURL, AdminName: m.adminName, AdminEmail: m.adminEmail,
    CustomData: m.customData, ContinentOnly: m.continentOnly, CountryOnly: m.countryOnly, ASOnly: m.asOnly, Score: m.score,
    Latitude: m.latitude, Longitude: m.longitude, ContinentCode: m.continentCode, CountryCodes: m.countryCodes,
    ExcludedCountryCodes: m.excludedCountryCodes, Asnum: m.asnum, Comment: m.comment, Enabled: m.enabled, HttpUp: m.httpUp,
    HttpDownReason: m.httpDownReason, StateSince: timestamp(m.stateSince), AllowRedirects: m.allowRedirects,
    LastSync: timestamp(m.lastSync), LastSuccessfulSync: timestamp(m.lastSuccessfulSync), LastModTime: timestamp(m.lastModTime),
    HttpsUp: m.httpsUp, HttpsDownReason: m.httpsDownReason,
  };
}

/** The writable fields of a `Mirror` request, under the admin API's JSON names. */
export function mirrorInput(msg: Record<string, unknown>): Partial<Record<keyof MirrorJson, unknown>> {
  const keys = [
    'Name', 'HttpURL', 'RsyncURL', 'FtpURL', 'SponsorName', 'SponsorURL', 'SponsorLogoURL', 'AdminName', 'AdminEmail', 'CustomData',
    'ContinentOnly', 'CountryOnly', 'ASOnly', 'Score', 'Latitude', 'Longitude', 'ContinentCode', 'CountryCodes',
    'ExcludedCountryCodes', 'Asnum', 'Comment', 'Enabled', 'AllowRedirects',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (msg[k] !== undefined) out[k] = msg[k];
  // Floats travel as float32: keep the shortest decimal the sender meant.
  for (const k of ['Latitude', 'Longitude'] as const) if (typeof out[k] === 'number') out[k] = Number(Math.fround(out[k] as number).toPrecision(7));
  return out;
}
