import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { mmdb } from './mmdb-types.ts';
import { writeMmdb, type MmdbEntry } from './mmdb-writer.ts';

type Rec = Record<string, unknown>;

const entries: MmdbEntry[] = [
  { network: '81.2.69.0/24', data: { name: 'wide' } },
  { network: '81.2.69.142/31', data: { name: 'narrow', n: 7 } }, // more specific wins
  { network: '10.0.0.0/8', data: { name: 'private' } },
  { network: '2001:db8::/32', data: { name: 'doc6' } },
  { network: '2001:db8:1::/48', data: { name: 'doc6-sub' } },
];

describe('writeMmdb', () => {
  for (const recordSize of [24, 28, 32] as const) {
    it(`IPv6 tree with ${recordSize}-bit records is read back by mmdb-lib`, () => {
      const db = new Reader<Rec>(writeMmdb({ databaseType: 'Test-DB', recordSize, entries, buildEpoch: 1_700_000_000 }));
      expect(db.metadata.recordSize).toBe(recordSize);
      expect(db.metadata.ipVersion).toBe(6);
      expect(db.metadata.databaseType).toBe('Test-DB');
      expect(db.metadata.buildEpoch.getTime()).toBe(1_700_000_000_000);
      expect(db.getWithPrefixLength('81.2.69.142')).toEqual([{ name: 'narrow', n: 7 }, 31]);
      expect(db.getWithPrefixLength('81.2.69.143')).toEqual([{ name: 'narrow', n: 7 }, 31]);
      // The /24 is split around the /31, so the reported prefix is the depth of the split leaf.
      expect(db.getWithPrefixLength('81.2.69.144')).toEqual([{ name: 'wide' }, 28]);
      expect(db.getWithPrefixLength('81.2.69.1')).toEqual([{ name: 'wide' }, 25]);
      expect(db.get('81.2.68.255')).toBeNull();
      expect(db.get('10.200.3.4')).toEqual({ name: 'private' });
      expect(db.get('11.0.0.0')).toBeNull();
      expect(db.get('2001:db8::1')).toEqual({ name: 'doc6' });
      expect(db.getWithPrefixLength('2001:db8:1::5')).toEqual([{ name: 'doc6-sub' }, 48]);
      expect(db.get('2001:db9::')).toBeNull();
      expect(db.get('::1')).toBeNull();
    });
  }

  it('answers IPv4 under ::/96 and ::ffff:0:0/96 in an IPv6 tree', () => {
    const db = new Reader<Rec>(writeMmdb({ databaseType: 'T', entries }));
    expect(db.get('::ffff:81.2.69.142')).toEqual({ name: 'narrow', n: 7 });
    expect(db.getWithPrefixLength('::ffff:81.2.69.200')).toEqual([{ name: 'wide' }, 96 + 26]);
    expect(db.get('::81.2.69.142')).toEqual({ name: 'narrow', n: 7 });
    expect(db.get('::ffff:11.0.0.1')).toBeNull();
  });

  it('writes an IPv4-only tree', () => {
    const db = new Reader<Rec>(writeMmdb({ databaseType: 'T4', ipVersion: 4, recordSize: 24, entries: entries.slice(0, 3) }));
    expect(db.metadata.ipVersion).toBe(4);
    expect(db.getWithPrefixLength('81.2.69.142')).toEqual([{ name: 'narrow', n: 7 }, 31]);
    expect(db.get('10.1.1.1')).toEqual({ name: 'private' });
    expect(db.get('9.255.255.255')).toBeNull();
    expect(() => writeMmdb({ databaseType: 'T4', ipVersion: 4, entries })).toThrow(/IPv6 network '2001:db8::\/32' in an IPv4 database/);
  });

  it('encodes every data type', () => {
    const data = {
      s: 'Linköping',
      long: 'x'.repeat(300), // 2-byte size form
      longer: 'y'.repeat(70_000), // 3-byte size form
      u16: mmdb.uint16(65535),
      u32: 4_000_000_000,
      zero: 0,
      u64: mmdb.uint64(2n ** 63n + 5n),
      u128: mmdb.uint128(2n ** 100n),
      i32: -12345,
      d: 51.5142,
      dWhole: mmdb.double(15),
      f: mmdb.float(1.5),
      t: true,
      fa: false,
      arr: ['a', 1, [2, { deep: 'yes' }]],
      map: { nested: { en: 'London' } },
      bytes: mmdb.bytes(Uint8Array.from([0, 1, 255])),
    };
    const db = new Reader<Rec>(writeMmdb({ databaseType: 'T', entries: [{ network: '1.2.3.0/24', data }] }));
    const r = db.get('1.2.3.4')!;
    expect(r.s).toBe('Linköping');
    expect(r.long).toBe(data.long);
    expect(r.longer).toBe(data.longer);
    expect(r.u16).toBe(65535);
    expect(r.u32).toBe(4_000_000_000);
    expect(r.zero).toBe(0);
    expect(r.u64).toBe(2n ** 63n + 5n);
    expect(r.u128).toBe(2n ** 100n);
    expect(r.i32).toBe(-12345);
    expect(r.d).toBe(51.5142);
    expect(r.dWhole).toBe(15);
    expect(r.f).toBe(1.5);
    expect(r.t).toBe(true);
    expect(r.fa).toBe(false);
    expect(r.arr).toEqual(['a', 1, [2, { deep: 'yes' }]]);
    expect(r.map).toEqual({ nested: { en: 'London' } });
    expect([...(r.bytes as Buffer)]).toEqual([0, 1, 255]);
  });

  it('stores identical records once', () => {
    const one = writeMmdb({ databaseType: 'T', buildEpoch: 1, entries: [{ network: '1.0.0.0/8', data: { big: 'z'.repeat(1000) } }] });
    const many = writeMmdb({
      databaseType: 'T',
      buildEpoch: 1,
      entries: Array.from({ length: 20 }, (_, i) => ({ network: `${i + 1}.0.0.0/8`, data: { big: 'z'.repeat(1000) } })),
    });
    expect(many.length - one.length).toBeLessThan(1000);
    expect(new Reader<Rec>(many).get('20.1.1.1')).toEqual({ big: 'z'.repeat(1000) });
  });

  it('writes an empty database that answers nothing', () => {
    const db = new Reader<Rec>(writeMmdb({ databaseType: 'T', entries: [] }));
    expect(db.get('1.1.1.1')).toBeNull();
    expect(db.get('2001:db8::1')).toBeNull();
  });

  it('refuses bad networks and options with a clear error', () => {
    const bad = (network: string) => () => writeMmdb({ databaseType: 'T', entries: [{ network, data: {} }] });
    expect(bad('1.2.3.0/33')).toThrow(/bad network '1.2.3.0\/33'/);
    expect(bad('nope/8')).toThrow(/bad network/);
    expect(bad('::ffff:1.2.3.0/120')).toThrow(/IPv4-mapped; use the IPv4 form/);
    expect(() => writeMmdb({ databaseType: 'T', recordSize: 16 as 24, entries: [] })).toThrow(/record size 16/);
  });
});
