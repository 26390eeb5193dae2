export * from './ports.ts';
export * from './redis-server.ts';
export * from './s3-server.ts';
export * from './fault-proxy.ts';
export * from './mirrorbits-fixtures.ts';
export * from './rsync-daemon.ts';
export * from './redis-sentinel.ts';
