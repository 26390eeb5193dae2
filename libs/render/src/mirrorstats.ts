import { formatGoDurationMs } from '@mirrorball/gofmt';
import { fuzzyAge, sizeof } from './helpers.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { svgMap } from './svg-map.ts';
import type { MirrorStatsInput, MirrorstatsPageData, StatsMirror } from './types.ts';

export type MirrorState = 'disabled' | 'up' | 'down' | 'degraded';

/** Age of a mirror's last trace update, as the "Last update" column shows it. */
export interface SyncOffset {
  valid: boolean;
  /** Whole hours since the trace's time (negative when in the future). */
  hours: number;
  text: string;
  /** green ≤ 48 h, orange > 48 h, red > 720 h, unknown without a trace. */
  level: 'green' | 'orange' | 'red' | 'unknown';
}

export interface MirrorStatsRow extends MirrorStatsInput {
  /** Percent of the day's maximum; 0 when nobody downloaded today (Mirrorbits prints NaN). */
  percentDownloads: number;
  percentBytes: number;
  sync: SyncOffset;
  /** Go duration of the detected timezone offset (`0s` when none). */
  tzOffset: string;
  state: MirrorState;
}

/** Map/state colour of a mirror: black disabled, green up, red down, orange dual-protocol with differing states. */
export function mirrorState(m: Pick<StatsMirror, 'enabled' | 'httpURL' | 'httpUp' | 'httpsUp'>): MirrorState {
  if (!m.enabled) return 'disabled';
  if (m.httpURL.startsWith('http://')) return m.httpUp ? 'up' : 'down';
  if (m.httpURL.startsWith('https://')) return m.httpsUp ? 'up' : 'down';
  if (m.httpUp !== m.httpsUp) return 'degraded';
  return m.httpUp ? 'up' : 'down';
}

export function syncOffset(lastModTimeSec: number, now: Date): SyncOffset {
  if (!(lastModTimeSec > 0)) return { valid: false, hours: 0, text: 'unknown', level: 'unknown' };
  const elapsedMs = now.getTime() - lastModTimeSec * 1000;
  const hours = Math.trunc(elapsedMs / 3_600_000);
  const level = hours > 720 ? 'red' : hours > 48 ? 'orange' : 'green';
  return { valid: true, hours, text: fuzzyAge(elapsedMs), level };
}

function percent(v: number, max: number): number {
  // Deliberate fix: Mirrorbits divides 0 by 0 here and prints NaN on a quiet day.
  if (!(max > 0) || !Number.isFinite(v)) return 0;
  return (v * 100) / max;
}

/** Rows of the stats table: sorted by today's downloads, descending (ties keep input order). */
export function buildMirrorStats(mirrors: readonly MirrorStatsInput[], now: Date = new Date()): MirrorStatsRow[] {
  const maxD = Math.max(0, ...mirrors.map((m) => m.downloads));
  const maxB = Math.max(0, ...mirrors.map((m) => m.bytes));
  return mirrors
    .map((m) => ({
      ...m,
      percentDownloads: percent(m.downloads, maxD),
      percentBytes: percent(m.bytes, maxB),
      sync: syncOffset(m.mirror.lastModTime, now),
      tzOffset: formatGoDurationMs(m.mirror.tzOffsetMs),
      state: mirrorState(m.mirror),
    }))
    .sort((a, b) => b.downloads - a.downloads);
}

const STATE_COLORS: Record<MirrorState, string> = { disabled: '#111111', up: '#16a34a', down: '#dc2626', degraded: '#f59e0b' };

function bar(kind: 'dl' | 'bytes', pct: number, text: string): SafeHtml {
  const width = Math.max(0, Math.min(100, pct)).toFixed(1);
  return html`<div class="bar ${kind}" title="${text}"><div style="width:${width}%"></div></div><small>${text}</small>`;
}

/** The `?mirrorstats` page (contract §2.13, §13). Returns the whole HTML document. */
export function renderMirrorstatsPage(data: MirrorstatsPageData): string {
  const rows = buildMirrorStats(data.mirrors, data.now ?? new Date());
  const hasTZ = rows.some((r) => r.mirror.tzOffsetMs !== 0);
  const map = svgMap({
    points: rows.map((r) => ({
      latitude: r.mirror.latitude,
      longitude: r.mirror.longitude,
      label: '',
      title: `${r.mirror.name} (${r.state})`,
      color: STATE_COLORS[r.state],
    })),
  });
  const body = rows.length
    ? html`<table class="stats"><thead><tr><th>Mirror</th><th>Downloads since 00:00 UTC</th><th>Bytes since 00:00 UTC</th><th>Last update</th>${hasTZ ? html`<th>Adjusted TZ</th>` : ''}</tr></thead>
<tbody>${rows.map(
        (r) => html`<tr class="state-${r.state}"><td><span class="state" style="background:${STATE_COLORS[r.state]}" title="${r.state}"></span>${r.mirror.name}</td><td>${bar('dl', r.percentDownloads, `${r.downloads} download${r.downloads === 1 ? '' : 's'}`)}</td><td>${bar('bytes', r.percentBytes, sizeof(r.bytes))}</td><td class="age-${r.sync.level}">${r.sync.text}</td>${hasTZ ? html`<td>${r.tzOffset}</td>` : ''}</tr>`,
      )}</tbody></table>`
    : html`<p><i>No mirrors</i></p>`;
  const page = html`<div class="card map">${map}</div>
<p class="note"><span class="state" style="background:${STATE_COLORS.up}"></span>up <span class="state" style="background:${STATE_COLORS.down}"></span>down <span class="state" style="background:${STATE_COLORS.degraded}"></span>degraded <span class="state" style="background:${STATE_COLORS.disabled}"></span>disabled</p>
${body}`;
  return layout(data, { title: 'Mirror statistics', headline: 'Mirror statistics', body: page });
}
