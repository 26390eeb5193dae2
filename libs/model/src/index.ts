export * from './mirror.ts';
export * from './file.ts';
export * from './client.ts';
