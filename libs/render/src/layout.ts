import { html, safeHref, trusted, type SafeHtml } from './html.ts';
import type { PageMeta } from './types.ts';

/**
 * Content-Security-Policy that fits every page of this library: no scripts, no external loads.
 * The api may send it with the HTML pages.
 */
export const HTML_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

const CSS = `
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#222;background:#f6f7f9}
header{background:#1e5bb8;color:#fff;padding:10px 24px;font-size:22px;font-weight:600;letter-spacing:.5px}
header a{color:#fff;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:8px 24px 24px}
h1{font-size:22px;word-break:break-all;margin:18px 0 8px}
h2{font-size:18px;margin:22px 0 8px;border-bottom:1px solid #dde;padding-bottom:4px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid #e6e8eb;text-align:left;vertical-align:middle}
th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right}
tr.noweight td{color:#999}
code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
.warning{color:#c00;font-weight:600}
.note{color:#555}
.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.card{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:10px 14px}
.grow{flex:1 1 420px;min-width:0}
svg{display:block;max-width:100%;height:auto}
.bar{height:12px;background:#e6e8eb;border-radius:3px;min-width:120px}
.bar>div{height:12px;border-radius:3px}
.bar.dl>div{background:#3b82f6}.bar.bytes>div{background:#10b981}
.age-green{color:#1a8f2e}.age-orange{color:#d97706}.age-red{color:#c00}.age-unknown{color:#000}
.state{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:middle}
.legend td{border:0;padding:2px 6px}
footer{color:#777;font-size:12px;text-align:center;padding:16px 8px 24px}
footer a{color:#777}
`;

export interface LayoutParts {
  title: string;
  headline: string;
  body: SafeHtml;
}

/** The frame of every page (Mirrorbits' base.html): header, headline, body, footer. */
export function layout(meta: PageMeta, parts: LayoutParts): string {
  const attribution = meta.geoAttribution?.text
    ? html`<div class="attribution">${
        meta.geoAttribution.url
          ? html`<a href="${safeHref(meta.geoAttribution.url)}" rel="noopener">${meta.geoAttribution.text}</a>`
          : meta.geoAttribution.text
      }</div>`
    : '';
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header>Mirrorball</header>
<main>
<h1>${parts.headline}</h1>
${parts.body}
</main>
<footer>
<div>Mirrorball ${meta.version} running on ${meta.hostname}</div>
${attribution}
</footer>
</body>
</html>
`.value;
}
