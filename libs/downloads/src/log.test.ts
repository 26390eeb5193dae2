import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DownloadLog, formatLogEntry } from './log.ts';

const m1 = { name: 'm1', asnum: 444, countryList: ['FR', 'UK', 'DE'] };

describe('formatLogEntry (contract §12.2 tested lines)', () => {
  it('formats the upstream test lines', () => {
    expect(formatLogEntry({ type: 'JSON', status: 200, method: 'GET', path: '/test/file.tgz', ip: '192.168.0.1', mirror: m1, fallback: true, clientAsn: 444, distance: 99 }))
      .toBe('JSON 200 GET "/test/file.tgz" ip:192.168.0.1 mirror:m1 fallback:true sameasn:444 distance:99.00km countries:FR,UK,DE');
    expect(formatLogEntry({ type: 'JSON', status: 404, method: 'GET', path: '/test/file.tgz', ip: '192.168.0.1', mirror: m1 }))
      .toBe('JSON 404 GET "/test/file.tgz" ip:192.168.0.1');
    expect(formatLogEntry({ type: 'JSON', status: 500, method: 'GET', path: '', ip: '', mirror: m1, error: 'test error' }))
      .toBe('JSON 500 GET "" ip: mirror:m1 error:test error');
    expect(formatLogEntry({ type: 'JSON', status: 501, method: 'GET', path: '/test/file.tgz', ip: '192.168.0.1', error: 'test error' }))
      .toBe('JSON 501 GET "/test/file.tgz" ip:192.168.0.1 error:test error');
    expect(formatLogEntry({ type: 'REDIRECT', status: 302, method: 'GET', path: '/%s', ip: '1.1.1.1', mirror: { name: 'g', asnum: 0, countryList: ['GB'] }, distance: 84.0412, clientAsn: 0 }))
      .toBe('REDIRECT 302 GET "/%s" ip:1.1.1.1 mirror:g asn:0 distance:84.04km countries:GB');
    expect(formatLogEntry({ type: 'JSON', status: 500, method: 'GET', path: '', ip: '' })).toBe('JSON 500 GET "" ip: mirror:unknown error:');
    expect(formatLogEntry({ type: 'JSON', status: 503, method: 'GET', path: '', ip: '' })).toBe('JSON 503 GET "" ip: error:<unknown>');
  });

  it('writes the header once and timestamped lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-dl-'));
    const log = new DownloadLog(dir);
    log.write({ type: 'REDIRECT', status: 302, method: 'HEAD', path: '/README.txt', ip: '127.0.0.1', mirror: { name: 'gb-mirror', asnum: 0, countryList: ['GB'] }, distance: 0 });
    await log.close();
    const log2 = new DownloadLog(dir);
    log2.write({ type: 'JSON', status: 404, method: 'GET', path: '/x', ip: '1.2.3.4' });
    await log2.close();
    const lines = fs.readFileSync(path.join(dir, 'downloads.log'), 'utf8').split('\n');
    expect(lines[0]).toMatch(/^# Log file created at: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
    expect(lines[1]).toBe(`# Running on machine: ${os.hostname()}`);
    expect(lines[2]).toMatch(/^# Binary: Built with node v/);
    expect(lines[3]).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} REDIRECT 302 HEAD "\/README.txt" ip:127.0.0.1 mirror:gb-mirror asn:0 distance:0.00km countries:GB$/);
    expect(lines[4]).toMatch(/ JSON 404 GET "\/x" ip:1.2.3.4$/);
    expect(lines).toHaveLength(6);
    fs.rmSync(dir, { recursive: true });
  });
});
