export * from './queues.ts';
export * from './client.ts';
