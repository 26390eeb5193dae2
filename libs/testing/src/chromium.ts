import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags from docs/TOOLCHAIN.md: headless, sandbox-less (root), no background traffic. */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface HeadlessChromium {
  browser: Browser;
  /** A fresh page that records console errors, page errors and requests to hosts other than 127.0.0.1/localhost/::1. */
  newPage(): Promise<InspectedPage>;
  close(): Promise<void>;
}

export interface InspectedPage {
  page: Page;
  consoleErrors: string[];
  /** URLs of requests that left the machine (anything but loopback, data: and about:). */
  externalRequests: string[];
}

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('file:')) return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/** Launch a headless Chromium (playwright gives it a temporary profile and removes it on close). */
export async function launchChromium(): Promise<HeadlessChromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  // Imported lazily: every test file loads this package's index, few need a browser.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
  return {
    browser,
    async newPage() {
      const page = await browser.newPage();
      const consoleErrors: string[] = [];
      const externalRequests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      // Block and record anything non-local, so a stray CDN reference fails the test instead of hanging it.
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        externalRequests.push(url);
        return route.abort();
      });
      return { page, consoleErrors, externalRequests };
    },
    async close() {
      await browser.close();
    },
  };
}
