import { describe, expect, it } from 'vitest';
import { secureOption } from './secure.ts';

describe('secureOption (contract §2.5)', () => {
  it.each([
    [undefined, undefined, true, 'undefined'],
    ['https', undefined, true, 'withTLS'],
    ['HTTPS', undefined, false, 'withTLS'],
    ['http', undefined, true, 'undefined'],
    ['Http', undefined, false, 'withoutTLS'],
    ['ftp', undefined, false, 'undefined'],
    ['', undefined, false, 'undefined'],
    [undefined, '1', true, 'withTLS'],
    ['http', '1', false, 'withTLS'],
    ['https', '0', true, 'withoutTLS'],
    [undefined, 'yes', true, 'undefined'],
    ['https', 'true', true, 'withTLS'],
    [null, null, true, 'undefined'],
  ] as const)('X-Forwarded-Proto %j, https=%j, AllowHTTPToHTTPSRedirects %j → %s', (proto, param, allow, want) => {
    expect(secureOption({ forwardedProto: proto, httpsParam: param, allowHttpToHttps: allow })).toBe(want);
  });
});
