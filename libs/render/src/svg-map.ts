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
  /** Zoom to these positions (with a margin), as Mirrorbits fits its map bounds; default: whole world. */
  fit?: readonly { latitude: number; longitude: number }[] | undefined;
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

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Visible region, in canvas units: the fit points plus a margin, at least 60°×30°, kept 2:1, inside the world. */
export function fitBox(fit: readonly { latitude: number; longitude: number }[] | undefined): Box {
  if (!fit || fit.length === 0) return { x: 0, y: 0, w: W, h: H };
  const ps = fit.map((p) => project(p.latitude, p.longitude));
  const margin = 20;
  let x0 = Math.min(...ps.map((p) => p.x)) - margin;
  let x1 = Math.max(...ps.map((p) => p.x)) + margin;
  let y0 = Math.min(...ps.map((p) => p.y)) - margin;
  let y1 = Math.max(...ps.map((p) => p.y)) + margin;
  let w = Math.max(x1 - x0, 120, 2 * (y1 - y0));
  w = Math.min(w, W);
  const h = w / 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  x0 = Math.min(Math.max(cx - w / 2, 0), W - w);
  y0 = Math.min(Math.max(cy - h / 2, 0), H - h);
  x1 = x0 + w;
  y1 = y0 + h;
  return { x: round1(x0), y: round1(y0), w: round1(x1 - x0), h: round1(y1 - y0) };
}

/**
 * An offline world map as inline SVG: coarse continent outlines, a 30° graticule, numbered
 * markers. No tiles, no script, so the page works without any network access.
 */
export function svgMap(input: MapInput): SafeHtml {
  const box = fitBox(input.fit);
  // Markers keep their on-screen size whatever the zoom.
  const k = box.w / W;
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
    return html`<g class="marker"><title>${p.title}</title><circle cx="${x}" cy="${y}" r="${round2(8 * k)}" stroke-width="${round2(1.5 * k)}" fill="${p.color}"/><text x="${x}" y="${round2(y + 3.5 * k)}" font-size="${round2(10 * k)}">${p.label}</text></g>`;
  });
  const client = input.client
    ? (() => {
        const { x, y } = project(input.client.latitude, input.client.longitude);
        return html`<g class="client"><title>${input.client.title}</title><rect x="${round2(x - 6 * k)}" y="${round2(y - 6 * k)}" width="${round2(12 * k)}" height="${round2(12 * k)}" stroke-width="${round2(1.5 * k)}" transform="rotate(45 ${x} ${y})"/></g>`;
      })()
    : '';
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x} ${box.y} ${box.w} ${box.h}" width="100%" role="img" aria-label="Map of mirrors">
<style>.sea{fill:#dcebf7}.land{fill:#f3f1e7;stroke:#b9b39b;stroke-width:${round2(0.6 * k)}}.g{stroke:#b7cbe0;stroke-width:${round2(0.5 * k)}}.eq{stroke:#93b0cf}.link{stroke:#d11;stroke-width:${round2(1.6 * k)};stroke-dasharray:${round2(5 * k)} ${round2(3 * k)}}.marker circle{stroke:#fff}.marker text{font-family:sans-serif;font-weight:bold;fill:#fff;text-anchor:middle}.client rect{fill:#d11;stroke:#fff}</style>
<rect class="sea" width="${W}" height="${H}"/>
${land}${grid}${line}${client}${markers}
</svg>`;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
