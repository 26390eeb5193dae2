import { describe, expect, it } from 'vitest';
import { canonicalPath, escapePath, movedBody, parseTarget } from './path.ts';

describe('parseTarget', () => {
  it('passes canonical paths through undecoded work', () => {
    expect(parseTarget('/pool/a.deb?mirrorlist')).toEqual({ kind: 'ok', path: '/pool/a.deb', rawPath: '/pool/a.deb', query: 'mirrorlist' });
    expect(parseTarget('/pub/')).toMatchObject({ kind: 'ok', path: '/pub/' });
    expect(parseTarget('/')).toMatchObject({ kind: 'ok', path: '/' });
  });

  it('decodes percent escapes and UTF-8', () => {
    expect(parseTarget('/dir%20with%20space/file%20name+plus.txt')).toMatchObject({ kind: 'ok', path: '/dir with space/file name+plus.txt' });
    expect(parseTarget('/caf%C3%A9')).toMatchObject({ kind: 'ok', path: '/café' });
  });

  it('redirects non-canonical paths as Go does, keeping the query', () => {
    expect(parseTarget('/../etc/passwd')).toEqual({ kind: 'redirect', location: '/etc/passwd' });
    expect(parseTarget('/a//b?mirrorlist')).toEqual({ kind: 'redirect', location: '/a/b?mirrorlist' });
    expect(parseTarget('/a/%2e%2e/b')).toEqual({ kind: 'redirect', location: '/b' });
    expect(parseTarget('/a/./b/')).toEqual({ kind: 'redirect', location: '/a/b/' });
    expect(parseTarget('/x%20y//z')).toEqual({ kind: 'redirect', location: '/x%20y/z' });
  });

  it('answers 400 for malformed escapes, NUL and invalid UTF-8, 414 for huge targets', () => {
    expect(parseTarget('/a%zz')).toMatchObject({ kind: 'error', status: 400 });
    expect(parseTarget('/a%')).toMatchObject({ kind: 'error', status: 400 });
    expect(parseTarget('/a%00b')).toMatchObject({ kind: 'error', status: 400 });
    expect(parseTarget('/a%ff')).toMatchObject({ kind: 'error', status: 400 });
    expect(parseTarget('/' + 'a'.repeat(9000))).toMatchObject({ kind: 'error', status: 414 });
  });

  it('accepts absolute-form targets', () => {
    expect(parseTarget('http://example.org/a.iso?sha256')).toMatchObject({ kind: 'ok', path: '/a.iso', query: 'sha256' });
  });
});

describe('helpers', () => {
  it('canonicalPath keeps a trailing slash', () => {
    expect(canonicalPath('/pub/')).toBe('/pub/');
    expect(canonicalPath('/pub/.')).toBe('/pub');
    expect(canonicalPath('/..')).toBe('/');
  });
  it('escapePath matches Go', () => {
    expect(escapePath('/a b/c!d&e')).toBe('/a%20b/c%21d&e');
  });
  it('movedBody is 46 bytes for /etc/passwd (capture 00)', () => {
    expect(movedBody('/etc/passwd')).toBe('<a href="/etc/passwd">Moved Permanently</a>.\n\n');
    expect(movedBody('/etc/passwd').length).toBe(46);
  });
});
