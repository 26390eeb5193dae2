/** Page metadata shared by the HTML answers (footer, GeoIP attribution). */
import type { PageMeta } from '@mirrorball/render';
import type { ApiContext } from '../deps.ts';

export function pageMeta(ctx: ApiContext): PageMeta {
  const attribution = ctx.geo.info?.().attribution;
  return {
    version: ctx.version,
    hostname: ctx.hostname,
    geoAttribution: attribution ? { text: attribution } : undefined,
    localJSPath: ctx.config.LocalJSPath,
  };
}
