/** Geolocation of a client or a host (contract §2.4). Valid iff countryCode is non-empty. */
export interface GeoRecord {
  countryCode: string;
  continentCode: string;
  city: string;
  country: string;
  /** float32 values. */
  latitude: number;
  longitude: number;
  asName: string;
  asNum: number;
}

export const EMPTY_GEO: GeoRecord = Object.freeze({
  countryCode: '', continentCode: '', city: '', country: '', latitude: 0, longitude: 0, asName: '', asNum: 0,
});

export function isValidGeo(g: GeoRecord): boolean {
  return g.countryCode !== '';
}
