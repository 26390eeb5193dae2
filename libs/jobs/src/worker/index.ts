export * from './deps.ts';
export * from './pool.ts';
export * from './reconciler.ts';
export * from './scan-processor.ts';
export * from './check-processor.ts';
export * from './content-processor.ts';
export * from './lock-guard.ts';
export * from './mirror-totals.ts';
