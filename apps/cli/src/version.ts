import { createRequire } from 'node:module';

export const CLI_VERSION: string = process.env.MIRRORBALL_VERSION || (createRequire(import.meta.url)('../package.json') as { version: string }).version;
