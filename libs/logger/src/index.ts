export * from './logger.ts';
export { formatTimestamp } from './format.ts';
