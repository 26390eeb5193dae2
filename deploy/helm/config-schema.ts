/**
 * The JSON schema of the chart's `config` value, derived from the configuration library's own key
 * tree so that a misspelt key fails `helm install` instead of being ignored with a warning.
 * Keys the chart sets itself (listeners, Redis, GeoIP path, repository path, admin token) are
 * left out: they come from redis.*, geoip.*, repository.* and adminToken.
 */
import { defaultConfig } from '@mirrorball/config';
// The key tree is internal to the config library; reading it keeps this schema from drifting.
import { KEY_TREE } from '../../libs/config/src/load.ts';
import type { KeyNode } from '../../libs/config/src/keys.ts';

export const CHART_OWNED_KEYS = [
  'ListenAddress',
  'AdminListenAddress',
  'WorkerListenAddress',
  'ScannerListenAddress',
  'RedisAddress',
  'RedisPassword',
  'RedisDB',
  'RedisTLS',
  'RedisSentinelMasterName',
  'RedisSentinels',
  'RedisSentinelPassword',
  'GeoipDatabasePath',
  'Repository',
  'AdminToken',
] as const;

type JsonSchema = Record<string, unknown>;

/** YAML scalars as the config library reads them: booleans also as yes/no strings, numbers also as strings. */
function scalar(example: unknown): JsonSchema {
  if (typeof example === 'boolean') return { type: ['boolean', 'string'] };
  if (typeof example === 'number') return { type: ['number', 'string'] };
  if (typeof example === 'string') return { type: ['string', 'number', 'boolean'] };
  return { type: ['string', 'number', 'boolean', 'null'] };
}

function node(n: KeyNode, example: unknown): JsonSchema {
  switch (n.kind) {
    case 'scalar':
      return scalar(example);
    case 'list': {
      const first = Array.isArray(example) ? example[0] : undefined;
      return { type: ['array', 'null'], items: node(n.item, first ?? (n.item.kind === 'scalar' ? '' : undefined)) };
    }
    case 'map': {
      const ex = (example ?? {}) as Record<string, unknown>;
      const properties: Record<string, JsonSchema> = {};
      for (const [k, child] of Object.entries(n.children)) properties[k] = node(child, ex[k]);
      return { type: ['object', 'null'], additionalProperties: false, properties };
    }
  }
}

export function configValuesSchema(): JsonSchema {
  const s = node(KEY_TREE, defaultConfig()) as { properties: Record<string, JsonSchema> };
  for (const k of CHART_OWNED_KEYS) delete s.properties[k];
  return {
    type: 'object',
    description: `Any key of the configuration file except those the chart sets (${CHART_OWNED_KEYS.join(', ')}).`,
    additionalProperties: false,
    properties: s.properties,
  };
}
