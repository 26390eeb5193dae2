import { isUnsetTime } from '@mirrorball/gofmt';
import { concatURL, dateutc, goFixed0, sizeof } from './helpers.ts';
import { html, safeHref, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { svgMap, type MapPoint } from './svg-map.ts';
import { formatPercent, svgPie } from './svg-pie.ts';
import type { MirrorlistPageData, PageClient, PageFile, PageMirror } from './types.ts';

/** Mirrorbits draws markers for the first 19 mirrors only. */
const MAP_MARKERS = 19;

function displayName(m: PageMirror): string {
  return m.sponsorName || m.name;
}

function hasWeight(m: PageMirror): boolean {
  return typeof m.weight === 'number' && m.weight > 0;
}

function clientBlock(ip: string, c: PageClient): SafeHtml {
  const as = c.asName || c.asNum ? html`, which belongs to autonomous system ${c.asName ? html`<b>${c.asName}</b> ` : ''}(ASN${c.asNum})` : '';
  const where = c.countryCode
    ? html`<p>We believe you are ${c.city ? html`near <b>${c.city}</b> in <b>${c.country || c.countryCode}</b>` : html`somewhere in <b>${c.country || c.countryCode}</b>`} and have selected mirrors based on this.</p>`
    : html`<p class="note">We could not locate you, so the mirrors below were chosen at random.</p>`;
  return html`<h2>Client</h2>
<p>You are connecting with IP address <b>${ip}</b>${as}.</p>
${where}`;
}

function fileBlock(f: PageFile): SafeHtml {
  const facts = isUnsetTime(f.modTime)
    ? html`<p>The file <b>${f.path}</b> has not been scanned yet.</p>`
    : html`<p>The file <b>${f.path}</b> has a size of <b>${sizeof(f.size)}</b> (${f.size} bytes) and was last modified on <b>${dateutc(f.modTime)}</b>.</p>`;
  const hashes: [string, string][] = [
    ['MD5', f.md5],
    ['SHA1', f.sha1],
    ['SHA256', f.sha256],
  ];
  return html`<h2>File</h2>
${facts}
<p>Known hashes:</p>
<table class="hashes"><tbody>${hashes.map(([k, v]) => html`<tr><th>${k}</th><td class="hash">${v || 'N/A'}</td></tr>`)}</tbody></table>`;
}

function mirrorsTable(data: MirrorlistPageData): SafeHtml {
  const warning = data.fallback ? html`<p class="warning">Warning: file not served by any mirror, fallbacks to the rescue.</p>` : '';
  if (data.mirrorList.length === 0) return html`<h2>Mirrors</h2>${warning}<p><i>No mirrors for this file</i></p>`;
  const rows = data.mirrorList.map((m, i) => {
    const url = concatURL(m.absoluteURL, data.fileInfo.path);
    return html`<tr${hasWeight(m) ? '' : html` class="noweight"`}><td class="num">${i + 1}.</td><td>${displayName(m)}</td><td><a href="${safeHref(url)}">${m.absoluteURL}</a></td><td>${m.countryCodes}</td><td>${m.continentCode}</td><td class="num">${goFixed0(m.distance)} Km</td><td class="num">${formatPercent(m.weight ?? 0)}</td></tr>`;
  });
  return html`<h2>Mirrors</h2>${warning}
<table class="mirrors"><thead><tr><th class="num">Rank</th><th>Mirror Name</th><th>URL</th><th>Country</th><th>Continent</th><th class="num">Distance</th><th class="num">Selection</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** Byte-wise ascending by reason (Go's sort on strings), stable for equal reasons. */
function byReason(a: PageMirror, b: PageMirror): number {
  const x = Buffer.from(a.excludeReason ?? '');
  const y = Buffer.from(b.excludeReason ?? '');
  return Buffer.compare(x, y);
}

function excludedTable(list: readonly PageMirror[]): SafeHtml | '' {
  if (list.length === 0) return '';
  const rows = [...list].sort(byReason).map(
    (m) =>
      html`<tr><td>${displayName(m)}</td><td><a href="${safeHref(m.absoluteURL)}">${m.absoluteURL}</a></td><td>${m.countryCodes}</td><td>${m.continentCode}</td><td class="num">${goFixed0(m.distance)} Km</td><td>${m.excludeReason ?? ''}</td></tr>`,
  );
  return html`<h2>Excluded Mirrors</h2>
<table class="excluded"><thead><tr><th>Mirror Name</th><th>URL</th><th>Country</th><th>Continent</th><th class="num">Distance</th><th>Exclude Reason</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function mapOf(data: MirrorlistPageData): SafeHtml {
  const points: MapPoint[] = data.mirrorList.slice(0, MAP_MARKERS).map((m, i) => ({
    latitude: m.latitude,
    longitude: m.longitude,
    label: String(i + 1),
    title: `${i + 1}. ${displayName(m)}${hasWeight(m) ? ` (${formatPercent(m.weight ?? 0)})` : ''}`,
    color: hasWeight(m) ? '#16a34a' : '#2563eb',
  }));
  const c = data.clientInfo;
  const client = c.countryCode ? { latitude: c.latitude, longitude: c.longitude, title: `You: ${c.city || c.country || c.countryCode}` } : undefined;
  // Fit the client, every weighted mirror and the first few others (Mirrorbits' bounds rule).
  const weighted = data.mirrorList.filter(hasWeight);
  const others = data.mirrorList.filter((m) => !hasWeight(m)).slice(0, 3);
  const fit = [...(client ? [client] : []), ...weighted, ...others];
  return svgMap({ points, client, lineToFirst: true, fit });
}

/** The `?mirrorlist` page (contract §2.9, §13). Returns the whole HTML document. */
export function renderMirrorlistPage(data: MirrorlistPageData): string {
  const pie = svgPie(data.mirrorList.filter(hasWeight).map((m) => ({ label: displayName(m), value: m.weight ?? 0 })));
  const body = html`<div class="row">
<div class="card grow">${clientBlock(data.ip, data.clientInfo)}${fileBlock(data.fileInfo)}</div>
<div class="card"><h2>Selection</h2>${pie}</div>
</div>
<div class="card map">${mapOf(data)}</div>
${mirrorsTable(data)}
${excludedTable(data.excludedList ?? [])}`;
  return layout(data, { title: `Mirrorlist ${data.fileInfo.path}`, headline: data.fileInfo.path, body });
}
