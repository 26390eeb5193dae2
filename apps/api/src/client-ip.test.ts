import { describe, expect, it } from 'vitest';
import { clientIp, DEFAULT_TRUSTED_PROXIES, normalizeIp, TrustedProxies } from './client-ip.ts';

const trusted = new TrustedProxies(DEFAULT_TRUSTED_PROXIES);

describe('normalizeIp', () => {
  it('strips brackets, ports, zones and the IPv4-mapped prefix', () => {
    expect(normalizeIp('[::1]:8080')).toBe('::1');
    expect(normalizeIp('1.2.3.4:5678')).toBe('1.2.3.4');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('::ffff:81.2.69.142')).toBe('81.2.69.142');
    expect(normalizeIp(' 2A02:CF40::1 ')).toBe('2a02:cf40::1');
  });
  it('rejects garbage', () => {
    for (const g of ['', 'unknown', '1.2.3', '<script>', '999.1.1.1', '[::1', ':8080']) expect(normalizeIp(g)).toBe('');
  });
});

describe('clientIp', () => {
  it('uses the right-most untrusted address from a trusted peer', () => {
    expect(clientIp('127.0.0.1', '81.2.69.142, 10.0.0.1', trusted)).toBe('81.2.69.142');
    expect(clientIp('::ffff:127.0.0.1', '6.6.6.6, 81.2.69.142, 10.0.0.1', trusted)).toBe('81.2.69.142');
  });
  it('ignores X-Forwarded-For from an untrusted peer (no spoofing)', () => {
    expect(clientIp('203.0.113.9', '81.2.69.142', trusted)).toBe('203.0.113.9');
  });
  it('skips garbage entries and falls back to the left-most trusted one or the peer', () => {
    expect(clientIp('127.0.0.1', '81.2.69.142, garbage, 10.0.0.1', trusted)).toBe('81.2.69.142');
    expect(clientIp('127.0.0.1', '10.1.2.3, 10.0.0.1', trusted)).toBe('10.1.2.3');
    expect(clientIp('127.0.0.1', 'nonsense', trusted)).toBe('127.0.0.1');
  });
  it('geolocatable direct IPv6 peers', () => {
    expect(clientIp('2a02:cf40::1', undefined, trusted)).toBe('2a02:cf40::1');
  });
  it('rejects invalid configuration', () => {
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow(/TrustedProxies/);
    expect(() => new TrustedProxies(['nope'])).toThrow(/TrustedProxies/);
  });
});
