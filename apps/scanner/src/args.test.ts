import { describe, expect, it } from 'vitest';
import { parseScannerArgs } from './args.ts';
import { parseRsyncFilterArgs } from './rsync-filter-cmd.ts';

describe('scanner arguments', () => {
  it('parses modes and passes --config to loadConfig', () => {
    expect(parseScannerArgs(['-config', '/etc/mb.yaml', '--once', '--rehash'])).toEqual({ once: true, rehash: true, configArgv: ['-config', '/etc/mb.yaml'] });
    expect(parseScannerArgs(['--config=/x', 'rsync-filter', '--prefix', '/r/', '--keep', '2'])).toMatchObject({ configArgv: ['--config=/x'], rsyncFilter: ['--prefix', '/r/', '--keep', '2'] });
    expect(() => parseScannerArgs(['--bogus'])).toThrow(/unknown argument "--bogus"/);
  });
  it('validates rsync-filter arguments', () => {
    expect(parseRsyncFilterArgs(['--prefix=/release/', '--keep', '3', '--order', 'name'])).toEqual({ prefix: '/release/', keep: 3, order: 'name' });
    expect(() => parseRsyncFilterArgs(['--prefix', '/r/', '--keep', '0'])).toThrow(/positive integer/);
    expect(() => parseRsyncFilterArgs(['--keep', '2'])).toThrow(/needs --prefix/);
    expect(() => parseRsyncFilterArgs(['--prefix', '/r/', '--keep', '2', '--order', 'date'])).toThrow(/version or name/);
  });
});
