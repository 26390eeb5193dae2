export * from './keys.ts';
export * from './codec.ts';
export * from './connection.ts';
