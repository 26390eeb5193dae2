import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, type HeadlessChromium } from '@mirrorball/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorlistData, mirrorstatsData } from './fixtures.test-data.ts';
import { HTML_CONTENT_TYPE, HTML_PAGE_CSP } from './layout.ts';
import { renderMirrorlistPage } from './mirrorlist.ts';
import { renderMirrorstatsPage } from './mirrorstats.ts';

// Browser-side code as strings: this package compiles without the DOM lib.
const COLOR = new Function('e', 'return getComputedStyle(e).color') as (e: unknown) => string;
const WIDTHS = new Function('els', 'return els.map((e) => e.style.width)') as (els: unknown[]) => string[];

/** Pages served as the api serves them (same content type and CSP) from a local HTTP server. */
const pages: Record<string, string> = {
  '/mirrorlist': renderMirrorlistPage(mirrorlistData()),
  '/fallback': renderMirrorlistPage(mirrorlistData({ fallback: true, mirrorList: [{ ...mirrorlistData().mirrorList[2]!, name: 'fallback0', sponsorName: '', weight: 0 }], excludedList: [] })),
  '/mirrorstats': renderMirrorstatsPage(mirrorstatsData()),
};

let server: http.Server;
let base: string;
let chrome: HeadlessChromium;
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-render-shots-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = pages[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': HTML_CONTENT_TYPE, 'Content-Security-Policy': HTML_PAGE_CSP }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chrome = await launchChromium();
});

afterAll(async () => {
  await chrome?.close();
  await new Promise((r) => server?.close(r));
  // Screenshots stay for a human to look at when MB_KEEP_SHOTS is set.
  if (!process.env.MB_KEEP_SHOTS) fs.rmSync(shots, { recursive: true, force: true });
  else console.log(`screenshots in ${shots}`);
});

describe('pages in a real browser', () => {
  it('mirrorlist: visible tables, pie, map, no errors, nothing external', async () => {
    const { page, consoleErrors, externalRequests } = await chrome.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${base}/mirrorlist`);
    const rows = await page.locator('table.mirrors tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      '1. GB Sponsor http://127.0.0.1/m1/ GB EU 2 Km 67%',
      '2. se-mirror https://se.example.org/pub/ SE EU 1414 Km 32%',
      '3. fr-mirror http://fr.example.org/ FR EU 344 Km <1%',
      '4. us-mirror http://127.0.0.1/m2/ US CA NA 7732 Km n/a',
    ]);
    expect(await page.locator('table.excluded tbody tr td:last-child').allInnerTexts()).toEqual(['File size mismatch', 'Not HTTPS']);
    // Grey rows for mirrors without weight.
    expect(await page.locator('table.mirrors tbody tr').nth(3).locator('td').first().evaluate(COLOR)).toBe('rgb(153, 153, 153)');
    await expect.poll(() => page.locator('.pie path').count()).toBe(3);
    expect(await page.locator('.map .marker').count()).toBe(4);
    expect(await page.locator('.map .client').count()).toBe(1);
    expect(await page.locator('svg').first().isVisible()).toBe(true);
    expect(await page.getByText('Warning: file not served').count()).toBe(0);
    expect(await page.locator('footer').innerText()).toContain('Mirrorball 0.1.0 running on test-host');
    await page.screenshot({ path: path.join(shots, 'mirrorlist.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  });

  it('mirrorlist with fallbacks shows the red warning', async () => {
    const { page, consoleErrors, externalRequests } = await chrome.newPage();
    await page.goto(`${base}/fallback`);
    const warning = page.getByText('Warning: file not served by any mirror, fallbacks to the rescue.');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.evaluate(COLOR)).toBe('rgb(204, 0, 0)');
    expect(await page.locator('.pie').innerText()).toContain('Random');
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  });

  it('mirrorstats: rows, bars, ages, TZ column', async () => {
    const { page, consoleErrors, externalRequests } = await chrome.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${base}/mirrorstats`);
    const rows = (await page.locator('table.stats tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      'us-mirror 120 downloads 976.6 KiB 3 days ago 1h0m0s',
      'gb-mirror 40 downloads 3.8 MiB up-to-date 0s',
      'ahead-mirror 5 downloads 12.1 KiB in the future 0s',
      'se-mirror 0 downloads 0.0 bytes 40 days ago 0s',
      'off-mirror 0 downloads 0.0 bytes unknown 0s',
    ]);
    const widths = await page.locator('table.stats .bar.dl > div').evaluateAll(WIDTHS);
    expect(widths).toEqual(['100%', '33.3%', '4.2%', '0%', '0%']);
    expect(await page.locator('th', { hasText: 'Adjusted TZ' }).count()).toBe(1);
    expect(await page.locator('.map .marker').count()).toBe(5);
    await page.screenshot({ path: path.join(shots, 'mirrorstats.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  });
});
