export * from './probe.ts';
export * from './urls.ts';
export * from './check.ts';
export * from './version.ts';
