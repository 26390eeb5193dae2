export * from './range-fetch.ts';
export * from './check.ts';
