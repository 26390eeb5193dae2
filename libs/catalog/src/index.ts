export * from './lru.ts';
export * from './entries.ts';
export * from './catalog.ts';
export * from './directories.ts';
export * from './invalidation.ts';
