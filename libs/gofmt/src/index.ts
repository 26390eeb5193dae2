export * from './time.ts';
export * from './duration.ts';
export * from './float32.ts';
export * from './json.ts';
export * from './bool.ts';
export * from './rfc3339.ts';
