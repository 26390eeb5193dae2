export * from './ports.ts';
export * from './redis-server.ts';
export * from './mirrorbits-fixtures.ts';
