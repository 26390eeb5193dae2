import { createRequire } from 'node:module';

/** The api's version (package.json), sent in `Server: Mirrorball/<version>` and page footers. */
export const VERSION: string = process.env.MIRRORBALL_VERSION || (createRequire(import.meta.url)('../package.json') as { version: string }).version;
