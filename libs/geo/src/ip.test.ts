import { describe, expect, it } from 'vitest';
import { parseIp, parseV6Into } from './ip.ts';

function v6(s: string): number[] {
  const out = new Uint32Array(4);
  parseV6Into(s, out);
  return [...out];
}

describe('parseIp', () => {
  it('accepts IPv4 and gives its integer value', () => {
    const p = parseIp('81.2.69.142');
    expect(p?.family).toBe(4);
    expect(p?.v4).toBe(((81 * 256 + 2) * 256 + 69) * 256 + 142);
    expect(parseIp('255.255.255.255')?.v4).toBe(0xffffffff);
  });

  it('folds IPv4-mapped IPv6 into IPv4, dotted or hex, any case', () => {
    for (const s of ['::ffff:81.2.69.142', '::FFFF:81.2.69.142', '::ffff:5102:458e', '0:0:0:0:0:ffff:5102:458e']) {
      const p = parseIp(s);
      expect(p?.family, s).toBe(4);
      expect(p?.text, s).toBe('81.2.69.142');
    }
  });

  it('keeps other IPv6 as IPv6 (IPv4-compatible ::a.b.c.d is not folded)', () => {
    expect(parseIp('2001:db8::1')?.family).toBe(6);
    expect(parseIp('::81.2.69.142')?.family).toBe(6);
  });

  it.each(['', ' ', 'garbage', '[::1]', '[::1]:8080', '81.2.69.142:80', ' 81.2.69.142', '81.2.69.142 ', '1.2.3',
    '01.2.3.4', 'fe80::1%eth0', '::1::', '1.2.3.4.5'])('rejects %j', (s) => {
    expect(parseIp(s)).toBeNull();
  });

  it('rejects non-strings without throwing', () => {
    expect(parseIp(undefined as unknown as string)).toBeNull();
    expect(parseIp(42 as unknown as string)).toBeNull();
  });
});

describe('parseV6Into', () => {
  it('expands :: at the start, middle and end', () => {
    expect(v6('::')).toEqual([0, 0, 0, 0]);
    expect(v6('::1')).toEqual([0, 0, 0, 1]);
    expect(v6('2001:db8::')).toEqual([0x20010db8, 0, 0, 0]);
    expect(v6('2001:db8::8:800:200c:417a')).toEqual([0x20010db8, 0, 0x00080800, 0x200c417a]);
    expect(v6('1:2:3:4:5:6:7:8')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070008]);
    expect(v6('ffff:FFFF:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });

  it('reads a dotted IPv4 tail', () => {
    expect(v6('64:ff9b::192.0.2.33')).toEqual([0x0064ff9b, 0, 0, 0xc0000221]);
    expect(v6('1:2:3:4:5:6:1.2.3.4')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x01020304]);
  });
});
