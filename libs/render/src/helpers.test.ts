import { describe, expect, it } from 'vitest';
import { concatURL, dateutc, fuzzyAge, goFixed0, sizeof } from './helpers.ts';
import { escapeHtml, html, safeHref } from './html.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('sizeof', () => {
  it.each([
    [0, '0.0 bytes'],
    [87, '87.0 bytes'],
    [1023, '1023.0 bytes'],
    [1024, '1.0 KiB'],
    [1_000_000, '976.6 KiB'],
    [1280, '1.2 KiB'], // exact tie 1.25: Go rounds half to even
    [1792, '1.8 KiB'], // exact tie 1.75
    [5 * 1024 ** 3, '5.0 GiB'],
    [3 * 1024 ** 5, '3072.0 TiB'],
  ])('%d → %s', (n, s) => expect(sizeof(n)).toBe(s));
});

describe('fuzzyAge', () => {
  it.each([
    [0, 'up-to-date'],
    [59_999, 'up-to-date'],
    [-59_999, 'up-to-date'],
    [-MIN, 'in the future'],
    [MIN, '1 minute ago'],
    [2 * MIN + 5, '2 minutes ago'],
    [59 * MIN, '59 minutes ago'],
    [HOUR, '1 hour ago'],
    [23 * HOUR + 59 * MIN, '23 hours ago'],
    [DAY, '1 day ago'],
    [3 * DAY + HOUR, '3 days ago'],
    [365 * DAY, '365 days ago'],
    [366 * DAY, '1 year ago'],
    [3 * 365 * DAY + DAY, '3 years ago'],
  ])('%d ms → %s', (ms, s) => expect(fuzzyAge(ms)).toBe(s));
});

describe('concatURL', () => {
  it('joins with exactly one slash', () => {
    expect(concatURL('http://m/pub/', '/a/b')).toBe('http://m/pub/a/b');
    expect(concatURL('http://m/pub', 'a/b')).toBe('http://m/pub/a/b');
    expect(concatURL('http://m/pub/', 'a')).toBe('http://m/pub/a');
    expect(concatURL('http://m/pub', '/a')).toBe('http://m/pub/a');
  });
});

describe('dateutc', () => {
  it('prints RFC 1123 with UTC', () => {
    expect(dateutc({ sec: Date.UTC(2025, 5, 1, 6) / 1000, nsec: 123 })).toBe('Sun, 01 Jun 2025 06:00:00 UTC');
    expect(dateutc(new Date('2024-01-15T12:00:00Z'))).toBe('Mon, 15 Jan 2024 12:00:00 UTC');
  });
});

describe('goFixed0', () => {
  it('rounds like Go %.0f (halves to even)', () => {
    expect(goFixed0(7732.329)).toBe('7732');
    expect(goFixed0(7649.969)).toBe('7650');
    expect(goFixed0(2.5)).toBe('2');
    expect(goFixed0(3.5)).toBe('4');
    expect(goFixed0(0)).toBe('0');
  });
});

describe('html', () => {
  it('escapes every interpolation, keeps nested fragments', () => {
    const name = `<script>alert("x")</script>&'`;
    const out = html`<td title="${name}">${name}${html`<b>${'<i>'}</b>`}${[1, html`<br>`, null, false]}</td>`.value;
    expect(out).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>&lt;i&gt;</b>1<br></td>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
  it('refuses script URLs in links', () => {
    expect(safeHref('javascript:alert(1)')).toBe('#');
    expect(safeHref(' JavaScript:x')).toBe('#');
    expect(safeHref('data:text/html,x')).toBe('#');
    expect(safeHref('https://m.example/a b')).toBe('https://m.example/a b');
    expect(safeHref('/rel/path')).toBe('/rel/path');
  });
});
