import { describe, expect, it } from 'vitest';
import { AsnTable } from './asn-table.ts';
import { parseIp } from './ip.ts';

const V4 = [
  '16777216,16777471,13335,"Cloudflare, Inc."',
  '16778240,16779263,38803,Gtelecom Pty Ltd',
  '134744064,134744319,15169,Google LLC',
  '134744320,134744575,15169,Google LLC',
  '3232235520,3232235775,64500,"Quote ""Inc"""',
  '',
].join('\r\n');
const V6 = [
  '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC',
  '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
  '2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC',
].join('\n');

function find(table: AsnTable, ip: string): [number, string] | null {
  const p = parseIp(ip)!;
  const row = p.family === 4 ? table.findV4(p.v4) : table.findV6(p.v6);
  if (row < 0) return null;
  return p.family === 4 ? [table.asnV4(row), table.orgV4(row)] : [table.asnV6(row), table.orgV6(row)];
}

describe('AsnTable', () => {
  const table = AsnTable.fromCsv(V4, V6);

  it('finds IPv4 ranges, inclusive at both ends, and misses gaps', () => {
    expect(find(table, '1.0.0.0')).toEqual([13335, 'Cloudflare, Inc.']);
    expect(find(table, '1.0.0.255')).toEqual([13335, 'Cloudflare, Inc.']);
    expect(find(table, '1.0.1.0')).toBeNull();
    expect(find(table, '0.255.255.255')).toBeNull();
    expect(find(table, '8.8.8.8')).toEqual([15169, 'Google LLC']);
    expect(find(table, '192.168.0.77')).toEqual([64500, 'Quote "Inc"']);
    expect(find(table, '255.255.255.255')).toBeNull();
    expect(find(table, '::ffff:8.8.9.4')).toEqual([15169, 'Google LLC']);
  });

  it('finds IPv6 ranges', () => {
    expect(find(table, '2001::1')).toEqual([6939, 'Hurricane Electric LLC']);
    expect(find(table, '2001:200:1b9:ffff::1')).toEqual([2500, 'WIDE Project']);
    expect(find(table, '2001:200:1ba::')).toBeNull();
    expect(find(table, '2a00:1450:4001::1')).toEqual([15169, 'Google LLC']);
    expect(find(table, '::1')).toBeNull();
    expect(find(table, 'ffff::')).toBeNull();
  });

  it('interns organisation names', () => {
    expect(table.rowsV4).toBe(5);
    expect(table.rowsV6).toBe(3);
    expect(table.organisations).toBe(6);
  });

  it('reads bytes: UTF-8 names (quoted or not) come back intact, interned once', () => {
    const t = AsnTable.fromCsv(Buffer.from('1,9,7,Société Générale\n10,19,8,"Ünïcode, ""Ltd"""\n20,29,7,Société Générale\n'), Buffer.alloc(0));
    expect(t.asnV4(t.findV4(5))).toBe(7);
    expect(t.orgV4(t.findV4(5))).toBe('Société Générale');
    expect(t.orgV4(t.findV4(15))).toBe('Ünïcode, "Ltd"');
    expect(t.orgV4(t.findV4(25))).toBe('Société Générale');
    expect(t.organisations).toBe(2);
    expect(t.rowsV6).toBe(0);
    expect(() => AsnTable.fromCsv('1,2,x,a', '')).toThrow(/bad range at line 1/);
  });

  it('rejects malformed or unsorted input with the line number', () => {
    expect(() => AsnTable.fromCsv('1,2', '')).toThrow(/IPv4 ASN table: too few fields at line 1/);
    expect(() => AsnTable.fromCsv('10,20,1,a\n5,6,1,b', '')).toThrow(/not sorted at line 2/);
    expect(() => AsnTable.fromCsv('10,5,1,a', '')).toThrow(/bad range at line 1/);
    expect(() => AsnTable.fromCsv('', 'nope,2001::,1,a')).toThrow(/IPv6 ASN table: bad address at line 1/);
    expect(() => AsnTable.fromCsv('1,2,3,"open', '')).toThrow(/unterminated quote/);
  });
});
