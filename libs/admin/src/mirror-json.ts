/**
 * The admin API's JSON form of a mirror: Mirrorbits' JSON key names (contract §6), plus the
 * health and sync fields Mirrorbits keeps out of its JSON. Times are Unix seconds (0 = never).
 */
import { isMirrorUp, type Mirror } from '@mirrorball/model';

export interface MirrorJson {
  ID: number;
  Name: string;
  HttpURL: string;
  RsyncURL: string;
  FtpURL: string;
  SponsorName: string;
  SponsorURL: string;
  SponsorLogoURL: string;
  AdminName: string;
  AdminEmail: string;
  CustomData: string;
  ContinentOnly: boolean;
  CountryOnly: boolean;
  ASOnly: boolean;
  Score: number;
  Latitude: number;
  Longitude: number;
  ContinentCode: string;
  CountryCodes: string;
  ExcludedCountryCodes: string;
  Asnum: number;
  Comment: string;
  Enabled: boolean;
  Up: boolean;
  HttpUp: boolean;
  HttpsUp: boolean;
  HttpDownReason: string;
  HttpsDownReason: string;
  StateSince: number;
  AllowRedirects: number;
  TZOffsetMs: number;
  LastSync: number;
  LastSuccessfulSync: number;
  LastSuccessfulSyncProtocol: number;
  LastSuccessfulSyncPrecision: number;
  LastModTime: number;
}

export function mirrorToJson(m: Mirror): MirrorJson {
  return {
    ID: m.id,
    Name: m.name,
    HttpURL: m.httpURL,
    RsyncURL: m.rsyncURL,
    FtpURL: m.ftpURL,
    SponsorName: m.sponsorName,
    SponsorURL: m.sponsorURL,
    SponsorLogoURL: m.sponsorLogoURL,
    AdminName: m.adminName,
    AdminEmail: m.adminEmail,
    CustomData: m.customData,
    ContinentOnly: m.continentOnly,
    CountryOnly: m.countryOnly,
    ASOnly: m.asOnly,
    Score: m.score,
    Latitude: m.latitude,
    Longitude: m.longitude,
    ContinentCode: m.continentCode,
    CountryCodes: m.countryCodes,
    ExcludedCountryCodes: m.excludedCountryCodes,
    Asnum: m.asnum,
    Comment: m.comment,
    Enabled: m.enabled,
    Up: isMirrorUp(m),
    HttpUp: m.httpUp,
    HttpsUp: m.httpsUp,
    HttpDownReason: m.httpDownReason,
    HttpsDownReason: m.httpsDownReason,
    StateSince: m.stateSince,
    AllowRedirects: m.allowRedirects,
    TZOffsetMs: m.tzOffsetMs,
    LastSync: m.lastSync,
    LastSuccessfulSync: m.lastSuccessfulSync,
    LastSuccessfulSyncProtocol: m.lastSuccessfulSyncProtocol,
    LastSuccessfulSyncPrecision: m.lastSuccessfulSyncPrecision,
    LastModTime: m.lastModTime,
  };
}

/** Back to the model (the CLI renders YAML and tables from the API's JSON). */
export function mirrorFromJson(j: MirrorJson): Mirror {
  const split = (s: string) => s.split(/\s+/).filter(Boolean);
  return {
    id: j.ID, name: j.Name, httpURL: j.HttpURL, rsyncURL: j.RsyncURL, ftpURL: j.FtpURL, sponsorName: j.SponsorName,
    sponsorURL: j.SponsorURL, sponsorLogoURL: j.SponsorLogoURL, adminName: j.AdminName, adminEmail: j.AdminEmail,
    customData: j.CustomData, continentOnly: j.ContinentOnly, countryOnly: j.CountryOnly, asOnly: j.ASOnly, score: j.Score,
    latitude: j.Latitude, longitude: j.Longitude, continentCode: j.ContinentCode, countryCodes: j.CountryCodes,
    excludedCountryCodes: j.ExcludedCountryCodes, countryList: split(j.CountryCodes), excludedCountryList: split(j.ExcludedCountryCodes),
    asnum: j.Asnum, comment: j.Comment, enabled: j.Enabled, httpUp: j.HttpUp, httpsUp: j.HttpsUp, httpDownReason: j.HttpDownReason,
    httpsDownReason: j.HttpsDownReason, stateSince: j.StateSince, allowRedirects: j.AllowRedirects, tzOffsetMs: j.TZOffsetMs,
    lastSync: j.LastSync, lastSuccessfulSync: j.LastSuccessfulSync, lastSuccessfulSyncProtocol: j.LastSuccessfulSyncProtocol,
    lastSuccessfulSyncPrecision: j.LastSuccessfulSyncPrecision, lastModTime: j.LastModTime,
  };
}
