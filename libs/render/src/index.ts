export * from './types.ts';
export { html, escapeHtml, safeHref, SafeHtml } from './html.ts';
export { sizeof, fuzzyAge, concatURL, dateutc, goFixed0 } from './helpers.ts';
export { HTML_CONTENT_TYPE, HTML_PAGE_CSP } from './layout.ts';
export { renderMirrorlistPage } from './mirrorlist.ts';
export { renderMirrorstatsPage, buildMirrorStats, mirrorState, syncOffset, type MirrorStatsRow, type MirrorState, type SyncOffset } from './mirrorstats.ts';
export { renderMetalink, escapeXml, METALINK_CONTENT_TYPE, type MetalinkInput, type MetalinkFile, type MetalinkMirror } from './metalink.ts';
export { svgMap, project, type MapPoint } from './svg-map.ts';
export { svgPie, formatPercent, type PieSlice } from './svg-pie.ts';
