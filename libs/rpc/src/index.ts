export * from './proto.ts';
export * from './convert.ts';
export * from './server.ts';
