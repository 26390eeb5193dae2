export * from './geoip.ts';
export * from './locate-host.ts';
export * from './mmdb-writer.ts';
export * from './mmdb-types.ts';
export { countryInfo, countryName, continentOf } from './countries.ts';
export { DBIP_ATTRIBUTION, ASN_ATTRIBUTION } from './embedded.ts';
export { dottedQuad, parseIp } from './ip.ts';
export { AsnTable } from './asn-table.ts';
