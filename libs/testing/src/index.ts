export * from './ports.ts';
export * from './redis-server.ts';
