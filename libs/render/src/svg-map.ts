import { html, type SafeHtml } from './html.ts';
import { WORLD_OUTLINE } from './world-outline.ts';

/** A point on the map; `label` is drawn inside the marker (e.g. the rank), `title` is the tooltip. */
export interface MapPoint {
  latitude: number;
  longitude: number;
  label: string;
  title: string;
  color: string;
}

export interface MapInput {
  points: readonly MapPoint[];
  /** Client position; a line joins it to the first point when `lineToFirst` is set. */
  client?: { latitude: number; longitude: number; title: string } | undefined;
  lineToFirst?: boolean;
  width?: number;
}

const W = 720;
const H = 360;

/** Equirectangular projection onto a 720×360 canvas (2 px per degree). */
export function project(latitude: number, longitude: number): { x: number; y: number } {
  const lon = Math.max(-180, Math.min(180, Number.isFinite(longitude) ? longitude : 0));
  const lat = Math.max(-90, Math.min(90, Number.isFinite(latitude) ? latitude : 0));
  return { x: round1((lon + 180) * (W / 360)), y: round1((90 - lat) * (H / 180)) };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * An offline world map as inline SVG: coarse continent outlines, a 30° graticule, numbered
 * markers. No tiles, no script, so the page works without any network access.
 */
export function svgMap(input: MapInput): SafeHtml {
  const grid: SafeHtml[] = [];
  for (let lon = -150; lon <= 150; lon += 30) {
    const { x } = project(0, lon);
    grid.push(html`<line x1="${x}" y1="0" x2="${x}" y2="${H}" class="g"/>`);
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    const { y } = project(lat, 0);
    grid.push(html`<line x1="0" y1="${y}" x2="${W}" y2="${y}" class="${lat === 0 ? 'g eq' : 'g'}"/>`);
  }
  const land = WORLD_OUTLINE.map((poly) => {
    const pts = poly.map(([lon, lat]) => {
      const p = project(lat, lon);
      return `${p.x},${p.y}`;
    });
    return html`<polygon points="${pts.join(' ')}" class="land"/>`;
  });
  const first = input.points[0];
  const line =
    input.client && input.lineToFirst && first
      ? (() => {
          const a = project(input.client.latitude, input.client.longitude);
          const b = project(first.latitude, first.longitude);
          return html`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" class="link"/>`;
        })()
      : '';
  // Drawn last-first so that marker #1 ends up on top of the others.
  const markers = [...input.points].reverse().map((p) => {
    const { x, y } = project(p.latitude, p.longitude);
    return html`<g class="marker"><title>${p.title}</title><circle cx="${x}" cy="${y}" r="8" fill="${p.color}"/><text x="${x}" y="${y + 3.5}">${p.label}</text></g>`;
  });
  const client = input.client
    ? (() => {
        const { x, y } = project(input.client.latitude, input.client.longitude);
        return html`<g class="client"><title>${input.client.title}</title><rect x="${x - 6}" y="${y - 6}" width="12" height="12" transform="rotate(45 ${x} ${y})"/></g>`;
      })()
    : '';
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${input.width ?? W}" role="img" aria-label="Map of mirrors">
<style>.sea{fill:#dcebf7}.land{fill:#f3f1e7;stroke:#b9b39b;stroke-width:.6}.g{stroke:#b7cbe0;stroke-width:.5}.eq{stroke:#93b0cf}.link{stroke:#d11;stroke-width:1.6;stroke-dasharray:5 3}.marker circle{stroke:#fff;stroke-width:1.5}.marker text{font:bold 10px sans-serif;fill:#fff;text-anchor:middle}.client rect{fill:#d11;stroke:#fff;stroke-width:1.5}</style>
<rect class="sea" width="${W}" height="${H}"/>
${land}${grid}${line}${markers}${client}
</svg>`;
}
