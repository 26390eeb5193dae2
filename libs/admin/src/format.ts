/** The pure formatting half of libs/admin (no Redis, no queues), for the CLI. */
export * from './errors.ts';
export * from './input.ts';
export * from './mirror-json.ts';
export * from './yaml.ts';
export * from './match.ts';
