export * from './counter.ts';
export * from './dedup.ts';
export * from './log.ts';
export * from './dates.ts';
