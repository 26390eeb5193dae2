// A static JSON import: esbuild inlines it into the bundle, so dist/ needs no package.json at run time.
import pkg from '../package.json' with { type: 'json' };

/** The api's version, sent in `Server: Mirrorball/<version>` and page footers. */
export const VERSION: string = process.env.MIRRORBALL_VERSION || pkg.version;
