import { goFixed0 } from './helpers.ts';
import { html, type SafeHtml } from './html.ts';

export interface PieSlice {
  label: string;
  /** Percent (any positive scale works: slices are drawn relative to the sum). */
  value: number;
}

export const PIE_COLORS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#84cc16', '#ec4899', '#64748b', '#a16207'];

const R = 80;
const C = 90;

function point(fraction: number): string {
  const a = fraction * 2 * Math.PI - Math.PI / 2;
  return `${(C + R * Math.cos(a)).toFixed(2)},${(C + R * Math.sin(a)).toFixed(2)}`;
}

/**
 * Selection weights as an inline SVG pie with its legend. An empty list draws Mirrorbits'
 * single "Random" 100 % slice (un-geolocated client: mirrors are picked at random).
 */
export function svgPie(input: readonly PieSlice[]): SafeHtml {
  const slices = input.filter((s) => Number.isFinite(s.value) && s.value > 0);
  const shown = slices.length > 0 ? slices : [{ label: 'Random', value: 100 }];
  const total = shown.reduce((a, s) => a + s.value, 0);
  let acc = 0;
  const shapes = shown.map((s, i) => {
    const color = PIE_COLORS[i % PIE_COLORS.length]!;
    const frac = s.value / total;
    const start = acc;
    acc += frac;
    const label = `${s.label}: ${formatPercent(s.value)}`;
    if (frac >= 0.9999) return html`<circle cx="${C}" cy="${C}" r="${R}" fill="${color}"><title>${label}</title></circle>`;
    const large = frac > 0.5 ? 1 : 0;
    return html`<path d="M${C},${C} L${point(start)} A${R},${R} 0 ${large} 1 ${point(acc)} Z" fill="${color}" stroke="#fff" stroke-width="1"><title>${label}</title></path>`;
  });
  const legend = shown.map(
    (s, i) =>
      html`<tr><td><span class="state" style="background:${PIE_COLORS[i % PIE_COLORS.length]!}"></span>${s.label}</td><td class="num">${formatPercent(s.value)}</td></tr>`,
  );
  return html`<div class="row pie"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 180 180" width="180" role="img" aria-label="Selection weights">${shapes}</svg><table class="legend">${legend}</table></div>`;
}

/** Percent label as the Selection column prints it: rounded, `<1%` below one. */
export function formatPercent(v: number): string {
  if (!(v > 0)) return 'n/a';
  if (v < 1) return '<1%';
  return `${goFixed0(v)}%`;
}
