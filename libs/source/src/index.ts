export * from './source.ts';
export * from './errors.ts';
export * from './retry.ts';
export * from './local.ts';
export * from './s3.ts';
export * from './s3-errors.ts';
