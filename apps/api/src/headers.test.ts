import { describe, expect, it } from 'vitest';
import { readHeaders } from './headers.ts';

describe('readHeaders', () => {
  it('picks the headers the pipeline needs, case-insensitively, joining repeated lines', () => {
    const h = readHeaders([
      'Host', 'x', 'X-Forwarded-For', '1.2.3.4', 'ACCEPT', 'application/json', 'x-forwarded-for', '10.0.0.1',
      'If-Modified-Since', 'Mon, 15 Jan 2024 12:00:00 GMT', 'Range', 'bytes=0-', 'User-Agent', 'curl', 'X-Forwarded-Proto', 'https',
    ]);
    expect(h).toEqual({
      xff: '1.2.3.4, 10.0.0.1', accept: 'application/json', ims: 'Mon, 15 Jan 2024 12:00:00 GMT', range: 'bytes=0-', ua: 'curl', proto: 'https',
    });
    expect(readHeaders(['Host', 'x'])).toEqual({});
  });
});
