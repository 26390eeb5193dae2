export * from './keys.ts';
export * from './codec.ts';
export * from './connection.ts';
export * from './subscriber.ts';
export * from './locks.ts';
export * from './logs.ts';
export * from './mirrors.ts';
export * from './stats.ts';
