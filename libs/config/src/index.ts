export type * from './types.ts';
export { ConfigError, exitOnConfigError, formatKeyPath, type ConfigProblem } from './errors.ts';
export {
  loadConfig,
  reloadConfig,
  parseConfig,
  parseConfigDetailed,
  resolveConfigPath,
  currentConfigPath,
  watchConfig,
  CONFIG_ENV_VARIABLES,
  type LoadOptions,
  type ParseOptions,
  type ParseResult,
} from './load.ts';
export { defaultConfig } from './defaults.ts';
export { DEFAULT_TRUSTED_PROXIES } from './schema.ts';
export { parseListenAddress, parseRedisAddress, splitHostPort, isValidCidr, type ListenAddress, type RedisEndpoint } from './addresses.ts';
export { upperSnake } from './keys.ts';
export type { Env } from './env.ts';
